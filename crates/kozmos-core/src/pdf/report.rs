//! The reports as a printable PDF: a heading with the date, then each table with its title,
//! column heads, one row per line (label left, values right-aligned) and a bar per row for the
//! table's bar column, so the page shows the shape as the app's charts do.
//!
//! A table is never split inside a row; one that does not fit on the rest of a page starts on a
//! new page, and one longer than a whole page starts at once and repeats its title (marked as
//! continued) and heads on each page it spans.

use super::document::{self, Metadata};
use super::fonts::Style;
use super::layout::{Flow, Header, Running};
use super::page::{TextStyle, BODY_BOTTOM, BODY_TOP, BRAND, CONTENT_WIDTH, INK, LINE, MARGIN_X, MUTED, TRACK};
use super::shape::{self, Dir, Line};
use crate::error::{Lang, Result};
use crate::reports::ReportTable;

const COVER: TextStyle = TextStyle::new(Style::Bold, 20.0, BRAND);
const SUBTITLE: TextStyle = TextStyle::new(Style::Regular, 10.0, MUTED);
const TITLE: TextStyle = TextStyle::new(Style::Bold, 12.0, INK);
const HEAD: TextStyle = TextStyle::new(Style::Bold, 8.0, MUTED);
const CELL: TextStyle = TextStyle::new(Style::Regular, 9.0, INK);
const NOTE: TextStyle = TextStyle::new(Style::Regular, 9.0, MUTED);

/// Space above and below the text of a row.
const PAD: f32 = 2.5;
/// Space before each value column.
const COLUMN_GAP: f32 = 14.0;
/// Space between a label and its bar.
const LABEL_GAP: f32 = 12.0;
/// The label column keeps at least this much (with the bars).
const MIN_LABEL_AREA: f32 = 160.0;
const MAX_LABEL_LINES: usize = 6;
const MAX_HEAD_LINES: usize = 3;
const MAX_TITLE_LINES: usize = 3;
const TABLE_GAP: f32 = 22.0;

