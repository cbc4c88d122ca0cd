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

/// Runs `$body` with `$e` bound to the entry inside an `EntryValue` (whatever its register):
/// the one place that opens an `EntryValue` (a new register adds its arm here, its variant and
/// its `From`).
#[macro_export]
#[doc(hidden)]
macro_rules! with_entry {
    ($value:expr, $e:ident => $body:expr) => {
        match $value {
            $crate::tui::register_form::EntryValue::Context($e) => $body,
            $crate::tui::register_form::EntryValue::Party($e) => $body,
            $crate::tui::register_form::EntryValue::Risk($e) => $body,
            $crate::tui::register_form::EntryValue::Objective($e) => $body,
            $crate::tui::register_form::EntryValue::Audit($e) => $body,
            $crate::tui::register_form::EntryValue::Finding($e) => $body,
            $crate::tui::register_form::EntryValue::Nonconformity($e) => $body,
            $crate::tui::register_form::EntryValue::Review($e) => $body,
        }
    };
}
pub use with_entry;

macro_rules! entry_value_from {
    ($($t:ty => $variant:ident),* $(,)?) => {
        $(impl From<$t> for EntryValue {
            fn from(entry: $t) -> EntryValue {
                EntryValue::$variant(entry)
            }
        })*
    };
}

entry_value_from!(
    ContextIssue => Context,
    InterestedParty => Party,
    Risk => Risk,
    Objective => Objective,
    Audit => Audit,
    Finding => Finding,
    Nonconformity => Nonconformity,
    ManagementReview => Review,
);

impl EntryValue {
    pub fn kind(&self) -> RegisterKind {
        fn kind_of<T: RegisterEntry>(_: &T) -> RegisterKind {
            T::KIND
        }
        with_entry!(self, e => kind_of(e))
    }

    /// The entry's title, name or objective.
    pub fn label(&self) -> &str {
        with_entry!(self, e => e.label())
    }

    /// The entry's id (`R-3`; empty for a new one).
    pub fn id(&self) -> &str {
        with_entry!(self, e => e.id())
    }

    /// A new entry of `kind`, with the register's usual defaults.
    pub fn new_of(kind: RegisterKind) -> EntryValue {
        crate::with_register!(kind, T => EntryValue::from(T::default()))
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
    /// The fields the form shows and moves between (indexes into `fields`); the others keep
    /// the values the form opened with (a finding recorded in audit mode shows its statement
    /// and evidence only).
    pub shown: Vec<usize>,
    /// The popup's title, when not the register's own.
    pub title: Option<String>,
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
        EntryForm::of(None, &EntryValue::new_of(kind))
    }

    /// A form editing `entry` (`id` set), or filled in for a new one (`id` none).
    pub fn of(id: Option<String>, entry: &EntryValue) -> EntryForm {
        let fields = with_entry!(entry, e => fields_of(e));
        let opened = fields.iter().map(Field::text).collect();
        EntryForm {
            kind: entry.kind(),
            id,
            shown: (0..fields.len()).collect(),
            fields,
            focus: 0,
            opened,
            title: None,
        }
    }

    /// A form for a new `entry` showing only the fields of its spec named in `names` (in the
    /// spec's order), under `title`; the other fields keep the entry's values.
    pub fn new_with_fields(entry: &EntryValue, names: &[&str], title: String) -> EntryForm {
        fn names_of<T: RegisterEntry>(_: &T) -> Vec<&'static str> {
            T::fields().iter().map(|f| f.name).collect()
        }
        let mut form = EntryForm::of(None, entry);
        let all = with_entry!(entry, e => names_of(e));
        form.shown = (0..all.len())
            .filter(|&i| names.contains(&all[i]))
            .collect();
        if form.shown.is_empty() {
            form.shown = (0..all.len()).collect();
        }
        form.focus = form.shown[0];
        form.title = Some(title);
        form
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

    /// The next (or previous) field shown.
    pub fn next_field(&mut self, forward: bool) {
        let count = self.shown.len();
        let at = self
            .shown
            .iter()
            .position(|&i| i == self.focus)
            .unwrap_or(0);
        let next = if forward {
            (at + 1) % count
        } else {
            (at + count - 1) % count
        };
        self.focus = self.shown[next];
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
        crate::with_register!(self.kind, T => self.build::<T>().map(EntryValue::from))
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
