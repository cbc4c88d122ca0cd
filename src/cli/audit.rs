//! The arguments of the audit records' nouns (`audit`, `finding`, `nc`, `review`).

use super::*;

use crate::model::audit::{
    AuditStatus, AuditType, Classification, Effective, FindingType, NcSource, NcStatus,
};

/// A code of `codes` as the flag's value, or an error listing them.
fn coded<T>(text: &str, parse: fn(&str) -> Option<T>, codes: &[&str]) -> Result<T, String> {
    parse(text).ok_or_else(|| format!("\"{text}\" is not one of {}", codes.join(", ")))
}

fn parse_audit_type(text: &str) -> Result<AuditType, String> {
    coded(text, AuditType::parse, AuditType::CODES)
}

fn parse_audit_status(text: &str) -> Result<AuditStatus, String> {
    coded(text, AuditStatus::parse, AuditStatus::CODES)
}

fn parse_finding_type(text: &str) -> Result<FindingType, String> {
    coded(text, FindingType::parse, FindingType::CODES)
}

fn parse_nc_source(text: &str) -> Result<NcSource, String> {
    coded(text, NcSource::parse, NcSource::CODES)
}

fn parse_classification(text: &str) -> Result<Classification, String> {
    coded(text, Classification::parse, Classification::CODES)
}

fn parse_nc_status(text: &str) -> Result<NcStatus, String> {
    coded(text, NcStatus::parse, NcStatus::CODES)
}

fn parse_effective(text: &str) -> Result<Effective, String> {
    coded(text, Effective::parse, Effective::CODES)
}

/// `audit`: the register commands, and the programme.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    #[command(flatten)]
    Register(RegisterCommand<AuditAdd, AuditSet>),
    /// Which clauses and Annex A groups each audit covered, and what no done audit covered in the
    /// last 12 months (9.2.2).
    Programme {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Default, Args)]