/// All given reports as one PDF (A4 portrait), in `lang`, dated `generated` (shown as given, so
/// pass local time), made by `by` (the volunteer's name: document author and footer).
pub fn reports_pdf(tables: &[ReportTable], lang: Lang, generated: time::OffsetDateTime, by: &str) -> Result<Vec<u8>> {
    let words = Words::new(lang);
    let date = words.date(generated);
    let stamp = format!("{} {date}", words.as_of);
    let mut flow = Flow::new()?;
    let by = shape::printable(by);
    let by: String = by.chars().take(200).collect();
    let made_by = if by.is_empty() {
        String::new()
    } else {
        format!("{} {by}", words.made_by)
    };
    flow.begin_section(Running {
        header: Some(Header {
            title: words.title.to_string(),
            stamp: stamp.clone(),
        }),
        note: made_by.clone(),
    });

    for line in flow.wrap(words.title, &COVER, CONTENT_WIDTH, 2, Dir::Ltr) {
        let y = flow.y();
        flow.line(MARGIN_X, y, &line, &COVER);
        flow.skip(flow.line_height(&COVER));
    }
    flow.skip(2.0);
    let subtitle = [stamp.as_str(), made_by.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    flow.paragraph(&subtitle, &SUBTITLE, 2);
    flow.skip(TABLE_GAP);

    if tables.is_empty() {
        flow.paragraph(words.nothing, &CELL, 3);
    }
    for table in tables {
        table_block(&mut flow, table, lang, &words);
    }

    let (pages, outline) = flow.finish(lang);
    let meta = Metadata {
        title: words.title.to_string(),
        author: by,
        subject: format!("{}, {stamp}", words.subject),
        keywords: tables.iter().map(|t| t.title(lang).to_string()).collect(),
        lang,
        created: generated,
    };
    document::render(&pages, &outline, &meta)
}

/// The fixed wording in both languages.
struct Words {
    lang: Lang,
    title: &'static str,
    as_of: &'static str,
    made_by: &'static str,
    subject: &'static str,
    nothing: &'static str,
    no_rows: &'static str,
    continued: &'static str,
}

impl Words {
    fn new(lang: Lang) -> Words {
        match lang {
            Lang::De => Words {
                lang,
                title: "KOZMOS – Berichte",
                as_of: "Stand:",
                made_by: "erstellt von",
                subject: "Berichte über Vereine, Kooperationen und Fördersummen",
                nothing: "Es gibt nichts zu berichten: keine Berichte ausgewählt.",
                no_rows: "Keine Einträge.",
                continued: "Fortsetzung",
            },
            Lang::En => Words {
                lang,
                title: "KOZMOS – reports",
                as_of: "As of",
                made_by: "made by",
                subject: "Reports on associations, cooperations and funding",
                nothing: "There is nothing to report: no reports chosen.",
                no_rows: "No entries.",
                continued: "continued",
            },
        }
    }

    fn date(&self, at: time::OffsetDateTime) -> String {
        crate::text::format_date(at.date(), self.lang)
    }
}

/// Where the columns of one table go, from its content.
struct Columns {
    label_width: f32,
    bar_x: f32,
    bar_width: f32,
    /// Right edge and width of each value column.
    rights: Vec<f32>,
    widths: Vec<f32>,
    /// The cells' style: smaller than CELL when the numbers would not fit otherwise.
    value: TextStyle,
}

impl Columns {
    fn plan(flow: &Flow, heads: &[String], cells: &[Vec<String>]) -> Columns {
        let n = heads.len();
        // Narrower gaps when there are many columns.
        let gap = COLUMN_GAP.min((CONTENT_WIDTH - MIN_LABEL_AREA) / n.max(1) as f32 * 0.25);
        let gaps = n as f32 * gap;
        let room = CONTENT_WIDTH - MIN_LABEL_AREA - gaps;
        let values_at = |style: &TextStyle| -> Vec<f32> {
            (0..n)
                .map(|i| {
                    cells
                        .iter()
                        .filter_map(|row| row.get(i))
                        .map(|cell| flow.width(cell, style))
                        .fold(0.0, f32::max)
                })
                .collect()
        };
        let mut value = CELL;
        let mut values = values_at(&value);
        // Wide enough for the whole head, else for its longest word, else just for the numbers.
        let whole: Vec<f32> = (0..n)
            .map(|i| values[i].max(flow.width(&heads[i], &HEAD).min(96.0)).max(40.0))
            .collect();
        let word: Vec<f32> = (0..n)
            .map(|i| {
                let longest = heads[i].split(' ').map(|w| flow.width(w, &HEAD)).fold(0.0, f32::max);
                values[i].max(longest.min(96.0)).max(36.0)
            })
            .collect();
        let mut widths = if whole.iter().sum::<f32>() <= room {
            whole
        } else if word.iter().sum::<f32>() <= room {
            word
        } else {
            let sum: f32 = values.iter().sum();
            if sum > room && sum > 0.0 {
                value.size = (CELL.size * room / sum).max(4.0);
                values = values_at(&value);
            }
            values.iter().map(|w| w.max(24.0)).collect()
        };
        if widths.iter().sum::<f32>() > room.max(0.0) {
            // Still too wide (very many columns): equal shares; cells are then shortened with "…".
            let share = room.max(0.0) / n.max(1) as f32;
            widths = vec![share; n];
        }
        let label_area = CONTENT_WIDTH - gaps - widths.iter().sum::<f32>();
        let bar_width = if label_area >= 300.0 {
            (label_area * 0.36).min(150.0)
        } else if label_area >= 220.0 {
            60.0
        } else {
            0.0
        };
        let label_width = label_area - bar_width - if bar_width > 0.0 { LABEL_GAP } else { 0.0 };
        let mut x = MARGIN_X + label_area;
        let mut rights = Vec::with_capacity(n);
        for w in &widths {
            x += gap + w;
            rights.push(x);
        }
        Columns {
            label_width,
            bar_x: MARGIN_X + label_width + LABEL_GAP,
            bar_width,
            rights,
            widths,
            value,
        }
    }
}

/// One table: its title, heads and rows, with page breaks between rows.
fn table_block(flow: &mut Flow, table: &ReportTable, lang: Lang, words: &Words) {
    let pick = |de: &str, en: &str| lang.pick(de, en).to_string();
    let title = flow.wrap(table.title(lang), &TITLE, CONTENT_WIDTH, MAX_TITLE_LINES, Dir::Ltr);
    let title_height = title.len() as f32 * flow.line_height(&TITLE) + 5.0;

    if table.rows.is_empty() {
        flow.keep(title_height + flow.line_height(&NOTE));
        flow.bookmark(table.title(lang));
        draw_title(flow, &title);
        flow.paragraph(words.no_rows, &NOTE, 1);
        flow.skip(TABLE_GAP);
        return;
    }

    let heads: Vec<String> = table.columns.iter().map(|c| pick(&c.de, &c.en)).collect();
    let cells: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|row| {
            (0..heads.len())
                .map(|i| {
                    row.values
                        .get(i)
                        .map(|v| table.format_value(i, *v, lang))
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    let columns = Columns::plan(flow, &heads, &cells);
    let cells: Vec<Vec<Line>> = cells
        .iter()
        .map(|row| {
            row.iter()
                .zip(&columns.widths)
                .map(|(cell, w)| flow.fit(cell, &columns.value, *w))
                .collect()
        })
        .collect();
    let head_lines: Vec<Vec<Line>> = heads
        .iter()
        .zip(&columns.widths)
        .map(|(head, w)| flow.wrap(head, &HEAD, *w, MAX_HEAD_LINES, Dir::Ltr))
        .collect();
    let head_height = head_lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * flow.line_height(&HEAD) + 4.0;
    let labels: Vec<Vec<Line>> = table
        .rows
        .iter()
        .map(|row| {
            flow.wrap(
                &pick(&row.de, &row.en),
                &CELL,
                columns.label_width,
                MAX_LABEL_LINES,
                Dir::Ltr,
            )
        })
        .collect();
    let cell_line = flow.line_height(&CELL);
    let row_heights: Vec<f32> = labels
        .iter()
        .map(|lines| lines.len() as f32 * cell_line + 2.0 * PAD)
        .collect();
    let max = table
        .rows
        .iter()
        .filter_map(|r| r.values.get(table.bar))
        .copied()
        .max()
        .unwrap_or(0);

    // A table that fits on a page is kept whole; a longer one starts here if its title, heads and
    // first rows fit, and continues on the next pages.
    let whole = title_height + head_height + row_heights.iter().sum::<f32>();
    if whole <= BODY_BOTTOM - BODY_TOP {
        flow.keep(whole);
    } else {
        flow.keep(title_height + head_height + row_heights.iter().take(3).sum::<f32>());
    }
    flow.bookmark(table.title(lang));
    draw_title(flow, &title);
    draw_heads(flow, &columns, &head_lines, head_height);
    let continued = flow.wrap(
        &format!("{} ({})", table.title(lang), words.continued),
        &TITLE,
        CONTENT_WIDTH,
        MAX_TITLE_LINES,
        Dir::Ltr,
    );
    for (i, row) in table.rows.iter().enumerate() {
        if !flow.fits(row_heights[i]) {
            flow.new_page();
            draw_title(flow, &continued);
            draw_heads(flow, &columns, &head_lines, head_height);
        }
        let top = flow.y();
        for (n, line) in labels[i].iter().enumerate() {
            flow.line(MARGIN_X, top + PAD + n as f32 * cell_line, line, &CELL);
        }
        // The value cells sit on the first line's baseline even when set smaller.
        let baseline_shift = flow.ascent(&CELL) - flow.ascent(&columns.value);
        for (cell, right) in cells[i].iter().zip(&columns.rights) {
            flow.line_right(*right, top + PAD + baseline_shift, cell, &columns.value);
        }
        if columns.bar_width > 0.0 && max > 0 {
            let height = CELL.size * 0.7;
            let bar_top = top + PAD + (cell_line - height) / 2.0;
            let share = row
                .values
                .get(table.bar)
                .map_or(0.0, |v| (*v).max(0) as f64 / max as f64) as f32;
            let x = columns.bar_x;
            flow.page().rect(x, bar_top, columns.bar_width, height, TRACK);
            if share > 0.0 {
                flow.page()
                    .rect(x, bar_top, (columns.bar_width * share).max(1.0), height, BRAND);
            }
        }
        flow.skip(row_heights[i]);
        if i + 1 < table.rows.len() {
            let y = flow.y();
            flow.page().rect(MARGIN_X, y - 0.2, CONTENT_WIDTH, 0.4, LINE);
        }
    }
    flow.skip(TABLE_GAP);
}

fn draw_title(flow: &mut Flow, lines: &[Line]) {
    let height = flow.line_height(&TITLE);
    for line in lines {
        let y = flow.y();
        flow.line(MARGIN_X, y, line, &TITLE);
        flow.skip(height);
    }
    flow.skip(5.0);
}

/// The value columns' heads, right-aligned and set on a common last line, with a rule below.
fn draw_heads(flow: &mut Flow, columns: &Columns, heads: &[Vec<Line>], height: f32) {
    let top = flow.y();
    let line = flow.line_height(&HEAD);
    let deepest = heads.iter().map(Vec::len).max().unwrap_or(1);
    for (lines, right) in heads.iter().zip(&columns.rights) {
        let first = top + (deepest - lines.len()) as f32 * line;
        for (n, text) in lines.iter().enumerate() {
            flow.line_right(*right, first + n as f32 * line, text, &HEAD);
        }
    }
    flow.skip(height);
    let y = flow.y();
    flow.page().rect(MARGIN_X, y - 1.6, CONTENT_WIDTH, 0.8, LINE);
}
