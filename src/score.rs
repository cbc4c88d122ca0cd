//! The scoring rule, in one place. Every output (TUI, `summary`, exports) uses these figures.
//!
//! - item score = level / 4; an unanswered applicable item scores 0; an excluded control is left out.
//! - readiness of a group = 100 x sum of scores / applicable items; gap = 100 - readiness.
//! - coverage = 100 x (answered + excluded) / items.
//! - overall readiness is taken over all clause items (4-10); Annex A has its own figure.
//! - the PDCA stage a clause has reached is the lowest level among its applicable items.
//! - figures are kept exact and rounded to one decimal, half away from zero, only when shown.

/// The scoring rule in words, as help, README and reports state it.
pub const RULES: [&str; 8] = [
    "item score = level / 4; an unanswered applicable item scores 0; an excluded control is left out",
    "readiness of a group = 100 x sum of item scores / applicable items; gap = 100 - readiness",
    "assessed readiness = 100 x sum of item scores / answered applicable items (what the room found)",
    "an unanswered item is not assessed, never absent: a group with no answered item is rated not assessed",
    "coverage = 100 x (answered + excluded) / items",
    "overall readiness: all clause items 4-10, each weighing the same; Annex A has its own figure",
    "PDCA reached by a clause = the lowest level among its applicable items (0 none, 1 P, 2 D, 3 C, 4 A)",
    "figures are rounded to one decimal, half away from zero, only when shown",
];

pub use crate::model::Percent;
use crate::model::{Answers, Assessment, Item, ItemKind, Level, Questionnaire};
use serde::Serialize;

/// The figures of one group of items (a clause, an Annex A domain, or a whole part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub readiness: Percent,
    pub gap: Percent,
    pub coverage: Percent,
    pub answered: usize,
    pub excluded: usize,
    pub unanswered: usize,
    pub items: usize,
    /// How many applicable items sit at each level 0..=4.
    pub level_counts: [usize; 5],
    /// The PDCA stage every applicable item has reached: "none", "P", "D", "C" or "A".
    pub pdca_reached: &'static str,
    /// 100 x sum of scores / answered applicable items: what the room found; `None` (null) when
    /// nothing was answered.
    pub assessed_readiness: Option<Percent>,
    /// The group's rating: not assessed when no applicable item is answered, else by readiness.
    pub rating: Rating,
}

impl Figures {
    fn of<'a>(items: impl Iterator<Item = &'a Item>, answers: &Answers) -> Figures {
        let mut level_sum = 0u64;
        let mut applicable = 0u64;
        let mut answered = 0usize;
        let mut excluded = 0usize;
        let mut total = 0usize;
        let mut level_counts = [0usize; 5];
        let mut lowest: Option<Level> = None;
        let mut any_unanswered = false;
        for item in items {
            total += 1;
            let answer = answers.get(item.number);
            if item.kind == ItemKind::Control && answer.is_excluded() {
                excluded += 1;
                continue;
            }
            applicable += 1;
            match answer.level {
                Some(level) => {
                    answered += 1;
                    level_sum += u64::from(level.value());
                    level_counts[usize::from(level.value())] += 1;
                    lowest = Some(lowest.map_or(level, |low| low.min(level)));
                }
                None => any_unanswered = true,
            }
        }
        // readiness = 100 * sum(level / 4) / applicable = 100 * level_sum / (4 * applicable)
        let readiness = Percent::of(level_sum, 4 * applicable);
        let pdca_reached = match (any_unanswered, lowest) {
            (false, Some(level)) => level.stage(),
            _ => Level::Absent.stage(),
        };
        Figures {
            readiness,
            gap: readiness.complement(),
            coverage: Percent::of((answered + excluded) as u64, total as u64),
            answered,
            excluded,
            unanswered: applicable as usize - answered,
            items: total,
            level_counts,
            pdca_reached,
            assessed_readiness: (answered > 0).then(|| Percent::of(level_sum, 4 * answered as u64)),
            rating: if answered == 0 {
                Rating::NotAssessed
            } else {
                Rating::of_tenths(readiness.tenths())
            },
        }
    }
}

/// The figures of one clause or Annex A domain, with its identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupSummary {
    pub clause: String,
    pub title: String,
    /// The clause's own PDCA phase (4 P, 5 PDCA, 6 P, 7 D, 8 D, 9 C, 10 A; "D" for Annex A).
    pub pdca_phase: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentRef {
    pub id: i64,
    pub name: String,
    pub standard: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnexSummary {
    pub overall: Figures,
    pub domains: Vec<GroupSummary>,
}

/// The whole scoring of one assessment: what `summary --json` prints and every screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub assessment: AssessmentRef,
    pub overall: Figures,
    pub clauses: Vec<GroupSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annex_a: Option<AnnexSummary>,
}

