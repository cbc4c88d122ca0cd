//! The report's pictures as inline SVG: the readiness bars per clause and domain, the trend of
//! readiness over the sessions, and the registers' influence x control matrices and risk heat map.
//! Every label goes through `escape`; colour always comes with words.

use super::*;

// Chart geometry in SVG user units: a label column, a bar track, then room for the value text.
const CHART_LABEL_WIDTH: u64 = 210;
const CHART_TRACK_WIDTH: u64 = 320;
pub(super) const CHART_WIDTH: u64 = 720;
const CHART_ROW_HEIGHT: u64 = 26;
const CHART_TOP: u64 = 20;

/// Bar length in user units for a percentage, from its shown value so bar and label agree.
pub(super) fn bar_length(figure: Percent) -> f64 {
    figure.tenths().min(1000) as f64 * CHART_TRACK_WIDTH as f64 / 1000.0
}

fn chart_bar(index: usize, group: &GroupSummary) -> String {
    let readiness = group.figures.readiness;
    let rating = group.figures.rating;
    let y = CHART_TOP + index as u64 * CHART_ROW_HEIGHT;
    let value_x = CHART_LABEL_WIDTH + CHART_TRACK_WIDTH + 8;
    format!(
        "<text x=\"0\" y=\"{text_y}\">{clause} {title}</text>\
         <rect class=\"track\" x=\"{CHART_LABEL_WIDTH}\" y=\"{y}\" width=\"{CHART_TRACK_WIDTH}\" height=\"18\"/>\
         <rect class=\"bar-{class}\" x=\"{CHART_LABEL_WIDTH}\" y=\"{y}\" width=\"{length:.1}\" height=\"18\"/>\
         <text x=\"{value_x}\" y=\"{text_y}\">{readiness} % ({words})</text>\n",
        text_y = y + 13,
        clause = escape(&group.clause),
        title = escape(&shorten(&group.title, 30)),
        class = rating_class(rating),
        length = bar_length(readiness),
        words = rating.words(),
    )
}

/// Dashed lines at the rating thresholds, so the bars can be read against them.
fn chart_threshold(percent: u64, bottom: u64) -> String {
    let x = CHART_LABEL_WIDTH + CHART_TRACK_WIDTH * percent / 100;
    format!(
        "<line class=\"threshold\" x1=\"{x}\" y1=\"{top}\" x2=\"{x}\" y2=\"{bottom}\"/>\
         <text x=\"{x}\" y=\"12\" text-anchor=\"middle\">{percent} %</text>\n",
        top = CHART_TOP - 4,
    )
}

/// The readiness chart of `clauses` (clauses, or Annex A domains: `what` names one of them).
pub(super) fn readiness_chart(clauses: &[GroupSummary], what: &str) -> String {
    let bottom = CHART_TOP + clauses.len() as u64 * CHART_ROW_HEIGHT;
    let bars: String = clauses
        .iter()
        .enumerate()
        .map(|(index, group)| chart_bar(index, group))
        .collect();
    let thresholds: String = [crate::score::AMBER_FROM, crate::score::GREEN_FROM]
        .iter()
        .map(|&percent| chart_threshold(percent, bottom))
        .collect();
    format!(
        "<figure>\n<svg viewBox=\"0 0 {CHART_WIDTH} {height}\" role=\"img\" \
         aria-labelledby=\"chart-{id}\">\n<title id=\"chart-{id}\">Readiness per {what}</title>\n\
         {bars}{thresholds}</svg>\n<figcaption>Readiness per {what}; dashed lines mark {} % and {} %.</figcaption>\n</figure>\n",
        crate::score::AMBER_FROM,
        crate::score::GREEN_FROM,
        height = bottom + 6,
        id = what.split(' ').next_back().unwrap_or(what),
    )
}

/// At most `limit` characters, with an ellipsis when cut (chart labels only; tables show it all).
fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(limit - 1).collect();
    cut.push('…');
    cut
}

// The trend chart: one line per clause, readiness (0-100 %) at the end of each session.
const TREND_LEFT: f64 = 40.0;
const TREND_TOP: f64 = 10.0;
const TREND_WIDTH: f64 = 560.0;
const TREND_HEIGHT: f64 = 200.0;
/// Distinct dash patterns, so the lines read apart without colour.
const TREND_DASHES: [&str; 7] = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 2 1 2"];

