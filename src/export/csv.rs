//! CSV as RFC 4180: fields quoted when needed, quotes doubled, CRLF line ends, UTF-8. A cell a
//! spreadsheet would run as a formula is neutralised with a leading apostrophe.

use super::report::{ItemRow, Report};

/// Makes user text safe for a spreadsheet cell: text starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return is prefixed with `'` so it is shown, never evaluated.
pub fn neutralise(text: &str) -> String {
    if starts_like_formula(text) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Whether a spreadsheet would take this text for a formula: it starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return.
pub fn starts_like_formula(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    )
}

/// One CSV field: neutralised, then quoted when it holds a comma, quote, or line break.
pub fn field(text: &str) -> String {
    let text = neutralise(&crate::text::for_csv(text));
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

/// Every item with every answer field: a header row, then one row per item.
pub fn items(report: &Report) -> String {
    let mut out = row([
        "number",
        "ref",
        "clause",
        "kind",
        "title",
        "level",
        "level_label",
        "applicability",
        "reasons",
        "justification",
        "risks",
        "note",
        "evidence",
        "owner",
        "due",
        "review_needed",
    ]);
    for item in &report.items {
        out.push_str(&item_row(item));
    }
    out
}

fn item_row(item: &ItemRow) -> String {
    row([
        item.number.to_string(),
        item.reference.clone(),
        item.clause.clone(),
        item.kind_code().to_string(),
        item.title.clone(),
        item.answer
            .level
            .map_or_else(String::new, |level| level.value().to_string()),
        item.level_label.to_string(),
        item.applicability().to_string(),
        item.reason_codes(),
        item.answer.justification.clone(),
        item.answer.risks.clone(),
        item.answer.note.clone(),
        item.answer.evidence.clone(),
        item.answer.owner.clone(),
        item.answer.due.clone().unwrap_or_default(),
        if item.answer.review_needed {
            "yes"
        } else {
            "no"
        }
        .to_string(),
    ])
}

/// Every action, one row each (open ones in roadmap order, then closed ones): what
/// `isms-ready action list --csv` prints.
pub fn actions(rows: &[super::report::ActionRow]) -> String {
    let mut out = row([
        "number",
        "items",
        "refs",
        "title",
        "description",
        "owner",
        "due",
        "effort",
        "priority",
        "status",
        "done_on",
        "step",
        "horizon",
        "overdue",
        "note",
    ]);
    for r in rows {
        let a = &r.action;
        out.push_str(&row([
            a.number.to_string(),
            crate::model::action::join_numbers(&a.items),
            r.refs.clone(),
            a.title.clone(),
            a.description.clone(),
            a.owner.clone(),
            super::report::day(a.due),
            r.effort().to_string(),
            a.priority.to_string(),
            a.status.code().to_string(),
            super::report::day(a.done_on),
            a.step.map_or_else(String::new, |s| s.to_string()),
            r.horizon.to_string(),
            r.overdue.to_string(),
            a.note.clone(),
        ]));
    }
    out
}

/// The UTF-8 byte order mark `export --format csv --excel` writes first: without it Excel reads
/// the file in the system's code page and garbles accents.
pub const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

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