/// Scores one assessment. Pure: the same answers always give the same figures.
pub fn summarize(
    assessment: &Assessment,
    questionnaire: &Questionnaire,
    answers: &Answers,
) -> Summary {
    let groups = questionnaire.groups();
    let group_summary = |kind: ItemKind| -> Vec<GroupSummary> {
        groups
            .iter()
            .filter(|group| group.kind == kind)
            .map(|group| GroupSummary {
                clause: group.id.to_string(),
                title: group.title.to_string(),
                pdca_phase: group.pdca.to_string(),
                figures: Figures::of(
                    questionnaire
                        .items
                        .iter()
                        .filter(|item| item.clause == group.id),
                    answers,
                ),
            })
            .collect()
    };
    let clauses = group_summary(ItemKind::Clause);
    let annex_a = (questionnaire.control_count() > 0).then(|| AnnexSummary {
        overall: Figures::of(
            questionnaire.items.iter().filter(|item| item.is_control()),
            answers,
        ),
        domains: group_summary(ItemKind::Control),
    });
    Summary {
        assessment: AssessmentRef {
            id: assessment.id,
            name: assessment.name.clone(),
            standard: questionnaire.id.clone(),
        },
        overall: Figures::of(questionnaire.clause_items(), answers),
        clauses,
        annex_a,
    }
}

/// The item score (level / 4), or `None` for an excluded control.
pub fn item_score(item: &Item, answers: &Answers) -> Option<f64> {
    let answer = answers.get(item.number);
    if item.is_control() && answer.is_excluded() {
        return None;
    }
    Some(answer.level.map_or(0.0, Level::score))
}

/// The lowest-scored answered applicable items, worst first, then by number. Unanswered items are
/// not gaps but not yet discussed (see [`not_yet_discussed`]); a 0 means "assessed as absent".
pub fn largest_gaps<'q>(
    questionnaire: &'q Questionnaire,
    answers: &Answers,
    kind: ItemKind,
    limit: usize,
) -> Vec<&'q Item> {
    let mut candidates: Vec<(&Item, u8, bool)> = questionnaire
        .items
        .iter()
        .filter(|item| item.kind == kind)
        .filter_map(|item| {
            let answer = answers.get(item.number);
            if item.is_control() && answer.is_excluded() {
                return None;
            }
            let level = answer.level?.value();
            (level < Level::Improving.value()).then_some((item, level, false))
        })
        .collect();
    candidates.sort_by_key(|(item, level, unanswered)| (*level, *unanswered, item.number));
    candidates
        .into_iter()
        .take(limit)
        .map(|(item, _, _)| item)
        .collect()
}

/// One group's readiness at two points: `from` (then) and `to` (now).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupDelta {
    pub clause: String,
    pub title: String,
    pub from: Percent,
    pub to: Percent,
    /// `to - from`, in points, from the figures as shown.
    pub delta: f64,
    pub from_assessed: Option<Percent>,
    pub to_assessed: Option<Percent>,
}

impl GroupDelta {
    fn of(clause: &str, title: &str, from: &Figures, to: &Figures) -> GroupDelta {
        GroupDelta {
            clause: clause.to_string(),
            title: title.to_string(),
            from: from.readiness,
            to: to.readiness,
            delta: (to.readiness.tenths() as i64 - from.readiness.tenths() as i64) as f64 / 10.0,
            from_assessed: from.assessed_readiness,
            to_assessed: to.assessed_readiness,
        }
    }
}

/// How one item moved between two points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemMove {
    Up,
    Down,
    NewlyAssessed,
    /// Answered then, unanswered now.
    Cleared,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemDelta {
    pub number: u32,
    #[serde(rename = "ref")]
    pub reference: String,
    pub clause: String,
    pub title: String,
    pub from_level: Option<u8>,
    pub to_level: Option<u8>,
    pub change: ItemMove,
}

/// Two states of one questionnaire's answers side by side: per clause and Annex A domain,
/// readiness then and now; the items whose level moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub overall: GroupDelta,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annex_a: Option<GroupDelta>,
    pub groups: Vec<GroupDelta>,
    pub items: Vec<ItemDelta>,
}

