//! The readiness report as an editable Word document (`docx-rs`): the same sections as the HTML
//! report (`Report::outline`), with real Word headings (styles "Heading1".."Heading3", named
//! "heading 1".. so Word's navigation pane and table of contents find them), tables whose header
//! rows repeat on every page, and the readiness charts as tables of shaded cells (vector: sharp in
//! print, in the document's font; every value is also in the table below the chart).

pub mod audit;
mod document;

use super::report::{Detail, ItemRow, PDCA_STAGES, Report, day, level_text, stages_reached};
use crate::score::{AMBER_FROM, GREEN_FROM, GroupSummary, Rating};
use document::*;
use docx_rs::{BreakType, Paragraph, Run, Table, TableCell, TableLayoutType, TableRow, WidthType};

pub fn write(report: &Report) -> Result<Vec<u8>, String> {
    let mut doc = Document::new();
    cover(&mut doc, report);
    // The SoA and the registers are on landscape pages (a section of their own): their many
    // columns fit without a broken word.
    let mut landscape = false;
    for section in report.outline() {
        let doc = &mut doc;
        let wide = matches!(section.id, "soa" | "registers");
        if wide != landscape {
            doc.end_section(landscape);
            landscape = wide;
        }
        match section.id {
            "executive" => executive(doc, report),
            "overall" => readiness(doc, report),
            "pdca" => pdca_matrix(doc, report),
            "trend" => trend(doc, report),
            "verdict" => verdict(doc, report),
            "findings" => findings(doc, report),
            "audit-programme" => audit::programme(doc, report),
            "nonconformities" => audit::nonconformities(doc, report),
            "last-review" => audit::management_review(doc, report),
            "merge-conflicts" => merge_conflicts(doc, report),
            "soa" => soa(doc, report),
            "registers" => registers(doc, report),
            "plan" => plan(doc, report),
            "actions" => actions(doc, report),
            "gaps" => largest_gaps(doc, report),
            "not-discussed" => not_yet_discussed(doc, report),
            "items" => appendix(doc, report),
            "rules" => rules(doc, report),
            _ => {}
        }
    }
    if landscape {
        doc.end_section(true);
    }
    doc.pack()
}

fn cover(doc: &mut Document, report: &Report) {
    let a = &report.assessment;
    doc.paragraph(
        Paragraph::new()
            .style("Title")
            .add_run(Run::new().add_text(&a.name)),
    );
    doc.text("ISO/IEC 27001 certification readiness report");
    doc.facts(
        report
            .cover()
            .into_iter()
            .map(|(label, lines)| vec![label.to_string(), lines.join("\n")])
            .collect(),
    );
    if let Some(notice) = &report.superseded_notice {
        doc.text(&format!("Warning: {notice}"));
    }
    doc.paragraph(
        Paragraph::new()
            .keep_next(true)
            .add_run(Run::new().add_text("Contents").bold().size(26)),
    );
    for (index, section) in report.outline().iter().enumerate() {
        doc.text(&format!("{}. {}", index + 1, section.title));
    }
}

fn group_line(g: &GroupSummary) -> String {
    format!(
        "{} {}: {} assessed ({}), coverage {} %",
        g.clause,
        g.title,
        g.figures
            .assessed_readiness
            .map_or_else(|| "not assessed".to_string(), |p| format!("{p} %")),
        g.figures.rating.words(),
        g.figures.coverage
    )
}

