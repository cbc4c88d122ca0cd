//! Issue 30, part b: the audit report (`export --audit ID`) and the audit sections of the
//! readiness report. The audit report's three formats are one report: the same sections and the
//! same findings, in the same order; user text stays text in each.

use isms_ready::export::audit_report::{
    AuditHead, AuditReport, AuditSections, CoverageRow, FindingRow, NcLine, NcRow, ProgrammeAudit,
    RefRow, ReviewInput, ReviewSummary,
};
use isms_ready::export::{ExportFormat, render_audit};
use isms_ready::model::action::NewAction;
use isms_ready::model::audit::{
    Audit, AuditStatus, AuditType, Classification, Finding, FindingType, ManagementReview,
    NcStatus, Nonconformity,
};
use isms_ready::model::{Assessment, Catalog};
use std::io::Read;

mod common;
use common::Sandbox;

fn assessment() -> Assessment {
    Assessment {
        id: 1,
        name: "Nordwind Logistik".into(),
        questionnaire_id: "iso27001-2022".into(),
        scope: "Head office and the Hamburg warehouse".into(),
        assessor: "Dana Auditor".into(),
        firm: "Ostsee Consulting".into(),
        created_at: "2026-01-05T09:00:00Z".into(),
    }
}

fn day(text: &str) -> Option<chrono::NaiveDate> {
    text.parse().ok()
}

/// An internal audit with a finding of every type; the major and the minor one opened an NC.
fn audit_report() -> AuditReport {
    let q = Catalog::builtin().get("iso27001-2022").unwrap();
    let refs = |list: &[&str]| list.iter().map(|r| RefRow::of(&q, r)).collect::<Vec<_>>();
    let finding = |id: &str, kind: FindingType, items: &[&str], nc: Option<NcLine>| FindingRow {
        id: id.into(),
        kind,
        items: refs(items),
        statement: format!(
            "Statement of {id}: <b>what was seen</b> [link](http://x) | cell\u{202e}\u{7}"
        ),
        evidence: "DOC-014, interview with the CISO on 2026-03-03".into(),
        auditee: "Bo Ek (CISO)".into(),
        note: String::new(),
        nc,
    };
    AuditReport {
        date: day("2026-03-10").unwrap(),
        assessment: assessment(),
        standard_id: q.id.clone(),
        standard_title: q.title.clone(),
        audit: AuditHead {
            id: "AUD-1".into(),
            title: "Internal audit 2026".into(),
            kind: "internal audit".into(),
            start: day("2026-03-02"),
            end: day("2026-03-04"),
            auditors: vec!["Kim Roe (independent)".into(), "Lea Park".into()],
            criteria: "ISO/IEC 27001:2022 and the ISMS policy v3".into(),
            status: "done".into(),
            note: String::new(),
        },
        scope: refs(&["4", "5", "6.1.2", "9.2", "A.5"]),
        findings: vec![
            finding("F-1", FindingType::Conformity, &["4.1 #1"], None),
            finding(
                "F-2",
                FindingType::Major,
                &["6.1.2"],
                Some(NcLine {
                    id: "NC-1".into(),
                    classification: "major".into(),
                    status: "open".into(),
                    due: day("2026-04-30"),
                }),
            ),
            finding(
                "F-3",
                FindingType::Minor,
                &["9.2", "A.5.1"],
                Some(NcLine {
                    id: "NC-2".into(),
                    classification: "minor".into(),
                    status: "corrective action in progress".into(),
                    due: None,
                }),
            ),
            finding("F-4", FindingType::Observation, &["5.2 e)"], None),
            finding("F-5", FindingType::Improvement, &["A.5.2"], None),
        ],
    }
}

fn render(report: &AuditReport, format: ExportFormat) -> Vec<u8> {
    render_audit(report, format).unwrap()
}

fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = archive.by_name(name).unwrap();
    let mut text = String::new();
    part.read_to_string(&mut text).unwrap();
    text
}