pub(super) fn trend_chart(trend: &[crate::model::session::TrendPoint]) -> String {
    let Some(first) = trend.first() else {
        return String::new();
    };
    let x = |index: usize| {
        if trend.len() == 1 {
            TREND_LEFT + TREND_WIDTH / 2.0
        } else {
            TREND_LEFT + TREND_WIDTH * index as f64 / (trend.len() - 1) as f64
        }
    };
    let y = |p: Percent| TREND_TOP + TREND_HEIGHT * (1.0 - p.tenths().min(1000) as f64 / 1000.0);
    let mut svg = String::new();
    for percent in [0u64, 25, 50, 75, 100] {
        let gy = TREND_TOP + TREND_HEIGHT * (1.0 - percent as f64 / 100.0);
        svg.push_str(&format!(
            "<line class=\"threshold\" x1=\"{TREND_LEFT}\" y1=\"{gy:.1}\" x2=\"{:.1}\" y2=\"{gy:.1}\"/>\
             <text x=\"0\" y=\"{:.1}\">{percent} %</text>\n",
            TREND_LEFT + TREND_WIDTH,
            gy + 4.0
        ));
    }
    for (index, point) in trend.iter().enumerate() {
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
            x(index),
            TREND_TOP + TREND_HEIGHT + 16.0,
            point.session
        ));
    }
    let mut legend = String::new();
    let mut end_labels: Vec<(f64, String)> = Vec::new();
    for (line, (clause, _)) in first.clauses.iter().enumerate() {
        let points: Vec<String> = trend
            .iter()
            .enumerate()
            .filter_map(|(index, point)| {
                let (_, readiness) = point.clauses.iter().find(|(c, _)| c == clause)?;
                Some(format!("{:.1},{:.1}", x(index), y(*readiness)))
            })
            .collect();
        let dash = TREND_DASHES[line % TREND_DASHES.len()];
        let dash_attr = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        svg.push_str(&format!(
            "<polyline class=\"trend trend-{line}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"{dash_attr} points=\"{}\"><title>Clause {}</title></polyline>\n",
            points.join(" "),
            escape(clause)
        ));
        let last = trend
            .last()
            .and_then(|p| p.clauses.iter().find(|(c, _)| c == clause));
        if let Some((_, readiness)) = last {
            end_labels.push((y(*readiness) + 4.0, clause.clone()));
        }
        legend.push_str(&format!("<li>clause {}</li>", escape(clause)));
    }
    // The clause names at the lines' ends, at least a line apart (clauses at the same figure
    // would print over each other), kept within the chart.
    end_labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    for index in 1..end_labels.len() {
        end_labels[index].0 = end_labels[index].0.max(end_labels[index - 1].0 + 12.0);
    }
    let bottom = TREND_TOP + TREND_HEIGHT + 4.0;
    if let Some(excess) = end_labels
        .last()
        .map(|(y, _)| y - bottom)
        .filter(|e| *e > 0.0)
    {
        for label in &mut end_labels {
            label.0 -= excess;
        }
    }
    for (label_y, clause) in &end_labels {
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{label_y:.1}\">{}</text>\n",
            x(trend.len() - 1) + 6.0,
            escape(clause)
        ));
    }
    let rows = trend.iter().map(|point| {
        let mut cells = vec![
            num_cell(point.session),
            text_cell(&point.title),
            text_cell(&point.date),
            percent_cell(point.overall),
        ];
        cells.extend(point.clauses.iter().map(|(_, p)| percent_cell(*p)));
        row(&cells)
    });
    let mut header = vec!["Session", "Title", "Date", "Clauses 4-10"];
    let clause_names: Vec<String> = first
        .clauses
        .iter()
        .map(|(c, _)| format!("Clause {c}"))
        .collect();
    header.extend(clause_names.iter().map(String::as_str));
    format!(
        "<section id=\"trend\">\n<h2>Trend over the workshop sessions</h2>\n<figure>\n\
         <svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"trend-title\">\n\
         <title id=\"trend-title\">Readiness per clause at the end of each session</title>\n{svg}</svg>\n\
         <figcaption>Readiness per clause (overall readiness: unanswered counts as 0) at the end of each \
         session, numbered along the bottom; an open session counts as now. Each clause is named at the \
         end of its line.</figcaption>\n</figure>\n{}</section>\n",
        table(&header, rows),
        w = TREND_LEFT + TREND_WIDTH + 40.0,
        h = TREND_TOP + TREND_HEIGHT + 24.0,
    )
}

/// The ids in an SVG cell, at most `lines` lines of `per_line` ids (then "+n").
fn svg_cell_ids(ids: &[&str], x: f64, y: f64, per_line: usize, lines: usize) -> String {
    let mut out = String::new();
    let shown = ids.len().min(per_line * lines);
    for (line, chunk) in ids[..shown].chunks(per_line.max(1)).enumerate() {
        let mut text = chunk.join(" ");
        if line + 1 == lines && ids.len() > shown {
            text.push_str(&format!(" +{}", ids.len() - shown));
        }
        out.push_str(&format!(
            "<text x=\"{x:.0}\" y=\"{:.0}\" class=\"ids\">{}</text>",
            y + 16.0 * line as f64,
            escape(&text)
        ));
    }
    out
}

