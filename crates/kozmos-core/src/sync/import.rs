//! Importing a sync file: verified first (see `file::verify`), then previewed without writing,
//! then applied in one transaction after a backup copy. Preview and apply plan every row with the
//! same code, so the preview's counts are the applied counts; a small file's apply writes the
//! preview's plans themselves when nobody committed a change in between.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use sqlx::sqlite::SqliteConnection;
use sqlx::AssertSqlSafe;
use ts_rs::TS;

use super::detail::Detail;
pub use super::detail::{PreviewRecord, ShownChange, ShownConflict};
use super::file::{FieldLine, RowLine, Verified};
use super::mass::{self, MassChange};
use super::profile::Profile;
use super::undo;
use super::vector::{self, Vectors};
use super::withheld;
use crate::duplicates::UnawareEdit;
use crate::error::{Error, Result};
use crate::hlc;
use crate::store::{
    json_list, label, load_local, plan_existing, plan_new, Life, Outcome, RemoteRow, RowPlan, Seen, Stamp, Store,
    TableSpec, Value, LIFE_COLUMN,
};

/// Rows planned and written together.
const CHUNK: usize = 500;
/// A file whose newest stamp lies this far ahead of the local clock gets a warning…
pub const CLOCK_WARN_MS: i64 = 5 * 60 * 1_000;
/// …and from this far ahead it is applied only when the user confirms…
pub const CLOCK_CONFIRM_MS: i64 = 24 * 60 * 60 * 1_000;
/// …and from this far ahead it is refused: its stamps would win over every edit for that long.
pub const CLOCK_REFUSE_MS: i64 = 30 * CLOCK_CONFIRM_MS;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct Counts {
    pub new: u64,
    pub changed: u64,
    pub deleted: u64,
    pub restored: u64,
    pub purged: u64,
    pub unchanged: u64,
    pub conflicts: u64,
    pub duplicates: u64,
    /// Persons the other network no longer shares whose personal data is removed here.
    pub withheld: u64,
}