fn executive(doc: &mut Document, report: &Report) {
    let executive = report.executive();
    doc.heading(1, "Executive summary");
    doc.paragraph(
        Paragraph::new()
            .add_run(Run::new().add_text("Verdict: ").bold())
            .add_run(Run::new().add_text(&executive.verdict)),
    );
    let o = &report.summary.overall;
    doc.bullet(&format!(
        "Clauses 4 to 10: {} % overall readiness ({}), {} % coverage.",
        o.readiness,
        o.rating.words(),
        o.coverage
    ));
    if let Some(annex) = &report.summary.annex_a {
        let a = &annex.overall;
        doc.bullet(&format!(
            "Annex A controls: {} % overall readiness ({}), {} % coverage.",
            a.readiness,
            a.rating.words(),
            a.coverage
        ));
    }
    doc.heading(2, "Strongest");
    for g in &executive.strongest {
        doc.bullet(&group_line(g));
    }
    doc.heading(2, "Weakest");
    for g in &executive.weakest {
        doc.bullet(&group_line(g));
    }
    doc.heading(2, "Top recommendations");
    if executive.recommendations.is_empty() {
        doc.text("No note or open action to recommend from yet.");
    }
    for (index, r) in executive.recommendations.iter().enumerate() {
        doc.text(&format!("{}. {r}", index + 1));
    }
    doc.heading(2, "Not yet assessed");
    if executive.not_assessed.is_empty() {
        doc.text("Every item has been assessed.");
    }
    for line in &executive.not_assessed {
        doc.bullet(line);
    }
}

fn groups_rows(groups: &[GroupSummary]) -> Vec<Vec<String>> {
    groups
        .iter()
        .map(|g| {
            let f = &g.figures;
            vec![
                g.clause.clone(),
                g.title.clone(),
                format!("{} %", f.readiness),
                f.assessed_readiness
                    .map_or_else(|| "not assessed".to_string(), |p| format!("{p} %")),
                f.rating.words(),
                format!("{}/{}", f.answered, f.items),
                f.pdca_reached.to_string(),
            ]
        })
        .collect()
}

const GROUP_COLUMNS: [(&str, usize); 7] = [
    ("Group", 8),
    ("Title", 29),
    ("Overall", 11),
    ("Assessed", 12),
    ("Rating", 24),
    ("Answered", 9),
    ("PDCA", 7),
];

fn readiness(doc: &mut Document, report: &Report) {
    doc.heading(1, "Readiness by clause and domain");
    bar_chart(doc, &report.summary.clauses);
    doc.text(&format!(
        "Readiness per clause; the bars are red below {AMBER_FROM} %, amber from {AMBER_FROM} % and green from {GREEN_FROM} %."
    ));
    doc.table(&GROUP_COLUMNS, groups_rows(&report.summary.clauses));
    if let Some(annex) = &report.summary.annex_a {
        doc.heading(2, "Annex A domains");
        bar_chart(doc, &annex.domains);
        doc.text(&format!(
            "Readiness per Annex A domain; the bars are red below {AMBER_FROM} %, amber from {AMBER_FROM} % and green from {GREEN_FROM} %."
        ));
        doc.table(&GROUP_COLUMNS, groups_rows(&annex.domains));
    }
}

fn pdca_matrix(doc: &mut Document, report: &Report) {
    doc.heading(1, "PDCA matrix");
    doc.text(
        "A stage is reached when every applicable item of the clause is at that level or above; an x marks it.",
    );
    let mut header = vec![("Clause", 44), ("Phase", 16)];
    header.extend(PDCA_STAGES.iter().map(|stage| (*stage, 10)));
    doc.table(
        &header,
        report
            .summary
            .clauses
            .iter()
            .map(|g| {
                let mut row = vec![format!("{} {}", g.clause, g.title), g.pdca_phase.clone()];
                row.extend(
                    stages_reached(&g.figures)
                        .iter()
                        .map(|&reached| if reached { "x" } else { "" }.to_string()),
                );
                row
            })
            .collect(),
    );
}

fn trend(doc: &mut Document, report: &Report) {
    let Some(first) = report.trend.first() else {
        return;
    };
    doc.heading(1, "Trend over the workshop sessions");
    doc.text("Readiness at the end of each session (an open session counts as now).");
    let names: Vec<String> = first
        .clauses
        .iter()
        .map(|(c, _)| format!("Clause {c}"))
        .collect();
    let mut header = vec![
        ("Session", 9),
        ("Title", 20),
        ("Date", 12),
        ("Clauses 4-10", 10),
    ];
    let each = 49 / names.len().max(1);
    header.extend(names.iter().map(|n| (n.as_str(), each)));
    doc.table(
        &header,
        report
            .trend
            .iter()
            .map(|point| {
                let mut row = vec![
                    point.session.to_string(),
                    point.title.clone(),
                    point.date.clone(),
                    format!("{} %", point.overall),
                ];
                row.extend(point.clauses.iter().map(|(_, p)| format!("{p} %")));
                row
            })
            .collect(),
    );
}

