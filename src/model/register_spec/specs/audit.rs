//! The specs of the audit records (issue 30): audits, findings, nonconformities and management
//! reviews, built from the same blocks as the four registers.

use super::*;
use crate::model::audit::{
    AuditStatus, AuditType, Classification, Effective, FindingType, NcSource, NcStatus,
    parse_action_ids, parse_refs,
};
use crate::model::registers::{Audit, Finding, ManagementReview, Nonconformity};

/// A spec row for a choice field `$field` of a code enum `$enum`.
macro_rules! choice_field {
    ($name:literal, $label:literal, $enum:ident, $field:ident) => {
        FieldSpec {
            name: $name,
            label: $label,
            kind: FieldKind::Choice($enum::CODES),
            hint: CHOOSE,
            get: |e| e.$field.code().to_string(),
            set: |e, v| {
                e.$field = $enum::parse(v).ok_or_else(|| {
                    format!(
                        "{}: \"{v}\" is not one of {}",
                        $label.to_lowercase(),
                        $enum::CODES.join(", ")
                    )
                })?;
                Ok(())
            },
        }
    };
}

/// A spec row for a list of refs `$field` (`Vec<String>`), kept as one text column.
macro_rules! refs_field {
    ($name:literal, $label:literal, $hint:expr, $field:ident) => {
        FieldSpec {
            name: $name,
            label: $label,
            kind: FieldKind::Text,
            hint: $hint,
            get: |e| e.$field.join(", "),
            set: |e, v| {
                e.$field = parse_refs(v);
                Ok(())
            },
        }
    };
}

/// A spec row for a list of actions `$field` (`ACT-n`), kept as one text column.
macro_rules! actions_field {
    ($name:literal, $label:literal, $hint:expr, $field:ident) => {
        FieldSpec {
            name: $name,
            label: $label,
            kind: FieldKind::Text,
            hint: $hint,
            get: |e| e.$field.join(", "),
            set: |e, v| {
                e.$field =
                    parse_action_ids(v).map_err(|m| format!("{}: {m}", $label.to_lowercase()))?;
                Ok(())
            },
        }
    };
}

/// A spec row for the id of an entry of register `$kind` (`1` reads as `AUD-1`; another text
/// is kept as typed, and the service says no such entry exists).
macro_rules! id_field {
    ($name:literal, $label:literal, $hint:expr, $kind:ident, $field:ident) => {
        FieldSpec {
            name: $name,
            label: $label,
            kind: FieldKind::Text,
            hint: $hint,
            get: |e| e.$field.clone(),
            set: |e, v| {
                let v = v.trim();
                e.$field = RegisterKind::$kind
                    .parse_id(v)
                    .map_or_else(|| v.to_string(), |n| RegisterKind::$kind.id(n));
                Ok(())
            },
        }
    };
}

fn text_cell<T>(header: &'static str, xlsx: f64, docx: usize, cell: fn(&T) -> Cell) -> Column<T> {
    text_column(header, xlsx, docx, cell)
}

fn detail<T>(label: &'static str, value: fn(&T) -> String) -> DetailLine<T> {
    DetailLine { label, value }
}

impl RegisterEntry for Audit {
    const KIND: RegisterKind = RegisterKind::Audits;
    const TABLE: &'static str = "audit";
    entry_accessors!();

    fn fields() -> Vec<FieldSpec<Self>> {
        vec![
            text_field!("title", "Title", "what the audit is, in a few words", title),
            choice_field!("kind", "Type", AuditType, kind),
            date_field!("date", "Date", "YYYY-MM-DD: the first day", date),
            date_field!(
                "end_date",
                "End",
                "YYYY-MM-DD: the last day, if not the same",
                end_date
            ),
            text_field!(
                "auditors",
                "Auditors",
                "names, with independence noted: Kim Roe (independent)",
                auditors
            ),
            refs_field!(
                "scope",
                "Scope",
                "clauses, items and Annex A groups: 4, 5, 6.1, 9.2.2 a), A.5",
                scope
            ),
            text_field!(
                "criteria",
                "Criteria",
                "ISO/IEC 27001, own policies, contracts",
                criteria
            ),
            choice_field!("status", "Status", AuditStatus, status),
            text_field!("note", "Note", "", note),
        ]
    }

