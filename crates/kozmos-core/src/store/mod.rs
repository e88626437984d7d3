//! The one layer that writes synced tables. Every write ticks the hybrid logical clock in the
//! same transaction and stamps each changed field with (hlc, site). No other code writes these
//! tables; everything else reads them.

mod cache;
mod merge;
mod raw;
pub mod stamps;

pub use merge::{
    load_local, plan_existing, plan_new, Conflict, FieldChange, LocalRow, Outcome, Prior, RemoteRow, RowPlan, Seen,
};

pub use kozmos_model::record::{
    display, from_fields, label, read_row, read_row_at, revalidate, stored_json, to_fields, ColType, Column, Fields,
    Life, TableSpec, Value, DERIVED_COLUMNS, LIFE_COLUMN,
};

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use sqlx::sqlite::SqliteConnection;
use sqlx::{AssertSqlSafe, Row, SqlitePool};

use kozmos_os::rows::Cell;

use crate::error::{Error, Result};
use crate::hlc::{self, SystemClock, WallClock};
use crate::upkeep::SearchMerges;

/// Who wrote a field, and when (in hybrid-logical-clock time). The site id is shared: a row's
/// forty stamps name one or two sites, and stamps are copied as rows are merged.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp {
    pub hlc: i64,
    pub site: std::sync::Arc<str>,
}

/// One synced row as stored: its life, the stamp of its last write, its fields.
#[derive(Debug, Clone)]
pub struct StoredRow {
    pub life: Life,
    pub changed_hlc: i64,
    pub fields: Fields,
}

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    site_id: Arc<str>,
    clock: Arc<dyn WallClock>,
    /// The local number of `site_id` in stamps, looked up by the first writer.
    site_number: Arc<std::sync::OnceLock<i64>>,
    cache: Arc<cache::ReadCache>,
    /// The full-text index's merges, asked for after commits that wrote entries.
    search_merges: Arc<SearchMerges>,
}

impl Store {
    pub fn new(pool: SqlitePool, site_id: &str) -> Store {
        Store::with_clock(pool, site_id, Arc::new(SystemClock))
    }

