//! Merging two records of one kind: the user picks per field which value survives; the related
//! records move to the survivor; the other record stays as a tombstone that names its survivor.
//! One `Writer`: all of it, or nothing.

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteConnection;
use sqlx::AssertSqlSafe;
use ts_rs::TS;

use super::dismiss::same_record;
use super::Kind;
use crate::error::{Error, Result};
use crate::fields::FieldInfo;
use crate::store::display;
use crate::store::{from_fields, Fields, Life, Store, StoredRow, TableSpec, Value, Writer};

/// The column that points a merged-away record at its survivor.
pub const MERGED_INTO: &str = "merged_into";

/// What the user asks: keep one record, merge the other into it, taking these fields from it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct MergeRequest {
    pub keep: String,
    pub other: String,
    /// Fields (names as in `MergeField::field`) whose value comes from `other`; every other
    /// field keeps the survivor's value.
    pub take: Vec<String>,
}

/// One field of the merge view: both values as text, and which one survives by default.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MergeField {
    pub field: String,
    pub label_de: String,
    pub label_en: String,
    pub keep: String,
    pub other: String,
    /// The default choice: the other's value, because the survivor's is empty.
    pub take_other: bool,
    pub same: bool,
}

/// How many related records move to the survivor (activities move with their cooperation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct MovedRecords {
    pub persons: u32,
    pub cooperations: u32,
    pub activities: u32,
    pub projects: u32,
    pub ideas: u32,
    pub consents: u32,
}

/// The merge view: the two records, every field side by side, what will move.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MergePlan {
    pub kind: Kind,
    pub keep: String,
    pub keep_name: String,
    pub other: String,
    pub other_name: String,
    pub fields: Vec<MergeField>,
    pub moved: MovedRecords,
}

/// What a merge did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MergeResult {
    pub kind: Kind,
    pub survivor: String,
    pub merged: String,
    pub taken: Vec<String>,
    pub moved: MovedRecords,
}

/// A field of the merge view and the columns it stands for (the logo and its type, a person's
/// association or foundation, travel together so they always agree).
pub(super) struct FieldGroup {
    pub(super) field: &'static str,
    pub(super) columns: Vec<&'static str>,
}

pub(super) fn groups(kind: Kind) -> Vec<FieldGroup> {
    let combined: &[(&'static str, &[&'static str])] = match kind {
        Kind::Association => &[("logo", &["logo", "logo_mime"])],
        Kind::Person => &[("organisation", &["association_id", "foundation_id"])],
        Kind::Foundation => &[],
    };
    let mut out: Vec<FieldGroup> = kind
        .table()
        .columns
        .iter()
        .filter(|c| c.name != MERGED_INTO && !combined.iter().any(|(_, cols)| cols.contains(&c.name)))
        .map(|c| FieldGroup {
            field: c.name,
            columns: vec![c.name],
        })
        .collect();
    out.extend(combined.iter().map(|(field, columns)| FieldGroup {
        field,
        columns: columns.to_vec(),
    }));
    out
}

fn field_infos(kind: Kind) -> &'static [FieldInfo] {
    match kind {
        Kind::Association => crate::association::FIELDS,
        Kind::Foundation => crate::foundation::FIELDS,
        Kind::Person => crate::person::FIELDS,
    }
}

fn labels(kind: Kind, field: &str) -> (String, String) {
    match field {
        "logo" => ("Logo".into(), "Logo".into()),
        "organisation" => ("Organisation".into(), "Organisation".into()),
        _ => field_infos(kind)
            .iter()
            .find(|f| f.name == field)
            .map_or((field.into(), field.into()), |f| (f.de.into(), f.en.into())),
    }
}

/// The related records of each kind: (child table, its column that points at the record).
fn children(kind: Kind) -> Vec<(&'static TableSpec, &'static str)> {
    match kind {
        Kind::Association => vec![
            (&crate::person::TABLE, "association_id"),
            (&crate::cooperation::TABLE, "association_id"),
            (&crate::project::PROJECT_TABLE, "association_id"),
            (&crate::project::IDEA_TABLE, "association_id"),
        ],
        Kind::Foundation => vec![
            (&crate::person::TABLE, "foundation_id"),
            (&crate::cooperation::TABLE, "foundation_id"),
        ],
        Kind::Person => vec![(&crate::person::CONSENT_TABLE, "person_id")],
    }
}

