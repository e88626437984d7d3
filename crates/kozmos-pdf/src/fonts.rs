//! The fonts the PDFs are set in (SIL OFL 1.1, see `fonts/README.md`), compiled into the program.
//! Noto Sans carries Latin (with Vietnamese), Cyrillic and Greek; the other families cover the
//! scripts it lacks: Arabic (also Persian, Pashto, Urdu), Hebrew, Armenian, Georgian, Ethiopic.
//! Each face is parsed on first use, once for embedding (its table directory) and once for the
//! shaper (rustybuzz), and measured with its own metrics.

use std::sync::OnceLock;

use kozmos_model::error::{Error, Result};

/// The printed weight of a piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    Regular,
    Bold,
}

/// The font families in fallback order: a character is set in the first that has it.
const FAMILIES: &[(&str, &[u8], &[u8])] = &[
    (
        "NotoSans",
        include_bytes!("../fonts/NotoSans-Regular.ttf"),
        include_bytes!("../fonts/NotoSans-Bold.ttf"),
    ),
    (
        "NotoSansArabic",
        include_bytes!("../fonts/NotoSansArabic-Regular.ttf"),
        include_bytes!("../fonts/NotoSansArabic-Bold.ttf"),
    ),
    (
        "NotoSansHebrew",
        include_bytes!("../fonts/NotoSansHebrew-Regular.ttf"),
        include_bytes!("../fonts/NotoSansHebrew-Bold.ttf"),
    ),
    (
        "NotoSansArmenian",
        include_bytes!("../fonts/NotoSansArmenian-Regular.ttf"),
        include_bytes!("../fonts/NotoSansArmenian-Bold.ttf"),
    ),
    (
        "NotoSansGeorgian",
        include_bytes!("../fonts/NotoSansGeorgian-Regular.ttf"),
        include_bytes!("../fonts/NotoSansGeorgian-Bold.ttf"),
    ),
    (
        "NotoSansEthiopic",
        include_bytes!("../fonts/NotoSansEthiopic-Regular.ttf"),
        include_bytes!("../fonts/NotoSansEthiopic-Bold.ttf"),
    ),
];

/// One face: a family in a style. `FaceId(0, style)` is the primary face (Noto Sans), whose
/// metrics set the line height.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaceId {
    pub family: u8,
    pub style: Style,
}

impl FaceId {
    pub const fn primary(style: Style) -> FaceId {
        FaceId { family: 0, style }
    }

    /// Every face, in fallback order per style.
    pub fn all(style: Style) -> impl Iterator<Item = FaceId> {
        (0..FAMILIES.len() as u8).map(move |family| FaceId { family, style })
    }

    fn index(self) -> usize {
        usize::from(self.family) * 2 + usize::from(self.style == Style::Bold)
    }

    pub fn name(self) -> String {
        let family = FAMILIES[usize::from(self.family)].0;
        match self.style {
            Style::Regular => format!("{family}-Regular"),
            Style::Bold => format!("{family}-Bold"),
        }
    }
}

/// One parsed font face with the metrics layout needs, all in em (multiply by the size in pt).
pub struct Face {
    pub id: FaceId,
    /// For embedding: its tables, widths and subsets.
    pub program: crate::subset::Font<'static>,
    /// For shaping and glyph outlines.
    pub shaper: rustybuzz::Face<'static>,
    pub units_per_em: f32,
    /// Height above the baseline, from the font's hhea table (Noto Sans: 1.069).
    pub ascent: f32,
    /// Depth below the baseline, positive (Noto Sans: 0.293).
    pub descent: f32,
}

impl Face {
    fn parse(id: FaceId) -> std::result::Result<Face, String> {
        let (_, regular, bold) = FAMILIES[usize::from(id.family)];
        let bytes: &'static [u8] = if id.style == Style::Bold { bold } else { regular };
        let unreadable = || format!("font {} unreadable", id.name());
        let program = crate::subset::Font::parse(bytes).map_err(|_| unreadable())?;
        let shaper = rustybuzz::Face::from_slice(bytes, 0).ok_or_else(unreadable)?;
        let units_per_em = shaper.units_per_em().max(1) as f32;
        Ok(Face {
            id,
            ascent: f32::from(shaper.ascender()) / units_per_em,
            descent: f32::from(shaper.descender()).abs() / units_per_em,
            units_per_em,
            program,
            shaper,
        })
    }

