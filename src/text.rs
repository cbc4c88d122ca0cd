//! Text from the user or from a file, made safe for where it goes: one function per destination,
//! and every output path goes through the one for its destination.
//!
//! | destination | function | what it does |
//! |---|---|---|
//! | terminal, a block (an error, a note) | [`for_terminal`] | drops every control but newline and tab |
//! | terminal, one field on one line | [`for_terminal_line`] | also turns newline, tab, CR into a space |
//! | JSON printed or written | [`for_json`] | encodes DEL, C1 and bidi controls as `\uXXXX` (data kept) |
//! | Markdown | [`for_markdown`] | drops controls, escapes Markdown and HTML specials, lines as `<br>` |
//! | HTML | [`for_html`] | drops controls, a CR as a newline, escapes the five HTML specials |
//! | XML (DOCX, XLSX parts) | [`for_xml`] | drops what XML 1.0 forbids and every other control |
//! | CSV | [`for_csv`] | drops controls but newline and tab, a CR as a newline |
//! | the app's multi-line field (a paste) | [`for_field`] | line ends as newline, tab as four spaces, drops other controls |
//! | the app's one-line field | [`for_field_line`] | as [`for_field`], line breaks as a space, trailing ones dropped |
//!
//! A name, note or owner may hold control characters (an imported or merged file can carry
//! anything, a Word paste carries vertical tabs): printed raw, ESC, BEL, CSI and OSC sequences
//! would clear the screen, set the window title or write to the clipboard; a bidi override would
//! show a name reversed; in XML one of them makes the whole document unreadable.
//!
//! The controls are C0 (U+0000-001F), DEL (U+007F), C1 (U+0080-009F) and the bidi formatting
//! characters (U+202A-202E embeddings and overrides, U+2066-2069 isolates, U+200E/200F marks,
//! U+061C the Arabic letter mark); XML 1.0 also forbids U+FFFE and U+FFFF.

use std::borrow::Cow;

/// A bidi formatting character: it reorders what follows on screen.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Whether `c` may act on a terminal or reorder text: a C0 control, DEL, a C1 control or a bidi
/// formatting character.
pub fn is_control(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Characters XML 1.0 forbids anywhere (surrogates cannot occur in a Rust string).
fn is_xml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// `text` without the characters `drop` names, borrowed when there are none.
fn without(text: &str, drop: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&drop) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|&c| !drop(c)).collect())
}

/// A block of text for the terminal: every control dropped except newlines and tabs.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    without(text, |c| is_control(c) && c != '\n' && c != '\t')
}

/// One field on one terminal line: every control dropped; newlines, tabs and carriage returns
/// become a space, so a table row stays one row and a name cannot start a line of its own.
pub fn for_terminal_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter_map(|c| match c {
                '\n' | '\t' | '\r' => Some(' '),
                c if is_control(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// The former names of [`for_terminal_line`] and [`for_terminal`].
pub fn inline(text: &str) -> Cow<'_, str> {
    for_terminal_line(text)
}

/// See [`inline`].
pub fn printable(text: &str) -> Cow<'_, str> {
    for_terminal(text)
}

/// Serialised JSON made safe to print or to hand on, its data unchanged: serde escapes C0 but
/// writes DEL, C1 and bidi controls raw; they become `\uXXXX` escapes. They can only occur inside
/// a JSON string (JSON whitespace is space, tab, LF and CR), so the escape is always valid.
pub fn for_json(json: &str) -> Cow<'_, str> {
    if !json
        .chars()
        .any(|c| is_control(c) && !matches!(c, '\n' | '\t' | '\r'))
    {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_control(c) && !matches!(c, '\n' | '\t' | '\r') {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// User text inside a Markdown document, inert: controls dropped, Markdown punctuation
/// backslash-escaped, and line breaks as `<br>` so a table row stays one line. Plain text stays
/// plain: `&`, `<`, `>` and `#` are escaped only where a Markdown reader would take them for
/// markup (an entity, a tag, a quote or heading at the line's start), so no raw tag survives.
pub fn for_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut line_start = true;
    while let Some(c) = chars.next() {
        let at_start = line_start;
        line_start = false;
        match c {
            '<' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("&lt;")
            }
            '>' if at_start => out.push_str("&gt;"),
            '&' if starts_entity(chars.clone()) => out.push_str("&amp;"),
            '#' if at_start => out.push_str("\\#"),
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("<br>");
                line_start = true;
            }
            '\n' => {
                out.push_str("<br>");
                line_start = true;
            }
            ' ' | '\t' => {
                out.push(c);
                line_start = at_start;
            }
            c if is_control(c) => line_start = at_start,
            _ => out.push(c),
        }
    }
    out
}

/// Whether the text after a `&` reads as an entity (`amp;`, `#39;`).
fn starts_entity(rest: impl Iterator<Item = char>) -> bool {
    for (length, c) in rest.take(32).enumerate() {
        if c == ';' {
            return length > 0;
        }
        if !(c.is_ascii_alphanumeric() || (c == '#' && length == 0)) {
            return false;
        }
    }
    false
}

/// User text in HTML element content or a quoted attribute: controls dropped (newline and tab
/// kept, a carriage return as a newline: HTML shows them as spaces), the five specials as
/// entities.
pub fn for_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A lone carriage return would send a terminal's cursor back over the line.
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if is_control(c) => {}
            _ => out.push(c),
        }
    }
    out
}

