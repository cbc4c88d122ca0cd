//! Issue 15: the readiness report as a deliverable. The fixture is the issue's: a complete 2022
//! assessment with notes on a third of the items and a decided SoA, after one workshop session.
//! These tests check the structure of what the binary writes (HTML, Markdown, DOCX, XLSX, CSV);
//! `scripts/check_report_print.sh` prints the same HTML with Chromium and counts the pages
//! (`ISMS_READY_PRINT_DIR` makes `the_fixture_files_for_the_print_check` leave issue 28's full
//! assessment there).

mod common;
mod screen_kit;

use common::Sandbox;
use isms_ready::model::session::{NewSession, parse_participants};
use isms_ready::model::{Catalog, Change, Level, ReasonCode};
use std::io::Read;
use std::path::Path;

const NAME: &str = "Nordwind Logistik";

/// Every item answered (levels 0-4 in turn), notes on every third, every control decided.
fn complete_2022() -> Sandbox {
    let sandbox = Sandbox::new();
    let id = sandbox.create(
        NAME,
        "iso27001-2022",
        "Head office and the Hamburg warehouse",
        "Dana Auditor",
    );
    sandbox.with_store(|store| {
        store
            .start_session(
                id,
                &NewSession {
                    title: "Kick-off".into(),
                    date: "2026-11-10".into(),
                    facilitator: "Dana Auditor".into(),
                    participants: parse_participants("Ann Lee (CEO), Bo Ek (CISO)"),
                    focus: "4-10".into(),
                },
            )
            .unwrap();
    });
    let questionnaire = Catalog::builtin().get("iso27001-2022").unwrap();
    let count = questionnaire.items.len() as u32;
    sandbox.answer_all(NAME, 1..=count, |number| {
        let item = questionnaire.item(number).unwrap();
        let mut changes = vec![Change::Level(Some(
            Level::from_u8((number % 5) as u8).unwrap(),
        ))];
        if number % 3 == 0 {
            changes.push(Change::Note(format!(
                "Interviewed the owner about item {number}. The record exists but is not reviewed \
                 on a schedule; the evidence folder has last year's version only."
            )));
            changes.push(Change::Evidence(format!("DOC-{number:03}")));
        }
        if item.is_control() {
            let included = number % 4 != 1;
            changes.push(Change::Applicability {
                applicable: Some(included),
                reasons: if included {
                    vec![ReasonCode::RiskTreatment, ReasonCode::LegalRegulatory]
                } else {
                    vec![]
                },
                justification: if included {
                    String::new()
                } else {
                    "No such activity within the scope.".into()
                },
            });
            changes.push(Change::Owner("IT lead".into()));
        }
        changes
    });
    sandbox
}

