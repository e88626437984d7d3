//! Merging rows from another installation. Every field (and a row's life) is a last-writer-wins
//! register: the higher stamp wins. When the two writes were concurrent (neither side had seen the
//! other's) and the values differ, the losing value is kept as a conflict. Erasure (purged) always
//! wins and blanks the personal fields. Planning is pure; applying a plan is the store's job.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;
use sqlx::sqlite::SqliteConnection;
use sqlx::AssertSqlSafe;
use ts_rs::TS;

use kozmos_os::rows::Cell;

use super::raw;
use super::stamps::RowStamps;
use super::{Fields, Life, NewRow, Stamp, TableSpec, Value, Writer, DERIVED_COLUMNS, LIFE_COLUMN};
use crate::error::{Error, Result};

/// A row as another installation sent it: its life register (when sent) and fields with stamps.
#[derive(Debug, Clone)]
pub struct RemoteRow {
    pub id: String,
    pub life: Option<(Life, Stamp)>,
    pub fields: Vec<(&'static str, Value, Stamp)>,
}

/// A row as stored here, with the stamps of its fields.
#[derive(Debug, Clone)]
pub struct LocalRow {
    pub life: Life,
    pub changed_hlc: i64,
    pub fields: Fields,
    /// By the spec's column names (and `LIFE_COLUMN`).
    pub stamps: RowStamps,
}

/// What merging keeps of a local row beside its plan: its life and stamps before the merge (its
/// values before are the plan's, `RowPlan::before`).
#[derive(Debug, Clone)]
pub struct Prior {
    pub life: Life,
    pub stamps: RowStamps,
}

impl Stamp {
    /// The stamp of a field never written.
    pub fn zero() -> Stamp {
        Stamp {
            hlc: 0,
            site: "".into(),
        }
    }
}

/// What merging does to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    New,
    Changed,
    Deleted,
    Restored,
    Purged,
    Unchanged,
}

/// One field whose value changes here.
#[derive(Debug, Clone)]
pub struct FieldChange {
    pub col: &'static str,
    pub before: Value,
    pub after: Value,
}

/// A concurrent write that lost: both values, both stamps.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub col: &'static str,
    pub kept: Value,
    pub kept_stamp: Stamp,
    pub lost: Value,
    pub lost_stamp: Stamp,
}

/// The result of merging one remote row into the local one.
#[derive(Debug, Clone)]
pub struct RowPlan {
    pub id: String,
    pub outcome: Outcome,
    pub is_new: bool,
    pub life: Life,
    /// Every column's final value.
    pub row: Fields,
    pub changes: Vec<FieldChange>,
    /// Stamps that are new or higher here ("_life" included).
    pub stamps: Vec<(&'static str, Stamp)>,
    pub conflicts: Vec<Conflict>,
    /// The newest stamp of the row after the merge.
    pub newest: i64,
}

/// A merged row to update and the values of the columns it writes.
type UpdateRow<'p> = (&'p RowPlan, Vec<Cow<'p, Value>>);

/// A row's life and derived columns as stored (`DERIVED_COLUMNS`, in that order).
struct Stored {
    life: String,
    derived: [Option<String>; 2],
}

impl Stored {
    fn holds(&self, at: usize, value: &Value) -> bool {
        match value {
            Value::Text(text) => self.derived[at].as_deref() == Some(text.as_str()),
            Value::Null => self.derived[at].is_none(),
            _ => false,
        }
    }
}

impl RowPlan {
    /// Whether applying the plan writes anything to the row (a losing remote value only adds a conflict).
    pub fn writes(&self) -> bool {
        !self.stamps.is_empty()
    }

    /// A column's value before the merge: the local one, for a row that exists here.
    pub fn before(&self, col: &str) -> Option<&Value> {
        match self.changes.iter().find(|c| c.col == col) {
            Some(change) => Some(&change.before),
            None => self.row.get(col),
        }
    }
}

/// What each side had integrated before this merge, per site (version vectors). A write is
/// "seen" by a side when its stamp is covered; unseen writes that lose are conflicts.
pub struct Seen<'a> {
    pub local: &'a BTreeMap<String, i64>,
    pub sender: &'a BTreeMap<String, i64>,
}

