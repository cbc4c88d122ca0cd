//! The form that adds or edits one register entry: one row per field, text fields typed into,
//! choice fields cycled with Left/Right. It turns its fields into an entry (or says why it
//! cannot), and back.

use crate::model::plan::parse_date;
use crate::model::registers::{
    ContextIssue, EXTERNAL_CATEGORIES, INFLUENCE_SCALE, INTERNAL_CATEGORIES, InterestedParty,
    Objective, ObjectiveStatus, RISK_SCALE, RegisterKind, Risk, Side, Swot, Treatment,
};
use ratatui_textarea::TextArea;

/// One entry of any register, as the app saves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryValue {
    Context(ContextIssue),
    Party(InterestedParty),
    Risk(Risk),
    Objective(Objective),
}

impl EntryValue {
    pub fn kind(&self) -> RegisterKind {
        match self {
            EntryValue::Context(_) => RegisterKind::Context,
            EntryValue::Party(_) => RegisterKind::Parties,
            EntryValue::Risk(_) => RegisterKind::Risks,
            EntryValue::Objective(_) => RegisterKind::Objectives,
        }
    }

    /// The entry's title, name or objective.
    pub fn label(&self) -> &str {
        match self {
            EntryValue::Context(e) => &e.title,
            EntryValue::Party(e) => &e.name,
            EntryValue::Risk(e) => &e.title,
            EntryValue::Objective(e) => &e.objective,
        }
    }
}

pub enum FieldValue {
    Text(Box<TextArea<'static>>),
    Choice {
        options: &'static [&'static str],
        index: usize,
    },
}

pub struct Field {
    pub label: &'static str,
    pub value: FieldValue,
    /// What to write there, shown beside the field while it has focus.
    pub hint: &'static str,
}

impl Field {
    pub fn text(&self) -> String {
        match &self.value {
            FieldValue::Text(area) => crate::text::for_field_line(&area.lines().join(" ")),
            FieldValue::Choice { options, index } => options[*index].to_string(),
        }
    }
}

pub struct EntryForm {
    pub kind: RegisterKind,
    /// The id of the entry edited; `None` for a new one.
    pub id: Option<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// The field texts as the form opened, to know whether anything changed.
    pub opened: Vec<String>,
}

// The choices come from the model's lists (issue 26: one definition of each register option).
const SIDES: &[&str] = &Side::CODES;
const RATING_3: &[&str] = ratings(INFLUENCE_SCALE);
const RATING_5: &[&str] = ratings(RISK_SCALE);
const OPTIONAL_5: &[&str] = &none_then::<{ RISK_SCALE as usize + 1 }>(RATING_5);
const SWOTS: &[&str] = &none_then::<{ Swot::CODES.len() + 1 }>(&Swot::CODES);
const TREATMENTS: &[&str] = &none_then::<{ Treatment::CODES.len() + 1 }>(&Treatment::CODES);
const STATUSES: &[&str] = &ObjectiveStatus::CODES;

/// The ratings 1 to `high`, as the form offers them.
const fn ratings(high: u8) -> &'static [&'static str] {
    const DIGITS: &[&str] = &["1", "2", "3", "4", "5", "6", "7", "8", "9"];
    DIGITS.split_at(high as usize).0
}