/// Issue 28's print fixture: `complete_2022` after two workshops with their own participants, with
/// every register filled (long notes, dated decisions), actions with due dates and plan steps
/// started, due and done on given days.
fn printed_assessment() -> Sandbox {
    let sandbox = complete_2022();
    let a = ["-a", NAME];
    let run = |args: &[&str]| {
        let mut all = vec![args[0], args[1]];
        all.extend_from_slice(&a);
        all.extend_from_slice(&args[2..]);
        sandbox.ok(&all);
    };
    run(&[
        "session",
        "end",
        "--notes",
        "Clauses 4 to 10 walked through.",
    ]);
    run(&[
        "session",
        "start",
        "--title",
        "Annex A controls",
        "--date",
        "2026-11-24",
        "--participants",
        "Carla Diaz (IT lead), Dev Patel (HR lead)",
        "--focus",
        "A.5-A.8",
    ]);
    run(&[
        "context",
        "add",
        "--title",
        "New data protection law for logistics customers",
        "--kind",
        "external",
        "--influence",
        "3",
        "--control",
        "1",
        "--category",
        "legal",
        "--swot",
        "threat",
        "--owner",
        "Bo Ek",
        "--risks",
        "R-1, R-2",
        "--note",
        "The supervisory authority published its guidance on 2026-10-01; customers ask for evidence.",
    ]);
    run(&[
        "context",
        "add",
        "--title",
        "Small IT team",
        "--kind",
        "internal",
        "--influence",
        "2",
        "--control",
        "3",
        "--category",
        "resources",
        "--swot",
        "weakness",
    ]);
    run(&[
        "parties",
        "add",
        "--name",
        "Key account customers",
        "--needs",
        "Evidence of information security controls in every tender, including ISO/IEC 27001 certification.",
        "--influence",
        "3",
        "--control",
        "1",
        "--addressed",
        "Certification by 2027-06-30",
        "--contact",
        "Ann Lee",
    ]);
    run(&[
        "parties",
        "add",
        "--name",
        "Employees",
        "--kind",
        "internal",
        "--needs",
        "Clear rules and training",
        "--influence",
        "2",
        "--control",
        "3",
        "--contact",
        "Dev Patel",
        "--note",
        "R&D staff included",
    ]);
    run(&[
        "risks",
        "add",
        "--title",
        "Ransomware encrypts the warehouse management system",
        "--likelihood",
        "4",
        "--impact",
        "5",
        "--owner",
        "Carla Diaz",
        "--treatment",
        "mitigate",
        "--asset",
        "Warehouse management system",
        "--threat",
        "Ransomware",
        "--vulnerability",
        "Unpatched servers",
        "--controls",
        "A.8.8,A.8.13,A.5.30",
        "--residual-likelihood",
        "2",
        "--residual-impact",
        "4",
        "--accepted-on",
        "2026-11-24",
        "--note",
        "Backups are tested quarterly since 2026-09-15; the restore of 2026-11-20 took 6 hours.",
    ]);
    run(&[
        "risks",
        "add",
        "--title",
        "Supplier loses customer data",
        "--likelihood",
        "2",
        "--impact",
        "4",
        "--owner",
        "Bo Ek",
        "--treatment",
        "transfer",
        "--controls",
        "A.5.19,A.5.20",
    ]);
    run(&[
        "objectives",
        "add",
        "--objective",
        "Patch critical vulnerabilities quickly",
        "--measure",
        "Share of critical patches installed within 14 days",
        "--target",
        "95 %",
        "--owner",
        "Carla Diaz",
        "--due",
        "2027-03-31",
        "--status",
        "in_progress",
        "--evaluation",
        "Monthly patch report",
    ]);
    run(&[
        "action",
        "add",
        "--item",
        "4,5",
        "--title",
        "Write the ISMS scope statement",
        "--owner",
        "Bo Ek",
        "--due",
        "2026-12-01",
        "--effort",
        "S",
        "--priority",
        "1",
        "--step",
        "3",
        "--note",
        "Draft reviewed on 2026-11-24.",
    ]);
    run(&[
        "action",
        "add",
        "--item",
        "10",
        "--title",
        "Set up the risk assessment method",
        "--owner",
        "Carla Diaz",
        "--due",
        "2027-01-15",
        "--effort",
        "M",
    ]);
    run(&["plan", "set", "--step", "1", "--status", "done"]);
    run(&[
        "plan",
        "set",
        "--step",
        "2",
        "--start",
        "2026-11-10",
        "--due",
        "2026-12-15",
        "--owner",
        "Bo Ek",
    ]);
    run(&["plan", "set", "--step", "2", "--status", "in_progress"]);
    run(&[
        "plan",
        "set",
        "--step",
        "4",
        "--status",
        "blocked",
        "--reason",
        "Waiting for the board's decision on the scope.",
    ]);
    // Issue 30: an internal audit with its findings (the major and the minor one open NC-1 and
    // NC-2) and a management review that left input c) out.
    run(&[
        "audit",
        "add",
        "--type",
        "internal",
        "--title",
        "Internal audit 2026",
        "--date",
        "2026-11-02",
        "--end",
        "2026-11-04",
        "--auditor",
        "Kim Roe (independent); Lea Park",
        "--scope",
        "4,5,6,9,10,A.5",
        "--criteria",
        "ISO/IEC 27001:2022, the ISMS policy v3 and the customer contracts",
        "--status",
        "done",
    ]);
    for (kind, item, statement) in [
        (
            "major",
            "6.1.2",
            "The risk assessment was not repeated after the warehouse move of 2026-09-01: the new \
             site's risks are in no register and have no owner.",
        ),
        (
            "minor",
            "9.3.2",
            "The review of 2026-11-20 did not consider the changed needs of interested parties.",
        ),
        (
            "observation",
            "10.2",
            "Root causes are written as free text without a method.",
        ),
        (
            "conformity",
            "A.5.1",
            "The policy set is approved, published and reviewed yearly.",
        ),
    ] {
        run(&[
            "finding",
            "add",
            "--audit",
            "AUD-1",
            "--item",
            item,
            "--type",
            kind,
            "--statement",
            statement,
            "--evidence",
            "Risk register v4 (DOC-014), interview with the CISO on 2026-11-03",
            "--auditee",
            "Bo Ek (CISO)",
        ]);
    }
    run(&[
        "review",
        "add",
        "--date",
        "2026-11-20",
        "--attendees",
        "Ann Lee (CEO), Bo Ek (CISO), Carla Diaz (IT lead)",
        "--input",
        "a=Actions of the last review: 4 of 5 closed",
        "--input",
        "b=New data protection law for logistics customers",
        "--input",
        "d=KPIs of the quarter and the internal audit's results",
        "--input",
        "e=Two customer security questionnaires",
        "--input",
        "f=Risk treatment plan 80 % done",
        "--input",
        "g=Automate the access reviews",
        "--decisions",
        "Budget for the warehouse's access control; the scope stays as it is.",
    ]);
    run(&["session", "end"]);
    sandbox
}

fn export(sandbox: &Sandbox, format: &str, extra: &[&str]) -> Vec<u8> {
    let path = sandbox.dir.path().join(format!("report.{format}"));
    let path_text = path.to_str().unwrap();
    let mut args = vec![
        "export", "-a", NAME, "--format", format, "-o", path_text, "--force",
    ];
    args.extend_from_slice(extra);
    sandbox.ok(&args);
    std::fs::read(&path).unwrap()
}

