//! Edits made elsewhere to a record that was merged away, by someone who did not know of the
//! merge: they belong to the survivor, not to the tombstone nobody sees. Found while a sync file is
//! planned (preview and apply alike, see `unaware_edits`) and written after its rows, in the
//! import's own transaction (`carry_to_survivors`): onto the survivor as a normal stamped write
//! when its field is empty or still holds what the tombstone held before the edit, otherwise kept
//! as a conflict on the survivor's field. Both sides decide from the same values, so they agree.

use std::collections::BTreeMap;

use sqlx::sqlite::SqliteConnection;

use super::merge::{groups, is_empty, survivor_of, MERGED_INTO};
use super::Kind;
use crate::error::Result;
use crate::store::{
    load_local, Conflict, Fields, Life, LocalRow, Outcome, Prior, RemoteRow, RowPlan, Stamp, TableSpec, Value, Writer,
    LIFE_COLUMN,
};

/// One field edit of a merged-away record that the merging side never saw.
#[derive(Clone)]
pub struct UnawareEdit {
    spec: &'static TableSpec,
    tombstone: String,
    col: &'static str,
    value: Value,
    stamp: Stamp,
    /// What the tombstone held before the edit (the value the merge saw).
    before: Value,
}

/// What the edits did to the survivors (or, in a preview, would do as the survivors are now).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Carried {
    /// Survivor fields written.
    pub written: u64,
    /// Conflicts added on survivor fields.
    pub conflicts: u64,
}

/// The edits among a chunk's planned rows (`plans[at]` planned from `row` against a local row that
/// was `prior`, for each `(at, row, prior)` of `existing`, the rows that exist here) that land on a
/// merged tombstone while the merge and the edit come from different sides (or, both in the file,
/// the edit is newer than the merge). Each such row's "deleted there, edited here" conflict for those edits goes: the
/// edit reaches the survivor instead. Pure.
pub fn unaware_edits(
    spec: &'static TableSpec,
    existing: &[(usize, RemoteRow, Prior)],
    plans: &mut [RowPlan],
) -> Vec<UnawareEdit> {
    let mut edits = Vec::new();
    if !Kind::ALL.iter().any(|k| k.table().name == spec.name) {
        return edits;
    }
    for (at, row, local) in existing {
        let plan = &mut plans[*at];
        if row.id != plan.id || !is_merged(plan.life, plan.row.get(MERGED_INTO)) {
            continue;
        }
        let merged_here = is_merged(local.life, plan.before(MERGED_INTO));
        let merged_at = row
            .fields
            .iter()
            .filter(|(col, _, _)| *col == MERGED_INTO)
            .map(|(_, _, stamp)| stamp.clone())
            .fold(local.stamps.stamp(MERGED_INTO), Stamp::max);
        let first = edits.len();
        for (col, remote, remote_stamp) in &row.fields {
            if !carried(spec, col) {
                continue;
            }
            let here = plan.before(col).cloned().unwrap_or(Value::Null);
            let here_stamp = local.stamps.stamp(col);
            if here == *remote || *remote_stamp == here_stamp {
                continue;
            }
            let from_file = *remote_stamp > here_stamp;
            let (value, stamp, before) = if from_file {
                (remote.clone(), remote_stamp.clone(), here)
            } else {
                (here, here_stamp, remote.clone())
            };
            // From different sides, the merging side never saw the edit; from one side only an
            // edit newer than the merge can have missed it (a later edit of ours was seen there).
            let unaware = if from_file == merged_here {
                true
            } else {
                from_file && stamp > merged_at
            };
            if unaware {
                edits.push(UnawareEdit {
                    spec,
                    tombstone: row.id.clone(),
                    col,
                    value,
                    stamp,
                    before,
                });
            }
        }
        let moved: Vec<&Stamp> = edits[first..].iter().map(|e| &e.stamp).collect();
        plan.conflicts
            .retain(|c| !(c.col == LIFE_COLUMN && moved.contains(&&c.lost_stamp)));
    }
    edits
}

/// Writes the edits onto the survivors (or adds their conflicts), after the import's rows; call
/// after the writer has observed the file's newest stamp, so the writes are newer than the file.
pub async fn carry_to_survivors(w: &mut Writer<'_>, edits: &[UnawareEdit], import_id: i64) -> Result<Carried> {
    let mut carried = Carried::default();
    for group in grouped(edits) {
        let Some((spec, survivor, landing)) = landing(w.conn(), &group).await? else {
            continue;
        };
        match landing {
            Landing::Write(fields) => {
                carried.written += fields.len() as u64;
                w.update(spec, &survivor.0, fields).await?;
            }
            Landing::Conflicts(conflicts) => {
                carried.conflicts += conflicts.len() as u64;
                let plan = RowPlan {
                    id: survivor.0,
                    outcome: Outcome::Unchanged,
                    is_new: false,
                    life: Life::Alive,
                    newest: survivor.1.changed_hlc,
                    row: survivor.1.fields,
                    changes: Vec::new(),
                    stamps: Vec::new(),
                    conflicts,
                };
                w.apply_plans(spec, &[plan], Some(import_id)).await?;
            }
        }
    }
    Ok(carried)
}

