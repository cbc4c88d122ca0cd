//! CSV as RFC 4180: fields quoted when needed, quotes doubled, CRLF line ends, UTF-8. A cell a
//! spreadsheet would run as a formula is neutralised with a leading apostrophe.

/// Makes user text safe for a spreadsheet cell: text starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return is prefixed with `'` so it is shown, never evaluated.
pub fn neutralise(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// One CSV field: neutralised, then quoted when it holds a comma, quote, or line break.
pub fn field(text: &str) -> String {
    let text = neutralise(text);
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Numbers and codes we produce ourselves need no neutralising (a level of "-" never occurs).
pub fn row<I, S>(fields: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut line = fields
        .into_iter()
        .map(|f| field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("-1"), "'-1");
        assert_eq!(field("@SUM"), "'@SUM");
        assert_eq!(row(["1", "x,y"]), "1,\"x,y\"\r\n");
    }
}
