//! Reads and writes of associations. Writes go through the store, which stamps them for sync.

use sqlx::Row;

use super::{
    validate, validate_logo, Association, AssociationDraft, AssociationFields, AssociationQuery, AssociationSummary,
    Logo, SortKey, TABLE,
};
use crate::error::{Error, Result};
use crate::listing::{json_list, Listing, Page};
use crate::site;
use crate::store::{from_fields, to_fields, Fields, Life, Store, StoredRow, Value};
use crate::vocab;

async fn checked(store: &Store, draft: &AssociationDraft) -> Result<AssociationFields> {
    let installation = site::load(store.pool()).await?;
    validate(draft, store.today(), installation.network.as_deref())
}

/// What to do with the logo in the same write as the fields.
#[derive(Debug, Clone, Default)]
pub enum LogoChange {
    #[default]
    Keep,
    Set(Logo),
    Remove,
}

impl LogoChange {
    fn apply(self, fields: &mut Fields) {
        let (logo, mime) = match self {
            LogoChange::Keep => return,
            LogoChange::Set(logo) => (Value::Blob(logo.bytes), Value::Text(logo.mime.into())),
            LogoChange::Remove => (Value::Null, Value::Null),
        };
        fields.insert("logo", logo);
        fields.insert("logo_mime", mime);
    }
}

pub async fn create(store: &Store, draft: &AssociationDraft, logo: LogoChange) -> Result<Association> {
    let mut fields = to_fields(&TABLE, &checked(store, draft).await?)?;
    logo.apply(&mut fields);
    let id = store.insert(&TABLE, fields).await?;
    get(store, &id).await
}

/// Saves a whole draft; only the fields that differ from the stored ones are written.
pub async fn update(store: &Store, id: &str, draft: &AssociationDraft, logo: LogoChange) -> Result<Association> {
    let mut fields = to_fields(&TABLE, &checked(store, draft).await?)?;
    logo.apply(&mut fields);
    store.update(&TABLE, id, fields).await?;
    get(store, id).await
}

/// Reads one association, deleted ones included (so a delete can be undone from its view).
pub async fn get(store: &Store, id: &str) -> Result<Association> {
    to_association(id, unpurged_row(store, id).await?)
}

/// The association, its logo (MIME type and bytes, if there is one) and the stamp of its last
/// change, from one read.
pub async fn get_with_logo(store: &Store, id: &str) -> Result<(Association, Option<(String, Vec<u8>)>, i64)> {
    let row = unpurged_row(store, id).await?;
    let logo = logo_of(&row);
    let changed_hlc = row.changed_hlc;
    Ok((to_association(id, row)?, logo, changed_hlc))
}

async fn unpurged_row(store: &Store, id: &str) -> Result<StoredRow> {
    match store.fetch(&TABLE, id).await? {
        Some(row) if row.life != Life::Purged => Ok(row),
        _ => Err(not_found(id)),
    }
}

/// Deletes as a tombstone: the row stays, marked deleted, and can be restored. Refused while
/// cooperations exist, unless `with_cooperations` (then they are deleted in the same transaction).
/// Returns the association and the ids of the cooperations deleted with it.
pub async fn delete_with(store: &Store, id: &str, with_cooperations: bool) -> Result<(Association, Vec<String>)> {
    get(store, id).await?;
    let cooperations = crate::cooperation::delete_organisation(store, &TABLE, id, with_cooperations).await?;
    Ok((get(store, id).await?, cooperations))
}

/// Deletes an association that has no cooperations (see `delete_with`).
pub async fn delete(store: &Store, id: &str) -> Result<Association> {
    Ok(delete_with(store, id, false).await?.0)
}

pub async fn restore(store: &Store, id: &str) -> Result<Association> {
    store.set_life(&TABLE, id, Life::Alive).await?;
    get(store, id).await
}

/// Sets (Some) or removes (None) the logo. Broken, foreign or oversized images are refused.
pub async fn set_logo(store: &Store, id: &str, image: Option<Vec<u8>>) -> Result<Association> {
    let change = match image {
        Some(bytes) => LogoChange::Set(validate_logo(bytes)?),
        None => LogoChange::Remove,
    };
    let mut fields = Fields::new();
    change.apply(&mut fields);
    store.update(&TABLE, id, fields).await?;
    get(store, id).await
}

/// The logo's MIME type and bytes, if there is one.
pub async fn logo(store: &Store, id: &str) -> Result<Option<(String, Vec<u8>)>> {
    let row = store.fetch(&TABLE, id).await?.ok_or_else(|| not_found(id))?;
    Ok(logo_of(&row))
}

fn logo_of(row: &StoredRow) -> Option<(String, Vec<u8>)> {
    match (row.fields.get("logo_mime"), row.fields.get("logo")) {
        (Some(Value::Text(mime)), Some(Value::Blob(bytes))) => Some((mime.clone(), bytes.clone())),
        _ => None,
    }
}

fn not_found(id: &str) -> Error {
    Error::not_found("association", id)
}

fn to_association(id: &str, row: StoredRow) -> Result<Association> {
    let fields: AssociationFields = from_fields(&TABLE, &row.fields)?;
    let notice_valid_until = notice_valid_until(&fields);
    Ok(Association {
        id: id.to_string(),
        life: row.life,
        has_logo: matches!(row.fields.get("logo"), Some(Value::Blob(_))),
        changed_at: crate::store::rfc3339_from_hlc(row.changed_hlc),
        notice_valid_until,
        fields,
    })
}

fn notice_valid_until(fields: &AssociationFields) -> Option<String> {
    notice_valid_until_of(fields.notice_kind.as_deref()?, fields.notice_date.as_deref()?)
}

/// The day a tax-office notice of this kind and date stops counting as current.
pub fn notice_valid_until_of(kind: &str, date: &str) -> Option<String> {
    let years = vocab::notice_validity_years(kind)?;
    let date = super::parse_date(date)?;
    let until = date
        .replace_year(date.year() + years)
        .or_else(|_| date.replace_day(28).and_then(|d| d.replace_year(d.year() + years)));
    until.ok().map(|d| d.to_string())
}

/// One page of living associations matching the query, with the total count.
pub async fn list(store: &Store, query: &AssociationQuery) -> Result<Page<AssociationSummary>> {
    let direction = if query.descending { "DESC" } else { "ASC" };
    let order = match query.sort {
        SortKey::Name => format!("sort_key {direction}"),
        SortKey::City => format!("city IS NULL, city COLLATE NOCASE {direction}, sort_key"),
        SortKey::Founded => format!("founded_year IS NULL, founded_year {direction}, sort_key"),
        SortKey::Changed => format!("changed_hlc {direction}"),
    };
    Listing::new(&TABLE)
        .words(&query.text)
        .contains("themes", query.theme.as_deref())
        .contains("target_groups", query.target_group.as_deref())
        .equals_text("city", query.city.as_deref())
        .equals("network", query.network.as_deref())
        .equals("state", query.state.as_deref())
        .equals("district", query.district.as_deref())
        .equals("status", query.status.as_deref())
        .page(
            store.pool(),
            "id, name, name_original, short_name, city, district, network, themes, status, founded_year",
            &order,
            query.offset,
            query.limit,
            |r| {
                Ok(AssociationSummary {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    name_original: r.try_get("name_original")?,
                    short_name: r.try_get("short_name")?,
                    city: r.try_get("city")?,
                    district: r.try_get("district")?,
                    network: r.try_get("network")?,
                    themes: json_list(r, "themes")?,
                    status: r.try_get("status")?,
                    founded_year: r.try_get("founded_year")?,
                })
            },
        )
        .await
}
