//! The registers described once, as data (issue 26): for each register, its fields (name,
//! label, kind, hint, how to read and write them as text), the lines of its detail pane and the
//! columns of its report tables. The store mapping, the entry form, the detail pane, the CLI
//! output and every report writer loop over these specs; none of them names a register field.
//!
//! A field's text is the form's text: a date `YYYY-MM-DD` or empty, a rating `3`, an optional
//! rating or choice `-` when none, a link list `A.8.8, A.8.13`.

use super::plan::parse_date;
use super::registers::{
    ContextIssue, INFLUENCE_SCALE, InterestedParty, Objective, ObjectiveStatus, RISK_SCALE,
    RegisterKind, Registers, Risk, Side, Swot, Treatment, influence_matrix, priority_score,
    risk_matrix,
};
use chrono::NaiveDate;

/// What a field holds, which decides its store column type, its form widget and its parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of free text (a TEXT column, `''` when empty).
    Text,
    /// A date, `YYYY-MM-DD` (a TEXT column, NULL when none).
    Date,
    /// A number from `.0` to `.1` (an INTEGER column).
    Rating(u8, u8),
    /// A rating that may be absent (`-`; NULL in the store).
    OptionalRating(u8, u8),
    /// One of the options (a TEXT column); an option `-` stands for none (NULL in the store).
    Choice(&'static [&'static str]),
    /// A list of refs kept in a link table of the store (`table`, `(assessment, owner, position,
    /// column)`), in the order given.
    Links {
        table: &'static str,
        owner: &'static str,
        column: &'static str,
    },
}

impl FieldKind {
    /// The options a form cycles through (choices and ratings), none for typed fields.
    pub fn options(self) -> Option<&'static [&'static str]> {
        const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
        const OPTIONAL: [&str; 10] = ["-", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
        match self {
            FieldKind::Choice(options) => Some(options),
            FieldKind::Rating(low, high) => Some(&DIGITS[low as usize..=high as usize]),
            FieldKind::OptionalRating(_, high) => Some(&OPTIONAL[..=high as usize]),
            _ => None,
        }
    }

    /// The text that stands for "none" (the store's NULL), if the kind has one.
    pub fn none(self) -> Option<&'static str> {
        match self {
            FieldKind::Date => Some(""),
            FieldKind::OptionalRating(..) => Some("-"),
            FieldKind::Choice(options) if options.first() == Some(&"-") => Some("-"),
            _ => None,
        }
    }
}

/// One field of a register entry.
pub struct FieldSpec<T> {
    /// The struct field, store column and JSON key.
    pub name: &'static str,
    /// The form's label.
    pub label: &'static str,
    pub kind: FieldKind,
    /// What to write there, shown beside the field in the form.
    pub hint: &'static str,
    pub get: fn(&T) -> String,
    /// Sets the field from its text; an error names the field.
    pub set: fn(&mut T, &str) -> Result<(), String>,
}

/// A line of the detail pane: a label and its text (`-` when empty). The first line of the pane
/// is always the entry's id and label.
pub struct DetailLine<T> {
    pub label: &'static str,
    pub value: fn(&T) -> String,
}

/// A column of the register's list on the screen: its header, its width (0: the rest of the
/// line), right-aligned or not, and its text.
pub struct ListColumn<T> {
    pub header: &'static str,
    pub width: usize,
    pub right: bool,
    pub value: fn(&T) -> String,
}

impl<T> ListColumn<T> {
    /// `text` padded to the column's width.
    pub fn pad(&self, text: &str) -> String {
        match (self.width, self.right) {
            (0, _) => text.to_string(),
            (width, true) => format!("{text:>width$}"),
            (width, false) => format!("{text:<width$}"),
        }
    }
}

const fn list<T>(
    header: &'static str,
    width: usize,
    right: bool,
    value: fn(&T) -> String,
) -> ListColumn<T> {
    ListColumn {
        header,
        width,
        right,
        value,
    }
}

/// A report cell: text, a number, or nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(u8),
    Empty,
}

