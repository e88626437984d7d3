//! Printable PDFs, A4 portrait, set in embedded Noto Sans (subsets with ToUnicode maps, so text can
//! be searched and copied). `report::reports_pdf` prints the reports; the profile sheets will build
//! on the same pieces:
//! - `fonts`: the embedded faces and their metrics,
//! - `text`: wrapping and shortening a line to a width,
//! - `page`: one page as marks (text lines, filled rectangles) at positions, and the page geometry,
//! - `layout`: flowing blocks down pages with page breaks, running header and footer,
//! - `document`: marks to PDF bytes with metadata, document language and bookmarks.
//!
//! Latin text only for now (German and English vocabulary: umlauts, ß, §, –, ·, €), set character by
//! character without kerning. Noto Sans also has Cyrillic glyphs, but names in Arabic need a second
//! face (Noto Sans Arabic), shaping, bidi ordering and glyph runs, and Vietnamese needs its marks
//! placed by a shaper: that would go into `fonts` (faces, fallback per character), `text` (line
//! breaking over shaped runs) and `document` (glyph ids with their text for the ToUnicode map).

pub mod document;
pub mod fonts;
pub mod layout;
pub mod page;
pub mod report;
pub mod text;

pub use report::reports_pdf;