pub(super) fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::Text(s)) => s.trim().is_empty() || s == "[]",
        Some(Value::Blob(b)) => b.is_empty(),
        Some(Value::Int(_)) => false,
    }
}

/// The kind of record an id names (searched in associations, foundations, persons).
pub async fn kind_of(conn: &mut SqliteConnection, id: &str) -> Result<Option<Kind>> {
    for kind in Kind::ALL {
        let sql = format!("SELECT 1 FROM {} WHERE id = ?", kind.table().name);
        let found: Option<i64> = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_some() {
            return Ok(Some(kind));
        }
    }
    Ok(None)
}

/// The record a link to `id` should open: `id` itself, or (when it was merged away) its
/// survivor, following merges of merges. Unknown ids come back unchanged.
pub async fn resolve(store: &Store, kind: Kind, id: &str) -> Result<String> {
    let mut conn = store.pool().acquire().await?;
    survivor_of(&mut conn, kind.table(), id).await
}

pub(super) async fn survivor_of(conn: &mut SqliteConnection, spec: &TableSpec, id: &str) -> Result<String> {
    let sql = format!(
        "SELECT merged_into FROM {} WHERE id = ? AND life = 'deleted'",
        spec.name
    );
    let mut current = id.to_string();
    // A chain longer than this is a cycle (two sites merging A into B and B into A); stop there.
    for _ in 0..16 {
        let next: Option<Option<String>> = sqlx::query_scalar(AssertSqlSafe(sql.as_str()))
            .bind(&current)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(Some(next)) = next else { break };
        let exists: Option<i64> =
            sqlx::query_scalar(AssertSqlSafe(format!("SELECT 1 FROM {} WHERE id = ?", spec.name)))
                .bind(&next)
                .fetch_optional(&mut *conn)
                .await?;
        if exists.is_none() || next == id {
            break;
        }
        current = next;
    }
    Ok(current)
}

/// The two records, checked: both exist, are of one kind, alive, and not one record.
async fn load_pair(w: &mut Writer<'_>, keep: &str, other: &str) -> Result<(Kind, StoredRow, StoredRow)> {
    if keep.trim().is_empty() {
        return Err(Error::not_found("record", keep));
    }
    if keep == other {
        return Err(same_record());
    }
    let keep_kind = kind_of(w.conn(), keep)
        .await?
        .ok_or_else(|| Error::not_found("record", keep))?;
    let other_kind = kind_of(w.conn(), other)
        .await?
        .ok_or_else(|| Error::not_found("record", other))?;
    if keep_kind != other_kind {
        let (a, b) = (keep_kind.label(), other_kind.label());
        return Err(Error::invalid(
            "other",
            "merge_different_kinds",
            format!(
                "Nur Datensätze derselben Art lassen sich zusammenführen (hier: {} und {}).",
                a.0, b.0
            ),
            format!(
                "Only records of the same kind can be merged (here: {} and {}).",
                a.1, b.1
            ),
        ));
    }
    let spec = keep_kind.table();
    let mut rows = Vec::with_capacity(2);
    for (field, id) in [("keep", keep), ("other", other)] {
        let row = w
            .fetch(spec, id)
            .await?
            .ok_or_else(|| Error::not_found(spec.entity, id))?;
        if row.life != Life::Alive {
            return Err(Error::invalid(
                field,
                "merge_not_alive",
                "Gelöschte, gelöschte-und-zusammengeführte oder anonymisierte Datensätze lassen sich nicht zusammenführen. Bitte stellen Sie den Datensatz zuerst wieder her.",
                "Deleted, merged or erased records cannot be merged. Please restore the record first.",
            ));
        }
        rows.push(row);
    }
    let other_row = rows.pop().expect("two rows");
    let keep_row = rows.pop().expect("two rows");
    Ok((keep_kind, keep_row, other_row))
}

/// Which kind of organisation a person belongs to: its parent column that is set.
fn parent_column(row: &Fields) -> Option<&'static str> {
    ["association_id", "foundation_id"]
        .into_iter()
        .find(|c| matches!(row.get(c), Some(Value::Text(_))))
}

