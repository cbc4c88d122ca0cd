//! The audit report as Markdown: the sections of `AuditReport::outline`, user text escaped.

use super::{escape, table};
use crate::export::audit_report::AuditReport;
use crate::export::report::{Report, day};
use std::fmt::Write;

/// The whole audit report.
pub fn write(report: &AuditReport) -> String {
    let mut out = format!("# {}\n\n", escape(&report.title()));
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
    for section in report.outline() {
        out.push_str(&format!("\n## {}\n\n", section.title));
        match section.id {
            "audit-scope" => scope(&mut out, report),
            "audit-findings" => findings(&mut out, report),
            "audit-conclusion" => {
                for sentence in report.conclusion() {
                    out.push_str(&format!("{}\n\n", escape(&sentence)));
                }
            }
            _ => {}
        }
    }
    out
}

fn scope(out: &mut String, report: &AuditReport) {
    if report.scope.is_empty() {
        out.push_str("No scope recorded for this audit.\n");
        return;
    }
    let rows = report
        .scope
        .iter()
        .map(|r| vec![escape(&r.reference), escape(&r.title)]);
    out.push_str(&table(&["Ref", "Title"], rows));
}

fn findings(out: &mut String, report: &AuditReport) {
    for (heading, findings) in report.by_type() {
        out.push_str(&format!("### {heading} ({})\n\n", findings.len()));
        if findings.is_empty() {
            out.push_str("None recorded.\n\n");
        }
        for finding in findings {
            out.push_str(&format!("#### {}\n\n", escape(&finding.heading())));
            for (label, text) in finding.facts() {
                out.push_str(&format!("- **{label}:** {}\n", escape(&text)));
            }
            out.push('\n');
        }
    }
}

// ----- The readiness report's audit sections -----

/// The audit programme: every audit, then each clause and group with its last audit.
pub(crate) fn programme(report: &Report) -> String {
    let sections = &report.audits;
    let mut out = String::from("## Audit programme\n\n");
    let audits = sections.audits.iter().map(|a| {
        vec![
            escape(&a.id),
            escape(&a.title),
            escape(&a.kind),
            escape(&a.dates),
            escape(&a.status),
            escape(&a.scope),
            a.findings_words(),
        ]
    });
    out.push_str(&table(
        &[
            "Audit", "Title", "Type", "Dates", "Status", "Scope", "Findings",
        ],
        audits,
    ));
    let _ = write!(
        out,
        "\n### Coverage over the last 12 months\n\n{}\n\n",
        escape(&sections.not_audited_line())
    );
    let rows = sections.coverage.iter().map(|row| {
        vec![
            escape(&row.reference),
            escape(&row.title),
            day(row.last),
            escape(&row.audits.join(", ")),
            if row.due { "due" } else { "" }.to_string(),
        ]
    });
    out.push_str(&table(
        &["Ref", "Title", "Last audited", "Audits", "Due"],
        rows,
    ));
    out
}

/// The nonconformities not closed.
pub(crate) fn nonconformities(report: &Report) -> String {
    let sections = &report.audits;
    let mut out = format!(
        "## Open nonconformities\n\n{}\n",
        escape(&sections.nc_line())
    );
    if sections.open_ncs.is_empty() {
        return out;
    }
    out.push('\n');
    let rows = sections.open_ncs.iter().map(|nc| {
        vec![
            escape(&nc.id),
            escape(&nc.classification),
            escape(&nc.source),
            day(nc.raised_on),
            escape(&nc.description),
            escape(&nc.status),
            format!(
                "{}{}",
                day(nc.due),
                if nc.overdue { " (overdue)" } else { "" }
            ),
            escape(&nc.actions),
        ]
    });
    out.push_str(&table(
        &[
            "NC",
            "Class",
            "Source",
            "Raised",
            "Description",
            "Status",
            "Due",
            "Actions",
        ],
        rows,
    ));
    out
}

/// The last management review: its inputs (covered or not), decisions and actions.
pub(crate) fn management_review(report: &Report) -> String {
    let sections = &report.audits;
    let Some(review) = &sections.review else {
        return String::new();
    };
    let mut out = format!(
        "## Last management review\n\n{}\n\n",
        escape(&sections.review_line())
    );
    let _ = writeln!(out, "- **Attendees:** {}", or_none(&review.attendees));
    let _ = writeln!(
        out,
        "- **Decisions and changes:** {}",
        or_none(&review.decisions)
    );
    let _ = writeln!(out, "- **Actions raised:** {}\n", escape(&review.actions));
    let rows = review.inputs.iter().map(|input| {
        vec![
            escape(&input.letter),
            escape(&input.label),
            if input.presented.trim().is_empty() {
                "not covered".to_string()
            } else {
                escape(&input.presented)
            },
        ]
    });
    out.push_str(&table(&["Input", "What 9.3.2 asks for", "Presented"], rows));
    out
}

fn or_none(text: &str) -> String {
    if text.trim().is_empty() {
        "not recorded".to_string()
    } else {
        escape(text)
    }
}
