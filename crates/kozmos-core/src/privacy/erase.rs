//! Erasure (Art. 17 DSGVO) of one or several persons in one transaction, and the VACUUM after it.
//!
//! Per person (and every record merged into them, an old spelling of the same person): the person row is purged (`PERSONAL_FIELDS` blanked, life "purged": final, wins in
//! sync); their consent records are purged with their notes blanked (the dates and answers stay as
//! proof of what was recorded, about nobody); the cooperation history is kept but anonymised: in
//! every activity entry (text, who) and cooperation (idea, description, next step and its owner,
//! notes) that names them, their names and e-mail are replaced by `REPLACEMENT` (the whole text when
//! only a spelling variant names them). These are ordinary synced writes, so they travel with the
//! erasure. Conflicts kept for the rewritten texts are dropped (they may hold the old text); those
//! on other fields (a role, an amount) stay.
//!
//! Then `vacuum` rewrites the file, so no page of it keeps the old values; the write-ahead log is
//! emptied. Backup copies made before are separate files and keep what they held.

use std::collections::BTreeMap;

use super::access::erased;
use super::mentions::{self, ACTIVITY_TEXT, COOPERATION_TEXT};
use super::names::Names;
use crate::cooperation::{ACTIVITY_TABLE, TABLE as COOPERATION_TABLE};
use crate::error::{Error, Result};
use crate::person::{self, Person, CONSENT_TABLE, PERSONAL_FIELDS};
use crate::store::{Fields, Life, Store, TableSpec, Value, Writer};

/// What stands in the cooperation history where an erased person was named.
pub const REPLACEMENT: &str = "[gelöscht]";

/// At most this many persons in one erasure.
pub const MAX_PERSONS: usize = 5000;

/// Erases one person for privacy: name, original-script and Latin name, contact data, languages
/// and notes are blanked; role and organisation stay; the cooperation history is anonymised and the
/// file vacuumed. Final, and it travels with sync as "purged". Erasing an erased person again
/// changes nothing.
pub async fn erase_one(store: &Store, id: &str) -> Result<Person> {
    let person = person::get(store, id).await?;
    if person.life == Life::Purged {
        return Ok(person);
    }
    let mut erased = erase(store, &[id.to_string()]).await?;
    Ok(erased.remove(0))
}

/// Erases the given persons (all or none) and vacuums the database; returns the erased persons.
pub async fn erase(store: &Store, ids: &[String]) -> Result<Vec<Person>> {
    let mut persons = checked(store, ids).await?;
    // The records merged into them are the same person under an old spelling: erased with them.
    for id in merged_into(store, &persons).await? {
        persons.push(person::get(store, &id).await?);
    }
    let texts = mentions::load(store).await?;
    // New text per (table, row), built up person by person: an entry may name several of them.
    let mut rewrites: BTreeMap<(&'static str, String), (Life, Fields)> = BTreeMap::new();
    for p in &persons {
        let names = Names::of(&p.fields);
        for a in texts.activities(&names) {
            let (_, fields) = rewrites
                .entry((ACTIVITY_TABLE.name, a.activity.id.clone()))
                .or_insert_with(|| (a.life, text_fields(ACTIVITY_TEXT, &[&a.activity.text, &a.activity.who])));
            anonymise(fields, &names);
        }
        for (c, _) in texts.cooperations(&names) {
            let (_, fields) = rewrites
                .entry((COOPERATION_TABLE.name, c.id.clone()))
                .or_insert_with(|| {
                    let mut f = Fields::new();
                    for n in &c.fields {
                        if let Some(col) = COOPERATION_TEXT.iter().find(|col| **col == n.field) {
                            f.insert(col, Value::Text(n.value.clone()));
                        }
                    }
                    (c.life, f)
                });
            anonymise(fields, &names);
        }
    }

    let mut w = store.writer().await?;
    for ((table, id), (life, fields)) in rewrites {
        let spec = if table == ACTIVITY_TABLE.name {
            &ACTIVITY_TABLE
        } else {
            &COOPERATION_TABLE
        };
        rewrite(&mut w, spec, &id, life, fields).await?;
    }
    // The person rows last: each write takes the next stamp, so an erased person's row carries
    // the transaction's newest one.
    for p in &persons {
        for c in &p.consents {
            w.purge(&CONSENT_TABLE, &c.id, &["note"]).await?;
        }
    }
    for p in &persons {
        w.purge(&person::TABLE, &p.id, PERSONAL_FIELDS).await?;
    }
    w.commit().await?;
    vacuum(store).await?;
    let mut erased = Vec::with_capacity(persons.len());
    for p in &persons {
        erased.push(person::get(store, &p.id).await?);
    }
    Ok(erased)
}

/// The records merged into these persons, also through earlier merges, that are not erased yet.
async fn merged_into(store: &Store, persons: &[Person]) -> Result<Vec<String>> {
    let ids: Vec<&str> = persons.iter().map(|p| p.id.as_str()).collect();
    let ids = crate::store::json_list(ids);
    Ok(sqlx::query_scalar(
        "WITH RECURSIVE merged(id) AS (
             SELECT value FROM json_each(?1)
             UNION SELECT p.id FROM persons p JOIN merged m ON p.merged_into = m.id
         )
         SELECT p.id FROM persons p JOIN merged m ON m.id = p.id
         WHERE p.life <> 'purged' AND p.id NOT IN (SELECT value FROM json_each(?1)) ORDER BY p.id",
    )
    .bind(ids)
    .fetch_all(store.pool())
    .await?)
}