/// What `carry_to_survivors` would do with the survivors as they are now (for the preview; a
/// survivor the same file changes may end differently).
pub async fn preview_carried(conn: &mut SqliteConnection, edits: &[UnawareEdit]) -> Result<Carried> {
    let mut carried = Carried::default();
    for group in grouped(edits) {
        match landing(conn, &group).await? {
            Some((_, _, Landing::Write(fields))) => carried.written += fields.len() as u64,
            Some((_, _, Landing::Conflicts(conflicts))) => carried.conflicts += conflicts.len() as u64,
            None => {}
        }
    }
    Ok(carried)
}

/// Whether a row with this life and pointer to a survivor is a tombstone of a merge.
fn is_merged(life: Life, merged_into: Option<&Value>) -> bool {
    life == Life::Deleted && matches!(merged_into, Some(Value::Text(s)) if !s.is_empty())
}

/// Fields an edit may carry to the survivor: not the pointer to it, not the parent.
fn carried(spec: &TableSpec, col: &str) -> bool {
    col != MERGED_INTO && !spec.parents.iter().any(|(parent, _)| *parent == col)
}

/// The edits per tombstone and field of the merge view (a logo with its type), in a fixed order.
fn grouped(edits: &[UnawareEdit]) -> Vec<Vec<&UnawareEdit>> {
    let mut out: BTreeMap<(&str, &str, &str), Vec<&UnawareEdit>> = BTreeMap::new();
    for edit in edits {
        let kind = Kind::ALL.into_iter().find(|k| k.table().name == edit.spec.name);
        let field = kind
            .and_then(|k| groups(k).into_iter().find(|g| g.columns.contains(&edit.col)))
            .map_or(edit.col, |g| g.field);
        out.entry((edit.spec.name, edit.tombstone.as_str(), field))
            .or_default()
            .push(edit);
    }
    out.into_values().collect()
}

enum Landing {
    /// The survivor's fields take the edits.
    Write(Fields),
    /// The survivor keeps its values; the edits are its conflicts.
    Conflicts(Vec<Conflict>),
}

/// Where one group of edits lands: the survivor (id and row) and how, or nowhere (no living
/// survivor, a withheld one, or the survivor holds the edits already or lists them as conflicts).
/// A group is written only when every field of it is empty on the survivor or still holds what
/// the tombstone held before the edit.
async fn landing(
    conn: &mut SqliteConnection,
    group: &[&UnawareEdit],
) -> Result<Option<(&'static TableSpec, (String, LocalRow), Landing)>> {
    let Some(first) = group.first() else { return Ok(None) };
    let spec = first.spec;
    let survivor = survivor_of(conn, spec, &first.tombstone).await?;
    if survivor == first.tombstone || withheld(conn, spec, &survivor).await? {
        return Ok(None);
    }
    let Some(row) = load_local(conn, spec, &[survivor.as_str()]).await?.remove(&survivor) else {
        return Ok(None);
    };
    if row.life != Life::Alive {
        return Ok(None);
    }
    let pending: Vec<&&UnawareEdit> = group
        .iter()
        .filter(|e| row.fields.get(e.col).unwrap_or(&Value::Null) != &e.value)
        .collect();
    if pending.is_empty() {
        return Ok(None);
    }
    let free = pending.iter().all(|e| {
        let held = row.fields.get(e.col);
        is_empty(held) || held == Some(&e.before)
    });
    let landing = if free {
        Landing::Write(pending.iter().map(|e| (e.col, e.value.clone())).collect())
    } else {
        let mut conflicts = Vec::new();
        for e in pending {
            if listed(conn, spec, &survivor, e).await? {
                continue;
            }
            conflicts.push(Conflict {
                col: e.col,
                kept: row.fields.get(e.col).cloned().unwrap_or(Value::Null),
                kept_stamp: row.stamps.stamp(e.col),
                lost: e.value.clone(),
                lost_stamp: e.stamp.clone(),
            });
        }
        if conflicts.is_empty() {
            return Ok(None);
        }
        Landing::Conflicts(conflicts)
    };
    Ok(Some((spec, (survivor, row), landing)))
}

/// Whether the survivor lists this edit as a conflict already.
async fn listed(conn: &mut SqliteConnection, spec: &TableSpec, survivor: &str, edit: &UnawareEdit) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM conflicts WHERE tbl = ? AND row_id = ? AND col = ? AND lost_hlc = ? AND lost_site = ?",
    )
    .bind(spec.name)
    .bind(survivor)
    .bind(edit.col)
    .bind(edit.stamp.hlc)
    .bind(&edit.stamp.site)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Whether the survivor is a person the other network no longer shares (its fields stay blank).
async fn withheld(conn: &mut SqliteConnection, spec: &TableSpec, id: &str) -> Result<bool> {
    if spec.name != crate::person::TABLE.name {
        return Ok(false);
    }
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM withheld_persons WHERE person_id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}
