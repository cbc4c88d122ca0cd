//! Loose text matching for searches: case- and accent-insensitive, so `equipe` finds `équipe`,
//! `LODZ` finds `Łódź` and `strasse` finds `Straße`.
//!
//! Folding lower-cases each character, then maps the letters of Latin-1 and Latin Extended-A
//! (French, German, Spanish, Portuguese, Nordic, Polish, Czech, Slovak, Hungarian, Romanian,
//! Turkish...) to their base letters (`ß` to `ss`, `æ` to `ae`, `œ` to `oe`, `ĳ` to `ij`, `þ` to
//! `th`) and drops combining marks, so decomposed input (`e` + U+0301) folds like composed input.
//! Match ranges are given in bytes of the original text, for highlighting.

use std::ops::Range;

/// Whether `needle` occurs in `haystack`, ignoring case and accents (and spaces around the
/// needle). An empty or blank needle matches nothing.
pub fn text_matches(haystack: &str, needle: &str) -> bool {
    find_folded(haystack, needle).is_some()
}

/// The first match of `needle` (trimmed) in `haystack`, ignoring case and accents, as a byte range
/// of the original `haystack` (always on character boundaries; a folded letter such as `ß` is
/// covered whole). `None` for an empty or blank needle.
pub fn find_folded(haystack: &str, needle: &str) -> Option<Range<usize>> {
    let needle = fold(needle.trim());
    if needle.is_empty() {
        return None;
    }
    let folded = Folded::new(haystack);
    let at = folded.text.find(&needle)?;
    Some(folded.original(at..at + needle.len()))
}

/// Every non-overlapping match of `needle` (trimmed) in `haystack`, as byte ranges of the
/// original text, in order. Nothing for an empty or blank needle.
pub fn find_all_folded(haystack: &str, needle: &str) -> Vec<Range<usize>> {
    let needle = fold(needle.trim());
    if needle.is_empty() {
        return Vec::new();
    }
    let folded = Folded::new(haystack);
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (at, _) in folded.text.match_indices(&needle) {
        let range = folded.original(at..at + needle.len());
        // Two matches inside one folded letter (`s` in `ß`) make one range.
        match ranges.last_mut() {
            Some(last) if range.start < last.end => last.end = last.end.max(range.end),
            _ => ranges.push(range),
        }
    }
    ranges
}

/// `text` lower-cased and stripped of accents, as compared by the search.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// A folded text and, for each of its bytes, where the character it came from starts.
struct Folded {
    text: String,
    /// `origin[i]`: byte range in the original of the character that produced folded byte `i`.
    origin: Vec<Range<usize>>,
}

impl Folded {
    fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        for (start, c) in original.char_indices() {
            let before = text.len();
            fold_char(c, &mut text);
            let range = start..start + c.len_utf8();
            origin.extend(std::iter::repeat_n(range, text.len() - before));
        }
        Folded { text, origin }
    }

    /// The original byte range covering the folded byte range `range` (not empty).
    fn original(&self, range: Range<usize>) -> Range<usize> {
        self.origin[range.start].start..self.origin[range.end - 1].end
    }
}

fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for lower in c.to_lowercase() {
        match base_letters(lower) {
            Some(base) => out.push_str(base),
            None if is_combining_mark(lower) => {}
            None => out.push(lower),
        }
    }
}

/// Combining diacritical marks (U+0300-U+036F): what a decomposed accent is made of.
fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// The base letters of a lower-case letter of Latin-1 or Latin Extended-A, when it has an accent
/// or is a ligature.
fn base_letters(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ð' | 'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' | 'ĸ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ſ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accents_and_case_are_ignored_both_ways() {
        assert!(text_matches("Réunion avec l'équipe", "equipe"));
        assert!(text_matches("Reunion avec l'equipe", "ÉQUIPE"));
        assert!(text_matches("Łódź office", "lodz"));
        assert!(text_matches("Příliš žluťoučký kůň", "zlutoucky kun"));
        assert!(text_matches("Señor Núñez", "nunez"));
        assert!(text_matches("Çağrı İşbilir", "cagri isbilir"));
        assert!(text_matches("Årsrapport Ærø Øst", "aero ost"));
        assert!(!text_matches("équipe", "équipes"));
        assert!(!text_matches("", "a"));
    }

    #[test]
    fn blank_needles_match_nothing_and_spaces_around_a_needle_are_ignored() {
        assert!(text_matches("Access Control Policy", "control po"));
        assert!(text_matches("A.9.1.1", "a.9"));
        assert!(text_matches("Access control", "  control "));
        assert!(!text_matches("Access control", "firewall"));
        assert!(!text_matches("anything", ""));
        assert!(!text_matches("anything", "  "));
        assert_eq!(find_folded("anything", " "), None);
    }

    #[test]
    fn ligatures_and_sharp_s_fold_to_their_letters() {
        assert!(text_matches("Hauptstraße 5", "strasse"));
        assert!(text_matches("HAUPTSTRASSE", "straße"));
        assert!(text_matches("Cœur de métier", "coeur"));
        assert!(text_matches("Encyclopædia", "encyclopaedia"));
    }

    #[test]
    fn decomposed_accents_fold_like_composed_ones() {
        // "e" followed by U+0301 COMBINING ACUTE ACCENT.
        assert!(text_matches("l'e\u{301}quipe", "équipe"));
        assert_eq!(find_folded("l'e\u{301}quipe", "equipe"), Some(2..10));
    }

    #[test]
    fn ranges_are_bytes_of_the_original_text() {
        let text = "Réunion avec l'équipe";
        let range = find_folded(text, "EQUIPE").unwrap();
        assert_eq!(&text[range], "équipe");
        let text = "Straße";
        assert_eq!(&text[find_folded(text, "s").unwrap()], "S");
        assert_eq!(&text[find_folded(text, "sse").unwrap()], "ße");
        assert_eq!(find_folded("abc", "x"), None);
        let text = "Équipe A, équipe B, EQUIPE C";
        let all: Vec<&str> = find_all_folded(text, "equipe")
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(all, ["Équipe", "équipe", "EQUIPE"]);
        assert!(find_all_folded(text, "").is_empty());
        // "s" matches both halves of one "ß": one range.
        assert_eq!(find_all_folded("ß", "s"), vec![0..2]);
    }

    proptest! {
        #[test]
        fn any_part_of_a_text_is_found_within_it(
            text in "[a-zA-Zàéèçßœæłźńőüñ İ\u{301} .-]{0,30}",
            start in 0usize..31,
            length in 0usize..31,
        ) {
            let chars: Vec<char> = text.chars().collect();
            let start = start.min(chars.len());
            let end = (start + length).min(chars.len());
            let needle: String = chars[start..end].iter().collect();
            if fold(needle.trim()).is_empty() {
                // Blank (or only accents): matches nothing.
                prop_assert!(!text_matches(&text, &needle));
                return Ok(());
            }
            prop_assert!(text_matches(&text, &needle));
            prop_assert!(text_matches(&text.to_uppercase(), &needle));
            let range = find_folded(&text, &needle).unwrap();
            prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            // The range found holds the needle, folded.
            prop_assert!(fold(&text[range]).contains(&fold(needle.trim())));
            for range in find_all_folded(&text, &needle) {
                prop_assert!(fold(&text[range]).contains(&fold(needle.trim())));
            }
        }

        #[test]
        fn folding_is_idempotent_and_accent_free(text in "\\PC{0,40}") {
            let once = fold(&text);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(!once.chars().any(|c| base_letters(c).is_some() || is_combining_mark(c)));
        }
    }
}
