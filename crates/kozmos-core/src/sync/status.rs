//! Where this installation stands in sync: peers heard from, open conflicts, the shared folder.

use serde::Serialize;
use ts_rs::TS;

use super::history::{self, HistoryEntry};
use super::profile::Profile;
use crate::error::Result;
use crate::store::{rfc3339_from_hlc, Store};

#[derive(Debug, Clone, Serialize, TS)]
pub struct Peer {
    pub site: String,
    pub network: Option<String>,
    /// When its newest file was imported here (RFC 3339).
    pub last_seen: String,
    /// The newest of our own changes it reported having (RFC 3339), if any.
    pub has_ours_until: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SyncStatus {
    pub site: String,
    pub network: Option<String>,
    pub peers: Vec<Peer>,
    pub open_conflicts: u32,
    pub folder: Option<String>,
    pub folder_profile: Profile,
    /// Whether our file in the shared folder is encrypted (the passphrase is not kept here).
    pub folder_encrypted: bool,
    pub recent: Vec<HistoryEntry>,
}

pub async fn status(store: &Store) -> Result<SyncStatus> {
    let installation = crate::site::load(store.pool()).await?;
    let rows: Vec<(String, Option<String>, String, String)> =
        sqlx::query_as("SELECT site, network, vector, last_seen FROM sync_peers ORDER BY last_seen DESC")
            .fetch_all(store.pool())
            .await?;
    let peers = rows
        .into_iter()
        .map(|(site, network, vector, last_seen)| {
            let vectors: super::vector::Vectors = crate::store::stored_json("peer's vector", &vector)?;
            Ok(Peer {
                has_ours_until: vectors.shared.get(store.site_id()).map(|h| rfc3339_from_hlc(*h)),
                site,
                network,
                last_seen,
            })
        })
        .collect::<Result<_>>()?;
    let open_conflicts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM conflicts WHERE seen = 0")
        .fetch_one(store.pool())
        .await?;
    let (folder, profile, folder_encrypted): (Option<String>, String, bool) =
        sqlx::query_as("SELECT sync_folder, sync_folder_profile, sync_folder_encrypted FROM site WHERE id = 1")
            .fetch_one(store.pool())
            .await?;
    Ok(SyncStatus {
        site: installation.site_id,
        network: installation.network,
        peers,
        open_conflicts: open_conflicts as u32,
        folder,
        folder_profile: Profile::parse(&profile).unwrap_or(Profile::Consented),
        folder_encrypted,
        recent: history::list(store, 10).await?,
    })
}
