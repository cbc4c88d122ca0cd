//! The export writers (Markdown, HTML, XLSX, CSV) on an empty and on a fully answered assessment,
//! with hostile user text that must come out inert in every format.

use chrono::NaiveDate;
use isms_ready::export::Report;
use isms_ready::export::report::Detail;
use isms_ready::model::plan::{PlanChange, PlanTemplate, StepStatus};
use isms_ready::model::{Catalog, Change, Level, ReasonCode};
use isms_ready::store::{NewAssessment, Store};

const STANDARD: &str = "iso27001-2013";
const SCRIPT: &str = "<script>alert(1)</script>";
const FORMULA: &str = "=HYPERLINK(\"http://x\",\"y\")";
const PIPES: &str = "| pipes | here |";
const EMOJI: &str = "🔒✅";
const RTL: &str = "مرحبا بالعالم / שלום";
const LINK: &str = "[click](javascript:alert(1))";
const TWO_LINES: &str = "first line\nsecond line";
/// Item number -> the hostile note it carries (item 4 gets the 20,000-character note).
const HOSTILE_NOTES: [(u32, &str); 7] = [
    (1, SCRIPT),
    (2, FORMULA),
    (3, PIPES),
    (5, EMOJI),
    (6, RTL),
    (7, LINK),
    (8, TWO_LINES),
];
const LONG_NOTE_ITEM: u32 = 4;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    date(2027, 1, 15)
}

fn long_note() -> String {
    "Long note without markup. ".repeat(800)[..20_000].to_string()
}

fn new_store(name: &str, scope: &str) -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    let assessment = store
        .create_assessment(&NewAssessment {
            name: name.into(),
            questionnaire_id: STANDARD.into(),
            scope: scope.into(),
            assessor: "Dana Auditor".into(),
            firm: String::new(),
        })
        .unwrap();
    (store, assessment.id)
}

fn report_of(store: &Store, id: i64) -> Report {
    let questionnaire = Catalog::builtin().get(STANDARD).unwrap();
    let assessment = store.assessment(id).unwrap();
    let answers = store.answers(id, questionnaire.items.len()).unwrap();
    let progress = store.plan_progress(id, 26).unwrap();
    Report::build(
        &assessment,
        &questionnaire,
        &answers,
        PlanTemplate::builtin(),
        &progress,
        today(),
    )
}

fn empty_report() -> Report {
    let (store, id) = new_store("Empty Org", "Nothing yet");
    report_of(&store, id)
}

fn note_of(number: u32) -> String {
    if number == LONG_NOTE_ITEM {
        return long_note();
    }
    HOSTILE_NOTES
        .iter()
        .find(|(item, _)| *item == number)
        .map_or_else(
            || format!("Note for item {number}."),
            |(_, note)| note.to_string(),
        )
}

/// Clause 4 (items 1-9) sits at levels 2-4, so it reaches P and D; the rest cycle through 0-4.
fn level_of(number: u32) -> Level {
    let value = if number <= 9 {
        2 + number % 3
    } else {
        number % 5
    };
    Level::from_u8(value as u8).unwrap()
}

fn answer_item(store: &mut Store, id: i64, number: u32) {
    let level = level_of(number);
    store
        .apply_change(id, number, &Change::Level(Some(level)))
        .unwrap();
    store
        .apply_change(id, number, &Change::Note(note_of(number)))
        .unwrap();
    store
        .apply_change(id, number, &Change::Evidence(format!("EV-{number}")))
        .unwrap();
    store
        .apply_change(id, number, &Change::Owner("Sam Owner".into()))
        .unwrap();
}

