//! Version vectors: per site, the newest stamp this installation (or a peer) has integrated.
//! Two scopes: `all` covers every table, `shared` every table but the personal ones, because
//! privacy-filtered files carry all of those but only some persons.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteConnection;

use super::file::Header;
use super::profile::Profile;
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
    // A stored own entry is set only by a restore (`cap_own_after_restore`); otherwise the clock
    // stands for the own site.
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
    save_peer_report(conn, site, network, &json, at).await
}

/// Remembers a peer's report as stored (a restore keeps the newest ones).
pub(crate) async fn save_peer_report(
    conn: &mut SqliteConnection,
    site: &str,
    network: Option<&str>,
    json: &str,
    at: &str,
) -> Result<()> {
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

/// After a restore, on the restored database: the old state lacks the own writes made since the
/// backup, but the peers that had them can send them back. So the own site is reported only up
/// to the backup's clock (`cap`) until each peer known now has sent a complete file
/// (`settle_after_import`). Without peers nothing can come back, and nothing is capped.
pub async fn cap_own_after_restore(
    conn: &mut SqliteConnection,
    own_site: &str,
    cap: i64,
    peers: &[String],
) -> Result<()> {
    if peers.is_empty() {
        return Ok(());
    }
    for scope in SCOPES {
        sqlx::query(
            "INSERT INTO sync_vector (scope, site, hlc) VALUES (?, ?, ?)
             ON CONFLICT (scope, site) DO UPDATE SET hlc = min(hlc, excluded.hlc)",
        )
        .bind(scope)
        .bind(own_site)
        .bind(cap)
        .execute(&mut *conn)
        .await?;
        for peer in peers {
            sqlx::query("INSERT OR IGNORE INTO restore_pending (site, scope) VALUES (?, ?)")
                .bind(peer)
                .bind(scope)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// After a file from `peer` is applied (same transaction): the file carried every own write the
/// peer had beyond the cap when it is full or based at or below the cap, for each scope it covers
/// (`all` only with every person in it). That peer is then settled there; when no peer is left
/// in a scope, the cap goes and the clock stands for the own site again.
pub async fn settle_after_import(
    conn: &mut SqliteConnection,
    own_site: &str,
    header: &Header,
    profile: Profile,
) -> Result<()> {
    let capped: Vec<(String, i64)> = sqlx::query_as("SELECT scope, hlc FROM sync_vector WHERE site = ?")
        .bind(own_site)
        .fetch_all(&mut *conn)
        .await?;
    for (scope, cap) in capped {
        let (base, covered) = if scope == "all" {
            (&header.base, profile == Profile::All)
        } else {
            (&header.base_shared, true)
        };
        let complete = covered && base.as_ref().is_none_or(|b| b.get(own_site).is_none_or(|h| *h <= cap));
        if complete {
            sqlx::query("DELETE FROM restore_pending WHERE site = ? AND scope = ?")
                .bind(&header.origin_site)
                .bind(&scope)
                .execute(&mut *conn)
                .await?;
        }
        let waiting: i64 = sqlx::query_scalar("SELECT count(*) FROM restore_pending WHERE scope = ?")
            .bind(&scope)
            .fetch_one(&mut *conn)
            .await?;
        if waiting == 0 {
            sqlx::query("DELETE FROM sync_vector WHERE scope = ? AND site = ?")
                .bind(&scope)
                .bind(own_site)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

const SCOPES: [&str; 2] = ["all", "shared"];
