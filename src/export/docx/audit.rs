//! The audit report as an editable Word document: the cover's facts, then the sections of
//! `AuditReport::outline` as "Heading1" sections, each finding under a "Heading3" with its facts.

use super::document::Document;
use crate::export::audit_report::AuditReport;
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
        doc.heading(1, &section.title);
        match section.id {
            "audit-scope" => scope(&mut doc, report),
            "audit-findings" => findings(&mut doc, report),
            "audit-conclusion" => {
                for sentence in report.conclusion() {
                    doc.text(&super::super::report::keep_whole_plain(&sentence));
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
            doc.heading(
                3,
                &super::super::report::keep_whole_plain(&finding.heading()),
            );
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
