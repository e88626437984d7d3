//! QR codes as vector squares: the qrcode crate's module grid, each row's dark runs as one
//! rectangle, so the code is sharp at any zoom and adds only a few hundred bytes.
//!
//! The crate encodes the text and draws the grid; the choice among the eight masks is made here,
//! by the crate's own penalty rules on a plain grid of booleans (the crate's scoring reads every
//! module through wrapping accessors and boxed closures: a website's code took 0.18–0.37 ms with
//! it, 0.05–0.09 ms now). A test holds the choice to the crate's.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{bits, ec, EcLevel};

use crate::page::{Color, Page};

/// The longest text encoded; a longer website address gets no code.
pub const MAX_TEXT: usize = 400;
/// The quiet zone around the code, in modules (the standard asks for 4).
const QUIET: usize = 4;

/// The masks in the order the standard numbers them.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

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
        let bits = bits::encode_auto(text.as_bytes(), EcLevel::M).ok()?;
        let version = bits.version();
        let (data, ec) = ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
        let mut canvas = Canvas::new(version, EcLevel::M);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &ec);
        let width = usize::try_from(version.width()).ok()?;
        MASKS
            .iter()
            .map(|mask| {
                let mut masked = canvas.clone();
                masked.apply_mask(*mask);
                let dark = masked
                    .into_colors()
                    .into_iter()
                    .map(|c| c == qrcode::Color::Dark)
                    .collect();
                Qr { width, dark }
            })
            // The first of equally good masks, as the crate chooses.
            .min_by_key(Qr::penalty)
    }

    /// The penalty of a masked code by the qrcode crate's rules (ISO/IEC 18004, 7.8.3, with its
    /// deviations): the lower, the easier to scan.
    fn penalty(&self) -> u32 {
        let n = self.width;
        let at = |row: usize, col: usize| self.dark[row * n + col];
        let mut score = 0;
        for line in 0..n {
            score += self.lines_penalty(|k| at(line, k));
            score += self.lines_penalty(|k| at(k, line));
        }
        // Every 2×2 block of one colour (overlapping ones counted).
        for row in 0..n - 1 {
            for col in 0..n - 1 {
                let this = at(row, col);
                if at(row, col + 1) == this && at(row + 1, col) == this && at(row + 1, col + 1) == this {
                    score += 3;
                }
            }
        }
        // The share of dark modules, away from one half.
        let dark = self.dark.iter().filter(|d| **d).count();
        score + (dark * 200 / self.dark.len()).abs_diff(100) as u32
    }

    /// One row or column (`module(k)` for k in 0..width): runs of five or more modules of one
    /// colour (length − 2 each), and the finder pattern dark-light-dark³-light-dark with four light
    /// modules (or the edge) on a side (40 each).
    fn lines_penalty(&self, module: impl Fn(usize) -> bool) -> u32 {
        const FINDER: [bool; 7] = [true, false, true, true, true, false, true];
        let n = self.width;
        let mut score = 0;
        let mut run = 1;
        for k in 1..=n {
            if k < n && module(k) == module(k - 1) {
                run += 1;
                continue;
            }
            if run >= 5 {
                score += run - 2;
            }
            run = 1;
        }
        let any_dark = |from: usize, to: usize| (from..to.min(n)).any(&module);
        for start in 0..n.saturating_sub(6) {
            if (0..7).all(|k| module(start + k) == FINDER[k])
                && (!any_dark(start.saturating_sub(4), start) || !any_dark(start + 7, start + 11))
            {
                score += 40;
            }
        }
        score as u32
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

    /// The code is the one the qrcode crate makes: the same mask chosen, module for module. The
    /// texts grow through many versions (sizes) and go beyond ASCII.
    #[test]
    fn the_code_is_the_one_the_qrcode_crate_makes() {
        let mut texts: Vec<String> = (0..160)
            .map(|n| format!("https://verein-{}.example/{n}", "abc-".repeat(n % 50)))
            .collect();
        texts.extend(
            [
                "a",
                "www.vn-halle.de",
                "https://مثال.example/جمعية",
                "https://україна.example",
                "HTTPS://1234567890",
            ]
            .map(String::from),
        );
        texts.push("x".repeat(MAX_TEXT));
        for text in &texts {
            let ours = Qr::new(text).unwrap();
            let theirs = qrcode::QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap();
            assert_eq!(ours.width, theirs.width(), "{text}");
            let dark: Vec<bool> = theirs
                .to_colors()
                .into_iter()
                .map(|c| c == qrcode::Color::Dark)
                .collect();
            assert!(ours.dark == dark, "{text}: another mask than the crate's");
        }
    }

    #[test]
    fn empty_or_overlong_text_gives_no_code() {
        assert!(Qr::new("").is_none());
        assert!(Qr::new(&"a".repeat(MAX_TEXT + 1)).is_none());
    }
}
