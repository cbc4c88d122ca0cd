//! The readiness report as one self-contained HTML5 file: inline CSS, inline SVG charts, no script
//! and no external request, readable on screen and printable on A4. Every piece of user text goes
//! through `escape`; colour always comes with words.

use super::report::{
    Detail, ItemRow, NotDiscussed, PDCA_STAGES, PlanReport, Report, SoaReport, StepRow, day,
    level_text, stages_reached,
};
use super::report::{ref_tail, unbreakable};
use crate::model::count::counted;
use crate::model::verdict::RULES;
use crate::score::Rating;
use crate::score::{Figures, GroupSummary, Percent};

pub mod audit;
mod charts;

use charts::{CHART_WIDTH, heat_map_svg, influence_svg, readiness_chart, trend_chart};

const STYLESHEET: &str = include_str!("../../assets/report.css");

/// The whole report, in the order the issue gives: cover, executive summary, readiness by
/// clause and domain, audit readiness, findings, the SoA, the registers, the plan and the
/// roadmap, then (only with `Detail::Full`) the appendix of every item.
pub fn write(report: &Report) -> String {
    let outline = report.outline();
    let sections: String = outline
        .iter()
        .map(|section| match section.id {
            "executive" => executive_summary(report),
            "overall" => overall(report),
            "pdca" => pdca_matrix(&report.summary.clauses),
            "trend" => trend_chart(&report.trend),
            "verdict" => verdict(report),
            "findings" => findings_section(report),
            "audit-programme" => audit::programme(report),
            "nonconformities" => audit::nonconformities(report),
            "last-review" => audit::management_review(report),
            "merge-conflicts" => merge_conflicts(&report.conflicts),
            "soa" => report
                .soa
                .as_ref()
                .map_or_else(String::new, |soa| statement_of_applicability(soa, report)),
            "registers" => registers(report),
            "plan" => plan(&report.plan),
            "actions" => actions(report),
            "gaps" => largest_gaps(&report.gaps),
            "not-discussed" => not_yet_discussed(&report.not_yet_discussed),
            "items" => all_items(report),
            "rules" => rules(&report.rules),
            _ => String::new(),
        })
        .collect();
    let body = format!("{}<main>\n{sections}</main>\n", title_page(report));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Readiness report: {}</title>\n<style>\n{STYLESHEET}</style>\n</head>\n\
         <body>\n{body}</body>\n</html>\n",
        escape(&report.assessment.name)
    )
}

/// A table with fixed column widths (percent of the page width), so the browser never squeezes
/// a column below its longest word: `widths` sum to 100.
fn fixed_table(header: &[(&str, u32)], rows: impl IntoIterator<Item = String>) -> String {
    let cols: String = header
        .iter()
        .map(|(_, width)| format!("<col style=\"width:{width}%\">"))
        .collect();
    let head: String = header
        .iter()
        .map(|(h, _)| format!("<th>{h}</th>"))
        .collect();
    let body: String = rows.into_iter().collect();
    format!(
        "<table class=\"fixed\">\n<colgroup>{cols}</colgroup>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"
    )
}

/// A reference cell: never wrapped ("A.5.1" stays whole).
fn ref_cell(text: &str) -> String {
    format!("<td class=\"ref\">{}</td>", escape(text))
}