/// The text of every paragraph styled `style` in document.xml, in order.
fn paragraphs_styled(document: &str, style: &str) -> Vec<String> {
    let marker = format!("<w:pStyle w:val=\"{style}\" />");
    document
        .split("<w:p ")
        .filter(|p| p.contains(&marker))
        .map(|p| {
            p.split("<w:t xml:space=\"preserve\">")
                .skip(1)
                .map(|t| t.split("</w:t>").next().unwrap())
                .collect::<String>()
                .replace('\u{2011}', "-")
                .replace('\u{a0}', " ")
        })
        .collect()
}

/// The headings of one level of an HTML document (`<h2>`, `<h4>`), tags inside removed.
fn html_headings(html: &str, tag: &str) -> Vec<String> {
    html.split(&format!("<{tag}"))
        .skip(1)
        .map(|h| {
            let inner = &h[h.find('>').unwrap() + 1..h.find(&format!("</{tag}>")).unwrap()];
            let mut text = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.replace("&amp;", "&")
        })
        .filter(|h| h != "Contents")
        .collect()
}

fn md_headings(md: &str, prefix: &str) -> Vec<String> {
    md.lines()
        .filter_map(|l| l.strip_prefix(prefix))
        .map(|h| h.replace('\\', ""))
        .collect()
}

#[test]
fn the_audit_report_has_the_same_sections_and_findings_in_html_docx_and_markdown() {
    let report = audit_report();
    let html = String::from_utf8(render(&report, ExportFormat::Html)).unwrap();
    let md = String::from_utf8(render(&report, ExportFormat::Md)).unwrap();
    let document = zip_part(&render(&report, ExportFormat::Docx), "word/document.xml");
    let sections = vec!["Audit scope", "Findings by type", "Conclusion"];
    assert_eq!(html_headings(&html, "h2"), sections);
    assert_eq!(md_headings(&md, "## "), sections);
    assert_eq!(paragraphs_styled(&document, "Heading1"), sections);
    // The five types in the report's order, each with its count, in every format.
    let types = vec![
        "Major nonconformities (1)",
        "Minor nonconformities (1)",
        "Observations (1)",
        "Opportunities for improvement (1)",
        "Conformities (1)",
    ];
    assert_eq!(html_headings(&html, "h3"), types);
    assert_eq!(md_headings(&md, "### "), types);
    assert_eq!(paragraphs_styled(&document, "Heading2"), types);
    let findings = vec![
        "F-2: 6.1.2 Information security risk assessment",
        "F-3: 9.2 Internal audit and 1 more",
        "F-4: 5.2 e) Policy held as a controlled document",
        "F-5: A.5.2 Information security roles and responsibilities",
        "F-1: 4.1 #1 External and internal issues",
    ];
    assert_eq!(html_headings(&html, "h4"), findings);
    assert_eq!(md_headings(&md, "#### "), findings);
    assert_eq!(paragraphs_styled(&document, "Heading3"), findings);
}

#[test]
fn the_audit_report_cover_scope_findings_and_conclusion_say_what_an_auditor_reads() {
    let report = audit_report();
    let md = String::from_utf8(render(&report, ExportFormat::Md)).unwrap();
    for wanted in [
        "# Audit report: AUD-1 Internal audit 2026",
        "- **Type:** internal audit",
        "- **Dates:** 2026-03-02 to 2026-03-04",
        "  - Kim Roe (independent)",
        "- **Organisation:** Nordwind Logistik",
        "- **ISMS scope:** Head office and the Hamburg warehouse",
        "- **Audit criteria:** ISO/IEC 27001:2022 and the ISMS policy v3",
        "- **Classification:** Confidential",
        "| A.5 | Organizational controls |",
        "| 9.2 | Internal audit |",
        "- **Items:** 9.2 Internal audit<br>A.5.1 Policies for information security",
        "- **Nonconformity:** NC-1 (major), open, due 2026-04-30",
        "- **Nonconformity:** NC-2 (minor), corrective action in progress",
        "One major nonconformity was found: F-2: 6.1.2 Information security risk assessment.",
    ] {
        assert!(md.contains(wanted), "{wanted}\n{md}");
    }
    let html = String::from_utf8(render(&report, ExportFormat::Html)).unwrap();
    assert!(html.contains("5 findings recorded: 1 major nonconformity, 1 minor nonconformity"));
    assert!(html.contains("@top-left { content: \"ISO/IEC 27001 audit report\"; }"));
    // User text is text: no tag, link or table cell opened by a statement.
    assert!(!html.contains("<b>what was seen</b>"));
    assert!(html.contains("&lt;b&gt;what was seen&lt;/b&gt;"));
    assert!(md.contains("&lt;b>what was seen&lt;/b> \\[link\\](http://x) \\| cell"));
    // Bidi overrides and control characters are dropped in every format.
    let document = zip_part(&render(&report, ExportFormat::Docx), "word/document.xml");
    for text in [&html, &md, &document] {
        assert!(!text.contains('\u{202e}') && !text.contains('\u{7}'));
    }
}

