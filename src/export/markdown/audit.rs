//! The audit report as Markdown: the sections of `AuditReport::outline`, user text escaped.

use super::{escape, table};
use crate::export::audit_report::AuditReport;

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
