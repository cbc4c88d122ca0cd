//! The Statement of Applicability check: what an auditor would flag before reading further.

use super::registers::RiskLinks;
use super::{Answers, Level, Questionnaire, ReasonCode};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Excluded, but no written justification.
    ExcludedWithoutJustification,
    /// Included, but no reason code says why.
    IncludedWithoutReason,
    /// At level 2 or above, but no evidence reference to show for it.
    ImplementedWithoutEvidence,
    /// Neither included nor excluded yet.
    Undecided,
    /// Included with risk treatment as its only reason, yet no risk of the register links to it.
    RiskTreatmentWithoutRisk,
}

impl FindingKind {
    pub fn message(self) -> &'static str {
        match self {
            FindingKind::ExcludedWithoutJustification => "excluded without a justification",
            FindingKind::IncludedWithoutReason => "included without a reason code",
            FindingKind::ImplementedWithoutEvidence => {
                "level 2 or above without an evidence reference"
            }
            FindingKind::Undecided => "applicability not decided",
            FindingKind::RiskTreatmentWithoutRisk => {
                "included for risk treatment only, but no risk in the register links to it"
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub item: u32,
    #[serde(rename = "ref")]
    pub reference: String,
    pub kind: FindingKind,
    pub message: &'static str,
}

/// Every finding on the Annex A controls of an assessment, in item order: the one SoA check,
/// read by `soa --check`, the SoA screen, the reports and the audit-readiness verdict. `links` are
/// the risk register's links (empty without a register): a control a risk links to has risk
/// treatment as a reason (derived), and a control included for risk treatment alone needs a risk
/// that links to it.
pub fn check(questionnaire: &Questionnaire, answers: &Answers, links: &RiskLinks) -> Vec<Finding> {
    let mut findings = Vec::new();
    for item in questionnaire.items.iter().filter(|item| item.is_control()) {
        let answer = answers.get(item.number);
        let linked = links.is_linked(&item.reference);
        let mut flag = |kind: FindingKind| {
            findings.push(Finding {
                item: item.number,
                reference: item.reference.clone(),
                kind,
                message: kind.message(),
            })
        };
        match answer.applicable {
            None => flag(FindingKind::Undecided),
            Some(false) if answer.justification.trim().is_empty() => {
                flag(FindingKind::ExcludedWithoutJustification)
            }
            Some(true) if answer.reasons.is_empty() && !linked => {
                flag(FindingKind::IncludedWithoutReason)
            }
            Some(true) if answer.reasons == [ReasonCode::RiskTreatment] && !linked => {
                flag(FindingKind::RiskTreatmentWithoutRisk)
            }
            _ => {}
        }
        if answer.applicable != Some(false)
            && answer
                .level
                .is_some_and(|level| level >= Level::Implemented)
            && answer.evidence.trim().is_empty()
        {
            flag(FindingKind::ImplementedWithoutEvidence);
        }
    }
    findings
}

/// How many controls are included, excluded and undecided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Decisions {
    pub included: usize,
    pub excluded: usize,
    pub undecided: usize,
}

pub fn decisions(questionnaire: &Questionnaire, answers: &Answers) -> Decisions {
    let mut counts = Decisions::default();
    for item in questionnaire.items.iter().filter(|item| item.is_control()) {
        match answers.get(item.number).applicable {
            Some(true) => counts.included += 1,
            Some(false) => counts.excluded += 1,
            None => counts.undecided += 1,
        }
    }
    counts
}