/// Text for an XML writer (which escapes `& < > "` itself), or a whole serialised XML part: what
/// XML 1.0 forbids is dropped, and so is every other control (DEL, C1, bidi), so a document shows
/// what the terminal shows; newline and tab are kept, a carriage return becomes a newline (as an
/// XML parser reads it; a spreadsheet would keep it as `_x000D_`).
pub fn for_xml(text: &str) -> Cow<'_, str> {
    let dropped = without(text, is_xml_forbidden);
    match keeping_lines(&dropped) {
        Cow::Borrowed(_) => dropped,
        Cow::Owned(owned) => Cow::Owned(owned),
    }
}

/// One CSV field's text before quoting: controls dropped except newline and tab, a carriage
/// return as a newline (a quoted CSV field holds line breaks; the CSV writer neutralises a
/// leading tab).
pub fn for_csv(text: &str) -> Cow<'_, str> {
    keeping_lines(text)
}

/// Pasted text made fit for a multi-line field of the app: Windows and old Mac line ends become
/// `\n`, a tab becomes four spaces, and other control characters (escape sequences among them)
/// are dropped.
pub fn for_field(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}

/// Pasted or typed text made fit for a one-line field of the app: line breaks and tabs become
/// spaces, other control characters are dropped, and trailing line breaks go.
pub fn for_field_line(text: &str) -> String {
    let text = for_field(text);
    text.trim_end_matches('\n')
        .split('\n')
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` without its controls but newline and tab, a carriage return (alone or before a
/// newline) as a newline.
fn keeping_lines(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| is_control(c) && !matches!(c, '\n' | '\t'))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\n' | '\t' => out.push(c),
            c if is_control(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}
#[cfg(test)]
mod tests {
    use super::*;

    /// Every C0, DEL, every C1 and every bidi control.
    fn every_control() -> String {
        let mut s: String = ('\u{0}'..='\u{1f}').collect();
        s.push('\u{7f}');
        s.extend('\u{80}'..='\u{9f}');
        s.extend(['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}']);
        s.extend(['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}']);
        s.extend(['\u{200E}', '\u{200F}', '\u{061C}']);
        s
    }

    #[test]
    fn escape_sequences_lose_their_control_characters() {
        let evil = "A\u{1b}]0;title\u{7}\u{1b}[2J\u{9b}31m\u{7f}B\u{202e}C";
        assert_eq!(for_terminal_line(evil), "A]0;title[2J31mBC");
        assert_eq!(for_terminal(evil), "A]0;title[2J31mBC");
        assert_eq!(for_xml(evil), "A]0;title[2J31mBC");
        assert_eq!(for_csv(evil), "A]0;title[2J31mBC");
        assert_eq!(for_html(evil), "A]0;title[2J31mBC");
        assert_eq!(for_markdown(evil), "A\\]0;title\\[2J31mBC");
    }

    #[test]
    fn every_control_is_gone_from_every_destination() {
        let text = format!("a{}b", every_control());
        assert_eq!(for_terminal_line(&text), "a   b");
        assert_eq!(for_terminal(&text), "a\t\nb");
        assert_eq!(for_xml(&text), "a\t\n\nb");
        assert_eq!(for_csv(&text), "a\t\n\nb");
        assert_eq!(for_html(&text), "a\t\n\nb");
        assert_eq!(for_markdown(&text), "a\t<br><br>b");
        let json = serde_json::to_string(&text).unwrap();
        let safe = for_json(&json);
        assert!(!safe.chars().any(is_control), "{safe:?}");
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, text, "JSON keeps the data");
    }

    #[test]
    fn xml_forbidden_noncharacters_are_dropped() {
        assert_eq!(for_xml("a\u{fffe}\u{ffff}\u{b}\u{c}b"), "ab");
    }

    #[test]
    fn line_breaks_are_spaces_inline_and_kept_in_blocks() {
        assert_eq!(for_terminal_line("one\ntwo\tthree\r"), "one two three ");
        assert_eq!(for_terminal("one\ntwo\tthree\r"), "one\ntwo\tthree");
    }

    #[test]
    fn a_paste_into_a_field_keeps_its_lines_and_drops_escape_sequences() {
        let pasted = "First line\r\nSecond\x1b]52;c;aGk=\x07 line\tend\rlast\n\n";
        assert_eq!(
            for_field(pasted),
            "First line\nSecond]52;c;aGk= line    end\nlast\n\n"
        );
        assert_eq!(
            for_field_line(pasted),
            "First line Second]52;c;aGk= line    end last"
        );
    }

    #[test]
    fn clean_text_is_borrowed_unchanged() {
        assert!(matches!(
            for_terminal_line("Café – Ltd"),
            Cow::Borrowed("Café – Ltd")
        ));
        assert!(matches!(for_terminal("a\nb"), Cow::Borrowed("a\nb")));
        assert!(matches!(for_xml("a\nb"), Cow::Borrowed("a\nb")));
        assert!(matches!(for_json("\"a\\nb\""), Cow::Borrowed(_)));
        // Right-to-left text itself is not a control: only the formatting characters are.
        assert_eq!(for_terminal("שלום"), "שלום");
    }
}
