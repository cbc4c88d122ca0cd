//! `isms-ready soa`: the Statement of Applicability as text, JSON or CSV, and `--check`.

use super::Context;
use crate::cli::SoaArgs;
use crate::export::csv;
use crate::model::registers::RiskLinks;
use crate::model::soa;
use crate::model::{Answer, Item, ReasonCode};
use crate::text::inline;
use color_eyre::eyre::{Result, bail};
use serde_json::json;

fn applicability(answer: &Answer) -> &'static str {
    match answer.applicable {
        Some(true) => "included",
        Some(false) => "excluded",
        None => "undecided",
    }
}

fn reasons(links: &RiskLinks, control: &str, answer: &Answer) -> String {
    ReasonCode::join(&links.reasons(control, answer))
}

/// The linked risk ids, then the free-text risks of the control (both kept).
fn risks(links: &RiskLinks, control: &str, answer: &Answer) -> String {
    let mut parts = links.risks_of(control).to_vec();
    if !answer.risks.trim().is_empty() {
        parts.push(answer.risks.clone());
    }
    parts.join(", ")
}

fn level(answer: &Answer) -> String {
    answer
        .level
        .map_or_else(String::new, |l| l.value().to_string())
}

pub fn run(context: &Context, args: SoaArgs) -> Result<()> {
    let assessment = context.resolve_or_last(args.assessment.as_deref())?;
    let (questionnaire, answers) = context.answers_of(&assessment)?;
    // A risk linked to a control shows on it and adds the risk-treatment reason (derived).
    let links = context.store.registers(assessment.id)?.risk_links();
    let controls: Vec<&Item> = questionnaire
        .items
        .iter()
        .filter(|i| i.is_control())
        .collect();
    if controls.is_empty() {
        bail!("questionnaire {} has no Annex A controls", questionnaire.id);
    }
    if args.check {
        let findings = soa::check(&questionnaire, &answers, &links);
        for finding in &findings {
            outln!(
                "{:>4}  {:<9} {}",
                finding.item,
                inline(&finding.reference),
                inline(finding.message)
            );
        }
        if findings.is_empty() {
            outln!("no finding: every control is decided and justified");
            return Ok(());
        }
        bail!(
            "{} in the Statement of Applicability of \"{}\"",
            crate::model::count::counted(findings.len(), "finding"),
            assessment.name
        );
    }
    if args.json {
        let rows: Vec<_> = controls
            .iter()
            .map(|item| {
                let answer = answers.get(item.number);
                json!({
                    "number": item.number,
                    "control": item.reference,
                    "title": item.title,
                    "domain": item.clause,
                    "objective": item.objective,
                    "applicability": applicability(answer),
                    "reasons": links.reasons(&item.reference, answer),
                    "justification": answer.justification,
                    "level": answer.level,
                    "risks": links.risks_of(&item.reference),
                    "risks_text": answer.risks,
                    "owner": answer.owner,
                    "evidence": answer.evidence,
                })
            })
            .collect();
        let document = json!({
            "assessment": {"id": assessment.id, "name": assessment.name, "standard": questionnaire.id},
            "decisions": soa::decisions(&questionnaire, &answers),
            "controls": rows,
            "findings": soa::check(&questionnaire, &answers, &links),
        });
        super::print_json(&document)?;
    } else if args.csv {
        let mut out = csv::row([
            "number",
            "control",
            "title",
            "domain",
            "applicability",
            "reasons",
            "justification",
            "level",
            "risks",
            "owner",
            "evidence",
        ]);
        for item in &controls {
            let answer = answers.get(item.number);
            out.push_str(&csv::row([
                item.number.to_string(),
                item.reference.clone(),
                item.title.clone(),
                item.clause.clone(),
                applicability(answer).to_string(),
                reasons(&links, &item.reference, answer),
                answer.justification.clone(),
                level(answer),
                risks(&links, &item.reference, answer),
                answer.owner.clone(),
                answer.evidence.clone(),
            ]));
        }
        super::print_document(out.as_bytes())?;
    } else {
        let counts = soa::decisions(&questionnaire, &answers);
        outln!(
            "{} - Statement of Applicability: {} included, {} excluded, {} undecided",
            inline(&assessment.name),
            counts.included,
            counts.excluded,
            counts.undecided
        );
        for item in controls {
            let answer = answers.get(item.number);
            outln!(
                "{:<9} {:<9} {:>1} {:<24} {}",
                inline(&item.reference),
                applicability(answer),
                level(answer),
                reasons(&links, &item.reference, answer),
                inline(if answer.justification.is_empty() {
                    &item.title
                } else {
                    &answer.justification
                })
            );
        }
    }
    Ok(())
}