fn merge_conflicts(doc: &mut Document, report: &Report) {
    if report.conflicts.is_empty() {
        return;
    }
    doc.heading(1, "Merge conflicts");
    doc.text(&format!(
        "{} conflict(s) from merged copies wait for a decision; until then each field keeps this copy's value.",
        report.conflicts.len()
    ));
    doc.table(
        &[
            ("Item", 14),
            ("Field", 14),
            ("This copy", 26),
            ("The other copy", 26),
            ("From", 20),
        ],
        report
            .conflicts
            .iter()
            .map(|c| {
                vec![
                    c.place.clone(),
                    c.field.clone(),
                    c.mine.clone(),
                    c.theirs.clone(),
                    c.source.clone(),
                ]
            })
            .collect(),
    );
}

fn largest_gaps(doc: &mut Document, report: &Report) {
    doc.heading(1, "Largest gaps");
    if report.gaps.is_empty() {
        doc.text("No answered clause item is below level 4.");
    } else {
        doc.table(&ITEM_COLUMNS, item_rows(&report.gaps));
    }
}

fn not_yet_discussed(doc: &mut Document, report: &Report) {
    doc.heading(1, "Not yet discussed");
    doc.text("Clause items nobody has answered yet: not assessed, not absent.");
    doc.table(
        &[("Clause", 30), ("Items", 10), ("Not yet discussed", 60)],
        report
            .not_yet_discussed
            .iter()
            .map(|g| {
                vec![
                    format!("{} {}", g.clause, g.title),
                    g.items.len().to_string(),
                    g.items.join(", "),
                ]
            })
            .collect(),
    );
}

fn rules(doc: &mut Document, report: &Report) {
    doc.heading(1, "How the figures are scored");
    for rule in &report.rules {
        doc.bullet(rule);
    }
}

fn verdict(doc: &mut Document, report: &Report) {
    doc.heading(1, "Audit readiness");
    for (name, stage) in [
        ("Stage 1", &report.verdict.stage1),
        ("Stage 2", &report.verdict.stage2),
    ] {
        if stage.ready {
            doc.text(&format!("{name}: ready. Nothing blocks it."));
            continue;
        }
        doc.heading(
            2,
            &format!(
                "{name}: not ready, {}",
                crate::model::count::counted(stage.blockers.len(), "blocker")
            ),
        );
        doc.text(&stage.first_groups(crate::model::verdict::RULES.len()));
        doc.table(
            &[("Ref", 12), ("Title", 38), ("Why", 50)],
            stage
                .blockers
                .iter()
                .take(25)
                .map(|b| vec![b.reference.clone(), b.title.clone(), b.reason.clone()])
                .collect(),
        );
    }
}

fn item_rows(items: &[ItemRow]) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|i| {
            vec![
                i.reference.clone(),
                i.title.clone(),
                level_text(i),
                i.answer.note.clone(),
                i.answer.evidence.clone(),
            ]
        })
        .collect()
}

const ITEM_COLUMNS: [(&str, usize); 5] = [
    ("Ref", 11),
    ("Title", 29),
    ("Level", 12),
    ("Note", 33),
    ("Evidence", 15),
];

fn findings(doc: &mut Document, report: &Report) {
    doc.heading(1, "Findings");
    doc.text(&super::report::findings_rule());
    let groups = report.findings();
    if groups.is_empty() {
        doc.text("No answered item is at level 0 or 1.");
    }
    for group in groups {
        doc.heading(
            2,
            &format!("{} {} ({})", group.clause, group.title, group.items.len()),
        );
        doc.table(&ITEM_COLUMNS, item_rows(&group.items));
    }
}

