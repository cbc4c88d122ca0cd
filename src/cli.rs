//! The command line, as clap definitions only. The commands themselves live in `commands.rs`.

use crate::export::ExportFormat;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "isms-ready",
    version,
    about = "ISO/IEC 27001 certification readiness, assessed clause by clause in the terminal",
    after_help = "Without a command, opens the interactive app. Data is saved at once to the database file."
)]
pub struct Cli {
    /// The database file (default: isms-ready.db in the platform data folder).
    #[arg(long, global = true, env = "ISMS_READY_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Open this assessment (name or id) directly instead of the picker.
    #[arg(long, short = 'a', value_name = "A")]
    pub assessment: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an assessment.
    New(NewArgs),
    /// List the assessments in the database.
    List {
        #[arg(long)]
        json: bool,
    },
    /// List the questionnaires this build knows, or show one.
    Questionnaires(QuestionnairesArgs),
    /// Set or clear the level, note or exclusion of one item.
    Answer(AnswerArgs),
    /// The certification project plan: progress per step, or change a step.
    Plan(PlanArgs),
    /// The Statement of Applicability: every Annex A control, its decision and justification.
    Soa(SoaArgs),
    /// Write the readiness summary or the whole assessment to a file (md, html, json, csv, xlsx).
    Export(ExportArgs),
    /// Read an assessment exported as JSON into a new assessment.
    Import {
        /// The JSON file written by `export --format json`.
        file: PathBuf,
        /// The new assessment's name (default: the name in the file).
        #[arg(long = "as", value_name = "NAME")]
        name: Option<String>,
    },
    /// Carry an assessment over to another edition (2013 -> 2022) as a new assessment.
    Migrate {
        #[arg(long, short = 'a', value_name = "A")]
        assessment: String,
        /// The questionnaire to carry it to.
        #[arg(long, value_name = "ID", default_value = "iso27001-2022")]
        to: String,
        /// The new assessment's name (default: the old name with the new edition's year).
        #[arg(long, value_name = "N")]
        name: Option<String>,
    },
    /// Readiness, gap, coverage and PDCA status per clause and overall.
    Summary {
        /// Name or id; default: the only or the last opened assessment.
        #[arg(long, short = 'a', value_name = "A")]
        assessment: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Rename an assessment.
    Rename {
        #[arg(long, short = 'a', value_name = "A")]
        assessment: String,
        /// The new name (refused when empty or taken).
        #[arg(long, value_name = "N")]
        name: String,
    },
    /// Change the name, scope or assessor of an assessment.
    Edit {
        #[arg(long, short = 'a', value_name = "A")]
        assessment: String,
        #[arg(long, value_name = "N")]
        name: Option<String>,
        #[arg(long, value_name = "S")]
        scope: Option<String>,
        #[arg(long, value_name = "P")]
        assessor: Option<String>,
    },
    /// Workshop sessions: start, end, list, report.
    #[command(subcommand)]
    Session(SessionCommand),
    /// Every change of an assessment, newest first: when, session, field, old -> new.
    History {
        #[arg(long, short = 'a', value_name = "A")]
        assessment: String,
        /// Only this item's changes.
        #[arg(long, value_name = "N")]
        item: Option<u32>,
        /// Only the changes of this session (number or title).
        #[arg(long, value_name = "S")]
        session: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Undo the last answer change (itself recorded as a change) and say what it undid.
    Undo {
        #[arg(long, short = 'a', value_name = "A")]
        assessment: String,
    },
    /// Readiness then and now per clause and domain, and the items that moved.
    #[command(group(clap::ArgGroup::new("point").required(true).args(["since", "with"])))]
    Compare {
        #[arg(long, short = 'a', value_name = "A")]
        assessment: String,
        /// A session (number or title: the state before it began) or a date YYYY-MM-DD (its start).
        #[arg(long, value_name = "SESSION|DATE")]
        since: Option<String>,
        /// Another assessment of the same questionnaire, or the 2013 baseline of a 2022 one.
        #[arg(long, value_name = "B")]
        with: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete an assessment; its JSON document is first written beside the database.
    Delete {
        #[arg(long, short = 'a', value_name = "A")]
        assessment: String,
        /// Confirm the deletion (required).
        #[arg(long)]
        yes: bool,
    },
}

/// `isms-ready session start|end|list|report`.
#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Open a workshop session: every change until `session end` is stamped with it.
    Start {
        #[arg(long, short = 'a', value_name = "A")]
        assessment: String,
        #[arg(long, value_name = "T")]
        title: String,
        /// "Name (role), Name (role), ..."
        #[arg(long, value_name = "LIST", default_value = "")]
        participants: String,
        /// Who runs it (default: the assessment's assessor).
        #[arg(long, value_name = "P", default_value = "")]
        facilitator: String,
        /// What it covers: clauses or domains ("4, 5" or "A.5-A.8").
        #[arg(long, value_name = "T", default_value = "")]
        focus: String,
        /// The day it is held, YYYY-MM-DD (default: today).
        #[arg(long, value_parser = crate::model::plan::parse_date, value_name = "DATE")]
        date: Option<chrono::NaiveDate>,
    },
    /// End the open session.
    End {
        #[arg(long, short = 'a', value_name = "A")]
        assessment: String,
        /// Notes added to the session's notes.
        #[arg(long, value_name = "T")]
        notes: Option<String>,
    },
    /// List the sessions (of one assessment, or of all).
    List {
        #[arg(long, short = 'a', value_name = "A")]
        assessment: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The session report: attendees, what was covered, every answer set or changed, notes.
    Report {
        #[arg(long, short = 'a', value_name = "A")]
        assessment: String,
        /// The session's number or title (default: the last one).
        #[arg(long, value_name = "S")]
        session: Option<String>,
        /// md or html.
        #[arg(long, value_parser = ["md", "html"], default_value = "md")]
        format: String,
        /// The file to write ("-": standard output; default: standard output).
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Name or id; default: the only or the last opened assessment.
    #[arg(long, short = 'a', value_name = "A", global = true)]
    pub assessment: Option<String>,
    #[arg(long)]
    pub json: bool,
    #[command(subcommand)]
    pub set: Option<PlanCommand>,
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Change one step: status, owner, dates, note.
    #[command(group(
        clap::ArgGroup::new("change")
            .required(true)
            .multiple(true)
            .args(["status", "owner", "start", "due", "note"])
    ))]
    Set {
        /// The step number (1-26).
        #[arg(long, value_name = "N")]
        step: u32,
        /// todo, in_progress, done, blocked or skipped (blocked and skipped need --reason).
        #[arg(long, value_parser = parse_status, value_name = "S")]
        status: Option<crate::model::plan::StepStatus>,
        /// Why the step is blocked or skipped.
        #[arg(long, value_name = "T", default_value = "")]
        reason: String,
        #[arg(long, value_name = "P")]
        owner: Option<String>,
        /// Start date, YYYY-MM-DD ("" clears it).
        #[arg(long, value_parser = parse_optional_date, value_name = "DATE")]
        start: Option<DateOrEmpty>,
        /// Due date, YYYY-MM-DD ("" clears it).
        #[arg(long, value_parser = parse_optional_date, value_name = "DATE")]
        due: Option<DateOrEmpty>,
        #[arg(long, value_name = "T")]
        note: Option<String>,
    },
}

fn parse_status(text: &str) -> Result<crate::model::plan::StepStatus, String> {
    crate::model::plan::StepStatus::parse(text).ok_or_else(|| {
        format!("\"{text}\" is not a status: use todo, in_progress, done, blocked or skipped")
    })
}

/// A date given on the command line, or "" to clear it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateOrEmpty(pub Option<chrono::NaiveDate>);

fn parse_optional_date(text: &str) -> Result<DateOrEmpty, String> {
    if text.trim().is_empty() {
        Ok(DateOrEmpty(None))
    } else {
        crate::model::plan::parse_date(text).map(|date| DateOrEmpty(Some(date)))
    }
}

#[derive(Debug, Args)]
pub struct SoaArgs {
    /// Name or id; default: the only or the last opened assessment.
    #[arg(long, short = 'a', value_name = "A")]
    pub assessment: Option<String>,
    #[arg(long, conflicts_with_all = ["csv", "check"])]
    pub json: bool,
    #[arg(long, conflicts_with = "check")]
    pub csv: bool,
    /// List what an auditor would flag; exit 1 when anything is flagged.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Name or id; default: the only or the last opened assessment.
    #[arg(long, short = 'a', value_name = "A")]
    pub assessment: Option<String>,
    #[arg(long, value_enum)]
    pub format: FormatArg,
    /// The file to write (default: NAME-DATE.EXT in the current folder; "-" writes to stdout).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
    /// JSON only: include the history of every change.
    #[arg(long)]
    pub history: bool,
}

/// The formats `export --format` takes, in the order `--help` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Md,
    Html,
    Json,
    Csv,
    Xlsx,
}