/// Even controls included with a reason, odd ones excluded with a justification; control 140
/// is included without a reason so the SoA has a finding.
fn decide_control(store: &mut Store, id: i64, number: u32) {
    let decision = if number == 140 {
        Change::Applicability {
            applicable: Some(true),
            reasons: vec![],
            justification: String::new(),
        }
    } else if number.is_multiple_of(2) {
        Change::Applicability {
            applicable: Some(true),
            reasons: vec![ReasonCode::RiskTreatment, ReasonCode::Contractual],
            justification: String::new(),
        }
    } else {
        Change::Applicability {
            applicable: Some(false),
            reasons: vec![ReasonCode::BusinessRequirement],
            justification: format!("No such activity in scope ({number})."),
        }
    };
    store.apply_change(id, number, &decision).unwrap();
    store
        .apply_change(id, number, &Change::Risks("R-1, R-2".into()))
        .unwrap();
}

fn set_status(store: &mut Store, id: i64, step: u32, status: StepStatus, reason: &str) {
    let change = PlanChange::Status {
        status,
        reason: reason.into(),
        today: date(2026, 12, 1),
    };
    store.apply_plan_change(id, step, &change).unwrap();
}

/// Steps 1-2 done, 3 in progress and overdue, 4 blocked, 5 skipped, 6 to do and overdue.
fn progress_plan(store: &mut Store, id: i64) {
    set_status(store, id, 1, StepStatus::Done, "");
    set_status(store, id, 2, StepStatus::Done, "");
    set_status(store, id, 3, StepStatus::InProgress, "");
    set_status(store, id, 4, StepStatus::Blocked, "Waiting for budget");
    set_status(store, id, 5, StepStatus::Skipped, "Done last year");
    for step in [3, 6] {
        store
            .apply_plan_change(id, step, &PlanChange::Due(Some(date(2027, 1, 10))))
            .unwrap();
    }
    store
        .apply_plan_change(id, 7, &PlanChange::Due(Some(date(2027, 6, 30))))
        .unwrap();
    store
        .apply_plan_change(id, 3, &PlanChange::Owner("@owner".into()))
        .unwrap();
    store
        .apply_plan_change(id, 7, &PlanChange::Note(FORMULA.into()))
        .unwrap();
}

fn full_report() -> Report {
    let (mut store, id) = new_store("Acme Ltd", "Head office & data centre <b>");
    for number in 1..=252 {
        answer_item(&mut store, id, number);
        if number >= 139 {
            decide_control(&mut store, id, number);
        }
    }
    store
        .apply_change(id, 139, &Change::Owner("-1 owner".into()))
        .unwrap();
    progress_plan(&mut store, id);
    report_of(&store, id)
}

// ---------------------------------------------------------------- fixtures

#[test]
fn the_fixtures_are_what_the_tests_assume() {
    let empty = empty_report();
    assert_eq!(empty.items.len(), 252);
    assert_eq!(empty.controls().count(), 114);
    assert_eq!(empty.summary.overall.answered, 0);
    assert_eq!(empty.plan.steps.len(), 26);

    let full = full_report();
    assert_eq!(full.summary.overall.answered, 138);
    assert_eq!(full.summary.overall.readiness.to_string(), "51.3");
    let soa = full.soa.as_ref().unwrap();
    assert_eq!((soa.decisions.included, soa.decisions.excluded), (57, 57));
    assert!(soa.findings.iter().any(|f| f.item == 140));
    assert_eq!(full.plan.figures.overdue, 2);
    assert_eq!(full.plan.figures.done, 2);
    assert_eq!(full.items[3].answer.note.chars().count(), 20_000);
}

// ---------------------------------------------------------------- Markdown

use isms_ready::export::markdown;

/// `|` not preceded by a backslash: the cell separators of a table row.
fn unescaped_pipes(line: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    count
}

fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text.find(heading).unwrap_or_else(|| panic!("no {heading}"));
    let rest = &text[start + heading.len()..];
    let end = rest.find("\n## ").map_or(rest.len(), |i| i);
    &rest[..end]
}