/// The persons to erase, every one known and not erased yet; nothing is written otherwise.
async fn checked(store: &Store, ids: &[String]) -> Result<Vec<Person>> {
    let mut unique: Vec<String> = ids.iter().map(|id| id.trim().to_string()).collect();
    unique.sort();
    unique.dedup();
    if unique.is_empty() || unique.iter().all(String::is_empty) {
        return Err(Error::invalid(
            "persons",
            "none_selected",
            "Bitte mindestens eine Person auswählen.",
            "Please choose at least one person.",
        ));
    }
    if unique.len() > MAX_PERSONS {
        return Err(Error::invalid(
            "persons",
            "too_many",
            format!("Höchstens {MAX_PERSONS} Personen auf einmal."),
            format!("At most {MAX_PERSONS} persons at once."),
        ));
    }
    let mut persons = Vec::with_capacity(unique.len());
    for id in &unique {
        let p = person::get(store, id).await?;
        if p.life == Life::Purged {
            return Err(erased(id));
        }
        persons.push(p);
    }
    Ok(persons)
}

fn text_fields(cols: &[&'static str], values: &[&Option<String>]) -> Fields {
    let mut f = Fields::new();
    for (col, value) in cols.iter().zip(values) {
        if let Some(v) = value {
            f.insert(col, Value::Text(v.clone()));
        }
    }
    f
}

fn anonymise(fields: &mut Fields, names: &Names) {
    for value in fields.values_mut() {
        if let Value::Text(text) = value {
            *text = names.anonymise(text, REPLACEMENT);
        }
    }
}

/// Writes the anonymised text; a deleted row is restored for the write and deleted again (its
/// tombstone must not keep the name either).
async fn rewrite(w: &mut Writer<'_>, spec: &TableSpec, id: &str, life: Life, fields: Fields) -> Result<()> {
    if life == Life::Deleted {
        w.set_life(spec, id, Life::Alive).await?;
    }
    // The lost values of the texts rewritten may name the person; the row's other conflicts stay.
    let rewritten: Vec<&str> = fields.keys().copied().collect();
    w.update(spec, id, fields).await?;
    if life == Life::Deleted {
        w.set_life(spec, id, Life::Deleted).await?;
    }
    w.drop_conflicts(spec, id, &rewritten).await
}

/// Rewrites the database file without the pages that held erased values: the undo journal of the
/// last import dropped, the full-text index merged (it keeps deleted terms until then), VACUUM,
/// the index rebuilt (VACUUM may renumber rowids), the write-ahead log checkpointed and truncated.
pub async fn vacuum(store: &Store) -> Result<()> {
    let pool = store.pool();
    // The undo journal of the last import holds values from before it: erased ones, perhaps.
    crate::sync::undo::forget(&mut *pool.acquire().await?).await?;
    let optimize = "INSERT INTO search_index (search_index) VALUES ('optimize')";
    sqlx::query(optimize).execute(pool).await?;
    sqlx::query("VACUUM").execute(pool).await?;
    crate::search::rebuild_index(store).await?;
    sqlx::query(optimize).execute(pool).await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(pool).await?;
    Ok(())
}
