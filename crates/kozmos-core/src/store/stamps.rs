//! How stamps are kept: one row per synced row in `stamps` (a WITHOUT ROWID table keyed by table
//! and row id), its fields' stamps as JSON `{"column": [hlc, site number]}`. A row whose every field
//! carries a stamp keeps the most common one once, under [`DEFAULT_KEY`], and lists only the fields
//! stamped otherwise: most rows were written once, so this is one stamp instead of thirty.
//! A forgotten stamp (privacy) is kept as [`FORGOTTEN`] so that the default does not cover it.
//! Site numbers are local (table `sites`); files and dumps always carry the site ids themselves.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::sync::Arc;

use sqlx::sqlite::SqliteConnection;

use kozmos_os::rows::Cell;

use super::{Stamp, TableSpec, LIFE_COLUMN};
use crate::error::{Error, Result};

/// The key of the stamp that every field not listed carries.
pub const DEFAULT_KEY: &str = "*";
/// The stored form of a field whose stamp was removed: it has none, whatever the default.
pub const FORGOTTEN: &str = "[0,0]";

/// The local number of a site id, given one on first sight.
pub async fn site_number(conn: &mut SqliteConnection, site: &str) -> Result<i64> {
    sqlx::query("INSERT OR IGNORE INTO sites (site) VALUES (?)")
        .bind(site)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query_scalar("SELECT id FROM sites WHERE site = ?")
        .bind(site)
        .fetch_one(&mut *conn)
        .await?)
}

/// Every known site: number → site id.
pub async fn site_names(conn: &mut SqliteConnection) -> Result<HashMap<i64, Arc<str>>> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, site FROM sites")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|(number, site)| (number, site.into())).collect())
}

/// Reads a row's stamps JSON as column → (hlc, site number), the default spread over the table's
/// stamped columns (`_life` and `spec.columns`) that are not listed, forgotten stamps left out.
pub fn parse_numbers(json: &str, spec: &TableSpec) -> Result<BTreeMap<String, Numbers>> {
    let (mut stamps, default) = listed(json)?;
    if let Some(default) = default {
        for col in stamped_columns(spec) {
            stamps.entry(col.to_string()).or_insert(default);
        }
    }
    stamps.retain(|_, (hlc, _)| *hlc != 0);
    Ok(stamps)
}

/// A stamp as a row's JSON keeps it: (hlc, site number).
type Numbers = (i64, i64);

/// A row's stamps JSON as written: the columns it lists, and the default stamp of the others.
fn listed(json: &str) -> Result<(BTreeMap<String, Numbers>, Option<Numbers>)> {
    let mut listed: BTreeMap<String, Numbers> =
        serde_json::from_str(json).map_err(|e| Error::Database(format!("stamps: {e}")))?;
    let default = listed.remove(DEFAULT_KEY);
    Ok((listed, default))
}

/// The columns a row's stamps cover: its life and every column of its table.
fn stamped_columns(spec: &TableSpec) -> impl Iterator<Item = &'static str> + '_ {
    std::iter::once(LIFE_COLUMN).chain(spec.columns.iter().map(|c| c.name))
}

/// Reads a row's stamps JSON as column → stamp (see `parse_numbers`).
pub fn parse(json: &str, names: &HashMap<i64, Arc<str>>, spec: &TableSpec) -> Result<BTreeMap<String, Stamp>> {
    parse_numbers(json, spec)?
        .into_iter()
        .map(|(col, (hlc, number))| Ok((col, stamp(hlc, number, names)?)))
        .collect()
}

/// A row's stamps as merging reads them: the default stamp and the columns listed apart from it
/// (`None`: forgotten), keyed by the spec's own names. Merging reads hundreds of rows at a time,
/// and most of a row's stamps are its default: spreading it over forty columns (a map entry and a
/// site id each) was most of that reading.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowStamps {
    default: Option<Stamp>,
    listed: Vec<(&'static str, Option<Stamp>)>,
}