fn executive_summary(report: &Report) -> String {
    let executive = report.executive();
    let overall = &report.summary.overall;
    let mut figures = format!(
        "<li>Clauses 4 to 10: <strong>{} %</strong> overall readiness ({}), {} assessed \
         readiness, {} % coverage ({}).</li>\n",
        overall.readiness,
        overall.rating.words(),
        assessed_words(overall),
        overall.coverage,
        answered_words(overall)
    );
    if let Some(annex) = &report.summary.annex_a {
        let a = &annex.overall;
        figures.push_str(&format!(
            "<li>Annex A controls: <strong>{} %</strong> overall readiness ({}), {} assessed \
             readiness, {} % coverage ({}).</li>\n",
            a.readiness,
            a.rating.words(),
            assessed_words(a),
            a.coverage,
            answered_words(a)
        ));
    }
    let group_list = |groups: &[GroupSummary]| -> String {
        if groups.is_empty() {
            return "<p class=\"muted\">No group assessed enough yet (coverage 50 % or more).</p>\n"
                .to_string();
        }
        let items: String = groups
            .iter()
            .map(|g| {
                format!(
                    "<li>{} {}: {} assessed ({}), coverage {} %</li>\n",
                    escape(&g.clause),
                    escape(&g.title),
                    assessed_words(&g.figures),
                    g.figures.rating.words(),
                    g.figures.coverage
                )
            })
            .collect();
        format!("<ol>\n{items}</ol>\n")
    };
    let recommendations = if executive.recommendations.is_empty() {
        "<p class=\"muted\">No note or open action to recommend from yet.</p>\n".to_string()
    } else {
        let items: String = executive
            .recommendations
            .iter()
            .map(|r| format!("<li dir=\"auto\">{}</li>\n", escape(r)))
            .collect();
        format!("<ol>\n{items}</ol>\n")
    };
    let not_assessed = if executive.not_assessed.is_empty() {
        "<p>Every item has been assessed.</p>\n".to_string()
    } else {
        let items: String = executive
            .not_assessed
            .iter()
            .map(|r| format!("<li>{}</li>\n", escape(r)))
            .collect();
        format!("<ul class=\"compact\">\n{items}</ul>\n")
    };
    format!(
        "<section class=\"major executive\" id=\"executive\">\n<h2>Executive summary</h2>\n\
         <p class=\"verdict-line\" id=\"verdict-line\"><strong>Verdict:</strong> {}</p>\n\
         <ul>\n{figures}</ul>\n<div class=\"two-columns\">\n<div>\n<h3>Strongest</h3>\n{}</div>\n\
         <div>\n<h3>Weakest</h3>\n{}</div>\n</div>\n<h3>Top recommendations</h3>\n{recommendations}\
         <h3>Not yet assessed</h3>\n{not_assessed}</section>\n",
        escape(&executive.verdict),
        group_list(&executive.strongest),
        group_list(&executive.weakest),
    )
}

/// Answered items at level 0-1 with their notes, by clause or domain.
fn findings_section(report: &Report) -> String {
    let groups = report.findings();
    let mut out = format!(
        "<section class=\"major\" id=\"findings\">\n<h2>Findings</h2>\n<p>{}</p>\n",
        super::report::findings_rule()
    );
    if groups.is_empty() {
        out.push_str("<p>No answered item is at level 0 or 1.</p>\n");
    }
    for group in groups {
        out.push_str(&format!(
            "<h3>{} {} ({})</h3>\n",
            escape(&group.clause),
            escape(&group.title),
            group.items.len()
        ));
        out.push_str(&fixed_table(
            &[
                ("Ref", 11),
                ("Title", 30),
                ("Level", 11),
                ("Note", 34),
                ("Evidence", 14),
            ],
            group.items.iter().map(|item| {
                row(&[
                    ref_cell(&item.reference),
                    text_cell(&item.title),
                    level_cell(item),
                    text_cell(&item.answer.note),
                    text_cell(&item.answer.evidence),
                ])
            }),
        ));
    }
    out.push_str("</section>\n");
    out
}

/// The sessions held and their participants, on the cover.
/// Makes user text safe in element content and in quoted attributes (`text::for_html`).
pub(crate) fn escape(text: &str) -> String {
    crate::text::for_html(text)
}

fn rating_class(rating: Rating) -> &'static str {
    match rating {
        Rating::NotAssessed => "grey",
        Rating::Red => "red",
        Rating::Amber => "amber",
        Rating::Green => "green",
    }
}

/// A cell of user text: escaped, line breaks kept, direction taken from the text itself; ids,
/// dates and refs in it never break (`keep_whole`).
fn text_cell(text: &str) -> String {
    format!("<td class=\"text\" dir=\"auto\">{}</td>", keep_whole(text))
}

