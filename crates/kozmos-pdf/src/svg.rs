//! Pages as SVG pictures, for the preview in the app: the same marks the PDF is made of, with
//! glyphs drawn from the same fonts' outlines, so the preview shows exactly what prints. The
//! picture holds no text at all (only outlines, rectangles and the logo as PNG), so nothing a user
//! typed can act as markup in it.

use std::collections::BTreeMap;
use std::fmt::Write;

use base64::Engine;
use rustybuzz::ttf_parser::{GlyphId, OutlineBuilder};

use crate::fonts::{self, FaceId, Style};
use crate::page::{Color, Mark, Page, PAGE_HEIGHT, PAGE_WIDTH};

/// One page as a standalone SVG document, one pt per unit.
pub fn page_svg(page: &Page) -> String {
    let mut defs = BTreeMap::<(FaceId, u16), String>::new();
    let mut body = String::with_capacity(page.marks.len() * 64);
    for mark in &page.marks {
        match mark {
            Mark::Text {
                x,
                baseline,
                line,
                style,
            } => {
                let _ = write!(body, r#"<g fill="{}">"#, hex(style.color));
                for glyph in &line.glyphs {
                    let Ok(face) = fonts::face(glyph.face) else { continue };
                    let key = (glyph.face, glyph.gid);
                    if defs.entry(key).or_insert_with(|| outline(face, glyph.gid)).is_empty() {
                        continue;
                    }
                    let scale = style.size / face.units_per_em;
                    let _ = write!(
                        body,
                        r##"<use href="#{}" transform="matrix({scale:.5} 0 0 {:.5} {:.2} {:.2})"/>"##,
                        glyph_id(key),
                        -scale,
                        x + glyph.x,
                        baseline - glyph.rise,
                    );
                }
                body.push_str("</g>");
            }
            Mark::Rect {
                x,
                top,
                width,
                height,
                color,
            } => {
                let _ = write!(
                    body,
                    r#"<rect x="{x:.2}" y="{top:.2}" width="{width:.2}" height="{height:.2}" fill="{}"/>"#,
                    hex(*color)
                );
            }
            Mark::Image {
                x,
                top,
                width,
                height,
                picture,
            } => {
                // Encoding pixels in memory does not fail; if it ever did, the preview lacks the logo.
                if let Ok(png) = picture.png() {
                    let _ = write!(
                        body,
                        r#"<image x="{x:.2}" y="{top:.2}" width="{width:.2}" height="{height:.2}" preserveAspectRatio="none" href="data:image/png;base64,{}"/>"#,
                        base64::engine::general_purpose::STANDARD.encode(png)
                    );
                }
            }
        }
    }
    let mut svg = String::with_capacity(body.len() + defs.values().map(String::len).sum::<usize>() + 512);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_WIDTH:.2}" height="{PAGE_HEIGHT:.2}" viewBox="0 0 {PAGE_WIDTH:.3} {PAGE_HEIGHT:.3}"><rect width="100%" height="100%" fill="#ffffff"/><defs>"##
    );
    for (key, path) in defs.iter().filter(|(_, p)| !p.is_empty()) {
        let _ = write!(svg, r#"<path id="{}" d="{path}"/>"#, glyph_id(*key));
    }
    svg.push_str("</defs>");
    svg.push_str(&body);
    svg.push_str("</svg>");
    svg
}

fn glyph_id((face, gid): (FaceId, u16)) -> String {
    let style = if face.style == Style::Bold { 'b' } else { 'r' };
    format!("g{}{style}{gid}", face.family)
}

fn hex(Color(r, g, b): Color) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// A glyph's outline as SVG path data in font units (y up); empty for a glyph without one (space).
fn outline(face: &fonts::Face, gid: u16) -> String {
    let mut path = PathData(String::new());
    face.shaper.outline_glyph(GlyphId(gid), &mut path);
    path.0
}

struct PathData(String);

impl OutlineBuilder for PathData {
    fn move_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "M{x} {y}");
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "L{x} {y}");
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let _ = write!(self.0, "Q{x1} {y1} {x} {y}");
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let _ = write!(self.0, "C{x1} {y1} {x2} {y2} {x} {y}");
    }
    fn close(&mut self) {
        self.0.push('Z');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{TextStyle, INK};
    use crate::shape::{line, Dir};

    #[test]
    fn a_page_becomes_outlines_without_any_text() {
        let mut page = Page::default();
        let style = TextStyle::new(Style::Regular, 10.0, INK);
        page.text(
            50.0,
            100.0,
            line("<script>alert(1)</script> & جمعية", Style::Regular, 10.0, Dir::Ltr),
            style,
        );
        page.rect(50.0, 120.0, 100.0, 1.0, INK);
        let svg = page_svg(&page);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(
            !svg.contains("script") && !svg.contains("alert") && !svg.contains('&'),
            "{svg}"
        );
        assert!(svg.matches("<use ").count() >= 20);
        assert!(svg.contains("<path id=\"g1r"), "Arabic glyphs from Noto Sans Arabic");
        assert!(svg.contains("<rect x=\"50.00\" y=\"120.00\""));
    }
}
