//! The four registers' specs: their fields, detail lines and report columns, built from a few
//! shared blocks (text, rating and date fields, the influence/control columns).

use super::*;

// ----- Building blocks of the specs -----

fn rating(text: &str) -> u8 {
    text.trim().parse().unwrap_or(1)
}

fn optional_rating(text: &str) -> Option<u8> {
    text.trim().parse().ok()
}

fn date(text: &str, label: &str) -> Result<Option<NaiveDate>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(text)
            .map(Some)
            .map_err(|e| format!("{}: {e}", label.to_lowercase()))
    }
}

fn day(value: Option<NaiveDate>) -> String {
    value.map_or_else(String::new, |d| d.to_string())
}

fn or_dash(text: &str) -> &str {
    if text.is_empty() { "-" } else { text }
}

fn joined(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A spec row for a text field `$field` of the struct.
macro_rules! text_field {
    ($name:literal, $label:literal, $hint:expr, $field:ident) => {
        FieldSpec {
            name: $name,
            label: $label,
            kind: FieldKind::Text,
            hint: $hint,
            get: |e| e.$field.clone(),
            set: |e, v| {
                e.$field = v.to_string();
                Ok(())
            },
        }
    };
}

/// A spec row for a rating field `$field` (u8) from `$low` to `$high`.
macro_rules! rating_field {
    ($name:literal, $label:literal, $low:literal, $high:expr, $field:ident) => {
        FieldSpec {
            name: $name,
            label: $label,
            kind: FieldKind::Rating($low, $high),
            hint: "Left/Right to choose",
            get: |e| e.$field.to_string(),
            set: |e, v| {
                e.$field = rating(v);
                Ok(())
            },
        }
    };
}

/// A spec row for a date field `$field` (`Option<NaiveDate>`).
macro_rules! date_field {
    ($name:literal, $label:literal, $hint:expr, $field:ident) => {
        FieldSpec {
            name: $name,
            label: $label,
            kind: FieldKind::Date,
            hint: $hint,
            get: |e| day(e.$field),
            set: |e, v| {
                e.$field = date(v, $label)?;
                Ok(())
            },
        }
    };
}

const CHOOSE: &str = "Left/Right to choose";
// The choices are the model's codes (issue 26: one definition of each register option).
const SIDES: &[&str] = &Side::CODES;
const SWOTS: &[&str] = &none_then::<{ Swot::CODES.len() + 1 }>(&Swot::CODES);
const TREATMENTS: &[&str] = &none_then::<{ Treatment::CODES.len() + 1 }>(&Treatment::CODES);
const STATUSES: &[&str] = &ObjectiveStatus::CODES;

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

fn side_field<T: SideOf>() -> FieldSpec<T> {
    FieldSpec {
        name: "kind",
        label: "Kind",
        kind: FieldKind::Choice(SIDES),
        hint: CHOOSE,
        get: |e| e.side().code().to_string(),
        set: |e, v| {
            *e.side_mut() = Side::parse(v).unwrap_or_default();
            Ok(())
        },
    }
}

/// The entries rated by influence and control, inside or outside (context issues, parties).
trait SideOf {
    fn side(&self) -> Side;
    fn side_mut(&mut self) -> &mut Side;
}

impl SideOf for ContextIssue {
    fn side(&self) -> Side {
        self.kind
    }
    fn side_mut(&mut self) -> &mut Side {
        &mut self.kind
    }
}

impl SideOf for InterestedParty {
    fn side(&self) -> Side {
        self.kind
    }
    fn side_mut(&mut self) -> &mut Side {
        &mut self.kind
    }
}

/// The columns an influence x control register starts with: id, priority (as "high (9)" in
/// Markdown and DOCX, as priority and score in HTML and XLSX), influence, control, kind.
fn rated_columns<T: RegisterEntry + SideOf + Rated>(docx: [usize; 5]) -> Vec<Column<T>> {
    vec![
        Column {
            header: "Id",
            formats: ALL,
            xlsx_width: 7.0,
            docx_width: docx[0],
            cell: |e| Cell::Text(e.id().to_string()),
        },
        Column {
            header: "Priority",
            formats: MARKDOWN | DOCX,
            xlsx_width: 10.0,
            docx_width: docx[1],
            cell: |e| {
                let (i, c) = Rated::rated(e);
                Cell::Text(format!(
                    "{} ({})",
                    crate::model::registers::Priority::of(i, c).code(),
                    priority_score(i, c)
                ))
            },
        },
        Column {
            header: "Priority",
            formats: HTML | XLSX,
            xlsx_width: 10.0,
            docx_width: 0,
            cell: |e| {
                let (i, c) = Rated::rated(e);
                Cell::Text(
                    crate::model::registers::Priority::of(i, c)
                        .code()
                        .to_string(),
                )
            },
        },
        Column {
            header: "Score",
            formats: HTML | XLSX,
            xlsx_width: 7.0,
            docx_width: 0,
            cell: |e| {
                let (i, c) = Rated::rated(e);
                Cell::Number(priority_score(i, c))
            },
        },
        Column {
            header: "Influence",
            formats: ALL,
            xlsx_width: 10.0,
            docx_width: docx[2],
            cell: |e| Cell::Number(Rated::rated(e).0),
        },
        Column {
            header: "Control",
            formats: ALL,
            xlsx_width: 9.0,
            docx_width: docx[3],
            cell: |e| Cell::Number(Rated::rated(e).1),
        },
        Column {
            header: "Kind",
            formats: ALL,
            xlsx_width: 10.0,
            docx_width: docx[4],
            cell: |e| Cell::Text(e.side().code().to_string()),
        },
    ]
}

/// The list columns of an influence x control register, up to its text column.
fn rated_list<T: RegisterEntry + Rated + SideOf>(
    text: &'static str,
    value: fn(&T) -> String,
) -> Vec<ListColumn<T>> {
    vec![
        list("id", 5, false, |e: &T| e.id().to_string()),
        list("priority", 10, false, |e: &T| {
            let (i, c) = e.rated();
            format!(
                "{:<6} {:>3}",
                crate::model::registers::Priority::of(i, c).code(),
                priority_score(i, c)
            )
        }),
        list("inf", 3, true, |e: &T| e.rated().0.to_string()),
        list("ctl", 3, true, |e: &T| e.rated().1.to_string()),
        list("kind", 8, false, |e: &T| e.side().code().to_string()),
        list(text, 0, false, value),
    ]
}

/// Influence and control of an entry rated so.
trait Rated {
    fn rated(&self) -> (u8, u8);
}

impl Rated for ContextIssue {
    fn rated(&self) -> (u8, u8) {
        (self.influence, self.control)
    }
}

impl Rated for InterestedParty {
    fn rated(&self) -> (u8, u8) {
        (self.influence, self.control)
    }
}

fn text_column<T>(
    header: &'static str,
    xlsx_width: f64,
    docx_width: usize,
    cell: fn(&T) -> Cell,
) -> Column<T> {
    Column {
        header,
        formats: ALL,
        xlsx_width,
        docx_width,
        cell,
    }
}

fn rated_detail<T: RegisterEntry + Rated + SideOf>(with_side: bool) -> DetailLine<T> {
    DetailLine {
        label: "Rated",
        value: if with_side {
            |e| {
                let (i, c) = e.rated();
                format!(
                    "influence {i} · control {c} · priority {} ({}) · {}",
                    crate::model::registers::Priority::of(i, c).code(),
                    priority_score(i, c),
                    e.side().code()
                )
            }
        } else {
            |e| {
                let (i, c) = e.rated();
                format!(
                    "influence {i} · control {c} · priority {} ({})",
                    crate::model::registers::Priority::of(i, c).code(),
                    priority_score(i, c)
                )
            }
        },
    }
}

fn priority_json(influence: u8, control: u8) -> Vec<(&'static str, serde_json::Value)> {
    vec![
        (
            "priority",
            serde_json::json!(crate::model::registers::Priority::of(influence, control)),
        ),
        (
            "priority_score",
            serde_json::json!(priority_score(influence, control)),
        ),
    ]
}

/// The `id`, `uid` and `check` accessors every entry type implements the same way.
macro_rules! entry_accessors {
    () => {
        fn id(&self) -> &str {
            &self.id
        }
        fn id_mut(&mut self) -> &mut String {
            &mut self.id
        }
        fn uid(&self) -> &str {
            &self.uid
        }
        fn uid_mut(&mut self) -> &mut String {
            &mut self.uid
        }
        fn check(&self) -> Result<(), String> {
            Self::check(self)
        }
    };
}

// ----- The four registers -----

impl RegisterEntry for ContextIssue {
    const KIND: RegisterKind = RegisterKind::Context;
    const TABLE: &'static str = "context_issue";
    entry_accessors!();

    fn fields() -> Vec<FieldSpec<Self>> {
        vec![
            text_field!("title", "Title", "the issue, in a few words", title),
            side_field(),
            text_field!(
                "category",
                "Category",
                "external: political, economic, social, technological, environmental, legal; internal: culture, structure, resources, systems, skills",
                category
            ),
            FieldSpec {
                name: "swot",
                label: "SWOT",
                kind: FieldKind::Choice(SWOTS),
                hint: CHOOSE,
                get: |e| e.swot.map_or("-", |s| s.code()).to_string(),
                set: |e, v| {
                    e.swot = Swot::parse(v).filter(|_| v != "-");
                    Ok(())
                },
            },
            rating_field!("influence", "Influence", 1, INFLUENCE_SCALE, influence),
            rating_field!("control", "Control", 1, INFLUENCE_SCALE, control),
            text_field!("owner", "Owner", "who follows it", owner),
            text_field!("risks", "Linked risks", "e.g. R-2, R-5", risks),
            text_field!("note", "Note", "", note),
        ]
    }

    fn detail() -> Vec<DetailLine<Self>> {
        vec![
            rated_detail(false),
            DetailLine {
                label: "Kind",
                value: |e| {
                    format!(
                        "{} · {} · SWOT {}",
                        e.kind.code(),
                        or_dash(&e.category),
                        e.swot.map_or("-", |s| s.code())
                    )
                },
            },
            DetailLine {
                label: "Owner",
                value: |e| e.owner.clone(),
            },
            DetailLine {
                label: "Risks",
                value: |e| e.risks.clone(),
            },
            DetailLine {
                label: "Note",
                value: |e| e.note.clone(),
            },
        ]
    }

    fn list() -> Vec<ListColumn<Self>> {
        rated_list("title · category · owner", |e| {
            joined(&[&e.title, &e.category, &e.owner])
        })
    }

    fn columns() -> Vec<Column<Self>> {
        let mut columns = rated_columns([5, 9, 8, 7, 7]);
        columns.extend([
            text_column("Category", 14.0, 10, |e: &Self| {
                Cell::Text(e.category.clone())
            }),
            text_column("SWOT", 12.0, 8, |e: &Self| {
                Cell::Text(e.swot.map_or("", |s| s.code()).to_string())
            }),
            text_column("Issue", 40.0, 15, |e: &Self| Cell::Text(e.title.clone())),
            text_column("Owner", 16.0, 7, |e: &Self| Cell::Text(e.owner.clone())),
            text_column("Risks", 16.0, 6, |e: &Self| Cell::Text(e.risks.clone())),
            text_column("Note", 40.0, 15, |e: &Self| Cell::Text(e.note.clone())),
        ]);
        columns
    }

    fn label(&self) -> &str {
        &self.title
    }

    fn summary(&self) -> String {
        format!("\"{}\" (priority {})", self.title, self.priority().code())
    }

    fn derived(&self) -> Vec<(&'static str, serde_json::Value)> {
        priority_json(self.influence, self.control)
    }

    fn of(registers: &Registers) -> &[Self] {
        &registers.context
    }

    fn picture(entries: &[Self]) -> Option<Picture<'_>> {
        Some(Picture::Influence(Box::new(influence_matrix(
            entries
                .iter()
                .map(|e| (e.influence, e.control, e.id.as_str())),
        ))))
    }
}

