//! Mass changes: a file that would delete, erase or restore a large part of a table is shown
//! prominently in the preview and applied only with an explicit second confirmation.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::sqlite::SqliteConnection;
use sqlx::AssertSqlSafe;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::store::{Outcome, RowPlan, TableSpec};

/// More records than this in one table is a mass change…
pub const MAX_RECORDS: u64 = 10;
/// …and so is more than this share (percent) of a table…
pub const MAX_PERCENT: u64 = 5;
/// …that holds at least this many records.
pub const MIN_TABLE_FOR_PERCENT: u64 = 20;

/// One table in which a file would delete, erase or restore many records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MassChange {
    pub table: String,
    /// `deleted`, `purged` or `restored`.
    pub kind: Outcome,
    pub count: u64,
    /// Records in the table here before the import.
    pub table_size: u64,
}

/// Whether `count` records out of `table_size` is a mass change.
pub fn is_mass(count: u64, table_size: u64) -> bool {
    count > MAX_RECORDS || (table_size >= MIN_TABLE_FOR_PERCENT && count * 100 > MAX_PERCENT * table_size)
}

/// Counts deletions, erasures and restorations per table while a file is planned.
#[derive(Debug, Default)]
pub struct Tally {
    sizes: BTreeMap<&'static str, u64>,
    counts: BTreeMap<(usize, &'static str, Outcome), u64>,
}

impl Tally {
    /// Adds a chunk of planned rows; the table's size is counted here the first time the table
    /// comes up (call before the chunk is written).
    pub async fn add(
        &mut self,
        conn: &mut SqliteConnection,
        spec: &'static TableSpec,
        plans: &[RowPlan],
    ) -> Result<()> {
        if !self.sizes.contains_key(spec.name) {
            let sql = format!("SELECT COUNT(*) FROM {}", spec.name);
            let size: i64 = sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(&mut *conn).await?;
            self.sizes.insert(spec.name, size.max(0) as u64);
        }
        let order = super::TABLES
            .iter()
            .position(|t| t.name == spec.name)
            .unwrap_or(usize::MAX);
        for plan in plans {
            if matches!(plan.outcome, Outcome::Deleted | Outcome::Purged | Outcome::Restored) {
                *self.counts.entry((order, spec.name, plan.outcome)).or_default() += 1;
            }
        }
        Ok(())
    }

    /// The mass changes, in table order.
    pub fn mass_changes(&self) -> Vec<MassChange> {
        self.counts
            .iter()
            .map(|(&(_, table, kind), &count)| MassChange {
                table: table.into(),
                kind,
                count,
                table_size: self.sizes.get(table).copied().unwrap_or(0),
            })
            .filter(|m| is_mass(m.count, m.table_size))
            .collect()
    }
}

/// The refusal of a file with mass changes applied without the second confirmation.
pub fn refusal(changes: &[MassChange]) -> Error {
    refusal_saying(
        changes,
        "übernehmen Sie die Datei nur, wenn diese Einträge wirklich entfernt werden sollen (ausdrücklich bestätigen)",
        "apply the file only if these records are really meant to go (confirm explicitly)",
    )
}

/// The refusal with its own advice on how to confirm (`de`, `en`: what to do).
pub fn refusal_saying(changes: &[MassChange], de: &str, en: &str) -> Error {
    let list = |lang: usize| {
        changes
            .iter()
            .map(|m| {
                let (verb_de, verb_en) = match m.kind {
                    Outcome::Purged => ("endgültig löschen (anonymisieren)", "erase (anonymise)"),
                    Outcome::Restored => ("wiederherstellen", "restore"),
                    _ => ("löschen", "delete"),
                };
                let (de, en) = table_names(&m.table);
                if lang == 0 {
                    format!("{} von {} {} {verb_de}", m.count, m.table_size, de)
                } else {
                    format!("{verb_en} {} of {} {}", m.count, m.table_size, en)
                }
            })
            .collect::<Vec<_>>()
            .join(lang_sep(lang))
    };
    Error::invalid(
        "file",
        "sync_mass_change",
        format!("Diese Datei würde {}. Bitte prüfen Sie die Vorschau; {de}.", list(0)),
        format!("This file would {}. Please check the preview; {en}.", list(1)),
    )
}

fn lang_sep(lang: usize) -> &'static str {
    if lang == 0 {
        " und "
    } else {
        " and "
    }
}

/// A table's records in German and English, for messages.
pub fn table_names(table: &str) -> (&str, &str) {
    match table {
        "associations" => ("Vereinen", "associations"),
        "foundations" => ("Stiftungen", "foundations"),
        "persons" => ("Personen", "persons"),
        "consents" => ("Einwilligungen", "consents"),
        "cooperations" => ("Kooperationen", "cooperations"),
        "activities" => ("Aktivitäten", "activities"),
        "projects" => ("Projekten", "projects"),
        "ideas" => ("Ideen", "ideas"),
        other => (other, other),
    }
}

#[cfg(test)]
mod tests {
    use super::is_mass;

    #[test]
    fn threshold() {
        assert!(!is_mass(10, 10_000));
        assert!(is_mass(11, 10_000));
        assert!(!is_mass(1, 20), "5 % of 20 is 1");
        assert!(is_mass(2, 20));
        assert!(!is_mass(5, 19), "below 20 records only the absolute limit counts");
        assert!(!is_mass(5, 100));
        assert!(is_mass(6, 100));
    }
}