fn soa(doc: &mut Document, report: &Report) {
    let Some(soa) = &report.soa else { return };
    doc.heading(1, "Statement of Applicability");
    let d = &soa.decisions;
    doc.text(&format!(
        "{} included, {} excluded, {} undecided; {}.",
        d.included,
        d.excluded,
        d.undecided,
        crate::model::count::counted(soa.findings.len(), "finding")
    ));
    if !soa.findings.is_empty() {
        doc.table_in(
            LANDSCAPE_TEXT_WIDTH,
            &[("Finding", 30), ("Controls", 8), ("Refs", 62)],
            super::report::findings_by_message(&soa.findings)
                .into_iter()
                .map(|(message, refs)| {
                    vec![message.to_string(), refs.len().to_string(), refs.join(", ")]
                })
                .collect(),
        );
    }
    doc.table_in(
        LANDSCAPE_TEXT_WIDTH,
        &[
            ("Ref", 6),
            ("Title", 17),
            ("Decision", 7),
            ("Reasons", 11),
            ("Justification", 13),
            ("Level", 9),
            ("Owner", 7),
            ("Risks", 5),
            ("Evidence", 7),
            ("Note", 18),
        ],
        report
            .soa_rows()
            .map(|c| {
                vec![
                    c.reference.clone(),
                    c.title.clone(),
                    c.applicability().to_string(),
                    c.reason_labels(),
                    c.answer.justification.clone(),
                    level_text(c),
                    c.answer.owner.clone(),
                    c.answer.risks.clone(),
                    c.answer.evidence.clone(),
                    c.answer.note.clone(),
                ]
            })
            .collect(),
    );
    let undecided = report.soa_blank_refs();
    if !undecided.is_empty() {
        doc.text(&format!(
            "Not decided yet, nothing recorded ({}): {}.",
            undecided.len(),
            undecided.join(", ")
        ));
    }
}

/// The registers with every column the HTML shows, on the SoA's landscape pages.
fn registers(doc: &mut Document, report: &Report) {
    use crate::model::register_spec::{self as spec, Picture};
    let r = &report.registers;
    if r.is_empty() {
        return;
    }
    let wide = |doc: &mut Document, header: &[(&str, usize)], rows: Vec<Vec<String>>| {
        doc.table_in(LANDSCAPE_TEXT_WIDTH, header, rows);
    };
    doc.heading(1, "Registers");
    doc.text(
        "Priority = influence x (4 - control), from 1 to 9: very influential, poorly controlled \
         issues come first (6-9 high). Risk level = likelihood x impact, 1-25 (1-4 low, 5-9 \
         medium, 10-16 high, 20-25 critical).",
    );
    let matrix = |doc: &mut Document, head: &[&str], rows: Vec<Vec<String>>| {
        let width = 100 / head.len();
        let header: Vec<(&str, usize)> = head.iter().map(|h| (*h, width)).collect();
        doc.table(&header, rows);
    };
    for register in r.tables() {
        doc.heading(2, register.kind.report_title());
        match &register.picture {
            Some(Picture::Influence(cells)) => {
                let (head, rows) = super::report::influence_grid(cells);
                matrix(doc, &head, rows);
            }
            Some(Picture::HeatMap(cells)) => {
                let (head, rows) = super::report::heat_map_grid(cells);
                matrix(doc, &head, rows);
            }
            None => {}
        }
        let (heads, rows) = register.for_format(spec::DOCX);
        let header: Vec<(&str, usize)> = heads.iter().map(|h| (h.header, h.docx_width)).collect();
        let rows = rows
            .into_iter()
            .map(|cells| cells.into_iter().map(|cell| cell.text()).collect())
            .collect();
        wide(doc, &header, rows);
    }
}