    fn detail() -> Vec<DetailLine<Self>> {
        vec![
            detail("Type · dates · status", |e: &Self| {
                format!(
                    "{} · {}{} · {}",
                    e.kind.code(),
                    or_dash(&day(e.date)),
                    e.end_date.map_or_else(String::new, |d| format!(" to {d}")),
                    e.status.code()
                )
            }),
            detail("Auditors", |e: &Self| e.auditors.clone()),
            detail("Scope", |e: &Self| e.scope.join(", ")),
            detail("Criteria", |e: &Self| e.criteria.clone()),
            detail("Note", |e: &Self| e.note.clone()),
        ]
    }

    fn list() -> Vec<ListColumn<Self>> {
        vec![
            list("id", 6, false, |e: &Self| e.id.clone()),
            list("date", 10, false, |e: &Self| {
                or_dash(&day(e.date)).to_string()
            }),
            list("type", 12, false, |e: &Self| e.kind.code().to_string()),
            list("status", 11, false, |e: &Self| e.status.code().to_string()),
            list("title · scope · auditors", 0, false, |e: &Self| {
                joined(&[&e.title, &e.scope.join(","), &e.auditors])
            }),
        ]
    }

    fn columns() -> Vec<Column<Self>> {
        vec![
            text_cell("Id", 8.0, 6, |e: &Self| Cell::Text(e.id.clone())),
            text_cell("Audit", 30.0, 16, |e: &Self| Cell::Text(e.title.clone())),
            text_cell("Type", 12.0, 9, |e: &Self| {
                Cell::Text(e.kind.code().to_string())
            }),
            text_cell("Date", 12.0, 9, |e: &Self| Cell::Text(day(e.date))),
            text_cell("End", 12.0, 9, |e: &Self| Cell::Text(day(e.end_date))),
            text_cell("Auditors", 24.0, 14, |e: &Self| {
                Cell::Text(e.auditors.clone())
            }),
            text_cell("Scope", 24.0, 14, |e: &Self| Cell::Text(e.scope.join(", "))),
            text_cell("Criteria", 24.0, 10, |e: &Self| {
                Cell::Text(e.criteria.clone())
            }),
            text_cell("Status", 12.0, 8, |e: &Self| {
                Cell::Text(e.status.code().replace('_', " "))
            }),
            text_cell("Note", 30.0, 5, |e: &Self| Cell::Text(e.note.clone())),
        ]
    }

    fn label(&self) -> &str {
        &self.title
    }

    fn summary(&self) -> String {
        format!(
            "\"{}\" ({}, {})",
            self.title,
            self.kind.code(),
            day(self.date)
        )
    }

    fn of(registers: &Registers) -> &[Self] {
        &registers.audits
    }
}

impl RegisterEntry for Finding {
    const KIND: RegisterKind = RegisterKind::Findings;
    const TABLE: &'static str = "finding";
    entry_accessors!();

    fn fields() -> Vec<FieldSpec<Self>> {
        vec![
            id_field!(
                "audit",
                "Audit",
                "the audit it was found in: AUD-1",
                Audits,
                audit
            ),
            refs_field!(
                "items",
                "Items",
                "the items it is about: A.5.18, 9.2.2 a)",
                items
            ),
            choice_field!("kind", "Type", FindingType, kind),
            text_field!(
                "statement",
                "Statement",
                "the requirement, what was seen, why it does not meet it",
                statement
            ),
            text_field!("evidence", "Evidence", "what was sampled", evidence),
            text_field!("auditee", "Auditee", "who was interviewed", auditee),
            text_field!("note", "Note", "", note),
        ]
    }