fn covered(vector: &BTreeMap<String, i64>, stamp: &Stamp) -> bool {
    stamp.hlc == 0 || vector.get(&*stamp.site).is_some_and(|h| *h >= stamp.hlc)
}

/// Plans a row this installation does not have: the remote row as it is, moved into the plan
/// (a full file brings millions of values). Pure: reads nothing, writes nothing.
pub fn plan_new(spec: &TableSpec, remote: RemoteRow) -> Result<RowPlan> {
    let RemoteRow { id, life, fields } = remote;
    let incomplete = || {
        Error::invalid(
            "file",
            "sync_row_incomplete",
            format!(
                "Die Datei enthält einen unvollständigen neuen Eintrag ({} {id}). Bitte lassen Sie sich eine vollständige Datei geben.",
                spec.name
            ),
            format!(
                "The file holds an incomplete new record ({} {id}). Please ask for a full file.",
                spec.name
            ),
        )
    };
    let (life, life_stamp) = life.ok_or_else(incomplete)?;
    let mut stamps = Vec::with_capacity(fields.len() + 1);
    stamps.push((LIFE_COLUMN, life_stamp));
    let mut row: Fields = fields
        .into_iter()
        .map(|(col, value, stamp)| {
            stamps.push((col, stamp));
            (col, value)
        })
        .collect();
    // Every column once (a verified file names each once, in order).
    if stamps.len() != spec.columns.len() + 1 || row.len() != spec.columns.len() {
        return Err(incomplete());
    }
    if life == Life::Purged {
        for col in spec.personal {
            row.insert(col, spec.column(col)?.blank());
        }
    }
    let newest = stamps.iter().map(|(_, s)| s.hlc).max().unwrap_or(0);
    Ok(RowPlan {
        id,
        outcome: Outcome::New,
        is_new: true,
        life,
        row,
        changes: Vec::new(),
        stamps,
        conflicts: Vec::new(),
        newest,
    })
}