/// Compares `from` (then, or the other assessment) with `to` (now). Pure.
pub fn compare(
    assessment: &Assessment,
    questionnaire: &Questionnaire,
    from: &Answers,
    to: &Answers,
) -> Comparison {
    let then = summarize(assessment, questionnaire, from);
    let now = summarize(assessment, questionnaire, to);
    let pair = |a: &[GroupSummary], b: &[GroupSummary]| -> Vec<GroupDelta> {
        a.iter()
            .zip(b)
            .map(|(x, y)| GroupDelta::of(&x.clause, &x.title, &x.figures, &y.figures))
            .collect()
    };
    let mut groups = pair(&then.clauses, &now.clauses);
    let annex_a = match (&then.annex_a, &now.annex_a) {
        (Some(x), Some(y)) => {
            groups.extend(pair(&x.domains, &y.domains));
            Some(GroupDelta::of(
                "A",
                "Annex A controls",
                &x.overall,
                &y.overall,
            ))
        }
        _ => None,
    };
    let items = questionnaire
        .items
        .iter()
        .filter_map(|item| {
            let before = from.get(item.number).level.map(Level::value);
            let after = to.get(item.number).level.map(Level::value);
            let change = match (before, after) {
                (Some(b), Some(a)) if a > b => ItemMove::Up,
                (Some(b), Some(a)) if a < b => ItemMove::Down,
                (None, Some(_)) => ItemMove::NewlyAssessed,
                (Some(_), None) => ItemMove::Cleared,
                _ => return None,
            };
            Some(ItemDelta {
                number: item.number,
                reference: item.reference.clone(),
                clause: item.clause.clone(),
                title: item.title.clone(),
                from_level: before,
                to_level: after,
                change,
            })
        })
        .collect();
    Comparison {
        overall: GroupDelta::of("4-10", "Clauses 4 to 10", &then.overall, &now.overall),
        annex_a,
        groups,
        items,
    }
}

/// The applicable items nobody has answered yet, grouped by clause (or Annex A domain) in
/// questionnaire order: "not yet discussed", listed apart from the gaps.
pub fn not_yet_discussed<'q>(
    questionnaire: &'q Questionnaire,
    answers: &Answers,
    kind: ItemKind,
) -> Vec<(&'q str, Vec<&'q Item>)> {
    let mut groups: Vec<(&str, Vec<&Item>)> = Vec::new();
    for item in questionnaire.items.iter().filter(|item| item.kind == kind) {
        let answer = answers.get(item.number);
        if answer.level.is_some() || (item.is_control() && answer.is_excluded()) {
            continue;
        }
        match groups.last_mut() {
            Some((clause, items)) if *clause == item.clause => items.push(item),
            _ => groups.push((item.clause.as_str(), vec![item])),
        }
    }
    groups
}

/// How a group is judged (grey, red, amber, green) in the app and in every report; the
/// thresholds are stated in help, the README and the reports. A group nobody has answered is
/// not assessed, never red.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Rating {
    #[serde(rename = "not_assessed")]
    NotAssessed,
    #[serde(rename = "below_50")]
    Red,
    #[serde(rename = "from_50")]
    Amber,
    #[serde(rename = "from_75")]
    Green,
}

/// Below this readiness a group is red.
pub const AMBER_FROM: u64 = 50;
/// At or above this readiness a group is green.
pub const GREEN_FROM: u64 = 75;

impl Rating {
    /// Rates a readiness given in tenths of a percent (as shown, so the colour matches the figure).
    pub fn of_tenths(tenths: u64) -> Rating {
        if tenths >= GREEN_FROM * 10 {
            Rating::Green
        } else if tenths >= AMBER_FROM * 10 {
            Rating::Amber
        } else {
            Rating::Red
        }
    }

    /// The rating as `summary --json` spells it.
    pub fn code(self) -> &'static str {
        match self {
            Rating::NotAssessed => "not_assessed",
            Rating::Red => "below_50",
            Rating::Amber => "from_50",
            Rating::Green => "from_75",
        }
    }

    /// The rating in words, with the thresholds, so colour is never needed to read it.
    pub fn words(self) -> String {
        match self {
            Rating::NotAssessed => "not assessed".to_string(),
            Rating::Red => format!("below {AMBER_FROM} %"),
            Rating::Amber => format!("{AMBER_FROM} % to under {GREEN_FROM} %"),
            Rating::Green => format!("{GREEN_FROM} % or more"),
        }
    }

    /// The symbol that carries the rating without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Rating::NotAssessed => "--",
            Rating::Red => "!!",
            Rating::Amber => "~ ",
            Rating::Green => "ok",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_exact_and_half_away_from_zero() {
        // 1/8 = 12.5 % -> 12.5; 1/80 = 1.25 % -> 1.3; 2/3 = 66.666.. -> 66.7
        assert_eq!(Percent::of(1, 8).to_string(), "12.5");
        assert_eq!(Percent::of(1, 80).to_string(), "1.3");
        assert_eq!(Percent::of(2, 3).to_string(), "66.7");
        assert_eq!(Percent::of(1, 3).to_string(), "33.3");
        assert_eq!(Percent::of(0, 7).to_string(), "0.0");
        assert_eq!(Percent::of(7, 7).to_string(), "100.0");
        // 0.15 % cannot be represented exactly as f64; the fraction rounds it right.
        assert_eq!(Percent::of(15, 10_000).to_string(), "0.2");
        assert_eq!(Percent::of(1, 3).complement().to_string(), "66.7");
        assert_eq!(Percent::of(0, 0).to_string(), "0.0");
    }
}