fn titles() -> Vec<(String, String)> {
    let questionnaire = Catalog::builtin().get("iso27001-2022").unwrap();
    let mut titles: Vec<(String, String)> = questionnaire
        .groups()
        .iter()
        .map(|g| (g.id.to_string(), g.title.to_string()))
        .collect();
    titles.extend(
        questionnaire
            .items
            .iter()
            .filter(|i| i.is_control())
            .map(|i| (i.reference.clone(), i.title.clone())),
    );
    titles
}

fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("section {id}"));
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

#[test]
fn the_html_report_has_the_deliverable_structure_and_print_rules() {
    let sandbox = complete_2022();
    let html = String::from_utf8(export(&sandbox, "html", &[])).unwrap();
    // The sections in the order.
    let order = [
        "class=\"title-page\"",
        "id=\"executive\"",
        "id=\"overall\"",
        "id=\"pdca\"",
        "id=\"findings\"",
        "id=\"soa\"",
        "id=\"plan\"",
        "id=\"actions\"",
    ]
    .map(|marker| html.find(marker).unwrap_or_else(|| panic!("{marker}")));
    assert!(order.is_sorted(), "sections in order: {order:?}");
    // The cover: sessions held and who took part.
    let cover = &html[..order[1]];
    assert!(
        cover.contains("1 Kick-off <span class=\"nw\">(2026-11-10):</span>"),
        "{cover}"
    );
    assert!(cover.contains("Ann Lee (CEO)") && cover.contains("Bo Ek (CISO)"));
    // The executive summary: the verdict first, strongest, weakest, recommendations from notes.
    let executive = section(&html, "executive");
    let verdict = executive.find("id=\"verdict-line\"").unwrap();
    assert!(verdict < executive.find("Strongest").unwrap());
    assert!(executive.contains("Not yet ready for a certification audit"));
    assert_eq!(
        executive.matches("<li dir=\"auto\">").count(),
        5,
        "five recommendations"
    );
    assert!(executive.contains("Interviewed the owner about item"));
    // No appendix by default; with --detail full there is one with every item.
    assert!(!html.contains("id=\"items\""));
    // Every table that holds titles has fixed column widths; refs never wrap; reason labels are
    // words; the SoA gets landscape pages and shows owner, risks and notes.
    assert!(
        !html.contains("<table>\n<thead><tr><th>Ref"),
        "a ref table without widths"
    );
    assert!(html.contains("table.fixed { table-layout: fixed; }"));
    assert!(html.contains("td.ref, .nw { white-space: nowrap; }"));
    assert!(!html.contains("overflow-wrap: anywhere"));
    assert!(!html.contains("overflow-wrap: break-word"));
    assert!(html.contains("overflow-wrap: normal; word-break: normal; hyphens: manual;"));
    assert!(html.contains("@bottom-right { content: \"Page \" counter(page)"));
    assert!(html.contains("thead { display: table-header-group; }"));
    let soa = section(&html, "soa");
    assert!(soa.starts_with("id=\"soa\"") && html.contains("class=\"major landscape\" id=\"soa\""));
    for header in ["Owner", "Risks", "Evidence", "Note", "Reasons"] {
        assert!(soa.contains(&format!("<th>{header}</th>")), "{header}");
    }
    assert!(soa.contains("risk treatment, legal or regulatory"));
    assert!(!soa.contains("risk_treatment"));
    // Every clause and control title is in the report, whole.
    for (reference, title) in titles() {
        let escaped = title.replace('&', "&amp;").replace('\'', "&#39;");
        assert!(html.contains(&escaped), "{reference} {title}");
    }
    // Charts are inline SVG: no script, no request.
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
    assert!(
        html.matches("<svg").count() >= 2,
        "clause and domain charts"
    );

    let full = String::from_utf8(export(&sandbox, "html", &["--detail", "full"])).unwrap();
    let items = section(&full, "items");
    assert!(items.contains("Appendix: every item"));
}

/// The files `scripts/check_report_print.sh` prints: issue 28's full assessment in every format,
/// left in `ISMS_READY_PRINT_DIR` (nothing is kept without it).
#[test]
fn the_fixture_files_for_the_print_check() {
    let sandbox = printed_assessment();
    let html = String::from_utf8(export(&sandbox, "html", &[])).unwrap();
    for section in [
        "id=\"registers\"",
        "id=\"actions\"",
        "id=\"trend\"",
        "Annex A controls",
        "id=\"audit-programme\"",
        "id=\"nonconformities\"",
        "id=\"last-review\"",
    ] {
        assert!(html.contains(section), "{section}");
    }
    let Some(dir) = std::env::var_os("ISMS_READY_PRINT_DIR") else {
        return;
    };
    let dir = Path::new(&dir);
    std::fs::write(dir.join("report.html"), &html).unwrap();
    for format in ["docx", "xlsx", "md"] {
        std::fs::write(
            dir.join(format!("report.{format}")),
            export(&sandbox, format, &[]),
        )
        .unwrap();
    }
    let titles: String = titles()
        .into_iter()
        .map(|(reference, title)| format!("{reference}\t{title}\n"))
        .collect();
    std::fs::write(dir.join("titles.tsv"), titles).unwrap();
}

