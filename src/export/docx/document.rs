//! The Word document builder under the report's sections: A4 page geometry, the styles (real
//! headings), paragraphs, bullets, tables whose columns fit their words and whose header rows
//! repeat on every page, portrait and landscape sections with the footer, and the packing (every
//! XML part through `text::for_xml`, deflated).

use docx_rs::{
    AlignmentType, Docx, Footer, PageMargin, PageNum, PageOrientationType, PageSize, Paragraph,
    Run, RunFonts, SectionProperty, Style, StyleType, Table, TableCell, TableLayoutType, TableRow,
    WidthType,
};

/// A4 in twentieths of a point, and the margins.
pub(super) const A4_WIDTH: u32 = 11_906;
pub(super) const A4_HEIGHT: u32 = 16_838;
pub(super) const MARGIN: i32 = 1_000;
/// The text width in twentieths of a point (table grids add up to it).
pub(super) const TEXT_WIDTH: usize = (A4_WIDTH as usize) - 2 * MARGIN as usize;
/// The text width of a landscape page (the SoA's section).
pub(super) const LANDSCAPE_TEXT_WIDTH: usize = (A4_HEIGHT as usize) - 2 * MARGIN as usize;
/// Table text: 9 pt (half-points), in the document's sans-serif font.
pub(super) const TABLE_SIZE: usize = 18;
/// The font: Arial (LibreOffice prints it as the metric-compatible Liberation Sans).
pub(super) const FONT: &str = "Arial";
/// A cell's left and right margins together, in twentieths of a point.
pub(super) const CELL_MARGINS: usize = 230;

/// The width of `word` in 9 pt bold Arial, in twentieths of a point, rounded up from the font's
/// widths (narrow letters and punctuation, lower case, digits and capitals, m and w): what a
/// column needs to hold the word on one line.
pub(super) fn word_width(word: &str) -> usize {
    word.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | 'I' | '.' | ',' | ';' | ':' | '-' | '(' | ')'
            | '\'' | '/' | ' ' | '\u{a0}' | '\u{2011}' => 66,
            'm' | 'w' => 172,
            'M' | 'W' => 184,
            c if c.is_ascii_uppercase() => 142,
            c if c.is_ascii_digit() => 111,
            _ => 122,
        })
        .sum()
}

/// The column widths (twentieths of a point, adding up to `total`) from the wanted percentages,
/// widened so the longest word (or unbreakable id, date, ref) of each column fits on one line:
/// what a column gets is taken from the columns with room to spare. Word and LibreOffice break
/// a word too long for its cell in the middle ("Implemen"/"ted"); this never lets them.
pub(super) fn column_widths(percents: &[usize], columns: &[Vec<&str>], total: usize) -> Vec<usize> {
    let need: Vec<usize> = columns
        .iter()
        .map(|texts| {
            let longest = texts
                .iter()
                .flat_map(|t| t.split([' ', '\n']))
                .map(word_width)
                .max()
                .unwrap_or(0);
            longest + CELL_MARGINS
        })
        .collect();
    let sum: usize = percents.iter().sum::<usize>().max(1);
    let mut widths: Vec<usize> = percents.iter().map(|p| total * p / sum).collect();
    // Widen the columns below their need and take the same amount from the others in
    // proportion to their room (so none of them drops below its own need).
    let short: usize = widths
        .iter()
        .zip(&need)
        .map(|(w, n)| n.saturating_sub(*w))
        .sum();
    let room: usize = widths
        .iter()
        .zip(&need)
        .map(|(w, n)| w.saturating_sub(*n))
        .sum();
    if short > room {
        // More words than page: every column gets its share of the page by need.
        let all: usize = need.iter().sum::<usize>().max(1);
        widths = need.iter().map(|n| total * n / all).collect();
    } else if short > 0 {
        for (w, n) in widths.iter_mut().zip(&need) {
            if *w < *n {
                *w = *n;
            } else {
                *w -= (*w - *n) * short / room;
            }
        }
    }
    // Rounding: the column with the most room absorbs the difference.
    let used: usize = widths.iter().sum();
    let roomiest = (0..widths.len()).max_by_key(|&i| widths[i].saturating_sub(need[i]));
    if let Some(i) = roomiest {
        widths[i] = (widths[i] + total).saturating_sub(used).max(1);
    }
    widths
}