#[test]
fn markdown_of_an_empty_assessment_lists_everything_at_zero() {
    let report = empty_report().with_detail(Detail::Full);
    let md = markdown::write(&report);
    assert!(md.starts_with("# Readiness report: Empty Org\n"));
    assert!(md.contains("- **Date:** 2027-01-15\n"));
    assert!(md.contains("- **Standard:** ISO/IEC 27001:2013 (iso27001-2013)\n"));
    // Nothing answered: not assessed, never "below 50 %" (issue 14).
    assert!(md.contains(
        "| Clauses 4 to 10 | 0.0 % | not assessed | not assessed | 100.0 % | 0.0 % | 0/138 |"
    ));
    assert!(
        md.contains("| Annex A | 0.0 % | not assessed | not assessed | 100.0 % | 0.0 % | 0/114 |")
    );
    // 2013 is superseded: the report says so.
    assert!(
        md.contains("**Warning:**") && md.contains("2025-10-31"),
        "the 2013 notice"
    );
    let items = section(&md, "## Appendix: every item");
    assert_eq!(items.lines().filter(|l| l.starts_with("| ")).count(), 253);
    assert_eq!(items.matches("| not answered |").count(), 252);
    let plan = section(&md, "## Certification plan");
    assert!(plan.contains("Progress: 0.0 % (0 of 26 steps done"));
    assert_eq!(plan.lines().filter(|l| l.starts_with("| ")).count(), 27);
    assert!(md.contains("0 included, 0 excluded, 114 undecided."));
    assert!(md.contains("### Findings (114)"));
}

#[test]
fn markdown_of_a_full_assessment_shows_the_summary_figures() {
    let report = full_report();
    let md = markdown::write(&report);
    let overall = &report.summary.overall;
    assert!(md.contains(&format!(
        "| Clauses 4 to 10 | {} % | {} % | {} | {} % | {} % | 138/138 |",
        overall.readiness,
        overall.assessed_readiness.unwrap(),
        isms_ready::export::report::rating_words(overall.readiness),
        overall.gap,
        overall.coverage
    )));
    let annex = &report.summary.annex_a.as_ref().unwrap().overall;
    assert!(md.contains(&format!("| Annex A | {} % |", annex.readiness)));
    for clause in &report.summary.clauses {
        let f = &clause.figures;
        let counts = f.level_counts.map(|n| n.to_string()).join(" | ");
        assert!(
            md.contains(&format!(
                "| {} | {} | {} % |",
                clause.clause, clause.title, f.readiness
            )),
            "clause {}",
            clause.clause
        );
        assert!(md.contains(&format!(
            "| {} | {} | {counts} |",
            f.pdca_reached, clause.pdca_phase
        )));
    }
    // Clause 4 has every item at level 2 or above; every other clause has an item at level 0.
    let matrix = section(&md, "## PDCA matrix");
    assert!(matrix.contains("| 4 Context of the organization | x | x |   |   |"));
    assert!(matrix.contains("| 5 Leadership |   |   |   |   |"));
    assert_eq!(matrix.matches("| x ").count(), 2);
    let plan = section(&md, "## Certification plan");
    assert!(plan.contains("Progress: 8.0 % (2 of 26 steps done, 1 in progress, 1 blocked, 1 skipped, 21 to do; 2 overdue)."));
    assert!(plan.contains("| 1 | "));
    assert!(plan.contains("| 2026-12-01 |"));
    assert_eq!(plan.matches("| yes |").count(), 2, "two overdue steps");
    assert!(plan.contains("| blocked | Waiting for budget |"));
    let soa = section(&md, "## Statement of Applicability");
    assert!(soa.contains("57 included, 57 excluded, 0 undecided."));
    assert!(soa.contains("included without a reason code"));
    assert!(soa.contains("| excluded | business requirement | No such activity in scope (141). |"));
    assert!(soa.contains("| EV-141 |"));
    let rules = section(&md, "## How the figures are scored");
    assert_eq!(rules.matches("\n- ").count(), report.rules.len());
}

