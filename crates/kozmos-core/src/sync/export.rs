//! Writing a sync file: every synced row (or, for a peer, every field it has not reported
//! having), filtered by the privacy profile, without demo data, in a deterministic order.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::sqlite::SqliteConnection;
use sqlx::{AssertSqlSafe, Row};
use ts_rs::TS;

use super::file::{self, FieldLine, Header, Notice, Passphrase, RowLine, SyncWriter};
use super::profile::{self, Profile};
use super::vector::{self, is_personal, Vector, Vectors};
use super::withheld;
use super::TABLES;
use crate::error::{Error, Result};
use crate::store::{rfc3339_from_hlc, Store, TableSpec, Value, LIFE_COLUMN};

pub struct ExportOptions {
    /// Incremental for this peer (its site id): only what it has not reported having.
    pub peer: Option<String>,
    pub profile: Profile,
    pub passphrase: Option<Passphrase>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportSummary {
    pub export_id: String,
    pub full: bool,
    pub peer: Option<String>,
    pub profile: Profile,
    pub rows: u64,
    pub fields: u64,
    pub bytes: u64,
    pub sha256: String,
    pub encrypted: bool,
    pub left_out: Vec<String>,
}

/// Builds the file in memory (compressed, maybe encrypted). Nothing is written or logged.
pub async fn build(store: &Store, options: &ExportOptions) -> Result<(Vec<u8>, ExportSummary)> {
    let mut conn = store.pool().acquire().await?;
    let installation = crate::site::load(store.pool()).await?;
    let clock = store.clock().await?;
    let own = vector::local(&mut conn, store.site_id(), clock).await?;
    let base = match &options.peer {
        None => None,
        Some(peer) => Some(vector::peer(&mut conn, peer).await?.ok_or_else(|| unknown_peer(peer))?),
    };
    // Every site known here, in site-id order; a field's site is its index in this list.
    let sites: Vec<(i64, String)> = sqlx::query_as("SELECT id, site FROM sites ORDER BY site")
        .fetch_all(&mut *conn)
        .await?;
    let site_index: SiteIndex = sites
        .iter()
        .enumerate()
        .map(|(i, (n, site))| (*n, (i as u32, site.clone())))
        .collect();
    let sites: Vec<String> = sites.into_iter().map(|(_, s)| s).collect();
    let header = Header {
        magic: file::MAGIC.into(),
        format: file::FORMAT_VERSION,
        schema: file::SCHEMA_VERSION,
        app_version: env!("CARGO_PKG_VERSION").into(),
        export_id: export_id(store.site_id(), &own, base.as_ref(), options.profile),
        origin_site: store.site_id().into(),
        origin_network: installation.network.clone(),
        state_at: rfc3339_from_hlc(clock),
        newest_hlc: clock,
        vector: own.all.clone(),
        vector_shared: own.shared.clone(),
        base: base.as_ref().map(|b| b.all.clone()),
        base_shared: base.as_ref().map(|b| b.shared.clone()),
        profile: options.profile.as_str().into(),
        left_out: options.profile.left_out(),
        sites,
    };
    let decisions = withheld::decisions(&mut conn).await?;
    let carried = profile::persons_carried(&mut conn, options.profile, &decisions).await?;
    let skipped = demo_and_dependants(&mut conn).await?;
    let skipped_persons = skipped.get(crate::person::TABLE.name);
    let notices = withheld::to_send(&mut conn, options.profile, &decisions, skipped_persons).await?;
    let mut writer = SyncWriter::new(&header)?;
    let (mut rows, mut fields) = (0u64, 0u64);
    for spec in TABLES {
        let personal = is_personal(spec);
        let incremental = match &base {
            // Persons newly allowed by a filtered profile may be old: filtered files carry them all.
            Some(_) if personal && options.profile != Profile::All => None,
            Some(b) => Some(b.for_table(spec)),
            None => None,
        };
        let skip = skipped.get(spec.name);
        let keep = |line: &RowLine| !skip.is_some_and(|s| s.contains(&line.id)) && carries(spec, line, &carried);
        let (r, f) = write_table(&mut conn, spec, incremental, &site_index, keep, &mut writer).await?;
        rows += r;
        fields += f;
    }
    for (person, stamp) in &notices {
        let site = header
            .sites
            .binary_search_by(|site| site.as_str().cmp(&stamp.site))
            .map_err(|_| Error::Database(format!("withheld person {person}: unknown site {}", stamp.site)))?;
        writer.notice(&Notice(person.clone(), stamp.hlc, site as u32))?;
    }
    let bytes = writer.finish(None)?;
    let summary = ExportSummary {
        export_id: header.export_id,
        full: base.is_none(),
        peer: options.peer.clone(),
        profile: options.profile,
        rows,
        fields,
        bytes: bytes.len() as u64,
        sha256: file::sha256_hex(&bytes),
        encrypted: false,
        left_out: header.left_out,
    };
    match &options.passphrase {
        Some(passphrase) => encrypted(&bytes, summary, passphrase),
        None => Ok((bytes, summary)),
    }
}

/// A built file encrypted with `passphrase` (age, scrypt), with its summary to match.
pub fn encrypted(plain: &[u8], summary: ExportSummary, passphrase: &Passphrase) -> Result<(Vec<u8>, ExportSummary)> {
    let bytes = file::encrypt(plain, passphrase)?;
    let summary = ExportSummary {
        bytes: bytes.len() as u64,
        sha256: file::sha256_hex(&bytes),
        encrypted: true,
        ..summary
    };
    Ok((bytes, summary))
}

/// Builds the file and writes it whole (or not at all) to `path`, then records it in the history.
pub async fn to_file(store: &Store, options: &ExportOptions, path: &std::path::Path) -> Result<ExportSummary> {
    let (bytes, summary) = build(store, options).await?;
    crate::files::write_atomically(path, &bytes)?;
    super::history::record_export(store, &summary, path).await?;
    Ok(summary)
}

/// Whether the profile lets this row leave (see `profile::Carried`).
fn carries(spec: &TableSpec, line: &RowLine, carried: &profile::Carried) -> bool {
    if spec.name == crate::person::TABLE.name {
        return carried.carries(&line.id);
    }
    if spec.name == crate::person::CONSENT_TABLE.name {
        let person = line.f.iter().find(|f| f.0 == "person_id").and_then(|f| f.1.as_str());
        return person.is_some_and(|p| carried.carries(p));
    }
    true
}

/// Local site number → (index in the file's site list, site id).
type SiteIndex = HashMap<i64, (u32, String)>;

/// Rows are read in pages of this many, in id order, so memory stays flat.
const PAGE: i64 = 2_000;

/// Writes the rows of a table as file lines, in id order; with a base vector only rows with a
/// stamp the base does not cover, and of those the peer has only such fields (`row_line`).
/// Returns (rows, fields) written.
async fn write_table(
    conn: &mut SqliteConnection,
    spec: &TableSpec,
    base: Option<&Vector>,
    site_index: &SiteIndex,
    keep: impl Fn(&RowLine) -> bool,
    writer: &mut SyncWriter,
) -> Result<(u64, u64)> {
    let lowest = base.map_or(-1, |b| lowest_uncovered(b, site_index));
    let names: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
    let sql = format!(
        "SELECT t.id, t.life, {cols}, (SELECT s.stamps FROM stamps s WHERE s.tbl = '{table}' AND s.row_id = t.id) AS stamps
         FROM {table} t WHERE t.changed_hlc > ? AND t.id > ? ORDER BY t.id LIMIT {PAGE}",
        cols = names.iter().map(|c| format!("t.{c}")).collect::<Vec<_>>().join(", "),
        table = spec.name
    );
    let (mut rows_written, mut fields_written) = (0, 0);
    let mut after = String::new();
    loop {
        let rows = sqlx::query(AssertSqlSafe(sql.clone()))
            .bind(lowest)
            .bind(&after)
            .fetch_all(&mut *conn)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("id")?;
        for row in &rows {
            let line = row_line(spec, row, base, site_index)?;
            if let Some(line) = line.filter(&keep) {
                rows_written += 1;
                fields_written += line.f.len() as u64;
                writer.row(&line)?;
            }
        }
    }
    Ok((rows_written, fields_written))
}

/// One stored row as a file line (None when the base covers every stamp of it; only the fields
/// it does not cover when the peer has the row).
fn row_line(
    spec: &TableSpec,
    row: &sqlx::sqlite::SqliteRow,
    base: Option<&Vector>,
    site_index: &SiteIndex,
) -> Result<Option<RowLine>> {
    let id: String = row.try_get("id")?;
    let life: String = row.try_get("life")?;
    let values = crate::store::read_row(spec, row)?;
    let stamps = match row.try_get::<Option<String>, _>("stamps")? {
        Some(json) => crate::store::stamps::parse_numbers(&json, spec)
            .map_err(|e| Error::Database(format!("stamps of {id}: {e}")))?,
        None => Default::default(),
    };
    let covered = |(hlc, number): &(i64, i64)| {
        base.is_some_and(|base| {
            site_index
                .get(number)
                .and_then(|(_, site)| base.get(site))
                .is_some_and(|b| b >= hlc)
        })
    };
    if base.is_some() && stamps.values().all(covered) {
        return Ok(None);
    }
    // A row the peer has (its life is covered) needs only the fields it lacks. A row new to the
    // peer goes whole, and so does a person: the peer may have forgotten a withheld person's data
    // (`withheld`), which its vector does not show.
    let only_uncovered = !is_personal(spec) && stamps.get(LIFE_COLUMN).is_some_and(covered);
    let mut f = Vec::with_capacity(stamps.len());
    for (col, stamp) in stamps {
        if only_uncovered && covered(&stamp) {
            continue;
        }
        let (hlc, number) = stamp;
        let (index, _) = site_index
            .get(&number)
            .ok_or_else(|| Error::Database(format!("stamps of {id}: unknown site number {number}")))?;
        let value = if col == LIFE_COLUMN {
            serde_json::Value::String(life.clone())
        } else {
            values.get(col.as_str()).unwrap_or(&Value::Null).to_json()
        };
        f.push(FieldLine(col.into(), value, hlc, *index));
    }
    f.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Some(RowLine {
        t: spec.name.into(),
        id,
        f,
    }))
}

