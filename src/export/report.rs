//! The one report value every export format is written from. Built purely from the model, so
//! every format shows the same figures as the app.

use crate::model::action::{self, Action, ActionFigures, Effort, Horizon, Roadmap};
use crate::model::plan::{self, PlanFigures, PlanTemplate, StepProgress, StepStatus};
use crate::model::registers::{Registers, RiskLinks};
use crate::model::soa::{self, Decisions, Finding};
use crate::model::verdict::{self, DocumentRow, Verdict};
use crate::model::{Answer, Answers, Assessment, Item, ItemKind, Questionnaire, ReasonCode};
use crate::score::{self, Figures, GroupSummary, Percent, Summary};
use crate::score::{AMBER_FROM, GREEN_FROM, Rating};
use chrono::NaiveDate;
use serde::Serialize;

/// One item with its answer, as every format lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemRow {
    pub number: u32,
    #[serde(rename = "ref")]
    pub reference: String,
    /// Clause id ("4".."10") or Annex A domain/theme id ("A.9").
    pub clause: String,
    pub kind: ItemKind,
    pub title: String,
    /// "Absent" ... "Improving", or "" when unanswered.
    pub level_label: &'static str,
    /// The answer's fields, as declared in `Answer`.
    #[serde(flatten)]
    pub answer: Answer,
}

impl ItemRow {
    fn of(item: &Item, answers: &Answers) -> ItemRow {
        let answer = answers.get(item.number);
        ItemRow {
            number: item.number,
            reference: item.reference.clone(),
            clause: item.clause.clone(),
            kind: item.kind,
            title: item.title.clone(),
            level_label: answer.level.map_or("", |l| l.label()),
            answer: answer.clone(),
        }
    }