    fn detail() -> Vec<DetailLine<Self>> {
        vec![
            detail("Audit · type · items", |e: &Self| {
                format!(
                    "{} · {} · {}",
                    or_dash(&e.audit),
                    e.kind.code(),
                    e.items.join(", ")
                )
            }),
            detail("Statement", |e: &Self| e.statement.clone()),
            detail("Evidence", |e: &Self| e.evidence.clone()),
            detail("Auditee", |e: &Self| e.auditee.clone()),
            detail("Note", |e: &Self| e.note.clone()),
        ]
    }

    fn list() -> Vec<ListColumn<Self>> {
        vec![
            list("id", 5, false, |e: &Self| e.id.clone()),
            list("audit", 6, false, |e: &Self| e.audit.clone()),
            list("type", 11, false, |e: &Self| e.kind.code().to_string()),
            list("items · statement", 0, false, |e: &Self| {
                joined(&[&e.items.join(","), &e.statement])
            }),
        ]
    }

    fn columns() -> Vec<Column<Self>> {
        vec![
            text_cell("Id", 7.0, 5, |e: &Self| Cell::Text(e.id.clone())),
            text_cell("Audit", 8.0, 6, |e: &Self| Cell::Text(e.audit.clone())),
            text_cell("Type", 12.0, 9, |e: &Self| {
                Cell::Text(e.kind.code().to_string())
            }),
            text_cell("Items", 16.0, 10, |e: &Self| Cell::Text(e.items.join(", "))),
            text_cell("Statement", 50.0, 35, |e: &Self| {
                Cell::Text(e.statement.clone())
            }),
            text_cell("Evidence", 30.0, 15, |e: &Self| {
                Cell::Text(e.evidence.clone())
            }),
            text_cell("Auditee", 16.0, 10, |e: &Self| {
                Cell::Text(e.auditee.clone())
            }),
            text_cell("Note", 30.0, 10, |e: &Self| Cell::Text(e.note.clone())),
        ]
    }

    fn label(&self) -> &str {
        &self.statement
    }

    fn summary(&self) -> String {
        format!(
            "{} in {} on {}",
            self.kind.code(),
            self.audit,
            self.items.join(", ")
        )
    }

    fn of(registers: &Registers) -> &[Self] {
        &registers.findings
    }
}

impl RegisterEntry for Nonconformity {
    const KIND: RegisterKind = RegisterKind::Nonconformities;
    const TABLE: &'static str = "nonconformity";
    entry_accessors!();

    fn fields() -> Vec<FieldSpec<Self>> {
        vec![
            id_field!(
                "finding",
                "Finding",
                "the finding that opened it: F-3 (or empty)",
                Findings,
                finding
            ),
            choice_field!("source", "Source", NcSource, source),
            date_field!("raised_on", "Raised on", "YYYY-MM-DD", raised_on),
            text_field!(
                "description",
                "Description",
                "what does not conform",
                description
            ),
            refs_field!(
                "requirement",
                "Requirement",
                "the requirements not met: A.5.18, 9.2.2",
                requirement
            ),
            choice_field!(
                "classification",
                "Classification",
                Classification,
                classification
            ),
            text_field!(
                "correction",
                "Correction",
                "what was done at once to contain it",
                correction
            ),
            text_field!(
                "root_cause",
                "Root cause",
                "why it happened: why 1 ... why 5",
                root_cause
            ),
            actions_field!(
                "actions",
                "Actions",
                "the corrective actions: ACT-3, ACT-4",
                actions
            ),
            date_field!("due", "Due", "YYYY-MM-DD", due),
            date_field!(
                "verified_on",
                "Verified on",
                "YYYY-MM-DD: effectiveness checked",
                verified_on
            ),
            text_field!("verified_by", "Verified by", "", verified_by),
            choice_field!("effective", "Effective", Effective, effective),
            choice_field!("status", "Status", NcStatus, status),
            text_field!("note", "Note", "", note),
        ]
    }

