//! Planning an import: every row validated with the domain's own rules and classified as create,
//! update, unchanged, duplicate or rejected. TablePreview and apply both plan with this code, so the
//! preview's counts are the applied counts.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use sqlx::Row;
use ts_rs::TS;

use super::kind::{self, ImportKind, ID, ORGANISATION, ORGANISATION_ID};
use super::mapping::{self, Mapping};
use super::read::Table;
use super::values;
use crate::error::{Error, FieldError, Result};
use crate::person::Parent;
use crate::store::{Fields, Store, Value};
use crate::text::fold;

/// What to do with a row that has the same identity (name with postcode or e-mail) as a stored record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OnMatch {
    /// Leave the stored record as it is; the row is skipped as a duplicate.
    #[default]
    Skip,
    /// Write the row's non-empty cells into the stored record.
    Update,
}

/// What the user chose: kind, column mapping, what to do with matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportChoice {
    pub kind: ImportKind,
    pub mapping: Mapping,
    #[serde(default)]
    pub on_match: OnMatch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportRowStatus {
    Create,
    Update,
    /// Names an existing record and changes nothing in it.
    Unchanged,
    /// Same identity as a stored record or an earlier row of the file.
    Duplicate,
    Reject,
}

/// A problem with one cell (column None: the row as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportCellError {
    pub column: Option<u32>,
    pub field: String,
    pub code: String,
    pub message_de: String,
    pub message_en: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct TablePreviewRow {
    /// The row's line in the file (1 = header).
    pub line: u32,
    pub status: ImportRowStatus,
    /// The record updated, or the one this row duplicates.
    pub target_id: Option<String>,
    /// That record's name.
    pub target: Option<String>,
    /// For a duplicate of an earlier row of the same file: that row's line.
    pub duplicate_of_line: Option<u32>,
    pub cells: Vec<String>,
    pub errors: Vec<ImportCellError>,
    /// The row's ID names no record here; it is planned without it.
    pub foreign_id: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct ImportCounts {
    pub create: u32,
    pub update: u32,
    pub unchanged: u32,
    pub duplicate: u32,
    pub reject: u32,
    /// Rows whose ID names no record here (another installation's list): planned as new, or as
    /// duplicates of what they match.
    pub foreign_ids: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct TablePreview {
    pub kind: ImportKind,
    /// Hex SHA-256 of the file previewed; the apply is refused when the file has changed since
    /// (`import::check_same_file`).
    pub file_sha256: String,
    pub headers: Vec<String>,
    pub mapping: Mapping,
    pub counts: ImportCounts,
    pub rows: Vec<TablePreviewRow>,
}

/// A write the apply step will make.
pub(super) enum Write {
    Create(Fields),
    Update(String, Fields),
}

pub(super) struct Plan {
    pub preview: TablePreview,
    pub writes: Vec<Write>,
}

/// The living records of the kind by identity key: id and name.
async fn stored_identities(store: &Store, kind: ImportKind) -> Result<HashMap<String, (String, String)>> {
    let postcode = if kind == ImportKind::Persons {
        "NULL"
    } else {
        "postcode"
    };
    let sql = format!(
        "SELECT id, name, {postcode} AS postcode, email FROM {} WHERE life = 'alive'",
        kind.spec().name
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(store.pool()).await?;
    let mut out = HashMap::new();
    for r in rows {
        let (id, name): (String, Option<String>) = (r.try_get("id")?, r.try_get("name")?);
        let name = name.unwrap_or_default();
        let (postcode, email): (Option<String>, Option<String>) = (r.try_get("postcode")?, r.try_get("email")?);
        for key in crate::duplicates::identity_keys(&name, postcode.as_deref(), email.as_deref()) {
            out.entry(key).or_insert_with(|| (id.clone(), name.clone()));
        }
    }
    Ok(out)
}

/// Living associations and foundations by folded name and by id, for persons' organisations.
struct Organisations {
    by_name: HashMap<String, Vec<Parent>>,
    by_id: HashMap<String, Parent>,
}

impl Organisations {
    async fn load(store: &Store) -> Result<Organisations> {
        let mut orgs = Organisations {
            by_name: HashMap::new(),
            by_id: HashMap::new(),
        };
        for table in ["associations", "foundations"] {
            let sql = format!("SELECT id, name FROM {table} WHERE life = 'alive'");
            for r in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(store.pool()).await? {
                let (id, name): (String, String) = (r.try_get("id")?, r.try_get("name")?);
                let parent = match table {
                    "associations" => Parent::Association(id.clone()),
                    _ => Parent::Foundation(id.clone()),
                };
                orgs.by_name.entry(fold(&name)).or_default().push(parent.clone());
                orgs.by_id.insert(id, parent);
            }
        }
        Ok(orgs)
    }

    fn find(&self, name: Option<&str>, id: Option<&str>) -> std::result::Result<Parent, FieldError> {
        // An id not known here (another installation's list) gives way to the name beside it.
        if let Some(found) = id.and_then(|id| self.by_id.get(id.trim())) {
            return Ok(found.clone());
        }
        if let (Some(id), None) = (id, name) {
            return self.by_id.get(id.trim()).cloned().ok_or_else(|| {
                FieldError::new(
                    ORGANISATION_ID,
                    "organisation_unknown",
                    "Organisation (ID): kein Verein und keine Stiftung mit dieser ID.",
                    "Organisation (ID): no association or foundation has this id.",
                )
            });
        }
        let Some(name) = name else {
            return Err(FieldError::new(
                ORGANISATION,
                "organisation_missing",
                "Organisation: bitte den Verein oder die Stiftung der Person angeben.",
                "Organisation: please give the person's association or foundation.",
            ));
        };
        match self.by_name.get(&fold(name)).map(Vec::as_slice) {
            Some([one]) => Ok(one.clone()),
            Some([_, _, ..]) => Err(FieldError::new(
                ORGANISATION,
                "organisation_ambiguous",
                "Organisation: mehrere Vereine oder Stiftungen heißen so; bitte die ID angeben.",
                "Organisation: several associations or foundations have this name; please give the id.",
            )),
            _ => Err(FieldError::new(
                ORGANISATION,
                "organisation_unknown",
                "Organisation: kein Verein und keine Stiftung dieses Namens gefunden.",
                "Organisation: no association or foundation of this name was found.",
            )),
        }
    }
}

/// One row's outcome before it is counted.
struct Planned {
    status: ImportRowStatus,
    target_id: Option<String>,
    target: Option<String>,
    duplicate_of_line: Option<u32>,
    errors: Vec<FieldError>,
    write: Option<Write>,
}

impl Planned {
    fn reject(errors: Vec<FieldError>) -> Planned {
        Planned {
            status: ImportRowStatus::Reject,
            target_id: None,
            target: None,
            duplicate_of_line: None,
            errors,
            write: None,
        }
    }
}

pub(super) async fn plan(store: &Store, table: &Table, choice: &ImportChoice) -> Result<Plan> {
    let kind = choice.kind;
    mapping::check(kind, &table.headers, &choice.mapping)?;
    let today = store.today();
    let owner = crate::site::load(store.pool()).await?.network;
    let stored = stored_identities(store, kind).await?;
    let orgs = match kind {
        ImportKind::Persons => Some(Organisations::load(store).await?),
        _ => None,
    };
    let column_of = |field: &str| choice.mapping.iter().position(|m| m.as_deref() == Some(field));
    let mut in_file: HashMap<String, u32> = HashMap::new();
    let mut counts = ImportCounts::default();
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut writes = Vec::new();
    for (cells, &line) in table.rows.iter().zip(&table.lines) {
        let line = line as u32;
        let planned = plan_row(store, kind, choice, cells, today, owner.as_deref(), orgs.as_ref()).await?;
        let planned = match planned {
            Planned {
                status: ImportRowStatus::Create,
                write: Some(Write::Create(fields)),
                ..
            } => {
                classify_new(
                    store,
                    kind,
                    choice,
                    cells,
                    fields,
                    &stored,
                    &mut in_file,
                    line,
                    today,
                    owner.as_deref(),
                )
                .await?
            }
            other => other,
        };
        let foreign_id = cell_of(&choice.mapping, cells, ID).is_some()
            && matches!(planned.status, ImportRowStatus::Create | ImportRowStatus::Duplicate);
        counts.foreign_ids += u32::from(foreign_id);
        match planned.status {
            ImportRowStatus::Create => counts.create += 1,
            ImportRowStatus::Update => counts.update += 1,
            ImportRowStatus::Unchanged => counts.unchanged += 1,
            ImportRowStatus::Duplicate => counts.duplicate += 1,
            ImportRowStatus::Reject => counts.reject += 1,
        }
        if let Some(write) = planned.write {
            writes.push(write);
        }
        rows.push(TablePreviewRow {
            line,
            status: planned.status,
            target_id: planned.target_id,
            target: planned.target,
            duplicate_of_line: planned.duplicate_of_line,
            cells: cells.clone(),
            foreign_id,
            errors: planned
                .errors
                .into_iter()
                .map(|e| ImportCellError {
                    column: column_of(&e.field).map(|i| i as u32),
                    field: e.field,
                    code: e.code,
                    message_de: e.message_de,
                    message_en: e.message_en,
                })
                .collect(),
        });
    }
    Ok(Plan {
        preview: TablePreview {
            kind,
            file_sha256: table.sha256.clone(),
            headers: table.headers.clone(),
            mapping: choice.mapping.clone(),
            counts,
            rows,
        },
        writes,
    })
}

/// The draft of a row: `base` (a stored record's draft, or empty) with the row's non-empty cells.
fn overlay(
    kind: ImportKind,
    choice: &ImportChoice,
    cells: &[String],
    mut base: Map<String, Json>,
) -> Map<String, Json> {
    for (target, raw) in choice.mapping.iter().zip(cells) {
        let Some(info) = target
            .as_deref()
            .and_then(|t| kind.fields().iter().find(|f| f.name == t))
        else {
            continue;
        };
        if !values::is_blank(raw) {
            base.insert(info.name.to_string(), values::draft_value(kind, info, raw));
        }
    }
    base
}

/// Validation errors become the row's reasons; other errors stop the planning.
fn validated(
    kind: ImportKind,
    draft: Map<String, Json>,
    today: time::Date,
    owner: Option<&str>,
) -> Result<std::result::Result<Fields, Vec<FieldError>>> {
    match kind.validate(draft, today, owner) {
        Ok(fields) => Ok(Ok(fields)),
        Err(Error::Invalid(errors)) => Ok(Err(errors)),
        Err(other) => Err(other),
    }
}

/// A row naming a stored record by id is an update of it; any other row a create (then checked
/// for duplicates by `classify_new`).
#[allow(clippy::too_many_arguments)]
async fn plan_row(
    store: &Store,
    kind: ImportKind,
    choice: &ImportChoice,
    cells: &[String],
    today: time::Date,
    owner: Option<&str>,
    orgs: Option<&Organisations>,
) -> Result<Planned> {
    let cell = |target: &str| cell_of(&choice.mapping, cells, target);
    if let Some(id) = cell(ID) {
        if uuid::Uuid::parse_str(id.trim()).is_err() {
            return Ok(Planned::reject(vec![FieldError::new(
                ID,
                "id_invalid",
                format!(
                    "ID: „{}“ ist keine KOZMOS-ID. Lassen Sie die Zelle leer, um einen neuen Eintrag anzulegen.",
                    id.trim()
                ),
                format!(
                    "ID: \"{}\" is not a KOZMOS id. Leave the cell empty to create a new record.",
                    id.trim()
                ),
            )]));
        }
        // An id this installation has never seen comes from another installation's list: the
        // row is planned like one without an id (never created under that id).
        if let Some((base, stored)) = kind.stored(store, id.trim()).await? {
            return Ok(
                match validated(kind, overlay(kind, choice, cells, base), today, owner)? {
                    Err(errors) => Planned::reject(errors),
                    Ok(fields) => update_of(id.trim(), fields, &stored),
                },
            );
        }
    }
    let fields = match validated(kind, overlay(kind, choice, cells, Map::new()), today, owner)? {
        Err(errors) => return Ok(Planned::reject(errors)),
        Ok(fields) => fields,
    };
    let mut fields = fields;
    if let Some(orgs) = orgs {
        match orgs.find(cell(ORGANISATION), cell(ORGANISATION_ID)) {
            Err(error) => return Ok(Planned::reject(vec![error])),
            Ok(Parent::Association(id)) => fields.insert("association_id", Value::Text(id)),
            Ok(Parent::Foundation(id)) => fields.insert("foundation_id", Value::Text(id)),
        };
    }
    Ok(Planned {
        status: ImportRowStatus::Create,
        target_id: None,
        target: None,
        duplicate_of_line: None,
        errors: Vec::new(),
        write: Some(Write::Create(fields)),
    })
}

/// The non-empty cell of the column mapped to `target`.
fn cell_of<'a>(mapping: &Mapping, cells: &'a [String], target: &str) -> Option<&'a str> {
    mapping
        .iter()
        .position(|m| m.as_deref() == Some(target))
        .map(|i| cells[i].as_str())
        .filter(|c| !values::is_blank(c))
}

fn update_of(id: &str, fields: Fields, stored: &Fields) -> Planned {
    let changes = fields.iter().any(|(col, value)| stored.get(col) != Some(value));
    let name = match stored.get("name") {
        Some(Value::Text(name)) => Some(name.clone()),
        _ => None,
    };
    Planned {
        status: if changes {
            ImportRowStatus::Update
        } else {
            ImportRowStatus::Unchanged
        },
        target_id: Some(id.to_string()),
        target: name,
        duplicate_of_line: None,
        errors: Vec::new(),
        write: changes.then(|| Write::Update(id.to_string(), fields)),
    }
}

/// A new row that shares an identity key with an earlier row of the file or a stored record is a
/// duplicate (or, when the user chose so, an update of that stored record).
#[allow(clippy::too_many_arguments)]
async fn classify_new(
    store: &Store,
    kind: ImportKind,
    choice: &ImportChoice,
    cells: &[String],
    fields: Fields,
    stored: &HashMap<String, (String, String)>,
    in_file: &mut HashMap<String, u32>,
    line: u32,
    today: time::Date,
    owner: Option<&str>,
) -> Result<Planned> {
    let keys = kind::identity(&fields);
    if let Some(earlier) = keys.iter().find_map(|k| in_file.get(k)) {
        return Ok(Planned {
            status: ImportRowStatus::Duplicate,
            target_id: None,
            target: None,
            duplicate_of_line: Some(*earlier),
            errors: Vec::new(),
            write: None,
        });
    }
    for key in &keys {
        in_file.insert(key.clone(), line);
    }
    let Some((id, name)) = keys.iter().find_map(|k| stored.get(k)) else {
        return Ok(Planned {
            status: ImportRowStatus::Create,
            target_id: None,
            target: None,
            duplicate_of_line: None,
            errors: Vec::new(),
            write: Some(Write::Create(fields)),
        });
    };
    if choice.on_match == OnMatch::Skip {
        return Ok(Planned {
            status: ImportRowStatus::Duplicate,
            target_id: Some(id.clone()),
            target: Some(name.clone()),
            duplicate_of_line: None,
            errors: Vec::new(),
            write: None,
        });
    }
    let Some((base, stored_fields)) = kind.stored(store, id).await? else {
        return Err(Error::not_found(kind.spec().entity, id));
    };
    // The stored spelling of the name stays: the row only matched it.
    let name = base.get("name").cloned();
    let mut draft = overlay(kind, choice, cells, base);
    if let Some(name) = name {
        draft.insert("name".into(), name);
    }
    Ok(match validated(kind, draft, today, owner)? {
        Err(errors) => Planned::reject(errors),
        Ok(fields) => update_of(id, fields, &stored_fields),
    })
}