impl RowStamps {
    /// The stamp of one of the row's stamped columns (`_life` or a column of its table); None
    /// when it has none (never written, or forgotten).
    pub fn get(&self, col: &str) -> Option<&Stamp> {
        match self.listed.iter().find(|(listed, _)| *listed == col) {
            Some((_, stamp)) => stamp.as_ref(),
            None => self.default.as_ref(),
        }
    }

    /// A column's stamp, or the zero stamp of a field never written (or forgotten).
    pub fn stamp(&self, col: &str) -> Stamp {
        self.get(col).cloned().unwrap_or_else(Stamp::zero)
    }

    /// Every stamped column of `spec` that has a stamp, with it.
    pub fn iter<'a>(&'a self, spec: &'a TableSpec) -> impl Iterator<Item = (&'static str, &'a Stamp)> + 'a {
        stamped_columns(spec).filter_map(|col| Some((col, self.get(col)?)))
    }
}

/// Reads a row's stamps JSON as `parse` does, for the table's stamped columns only (see `RowStamps`).
pub fn parse_columns(json: &str, names: &HashMap<i64, Arc<str>>, spec: &TableSpec) -> Result<RowStamps> {
    let (listed, default) = listed(json)?;
    let known = |(hlc, number): Numbers| match hlc {
        0 => Ok(None),
        _ => stamp(hlc, number, names).map(Some),
    };
    let mut stamps = RowStamps {
        default: default.map(known).transpose()?.flatten(),
        listed: Vec::with_capacity(listed.len()),
    };
    for (col, numbers) in listed {
        // Names the table does not have are left out, as `parse_numbers` spreads only over its columns.
        if let Some(col) = stamped_columns(spec).find(|c| *c == col) {
            stamps.listed.push((col, known(numbers)?));
        }
    }
    Ok(stamps)
}

fn stamp(hlc: i64, number: i64, names: &HashMap<i64, Arc<str>>) -> Result<Stamp> {
    let site = names
        .get(&number)
        .ok_or_else(|| Error::Database(format!("stamps: unknown site number {number}")))?;
    Ok(Stamp {
        hlc,
        site: site.clone(),
    })
}

/// Stamps as the JSON a row keeps (or a patch to it): column → [hlc, site number]. When they cover
/// every stamped column of `spec` (distinct columns), the most common stamp becomes the default.
pub fn to_json<'a>(spec: &TableSpec, stamps: impl Iterator<Item = (&'a str, i64, i64)>) -> String {
    let stamps: Vec<(&str, i64, i64)> = stamps.collect();
    let default = (stamps.len() == spec.columns.len() + 1)
        .then(|| most_common(stamps.iter().map(|&(_, hlc, number)| (hlc, number))))
        .flatten();
    let mut json = String::with_capacity(32 + 8 * stamps.len());
    json.push('{');
    if let Some((hlc, number)) = default {
        let _ = write!(json, "\"{DEFAULT_KEY}\":[{hlc},{number}]");
    }
    for (col, hlc, number) in stamps {
        if default == Some((hlc, number)) {
            continue;
        }
        if json.len() > 1 {
            json.push(',');
        }
        let _ = write!(json, "{}:[{hlc},{number}]", serde_json::Value::from(col));
    }
    json.push('}');
    json
}

fn most_common(stamps: impl Iterator<Item = (i64, i64)>) -> Option<(i64, i64)> {
    let mut counts: Vec<((i64, i64), usize)> = Vec::new();
    for stamp in stamps {
        match counts.iter_mut().find(|(s, _)| *s == stamp) {
            Some((_, n)) => *n += 1,
            None => counts.push((stamp, 1)),
        }
    }
    counts.into_iter().max_by_key(|&(_, n)| n).map(|(s, _)| s)
}