async fn organisation_name(conn: &mut SqliteConnection, row: &Fields) -> Result<String> {
    for (col, table) in [("association_id", "associations"), ("foundation_id", "foundations")] {
        if let Some(Value::Text(id)) = row.get(col) {
            let name: Option<String> =
                sqlx::query_scalar(AssertSqlSafe(format!("SELECT name FROM {table} WHERE id = ?")))
                    .bind(id)
                    .fetch_optional(&mut *conn)
                    .await?;
            return Ok(name.unwrap_or_else(|| id.clone()));
        }
    }
    Ok(String::new())
}

async fn field_view(conn: &mut SqliteConnection, kind: Kind, keep: &Fields, other: &Fields) -> Result<Vec<MergeField>> {
    let spec = kind.table();
    let mut out = Vec::new();
    for group in groups(kind) {
        let shown = |row: &Fields| {
            display(
                spec,
                group.columns[0],
                row.get(group.columns[0]).unwrap_or(&Value::Null),
            )
        };
        let (keep_text, other_text) = if group.field == "organisation" {
            (
                organisation_name(conn, keep).await?,
                organisation_name(conn, other).await?,
            )
        } else {
            (shown(keep), shown(other))
        };
        let same = group.columns.iter().all(|c| keep.get(c) == other.get(c));
        let keep_empty = group.columns.iter().all(|c| is_empty(keep.get(c)));
        let other_empty = group.columns.iter().all(|c| is_empty(other.get(c)));
        let (label_de, label_en) = labels(kind, group.field);
        out.push(MergeField {
            field: group.field.into(),
            label_de,
            label_en,
            keep: keep_text,
            other: other_text,
            take_other: !same && keep_empty && !other_empty,
            same,
        });
    }
    Ok(out)
}

async fn count_children(conn: &mut SqliteConnection, kind: Kind, id: &str) -> Result<MovedRecords> {
    let mut moved = MovedRecords::default();
    for (spec, column) in children(kind) {
        let sql = format!("SELECT COUNT(*) FROM {} WHERE {column} = ?", spec.name);
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
        let n = n as u32;
        match spec.name {
            "persons" => moved.persons += n,
            "cooperations" => {
                moved.cooperations += n;
                let sql = format!(
                    "SELECT COUNT(*) FROM activities WHERE cooperation_id IN (SELECT id FROM cooperations WHERE {column} = ?)"
                );
                let a: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
                    .bind(id)
                    .fetch_one(&mut *conn)
                    .await?;
                moved.activities += a as u32;
            }
            "projects" => moved.projects += n,
            "ideas" => moved.ideas += n,
            "consents" => moved.consents += n,
            _ => {}
        }
    }
    Ok(moved)
}

/// The merge view of two records (reads only; the writer is rolled back).
pub async fn merge_preview(store: &Store, keep: &str, other: &str) -> Result<MergePlan> {
    let mut w = store.writer().await?;
    let (kind, keep_row, other_row) = load_pair(&mut w, keep, other).await?;
    let fields = field_view(w.conn(), kind, &keep_row.fields, &other_row.fields).await?;
    let moved = count_children(w.conn(), kind, other).await?;
    Ok(MergePlan {
        kind,
        keep: keep.into(),
        keep_name: crate::store::label(&keep_row.fields),
        other: other.into(),
        other_name: crate::store::label(&other_row.fields),
        fields,
        moved,
    })
}

/// The merged fields are checked by the kind's own validation (a district must fit its state,
/// whichever record each came from).
fn validate_merged(kind: Kind, fields: &Fields, network: Option<&str>, today: time::Date) -> Result<()> {
    match kind {
        Kind::Association => {
            let typed: crate::association::AssociationFields = from_fields(kind.table(), fields)?;
            crate::association::validate(&(&typed).try_into()?, today, network).map(drop)
        }
        Kind::Foundation => {
            let typed: crate::foundation::FoundationFields = from_fields(kind.table(), fields)?;
            crate::foundation::validate(&(&typed).try_into()?, today, network).map(drop)
        }
        Kind::Person => {
            let typed: crate::person::PersonFields = from_fields(kind.table(), fields)?;
            crate::person::validate(&(&typed).try_into()?).map(drop)
        }
    }
}

