//! TrueType subsets that keep every glyph's id: the outlines of the glyphs a document uses (and the
//! parts they are composed of), every other glyph left empty. With ids unchanged, the content
//! stream, the widths and the ToUnicode map all use the shaper's glyph ids as they are.

use std::collections::BTreeSet;

use kozmos_model::error::{Error, Result};

/// The tables an embedded CIDFontType2 program needs (ISO 32000-1, 9.9): the outlines and their
/// metrics, the hinting programs the outlines call, and OS/2 and post for rasterisers that read
/// them. The cmap is left out: a CID font maps codes to glyphs itself.
const KEPT: [&[u8; 4]; 11] = [
    b"OS/2", b"cvt ", b"fpgm", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"post", b"prep",
];

/// One face's tables, read from its bytes; those read per glyph at hand.
pub struct Font<'a> {
    tables: Vec<([u8; 4], &'a [u8])>,
    num_glyphs: u16,
    long_loca: bool,
    loca: &'a [u8],
    glyf: &'a [u8],
    hmtx: &'a [u8],
    /// How many glyphs have an advance of their own in `hmtx` (the last one's serves the rest).
    h_metrics: u16,
}

fn broken() -> Error {
    Error::Io("font file unreadable".into())
}

fn u16_at(data: &[u8], at: usize) -> Result<u16> {
    data.get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or_else(broken)
}

fn u32_at(data: &[u8], at: usize) -> Result<u32> {
    data.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(broken)
}

impl<'a> Font<'a> {
    pub fn parse(data: &'a [u8]) -> Result<Font<'a>> {
        let count = usize::from(u16_at(data, 4)?);
        let mut tables = Vec::with_capacity(count);
        for i in 0..count {
            let record = 12 + 16 * i;
            let tag: [u8; 4] = data
                .get(record..record + 4)
                .ok_or_else(broken)?
                .try_into()
                .map_err(|_| broken())?;
            let offset = u32_at(data, record + 8)? as usize;
            let length = u32_at(data, record + 12)? as usize;
            let table = data
                .get(offset..offset.checked_add(length).ok_or_else(broken)?)
                .ok_or_else(broken)?;
            tables.push((tag, table));
        }
        let table = |tag: &[u8; 4]| table_of(&tables, tag);
        Ok(Font {
            num_glyphs: u16_at(table(b"maxp")?, 4)?,
            long_loca: u16_at(table(b"head")?, 50)? == 1,
            loca: table(b"loca")?,
            glyf: table(b"glyf")?,
            hmtx: table(b"hmtx")?,
            h_metrics: u16_at(table(b"hhea")?, 34)?.max(1),
            tables,
        })
    }

    pub fn table(&self, tag: &[u8; 4]) -> Result<&'a [u8]> {
        table_of(&self.tables, tag)
    }

