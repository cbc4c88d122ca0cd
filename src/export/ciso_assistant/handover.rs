//! Our actions and risks as CISO Assistant's applied controls and risk scenarios: the links from
//! a risk's Annex A controls to the actions that remedy them, and the ratings on the five levels.

use super::*;

/// How risks are rated and linked, in words (the READMEs print it).
pub const RISK_RULE: [&str; 3] = [
    "A risk's likelihood and impact 1-5 become the levels `Very low`, `Low`, `Medium`, `High`, `Very high` (ids 0-4) of the matrix \"isms-ready 5x5\" for the inherent and current ratings, its residual likelihood and impact for the residual rating; the matrix rates each pair as isms-ready does (likelihood x impact 1-4 low, 5-9 medium, 10-16 high, 20-25 critical).",
    "A risk's Annex A controls link it to the actions that remedy one of them: a done action as an existing applied control, an open one (to do, in progress, on hold) as an additional one, by `ref_id` (`ACT-n`); a dropped action is not linked. An Annex A control no action remedies yet is named in the scenario's description (`Annex A controls without an action yet`) and creates no applied control.",
    "An applied control's owner is our action's owner: CISO Assistant keeps it only when it is a user's e-mail or a team's name (several separated by `;`).",
];

/// Links a risk to the actions that remedy one of its Annex A controls: `(existing, additional,
/// controls no action remedies)`.
pub(super) fn risk_links(
    risk: &crate::model::registers::Risk,
    actions: &[crate::model::action::Action],
    questionnaire: &Questionnaire,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    use crate::model::action::ActionStatus;
    let mut existing = Vec::new();
    let mut additional = Vec::new();
    let mut uncovered = Vec::new();
    for control in &risk.controls {
        let control = control.trim();
        let mut covered = false;
        for action in actions {
            let remedies = action.items.iter().any(|n| {
                questionnaire
                    .item(*n)
                    .is_some_and(|item| ref_node(&item.reference).eq_ignore_ascii_case(control))
            });
            if !remedies || action.status == ActionStatus::Dropped {
                continue;
            }
            covered = true;
            let list = if action.status == ActionStatus::Done {
                &mut existing
            } else {
                &mut additional
            };
            let reference = format!("ACT-{}", action.number);
            if !list.contains(&reference) {
                list.push(reference);
            }
        }
        if !covered && !uncovered.iter().any(|c: &String| c == control) {
            uncovered.push(control.to_string());
        }
    }
    (existing, additional, uncovered)
}

pub(super) fn five_level(value: u8) -> String {
    FIVE_LEVELS
        .get(usize::from(value).wrapping_sub(1))
        .map_or_else(String::new, |label| (*label).to_string())
}

/// What the hand-over carries besides the audit: each action as an applied control (`ACT-n`),
/// each risk of the register as a risk scenario (its id), linked to the actions that treat it.
pub fn handover(
    actions: &[crate::model::action::Action],
    risks: &[crate::model::registers::Risk],
    questionnaire: &Questionnaire,
) -> Handover {
    use crate::model::action::{ActionStatus, Effort as OurEffort};
    use crate::model::registers::Treatment as OurTreatment;
    let refs = |items: &[u32]| {
        items
            .iter()
            .filter_map(|n| questionnaire.item(*n))
            .map(|item| item.reference.clone())
            .collect::<Vec<_>>()
    };
    let applied_controls = actions
        .iter()
        .map(|action| {
            let mut description = action.description.trim().to_string();
            let items = refs(&action.items);
            if !items.is_empty() {
                if !description.is_empty() {
                    description.push('\n');
                }
                description.push_str(&format!("Remedies: {}", items.join(", ")));
            }
            let mut observation = action.note.trim().to_string();
            if let Some(done) = action.done_on {
                if !observation.is_empty() {
                    observation.push('\n');
                }
                observation.push_str(&format!("Done on {done}"));
            }
            let csf_function = items
                .iter()
                .find(|r| r.starts_with("A."))
                .map_or(CsfFunction::Govern, |r| CsfFunction::of_ref(r));
            AppliedControlRow {
                ref_id: format!("ACT-{}", action.number),
                name: action.title.clone(),
                description,
                status: match action.status {
                    ActionStatus::Todo => ControlStatus::ToDo,
                    ActionStatus::InProgress => ControlStatus::InProgress,
                    ActionStatus::OnHold => ControlStatus::OnHold,
                    ActionStatus::Done => ControlStatus::Active,
                    ActionStatus::Dropped => ControlStatus::Deprecated,
                },
                category: None,
                csf_function: Some(csf_function),
                priority: Some(action.priority).filter(|p| (1..=4).contains(p)),
                effort: action.effort.map(|effort| match effort {
                    OurEffort::XS => Effort::Xs,
                    OurEffort::S => Effort::S,
                    OurEffort::M => Effort::M,
                    OurEffort::L => Effort::L,
                    OurEffort::XL => Effort::Xl,
                }),
                eta: action.due,
                owner: action.owner.clone(),
                observation,
            }
        })
        .collect();
    let risks = risks
        .iter()
        .map(|risk| {
            let (existing, additional, uncovered) = risk_links(risk, actions, questionnaire);
            let controls = risk.controls.join(", ");
            let uncovered = uncovered.join(", ");
            let description = [
                ("Asset or process", &risk.asset),
                ("Threat", &risk.threat),
                ("Vulnerability", &risk.vulnerability),
                ("Owner", &risk.owner),
                ("Annex A controls", &controls),
                ("Annex A controls without an action yet", &uncovered),
                ("Note", &risk.note),
            ]
            .iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(label, text)| format!("{label}: {}", text.trim()))
            .collect::<Vec<_>>()
            .join("\n");
            RiskRow {
                ref_id: risk.id.clone(),
                name: risk.title.clone(),
                description,
                inherent_impact: five_level(risk.impact),
                inherent_proba: five_level(risk.likelihood),
                current_impact: five_level(risk.impact),
                current_proba: five_level(risk.likelihood),
                residual_impact: risk.residual_impact.map(five_level).unwrap_or_default(),
                residual_proba: risk.residual_likelihood.map(five_level).unwrap_or_default(),
                treatment: Some(match risk.treatment {
                    None => Treatment::Open,
                    Some(OurTreatment::Mitigate) => Treatment::Mitigate,
                    Some(OurTreatment::Accept) => Treatment::Accept,
                    Some(OurTreatment::Avoid) => Treatment::Avoid,
                    Some(OurTreatment::Transfer) => Treatment::Transfer,
                }),
                existing_controls: existing,
                additional_controls: additional,
            }
        })
        .collect();
    Handover {
        applied_controls,
        risks,
        findings: Vec::new(),
    }
}
