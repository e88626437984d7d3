//! Reads and writes of persons. Writes go through the store, which stamps them for sync.

use sqlx::Row;

use super::{
    add_consent, consents_of, current_consent, validate, ConsentDraft, Parent, Person, PersonDraft, PersonSummary,
    TABLE,
};
use crate::error::{Error, Result};
use crate::listing::{Listing, Page};
use crate::site;
use crate::store::{from_fields, rfc3339_from_hlc, to_fields, Fields, Life, Store, Value};

/// The name of the living organisation a person is to belong to, or not found.
async fn parent_name(store: &Store, parent: &Parent) -> Result<String> {
    let (table, entity, id) = match parent {
        Parent::Association(id) => ("associations", "association", id),
        Parent::Foundation(id) => ("foundations", "foundation", id),
    };
    let sql = format!("SELECT name FROM {table} WHERE id = ? AND life = 'alive'");
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(store.pool())
        .await?
        .ok_or_else(|| Error::not_found(entity, id))
}

pub async fn create(store: &Store, parent: &Parent, draft: &PersonDraft) -> Result<Person> {
    let fields = validate(draft)?;
    parent_name(store, parent).await?;
    let mut row: Fields = to_fields(&TABLE, &fields)?;
    let (col, id) = match parent {
        Parent::Association(id) => ("association_id", id),
        Parent::Foundation(id) => ("foundation_id", id),
    };
    row.insert(col, Value::Text(id.clone()));
    let id = store.insert(&TABLE, row).await?;
    get(store, &id).await
}

pub async fn update(store: &Store, id: &str, draft: &PersonDraft) -> Result<Person> {
    refuse_withheld(store, id).await?;
    store.update(&TABLE, id, to_fields(&TABLE, &validate(draft)?)?).await?;
    get(store, id).await
}

/// Reads one person with every consent record; erased persons are read as such.
pub async fn get(store: &Store, id: &str) -> Result<Person> {
    let row = store
        .fetch(&TABLE, id)
        .await?
        .ok_or_else(|| Error::not_found("person", id))?;
    let parent = match (row.fields.get("association_id"), row.fields.get("foundation_id")) {
        (Some(Value::Text(a)), _) => Parent::Association(a.clone()),
        (_, Some(Value::Text(f))) => Parent::Foundation(f.clone()),
        _ => return Err(Error::Database(format!("person {id} belongs to no organisation"))),
    };
    let (table, parent_id) = match &parent {
        Parent::Association(a) => ("associations", a),
        Parent::Foundation(f) => ("foundations", f),
    };
    let sql = format!("SELECT name FROM {table} WHERE id = ?");
    let parent_name: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(parent_id)
        .fetch_one(store.pool())
        .await?;
    let consents = consents_of(store, id).await?;
    let withheld = crate::sync::withheld::is_withheld(&mut *store.pool().acquire().await?, id).await?;
    Ok(Person {
        withheld,
        id: id.to_string(),
        life: row.life,
        parent,
        parent_name,
        fields: from_fields(&TABLE, &row.fields)?,
        current_consent: current_consent(&consents),
        consents,
        changed_at: rfc3339_from_hlc(row.changed_hlc),
    })
}

pub async fn delete(store: &Store, id: &str) -> Result<Person> {
    refuse_withheld(store, id).await?;
    store.set_life(&TABLE, id, Life::Deleted).await?;
    get(store, id).await
}

pub async fn restore(store: &Store, id: &str) -> Result<Person> {
    refuse_withheld(store, id).await?;
    store.set_life(&TABLE, id, Life::Alive).await?;
    get(store, id).await
}

/// Records a consent given or withdrawn (a new record; earlier ones stay as history).
pub async fn record_consent(store: &Store, person_id: &str, draft: &ConsentDraft) -> Result<Person> {
    let person = get(store, person_id).await?;
    if person.life != Life::Alive {
        return Err(Error::not_found("person", person_id));
    }
    refuse_withheld(store, person_id).await?;
    let volunteer = site::load(store.pool()).await?.volunteer;
    add_consent(store, person_id, draft, store.today(), volunteer).await?;
    get(store, person_id).await
}

/// Withdraws consent for one purpose, today, in one action.
pub async fn withdraw_consent(store: &Store, person_id: &str, purpose: &str) -> Result<Person> {
    let draft = ConsentDraft {
        purpose: purpose.into(),
        status: "withdrawn".into(),
        ..Default::default()
    };
    record_consent(store, person_id, &draft).await
}

/// The other network no longer shares the person: only erasing is possible here.
async fn refuse_withheld(store: &Store, id: &str) -> Result<()> {
    if !crate::sync::withheld::is_withheld(&mut *store.pool().acquire().await?, id).await? {
        return Ok(());
    }
    Err(Error::invalid(
        "person",
        "person_withheld",
        "Das andere Netzwerk teilt diese Person nicht mehr; ihre persönlichen Daten wurden hier entfernt. Sie können sie hier nicht bearbeiten, nur löschen. Bitten Sie das andere Netzwerk, eine neue Einwilligung zu erfassen, wenn die Person wieder geteilt werden soll.",
        "The other network no longer shares this person; their personal data was removed here. You cannot edit them here, only erase them. Ask the other network to record a new consent if the person is to be shared again.",
    ))
}

fn summary(r: &sqlx::sqlite::SqliteRow) -> Result<PersonSummary> {
    let association: Option<String> = r.try_get("association_id")?;
    let foundation: Option<String> = r.try_get("foundation_id")?;
    let life: String = r.try_get("life")?;
    Ok(PersonSummary {
        id: r.try_get("id")?,
        life: if life == "purged" { Life::Purged } else { Life::Alive },
        name: r.try_get("name")?,
        name_original: r.try_get("name_original")?,
        role: r.try_get("role")?,
        email: r.try_get("email")?,
        withheld: r.try_get("withheld")?,
        parent: match (association, foundation) {
            (Some(a), _) => Parent::Association(a),
            (_, f) => Parent::Foundation(f.unwrap_or_default()),
        },
    })
}

/// Whether a person row (`id`) is withheld here, as a column.
const WITHHELD: &str = "id IN (SELECT person_id FROM withheld_persons) AS withheld";
/// Leaves out persons withheld here.
pub(crate) const NOT_WITHHELD: &str = "id NOT IN (SELECT person_id FROM withheld_persons)";

/// The persons of one organisation: living ones, and erased ones (shown as erased), by name.
pub async fn persons_of(store: &Store, parent: &Parent) -> Result<Vec<PersonSummary>> {
    let (col, id) = match parent {
        Parent::Association(id) => ("association_id", id),
        Parent::Foundation(id) => ("foundation_id", id),
    };
    let sql = format!(
        "SELECT id, life, name, name_original, role, email, association_id, foundation_id, {WITHHELD} FROM persons
         WHERE {col} = ? AND life IN ('alive', 'purged') ORDER BY life = 'purged', sort_key, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(summary).collect()
}

/// Living persons whose name (any script, or its Latin form), role or e-mail match the words.
pub async fn search(store: &Store, text: &str, offset: u32, limit: u32) -> Result<Page<PersonSummary>> {
    Listing::new(&TABLE)
        .words(text)
        .condition(NOT_WITHHELD)
        .page(
            store.pool(),
            &format!("id, life, name, name_original, role, email, association_id, foundation_id, {WITHHELD}"),
            "sort_key",
            offset,
            limit,
            summary,
        )
        .await
}
