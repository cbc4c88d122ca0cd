//! The way back from CISO Assistant: an audit (compliance assessment) of its ISO/IEC 27001
//! framework, exported from it, read into a new assessment document that `import` creates.
//!
//! CISO Assistant exports an audit as a spreadsheet (`GET /api/compliance-assessments/<id>/xlsx/`,
//! "Export to Excel" on the audit's page: one sheet, the columns `urn`, `assessable`, `ref_id`,
//! `name`, `description`, `typical_evidence`, `annotation`, `compliance_result`, `extended_result`,
//! `requirement_progress`, `observations`, `score`) or as CSV
//! (`GET /api/compliance-assessments/<id>/compliance_assessment_csv/`: `;`-separated, with a BOM).
//! Both put a `'` before a text that starts with `=`, `+`, `-` or `@`; it is taken off here.
//! Results and scores become levels by [`BACK_RULE`], the inverse of the hand-over's rule.
//! Pure: the caller reads the file and stores the document.

use super::ciso_assistant::{FRAMEWORKS, Framework, ref_node};
use crate::model::document::{
    ASSESSMENT_FORMAT, ASSESSMENT_VERSION, AnswerRecord, AssessmentDocument, AssessmentHeader,
};
use crate::model::{Answer, Catalog, ItemKind, Level};
use calamine::{Data, Reader, Xlsx};

/// The rule from CISO Assistant's results back to our levels, in words (the README prints it).
pub const BACK_RULE: [&str; 6] = [
    "Each row's result goes to every isms-ready item of its node (the items the hand-over aggregates into it: `4.1` -> `4.1 #1`, `4.1 #2`; `A.5.1` -> `A.5.1`).",
    "`compliant`: the level from the score (score / 25, rounded half up) but at least 2 (Implemented), 2 without a score.",
    "`non_compliant`: the level from the score but at most 1 (Planned), 0 (Absent) without a score.",
    "`partially_compliant`: 1 (Planned): partly in place, not yet met.",
    "`not_assessed` or empty: unanswered. `not_applicable`: an Annex A control is excluded, with the observation (or \"Not applicable in CISO Assistant\") as its justification; a clause item stays unanswered (clauses cannot be excluded).",
    "The observation becomes each item's note, after `[CISO Assistant <ref_id>]`. Scores are read on CISO Assistant's default 0-100 scale; requirement progress, extended result and answers are not carried.",
];

/// One assessable row of the export.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub urn: String,
    pub ref_id: String,
    pub result: String,
    pub score: Option<f64>,
    pub observations: String,
}

/// What the reading found besides the document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reading {
    /// The framework's edition, as our questionnaire id.
    pub questionnaire: String,
    /// Assessable rows read.
    pub rows: usize,
    /// Rows with a result other than `not_assessed`.
    pub assessed: usize,
}

/// Whether the bytes look like one of CISO Assistant's audit exports: an XLSX (a zip) or a text
/// whose header starts with `urn`.
pub fn looks_like_export(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"PK\x03\x04") {
        return true;
    }
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    text.starts_with(b"urn;") || text.starts_with(b"urn,") || text.starts_with(b"\"urn\"")
}

/// Takes off the formula guard CISO Assistant's exports put before `=`, `+`, `-` or `@`.
pub fn unguard(text: &str) -> String {
    match text.strip_prefix('\'') {
        Some(rest) if rest.trim_start().starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => text.to_string(),
    }
}

/// The rows of an export, XLSX or CSV.
pub fn read_rows(bytes: &[u8]) -> Result<Vec<AuditRow>, String> {
    let table = if bytes.starts_with(b"PK\x03\x04") {
        xlsx_table(bytes)?
    } else {
        let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())?;
        csv_table(text.trim_start_matches('\u{feff}'))
    };
    let Some((header, body)) = table.split_first() else {
        return Err("the file is empty".into());
    };
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(urn), Some(ref_id), Some(result)) =
        (column("urn"), column("ref_id"), column("compliance_result"))
    else {
        return Err(
            "not a CISO Assistant audit export: the first row lacks the columns urn, ref_id and compliance_result"
                .into(),
        );
    };
    let (assessable, score, observations) = (
        column("assessable"),
        column("score").or_else(|| column("implementation_score")),
        column("observations"),
    );
    let cell = |row: &Vec<String>, col: Option<usize>| {
        col.and_then(|c| row.get(c))
            .map(|v| unguard(v.trim_end()))
            .unwrap_or_default()
    };
    let mut rows = Vec::new();
    for (index, row) in body.iter().enumerate() {
        let result_text = cell(row, Some(result));
        // The CSV leaves every column of a node that is not assessable empty, the XLSX says so.
        let flagged = cell(row, assessable).to_lowercase();
        if matches!(flagged.as_str(), "false" | "0")
            || (assessable.is_none() && result_text.is_empty())
        {
            continue;
        }
        let score_text = cell(row, score);
        let score_value = if score_text.trim().is_empty() {
            None
        } else {
            Some(score_text.trim().parse::<f64>().map_err(|_| {
                format!("row {}: score \"{score_text}\" is not a number", index + 2)
            })?)
        };
        rows.push(AuditRow {
            urn: cell(row, Some(urn)).trim().to_string(),
            ref_id: cell(row, Some(ref_id)).trim().to_string(),
            result: result_text.trim().to_lowercase(),
            score: score_value,
            observations: cell(row, observations).trim().to_string(),
        });
    }
    Ok(rows)
}