    /// "included", "excluded" or "undecided" for controls; "" for clause items.
    pub fn applicability(&self) -> &'static str {
        match (self.kind, self.answer.applicable) {
            (ItemKind::Clause, _) => "",
            (_, Some(true)) => "included",
            (_, Some(false)) => "excluded",
            (_, None) => "undecided",
        }
    }

    /// "clause" or "control", as the JSON file spells it.
    pub fn kind_code(&self) -> &'static str {
        match self.kind {
            ItemKind::Clause => "clause",
            ItemKind::Control => "control",
        }
    }

    /// An undecided control with nothing recorded on it.
    pub fn is_blank_control(&self) -> bool {
        let a = &self.answer;
        a.applicable.is_none()
            && a.level.is_none()
            && a.reasons.is_empty()
            && a.justification.trim().is_empty()
            && a.note.trim().is_empty()
            && a.evidence.trim().is_empty()
            && a.risks.trim().is_empty()
            && a.owner.trim().is_empty()
    }

    /// The reasons in words: "risk treatment, contractual".
    pub fn reason_labels(&self) -> String {
        self.answer
            .reasons
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn reason_codes(&self) -> String {
        ReasonCode::join(&self.answer.reasons)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepRow {
    pub number: u32,
    pub title: String,
    pub phase: String,
    pub pdca: String,
    pub status: StepStatus,
    pub status_label: &'static str,
    pub reason: String,
    pub owner: String,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    pub note: String,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanReport {
    pub title: String,
    pub figures: PlanFigures,
    pub steps: Vec<StepRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SoaReport {
    pub decisions: Decisions,
    pub findings: Vec<Finding>,
}

/// Everything a readiness summary shows, for one assessment on one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The day the report was made (`today`), shown on the title page.
    pub date: NaiveDate,
    pub assessment: Assessment,
    pub standard_id: String,
    pub standard_title: String,
    /// Set for an edition no longer used for certification (e.g. 2013).
    pub superseded_notice: Option<String>,
    pub summary: Summary,
    /// The lowest-scored answered clause items, worst first.
    pub gaps: Vec<ItemRow>,
    /// Clause items nobody has answered yet, by clause: "not yet discussed", never gaps.
    pub not_yet_discussed: Vec<NotDiscussed>,
    pub items: Vec<ItemRow>,
    pub plan: PlanReport,
    /// `None` for a questionnaire without Annex A controls.
    pub soa: Option<SoaReport>,
    /// The scoring rule in words, as the report prints it.
    pub rules: Vec<&'static str>,
    /// The registers (context issues, interested parties, risks, objectives), each in its order;
    /// empty unless added with `with_registers`.
    #[serde(skip)]
    pub registers: Registers,
    /// The audit-readiness verdict (derived: answers, SoA check, open actions).
    pub verdict: Verdict,
    /// The mandatory documented information and its status.
    pub documents: Vec<DocumentRow>,
    /// The actions and the roadmap.
    pub actions: ActionsReport,
    /// Readiness per clause at the end of each workshop session, oldest first (empty: none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trend: Vec<crate::model::session::TrendPoint>,
    /// Merge conflicts still waiting (issue 18), oldest first (empty: none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<ConflictRow>,
    /// The workshop sessions held, oldest first (the cover lists them and their participants).
    #[serde(skip)]
    pub sessions: Vec<crate::model::session::WorkshopSession>,
    /// How much the report lists: the default leaves the every-item appendix out.
    #[serde(skip)]
    pub detail: Detail,
}

/// The SoA findings with the same message as one line each: (message, refs), in the order of
/// their first control (27 controls "without an evidence reference" are one line, not 27).
pub fn findings_by_message(findings: &[Finding]) -> Vec<(&'static str, Vec<&str>)> {
    let mut out: Vec<(&'static str, Vec<&str>)> = Vec::new();
    for f in findings {
        match out.iter_mut().find(|(m, _)| *m == f.message) {
            Some((_, refs)) => refs.push(&f.reference),
            None => out.push((f.message, vec![&f.reference])),
        }
    }
    out
}

/// An objective's status in words ("in progress"), as every report shows it (JSON and CSV keep
/// the code).
pub fn objective_status(status: crate::model::registers::ObjectiveStatus) -> String {
    status.code().replace('_', " ")
}

/// A word a printed report must not break at its hyphen or dot: an id (C-1, DOC-003), a date
/// (2026-12-01) or a ref (A.8.13, 6.1.2): a digit, and a '-' or '.' inside.
pub fn unbreakable(word: &str) -> bool {
    let core = word.trim_end_matches([',', ';', ':', '.', ')']);
    core.chars().any(|c| c.is_ascii_digit())
        && core
            .char_indices()
            .any(|(i, c)| (c == '-' || c == '.') && i > 0 && i + 1 < core.len())
}

/// The tail of a sub-clause ref, kept on the ref's line: "e)" and "2)" in "6.1.2 e) 2)".
pub fn ref_tail(word: &str) -> bool {
    let core = word.trim_end_matches([',', ';', '.']);
    core.len() == 2
        && core.ends_with(')')
        && core
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

/// `text` with its ids, dates and refs made unbreakable for a word processor: their hyphens
/// become non-breaking hyphens (U+2011) and the spaces of a sub-clause ref ("6.1.2 e) 2)")
/// no-break spaces.
pub fn keep_whole_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let mut in_ref = false;
        for (i, word) in line.split(' ').enumerate() {
            if i > 0 {
                out.push(if in_ref && ref_tail(word) {
                    '\u{a0}'
                } else {
                    ' '
                });
            }
            if unbreakable(word) {
                out.push_str(&word.replace('-', "\u{2011}"));
                in_ref = true;
            } else {
                out.push_str(word);
                in_ref = in_ref && ref_tail(word);
            }
        }
    }
    out
}

/// The confidentiality marking on the cover and in the page footers of HTML and DOCX.
pub const CONFIDENTIALITY: &str = "Confidential \u{2014} client and assessor only";

/// One top-level section of the report: its anchor and its heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: &'static str,
    pub title: String,
}

/// One merge conflict waiting, as the reports list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConflictRow {
    /// `4.1 #1` (an item's ref) or `plan step 3`.
    pub place: String,
    pub field: String,
    pub mine: String,
    pub theirs: String,
    /// The file the other copy came from.
    pub source: String,
}

/// How much a report lists (`export --detail`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Detail {
    /// The deliverable: everything but the every-item appendix; undecided controls as a list.
    #[default]
    Summary,
    /// Also the appendix of every item, unassessed ones included, and every undecided control as a row.
    Full,
}

/// The executive summary, computed from the report (so it follows actions and registers).
#[derive(Debug, Clone, PartialEq)]
pub struct Executive {
    /// The verdict in one plain sentence.
    pub verdict: String,
    /// The three strongest clauses or domains by assessed readiness, strongest first.
    pub strongest: Vec<GroupSummary>,
    /// The five weakest clauses or domains by assessed readiness, weakest first.
    pub weakest: Vec<GroupSummary>,
    /// The top recommendations: open actions first (roadmap order), then the notes of the
    /// lowest answered items.
    pub recommendations: Vec<String>,
    /// What was not yet assessed, one line per clause or domain.
    pub not_assessed: Vec<String>,
}

