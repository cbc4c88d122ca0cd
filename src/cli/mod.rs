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
    #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
    pub assessment: Option<String>,

    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

#[derive(Debug, Subcommand)]
pub enum CliCommand {
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
    /// The context issues register (4.1): add, list, set, remove.
    Context(RegisterArgs<ContextCommand>),
    /// The interested parties register (4.2): add, list, set, remove.
    Parties(RegisterArgs<PartiesCommand>),
    /// The risk register (6.1.2, 8.2): add, list, set, remove; linked controls feed the SoA.
    Risks(RegisterArgs<RisksCommand>),
    /// The information security objectives (6.2): add, list, set, remove.
    Objectives(RegisterArgs<ObjectivesCommand>),
    /// Audits (9.2 internal audits, pre-audits, certification stages): add, list, set, remove,
    /// and the audit programme.
    Audit(RegisterArgs<AuditCommand>),
    /// Findings of an audit: add (a major or minor one opens a nonconformity), list, set, remove.
    Finding(RegisterArgs<FindingCommand>),
    /// Nonconformities (10.2), followed to their verified closure: add, list, set, remove.
    Nc(RegisterArgs<NcCommand>),
    /// Management reviews (9.3): add, list, set, remove.
    Review(RegisterArgs<ReviewCommand>),
    /// Write the readiness summary or the whole assessment to a file (md, html, json, csv, xlsx,
    /// docx) or a folder (ciso-assistant).
    Export(ExportArgs),
    /// Read an assessment exported as JSON, or an audit exported from CISO Assistant, into a new assessment.
    Import {
        /// The JSON file written by `export --format json`, or CISO Assistant's XLSX or CSV export of an ISO/IEC 27001 audit.
        file: PathBuf,
        /// The new assessment's name (default: the name in the file; for a CISO Assistant audit, the file's name).
        #[arg(long = "as", value_name = "NAME", allow_hyphen_values = true)]
        name: Option<String>,
    },
    /// Carry an assessment over to another edition (2013 -> 2022) as a new assessment.
    Migrate {
        #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
        assessment: String,
        /// The questionnaire to carry it to.
        #[arg(long, value_name = "ID", default_value = "iso27001-2022")]
        to: String,
        /// The new assessment's name (default: the old name with the new edition's year).
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        name: Option<String>,
    },
    /// Readiness, gap, coverage and PDCA status per clause and overall.
    Summary {
        /// Name or id; default: the only or the last opened assessment.
        #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
        assessment: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Rename an assessment.
    Rename {
        #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
        assessment: String,
        /// The new name (refused when empty or taken).
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        name: String,
    },
    /// Change the name, scope, assessor or firm of an assessment.
    Edit {
        #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
        assessment: String,
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        name: Option<String>,
        #[arg(long, value_name = "S", allow_hyphen_values = true)]
        scope: Option<String>,
        #[arg(long, value_name = "P", allow_hyphen_values = true)]
        assessor: Option<String>,
        /// The assessor's consultancy, named on the report's cover ("" clears it).
        #[arg(long, value_name = "F", allow_hyphen_values = true)]
        firm: Option<String>,
    },
    /// Workshop sessions: start, end, list, report.
    #[command(subcommand)]
    Session(SessionCommand),
    /// Every change of an assessment, newest first: when, session, field, old -> new.
    History {
        #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
        assessment: String,
        /// Only this item's changes.
        #[arg(long, value_name = "N")]
        item: Option<u32>,
        /// Only the changes of this session (number or title).
        #[arg(long, value_name = "S", allow_hyphen_values = true)]
        session: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Undo the last answer change (itself recorded as a change) and say what it undid.
    Undo {
        #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
        assessment: String,
    },
    /// Readiness then and now per clause and domain, and the items that moved.
    #[command(group(clap::ArgGroup::new("point").required(true).args(["since", "with"])))]
    Compare {
        #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
        assessment: String,
        /// A session (number or title: the state before it began) or a date YYYY-MM-DD (its start).
        #[arg(long, value_name = "SESSION|DATE", allow_hyphen_values = true)]
        since: Option<String>,
        /// Another assessment of the same questionnaire, or the 2013 baseline of a 2022 one.
        #[arg(long, value_name = "B", allow_hyphen_values = true)]
        with: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete an assessment; its JSON document is first written beside the database.
    Delete {
        #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
        assessment: String,
        /// Confirm the deletion (required).
        #[arg(long)]
        yes: bool,
    },
    /// Actions that remedy gaps: add, list (with the roadmap), set, remove.
    Action(ActionArgs),
    /// The audit-readiness verdict: stage 1 and stage 2, each with its blockers.
    Verdict {
        /// Name or id; default: the only or the last opened assessment.
        #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
        assessment: Option<String>,
        #[arg(long, conflicts_with = "check")]
        json: bool,
        /// Exit 1 when stage 1 is not ready (the blockers on stderr's line count).
        #[arg(long)]
        check: bool,
    },
    /// Bring another copy's changes into an assessment (a JSON export with history, or another
    /// isms-ready database); a field changed differently on both sides becomes a conflict.
    Merge(MergeArgs),
    /// Write a group's part of an assessment (some items, with their history) to hand over; it
    /// merges back with `merge`.
    Split {
        #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
        assessment: String,
        /// The items of the part: N-M (or N).
        #[arg(long, value_name = "N-M")]
        items: String,
        /// The file to write.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub struct ActionArgs {
    /// Name or id; default: the only or the last opened assessment.
    #[arg(
        long,
        short = 'a',
        value_name = "A",
        global = true,
        allow_hyphen_values = true
    )]
    pub assessment: Option<String>,
    #[command(subcommand)]
    pub command: ActionCommand,
}

#[derive(Debug, Subcommand)]
pub enum ActionCommand {
    /// Add an action to one or more items.
    Add {
        /// The item numbers it remedies (comma-separated).
        #[arg(long, value_name = "N[,N...]", value_delimiter = ',', required = true)]
        item: Vec<u32>,
        #[arg(long, value_name = "T", allow_hyphen_values = true)]
        title: String,
        #[arg(long, value_name = "P", default_value = "", allow_hyphen_values = true)]
        owner: String,
        /// Due date, YYYY-MM-DD.
        #[arg(long, value_parser = parse_date_arg, value_name = "DATE")]
        due: Option<chrono::NaiveDate>,
        /// XS, S, M, L or XL.
        #[arg(long, value_parser = parse_effort, value_name = "E")]
        effort: Option<crate::model::action::Effort>,
        /// 1 (highest) to 4; default 2.
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4), value_name = "1-4", default_value_t = crate::model::action::DEFAULT_PRIORITY)]
        priority: u8,
        /// The plan step it serves (1-26).
        #[arg(long, value_name = "S")]
        step: Option<u32>,
        #[arg(long, value_name = "T", default_value = "", allow_hyphen_values = true)]
        description: String,
        #[arg(long, value_name = "T", default_value = "", allow_hyphen_values = true)]
        note: String,
    },
    /// List the actions (roadmap order by horizon), or print them as JSON or CSV.
    List {
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// One row per action (RFC 4180, UTF-8).
        #[arg(long)]
        csv: bool,
    },
    /// Change an action (ID: its number, as `action list` shows it).
    #[command(group(
        clap::ArgGroup::new("change")
            .required(true)
            .multiple(true)
            .args(["status", "owner", "due", "effort", "priority", "step", "title", "description", "note", "item"])
    ))]
    Set {
        #[arg(value_name = "ID")]
        id: u32,
        /// todo, in_progress, on_hold, done or dropped (done records today as the done date).
        #[arg(long, value_parser = parse_action_status, value_name = "S")]
        status: Option<crate::model::action::ActionStatus>,
        #[arg(long, value_name = "P", allow_hyphen_values = true)]
        owner: Option<String>,
        /// Due date, YYYY-MM-DD ("" clears it).
        #[arg(long, value_parser = parse_optional_date, value_name = "DATE")]
        due: Option<DateOrEmpty>,
        /// XS, S, M, L or XL ("" clears it).
        #[arg(long, value_parser = parse_optional_effort, value_name = "E")]
        effort: Option<OptionalEffort>,
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4), value_name = "1-4")]
        priority: Option<u8>,
        /// The plan step (0 clears it).
        #[arg(long, value_name = "S")]
        step: Option<u32>,
        #[arg(long, value_name = "T", allow_hyphen_values = true)]
        title: Option<String>,
        #[arg(long, value_name = "T", allow_hyphen_values = true)]
        description: Option<String>,
        #[arg(long, value_name = "T", allow_hyphen_values = true)]
        note: Option<String>,
        /// Replace the items it remedies (comma-separated).
        #[arg(long, value_name = "N[,N...]", value_delimiter = ',')]
        item: Option<Vec<u32>>,
    },
    /// Remove an action (its history stays).
    Remove {
        #[arg(value_name = "ID")]
        id: u32,
    },
}

