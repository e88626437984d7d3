//! One A4 page as a list of marks (shaped text lines, filled rectangles, images) at absolute
//! positions. Positions are in pt from the page's top left corner; `document` turns marks into PDF
//! operators and `svg` into a picture for the preview, so both show the same page.

use std::sync::Arc;

use crate::fonts::Style;
use crate::image::Picture;
use crate::shape::Line;

/// A4 portrait in pt (210 × 297 mm).
pub const PAGE_WIDTH: f32 = 595.276;
pub const PAGE_HEIGHT: f32 = 841.89;
/// Left and right margin: 18 mm.
pub const MARGIN_X: f32 = 51.0;
/// Header and footer keep 12 mm from the top and bottom edge.
pub const EDGE: f32 = 34.0;
/// Where the body (everything but header and footer) starts and must end.
pub const BODY_TOP: f32 = 66.0;
pub const BODY_BOTTOM: f32 = PAGE_HEIGHT - 62.0;
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;
pub const RIGHT: f32 = PAGE_WIDTH - MARGIN_X;

/// A colour as 8-bit RGB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color(pub u8, pub u8, pub u8);

/// The app's palette (ui/src/app.css).
pub const INK: Color = Color(0x1d, 0x27, 0x33);
pub const MUTED: Color = Color(0x5b, 0x67, 0x75);
pub const LINE: Color = Color(0xd8, 0xde, 0xe6);
pub const BRAND: Color = Color(0x1f, 0x4e, 0x79);
pub const TRACK: Color = Color(0xe7, 0xf0, 0xfa);

/// How a piece of text is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub style: Style,
    /// Font size in pt.
    pub size: f32,
    pub color: Color,
}

impl TextStyle {
    pub const fn new(style: Style, size: f32, color: Color) -> TextStyle {
        TextStyle { style, size, color }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// One shaped line, its left end at `x`, its baseline at `baseline`.
    Text {
        x: f32,
        baseline: f32,
        line: Line,
        style: TextStyle,
    },
    /// A filled rectangle; `top` is its upper edge.
    Rect {
        x: f32,
        top: f32,
        width: f32,
        height: f32,
        color: Color,
    },
    /// A picture scaled into a box; `top` is its upper edge.
    Image {
        x: f32,
        top: f32,
        width: f32,
        height: f32,
        picture: Arc<Picture>,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub marks: Vec<Mark>,
}

impl Page {
    pub fn text(&mut self, x: f32, baseline: f32, line: Line, style: TextStyle) {
        if !line.is_empty() {
            self.marks.push(Mark::Text {
                x,
                baseline,
                line,
                style,
            });
        }
    }

    pub fn image(&mut self, x: f32, top: f32, width: f32, height: f32, picture: Arc<Picture>) {
        if width > 0.0 && height > 0.0 {
            self.marks.push(Mark::Image {
                x,
                top,
                width,
                height,
                picture,
            });
        }
    }

    pub fn rect(&mut self, x: f32, top: f32, width: f32, height: f32, color: Color) {
        if width > 0.0 && height > 0.0 {
            self.marks.push(Mark::Rect {
                x,
                top,
                width,
                height,
                color,
            });
        }
    }
}
