//! The rejected rows as a CSV file to fix and import again: the original columns and a reason.

use super::plan::{ImportRowStatus, TablePreview};
use crate::error::Lang;

pub fn rejected_csv(preview: &TablePreview, lang: Lang) -> String {
    let mut rows = vec![preview
        .headers
        .iter()
        .cloned()
        .chain([lang.pick("Grund der Ablehnung", "Reason for rejection").to_string()])
        .collect::<Vec<_>>()];
    for row in preview.rows.iter().filter(|r| r.status == ImportRowStatus::Reject) {
        let reasons: Vec<&str> = row
            .errors
            .iter()
            .map(|e| lang.pick(&e.message_de, &e.message_en))
            .collect();
        rows.push(row.cells.iter().cloned().chain([reasons.join(" | ")]).collect());
    }
    crate::csv_text::write(&rows)
}