impl From<FormatArg> for ExportFormat {
    fn from(format: FormatArg) -> ExportFormat {
        match format {
            FormatArg::Md => ExportFormat::Md,
            FormatArg::Html => ExportFormat::Html,
            FormatArg::Json => ExportFormat::Json,
            FormatArg::Csv => ExportFormat::Csv,
            FormatArg::Xlsx => ExportFormat::Xlsx,
        }
    }
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The assessment's name, usually the organisation's (unique in the file).
    #[arg(long)]
    pub name: String,
    /// The questionnaire id (see `isms-ready questionnaires`).
    #[arg(long, value_name = "ID")]
    pub standard: Option<String>,
    /// The scope of the ISMS being assessed.
    #[arg(long, default_value = "")]
    pub scope: String,
    /// Who runs the assessment.
    #[arg(long, default_value = "")]
    pub assessor: String,
}

#[derive(Debug, Args)]
pub struct QuestionnairesArgs {
    #[arg(long)]
    pub json: bool,
    #[command(subcommand)]
    pub show: Option<QuestionnaireCommand>,
}

#[derive(Debug, Subcommand)]
pub enum QuestionnaireCommand {
    /// List the items of one questionnaire.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
#[command(group(
    clap::ArgGroup::new("change")
        .required(true)
        .multiple(true)
        .args(["level", "clear", "note", "exclude", "include", "evidence", "owner", "risks"])
))]
pub struct AnswerArgs {
    /// Name or id of the assessment.
    #[arg(long, short = 'a', value_name = "A")]
    pub assessment: String,
    /// The item number.
    #[arg(long, value_name = "N")]
    pub item: u32,
    /// The level: 0 Absent, 1 Planned, 2 Implemented, 3 Checked, 4 Improving.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=4), conflicts_with = "clear")]
    pub level: Option<u8>,
    /// Remove the level (the item becomes unanswered).
    #[arg(long)]
    pub clear: bool,
    /// Replace the note.
    #[arg(long, value_name = "T")]
    pub note: Option<String>,
    /// Exclude an Annex A control, with the justification (refused for clauses 4-10).
    #[arg(long, value_name = "JUSTIFICATION", conflicts_with = "include")]
    pub exclude: Option<String>,
    /// Include an Annex A control for these reasons (comma-separated: risk_treatment,
    /// legal_regulatory, contractual, business_requirement, good_practice).
    #[arg(long, value_name = "REASONS", value_delimiter = ',', value_parser = parse_reason)]
    pub include: Option<Vec<crate::model::ReasonCode>>,
    /// The justification text that goes with --include.
    #[arg(long, value_name = "T", requires = "include", default_value = "")]
    pub justification: String,
    /// The evidence reference (document, record, ticket).
    #[arg(long, value_name = "T")]
    pub evidence: Option<String>,
    /// Who owns the item.
    #[arg(long, value_name = "P")]
    pub owner: Option<String>,
    /// Annex A only: the risks the control treats (free text, e.g. "R-12, R-31").
    #[arg(long, value_name = "T")]
    pub risks: Option<String>,
}

fn parse_reason(text: &str) -> Result<crate::model::ReasonCode, String> {
    crate::model::ReasonCode::parse(text).ok_or_else(|| {
        format!("\"{text}\" is not a reason: use risk_treatment, legal_regulatory, contractual, business_requirement or good_practice")
    })
}
