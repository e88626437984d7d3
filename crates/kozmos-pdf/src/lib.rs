//! The KOZMOS PDF engine: printable PDFs, A4 portrait, set in embedded Noto fonts (subsets with ToUnicode maps, so text
//! can be searched and copied) in every script the register holds.
//! It takes plain structs (text, styles, pictures), never records; the core's `pdf::sheet` and
//! `pdf::report` turn records into them. The pieces:
//! - `fonts`: the embedded faces (Noto Sans and the families for Arabic, Hebrew, Armenian,
//!   Georgian, Ethiopic), a face per character by coverage,
//! - `shape`: text to shaped lines (bidi, rustybuzz, line breaking, "…"),
//! - `image`: logos decoded within limits and scaled for print,
//! - `qr`: QR codes as vector squares,
//! - `page`: one page as marks (shaped lines, filled rectangles, images) at positions,
//! - `layout`: flowing blocks down pages with page breaks, running header and footer,
//! - `document`: marks to PDF bytes with metadata, document language and bookmarks,
//! - `content`: a page's marks as PDF operators (text as runs of glyph ids),
//! - `embed` and `subset`: the fonts a document uses, as subsets that keep glyph ids,
//! - `svg`: marks to SVG pictures, the in-app preview of exactly the same pages,
//! - `facts`: plain documents of headed sections, facts and tables (the privacy printouts).

mod content;
pub mod document;
mod embed;
pub mod facts;
pub mod fonts;
pub mod image;
pub mod layout;
pub mod page;
pub mod qr;
pub mod shape;
mod subset;
pub mod svg;
