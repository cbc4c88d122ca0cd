//! Counted nouns: "1 blocker", "2 blockers", "0 actions". One helper for every output, so no
//! screen or report says "1 blockers".

/// `count` followed by the noun, with an `s` added unless the count is 1 ("1 blocker", "3 blockers").
pub fn counted(count: usize, singular: &str) -> String {
    if count == 1 {
        format!("1 {singular}")
    } else {
        format!("{count} {singular}s")
    }
}

/// `count` followed by the singular or the irregular plural ("1 activity", "2 activities").
pub fn counted_as(count: usize, singular: &str, plural: &str) -> String {
    if count == 1 {
        format!("1 {singular}")
    } else {
        format!("{count} {plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_every_other_count_plural() {
        assert_eq!(counted(1, "blocker"), "1 blocker");
        assert_eq!(counted(0, "blocker"), "0 blockers");
        assert_eq!(counted(2, "action"), "2 actions");
        assert_eq!(counted_as(1, "activity", "activities"), "1 activity");
        assert_eq!(counted_as(3, "activity", "activities"), "3 activities");
    }
}