/// Merges one remote row into the local one, whose values the plan takes over (a no-op merge of a
/// full file reads hundreds of thousands of them). Pure: reads nothing, writes nothing.
pub fn plan_existing(spec: &TableSpec, local: LocalRow, remote: &RemoteRow, seen: &Seen) -> (RowPlan, Prior) {
    let LocalRow {
        life: local_life,
        changed_hlc,
        fields,
        stamps: local_stamps,
    } = local;
    let mut plan = RowPlan {
        id: remote.id.clone(),
        outcome: Outcome::Unchanged,
        is_new: false,
        life: local_life,
        row: fields,
        changes: Vec::new(),
        stamps: Vec::new(),
        conflicts: Vec::new(),
        newest: changed_hlc,
    };
    // Each column comes once (a verified file names each once): until `set_field` writes it, the
    // plan's row holds the local value.
    let held_here = |plan: &RowPlan, col: &str| plan.row.get(col).cloned().unwrap_or(Value::Null);
    let local_life_stamp = local_stamps.stamp(LIFE_COLUMN);
    let mut life_stamp = local_life_stamp.clone();
    let mut life_from_remote = false;
    if let Some((remote_life, remote_stamp)) = &remote.life {
        let (life, stamp) = merge_life((local_life, &local_life_stamp), (*remote_life, remote_stamp));
        if stamp != local_life_stamp {
            plan.stamps.push((LIFE_COLUMN, stamp.clone()));
            life_from_remote = true;
        }
        if local_life != *remote_life && remote_stamp != &local_life_stamp {
            let remote_won = stamp == *remote_stamp;
            let (lost, lost_stamp) = if remote_won {
                (local_life, local_life_stamp.clone())
            } else {
                (*remote_life, remote_stamp.clone())
            };
            let unseen = if remote_won {
                !covered(seen.sender, &lost_stamp)
            } else {
                !covered(seen.local, &lost_stamp)
            };
            if unseen && life != Life::Purged {
                plan.conflicts.push(Conflict {
                    col: LIFE_COLUMN,
                    kept: Value::Text(life.as_str().into()),
                    kept_stamp: stamp.clone(),
                    lost: Value::Text(lost.as_str().into()),
                    lost_stamp,
                });
            }
        }
        plan.life = life;
        life_stamp = stamp;
    }
    let purged = plan.life == Life::Purged;
    let mut final_stamps: HashMap<&str, Stamp> = HashMap::new();
    for (col, value, remote_stamp) in &remote.fields {
        let local_stamp = local_stamps.stamp(col);
        let local_value = held_here(&plan, col);
        if purged && spec.personal.contains(col) {
            let stamp = local_stamp.clone().max(remote_stamp.clone());
            set_field(
                &mut plan,
                col,
                local_value,
                blank(spec, col),
                &local_stamp,
                stamp,
                &mut final_stamps,
            );
            continue;
        }
        if *remote_stamp > local_stamp {
            if local_value != *value && !covered(seen.sender, &local_stamp) {
                plan.conflicts.push(Conflict {
                    col,
                    kept: value.clone(),
                    kept_stamp: remote_stamp.clone(),
                    lost: local_value.clone(),
                    lost_stamp: local_stamp.clone(),
                });
            }
            set_field(
                &mut plan,
                col,
                local_value,
                value.clone(),
                &local_stamp,
                remote_stamp.clone(),
                &mut final_stamps,
            );
        } else {
            if *remote_stamp < local_stamp && local_value != *value && !covered(seen.local, remote_stamp) {
                plan.conflicts.push(Conflict {
                    col,
                    kept: local_value,
                    kept_stamp: local_stamp.clone(),
                    lost: value.clone(),
                    lost_stamp: remote_stamp.clone(),
                });
            }
            final_stamps.insert(col, local_stamp);
        }
    }
    if purged && local_life != Life::Purged {
        for col in spec.personal {
            if !final_stamps.contains_key(col) {
                let local_value = held_here(&plan, col);
                let stamp = local_stamps.stamp(col);
                set_field(
                    &mut plan,
                    col,
                    local_value,
                    blank(spec, col),
                    &stamp,
                    stamp.clone(),
                    &mut final_stamps,
                );
            }
        }
    }
    if plan.life == Life::Deleted {
        note_edit_of_deleted(
            spec,
            &local_stamps,
            remote,
            &life_stamp,
            life_from_remote,
            seen,
            &mut plan,
        );
    }
    if purged {
        // What an erasure blanks goes, with its losers; conflicts on other fields (the role) stay.
        plan.conflicts.retain(|c| !erased_with(spec, c.col));
    }
    plan.newest = plan
        .stamps
        .iter()
        .map(|(_, s)| s.hlc)
        .chain([changed_hlc])
        .max()
        .unwrap_or(0);
    plan.outcome = match (local_life, plan.life) {
        (before, after) if before == after => {
            if plan.changes.is_empty() {
                Outcome::Unchanged
            } else {
                Outcome::Changed
            }
        }
        (_, Life::Purged) => Outcome::Purged,
        (_, Life::Deleted) => Outcome::Deleted,
        _ => Outcome::Restored,
    };
    let prior = Prior {
        life: local_life,
        stamps: local_stamps,
    };
    (plan, prior)
}

/// The life register: purged wins over everything (the higher stamp between two purges);
/// otherwise the higher stamp.
fn merge_life(local: (Life, &Stamp), remote: (Life, &Stamp)) -> (Life, Stamp) {
    match (local.0 == Life::Purged, remote.0 == Life::Purged) {
        (true, false) => (local.0, local.1.clone()),
        (false, true) => (remote.0, remote.1.clone()),
        _ if remote.1 > local.1 => (remote.0, remote.1.clone()),
        _ => (local.0, local.1.clone()),
    }
}

