//! Text matching shared by the searches of the screens.

/// Whether `haystack` contains `needle`, ignoring case. An empty (or blank) needle matches nothing.
pub fn text_matches(haystack: &str, needle: &str) -> bool {
    let needle = needle.trim();
    !needle.is_empty() && haystack.to_lowercase().contains(&needle.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::text_matches;

    #[test]
    fn matches_ignore_case_and_blank_needles_match_nothing() {
        assert!(text_matches("Access Control Policy", "control po"));
        assert!(text_matches("A.9.1.1", "a.9"));
        assert!(!text_matches("Access control", "firewall"));
        assert!(!text_matches("anything", "  "));
    }
}