fn parse_date_arg(text: &str) -> Result<chrono::NaiveDate, String> {
    crate::model::plan::parse_date(text)
}

fn parse_effort(text: &str) -> Result<crate::model::action::Effort, String> {
    crate::model::action::Effort::parse(text)
        .ok_or_else(|| format!("\"{text}\" is not an effort: use XS, S, M, L or XL"))
}

/// An effort given on the command line, or "" to clear it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionalEffort(pub Option<crate::model::action::Effort>);

fn parse_optional_effort(text: &str) -> Result<OptionalEffort, String> {
    if text.trim().is_empty() {
        Ok(OptionalEffort(None))
    } else {
        parse_effort(text).map(|e| OptionalEffort(Some(e)))
    }
}

fn parse_action_status(text: &str) -> Result<crate::model::action::ActionStatus, String> {
    crate::model::action::ActionStatus::parse(text).ok_or_else(|| {
        format!("\"{text}\" is not a status: use todo, in_progress, on_hold, done or dropped")
    })
}

/// `isms-ready session start|end|list|report`.
#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Open a workshop session: every change until `session end` is stamped with it.
    Start {
        #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
        assessment: String,
        #[arg(long, value_name = "T", allow_hyphen_values = true)]
        title: String,
        /// "Name (role), Name (role), ..."
        #[arg(
            long,
            value_name = "LIST",
            default_value = "",
            allow_hyphen_values = true
        )]
        participants: String,
        /// Who runs it (default: the assessment's assessor).
        #[arg(long, value_name = "P", default_value = "", allow_hyphen_values = true)]
        facilitator: String,
        /// What it covers: clauses or domains ("4, 5" or "A.5-A.8").
        #[arg(long, value_name = "T", default_value = "", allow_hyphen_values = true)]
        focus: String,
        /// The day it is held, YYYY-MM-DD (default: today).
        #[arg(long, value_parser = crate::model::plan::parse_date, value_name = "DATE")]
        date: Option<chrono::NaiveDate>,
    },
    /// End the open session.
    End {
        #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
        assessment: String,
        /// Notes added to the session's notes.
        #[arg(long, value_name = "T", allow_hyphen_values = true)]
        notes: Option<String>,
    },
    /// List the sessions (of one assessment, or of all).
    List {
        #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
        assessment: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The session report: attendees, what was covered, every answer set or changed, notes.
    Report {
        #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
        assessment: String,
        /// The session's number or title (default: the last one).
        #[arg(long, value_name = "S", allow_hyphen_values = true)]
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
    #[arg(
        long,
        short = 'a',
        value_name = "A",
        global = true,
        allow_hyphen_values = true
    )]
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
        #[arg(long, value_name = "T", default_value = "", allow_hyphen_values = true)]
        reason: String,
        #[arg(long, value_name = "P", allow_hyphen_values = true)]
        owner: Option<String>,
        /// Start date, YYYY-MM-DD ("" clears it).
        #[arg(long, value_parser = parse_optional_date, value_name = "DATE")]
        start: Option<DateOrEmpty>,
        /// Due date, YYYY-MM-DD ("" clears it).
        #[arg(long, value_parser = parse_optional_date, value_name = "DATE")]
        due: Option<DateOrEmpty>,
        #[arg(long, value_name = "T", allow_hyphen_values = true)]
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
    #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
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
    #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
    pub assessment: Option<String>,
    #[arg(long, value_enum)]
    pub format: FormatArg,
    /// The file to write (default: NAME-DATE.EXT in the current folder; "-" writes to stdout).
    /// For ciso-assistant, the folder to write (default: NAME-DATE-ciso-assistant).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
    /// JSON only: include the history of every change.
    #[arg(long)]
    pub history: bool,
    /// Reports (HTML, Markdown, DOCX, XLSX): "summary" (the deliverable) or "full" (with the
    /// appendix of every item, unassessed ones included).
    #[arg(long, value_enum, default_value = "summary")]
    pub detail: DetailArg,
    /// CSV only: start with a UTF-8 byte order mark so Excel shows accents right.
    #[arg(long)]
    pub excel: bool,
    /// HTML, DOCX or Markdown: the report of this audit (AUD-n) instead of the readiness report.
    #[arg(
        long,
        value_name = "ID",
        allow_hyphen_values = true,
        conflicts_with_all = ["history", "detail", "excel"]
    )]
    pub audit: Option<String>,
}