/// Adds stamps to rows (or creates their entry): `patches` are (row id, JSON from `to_json`) pairs.
/// A patch with a default stamps every column, so it replaces what the row had.
pub async fn patch(conn: &mut SqliteConnection, table: &str, patches: &[(&str, String)]) -> Result<()> {
    let sql = format!(
        "INSERT INTO stamps (tbl, row_id, stamps) VALUES (?, ?, ?)
         ON CONFLICT (tbl, row_id) DO UPDATE SET stamps =
             iif(json_type(excluded.stamps, '$.\"{DEFAULT_KEY}\"') IS NULL, json_patch(stamps, excluded.stamps), excluded.stamps)"
    );
    let params: Vec<Cell> = patches
        .iter()
        .flat_map(|(id, json)| [Cell::Text(table), Cell::Text(id), Cell::Text(json)])
        .collect();
    super::raw::execute_each(conn, &sql, 3, &params).await
}

/// Removes the stamps of `columns` from a row: they count as never written.
pub async fn forget(conn: &mut SqliteConnection, table: &str, id: &str, columns: &[&str]) -> Result<()> {
    let paths: Vec<String> = columns
        .iter()
        .map(|c| format!("'$.{c}', json('{FORGOTTEN}')"))
        .collect();
    let sql = format!(
        "UPDATE stamps SET stamps = json_set(stamps, {}) WHERE tbl = ? AND row_id = ?",
        paths.join(", ")
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(table)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_written_at_once_keeps_one_stamp_and_reads_back_every_field() {
        let spec = &kozmos_model::association::TABLE;
        let cols: Vec<&str> = stamped_columns(spec).collect();
        let json = to_json(spec, cols.iter().map(|c| (*c, if *c == "name" { 9 } else { 7 }, 1)));
        assert_eq!(json, r#"{"*":[7,1],"name":[9,1]}"#);
        let back = parse_numbers(&json, spec).unwrap();
        assert_eq!(back.len(), cols.len());
        assert_eq!(back["name"], (9, 1));
        assert_eq!(back[LIFE_COLUMN], (7, 1));
    }

    #[test]
    fn a_partial_patch_lists_its_fields_and_forgotten_ones_read_as_unstamped() {
        let spec = &kozmos_model::person::TABLE;
        assert_eq!(to_json(spec, [("name", 5, 2)].into_iter()), r#"{"name":[5,2]}"#);
        let back = parse_numbers(r#"{"*":[3,1],"email":[0,0]}"#, spec).unwrap();
        assert!(!back.contains_key("email"));
        assert_eq!(back[LIFE_COLUMN], (3, 1));
        assert!(parse_numbers("{\"name\": 5}", spec).is_err());
    }

    #[test]
    fn stamps_read_for_merging_are_the_stamps_read_by_name() {
        let spec = &kozmos_model::person::TABLE;
        let names: HashMap<i64, Arc<str>> = [(1, "site-a".into()), (2, "site-b".into())].into();
        for json in [
            r#"{"*":[3,1],"email":[0,0],"name":[9,2]}"#,
            r#"{"name":[5,2]}"#,
            r#"{"*":[4,2]}"#,
            r#"{}"#,
        ] {
            let by_name = parse(json, &names, spec).unwrap();
            let by_column = parse_columns(json, &names, spec).unwrap();
            assert_eq!(by_column.iter(spec).count(), by_name.len(), "{json}");
            for (col, stamp) in &by_name {
                assert_eq!(by_column.get(col.as_str()), Some(stamp), "{json} {col}");
            }
            for (col, stamp) in by_column.iter(spec) {
                assert_eq!(by_name.get(col), Some(stamp), "{json} {col}");
            }
        }
        let stamps = parse_columns(r#"{"*":[3,1],"name":[9,2]}"#, &names, spec).unwrap();
        assert_eq!(&*stamps.get("name").unwrap().site, "site-b");
        assert!(
            parse_columns(r#"{"*":[3,7]}"#, &names, spec).is_err(),
            "an unknown site number"
        );
        assert!(parse_columns("[1]", &names, spec).is_err());
    }
}