/// Answered items at level 0 or 1 of one clause or domain.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingGroup {
    pub clause: String,
    pub title: String,
    pub items: Vec<ItemRow>,
}

/// How many strongest / weakest groups and recommendations the executive summary names.
pub const STRONGEST: usize = 3;
/// The coverage (in %) from which a group can be named among the strongest or weakest.
pub const ASSESSED_ENOUGH: u64 = 50;
pub const WEAKEST: usize = 5;
pub const RECOMMENDATIONS: usize = 5;

/// The clause items of one clause nobody has answered yet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotDiscussed {
    pub clause: String,
    pub title: String,
    /// "number ref" of each item, in questionnaire order.
    pub items: Vec<String>,
}

impl NotDiscussed {
    fn all(questionnaire: &Questionnaire, answers: &Answers) -> Vec<NotDiscussed> {
        let groups = questionnaire.groups();
        score::not_yet_discussed(questionnaire, answers, ItemKind::Clause)
            .into_iter()
            .map(|(clause, items)| NotDiscussed {
                clause: clause.to_string(),
                title: groups
                    .iter()
                    .find(|group| group.id == clause)
                    .map_or_else(String::new, |group| group.title.to_string()),
                items: items
                    .iter()
                    .map(|item| format!("{} {}", item.number, item.reference))
                    .collect(),
            })
            .collect()
    }
}

/// One action as every format lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionRow {
    /// The refs of its items, "6.1.2 a), A.5.1".
    pub refs: String,
    #[serde(flatten)]
    pub action: Action,
    pub status_label: &'static str,
    /// "Now", "Next" or "Later" for an open action; "" for a closed one.
    pub horizon: &'static str,
    pub overdue: bool,
}

impl ActionRow {
    pub fn effort(&self) -> &'static str {
        self.action.effort.map_or("", Effort::code)
    }
}

/// A clause item answered at level 0 or 1 that no action takes on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoActionRow {
    pub number: u32,
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub level: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ActionsReport {
    pub figures: ActionFigures,
    /// Open actions in roadmap order (Now, Next, Later), then closed ones by number.
    pub rows: Vec<ActionRow>,
    pub no_action_yet: Vec<NoActionRow>,
}

impl ActionsReport {
    pub fn build(
        actions: &[Action],
        questionnaire: &Questionnaire,
        answers: &Answers,
        today: NaiveDate,
    ) -> ActionsReport {
        let roadmap = Roadmap::of(actions, questionnaire, today);
        let row = |action: &Action, horizon: &'static str| ActionRow {
            refs: action.refs(questionnaire),
            action: action.clone(),
            status_label: action.status.label(),
            horizon,
            overdue: action.is_overdue(today),
        };
        let mut rows = Vec::with_capacity(actions.len());
        for horizon in Horizon::ALL {
            rows.extend(
                roadmap
                    .group(horizon)
                    .iter()
                    .map(|i| row(&actions[*i], horizon.label())),
            );
        }
        rows.extend(actions.iter().filter(|a| !a.is_open()).map(|a| row(a, "")));
        let no_action_yet = action::no_action_yet(questionnaire, answers, actions)
            .into_iter()
            .filter_map(|n| questionnaire.item(n))
            .map(|item| NoActionRow {
                number: item.number,
                reference: item.reference.clone(),
                title: item.title.clone(),
                level: answers.get(item.number).level.map_or(0, |l| l.value()),
            })
            .collect();
        ActionsReport {
            figures: action::figures(actions, today),
            rows,
            no_action_yet,
        }
    }
}

/// How many of the largest gaps a report lists.
pub const REPORT_GAPS: usize = 10;