impl RegisterEntry for InterestedParty {
    const KIND: RegisterKind = RegisterKind::Parties;
    const TABLE: &'static str = "interested_party";
    entry_accessors!();

    fn fields() -> Vec<FieldSpec<Self>> {
        vec![
            text_field!("name", "Name", "a person, group or organisation", name),
            side_field(),
            text_field!("needs", "Needs", "their needs and expectations", needs),
            text_field!(
                "addressed",
                "Addressed",
                "which of them the ISMS addresses",
                addressed
            ),
            rating_field!("influence", "Influence", 1, INFLUENCE_SCALE, influence),
            rating_field!("control", "Control", 1, INFLUENCE_SCALE, control),
            text_field!(
                "contact",
                "Contact",
                "contact person or owner of the relationship",
                contact
            ),
            text_field!("note", "Note", "", note),
        ]
    }

    fn detail() -> Vec<DetailLine<Self>> {
        vec![
            rated_detail(true),
            DetailLine {
                label: "Needs",
                value: |e| e.needs.clone(),
            },
            DetailLine {
                label: "Addressed by the ISMS",
                value: |e| e.addressed.clone(),
            },
            DetailLine {
                label: "Contact",
                value: |e| e.contact.clone(),
            },
            DetailLine {
                label: "Note",
                value: |e| e.note.clone(),
            },
        ]
    }