/// "-" (none chosen) followed by `codes`: the choices of an optional field.
const fn none_then<const N: usize>(codes: &[&'static str]) -> [&'static str; N] {
    assert!(N == codes.len() + 1);
    let mut out = ["-"; N];
    let mut i = 0;
    while i < codes.len() {
        out[i + 1] = codes[i];
        i += 1;
    }
    out
}

fn text(label: &'static str, value: &str, hint: &'static str) -> Field {
    Field {
        label,
        value: FieldValue::Text(Box::new(super::popups::single_line(value))),
        hint,
    }
}

fn choice(label: &'static str, options: &'static [&'static str], value: &str) -> Field {
    Field {
        label,
        value: FieldValue::Choice {
            options,
            index: options.iter().position(|o| *o == value).unwrap_or(0),
        },
        hint: "Left/Right to choose",
    }
}

fn digit(value: u8) -> String {
    value.to_string()
}

fn optional_digit(value: Option<u8>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

fn day(value: Option<chrono::NaiveDate>) -> String {
    value.map_or_else(String::new, |d| d.to_string())
}

impl EntryForm {
    /// A form for a new entry of `kind`, with the register's usual defaults.
    pub fn new(kind: RegisterKind) -> EntryForm {
        let entry = match kind {
            RegisterKind::Context => EntryValue::Context(ContextIssue::default()),
            RegisterKind::Parties => EntryValue::Party(InterestedParty::default()),
            RegisterKind::Risks => EntryValue::Risk(Risk::default()),
            RegisterKind::Objectives => EntryValue::Objective(Objective::default()),
        };
        EntryForm::of(None, &entry)
    }

    /// A form editing `entry` (`id` set), or filled in for a new one (`id` none).
    pub fn of(id: Option<String>, entry: &EntryValue) -> EntryForm {
        let fields = match entry {
            EntryValue::Context(e) => vec![
                text("Title", &e.title, "the issue, in a few words"),
                choice("Kind", SIDES, e.kind.code()),
                text(
                    "Category",
                    &e.category,
                    "external: political, economic, social, technological, environmental, legal; internal: culture, structure, resources, systems, skills",
                ),
                choice("SWOT", SWOTS, e.swot.map_or("-", |s| s.code())),
                choice("Influence", RATING_3, &digit(e.influence)),
                choice("Control", RATING_3, &digit(e.control)),
                text("Owner", &e.owner, "who follows it"),
                text("Linked risks", &e.risks, "e.g. R-2, R-5"),
                text("Note", &e.note, ""),
            ],
            EntryValue::Party(e) => vec![
                text("Name", &e.name, "a person, group or organisation"),
                choice("Kind", SIDES, e.kind.code()),
                text("Needs", &e.needs, "their needs and expectations"),
                text(
                    "Addressed",
                    &e.addressed,
                    "which of them the ISMS addresses",
                ),
                choice("Influence", RATING_3, &digit(e.influence)),
                choice("Control", RATING_3, &digit(e.control)),
                text(
                    "Contact",
                    &e.contact,
                    "contact person or owner of the relationship",
                ),
                text("Note", &e.note, ""),
            ],
            EntryValue::Risk(e) => vec![
                text("Title", &e.title, "the risk, in a few words"),
                text("Asset", &e.asset, "the asset or process at risk"),
                text("Threat", &e.threat, ""),
                text("Vulnerability", &e.vulnerability, ""),
                text("Owner", &e.owner, "who answers for the risk"),
                choice("Likelihood", RATING_5, &digit(e.likelihood)),
                choice("Impact", RATING_5, &digit(e.impact)),
                choice(
                    "Treatment",
                    TREATMENTS,
                    e.treatment.map_or("-", |t| t.code()),
                ),
                text(
                    "Controls",
                    &e.controls.join(", "),
                    "Annex A controls that treat it, e.g. A.8.8, A.8.13 (shown on the SoA)",
                ),
                choice(
                    "Residual L",
                    OPTIONAL_5,
                    &optional_digit(e.residual_likelihood),
                ),
                choice("Residual I", OPTIONAL_5, &optional_digit(e.residual_impact)),
                text(
                    "Accepted on",
                    &day(e.accepted_on),
                    "YYYY-MM-DD: the owner accepted the residual risk",
                ),
                text("Note", &e.note, ""),
            ],
            EntryValue::Objective(e) => vec![
                text("Objective", &e.objective, "what is to be achieved"),
                text("Measure", &e.measure, "the indicator"),
                text("Target", &e.target, ""),
                text("Owner", &e.owner, ""),
                text("Resources", &e.resources, ""),
                text("Due", &day(e.due), "YYYY-MM-DD"),
                text("Evaluation", &e.evaluation, "how results are evaluated"),
                choice("Status", STATUSES, e.status.code()),
                text("Note", &e.note, ""),
            ],
        };
        let opened = fields.iter().map(Field::text).collect();
        EntryForm {
            kind: entry.kind(),
            id,
            fields,
            focus: 0,
            opened,
        }
    }

    pub fn changed(&self) -> bool {
        self.fields.iter().map(Field::text).collect::<Vec<_>>() != self.opened
    }

    /// Whether the focused field takes typed text.
    pub fn typing(&self) -> bool {
        matches!(
            self.fields.get(self.focus).map(|f| &f.value),
            Some(FieldValue::Text(_))
        )
    }

    pub fn text_mut(&mut self) -> Option<&mut TextArea<'static>> {
        match self.fields.get_mut(self.focus).map(|f| &mut f.value) {
            Some(FieldValue::Text(area)) => Some(area),
            _ => None,
        }
    }

    pub fn next_field(&mut self, forward: bool) {
        let count = self.fields.len();
        self.focus = if forward {
            (self.focus + 1) % count
        } else {
            (self.focus + count - 1) % count
        };
    }

    /// Left/Right on a choice field.
    pub fn choose(&mut self, forward: bool) {
        if let Some(FieldValue::Choice { options, index }) =
            self.fields.get_mut(self.focus).map(|f| &mut f.value)
        {
            let count = options.len();
            *index = if forward {
                (*index + 1) % count
            } else {
                (*index + count - 1) % count
            };
        }
    }

    /// The field texts as one text, for a file when the entry cannot be saved.
    pub fn as_text(&self) -> String {
        self.fields
            .iter()
            .map(|f| format!("{}: {}", f.label, f.text()))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The category suggestions for a context issue of the kind chosen.
    pub fn categories(&self) -> &'static [&'static str] {
        match self.fields.get(1).map(Field::text).as_deref() {
            Some("external") => &EXTERNAL_CATEGORIES,
            _ => &INTERNAL_CATEGORIES,
        }
    }

    /// The entry the form holds, or why it cannot be saved.
    pub fn entry(&self) -> Result<EntryValue, String> {
        let v: Vec<String> = self.fields.iter().map(Field::text).collect();
        let n = |i: usize| v[i].parse::<u8>().unwrap_or(1);
        let opt_n = |i: usize| v[i].parse::<u8>().ok();
        let date = |i: usize, what: &str| -> Result<Option<chrono::NaiveDate>, String> {
            if v[i].trim().is_empty() {
                Ok(None)
            } else {
                parse_date(&v[i])
                    .map(Some)
                    .map_err(|e| format!("{what}: {e}"))
            }
        };
        let id = self.id.clone().unwrap_or_default();
        let entry = match self.kind {
            RegisterKind::Context => {
                let e = ContextIssue {
                    id,
                    title: v[0].trim().to_string(),
                    kind: Side::parse(&v[1]).unwrap_or_default(),
                    category: v[2].trim().to_string(),
                    swot: Swot::parse(&v[3]).filter(|_| v[3] != "-"),
                    influence: n(4),
                    control: n(5),
                    owner: v[6].trim().to_string(),
                    risks: v[7].trim().to_string(),
                    note: v[8].trim().to_string(),
                    uid: String::new(),
                };
                e.check()?;
                EntryValue::Context(e)
            }
            RegisterKind::Parties => {
                let e = InterestedParty {
                    id,
                    name: v[0].trim().to_string(),
                    kind: Side::parse(&v[1]).unwrap_or_default(),
                    needs: v[2].trim().to_string(),
                    addressed: v[3].trim().to_string(),
                    influence: n(4),
                    control: n(5),
                    contact: v[6].trim().to_string(),
                    note: v[7].trim().to_string(),
                    uid: String::new(),
                };
                e.check()?;
                EntryValue::Party(e)
            }
            RegisterKind::Risks => {
                let e = Risk {
                    id,
                    title: v[0].trim().to_string(),
                    asset: v[1].trim().to_string(),
                    threat: v[2].trim().to_string(),
                    vulnerability: v[3].trim().to_string(),
                    owner: v[4].trim().to_string(),
                    likelihood: n(5),
                    impact: n(6),
                    treatment: Treatment::parse(&v[7]),
                    controls: Risk::parse_controls(&v[8]),
                    residual_likelihood: opt_n(9),
                    residual_impact: opt_n(10),
                    accepted_on: date(11, "accepted on")?,
                    note: v[12].trim().to_string(),
                    uid: String::new(),
                };
                e.check()?;
                EntryValue::Risk(e)
            }
            RegisterKind::Objectives => {
                let e = Objective {
                    id,
                    objective: v[0].trim().to_string(),
                    measure: v[1].trim().to_string(),
                    target: v[2].trim().to_string(),
                    owner: v[3].trim().to_string(),
                    resources: v[4].trim().to_string(),
                    due: date(5, "due")?,
                    evaluation: v[6].trim().to_string(),
                    status: ObjectiveStatus::parse(&v[7]).unwrap_or_default(),
                    note: v[8].trim().to_string(),
                    uid: String::new(),
                };
                e.check()?;
                EntryValue::Objective(e)
            }
        };
        Ok(entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_gives_back_the_entry_it_was_made_from() {
        let risk = Risk {
            id: "R-4".into(),
            title: "Laptop theft".into(),
            owner: "IT".into(),
            likelihood: 4,
            impact: 2,
            treatment: Some(Treatment::Transfer),
            controls: vec!["A.8.1".into(), "A.7.9".into()],
            residual_likelihood: Some(2),
            accepted_on: chrono::NaiveDate::from_ymd_opt(2027, 2, 1),
            ..Risk::default()
        };
        let form = EntryForm::of(Some("R-4".into()), &EntryValue::Risk(risk.clone()));
        assert!(!form.changed());
        assert_eq!(form.entry(), Ok(EntryValue::Risk(risk)));
        let mut empty = EntryForm::new(RegisterKind::Context);
        assert_eq!(
            empty.entry(),
            Err("the title must not be empty".to_string())
        );
        empty.focus = 4;
        empty.choose(true);
        assert!(empty.changed());
    }

    #[test]
    fn the_choices_are_the_models_codes_as_before() {
        assert_eq!(SIDES, ["internal", "external"]);
        assert_eq!(RATING_3, ["1", "2", "3"]);
        assert_eq!(RATING_5, ["1", "2", "3", "4", "5"]);
        assert_eq!(OPTIONAL_5, ["-", "1", "2", "3", "4", "5"]);
        assert_eq!(
            SWOTS,
            ["-", "strength", "weakness", "opportunity", "threat"]
        );
        assert_eq!(TREATMENTS, ["-", "mitigate", "accept", "avoid", "transfer"]);
        assert_eq!(STATUSES, ["planned", "in_progress", "achieved", "missed"]);
        // Every code offered parses back to the model's value.
        for code in SWOTS.iter().skip(1) {
            assert!(Swot::parse(code).is_some(), "{code}");
        }
        for code in TREATMENTS.iter().skip(1) {
            assert!(Treatment::parse(code).is_some(), "{code}");
        }
        for code in STATUSES {
            assert!(ObjectiveStatus::parse(code).is_some(), "{code}");
        }
    }
}