impl Report {
    pub fn build(
        assessment: &Assessment,
        questionnaire: &Questionnaire,
        answers: &Answers,
        plan_template: &PlanTemplate,
        progress: &[StepProgress],
        today: NaiveDate,
    ) -> Report {
        let summary: Summary = score::summarize(assessment, questionnaire, answers);
        let gaps = score::largest_gaps(questionnaire, answers, ItemKind::Clause, REPORT_GAPS)
            .into_iter()
            .map(|item| ItemRow::of(item, answers))
            .collect();
        let items = questionnaire
            .items
            .iter()
            .map(|item| ItemRow::of(item, answers))
            .collect();
        let steps = plan_template
            .steps
            .iter()
            .zip(progress)
            .map(|(step, p)| StepRow {
                number: step.number,
                title: step.title.clone(),
                phase: step.phase.clone(),
                pdca: step.pdca.clone(),
                status: p.status,
                status_label: p.status.label(),
                reason: p.reason.clone(),
                owner: p.owner.clone(),
                start: p.start,
                due: p.due,
                done_on: p.done_on,
                note: p.note.clone(),
                overdue: p.is_overdue(today),
            })
            .collect();
        let soa = (questionnaire.control_count() > 0).then(|| SoaReport {
            decisions: soa::decisions(questionnaire, answers),
            findings: soa::check(questionnaire, answers, &RiskLinks::default()),
        });
        Report {
            date: today,
            assessment: assessment.clone(),
            standard_id: questionnaire.id.clone(),
            standard_title: questionnaire.title.clone(),
            superseded_notice: questionnaire.superseded.as_ref().map(|s| s.notice.clone()),
            summary,
            gaps,
            not_yet_discussed: NotDiscussed::all(questionnaire, answers),
            items,
            plan: PlanReport {
                title: plan_template.title.clone(),
                figures: plan::plan_figures(progress, today),
                steps,
            },
            soa,
            rules: score::RULES.to_vec(),
            verdict: verdict::verdict(questionnaire, answers, &[], &RiskLinks::default()),
            documents: verdict::documents(questionnaire, answers),
            actions: ActionsReport::build(&[], questionnaire, answers, today),
            registers: Registers::default(),
            trend: Vec::new(),
            conflicts: Vec::new(),
            sessions: Vec::new(),
            detail: Detail::Summary,
        }
    }

    /// The report with the merge conflicts still waiting.
    pub fn with_conflicts(mut self, conflicts: Vec<ConflictRow>) -> Report {
        self.conflicts = conflicts;
        self
    }

    /// The report with the workshop sessions held (cover: sessions and participants).
    pub fn with_sessions(
        mut self,
        sessions: Vec<crate::model::session::WorkshopSession>,
    ) -> Report {
        self.sessions = sessions;
        self
    }

    /// The report listing `detail`.
    pub fn with_detail(mut self, detail: Detail) -> Report {
        self.detail = detail;
        self
    }

    /// The cover's facts, label and plain text, as every format prints them: who the report is
    /// for and by whom, when, which version, how confidential, and each workshop with its own
    /// participants (one line each).
    pub fn cover(&self) -> Vec<(&'static str, Vec<String>)> {
        let a = &self.assessment;
        let or_none = |text: &str| {
            if text.trim().is_empty() {
                "not recorded".to_string()
            } else {
                text.to_string()
            }
        };
        let workshops = if self.sessions.is_empty() {
            vec!["none recorded".to_string()]
        } else {
            self.sessions
                .iter()
                .map(|s| {
                    let mut people: Vec<String> = Vec::new();
                    if !s.facilitator.trim().is_empty() {
                        people.push(format!("{} (facilitator)", s.facilitator.trim()));
                    }
                    people.extend(s.participants.iter().map(|p| p.label()));
                    if people.is_empty() {
                        s.label()
                    } else {
                        format!("{}: {}", s.label(), people.join(", "))
                    }
                })
                .collect()
        };
        vec![
            ("Prepared for", vec![a.name.clone()]),
            ("Scope", vec![or_none(&a.scope)]),
            ("Prepared by", prepared_by(a)),
            ("Date", vec![day(Some(self.date))]),
            (
                "Version",
                vec![format!(
                    "{}, from isms-ready {}",
                    day(Some(self.date)),
                    env!("CARGO_PKG_VERSION")
                )],
            ),
            ("Classification", vec![CONFIDENTIALITY.to_string()]),
            (
                "Standard",
                vec![format!("{} ({})", self.standard_title, self.standard_id)],
            ),
            ("Workshops", workshops),
        ]
    }