    fn list() -> Vec<ListColumn<Self>> {
        rated_list("name · needs · contact", |e| {
            joined(&[&e.name, &e.needs, &e.contact])
        })
    }

    fn columns() -> Vec<Column<Self>> {
        let mut columns = rated_columns([5, 9, 8, 7, 7]);
        columns.extend([
            text_column("Party", 24.0, 15, |e: &Self| Cell::Text(e.name.clone())),
            text_column("Needs and expectations", 40.0, 17, |e: &Self| {
                Cell::Text(e.needs.clone())
            }),
            text_column("Addressed by the ISMS", 40.0, 13, |e: &Self| {
                Cell::Text(e.addressed.clone())
            }),
            text_column("Contact", 16.0, 8, |e: &Self| Cell::Text(e.contact.clone())),
            text_column("Note", 40.0, 11, |e: &Self| Cell::Text(e.note.clone())),
        ]);
        columns
    }

    fn label(&self) -> &str {
        &self.name
    }

    fn summary(&self) -> String {
        format!("\"{}\" (priority {})", self.name, self.priority().code())
    }

    fn derived(&self) -> Vec<(&'static str, serde_json::Value)> {
        priority_json(self.influence, self.control)
    }

    fn of(registers: &Registers) -> &[Self] {
        &registers.parties
    }