/// Text that is never broken over two lines ("2026-12-01", "6.1.2 e) 2)"), escaped.
fn nowrap(text: &str) -> String {
    format!("<span class=\"nw\">{}</span>", escape(text))
}

/// Escapes `text` and puts every id, date and ref in it (with a sub-clause ref's tail) in a
/// no-wrap span, so the printed report never splits one over two lines; the words between
/// still wrap at spaces only (the stylesheet sets `overflow-wrap: normal; hyphens: manual`).
pub(crate) fn keep_whole(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let words: Vec<&str> = line.split(' ').collect();
        let mut i = 0;
        while i < words.len() {
            if i > 0 {
                out.push(' ');
            }
            if unbreakable(words[i]) {
                let mut end = i + 1;
                while end < words.len() && ref_tail(words[end]) {
                    end += 1;
                }
                out.push_str(&nowrap(&words[i..end].join(" ")));
                i = end;
            } else {
                out.push_str(&escape(words[i]));
                i += 1;
            }
        }
    }
    out
}

fn num_cell(value: impl std::fmt::Display) -> String {
    format!("<td class=\"num\">{value}</td>")
}

fn percent_cell(figure: Percent) -> String {
    num_cell(format!("{figure} %"))
}

/// A rating in words; a figure keeps its "%" on its line ("50 % to under 75 %").
fn rating_cell(rating: Rating) -> String {
    format!(
        "<td class=\"rating-{}\">{}</td>",
        rating_class(rating),
        rating.words().replace(" %", "&nbsp;%")
    )
}

fn level_cell(row: &ItemRow) -> String {
    let class = row.answer.level.map_or_else(
        || "level-none".to_string(),
        |level| format!("level-{}", level.value()),
    );
    format!("<td class=\"{class}\">{}</td>", escape(&level_text(row)))
}

/// A table from a header of our own words and rows of finished `<td>` cells.
fn table(header: &[&str], rows: impl IntoIterator<Item = String>) -> String {
    let head: String = header.iter().map(|h| format!("<th>{h}</th>")).collect();
    let body: String = rows.into_iter().collect();
    format!("<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n")
}

fn row(cells: &[String]) -> String {
    format!("<tr>{}</tr>\n", cells.concat())
}