/// How much a report lists (`export --detail`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DetailArg {
    Summary,
    Full,
}

impl From<DetailArg> for crate::export::report::Detail {
    fn from(detail: DetailArg) -> Self {
        match detail {
            DetailArg::Summary => crate::export::report::Detail::Summary,
            DetailArg::Full => crate::export::report::Detail::Full,
        }
    }
}

/// The formats `export --format` takes, in the order `--help` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Md,
    Html,
    Json,
    Csv,
    Xlsx,
    /// Word document of the report, editable (headings, tables, charts as pictures).
    Docx,
    /// A folder for CISO Assistant's import: the audit, the actions and the risks as XLSX, a risk-matrix library and a README.
    CisoAssistant,
}

impl From<FormatArg> for ExportFormat {
    fn from(format: FormatArg) -> ExportFormat {
        match format {
            FormatArg::Md => ExportFormat::Md,
            FormatArg::Html => ExportFormat::Html,
            FormatArg::Json => ExportFormat::Json,
            FormatArg::Csv => ExportFormat::Csv,
            FormatArg::Xlsx => ExportFormat::Xlsx,
            FormatArg::Docx => ExportFormat::Docx,
            FormatArg::CisoAssistant => ExportFormat::CisoAssistant,
        }
    }
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The assessment's name, usually the organisation's (unique in the file).
    #[arg(long, allow_hyphen_values = true)]
    pub name: String,
    /// The questionnaire id (see `isms-ready questionnaires`).
    #[arg(long, value_name = "ID")]
    pub standard: Option<String>,
    /// The scope of the ISMS being assessed.
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    pub scope: String,
    /// Who runs the assessment.
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    pub assessor: String,
    /// The assessor's consultancy, named on the report's cover (default: the firm of the file's
    /// newest assessment that has one).
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    pub firm: String,
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
    #[arg(long, short = 'a', value_name = "A", allow_hyphen_values = true)]
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
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub note: Option<String>,
    /// Exclude an Annex A control, with the justification (refused for clauses 4-10).
    #[arg(
        long,
        value_name = "JUSTIFICATION",
        conflicts_with = "include",
        allow_hyphen_values = true
    )]
    pub exclude: Option<String>,
    /// Include an Annex A control for these reasons (comma-separated: risk_treatment,
    /// legal_regulatory, contractual, business_requirement, good_practice).
    #[arg(long, value_name = "REASONS", value_delimiter = ',', value_parser = parse_reason)]
    pub include: Option<Vec<crate::model::ReasonCode>>,
    /// The justification text that goes with --include.
    #[arg(
        long,
        value_name = "T",
        requires = "include",
        default_value = "",
        allow_hyphen_values = true
    )]
    pub justification: String,
    /// The evidence reference (document, record, ticket).
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub evidence: Option<String>,
    /// Who owns the item.
    #[arg(long, value_name = "P", allow_hyphen_values = true)]
    pub owner: Option<String>,
    /// Annex A only: the risks the control treats (free text, e.g. "R-12, R-31").
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub risks: Option<String>,
}