/// The lowest stamp a base vector may not cover: rows whose newest stamp is at most this are
/// covered entirely and need not be read.
fn lowest_uncovered(base: &Vector, site_index: &SiteIndex) -> i64 {
    let mut lowest = i64::MAX;
    for (_, site) in site_index.values() {
        match base.get(site) {
            Some(h) => lowest = lowest.min(*h),
            None => return -1,
        }
    }
    if lowest == i64::MAX {
        -1
    } else {
        lowest
    }
}

/// Demo rows, and rows that hang on them, per table: they never leave this installation.
async fn demo_and_dependants(conn: &mut SqliteConnection) -> Result<HashMap<&'static str, HashSet<String>>> {
    let mut skipped: HashMap<&'static str, HashSet<String>> = HashMap::new();
    for spec in TABLES {
        let mut ids: HashSet<String> = sqlx::query_scalar("SELECT row_id FROM demo_rows WHERE tbl = ?")
            .bind(spec.name)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
        for (column, parent) in spec.parents {
            let Some(parents) = skipped.get(parent).filter(|p| !p.is_empty()) else {
                continue;
            };
            let sql = format!("SELECT id, {column} FROM {} WHERE {column} IS NOT NULL", spec.name);
            let rows: Vec<(String, String)> = sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut *conn).await?;
            ids.extend(rows.into_iter().filter(|(_, p)| parents.contains(p)).map(|(id, _)| id));
        }
        skipped.insert(spec.name, ids);
    }
    Ok(skipped)
}

/// The same state, origin, base and profile always give the same id.
fn export_id(site: &str, own: &Vectors, base: Option<&Vectors>, profile: Profile) -> String {
    let text = serde_json::json!([site, own, base, profile.as_str()]).to_string();
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

fn unknown_peer(peer: &str) -> Error {
    Error::invalid(
        "peer",
        "sync_peer_unknown",
        format!("Von der Installation {peer} kam noch keine Datei. Für sie geht nur eine vollständige Datei."),
        format!("No file has come from installation {peer} yet. Only a full file is possible for it."),
    )
}
