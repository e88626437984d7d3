//! A page's marks as PDF content operators, written straight into the page's stream: rectangles,
//! pictures, and each line of text as runs of glyph ids (`TJ`), placed where the shaper put them.
//! It notes which glyphs of which face a document uses, and the text each stands for, for `embed`.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use crate::embed;
use crate::fonts::{self, FaceId};
use crate::image::Picture;
use crate::page::{Color, Mark, Page, TextStyle, PAGE_HEIGHT};
use crate::shape::{Glyph, Line};
use kozmos_model::error::{Error, Result};

/// The glyphs a document uses, per face, with the first text given to each: the ToUnicode map holds
/// one text per glyph, so every use of a glyph maps to the same.
#[derive(Default)]
pub struct Usage {
    pub faces: BTreeMap<FaceId, BTreeMap<u16, String>>,
}

/// The content stream of one page. `picture` names the XObject a picture is embedded as.
pub fn page(page: &Page, picture: &dyn Fn(&Arc<Picture>) -> Option<String>, usage: &mut Usage) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(page.marks.len() * 64);
    for mark in &page.marks {
        match mark {
            Mark::Text {
                x,
                baseline,
                line,
                style,
            } => text(&mut out, usage, *x, PAGE_HEIGHT - baseline, line, style)?,
            Mark::Rect {
                x,
                top,
                width,
                height,
                color,
            } => {
                fill_color(&mut out, *color);
                numbers(&mut out, &[*x, PAGE_HEIGHT - top - height, *width, *height]);
                out.extend_from_slice(b"re f\n");
            }
            Mark::Image {
                x,
                top,
                width,
                height,
                picture: shown,
            } => {
                let name = picture(shown).ok_or_else(|| Error::Io("picture not embedded".into()))?;
                out.extend_from_slice(b"q ");
                numbers(&mut out, &[*width, 0.0, 0.0, *height, *x, PAGE_HEIGHT - top - height]);
                let _ = writeln!(out, "cm /{name} Do Q");
            }
        }
    }
    Ok(out)
}

/// A joiner (U+200C, U+200D) of a glyph's text, and the glyph it is written with.
struct Joiner {
    face: FaceId,
    gid: u16,
    ch: char,
    /// Drawn on the glyph's left edge: before it in left-to-right text, after it in right-to-left.
    on_left: bool,
}

/// The joiners a glyph's text holds. Shaping drops them and gives their bytes to the glyph
/// before or after; written as glyphs of their own they reach copied text.
fn joiners(line: &Line, glyph: &Glyph) -> Vec<Joiner> {
    let text = line.glyph_text(glyph);
    let mut found = Vec::new();
    if !text.contains(crate::shape::is_joiner) {
        return found;
    }
    let mut seen_letter = false;
    for ch in text.chars() {
        match fonts::joiner_glyph(ch, glyph.face.style) {
            Some((face, gid)) => found.push(Joiner {
                face,
                gid,
                ch,
                on_left: seen_letter == glyph.rtl,
            }),
            None => seen_letter |= !fonts::is_format_char(ch),
        }
    }
    found
}

/// One shaped line as a text object; `y` is the baseline from the page's bottom.
fn text(out: &mut Vec<u8>, usage: &mut Usage, x: f32, y: f32, line: &Line, style: &TextStyle) -> Result<()> {
    out.extend_from_slice(b"BT\n");
    fill_color(out, style.color);
    let mut run = Run {
        out,
        usage,
        size: style.size,
        face: None,
        pen: None,
        open: false,
        hex: false,
    };
    for (i, glyph) in line.glyphs.iter().enumerate() {
        // A joiner goes where it stands in the text, at zero advance: on the glyph's left or
        // right edge, written in that order, each in a `TJ` of its own.
        let joiners = joiners(line, glyph);
        for j in joiners.iter().filter(|j| j.on_left) {
            run.alone(j.face, j.gid, || j.ch.to_string(), x + glyph.x, y)?;
        }
        let unicode = || line.glyph_unicode(glyph);
        if glyph.rise == 0.0 {
            run.flowing(glyph.face, glyph.gid, unicode, x + glyph.x, y)?;
        } else {
            run.alone(glyph.face, glyph.gid, unicode, x + glyph.x, y + glyph.rise)?;
        }
        let right_edge = line.glyphs.get(i + 1).map_or(line.width, |next| next.x);
        for j in joiners.iter().filter(|j| !j.on_left) {
            run.alone(j.face, j.gid, || j.ch.to_string(), x + right_edge, y)?;
        }
    }
    run.close();
    run.out.extend_from_slice(b"ET\n");
    Ok(())
}

/// The glyphs of a line being written: the face set, where the next glyph would land without
/// a correction (`pen`, in pt; None before the first glyph or after one placed alone), and
/// whether a `TJ` array and a hex string in it are open.
struct Run<'a> {
    out: &'a mut Vec<u8>,
    usage: &'a mut Usage,
    size: f32,
    face: Option<FaceId>,
    pen: Option<f32>,
    open: bool,
    hex: bool,
}