#[test]
fn markdown_keeps_hostile_text_inert() {
    let mut report = full_report().with_detail(Detail::Full);
    report.superseded_notice = Some("Replaced by the <2022> edition | see notes".into());
    let md = markdown::write(&report);
    assert!(!md.contains("<script"), "no raw script tag");
    assert!(md.contains("&lt;script>alert(1)&lt;/script>"));
    assert!(md.contains("\\| pipes \\| here \\|"));
    assert!(!md.contains("[click]("));
    assert!(md.contains("\\[click\\](javascript:alert(1))"));
    assert!(md.contains(EMOJI) && md.contains(RTL));
    assert!(md.contains("first line<br>second line"));
    assert!(md.contains(&long_note()));
    assert!(md.contains("- **Scope:** Head office & data centre &lt;b>\n"));
    assert!(md.contains("> **Warning:** Replaced by the <2022> edition \\| see notes\n"));
    // Hostile pipes never add a cell: every row of the items table has its 6 cells.
    let items = section(&md, "## Appendix: every item");
    let rows: Vec<&str> = items.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(rows.len(), 254, "header, separator and 252 items");
    for row in rows {
        assert_eq!(unescaped_pipes(row), 7, "{}", &row[..row.len().min(80)]);
    }
}

// ---------------------------------------------------------------- HTML

use isms_ready::export::html;

/// The full report with every note and plan note that holds a URL cleared.
fn without_url_notes(mut report: Report) -> Report {
    for item in report.items.iter_mut().chain(report.gaps.iter_mut()) {
        if item.answer.note.contains("http") {
            item.answer.note.clear();
        }
    }
    for step in &mut report.plan.steps {
        if step.note.contains("http") {
            step.note.clear();
        }
    }
    report
}

/// The text of every tag (between `<` and `>`); escaped user text never makes one.
fn tags(html: &str) -> Vec<&str> {
    html.split('<')
        .skip(1)
        .filter_map(|rest| rest.split_once('>').map(|(tag, _)| tag))
        .collect()
}

#[test]
fn html_of_an_empty_assessment_is_complete_and_self_contained() {
    let report = empty_report();
    let page = html::write(&report);
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(page.trim_end().ends_with("</html>"));
    assert!(page.contains("<h1 dir=\"auto\">Empty Org</h1>"));
    assert!(page.contains("<dd dir=\"auto\"><span class=\"nw\">2027-01-15</span></dd>"));
    assert!(page.contains("0.0 % (not assessed)"));
    assert!(!page.contains("0.0 % (below 50 %)"));
    // 2013 is superseded: the title page says so.
    assert!(page.contains("class=\"notice\"") && page.contains("2025-10-31"));
    assert!(page.contains("<h3>Findings (114)</h3>"));
    for forbidden in [
        "http://", "https://", "@import", "url(", "<link", "src=", "<script",
    ] {
        assert!(!page.contains(forbidden), "{forbidden}");
    }
    assert_eq!(page.matches("<tr class=\"overdue\">").count(), 0);
}

