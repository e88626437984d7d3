//! The fonts the PDFs are set in: Noto Sans Regular and Bold (SIL OFL 1.1, see `fonts/README.md`),
//! compiled into the program, parsed once, and measured with their own metrics.
//!
//! Only Latin text is set for now, character by character (no shaping). Scripts that need shaping
//! (Arabic, Vietnamese with combining marks) will add faces here and a shaper that yields glyph runs;
//! `Face::covers` is the check a per-character font fallback will use.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::error::{Error, Result};

static REGULAR_TTF: &[u8] = include_bytes!("../../fonts/NotoSans-Regular.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../fonts/NotoSans-Bold.ttf");

/// The printed weight of a piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Regular,
    Bold,
}

/// One parsed font face with the metrics layout needs, all in em (multiply by the font size in pt).
pub struct Face {
    pub parsed: ParsedFont,
    units_per_em: f32,
    /// Height above the baseline, from the font's hhea table (Noto Sans: 1.069).
    pub ascent: f32,
    /// Depth below the baseline, positive (Noto Sans: 0.293).
    pub descent: f32,
}

impl Face {
    fn parse(name: &str, bytes: &[u8]) -> std::result::Result<Face, String> {
        let parsed =
            ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).ok_or_else(|| format!("font {name} unreadable"))?;
        let metrics = parsed.get_font_metrics();
        let units_per_em = f32::from(metrics.units_per_em.max(1));
        Ok(Face {
            units_per_em,
            ascent: metrics.ascent / units_per_em,
            descent: metrics.descent.abs() / units_per_em,
            parsed,
        })
    }

    /// Whether the face has a glyph for this character.
    pub fn covers(&self, ch: char) -> bool {
        self.parsed.lookup_glyph_index(ch as u32).is_some_and(|gid| gid != 0)
    }

    /// The advance of one character in em (0 for a character the face lacks).
    pub fn advance(&self, ch: char) -> f32 {
        match self.parsed.lookup_glyph_index(ch as u32) {
            Some(gid) => f32::from(self.parsed.get_horizontal_advance(gid)) / self.units_per_em,
            None => 0.0,
        }
    }

    /// The width of a line of text in pt at `size` pt. printpdf sets text without kerning, so the
    /// sum of the advances is exactly what is printed.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    /// Text made printable with this face: NFC, every run of whitespace or control characters as
    /// one space, invisible format characters dropped, and characters the face lacks as "?".
    pub fn printable(&self, text: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        let mut out = String::with_capacity(text.len());
        let mut space = false;
        for ch in text.nfc() {
            if ch.is_whitespace() || ch.is_control() {
                space = !out.is_empty();
                continue;
            }
            if is_invisible(ch) {
                continue;
            }
            if space {
                out.push(' ');
                space = false;
            }
            out.push(if self.covers(ch) { ch } else { '?' });
        }
        out
    }
}

/// Zero-width and directional format characters, which print nothing in Latin text.
fn is_invisible(ch: char) -> bool {
    matches!(ch, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

struct Faces {
    regular: Face,
    bold: Face,
}

static FACES: OnceLock<std::result::Result<Faces, String>> = OnceLock::new();

/// The face for a style, parsed on first use.
pub fn face(style: Style) -> Result<&'static Face> {
    let faces = FACES
        .get_or_init(|| {
            Ok(Faces {
                regular: Face::parse("NotoSans-Regular", REGULAR_TTF)?,
                bold: Face::parse("NotoSans-Bold", BOLD_TTF)?,
            })
        })
        .as_ref()
        .map_err(|e| Error::Io(e.clone()))?;
    Ok(match style {
        Style::Regular => &faces.regular,
        Style::Bold => &faces.bold,
    })
}