impl Cell {
    /// The cell as plain text (a number in digits, nothing as "").
    pub fn text(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// Which report formats show a column (a bit each).
pub type Formats = u8;
pub const MARKDOWN: Formats = 1;
pub const HTML: Formats = 2;
pub const XLSX: Formats = 4;
pub const DOCX: Formats = 8;
pub const ALL: Formats = MARKDOWN | HTML | XLSX | DOCX;

/// A column of a register's report table.
pub struct Column<T> {
    pub header: &'static str,
    pub formats: Formats,
    /// Width in the XLSX sheet (characters) and in the DOCX table (percent of the page).
    pub xlsx_width: f64,
    pub docx_width: usize,
    pub cell: fn(&T) -> Cell,
}

/// The header of a report column, without its cell function (see `ReportTable`).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnHead {
    pub header: &'static str,
    pub formats: Formats,
    pub xlsx_width: f64,
    pub docx_width: usize,
}

/// The picture of a register in the reports and on the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Picture<'a> {
    /// The influence x control matrix, `cells[influence - 1][control - 1]`.
    Influence(Box<[[Vec<&'a str>; 3]; 3]>),
    /// The likelihood x impact heat map, `cells[likelihood - 1][impact - 1]`.
    HeatMap(Box<[[Vec<&'a str>; 5]; 5]>),
}

/// One register as the report writers show it: its kind, picture, columns and rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTable<'a> {
    pub kind: RegisterKind,
    pub picture: Option<Picture<'a>>,
    pub columns: Vec<ColumnHead>,
    pub rows: Vec<Vec<Cell>>,
}

impl ReportTable<'_> {
    /// The headers and rows of the columns `format` shows.
    pub fn for_format(&self, format: Formats) -> (Vec<&ColumnHead>, Vec<Vec<&Cell>>) {
        let keep: Vec<usize> = (0..self.columns.len())
            .filter(|&i| self.columns[i].formats & format != 0)
            .collect();
        let heads = keep.iter().map(|&i| &self.columns[i]).collect();
        let rows = self
            .rows
            .iter()
            .map(|row| keep.iter().map(|&i| &row[i]).collect())
            .collect();
        (heads, rows)
    }
}

/// One register's entry type, described once: what the store, the form, the panes, the CLI and
/// the reports need to know about it.
pub trait RegisterEntry:
    Clone + PartialEq + Default + serde::Serialize + serde::de::DeserializeOwned + 'static
{
    const KIND: RegisterKind;
    /// The store table (one row per entry, keyed by assessment and number).
    const TABLE: &'static str;
    /// The fields, in the form's order.
    fn fields() -> Vec<FieldSpec<Self>>;
    /// The detail pane's lines after the id line.
    fn detail() -> Vec<DetailLine<Self>>;
    /// The columns of its list on the screen, after the row's mark.
    fn list() -> Vec<ListColumn<Self>>;
    /// What a search on the screen looks in: the id and every text and link field.
    fn searched(&self) -> Vec<String> {
        let mut texts = vec![self.id().to_string()];
        texts.extend(
            Self::fields()
                .iter()
                .filter(|f| matches!(f.kind, FieldKind::Text | FieldKind::Links { .. }))
                .map(|f| (f.get)(self)),
        );
        texts
    }
    /// The report table's columns, in order.
    fn columns() -> Vec<Column<Self>>;
    fn id(&self) -> &str;
    fn id_mut(&mut self) -> &mut String;
    /// The entry's unique id (issue 18); empty until the store gives it.
    fn uid(&self) -> &str;
    fn uid_mut(&mut self) -> &mut String;
    /// The entry's own rules; the store and the form refuse an entry that breaks them.
    fn check(&self) -> Result<(), String>;
    /// Its title, name or objective.
    fn label(&self) -> &str;
    /// How the CLI names it after a change: `"Laptop theft" (level 8, medium)`.
    fn summary(&self) -> String {
        format!("\"{}\"", self.label())
    }
    /// What `list --json` adds to its fields (priority, level, ...).
    fn derived(&self) -> Vec<(&'static str, serde_json::Value)> {
        Vec::new()
    }
    /// The Annex A controls it links to (the service checks them against the questionnaire).
    fn controls(&self) -> &[String] {
        &[]
    }
    /// The register's entries in `registers`.
    fn of(registers: &Registers) -> &[Self];
    /// The register's picture over `entries`, if it has one.
    fn picture(_entries: &[Self]) -> Option<Picture<'_>> {
        None
    }
}

/// Runs `$body` with `$t` standing for the entry type of register `$kind`: the one place that
/// turns a `RegisterKind` into its type (a new register adds its arm here).
#[macro_export]
macro_rules! with_register {
    ($kind:expr, $t:ident => $body:expr) => {
        match $kind {
            $crate::model::registers::RegisterKind::Context => {
                type $t = $crate::model::registers::ContextIssue;
                $body
            }
            $crate::model::registers::RegisterKind::Parties => {
                type $t = $crate::model::registers::InterestedParty;
                $body
            }
            $crate::model::registers::RegisterKind::Risks => {
                type $t = $crate::model::registers::Risk;
                $body
            }
            $crate::model::registers::RegisterKind::Objectives => {
                type $t = $crate::model::registers::Objective;
                $body
            }
            $crate::model::registers::RegisterKind::Audits => {
                type $t = $crate::model::registers::Audit;
                $body
            }
            $crate::model::registers::RegisterKind::Findings => {
                type $t = $crate::model::registers::Finding;
                $body
            }
            $crate::model::registers::RegisterKind::Nonconformities => {
                type $t = $crate::model::registers::Nonconformity;
                $body
            }
            $crate::model::registers::RegisterKind::Reviews => {
                type $t = $crate::model::registers::ManagementReview;
                $body
            }
        }
    };
}

/// The field `name` of register `T`.
pub fn field<T: RegisterEntry>(name: &str) -> Option<FieldSpec<T>> {
    T::fields().into_iter().find(|f| f.name == name)
}

/// The report table of register `T` over `entries`.
pub fn report_table<T: RegisterEntry>(entries: &[T]) -> ReportTable<'_> {
    let columns = T::columns();
    ReportTable {
        kind: T::KIND,
        picture: T::picture(entries),
        columns: columns
            .iter()
            .map(|c| ColumnHead {
                header: c.header,
                formats: c.formats,
                xlsx_width: c.xlsx_width,
                docx_width: c.docx_width,
            })
            .collect(),
        rows: entries
            .iter()
            .map(|e| columns.iter().map(|c| (c.cell)(e)).collect())
            .collect(),
    }
}

impl Registers {
    /// The report table of every register, in the registers' order.
    pub fn all_tables(&self) -> Vec<ReportTable<'_>> {
        RegisterKind::ALL
            .into_iter()
            .map(|kind| crate::with_register!(kind, T => report_table(T::of(self))))
            .collect()
    }

    /// The report table of every register that has entries.
    pub fn tables(&self) -> Vec<ReportTable<'_>> {
        let mut tables = self.all_tables();
        tables.retain(|t| !t.rows.is_empty());
        tables
    }
}

// The specs of the four registers, and the building blocks they share.
mod specs;
