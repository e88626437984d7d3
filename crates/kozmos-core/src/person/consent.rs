//! Consent records of a person: their reads and writes (the record and its checks are in the model).

use std::collections::HashMap;

use serde::Serialize;
use sqlx::Row;

use super::{validate_consent, ConsentDraft, ConsentRecord, CONSENT_TABLE};
use crate::error::Result;
use crate::store::{rfc3339_from_hlc, to_fields, Fields, Store};

#[derive(Serialize)]
struct StoredConsent<'a> {
    person_id: &'a str,
    purpose: String,
    status: String,
    date: String,
    channel: Option<String>,
    recorded_by: Option<String>,
    note: Option<String>,
}

/// Adds a consent record to a person (through the store). `recorded_by` is the volunteer.
pub async fn add_consent(
    store: &Store,
    person_id: &str,
    draft: &ConsentDraft,
    today: time::Date,
    recorded_by: Option<String>,
) -> Result<String> {
    let (purpose, status, date, channel, note) = validate_consent(draft, today)?;
    let record = StoredConsent {
        person_id,
        purpose,
        status,
        date,
        channel,
        recorded_by,
        note,
    };
    let fields: Fields = to_fields(&CONSENT_TABLE, &record)?;
    store.insert(&CONSENT_TABLE, fields).await
}

/// Every consent record of a person, oldest first.
pub async fn consents_of(store: &Store, person_id: &str) -> Result<Vec<ConsentRecord>> {
    let mut of = consents_where(store, "person_id = ?", person_id).await?;
    Ok(of.remove(person_id).unwrap_or_default())
}

/// The consent records of each living person of an association (oldest first), in one read; a
/// person without any has no entry.
pub async fn consents_of_association(
    store: &Store,
    association_id: &str,
) -> Result<HashMap<String, Vec<ConsentRecord>>> {
    let persons = "person_id IN (SELECT id FROM persons WHERE association_id = ? AND life = 'alive')";
    consents_where(store, persons, association_id).await
}

/// The living consent records whose person meets `condition` (one `?`, bound to `value`), by person.
async fn consents_where(
    store: &Store,
    condition: &'static str,
    value: &str,
) -> Result<HashMap<String, Vec<ConsentRecord>>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT person_id, id, purpose, status, date, channel, recorded_by, note, changed_hlc FROM consents
         WHERE {condition} AND life = 'alive' ORDER BY date, changed_hlc"
    )))
    .bind(value)
    .fetch_all(store.pool())
    .await?;
    let mut of: HashMap<String, Vec<ConsentRecord>> = HashMap::new();
    for r in rows {
        let record = ConsentRecord {
            id: r.try_get("id")?,
            purpose: r.try_get("purpose")?,
            status: r.try_get("status")?,
            date: r.try_get("date")?,
            channel: r.try_get("channel")?,
            recorded_by: r.try_get("recorded_by")?,
            note: r.try_get("note")?,
            recorded_at: rfc3339_from_hlc(r.try_get("changed_hlc")?),
        };
        of.entry(r.try_get("person_id")?).or_default().push(record);
    }
    Ok(of)
}