fn xlsx_table(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec()))
        .map_err(|e| format!("not a readable XLSX workbook: {e}"))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or("the workbook has no sheet")?
        .map_err(|e| format!("the first sheet cannot be read: {e}"))?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::Bool(b) => b.to_string(),
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

/// RFC 4180 fields, separated by `;` (CISO Assistant's CSV export) or `,` (whichever the header
/// line has more of).
fn csv_table(text: &str) -> Vec<Vec<String>> {
    let first = text.lines().next().unwrap_or("");
    let separator = if first.matches(';').count() >= first.matches(',').count() {
        ';'
    } else {
        ','
    };
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' if quoted => quoted = false,
            '"' if field.is_empty() => quoted = true,
            c if c == separator && !quoted => row.push(std::mem::take(&mut field)),
            '\r' if !quoted => {}
            '\n' if !quoted => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// The framework the rows belong to, by their urns.
fn framework_of(rows: &[AuditRow]) -> Result<Framework, String> {
    let first = rows
        .iter()
        .find(|r| !r.urn.is_empty())
        .ok_or("no row has a urn")?;
    FRAMEWORKS
        .into_iter()
        .find(|f| first.urn.starts_with(f.node_prefix))
        .ok_or_else(|| {
            format!(
                "the audit is of the framework of {}: isms-ready reads audits of CISO Assistant's ISO/IEC 27001:2022 and 2013 frameworks only",
                first.urn
            )
        })
}

/// What one row gives its items, by [`BACK_RULE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Back {
    /// This level (`None`: unanswered).
    Level(Option<Level>),
    /// Not applicable: a control is excluded.
    NotApplicable,
}

/// What one row gives its items, by [`BACK_RULE`].
pub fn level_of(result: &str, score: Option<f64>) -> Back {
    let from_score = score.map(|s| (s.clamp(0.0, 100.0) / 25.0 + 0.5).floor() as u8);
    let value = match result {
        "compliant" => from_score.map_or(2, |l| l.clamp(2, 4)),
        "non_compliant" => from_score.map_or(0, |l| l.min(1)),
        "partially_compliant" => 1,
        "not_applicable" => return Back::NotApplicable,
        _ => return Back::Level(None),
    };
    Back::Level(level(value))
}

fn level(value: u8) -> Option<Level> {
    Level::ALL.get(usize::from(value)).copied()
}