#[test]
fn html_of_a_full_assessment_shows_the_summary_figures_in_order() {
    let report = full_report().with_detail(Detail::Full);
    let page = html::write(&report);
    let overall = report.summary.overall.readiness;
    assert!(page.contains(&format!(
        "<div class=\"figure rating-amber\">{overall} %</div><div>overall readiness: 50 % to under 75 %</div>"
    )));
    // The chart: one bar per clause, each value also printed as text.
    let chart = &page[page.find("<svg").unwrap()..page.find("</svg>").unwrap()];
    let bars = ["bar-red", "bar-amber", "bar-green"]
        .iter()
        .map(|class| chart.matches(&format!("class=\"{class}\"")).count())
        .sum::<usize>();
    assert_eq!(bars, report.summary.clauses.len());
    for clause in &report.summary.clauses {
        let readiness = clause.figures.readiness;
        assert!(
            chart.contains(&format!("{readiness} % (")),
            "clause {} label",
            clause.clause
        );
    }
    assert!(page.contains("@page") && page.contains("size: A4"));
    assert!(page.contains("white-space: pre-wrap"));
    // Overdue steps are marked in words, not only by colour.
    assert_eq!(page.matches("<tr class=\"overdue\">").count(), 2);
    assert_eq!(
        page.matches("<span class=\"flag\">overdue</span>").count(),
        2
    );
    assert!(page.contains("<strong>8.0 % done</strong>"));
    assert!(page.contains("138 answered, of 138 items"));
    assert!(page.contains("57 answered, 57 excluded, of 114 items"));
    assert!(page.contains("<p>57 included, 57 excluded, 0 undecided.</p>"));
    assert!(page.contains("<td class=\"level-4\">4 Improving</td>"));
    let matrix = &page[page.find("id=\"pdca\"").unwrap()..page.find("id=\"verdict\"").unwrap()];
    assert_eq!(
        matrix.matches("✓ reached").count(),
        2,
        "clause 4 reaches P and D"
    );
    let order = [
        "class=\"title-page\"",
        "id=\"executive\"",
        "id=\"overall\"",
        "id=\"pdca\"",
        "id=\"findings\"",
        "id=\"soa\"",
        "id=\"plan\"",
        "id=\"gaps\"",
        "id=\"items\"",
        "id=\"rules\"",
    ]
    .map(|marker| page.find(marker).unwrap_or_else(|| panic!("{marker}")));
    assert!(order.is_sorted(), "sections in order: {order:?}");
}

#[test]
fn html_keeps_hostile_text_inert() {
    let mut report = full_report().with_detail(Detail::Full);
    report.superseded_notice = Some("Replaced by the 2022 edition <b>now</b>".into());
    let page = html::write(&report);
    assert!(!page.to_lowercase().contains("<script"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    for tag in tags(&page) {
        assert!(!tag.contains("javascript:"), "tag <{tag}>");
        assert!(!tag.to_lowercase().starts_with("script"), "tag <{tag}>");
    }
    assert!(
        page.contains("[click](javascript:alert(1))"),
        "kept as text"
    );
    assert!(page.contains("=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)"));
    assert!(page.contains("| pipes | here |"));
    assert!(page.contains(EMOJI) && page.contains(RTL));
    assert!(page.contains("<td class=\"text\" dir=\"auto\">first line\nsecond line</td>"));
    assert!(page.contains(&long_note()));
    assert!(page.contains("Head office &amp; data centre &lt;b&gt;"));
    assert!(page.contains(
        "<div class=\"notice\" role=\"note\"><strong>Warning:</strong> Replaced by the 2022 edition &lt;b&gt;now&lt;/b&gt;</div>"
    ));
    // Without the one note that holds a URL, the page names no URL at all.
    let clean = html::write(&without_url_notes(report));
    assert!(!clean.contains("http://") && !clean.contains("https://"));
}

// ---------------------------------------------------------------- CSV

use isms_ready::export::csv;

/// Parses RFC 4180 text into records; panics on a record not ended by CRLF.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, _) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\n') => panic!("bare LF outside quotes"),
            (false, _) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && record.is_empty(),
        "last record not ended by CRLF"
    );
    records
}

const CSV_HEADER: [&str; 16] = [
    "number",
    "ref",
    "clause",
    "kind",
    "title",
    "level",
    "level_label",
    "applicability",
    "reasons",
    "justification",
    "risks",
    "note",
    "evidence",
    "owner",
    "due",
    "review_needed",
];

#[test]
fn csv_of_an_empty_assessment_has_a_row_per_item() {
    let records = parse_csv(&csv::items(&empty_report()));
    assert_eq!(records[0], CSV_HEADER);
    assert_eq!(records.len(), 253);
    assert!(records.iter().all(|r| r.len() == 16));
    assert_eq!(
        records[1][..5],
        ["1", "4.1", "4", "clause", records[1][4].as_str()]
    );
    assert_eq!(records[1][5], "");
    assert_eq!(records[1][7], "", "clause items have no applicability");
    assert_eq!(records[139][3], "control");
    assert_eq!(records[139][7], "undecided");
}