/// Merges `other` into `keep` in one transaction: the taken fields are written to `keep`,
/// every related record of `other` (deleted and erased ones too) moves to `keep`, and `other`
/// becomes a deleted tombstone with `merged_into = keep`, which travels with sync.
pub async fn merge(store: &Store, request: &MergeRequest) -> Result<MergeResult> {
    let network = crate::site::load(store.pool()).await?.network;
    let mut w = store.writer().await?;
    let (kind, keep_row, other_row) = load_pair(&mut w, &request.keep, &request.other).await?;
    let spec = kind.table();
    let known = groups(kind);
    let mut merged = keep_row.fields.clone();
    let mut taken = Vec::new();
    for field in &request.take {
        let group = known.iter().find(|g| g.field == field).ok_or_else(|| {
            Error::invalid(
                "take",
                "merge_unknown_field",
                format!("Unbekanntes Feld „{field}“."),
                format!("Unknown field \"{field}\"."),
            )
        })?;
        if group.field == "organisation" && parent_column(&keep_row.fields) != parent_column(&other_row.fields) {
            return Err(Error::invalid(
                "take",
                "merge_organisation_kind",
                "Eine Person kann beim Zusammenführen nicht von einem Verein zu einer Stiftung (oder umgekehrt) wechseln.",
                "Merging cannot move a person from an association to a foundation (or back).",
            ));
        }
        for column in &group.columns {
            merged.insert(column, other_row.fields.get(column).cloned().unwrap_or(Value::Null));
        }
        if !taken.contains(&group.field.to_string()) {
            taken.push(group.field.to_string());
        }
    }
    validate_merged(kind, &merged, network.as_deref(), w.today())?;
    let moved = count_children(w.conn(), kind, &request.other).await?;

    // The survivor first, while the organisation a person moves to is still as it was.
    let changes: Fields = merged
        .into_iter()
        .filter(|(col, value)| keep_row.fields.get(col) != Some(value))
        .collect();
    w.update(spec, &request.keep, changes).await?;
    move_children(&mut w, kind, &request.other, &request.keep).await?;
    let pointer = Fields::from([(MERGED_INTO, Value::Text(request.keep.clone()))]);
    w.update(spec, &request.other, pointer).await?;
    w.set_life(spec, &request.other, Life::Deleted).await?;
    w.commit().await?;
    Ok(MergeResult {
        kind,
        survivor: request.keep.clone(),
        merged: request.other.clone(),
        taken,
        moved,
    })
}

async fn move_children(w: &mut Writer<'_>, kind: Kind, from: &str, to: &str) -> Result<u64> {
    let mut moved = 0;
    for (spec, column) in children(kind) {
        let sql = format!("SELECT id FROM {} WHERE {column} = ? ORDER BY id", spec.name);
        let ids: Vec<String> = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(from)
            .fetch_all(w.conn())
            .await?;
        for id in ids {
            if w.move_child(spec, &id, column, to).await?.is_some() {
                moved += 1;
            }
        }
    }
    Ok(moved)
}

/// After a sync import: records the other network added to (or moved under) a record that has
/// since been merged away here, or whose merge just arrived, move to the survivor, in the
/// import's own transaction. Both sides do the same, so they agree. Returns how many moved.
pub async fn repoint_merged_children(w: &mut Writer<'_>) -> Result<u64> {
    let mut moved = 0;
    for kind in Kind::ALL {
        let parent = kind.table().name;
        for (spec, column) in children(kind) {
            let sql = format!(
                "SELECT c.id, p.id FROM {} c JOIN {parent} p ON p.id = c.{column}
                 WHERE p.life = 'deleted' AND p.merged_into IS NOT NULL ORDER BY c.id",
                spec.name
            );
            let rows: Vec<(String, String)> = sqlx::query_as(AssertSqlSafe(sql)).fetch_all(w.conn()).await?;
            for (child, merged) in rows {
                let survivor = survivor_of(w.conn(), kind.table(), &merged).await?;
                if survivor != merged && w.move_child(spec, &child, column, &survivor).await?.is_some() {
                    moved += 1;
                }
            }
        }
    }
    Ok(moved)
}