impl Counts {
    fn add(&mut self, plan: &RowPlan) {
        match plan.outcome {
            Outcome::New => self.new += 1,
            Outcome::Changed => self.changed += 1,
            Outcome::Deleted => self.deleted += 1,
            Outcome::Restored => self.restored += 1,
            Outcome::Purged => self.purged += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
        self.conflicts += plan.conflicts.len() as u64;
    }

    /// Whether applying changes anything a user can see.
    pub fn is_empty(&self) -> bool {
        self.new + self.changed + self.deleted + self.restored + self.purged + self.withheld == 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ClockLevel {
    Ok,
    Warn,
    Confirm,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ClockCheck {
    /// How far the file's newest stamp lies ahead of this computer's clock (negative: behind).
    pub ahead_ms: i64,
    pub level: ClockLevel,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Preview {
    pub export_id: String,
    pub file_sha256: String,
    pub origin_site: String,
    pub origin_network: Option<String>,
    pub state_at: String,
    pub full: bool,
    pub profile: Profile,
    pub left_out: Vec<String>,
    pub encrypted: bool,
    /// When this very file was imported before (then applying changes nothing).
    pub already_imported: Option<String>,
    pub counts: Counts,
    /// The first page (`detail::PAGE_RECORDS`) of the records that change, with their fields
    /// before → after (cut to `detail::VALUE_CHARS`). Conflicts and erasures come first; the
    /// others are fetched a page at a time (`Detail::page`).
    pub records: Vec<PreviewRecord>,
    /// Every record the file would change (or brings a conflict for): the pages' total.
    pub records_total: u64,
    pub clock: ClockCheck,
    /// Tables in which the file would delete, erase or restore many records: applying it needs
    /// `ImportOptions::allow_mass_changes`.
    pub mass_changes: Vec<MassChange>,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The user confirmed importing a file whose clock lies more than 24 hours ahead.
    pub accept_clock_ahead: bool,
    pub file_name: Option<String>,
    /// Where the backup copy goes before anything is written (None: no copy, for tests).
    pub backup_dir: Option<PathBuf>,
    /// The user confirmed a file with mass changes (see `Preview::mass_changes`).
    pub allow_mass_changes: bool,
    /// The largest file (rows) that keeps an undo journal instead of a backup copy first
    /// (`undo::JOURNAL_MAX_ROWS`; 0: always the copy).
    pub journal_max_rows: u64,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            accept_clock_ahead: false,
            file_name: None,
            backup_dir: None,
            allow_mass_changes: false,
            journal_max_rows: undo::JOURNAL_MAX_ROWS,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportResult {
    pub counts: Counts,
    /// True when the same file was imported before: nothing was written.
    pub already_imported: bool,
    pub backup: Option<String>,
    /// The import can be undone (`undo::undo_last`) until the next one, an erasure or a restore.
    pub undoable: bool,
}

/// What importing would do. Reads the database, writes nothing.
pub async fn preview(store: &Store, verified: &Verified) -> Result<Preview> {
    Ok(preview_with_detail(store, verified).await?.0)
}

/// The preview and every record it would list, to be paged through.
pub async fn preview_with_detail(store: &Store, verified: &Verified) -> Result<(Preview, Detail)> {
    let clock = check_here(store, verified)?;
    // Read before anything else: a change committed while the preview reads moves it on.
    let generation = store.generation().await?;
    let mut conn = store.pool().acquire().await?;
    let header = &verified.header;
    let already_imported = super::history::imported_at(&mut conn, &verified.file_sha256).await?;
    let local = vector::local(&mut conn, store.site_id(), store.clock().await?).await?;
    let sender = sender_vectors(verified);
    let mut counts = Counts::default();
    let mut tally = mass::Tally::default();
    let mut detail = Detail::default();
    let mut unaware = Vec::new();
    let mut planned = (already_imported.is_none() && verified.rows <= PLANS_KEPT_MAX_ROWS).then(Vec::new);
    let withheld = withheld::plan(&mut conn, verified, store.site_id()).await?;
    if already_imported.is_none() {
        counts.withheld = withheld::forgets(&mut conn, &withheld).await?;
    }
    let mut before = RowsBefore::default();
    for chunk in Chunks::new(verified, already_imported.is_some()) {
        let (spec, rows) = chunk?;
        let rows = withheld.kept(spec, rows);
        let last = before.last(&mut conn, spec).await?;
        let plans = plan_chunk(&mut conn, spec, rows, last, &local, &sender, &mut unaware).await?;
        if already_imported.is_none() {
            tally.add(&mut conn, spec, &plans).await?;
        }
        let duplicates = duplicates(&mut conn, spec, &plans, last).await?;
        let erased = erased_labels(&mut conn, spec, &plans).await?;
        for plan in &plans {
            counts.add(plan);
            let duplicate_of = duplicates.get(plan.id.as_str()).map(String::as_str);
            counts.duplicates += u64::from(duplicate_of.is_some());
            let erased = erased.get(plan.id.as_str()).map(String::as_str);
            detail.add(spec, plan, erased, duplicate_of);
        }
        if let Some(planned) = &mut planned {
            planned.push((spec, plans));
        }
    }
    if already_imported.is_none() {
        counts.conflicts += crate::duplicates::preview_carried(&mut conn, &unaware).await?.conflicts;
    }
    if let Some(chunks) = planned {
        let planned = Planned {
            file_sha256: verified.file_sha256.clone(),
            chunks,
            unaware,
        };
        store.keep_while_unchanged(PLANNED_KEY, generation, planned).await;
    }
    let preview = Preview {
        export_id: header.export_id.clone(),
        file_sha256: verified.file_sha256.clone(),
        origin_site: header.origin_site.clone(),
        origin_network: header.origin_network.clone(),
        state_at: header.state_at.clone(),
        full: verified.is_full(),
        profile: Profile::parse(&header.profile)?,
        left_out: header.left_out.clone(),
        encrypted: verified.encrypted,
        already_imported,
        counts,
        records: detail.first_page(),
        records_total: detail.len() as u64,
        clock,
        mass_changes: tally.mass_changes(),
    };
    Ok((preview, detail))
}

/// Applies the file in one transaction. A file of at most `journal_max_rows` rows keeps an
/// undo journal (`undo`); a larger one, or one that erases persons (the journal never keeps
/// erased values), gets a backup copy of the state before it when a folder is given. A file
/// imported before changes nothing. Any error leaves the database as it was, and no backup copy.
pub async fn apply(store: &Store, verified: &Verified, options: &ImportOptions) -> Result<ImportResult> {
    let header = &verified.header;
    let profile = Profile::parse(&header.profile)?;
    let clock = check_here(store, verified)?;
    {
        let mut conn = store.pool().acquire().await?;
        if super::history::imported_at(&mut conn, &verified.file_sha256)
            .await?
            .is_some()
        {
            return Ok(ImportResult {
                counts: Counts::default(),
                already_imported: true,
                backup: None,
                undoable: false,
            });
        }
    }
    if clock.level == ClockLevel::Confirm && !options.accept_clock_ahead {
        return Err(clock_ahead_error(clock.ahead_ms));
    }
    let journaled = verified.rows <= options.journal_max_rows;
    let backup = match &options.backup_dir {
        Some(dir) if !journaled => {
            Some(crate::backup::copy(store, dir, crate::backup::Reason::BeforeSyncImport).await?)
        }
        _ => None,
    };
    match write(store, verified, options, profile, journaled).await {
        Ok(written) => Ok(ImportResult {
            undoable: written.journal_kept,
            counts: written.counts,
            already_imported: false,
            backup: backup.or(written.backup).map(|p| p.display().to_string()),
        }),
        Err(e) => {
            // Nothing was written (a refused mass change, say): the copy would only be clutter.
            if let Some(path) = backup {
                let _ = std::fs::remove_file(path);
            }
            Err(e)
        }
    }
}

/// The plans of a previewed file, kept for its apply: while nobody commits a change in between,
/// planning again would read the same rows and give the same plans. Only a small file's are kept
/// (`PLANS_KEPT_MAX_ROWS`); its apply takes them (`Store::take_if_unchanged`) or plans anew.
#[derive(Clone)]
struct Planned {
    file_sha256: String,
    chunks: Vec<(&'static TableSpec, Vec<RowPlan>)>,
    unaware: Vec<UnawareEdit>,
}

const PLANNED_KEY: &str = "previewed_import";
/// The largest file (rows) whose preview keeps its plans: a weekly exchange, not a full file.
const PLANS_KEPT_MAX_ROWS: u64 = 2_000;

/// What `write` did.
struct Written {
    counts: Counts,
    /// The undo journal kept for this import (`undo`).
    journal_kept: bool,
    /// The backup copy made instead of the journal (an import that erases).
    backup: Option<PathBuf>,
}

/// The writing part of `apply`, in one transaction, with its undo journal when `journaled`: what
/// it did, or an error with nothing written.
async fn write(
    store: &Store,
    verified: &Verified,
    options: &ImportOptions,
    profile: Profile,
    journaled: bool,
) -> Result<Written> {
    let mut w = store.writer().await?;
    let journal = match journaled {
        true => Some(undo::Journal::start(&mut w).await?),
        false => None,
    };
    // Finished on every path, errors included: the recording lives on the connection.
    let written = write_rows(store, &mut w, verified, options, profile).await;
    let finished = match journal {
        Some(journal) => Some(journal.finish(&mut w).await),
        None => None,
    };
    let (counts, import_id) = written?;
    let changes = finished.transpose()?;
    let erases = counts.withheld + counts.purged > 0;
    let mut backup = None;
    match changes {
        Some(changes) if !erases => undo::keep(w.conn(), import_id, &changes).await?,
        _ => {
            undo::forget(w.conn()).await?;
            if let (true, Some(dir)) = (journaled && erases, &options.backup_dir) {
                // The last commit is the state before this import (the writer's is not committed yet).
                backup = Some(crate::backup::copy(store, dir, crate::backup::Reason::BeforeSyncImport).await?);
            }
        }
    }
    let committed = w.commit().await;
    if let (Err(_), Some(path)) = (&committed, &backup) {
        let _ = std::fs::remove_file(path);
    }
    committed?;
    if erases {
        // No page of the file keeps forgotten or erased values (as after an erasure here).
        crate::privacy::erase::vacuum(store).await?;
    }
    Ok(Written {
        journal_kept: journaled && !erases,
        counts,
        backup,
    })
}

/// The rows of the file and what follows from them, written by `w` (not committed): the counts and
/// the import's number in the sync history.
async fn write_rows(
    store: &Store,
    w: &mut crate::store::Writer<'_>,
    verified: &Verified,
    options: &ImportOptions,
    profile: Profile,
) -> Result<(Counts, i64)> {
    let header = &verified.header;
    let clock_before = w.clock();
    let local = vector::local(w.conn(), store.site_id(), clock_before).await?;
    let sender = sender_vectors(verified);
    let import_id: i64 = sqlx::query_scalar(
        "INSERT INTO sync_log (at, direction, peer, peer_network, export_id, file_sha256, file_name, profile, full, encrypted)
         VALUES (?, 'import', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(super::history::now_rfc3339())
    .bind(&header.origin_site)
    .bind(&header.origin_network)
    .bind(&header.export_id)
    .bind(&verified.file_sha256)
    .bind(&options.file_name)
    .bind(profile.as_str())
    .bind(verified.is_full())
    .bind(verified.encrypted)
    .fetch_one(w.conn())
    .await?;
    let mut counts = Counts::default();
    let mut tally = mass::Tally::default();
    let mut before = RowsBefore::default();
    let withheld = withheld::plan(w.conn(), verified, store.site_id()).await?;
    // The preview's plans when nothing changed since, else the file's rows planned here.
    let mut unaware = Vec::new();
    let mut previewed = store
        .take_if_unchanged(PLANNED_KEY, |p: &Planned| p.file_sha256 == verified.file_sha256)
        .await?
        .map(|kept| {
            let kept = Arc::try_unwrap(kept).unwrap_or_else(|kept| (*kept).clone());
            unaware = kept.unaware;
            kept.chunks.into_iter()
        });
    let mut read = previewed
        .is_none()
        .then(|| Chunks::new(verified, false))
        .into_iter()
        .flatten();
    loop {
        let (spec, plans) = match previewed.as_mut() {
            Some(previewed) => match previewed.next() {
                Some(chunk) => chunk,
                None => break,
            },
            None => match read.next() {
                Some(chunk) => {
                    let (spec, rows) = chunk?;
                    let rows = withheld.kept(spec, rows);
                    let last = before.last(w.conn(), spec).await?;
                    (
                        spec,
                        plan_chunk(w.conn(), spec, rows, last, &local, &sender, &mut unaware).await?,
                    )
                }
                None => break,
            },
        };
        plans.iter().for_each(|p| counts.add(p));
        tally.add(w.conn(), spec, &plans).await?;
        let last = before.last(w.conn(), spec).await?;
        counts.duplicates += duplicates(w.conn(), spec, &plans, last).await?.len() as u64;
        w.apply_plans(spec, &plans, Some(import_id)).await?;
    }
    // Refused before the commit: dropping the transaction leaves the database as it was.
    let mass_changes = tally.mass_changes();
    if !mass_changes.is_empty() && !options.allow_mass_changes {
        return Err(mass::refusal(&mass_changes));
    }
    // After the rows: an erasure in the same file has blanked the person already.
    counts.withheld = withheld::apply(w, &withheld).await?;
    w.observe(header.newest_hlc);
    // Edits of records merged away (here or in this file) by someone unaware of it: onto the survivor.
    counts.conflicts += crate::duplicates::carry_to_survivors(w, &unaware, import_id)
        .await?
        .conflicts;
    // Records the other side added under a record merged away (here or there) join the survivor.
    crate::duplicates::repoint_merged_children(w).await?;
    let raised = raised_vectors(&local, verified, profile);
    vector::save(w.conn(), store.site_id(), &raised).await?;
    vector::settle_after_import(w.conn(), store.site_id(), header, profile).await?;
    vector::save_peer(
        w.conn(),
        &header.origin_site,
        header.origin_network.as_deref(),
        &sender,
        &super::history::now_rfc3339(),
    )
    .await?;
    let json = serde_json::to_string(&counts).map_err(|e| Error::Database(e.to_string()))?;
    sqlx::query("UPDATE sync_log SET counts = ? WHERE id = ?")
        .bind(json)
        .bind(import_id)
        .execute(w.conn())
        .await?;
    Ok((counts, import_id))
}

/// The sender's vectors as its header reports them (each entry at most the file's newest stamp,
/// which the clock check bounds; see `content::check_header`).
fn sender_vectors(verified: &Verified) -> Vectors {
    Vectors {
        all: verified.header.vector.clone(),
        shared: verified.header.vector_shared.clone(),
    }
}

/// What only this installation can check: that the file is not its own, and that its clock does
/// not lie so far ahead that its stamps would win over every edit for weeks. Returns the clock check.
fn check_here(store: &Store, verified: &Verified) -> Result<ClockCheck> {
    if verified.header.origin_site == store.site_id() {
        return Err(Error::invalid(
            "file",
            "sync_own_file",
            "Diese Sync-Datei stammt von dieser Installation selbst. Bitte wählen Sie die Datei der anderen Installation.",
            "This sync file comes from this installation itself. Please choose the other installation's file.",
        ));
    }
    let clock = clock_check(store, verified.header.newest_hlc);
    if clock.ahead_ms > CLOCK_REFUSE_MS {
        let days = clock.ahead_ms / (24 * 3_600_000);
        return Err(Error::invalid(
            "clock",
            "sync_clock_far_ahead",
            format!(
                "Die Datei trägt Zeitstempel etwa {days} Tage in der Zukunft. So weit kann keine Uhr falsch gehen; die Datei wird nicht übernommen. Bitte prüfen Sie die Uhrzeit des anderen Rechners und lassen Sie neu exportieren."
            ),
            format!(
                "The file carries time stamps about {days} days in the future. No clock is that wrong; the file is not applied. Please check the other computer's time and ask for a new export."
            ),
        ));
    }
    Ok(clock)
}

/// This installation's vectors after the import. A file advances them only where it is complete:
/// a full file, or an incremental one whose base this installation had. `all` only with every
/// person in it; `shared` with any profile.
fn raised_vectors(local: &Vectors, verified: &Verified, profile: Profile) -> Vectors {
    let header = &verified.header;
    let mut raised = local.clone();
    let based = |base: &Option<vector::Vector>, mine: &vector::Vector| {
        base.as_ref().is_none_or(|b| vector::covered_by(b, mine))
    };
    if based(&header.base_shared, &local.shared) {
        vector::raise(&mut raised.shared, &header.vector_shared);
    }
    if profile == Profile::All && based(&header.base, &local.all) {
        vector::raise(&mut raised.all, &header.vector);
    }
    raised
}

/// Each table's last row before the import (its largest rowid; None when it held no row), read
/// when its first chunk comes, before the import writes any of its rows. The rows the import
/// creates come after it.
#[derive(Default)]
struct RowsBefore(HashMap<&'static str, Option<i64>>);

impl RowsBefore {
    async fn last(&mut self, conn: &mut SqliteConnection, spec: &'static TableSpec) -> Result<Option<i64>> {
        if let Some(last) = self.0.get(spec.name) {
            return Ok(*last);
        }
        let sql = format!("SELECT max(rowid) FROM {}", spec.name);
        let last: Option<i64> = sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(conn).await?;
        self.0.insert(spec.name, last);
        Ok(last)
    }
}

/// Plans a chunk of rows of one table against the local rows; `last` is the table's last row
/// before the import (`RowsBefore`).
async fn plan_chunk(
    conn: &mut SqliteConnection,
    spec: &'static TableSpec,
    rows: Vec<RemoteRow>,
    last: Option<i64>,
    local: &Vectors,
    sender: &Vectors,
    unaware: &mut Vec<UnawareEdit>,
) -> Result<Vec<RowPlan>> {
    // A table that held no row has none to merge with: a verified file names each row of a table
    // once (ids strictly increasing), so none of its rows meets one written by the same import.
    let mut stored = match last {
        None => HashMap::new(),
        Some(_) => {
            let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
            load_local(conn, spec, &ids).await?
        }
    };
    let seen = Seen {
        local: local.for_table(spec),
        sender: sender.for_table(spec),
    };
    let mut plans = Vec::with_capacity(rows.len());
    // The rows that exist here, with their plan's place and what the local row was.
    let mut existing = Vec::new();
    for row in rows {
        // A verified file names each row once: its local row is taken over by its plan.
        match stored.remove(&row.id) {
            None => plans.push(plan_new(spec, row)?),
            Some(local) => {
                let (plan, prior) = plan_existing(spec, local, &row, &seen);
                plans.push(plan);
                existing.push((plans.len() - 1, row, prior));
            }
        }
    }
    // Edits of records merged away reach the survivor after the rows (see `duplicates::concurrent`).
    unaware.extend(crate::duplicates::unaware_edits(spec, &existing, &mut plans));
    drop_listed_conflicts(conn, spec, &mut plans).await?;
    Ok(plans)
}

/// A losing write that is already in the conflicts list (as lost, by its stamp) is not a new conflict.
/// The version vectors cannot always tell that this installation has met a write before: a
/// privacy-filtered file does not advance the vector of the persons' tables (it may leave persons
/// out), so importing it again, or a later file of the same state, would report the same loser
/// again on every import while the list (which keeps each loser once) stays the same.
async fn drop_listed_conflicts(conn: &mut SqliteConnection, spec: &TableSpec, plans: &mut [RowPlan]) -> Result<()> {
    let ids: Vec<&str> = plans
        .iter()
        .filter(|p| !p.conflicts.is_empty())
        .map(|p| p.id.as_str())
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    let json = json_list(ids);
    let listed: HashSet<(String, String, i64, String)> = sqlx::query_as(
        "SELECT row_id, col, lost_hlc, lost_site FROM conflicts
         WHERE tbl = ? AND row_id IN (SELECT value FROM json_each(?))",
    )
    .bind(spec.name)
    .bind(json)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    if listed.is_empty() {
        return Ok(());
    }
    for plan in plans.iter_mut() {
        let id = plan.id.clone();
        plan.conflicts.retain(|c| {
            !listed.contains(&(
                id.clone(),
                c.col.to_string(),
                c.lost_stamp.hlc,
                c.lost_stamp.site.to_string(),
            ))
        });
    }
    Ok(())
}

/// The file's rows grouped into chunks of one table each. Unless the file's content is known to
/// be good (checked before, or a file imported before), each chunk is checked for what it says
/// (`file::check_rows`) before it is handed out; a complete pass marks the file checked. The reader
/// (`Reader::start`) unpacks, parses, checks and converts the chunks ahead of the caller, at most
/// `CHUNKS_AHEAD` of them at each step, while the caller plans and writes the current one.
struct Chunks<'v> {
    verified: &'v Verified,
    /// Whether the rows still need the content check (false once a chunk failed).
    check: bool,
    /// The reader; None once the rows ended or a chunk failed.
    reader: Option<Reader>,
}

/// Chunks read ahead of the caller: their memory stays bounded however large the file.
const CHUNKS_AHEAD: usize = 1;

type Chunk = (&'static TableSpec, Vec<RemoteRow>);

struct Reader {
    chunks: std::sync::mpsc::Receiver<Result<Chunk>>,
    thread: std::thread::JoinHandle<()>,
}

impl<'v> Chunks<'v> {
    /// Starts the reader.
    fn new(verified: &'v Verified, known_good: bool) -> Self {
        let check = !known_good && !verified.content_checked();
        Chunks {
            verified,
            check,
            reader: Some(Reader::start(verified, check)),
        }
    }
}

impl Reader {
    /// Two threads in a row: one unpacks and parses the lines of the next chunk while the other
    /// checks and converts those of the chunk before (on every core, `file::check_rows`).
    fn start(verified: &Verified, check: bool) -> Reader {
        let (send, chunks) = std::sync::mpsc::sync_channel(CHUNKS_AHEAD);
        let (send_lines, parsed) = std::sync::mpsc::sync_channel(CHUNKS_AHEAD);
        let header = verified.header.clone();
        let sites: Vec<Arc<str>> = header.sites.iter().map(|s| Arc::from(s.as_str())).collect();
        let mut lines = verified.rows().peekable();
        let thread = std::thread::spawn(move || {
            let parser = std::thread::spawn(move || {
                while lines.peek().is_some() {
                    let chunk = read_chunk(&mut lines);
                    let failed = chunk.is_err();
                    // A closed channel: the checker stopped (an error, or the caller's).
                    if send_lines.send(chunk).is_err() || failed {
                        return;
                    }
                }
            });
            for chunk in parsed.iter() {
                let chunk = chunk.and_then(|(spec, lines)| {
                    if check {
                        super::file::check_rows(&header, spec, &lines)?;
                    }
                    let rows = lines.into_iter().map(|line| remote_row(spec, line, &sites));
                    Ok((spec, rows.collect::<Result<Vec<_>>>()?))
                });
                let failed = chunk.is_err();
                // A closed channel: the caller stopped early (an error of its own).
                if send.send(chunk).is_err() || failed {
                    break;
                }
            }
            // The parser ends once its channel is closed; a panic of its own goes on here.
            drop(parsed);
            if let Err(panic) = parser.join() {
                std::panic::resume_unwind(panic);
            }
        });
        Reader { chunks, thread }
    }
}

/// The next chunk's lines: up to `CHUNK` rows of the table of the first.
fn read_chunk(
    lines: &mut std::iter::Peekable<impl Iterator<Item = Result<RowLine>>>,
) -> Result<(&'static TableSpec, Vec<RowLine>)> {
    let first = lines.next().expect("called with a line ahead")?;
    let spec = super::table(&first.t).ok_or_else(|| Error::Database(format!("unknown table {}", first.t)))?;
    let mut chunk = Vec::with_capacity(CHUNK);
    chunk.push(first);
    while chunk.len() < CHUNK {
        match lines.next_if(|next| next.as_ref().is_ok_and(|next| next.t == spec.name)) {
            Some(next) => chunk.push(next?),
            None => break,
        }
    }
    // A line that failed to read is the next call's error, after this chunk.
    Ok((spec, chunk))
}

impl Iterator for Chunks<'_> {
    type Item = Result<Chunk>;

    fn next(&mut self) -> Option<Self::Item> {
        let reader = self.reader.as_ref()?;
        match reader.chunks.recv() {
            Ok(Ok(chunk)) => Some(Ok(chunk)),
            Ok(Err(e)) => {
                // A chunk failed: nothing after it is handed out, and the file is not marked checked.
                self.reader = None;
                self.check = false;
                Some(Err(e))
            }
            Err(_) => {
                // The reader ended: after the last chunk, or by a panic, which goes on here.
                let reader = self.reader.take()?;
                if let Err(panic) = reader.thread.join() {
                    std::panic::resume_unwind(panic);
                }
                if std::mem::take(&mut self.check) {
                    self.verified.mark_content_checked();
                }
                None
            }
        }
    }
}

/// A file line as a row to merge (the file was verified, so types fit; a misfit is an error).
fn remote_row(spec: &'static TableSpec, line: RowLine, sites: &[Arc<str>]) -> Result<RemoteRow> {
    let bad = |id: &str| {
        Error::invalid(
            "file",
            "sync_bad_value",
            format!("Ein Wert in der Datei passt nicht ({} {id}).", spec.name),
            format!("A value in the file does not fit ({} {id}).", spec.name),
        )
    };
    let mut row = RemoteRow {
        id: line.id,
        life: None,
        fields: Vec::with_capacity(line.f.len()),
    };
    for FieldLine(name, json, hlc, site) in line.f {
        let stamp = Stamp {
            hlc,
            site: sites.get(site as usize).ok_or_else(|| bad(&row.id))?.clone(),
        };
        if name == LIFE_COLUMN {
            let life = json.as_str().ok_or_else(|| bad(&row.id))?;
            row.life = Some((Life::parse(life), stamp));
        } else {
            let column = spec.column(&name).map_err(|_| bad(&row.id))?;
            let value = Value::from_owned_json(column.ty, json).ok_or_else(|| bad(&row.id))?;
            row.fields.push((column.name, value, stamp));
        }
    }
    Ok(row)
}

/// New rows whose folded name matches a living row here up to rowid `last`, the table's last row
/// before the import (`RowsBefore`; a new row's rowid is above it, so an import leaves out the rows
/// it created, and a table that held no row has none to match): id → that row's name. Preview and
/// apply both count these, so that both counts agree.
async fn duplicates(
    conn: &mut SqliteConnection,
    spec: &TableSpec,
    plans: &[RowPlan],
    last: Option<i64>,
) -> Result<HashMap<String, String>> {
    let mut found = HashMap::new();
    let (Some(last), Some(1..=3)) = (last, spec.search_code) else {
        return Ok(found);
    };
    let mut keys: HashMap<String, &str> = HashMap::new();
    for plan in plans.iter().filter(|p| p.is_new && p.life == Life::Alive) {
        if let Some((_, Value::Text(key))) = (spec.derive)(&plan.row)?.into_iter().find(|(c, _)| *c == "sort_key") {
            if !key.is_empty() {
                keys.insert(key, plan.id.as_str());
            }
        }
    }
    if keys.is_empty() {
        return Ok(found);
    }
    let json = json_list(keys.keys());
    let sql = format!(
        "SELECT sort_key, name FROM {} WHERE life = 'alive' AND sort_key IN (SELECT value FROM json_each(?))
         AND rowid <= ?",
        spec.name
    );
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(json)
        .bind(last)
        .fetch_all(&mut *conn)
        .await?;
    for (key, name) in rows {
        if let Some(id) = keys.get(&key) {
            found.insert((*id).to_string(), name.unwrap_or_default());
        }
    }
    Ok(found)
}

/// The names this installation knew erased records by (the file carries them blanked): id → label.
async fn erased_labels(
    conn: &mut SqliteConnection,
    spec: &TableSpec,
    plans: &[RowPlan],
) -> Result<HashMap<String, String>> {
    let ids: Vec<&str> = plans
        .iter()
        .filter(|p| p.outcome == Outcome::Purged)
        .map(|p| p.id.as_str())
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let stored = load_local(conn, spec, &ids).await?;
    Ok(stored
        .into_iter()
        .map(|(id, row)| (id, label(&row.fields)))
        .filter(|(_, name)| !name.is_empty())
        .collect())
}

fn clock_check(store: &Store, newest_hlc: i64) -> ClockCheck {
    let ahead_ms = hlc::millis(newest_hlc) - store.now_ms();
    let level = if ahead_ms > CLOCK_CONFIRM_MS {
        ClockLevel::Confirm
    } else if ahead_ms > CLOCK_WARN_MS {
        ClockLevel::Warn
    } else {
        ClockLevel::Ok
    };
    ClockCheck { ahead_ms, level }
}

fn clock_ahead_error(ahead_ms: i64) -> Error {
    let hours = ahead_ms / 3_600_000;
    Error::invalid(
        "clock",
        "sync_clock_ahead",
        format!(
            "Die Uhr des anderen Rechners geht etwa {hours} Stunden vor. Bitte prüfen Sie die Uhrzeit dort und hier; \
             importieren Sie nur, wenn Sie sicher sind (bestätigen)."
        ),
        format!(
            "The other computer's clock is about {hours} hours ahead. Please check the time there and here; \
             import only when you are sure (confirm)."
        ),
    )
}