#[test]
fn an_audit_without_findings_or_scope_says_so_and_finds_no_major_nonconformity() {
    let mut report = audit_report();
    report.findings.clear();
    report.scope.clear();
    report.audit.auditors.clear();
    let md = String::from_utf8(render(&report, ExportFormat::Md)).unwrap();
    assert!(md.contains("No scope recorded for this audit."));
    assert!(md.contains("### Major nonconformities (0)\n\nNone recorded."));
    assert!(md.contains("No finding was recorded in this audit."));
    assert!(md.contains("No major nonconformity was found."));
    assert!(md.contains("- **Auditors:** not recorded"));
    assert!(render_audit(&report, ExportFormat::Xlsx).is_err());
}

/// Issue 30: an audit programme (one clause not audited in 12 months), two nonconformities open
/// of three, and a review that missed input c).
fn sections() -> AuditSections {
    let row = |reference: &str, title: &str, last: Option<&str>, due: bool| CoverageRow {
        reference: reference.into(),
        title: title.into(),
        last: last.and_then(day),
        audits: last.map_or_else(Vec::new, |_| vec!["AUD-1".to_string()]),
        due,
    };
    let nc = |id: &str, overdue: bool| NcRow {
        id: id.into(),
        classification: "major".into(),
        source: "audit: F-2 in AUD-1".into(),
        raised_on: day("2026-03-04"),
        description: "Risk assessment not repeated after the warehouse move".into(),
        status: "open".into(),
        due: day("2026-03-05"),
        overdue,
        actions: "#2 open".into(),
    };
    let input = |letter: &str, presented: &str| ReviewInput {
        letter: letter.into(),
        label: format!("Input {letter}"),
        presented: presented.into(),
    };
    AuditSections {
        audits: vec![ProgrammeAudit {
            id: "AUD-1".into(),
            title: "Internal audit 2026".into(),
            kind: "internal audit".into(),
            dates: "2026-03-02 to 2026-03-04".into(),
            status: "done".into(),
            scope: "4, 5, 6.1.2, 9.2, A.5".into(),
            findings: [1, 1, 1, 0, 2],
        }],
        coverage: vec![
            row(
                "4",
                "Context of the organization",
                Some("2026-03-04"),
                false,
            ),
            row("7", "Support", None, true),
        ],
        open_ncs: vec![nc("NC-1", true), nc("NC-2", false)],
        nc_count: 3,
        review: Some(ReviewSummary {
            id: "MR-1".into(),
            date: day("2026-02-20"),
            attendees: "Ann Lee (CEO), Bo Ek (CISO)".into(),
            inputs: vec![input("a", "Actions of 2025 closed"), input("c", "")],
            decisions: "Budget for a second site audit.".into(),
            actions: "#7".into(),
        }),
        review_count: 1,
    }
}

fn readiness_report(audits: AuditSections) -> isms_ready::export::Report {
    use isms_ready::model::plan::{PlanTemplate, StepProgress};
    let q = Catalog::builtin().get("iso27001-2022").unwrap();
    let plan = PlanTemplate::builtin();
    let progress = vec![StepProgress::default(); plan.steps.len()];
    let answers = isms_ready::model::Answers::new(q.items.len());
    isms_ready::export::Report::build(
        &assessment(),
        &q,
        &answers,
        plan,
        &progress,
        day("2026-03-10").unwrap(),
    )
    .with_audits(audits)
}