#[test]
fn markdown_follows_the_same_structure() {
    let sandbox = complete_2022();
    let md = String::from_utf8(export(&sandbox, "md", &[])).unwrap();
    let order = [
        "## Executive summary",
        "**Verdict:**",
        "## Readiness by clause",
        "## Findings",
        "## Statement of Applicability",
        "## Certification plan",
        "## Roadmap",
    ]
    .map(|marker| md.find(marker).unwrap_or_else(|| panic!("{marker}")));
    assert!(order.is_sorted(), "{order:?}");
    assert!(md.contains("- **Workshops:** 1 Kick-off (2026-11-10): "));
    assert!(md.contains("risk treatment, legal or regulatory"));
    assert!(!md.contains("## Appendix"));
    let full = String::from_utf8(export(&sandbox, "md", &["--detail", "full"])).unwrap();
    assert!(full.contains("## Appendix: every item"));
}

/// The text of one part of a zip (DOCX, XLSX).
fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("no {name}"));
    let mut text = String::new();
    part.read_to_string(&mut text).unwrap();
    text
}

fn zip_names(bytes: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    archive.file_names().map(str::to_string).collect()
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
        })
        .collect()
}

#[test]
fn the_docx_has_word_headings_tables_and_vector_charts() {
    let sandbox = complete_2022();
    let bytes = export(&sandbox, "docx", &[]);
    let document = zip_part(&bytes, "word/document.xml");
    let headings = paragraphs_styled(&document, "Heading1");
    assert_eq!(
        headings[..5],
        [
            "Executive summary",
            "Readiness by clause and domain",
            "PDCA matrix",
            "Trend over the workshop sessions",
            "Audit readiness",
        ]
    );
    assert!(headings.iter().any(|h| h.starts_with("Certification plan")));
    let subheadings = paragraphs_styled(&document, "Heading2");
    assert!(subheadings.contains(&"Top recommendations".to_string()));
    let styles = zip_part(&bytes, "word/styles.xml");
    assert!(styles.contains("w:styleId=\"Heading1\"") && styles.contains("heading 1"));
    assert!(document.matches("<w:tbl>").count() > 10, "tables");
    assert!(document.contains("risk treatment, legal or regulatory"));
    // Issue 28: the charts are tables of shaded cells (vector, sharp in print), no pictures.
    let pictures: Vec<String> = zip_names(&bytes)
        .into_iter()
        .filter(|n| n.starts_with("word/media/"))
        .collect();
    assert_eq!(pictures, Vec::<String>::new());
    assert_eq!(
        document
            .matches("<w:tblBorders><w:insideH w:val=\"single\" w:sz=\"24\" w:space=\"0\" w:color=\"FFFFFF\" /></w:tblBorders>")
            .count(),
        2,
        "clause and domain charts: tables with only a white rule between the bars"
    );
    assert!(document.contains("w:fill=\"E4E7EC\""), "the bars' tracks");
}