/// The page footer: the confidentiality marking and the page number.
pub(super) fn footer() -> Footer {
    Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Right)
            .add_run(
                Run::new()
                    .add_text(format!(
                        "{}    Page ",
                        super::super::report::CONFIDENTIALITY
                    ))
                    .size(16),
            )
            .add_page_num(PageNum::new()),
    )
}

/// The relation id docx-rs gives the document's (first and only) footer: every section's
/// properties name it, so the pages before a landscape section have the footer too.
pub(super) const FOOTER_RID: &str = "rIdFooter1";

/// The document being written: a docx-rs builder taken by value, so kept in an Option.
pub(super) struct Document {
    docx: Option<Docx>,
}

impl Document {
    pub(super) fn new() -> Document {
        let heading = |id: &str, name: &str, size: usize, level: usize| {
            Style::new(id, StyleType::Paragraph)
                .name(name)
                .based_on("Normal")
                .next("Normal")
                .size(size)
                .bold()
                .color("1F4E8C")
                .outline_lvl(level)
                .q_format(true)
        };
        let docx = Docx::new()
            .page_size(A4_WIDTH, A4_HEIGHT)
            .page_margin(
                PageMargin::new()
                    .top(MARGIN)
                    .bottom(MARGIN)
                    .left(MARGIN)
                    .right(MARGIN),
            )
            .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT))
            .default_size(20)
            .add_style(
                Style::new("Normal", StyleType::Paragraph)
                    .name("Normal")
                    .fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT))
                    .size(20),
            )
            .add_style(heading("Heading1", "heading 1", 32, 0))
            .add_style(heading("Heading2", "heading 2", 26, 1))
            .add_style(heading("Heading3", "heading 3", 22, 2))
            .add_style(heading("Title", "Title", 44, 0))
            .footer(footer());
        Document { docx: Some(docx) }
    }

    pub(super) fn map(&mut self, f: impl FnOnce(Docx) -> Docx) {
        let docx = self.docx.take().expect("the document");
        self.docx = Some(f(docx));
    }

    pub(super) fn paragraph(&mut self, paragraph: Paragraph) {
        self.map(|d| d.add_paragraph(paragraph));
    }

    pub(super) fn text(&mut self, text: &str) {
        self.paragraph(Paragraph::new().add_run(Run::new().add_text(text)));
    }

    pub(super) fn bullet(&mut self, text: &str) {
        self.text(&format!("• {text}"));
    }

    /// A heading of level 1 (a section: starts a page), 2 or 3.
    pub(super) fn heading(&mut self, level: usize, text: &str) {
        let paragraph = Paragraph::new()
            .style(&format!("Heading{level}"))
            .keep_next(true)
            .page_break_before(level == 1)
            .add_run(Run::new().add_text(text));
        self.paragraph(paragraph);
    }

    /// A table with fixed column widths (percent of the text width, adding up to 100, widened
    /// where a word would not fit), its header row repeated on every page.
    pub(super) fn table(&mut self, header: &[(&str, usize)], rows: Vec<Vec<String>>) {
        self.table_in(TEXT_WIDTH, header, rows);
    }

    /// `table` on a page whose text is `total` wide (the landscape SoA).
    pub(super) fn table_in(
        &mut self,
        total: usize,
        header: &[(&str, usize)],
        rows: Vec<Vec<String>>,
    ) {
        let head: Vec<String> = header.iter().map(|(h, _)| h.to_string()).collect();
        self.grid(total, header, Some(head), rows);
    }

    /// Two columns of facts, label and value, with no header row (the cover).
    pub(super) fn facts(&mut self, rows: Vec<Vec<String>>) {
        self.grid(TEXT_WIDTH, &[("", 25), ("", 75)], None, rows);
    }

    pub(super) fn grid(
        &mut self,
        total: usize,
        header: &[(&str, usize)],
        head: Option<Vec<String>>,
        rows: Vec<Vec<String>>,
    ) {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|t| super::super::report::keep_whole_plain(t))
                    .collect()
            })
            .collect();
        let percents: Vec<usize> = header.iter().map(|(_, w)| *w).collect();
        let columns: Vec<Vec<&str>> = (0..header.len())
            .map(|c| {
                head.iter()
                    .chain(&rows)
                    .filter_map(|r| r.get(c).map(String::as_str))
                    .collect()
            })
            .collect();
        let grid = column_widths(&percents, &columns, total);
        let cell = |text: &str, width: usize, bold: bool| {
            let mut cell = TableCell::new().width(width, WidthType::Dxa);
            for line in text.split('\n') {
                let mut run = Run::new().add_text(line).size(TABLE_SIZE);
                if bold {
                    run = run.bold();
                }
                cell = cell.add_paragraph(Paragraph::new().add_run(run));
            }
            cell
        };
        let mut table_rows = Vec::new();
        let headed = head.is_some();
        if let Some(head) = head {
            // `pack` makes the first row of a table whose rows are cantSplit its header row
            // (w:tblHeader, which docx-rs has no API for).
            table_rows.push(
                TableRow::new(
                    head.iter()
                        .zip(&grid)
                        .map(|(h, w)| cell(h, *w, true))
                        .collect(),
                )
                .cant_split(),
            );
        }
        for row in rows {
            let row = TableRow::new(
                row.iter()
                    .zip(&grid)
                    .map(|(text, w)| cell(text, *w, false))
                    .collect(),
            );
            // A row never splits over two pages (its header would not say what the rest is).
            table_rows.push(if headed { row.cant_split() } else { row });
        }
        let table = Table::new(table_rows)
            .set_grid(grid)
            .layout(TableLayoutType::Fixed)
            .width(total, WidthType::Dxa);
        self.map(|d| d.add_table(table));
        self.text("");
    }

    /// Ends the section so far: its pages are portrait, or landscape (the SoA).
    pub(super) fn end_section(&mut self, landscape: bool) {
        let (w, h, orient) = if landscape {
            (A4_HEIGHT, A4_WIDTH, PageOrientationType::Landscape)
        } else {
            (A4_WIDTH, A4_HEIGHT, PageOrientationType::Portrait)
        };
        let section = SectionProperty::new()
            .footer(footer(), FOOTER_RID)
            .page_size(PageSize::new().size(w, h).orient(orient))
            .page_margin(
                PageMargin::new()
                    .top(MARGIN)
                    .bottom(MARGIN)
                    .left(MARGIN)
                    .right(MARGIN),
            );
        self.paragraph(Paragraph::new().section_property(section));
    }

    pub(super) fn pack(mut self) -> Result<Vec<u8>, String> {
        let docx = self.docx.take().expect("the document");
        let mut bytes = std::io::Cursor::new(Vec::new());
        docx.build()
            .pack(&mut bytes)
            .map_err(|error| error.to_string())?;
        deflate(&bytes.into_inner()).map_err(|error| error.to_string())
    }
}