#[test]
fn the_readiness_report_shows_the_programme_open_ncs_and_last_review_only_when_recorded() {
    use isms_ready::export::render;
    let wanted = [
        "Audit programme",
        "Open nonconformities",
        "Last management review",
    ];
    for (audits, shown) in [(sections(), true), (AuditSections::default(), false)] {
        let report = readiness_report(audits);
        let html = String::from_utf8(render(&report, ExportFormat::Html).unwrap()).unwrap();
        let md = String::from_utf8(render(&report, ExportFormat::Md).unwrap()).unwrap();
        let document = zip_part(
            &render(&report, ExportFormat::Docx).unwrap(),
            "word/document.xml",
        );
        let html_sections = html_headings(&html, "h2");
        assert_eq!(md_headings(&md, "## "), html_sections);
        assert_eq!(paragraphs_styled(&document, "Heading1"), html_sections);
        for title in wanted {
            assert_eq!(
                html_sections.iter().any(|h| h == title),
                shown,
                "{title}: {html_sections:?}"
            );
        }
        let xlsx = render(&report, ExportFormat::Xlsx).unwrap();
        let workbook = zip_part(&xlsx, "xl/workbook.xml");
        for sheet in ["Audit programme", "Open NCs", "Management review"] {
            assert_eq!(
                workbook.contains(&format!("name=\"{sheet}\"")),
                shown,
                "{sheet}"
            );
        }
    }
    let report = readiness_report(sections());
    let md = String::from_utf8(render(&report, ExportFormat::Md).unwrap()).unwrap();
    for line in [
        "Not audited in the last 12 months (9.2.2): 7.",
        "| AUD-1 | Internal audit 2026 | internal audit | 2026-03-02 to 2026-03-04 | done | 4, 5, 6.1.2, 9.2, A.5 | 1 major nonconformity, 1 minor nonconformity, 1 observation, 2 conformities |",
        "2 open of 3 recorded (1 closed).",
        "| NC-1 | major | audit: F-2 in AUD-1 | 2026-03-04 | Risk assessment not repeated after the warehouse move | open | 2026-03-05 (overdue) | \\#2 open |",
        "MR-1 held on 2026-02-20; inputs not covered: c.",
        "| c | Input c | not covered |",
    ] {
        assert!(md.contains(line), "{line}\n{md}");
    }
    let html = String::from_utf8(render(&report, ExportFormat::Html).unwrap()).unwrap();
    assert!(html.contains("<tr class=\"overdue\"><td class=\"ref\">NC-1</td>"));
    assert!(html.contains("<td class=\"rating-red\">not covered</td>"));
}

const NAME: &str = "Nordwind Logistik";