fn plan(doc: &mut Document, report: &Report) {
    let plan = &report.plan;
    let f = &plan.figures;
    doc.heading(1, "Certification plan");
    doc.text(&format!(
        "{} % done: {} of {} steps done, {} in progress, {} blocked, {} skipped, {} to do; {} overdue.",
        f.progress, f.done, f.steps, f.in_progress, f.blocked, f.skipped, f.todo, f.overdue
    ));
    doc.table(
        &[
            ("Step", 6),
            ("Title", 24),
            ("Phase", 13),
            ("Status", 15),
            ("Owner", 9),
            ("Due", 11),
            ("Done on", 11),
            ("Note", 11),
        ],
        plan.steps
            .iter()
            .map(|s| {
                let mut status = s.status_label.to_string();
                if s.overdue {
                    status.push_str(" (overdue)");
                }
                if !s.reason.trim().is_empty() {
                    status = format!("{status}: {}", s.reason);
                }
                vec![
                    s.number.to_string(),
                    s.title.clone(),
                    format!("{} ({})", s.phase, s.pdca),
                    status,
                    s.owner.clone(),
                    day(s.due),
                    day(s.done_on),
                    s.note.clone(),
                ]
            })
            .collect(),
    );
}

fn actions(doc: &mut Document, report: &Report) {
    let a = &report.actions;
    let f = a.figures;
    doc.heading(1, "Roadmap: actions Now, Next, Later");
    doc.text(&format!(
        "{}: {} open ({} overdue), {} done, {} dropped. Answered gaps at level 0-1 with no action yet: {}.",
        crate::model::count::counted(f.total, "action"),
        f.open,
        f.overdue,
        f.done,
        f.dropped,
        a.no_action_yet.len()
    ));
    if !a.rows.is_empty() {
        doc.table(
            &[
                ("When", 8),
                ("No.", 5),
                ("Title", 27),
                ("Items", 14),
                ("Owner", 10),
                ("Due", 11),
                ("Effort", 7),
                ("Priority", 8),
                ("Status", 10),
            ],
            a.rows
                .iter()
                .map(|r| {
                    vec![
                        if r.horizon.is_empty() {
                            "closed"
                        } else {
                            r.horizon
                        }
                        .to_string(),
                        r.action.number.to_string(),
                        r.action.title.clone(),
                        r.refs.clone(),
                        r.action.owner.clone(),
                        format!(
                            "{}{}",
                            day(r.action.due),
                            if r.overdue { " (overdue)" } else { "" }
                        ),
                        r.effort().to_string(),
                        r.action.priority.to_string(),
                        r.status_label.to_string(),
                    ]
                })
                .collect(),
        );
    }
    if !a.no_action_yet.is_empty() {
        doc.heading(2, "No action yet");
        if report.detail == Detail::Full {
            doc.table(
                &[("No.", 8), ("Ref", 14), ("Title", 66), ("Level", 12)],
                a.no_action_yet
                    .iter()
                    .map(|n| {
                        vec![
                            n.number.to_string(),
                            n.reference.clone(),
                            n.title.clone(),
                            n.level.to_string(),
                        ]
                    })
                    .collect(),
            );
        } else {
            doc.table(
                &[("Group", 14), ("Gaps", 8), ("Refs (level)", 78)],
                report
                    .no_action_by_group()
                    .into_iter()
                    .map(|(group, refs)| vec![group, refs.len().to_string(), refs.join(", ")])
                    .collect(),
            );
        }
    }
    for rule in crate::model::action::ROADMAP_RULES {
        doc.bullet(rule);
    }
}

fn appendix(doc: &mut Document, report: &Report) {
    doc.heading(1, "Appendix: every item");
    doc.heading(2, "Clauses 4 to 10");
    let clauses: Vec<ItemRow> = report.clause_items().cloned().collect();
    doc.table(&ITEM_COLUMNS, item_rows(&clauses));
    if report.soa.is_some() {
        doc.heading(2, "Annex A controls");
        let controls: Vec<ItemRow> = report.controls().cloned().collect();
        doc.table(&ITEM_COLUMNS, item_rows(&controls));
    }
    let _ = BreakType::Page;
}

// ----- The chart: a table of shaded cells, so it prints sharp at any size -----

/// The bar track's columns: a bar is one column per 2 % of its figure.
const TRACK_COLUMNS: usize = 50;

