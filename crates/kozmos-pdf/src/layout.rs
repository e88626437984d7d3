//! Flowing content down A4 pages: a cursor, shaping and fitting text, a new page when a block
//! would pass the bottom margin, and the running header (per page) and footer.

use crate::fonts::{self, Style};
use crate::page::{
    Page, TextStyle, BODY_BOTTOM, BODY_TOP, CONTENT_WIDTH, EDGE, LINE, MARGIN_X, MUTED, PAGE_HEIGHT, RIGHT,
};
use crate::shape::{self, Dir, Line};
use kozmos_model::error::{Lang, Result};

/// What the header of a continued page says: a title left, a date right.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub title: String,
    /// "Stand: 29.11.2026"
    pub stamp: String,
}

/// What a section's pages carry besides their content.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Running {
    /// The header of its continued pages (none for a cover).
    pub header: Option<Header>,
    /// Left in the footer of each of its pages, e.g. who made the document; may be empty.
    pub note: String,
}

struct Slot {
    page: Page,
    /// None on a section's first page.
    header: Option<Header>,
    note: String,
}

pub struct Flow {
    pages: Vec<Slot>,
    /// Where the next block starts on the current page, in pt from the top.
    y: f32,
    /// What pages started from now on carry.
    running: Running,
    /// Bookmarks: a title and the 1-based page it points to.
    outline: Vec<(String, usize)>,
    ascent: [f32; 2],
    line_height: [f32; 2],
    /// How much of the designed space between blocks is used (1: all; less to fit a page).
    density: f32,
}

impl Flow {
    /// A flow with one empty page without header or note.
    pub fn new() -> Result<Flow> {
        let metrics = |style| -> Result<(f32, f32)> {
            let face = fonts::primary(style)?;
            Ok((face.ascent, face.ascent + face.descent))
        };
        let (regular_ascent, regular_height) = metrics(Style::Regular)?;
        let (bold_ascent, bold_height) = metrics(Style::Bold)?;
        Ok(Flow {
            pages: vec![Slot {
                page: Page::default(),
                header: None,
                note: String::new(),
            }],
            y: BODY_TOP,
            running: Running::default(),
            outline: Vec::new(),
            ascent: [regular_ascent, bold_ascent],
            line_height: [regular_height, bold_height],
            density: 1.0,
        })
    }

    fn metric(table: &[f32; 2], style: &TextStyle) -> f32 {
        table[usize::from(style.style == Style::Bold)] * style.size
    }

    /// The height of one line of text: the primary face's ascent plus descent (Noto Sans: 1.36 em).
    pub fn line_height(&self, style: &TextStyle) -> f32 {
        Flow::metric(&self.line_height, style)
    }

    /// How far the baseline lies below the top of a line.
    pub fn ascent(&self, style: &TextStyle) -> f32 {
        Flow::metric(&self.ascent, style)
    }

    /// The width of text on one line in pt.
    pub fn width(&self, text: &str, style: &TextStyle) -> f32 {
        shape::width(text, style.style, style.size)
    }

    /// Any text as one line no wider than `max_width` (shortened with "…").
    pub fn fit(&self, text: &str, style: &TextStyle, max_width: f32) -> Line {
        shape::fit(text, style.style, style.size, max_width, Dir::Ltr)
    }

    /// Any text as lines no wider than `max_width`, at most `max_lines`, in a left-to-right
    /// paragraph (`Dir::Auto` for text whose own direction counts, such as a name in Arabic).
    pub fn wrap(&self, text: &str, style: &TextStyle, max_width: f32, max_lines: usize, dir: Dir) -> Vec<Line> {
        shape::wrap(text, style.style, style.size, max_width, max_lines, dir)
    }

    /// The cursor: where the next block starts, in pt from the top of the current page.
    pub fn y(&self) -> f32 {
        self.y
    }

    /// Moves the cursor down.
    pub fn skip(&mut self, height: f32) {
        self.y += height;
    }

    /// Sets how much of the designed space between blocks `gap` and `spacing` give.
    pub fn set_density(&mut self, density: f32) {
        self.density = density;
    }

    /// Space between blocks as the density gives it.
    pub fn spacing(&self, designed: f32) -> f32 {
        designed * self.density
    }

    /// Moves the cursor down by space between blocks.
    pub fn gap(&mut self, designed: f32) {
        self.y += self.spacing(designed);
    }

    /// Whether a block this tall fits between the cursor and the bottom margin.
    pub fn fits(&self, height: f32) -> bool {
        self.y + height <= BODY_BOTTOM + 0.01
    }

    /// Whether nothing has been placed on the current page yet.
    pub fn at_page_top(&self) -> bool {
        self.y <= BODY_TOP
    }

    /// A new page, carrying the running header and note.
    pub fn new_page(&mut self) {
        self.pages.push(Slot {
            page: Page::default(),
            header: self.running.header.clone(),
            note: self.running.note.clone(),
        });
        self.y = BODY_TOP;
    }

    fn untouched(&self) -> bool {
        self.at_page_top() && self.pages.last().is_some_and(|slot| slot.page.marks.is_empty())
    }

