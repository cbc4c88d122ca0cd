//! The report as an Excel workbook: Summary, Clauses, SoA and Plan sheets. Numbers are written as
//! numbers (figures as shown, one decimal), dates as YYYY-MM-DD text, and user text always as a
//! string: text a spreadsheet would take for a formula gets a quote-prefix format as well.

use super::csv::starts_like_formula;
use super::report::{ItemRow, Report, StepRow, day};
use crate::score::{AMBER_FROM, GREEN_FROM};
use crate::score::{Figures, GroupSummary, Percent};
use rust_xlsxwriter::{
    Chart, ChartType, ColNum, Color, ConditionalFormatCell, ConditionalFormatCellRule,
    ConditionalFormatFormula, Format, FormatAlign, FormatBorder, RowNum, Workbook, Worksheet,
    XlsxError,
};

/// Excel refuses a cell longer than this many UTF-16 code units.
const EXCEL_CELL_LIMIT: usize = 32_767;
const CUT_MARKER: &str = " [cut: longer than a spreadsheet cell holds]";

const RED_FILL: u32 = 0xFFC7CE;
const AMBER_FILL: u32 = 0xFFEB9C;
const GREEN_FILL: u32 = 0xC6EFCE;
const GREY_FILL: u32 = 0xE4E7EC;

/// The workbook, as the bytes of an .xlsx file.
pub fn write(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    summary_sheet(workbook.add_worksheet(), report, &formats)?;
    clauses_sheet(workbook.add_worksheet(), report, &formats)?;
    soa_sheet(workbook.add_worksheet(), report, &formats)?;
    plan_sheet(workbook.add_worksheet(), report, &formats)?;
    actions_sheet(workbook.add_worksheet(), report, &formats)?;
    register_sheets(&mut workbook, report, &formats)?;
    audit_sheets(&mut workbook, report, &formats)?;
    workbook.save_to_buffer()
}

/// One cell's value before it is written: the one cell type of every workbook this tool writes
/// (the report's sheets here, the CISO Assistant hand-over's in `ciso_assistant`), all written by
/// [`write_cell`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A count, a number or a level.
    Number(f64),
    /// A percentage as shown, with one decimal.
    Figure(f64),
    Bool(bool),
    Empty,
}

/// User text for a cell: what XML forbids and every other control dropped (`text::for_xml`)
/// before the formula check looks at its first character.
fn text(value: impl Into<String>) -> Cell {
    let value = value.into();
    Cell::Text(crate::text::for_xml(&value).into_owned())
}

fn number(value: impl Into<f64>) -> Cell {
    Cell::Number(value.into())
}

/// A figure as the report shows it (one decimal), as a number.
fn figure(percent: Percent) -> Cell {
    Cell::Figure(percent.shown())
}

fn count(value: usize) -> Cell {
    Cell::Number(value as f64)
}

fn level(row: &ItemRow) -> Cell {
    row.answer
        .level
        .map_or(Cell::Empty, |level| number(level.value()))
}

fn yes_no(flag: bool) -> Cell {
    text(if flag { "yes" } else { "no" })
}

/// The formats of a sheet's cells, by kind.
pub(crate) struct CellFormats {
    pub text: Format,
    /// Text a spreadsheet would take for a formula: `text` with a quote prefix.
    pub quoted_text: Format,
    /// Numbers and booleans.
    pub number: Format,
    pub figure: Format,
}

impl CellFormats {
    /// One format for every kind of cell (and its quote-prefixed version for formula-like text).
    pub fn alike(format: Format) -> CellFormats {
        CellFormats {
            quoted_text: format.clone().set_quote_prefix(),
            text: format.clone(),
            number: format.clone(),
            figure: format,
        }
    }

    /// The quote-prefix format for text a spreadsheet would take for a formula, so editing the
    /// cell later keeps it text.
    fn for_text(&self, value: &str) -> &Format {
        if starts_like_formula(value) {
            &self.quoted_text
        } else {
            &self.text
        }
    }
}

struct Formats {
    header: Format,
    cells: CellFormats,
}

