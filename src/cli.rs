//! The command line, as clap definitions only. The commands themselves live in `commands.rs`.

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
    /// Readiness, gap, coverage and PDCA status per clause and overall.
    Summary {
        /// Name or id; default: the only or the last opened assessment.
        #[arg(long, short = 'a', value_name = "A")]
        assessment: Option<String>,
        #[arg(long)]
        json: bool,
    },
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
        .args(["level", "clear", "note", "exclude"])
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
    #[arg(long, value_name = "JUSTIFICATION")]
    pub exclude: Option<String>,
}
