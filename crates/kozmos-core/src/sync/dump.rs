//! The canonical dump of the synced data: every row (id, life, fields) and every stamp, in a fixed
//! order. Two databases hold the same data exactly when their dumps are equal; tests compare
//! hashes of it before and after an import.

use sqlx::{AssertSqlSafe, Row};

use super::TABLES;
use crate::error::Result;
use crate::store::Store;

/// The dump as text, one line per row and per stamp.
pub async fn canonical(store: &Store) -> Result<String> {
    let mut out = String::new();
    let mut conn = store.pool().acquire().await?;
    for spec in TABLES {
        let names: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
        let sql = format!("SELECT id, life, {} FROM {} ORDER BY id", names.join(", "), spec.name);
        for row in sqlx::query(AssertSqlSafe(sql)).fetch_all(&mut *conn).await? {
            let id: String = row.try_get("id")?;
            let life: String = row.try_get("life")?;
            let fields: Vec<serde_json::Value> = crate::store::read_row(spec, &row)?
                .values()
                .map(|v| v.to_json())
                .collect();
            out.push_str(&format!(
                "{} {id} {life} {}\n",
                spec.name,
                serde_json::Value::from(fields)
            ));
        }
        let names = crate::store::stamps::site_names(&mut conn).await?;
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT row_id, stamps FROM stamps WHERE tbl = ? ORDER BY row_id")
                .bind(spec.name)
                .fetch_all(&mut *conn)
                .await?;
        for (id, json) in rows {
            for (col, stamp) in crate::store::stamps::parse(&json, &names, spec)? {
                out.push_str(&format!(
                    "stamp {} {id} {col} {} {}\n",
                    spec.name, stamp.hlc, stamp.site
                ));
            }
        }
    }
    Ok(out)
}

/// SHA-256 of the canonical dump, hex.
pub async fn hash(store: &Store) -> Result<String> {
    Ok(super::file::sha256_hex(canonical(store).await?.as_bytes()))
}