/// Through the store, as the CLI records them: an assessment with an action, a done internal
/// audit of clauses 4 to 6 and A.5 a year ago and another of 9 and 10 last week, five findings
/// of the last one (a major and a minor that opened NC-1 and NC-2), a closed NC-3 from an
/// incident, and a management review that did not cover input c).
fn recorded() -> Sandbox {
    let sandbox = Sandbox::new();
    let id = sandbox.create(
        NAME,
        "iso27001-2022",
        "Head office and the Hamburg warehouse",
        "Dana Auditor",
    );
    sandbox.with_store(|store| {
        store
            .add_action(id, NewAction::titled(vec![35], "Repeat the risk assessment"))
            .unwrap();
        let audit = |title: &str, kind, date: &str, end: Option<&str>, scope: &[&str]| Audit {
            title: title.into(),
            kind,
            date: day(date),
            end_date: end.and_then(day),
            auditors: "Kim Roe (independent); Lea Park".into(),
            scope: scope.iter().map(|s| s.to_string()).collect(),
            criteria: "ISO/IEC 27001:2022 and the ISMS policy v3".into(),
            status: AuditStatus::Done,
            ..Audit::default()
        };
        store
            .add_entry(
                id,
                &audit("Internal audit 2025", AuditType::Internal, "2025-02-10", None, &["4", "5", "6", "A.5"]),
            )
            .unwrap();
        store
            .add_entry(
                id,
                &audit(
                    "Internal audit 2026",
                    AuditType::Internal,
                    "2026-03-02",
                    Some("2026-03-04"),
                    &["6.1.2", "9", "10", "A.5.1"],
                ),
            )
            .unwrap();
        let finding = |kind, items: &[&str], statement: &str| Finding {
            audit: "AUD-2".into(),
            items: items.iter().map(|s| s.to_string()).collect(),
            kind,
            statement: statement.into(),
            evidence: "Risk register v4 (DOC-014), interview with the CISO on 2026-03-03".into(),
            auditee: "Bo Ek (CISO)".into(),
            ..Finding::default()
        };
        for f in [
            finding(FindingType::Conformity, &["9.2.1 a)"], "The audit programme is planned and followed."),
            finding(
                FindingType::Major,
                &["6.1.2"],
                "6.1.2 asks for a repeatable risk assessment; the register was not updated after the \
                 warehouse move of 2025-11-01, so the new site's risks are not assessed.",
            ),
            finding(FindingType::Minor, &["9.3.2", "A.5.1"], "Input c) was not presented at the last review."),
            finding(FindingType::Observation, &["10.2"], "Root causes are recorded in free text only."),
            finding(FindingType::Improvement, &["A.5.1"], "The policy could name its review cycle."),
        ] {
            store.add_entry(id, &f).unwrap();
        }
        let nc = |finding: &str, classification, status, due: &str| Nonconformity {
            finding: finding.into(),
            raised_on: day("2026-03-04"),
            description: "Raised from the audit".into(),
            requirement: vec!["6.1.2".into()],
            classification,
            status,
            due: day(due),
            ..Nonconformity::default()
        };
        let mut major = nc("F-2", Classification::Major, NcStatus::ActionInProgress, "2026-03-06");
        major.actions = vec!["ACT-1".into()];
        store.add_entry(id, &major).unwrap();
        store
            .add_entry(id, &nc("F-3", Classification::Minor, NcStatus::Open, "2026-06-30"))
            .unwrap();
        let mut closed = nc("", Classification::Minor, NcStatus::Closed, "2026-01-31");
        closed.source = isms_ready::model::audit::NcSource::Incident;
        closed.correction = "Laptop wiped remotely".into();
        closed.root_cause = "No disk encryption on spare laptops".into();
        closed.actions = vec!["ACT-1".into()];
        closed.verified_on = day("2026-02-15");
        closed.verified_by = "Kim Roe".into();
        closed.effective = isms_ready::model::audit::Effective::Yes;
        store.add_entry(id, &closed).unwrap();
        store
            .add_entry(
                id,
                &ManagementReview {
                    date: day("2026-02-20"),
                    attendees: "Ann Lee (CEO), Bo Ek (CISO)".into(),
                    input_a: "Actions of 2025: 4 of 5 closed".into(),
                    input_b: "New data protection law".into(),
                    input_d: "KPIs, audit results".into(),
                    input_e: "Two customer questionnaires".into(),
                    input_f: "Risk treatment plan 80 % done".into(),
                    input_g: "Automate access reviews".into(),
                    outputs: "Budget for a second site audit.".into(),
                    actions: vec!["ACT-1".into()],
                    ..ManagementReview::default()
                },
            )
            .unwrap();
    });
    sandbox
}