/// The assessment document of an export: `name` and the creation time are the caller's.
pub fn document(
    rows: &[AuditRow],
    catalog: &Catalog,
    name: &str,
    created_at: &str,
) -> Result<(AssessmentDocument, Reading), String> {
    let framework = framework_of(rows)?;
    let questionnaire = catalog.get(framework.questionnaire).ok_or_else(|| {
        format!(
            "questionnaire {} is not known to this build",
            framework.questionnaire
        )
    })?;
    let mut answers = Vec::new();
    let mut reading = Reading {
        questionnaire: framework.questionnaire.to_string(),
        ..Reading::default()
    };
    for row in rows {
        let node = if row.ref_id.is_empty() {
            row.urn
                .strip_prefix(framework.node_prefix)
                .unwrap_or_default()
                .to_string()
        } else {
            row.ref_id.clone()
        };
        if !row.urn.is_empty() && !row.urn.starts_with(framework.node_prefix) {
            return Err(format!(
                "row {node}: its urn {} is of another framework than {}",
                row.urn, framework.name
            ));
        }
        let items: Vec<_> = questionnaire
            .items
            .iter()
            .filter(|item| ref_node(&item.reference).eq_ignore_ascii_case(&node))
            .collect();
        if items.is_empty() {
            // A grouping node of the platform (e.g. 6.1) has no item of ours.
            continue;
        }
        reading.rows += 1;
        if !row.result.is_empty() && row.result != "not_assessed" {
            reading.assessed += 1;
        }
        let level = level_of(&row.result, row.score);
        let note = if row.observations.is_empty() {
            String::new()
        } else {
            format!("[CISO Assistant {node}] {}", row.observations)
        };
        for item in items {
            let mut answer = Answer {
                note: note.clone(),
                ..Answer::default()
            };
            match level {
                Back::Level(level) => answer.level = level,
                Back::NotApplicable if item.kind == ItemKind::Control => {
                    answer.applicable = Some(false);
                    answer.justification = if row.observations.is_empty() {
                        "Not applicable in CISO Assistant".into()
                    } else {
                        row.observations.clone()
                    };
                }
                Back::NotApplicable => {
                    answer.note = format!(
                        "[CISO Assistant {node}] not applicable there; clauses cannot be excluded. {}",
                        row.observations
                    )
                    .trim_end()
                    .to_string();
                }
            }
            if answer != Answer::default() {
                answers.push(AnswerRecord {
                    item: item.number,
                    reference: item.reference.clone(),
                    answer,
                });
            }
        }
    }
    if reading.rows == 0 {
        return Err(format!(
            "no row of the file matches a requirement of {}",
            framework.name
        ));
    }
    let document = AssessmentDocument {
        format: ASSESSMENT_FORMAT.into(),
        version: ASSESSMENT_VERSION,
        notice: None,
        assessment: AssessmentHeader {
            name: name.to_string(),
            questionnaire: framework.questionnaire.to_string(),
            scope: String::new(),
            assessor: String::new(),
            firm: String::new(),
            created_at: created_at.to_string(),
            uuid: None,
        },
        answers,
        sessions: Vec::new(),
        plan: Vec::new(),
        actions: Vec::new(),
        context: Vec::new(),
        parties: Vec::new(),
        risks: Vec::new(),
        objectives: Vec::new(),
        audits: Vec::new(),
        findings: Vec::new(),
        nonconformities: Vec::new(),
        management_reviews: Vec::new(),
        summary: None,
        history: None,
        merged: Vec::new(),
    };
    Ok((document, reading))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_come_back_by_the_rule() {
        assert_eq!(level_of("compliant", None), Back::Level(level(2)));
        assert_eq!(level_of("compliant", Some(100.0)), Back::Level(level(4)));
        assert_eq!(level_of("compliant", Some(10.0)), Back::Level(level(2)));
        assert_eq!(level_of("non_compliant", Some(25.0)), Back::Level(level(1)));
        assert_eq!(level_of("non_compliant", Some(80.0)), Back::Level(level(1)));
        assert_eq!(level_of("non_compliant", None), Back::Level(level(0)));
        assert_eq!(
            level_of("partially_compliant", Some(90.0)),
            Back::Level(level(1))
        );
        assert_eq!(level_of("not_assessed", Some(50.0)), Back::Level(None));
        assert_eq!(level_of("", None), Back::Level(None));
        assert_eq!(level_of("not_applicable", None), Back::NotApplicable);
        // The inverse of the hand-over: a node whose items share one level L has the score
        // 25 x L and comes back at L.
        for l in 0..=4u8 {
            let result = if l >= 2 { "compliant" } else { "non_compliant" };
            assert_eq!(
                level_of(result, Some(25.0 * f64::from(l))),
                Back::Level(level(l))
            );
        }
    }

    #[test]
    fn the_csv_export_is_read_with_its_bom_separator_quotes_and_guards() {
        let text = "\u{feff}urn;ref_id;name;description;typical_evidence;annotation;compliance_result;extended_result;requirement_progress;score;observations\r\n\
            urn:intuitem:risk:req_node:iso27001-2022:4;4;Context;;;;;;;;\r\n\
            urn:intuitem:risk:req_node:iso27001-2022:4.1;4.1;Issues;\"a; b\";;;compliant;;done;75;\"'-2 open \"\"points\"\"\nsecond line\"\r\n";
        assert!(looks_like_export(text.as_bytes()));
        let rows = read_rows(text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0].ref_id, "4.1");
        assert_eq!(rows[0].result, "compliant");
        assert_eq!(rows[0].score, Some(75.0));
        assert_eq!(rows[0].observations, "-2 open \"points\"\nsecond line");
        assert_eq!(unguard("'=1+1"), "=1+1");
        assert_eq!(unguard("'quoted"), "'quoted");
    }
}