/// A cover's facts as a definition list's rows: one line as it is, several as a list (the
/// readiness report's and the audit report's covers).
pub(super) fn cover_facts(cover: Vec<(&'static str, Vec<String>)>) -> String {
    cover
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
        .collect()
}

fn title_page(report: &Report) -> String {
    let assessment = &report.assessment;
    let facts = cover_facts(report.cover());
    let contents: String = report
        .outline()
        .iter()
        .map(|s| format!("<li><a href=\"#{}\">{}</a></li>\n", s.id, escape(&s.title)))
        .collect();
    let notice = report
        .superseded_notice
        .as_ref()
        .map_or_else(String::new, |notice| {
            format!(
                "<div class=\"notice\" role=\"note\"><strong>Warning:</strong> {}</div>\n",
                escape(notice)
            )
        });
    format!(
        "<header class=\"title-page\">\n<p class=\"kicker\">ISO/IEC 27001 certification readiness</p>\n\
         <h1 dir=\"auto\">{}</h1>\n<dl class=\"facts\">\n{facts}</dl>\n{notice}\
         <nav class=\"contents\">\n<h2>Contents</h2>\n<ol>\n{contents}</ol>\n</nav>\n</header>\n",
        escape(&assessment.name)
    )
}

fn answered_words(figures: &Figures) -> String {
    let excluded = if figures.excluded > 0 {
        format!(", {} excluded", figures.excluded)
    } else {
        String::new()
    };
    format!(
        "{} answered{excluded}, of {} items",
        figures.answered, figures.items
    )
}

fn tile(label: &str, figures: &Figures) -> String {
    let readiness = figures.readiness;
    format!(
        "<div class=\"tile\"><div class=\"label\">{label}</div>\
         <div class=\"figure rating-{}\">{readiness} %</div>\
         <div>overall readiness: {}</div><div>assessed readiness: {}</div>\
         <div class=\"muted\">gap {} %, coverage {} %; {}</div></div>\n",
        rating_class(figures.rating),
        figures.rating.words(),
        assessed_words(figures),
        figures.gap,
        figures.coverage,
        answered_words(figures)
    )
}

fn overall(report: &Report) -> String {
    let mut tiles = tile("Clauses 4 to 10", &report.summary.overall);
    if let Some(annex) = &report.summary.annex_a {
        tiles.push_str(&tile("Annex A controls", &annex.overall));
    }
    format!(
        "<section class=\"major\" id=\"overall\">\n<h2>Readiness by clause and domain</h2>\n\
         <div class=\"tiles\">\n{tiles}</div>\n{}{}{}</section>\n",
        readiness_chart(&report.summary.clauses, "clause"),
        groups_table(&report.summary.clauses),
        report
            .summary
            .annex_a
            .as_ref()
            .map_or_else(String::new, |annex| format!(
                "<h3>Annex A domains</h3>\n{}{}",
                readiness_chart(&annex.domains, "Annex A domain"),
                groups_table(&annex.domains)
            )),
    )
}

/// An assessed readiness with its unit, or "not assessed".
fn assessed_words(figures: &Figures) -> String {
    figures
        .assessed_readiness
        .map_or_else(|| "not assessed".to_string(), |p| format!("{p} %"))
}

fn group_row(group: &GroupSummary) -> String {
    let figures = &group.figures;
    row(&[
        ref_cell(&group.clause),
        text_cell(&group.title),
        percent_cell(figures.readiness),
        figures.assessed_readiness.map_or_else(
            || "<td class=\"grey\">not assessed</td>".to_string(),
            percent_cell,
        ),
        rating_cell(figures.rating),
        percent_cell(figures.coverage),
        num_cell(format!("{}/{}", figures.answered, figures.items)),
        format!("<td>{}</td>", figures.pdca_reached),
    ])
}

fn groups_table(groups: &[GroupSummary]) -> String {
    fixed_table(
        &[
            ("Group", 7),
            ("Title", 31),
            ("Overall", 10),
            ("Assessed", 11),
            ("Rating", 16),
            ("Coverage", 10),
            ("Answered", 9),
            ("PDCA", 6),
        ],
        groups.iter().map(group_row),
    )
}

fn pdca_matrix(clauses: &[GroupSummary]) -> String {
    let rows = clauses.iter().map(|group| {
        let mut cells = vec![
            text_cell(&format!("{} {}", group.clause, group.title)),
            text_cell(&group.pdca_phase),
        ];
        cells.extend(stages_reached(&group.figures).iter().map(|&reached| {
            if reached {
                "<td class=\"mark reached\">✓ reached</td>".to_string()
            } else {
                "<td class=\"mark\">–</td>".to_string()
            }
        }));
        row(&cells)
    });
    let mut header = vec!["Clause", "Phase"];
    header.extend(PDCA_STAGES);
    format!(
        "<section id=\"pdca\">\n<h2>PDCA matrix</h2>\n<p>A stage is reached when every applicable \
         item of the clause is at that level or above.</p>\n{}</section>\n",
        table(&header, rows)
    )
}

fn not_yet_discussed(groups: &[NotDiscussed]) -> String {
    if groups.is_empty() {
        return String::new();
    }
    let rows = groups.iter().map(|group| {
        row(&[
            text_cell(&format!("{} {}", group.clause, group.title)),
            num_cell(group.items.len()),
            text_cell(&group.items.join(", ")),
        ])
    });
    format!(
        "<section id=\"not-discussed\">\n<h2>Not yet discussed</h2>\n<p>Clause items nobody has \
         answered yet: not assessed, not absent.</p>\n{}</section>\n",
        table(&["Clause", "Items", "Not yet discussed"], rows)
    )
}

fn largest_gaps(gaps: &[ItemRow]) -> String {
    let content = if gaps.is_empty() {
        "<p>No answered clause item is below level 4.</p>\n".to_string()
    } else {
        table(
            &["No.", "Ref", "Title", "Level", "Note"],
            gaps.iter().map(|item| {
                row(&[
                    num_cell(item.number),
                    text_cell(&item.reference),
                    text_cell(&item.title),
                    level_cell(item),
                    text_cell(&item.answer.note),
                ])
            }),
        )
    };
    format!("<section id=\"gaps\">\n<h2>Largest gaps</h2>\n{content}</section>\n")
}

fn progress_bar(progress: Percent) -> String {
    format!(
        "<svg viewBox=\"0 0 {CHART_WIDTH} 24\" role=\"img\" aria-label=\"{progress} % of the plan done\">\
         <rect class=\"track\" x=\"0\" y=\"2\" width=\"{CHART_WIDTH}\" height=\"20\"/>\
         <rect class=\"bar-done\" x=\"0\" y=\"2\" width=\"{length:.1}\" height=\"20\"/></svg>\n",
        length = progress.tenths().min(1000) as f64 * CHART_WIDTH as f64 / 1000.0
    )
}

fn step_row(step: &StepRow) -> String {
    let overdue = if step.overdue {
        " <span class=\"flag\">overdue</span>"
    } else {
        ""
    };
    let reason = if step.reason.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", escape(&step.reason))
    };
    let cells = [
        num_cell(step.number),
        text_cell(&step.title),
        text_cell(&format!("{} ({})", step.phase, step.pdca)),
        format!("<td>{}{overdue}{reason}</td>", step.status_label),
        text_cell(&step.owner),
        num_cell(day(step.due)),
        num_cell(day(step.done_on)),
        text_cell(&step.note),
    ];
    let class = if step.overdue {
        " class=\"overdue\""
    } else {
        ""
    };
    format!("<tr{class}>{}</tr>\n", cells.concat())
}