    fn picture(entries: &[Self]) -> Option<Picture<'_>> {
        Some(Picture::Influence(Box::new(influence_matrix(
            entries
                .iter()
                .map(|e| (e.influence, e.control, e.id.as_str())),
        ))))
    }
}

impl RegisterEntry for Risk {
    const KIND: RegisterKind = RegisterKind::Risks;
    const TABLE: &'static str = "risk";
    entry_accessors!();

    fn fields() -> Vec<FieldSpec<Self>> {
        vec![
            text_field!("title", "Title", "the risk, in a few words", title),
            text_field!("asset", "Asset", "the asset or process at risk", asset),
            text_field!("threat", "Threat", "", threat),
            text_field!("vulnerability", "Vulnerability", "", vulnerability),
            text_field!("owner", "Owner", "who answers for the risk", owner),
            rating_field!("likelihood", "Likelihood", 1, RISK_SCALE, likelihood),
            rating_field!("impact", "Impact", 1, RISK_SCALE, impact),
            FieldSpec {
                name: "treatment",
                label: "Treatment",
                kind: FieldKind::Choice(TREATMENTS),
                hint: CHOOSE,
                get: |e| e.treatment.map_or("-", |t| t.code()).to_string(),
                set: |e, v| {
                    e.treatment = Treatment::parse(v);
                    Ok(())
                },
            },
            FieldSpec {
                name: "controls",
                label: "Controls",
                kind: FieldKind::Links {
                    table: "risk_control",
                    owner: "risk",
                    column: "control",
                },
                hint: "Annex A controls that treat it, e.g. A.8.8, A.8.13 (shown on the SoA)",
                get: |e| e.controls.join(", "),
                set: |e, v| {
                    e.controls = Risk::parse_controls(v);
                    Ok(())
                },
            },
            FieldSpec {
                name: "residual_likelihood",
                label: "Residual L",
                kind: FieldKind::OptionalRating(1, RISK_SCALE),
                hint: CHOOSE,
                get: |e| e.residual_likelihood.map_or("-".into(), |v| v.to_string()),
                set: |e, v| {
                    e.residual_likelihood = optional_rating(v);
                    Ok(())
                },
            },
            FieldSpec {
                name: "residual_impact",
                label: "Residual I",
                kind: FieldKind::OptionalRating(1, RISK_SCALE),
                hint: CHOOSE,
                get: |e| e.residual_impact.map_or("-".into(), |v| v.to_string()),
                set: |e, v| {
                    e.residual_impact = optional_rating(v);
                    Ok(())
                },
            },
            date_field!(
                "accepted_on",
                "Accepted on",
                "YYYY-MM-DD: the owner accepted the residual risk",
                accepted_on
            ),
            text_field!("note", "Note", "", note),
        ]
    }

