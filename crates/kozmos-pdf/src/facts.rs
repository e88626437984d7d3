//! Plain documents of headed sections, each with paragraphs, label/value facts and tables: the
//! privacy printouts (the right-of-access export, the record of processing activities). Values
//! are set in their own direction (a name in Arabic reads right to left), long ones wrap; a table
//! row is never split, and a table's heads repeat on each page it continues on.

use crate::document::{self, Metadata};
use crate::fonts::Style;
use crate::layout::{Flow, Header, Running};
use crate::page::{TextStyle, BRAND, CONTENT_WIDTH, INK, LINE, MARGIN_X, MUTED};
use crate::shape::{Dir, Line};
use kozmos_model::error::{Lang, Result};

const TITLE: TextStyle = TextStyle::new(Style::Bold, 18.0, BRAND);
const SUBTITLE: TextStyle = TextStyle::new(Style::Regular, 10.0, MUTED);
const HEADING: TextStyle = TextStyle::new(Style::Bold, 12.0, INK);
const LABEL: TextStyle = TextStyle::new(Style::Bold, 9.0, MUTED);
const HEAD: TextStyle = TextStyle::new(Style::Bold, 8.0, MUTED);
const TEXT: TextStyle = TextStyle::new(Style::Regular, 9.0, INK);

const LABEL_WIDTH: f32 = 150.0;
const CELL_GAP: f32 = 8.0;
const PAD: f32 = 2.5;
const MAX_LINES: usize = 60;
const SECTION_GAP: f32 = 16.0;

/// One block of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(String),
    /// Label and value pairs, one per row.
    Facts(Vec<(String, String)>),
    /// Column heads and rows of cells; relative column widths (one per head).
    Table {
        heads: Vec<String>,
        widths: Vec<f32>,
        rows: Vec<Vec<String>>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// A whole document: title, a line below it, the sections; `stamp` heads continued pages and
/// `note` sits in every footer.
#[derive(Debug, Clone, PartialEq)]
pub struct FactsDocument {
    pub title: String,
    pub subtitle: String,
    pub stamp: String,
    pub note: String,
    pub sections: Vec<Section>,
    /// What the metadata says; the title goes there too.
    pub subject: String,
    pub author: String,
}

/// The document as PDF (A4 portrait) in `lang`, created at `created`.
pub fn facts_pdf(doc: &FactsDocument, lang: Lang, created: time::OffsetDateTime) -> Result<Vec<u8>> {
    let mut flow = Flow::new()?;
    flow.begin_section(Running {
        header: Some(Header {
            title: doc.title.clone(),
            stamp: doc.stamp.clone(),
        }),
        note: doc.note.clone(),
    });
    for line in flow.wrap(&doc.title, &TITLE, CONTENT_WIDTH, 3, Dir::Auto) {
        let y = flow.y();
        flow.line(MARGIN_X, y, &line, &TITLE);
        flow.skip(flow.line_height(&TITLE));
    }
    flow.skip(2.0);
    flow.paragraph(&doc.subtitle, &SUBTITLE, 4);
    flow.skip(SECTION_GAP);
    for section in &doc.sections {
        let heading = flow.wrap(&section.heading, &HEADING, CONTENT_WIDTH, 3, Dir::Ltr);
        // A heading never stays alone at the bottom of a page.
        flow.keep(Flow::height(&heading) + 5.0 + 3.0 * flow.line_height(&TEXT));
        flow.bookmark(&section.heading);
        flow.lines(MARGIN_X, &heading, &HEADING);
        flow.skip(5.0);
        for block in &section.blocks {
            match block {
                Block::Paragraph(text) => {
                    let lines = flow.wrap(text, &TEXT, CONTENT_WIDTH, MAX_LINES, Dir::Ltr);
                    flow.lines(MARGIN_X, &lines, &TEXT);
                    flow.skip(4.0);
                }
                Block::Facts(facts) => {
                    for (label, value) in facts {
                        let cells = [
                            (flow.wrap(label, &LABEL, LABEL_WIDTH - CELL_GAP, 4, Dir::Ltr), LABEL),
                            (
                                flow.wrap(value, &TEXT, CONTENT_WIDTH - LABEL_WIDTH, MAX_LINES, Dir::Auto),
                                TEXT,
                            ),
                        ];
                        row(&mut flow, &[MARGIN_X, MARGIN_X + LABEL_WIDTH], &cells);
                    }
                    flow.skip(4.0);
                }
                Block::Table { heads, widths, rows } => table(&mut flow, heads, widths, rows),
            }
        }
        flow.skip(SECTION_GAP);
    }
    let (pages, outline) = flow.finish(lang);
    let meta = Metadata {
        title: doc.title.clone(),
        author: doc.author.clone(),
        subject: doc.subject.clone(),
        keywords: Vec::new(),
        lang,
        created,
    };
    document::render(&pages, &outline, &meta)
}

/// One row of wrapped cells at the given x positions, kept whole, with a rule below.
fn row(flow: &mut Flow, xs: &[f32], cells: &[(Vec<Line>, TextStyle)]) {
    let height = cells.iter().map(|(lines, _)| Flow::height(lines)).fold(0.0, f32::max) + 2.0 * PAD;
    flow.keep(height);
    let top = flow.y() + PAD;
    for ((lines, style), x) in cells.iter().zip(xs) {
        let mut y = top;
        for line in lines {
            flow.line(*x, y, line, style);
            y += line.height();
        }
    }
    flow.skip(height);
    let y = flow.y();
    flow.page().rect(MARGIN_X, y - 0.2, CONTENT_WIDTH, 0.4, LINE);
}

fn table(flow: &mut Flow, heads: &[String], widths: &[f32], rows: &[Vec<String>]) {
    let total: f32 = widths.iter().sum::<f32>().max(f32::EPSILON);
    let widths: Vec<f32> = widths.iter().map(|w| w / total * CONTENT_WIDTH).collect();
    let mut xs = Vec::with_capacity(widths.len());
    let mut x = MARGIN_X;
    for w in &widths {
        xs.push(x);
        x += w;
    }
    let wrap_row = |flow: &Flow, cells: &[String], style: TextStyle, max_lines: usize| -> Vec<(Vec<Line>, TextStyle)> {
        cells
            .iter()
            .zip(&widths)
            .map(|(cell, w)| (flow.wrap(cell, &style, w - CELL_GAP, max_lines, Dir::Auto), style))
            .collect()
    };
    let head_cells = wrap_row(flow, heads, HEAD, 3);
    let head_height = head_cells.iter().map(|(l, _)| Flow::height(l)).fold(0.0, f32::max) + 2.0 * PAD;
    let first = rows.first().map(|r| wrap_row(flow, r, TEXT, MAX_LINES));
    let first_height = first.as_ref().map_or(0.0, |c| {
        c.iter().map(|(l, _)| Flow::height(l)).fold(0.0, f32::max) + 2.0 * PAD
    });
    flow.keep(head_height + first_height);
    row(flow, &xs, &head_cells);
    for cells in rows {
        let cells = wrap_row(flow, cells, TEXT, MAX_LINES);
        let height = cells.iter().map(|(l, _)| Flow::height(l)).fold(0.0, f32::max) + 2.0 * PAD;
        if !flow.fits(height) {
            flow.new_page();
            row(flow, &xs, &head_cells);
        }
        row(flow, &xs, &cells);
    }
    flow.skip(6.0);
}