fn plan(plan: &PlanReport) -> String {
    let figures = &plan.figures;
    let summary = format!(
        "<p><strong>{} % done</strong>: {} of {} steps done, {} in progress, {} blocked, {} skipped, \
         {} to do; <strong>{} overdue</strong>.</p>\n",
        figures.progress,
        figures.done,
        figures.steps,
        figures.in_progress,
        figures.blocked,
        figures.skipped,
        figures.todo,
        figures.overdue
    );
    let steps = fixed_table(
        &[
            ("Step", 6),
            ("Title", 25),
            ("Phase", 13),
            ("Status", 15),
            ("Owner", 9),
            ("Due", 10),
            ("Done on", 10),
            ("Note", 12),
        ],
        plan.steps.iter().map(step_row),
    );
    format!(
        "<section class=\"major\" id=\"plan\">\n<h2>Certification plan</h2>\n{summary}{}{steps}</section>\n",
        progress_bar(figures.progress)
    )
}

fn findings(soa: &SoaReport) -> String {
    if soa.findings.is_empty() {
        return "<p>No finding: every control is decided and justified.</p>\n".to_string();
    }
    fixed_table(
        &[("Finding", 34), ("Controls", 8), ("Refs", 58)],
        super::report::findings_by_message(&soa.findings)
            .into_iter()
            .map(|(message, refs)| {
                let refs: Vec<String> = refs.iter().map(|r| nowrap(r)).collect();
                row(&[
                    format!("<td>{message}</td>"),
                    num_cell(refs.len()),
                    format!("<td>{}</td>", refs.join(", ")),
                ])
            }),
    )
}