    /// The outline bytes of a glyph (empty for a glyph that draws nothing).
    fn glyph(&self, gid: u16) -> Result<&'a [u8]> {
        let at = |i: usize| -> Result<usize> {
            Ok(if self.long_loca {
                u32_at(self.loca, i * 4)? as usize
            } else {
                usize::from(u16_at(self.loca, i * 2)?) * 2
            })
        };
        let (start, end) = (at(usize::from(gid))?, at(usize::from(gid) + 1)?);
        self.glyf.get(start..end.max(start)).ok_or_else(broken)
    }

    /// The glyphs a composite glyph is made of.
    fn components(&self, gid: u16) -> Result<Vec<u16>> {
        const WORDS: u16 = 0x0001;
        const SCALE: u16 = 0x0008;
        const MORE: u16 = 0x0020;
        const XY_SCALE: u16 = 0x0040;
        const TWO_BY_TWO: u16 = 0x0080;
        let glyph = self.glyph(gid)?;
        if glyph.is_empty() || (u16_at(glyph, 0)? as i16) >= 0 {
            return Ok(Vec::new());
        }
        let mut parts = Vec::new();
        let mut at = 10;
        loop {
            let flags = u16_at(glyph, at)?;
            parts.push(u16_at(glyph, at + 2)?);
            at += 4 + if flags & WORDS != 0 { 4 } else { 2 };
            at += match () {
                () if flags & SCALE != 0 => 2,
                () if flags & XY_SCALE != 0 => 4,
                () if flags & TWO_BY_TWO != 0 => 8,
                () => 0,
            };
            if flags & MORE == 0 {
                return Ok(parts);
            }
        }
    }

    /// The advance width of a glyph in font units.
    pub fn advance(&self, gid: u16) -> Result<u16> {
        u16_at(self.hmtx, usize::from(gid.min(self.h_metrics - 1)) * 4)
    }

    /// The left side bearing of a glyph in font units (as stored: a signed number).
    fn side_bearing(&self, gid: u16) -> Result<u16> {
        let metrics = self.h_metrics;
        let at = match gid < metrics {
            true => usize::from(gid) * 4 + 2,
            false => usize::from(metrics) * 4 + usize::from(gid - metrics) * 2,
        };
        u16_at(self.hmtx, at)
    }

    /// A copy of a table with bytes replaced at the given offsets.
    fn patched(&self, tag: &[u8; 4], patches: &[(usize, &[u8])]) -> Result<Vec<u8>> {
        let mut table = self.table(tag)?.to_vec();
        for (at, bytes) in patches {
            table
                .get_mut(*at..at + bytes.len())
                .ok_or_else(broken)?
                .copy_from_slice(bytes);
        }
        Ok(table)
    }

    /// A font program with the outlines of `used` (and their parts) only. Glyph ids stay; the
    /// font ends at the highest id it needs.
    pub fn subset(&self, used: impl IntoIterator<Item = u16>) -> Result<Vec<u8>> {
        let mut kept: BTreeSet<u16> = BTreeSet::from([0]);
        let mut todo: Vec<u16> = used.into_iter().filter(|g| *g < self.num_glyphs).collect();
        while let Some(gid) = todo.pop() {
            if kept.insert(gid) {
                todo.extend(self.components(gid)?.into_iter().filter(|g| *g < self.num_glyphs));
            }
        }
        let count = kept.last().map_or(1, |last| last + 1);

        let mut glyf = Vec::new();
        let mut offsets = Vec::with_capacity(usize::from(count) + 1);
        // Every glyph's advance and left side bearing; zeros for the dropped ones (readers take
        // advances from the PDF's /W), so the table packs down to almost nothing.
        let mut hmtx = Vec::with_capacity(usize::from(count) * 4);
        for gid in 0..count {
            offsets.push(glyf.len());
            if kept.contains(&gid) {
                glyf.extend_from_slice(self.glyph(gid)?);
                glyf.resize(glyf.len().next_multiple_of(4), 0);
                hmtx.extend_from_slice(&self.advance(gid)?.to_be_bytes());
                hmtx.extend_from_slice(&self.side_bearing(gid)?.to_be_bytes());
            } else {
                hmtx.extend_from_slice(&[0; 4]);
            }
        }
        offsets.push(glyf.len());
        // The short form (offset / 2 in 16 bits) where the outlines fit.
        let short = glyf.len() <= 2 * usize::from(u16::MAX);
        let loca: Vec<u8> = match short {
            true => offsets.iter().flat_map(|o| ((o / 2) as u16).to_be_bytes()).collect(),
            false => offsets.iter().flat_map(|o| (*o as u32).to_be_bytes()).collect(),
        };

        let head = self.patched(b"head", &[(8, &[0; 4]), (50, &u16::from(!short).to_be_bytes())])?;
        let maxp = self.patched(b"maxp", &[(4, &count.to_be_bytes())])?;
        let hhea = self.patched(b"hhea", &[(34, &count.to_be_bytes())])?;
        // post version 3: no glyph names.
        let mut post = self.table(b"post")?.get(..32).ok_or_else(broken)?.to_vec();
        post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());

        let made: [(&[u8; 4], &[u8]); 7] = [
            (b"glyf", &glyf),
            (b"loca", &loca),
            (b"head", &head),
            (b"maxp", &maxp),
            (b"hhea", &hhea),
            (b"hmtx", &hmtx),
            (b"post", &post),
        ];
        let tables: Vec<(&[u8; 4], &[u8])> = KEPT
            .into_iter()
            .filter_map(|tag| match made.iter().find(|(t, _)| *t == tag) {
                Some(&(_, table)) => Some((tag, table)),
                None => self.table(tag).ok().map(|table| (tag, table)),
            })
            .collect();
        Ok(write_sfnt(&tables))
    }
}

