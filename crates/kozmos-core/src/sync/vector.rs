//! Version vectors: per site, the newest stamp this installation (or a peer) has integrated.
//! Two scopes: `all` covers every table, `shared` every table but the personal ones, because
//! privacy-filtered files carry all of those but only some persons.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteConnection;

use crate::error::{Error, Result};
use crate::store::TableSpec;

pub type Vector = BTreeMap<String, i64>;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vectors {
    pub all: Vector,
    pub shared: Vector,
}

/// Tables with personal data: privacy profiles filter their rows.
pub fn is_personal(spec: &TableSpec) -> bool {
    spec.name == crate::person::TABLE.name || spec.name == crate::person::CONSENT_TABLE.name
}

impl Vectors {
    /// The vector that covers a table.
    pub fn for_table(&self, spec: &TableSpec) -> &Vector {
        if is_personal(spec) {
            &self.all
        } else {
            &self.shared
        }
    }
}

/// Whether `a` is covered by `b` at every site.
pub fn covered_by(a: &Vector, b: &Vector) -> bool {
    a.iter().all(|(site, h)| b.get(site).is_some_and(|mine| mine >= h))
}

/// Pointwise maximum, into `into`.
pub fn raise(into: &mut Vector, other: &Vector) {
    for (site, h) in other {
        let entry = into.entry(site.clone()).or_insert(*h);
        *entry = (*entry).max(*h);
    }
}

/// This installation's vectors; its own site counts up to its clock (or a restore's cap).
pub async fn local(conn: &mut SqliteConnection, own_site: &str, clock: i64) -> Result<Vectors> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as("SELECT scope, site, hlc FROM sync_vector")
        .fetch_all(&mut *conn)
        .await?;
    let mut vectors = Vectors::default();
    for (scope, site, hlc) in rows {
        let v = if scope == "all" {
            &mut vectors.all
        } else {
            &mut vectors.shared
        };
        v.insert(site, hlc);
    }
    // A stored own entry is set only by a restore: the old state lacks the own writes made after
    // that backup, so peers must send them back; otherwise the clock stands for the own site.
    vectors.all.entry(own_site.into()).or_insert(clock);
    vectors.shared.entry(own_site.into()).or_insert(clock);
    Ok(vectors)
}

/// Saves raised vectors (the own site is not stored: the clock stands for it).
pub async fn save(conn: &mut SqliteConnection, own_site: &str, vectors: &Vectors) -> Result<()> {
    for (scope, vector) in [("all", &vectors.all), ("shared", &vectors.shared)] {
        for (site, hlc) in vector.iter().filter(|(s, _)| s.as_str() != own_site) {
            sqlx::query(
                "INSERT INTO sync_vector (scope, site, hlc) VALUES (?, ?, ?)
                 ON CONFLICT (scope, site) DO UPDATE SET hlc = max(hlc, excluded.hlc)",
            )
            .bind(scope)
            .bind(site)
            .bind(hlc)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// What a peer last reported having (from the newest file it sent), if it ever sent one.
pub async fn peer(conn: &mut SqliteConnection, site: &str) -> Result<Option<Vectors>> {
    let json: Option<String> = sqlx::query_scalar("SELECT vector FROM sync_peers WHERE site = ?")
        .bind(site)
        .fetch_optional(&mut *conn)
        .await?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| Error::Database(format!("peer vector: {e}"))))
        .transpose()
}

/// Remembers what a peer reported having.
pub async fn save_peer(
    conn: &mut SqliteConnection,
    site: &str,
    network: Option<&str>,
    vectors: &Vectors,
    at: &str,
) -> Result<()> {
    let json = serde_json::to_string(vectors).map_err(|e| Error::Database(e.to_string()))?;
    sqlx::query(
        "INSERT INTO sync_peers (site, network, vector, last_seen) VALUES (?, ?, ?, ?)
         ON CONFLICT (site) DO UPDATE SET network = excluded.network, vector = excluded.vector,
            last_seen = excluded.last_seen",
    )
    .bind(site)
    .bind(network)
    .bind(json)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