#[test]
fn csv_of_a_full_assessment_has_every_answer_field() {
    let report = full_report();
    let records = parse_csv(&csv::items(&report));
    assert_eq!(records.len(), 253);
    for (record, item) in records[1..].iter().zip(&report.items) {
        assert_eq!(record[0], item.number.to_string());
        // Every item has a level except the excluded controls, which have none.
        let level = item
            .answer
            .level
            .map_or_else(String::new, |l| l.value().to_string());
        assert_eq!(level.is_empty(), item.answer.applicable == Some(false));
        assert_eq!(record[5], level);
        assert_eq!(record[6], item.level_label);
        assert_eq!(record[12], format!("EV-{}", item.number));
    }
    let control = &records[141];
    assert_eq!(control[1], report.items[140].reference);
    assert_eq!(
        control[7..11],
        [
            "excluded",
            "business_requirement",
            "No such activity in scope (141).",
            "R-1, R-2"
        ]
    );
    assert_eq!(records[142][8], "risk_treatment,contractual");
    assert_eq!(records[140][8], "", "the control left without a reason");
    assert_eq!(records[139][13], "'-1 owner");
    assert_eq!(records[1][15], "no");
}

#[test]
fn csv_keeps_hostile_text_inert() {
    let text = csv::items(&full_report());
    let records = parse_csv(&text);
    let note = |number: usize| records[number][11].as_str();
    assert_eq!(note(1), SCRIPT);
    assert_eq!(note(2), format!("'{FORMULA}"));
    assert_eq!(note(3), PIPES);
    assert_eq!(note(4), long_note());
    assert_eq!((note(5), note(6), note(7)), (EMOJI, RTL, LINK));
    assert_eq!(note(8), TWO_LINES);
    for field in records.iter().flatten() {
        assert!(
            !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "unneutralised {field:?}"
        );
    }
}

// ---------------------------------------------------------------- XLSX

use calamine::{Data, Range, Reader, Xlsx};
use isms_ready::export::xlsx;

const SHEETS: [&str; 5] = ["Summary", "Clauses", "SoA", "Plan", "Actions"];

struct Book {
    workbook: Xlsx<std::io::Cursor<Vec<u8>>>,
}

impl Book {
    fn of(report: &Report) -> Book {
        let bytes = xlsx::write(report).expect("workbook");
        assert_eq!(&bytes[..2], b"PK", "a zip file");
        Book {
            workbook: Xlsx::new(std::io::Cursor::new(bytes)).expect("calamine opens it"),
        }
    }

    fn sheet(&mut self, name: &str) -> Range<Data> {
        self.workbook.worksheet_range(name).expect(name)
    }

    fn assert_no_formula(&mut self) {
        for name in SHEETS {
            let formulas = self.workbook.worksheet_formula(name).expect(name);
            assert!(
                formulas.used_cells().all(|(_, _, f)| f.is_empty()),
                "formula in {name}"
            );
        }
    }
}

fn cell(range: &Range<Data>, row: usize, col: usize) -> Data {
    range.get((row, col)).cloned().unwrap_or(Data::Empty)
}

fn string(value: &str) -> Data {
    Data::String(value.to_string())
}

/// The Summary row whose first cell is `group`.
fn summary_row(summary: &Range<Data>, group: &str) -> usize {
    (0..summary.height())
        .find(|&row| cell(summary, row, 0) == string(group))
        .unwrap_or_else(|| panic!("no summary row {group}"))
}

