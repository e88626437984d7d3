//! Printable PDFs, A4 portrait, set in embedded Noto fonts (subsets with ToUnicode maps, so text
//! can be searched and copied) in every script the register holds. `report::reports_pdf` prints
//! the reports, `sheet` the association profile sheets; both build on the same pieces:
//! - `fonts`: the embedded faces (Noto Sans and the families for Arabic, Hebrew, Armenian,
//!   Georgian, Ethiopic), a face per character by coverage,
//! - `shape`: text to shaped lines (bidi, rustybuzz, line breaking, "…"),
//! - `image`: logos decoded within limits and scaled for print,
//! - `qr`: QR codes as vector squares,
//! - `page`: one page as marks (shaped lines, filled rectangles, images) at positions,
//! - `layout`: flowing blocks down pages with page breaks, running header and footer,
//! - `document`: marks to PDF bytes with metadata, document language and bookmarks,
//! - `svg`: marks to SVG pictures, the in-app preview of exactly the same pages.

pub mod document;
pub mod facts;
pub mod fonts;
pub mod image;
pub mod layout;
pub mod page;
pub mod qr;
pub mod report;
pub mod shape;
pub mod sheet;
pub mod svg;

pub use report::reports_pdf;
