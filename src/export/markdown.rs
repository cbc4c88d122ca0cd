//! The readiness report as Markdown (GitHub flavour). User text is data: every piece of it goes
//! through `escape`, so it can never open a link, a tag, emphasis or a new table cell.

use super::report::{
    ItemRow, NotDiscussed, PDCA_STAGES, PlanReport, Report, SoaReport, day, level_text,
    stages_reached,
};
use crate::score::{Figures, GroupSummary};
use std::fmt::Write;

/// The whole report.
pub fn write(report: &Report) -> String {
    [
        title(report),
        overall(report),
        groups("Clauses 4 to 10", &report.summary.clauses),
        annex_domains(report),
        pdca_matrix(&report.summary.clauses),
        largest_gaps(&report.gaps),
        not_yet_discussed(&report.not_yet_discussed),
        trend(&report.trend),
        plan(&report.plan),
        report
            .soa
            .as_ref()
            .map_or_else(String::new, |soa| statement_of_applicability(soa, report)),
        all_items(&report.items),
        rules(&report.rules),
    ]
    .into_iter()
    .filter(|section| !section.is_empty())
    .collect::<Vec<_>>()
    .join("\n")
}

/// Makes user text inert: Markdown punctuation is backslash-escaped, `< > &` become entities (so
/// no raw tag survives, not even `\<script`), and line breaks become `<br>` so a table row stays
/// one line.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            _ => out.push(c),
        }
    }
    out
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
    let standard = format!(
        "{} ({})",
        escape(&report.standard_title),
        escape(&report.standard_id)
    );
    let rows = [
        ("Organisation", escape(&assessment.name)),
        ("Scope", escape(&assessment.scope)),
        ("Assessor", escape(&assessment.assessor)),
        ("Date", day(Some(report.date))),
        ("Standard", standard),
    ];
    out.push_str(&table(
        &["Field", "Value"],
        rows.into_iter()
            .map(|(label, value)| vec![label.to_string(), value]),
    ));
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
        "## Overall readiness\n\n{}",
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
        "## {heading}\n\n{}",
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
    let mut out = format!("## Certification plan: {}\n\n", escape(&plan.title));
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
        let rows = soa.findings.iter().map(|finding| {
            vec![
                finding.item.to_string(),
                escape(&finding.reference),
                finding.message.to_string(),
            ]
        });
        out.push_str(&table(&["No.", "Ref", "Finding"], rows));
        out.push('\n');
    }
    let rows = report.controls().map(|row| {
        vec![
            escape(&row.reference),
            escape(&row.title),
            row.applicability().to_string(),
            escape(&row.reason_codes()),
            escape(&row.answer.justification),
            level_text(row),
            escape(&row.answer.evidence),
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
            "Evidence",
        ],
        rows,
    ));
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
        "## Every item\n\n{}",
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

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn user_text_cannot_become_markup() {
        assert_eq!(escape("| a |"), "\\| a \\|");
        assert_eq!(escape("<script>"), "&lt;script&gt;");
        assert_eq!(escape("[x](y)"), "\\[x\\](y)");
        assert_eq!(escape("a & b # c"), "a &amp; b \\# c");
        assert_eq!(escape("*_`\\"), "\\*\\_\\`\\\\");
        assert_eq!(
            escape("one\r\ntwo\nthree\rfour"),
            "one<br>two<br>three<br>four"
        );
    }
}