#[test]
fn xlsx_of_an_empty_assessment_has_five_sheets_and_every_row() {
    let report = empty_report();
    let mut book = Book::of(&report);
    assert_eq!(book.workbook.sheet_names(), SHEETS);
    assert_eq!(book.sheet("Clauses").height(), 253);
    assert_eq!(book.sheet("SoA").height(), 115);
    assert_eq!(book.sheet("Plan").height(), 27);
    let clauses = book.sheet("Clauses");
    assert_eq!(cell(&clauses, 0, 0), string("No."));
    assert_eq!(cell(&clauses, 0, 5), string("Level"));
    assert_eq!(cell(&clauses, 1, 0), Data::Float(1.0));
    assert_eq!(
        cell(&clauses, 1, 5),
        Data::Empty,
        "unanswered level left blank"
    );
    let summary = book.sheet("Summary");
    let fact = |label: &str| cell(&summary, summary_row(&summary, label), 1);
    assert_eq!(fact("Organisation"), string("Empty Org"));
    assert_eq!(fact("Date"), string("2027-01-15"));
    let overall = summary_row(&summary, "4-10");
    assert_eq!(cell(&summary, overall, 2), Data::Float(0.0));
    assert_eq!(cell(&summary, overall, 3), string("not assessed"));
    book.assert_no_formula();
}

#[test]
fn xlsx_of_a_full_assessment_shows_the_summary_figures_as_numbers() {
    let report = full_report();
    let mut book = Book::of(&report);
    let summary = book.sheet("Summary");
    let overall = summary_row(&summary, "4-10");
    let figures = &report.summary.overall;
    assert_eq!(
        cell(&summary, overall, 2),
        Data::Float(figures.readiness.shown())
    );
    assert_eq!(cell(&summary, overall, 4), Data::Float(figures.gap.shown()));
    assert_eq!(cell(&summary, overall, 6), Data::Float(138.0));
    for clause in &report.summary.clauses {
        let row = summary_row(&summary, &clause.clause);
        assert_eq!(
            cell(&summary, row, 2),
            Data::Float(clause.figures.readiness.shown())
        );
    }
    let annex = summary_row(&summary, "A");
    let annex_figures = &report.summary.annex_a.as_ref().unwrap().overall;
    assert_eq!(
        cell(&summary, annex, 2),
        Data::Float(annex_figures.readiness.shown())
    );
    let progress = summary_row(&summary, "Plan progress %");
    assert_eq!(cell(&summary, progress, 1), Data::Float(8.0));

    let clauses = book.sheet("Clauses");
    for (row, item) in (1..).zip(&report.items) {
        // An excluded control has no level: its cell is empty.
        let level = item
            .answer
            .level
            .map_or(Data::Empty, |l| Data::Float(f64::from(l.value())));
        assert_eq!(cell(&clauses, row, 5), level, "item {}", item.number);
    }
    assert_eq!(cell(&clauses, 141, 7), string("excluded"));
    assert_eq!(
        cell(&clauses, 141, 9),
        string("No such activity in scope (141).")
    );

    let soa = book.sheet("SoA");
    assert_eq!(cell(&soa, 0, 6), string("Level"));
    assert_eq!(cell(&soa, 3, 2), string(&report.items[140].clause));
    assert_eq!(cell(&soa, 3, 4), string("business requirement"));

    let plan = book.sheet("Plan");
    assert_eq!(cell(&plan, 1, 4), string("done"));
    assert_eq!(cell(&plan, 1, 9), string("2026-12-01"), "dates as text");
    assert_eq!(cell(&plan, 3, 8), string("2027-01-10"));
    assert_eq!(cell(&plan, 4, 5), string("Waiting for budget"));
    let overdue: Vec<usize> = (1..plan.height())
        .filter(|&row| cell(&plan, row, 11) == string("yes"))
        .collect();
    assert_eq!(overdue, [3, 6]);
    book.assert_no_formula();
}