    pub fn with_clock(pool: SqlitePool, site_id: &str, clock: Arc<dyn WallClock>) -> Store {
        Store {
            pool,
            site_id: site_id.into(),
            clock,
            site_number: Arc::default(),
            cache: Arc::default(),
            search_merges: Arc::default(),
        }
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A value read by `load` and kept under `key` while it is `current` and nobody committed a
    /// change to the database.
    pub(crate) async fn cached<T, F>(&self, key: &'static str, current: impl Fn(&T) -> bool, load: F) -> Result<Arc<T>>
    where
        T: std::any::Any + Send + Sync,
        F: std::future::Future<Output = Result<T>>,
    {
        self.cache.get(&self.pool, key, current, load).await
    }

    /// A number that stays the same while nobody commits a change to the database (any
    /// connection, any process): read it before reading a value to `keep_while_unchanged`.
    pub(crate) async fn generation(&self) -> Result<u64> {
        self.cache.generation(&self.pool).await
    }

    /// Keeps `value`, read in `generation`, under `key` for one `take_if_unchanged`.
    pub(crate) async fn keep_while_unchanged<T: std::any::Any + Send + Sync>(
        &self,
        key: &'static str,
        generation: u64,
        value: T,
    ) {
        self.cache.keep(key, generation, value).await
    }

    /// The value kept under `key` (removed), when nobody committed a change since it was read and
    /// it is `current`. Inside a `Writer` nobody else can commit, so the answer holds until it commits.
    pub(crate) async fn take_if_unchanged<T: std::any::Any + Send + Sync>(
        &self,
        key: &'static str,
        current: impl Fn(&T) -> bool,
    ) -> Result<Option<Arc<T>>> {
        self.cache.take(&self.pool, key, current).await
    }

    /// Closes every connection to the database file.
    pub async fn close(&self) {
        self.cache.close().await;
        self.pool.close().await;
    }

    pub fn site_id(&self) -> &str {
        &self.site_id
    }

    /// Starts a write transaction: any number of writes, all or none, one clock read and save.
    pub async fn writer(&self) -> Result<Writer<'_>> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if kozmos_os::session::has_abandoned() {
            // An import's undo recording dropped unfinished on this connection stops here.
            kozmos_os::session::clean_up(&mut tx.lock_handle().await?);
        }
        let clock: i64 = sqlx::query_scalar("SELECT clock FROM site WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let site_number = match self.site_number.get() {
            Some(n) => *n,
            None => {
                let known: Option<i64> = sqlx::query_scalar("SELECT id FROM sites WHERE site = ?")
                    .bind(&*self.site_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                match known {
                    // Only a committed number may be remembered: this transaction may roll back.
                    Some(n) => *self.site_number.get_or_init(|| n),
                    None => stamps::site_number(&mut tx, &self.site_id).await?,
                }
            }
        };
        Ok(Writer {
            store: self,
            tx,
            clock,
            start_clock: clock,
            site_number,
            site_numbers: HashMap::new(),
            search_written: false,
        })
    }

    /// Creates a row with a new UUIDv7 key in its own transaction (see `Writer::insert`).
    pub async fn insert(&self, spec: &TableSpec, fields: Fields) -> Result<String> {
        let mut w = self.writer().await?;
        let id = w.insert(spec, fields).await?;
        w.commit().await?;
        Ok(id)
    }

    /// Updates a row in its own transaction (see `Writer::update`).
    pub async fn update(&self, spec: &TableSpec, id: &str, fields: Fields) -> Result<Option<i64>> {
        let mut w = self.writer().await?;
        let stamp = w.update(spec, id, fields).await?;
        w.commit().await?;
        Ok(stamp)
    }

    /// Sets a row's life in its own transaction (see `Writer::set_life`).
    pub async fn set_life(&self, spec: &TableSpec, id: &str, life: Life) -> Result<Option<i64>> {
        let mut w = self.writer().await?;
        let stamp = w.set_life(spec, id, life).await?;
        w.commit().await?;
        Ok(stamp)
    }

    /// Rebuilds the full-text index from the rows' search keys. Its entries are keyed by the rows'
    /// rowids, which VACUUM may renumber: whatever rewrites the database file calls this after.
    pub async fn rebuild_search_index(&self, specs: &[&'static TableSpec]) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("INSERT INTO search_index (search_index) VALUES ('delete-all')")
            .execute(&mut *tx)
            .await?;
        for spec in specs {
            if let Some(code) = spec.search_code {
                let sql = format!(
                    "INSERT INTO search_index (rowid, key) SELECT (rowid << 3) | {code}, search_key FROM {} WHERE life = 'alive'",
                    spec.name
                );
                sqlx::query(AssertSqlSafe(sql)).execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        self.search_merges.ask(&self.pool);
        Ok(())
    }

    /// Removes every demo row (children first), its stamps and its search entries, in one
    /// transaction. Refused, with nothing removed, while real records refer to demo records.
    /// `tables` lists the synced tables, children before parents; returns the rows removed per table.
    pub async fn remove_demo(&self, tables: &[&'static TableSpec]) -> Result<Vec<(String, u64)>> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        for spec in tables {
            for (column, parent) in spec.parents {
                let sql = format!(
                    "SELECT COUNT(*) FROM {t} WHERE id NOT IN (SELECT row_id FROM demo_rows WHERE tbl = '{t}')
                       AND {column} IN (SELECT row_id FROM demo_rows WHERE tbl = '{parent}')",
                    t = spec.name
                );
                let n: i64 = sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(&mut *tx).await?;
                if n > 0 {
                    return Err(Error::invalid(
                        "demo",
                        "real_records_use_demo",
                        format!(
                            "{n} echte Einträge ({}) hängen an Demodaten. Bitte erst diese löschen oder umhängen.",
                            spec.name
                        ),
                        format!(
                            "{n} real records ({}) belong to demo records. Please delete or move them first.",
                            spec.name
                        ),
                    ));
                }
            }
        }
        let mut removed = Vec::new();
        for spec in tables {
            let demo = format!("SELECT row_id FROM demo_rows WHERE tbl = '{}'", spec.name);
            if let Some(code) = spec.search_code {
                let sql = format!("DELETE FROM search_index WHERE rowid IN (SELECT (rowid << 3) | {code} FROM {} WHERE id IN ({demo}))", spec.name);
                sqlx::query(AssertSqlSafe(sql)).execute(&mut *tx).await?;
            }
            let sql = format!("DELETE FROM stamps WHERE tbl = '{}' AND row_id IN ({demo})", spec.name);
            sqlx::query(AssertSqlSafe(sql)).execute(&mut *tx).await?;
            let sql = format!("DELETE FROM {} WHERE id IN ({demo})", spec.name);
            let n = sqlx::query(AssertSqlSafe(sql)).execute(&mut *tx).await?.rows_affected();
            let sql = format!("DELETE FROM demo_rows WHERE tbl = '{}'", spec.name);
            sqlx::query(AssertSqlSafe(sql)).execute(&mut *tx).await?;
            removed.push((spec.name.to_string(), n));
        }
        tx.commit().await?;
        self.search_merges.ask(&self.pool);
        Ok(removed)
    }

    /// The stamps of one row, by column (`_life` included).
    pub async fn stamps(&self, spec: &TableSpec, id: &str) -> Result<BTreeMap<String, Stamp>> {
        let mut conn = self.pool.acquire().await?;
        let json: Option<String> = sqlx::query_scalar("SELECT stamps FROM stamps WHERE tbl = ? AND row_id = ?")
            .bind(spec.name)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        let names = stamps::site_names(&mut conn).await?;
        json.map_or(Ok(BTreeMap::new()), |j| stamps::parse(&j, &names, spec))
    }

    /// The wall clock this store reads (a reopened database keeps it).
    pub fn wall_clock(&self) -> Arc<dyn WallClock> {
        self.clock.clone()
    }

    /// The wall clock in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Today's date (UTC) by this store's wall clock: the bound for dates that cannot lie in the
    /// future, the day follow-ups fall due against. Tests move it with their clock.
    pub fn today(&self) -> time::Date {
        hlc::utc_date(self.now_ms()).unwrap_or(time::Date::MAX)
    }

    /// The last clock value handed out (persisted).
    pub async fn clock(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT clock FROM site WHERE id = 1")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Reads one row as stored.
    pub async fn fetch(&self, spec: &TableSpec, id: &str) -> Result<Option<StoredRow>> {
        let mut conn = self.pool.acquire().await?;
        fetch(&mut conn, spec, id).await
    }

    /// Reads the living rows whose `column` holds `value` (one record's children) in one statement,
    /// in `order` (SQL), each with its id. `column` and `order` come from code, never from input.
    pub async fn fetch_living(
        &self,
        spec: &TableSpec,
        column: &str,
        value: &str,
        order: &str,
    ) -> Result<Vec<(String, StoredRow)>> {
        let mut conn = self.pool.acquire().await?;
        let filter = format!("{column} = ? AND life = 'alive' ORDER BY {order}");
        select_rows(&mut conn, spec, &filter, value).await
    }
}

/// One write transaction. Every write ticks the clock (kept in memory, saved at commit) and
/// stamps what it changed. Dropping a writer without `commit` rolls everything back.
pub struct Writer<'s> {
    store: &'s Store,
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    clock: i64,
    start_clock: i64,
    /// This installation's local site number (in stamps).
    site_number: i64,
    /// Other sites' numbers looked up in this transaction (`site_number_of`).
    site_numbers: HashMap<Arc<str>, i64>,
    /// Whether this transaction wrote full-text entries: its commit asks for merges (`upkeep`).
    search_written: bool,
}

impl Writer<'_> {
    /// Today's date by the store's wall clock (`Store::today`).
    pub fn today(&self) -> time::Date {
        self.store.today()
    }

    /// The local number of a site id (`stamps::site_number`), looked up once per transaction (a
    /// number given in it goes with it when it rolls back).
    pub(crate) async fn site_number_of(&mut self, site: &Arc<str>) -> Result<i64> {
        if let Some(number) = self.site_numbers.get(site) {
            return Ok(*number);
        }
        let number = stamps::site_number(&mut self.tx, site).await?;
        self.site_numbers.insert(site.clone(), number);
        Ok(number)
    }

    fn tick(&mut self) -> i64 {
        self.clock = hlc::next(self.clock, self.store.clock.now_ms());
        self.clock
    }

    /// Saves the clock and commits every write.
    pub async fn commit(mut self) -> Result<()> {
        if self.clock != self.start_clock {
            sqlx::query("UPDATE site SET clock = ? WHERE id = 1")
                .bind(self.clock)
                .execute(&mut *self.tx)
                .await?;
        }
        self.tx.commit().await?;
        if self.search_written {
            self.store.search_merges.ask(&self.store.pool);
        }
        Ok(())
    }

    /// Creates a row with a new UUIDv7 key; every column of the table is stamped.
    pub async fn insert(&mut self, spec: &TableSpec, fields: Fields) -> Result<String> {
        let mut ids = self.insert_many(spec, vec![fields]).await?;
        Ok(ids.remove(0))
    }

    /// Creates rows with new UUIDv7 keys, each with its own stamp and every column stamped, as
    /// many per statement as SQLite takes parameters. Returns the ids in the rows' order.
    pub async fn insert_many(&mut self, spec: &TableSpec, rows: Vec<Fields>) -> Result<Vec<String>> {
        let mut planned = Vec::with_capacity(rows.len());
        for fields in rows {
            let mut row = spec.empty_row();
            for (col, value) in fields {
                spec.column(col)?;
                row.insert(col, value);
            }
            planned.push((uuid::Uuid::now_v7().to_string(), self.tick(), row));
        }
        let new: Vec<NewRow> = planned
            .iter()
            .map(|(id, stamp, row)| NewRow {
                id,
                life: Life::Alive,
                hlc: *stamp,
                row,
            })
            .collect();
        self.insert_rows(spec, &new).await?;
        let patches: Vec<(&str, String)> = planned
            .iter()
            .map(|(id, stamp, row)| {
                let stamped = row.keys().copied().chain([LIFE_COLUMN]);
                (
                    id.as_str(),
                    stamps::to_json(spec, stamped.map(|c| (c, *stamp, self.site_number))),
                )
            })
            .collect();
        stamps::patch(&mut self.tx, spec.name, &patches).await?;
        let ids: Vec<String> = planned.into_iter().map(|(id, _, _)| id).collect();
        self.index_rows(spec, ids.iter().map(String::as_str)).await?;
        Ok(ids)
    }

    /// Inserts rows as they are (no stamps, no index): one prepared statement run for each row,
    /// its values bound where they lie (`raw::execute_each`; sqlx would copy each of them).
    async fn insert_rows(&mut self, spec: &TableSpec, rows: &[NewRow<'_>]) -> Result<()> {
        let Some(first) = rows.first() else { return Ok(()) };
        let mut columns = vec!["id", "life", "changed_hlc"];
        columns.extend(first.row.keys().copied());
        columns.extend((spec.derive)(first.row)?.iter().map(|(c, _)| *c));
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            spec.name,
            columns.join(", "),
            vec!["?"; columns.len()].join(", ")
        );
        let derived: Vec<Vec<(&str, Value)>> = rows.iter().map(|r| (spec.derive)(r.row)).collect::<Result<_>>()?;
        let mut params = Vec::with_capacity(rows.len() * columns.len());
        for (new, derived) in rows.iter().zip(&derived) {
            if 3 + new.row.len() + derived.len() != columns.len() {
                return Err(Error::Database(format!("{}: new rows of different columns", spec.name)));
            }
            params.extend([Cell::Text(new.id), Cell::Text(new.life.as_str()), Cell::Int(new.hlc)]);
            params.extend(new.row.values().chain(derived.iter().map(|(_, v)| v)).map(raw::cell));
        }
        raw::execute_each(&mut self.tx, &sql, columns.len(), &params).await
    }

    /// Removes these rows' entries from the full-text index (one statement; FTS5 looks each rowid
    /// of the list up).
    pub(crate) async fn unindex_rows<'a>(
        &mut self,
        spec: &TableSpec,
        ids: impl Iterator<Item = &'a str>,
    ) -> Result<()> {
        let Some(code) = spec.search_code else { return Ok(()) };
        self.search_written = true;
        let ids = json_list(ids);
        let sql = format!(
            "DELETE FROM search_index WHERE rowid IN
                (SELECT (t.rowid << 3) | {code} FROM json_each(?) j CROSS JOIN {} t ON t.id = j.value)",
            spec.name
        );
        sqlx::query(AssertSqlSafe(sql)).bind(ids).execute(&mut *self.tx).await?;
        Ok(())
    }

    /// Adds the living ones of these rows to the full-text index (rows not in it yet).
    pub(crate) async fn index_rows<'a>(&mut self, spec: &TableSpec, ids: impl Iterator<Item = &'a str>) -> Result<()> {
        let Some(code) = spec.search_code else { return Ok(()) };
        self.search_written = true;
        let ids = json_list(ids);
        // json_each first (CROSS JOIN keeps that order): one key lookup per id, not a table scan.
        let sql = format!(
            "INSERT INTO search_index (rowid, key) SELECT (t.rowid << 3) | {code}, t.search_key
             FROM json_each(?) j CROSS JOIN {} t ON t.id = j.value WHERE t.life = 'alive'",
            spec.name
        );
        sqlx::query(AssertSqlSafe(sql)).bind(ids).execute(&mut *self.tx).await?;
        Ok(())
    }

    /// Writes the fields whose value differs from the stored one; only those get new stamps.
    /// Returns the stamp of the write, or None when nothing changed. Deleted rows cannot be edited.
    pub async fn update(&mut self, spec: &TableSpec, id: &str, fields: Fields) -> Result<Option<i64>> {
        let stored = fetch(&mut self.tx, spec, id)
            .await?
            .ok_or_else(|| not_found(spec, id))?;
        let mut row = stored.fields;
        if stored.life != Life::Alive {
            return Err(not_found(spec, id));
        }
        let mut changed = Vec::new();
        for (col, value) in fields {
            spec.column(col)?;
            if row.get(col) != Some(&value) {
                row.insert(col, value);
                changed.push(col);
            }
        }
        if changed.is_empty() {
            return Ok(None);
        }
        Ok(Some(self.write_changes(spec, id, &row, &changed, None).await?))
    }

    /// Points a child row at another parent (`column` must be one of `spec.parents`), whatever
    /// its life: merging two records moves deleted and erased children too, so none is orphaned.
    pub async fn move_child(&mut self, spec: &TableSpec, id: &str, column: &str, parent: &str) -> Result<Option<i64>> {
        let (column, _) = spec
            .parents
            .iter()
            .copied()
            .find(|(c, _)| *c == column)
            .ok_or_else(|| Error::Database(format!("{} has no parent column {column}", spec.name)))?;
        let stored = fetch(&mut self.tx, spec, id)
            .await?
            .ok_or_else(|| not_found(spec, id))?;
        let value = Value::Text(parent.into());
        if stored.fields.get(column) == Some(&value) {
            return Ok(None);
        }
        let mut row = stored.fields;
        row.insert(column, value);
        Ok(Some(self.write_changes(spec, id, &row, &[column], None).await?))
    }

    /// Sets a row's life register (delete as tombstone, restore). Purged rows stay purged.
    pub async fn set_life(&mut self, spec: &TableSpec, id: &str, life: Life) -> Result<Option<i64>> {
        let stored = fetch(&mut self.tx, spec, id)
            .await?
            .ok_or_else(|| not_found(spec, id))?;
        if stored.life == life || stored.life == Life::Purged {
            return Ok(None);
        }
        Ok(Some(
            self.write_changes(spec, id, &stored.fields, &[], Some(life)).await?,
        ))
    }

    /// Forgets the lost values kept for these columns of a row (they may hold personal data an
    /// erasure removes); conflicts on the row's other columns stay.
    pub async fn drop_conflicts(&mut self, spec: &TableSpec, id: &str, cols: &[&str]) -> Result<()> {
        drop_conflicts(&mut self.tx, spec.name, id, cols).await
    }

    /// Erases a row for privacy: blanks the given fields and sets its life to purged, which
    /// wins over every other write. Purging twice changes nothing.
    pub async fn purge(&mut self, spec: &TableSpec, id: &str, blank: &[&'static str]) -> Result<Option<i64>> {
        let stored = fetch(&mut self.tx, spec, id)
            .await?
            .ok_or_else(|| not_found(spec, id))?;
        if !spec.erasable {
            return Err(Error::Database(format!("{} rows cannot be erased", spec.name)));
        }
        if stored.life == Life::Purged {
            return Ok(None);
        }
        let lost: Vec<&str> = blank.iter().copied().chain(erased_columns(spec)).collect();
        self.drop_conflicts(spec, id, &lost).await?;
        let mut row = stored.fields;
        for col in blank {
            row.insert(col, spec.column(col)?.blank());
        }
        Ok(Some(
            self.write_changes(spec, id, &row, blank, Some(Life::Purged)).await?,
        ))
    }

    /// Forgets a row's personal data here only (the other network no longer shares the person):
    /// blanks `spec.personal` and removes their stamps, so that a later value wins whatever its
    /// stamp; drops the row's conflicts on those columns; hard-deletes the rows of `child` (table,
    /// parent column) that hang on it, with their stamps and conflicts; keeps the index in step.
    /// No tick, no stamp, no life: nothing of it travels. Erased or unknown rows are left alone;
    /// returns whether the row was known and not erased.
    pub async fn forget_personal(&mut self, spec: &TableSpec, id: &str, child: (&TableSpec, &str)) -> Result<bool> {
        let Some(stored) = fetch(&mut self.tx, spec, id).await? else {
            return Ok(false);
        };
        if stored.life == Life::Purged {
            return Ok(false);
        }
        let mut row = stored.fields;
        for col in spec.personal {
            row.insert(col, spec.column(col)?.blank());
        }
        let derived = (spec.derive)(&row)?;
        let columns: Vec<&str> = spec
            .personal
            .iter()
            .copied()
            .chain(derived.iter().map(|(c, _)| *c))
            .collect();
        let sql = format!(
            "UPDATE {} SET {} WHERE id = ?",
            spec.name,
            columns
                .iter()
                .map(|c| format!("{c} = ?"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for value in spec
            .personal
            .iter()
            .map(|c| &row[c])
            .chain(derived.iter().map(|(_, v)| v))
        {
            query = query.bind(value);
        }
        query.bind(id).execute(&mut *self.tx).await?;
        stamps::forget(&mut self.tx, spec.name, id, spec.personal).await?;
        self.drop_conflicts(spec, id, spec.personal).await?;
        let (child, column) = child;
        let children = format!("SELECT id FROM {} WHERE {column} = ?", child.name);
        for table in ["stamps", "conflicts"] {
            let sql = format!("DELETE FROM {table} WHERE tbl = ? AND row_id IN ({children})");
            sqlx::query(AssertSqlSafe(sql))
                .bind(child.name)
                .bind(id)
                .execute(&mut *self.tx)
                .await?;
        }
        let sql = format!("DELETE FROM {} WHERE {column} = ?", child.name);
        sqlx::query(AssertSqlSafe(sql)).bind(id).execute(&mut *self.tx).await?;
        self.reindex(spec, id).await?;
        Ok(true)
    }

    /// Writes the `changed` columns of `row`, its derived columns and optionally a new life in one
    /// UPDATE; stamps what changed with a new tick and keeps the search index in step.
    async fn write_changes(
        &mut self,
        spec: &TableSpec,
        id: &str,
        row: &Fields,
        changed: &[&'static str],
        life: Option<Life>,
    ) -> Result<i64> {
        let stamp = self.tick();
        let derived = (spec.derive)(row)?;
        let mut assignments: Vec<String> = changed
            .iter()
            .copied()
            .chain(derived.iter().map(|(c, _)| *c))
            .map(|c| format!("{c} = ?"))
            .collect();
        if life.is_some() {
            assignments.push("life = ?".into());
        }
        let sql = format!(
            "UPDATE {} SET changed_hlc = ?, {} WHERE id = ?",
            spec.name,
            assignments.join(", ")
        );
        let mut query = sqlx::query(AssertSqlSafe(sql)).bind(stamp);
        for value in changed.iter().map(|c| &row[c]).chain(derived.iter().map(|(_, v)| v)) {
            query = query.bind(value);
        }
        if let Some(life) = life {
            query = query.bind(life.as_str());
        }
        query.bind(id).execute(&mut *self.tx).await?;
        let stamped: Vec<&str> = changed.iter().copied().chain(life.map(|_| LIFE_COLUMN)).collect();
        self.write_stamps(spec, id, &stamped, stamp).await?;
        self.reindex(spec, id).await?;
        Ok(stamp)
    }

    /// Marks a row as demo data (local): `Store::remove_demo` removes exactly these rows.
    pub async fn mark_demo(&mut self, spec: &TableSpec, id: &str) -> Result<()> {
        sqlx::query("INSERT OR IGNORE INTO demo_rows (tbl, row_id) VALUES (?, ?)")
            .bind(spec.name)
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Reads one row as stored, inside this transaction.
    pub async fn fetch(&mut self, spec: &TableSpec, id: &str) -> Result<Option<StoredRow>> {
        fetch(&mut self.tx, spec, id).await
    }

    /// Keeps the full-text index in step with a row: its search key while alive, nothing otherwise.
    async fn reindex(&mut self, spec: &TableSpec, id: &str) -> Result<()> {
        let Some(code) = spec.search_code else { return Ok(()) };
        self.search_written = true;
        let sql = format!(
            "SELECT (rowid << 3) | ?, life, search_key FROM {} WHERE id = ?",
            spec.name
        );
        let (key_id, life, key): (i64, String, String) = sqlx::query_as(AssertSqlSafe(sql))
            .bind(code)
            .bind(id)
            .fetch_one(&mut *self.tx)
            .await?;
        sqlx::query("DELETE FROM search_index WHERE rowid = ?")
            .bind(key_id)
            .execute(&mut *self.tx)
            .await?;
        if life == "alive" {
            sqlx::query("INSERT INTO search_index (rowid, key) VALUES (?, ?)")
                .bind(key_id)
                .bind(key)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    async fn write_stamps(&mut self, spec: &TableSpec, id: &str, columns: &[&str], stamp: i64) -> Result<()> {
        let json = stamps::to_json(spec, columns.iter().map(|c| (*c, stamp, self.site_number)));
        stamps::patch(&mut self.tx, spec.name, &[(id, json)]).await
    }
}
/// A row to insert as it is: key, life, the stamp of its newest change, its fields.
struct NewRow<'a> {
    id: &'a str,
    life: Life,
    hlc: i64,
    row: &'a Fields,
}

/// The wall-clock time a stamp carries, as RFC 3339 (UTC).
pub fn rfc3339_from_hlc(stamp: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(hlc::millis(stamp) as i128 * 1_000_000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

fn not_found(spec: &TableSpec, id: &str) -> Error {
    Error::not_found(spec.entity, id)
}

async fn fetch(conn: &mut SqliteConnection, spec: &TableSpec, id: &str) -> Result<Option<StoredRow>> {
    Ok(select_rows(conn, spec, "id = ?", id).await?.pop().map(|(_, row)| row))
}

/// The rows of `spec` that `filter` selects (the SQL after WHERE, with one `?` for `value`), each
/// with its id.
async fn select_rows(
    conn: &mut SqliteConnection,
    spec: &TableSpec,
    filter: &str,
    value: &str,
) -> Result<Vec<(String, StoredRow)>> {
    let names: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
    let sql = format!(
        "SELECT id, life, changed_hlc, {} FROM {} WHERE {filter}",
        names.join(", "),
        spec.name
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(value)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| {
            let stored = StoredRow {
                life: Life::parse(row.try_get(1)?),
                changed_hlc: row.try_get(2)?,
                fields: read_row_at(spec, row, 3)?,
            };
            Ok((row.try_get(0)?, stored))
        })
        .collect()
}

/// The columns whose conflicts an erasure of a row takes with it: what it blanks, and its life.
pub(crate) fn erased_columns(spec: &TableSpec) -> impl Iterator<Item = &'static str> + '_ {
    spec.personal.iter().copied().chain([LIFE_COLUMN])
}

/// Texts (ids, columns) as one JSON array, the way a list goes into SQL here: `IN (SELECT value FROM
/// json_each(?))`, one statement whatever the list's length.
pub(crate) fn json_list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let items: Vec<S> = items.into_iter().collect();
    let texts: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    serde_json::to_string(&texts).expect("a list of texts is always JSON")
}

/// Deletes the conflicts kept for `cols` of a row.
pub(crate) async fn drop_conflicts(conn: &mut SqliteConnection, table: &str, id: &str, cols: &[&str]) -> Result<()> {
    let cols = json_list(cols);
    sqlx::query("DELETE FROM conflicts WHERE tbl = ? AND row_id = ? AND col IN (SELECT value FROM json_each(?))")
        .bind(table)
        .bind(id)
        .bind(cols)
        .execute(conn)
        .await?;
    Ok(())
}
