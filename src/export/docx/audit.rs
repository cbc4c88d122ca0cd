//! The audit report as an editable Word document: the cover's facts, then the sections of
//! `AuditReport::outline` as "Heading1" sections, each finding under a "Heading3" with its facts.

use super::document::Document;
use crate::export::audit_report::AuditReport;
use crate::export::report::{Report, day, keep_whole_plain};
use docx_rs::{Paragraph, Run};

pub fn write(report: &AuditReport) -> Result<Vec<u8>, String> {
    let mut doc = Document::new();
    doc.paragraph(
        Paragraph::new()
            .style("Title")
            .add_run(Run::new().add_text(report.title())),
    );
    doc.text("ISO/IEC 27001 audit report");
    doc.facts(
        report
            .cover()
            .into_iter()
            .map(|(label, lines)| vec![label.to_string(), lines.join("\n")])
            .collect(),
    );
    doc.paragraph(
        Paragraph::new()
            .keep_next(true)
            .add_run(Run::new().add_text("Contents").bold().size(26)),
    );
    let outline = report.outline();
    for (index, section) in outline.iter().enumerate() {
        doc.text(&format!("{}. {}", index + 1, section.title));
    }
    for section in outline {
        // The scope starts the page after the cover; the findings and the conclusion follow it
        // (as in the HTML), so a short audit is not mostly white paper.
        if section.id == "audit-scope" {
            doc.heading(1, &section.title);
        } else {
            doc.paragraph(
                Paragraph::new()
                    .style("Heading1")
                    .keep_next(true)
                    .add_run(Run::new().add_text(&section.title)),
            );
        }
        match section.id {
            "audit-scope" => scope(&mut doc, report),
            "audit-findings" => findings(&mut doc, report),
            "audit-conclusion" => {
                for sentence in report.conclusion() {
                    doc.text(&keep_whole_plain(&sentence));
                }
            }
            _ => {}
        }
    }
    doc.pack()
}

fn scope(doc: &mut Document, report: &AuditReport) {
    if report.scope.is_empty() {
        doc.text("No scope recorded for this audit.");
        return;
    }
    doc.text("The clauses and controls this audit covered, as recorded.");
    doc.table(
        &[("Ref", 14), ("Title", 86)],
        report
            .scope
            .iter()
            .map(|r| vec![r.reference.clone(), r.title.clone()])
            .collect(),
    );
}

fn findings(doc: &mut Document, report: &AuditReport) {
    for (heading, findings) in report.by_type() {
        doc.heading(2, &format!("{heading} ({})", findings.len()));
        if findings.is_empty() {
            doc.text("None recorded.");
        }
        for finding in findings {
            doc.heading(3, &keep_whole_plain(&finding.heading()));
            doc.facts(
                finding
                    .facts()
                    .into_iter()
                    .map(|(label, text)| vec![label.to_string(), text])
                    .collect(),
            );
        }
    }
}

// ----- The readiness report's audit sections -----

/// The audit programme: every audit, then each clause and group with its last audit.
pub(super) fn programme(doc: &mut Document, report: &Report) {
    let sections = &report.audits;
    doc.heading(1, "Audit programme");
    doc.table(
        &[
            ("Audit", 9),
            ("Title", 21),
            ("Type", 13),
            ("Dates", 13),
            ("Status", 9),
            ("Scope", 17),
            ("Findings", 18),
        ],
        sections
            .audits
            .iter()
            .map(|a| {
                vec![
                    a.id.clone(),
                    a.title.clone(),
                    a.kind.clone(),
                    a.dates.clone(),
                    a.status.clone(),
                    a.scope.clone(),
                    a.findings_words(),
                ]
            })
            .collect(),
    );
    doc.heading(2, "Coverage over the last 12 months");
    doc.text(&keep_whole_plain(&sections.not_audited_line()));
    doc.table(
        &[
            ("Ref", 9),
            ("Title", 41),
            ("Last audited", 15),
            ("Audits", 23),
            ("Due", 12),
        ],
        sections
            .coverage
            .iter()
            .map(|r| {
                vec![
                    r.reference.clone(),
                    r.title.clone(),
                    day(r.last),
                    r.audits.join(", "),
                    if r.due { "due" } else { "" }.to_string(),
                ]
            })
            .collect(),
    );
}

/// The nonconformities not closed.
pub(super) fn nonconformities(doc: &mut Document, report: &Report) {
    let sections = &report.audits;
    doc.heading(1, "Open nonconformities");
    doc.text(&sections.nc_line());
    if sections.open_ncs.is_empty() {
        return;
    }
    doc.table(
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
        sections
            .open_ncs
            .iter()
            .map(|nc| {
                vec![
                    nc.id.clone(),
                    nc.classification.clone(),
                    nc.source.clone(),
                    day(nc.raised_on),
                    nc.description.clone(),
                    nc.status.clone(),
                    format!(
                        "{}{}",
                        day(nc.due),
                        if nc.overdue { "\noverdue" } else { "" }
                    ),
                    nc.actions.clone(),
                ]
            })
            .collect(),
    );
}

/// The last management review: its inputs (covered or not), decisions and actions.
pub(super) fn management_review(doc: &mut Document, report: &Report) {
    let sections = &report.audits;
    let Some(review) = &sections.review else {
        return;
    };
    doc.heading(1, "Last management review");
    doc.text(&keep_whole_plain(&sections.review_line()));
    let or_none = |text: &str| {
        if text.trim().is_empty() {
            "not recorded".to_string()
        } else {
            text.to_string()
        }
    };
    doc.facts(vec![
        vec!["Attendees".into(), or_none(&review.attendees)],
        vec!["Decisions and changes".into(), or_none(&review.decisions)],
        vec!["Actions raised".into(), review.actions.clone()],
    ]);
    doc.table(
        &[("Input", 9), ("What 9.3.2 asks for", 41), ("Presented", 50)],
        review
            .inputs
            .iter()
            .map(|input| {
                vec![
                    input.letter.clone(),
                    input.label.clone(),
                    if input.presented.trim().is_empty() {
                        "not covered".to_string()
                    } else {
                        input.presented.clone()
                    },
                ]
            })
            .collect(),
    );
}