#[test]
fn xlsx_keeps_hostile_text_as_plain_strings() {
    let mut report = full_report();
    report.superseded_notice = Some("=NOTICE()".into());
    let mut book = Book::of(&report);
    let clauses = book.sheet("Clauses");
    let note = |number: usize| cell(&clauses, number, 11);
    assert_eq!(note(1), string(SCRIPT));
    assert_eq!(note(2), string(FORMULA), "kept as text, not run");
    assert_eq!(note(3), string(PIPES));
    assert_eq!(note(4), string(&long_note()));
    assert_eq!(
        (note(5), note(6), note(7)),
        (string(EMOJI), string(RTL), string(LINK))
    );
    assert_eq!(note(8), string(TWO_LINES));
    assert_eq!(cell(&clauses, 139, 13), string("-1 owner"));
    let plan = book.sheet("Plan");
    assert_eq!(cell(&plan, 3, 6), string("@owner"));
    assert_eq!(cell(&plan, 7, 10), string(FORMULA));
    let summary = book.sheet("Summary");
    let notice = summary_row(&summary, "Notice");
    assert_eq!(cell(&summary, notice, 1), string("=NOTICE()"));
    book.assert_no_formula();
}

#[test]
fn xlsx_cuts_a_note_too_long_for_a_cell_instead_of_failing() {
    let mut report = empty_report();
    report.items[0].answer.note = "x".repeat(40_000);
    let mut book = Book::of(&report);
    let clauses = book.sheet("Clauses");
    let Data::String(note) = cell(&clauses, 1, 11) else {
        panic!("note is not a string");
    };
    assert!(note.starts_with("xxxx") && note.ends_with("spreadsheet cell holds]"));
    assert_eq!(note.chars().count(), 32_767);
}

/// Issue 16: the workbook's Actions sheet lists every action (roadmap order, then closed ones),
/// user text never runs as a formula, and the Summary says whether each audit stage is ready.
#[test]
fn xlsx_has_an_actions_sheet_and_the_verdict_in_the_summary() {
    use isms_ready::model::action::{ActionChange, ActionStatus, NewAction};
    let (mut store, id) = new_store("Acme Ltd", "Head office");
    let mut first = NewAction::titled(vec![9, 4], "=cmd|' /C calc'!A0");
    first.owner = "Ann".into();
    first.priority = 1;
    store.add_action(id, first).unwrap();
    store
        .add_action(id, NewAction::titled(vec![139], "Closed one"))
        .unwrap();
    store
        .apply_action_changes(
            id,
            2,
            &[ActionChange::Status {
                status: ActionStatus::Dropped,
                today: today(),
            }],
        )
        .unwrap();
    let questionnaire = Catalog::builtin().get(STANDARD).unwrap();
    let answers = store.answers(id, questionnaire.items.len()).unwrap();
    let actions = store.actions(id).unwrap();
    let report = report_of(&store, id).with_actions(&actions, &questionnaire, &answers);
    let mut book = Book::of(&report);
    let sheet = book.sheet("Actions");
    assert_eq!(sheet.height(), 3);
    assert_eq!(cell(&sheet, 0, 0), string("When"));
    assert_eq!(cell(&sheet, 1, 0), string("Now"));
    assert_eq!(cell(&sheet, 1, 1), Data::Float(1.0));
    assert_eq!(cell(&sheet, 1, 2), string("=cmd|' /C calc'!A0"));
    assert_eq!(cell(&sheet, 1, 3), string("4,9"));
    assert_eq!(cell(&sheet, 2, 0), string("closed"));
    assert_eq!(cell(&sheet, 2, 9), string("dropped"));
    let summary = book.sheet("Summary");
    let stage1 = (0..summary.height())
        .find(|&row| cell(&summary, row, 0) == string("Stage 1 audit"))
        .expect("a Stage 1 row");
    assert!(
        matches!(cell(&summary, stage1, 1), Data::String(s) if s.starts_with("not ready:")),
        "{:?}",
        cell(&summary, stage1, 1)
    );
    book.assert_no_formula();
}