    fn detail() -> Vec<DetailLine<Self>> {
        vec![
            DetailLine {
                label: "Level",
                value: |e| {
                    format!(
                        "{} ({}) = likelihood {} x impact {} · residual {}",
                        e.level(),
                        e.rating().code(),
                        e.likelihood,
                        e.impact,
                        match (e.residual_likelihood, e.residual_impact) {
                            (Some(l), Some(i)) => format!("{} ({l} x {i})", l * i),
                            _ => "-".into(),
                        }
                    )
                },
            },
            DetailLine {
                label: "Asset · threat · vulnerability",
                value: |e| joined(&[&e.asset, &e.threat, &e.vulnerability]),
            },
            DetailLine {
                label: "Owner · treatment",
                value: |e| {
                    format!(
                        "{} · {}{}",
                        or_dash(&e.owner),
                        e.treatment.map_or("-", |t| t.code()),
                        e.accepted_on
                            .map_or_else(String::new, |d| format!(" · accepted {d}"))
                    )
                },
            },
            DetailLine {
                label: "Controls (on the SoA)",
                value: |e| e.controls.join(", "),
            },
            DetailLine {
                label: "Note",
                value: |e| e.note.clone(),
            },
        ]
    }

    fn list() -> Vec<ListColumn<Self>> {
        vec![
            list("id", 5, false, |e: &Self| e.id.clone()),
            list("lvl", 3, true, |e: &Self| e.level().to_string()),
            list("rating", 8, false, |e: &Self| e.rating().code().to_string()),
            list("L", 2, true, |e: &Self| e.likelihood.to_string()),
            list("I", 2, true, |e: &Self| e.impact.to_string()),
            list("treatment", 9, false, |e: &Self| {
                e.treatment.map_or("-", |t| t.code()).to_string()
            }),
            list("res", 5, false, |e: &Self| {
                e.residual_level()
                    .map_or_else(|| "-".into(), |l| l.to_string())
            }),
            list("title · owner · controls", 0, false, |e: &Self| {
                joined(&[&e.title, &e.owner, &e.controls.join(",")])
            }),
        ]
    }

