//! Flowing content down A4 pages: a cursor, measuring and fitting text with the fonts' metrics,
//! a new page when a block would pass the bottom margin, and the running header and footer.

use super::fonts::{self, Face, Style};
use super::page::{
    Page, TextStyle, BODY_BOTTOM, BODY_TOP, CONTENT_WIDTH, EDGE, LINE, MARGIN_X, MUTED, PAGE_HEIGHT, RIGHT,
};
use super::text;
use crate::error::{Lang, Result};

pub struct Flow {
    pages: Vec<Page>,
    /// Where the next block starts on the current page, in pt from the top.
    y: f32,
    regular: &'static Face,
    bold: &'static Face,
    /// Bookmarks: a title and the 1-based page it points to.
    outline: Vec<(String, usize)>,
}

impl Flow {
    /// A flow with one empty page.
    pub fn new() -> Result<Flow> {
        Ok(Flow {
            pages: vec![Page::default()],
            y: BODY_TOP,
            regular: fonts::face(Style::Regular)?,
            bold: fonts::face(Style::Bold)?,
            outline: Vec::new(),
        })
    }

    pub fn face(&self, style: Style) -> &'static Face {
        match style {
            Style::Regular => self.regular,
            Style::Bold => self.bold,
        }
    }

    /// The height of one line of text: the face's ascent plus descent (Noto Sans: 1.36 em).
    pub fn line_height(&self, style: &TextStyle) -> f32 {
        let face = self.face(style.style);
        (face.ascent + face.descent) * style.size
    }

    /// The width of printable text in pt.
    pub fn width(&self, text: &str, style: &TextStyle) -> f32 {
        self.face(style.style).width(text, style.size)
    }

    /// Any text as one printable line no wider than `max_width` (shortened with "…").
    pub fn fit(&self, text: &str, style: &TextStyle, max_width: f32) -> String {
        let face = self.face(style.style);
        text::ellipsize(&face.printable(text), max_width, |c| face.advance(c) * style.size)
    }

    /// Any text as printable lines no wider than `max_width`, at most `max_lines`.
    pub fn wrap(&self, text: &str, style: &TextStyle, max_width: f32, max_lines: usize) -> Vec<String> {
        let face = self.face(style.style);
        text::wrap(&face.printable(text), max_width, max_lines, |c| {
            face.advance(c) * style.size
        })
    }

    /// The cursor: where the next block starts, in pt from the top of the current page.
    pub fn y(&self) -> f32 {
        self.y
    }

    /// Moves the cursor down.
    pub fn skip(&mut self, height: f32) {
        self.y += height;
    }

    /// Whether a block this tall fits between the cursor and the bottom margin.
    pub fn fits(&self, height: f32) -> bool {
        self.y + height <= BODY_BOTTOM + 0.01
    }

    /// Whether nothing has been placed on the current page yet.
    pub fn at_page_top(&self) -> bool {
        self.y <= BODY_TOP
    }

    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = BODY_TOP;
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
        self.pages.last_mut().expect("a flow always has a page")
    }

    /// One line of printable text with the top of its line box at `top`.
    pub fn line(&mut self, x: f32, top: f32, text: &str, style: &TextStyle) {
        let baseline = top + self.face(style.style).ascent * style.size;
        self.page().text(x, baseline, text, *style);
    }

    /// One line of printable text ending at `right`.
    pub fn line_right(&mut self, right: f32, top: f32, text: &str, style: &TextStyle) {
        let x = right - self.width(text, style);
        self.line(x, top, text, style);
    }

    /// A paragraph across the content width at the cursor; lines that do not fit go to the next page.
    pub fn paragraph(&mut self, text: &str, style: &TextStyle, max_lines: usize) {
        let height = self.line_height(style);
        for line in self.wrap(text, style, CONTENT_WIDTH, max_lines) {
            self.keep(height);
            let y = self.y;
            self.line(MARGIN_X, y, &line, style);
            self.y += height;
        }
    }

    /// A bookmark to the current page.
    pub fn bookmark(&mut self, title: &str) {
        let title = self.regular.printable(title).chars().take(200).collect();
        let page = self.page_number();
        self.outline.push((title, page));
    }

    /// Adds the running header (from page 2 on: title left, date right) and footer (note left,
    /// "Seite n von N" right) to every page, and hands over the pages and bookmarks.
    pub fn finish(mut self, running: &Running) -> (Vec<Page>, Vec<(String, usize)>) {
        let small = TextStyle::new(Style::Regular, 8.0, MUTED);
        let height = self.line_height(&small);
        let total = self.pages.len();
        let stamp = self.fit(&running.stamp, &small, CONTENT_WIDTH / 2.0);
        let header_title = self.fit(
            &running.title,
            &small,
            CONTENT_WIDTH - self.width(&stamp, &small) - 16.0,
        );
        let footer_top = PAGE_HEIGHT - EDGE - height;
        let mut pages = std::mem::take(&mut self.pages);
        for (i, page) in pages.iter_mut().enumerate() {
            let number = match running.lang {
                Lang::De => format!("Seite {} von {total}", i + 1),
                Lang::En => format!("Page {} of {total}", i + 1),
            };
            let number_width = self.width(&number, &small);
            let note = self.fit(&running.note, &small, CONTENT_WIDTH - number_width - 16.0);
            let mut put = |x: f32, top: f32, text: &str| {
                page.text(x, top + self.regular.ascent * small.size, text, small);
            };
            if i > 0 {
                put(MARGIN_X, EDGE, &header_title);
                put(RIGHT - self.width(&stamp, &small), EDGE, &stamp);
            }
            put(MARGIN_X, footer_top, &note);
            put(RIGHT - number_width, footer_top, &number);
            if i > 0 {
                page.rect(MARGIN_X, EDGE + height + 3.0, CONTENT_WIDTH, 0.6, LINE);
            }
            page.rect(MARGIN_X, footer_top - 4.0, CONTENT_WIDTH, 0.6, LINE);
        }
        (pages, self.outline)
    }
}

/// What the running header and footer say.
pub struct Running {
    pub title: String,
    /// "Stand: 29.11.2026"
    pub stamp: String,
    /// Left in the footer, e.g. who made the document; may be empty.
    pub note: String,
    pub lang: Lang,
}