    /// Starts a section (the reports, one association's sheet, a cover) on a fresh page (the
    /// current one if nothing is on it yet) without a header; its pages carry `running`'s note, the
    /// pages it continues on also its header.
    pub fn begin_section(&mut self, running: Running) {
        if !self.untouched() {
            self.new_page();
        }
        if let Some(slot) = self.pages.last_mut() {
            slot.header = None;
            slot.note = running.note.clone();
        }
        self.running = running;
    }

    /// On a section's first page, which has no header: moves the cursor up into the header's
    /// space, so the section's own head starts at the top margin.
    pub fn start_at_top_edge(&mut self) {
        if self.untouched() && self.pages.last().is_some_and(|slot| slot.header.is_none()) {
            self.y = EDGE;
        }
    }

    /// Appends another flow's pages (a cover, then the sheets): they keep their headers, notes and
    /// bookmarks; an untouched last page of this flow is replaced.
    pub fn append(&mut self, other: Flow) {
        if self.untouched() {
            self.pages.pop();
        }
        let offset = self.pages.len();
        self.pages.extend(other.pages);
        self.outline
            .extend(other.outline.into_iter().map(|(title, page)| (title, page + offset)));
        self.y = other.y;
        self.running = other.running;
    }

    /// Starts a new page unless a block this tall fits here (a block taller than a page gets a
    /// fresh page and must then be split by the caller).
    pub fn keep(&mut self, height: f32) {
        if !self.fits(height) && !self.at_page_top() {
            self.new_page();
        }
    }

    /// The 1-based number of the current page.
    pub fn page_number(&self) -> usize {
        self.pages.len()
    }

    pub fn page(&mut self) -> &mut Page {
        &mut self.pages.last_mut().expect("a flow always has a page").page
    }

    /// One line with the top of its line box at `top`.
    pub fn line(&mut self, x: f32, top: f32, line: &Line, style: &TextStyle) {
        let baseline = top + line.ascent;
        self.page().text(x, baseline, line.clone(), *style);
    }

    /// The height of lines set one below the other.
    pub fn height(lines: &[Line]) -> f32 {
        lines.iter().map(Line::height).sum()
    }

    /// One line ending at `right`.
    pub fn line_right(&mut self, right: f32, top: f32, line: &Line, style: &TextStyle) {
        self.line(right - line.width, top, line, style);
    }

    /// Lines at the cursor, from `x`; lines that do not fit go to the next page.
    pub fn lines(&mut self, x: f32, lines: &[Line], style: &TextStyle) {
        for line in lines {
            self.keep(line.height());
            let y = self.y;
            self.line(x, y, line, style);
            self.y += line.height();
        }
    }

    /// A paragraph across the content width at the cursor; lines that do not fit go to the next page.
    pub fn paragraph(&mut self, text: &str, style: &TextStyle, max_lines: usize) {
        let lines = self.wrap(text, style, CONTENT_WIDTH, max_lines, Dir::Ltr);
        self.lines(MARGIN_X, &lines, style);
    }

    /// A bookmark to the current page.
    pub fn bookmark(&mut self, title: &str) {
        let title = shape::printable(title).chars().take(200).collect();
        let page = self.page_number();
        self.outline.push((title, page));
    }

    /// Adds the headers (title left, date right, a rule below) to the pages that carry one and the
    /// footer (note left, "Seite n von N" right) to every page, and hands over the pages and
    /// bookmarks.
    pub fn finish(self, lang: Lang) -> (Vec<Page>, Vec<(String, usize)>) {
        let small = TextStyle::new(Style::Regular, 8.0, MUTED);
        let height = self.line_height(&small);
        let ascent = self.ascent(&small);
        let total = self.pages.len();
        let footer_top = PAGE_HEIGHT - EDGE - height;
        let fit = |text: &str, width: f32| shape::fit(text, small.style, small.size, width, Dir::Ltr);
        let mut pages = Vec::with_capacity(total);
        for (i, slot) in self.pages.into_iter().enumerate() {
            let Slot { mut page, header, note } = slot;
            let number = match lang {
                Lang::De => format!("Seite {} von {total}", i + 1),
                Lang::En => format!("Page {} of {total}", i + 1),
            };
            let number = fit(&number, CONTENT_WIDTH / 3.0);
            let note = fit(&note, CONTENT_WIDTH - number.width - 16.0);
            page.text(MARGIN_X, footer_top + ascent, note, small);
            page.text(RIGHT - number.width, footer_top + ascent, number, small);
            page.rect(MARGIN_X, footer_top - 4.0, CONTENT_WIDTH, 0.6, LINE);
            if let Some(header) = header {
                let stamp = fit(&header.stamp, CONTENT_WIDTH / 2.0);
                let title = fit(&header.title, CONTENT_WIDTH - stamp.width - 16.0);
                page.text(MARGIN_X, EDGE + ascent, title, small);
                page.text(RIGHT - stamp.width, EDGE + ascent, stamp, small);
                page.rect(MARGIN_X, EDGE + height + 3.0, CONTENT_WIDTH, 0.6, LINE);
            }
            pages.push(page);
        }
        (pages, self.outline)
    }
}
