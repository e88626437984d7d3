//! Reads and writes of foundations. Writes go through the store, which stamps them for sync.

use sqlx::Row;

use super::{
    validate, Foundation, FoundationDraft, FoundationFields, FoundationQuery, FoundationSort, FoundationSummary, TABLE,
};
use crate::error::{Error, Result};
use crate::listing::{json_list, Listing, Page};
use crate::site;
use crate::store::{from_fields, to_fields, Life, Store};

async fn checked(store: &Store, draft: &FoundationDraft) -> Result<FoundationFields> {
    let installation = site::load(store.pool()).await?;
    validate(draft, store.today(), installation.network.as_deref())
}

pub async fn create(store: &Store, draft: &FoundationDraft) -> Result<Foundation> {
    let id = store
        .insert(&TABLE, to_fields(&TABLE, &checked(store, draft).await?)?)
        .await?;
    get(store, &id).await
}

/// Saves a whole draft; only the fields that differ from the stored ones are written.
pub async fn update(store: &Store, id: &str, draft: &FoundationDraft) -> Result<Foundation> {
    store
        .update(&TABLE, id, to_fields(&TABLE, &checked(store, draft).await?)?)
        .await?;
    get(store, id).await
}

/// Reads one foundation, deleted ones included.
pub async fn get(store: &Store, id: &str) -> Result<Foundation> {
    let row = store
        .fetch(&TABLE, id)
        .await?
        .filter(|r| r.life != Life::Purged)
        .ok_or_else(|| not_found(id))?;
    Ok(Foundation {
        id: id.to_string(),
        life: row.life,
        fields: from_fields(&TABLE, &row.fields)?,
        changed_at: crate::store::rfc3339_from_hlc(row.changed_hlc),
    })
}

/// Deletes as a tombstone; refused while cooperations exist unless `with_cooperations`.
/// Returns the foundation and the ids of the cooperations deleted with it.
pub async fn delete_with(store: &Store, id: &str, with_cooperations: bool) -> Result<(Foundation, Vec<String>)> {
    get(store, id).await?;
    let cooperations = crate::cooperation::delete_organisation(store, &TABLE, id, with_cooperations).await?;
    Ok((get(store, id).await?, cooperations))
}

/// Deletes a foundation that has no cooperations (see `delete_with`).
pub async fn delete(store: &Store, id: &str) -> Result<Foundation> {
    Ok(delete_with(store, id, false).await?.0)
}

pub async fn restore(store: &Store, id: &str) -> Result<Foundation> {
    store.set_life(&TABLE, id, Life::Alive).await?;
    get(store, id).await
}

fn not_found(id: &str) -> Error {
    Error::not_found("foundation", id)
}

/// One page of living foundations matching the query, with the total count.
pub async fn list(store: &Store, query: &FoundationQuery) -> Result<Page<FoundationSummary>> {
    let direction = if query.descending { "DESC" } else { "ASC" };
    let order = match query.sort {
        FoundationSort::Name => format!("sort_key {direction}"),
        FoundationSort::City => format!("city IS NULL, city COLLATE NOCASE {direction}, sort_key"),
        FoundationSort::Changed => format!("changed_hlc {direction}"),
    };
    let today = store.today().to_string();
    Listing::new(&TABLE)
        .words(&query.text)
        .contains("themes", query.theme.as_deref())
        .equals("state", query.state.as_deref())
        .equals("funding_area", query.funding_area.as_deref())
        .page(
            store.pool(),
            "id, name, city, state, funding_area, themes, grant_min, grant_max, deadlines",
            &order,
            query.offset,
            query.limit,
            |r| {
                Ok(FoundationSummary {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    city: r.try_get("city")?,
                    state: r.try_get("state")?,
                    funding_area: r.try_get("funding_area")?,
                    themes: json_list(r, "themes")?,
                    grant_min: r.try_get("grant_min")?,
                    grant_max: r.try_get("grant_max")?,
                    next_deadline: json_list(r, "deadlines")?.into_iter().find(|d| *d >= today),
                })
            },
        )
        .await
}