/// A row deleted on one side and edited later on the other stays deleted, but the edit shows as a
/// conflict ("deleted there, edited here") that can be undone by restoring the row.
fn note_edit_of_deleted(
    spec: &TableSpec,
    local_stamps: &RowStamps,
    remote: &RemoteRow,
    life_stamp: &Stamp,
    life_from_remote: bool,
    seen: &Seen,
    plan: &mut RowPlan,
) {
    let edit = if life_from_remote {
        local_stamps
            .iter(spec)
            .filter(|&(col, s)| col != LIFE_COLUMN && s > life_stamp && !covered(seen.sender, s))
            .map(|(_, s)| s.clone())
            .max()
    } else {
        remote
            .fields
            .iter()
            .filter(|(col, _, s)| s > life_stamp && *s > local_stamps.stamp(col) && !covered(seen.local, s))
            .map(|(_, _, s)| s.clone())
            .max()
    };
    if let Some(lost_stamp) = edit {
        plan.conflicts.retain(|c| c.col != LIFE_COLUMN);
        plan.conflicts.push(Conflict {
            col: LIFE_COLUMN,
            kept: Value::Text(Life::Deleted.as_str().into()),
            kept_stamp: life_stamp.clone(),
            lost: Value::Text(Life::Alive.as_str().into()),
            lost_stamp,
        });
    }
}

fn blank(spec: &TableSpec, col: &str) -> Value {
    spec.column(col).map(|c| c.blank()).unwrap_or(Value::Null)
}

fn set_field(
    plan: &mut RowPlan,
    col: &'static str,
    before: Value,
    after: Value,
    old_stamp: &Stamp,
    stamp: Stamp,
    final_stamps: &mut HashMap<&'static str, Stamp>,
) {
    if before != after {
        plan.changes.push(FieldChange {
            col,
            before,
            after: after.clone(),
        });
    }
    plan.row.insert(col, after);
    if stamp != *old_stamp {
        plan.stamps.push((col, stamp.clone()));
    }
    final_stamps.insert(col, stamp);
}

/// Reads the local rows (values and stamps) with the given ids: one statement whatever their
/// number (the ids go in as one JSON array), its rows read straight from SQLite
/// (`kozmos_os::rows`: sqlx would copy each of their forty-odd values first).
pub async fn load_local(
    conn: &mut SqliteConnection,
    spec: &TableSpec,
    ids: &[&str],
) -> Result<HashMap<String, LocalRow>> {
    let mut rows = HashMap::with_capacity(ids.len());
    if ids.is_empty() {
        return Ok(rows);
    }
    let columns: String = spec.columns.iter().map(|c| format!(", t.{}", c.name)).collect();
    let sql = format!(
        "SELECT t.id, t.life, t.changed_hlc, s.stamps{columns} FROM json_each(?) j
         JOIN {table} t ON t.id = j.value
         LEFT JOIN stamps s ON s.tbl = '{table}' AND s.row_id = t.id",
        table = spec.name
    );
    let ids = super::json_list(ids);
    let names = super::stamps::site_names(conn).await?;
    raw::for_each_row(conn, &sql, &[Cell::Text(&ids)], |cells| {
        let [Cell::Text(id), Cell::Text(life), Cell::Int(changed_hlc), stamps, values @ ..] = cells else {
            return Err(raw::damaged(spec, "id, life or changed_hlc"));
        };
        let stamps = match stamps {
            Cell::Text(json) => super::stamps::parse_columns(json, &names, spec)?,
            Cell::Null => RowStamps::default(),
            _ => return Err(raw::damaged(spec, "stamps")),
        };
        let row = LocalRow {
            life: Life::parse(life),
            changed_hlc: *changed_hlc,
            fields: raw::fields(spec, values)?,
            stamps,
        };
        rows.insert(id.to_string(), row);
        Ok(())
    })
    .await?;
    Ok(rows)
}

