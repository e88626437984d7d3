//! How stamps are kept: one row per synced row in `stamps`, its fields' stamps as JSON
//! `{"column": [hlc, site number]}`. Site numbers are local (table `sites`); files and dumps
//! always carry the site ids themselves.

use std::collections::{BTreeMap, HashMap};

use sqlx::sqlite::SqliteConnection;

use super::Stamp;
use crate::error::{Error, Result};

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
pub async fn site_names(conn: &mut SqliteConnection) -> Result<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, site FROM sites")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Reads a row's stamps JSON.
pub fn parse(json: &str, names: &HashMap<i64, String>) -> Result<BTreeMap<String, Stamp>> {
    let raw: BTreeMap<String, (i64, i64)> =
        serde_json::from_str(json).map_err(|e| Error::Database(format!("stamps: {e}")))?;
    raw.into_iter()
        .map(|(col, (hlc, number))| {
            let site = names
                .get(&number)
                .ok_or_else(|| Error::Database(format!("stamps: unknown site number {number}")))?;
            Ok((
                col,
                Stamp {
                    hlc,
                    site: site.clone(),
                },
            ))
        })
        .collect()
}

/// Stamps as the JSON a row keeps (or a patch to it): column → [hlc, site number].
pub fn to_json<'a>(stamps: impl Iterator<Item = (&'a str, i64, i64)>) -> String {
    let map: serde_json::Map<String, serde_json::Value> = stamps
        .map(|(col, hlc, number)| (col.to_string(), serde_json::json!([hlc, number])))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// Adds stamps to rows (or creates their entry): `patches` are (row id, JSON patch) pairs.
pub async fn patch(conn: &mut SqliteConnection, table: &str, patches: &[(&str, String)]) -> Result<()> {
    for chunk in patches.chunks(10_000) {
        let sql = format!(
            "INSERT INTO stamps (tbl, row_id, stamps) VALUES {}
             ON CONFLICT (tbl, row_id) DO UPDATE SET stamps = json_patch(stamps, excluded.stamps)",
            vec!["(?, ?, ?)"; chunk.len()].join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (id, json) in chunk {
            query = query.bind(table).bind(*id).bind(json.as_str());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}
