//! The sync history: every export and import, with peer, counts and file hash.

use std::path::Path;

use serde::Serialize;
use sqlx::sqlite::{SqliteConnection, SqliteRow};
use sqlx::{AssertSqlSafe, Row};
use ts_rs::TS;

use super::export::ExportSummary;
use crate::error::Result;
use crate::store::Store;

#[derive(Debug, Clone, Serialize, TS)]
pub struct HistoryEntry {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    /// "export" or "import".
    pub direction: String,
    pub peer: Option<String>,
    pub peer_network: Option<String>,
    pub export_id: String,
    pub file_sha256: String,
    pub file_name: Option<String>,
    pub profile: String,
    pub full: bool,
    pub encrypted: bool,
    /// Counts by kind: rows/fields for exports; new/changed/deleted/… for imports.
    #[ts(type = "Record<string, number>")]
    pub counts: serde_json::Value,
    /// When the import was undone (RFC 3339, UTC), if it was.
    pub undone_at: Option<String>,
}

pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

pub async fn record_export(store: &Store, summary: &ExportSummary, path: &Path) -> Result<()> {
    let counts = serde_json::json!({"rows": summary.rows, "fields": summary.fields, "bytes": summary.bytes});
    sqlx::query(
        "INSERT INTO sync_log (at, direction, peer, export_id, file_sha256, file_name, profile, full, encrypted, counts)
         VALUES (?, 'export', ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(now_rfc3339())
    .bind(&summary.peer)
    .bind(&summary.export_id)
    .bind(&summary.sha256)
    .bind(path.file_name().map(|n| n.to_string_lossy().to_string()))
    .bind(summary.profile.as_str())
    .bind(summary.full)
    .bind(summary.encrypted)
    .bind(counts.to_string())
    .execute(store.pool())
    .await?;
    Ok(())
}

/// The export id and file hash last written under this file name, and whether it was encrypted.
pub async fn last_export_named(store: &Store, file_name: &str) -> Result<Option<(String, String, bool)>> {
    Ok(sqlx::query_as(
        "SELECT export_id, file_sha256, encrypted FROM sync_log
         WHERE direction = 'export' AND file_name = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(file_name)
    .fetch_optional(store.pool())
    .await?)
}

/// Marks import `id` as undone, now: its line stays in the history, its file no longer counts as
/// imported (`imported_at`). Returns the time written.
pub async fn mark_undone(conn: &mut SqliteConnection, id: i64) -> Result<String> {
    let at = now_rfc3339();
    sqlx::query("UPDATE sync_log SET undone_at = ? WHERE id = ?")
        .bind(&at)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(at)
}

/// When a file with this hash was imported before (and not undone), if it was.
pub async fn imported_at(conn: &mut SqliteConnection, sha256: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar(
            "SELECT at FROM sync_log WHERE file_sha256 = ? AND direction = 'import' AND undone_at IS NULL ORDER BY id LIMIT 1",
        )
        .bind(sha256)
        .fetch_optional(&mut *conn)
        .await?,
    )
}

/// The columns `entry` reads.
const COLUMNS: &str =
    "id, at, direction, peer, peer_network, export_id, file_sha256, file_name, profile, full, encrypted, counts, undone_at";

/// The newest entries first.
pub async fn list(store: &Store, limit: i64) -> Result<Vec<HistoryEntry>> {
    let sql = format!("SELECT {COLUMNS} FROM sync_log ORDER BY id DESC LIMIT ?");
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(limit)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(entry).collect()
}

/// The entry with this id, if there is one.
pub async fn by_id(conn: &mut SqliteConnection, id: i64) -> Result<Option<HistoryEntry>> {
    let sql = format!("SELECT {COLUMNS} FROM sync_log WHERE id = ?");
    let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await?;
    row.as_ref().map(entry).transpose()
}

fn entry(r: &SqliteRow) -> Result<HistoryEntry> {
    Ok(HistoryEntry {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        direction: r.try_get("direction")?,
        peer: r.try_get("peer")?,
        peer_network: r.try_get("peer_network")?,
        export_id: r.try_get("export_id")?,
        file_sha256: r.try_get("file_sha256")?,
        file_name: r.try_get("file_name")?,
        profile: r.try_get("profile")?,
        full: r.try_get("full")?,
        encrypted: r.try_get("encrypted")?,
        counts: crate::store::stored_json("counts", &r.try_get::<String, _>("counts")?)?,
        undone_at: r.try_get("undone_at")?,
    })
}