fn parse_reason(text: &str) -> Result<crate::model::ReasonCode, String> {
    crate::model::ReasonCode::parse(text).ok_or_else(|| {
        format!("\"{text}\" is not a reason: use risk_treatment, legal_regulatory, contractual, business_requirement or good_practice")
    })
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct MergeArgs {
    /// Name or id; default: the only or the last opened assessment.
    #[arg(
        long,
        short = 'a',
        value_name = "A",
        global = true,
        allow_hyphen_values = true
    )]
    pub assessment: Option<String>,
    /// The other copy: a JSON document exported with --history, or an isms-ready database file.
    #[arg(value_name = "FILE", required = true)]
    pub file: Option<PathBuf>,
    /// Print what would happen; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub json: bool,
    /// Settle every conflict this merge finds at once.
    #[arg(long, value_enum, value_name = "SIDE")]
    pub take: Option<TakeArg>,
    /// A file of another assessment (another UUID): import it as a new assessment instead.
    #[arg(long)]
    pub as_new: bool,
    #[command(subcommand)]
    pub command: Option<MergeCommand>,
}

#[derive(Debug, Subcommand)]
pub enum MergeCommand {
    /// Settle one waiting conflict.
    Resolve {
        #[arg(long, value_name = "ID")]
        conflict: i64,
        #[arg(long, value_enum, value_name = "SIDE")]
        take: TakeArg,
    },
    /// The conflicts waiting.
    Conflicts {
        #[arg(long)]
        json: bool,
    },
}

/// Which side a conflict takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TakeArg {
    Mine,
    Theirs,
    /// Both texts, mine first (free-text fields only).
    Both,
}

impl From<TakeArg> for crate::model::merge::Resolution {
    fn from(take: TakeArg) -> Self {
        match take {
            TakeArg::Mine => crate::model::merge::Resolution::Mine,
            TakeArg::Theirs => crate::model::merge::Resolution::Theirs,
            TakeArg::Both => crate::model::merge::Resolution::Both,
        }
    }
}

// The register nouns' arguments (issue 17), then those of the audit records (issue 30), which
// use the register macros.
#[macro_use]
mod registers;
mod audit;
pub use audit::*;
pub use registers::*;