impl Formats {
    fn new() -> Formats {
        // Every cell has a light grid line round it, so adjacent columns never read as one
        // ("10" and "4.4" as "104.4"), on screen and printed alike.
        let cell = Format::new()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xB8C0CC));
        let text = cell.clone().set_text_wrap();
        Formats {
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xDDE3EC)),
            cells: CellFormats {
                quoted_text: text.clone().set_quote_prefix(),
                text,
                number: cell.clone().set_align(FormatAlign::Left),
                figure: cell.set_num_format("0.0"),
            },
        }
    }
}

/// Cuts text that would not fit in one cell, on a character boundary, and says so.
pub(crate) fn fit_in_cell(value: &str) -> String {
    let value = &*crate::text::for_xml(value);
    if value.encode_utf16().count() <= EXCEL_CELL_LIMIT {
        return value.to_string();
    }
    let room = EXCEL_CELL_LIMIT - CUT_MARKER.encode_utf16().count();
    let mut used = 0;
    let mut cut: String = value
        .chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= room
        })
        .collect();
    cut.push_str(CUT_MARKER);
    cut
}

/// Writes one cell: text cut to what a cell holds and quote-prefixed when it looks like a
/// formula, numbers as numbers, nothing for an empty cell.
pub(crate) fn write_cell(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    cell: &Cell,
    formats: &CellFormats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(value) => {
            let format = formats.for_text(value);
            sheet.write_string_with_format(row, col, fit_in_cell(value), format)?;
        }
        Cell::Number(value) => {
            sheet.write_number_with_format(row, col, *value, &formats.number)?;
        }
        Cell::Figure(value) => {
            sheet.write_number_with_format(row, col, *value, &formats.figure)?;
        }
        Cell::Bool(value) => {
            sheet.write_boolean_with_format(row, col, *value, &formats.number)?;
        }
        Cell::Empty => {}
    }
    Ok(())
}

/// The height of one line of 11 pt text, in points (the default row height).
pub(crate) const LINE_HEIGHT: f64 = 15.0;

/// How many lines `text` wraps to in a column `width` characters wide (the width a spreadsheet
/// gives a column: about that many digits of the default font): words are put on a line while
/// they fit, a word longer than the line takes lines of its own.
pub(crate) fn wrapped_lines(text: &str, width: f64) -> usize {
    // The cell's padding takes about a character; text characters average less than a digit's
    // width, which leaves room for capitals and bold.
    let room = (width - 1.0).max(1.0) as usize;
    text.split('\n')
        .map(|paragraph| {
            let mut lines = 1;
            let mut used = 0;
            for word in paragraph.split_whitespace() {
                let len = word.chars().count();
                if used == 0 {
                    used = len;
                } else if used + 1 + len <= room {
                    used += 1 + len;
                } else {
                    lines += 1;
                    used = len;
                }
                while used > room {
                    lines += 1;
                    used -= room;
                }
            }
            lines
        })
        .sum()
}

/// Gives `row` the height its most wrapped cell needs (LibreOffice does not grow a row whose
/// height is not stored, and prints wrapped text over the next rows).
fn fit_row_height(
    sheet: &mut Worksheet,
    row: RowNum,
    texts: &[&str],
    widths: &[f64],
    line_height: f64,
) -> Result<(), XlsxError> {
    let lines = texts
        .iter()
        .zip(widths)
        .map(|(text, width)| wrapped_lines(text, *width))
        .max()
        .unwrap_or(1);
    if lines > 1 {
        sheet.set_row_height(row, lines as f64 * line_height + 2.0)?;
    }
    Ok(())
}

fn write_row(
    sheet: &mut Worksheet,
    row: RowNum,
    cells: &[Cell],
    widths: &[f64],
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (col, cell) in (0..).zip(cells) {
        write_cell(sheet, row, col, cell, &formats.cells)?;
    }
    let texts: Vec<&str> = cells
        .iter()
        .map(|cell| match cell {
            Cell::Text(value) => value.as_str(),
            _ => "",
        })
        .collect();
    fit_row_height(sheet, row, &texts, widths, LINE_HEIGHT)
}