fn export(sandbox: &Sandbox, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["export", "-a", NAME, "-o", "-"];
    all.extend_from_slice(args);
    let output = sandbox
        .command()
        .env("ISMS_READY_TEST_NOW", "2026-03-10T10:00:00+01:00")
        .args(&all)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{all:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn export_audit_writes_the_report_of_one_audit_from_its_records() {
    let sandbox = recorded();
    let md = String::from_utf8(export(&sandbox, &["--format", "md", "--audit", "AUD-2"])).unwrap();
    for wanted in [
        "# Audit report: AUD-2 Internal audit 2026",
        "- **Type:** internal audit",
        "- **Dates:** 2026-03-02 to 2026-03-04",
        "  - Kim Roe (independent)\n  - Lea Park",
        "| 6.1.2 | Information security risk assessment |",
        "| 9 | Performance evaluation |",
        "### Major nonconformities (1)\n\n#### F-2: 6.1.2 Information security risk assessment",
        "- **Nonconformity:** NC-1 (major), corrective action in progress, due 2026-03-06",
        "- **Nonconformity:** NC-2 (minor), open, due 2026-06-30",
        "#### F-3: 9.3.2 Management review inputs and 1 more",
        "5 findings recorded: 1 major nonconformity, 1 minor nonconformity, 1 observation, 1 opportunity for improvement, 1 conformity.",
        "One major nonconformity was found: F-2: 6.1.2",
    ] {
        assert!(md.contains(wanted), "{wanted}\n{md}");
    }
    assert!(
        !md.contains("Internal audit 2025"),
        "only the audit asked for"
    );
    // "2" names AUD-2 too, and the three formats agree on the sections.
    let html = String::from_utf8(export(&sandbox, &["--format", "html", "--audit", "2"])).unwrap();
    let document = zip_part(
        &export(&sandbox, &["--format", "docx", "--audit", "aud-2"]),
        "word/document.xml",
    );
    assert_eq!(html_headings(&html, "h2"), md_headings(&md, "## "));
    assert_eq!(
        paragraphs_styled(&document, "Heading1"),
        md_headings(&md, "## ")
    );
    assert_eq!(html_headings(&html, "h4"), md_headings(&md, "#### "));
    // Unknown audits and formats without an audit report are refused with one line.
    for (args, says) in [
        (
            &["--format", "md", "--audit", "AUD-9"][..],
            "no audit AUD-9 in \"Nordwind Logistik\" (its audits: AUD-1, AUD-2)",
        ),
        (
            &["--format", "xlsx", "--audit", "AUD-1"][..],
            "--audit writes an audit report as html, docx or md, not xlsx",
        ),
    ] {
        let mut all = vec!["export", "-a", NAME, "-o", "-"];
        all.extend_from_slice(args);
        let output = sandbox.run(&all);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{stderr}");
        assert!(output.stdout.is_empty());
    }
    // The readiness report's options mean nothing to an audit report: a usage error.
    let output = sandbox.run(&[
        "export", "-a", NAME, "--format", "md", "--audit", "AUD-2", "--detail", "full",
    ]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_readiness_report_and_workbook_carry_the_programme_open_ncs_and_last_review() {
    let sandbox = recorded();
    let md = String::from_utf8(export(&sandbox, &["--format", "md"])).unwrap();
    for wanted in [
        "## Audit programme",
        "| AUD-1 | Internal audit 2025 | internal audit | 2025-02-10 | done | 4, 5, 6, A.5 | none |",
        "Not audited in the last 12 months (9.2.2): 4, 5, 7, 8, A.6, A.7, A.8.",
        "| 6 | Planning | 2026-03-04 | AUD-1, AUD-2 |  |",
        "| 7 | Support |  |  | due |",
        "## Open nonconformities\n\n2 open of 3 recorded (1 closed).",
        "| NC-1 | major | audit: F-2 in AUD-2 | 2026-03-04 | Raised from the audit | corrective action in progress | 2026-03-06 (overdue) | ACT-1 (to do) |",
        "| NC-2 | minor | audit: F-3 in AUD-2 |",
        "## Last management review\n\nMR-1 held on 2026-02-20; inputs not covered: c.",
        "| c | changes in the needs and expectations of interested parties | not covered |",
    ] {
        assert!(md.contains(wanted), "{wanted}\n{md}");
    }
    assert!(
        !md.contains("| NC-3 |"),
        "a closed NC is counted, not listed"
    );
    let xlsx = export(&sandbox, &["--format", "xlsx"]);
    let workbook = zip_part(&xlsx, "xl/workbook.xml");
    for sheet in [
        "Audit programme",
        "Open NCs",
        "Management review",
        "Audits",
        "Findings",
        "NCs",
        "Reviews",
    ] {
        assert!(
            workbook.contains(&format!("name=\"{sheet}\"")),
            "{sheet}: {workbook}"
        );
    }
}

/// The files `scripts/check_report_print.sh` prints (with `ISMS_READY_PRINT_DIR`; nothing is kept
/// without it): the audit report of `recorded`'s AUD-2 in HTML, DOCX and Markdown as the binary
/// writes them, the finding headings the printed HTML must hold whole, and the readiness report
/// with its audit sections.
#[test]
fn the_audit_report_files_for_the_print_check() {
    let sandbox = recorded();
    let md = String::from_utf8(export(&sandbox, &["--format", "md", "--audit", "AUD-2"])).unwrap();
    let headings = md_headings(&md, "#### ");
    assert_eq!(headings.len(), 5);
    let Some(dir) = std::env::var_os("ISMS_READY_PRINT_DIR") else {
        return;
    };
    let dir = std::path::Path::new(&dir);
    std::fs::write(dir.join("audit.md"), &md).unwrap();
    for format in ["html", "docx"] {
        std::fs::write(
            dir.join(format!("audit.{format}")),
            export(&sandbox, &["--format", format, "--audit", "AUD-2"]),
        )
        .unwrap();
    }
    let lines: String = headings.iter().map(|h| format!("{h}\n")).collect();
    std::fs::write(dir.join("audit-headings.txt"), lines).unwrap();
    for format in ["html", "docx"] {
        std::fs::write(
            dir.join(format!("readiness-audits.{format}")),
            export(&sandbox, &["--format", format]),
        )
        .unwrap();
    }
}

/// Found printing the audit report (issue 30): with a page per section, a five-finding audit took
/// four pages, two of them nearly empty. Only the scope starts a page after the cover; the
/// findings and the conclusion follow it, in HTML (print stylesheet: `.major` breaks before) and
/// in DOCX (`w:pageBreakBefore`). `scripts/check_report_print.sh` holds both to 3 pages.
#[test]
fn only_the_scope_starts_a_page_after_the_cover() {
    let report = audit_report();
    let html = String::from_utf8(render(&report, ExportFormat::Html)).unwrap();
    let majors: Vec<&str> = html
        .split("<section class=\"major\" id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(majors, ["audit-scope"]);
    let document = zip_part(&render(&report, ExportFormat::Docx), "word/document.xml");
    let breaking: Vec<String> = document
        .split("<w:p ")
        .filter(|p| p.contains("<w:pageBreakBefore />"))
        .map(|p| paragraphs_styled(&format!("<w:p {p}"), "Heading1").concat())
        .collect();
    assert_eq!(breaking, ["Audit scope"]);
}

/// The last review's inputs follow the assessment's edition: 2013 has six (a to f, performance
/// at c), 2022 seven (c: interested parties' changed needs); the latest review is the one shown.
#[test]
fn the_last_review_lists_the_inputs_of_the_assessment_s_edition() {
    use isms_ready::export::audit_report::AuditSections;
    use isms_ready::model::registers::Registers;
    let review = |id: &str, date: &str| ManagementReview {
        id: id.into(),
        date: day(date),
        input_a: "Actions closed".into(),
        ..ManagementReview::default()
    };
    let registers = Registers {
        reviews: vec![review("MR-2", "2026-02-20"), review("MR-1", "2025-02-20")],
        ..Registers::default()
    };
    let today = day("2026-03-10").unwrap();
    for (standard, letters, c) in [
        ("iso27001-2013", "a b c d e f", "performance"),
        ("iso27001-2022", "a b c d e f g", "changes in the needs"),
    ] {
        let q = Catalog::builtin().get(standard).unwrap();
        let sections = AuditSections::build(&q, &registers, &[], today);
        let last = sections.review.as_ref().unwrap();
        assert_eq!(last.id, "MR-2", "{standard}");
        let shown: Vec<&str> = last.inputs.iter().map(|i| i.letter.as_str()).collect();
        assert_eq!(shown.join(" "), letters, "{standard}");
        assert!(
            last.inputs[2].label.starts_with(c),
            "{standard}: {:?}",
            last.inputs[2]
        );
        assert_eq!(last.missing().len(), shown.len() - 1, "only a) covered");
        assert!(sections.audits.is_empty() && sections.nc_count == 0);
    }
}