    fn columns() -> Vec<Column<Self>> {
        let residual = |e: &Self| {
            Cell::Text(
                e.residual_level()
                    .map_or_else(String::new, |l| l.to_string()),
            )
        };
        vec![
            text_column("Id", 7.0, 4, |e: &Self| Cell::Text(e.id.clone())),
            Column {
                header: "Level",
                formats: MARKDOWN,
                xlsx_width: 7.0,
                docx_width: 0,
                cell: |e| Cell::Text(format!("{} {}", e.level(), e.rating().code())),
            },
            Column {
                header: "Level",
                formats: HTML | XLSX,
                xlsx_width: 7.0,
                docx_width: 0,
                cell: |e| Cell::Number(e.level()),
            },
            Column {
                header: "Rating",
                formats: HTML | XLSX,
                xlsx_width: 10.0,
                docx_width: 0,
                cell: |e| Cell::Text(e.rating().code().to_string()),
            },
            Column {
                header: "Likelihood",
                formats: MARKDOWN | HTML | XLSX,
                xlsx_width: 10.0,
                docx_width: 0,
                cell: |e| Cell::Number(e.likelihood),
            },
            Column {
                header: "Impact",
                formats: MARKDOWN | HTML | XLSX,
                xlsx_width: 8.0,
                docx_width: 0,
                cell: |e| Cell::Number(e.impact),
            },
            Column {
                header: "Level (likelihood x impact)",
                formats: DOCX,
                xlsx_width: 0.0,
                docx_width: 10,
                cell: |e| {
                    Cell::Text(format!(
                        "{} {} ({} x {})",
                        e.level(),
                        e.rating().code(),
                        e.likelihood,
                        e.impact
                    ))
                },
            },
            text_column("Risk", 36.0, 12, |e: &Self| Cell::Text(e.title.clone())),
            text_column("Asset or process", 20.0, 9, |e: &Self| {
                Cell::Text(e.asset.clone())
            }),
            text_column("Threat", 20.0, 7, |e: &Self| Cell::Text(e.threat.clone())),
            text_column("Vulnerability", 20.0, 9, |e: &Self| {
                Cell::Text(e.vulnerability.clone())
            }),
            text_column("Owner", 16.0, 6, |e: &Self| Cell::Text(e.owner.clone())),
            text_column("Treatment", 11.0, 7, |e: &Self| {
                Cell::Text(e.treatment.map_or("", |t| t.code()).to_string())
            }),
            text_column("Controls", 18.0, 7, |e: &Self| {
                Cell::Text(e.controls.join(", "))
            }),
            Column {
                header: "Residual",
                formats: MARKDOWN | HTML | DOCX,
                xlsx_width: 0.0,
                docx_width: 6,
                cell: residual,
            },
            Column {
                header: "Residual likelihood",
                formats: XLSX,
                xlsx_width: 10.0,
                docx_width: 0,
                cell: |e| e.residual_likelihood.map_or(Cell::Empty, Cell::Number),
            },
            Column {
                header: "Residual impact",
                formats: XLSX,
                xlsx_width: 10.0,
                docx_width: 0,
                cell: |e| e.residual_impact.map_or(Cell::Empty, Cell::Number),
            },
            text_column("Accepted on", 12.0, 7, |e: &Self| {
                Cell::Text(day(e.accepted_on))
            }),
            text_column("Note", 40.0, 16, |e: &Self| Cell::Text(e.note.clone())),
        ]
    }

    fn label(&self) -> &str {
        &self.title
    }

    fn summary(&self) -> String {
        format!(
            "\"{}\" (level {}, {})",
            self.title,
            self.level(),
            self.rating().code()
        )
    }

    fn derived(&self) -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("level", serde_json::json!(self.level())),
            ("rating", serde_json::json!(self.rating())),
            ("residual_level", serde_json::json!(self.residual_level())),
        ]
    }

    fn controls(&self) -> &[String] {
        &self.controls
    }

    fn of(registers: &Registers) -> &[Self] {
        &registers.risks
    }

    fn picture(entries: &[Self]) -> Option<Picture<'_>> {
        Some(Picture::HeatMap(Box::new(risk_matrix(entries))))
    }
}

fn status_text(status: ObjectiveStatus) -> String {
    status.code().replace('_', " ")
}

impl RegisterEntry for Objective {
    const KIND: RegisterKind = RegisterKind::Objectives;
    const TABLE: &'static str = "objective";
    entry_accessors!();

    fn fields() -> Vec<FieldSpec<Self>> {
        vec![
            text_field!(
                "objective",
                "Objective",
                "what is to be achieved",
                objective
            ),
            text_field!("measure", "Measure", "the indicator", measure),
            text_field!("target", "Target", "", target),
            text_field!("owner", "Owner", "", owner),
            text_field!("resources", "Resources", "", resources),
            date_field!("due", "Due", "YYYY-MM-DD", due),
            text_field!(
                "evaluation",
                "Evaluation",
                "how results are evaluated",
                evaluation
            ),
            FieldSpec {
                name: "status",
                label: "Status",
                kind: FieldKind::Choice(STATUSES),
                hint: CHOOSE,
                get: |e| e.status.code().to_string(),
                set: |e, v| {
                    e.status = ObjectiveStatus::parse(v).unwrap_or_default();
                    Ok(())
                },
            },
            date_field!(
                "reviewed_on",
                "Reviewed on",
                "YYYY-MM-DD: the last time management reviewed its progress",
                reviewed_on
            ),
            text_field!("note", "Note", "", note),
        ]
    }