    /// The report's sections, in the order every format writes them (HTML, DOCX and Markdown
    /// dispatch on `id` and print `title` as their top-level heading; the HTML and DOCX tables
    /// of contents list them). A section with nothing to show is left out.
    pub fn outline(&self) -> Vec<Section> {
        let full = self.detail == Detail::Full;
        let mut out = Vec::new();
        let mut add = |id: &'static str, title: String, shown: bool| {
            if shown {
                out.push(Section { id, title });
            }
        };
        add("executive", "Executive summary".into(), true);
        add("overall", "Readiness by clause and domain".into(), true);
        add("pdca", "PDCA matrix".into(), true);
        add(
            "trend",
            "Trend over the workshop sessions".into(),
            !self.trend.is_empty(),
        );
        add("verdict", "Audit readiness".into(), true);
        add("findings", "Findings".into(), true);
        add(
            "merge-conflicts",
            "Merge conflicts".into(),
            !self.conflicts.is_empty(),
        );
        add(
            "soa",
            "Statement of Applicability".into(),
            self.soa.is_some(),
        );
        add("registers", "Registers".into(), !self.registers.is_empty());
        add("plan", "Certification plan".into(), true);
        add("actions", "Roadmap: actions Now, Next, Later".into(), true);
        add("gaps", "Largest gaps".into(), full);
        add(
            "not-discussed",
            "Not yet discussed".into(),
            full && !self.not_yet_discussed.is_empty(),
        );
        add("items", "Appendix: every item".into(), full);
        add("rules", "How the figures are scored".into(), true);
        out
    }

    /// The answered gaps with no action yet, compacted to one line per clause or domain (the
    /// deliverable lists them so; `--detail full` gives a row each): ("Clause 6", ["6.1.2 (level
    /// 0)", ...]), in the roadmap's order of groups.
    pub fn no_action_by_group(&self) -> Vec<(String, Vec<String>)> {
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for n in &self.actions.no_action_yet {
            let group = match n.reference.strip_prefix("A.") {
                Some(rest) => format!("A.{}", rest.split('.').next().unwrap_or(rest)),
                None => format!(
                    "Clause {}",
                    n.reference.split(['.', ' ']).next().unwrap_or(&n.reference)
                ),
            };
            let entry = format!("{} (level {})", n.reference, n.level);
            match groups.iter_mut().find(|(g, _)| *g == group) {
                Some((_, refs)) => refs.push(entry),
                None => groups.push((group, vec![entry])),
            }
        }
        groups
    }

    /// Every clause and domain, clauses first.
    pub fn groups(&self) -> impl Iterator<Item = &GroupSummary> {
        self.summary.clauses.iter().chain(
            self.summary
                .annex_a
                .iter()
                .flat_map(|annex| annex.domains.iter()),
        )
    }

    /// Everyone who took part in a session, each once, in order of first appearance.
    pub fn participants(&self) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for session in &self.sessions {
            let names = std::iter::once(session.facilitator.clone())
                .chain(session.participants.iter().map(|p| p.label()));
            for name in names {
                let name = name.trim().to_string();
                if !name.is_empty() && !seen.contains(&name) {
                    seen.push(name);
                }
            }
        }
        seen
    }

    /// The verdict in one plain sentence.
    pub fn verdict_line(&self) -> String {
        let (one, two) = (&self.verdict.stage1, &self.verdict.stage2);
        let overall = &self.summary.overall;
        let figure = match overall.assessed_readiness {
            Some(assessed) => format!(
                "Readiness of clauses 4 to 10 is {} % overall and {assessed} % of what was assessed",
                overall.readiness
            ),
            None => "Nothing has been assessed yet".to_string(),
        };
        let stance = match (one.ready, two.ready) {
            (true, true) => {
                "Ready for certification: nothing blocks the stage 1 or the stage 2 audit"
                    .to_string()
            }
            (true, false) => format!(
                "Ready for a stage 1 audit; {} blocker{} to clear before stage 2",
                two.blockers.len(),
                if two.blockers.len() == 1 { "" } else { "s" }
            ),
            _ => format!(
                "Not yet ready for a certification audit: {} blocker{} before stage 1, {} before stage 2",
                one.blockers.len(),
                if one.blockers.len() == 1 { "" } else { "s" },
                two.blockers.len()
            ),
        };
        format!("{stance}. {figure}.")
    }

    /// The executive summary.
    pub fn executive(&self) -> Executive {
        // Only groups assessed enough to say so: coverage of at least ASSESSED_ENOUGH %.
        let mut assessed: Vec<&GroupSummary> = self
            .groups()
            .filter(|g| g.figures.assessed_readiness.is_some())
            .filter(|g| g.figures.coverage.tenths() >= ASSESSED_ENOUGH * 10)
            .collect();
        let key = |g: &&GroupSummary| g.figures.assessed_readiness.map_or(0, |p| p.tenths());
        assessed.sort_by_key(|g| std::cmp::Reverse(key(g)));
        let strongest: Vec<GroupSummary> = assessed
            .iter()
            .take(STRONGEST)
            .map(|g| (*g).clone())
            .collect();
        assessed.sort_by_key(key);
        let weakest: Vec<GroupSummary> = assessed
            .iter()
            .filter(|g| !strongest.iter().any(|s| s.clause == g.clause))
            .take(WEAKEST)
            .map(|g| (*g).clone())
            .collect();
        let mut recommendations: Vec<String> = self
            .actions
            .rows
            .iter()
            .filter(|row| !row.horizon.is_empty())
            .take(3)
            .map(|row| {
                let due = day(row.action.due);
                let due = if due.is_empty() {
                    String::new()
                } else {
                    format!(", due {due}")
                };
                let owner = if row.action.owner.trim().is_empty() {
                    String::new()
                } else {
                    format!(", owner {}", row.action.owner.trim())
                };
                format!(
                    "{} (action #{}, {}{owner}{due}; {}).",
                    row.action.title.trim().trim_end_matches('.'),
                    row.action.number,
                    row.horizon,
                    row.refs
                )
            })
            .collect();
        // An item an action recommendation already names is not recommended again from its note.
        let covered: Vec<u32> = self
            .actions
            .rows
            .iter()
            .filter(|row| !row.horizon.is_empty())
            .take(3)
            .flat_map(|row| row.action.items.iter().copied())
            .collect();
        let mut noted: Vec<&ItemRow> = self
            .items
            .iter()
            .filter(|row| !covered.contains(&row.number))
            .filter(|row| row.answer.level.is_some() && !row.answer.note.trim().is_empty())
            .filter(|row| row.answer.applicable != Some(false))
            .collect();
        noted.sort_by_key(|row| {
            (
                row.answer.level.map_or(0, |l| l.value()),
                row.kind == ItemKind::Control,
                row.number,
            )
        });
        for row in noted {
            if recommendations.len() >= RECOMMENDATIONS {
                break;
            }
            let text = format!(
                "{} {} (now {}): {}",
                row.reference,
                row.title,
                level_text(row),
                first_sentence(&row.answer.note)
            );
            if !recommendations.contains(&text) {
                recommendations.push(text);
            }
        }
        let mut not_assessed: Vec<String> = self
            .groups()
            .filter(|g| g.figures.unanswered > 0)
            .map(|g| {
                format!(
                    "{} {}: {} of {} items not yet answered",
                    g.clause, g.title, g.figures.unanswered, g.figures.items
                )
            })
            .collect();
        if let Some(soa) = &self.soa
            && soa.decisions.undecided > 0
        {
            not_assessed.push(format!(
                "Applicability not yet decided for {}",
                crate::model::count::counted(soa.decisions.undecided, "control")
            ));
        }
        Executive {
            verdict: self.verdict_line(),
            strongest,
            weakest,
            recommendations,
            not_assessed,
        }
    }

    /// Answered items at level 0 or 1 (excluded controls left out), by clause or domain.
    pub fn findings(&self) -> Vec<FindingGroup> {
        let mut groups: Vec<FindingGroup> = Vec::new();
        for row in &self.items {
            let low = row.answer.level.is_some_and(|l| l.value() <= 1);
            if !low || row.answer.applicable == Some(false) {
                continue;
            }
            match groups.last_mut() {
                Some(group) if group.clause == row.clause => group.items.push(row.clone()),
                _ => groups.push(FindingGroup {
                    clause: row.clause.clone(),
                    title: self
                        .groups()
                        .find(|g| g.clause == row.clause)
                        .map_or_else(String::new, |g| g.title.clone()),
                    items: vec![row.clone()],
                }),
            }
        }
        groups
    }

    /// The report with the trend over the assessment's workshop sessions.
    pub fn with_trend(mut self, trend: Vec<crate::model::session::TrendPoint>) -> Report {
        self.trend = trend;
        self
    }

    /// The report with the assessment's registers: their sections, and the SoA as the links
    /// make it (a linked control lists its risks and has the risk-treatment reason; the check
    /// knows the links).
    pub fn with_registers(
        mut self,
        registers: Registers,
        questionnaire: &Questionnaire,
        answers: &Answers,
    ) -> Report {
        let links = registers.risk_links();
        for row in self
            .items
            .iter_mut()
            .filter(|r| r.kind == ItemKind::Control)
        {
            let linked = links.risks_of(&row.reference);
            if linked.is_empty() {
                continue;
            }
            row.answer.reasons = links.reasons(&row.reference, &row.answer);
            let mut risks = linked.join(", ");
            if !row.answer.risks.trim().is_empty() {
                risks = format!("{risks}; {}", row.answer.risks);
            }
            row.answer.risks = risks;
        }
        if let Some(soa) = &mut self.soa {
            soa.findings = soa::check(questionnaire, answers, &links);
        }
        self.registers = registers;
        let actions: Vec<Action> = self.actions.rows.iter().map(|r| r.action.clone()).collect();
        self.verdict = verdict::verdict_with(
            questionnaire,
            answers,
            &actions,
            &links,
            &self.registers,
            self.date,
        );
        self
    }

    /// The report with the assessment's actions: the actions section, the roadmap, and the
    /// verdict counting open priority-1 actions.
    pub fn with_actions(
        mut self,
        actions: &[Action],
        questionnaire: &Questionnaire,
        answers: &Answers,
    ) -> Report {
        self.verdict = verdict::verdict_with(
            questionnaire,
            answers,
            actions,
            &self.registers.risk_links(),
            &self.registers,
            self.date,
        );
        self.actions = ActionsReport::build(actions, questionnaire, answers, self.date);
        self
    }

    pub fn clause_items(&self) -> impl Iterator<Item = &ItemRow> {
        self.items.iter().filter(|row| row.kind == ItemKind::Clause)
    }

    /// The controls the SoA table lists: all with `Detail::Full`; otherwise every control with
    /// a decision or anything recorded (a level, a reason, a linked risk, a note...).
    pub fn soa_rows(&self) -> impl Iterator<Item = &ItemRow> {
        let full = self.detail == Detail::Full;
        self.controls()
            .filter(move |row| full || !row.is_blank_control())
    }

    /// The controls the SoA table leaves out (undecided, nothing recorded), listed by ref.
    pub fn soa_blank_refs(&self) -> Vec<&str> {
        if self.detail == Detail::Full {
            return Vec::new();
        }
        self.controls()
            .filter(|row| row.is_blank_control())
            .map(|row| row.reference.as_str())
            .collect()
    }

    pub fn controls(&self) -> impl Iterator<Item = &ItemRow> {
        self.items
            .iter()
            .filter(|row| row.kind == ItemKind::Control)
    }
}

