//! Importing spreadsheets (CSV, XLSX, ODS) into associations, foundations and persons.
//!
//! `read` turns the file into a header and text rows; `mapping` proposes a field per column (and
//! saves the user's choice per file shape); `plan` validates and classifies every row (preview and
//! apply share it); `apply` writes the planned rows in one transaction after a backup copy;
//! `report` writes the rejected rows as CSV to fix and import again.
//!
//! Persons name their organisation in a column mapped to "organisation" (the association's or
//! foundation's name, matched folded; refused when several have that name) or "organisation_id".
//! A row with an "id" naming a stored record updates it; empty cells keep stored values.

mod apply;
mod guard;
mod kind;
mod mapping;
mod plan;
mod read;
mod report;
mod values;

pub use apply::{apply, TableImportResult};
pub use kind::{terms, ImportKind, TermTriple, ID, ORGANISATION, ORGANISATION_ID};
pub use mapping::{apply_spec, by_names, Mapping};
pub use plan::{ImportCellError, ImportChoice, ImportCounts, ImportRowStatus, OnMatch, TablePreview, TablePreviewRow};
pub use read::{read_bytes, read_file, Table, CELL_MAX_CHARS, COLUMNS_MAX, FILE_MAX_BYTES, ROWS_MAX};
pub use report::rejected_csv;

use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::store::Store;

/// A column target as the mapping step offers it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportTarget {
    pub name: String,
    pub de: String,
    pub en: String,
}

/// A file opened for import: its columns with sample values and the proposed mapping.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportFile {
    pub kind: ImportKind,
    pub headers: Vec<String>,
    /// Up to three non-empty values per column.
    pub samples: Vec<Vec<String>>,
    pub rows: u32,
    pub mapping: Mapping,
    /// Whether the mapping is the one saved for files of this shape.
    pub mapping_saved: bool,
    pub targets: Vec<ImportTarget>,
}

/// What the mapping step shows for a read file.
pub async fn describe(store: &Store, kind: ImportKind, table: &Table) -> Result<ImportFile> {
    let (mapping, mapping_saved) = mapping::propose(store.pool(), kind, &table.headers).await?;
    let samples = (0..table.headers.len())
        .map(|col| {
            table
                .rows
                .iter()
                .map(|r| r[col].trim())
                .filter(|c| !c.is_empty())
                .take(3)
                .map(|c| c.chars().take(80).collect())
                .collect()
        })
        .collect();
    Ok(ImportFile {
        kind,
        headers: table.headers.clone(),
        samples,
        rows: table.rows.len() as u32,
        mapping,
        mapping_saved,
        targets: kind
            .targets()
            .into_iter()
            .map(|name| {
                let (de, en) = kind.target_label(name);
                ImportTarget {
                    name: name.into(),
                    de: de.into(),
                    en: en.into(),
                }
            })
            .collect(),
    })
}

/// What importing would do, row by row; writes nothing.
/// Refuses to apply a file that is no longer the one previewed (saved again in Excel meanwhile):
/// the user would import rows they have not seen.
pub fn check_same_file(table: &Table, previewed_sha256: &str) -> Result<()> {
    if table.sha256 == previewed_sha256 {
        return Ok(());
    }
    Err(crate::error::Error::invalid(
        "file",
        "import_file_changed",
        "Die Datei hat sich seit der Vorschau geändert; es wurde nichts übernommen. Bitte sehen Sie sich die Vorschau erneut an.",
        "The file has changed since the preview; nothing was applied. Please look at the preview again.",
    ))
}

pub async fn preview(store: &Store, table: &Table, choice: &ImportChoice) -> Result<TablePreview> {
    Ok(plan::plan(store, table, choice).await?.preview)
}
