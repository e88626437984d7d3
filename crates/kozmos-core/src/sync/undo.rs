//! Undoing the last sync import. An import of at most `JOURNAL_MAX_ROWS` rows records what it
//! changes (SQLite's session extension, `kozmos_os::session`) and keeps that in `undo_journal`, in
//! its own transaction, instead of a copy of the whole database made first. Undo reverts it unless
//! a record it touched was changed since: then nothing is reverted and the record is named.
//!
//! The journal holds the last import only (every import replaces it), and an erasure or a restore
//! empties it (`forget`): it never keeps values that were erased since.

use sqlx::sqlite::SqliteConnection;

use super::history::{self, HistoryEntry};
use crate::error::{Error, Result};
use crate::store::{Store, Writer};
use kozmos_os::session::{self, Recording, RevertError};

/// The largest import (rows in the file) that gets an undo journal; a larger one gets the backup
/// copy before it (the journal would hold as much as the copy, in memory while recording).
pub const JOURNAL_MAX_ROWS: u64 = 10_000;

/// Tables the journal leaves out: the clock never goes back, site numbers stay (rows may name
/// them), the full-text index (its shadow tables) is renewed for the rows reverted, the sync
/// history keeps the import's line (marked as undone), and the journal itself.
fn not_recorded(table: &str) -> bool {
    table.starts_with("search_index")
        || matches!(
            table,
            "site" | "sites" | "sync_log" | "undo_journal" | "_sqlx_migrations"
        )
}

/// A log the undo reverts even when it changed since (a conflict marked as seen): the import's
/// conflicts belong to it and go with it.
const OVERWRITTEN: &[&str] = &["conflicts"];

/// What an import changes, recorded from its first write until `finish`.
pub struct Journal(Recording);

impl Journal {
    /// Starts recording on the writer's connection; call before the import's first write.
    pub async fn start(w: &mut Writer<'_>) -> Result<Journal> {
        let mut handle = w.conn().lock_handle().await?;
        let recording = Recording::start(&mut handle, not_recorded).map_err(journal_error)?;
        Ok(Journal(recording))
    }

    /// Ends the recording: the changes it saw (empty when none).
    pub async fn finish(self, w: &mut Writer<'_>) -> Result<Vec<u8>> {
        let mut handle = w.conn().lock_handle().await?;
        self.0.finish(&mut handle).map_err(journal_error)
    }
}

/// Keeps `changes` as the journal of import `import_id`, in place of any older journal.
pub async fn keep(conn: &mut SqliteConnection, import_id: i64, changes: &[u8]) -> Result<()> {
    forget(conn).await?;
    sqlx::query("INSERT INTO undo_journal (import_id, changes) VALUES (?, ?)")
        .bind(import_id)
        .bind(changes)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Drops the journal: the last import can no longer be undone.
pub async fn forget(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query("DELETE FROM undo_journal").execute(conn).await?;
    Ok(())
}

/// The last import (its entry in the sync history), when it can be undone.
pub async fn last(store: &Store) -> Result<Option<HistoryEntry>> {
    let mut conn = store.pool().acquire().await?;
    undoable(&mut conn).await
}

async fn undoable(conn: &mut SqliteConnection) -> Result<Option<HistoryEntry>> {
    let import: Option<i64> = sqlx::query_scalar("SELECT import_id FROM undo_journal")
        .fetch_optional(&mut *conn)
        .await?;
    match import {
        Some(id) => history::by_id(conn, id).await,
        None => Ok(None),
    }
}

/// Reverts the last import, in one transaction: every row it wrote is as before, its conflicts are
/// gone, its line in the sync history is marked as undone (the same file can be imported again),
/// and the versions this installation reports are those from before it. Returns that line.
/// Refused, with nothing changed, when there is nothing to undo or a record the import touched was
/// changed since.
pub async fn undo_last(store: &Store) -> Result<HistoryEntry> {
    let mut w = store.writer().await?;
    let undone = undoable(w.conn()).await?.ok_or_else(nothing_to_undo)?;
    let changes: Vec<u8> = sqlx::query_scalar("SELECT changes FROM undo_journal WHERE import_id = ?")
        .bind(undone.id)
        .fetch_one(w.conn())
        .await?;
    let touched = session::touched(&changes).map_err(journal_error)?;
    let searchable: Vec<_> = crate::sync::TABLES
        .iter()
        .filter(|spec| spec.search_code.is_some())
        .map(|spec| {
            let ids: Vec<&str> = touched
                .iter()
                .filter(|(table, key)| table == spec.name && key.len() == 1)
                .map(|(_, key)| key[0].as_str())
                .collect();
            (*spec, ids)
        })
        .collect();
    // Keyed by the rows' rowids, which a reverted deletion does not bring back.
    for (spec, ids) in &searchable {
        w.unindex_rows(spec, ids.iter().copied()).await?;
    }
    forget(w.conn()).await?;
    let reverted = {
        let mut handle = w.conn().lock_handle().await?;
        session::revert(&mut handle, &changes, OVERWRITTEN)
    };
    match reverted {
        Ok(()) => {}
        Err(RevertError::Changed((table, key))) => return Err(changed_since(&mut w, &table, &key).await),
        Err(RevertError::Sqlite(message)) => return Err(Error::Database(message)),
    }
    for (spec, ids) in &searchable {
        w.index_rows(spec, ids.iter().copied()).await?;
    }
    let undone_at = history::mark_undone(w.conn(), undone.id).await?;
    w.commit().await?;
    Ok(HistoryEntry {
        undone_at: Some(undone_at),
        ..undone
    })
}

/// The refusal when no import can be undone.
pub fn nothing_to_undo() -> Error {
    Error::invalid(
        "undo",
        "nothing_to_undo",
        "Es gibt keinen Import, der sich rückgängig machen lässt. Rückgängig machen lässt sich nur der letzte Import, solange danach nichts gelöscht oder wiederhergestellt wurde.",
        "There is no import to undo. Only the last import can be undone, as long as nothing was erased or restored since.",
    )
}

/// The refusal when a row the import touched changed since, naming its record where there is one.
async fn changed_since(w: &mut Writer<'_>, table: &str, key: &[String]) -> Error {
    // The stamps of a record are keyed by its table and id.
    let (table, id) = match key {
        [tbl, id] if table == "stamps" => (tbl.as_str(), id.as_str()),
        [id] => (table, id.as_str()),
        _ => (table, ""),
    };
    let name = match crate::sync::table(table) {
        Some(spec) => match w.fetch(spec, id).await {
            Ok(Some(row)) => crate::store::label(&row.fields),
            _ => String::new(),
        },
        None => String::new(),
    };
    let (de, en) = if name.is_empty() {
        (
            "Daten, die der Import geändert hat, wurden seitdem noch einmal geändert".to_string(),
            "Data the import changed was changed again since".to_string(),
        )
    } else {
        (
            format!("„{name}“ wurde nach dem Import noch einmal geändert"),
            format!("“{name}” was changed again after the import"),
        )
    };
    Error::invalid(
        "undo",
        crate::error::UiCode::ChangedSinceImport.as_str(),
        format!("{de}. Der Import lässt sich deshalb nicht mehr rückgängig machen; es wurde nichts geändert."),
        format!("{en}. So the import can no longer be undone; nothing was changed."),
    )
}

fn journal_error(message: String) -> Error {
    Error::Database(format!("undo journal: {message}"))
}