    /// Whether the face has a glyph for this character.
    pub fn covers(&self, ch: char) -> bool {
        self.shaper.glyph_index(ch).is_some_and(|gid| gid.0 != 0)
    }
}

/// Characters that print nothing and take the face of their neighbours: joiners, variation
/// selectors, directional marks.
pub fn is_format_char(ch: char) -> bool {
    matches!(ch, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{00AD}')
}

static FACES: [OnceLock<std::result::Result<Face, String>>; FAMILIES.len() * 2] =
    [const { OnceLock::new() }; FAMILIES.len() * 2];

/// A face, parsed on first use.
pub fn face(id: FaceId) -> Result<&'static Face> {
    FACES[id.index()]
        .get_or_init(|| Face::parse(id))
        .as_ref()
        .map_err(|e| Error::Io(e.clone()))
}

/// The primary face of a style (Noto Sans).
pub fn primary(style: Style) -> Result<&'static Face> {
    face(FaceId::primary(style))
}

/// The first face of the style that has the character, or None if no face has it. Faces are
/// parsed only when an earlier one lacks the character.
pub fn covering(ch: char, style: Style) -> Option<&'static Face> {
    FaceId::all(style).find_map(|id| face(id).ok().filter(|f| f.covers(ch)))
}

/// The glyph a joiner (U+200C, U+200D) is written with so that copied text keeps it: the first
/// face of the style whose own glyph for it draws nothing and is not shared with the other joiner
/// (the ToUnicode map holds one text per glyph). Noto Sans has such glyphs; Noto Sans Arabic's
/// draws a visible mark. Shaping drops joiners; this glyph is added at zero advance, so printing
/// stays as it is.
pub fn joiner_glyph(joiner: char, style: Style) -> Option<(FaceId, u16)> {
    let other = match joiner {
        '\u{200C}' => '\u{200D}',
        '\u{200D}' => '\u{200C}',
        _ => return None,
    };
    FaceId::all(style).find_map(|id| {
        let face = face(id).ok()?;
        let gid = face.shaper.glyph_index(joiner)?;
        let empty = face.shaper.glyph_bounding_box(gid).is_none() && face.shaper.glyph_hor_advance(gid).is_some();
        (empty && face.shaper.glyph_index(other) != Some(gid)).then_some((id, gid.0))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joiners_have_an_empty_glyph_of_their_own() {
        for style in [Style::Regular, Style::Bold] {
            let zwnj = joiner_glyph('\u{200C}', style).unwrap();
            let zwj = joiner_glyph('\u{200D}', style).unwrap();
            assert_ne!(zwnj, zwj);
            assert_eq!(joiner_glyph('a', style), None);
        }
    }

    #[test]
    fn every_script_the_register_holds_has_a_face() {
        for (text, family) in [
            ("Müller ß Łódź Ţară Şişli ğ Nguyễn Đức", 0),
            ("Українська громада ї є ґ", 0),
            ("جمعية انجمن فرهنگی پښتو", 1),
            ("עמותה", 2),
            ("Հայկական", 3),
            ("ქართული", 4),
            ("ትግርኛ", 5),
        ] {
            for ch in text.chars().filter(|c| !c.is_whitespace()) {
                let face = covering(ch, Style::Regular).unwrap_or_else(|| panic!("no face has {ch:?}"));
                assert_eq!(face.id.family, family, "{ch:?} in {text}");
                assert!(covering(ch, Style::Bold).is_some(), "bold {ch:?}");
            }
        }
        assert!(covering('中', Style::Regular).is_none(), "no CJK face is shipped");
    }

    #[test]
    fn metrics_come_from_the_font() {
        let face = primary(Style::Regular).unwrap();
        assert!((face.ascent - 1.069).abs() < 0.01, "{}", face.ascent);
        assert!((face.descent - 0.293).abs() < 0.01, "{}", face.descent);
    }
}
