//! The arguments of the register nouns (`context`, `parties`, `risks`, `objectives`).

use super::*;
use crate::model::audit::{
    AuditStatus, AuditType, Classification, Effective, FindingType, NcSource, NcStatus,
};

// ----- The registers (issue 17) -----

use crate::model::registers::{ObjectiveStatus, Side, Swot, Treatment};

/// One register noun: `--assessment`, then `add`, `list`, `set ID` or `remove ID`.
#[derive(Debug, Args)]
pub struct RegisterArgs<C: Subcommand> {
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
    pub command: C,
}

/// What every register noun can do, with that register's fields.
#[derive(Debug, Subcommand)]
pub enum RegisterCommand<Add: Args, Set: Args> {
    /// Add an entry (its id is given on output).
    Add(Add),
    /// List the entries, in priority order where there is one.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Change fields of one entry.
    Set(Set),
    /// Remove one entry (kept in the history).
    Remove {
        /// The entry's id (e.g. R-3, or 3).
        id: String,
    },
}

pub type ContextCommand = RegisterCommand<ContextAdd, ContextSet>;
pub type PartiesCommand = RegisterCommand<PartyAdd, PartySet>;
pub type RisksCommand = RegisterCommand<RiskAdd, RiskSet>;
pub type ObjectivesCommand = RegisterCommand<ObjectiveAdd, ObjectiveSet>;

fn parse_side(text: &str) -> Result<Side, String> {
    Side::parse(text).ok_or_else(|| format!("\"{text}\" is not a kind: use internal or external"))
}

fn parse_swot(text: &str) -> Result<OrEmpty<Swot>, String> {
    if text.trim().is_empty() {
        return Ok(OrEmpty(None));
    }
    Swot::parse(text).map(|s| OrEmpty(Some(s))).ok_or_else(|| {
        format!("\"{text}\" is not a SWOT quadrant: use strength, weakness, opportunity or threat")
    })
}

fn parse_treatment(text: &str) -> Result<OrEmpty<Treatment>, String> {
    if text.trim().is_empty() {
        return Ok(OrEmpty(None));
    }
    Treatment::parse(text)
        .map(|t| OrEmpty(Some(t)))
        .ok_or_else(|| {
            format!("\"{text}\" is not a treatment: use mitigate, accept, avoid or transfer")
        })
}

fn parse_treatment_code(text: &str) -> Result<Treatment, String> {
    Treatment::parse(text).ok_or_else(|| {
        format!("\"{text}\" is not a treatment: use mitigate, accept, avoid or transfer")
    })
}

fn parse_objective_status(text: &str) -> Result<ObjectiveStatus, String> {
    ObjectiveStatus::parse(text).ok_or_else(|| {
        format!("\"{text}\" is not a status: use planned, in_progress, achieved or missed")
    })
}

fn parse_rating_3(text: &str) -> Result<u8, String> {
    match text.trim().parse::<u8>() {
        Ok(n @ 1..=3) => Ok(n),
        _ => Err(format!("\"{text}\" is not a rating: use 1, 2 or 3")),
    }
}

fn parse_rating_5(text: &str) -> Result<u8, String> {
    match text.trim().parse::<u8>() {
        Ok(n @ 1..=5) => Ok(n),
        _ => Err(format!("\"{text}\" is not a rating: use 1 to 5")),
    }
}

/// A rating of 1-5, or "" to clear it.
fn parse_optional_rating_5(text: &str) -> Result<OrEmpty<u8>, String> {
    if text.trim().is_empty() {
        Ok(OrEmpty(None))
    } else {
        parse_rating_5(text).map(|n| OrEmpty(Some(n)))
    }
}

/// A value given on the command line, or "" to clear it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrEmpty<T>(pub Option<T>);