fn statement_of_applicability(soa: &SoaReport, report: &Report) -> String {
    let decisions = &soa.decisions;
    let shown = report.soa_rows();
    let controls = fixed_table(
        &[
            ("Ref", 6),
            ("Title", 17),
            ("Decision", 7),
            ("Reasons", 10),
            ("Justification", 12),
            ("Level", 9),
            ("Owner", 6),
            ("Risks", 6),
            ("Evidence", 7),
            ("Note", 20),
        ],
        shown.map(|control| {
            row(&[
                ref_cell(&control.reference),
                text_cell(&control.title),
                format!("<td>{}</td>", control.applicability()),
                text_cell(&control.reason_labels()),
                text_cell(&control.answer.justification),
                level_cell(control),
                text_cell(&control.answer.owner),
                text_cell(&control.answer.risks),
                text_cell(&control.answer.evidence),
                text_cell(&control.answer.note),
            ])
        }),
    );
    let undecided = report.soa_blank_refs();
    let undecided = if undecided.is_empty() {
        String::new()
    } else {
        format!(
            "<p id=\"undecided\"><strong>Not decided yet, nothing recorded ({}):</strong> {}.</p>\n",
            undecided.len(),
            escape(&undecided.join(", "))
        )
    };
    format!(
        "<section class=\"major landscape\" id=\"soa\">\n<h2>Statement of Applicability</h2>\n\
         <p>{} included, {} excluded, {} undecided.</p>\n<h3>Findings ({})</h3>\n{}\
         <h3>Controls</h3>\n{controls}{undecided}</section>\n",
        decisions.included,
        decisions.excluded,
        decisions.undecided,
        soa.findings.len(),
        findings(soa)
    )
}

fn items_table<'a>(items: impl Iterator<Item = &'a ItemRow>) -> String {
    fixed_table(
        &[
            ("No.", 5),
            ("Ref", 10),
            ("Title", 28),
            ("Level", 11),
            ("Note", 31),
            ("Evidence", 15),
        ],
        items.map(|item| {
            row(&[
                num_cell(item.number),
                ref_cell(&item.reference),
                text_cell(&item.title),
                level_cell(item),
                text_cell(&item.answer.note),
                text_cell(&item.answer.evidence),
            ])
        }),
    )
}

fn all_items(report: &Report) -> String {
    let controls = if report.soa.is_some() {
        format!(
            "<h3>Annex A controls</h3>\n{}",
            items_table(report.controls())
        )
    } else {
        String::new()
    };
    format!(
        "<section class=\"major\" id=\"items\">\n<h2>Appendix: every item</h2>\n<h3>Clauses 4 to 10</h3>\n{}{controls}</section>\n",
        items_table(report.clause_items())
    )
}

fn rules(rules: &[&str]) -> String {
    let list: String = rules
        .iter()
        .map(|rule| format!("<li>{}</li>\n", escape(rule)))
        .collect();
    format!(
        "<section id=\"rules\">\n<h2>How the figures are scored</h2>\n\
         <ul class=\"rules\">\n{list}</ul>\n<p>Readiness is rated below {} % (red), {} % to under {} % (amber) \
         and {} % or more (green).</p>\n</section>\n",
        crate::score::AMBER_FROM,
        crate::score::AMBER_FROM,
        crate::score::GREEN_FROM,
        crate::score::GREEN_FROM,
    )
}

/// How many blockers a report lists per stage (the count is always given in full).
const BLOCKERS_SHOWN: usize = 25;