#[test]
fn the_docx_opens_in_libreoffice() {
    let Ok(status) = std::process::Command::new("soffice")
        .arg("--version")
        .output()
    else {
        eprintln!("skipped: soffice (LibreOffice) is not installed");
        return;
    };
    assert!(status.status.success());
    let sandbox = complete_2022();
    let bytes = export(&sandbox, "docx", &[]);
    let dir = sandbox.dir.path().join("pdf");
    std::fs::create_dir_all(&dir).unwrap();
    let docx = sandbox.dir.path().join("report.docx");
    std::fs::write(&docx, bytes).unwrap();
    let out = std::process::Command::new("soffice")
        .env("HOME", sandbox.dir.path())
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&docx)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let pdf = std::fs::read(dir.join("report.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
}

#[test]
fn csv_for_excel_starts_with_a_byte_order_mark_and_the_default_does_not() {
    let sandbox = complete_2022();
    let plain = export(&sandbox, "csv", &[]);
    assert!(!plain.starts_with(&[0xEF, 0xBB, 0xBF]));
    let excel = export(&sandbox, "csv", &["--excel"]);
    assert_eq!(&excel[..3], &[0xEF, 0xBB, 0xBF]);
    assert_eq!(&excel[3..], &plain[..]);
}

#[test]
fn the_xlsx_prints_every_sheet_and_charts_readiness_on_the_summary() {
    use calamine::{Data, Reader, Xlsx};
    let sandbox = complete_2022();
    let bytes = export(&sandbox, "xlsx", &[]);
    let names = zip_names(&bytes);
    let sheets: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .collect();
    assert_eq!(sheets.len(), 5, "{names:?}");
    for sheet in &sheets {
        let xml = zip_part(&bytes, sheet);
        assert!(
            xml.contains("<pageSetUpPr fitToPage=\"1\"/>"),
            "{sheet}: fit to page"
        );
        assert!(
            xml.contains("paperSize=\"9\"")
                && xml.contains("orientation=\"landscape\"")
                && xml.contains("fitToHeight=\"0\""),
            "{sheet}: A4 landscape, one page wide"
        );
        assert!(
            xml.contains("Page &amp;P of &amp;N"),
            "{sheet}: page numbers"
        );
    }
    // Print area and repeated header row: one of each per sheet.
    let workbook = zip_part(&bytes, "xl/workbook.xml");
    assert_eq!(
        workbook.matches("_xlnm.Print_Area").count(),
        5,
        "{workbook}"
    );
    assert_eq!(
        workbook.matches("_xlnm.Print_Titles").count(),
        5,
        "{workbook}"
    );
    // The data sheets freeze their header row; the Summary freezes nothing.
    let summary = zip_part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(!summary.contains("<pane "), "the Summary is not frozen");
    let clauses = zip_part(&bytes, "xl/worksheets/sheet2.xml");
    assert!(clauses.contains("<pane ySplit=\"1\" topLeftCell=\"A2\""));
    // The native chart on the Summary: a bar chart over the clause figures.
    let chart = zip_part(&bytes, "xl/charts/chart1.xml");
    assert!(chart.contains("<c:barChart>"));
    assert!(
        chart.contains("Summary!$C$"),
        "values from the Summary sheet"
    );
    assert!(zip_part(&bytes, "xl/worksheets/_rels/sheet1.xml.rels").contains("drawing"));

    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let summary = book.worksheet_range("Summary").unwrap();
    assert!(
        matches!(summary.get((0, 0)), Some(Data::String(t)) if t == "Readiness report: Nordwind Logistik")
    );
    assert!(matches!(summary.get((1, 0)), Some(Data::String(t)) if t.starts_with("Not yet ready")));
    assert!(matches!(summary.get((3, 0)), Some(Data::String(t)) if t == "Overall readiness %"));
    assert!(
        matches!(summary.get((3, 1)), Some(Data::Float(_))),
        "the headline figure"
    );
    let soa = book.worksheet_range("SoA").unwrap();
    let header: Vec<String> = soa
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let note = header
        .iter()
        .position(|h| h == "Note")
        .expect("a Note column");
    let reasons = header.iter().position(|h| h == "Reasons").unwrap();
    let rows: Vec<_> = soa.rows().skip(1).collect();
    assert!(
        rows.iter()
            .any(|r| r[note].to_string().starts_with("Interviewed the owner"))
    );
    assert!(
        rows.iter()
            .any(|r| r[reasons] == "risk treatment, legal or regulatory")
    );
    assert!(rows.iter().all(|r| !r[reasons].to_string().contains('_')));
}

#[test]
fn an_undecided_control_with_nothing_recorded_is_listed_by_ref_not_as_an_empty_row() {
    let sandbox = complete_2022();
    // A.5.1 back to undecided with nothing on it; A.5.2 undecided but with a note.
    let questionnaire = Catalog::builtin().get("iso27001-2022").unwrap();
    let number = |reference: &str| {
        questionnaire
            .items
            .iter()
            .find(|i| i.reference == reference)
            .unwrap()
            .number
    };
    let blank = |note: &str| {
        vec![
            Change::Level(None),
            Change::Note(note.into()),
            Change::Evidence(String::new()),
            Change::Owner(String::new()),
            Change::Applicability {
                applicable: None,
                reasons: vec![],
                justification: String::new(),
            },
        ]
    };
    sandbox.answer(NAME, number("A.5.1"), &blank(""));
    sandbox.answer(NAME, number("A.5.2"), &blank("Roles are being drafted."));
    let html = String::from_utf8(export(&sandbox, "html", &[])).unwrap();
    let soa = section(&html, "soa");
    assert!(
        !soa.contains("<td class=\"ref\">A.5.1</td>"),
        "no empty row"
    );
    assert!(
        soa.contains("<td class=\"ref\">A.5.2</td>"),
        "a row: it has a note"
    );
    assert!(soa.contains(
        "<p id=\"undecided\"><strong>Not decided yet, nothing recorded (1):</strong> A.5.1.</p>"
    ));
    let full = String::from_utf8(export(&sandbox, "html", &["--detail", "full"])).unwrap();
    assert!(section(&full, "soa").contains("<td class=\"ref\">A.5.1</td>"));
    assert!(!full.contains("id=\"undecided\""));
}

/// The top-level headings of a report, as its reader sees them: the HTML's `<h2>`s, the DOCX's
/// "Heading1" paragraphs, the Markdown's `## ` lines (the table of contents left out).
fn html_sections(html: &str) -> Vec<String> {
    html.split("<h2")
        .skip(1)
        .map(|h| {
            let text = &h[h.find('>').unwrap() + 1..h.find("</h2>").unwrap()];
            text.replace("&amp;", "&").replace("&#39;", "'")
        })
        .filter(|h| h != "Contents")
        .collect()
}

fn md_sections(md: &str) -> Vec<String> {
    md.lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(str::to_string)
        .filter(|h| h != "Contents")
        .collect()
}

/// Issue 28: the DOCX and the Markdown are the same report as the HTML: the same sections, in
/// the same order, by default and with `--detail full`.
#[test]
fn html_docx_and_markdown_have_the_same_sections() {
    let sandbox = printed_assessment();
    for extra in [&[][..], &["--detail", "full"][..]] {
        let html = String::from_utf8(export(&sandbox, "html", extra)).unwrap();
        let md = String::from_utf8(export(&sandbox, "md", extra)).unwrap();
        let document = zip_part(&export(&sandbox, "docx", extra), "word/document.xml");
        let html = html_sections(&html);
        let docx: Vec<String> = paragraphs_styled(&document, "Heading1")
            .into_iter()
            .map(|h| h.replace("&amp;", "&").replace("&apos;", "'"))
            .collect();
        let md = md_sections(&md);
        for wanted in [
            "Executive summary",
            "PDCA matrix",
            "Trend over the workshop sessions",
            "Statement of Applicability",
            "Registers",
            "Audit programme",
            "Open nonconformities",
            "Last management review",
            "Roadmap: actions Now, Next, Later",
            "How the figures are scored",
        ] {
            assert!(html.iter().any(|h| h == wanted), "{wanted}: {html:?}");
        }
        assert_eq!(docx, html, "DOCX and HTML sections ({extra:?})");
        assert_eq!(md, html, "Markdown and HTML sections ({extra:?})");
    }
}

/// The words of a text that look like a program's codes: lower-case words joined by `_`
/// ("in_progress", "risk_treatment").
fn snake_case_codes(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| {
            let parts: Vec<&str> = w.split('_').collect();
            parts.len() > 1
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        })
        .map(str::to_string)
        .collect();
    found.dedup();
    found
}

