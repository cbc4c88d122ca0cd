//! The readiness report as Markdown (GitHub flavour). User text is data: every piece of it goes
//! through `escape`, so it can never open a link, a tag, emphasis or a new table cell.

use super::report::{
    ItemRow, NotDiscussed, PDCA_STAGES, PlanReport, Report, SoaReport, day, level_text,
    stages_reached,
};
use crate::model::count::counted;
use crate::model::verdict::RULES;
use crate::score::{Figures, GroupSummary};
use std::fmt::Write;

pub mod audit;

/// The whole report.
pub fn write(report: &Report) -> String {
    let sections = report
        .outline()
        .into_iter()
        .map(|section| match section.id {
            "executive" => executive_summary(report),
            "overall" => [
                overall(report),
                groups("Clauses 4 to 10", &report.summary.clauses),
                annex_domains(report),
            ]
            .join("\n"),
            "pdca" => pdca_matrix(&report.summary.clauses),
            "trend" => trend(&report.trend),
            "verdict" => verdict(report),
            "findings" => findings(report),
            "audit-programme" => audit::programme(report),
            "nonconformities" => audit::nonconformities(report),
            "last-review" => audit::management_review(report),
            "merge-conflicts" => merge_conflicts(&report.conflicts),
            "soa" => report
                .soa
                .as_ref()
                .map_or_else(String::new, |soa| statement_of_applicability(soa, report)),
            "registers" => registers(report),
            "plan" => plan(&report.plan),
            "actions" => actions(report),
            "gaps" => largest_gaps(&report.gaps),
            "not-discussed" => not_yet_discussed(&report.not_yet_discussed),
            "items" => all_items(&report.items),
            "rules" => rules(&report.rules),
            _ => String::new(),
        });
    std::iter::once(title(report))
        .chain(sections)
        .filter(|section| !section.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Makes user text inert (`text::for_markdown`): controls dropped, Markdown punctuation
/// backslash-escaped where a reader would take it for markup, line breaks as `<br>`.
pub(crate) fn escape(text: &str) -> String {
    crate::text::for_markdown(text)
}

/// A table from a header of our own words and rows of cells already escaped.
fn table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = format!("| {} |\n", header.join(" | "));
    out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
    for cells in rows {
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

fn percent_cell(figure: crate::score::Percent) -> String {
    format!("{figure} %")
}

fn title(report: &Report) -> String {
    let assessment = &report.assessment;
    let mut out = format!("# Readiness report: {}\n\n", escape(&assessment.name));
    if let Some(notice) = &report.superseded_notice {
        out.push_str(&format!("> **Warning:** {}\n\n", escape(notice)));
    }
    for (label, lines) in report.cover() {
        if let [line] = lines.as_slice() {
            out.push_str(&format!("- **{label}:** {}\n", escape(line)));
        } else {
            out.push_str(&format!("- **{label}:**\n"));
            for line in lines {
                out.push_str(&format!("  - {}\n", escape(&line)));
            }
        }
    }
    out
}

fn overall_row(part: &str, figures: &Figures) -> Vec<String> {
    vec![
        part.to_string(),
        percent_cell(figures.readiness),
        assessed_cell(figures),
        figures.rating.words(),
        percent_cell(figures.gap),
        percent_cell(figures.coverage),
        format!("{}/{}", figures.answered, figures.items),
    ]
}

fn overall(report: &Report) -> String {
    let mut rows = vec![overall_row("Clauses 4 to 10", &report.summary.overall)];
    if let Some(annex) = &report.summary.annex_a {
        rows.push(overall_row("Annex A", &annex.overall));
    }
    format!(
        "## Readiness by clause and domain\n\n{}",
        table(
            &[
                "Part",
                "Overall readiness",
                "Assessed readiness",
                "Rating",
                "Gap",
                "Coverage",
                "Answered/items"
            ],
            rows
        )
    )
}

fn group_row(group: &GroupSummary) -> Vec<String> {
    let figures = &group.figures;
    let mut cells = vec![
        escape(&group.clause),
        escape(&group.title),
        percent_cell(figures.readiness),
        assessed_cell(figures),
        figures.rating.words(),
        percent_cell(figures.gap),
        percent_cell(figures.coverage),
        format!("{}/{}", figures.answered, figures.items),
        figures.pdca_reached.to_string(),
        escape(&group.pdca_phase),
    ];
    cells.extend(figures.level_counts.iter().map(usize::to_string));
    cells
}

fn groups(heading: &str, groups: &[GroupSummary]) -> String {
    let header = [
        "Group",
        "Title",
        "Overall readiness",
        "Assessed readiness",
        "Rating",
        "Gap",
        "Coverage",
        "Answered/items",
        "PDCA reached",
        "Phase",
        "Level 0",
        "Level 1",
        "Level 2",
        "Level 3",
        "Level 4",
    ];
    format!(
        "### {heading}\n\n{}",
        table(&header, groups.iter().map(group_row))
    )
}

fn annex_domains(report: &Report) -> String {
    report
        .summary
        .annex_a
        .as_ref()
        .map_or_else(String::new, |annex| {
            groups("Annex A domains", &annex.domains)
        })
}

fn pdca_matrix(clauses: &[GroupSummary]) -> String {
    let rows = clauses.iter().map(|group| {
        let mut cells = vec![format!(
            "{} {}",
            escape(&group.clause),
            escape(&group.title)
        )];
        cells.extend(
            stages_reached(&group.figures)
                .iter()
                .map(|&reached| if reached { "x" } else { " " }.to_string()),
        );
        cells
    });
    let mut header = vec!["Clause"];
    header.extend(PDCA_STAGES);
    format!(
        "## PDCA matrix\n\nAn x marks a stage every applicable item of the clause has reached.\n\n{}",
        table(&header, rows)
    )
}

/// An assessed readiness with its unit, or "not assessed".
fn assessed_cell(figures: &Figures) -> String {
    figures
        .assessed_readiness
        .map_or_else(|| "not assessed".to_string(), percent_cell)
}

fn trend(trend: &[crate::model::session::TrendPoint]) -> String {
    let Some(first) = trend.first() else {
        return String::new();
    };
    let mut header = vec!["Session", "Title", "Date", "Clauses 4-10"];
    let names: Vec<String> = first
        .clauses
        .iter()
        .map(|(c, _)| format!("Clause {c}"))
        .collect();
    header.extend(names.iter().map(String::as_str));
    let rows = trend.iter().map(|point| {
        let mut cells = vec![
            point.session.to_string(),
            escape(&point.title),
            escape(&point.date),
            percent_cell(point.overall),
        ];
        cells.extend(point.clauses.iter().map(|(_, p)| percent_cell(*p)));
        cells
    });
    format!(
        "## Trend over the workshop sessions\n\nReadiness at the end of each session (an open session counts as now).\n\n{}",
        table(&header, rows)
    )
}

fn not_yet_discussed(groups: &[NotDiscussed]) -> String {
    if groups.is_empty() {
        return String::new();
    }
    let rows = groups.iter().map(|group| {
        vec![
            format!("{} {}", escape(&group.clause), escape(&group.title)),
            group.items.len().to_string(),
            escape(&group.items.join(", ")),
        ]
    });
    format!(
        "## Not yet discussed\n\nClause items nobody has answered yet: not assessed, not absent.\n\n{}",
        table(&["Clause", "Items", "Not yet discussed"], rows)
    )
}

fn largest_gaps(gaps: &[ItemRow]) -> String {
    if gaps.is_empty() {
        return "## Largest gaps\n\nNo answered clause item is below level 4.\n".to_string();
    }
    let rows = gaps.iter().map(|row| {
        vec![
            row.number.to_string(),
            escape(&row.reference),
            escape(&row.title),
            level_text(row),
            escape(&row.answer.note),
        ]
    });
    format!(
        "## Largest gaps\n\n{}",
        table(&["No.", "Ref", "Title", "Level", "Note"], rows)
    )
}

fn plan(plan: &PlanReport) -> String {
    let figures = &plan.figures;
    let mut out = String::from("## Certification plan\n\n");
    let _ = writeln!(
        out,
        "Progress: {} % ({} of {} steps done, {} in progress, {} blocked, {} skipped, {} to do; {} overdue).\n",
        figures.progress,
        figures.done,
        figures.steps,
        figures.in_progress,
        figures.blocked,
        figures.skipped,
        figures.todo,
        figures.overdue
    );
    let rows = plan.steps.iter().map(|step| {
        vec![
            step.number.to_string(),
            escape(&step.title),
            escape(&step.phase),
            escape(&step.pdca),
            step.status_label.to_string(),
            escape(&step.reason),
            escape(&step.owner),
            day(step.start),
            day(step.due),
            day(step.done_on),
            if step.overdue { "yes" } else { "" }.to_string(),
            escape(&step.note),
        ]
    });
    let header = [
        "Step", "Title", "Phase", "PDCA", "Status", "Reason", "Owner", "Start", "Due", "Done on",
        "Overdue", "Note",
    ];
    out.push_str(&table(&header, rows));
    out
}

fn statement_of_applicability(soa: &SoaReport, report: &Report) -> String {
    let decisions = &soa.decisions;
    let mut out = format!(
        "## Statement of Applicability\n\n{} included, {} excluded, {} undecided.\n\n",
        decisions.included, decisions.excluded, decisions.undecided
    );
    out.push_str(&format!("### Findings ({})\n\n", soa.findings.len()));
    if soa.findings.is_empty() {
        out.push_str("No finding: every control is decided and justified.\n\n");
    } else {
        let rows = super::report::findings_by_message(&soa.findings)
            .into_iter()
            .map(|(message, refs)| {
                vec![
                    message.to_string(),
                    refs.len().to_string(),
                    escape(&refs.join(", ")),
                ]
            });
        out.push_str(&table(&["Finding", "Controls", "Refs"], rows));
        out.push('\n');
    }
    let rows = report.soa_rows().map(|row| {
        vec![
            escape(&row.reference),
            escape(&row.title),
            row.applicability().to_string(),
            escape(&row.reason_labels()),
            escape(&row.answer.justification),
            level_text(row),
            escape(&row.answer.owner),
            escape(&row.answer.risks),
            escape(&row.answer.evidence),
            escape(&row.answer.note),
        ]
    });
    out.push_str("### Controls\n\n");
    out.push_str(&table(
        &[
            "Ref",
            "Title",
            "Applicability",
            "Reasons",
            "Justification",
            "Level",
            "Owner",
            "Risks",
            "Evidence",
            "Note",
        ],
        rows,
    ));
    let undecided: Vec<String> = report.soa_blank_refs().into_iter().map(escape).collect();
    if !undecided.is_empty() {
        out.push_str(&format!(
            "\n**Not decided yet, nothing recorded ({}):** {}.\n",
            undecided.len(),
            undecided.join(", ")
        ));
    }
    out
}

fn executive_summary(report: &Report) -> String {
    let executive = report.executive();
    let mut out = format!(
        "## Executive summary\n\n**Verdict:** {}\n\n",
        escape(&executive.verdict)
    );
    let group_line = |g: &GroupSummary| {
        format!(
            "{} {}: {} assessed ({}), coverage {} %",
            escape(&g.clause),
            escape(&g.title),
            assessed_cell(&g.figures),
            g.figures.rating.words(),
            g.figures.coverage
        )
    };
    let numbered = |out: &mut String, heading: &str, lines: Vec<String>, empty: &str| {
        let _ = writeln!(out, "### {heading}\n");
        if lines.is_empty() {
            let _ = writeln!(out, "{empty}");
        }
        for (index, line) in lines.iter().enumerate() {
            let _ = writeln!(out, "{}. {line}", index + 1);
        }
        out.push('\n');
    };
    numbered(
        &mut out,
        "Strongest",
        executive.strongest.iter().map(group_line).collect(),
        "No group assessed enough yet (coverage 50 % or more).",
    );
    numbered(
        &mut out,
        "Weakest",
        executive.weakest.iter().map(group_line).collect(),
        "No group assessed enough yet (coverage 50 % or more).",
    );
    numbered(
        &mut out,
        "Top recommendations",
        executive
            .recommendations
            .iter()
            .map(|r| escape(r))
            .collect(),
        "No note or open action to recommend from yet.",
    );
    let _ = writeln!(out, "### Not yet assessed\n");
    if executive.not_assessed.is_empty() {
        let _ = writeln!(out, "Every item has been assessed.");
    }
    for line in &executive.not_assessed {
        let _ = writeln!(out, "- {}", escape(line));
    }
    out
}

fn findings(report: &Report) -> String {
    let mut out = format!("## Findings\n\n{}\n", super::report::findings_rule(),);
    let groups = report.findings();
    if groups.is_empty() {
        out.push_str("\nNo answered item is at level 0 or 1.\n");
    }
    for group in groups {
        let rows = group.items.iter().map(|row| {
            vec![
                escape(&row.reference),
                escape(&row.title),
                level_text(row),
                escape(&row.answer.note),
                escape(&row.answer.evidence),
            ]
        });
        let _ = write!(
            out,
            "\n### {} {} ({})\n\n{}",
            escape(&group.clause),
            escape(&group.title),
            group.items.len(),
            table(&["Ref", "Title", "Level", "Note", "Evidence"], rows)
        );
    }
    out
}

fn all_items(items: &[ItemRow]) -> String {
    let rows = items.iter().map(|row| {
        vec![
            row.number.to_string(),
            escape(&row.reference),
            escape(&row.title),
            level_text(row),
            escape(&row.answer.note),
            escape(&row.answer.evidence),
        ]
    });
    format!(
        "## Appendix: every item\n\n{}",
        table(&["No.", "Ref", "Title", "Level", "Note", "Evidence"], rows)
    )
}

fn rules(rules: &[&str]) -> String {
    let mut out = "## How the figures are scored\n\n".to_string();
    for rule in rules {
        let _ = writeln!(out, "- {}", escape(rule));
    }
    out
}

/// How many blockers a report lists per stage (the count is always given in full).
const BLOCKERS_SHOWN: usize = 25;

/// The audit-readiness verdict, first in the executive summary: each stage with its blockers,
/// then the mandatory documented information.
fn verdict(report: &Report) -> String {
    let mut out = String::from("## Audit readiness\n\n");
    for (name, stage) in [
        ("Stage 1", &report.verdict.stage1),
        ("Stage 2", &report.verdict.stage2),
    ] {
        if stage.ready {
            let _ = writeln!(out, "- **{name}: ready.** Nothing blocks it.");
        } else {
            let _ = writeln!(
                out,
                "- **{name}: not ready**, {}: {}.",
                counted(stage.blockers.len(), "blocker"),
                escape(&stage.first_groups(RULES.len()))
            );
        }
    }
    out.push('\n');
    for (name, stage) in [
        ("Stage 1", &report.verdict.stage1),
        ("Stage 2", &report.verdict.stage2),
    ] {
        if stage.ready {
            continue;
        }
        let shown = stage.blockers.len().min(BLOCKERS_SHOWN);
        let _ = writeln!(
            out,
            "### {name} blockers ({shown} of {})\n",
            stage.blockers.len()
        );
        out.push_str(&table(
            &["Item", "Ref", "Title", "Why"],
            stage.blockers.iter().take(BLOCKERS_SHOWN).map(|b| {
                vec![
                    b.number.to_string(),
                    escape(&b.reference),
                    escape(&b.title),
                    escape(&b.reason),
                ]
            }),
        ));
        out.push('\n');
    }
    if !report.documents.is_empty() {
        out.push_str("### Mandatory documented information\n\n");
        out.push_str(&table(
            &["Item", "Ref", "Document", "Level", "Status", "Evidence"],
            report.documents.iter().map(|d| {
                vec![
                    d.number.to_string(),
                    escape(&d.reference),
                    escape(&d.document),
                    d.level.map_or_else(|| "-".to_string(), |l| l.to_string()),
                    d.status.to_string(),
                    escape(&d.evidence),
                ]
            }),
        ));
    }
    out
}

/// The actions and the roadmap (open actions Now / Next / Later, then closed ones).
fn actions(report: &Report) -> String {
    let actions = &report.actions;
    let f = actions.figures;
    let mut out = String::from("## Roadmap: actions Now, Next, Later\n\n");
    let _ = writeln!(
        out,
        "{}: {} open ({} overdue), {} done, {} dropped. Answered gaps at level 0-1 with no action yet: {}.\n",
        counted(f.total, "action"),
        f.open,
        f.overdue,
        f.done,
        f.dropped,
        actions.no_action_yet.len()
    );
    if !actions.rows.is_empty() {
        out.push_str(&table(
            &[
                "When", "#", "Title", "Items", "Owner", "Due", "Effort", "Priority", "Status",
            ],
            actions.rows.iter().map(|r| {
                let a = &r.action;
                vec![
                    if r.horizon.is_empty() {
                        "closed".to_string()
                    } else {
                        r.horizon.to_string()
                    },
                    a.number.to_string(),
                    escape(&a.title),
                    escape(&r.refs),
                    escape(&a.owner),
                    format!(
                        "{}{}",
                        day(a.due),
                        if r.overdue { " (overdue)" } else { "" }
                    ),
                    r.effort().to_string(),
                    a.priority.to_string(),
                    r.status_label.to_string(),
                ]
            }),
        ));
        out.push('\n');
    }
    if !actions.no_action_yet.is_empty() && report.detail == super::report::Detail::Summary {
        out.push_str("### No action yet\n\n");
        out.push_str(&table(
            &["Group", "Gaps", "Refs (level)"],
            report
                .no_action_by_group()
                .into_iter()
                .map(|(group, refs)| vec![group, refs.len().to_string(), escape(&refs.join(", "))]),
        ));
        out.push('\n');
    } else if !actions.no_action_yet.is_empty() {
        out.push_str("### No action yet\n\n");
        out.push_str(&table(
            &["Item", "Ref", "Title", "Level"],
            actions.no_action_yet.iter().map(|n| {
                vec![
                    n.number.to_string(),
                    escape(&n.reference),
                    escape(&n.title),
                    n.level.to_string(),
                ]
            }),
        ));
        out.push('\n');
    }
    for rule in crate::model::action::ROADMAP_RULES {
        let _ = writeln!(out, "- {rule}");
    }
    out
}

// ----- The registers (issue 17) -----

use crate::model::register_spec::{self as spec, Picture};

/// The influence x control matrix as a table (see `report::influence_grid`).
fn influence_table(cells: &[[Vec<&str>; 3]; 3]) -> String {
    let (head, rows) = super::report::influence_grid(cells);
    table(
        &head,
        rows.into_iter()
            .map(|row| row.iter().map(|c| escape(c)).collect()),
    )
}

/// The likelihood x impact heat map as a table (see `report::heat_map_grid`).
fn heat_map_table(cells: &[[Vec<&str>; 5]; 5]) -> String {
    let (head, rows) = super::report::heat_map_grid(cells);
    table(
        &head,
        rows.into_iter()
            .map(|row| row.iter().map(|c| escape(c)).collect()),
    )
}

/// The registers, a section each with its matrix; empty without any register entry.
fn registers(report: &Report) -> String {
    let registers = &report.registers;
    if registers.is_empty() {
        return String::new();
    }
    let mut out = "## Registers\n\nPriority = influence x (4 - control), 1 to 9 (6-9 high: very \
                   influential, poorly controlled). Risk level = likelihood x impact, 1 to 25 (1-4 \
                   low, 5-9 medium, 10-16 high, 20-25 critical).\n\n"
        .to_string();
    for register in registers.tables() {
        out.push_str(&format!("### {}\n\n", register.kind.report_title()));
        match &register.picture {
            Some(Picture::Influence(cells)) => out.push_str(&influence_table(cells)),
            Some(Picture::HeatMap(cells)) => out.push_str(&heat_map_table(cells)),
            None => {}
        }
        if register.picture.is_some() {
            out.push('\n');
        }
        let (heads, rows) = register.for_format(spec::MARKDOWN);
        let heads: Vec<&str> = heads.iter().map(|h| h.header).collect();
        out.push_str(&table(
            &heads,
            rows.into_iter()
                .map(|row| row.iter().map(|cell| escape(&cell.text())).collect()),
        ));
        if register.picture.is_some() {
            out.push('\n');
        }
    }
    out
}

/// The merge conflicts still waiting (issue 18): none, no section.
fn merge_conflicts(conflicts: &[super::report::ConflictRow]) -> String {
    if conflicts.is_empty() {
        return String::new();
    }
    let rows: String = conflicts
        .iter()
        .map(|c| {
            format!(
                "| {} | {} | {} | {} | {} |\n",
                escape(&c.place),
                escape(&c.field),
                escape(&c.mine),
                escape(&c.theirs),
                escape(&c.source)
            )
        })
        .collect();
    format!(
        "## Merge conflicts\n\n{} conflict(s) from merged copies wait for a decision; until then each field keeps this copy's value.\n\n| item | field | this copy | the other copy | from |\n|---|---|---|---|---|\n{rows}",
        conflicts.len()
    )
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn user_text_cannot_become_markup() {
        assert_eq!(escape("| a |"), "\\| a \\|");
        assert_eq!(escape("<script>"), "&lt;script>");
        assert_eq!(escape("[x](y)"), "\\[x\\](y)");
        // Plain text stays plain (issue 28): no entity or backslash where none is needed.
        assert_eq!(
            escape("R&D a & b # c, 3 < 4 > 2"),
            "R&D a & b # c, 3 < 4 > 2"
        );
        assert_eq!(escape("&amp; &#39;"), "&amp;amp; &amp;#39;");
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(escape("> not a quote"), "&gt; not a quote");
        assert_eq!(escape("*_`\\"), "\\*\\_\\`\\\\");
        assert_eq!(
            escape("one\r\ntwo\nthree\rfour"),
            "one<br>two<br>three<br>four"
        );
    }
}