/// The influence x control matrix as SVG: influence 3 on top, control 1 on the left, the
/// high-priority cells shaded and marked "!".
pub(super) fn influence_svg(title: &str, cells: &[[Vec<&str>; 3]; 3]) -> String {
    let (cw, ch, left, top) = (150.0, 70.0, 70.0, 30.0);
    let mut out = format!(
        "<svg class=\"matrix\" role=\"img\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>\
         <style>text{{font:12px sans-serif}} .ids{{font-weight:bold}}</style>",
        left + 3.0 * cw + 10.0,
        top + 3.0 * ch + 40.0,
        left + 3.0 * cw + 10.0,
        top + 3.0 * ch + 40.0,
        escape(title)
    );
    for row in 0..3 {
        let influence = 3 - row as u8;
        let y = top + ch * row as f64;
        out.push_str(&format!(
            "<text x=\"10\" y=\"{:.0}\">infl. {influence}</text>",
            y + ch / 2.0
        ));
        for (column, ids_here) in cells[influence as usize - 1].iter().enumerate() {
            let control = column as u8 + 1;
            let x = left + cw * column as f64;
            let high = Priority::of(influence, control) == Priority::High;
            let fill = if high { "#f8cbcb" } else { "#f4f4f4" };
            out.push_str(&format!(
                "<rect x=\"{x:.0}\" y=\"{y:.0}\" width=\"{cw:.0}\" height=\"{ch:.0}\" fill=\"{fill}\" \
                 stroke=\"#555\" stroke-width=\"{}\"/>",
                if high { 2 } else { 1 }
            ));
            out.push_str(&format!(
                "<text x=\"{:.0}\" y=\"{:.0}\">{}{}</text>",
                x + 6.0,
                y + 16.0,
                if high { "! " } else { "" },
                priority_score(influence, control)
            ));
            out.push_str(&svg_cell_ids(ids_here, x + 6.0, y + 34.0, 4, 2));
        }
    }
    for column in 0..3 {
        out.push_str(&format!(
            "<text x=\"{:.0}\" y=\"{:.0}\">control {}</text>",
            left + cw * column as f64 + cw / 2.0 - 25.0,
            top + 3.0 * ch + 20.0,
            column + 1
        ));
    }
    out.push_str("</svg>\n");
    out
}

/// The likelihood x impact heat map as SVG: likelihood 5 on top, impact 1 on the left, each cell
/// coloured by its rating and labelled with its level.
pub(super) fn heat_map_svg(cells: &[[Vec<&str>; 5]; 5]) -> String {
    let (cw, ch, left, top) = (100.0, 56.0, 70.0, 30.0);
    let mut out = format!(
        "<svg class=\"matrix\" role=\"img\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>Likelihood x impact</title>\
         <style>text{{font:12px sans-serif}} .ids{{font-weight:bold}}</style>",
        w = left + 5.0 * cw + 10.0,
        h = top + 5.0 * ch + 40.0
    );
    for row in 0..5 {
        let likelihood = 5 - row as u8;
        let y = top + ch * row as f64;
        out.push_str(&format!(
            "<text x=\"10\" y=\"{:.0}\">likel. {likelihood}</text>",
            y + ch / 2.0
        ));
        for (column, ids_here) in cells[likelihood as usize - 1].iter().enumerate() {
            let impact = column as u8 + 1;
            let x = left + cw * column as f64;
            let rating = RiskRating::of(likelihood * impact);
            let fill = match rating {
                RiskRating::Low => "#c6efce",
                RiskRating::Medium => "#ffeb9c",
                RiskRating::High => "#f8cbad",
                RiskRating::Critical => "#ff9999",
            };
            out.push_str(&format!(
                "<rect x=\"{x:.0}\" y=\"{y:.0}\" width=\"{cw:.0}\" height=\"{ch:.0}\" fill=\"{fill}\" stroke=\"#555\"/>\
                 <text x=\"{:.0}\" y=\"{:.0}\">{} {}</text>",
                x + 6.0,
                y + 16.0,
                likelihood * impact,
                rating.code()
            ));
            out.push_str(&svg_cell_ids(ids_here, x + 6.0, y + 33.0, 3, 2));
        }
    }
    for column in 0..5 {
        out.push_str(&format!(
            "<text x=\"{:.0}\" y=\"{:.0}\">impact {}</text>",
            left + cw * column as f64 + cw / 2.0 - 22.0,
            top + 5.0 * ch + 20.0,
            column + 1
        ));
    }
    out.push_str("</svg>\n");
    out
}