/// The audit-readiness verdict, first in the executive summary: each stage with its blockers,
/// then the mandatory documented information.
fn verdict(report: &Report) -> String {
    let mut out =
        String::from("<section class=\"major\" id=\"verdict\">\n<h2>Audit readiness</h2>\n<ul>\n");
    let stages = [
        ("Stage 1", &report.verdict.stage1),
        ("Stage 2", &report.verdict.stage2),
    ];
    for (name, stage) in stages {
        if stage.ready {
            out.push_str(&format!(
                "<li class=\"rating-green\"><strong>{name}: ready.</strong> Nothing blocks it.</li>\n"
            ));
        } else {
            out.push_str(&format!(
                "<li class=\"rating-red\"><strong>{name}: not ready</strong>, {}: {}.</li>\n",
                counted(stage.blockers.len(), "blocker"),
                escape(&stage.first_groups(RULES.len()))
            ));
        }
    }
    out.push_str("</ul>\n");
    for (name, stage) in stages {
        if stage.ready {
            continue;
        }
        let shown = stage.blockers.len().min(BLOCKERS_SHOWN);
        out.push_str(&format!(
            "<h3>{name} blockers ({shown} of {})</h3>\n",
            stage.blockers.len()
        ));
        out.push_str(&fixed_table(
            &[("Ref", 11), ("Title", 37), ("Why", 52)],
            stage.blockers.iter().take(BLOCKERS_SHOWN).map(|b| {
                row(&[
                    ref_cell(&b.reference),
                    text_cell(&b.title),
                    text_cell(&b.reason),
                ])
            }),
        ));
    }
    if !report.documents.is_empty() {
        out.push_str("<h3>Mandatory documented information</h3>\n");
        out.push_str(&fixed_table(
            &[
                ("Ref", 10),
                ("Document", 38),
                ("Level", 7),
                ("Status", 17),
                ("Evidence", 28),
            ],
            report.documents.iter().map(|d| {
                row(&[
                    ref_cell(&d.reference),
                    text_cell(&d.document),
                    num_cell(d.level.map_or_else(|| "-".to_string(), |l| l.to_string())),
                    text_cell(d.status),
                    text_cell(&d.evidence),
                ])
            }),
        ));
    }
    out.push_str("</section>\n");
    out
}

/// The actions and the roadmap (open actions Now / Next / Later, then closed ones).
fn actions(report: &Report) -> String {
    let actions = &report.actions;
    let f = actions.figures;
    let mut out = format!(
        "<section class=\"major\" id=\"actions\">\n<h2>Roadmap: actions Now, Next, Later</h2>\n<p>{}: {} open ({} overdue), {} done, {} dropped. Answered gaps at level 0-1 with no action yet: {}.</p>\n",
        counted(f.total, "action"),
        f.open,
        f.overdue,
        f.done,
        f.dropped,
        actions.no_action_yet.len()
    );
    if !actions.rows.is_empty() {
        out.push_str(&fixed_table(
            &[
                ("When", 8),
                ("No.", 5),
                ("Title", 27),
                ("Items", 14),
                ("Owner", 11),
                ("Due", 12),
                ("Effort", 7),
                ("Priority", 7),
                ("Status", 9),
            ],
            actions.rows.iter().map(|r| {
                let a = &r.action;
                row(&[
                    text_cell(if r.horizon.is_empty() {
                        "closed"
                    } else {
                        r.horizon
                    }),
                    num_cell(a.number),
                    text_cell(&a.title),
                    text_cell(&r.refs),
                    text_cell(&a.owner),
                    text_cell(&format!(
                        "{}{}",
                        day(a.due),
                        if r.overdue { " (overdue)" } else { "" }
                    )),
                    text_cell(r.effort()),
                    num_cell(a.priority),
                    text_cell(r.status_label),
                ])
            }),
        ));
    }
    if !actions.no_action_yet.is_empty() && report.detail == Detail::Summary {
        out.push_str("<h3>No action yet</h3>\n");
        out.push_str(&fixed_table(
            &[("Group", 12), ("Gaps", 7), ("Refs (level)", 81)],
            report
                .no_action_by_group()
                .into_iter()
                .map(|(group, refs)| {
                    let refs: Vec<String> = refs.iter().map(|r| nowrap(r)).collect();
                    row(&[
                        ref_cell(&group),
                        num_cell(refs.len()),
                        format!("<td>{}</td>", refs.join(", ")),
                    ])
                }),
        ));
    } else if !actions.no_action_yet.is_empty() {
        out.push_str("<h3>No action yet</h3>\n");
        out.push_str(&table(
            &["No.", "Ref", "Title", "Level"],
            actions.no_action_yet.iter().map(|n| {
                row(&[
                    num_cell(n.number),
                    text_cell(&n.reference),
                    text_cell(&n.title),
                    num_cell(n.level),
                ])
            }),
        ));
    }
    out.push_str("<ul>\n");
    for rule in crate::model::action::ROADMAP_RULES {
        out.push_str(&format!("<li>{}</li>\n", escape(rule)));
    }
    out.push_str("</ul>\n</section>\n");
    out
}

