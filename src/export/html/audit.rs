//! The audit report as one self-contained HTML file, on the readiness report's stylesheet: the
//! cover, then the sections of `AuditReport::outline`. User text goes through `escape` (or
//! `keep_whole`, which escapes), so ids, dates and refs never break in print.

use super::{STYLESHEET, escape, fixed_table, keep_whole, ref_cell, row, text_cell};
use crate::export::audit_report::AuditReport;
use crate::export::report::{Report, day};

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
            // The scope starts the page after the cover; the findings and the conclusion follow
            // it without a page of their own (as in the DOCX), so a short audit is not mostly
            // white paper.
            let class = if section.id == "audit-scope" {
                "major"
            } else {
                "flow"
            };
            format!(
                "<section class=\"{class}\" id=\"{}\">\n<h2>{}</h2>\n{body}</section>\n",
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
    let facts = super::cover_facts(report.cover());
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

// ----- The readiness report's audit sections -----

/// The audit programme: every audit, then each clause and group with its last audit.
pub(super) fn programme(report: &Report) -> String {
    let sections = &report.audits;
    let audits = fixed_table(
        &[
            ("Audit", 9),
            ("Title", 21),
            ("Type", 13),
            ("Dates", 13),
            ("Status", 9),
            ("Scope", 17),
            ("Findings", 18),
        ],
        sections.audits.iter().map(|a| {
            row(&[
                ref_cell(&a.id),
                text_cell(&a.title),
                text_cell(&a.kind),
                text_cell(&a.dates),
                text_cell(&a.status),
                text_cell(&a.scope),
                text_cell(&a.findings_words()),
            ])
        }),
    );
    let coverage = fixed_table(
        &[
            ("Ref", 9),
            ("Title", 41),
            ("Last audited", 15),
            ("Audits", 23),
            ("Due", 12),
        ],
        sections.coverage.iter().map(|r| {
            let due = if r.due {
                "<td class=\"rating-red\">due</td>".to_string()
            } else {
                "<td></td>".to_string()
            };
            row(&[
                ref_cell(&r.reference),
                text_cell(&r.title),
                text_cell(&day(r.last)),
                text_cell(&r.audits.join(", ")),
                due,
            ])
        }),
    );
    format!(
        "<section class=\"major\" id=\"audit-programme\">\n<h2>Audit programme</h2>\n{audits}\
         <h3>Coverage over the last 12 months</h3>\n<p dir=\"auto\">{}</p>\n{coverage}</section>\n",
        keep_whole(&sections.not_audited_line())
    )
}

/// The nonconformities not closed.
pub(super) fn nonconformities(report: &Report) -> String {
    let sections = &report.audits;
    let table = if sections.open_ncs.is_empty() {
        String::new()
    } else {
        fixed_table(
            &[
                ("NC", 8),
                ("Class", 8),
                ("Source", 14),
                ("Raised", 11),
                ("Description", 24),
                ("Status", 12),
                ("Due", 11),
                ("Actions", 12),
            ],
            sections.open_ncs.iter().map(|nc| {
                let due = if nc.overdue {
                    format!(
                        "<td class=\"text\">{} <span class=\"flag\">overdue</span></td>",
                        keep_whole(&day(nc.due))
                    )
                } else {
                    text_cell(&day(nc.due))
                };
                let cells = [
                    ref_cell(&nc.id),
                    text_cell(&nc.classification),
                    text_cell(&nc.source),
                    text_cell(&day(nc.raised_on)),
                    text_cell(&nc.description),
                    text_cell(&nc.status),
                    due,
                    text_cell(&nc.actions),
                ];
                if nc.overdue {
                    format!("<tr class=\"overdue\">{}</tr>\n", cells.concat())
                } else {
                    row(&cells)
                }
            }),
        )
    };
    format!(
        "<section id=\"nonconformities\">\n<h2>Open nonconformities</h2>\n<p>{}</p>\n{table}</section>\n",
        escape(&sections.nc_line())
    )
}

/// The last management review: its inputs (covered or not), decisions and actions.
pub(super) fn management_review(report: &Report) -> String {
    let sections = &report.audits;
    let Some(review) = &sections.review else {
        return String::new();
    };
    let or_none = |text: &str| {
        if text.trim().is_empty() {
            "not recorded".to_string()
        } else {
            keep_whole(text)
        }
    };
    let inputs = fixed_table(
        &[("Input", 9), ("What 9.3.2 asks for", 41), ("Presented", 50)],
        review.inputs.iter().map(|input| {
            let presented = if input.presented.trim().is_empty() {
                "<td class=\"rating-red\">not covered</td>".to_string()
            } else {
                text_cell(&input.presented)
            };
            row(&[ref_cell(&input.letter), text_cell(&input.label), presented])
        }),
    );
    format!(
        "<section id=\"last-review\">\n<h2>Last management review</h2>\n<p dir=\"auto\">{}</p>\n\
         <dl class=\"facts\">\n<dt>Attendees</dt><dd dir=\"auto\">{}</dd>\n\
         <dt>Decisions and changes</dt><dd dir=\"auto\" class=\"text\">{}</dd>\n\
         <dt>Actions raised</dt><dd>{}</dd>\n</dl>\n{inputs}</section>\n",
        keep_whole(&sections.review_line()),
        or_none(&review.attendees),
        or_none(&review.decisions),
        keep_whole(&review.actions)
    )
}
