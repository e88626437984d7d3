//! The fonts of a document as PDF objects: per face a Type0 font over a CIDFontType2 whose codes
//! are the glyph ids (Identity-H), with the subset program, the widths of the used glyphs and a
//! ToUnicode map, so text can be searched and copied.

use std::collections::BTreeMap;
use std::fmt::Write;

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

use crate::fonts::{self, Face, FaceId, Style};
use kozmos_model::error::Result;

/// The name a face goes by in the pages' font resources.
pub fn resource_name(face: FaceId) -> String {
    let style = match face.style {
        Style::Regular => 'R',
        Style::Bold => 'B',
    };
    format!("F{}{style}", face.family)
}

/// A glyph's advance in thousandths of the size, as the font's `/W` entry gives it to readers.
pub fn width(face: &Face, gid: u16) -> Result<f32> {
    Ok((f32::from(face.program.advance(gid)?) * 1000.0 / face.units_per_em).round())
}

/// Adds the fonts of `glyphs` to the document; returns each face's resource name and font.
pub fn fonts(doc: &mut lopdf::Document, glyphs: &BTreeMap<FaceId, BTreeMap<u16, String>>) -> Result<Dictionary> {
    let mut resources = Dictionary::new();
    for (face_id, used) in glyphs {
        let font = font(doc, fonts::face(*face_id)?, used)?;
        resources.set(resource_name(*face_id), Object::Reference(font));
    }
    Ok(resources)
}

fn font(doc: &mut lopdf::Document, face: &Face, used: &BTreeMap<u16, String>) -> Result<ObjectId> {
    let program = face.program.subset(used.keys().copied())?;
    let name = Object::Name(format!("{}+{}", subset_tag(face.id, used), face.id.name()).into_bytes());
    let head = face.program.table(b"head")?;
    let hhea = face.program.table(b"hhea")?;
    let os2 = face.program.table(b"OS/2").unwrap_or_default();
    let scaled = |table: &[u8], at: usize| -> Object {
        let value = table.get(at..at + 2).map_or(0, |b| i16::from_be_bytes([b[0], b[1]]));
        Object::Integer((f32::from(value) * 1000.0 / face.units_per_em).round() as i64)
    };
    // OS/2 version 2 and later carry the capital height.
    let cap_height = if os2.len() >= 90 {
        scaled(os2, 88)
    } else {
        scaled(hhea, 4)
    };
    let weight = os2.get(4..6).map_or(400, |b| u16::from_be_bytes([b[0], b[1]]));
    // As PDF producers estimate it: about 88 at weight 400 and 166 at 700.
    let stem_v = 50 + (f32::from(weight) / 65.0).powi(2).round() as i64;

    let mut program_dict = Dictionary::new();
    program_dict.set("Length1", Object::Integer(program.len() as i64));
    let program = doc.add_object(Stream::new(program_dict, program));
    let descriptor = doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", name.clone()),
        // Non-symbolic; every face shipped is upright.
        ("Flags", Object::Integer(32)),
        (
            "FontBBox",
            Object::Array(vec![
                scaled(head, 36),
                scaled(head, 38),
                scaled(head, 40),
                scaled(head, 42),
            ]),
        ),
        ("ItalicAngle", Object::Integer(0)),
        ("Ascent", scaled(hhea, 4)),
        ("Descent", scaled(hhea, 6)),
        ("CapHeight", cap_height),
        ("StemV", Object::Integer(stem_v)),
        ("FontFile2", Object::Reference(program)),
    ]));
    let descendant = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"CIDFontType2".to_vec())),
        ("BaseFont", name.clone()),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Registry", Object::String(b"Adobe".to_vec(), StringFormat::Literal)),
                ("Ordering", Object::String(b"Identity".to_vec(), StringFormat::Literal)),
                ("Supplement", Object::Integer(0)),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor)),
        ("W", Object::Array(widths(face, used)?)),
        ("CIDToGIDMap", Object::Name(b"Identity".to_vec())),
    ]);
    let to_unicode = doc.add_object(Stream::new(Dictionary::new(), to_unicode(used).into_bytes()));
    Ok(doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", name),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        ("DescendantFonts", Object::Array(vec![Object::Dictionary(descendant)])),
        ("ToUnicode", Object::Reference(to_unicode)),
    ])))
}

/// `/W`: the widths of the used glyphs, consecutive ids in one array.
fn widths(face: &Face, used: &BTreeMap<u16, String>) -> Result<Vec<Object>> {
    let mut out = Vec::new();
    let mut group: Vec<Object> = Vec::new();
    let mut next = None;
    for &gid in used.keys() {
        if next != Some(gid) {
            if !group.is_empty() {
                out.push(Object::Array(std::mem::take(&mut group)));
            }
            out.push(Object::Integer(i64::from(gid)));
        }
        group.push(Object::Integer(width(face, gid)? as i64));
        next = gid.checked_add(1);
    }
    if !group.is_empty() {
        out.push(Object::Array(group));
    }
    Ok(out)
}

/// The ToUnicode CMap: each used glyph's code to its text (glyphs for no text are left out).
fn to_unicode(used: &BTreeMap<u16, String>) -> String {
    let mapped: Vec<(u16, &str)> = used
        .iter()
        .filter(|(_, text)| !text.is_empty())
        .map(|(gid, text)| (*gid, text.as_str()))
        .collect();
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    // At most 100 entries per block.
    for block in mapped.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", block.len());
        for (gid, text) in block {
            let _ = write!(out, "<{gid:04X}> <");
            for unit in text.encode_utf16() {
                let _ = write!(out, "{unit:04X}");
            }
            out.push_str(">\n");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// The six capital letters that name a subset (ISO 32000-1, 9.6.4), from the face and the glyphs
/// it holds: the same glyphs give the same name.
fn subset_tag(face: FaceId, used: &BTreeMap<u16, String>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let ids = [face.family, u8::from(face.style == Style::Bold)];
    for byte in ids.into_iter().chain(used.keys().flat_map(|gid| gid.to_be_bytes())) {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 8)) % 26) as u8))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unicode_map_holds_every_text_and_skips_empty_ones() {
        let used = BTreeMap::from([(3, "\u{200C}".to_string()), (36, "fi".into()), (40, String::new())]);
        let cmap = to_unicode(&used);
        assert!(
            cmap.contains("2 beginbfchar\n<0003> <200C>\n<0024> <00660069>\nendbfchar"),
            "{cmap}"
        );
        assert!(!cmap.contains("<0028>"));
    }

    #[test]
    fn widths_group_consecutive_glyphs() {
        let face = fonts::primary(Style::Regular).unwrap();
        let used = BTreeMap::from([(36, String::new()), (37, String::new()), (50, String::new())]);
        let w = widths(face, &used).unwrap();
        assert_eq!(w.len(), 4);
        assert_eq!(w[0], Object::Integer(36));
        assert_eq!(w[1].as_array().unwrap().len(), 2);
        assert_eq!(w[2], Object::Integer(50));
    }
}