    fn detail() -> Vec<DetailLine<Self>> {
        vec![
            DetailLine {
                label: "Measure · target",
                value: |e| joined(&[&e.measure, &e.target]),
            },
            DetailLine {
                label: "Owner · due · status",
                value: |e| {
                    format!(
                        "{} · {} · {}",
                        or_dash(&e.owner),
                        e.due.map_or_else(|| "-".into(), |d| d.to_string()),
                        e.status.code()
                    )
                },
            },
            DetailLine {
                label: "Resources",
                value: |e| e.resources.clone(),
            },
            DetailLine {
                label: "Evaluation",
                value: |e| e.evaluation.clone(),
            },
            DetailLine {
                label: "Reviewed on",
                value: |e| day(e.reviewed_on),
            },
            DetailLine {
                label: "Note",
                value: |e| e.note.clone(),
            },
        ]
    }

    fn list() -> Vec<ListColumn<Self>> {
        vec![
            list("id", 5, false, |e: &Self| e.id.clone()),
            list("due", 10, false, |e: &Self| {
                e.due.map_or_else(|| "-".into(), |d| d.to_string())
            }),
            list("status", 11, false, |e: &Self| e.status.code().to_string()),
            list("objective · target · owner", 0, false, |e: &Self| {
                joined(&[&e.objective, &e.target, &e.owner])
            }),
        ]
    }

    fn columns() -> Vec<Column<Self>> {
        vec![
            text_column("Id", 7.0, 5, |e: &Self| Cell::Text(e.id.clone())),
            text_column("Objective", 40.0, 16, |e: &Self| {
                Cell::Text(e.objective.clone())
            }),
            text_column("Measure", 24.0, 14, |e: &Self| {
                Cell::Text(e.measure.clone())
            }),
            text_column("Target", 14.0, 8, |e: &Self| Cell::Text(e.target.clone())),
            text_column("Owner", 16.0, 9, |e: &Self| Cell::Text(e.owner.clone())),
            text_column("Resources", 20.0, 10, |e: &Self| {
                Cell::Text(e.resources.clone())
            }),
            text_column("Due", 12.0, 9, |e: &Self| Cell::Text(day(e.due))),
            text_column("Evaluation", 30.0, 12, |e: &Self| {
                Cell::Text(e.evaluation.clone())
            }),
            text_column("Status", 12.0, 8, |e: &Self| {
                Cell::Text(status_text(e.status))
            }),
            text_column("Reviewed on", 12.0, 9, |e: &Self| {
                Cell::Text(day(e.reviewed_on))
            }),
            text_column("Note", 40.0, 9, |e: &Self| Cell::Text(e.note.clone())),
        ]
    }

    fn label(&self) -> &str {
        &self.objective
    }

    fn of(registers: &Registers) -> &[Self] {
        &registers.objectives
    }
}

// The audit records' specs (issue 30), with the blocks above.
mod audit;

#[cfg(test)]
mod tests {
    use super::*;

    fn full_risk() -> Risk {
        Risk {
            id: "R-4".into(),
            title: "Laptop theft".into(),
            asset: "Laptops".into(),
            threat: "Thief".into(),
            vulnerability: "No disk encryption".into(),
            owner: "IT".into(),
            likelihood: 4,
            impact: 2,
            treatment: Some(Treatment::Transfer),
            controls: vec!["A.8.1".into(), "A.7.9".into()],
            residual_likelihood: Some(2),
            residual_impact: None,
            accepted_on: NaiveDate::from_ymd_opt(2027, 2, 1),
            note: "insured".into(),
            uid: String::new(),
        }
    }

