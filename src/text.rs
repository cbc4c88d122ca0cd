//! Text from the user or from a file, made safe to print on a terminal. A name, note or owner may
//! hold control characters (an imported file can carry anything): printed raw, ESC, BEL, CSI and OSC
//! sequences would clear the screen, set the window title or write to the clipboard.
//!
//! The rule is the one the interactive app gets from ratatui, which drops every grapheme holding a
//! control character (`char::is_control`: C0, DEL and C1). JSON output needs none of this: serde
//! escapes control characters.

use std::borrow::Cow;

/// Whether a terminal could act on `c`: a C0 control, DEL or a C1 control.
fn is_terminal_control(c: char) -> bool {
    c.is_control()
}

/// One field on one line: every control character dropped; newlines, tabs and carriage returns
/// become a space so a table row stays one row.
pub fn inline(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_terminal_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter_map(|c| match c {
                '\n' | '\t' | '\r' => Some(' '),
                c if is_terminal_control(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// A block of text: every control character dropped except newlines and tabs.
pub fn printable(text: &str) -> Cow<'_, str> {
    let keep = |c: char| !is_terminal_control(c) || c == '\n' || c == '\t';
    if text.chars().all(keep) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|&c| keep(c)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_lose_their_control_characters() {
        let evil = "A\u{1b}]0;title\u{7}\u{1b}[2J\u{9b}31m\u{7f}B";
        assert_eq!(inline(evil), "A]0;title[2J31mB");
        assert_eq!(printable(evil), "A]0;title[2J31mB");
    }

    #[test]
    fn line_breaks_are_spaces_inline_and_kept_in_blocks() {
        assert_eq!(inline("one\ntwo\tthree\r"), "one two three ");
        assert_eq!(printable("one\ntwo\tthree\r"), "one\ntwo\tthree");
    }

    #[test]
    fn clean_text_is_borrowed_unchanged() {
        assert!(matches!(inline("Café – Ltd"), Cow::Borrowed("Café – Ltd")));
        assert!(matches!(printable("a\nb"), Cow::Borrowed("a\nb")));
    }
}
