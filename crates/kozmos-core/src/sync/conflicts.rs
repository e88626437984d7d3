//! The conflicts list: concurrent edits that lost a merge. Each can be restored (a new edit with
//! the losing value, which then wins everywhere) or marked as seen.

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::store::{display, label};
use crate::store::{rfc3339_from_hlc, stored_json, Life, Store, Value, LIFE_COLUMN};

#[derive(Debug, Clone, Serialize, TS)]
pub struct ConflictEntry {
    pub id: i64,
    pub table: String,
    pub row_id: String,
    /// The record's name today.
    pub label: String,
    /// The column, or "_life" for "deleted there, edited here".
    pub field: String,
    pub kept: String,
    pub kept_site: String,
    pub kept_at: String,
    pub lost: String,
    pub lost_site: String,
    pub lost_at: String,
    pub seen: bool,
    pub restored_at: Option<String>,
}

/// Conflicts, newest first; seen ones only when asked for.
pub async fn list(store: &Store, include_seen: bool) -> Result<Vec<ConflictEntry>> {
    let rows = sqlx::query(
        "SELECT id, tbl, row_id, col, kept_value, kept_hlc, kept_site, lost_value, lost_hlc, lost_site, seen, restored_hlc
         FROM conflicts WHERE seen = 0 OR ? ORDER BY id DESC",
    )
    .bind(include_seen)
    .fetch_all(store.pool())
    .await?;
    let mut entries = Vec::with_capacity(rows.len());
    for r in rows {
        let table: String = r.try_get("tbl")?;
        let row_id: String = r.try_get("row_id")?;
        let field: String = r.try_get("col")?;
        let Some(spec) = super::table(&table) else { continue };
        let current = store.fetch(spec, &row_id).await?;
        let text = |json: Option<String>| -> Result<String> {
            let json = stored_value("conflict value", json)?;
            Ok(match spec.column(&field) {
                Ok(c) => Value::from_json(c.ty, &json).map_or_else(String::new, |v| display(spec, &field, &v)),
                Err(_) => json.as_str().unwrap_or_default().to_string(),
            })
        };
        entries.push(ConflictEntry {
            id: r.try_get("id")?,
            label: current.map(|c| label(&c.fields)).unwrap_or_default(),
            kept: text(r.try_get("kept_value")?)?,
            kept_site: r.try_get("kept_site")?,
            kept_at: rfc3339_from_hlc(r.try_get("kept_hlc")?),
            lost: text(r.try_get("lost_value")?)?,
            lost_site: r.try_get("lost_site")?,
            lost_at: rfc3339_from_hlc(r.try_get("lost_hlc")?),
            seen: r.try_get("seen")?,
            restored_at: r.try_get::<Option<i64>, _>("restored_hlc")?.map(rfc3339_from_hlc),
            table,
            row_id,
            field,
        });
    }
    Ok(entries)
}

/// Marks a conflict as seen (it stays in the list of seen ones).
pub async fn mark_seen(store: &Store, id: i64) -> Result<()> {
    let n = sqlx::query("UPDATE conflicts SET seen = 1 WHERE id = ?")
        .bind(id)
        .execute(store.pool())
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Error::not_found("conflict", &id.to_string()));
    }
    Ok(())
}

/// Restores the losing value as a new edit (for "deleted there, edited here": restores the row),
/// and marks the conflict as seen and restored, in one transaction.
pub async fn restore(store: &Store, id: i64) -> Result<()> {
    let mut w = store.writer().await?;
    let row: Option<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT tbl, row_id, col, lost_value FROM conflicts WHERE id = ?")
            .bind(id)
            .fetch_optional(w.conn())
            .await?;
    let (table, row_id, col, lost) = row.ok_or_else(|| Error::not_found("conflict", &id.to_string()))?;
    let spec = super::table(&table).ok_or_else(|| Error::not_found("conflict", &id.to_string()))?;
    let lost = stored_value("lost value", lost)?;
    let stamp = if col == LIFE_COLUMN {
        w.set_life(spec, &row_id, Life::parse(lost.as_str().unwrap_or("alive")))
            .await?
    } else {
        let column = spec.column(&col)?;
        let value = Value::from_json(column.ty, &lost).ok_or_else(|| Error::Database(format!("conflict {id}")))?;
        w.update(spec, &row_id, [(column.name, value)].into_iter().collect())
            .await?
    };
    sqlx::query("UPDATE conflicts SET seen = 1, restored_hlc = ? WHERE id = ?")
        .bind(stamp.unwrap_or(w.clock()))
        .bind(id)
        .execute(w.conn())
        .await?;
    w.commit().await
}

/// A kept or lost value as the conflicts table stores it (JSON text; none is null).
fn stored_value(what: &str, json: Option<String>) -> Result<serde_json::Value> {
    json.map_or(Ok(serde_json::Value::Null), |j| stored_json(what, &j))
}