/// The first row of every table written by `grid` with a header (its rows are `cantSplit`; the
/// cover's and the charts' rows are not) also repeats on every page the table runs over:
/// `w:tblHeader`, which docx-rs 0.4 has no API for.
pub(super) fn repeat_header_rows(document: &str) -> String {
    const MARK: &str = "<w:trPr><w:cantSplit /></w:trPr>";
    let mut parts = document.split("<w:tbl>");
    let mut out = parts.next().unwrap_or_default().to_string();
    for table in parts {
        out.push_str("<w:tbl>");
        let first_row = table.find("<w:tr>").and_then(|row| {
            table[row..]
                .starts_with(&format!("<w:tr>{MARK}"))
                .then_some(row + "<w:tr>".len())
        });
        match first_row {
            Some(at) => {
                out.push_str(&table[..at]);
                out.push_str("<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>");
                out.push_str(&table[at + MARK.len()..]);
            }
            None => out.push_str(table),
        }
    }
    out
}

/// The same zip with every part deflated (docx-rs writes them stored: a report with two chart
/// pictures would weigh close to a megabyte).
pub(super) fn deflate(stored: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(stored))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(stored.len() / 4)));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let mut buffer = Vec::new();
    for index in 0..archive.len() {
        let mut part = archive.by_index(index)?;
        if part.is_dir() {
            continue;
        }
        buffer.clear();
        part.read_to_end(&mut buffer)?;
        out.start_file(part.name().to_string(), options)?;
        if part.name().ends_with(".xml") || part.name().ends_with(".rels") {
            // Every text part passes `text::for_xml`: docx-rs escapes `& < >` but writes control
            // characters as they are, and one of them makes the document unreadable.
            let xml = String::from_utf8_lossy(&buffer);
            let xml = crate::text::for_xml(&xml);
            if part.name() == "word/document.xml" {
                out.write_all(repeat_header_rows(&xml).as_bytes())?;
            } else {
                out.write_all(xml.as_bytes())?;
            }
        } else {
            out.write_all(&buffer)?;
        }
    }
    Ok(out.finish()?.into_inner())
}