pub struct AuditMore {
    /// The last day, YYYY-MM-DD ("" clears it).
    #[arg(long = "end", value_parser = parse_optional_date, value_name = "DATE")]
    pub end_date: Option<DateOrEmpty>,
    /// Who audits, with independence noted: "Kim Roe (independent)".
    #[arg(long = "auditor", value_name = "P", allow_hyphen_values = true)]
    pub auditors: Option<String>,
    /// Clauses, items and Annex A groups, comma-separated: "4,5,6.1,A.5".
    #[arg(long, value_name = "REFS", allow_hyphen_values = true)]
    pub scope: Option<String>,
    /// What the audit measures against: the standard, own policies, contracts.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub criteria: Option<String>,
    /// planned, in_progress or done.
    #[arg(long, value_parser = parse_audit_status, value_name = "S")]
    pub status: Option<AuditStatus>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct AuditAdd {
    /// internal, pre-audit, stage1, stage2 or surveillance.
    #[arg(long = "type", value_parser = parse_audit_type, value_name = "T")]
    pub kind: AuditType,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub title: String,
    /// The first day, YYYY-MM-DD.
    #[arg(long, value_parser = crate::model::plan::parse_date, value_name = "DATE")]
    pub date: chrono::NaiveDate,
    #[command(flatten)]
    pub more: AuditMore,
}

#[derive(Debug, Clone, Args)]
pub struct AuditSet {
    /// The audit's id (AUD-1, or 1).
    pub id: String,
    #[arg(long = "type", value_parser = parse_audit_type, value_name = "T")]
    pub kind: Option<AuditType>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub title: Option<String>,
    #[arg(long, value_parser = crate::model::plan::parse_date, value_name = "DATE")]
    pub date: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub more: AuditMore,
}

/// `finding`: add, list (of one audit), set, remove.
#[derive(Debug, Subcommand)]
pub enum FindingCommand {
    /// Add a finding (its id is given on output); a major or minor one opens a nonconformity.
    Add(FindingAdd),
    /// List the findings, of one audit with --audit.
    List {
        #[arg(long, value_name = "ID")]
        audit: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Change fields of one finding.
    Set(FindingSet),
    /// Remove one finding (kept in the history).
    Remove {
        /// The finding's id (F-3, or 3).
        id: String,
    },
}

#[derive(Debug, Clone, Default, Args)]
pub struct FindingMore {
    /// The evidence sampled.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub evidence: Option<String>,
    /// Who was interviewed.
    #[arg(long, value_name = "P", allow_hyphen_values = true)]
    pub auditee: Option<String>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct FindingAdd {
    /// The audit it was found in (AUD-1, or 1).
    #[arg(long, value_name = "ID")]
    pub audit: String,
    /// The items it is about, by number or ref, comma-separated: "12" or "A.5.18,9.2.2 a)".
    #[arg(long = "item", value_name = "N|REF")]
    pub items: String,
    /// major, minor, observation, improvement or conformity.
    #[arg(long = "type", value_parser = parse_finding_type, value_name = "T")]
    pub kind: FindingType,
    /// The requirement, what was seen, and why it does not meet it.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub statement: String,
    #[command(flatten)]
    pub more: FindingMore,
}

#[derive(Debug, Clone, Args)]
pub struct FindingSet {
    /// The finding's id (F-1, or 1).
    pub id: String,
    #[arg(long, value_name = "ID")]
    pub audit: Option<String>,
    #[arg(long = "item", value_name = "N|REF")]
    pub items: Option<String>,
    #[arg(long = "type", value_parser = parse_finding_type, value_name = "T")]
    pub kind: Option<FindingType>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub statement: Option<String>,
    #[command(flatten)]
    pub more: FindingMore,
}

pub type NcCommand = RegisterCommand<NcAdd, NcSet>;

#[derive(Debug, Clone, Default, Args)]
pub struct NcMore {
    /// The requirements not met, comma-separated refs or item numbers: "A.5.18,9.2.2".
    #[arg(long, value_name = "REFS")]
    pub requirement: Option<String>,
    /// What was done at once to contain it.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub correction: Option<String>,
    /// Why it happened (room for five whys).
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub root_cause: Option<String>,
    /// The corrective actions, comma-separated: "ACT-3,ACT-4" ("" removes them).
    #[arg(long = "action", value_name = "ACT-n")]
    pub actions: Option<String>,
    /// YYYY-MM-DD ("" clears it).
    #[arg(long, value_parser = parse_optional_date, value_name = "DATE")]
    pub due: Option<DateOrEmpty>,
    /// The day its effectiveness was verified, YYYY-MM-DD ("" clears it).
    #[arg(long, value_parser = parse_optional_date, value_name = "DATE")]
    pub verified_on: Option<DateOrEmpty>,
    #[arg(long, value_name = "P", allow_hyphen_values = true)]
    pub verified_by: Option<String>,
    /// yes or no ("-": not verified); "no" reopens it.
    #[arg(long, value_parser = parse_effective, value_name = "yes|no")]
    pub effective: Option<Effective>,
    /// open, correction-done, action-in-progress, verified-effective, closed or reopened.
    #[arg(long, value_parser = parse_nc_status, value_name = "S")]
    pub status: Option<NcStatus>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct NcAdd {
    /// audit, incident, complaint, monitoring, management-review or other.
    #[arg(long, value_parser = parse_nc_source, value_name = "S")]
    pub source: NcSource,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub description: String,
    /// major or minor.
    #[arg(long, value_parser = parse_classification, value_name = "C")]
    pub classification: Classification,
    /// The day it was raised, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = parse_optional_date, value_name = "DATE")]
    pub raised_on: Option<DateOrEmpty>,
    /// The finding that opened it (F-3).
    #[arg(long, value_name = "ID")]
    pub finding: Option<String>,
    #[command(flatten)]
    pub more: NcMore,
}

#[derive(Debug, Clone, Args)]
pub struct NcSet {
    /// The nonconformity's id (NC-1, or 1).
    pub id: String,
    #[arg(long, value_parser = parse_nc_source, value_name = "S")]
    pub source: Option<NcSource>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub description: Option<String>,
    #[arg(long, value_parser = parse_classification, value_name = "C")]
    pub classification: Option<Classification>,
    #[arg(long, value_parser = parse_optional_date, value_name = "DATE")]
    pub raised_on: Option<DateOrEmpty>,
    #[arg(long, value_name = "ID")]
    pub finding: Option<String>,
    #[command(flatten)]
    pub more: NcMore,
}

pub type ReviewCommand = RegisterCommand<ReviewAdd, ReviewSet>;

#[derive(Debug, Clone, Default, Args)]
pub struct ReviewMore {
    /// Who took part.
    #[arg(long, value_name = "P", allow_hyphen_values = true)]
    pub attendees: Option<String>,
    /// What was presented for one input of 9.3.2, by its letter: --input a="..." (repeatable;
    /// "a=" clears it). The letters follow the assessment's edition.
    #[arg(
        long = "input",
        value_name = "LETTER=T",
        value_parser = parse_review_input,
        allow_hyphen_values = true
    )]
    pub inputs: Vec<ReviewInput>,
    /// Decisions and changes to the ISMS.
    #[arg(long = "decisions", value_name = "T", allow_hyphen_values = true)]
    pub outputs: Option<String>,
    /// The actions raised, comma-separated: "ACT-5,ACT-6" ("" removes them).
    #[arg(long = "action", value_name = "ACT-n")]
    pub actions: Option<String>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub note: Option<String>,
}

/// One `--input a="..."`: the field of the input's letter and what was presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewInput(pub &'static str, pub String);

fn parse_review_input(text: &str) -> Result<ReviewInput, String> {
    const INPUTS: [(&str, &str); 7] = [
        ("a", "input_a"),
        ("b", "input_b"),
        ("c", "input_c"),
        ("d", "input_d"),
        ("e", "input_e"),
        ("f", "input_f"),
        ("g", "input_g"),
    ];
    let (letter, presented) = text.split_once('=').ok_or_else(|| {
        "write an input as its letter, =, and what was presented: a=\"...\"".to_string()
    })?;
    let letter = letter.trim().trim_end_matches(')').to_lowercase();
    INPUTS
        .iter()
        .find(|(l, _)| *l == letter)
        .map(|(_, name)| ReviewInput(name, presented.to_string()))
        .ok_or_else(|| format!("\"{letter}\" is not an input of 9.3.2: use a to g"))
}

impl FieldArgs for ReviewMore {
    fn texts(self) -> Vec<(&'static str, Option<String>)> {
        let mut texts = vec![
            flag("attendees", self.attendees),
            flag("outputs", self.outputs),
            flag("actions", self.actions),
            flag("note", self.note),
        ];
        for ReviewInput(name, presented) in self.inputs {
            texts.push((name, Some(presented)));
        }
        texts
    }
}

#[derive(Debug, Clone, Args)]
pub struct ReviewAdd {
    /// The day of the review, YYYY-MM-DD.
    #[arg(long, value_parser = crate::model::plan::parse_date, value_name = "DATE")]
    pub date: chrono::NaiveDate,
    #[command(flatten)]
    pub more: ReviewMore,
}

#[derive(Debug, Clone, Args)]
pub struct ReviewSet {
    /// The review's id (MR-1, or 1).
    pub id: String,
    #[arg(long, value_parser = crate::model::plan::parse_date, value_name = "DATE")]
    pub date: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub more: ReviewMore,
}

field_args!(
    AuditMore,
    [],
    [end_date, auditors, scope, criteria, status, note]
);
field_args!(AuditAdd, [kind, title, date], [], more);
field_args!(AuditSet, [], [kind, title, date], more);
field_args!(FindingMore, [], [evidence, auditee, note]);
field_args!(FindingAdd, [audit, items, kind, statement], [], more);
field_args!(FindingSet, [], [audit, items, kind, statement], more);
field_args!(
    NcMore,
    [],
    [
        requirement,
        correction,
        root_cause,
        actions,
        due,
        verified_on,
        verified_by,
        effective,
        status,
        note
    ]
);
field_args!(
    NcAdd,
    [source, description, classification],
    [raised_on, finding],
    more
);
field_args!(
    NcSet,
    [],
    [source, description, classification, raised_on, finding],
    more
);
field_args!(ReviewAdd, [date], [], more);
field_args!(ReviewSet, [], [date], more);
set_args!(AuditSet, FindingSet, NcSet, ReviewSet);