/// A horizontal bar chart of readiness per group as a borderless table (vector: Word and
/// LibreOffice draw it sharp on paper, with the document's own font): the group, a bar of shaded
/// cells as long as its readiness and coloured by its rating, and the figure.
fn bar_chart(doc: &mut Document, groups: &[GroupSummary]) {
    let label = 3_000;
    let value = 1_300;
    let step = (TEXT_WIDTH - label - value) / TRACK_COLUMNS;
    let mut grid = vec![label];
    grid.extend(std::iter::repeat_n(step, TRACK_COLUMNS));
    grid.push(TEXT_WIDTH - label - step * TRACK_COLUMNS);
    let text_cell = |text: &str, span: usize, width: usize| {
        TableCell::new()
            .grid_span(span)
            .width(width, WidthType::Dxa)
            .add_paragraph(Paragraph::new().add_run(Run::new().add_text(text).size(TABLE_SIZE)))
    };
    let bar_cell = |span: usize, fill: &str| {
        TableCell::new()
            .grid_span(span)
            .width(span * step, WidthType::Dxa)
            .shading(docx_rs::Shading::new().fill(fill))
            .add_paragraph(Paragraph::new().add_run(Run::new().add_text("").size(TABLE_SIZE)))
    };
    let rows: Vec<TableRow> = groups
        .iter()
        .map(|g| {
            let figure = g.figures.readiness;
            // Tenths of a percent to columns, rounded half up: the bar is as long as the figure
            // shown beside it.
            let filled = ((figure.tenths().min(1000) as usize * TRACK_COLUMNS + 500) / 1000)
                .min(TRACK_COLUMNS);
            let colour = match g.figures.rating {
                Rating::NotAssessed => "98A2B3",
                Rating::Red => "B42318",
                Rating::Amber => "DC8A0C",
                Rating::Green => "17915F",
            };
            let mut cells = vec![text_cell(&format!("{} {}", g.clause, g.title), 1, label)];
            if filled > 0 {
                cells.push(bar_cell(filled, colour));
            }
            if filled < TRACK_COLUMNS {
                cells.push(bar_cell(TRACK_COLUMNS - filled, "E4E7EC"));
            }
            cells.push(text_cell(&format!("{figure} %"), 1, value));
            TableRow::new(cells)
        })
        .collect();
    // A white rule between the rows keeps the bars apart.
    let gap = docx_rs::TableBorder::new(docx_rs::TableBorderPosition::InsideH)
        .size(24)
        .color("FFFFFF");
    let table = Table::without_borders(rows)
        .set_border(gap)
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH, WidthType::Dxa);
    doc.map(|d| d.add_table(table));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_is_never_narrower_than_its_longest_word() {
        let long = vec!["Header", "Implementation"];
        let widths = column_widths(&[5, 80, 15], &[long, vec!["x"], vec!["y"]], 9906);
        assert_eq!(widths.iter().sum::<usize>(), 9906);
        assert!(
            widths[0] >= word_width("Implementation") + CELL_MARGINS,
            "{widths:?}"
        );
        assert!(
            widths[1] > widths[2],
            "the others keep their proportions: {widths:?}"
        );
        // Nothing to widen: the percentages as given.
        assert_eq!(
            column_widths(&[50, 50], &[vec!["a"], vec!["b"]], 1000),
            [500, 500]
        );
    }

    #[test]
    fn ids_and_refs_get_non_breaking_hyphens_and_spaces() {
        assert_eq!(
            super::super::report::keep_whole_plain(
                "C-1 due 2026-12-01, see 6.1.2 e) 2) and well-known"
            ),
            "C\u{2011}1 due 2026\u{2011}12\u{2011}01, see 6.1.2\u{a0}e)\u{a0}2) and well-known"
        );
    }

    #[test]
    fn only_a_headed_table_gets_a_repeated_header_row() {
        let headed = "<w:tbl><w:tblPr /><w:tr><w:trPr><w:cantSplit /></w:trPr>h</w:tr>\
                      <w:tr><w:trPr><w:cantSplit /></w:trPr>d</w:tr></w:tbl>";
        let plain = "<w:tbl><w:tr><w:trPr />c</w:tr></w:tbl>";
        let out = repeat_header_rows(&format!("{headed}{plain}"));
        assert_eq!(out.matches("<w:tblHeader />").count(), 1, "{out}");
        assert!(out.starts_with(
            "<w:tbl><w:tblPr /><w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>h"
        ));
    }
}
