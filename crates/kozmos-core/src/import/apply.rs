//! Applying an import: planned again with the preview's code, a backup copy, then one transaction.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::mapping;
use super::plan::{self, ImportChoice, ImportCounts, TablePreview, Write};
use super::read::Table;
use crate::error::Result;
use crate::store::Store;

#[derive(Debug, Clone, Serialize, TS)]
pub struct TableImportResult {
    pub counts: ImportCounts,
    /// Ids of the records created, in file order.
    pub created: Vec<String>,
    /// The backup copy made before writing (None when nothing was written or no folder given).
    pub backup: Option<String>,
    /// The plan as applied (for the rejected-rows report).
    pub preview: TablePreview,
}

/// Writes every planned row in one `Writer` transaction (all or nothing) after a backup copy into
/// `backup_dir`; then saves the mapping for files of this shape.
pub async fn apply(
    store: &Store,
    backup_dir: Option<&Path>,
    table: &Table,
    choice: &ImportChoice,
) -> Result<TableImportResult> {
    let plan = plan::plan(store, table, choice).await?;
    let backup = match backup_dir {
        Some(dir) if !plan.writes.is_empty() => {
            Some(crate::backup::copy(store, dir, crate::backup::REASON_IMPORT).await?)
        }
        _ => None,
    };
    let mut created = Vec::new();
    if !plan.writes.is_empty() {
        let spec = choice.kind.spec();
        let mut writer = store.writer().await?;
        let mut new_rows = Vec::new();
        for write in plan.writes {
            match write {
                Write::Create(fields) => new_rows.push(fields),
                Write::Update(id, fields) => {
                    writer.update(spec, &id, fields).await?;
                }
            }
        }
        created = writer.insert_many(spec, new_rows).await?;
        writer.commit().await?;
    }
    mapping::save(store.pool(), choice.kind, &table.headers, &choice.mapping).await?;
    Ok(TableImportResult {
        counts: plan.preview.counts,
        created,
        backup: backup.map(|p| p.display().to_string()),
        preview: plan.preview,
    })
}