impl Writer<'_> {
    /// Lets the clock see a stamp from elsewhere: later local stamps are higher.
    pub fn observe(&mut self, hlc: i64) {
        self.clock = self.clock.max(hlc);
    }

    /// The transaction's connection, for reads and for the local sync bookkeeping tables.
    pub fn conn(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }

    /// The clock as this transaction sees it.
    pub fn clock(&self) -> i64 {
        self.clock
    }

    /// Applies merge plans of one table: rows, stamps, derived columns, the search index and the
    /// conflicts (tagged with `import_id`). Erased rows lose their conflicts on what the erasure
    /// blanks (they hold personal data) and on their life.
    pub async fn apply_plans(&mut self, spec: &TableSpec, plans: &[RowPlan], import_id: Option<i64>) -> Result<()> {
        let all = plans;
        let plans: Vec<&RowPlan> = all.iter().filter(|p| p.writes()).collect();
        for plan in &plans {
            self.observe(plan.newest);
        }
        let (new, existing): (Vec<&RowPlan>, Vec<&RowPlan>) = plans.iter().partition(|p| p.is_new);
        let rows: Vec<NewRow> = new
            .iter()
            .map(|p| NewRow {
                id: &p.id,
                life: p.life,
                hlc: p.newest,
                row: &p.row,
            })
            .collect();
        self.insert_rows(spec, &rows).await?;
        let stored = self.stored_state(spec, &existing).await?;
        // Only rows whose entry changes (key or life) are renewed: most edits (a phone number, a
        // stage) leave the search key as it was, and each renewal costs the index merge work.
        let rekeyed = self.update_merged(spec, &existing, &stored).await?;
        let rekeyed: Vec<&RowPlan> = existing
            .into_iter()
            .filter(|p| rekeyed.contains(p.id.as_str()))
            .collect();
        self.write_merged_stamps(spec, &plans).await?;
        for plan in all {
            if plan.life == Life::Purged && plan.writes() {
                let lost: Vec<&str> = super::erased_columns(spec).collect();
                super::drop_conflicts(&mut self.tx, spec.name, &plan.id, &lost).await?;
            }
            for c in &plan.conflicts {
                sqlx::query(
                    "INSERT INTO conflicts (import_id, tbl, row_id, col, kept_value, kept_hlc, kept_site,
                        lost_value, lost_hlc, lost_site)
                     SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM conflicts
                        WHERE tbl = ? AND row_id = ? AND col = ? AND lost_hlc = ? AND lost_site = ?)",
                )
                .bind(import_id)
                .bind(spec.name)
                .bind(&plan.id)
                .bind(c.col)
                .bind(c.kept.to_json().to_string())
                .bind(c.kept_stamp.hlc)
                .bind(&c.kept_stamp.site)
                .bind(c.lost.to_json().to_string())
                .bind(c.lost_stamp.hlc)
                .bind(&c.lost_stamp.site)
                .bind(spec.name)
                .bind(&plan.id)
                .bind(c.col)
                .bind(c.lost_stamp.hlc)
                .bind(&c.lost_stamp.site)
                .execute(&mut *self.tx)
                .await?;
            }
        }
        self.reindex_many(spec, &new, &rekeyed).await
    }

    /// The life and derived columns of these rows as stored now, for the tables that derive
    /// columns: what an update can leave as it is.
    async fn stored_state(&mut self, spec: &TableSpec, plans: &[&RowPlan]) -> Result<HashMap<String, Stored>> {
        if spec.derived_from.is_empty() || plans.is_empty() {
            return Ok(HashMap::new());
        }
        let ids = super::json_list(plans.iter().map(|p| p.id.as_str()));
        let sql = format!(
            "SELECT t.id, t.life, t.{}, t.{} FROM json_each(?) j CROSS JOIN {} t ON t.id = j.value",
            DERIVED_COLUMNS[0], DERIVED_COLUMNS[1], spec.name
        );
        let rows: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(ids)
            .fetch_all(&mut *self.tx)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, life, first, second)| {
                let stored = Stored {
                    life,
                    derived: [first, second],
                };
                (id, stored)
            })
            .collect())
    }

    /// Writes the merged rows that exist here: one prepared statement for each set of columns
    /// written (most plans of an import write the same ones), run for each of its rows.
    /// A row's life and derived columns are written only where they differ from `stored`: each
    /// written column costs the upkeep of the indexes it is in. Returns the rows whose search
    /// entry changes (life or search key written).
    async fn update_merged<'p>(
        &mut self,
        spec: &TableSpec,
        plans: &[&'p RowPlan],
        stored: &HashMap<String, Stored>,
    ) -> Result<HashSet<&'p str>> {
        let mut groups: BTreeMap<Vec<&'static str>, Vec<UpdateRow<'p>>> = BTreeMap::new();
        let mut rekeyed = HashSet::new();
        for plan in plans {
            let now = stored.get(plan.id.as_str());
            let mut columns = Vec::with_capacity(plan.changes.len() + 3);
            let mut values = Vec::with_capacity(plan.changes.len() + 3);
            if now.is_none_or(|now| now.life != plan.life.as_str()) {
                columns.push("life");
                values.push(Cow::Owned(Value::Text(plan.life.as_str().into())));
            }
            for change in &plan.changes {
                columns.push(change.col);
                values.push(Cow::Borrowed(&plan.row[change.col]));
            }
            // Most edits (a phone number, a stage) leave the search and sort keys as they are.
            if plan.changes.iter().any(|c| spec.derived_from.contains(&c.col)) {
                for (col, value) in (spec.derive)(&plan.row)? {
                    let at = DERIVED_COLUMNS.iter().position(|c| *c == col);
                    if now.zip(at).is_none_or(|(now, at)| !now.holds(at, &value)) {
                        columns.push(col);
                        values.push(Cow::Owned(value));
                    }
                }
            }
            if columns.iter().any(|c| *c == "life" || *c == DERIVED_COLUMNS[0]) {
                rekeyed.insert(plan.id.as_str());
            }
            groups.entry(columns).or_default().push((plan, values));
        }
        for (columns, rows) in groups {
            let sets: String = columns.iter().map(|c| format!(", {c} = ?")).collect();
            let sql = format!("UPDATE {} SET changed_hlc = ?{sets} WHERE id = ?", spec.name);
            let mut params = Vec::with_capacity(rows.len() * (columns.len() + 2));
            for (plan, values) in &rows {
                params.push(Cell::Int(plan.newest));
                params.extend(values.iter().map(|v| raw::cell(v)));
                params.push(Cell::Text(&plan.id));
            }
            raw::execute_each(&mut self.tx, &sql, columns.len() + 2, &params).await?;
        }
        Ok(rekeyed)
    }

    /// Adds the plans' new stamps to their rows' stamps.
    async fn write_merged_stamps(&mut self, spec: &TableSpec, plans: &[&RowPlan]) -> Result<()> {
        let mut patches: Vec<(&str, String)> = Vec::with_capacity(plans.len());
        let mut numbers = Vec::new();
        for plan in plans.iter().filter(|p| !p.stamps.is_empty()) {
            // A row's stamps mostly share one site (one `Arc` from the file): looked up once.
            let mut last: Option<(&Arc<str>, i64)> = None;
            numbers.clear();
            for (_, stamp) in &plan.stamps {
                let number = match last {
                    Some((site, number)) if Arc::ptr_eq(site, &stamp.site) => number,
                    _ => self.site_number_of(&stamp.site).await?,
                };
                last = Some((&stamp.site, number));
                numbers.push(number);
            }
            let stamps = plan.stamps.iter().zip(&numbers).map(|((col, s), n)| (*col, s.hlc, *n));
            patches.push((plan.id.as_str(), super::stamps::to_json(spec, stamps)));
        }
        super::stamps::patch(&mut self.tx, spec.name, &patches).await
    }

    /// Keeps the full-text index in step with many rows at once: the entries of the changed rows
    /// are removed, then every living row's added.
    async fn reindex_many(&mut self, spec: &TableSpec, new: &[&RowPlan], existing: &[&RowPlan]) -> Result<()> {
        if spec.search_code.is_none() {
            return Ok(());
        }
        if !existing.is_empty() {
            self.unindex_rows(spec, existing.iter().map(|p| p.id.as_str())).await?;
        }
        self.index_rows(spec, new.iter().chain(existing).map(|p| p.id.as_str()))
            .await
    }
}

/// Whether an erasure of a row of `spec` takes the conflicts of `col` with it.
fn erased_with(spec: &TableSpec, col: &str) -> bool {
    super::erased_columns(spec).any(|c| c == col)
}