fn header_row(
    sheet: &mut Worksheet,
    row: RowNum,
    titles: impl IntoIterator<Item = &'static str>,
    widths: &[f64],
    formats: &Formats,
) -> Result<(), XlsxError> {
    let titles: Vec<&str> = titles.into_iter().collect();
    for (col, title) in (0..).zip(&titles) {
        sheet.write_string_with_format(row, col, *title, &formats.header)?;
    }
    fit_row_height(sheet, row, &titles, widths, LINE_HEIGHT)
}

fn set_widths(
    sheet: &mut Worksheet,
    widths: impl IntoIterator<Item = f64>,
) -> Result<(), XlsxError> {
    for (col, width) in (0..).zip(widths) {
        sheet.set_column_width(col, width)?;
    }
    Ok(())
}

/// A header, the data rows below it, and an autofilter over both.
fn data_sheet(
    sheet: &mut Worksheet,
    name: &str,
    columns: &[(&'static str, f64)],
    rows: impl IntoIterator<Item = Vec<Cell>>,
    formats: &Formats,
) -> Result<RowNum, XlsxError> {
    sheet.set_name(name)?;
    // A column is at least as wide as its header's longest word (bold): "Review needed" wraps
    // between its words, never inside one.
    let widths: Vec<f64> = columns
        .iter()
        .map(|(title, width)| {
            let longest = title.split_whitespace().map(|w| w.chars().count()).max();
            width.max(longest.unwrap_or(0) as f64 * 1.1 + 2.0)
        })
        .collect();
    header_row(
        sheet,
        0,
        columns.iter().map(|(title, _)| *title),
        &widths,
        formats,
    )?;
    set_widths(sheet, widths.iter().copied())?;
    sheet.set_freeze_panes(1, 0)?;
    let mut last: RowNum = 0;
    for cells in rows {
        last += 1;
        write_row(sheet, last, &cells, &widths, formats)?;
        // An empty cell gets the grid line too, so the table reads as one.
        for (col, cell) in (0..).zip(&cells) {
            if matches!(cell, Cell::Empty) {
                sheet.write_blank(last, col, &formats.cells.text)?;
            }
        }
    }
    sheet.autofilter(0, 0, last, last_col(columns))?;
    print_setup(sheet, Some(0), last, last_col(columns))?;
    Ok(last)
}

/// Every sheet prints on A4 landscape, one page wide, with its header row on every page, its
/// print area over what it holds, and page numbers in the footer.
fn print_setup(
    sheet: &mut Worksheet,
    header: Option<RowNum>,
    last_row: RowNum,
    last_col: ColNum,
) -> Result<(), XlsxError> {
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
    sheet.set_footer("&L&A&RPage &P of &N");
    if let Some(header) = header {
        sheet.set_repeat_rows(header, header)?;
    }
    sheet.set_print_area(0, 0, last_row, last_col)?;
    Ok(())
}

fn last_col(columns: &[(&str, f64)]) -> ColNum {
    ColNum::try_from(columns.len().saturating_sub(1)).unwrap_or(ColNum::MAX)
}

fn fill(rgb: u32) -> Format {
    Format::new().set_background_color(Color::RGB(rgb))
}

/// Level cells: 0-1 red, 2 amber, 3-4 green; a blank (unanswered) cell stays plain.
fn colour_levels(sheet: &mut Worksheet, col: ColNum, last_row: RowNum) -> Result<(), XlsxError> {
    if last_row == 0 {
        return Ok(());
    }
    let letter = rust_xlsxwriter::utility::column_number_to_name(col);
    let bands = [
        (
            format!("=AND(ISNUMBER(${letter}2),${letter}2<=1)"),
            RED_FILL,
        ),
        (
            format!("=AND(ISNUMBER(${letter}2),${letter}2=2)"),
            AMBER_FILL,
        ),
        (
            format!("=AND(ISNUMBER(${letter}2),${letter}2>=3)"),
            GREEN_FILL,
        ),
    ];
    for (rule, rgb) in bands {
        let band = ConditionalFormatFormula::new()
            .set_rule(rule.as_str())
            .set_format(fill(rgb));
        sheet.add_conditional_format(1, col, last_row, col, &band)?;
    }
    Ok(())
}

/// Readiness cells coloured by the dashboard's thresholds (on the figure as shown).
fn colour_readiness(
    sheet: &mut Worksheet,
    col: ColNum,
    first_row: RowNum,
    last_row: RowNum,
) -> Result<(), XlsxError> {
    let green = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::GreaterThanOrEqualTo(
            GREEN_FROM as f64,
        ))
        .set_format(fill(GREEN_FILL))
        .set_stop_if_true(true);
    let amber = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::GreaterThanOrEqualTo(
            AMBER_FROM as f64,
        ))
        .set_format(fill(AMBER_FILL))
        .set_stop_if_true(true);
    // A group nobody has answered is not assessed: grey, never red (the Rating column says so).
    let letter = rust_xlsxwriter::utility::column_number_to_name(col + 1);
    let not_assessed = ConditionalFormatFormula::new()
        .set_rule(format!("=${letter}{}=\"not assessed\"", first_row + 1).as_str())
        .set_format(fill(GREY_FILL))
        .set_stop_if_true(true);
    sheet.add_conditional_format(first_row, col, last_row, col, &not_assessed)?;
    let red = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::LessThan(AMBER_FROM as f64))
        .set_format(fill(RED_FILL));
    for rule in [green, amber, red] {
        sheet.add_conditional_format(first_row, col, last_row, col, &rule)?;
    }
    Ok(())
}

