//! QR codes as vector squares: the qrcode crate's module grid, each row's dark runs as one
//! rectangle, so the code is sharp at any zoom and adds only a few hundred bytes.

use qrcode::{EcLevel, QrCode};

use crate::page::{Color, Page};

/// The longest text encoded; a longer website address gets no code.
pub const MAX_TEXT: usize = 400;
/// The quiet zone around the code, in modules (the standard asks for 4).
const QUIET: usize = 4;

/// A QR code's dark modules, `width` × `width`, row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Qr {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl Qr {
    /// The code for a text, or None when it is empty or too long to scan reliably.
    pub fn new(text: &str) -> Option<Qr> {
        if text.is_empty() || text.len() > MAX_TEXT {
            return None;
        }
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
        Some(Qr {
            width: code.width(),
            dark: code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect(),
        })
    }

    /// The side of the drawn code with its quiet zone, in modules.
    pub fn modules_with_quiet_zone(&self) -> usize {
        self.width + 2 * QUIET
    }

    /// Draws the code with its quiet zone into a square of `side` pt at (`x`, `top`).
    pub fn draw(&self, page: &mut Page, x: f32, top: f32, side: f32, color: Color) {
        let module = side / self.modules_with_quiet_zone() as f32;
        let origin_x = x + QUIET as f32 * module;
        let origin_y = top + QUIET as f32 * module;
        for row in 0..self.width {
            let mut col = 0;
            while col < self.width {
                if !self.dark[row * self.width + col] {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < self.width && self.dark[row * self.width + col] {
                    col += 1;
                }
                // A hair wider and taller, so neighbouring squares leave no seams when rendered.
                page.rect(
                    origin_x + start as f32 * module,
                    origin_y + row as f32 * module,
                    (col - start) as f32 * module + 0.05,
                    module + 0.05,
                    color,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{Mark, INK};

    #[test]
    fn a_website_gives_a_square_code_of_dark_runs() {
        let qr = Qr::new("https://www.ukrainische-gemeinde-jena.de").unwrap();
        assert_eq!(qr.dark.len(), qr.width * qr.width);
        assert!(qr.width >= 21);
        let mut page = Page::default();
        qr.draw(&mut page, 100.0, 100.0, 60.0, INK);
        let dark = qr.dark.iter().filter(|d| **d).count();
        assert!(!page.marks.is_empty() && page.marks.len() < dark, "runs merged");
        for mark in &page.marks {
            let Mark::Rect {
                x, top, width, height, ..
            } = mark
            else {
                panic!()
            };
            assert!(*x >= 100.0 && x + width <= 160.1 && *top >= 100.0 && top + height <= 160.1);
        }
    }

    #[test]
    fn empty_or_overlong_text_gives_no_code() {
        assert!(Qr::new("").is_none());
        assert!(Qr::new(&"a".repeat(MAX_TEXT + 1)).is_none());
    }
}