/// The text a reader sees: the HTML without its stylesheet, tags and attributes.
fn visible_html(html: &str) -> String {
    let body = &html[html.find("</style>").unwrap()..];
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The text of every `<tag ...>text</tag>` in an XML part.
fn xml_texts(xml: &str, tag: &str) -> String {
    xml.split(&format!("<{tag}"))
        .skip(1)
        .filter_map(|t| {
            let start = t.find('>')? + 1;
            let end = t.find(&format!("</{tag}>"))?;
            (start <= end).then(|| t[start..end].to_string())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Issue 28: no report shows a raw code (in_progress, risk_treatment, legal_regulatory): HTML,
/// Markdown, DOCX and XLSX, by default and in full.
#[test]
fn no_report_shows_a_raw_code() {
    let sandbox = printed_assessment();
    for extra in [&[][..], &["--detail", "full"][..]] {
        let html = String::from_utf8(export(&sandbox, "html", extra)).unwrap();
        let md = String::from_utf8(export(&sandbox, "md", extra)).unwrap();
        let docx = xml_texts(
            &zip_part(&export(&sandbox, "docx", extra), "word/document.xml"),
            "w:t",
        );
        let xlsx = xml_texts(
            &zip_part(&export(&sandbox, "xlsx", extra), "xl/sharedStrings.xml"),
            "t",
        );
        for (format, text) in [
            ("html", visible_html(&html)),
            ("md", md),
            ("docx", docx),
            ("xlsx", xlsx),
        ] {
            assert!(text.len() > 10_000, "{format}: the whole report");
            assert_eq!(
                snake_case_codes(&text),
                Vec::<String>::new(),
                "{format} {extra:?}"
            );
        }
    }
    assert_eq!(
        snake_case_codes("status in_progress, risk_treatment; fine words"),
        ["in_progress", "risk_treatment"]
    );
}

/// Issue 28: the DOCX prints as a deliverable: table header rows repeat on every page, the SoA
/// and the registers are on landscape pages, the cover starts with a fact (no empty row), tables
/// are 9 pt Arial, and no table column is narrower than its longest word.
#[test]
fn the_docx_repeats_headers_turns_the_soa_landscape_and_starts_the_cover_with_a_fact() {
    let sandbox = printed_assessment();
    let document = zip_part(&export(&sandbox, "docx", &[]), "word/document.xml");
    let tables = document.matches("<w:tbl>").count();
    let headers = document.matches("<w:tblHeader />").count();
    assert_eq!(
        headers,
        tables - 4,
        "every table but the cover's, the two charts' and the management review's facts (issue \
         30: label and value, no header) repeats its header"
    );
    let landscape = document.matches("w:orient=\"landscape\"").count();
    assert_eq!(landscape, 1, "one landscape section");
    assert_eq!(
        document.matches("<w:footerReference").count(),
        document.matches("<w:sectPr").count(),
        "every section has the footer (page number, confidentiality)"
    );
    let soa = document.find(">Statement of Applicability<").unwrap();
    let registers = document.find(">Registers<").unwrap();
    let landscape_end = document.find("w:orient=\"landscape\"").unwrap();
    assert!(soa < registers && registers < landscape_end);
    let plan = document.find(">Certification plan<").unwrap();
    assert!(landscape_end < plan, "the plan is back on portrait pages");
    let cover = &document[document.find("<w:tbl>").unwrap()..];
    let first_row = &cover[..cover.find("</w:tr>").unwrap()];
    assert!(first_row.contains(">Prepared for<"), "{first_row}");
    assert!(document.contains("<w:sz w:val=\"18\" />"), "9 pt tables");
    assert!(
        !document.contains("<w:sz w:val=\"16\" />"),
        "no 8 pt tables"
    );
    let styles = zip_part(&export(&sandbox, "docx", &[]), "word/styles.xml");
    assert!(styles.contains("w:ascii=\"Arial\""), "a sans-serif font");
    // Dates and ids never break at their hyphen (non-breaking hyphens in table cells).
    assert!(document.contains("2026\u{2011}11\u{2011}24"));
}

/// Issue 28: every XLSX row with wrapped text has a stored height (LibreOffice prints it over
/// the next rows otherwise), every cell has a border, and the empty Notice row is gone.
#[test]
fn xlsx_rows_are_as_tall_as_their_wrapped_text() {
    let sandbox = printed_assessment();
    let bytes = export(&sandbox, "xlsx", &[]);
    let clauses = zip_part(&bytes, "xl/worksheets/sheet2.xml");
    // Item 3 has a note of 130 characters in a 50 wide column: three lines at least.
    let row = clauses
        .split("<row ")
        .find(|r| r.starts_with("r=\"4\""))
        .unwrap();
    let height: f64 = row
        .split("ht=\"")
        .nth(1)
        .and_then(|h| h.split('"').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(height >= 45.0, "{row}");
    let styles = zip_part(&bytes, "xl/styles.xml");
    assert!(styles.contains("<left style=\"thin\">"), "cell borders");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    let summary = book.worksheet_range("Summary").unwrap();
    assert!(
        summary.rows().all(|r| r[0] != "Notice"),
        "no Notice row when nothing is superseded"
    );
}

/// Issue 28: a cover a consultancy can sign, in HTML, DOCX and Markdown: prepared for and by,
/// date, version, the confidentiality marking, each workshop with its own participants; HTML
/// and DOCX have a table of contents.
#[test]
fn the_cover_names_client_assessor_version_marking_and_each_workshop_with_its_people() {
    let sandbox = printed_assessment();
    let html = visible_html(&String::from_utf8(export(&sandbox, "html", &[])).unwrap());
    let md = String::from_utf8(export(&sandbox, "md", &[])).unwrap();
    let docx = xml_texts(
        &zip_part(&export(&sandbox, "docx", &[]), "word/document.xml"),
        "w:t",
    )
    .replace('\u{2011}', "-");
    let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let workshops = [
        "1 Kick-off (2026-11-10): Dana Auditor (facilitator), Ann Lee (CEO), Bo Ek (CISO)",
        "2 Annex A controls (2026-11-24): Dana Auditor (facilitator), Carla Diaz (IT lead), Dev Patel (HR lead)",
    ];
    for (format, text) in [
        ("html", flat(&html)),
        ("md", flat(&md)),
        ("docx", flat(&docx)),
    ] {
        for wanted in [
            "Prepared for",
            "Nordwind Logistik",
            "Prepared by",
            "Dana Auditor",
            "Version",
            "Confidential \u{2014} client and assessor only",
            workshops[0],
            workshops[1],
        ] {
            assert!(text.contains(wanted), "{format}: {wanted}");
        }
        if format == "md" {
            // Markdown reads as text: no entity, backslash or tag where plain text would do.
            for noise in ["&amp;", "\\#", "<br>"] {
                assert!(!text.contains(noise), "md: {noise}");
            }
            assert!(text.contains("R&D staff included") && text.contains("4.1 #1"));
        }
        let cover_end = text.find("Executive summary").unwrap();
        assert!(
            !text[..cover_end].contains("Participants"),
            "{format}: no merged list"
        );
        if format != "md" {
            let contents = text.find("Contents").expect("a table of contents");
            assert!(
                text[contents..].contains("Statement of Applicability"),
                "{format}"
            );
        }
    }
}

/// Issue 28: one word for each level everywhere (the findings rule uses the level labels, no
/// "initial"), an excluded control without a level reads "excluded", never "not answered", and
/// the Annex A chart is captioned per domain.
#[test]
fn levels_read_the_same_everywhere_and_an_excluded_control_is_never_not_answered() {
    let sandbox = printed_assessment();
    let questionnaire = Catalog::builtin().get("iso27001-2022").unwrap();
    let a51 = questionnaire
        .items
        .iter()
        .find(|i| i.reference == "A.5.1")
        .unwrap()
        .number;
    sandbox.answer(
        NAME,
        a51,
        &[
            Change::Level(None),
            Change::Applicability {
                applicable: Some(false),
                reasons: vec![],
                justification: "Outside the scope.".into(),
            },
        ],
    );
    let html = String::from_utf8(export(&sandbox, "html", &[])).unwrap();
    let md = String::from_utf8(export(&sandbox, "md", &[])).unwrap();
    let docx = xml_texts(
        &zip_part(&export(&sandbox, "docx", &[]), "word/document.xml"),
        "w:t",
    );
    for (format, text) in [("html", &html), ("md", &md), ("docx", &docx)] {
        assert!(!text.contains("(initial)"), "{format}");
        assert!(text.contains("level 0 (Absent) or 1 (Planned)"), "{format}");
    }
    let soa = section(&html, "soa");
    let row = &soa[soa.find("<td class=\"ref\">A.5.1</td>").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains(">excluded</td>") && !row.contains("not answered"),
        "{row}"
    );
    let md_row = md.lines().find(|l| l.starts_with("| A.5.1 |")).unwrap();
    assert!(!md_row.contains("not answered"), "{md_row}");
    assert!(html.contains("<figcaption>Readiness per Annex A domain;"));
    assert!(
        !html.contains("Certification plan: "),
        "no redundant plan heading"
    );
}

/// Issue 28: the Export screen offers what the CLI offers: HTML in full detail, CSV for Excel
/// and JSON with history (for merge), each written with its option.
#[test]
fn the_export_screen_offers_full_detail_csv_for_excel_and_json_with_history() {
    use isms_ready::tui::Screen;
    use screen_kit::{acme_on, draw, press, status};
    let mut app = acme_on(Screen::Export);
    let dir = tempfile::tempdir().unwrap();
    app.export_dir = dir.path().to_path_buf();
    let screen = draw(&app, 100, 30);
    for offer in [
        "html+",
        "csv+",
        "json+",
        "full detail",
        "CSV for Excel",
        "JSON with history",
    ] {
        assert!(screen.contains(offer), "{offer}: {screen}");
    }
    let written = |app: &isms_ready::tui::App| {
        let message = status(app);
        assert!(message.contains("Wrote"), "{message}");
        let path = message
            .split("Wrote ")
            .nth(1)
            .unwrap()
            .split(" (")
            .next()
            .unwrap();
        std::fs::read(path.trim()).unwrap()
    };
    // html+ is the second line.
    press(&mut app, "gj<Enter>");
    let html = String::from_utf8(written(&app)).unwrap();
    assert!(html.contains("id=\"items\""), "the appendix of every item");
    // csv+ is the seventh line.
    press(&mut app, "gjjjjjj<Enter>");
    assert!(
        written(&app).starts_with(&[0xEF, 0xBB, 0xBF]),
        "byte order mark"
    );
    // json+ is the ninth line.
    press(&mut app, "gjjjjjjjj<Enter>");
    let json: serde_json::Value = serde_json::from_slice(&written(&app)).unwrap();
    assert!(
        json.get("history").is_some(),
        "{}",
        json.as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(",")
    );
}

/// Issue 28, point 5: "prepared by" names the assessor and the firm. The firm is set once: a
/// new assessment in the same file starts with the newest firm; `edit --firm` changes it; it
/// reaches the cover of every format and the XLSX summary, and survives an export and import.
#[test]
fn the_cover_names_the_firm_set_once_for_the_practice() {
    let sandbox = printed_assessment();
    let edited = sandbox.ok(&["edit", "-a", NAME, "--firm", "Harbour Risk Partners"]);
    assert!(
        edited.contains("firm \"Harbour Risk Partners\""),
        "{edited}"
    );
    let html = visible_html(&String::from_utf8(export(&sandbox, "html", &[])).unwrap());
    let md = String::from_utf8(export(&sandbox, "md", &[])).unwrap();
    let docx = xml_texts(
        &zip_part(&export(&sandbox, "docx", &[]), "word/document.xml"),
        "w:t",
    );
    let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    for (format, text) in [
        ("html", flat(&html)),
        ("md", flat(&md)),
        ("docx", flat(&docx)),
    ] {
        let by = text.find("Prepared by").expect(format);
        let cover = &text[by..text.find("Executive summary").unwrap()];
        let assessor = cover.find("Dana Auditor").expect(format);
        let firm = cover.find("Harbour Risk Partners").expect(format);
        assert!(
            assessor < firm,
            "{format}: the assessor, then the firm: {cover}"
        );
    }
    let bytes = export(&sandbox, "xlsx", &[]);
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    let summary = book.worksheet_range("Summary").unwrap();
    let firm_row = summary.rows().find(|r| r[0] == "Firm").expect("a Firm row");
    assert_eq!(firm_row[1].to_string(), "Harbour Risk Partners");

    // The next client in the same file starts with the practice's firm; an explicit one wins.
    sandbox.ok(&[
        "new",
        "--name",
        "Second client",
        "--assessor",
        "Dana Auditor",
    ]);
    sandbox.ok(&["new", "--name", "Third client", "--firm", "Other & Co"]);
    assert_eq!(
        firm_of_json(&sandbox, "Second client"),
        "Harbour Risk Partners"
    );
    assert_eq!(firm_of_json(&sandbox, "Third client"), "Other & Co");

    // The JSON document carries it; an import brings it back.
    let document = String::from_utf8(export(&sandbox, "json", &[])).unwrap();
    assert!(
        document.contains("\"firm\": \"Harbour Risk Partners\""),
        "json"
    );
    let file = sandbox.db().with_file_name("carried.json");
    std::fs::write(&file, document).unwrap();
    sandbox.ok(&["import", file.to_str().unwrap(), "--as", "Carried"]);
    assert_eq!(firm_of_json(&sandbox, "Carried"), "Harbour Risk Partners");

    // Cleared, the cover falls back to the assessor alone and the summary has no empty row.
    sandbox.ok(&["edit", "-a", NAME, "--firm", ""]);
    let bytes = export(&sandbox, "xlsx", &[]);
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let summary = book.worksheet_range("Summary").unwrap();
    assert!(summary.rows().all(|r| r[0] != "Firm"), "no empty Firm row");
}

fn firm_of_json(sandbox: &Sandbox, name: &str) -> String {
    let list = sandbox.json(&["list", "--json"]);
    list.as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap()["firm"]
        .as_str()
        .unwrap()
        .to_string()
}
