//! Reads and writes of an association's projects and ideas (the records are in the model).

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use kozmos_model::project::*;

use crate::error::{Error, Result};
use crate::store::{from_fields, to_fields, Life, Store, StoredRow, TableSpec, Value};

async fn living_association(store: &Store, id: &str) -> Result<()> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM associations WHERE id = ? AND life = 'alive'")
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    found.map(|_| ()).ok_or_else(|| Error::not_found("association", id))
}

/// Adds a child record (project or idea) to a living association.
async fn add<T: Serialize>(
    store: &Store,
    spec: &'static TableSpec,
    association_id: &str,
    record: &T,
) -> Result<String> {
    living_association(store, association_id).await?;
    let mut fields = to_fields(spec, record)?;
    fields.insert("association_id", Value::Text(association_id.into()));
    store.insert(spec, fields).await
}

async fn read<T: DeserializeOwned>(store: &Store, spec: &'static TableSpec, id: &str) -> Result<T> {
    let row = store
        .fetch(spec, id)
        .await?
        .filter(|r| r.life == Life::Alive)
        .ok_or_else(|| Error::not_found(spec.entity, id))?;
    record(spec, id, &row)
}

/// A project or idea from its stored row.
fn record<T: DeserializeOwned>(spec: &TableSpec, id: &str, row: &StoredRow) -> Result<T> {
    let mut json = serde_json::to_value(from_fields::<serde_json::Value>(spec, &row.fields)?).unwrap_or_default();
    json["id"] = serde_json::Value::from(id);
    serde_json::from_value(json).map_err(|e| Error::Database(e.to_string()))
}

/// The living projects or ideas of one association, in `order`, read in one statement, each with
/// the stamp of its last change.
async fn children<T: DeserializeOwned>(
    store: &Store,
    spec: &'static TableSpec,
    association_id: &str,
    order: &str,
) -> Result<Vec<(T, i64)>> {
    let rows = store
        .fetch_living(spec, "association_id", association_id, order)
        .await?;
    rows.iter()
        .map(|(id, row)| Ok((record(spec, id, row)?, row.changed_hlc)))
        .collect()
}

fn unstamped<T>(stamped: Vec<(T, i64)>) -> Vec<T> {
    stamped.into_iter().map(|(record, _)| record).collect()
}

pub async fn add_project(store: &Store, association_id: &str, draft: &ProjectDraft) -> Result<Project> {
    let id = add(
        store,
        &PROJECT_TABLE,
        association_id,
        &validate_project(draft, store.today())?,
    )
    .await?;
    read(store, &PROJECT_TABLE, &id).await
}

pub async fn update_project(store: &Store, id: &str, draft: &ProjectDraft) -> Result<Project> {
    store
        .update(
            &PROJECT_TABLE,
            id,
            to_fields(&PROJECT_TABLE, &validate_project(draft, store.today())?)?,
        )
        .await?;
    read(store, &PROJECT_TABLE, id).await
}

pub async fn project(store: &Store, id: &str) -> Result<Project> {
    read(store, &PROJECT_TABLE, id).await
}

/// An association's activities and projects, newest year first.
pub async fn projects_of(store: &Store, association_id: &str) -> Result<Vec<Project>> {
    Ok(unstamped(stamped_projects_of(store, association_id).await?))
}

/// As `projects_of`, each with the stamp of its last change.
pub async fn stamped_projects_of(store: &Store, association_id: &str) -> Result<Vec<(Project, i64)>> {
    children(
        store,
        &PROJECT_TABLE,
        association_id,
        "year IS NULL, year DESC, sort_key",
    )
    .await
}

pub async fn add_idea(store: &Store, association_id: &str, draft: &IdeaDraft) -> Result<Idea> {
    let id = add(store, &IDEA_TABLE, association_id, &validate_idea(draft)?).await?;
    read(store, &IDEA_TABLE, &id).await
}

pub async fn update_idea(store: &Store, id: &str, draft: &IdeaDraft) -> Result<Idea> {
    store
        .update(&IDEA_TABLE, id, to_fields(&IDEA_TABLE, &validate_idea(draft)?)?)
        .await?;
    read(store, &IDEA_TABLE, id).await
}

pub async fn idea(store: &Store, id: &str) -> Result<Idea> {
    read(store, &IDEA_TABLE, id).await
}

pub async fn ideas_of(store: &Store, association_id: &str) -> Result<Vec<Idea>> {
    Ok(unstamped(stamped_ideas_of(store, association_id).await?))
}

/// As `ideas_of`, each with the stamp of its last change.
pub async fn stamped_ideas_of(store: &Store, association_id: &str) -> Result<Vec<(Idea, i64)>> {
    children(store, &IDEA_TABLE, association_id, "sort_key").await
}

/// Deletes a project or idea (a tombstone, as everything synced).
pub async fn delete(store: &Store, kind: &str, id: &str) -> Result<()> {
    let spec = if kind == "idea" { &IDEA_TABLE } else { &PROJECT_TABLE };
    store.set_life(spec, id, Life::Deleted).await?;
    Ok(())
}