fn summary_facts(report: &Report) -> Vec<(&'static str, Cell)> {
    let assessment = &report.assessment;
    let plan = &report.plan.figures;
    let mut facts = vec![
        ("Organisation", text(&assessment.name)),
        ("Scope", text(&assessment.scope)),
        ("Assessor", text(&assessment.assessor)),
        ("Date", text(day(Some(report.date)))),
        ("Standard", text(&report.standard_title)),
        ("Standard id", text(&report.standard_id)),
        ("Stage 1 audit", text(stage_words(&report.verdict.stage1))),
        ("Stage 2 audit", text(stage_words(&report.verdict.stage2))),
        ("Actions open", count(report.actions.figures.open)),
        ("Actions overdue", count(report.actions.figures.overdue)),
        (
            "Gaps with no action yet",
            count(report.actions.no_action_yet.len()),
        ),
        ("Plan progress %", figure(plan.progress)),
        ("Plan steps", count(plan.steps)),
        ("Plan steps done", count(plan.done)),
        ("Plan steps overdue", count(plan.overdue)),
    ];
    if let Some(soa) = &report.soa {
        facts.extend([
            ("Controls included", count(soa.decisions.included)),
            ("Controls excluded", count(soa.decisions.excluded)),
            ("Controls undecided", count(soa.decisions.undecided)),
            ("SoA findings", count(soa.findings.len())),
        ]);
    }
    let audits = &report.audits;
    if !audits.audits.is_empty() {
        facts.extend([
            ("Audits recorded", count(audits.audits.len())),
            (
                "Not audited in 12 months",
                text(
                    audits
                        .not_audited()
                        .iter()
                        .map(|r| r.reference.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ),
        ]);
    }
    if audits.nc_count > 0 {
        facts.extend([
            ("Nonconformities open", count(audits.open_ncs.len())),
            ("Nonconformities recorded", count(audits.nc_count)),
        ]);
    }
    if let Some(review) = &audits.review {
        facts.push(("Last management review", text(day(review.date))));
        facts.push((
            "Review inputs not covered",
            text(
                review
                    .missing()
                    .iter()
                    .map(|i| i.letter.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ));
    }
    if let Some(notice) = &report.superseded_notice {
        facts.insert(6, ("Notice", text(notice)));
    }
    // Only a firm that is known gets its row: an empty row reads as a gap in the summary.
    if !assessment.firm.trim().is_empty() {
        facts.insert(3, ("Firm", text(&assessment.firm)));
    }
    facts
}

const FIGURE_COLUMNS: [&str; 12] = [
    "Group",
    "Title",
    "Readiness %",
    "Rating",
    "Gap %",
    "Coverage %",
    "Answered",
    "Excluded",
    "Items",
    "PDCA reached",
    "Phase",
    "Assessed readiness %",
];

fn figures_row(group: &str, title: &str, phase: &str, figures: &Figures) -> Vec<Cell> {
    vec![
        text(group),
        text(title),
        figure(figures.readiness),
        text(figures.rating.words()),
        figure(figures.gap),
        figure(figures.coverage),
        count(figures.answered),
        count(figures.excluded),
        count(figures.items),
        text(figures.pdca_reached),
        text(phase),
        figures
            .assessed_readiness
            .map_or_else(|| text("not assessed"), figure),
    ]
}

fn group_figures_row(group: &GroupSummary) -> Vec<Cell> {
    figures_row(
        &group.clause,
        &group.title,
        &group.pdca_phase,
        &group.figures,
    )
}

fn summary_figure_rows(report: &Report) -> Vec<Vec<Cell>> {
    let summary = &report.summary;
    let mut rows = vec![figures_row(
        "4-10",
        "All clause items",
        "",
        &summary.overall,
    )];
    rows.extend(summary.clauses.iter().map(group_figures_row));
    if let Some(annex) = &summary.annex_a {
        rows.push(figures_row("A", "All Annex A controls", "", &annex.overall));
        rows.extend(annex.domains.iter().map(group_figures_row));
    }
    rows
}

/// The headline on top (verdict and the overall figures), a native bar chart of readiness per
/// clause beside it, the facts, then the table of figures per group with its own header (the
/// row repeated on printed pages). Nothing frozen: the sheet is read top-down.
fn summary_sheet(
    sheet: &mut Worksheet,
    report: &Report,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Summary")?;
    let widths = [
        22.0, 40.0, 12.0, 20.0, 9.0, 11.0, 10.0, 10.0, 8.0, 13.0, 8.0, 20.0,
    ];
    set_widths(sheet, widths)?;
    let title = Format::new().set_bold().set_font_size(14);
    let headline = Format::new().set_bold().set_font_size(12);
    sheet.write_string_with_format(
        0,
        0,
        fit_in_cell(&format!("Readiness report: {}", report.assessment.name)),
        &title,
    )?;
    sheet.write_string(1, 0, fit_in_cell(&report.verdict_line()))?;
    let overall = &report.summary.overall;
    let mut headlines = vec![
        ("Overall readiness %", figure(overall.readiness)),
        (
            "Assessed readiness %",
            overall
                .assessed_readiness
                .map_or_else(|| text("not assessed"), figure),
        ),
        ("Rating", text(overall.rating.words())),
        ("Coverage %", figure(overall.coverage)),
    ];
    if let Some(annex) = &report.summary.annex_a {
        headlines.push(("Annex A readiness %", figure(annex.overall.readiness)));
    }
    let mut row: RowNum = 2;
    for (label, value) in headlines {
        row += 1;
        sheet.write_string_with_format(row, 0, label, &headline)?;
        write_row(sheet, row, &[Cell::Empty, value], &widths, formats)?;
    }
    let chart_row: RowNum = 3;
    row += 1;
    let facts_header = row + 1;
    header_row(sheet, facts_header, ["Field", "Value"], &widths, formats)?;
    row = facts_header;
    for (label, value) in summary_facts(report) {
        row += 1;
        write_row(sheet, row, &[text(label), value], &widths, formats)?;
    }
    let table_header = row + 2;
    header_row(sheet, table_header, FIGURE_COLUMNS, &widths, formats)?;
    row = table_header;
    for cells in summary_figure_rows(report) {
        row += 1;
        write_row(sheet, row, &cells, &widths, formats)?;
    }
    sheet.autofilter(table_header, 0, row, (FIGURE_COLUMNS.len() - 1) as ColNum)?;
    colour_readiness(sheet, 2, table_header + 1, row)?;
    // The chart: readiness per clause (rows 2..=8 of the figures table: clauses 4 to 10).
    let clauses = report.summary.clauses.len() as RowNum;
    if clauses > 0 {
        let first = table_header + 2;
        let last = first + clauses - 1;
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_name("Readiness %")
            .set_categories(("Summary", first, 0, last, 0))
            .set_values(("Summary", first, 2, last, 2));
        chart.title().set_name("Readiness per clause (%)");
        chart.x_axis().set_min(0).set_max(100);
        chart.y_axis().set_reverse();
        chart.legend().set_hidden();
        sheet.insert_chart_with_offset(chart_row, 2, &chart, 10, 0)?;
    }
    print_setup(
        sheet,
        Some(table_header),
        row,
        (FIGURE_COLUMNS.len() - 1) as ColNum,
    )?;
    Ok(())
}

const CLAUSE_COLUMNS: [(&str, f64); 16] = [
    ("No.", 6.0),
    ("Ref", 9.0),
    ("Clause", 8.0),
    ("Kind", 9.0),
    ("Title", 40.0),
    ("Level", 7.0),
    ("Level label", 13.0),
    ("Applicability", 13.0),
    ("Reasons", 20.0),
    ("Justification", 30.0),
    ("Risks", 20.0),
    ("Note", 50.0),
    ("Evidence", 30.0),
    ("Owner", 16.0),
    ("Due", 11.0),
    ("Review needed", 9.0),
];
const CLAUSE_LEVEL_COL: ColNum = 5;

fn item_cells(row: &ItemRow) -> Vec<Cell> {
    vec![
        number(row.number),
        text(&row.reference),
        text(&row.clause),
        text(row.kind_code()),
        text(&row.title),
        level(row),
        text(row.level_label),
        text(row.applicability()),
        text(row.reason_labels()),
        text(&row.answer.justification),
        text(&row.answer.risks),
        text(&row.answer.note),
        text(&row.answer.evidence),
        text(&row.answer.owner),
        text(row.answer.due.clone().unwrap_or_default()),
        yes_no(row.answer.review_needed),
    ]
}

fn clauses_sheet(
    sheet: &mut Worksheet,
    report: &Report,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let rows = report.items.iter().map(item_cells);
    let last = data_sheet(sheet, "Clauses", &CLAUSE_COLUMNS, rows, formats)?;
    colour_levels(sheet, CLAUSE_LEVEL_COL, last)
}

const SOA_COLUMNS: [(&str, f64); 11] = [
    ("Ref", 9.0),
    ("Title", 40.0),
    ("Domain", 8.0),
    ("Applicability", 13.0),
    ("Reasons", 20.0),
    ("Justification", 40.0),
    ("Level", 7.0),
    ("Risks", 20.0),
    ("Owner", 16.0),
    ("Evidence", 30.0),
    ("Note", 50.0),
];
const SOA_LEVEL_COL: ColNum = 6;

fn control_cells(row: &ItemRow) -> Vec<Cell> {
    vec![
        text(&row.reference),
        text(&row.title),
        text(&row.clause),
        text(row.applicability()),
        text(row.reason_labels()),
        text(&row.answer.justification),
        level(row),
        text(&row.answer.risks),
        text(&row.answer.owner),
        text(&row.answer.evidence),
        text(&row.answer.note),
    ]
}

fn soa_sheet(sheet: &mut Worksheet, report: &Report, formats: &Formats) -> Result<(), XlsxError> {
    let rows = report.controls().map(control_cells);
    let last = data_sheet(sheet, "SoA", &SOA_COLUMNS, rows, formats)?;
    colour_levels(sheet, SOA_LEVEL_COL, last)
}

const PLAN_COLUMNS: [(&str, f64); 12] = [
    ("No.", 6.0),
    ("Title", 40.0),
    ("Phase", 15.0),
    ("PDCA", 6.0),
    ("Status", 12.0),
    ("Reason", 25.0),
    ("Owner", 16.0),
    ("Start", 11.0),
    ("Due", 11.0),
    ("Done on", 11.0),
    ("Note", 40.0),
    ("Overdue", 9.0),
];

fn step_cells(step: &StepRow) -> Vec<Cell> {
    vec![
        number(step.number),
        text(&step.title),
        text(&step.phase),
        text(&step.pdca),
        text(step.status_label),
        text(&step.reason),
        text(&step.owner),
        text(day(step.start)),
        text(day(step.due)),
        text(day(step.done_on)),
        text(&step.note),
        yes_no(step.overdue),
    ]
}

fn plan_sheet(sheet: &mut Worksheet, report: &Report, formats: &Formats) -> Result<(), XlsxError> {
    let rows = report.plan.steps.iter().map(step_cells);
    let last = data_sheet(sheet, "Plan", &PLAN_COLUMNS, rows, formats)?;
    if last == 0 {
        return Ok(());
    }
    let overdue = ConditionalFormatFormula::new()
        .set_rule("=$L2=\"yes\"")
        .set_format(fill(RED_FILL));
    sheet.add_conditional_format(1, 0, last, last_col(&PLAN_COLUMNS), &overdue)?;
    Ok(())
}

fn stage_words(stage: &crate::model::verdict::StageVerdict) -> String {
    if stage.ready {
        "ready".into()
    } else {
        format!(
            "not ready: {}",
            crate::model::count::counted(stage.blockers.len(), "blocker")
        )
    }
}

const ACTION_COLUMNS: [(&str, f64); 15] = [
    ("When", 8.0),
    ("No.", 6.0),
    ("Title", 40.0),
    ("Items", 12.0),
    ("Refs", 20.0),
    ("Owner", 16.0),
    ("Due", 12.0),
    ("Effort", 8.0),
    ("Priority", 9.0),
    ("Status", 12.0),
    ("Done on", 12.0),
    ("Plan step", 9.0),
    ("Overdue", 9.0),
    ("Description", 40.0),
    ("Note", 40.0),
];

fn actions_sheet(
    sheet: &mut Worksheet,
    report: &Report,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let rows = report.actions.rows.iter().map(|r| {
        let a = &r.action;
        vec![
            text(if r.horizon.is_empty() {
                "closed"
            } else {
                r.horizon
            }),
            number(a.number),
            text(&a.title),
            text(crate::model::action::join_numbers(&a.items)),
            text(&r.refs),
            text(&a.owner),
            text(day(a.due)),
            text(r.effort()),
            number(a.priority),
            text(r.status_label),
            text(day(a.done_on)),
            a.step.map_or(Cell::Empty, number),
            yes_no(r.overdue),
            text(&a.description),
            text(&a.note),
        ]
    });
    let last = data_sheet(sheet, "Actions", &ACTION_COLUMNS, rows, formats)?;
    if last == 0 {
        return Ok(());
    }
    let overdue = ConditionalFormatFormula::new()
        .set_rule("=$M2=\"yes\"")
        .set_format(fill(RED_FILL));
    sheet.add_conditional_format(1, 0, last, last_col(&ACTION_COLUMNS), &overdue)?;
    Ok(())
}

// ----- The registers (issue 17): one sheet each, when the assessment has register entries -----

fn register_sheets(
    workbook: &mut Workbook,
    report: &Report,
    formats: &Formats,
) -> Result<(), XlsxError> {
    use crate::model::register_spec::{RegisterEntry, report_table};
    use crate::model::registers::RegisterKind;
    let registers = &report.registers;
    // Every register has its sheet, even an empty one.
    if !registers.is_empty() {
        for register in registers.all_tables() {
            register_sheet(workbook, &register, formats)?;
        }
    }
    // Issue 30: the audit records (audits, findings, nonconformities, reviews), each on its sheet
    // once any of them is recorded.
    let tables: Vec<_> = RegisterKind::AUDIT_RECORDS
        .into_iter()
        .map(|kind| crate::with_register!(kind, T => report_table(T::of(registers))))
        .collect();
    if tables.iter().any(|t| !t.rows.is_empty()) {
        for table in &tables {
            register_sheet(workbook, table, formats)?;
        }
    }
    Ok(())
}

/// One register's sheet: its report columns for XLSX and a row per entry.
fn register_sheet(
    workbook: &mut Workbook,
    register: &crate::model::register_spec::ReportTable<'_>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    use crate::model::register_spec::{self as spec, Cell as Value};
    let (heads, rows) = register.for_format(spec::XLSX);
    let columns: Vec<(&'static str, f64)> =
        heads.iter().map(|h| (h.header, h.xlsx_width)).collect();
    let rows = rows.into_iter().map(|cells| {
        cells
            .into_iter()
            .map(|cell| match cell {
                Value::Text(value) => text(value.as_str()),
                Value::Number(n) => number(*n),
                Value::Empty => Cell::Empty,
            })
            .collect::<Vec<Cell>>()
    });
    data_sheet(
        workbook.add_worksheet(),
        register.kind.short_title(),
        &columns,
        rows,
        formats,
    )?;
    Ok(())
}

// ----- The audit programme, the open nonconformities and the last management review (issue
// 30): a sheet each, when there are records -----

const PROGRAMME_COLUMNS: [(&str, f64); 5] = [
    ("Ref", 8.0),
    ("Title", 40.0),
    ("Last audited", 12.0),
    ("Audits", 20.0),
    ("Due", 8.0),
];

const OPEN_NC_COLUMNS: [(&str, f64); 9] = [
    ("NC", 8.0),
    ("Class", 8.0),
    ("Source", 20.0),
    ("Raised", 12.0),
    ("Description", 40.0),
    ("Status", 16.0),
    ("Due", 12.0),
    ("Overdue", 9.0),
    ("Actions", 20.0),
];

const REVIEW_COLUMNS: [(&str, f64); 4] = [
    ("Input", 8.0),
    ("What 9.3.2 asks for", 40.0),
    ("Covered", 9.0),
    ("Presented", 50.0),
];

fn audit_sheets(
    workbook: &mut Workbook,
    report: &Report,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let audits = &report.audits;
    if !audits.audits.is_empty() {
        let rows = audits.coverage.iter().map(|r| {
            vec![
                text(&r.reference),
                text(&r.title),
                text(day(r.last)),
                text(r.audits.join(", ")),
                yes_no(r.due),
            ]
        });
        let sheet = workbook.add_worksheet();
        let last = data_sheet(sheet, "Audit programme", &PROGRAMME_COLUMNS, rows, formats)?;
        if last > 0 {
            let due = ConditionalFormatFormula::new()
                .set_rule("=$E2=\"yes\"")
                .set_format(fill(RED_FILL));
            sheet.add_conditional_format(1, 0, last, last_col(&PROGRAMME_COLUMNS), &due)?;
        }
    }
    if audits.nc_count > 0 {
        let rows = audits.open_ncs.iter().map(|nc| {
            vec![
                text(&nc.id),
                text(&nc.classification),
                text(&nc.source),
                text(day(nc.raised_on)),
                text(&nc.description),
                text(&nc.status),
                text(day(nc.due)),
                yes_no(nc.overdue),
                text(&nc.actions),
            ]
        });
        data_sheet(
            workbook.add_worksheet(),
            "Open NCs",
            &OPEN_NC_COLUMNS,
            rows,
            formats,
        )?;
    }
    if let Some(review) = &audits.review {
        let rows = review.inputs.iter().map(|input| {
            vec![
                text(&input.letter),
                text(&input.label),
                yes_no(!input.presented.trim().is_empty()),
                text(&input.presented),
            ]
        });
        data_sheet(
            workbook.add_worksheet(),
            "Management review",
            &REVIEW_COLUMNS,
            rows,
            formats,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_gets_the_quote_prefix_format() {
        let formats = Formats::new().cells;
        for hostile in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(
                formats.for_text(hostile),
                &formats.quoted_text,
                "{hostile:?}"
            );
        }
        assert_ne!(formats.quoted_text, formats.text);
        assert_eq!(formats.for_text("plain = text"), &formats.text);
        assert_eq!(formats.for_text(""), &formats.text);
    }

    #[test]
    fn text_too_long_for_a_cell_is_cut_on_a_character_boundary() {
        let short = "🔒".repeat(10);
        assert_eq!(fit_in_cell(&short), short);
        // Each emoji takes two UTF-16 units, so 20,000 of them overflow a cell.
        let long = "🔒".repeat(20_000);
        let cut = fit_in_cell(&long);
        assert!(cut.encode_utf16().count() <= EXCEL_CELL_LIMIT);
        assert!(cut.ends_with(CUT_MARKER));
        assert!(cut.starts_with("🔒🔒"));
    }
}