/// The PDCA stages in ladder order, as the matrix columns show them.
pub const PDCA_STAGES: [&str; 4] = ["P", "D", "C", "A"];

/// Which of P, D, C, A a group has reached: a group at "C" has reached P, D and C.
pub fn stages_reached(figures: &Figures) -> [bool; 4] {
    let reached = PDCA_STAGES
        .iter()
        .position(|stage| *stage == figures.pdca_reached)
        .map_or(0, |index| index + 1);
    std::array::from_fn(|index| index < reached)
}

/// A readiness rating in words, with the dashboard's thresholds, so colour is never needed to read it.
pub fn rating_words(readiness: Percent) -> String {
    match Rating::of_tenths(readiness.tenths()) {
        Rating::NotAssessed => "not assessed".to_string(),
        Rating::Red => format!("below {AMBER_FROM} %"),
        Rating::Amber => format!("{AMBER_FROM} % to under {GREEN_FROM} %"),
        Rating::Green => format!("{GREEN_FROM} % or more"),
    }
}

/// An assessed readiness as "48.1", or "not assessed" when nothing was answered.
pub fn assessed_text(figures: &Figures) -> String {
    figures
        .assessed_readiness
        .map_or_else(|| "not assessed".to_string(), |p| p.to_string())
}

/// A level as "3 Checked", "excluded" for an excluded control (it needs no level), or "not
/// answered".
pub fn level_text(row: &ItemRow) -> String {
    match row.answer.level {
        Some(level) => format!("{} {}", level.value(), row.level_label),
        None if row.applicability() == "excluded" => "excluded".to_string(),
        None => "not answered".to_string(),
    }
}