    fn detail() -> Vec<DetailLine<Self>> {
        vec![
            detail("Classification · source · status", |e: &Self| {
                format!(
                    "{} · {}{} · {}",
                    e.classification.code(),
                    e.source.code(),
                    if e.finding.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", e.finding)
                    },
                    e.status.code()
                )
            }),
            detail("Description", |e: &Self| e.description.clone()),
            detail("Requirement", |e: &Self| e.requirement.join(", ")),
            detail("Correction", |e: &Self| e.correction.clone()),
            detail("Root cause", |e: &Self| e.root_cause.clone()),
            detail("Actions · due", |e: &Self| {
                format!(
                    "{} · {}",
                    or_dash(&e.actions.join(", ")),
                    or_dash(&day(e.due))
                )
            }),
            detail("Verified", |e: &Self| match e.verified_on {
                Some(d) => format!(
                    "{d} by {} · effective {}",
                    or_dash(&e.verified_by),
                    e.effective.code()
                ),
                None => String::new(),
            }),
            detail("Note", |e: &Self| e.note.clone()),
        ]
    }

    fn list() -> Vec<ListColumn<Self>> {
        vec![
            list("id", 6, false, |e: &Self| e.id.clone()),
            list("class", 5, false, |e: &Self| {
                e.classification.code().to_string()
            }),
            list("status", 18, false, |e: &Self| e.status.code().to_string()),
            list("description · actions", 0, false, |e: &Self| {
                joined(&[&e.description, &e.actions.join(",")])
            }),
        ]
    }

    fn columns() -> Vec<Column<Self>> {
        vec![
            text_cell("Id", 7.0, 5, |e: &Self| Cell::Text(e.id.clone())),
            text_cell("Class", 8.0, 6, |e: &Self| {
                Cell::Text(e.classification.code().to_string())
            }),
            text_cell("Source", 14.0, 8, |e: &Self| {
                Cell::Text(joined(&[e.source.code(), &e.finding]))
            }),
            text_cell("Raised on", 12.0, 8, |e: &Self| {
                Cell::Text(day(e.raised_on))
            }),
            text_cell("Description", 40.0, 18, |e: &Self| {
                Cell::Text(e.description.clone())
            }),
            text_cell("Requirement", 14.0, 8, |e: &Self| {
                Cell::Text(e.requirement.join(", "))
            }),
            text_cell("Correction", 30.0, 10, |e: &Self| {
                Cell::Text(e.correction.clone())
            }),
            text_cell("Root cause", 30.0, 10, |e: &Self| {
                Cell::Text(e.root_cause.clone())
            }),
            text_cell("Actions", 14.0, 6, |e: &Self| {
                Cell::Text(e.actions.join(", "))
            }),
            text_cell("Due", 12.0, 6, |e: &Self| Cell::Text(day(e.due))),
            text_cell("Verified", 24.0, 8, |e: &Self| {
                Cell::Text(match e.verified_on {
                    Some(d) => format!("{d} {} ({})", e.verified_by, e.effective.code()),
                    None => String::new(),
                })
            }),
            text_cell("Status", 16.0, 7, |e: &Self| {
                Cell::Text(e.status.code().to_string())
            }),
        ]
    }

    fn label(&self) -> &str {
        &self.description
    }

    fn summary(&self) -> String {
        format!(
            "\"{}\" ({}, {})",
            self.description,
            self.classification.code(),
            self.status.code()
        )
    }

    fn of(registers: &Registers) -> &[Self] {
        &registers.nonconformities
    }
}

/// A spec row for input `$letter` of a management review.
macro_rules! input_field {
    ($name:literal, $label:literal, $hint:literal, $field:ident) => {
        text_field!($name, $label, $hint, $field)
    };
}