#[derive(Debug, Clone, Default, Args)]
pub struct ContextMore {
    /// PESTEL for external issues (political, economic, social, technological, environmental,
    /// legal); for internal ones e.g. culture, structure, resources, systems, skills.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub category: Option<String>,
    /// strength, weakness, opportunity or threat ("" clears it).
    #[arg(long, value_parser = parse_swot, value_name = "Q")]
    pub swot: Option<OrEmpty<Swot>>,
    #[arg(long, value_name = "P", allow_hyphen_values = true)]
    pub owner: Option<String>,
    /// Risks the issue gives rise to (free text, e.g. "R-2, R-5").
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub risks: Option<String>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ContextAdd {
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub title: String,
    /// internal or external.
    #[arg(long, value_parser = parse_side, value_name = "K")]
    pub kind: Side,
    /// 1 (low) to 3 (high).
    #[arg(long, value_parser = parse_rating_3, value_name = "1-3")]
    pub influence: u8,
    /// How far the organisation controls it: 1 (hardly) to 3 (fully).
    #[arg(long, value_parser = parse_rating_3, value_name = "1-3")]
    pub control: u8,
    #[command(flatten)]
    pub more: ContextMore,
}

#[derive(Debug, Clone, Args)]
pub struct ContextSet {
    /// The id (C-1, or 1).
    pub id: String,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub title: Option<String>,
    #[arg(long, value_parser = parse_side, value_name = "K")]
    pub kind: Option<Side>,
    #[arg(long, value_parser = parse_rating_3, value_name = "1-3")]
    pub influence: Option<u8>,
    #[arg(long, value_parser = parse_rating_3, value_name = "1-3")]
    pub control: Option<u8>,
    #[command(flatten)]
    pub more: ContextMore,
}

#[derive(Debug, Clone, Default, Args)]
pub struct PartyMore {
    /// Which of their needs the ISMS addresses.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub addressed: Option<String>,
    /// Contact person or owner of the relationship.
    #[arg(long, value_name = "P", allow_hyphen_values = true)]
    pub contact: Option<String>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct PartyAdd {
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub name: String,
    /// internal or external (default external).
    #[arg(long, value_parser = parse_side, value_name = "K", default_value = "external")]
    pub kind: Side,
    /// Their needs and expectations.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub needs: String,
    #[arg(long, value_parser = parse_rating_3, value_name = "1-3")]
    pub influence: u8,
    #[arg(long, value_parser = parse_rating_3, value_name = "1-3")]
    pub control: u8,
    #[command(flatten)]
    pub more: PartyMore,
}

#[derive(Debug, Clone, Args)]
pub struct PartySet {
    /// The party's id (P-1, or 1).
    pub id: String,
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub name: Option<String>,
    #[arg(long, value_parser = parse_side, value_name = "K")]
    pub kind: Option<Side>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub needs: Option<String>,
    #[arg(long, value_parser = parse_rating_3, value_name = "1-3")]
    pub influence: Option<u8>,
    #[arg(long, value_parser = parse_rating_3, value_name = "1-3")]
    pub control: Option<u8>,
    #[command(flatten)]
    pub more: PartyMore,
}

#[derive(Debug, Clone, Default, Args)]
pub struct RiskMore {
    /// The asset or process at risk.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub asset: Option<String>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub threat: Option<String>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub vulnerability: Option<String>,
    /// Annex A controls that treat it, comma-separated (A.8.8,A.8.13; "" removes every link).
    #[arg(long, value_name = "REFS", allow_hyphen_values = true)]
    pub controls: Option<String>,
    /// 1-5 after treatment ("" clears it).
    #[arg(long, value_parser = parse_optional_rating_5, value_name = "1-5")]
    pub residual_likelihood: Option<OrEmpty<u8>>,
    /// 1-5 after treatment ("" clears it).
    #[arg(long, value_parser = parse_optional_rating_5, value_name = "1-5")]
    pub residual_impact: Option<OrEmpty<u8>>,
    /// The day the owner accepted the residual risk, YYYY-MM-DD ("" clears it).
    #[arg(long, value_parser = parse_optional_date, value_name = "DATE")]
    pub accepted_on: Option<DateOrEmpty>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct RiskAdd {
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub title: String,
    #[arg(long, value_parser = parse_rating_5, value_name = "1-5")]
    pub likelihood: u8,
    #[arg(long, value_parser = parse_rating_5, value_name = "1-5")]
    pub impact: u8,
    #[arg(long, value_name = "P", allow_hyphen_values = true)]
    pub owner: String,
    /// mitigate, accept, avoid or transfer.
    #[arg(long, value_parser = parse_treatment_code, value_name = "T")]
    pub treatment: Option<Treatment>,
    #[command(flatten)]
    pub more: RiskMore,
}

#[derive(Debug, Clone, Args)]
pub struct RiskSet {
    /// The risk's id (R-1, or 1).
    pub id: String,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub title: Option<String>,
    #[arg(long, value_parser = parse_rating_5, value_name = "1-5")]
    pub likelihood: Option<u8>,
    #[arg(long, value_parser = parse_rating_5, value_name = "1-5")]
    pub impact: Option<u8>,
    #[arg(long, value_name = "P", allow_hyphen_values = true)]
    pub owner: Option<String>,
    /// mitigate, accept, avoid or transfer ("" clears it).
    #[arg(long, value_parser = parse_treatment, value_name = "T")]
    pub treatment: Option<OrEmpty<Treatment>>,
    #[command(flatten)]
    pub more: RiskMore,
}

#[derive(Debug, Clone, Default, Args)]
pub struct ObjectiveMore {
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub resources: Option<String>,
    /// How results are evaluated.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub evaluation: Option<String>,
    /// planned, in_progress, achieved or missed.
    #[arg(long, value_parser = parse_objective_status, value_name = "S")]
    pub status: Option<ObjectiveStatus>,
    /// The last time management reviewed its progress, YYYY-MM-DD ("" clears it).
    #[arg(long, value_parser = parse_optional_date, value_name = "DATE")]
    pub reviewed_on: Option<DateOrEmpty>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ObjectiveAdd {
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub objective: String,
    /// The measure or indicator.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub measure: String,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub target: String,
    #[arg(long, value_name = "P", allow_hyphen_values = true)]
    pub owner: String,
    /// YYYY-MM-DD.
    #[arg(long, value_parser = crate::model::plan::parse_date, value_name = "DATE")]
    pub due: chrono::NaiveDate,
    #[command(flatten)]
    pub more: ObjectiveMore,
}

#[derive(Debug, Clone, Args)]
pub struct ObjectiveSet {
    /// The objective's id (O-1, or 1).
    pub id: String,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub objective: Option<String>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub measure: Option<String>,
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub target: Option<String>,
    #[arg(long, value_name = "P", allow_hyphen_values = true)]
    pub owner: Option<String>,
    /// YYYY-MM-DD ("" clears it).
    #[arg(long, value_parser = parse_optional_date, value_name = "DATE")]
    pub due: Option<DateOrEmpty>,
    #[command(flatten)]
    pub more: ObjectiveMore,
}

/// A register command's field flags as the register spec reads them: `(field name, its text)`,
/// `None` where the flag is not given (see `model::register_spec`).
pub trait FieldArgs {
    fn texts(self) -> Vec<(&'static str, Option<String>)>;
}

/// `set ID --field ...`: the entry's id and its field flags.
pub trait SetArgs: FieldArgs {
    fn id(&self) -> &str;
}

/// A flag's value as the text of its register field (a choice's code, `-` or "" for none).
pub trait FieldText {
    fn text(self) -> String;
}

impl FieldText for String {
    fn text(self) -> String {
        self
    }
}

impl FieldText for u8 {
    fn text(self) -> String {
        self.to_string()
    }
}

impl FieldText for chrono::NaiveDate {
    fn text(self) -> String {
        self.to_string()
    }
}

impl FieldText for DateOrEmpty {
    fn text(self) -> String {
        self.0.map_or_else(String::new, |d| d.to_string())
    }
}

impl FieldText for OrEmpty<u8> {
    fn text(self) -> String {
        self.0.map_or_else(|| "-".to_string(), |n| n.to_string())
    }
}

macro_rules! coded_field_text {
    ($($t:ty),*) => {
        $(
            impl FieldText for $t {
                fn text(self) -> String {
                    self.code().to_string()
                }
            }
            impl FieldText for OrEmpty<$t> {
                fn text(self) -> String {
                    self.0.map_or("-", |v| v.code()).to_string()
                }
            }
        )*
    };
}
coded_field_text!(
    Side,
    Swot,
    Treatment,
    ObjectiveStatus,
    AuditType,
    AuditStatus,
    FindingType,
    NcSource,
    Classification,
    NcStatus,
    Effective
);

/// `(name, text)` of a flag given or not.
pub(crate) fn flag<T: FieldText>(
    name: &'static str,
    value: Option<T>,
) -> (&'static str, Option<String>) {
    (name, value.map(FieldText::text))
}

/// The `FieldArgs` of a flag struct: each listed field under its own name, then the flattened
/// `more` flags; `required` fields are always given.
macro_rules! field_args {
    ($t:ty, [$($required:ident),*], [$($optional:ident),*] $(, $more:ident)?) => {
        impl FieldArgs for $t {
            #[allow(unused_mut)]
            fn texts(self) -> Vec<(&'static str, Option<String>)> {
                let mut texts = vec![
                    $(flag(stringify!($required), Some(self.$required)),)*
                    $(flag(stringify!($optional), self.$optional),)*
                ];
                $(texts.extend(self.$more.texts());)?
                texts
            }
        }
    };
}

macro_rules! set_args {
    ($($t:ty),*) => {
        $(
            impl SetArgs for $t {
                fn id(&self) -> &str {
                    &self.id
                }
            }
        )*
    };
}

field_args!(ContextMore, [], [category, swot, owner, risks, note]);
field_args!(ContextAdd, [title, kind, influence, control], [], more);
field_args!(ContextSet, [], [title, kind, influence, control], more);
field_args!(PartyMore, [], [addressed, contact, note]);
field_args!(PartyAdd, [name, kind, needs, influence, control], [], more);
field_args!(PartySet, [], [name, kind, needs, influence, control], more);
field_args!(
    RiskMore,
    [],
    [
        asset,
        threat,
        vulnerability,
        controls,
        residual_likelihood,
        residual_impact,
        accepted_on,
        note
    ]
);
field_args!(
    RiskAdd,
    [title, likelihood, impact, owner],
    [treatment],
    more
);
field_args!(
    RiskSet,
    [],
    [title, likelihood, impact, owner, treatment],
    more
);
field_args!(
    ObjectiveMore,
    [],
    [resources, evaluation, status, reviewed_on, note]
);
field_args!(
    ObjectiveAdd,
    [objective, measure, target, owner, due],
    [],
    more
);
field_args!(
    ObjectiveSet,
    [],
    [objective, measure, target, owner, due],
    more
);
set_args!(ContextSet, PartySet, RiskSet, ObjectiveSet);