    /// Reads every field of `entry` as text and sets it on a fresh entry: the spec must lose
    /// nothing, and every field of the JSON (but the ids) must have its spec row.
    fn round_trip<T: RegisterEntry + std::fmt::Debug>(entry: T) {
        let mut copy = T::default();
        *copy.id_mut() = entry.id().to_string();
        *copy.uid_mut() = entry.uid().to_string();
        for field in T::fields() {
            (field.set)(&mut copy, &(field.get)(&entry)).unwrap();
        }
        assert_eq!(copy, entry);
        let json = serde_json::to_value(T::default()).unwrap();
        let names: Vec<&str> = T::fields().iter().map(|f| f.name).collect();
        for key in json.as_object().unwrap().keys() {
            assert!(
                key == "id" || key == "uid" || names.contains(&key.as_str()),
                "{key} of the {} register has no spec row",
                T::KIND.noun()
            );
        }
    }

    #[test]
    fn every_register_field_survives_its_spec_text_and_every_field_has_a_spec_row() {
        round_trip(full_risk());
        round_trip(Risk::default());
        round_trip(ContextIssue {
            id: "C-1".into(),
            title: "NIS2".into(),
            kind: Side::External,
            category: "legal".into(),
            swot: Some(Swot::Threat),
            influence: 3,
            control: 1,
            owner: "Anna".into(),
            risks: "R-2, R-5".into(),
            note: "n".into(),
            uid: "u".into(),
        });
        round_trip(InterestedParty {
            name: "Customers".into(),
            needs: "uptime".into(),
            addressed: "SLA".into(),
            contact: "Sales".into(),
            ..InterestedParty::default()
        });
        round_trip(Objective {
            objective: "Patch".into(),
            due: NaiveDate::from_ymd_opt(2027, 6, 30),
            reviewed_on: NaiveDate::from_ymd_opt(2027, 1, 15),
            status: ObjectiveStatus::InProgress,
            ..Objective::default()
        });
    }

    #[test]
    fn a_bad_date_names_its_field_and_choices_offer_their_options() {
        let mut risk = Risk::default();
        let accepted = field::<Risk>("accepted_on").unwrap();
        let error = (accepted.set)(&mut risk, "2027-02-30").unwrap_err();
        assert!(error.starts_with("accepted on: "), "{error}");
        let influence = field::<ContextIssue>("influence").unwrap();
        assert_eq!(influence.kind.options(), Some(&["1", "2", "3"][..]));
        let residual = field::<Risk>("residual_impact").unwrap();
        assert_eq!(
            residual.kind.options(),
            Some(&["-", "1", "2", "3", "4", "5"][..])
        );
        assert_eq!(residual.kind.none(), Some("-"));
        assert_eq!(field::<Risk>("treatment").unwrap().kind.none(), Some("-"));
        assert_eq!(field::<Objective>("status").unwrap().kind.none(), None);
    }

    #[test]
    fn a_report_table_has_a_cell_per_column_and_each_format_its_own_columns() {
        let registers = Registers {
            risks: vec![full_risk()],
            ..Registers::default()
        };
        let tables = registers.tables();
        assert_eq!(tables.len(), 1);
        assert_eq!(registers.all_tables().len(), 4);
        let risks = &tables[0];
        assert!(risks.rows.iter().all(|r| r.len() == risks.columns.len()));
        let headers = |format| -> Vec<&str> {
            let (heads, _) = risks.for_format(format);
            heads.iter().map(|h| h.header).collect()
        };
        assert_eq!(
            &headers(MARKDOWN)[..4],
            ["Id", "Level", "Likelihood", "Impact"]
        );
        assert_eq!(&headers(HTML)[..3], ["Id", "Level", "Rating"]);
        assert!(headers(XLSX).contains(&"Residual likelihood"));
        assert_eq!(headers(DOCX)[1], "Level (likelihood x impact)");
        let (_, rows) = risks.for_format(DOCX);
        assert_eq!(rows[0][1].text(), "8 medium (4 x 2)");
    }

    #[test]
    fn the_choices_are_the_models_codes_as_before() {
        assert_eq!(SIDES, ["internal", "external"]);
        assert_eq!(
            SWOTS,
            ["-", "strength", "weakness", "opportunity", "threat"]
        );
        assert_eq!(TREATMENTS, ["-", "mitigate", "accept", "avoid", "transfer"]);
        assert_eq!(STATUSES, ["planned", "in_progress", "achieved", "missed"]);
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
