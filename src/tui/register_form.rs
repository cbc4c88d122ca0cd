//! The form that adds or edits one register entry: one row per field, text fields typed into,
//! choice fields cycled with Left/Right. It turns its fields into an entry (or says why it
//! cannot), and back.

use crate::model::register_spec::RegisterEntry;
use crate::model::registers::{
    Audit, ContextIssue, EXTERNAL_CATEGORIES, Finding, INTERNAL_CATEGORIES, InterestedParty,
    ManagementReview, Nonconformity, Objective, RegisterKind, Risk,
};
use ratatui_textarea::TextArea;

/// One entry of any register, as the app saves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryValue {
    Context(ContextIssue),
    Party(InterestedParty),
    Risk(Risk),
    Objective(Objective),
    Audit(Audit),
    Finding(Finding),
    Nonconformity(Nonconformity),
    Review(ManagementReview),
}

impl EntryValue {
    pub fn kind(&self) -> RegisterKind {
        match self {
            EntryValue::Context(_) => RegisterKind::Context,
            EntryValue::Party(_) => RegisterKind::Parties,
            EntryValue::Risk(_) => RegisterKind::Risks,
            EntryValue::Objective(_) => RegisterKind::Objectives,
            EntryValue::Audit(_) => RegisterKind::Audits,
            EntryValue::Finding(_) => RegisterKind::Findings,
            EntryValue::Nonconformity(_) => RegisterKind::Nonconformities,
            EntryValue::Review(_) => RegisterKind::Reviews,
        }
    }

    /// The entry's title, name or objective.
    pub fn label(&self) -> &str {
        match self {
            EntryValue::Context(e) => &e.title,
            EntryValue::Party(e) => &e.name,
            EntryValue::Risk(e) => &e.title,
            EntryValue::Objective(e) => &e.objective,
            EntryValue::Audit(e) => e.label(),
            EntryValue::Finding(e) => e.label(),
            EntryValue::Nonconformity(e) => e.label(),
            EntryValue::Review(e) => e.label(),
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

/// The form's fields for `entry`, one per field of its register's spec.
fn fields_of<T: RegisterEntry>(entry: &T) -> Vec<Field> {
    T::fields()
        .into_iter()
        .map(|spec| {
            let value = (spec.get)(entry);
            let value = match spec.kind.options() {
                Some(options) => FieldValue::Choice {
                    options,
                    index: options.iter().position(|o| *o == value).unwrap_or(0),
                },
                None => FieldValue::Text(Box::new(super::popups::single_line(&value))),
            };
            Field {
                label: spec.label,
                value,
                hint: spec.hint,
            }
        })
        .collect()
}

impl EntryForm {
    /// A form for a new entry of `kind`, with the register's usual defaults.
    pub fn new(kind: RegisterKind) -> EntryForm {
        let entry = match kind {
            RegisterKind::Context => EntryValue::Context(ContextIssue::default()),
            RegisterKind::Parties => EntryValue::Party(InterestedParty::default()),
            RegisterKind::Risks => EntryValue::Risk(Risk::default()),
            RegisterKind::Objectives => EntryValue::Objective(Objective::default()),
            RegisterKind::Audits => EntryValue::Audit(Audit::default()),
            RegisterKind::Findings => EntryValue::Finding(Finding::default()),
            RegisterKind::Nonconformities => EntryValue::Nonconformity(Nonconformity::default()),
            RegisterKind::Reviews => EntryValue::Review(ManagementReview::default()),
        };
        EntryForm::of(None, &entry)
    }

    /// A form editing `entry` (`id` set), or filled in for a new one (`id` none).
    pub fn of(id: Option<String>, entry: &EntryValue) -> EntryForm {
        let fields = match entry {
            EntryValue::Context(e) => fields_of(e),
            EntryValue::Party(e) => fields_of(e),
            EntryValue::Risk(e) => fields_of(e),
            EntryValue::Objective(e) => fields_of(e),
            EntryValue::Audit(e) => fields_of(e),
            EntryValue::Finding(e) => fields_of(e),
            EntryValue::Nonconformity(e) => fields_of(e),
            EntryValue::Review(e) => fields_of(e),
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
        Ok(match self.kind {
            RegisterKind::Context => EntryValue::Context(self.build()?),
            RegisterKind::Parties => EntryValue::Party(self.build()?),
            RegisterKind::Risks => EntryValue::Risk(self.build()?),
            RegisterKind::Objectives => EntryValue::Objective(self.build()?),
            RegisterKind::Audits => EntryValue::Audit(self.build()?),
            RegisterKind::Findings => EntryValue::Finding(self.build()?),
            RegisterKind::Nonconformities => EntryValue::Nonconformity(self.build()?),
            RegisterKind::Reviews => EntryValue::Review(self.build()?),
        })
    }

    /// Reads the fields into an entry of register `T` through its spec, and checks it.
    fn build<T: RegisterEntry>(&self) -> Result<T, String> {
        let mut entry = T::default();
        *entry.id_mut() = self.id.clone().unwrap_or_default();
        for (spec, field) in T::fields().into_iter().zip(&self.fields) {
            (spec.set)(&mut entry, field.text().trim())?;
        }
        entry.check()?;
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
            treatment: Some(crate::model::registers::Treatment::Transfer),
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
}