impl RegisterEntry for ManagementReview {
    const KIND: RegisterKind = RegisterKind::Reviews;
    const TABLE: &'static str = "management_review";
    entry_accessors!();

    fn fields() -> Vec<FieldSpec<Self>> {
        vec![
            date_field!("date", "Date", "YYYY-MM-DD", date),
            text_field!("attendees", "Attendees", "who took part", attendees),
            input_field!(
                "input_a",
                "Input a)",
                "what became of earlier reviews' actions",
                input_a
            ),
            input_field!(
                "input_b",
                "Input b)",
                "changes in external and internal issues",
                input_b
            ),
            input_field!(
                "input_c",
                "Input c)",
                "2022: changes in interested parties' needs; 2013: performance",
                input_c
            ),
            input_field!(
                "input_d",
                "Input d)",
                "2022: performance (NCs, measurement, audits, objectives); 2013: feedback",
                input_d
            ),
            input_field!(
                "input_e",
                "Input e)",
                "2022: feedback from interested parties; 2013: risks",
                input_e
            ),
            input_field!(
                "input_f",
                "Input f)",
                "2022: risk assessment and treatment plan; 2013: improvement",
                input_f
            ),
            input_field!(
                "input_g",
                "Input g)",
                "2022: opportunities to improve",
                input_g
            ),
            text_field!(
                "outputs",
                "Decisions",
                "decisions and changes to the ISMS",
                outputs
            ),
            actions_field!("actions", "Actions", "the actions raised: ACT-5", actions),
            text_field!("note", "Note", "", note),
        ]
    }

    fn detail() -> Vec<DetailLine<Self>> {
        vec![
            detail("Date · attendees", |e: &Self| {
                format!("{} · {}", or_dash(&day(e.date)), or_dash(&e.attendees))
            }),
            detail("Inputs presented", |e: &Self| {
                ["a", "b", "c", "d", "e", "f", "g"]
                    .iter()
                    .filter(|l| e.input(l).is_some_and(|t| !t.trim().is_empty()))
                    .map(|l| format!("{l})"))
                    .collect::<Vec<_>>()
                    .join(" ")
            }),
            detail("Decisions", |e: &Self| e.outputs.clone()),
            detail("Actions", |e: &Self| e.actions.join(", ")),
            detail("Note", |e: &Self| e.note.clone()),
        ]
    }

    fn list() -> Vec<ListColumn<Self>> {
        vec![
            list("id", 5, false, |e: &Self| e.id.clone()),
            list("date", 10, false, |e: &Self| {
                or_dash(&day(e.date)).to_string()
            }),
            list("attendees · decisions", 0, false, |e: &Self| {
                joined(&[&e.attendees, &e.outputs])
            }),
        ]
    }

    fn columns() -> Vec<Column<Self>> {
        vec![
            text_cell("Id", 7.0, 6, |e: &Self| Cell::Text(e.id.clone())),
            text_cell("Date", 12.0, 10, |e: &Self| Cell::Text(day(e.date))),
            text_cell("Attendees", 24.0, 16, |e: &Self| {
                Cell::Text(e.attendees.clone())
            }),
            text_cell("Inputs presented", 30.0, 16, |e: &Self| {
                Cell::Text(
                    ["a", "b", "c", "d", "e", "f", "g"]
                        .iter()
                        .filter(|l| e.input(l).is_some_and(|t| !t.trim().is_empty()))
                        .map(|l| format!("{l})"))
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            }),
            text_cell("Decisions and changes", 40.0, 36, |e: &Self| {
                Cell::Text(e.outputs.clone())
            }),
            text_cell("Actions", 14.0, 16, |e: &Self| {
                Cell::Text(e.actions.join(", "))
            }),
        ]
    }

    fn label(&self) -> &str {
        &self.attendees
    }

    fn summary(&self) -> String {
        format!("management review of {}", day(self.date))
    }

    fn of(registers: &Registers) -> &[Self] {
        &registers.reviews
    }
}