/// What the findings list, with the levels' own labels (the same words as every level cell).
pub fn findings_rule() -> String {
    let label = |value: u8| crate::model::Level::from_u8(value).map_or("", |l| l.label());
    format!(
        "Answered items at level 0 ({}) or 1 ({}), with the assessor's notes; excluded controls are left out.",
        label(0),
        label(1)
    )
}

/// The first sentence (or line) of a note, at most 200 characters.
pub fn first_sentence(note: &str) -> String {
    let line = note.trim().lines().next().unwrap_or("").trim();
    let end = line
        .char_indices()
        .find(|(i, c)| *c == '.' && line[i + 1..].starts_with(' '))
        .map_or(line.len(), |(i, _)| i + 1);
    let sentence = &line[..end];
    if sentence.chars().count() <= 200 {
        return sentence.to_string();
    }
    let mut cut: String = sentence.chars().take(199).collect();
    cut.push('…');
    cut
}

/// A date as YYYY-MM-DD, or "" when unset.
pub fn day(date: Option<NaiveDate>) -> String {
    date.map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
}

/// The influence x control matrix of a register as text rows, for the formats that print it as a
/// table: influence 3 on top, control 1 on the left; a high-priority cell is marked `(!)`.
pub fn influence_grid(cells: &[[Vec<&str>; 3]; 3]) -> ([&'static str; 4], Vec<Vec<String>>) {
    use crate::model::registers::Priority;
    let rows = (0..3)
        .map(|row| {
            let influence = 3 - row as u8;
            let mut out = vec![format!("influence {influence}")];
            for (column, ids) in cells[influence as usize - 1].iter().enumerate() {
                let control = column as u8 + 1;
                let mark = if Priority::of(influence, control) == Priority::High {
                    "(!) "
                } else {
                    ""
                };
                out.push(format!("{mark}{}", ids.join(" ")).trim().to_string());
            }
            out
        })
        .collect();
    (["", "control 1", "control 2", "control 3"], rows)
}

/// The likelihood x impact heat map of the risks as text rows: likelihood 5 on top, impact 1 on
/// the left; each cell names its level and rating, then the risks in it.
pub fn heat_map_grid(cells: &[[Vec<&str>; 5]; 5]) -> ([&'static str; 6], Vec<Vec<String>>) {
    use crate::model::registers::RiskRating;
    let rows = (0..5)
        .map(|row| {
            let likelihood = 5 - row as u8;
            let mut out = vec![format!("likelihood {likelihood}")];
            for (column, ids) in cells[likelihood as usize - 1].iter().enumerate() {
                let impact = column as u8 + 1;
                let rating = RiskRating::of(likelihood * impact);
                out.push(
                    format!(
                        "{} {}: {}",
                        likelihood * impact,
                        rating.code(),
                        ids.join(" ")
                    )
                    .trim()
                    .to_string(),
                );
            }
            out
        })
        .collect();
    (
        [
            "", "impact 1", "impact 2", "impact 3", "impact 4", "impact 5",
        ],
        rows,
    )
}

/// The cover's "Prepared by": the assessor, then the firm, one to a line ("not recorded" when
/// neither is).
fn prepared_by(assessment: &Assessment) -> Vec<String> {
    let lines: Vec<String> = [&assessment.assessor, &assessment.firm]
        .into_iter()
        .map(|text| text.trim())
        .filter(|text| !text.is_empty())
        .map(str::to_string)
        .collect();
    if lines.is_empty() {
        vec!["not recorded".to_string()]
    } else {
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures_at(stage: &'static str) -> Figures {
        Figures {
            readiness: Percent::of(0, 1),
            gap: Percent::of(1, 1),
            coverage: Percent::of(0, 1),
            answered: 0,
            excluded: 0,
            unanswered: 0,
            items: 0,
            level_counts: [0; 5],
            pdca_reached: stage,
            assessed_readiness: None,
            rating: Rating::NotAssessed,
        }
    }

    #[test]
    fn a_stage_reached_includes_the_stages_before_it() {
        assert_eq!(stages_reached(&figures_at("none")), [false; 4]);
        assert_eq!(stages_reached(&figures_at("C")), [true, true, true, false]);
        assert_eq!(stages_reached(&figures_at("A")), [true; 4]);
    }

    #[test]
    fn ratings_in_words_follow_the_shown_figure() {
        assert_eq!(rating_words(Percent::of(499, 1000)), "below 50 %");
        // 49.96 % is shown as 50.0 and rated as shown.
        assert_eq!(rating_words(Percent::of(4996, 10000)), "50 % to under 75 %");
        assert_eq!(rating_words(Percent::of(3, 4)), "75 % or more");
    }
}