// ----- The registers (issue 17) -----

use crate::model::register_spec::{self as spec, Cell, Picture};
use crate::model::registers::{Priority, RiskRating, priority_score};

/// The registers: a section each, with its picture (SVG) and table. Empty when the assessment has
/// no register entry.
fn registers(report: &Report) -> String {
    let registers = &report.registers;
    if registers.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<section class=\"major landscape\" id=\"registers\">\n<h2>Registers</h2>\n<p>Priority = influence x \
         (4 - control), from 1 to 9: very influential, poorly controlled issues come first (6-9 \
         high). Risk level = likelihood x impact, 1-25 (1-4 low, 5-9 medium, 10-16 high, 20-25 \
         critical).</p>\n",
    );
    for register in registers.tables() {
        let kind = register.kind;
        let picture = match &register.picture {
            Some(Picture::Influence(cells)) => {
                influence_svg(&format!("{}: influence x control", kind.title()), cells)
            }
            Some(Picture::HeatMap(cells)) => heat_map_svg(cells),
            None => String::new(),
        };
        let (heads, rows) = register.for_format(spec::HTML);
        let heads: Vec<&str> = heads.iter().map(|h| h.header).collect();
        let rows = rows.into_iter().map(|cells| {
            let cells: Vec<String> = cells
                .into_iter()
                .map(|cell| match cell {
                    Cell::Number(n) => num_cell(n),
                    other => text_cell(&other.text()),
                })
                .collect();
            row(&cells)
        });
        out.push_str(&format!(
            "<section id=\"{}\">\n<h3>{}</h3>\n{picture}{}</section>\n",
            kind.noun(),
            kind.report_title(),
            table(&heads, rows)
        ));
    }
    out.push_str("</section>\n");
    out
}

/// The merge conflicts still waiting (issue 18): none, no section.
fn merge_conflicts(conflicts: &[super::report::ConflictRow]) -> String {
    if conflicts.is_empty() {
        return String::new();
    }
    let rows: String = conflicts
        .iter()
        .map(|c| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(&c.place),
                escape(&c.field),
                escape(&c.mine),
                escape(&c.theirs),
                escape(&c.source)
            )
        })
        .collect();
    format!(
        "<section id=\"merge-conflicts\">\n<h2>Merge conflicts</h2>\n<p>{} conflict(s) from merged copies wait for a decision; until then each field keeps this copy's value.</p>\n<table>\n<thead><tr><th>item</th><th>field</th><th>this copy</th><th>the other copy</th><th>from</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</section>\n",
        conflicts.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_dates_and_refs_in_a_cell_never_break() {
        assert_eq!(
            keep_whole("Due 2026-12-01 for C-1, see 6.1.2 e) 2) & A.8.13."),
            "Due <span class=\"nw\">2026-12-01</span> for <span class=\"nw\">C-1,</span> see \
             <span class=\"nw\">6.1.2 e) 2)</span> &amp; <span class=\"nw\">A.8.13.</span>"
        );
        // Words, numbers and hyphenated words wrap as usual; line breaks stay.
        assert_eq!(keep_whole("well-known 95 %\nnext"), "well-known 95 %\nnext");
        assert_eq!(keep_whole("<b>"), "&lt;b&gt;");
    }

    #[test]
    fn escape_covers_the_five_html_specials() {
        assert_eq!(
            escape("<a href=\"x\" title='y'>&</a>"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn bars_are_as_long_as_the_shown_figure() {
        use super::charts::bar_length;
        assert_eq!(bar_length(Percent::of(1, 2)), 160.0);
        assert_eq!(bar_length(Percent::of(1, 1)), 320.0);
        assert_eq!(bar_length(Percent::of(0, 0)), 0.0);
    }
}