fn table_of<'a>(tables: &[([u8; 4], &'a [u8])], tag: &[u8; 4]) -> Result<&'a [u8]> {
    tables
        .iter()
        .find(|(t, _)| t == tag)
        .map(|(_, table)| *table)
        .ok_or_else(|| Error::Io(format!("font has no {} table", String::from_utf8_lossy(tag))))
}

/// An sfnt file of these tables (sorted by tag), with checksums and the head's adjustment.
fn write_sfnt(tables: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
    let count = tables.len() as u16;
    let selector = 15 - count.leading_zeros() as u16;
    let search_range = (1u16 << selector) * 16;
    let mut out = Vec::with_capacity(12 + 16 * tables.len() + tables.iter().map(|(_, t)| t.len() + 3).sum::<usize>());
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for value in [count, search_range, selector, count * 16 - search_range] {
        out.extend_from_slice(&value.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, table) in tables {
        out.extend_from_slice(*tag);
        out.extend_from_slice(&checksum(table).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(table.len() as u32).to_be_bytes());
        if *tag == b"head" {
            head_at = Some(offset);
        }
        offset += table.len().next_multiple_of(4);
    }
    for (_, table) in tables {
        out.extend_from_slice(table);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(head) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[head + 8..head + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTO: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");

    #[test]
    fn a_subset_keeps_the_used_outlines_under_their_ids() {
        let font = Font::parse(NOTO).unwrap();
        let shaper = rustybuzz::Face::from_slice(NOTO, 0).unwrap();
        let used: Vec<u16> = "Müller".chars().map(|c| shaper.glyph_index(c).unwrap().0).collect();
        let bytes = font.subset(used.iter().copied()).unwrap();
        assert!(bytes.len() < NOTO.len() / 10, "{} bytes", bytes.len());
        assert_eq!(checksum(&bytes), 0xB1B0_AFBA, "the whole file sums to the magic number");
        let subset = rustybuzz::Face::from_slice(&bytes, 0).expect("a readable font");
        assert_eq!(
            u32::from(subset.number_of_glyphs()),
            u32::from(*used.iter().max().unwrap()) + 1
        );
        for gid in &used {
            let id = rustybuzz::ttf_parser::GlyphId(*gid);
            assert_eq!(
                subset.glyph_bounding_box(id),
                shaper.glyph_bounding_box(id),
                "glyph {gid}"
            );
            assert_eq!(
                subset.glyph_hor_advance(id),
                shaper.glyph_hor_advance(id),
                "glyph {gid}"
            );
        }
        let unused = shaper.glyph_index('a').unwrap();
        assert!(!used.contains(&unused.0));
        assert_eq!(subset.glyph_bounding_box(unused), None, "unused outlines are dropped");
    }

    #[test]
    fn a_composite_glyph_brings_its_parts() {
        let font = Font::parse(NOTO).unwrap();
        let shaper = rustybuzz::Face::from_slice(NOTO, 0).unwrap();
        let composite = "üễÄ"
            .chars()
            .map(|c| shaper.glyph_index(c).unwrap().0)
            .find(|gid| !font.components(*gid).unwrap().is_empty())
            .expect("an accented letter drawn from parts");
        let bytes = font.subset([composite]).unwrap();
        let subset = rustybuzz::Face::from_slice(&bytes, 0).unwrap();
        let id = rustybuzz::ttf_parser::GlyphId(composite);
        assert_eq!(subset.glyph_bounding_box(id), shaper.glyph_bounding_box(id));
    }

    #[test]
    fn a_broken_font_is_an_error_not_a_panic() {
        for bytes in [&b""[..], &NOTO[..100], &NOTO[..NOTO.len() / 2]] {
            assert!(Font::parse(bytes).and_then(|font| font.subset([36, 37])).is_err());
        }
    }
}
