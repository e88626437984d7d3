//! Pairs the user marked "not a duplicate": a local table, so the scan hides them.

use std::collections::HashSet;

use super::Kind;
use crate::error::{Error, Result};
use crate::store::{Life, Store};

/// The pair as stored: the smaller (kind, id) first, so (a, b) and (b, a) are one pair.
pub(super) fn pair_key(ka: Kind, a: &str, kb: Kind, b: &str) -> (Kind, String, Kind, String) {
    if (ka, a) <= (kb, b) {
        (ka, a.into(), kb, b.into())
    } else {
        (kb, b.into(), ka, a.into())
    }
}

pub(super) async fn load(store: &Store) -> Result<HashSet<(Kind, String, Kind, String)>> {
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT kind_a, id_a, kind_b, id_b FROM duplicate_dismissals")
            .fetch_all(store.pool())
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(ka, a, kb, b)| Some((Kind::parse(&ka)?, a, Kind::parse(&kb)?, b)))
        .collect())
}

/// Marks two existing records as "not a duplicate" (doing it twice changes nothing).
pub async fn dismiss(store: &Store, ka: Kind, a: &str, kb: Kind, b: &str) -> Result<()> {
    if ka == kb && a == b {
        return Err(same_record());
    }
    for (kind, id) in [(ka, a), (kb, b)] {
        match store.fetch(kind.table(), id).await? {
            Some(row) if row.life != Life::Purged => {}
            _ => return Err(Error::not_found(kind.table().entity, id)),
        }
    }
    let (ka, a, kb, b) = pair_key(ka, a, kb, b);
    let at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    sqlx::query("INSERT OR IGNORE INTO duplicate_dismissals (kind_a, id_a, kind_b, id_b, at) VALUES (?, ?, ?, ?, ?)")
        .bind(ka.as_str())
        .bind(a)
        .bind(kb.as_str())
        .bind(b)
        .bind(at)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Shows a dismissed pair in the scan again.
pub async fn undismiss(store: &Store, ka: Kind, a: &str, kb: Kind, b: &str) -> Result<()> {
    let (ka, a, kb, b) = pair_key(ka, a, kb, b);
    sqlx::query("DELETE FROM duplicate_dismissals WHERE kind_a = ? AND id_a = ? AND kind_b = ? AND id_b = ?")
        .bind(ka.as_str())
        .bind(a)
        .bind(kb.as_str())
        .bind(b)
        .execute(store.pool())
        .await?;
    Ok(())
}

pub(super) fn same_record() -> Error {
    Error::invalid(
        "other",
        "duplicate_same_record",
        "Ein Datensatz kann nicht mit sich selbst zusammengeführt oder verglichen werden.",
        "A record cannot be merged with or compared to itself.",
    )
}
