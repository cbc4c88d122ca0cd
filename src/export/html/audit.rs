//! The audit report as one self-contained HTML file, on the readiness report's stylesheet: the
//! cover, then the sections of `AuditReport::outline`. User text goes through `escape` (or
//! `keep_whole`, which escapes), so ids, dates and refs never break in print.

use super::{STYLESHEET, escape, fixed_table, keep_whole, ref_cell, row, text_cell};
use crate::export::audit_report::AuditReport;

/// What the audit report adds to the stylesheet: its own running header, and a finding kept on
/// one page with its facts.
const AUDIT_STYLE: &str = "@page { @top-left { content: \"ISO/IEC 27001 audit report\"; } }\n\
@page wide { @top-left { content: \"ISO/IEC 27001 audit report\"; } }\n\
.finding { break-inside: avoid; page-break-inside: avoid; }\n\
h4 { margin: 1rem 0 0.3rem; break-after: avoid; page-break-after: avoid; }\n\
#audit-conclusion p { margin: 0.4rem 0; }\n";

/// The whole audit report.
pub fn write(report: &AuditReport) -> String {
    let sections: String = report
        .outline()
        .iter()
        .map(|section| {
            let body = match section.id {
                "audit-scope" => scope(report),
                "audit-findings" => findings(report),
                "audit-conclusion" => conclusion(report),
                _ => String::new(),
            };
            // Each section starts a page, as in the DOCX.
            format!(
                "<section class=\"major\" id=\"{}\">\n<h2>{}</h2>\n{body}</section>\n",
                section.id,
                escape(&section.title)
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLESHEET}{AUDIT_STYLE}</style>\n</head>\n\
         <body>\n{}<main>\n{sections}</main>\n</body>\n</html>\n",
        escape(&report.title()),
        cover(report)
    )
}

fn cover(report: &AuditReport) -> String {
    let facts: String = report
        .cover()
        .into_iter()
        .map(|(label, lines)| {
            let value = if lines.len() == 1 {
                keep_whole(&lines[0])
            } else {
                let items: String = lines
                    .iter()
                    .map(|l| format!("<li>{}</li>", keep_whole(l)))
                    .collect();
                format!("<ul class=\"workshops\">{items}</ul>")
            };
            format!("<dt>{label}</dt><dd dir=\"auto\">{value}</dd>\n")
        })
        .collect();
    let contents: String = report
        .outline()
        .iter()
        .map(|s| format!("<li><a href=\"#{}\">{}</a></li>\n", s.id, escape(&s.title)))
        .collect();
    format!(
        "<header class=\"title-page\">\n<p class=\"kicker\">ISO/IEC 27001 audit report</p>\n\
         <h1 dir=\"auto\">{}</h1>\n<dl class=\"facts\">\n{facts}</dl>\n\
         <nav class=\"contents\">\n<h2>Contents</h2>\n<ol>\n{contents}</ol>\n</nav>\n</header>\n",
        keep_whole(&report.title())
    )
}

fn scope(report: &AuditReport) -> String {
    if report.scope.is_empty() {
        return "<p>No scope recorded for this audit.</p>\n".to_string();
    }
    format!(
        "<p>The clauses and controls this audit covered, as recorded.</p>\n{}",
        fixed_table(
            &[("Ref", 14), ("Title", 86)],
            report
                .scope
                .iter()
                .map(|r| row(&[ref_cell(&r.reference), text_cell(&r.title)])),
        )
    )
}

fn findings(report: &AuditReport) -> String {
    let mut out = String::new();
    for (heading, findings) in report.by_type() {
        out.push_str(&format!("<h3>{heading} ({})</h3>\n", findings.len()));
        if findings.is_empty() {
            out.push_str("<p class=\"muted\">None recorded.</p>\n");
        }
        for finding in findings {
            let facts = finding.facts().into_iter().map(|(label, text)| {
                row(&[format!("<th scope=\"row\">{label}</th>"), text_cell(&text)])
            });
            out.push_str(&format!(
                "<div class=\"finding\" id=\"{}\">\n<h4 dir=\"auto\">{}</h4>\n<table class=\"fixed\">\n\
                 <colgroup><col style=\"width:20%\"><col style=\"width:80%\"></colgroup>\n<tbody>\n{}</tbody>\n</table>\n</div>\n",
                escape(&finding.id),
                keep_whole(&finding.heading()),
                facts.collect::<String>()
            ));
        }
    }
    out
}

fn conclusion(report: &AuditReport) -> String {
    report
        .conclusion()
        .iter()
        .map(|sentence| format!("<p dir=\"auto\">{}</p>\n", keep_whole(sentence)))
        .collect()
}
