//! PDFs of records: `report::reports_pdf` prints the reports, `sheet` the association profile
//! sheets, on the engine of the `kozmos-pdf` crate (re-exported here under its module names).

pub mod report;
pub mod sheet;

pub use kozmos_pdf::{document, facts, fonts, image, layout, page, qr, shape, svg};
pub use report::reports_pdf;