impl Run<'_> {
    /// A glyph continuing the run: one correction (in thousandths of the size) moves the pen
    /// from where the last glyph's width left it to where the shaper put this one. Corrections
    /// are whole numbers taken from the pen's real position, so errors never add up.
    fn flowing(&mut self, face: FaceId, gid: u16, text: impl FnOnce() -> String, x: f32, y: f32) -> Result<()> {
        self.set_face(face);
        match self.pen {
            Some(pen) => {
                let correction = ((pen - x) * 1000.0 / self.size).round();
                if correction != 0.0 {
                    self.number(correction as i32);
                    self.pen = Some(pen - correction * self.size / 1000.0);
                }
            }
            None => self.place(x, y),
        }
        self.show(face, gid, text)
    }

    /// A glyph at its own position, in a `TJ` of its own (a mark raised by the font, a joiner).
    fn alone(&mut self, face: FaceId, gid: u16, text: impl FnOnce() -> String, x: f32, y: f32) -> Result<()> {
        self.set_face(face);
        self.place(x, y);
        self.show(face, gid, text)?;
        self.close();
        self.pen = None;
        Ok(())
    }

    fn place(&mut self, x: f32, y: f32) {
        self.close();
        self.out.extend_from_slice(b"1 0 0 1 ");
        numbers(self.out, &[x, y]);
        self.out.extend_from_slice(b"Tm\n");
        self.pen = Some(x);
    }

    fn set_face(&mut self, face: FaceId) {
        if self.face != Some(face) {
            self.close();
            let _ = write!(self.out, "/{} ", embed::resource_name(face));
            numbers(self.out, &[self.size]);
            self.out.extend_from_slice(b"Tf\n");
            self.face = Some(face);
        }
    }

    fn show(&mut self, face: FaceId, gid: u16, text: impl FnOnce() -> String) -> Result<()> {
        self.usage
            .faces
            .entry(face)
            .or_default()
            .entry(gid)
            .or_insert_with(text);
        if !self.open {
            self.out.push(b'[');
            self.open = true;
        }
        if !self.hex {
            self.out.push(b'<');
            self.hex = true;
        }
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        self.out.extend(
            gid.to_be_bytes()
                .iter()
                .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]),
        );
        let width = embed::width(fonts::face(face)?, gid)?;
        if let Some(pen) = &mut self.pen {
            *pen += width * self.size / 1000.0;
        }
        Ok(())
    }

    fn number(&mut self, n: i32) {
        if !self.open {
            self.out.push(b'[');
            self.open = true;
        }
        if self.hex {
            self.out.push(b'>');
            self.hex = false;
        }
        let _ = write!(self.out, "{n}");
    }

    fn close(&mut self) {
        if self.hex {
            self.out.push(b'>');
            self.hex = false;
        }
        if self.open {
            self.out.extend_from_slice(b"] TJ\n");
            self.open = false;
        }
    }
}

fn fill_color(out: &mut Vec<u8>, Color(r, g, b): Color) {
    for channel in [r, g, b] {
        decimal(out, f32::from(channel) / 255.0, 1000.0);
        out.push(b' ');
    }
    out.extend_from_slice(b"rg\n");
}

/// Lengths in pt, each followed by a space, to a hundredth of a point.
fn numbers(out: &mut Vec<u8>, values: &[f32]) {
    for value in values {
        decimal(out, *value, 100.0);
        out.push(b' ');
    }
}

/// A number rounded to 1/`scale`, without trailing zeros ("12.5", "-3", "0.04").
fn decimal(out: &mut Vec<u8>, value: f32, scale: f32) {
    let scaled = (f64::from(value) * f64::from(scale)).round() as i64;
    let scale = scale as i64;
    if scaled < 0 {
        out.push(b'-');
    }
    let (whole, mut part) = (scaled.abs() / scale, scaled.abs() % scale);
    let _ = write!(out, "{whole}");
    if part != 0 {
        out.push(b'.');
        let mut unit = scale / 10;
        while part != 0 {
            out.push(b'0' + (part / unit) as u8);
            part %= unit;
            unit /= 10;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(value: f32, scale: f32) -> String {
        let mut out = Vec::new();
        decimal(&mut out, value, scale);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_short_and_exact_to_their_scale() {
        assert_eq!(written(12.5, 100.0), "12.5");
        assert_eq!(written(-3.0, 100.0), "-3");
        assert_eq!(written(0.04, 100.0), "0.04");
        assert_eq!(written(-0.004, 100.0), "0");
        assert_eq!(written(841.89, 100.0), "841.89");
        assert_eq!(written(0.1137, 1000.0), "0.114");
        assert_eq!(written(1.0, 1000.0), "1");
    }
}
