//! Reads and writes of cooperations and their log. Writes go through the store's writer, so a
//! stage change and its log entry are one transaction.

use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::{
    validate, validate_activity, Activity, ActivityDraft, BoardColumn, Cooperation, CooperationDraft,
    CooperationFields, CooperationQuery, CooperationSummary, ACTIVITY_TABLE, ACTIVITY_TEXT_MAX, TABLE,
};
use crate::check::Checker;
use crate::error::{Error, Result};
use crate::fields::{f, FieldInfo, FieldKind::*};
use crate::listing::{Listing, Page};
use crate::site;
use crate::store::{from_fields, rfc3339_from_hlc, to_fields, Fields, Life, Store, Value, Writer};
use crate::vocab;

/// Both organisations must exist and be alive.
async fn check_parties(store: &Store, fields: &CooperationFields) -> Result<()> {
    for (table, entity, id) in [
        ("associations", "association", &fields.association_id),
        ("foundations", "foundation", &fields.foundation_id),
    ] {
        let sql = format!("SELECT 1 FROM {table} WHERE id = ? AND life = 'alive'");
        let found: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(store.pool())
            .await?;
        if found.is_none() {
            return Err(Error::not_found(entity, id));
        }
    }
    Ok(())
}

async fn volunteer(store: &Store) -> Result<Option<String>> {
    Ok(site::load(store.pool()).await?.volunteer)
}

/// Writes a log entry for a stage change inside the caller's transaction.
async fn log_stage(w: &mut Writer<'_>, id: &str, from: Option<&str>, to: &str, who: Option<&str>) -> Result<()> {
    let mut entry = Fields::new();
    entry.insert("cooperation_id", Value::Text(id.into()));
    entry.insert("date", Value::Text(w.today().to_string()));
    entry.insert("kind", Value::Text("stage".into()));
    entry.insert("stage_from", from.map_or(Value::Null, |s| Value::Text(s.into())));
    entry.insert("stage_to", Value::Text(to.into()));
    entry.insert("who", who.map_or(Value::Null, |s| Value::Text(s.into())));
    w.insert(&ACTIVITY_TABLE, entry).await?;
    Ok(())
}

/// Creates a cooperation; its first log entry records the stage it starts in.
pub async fn create(store: &Store, draft: &CooperationDraft) -> Result<Cooperation> {
    create_with_note(store, draft, None).await
}

/// Creates a cooperation and, in the same transaction, a first note in its log (e.g. the reasons
/// of the match it came from).
pub async fn create_with_note(store: &Store, draft: &CooperationDraft, note: Option<String>) -> Result<Cooperation> {
    let fields = validate(draft)?;
    check_parties(store, &fields).await?;
    let who = volunteer(store).await?;
    let mut w = store.writer().await?;
    let id = w.insert(&TABLE, to_fields(&TABLE, &fields)?).await?;
    log_stage(&mut w, &id, None, &fields.stage, who.as_deref()).await?;
    if let Some(text) = note {
        let mut entry = Fields::new();
        entry.insert("cooperation_id", Value::Text(id.clone()));
        entry.insert("date", Value::Text(w.today().to_string()));
        entry.insert("kind", Value::Text("note".into()));
        entry.insert("text", Value::Text(text.chars().take(ACTIVITY_TEXT_MAX).collect()));
        entry.insert("who", who.clone().map_or(Value::Null, Value::Text));
        w.insert(&ACTIVITY_TABLE, entry).await?;
    }
    w.commit().await?;
    get(store, &id).await
}

/// Saves a whole draft; a changed stage is logged in the same transaction.
pub async fn update(store: &Store, id: &str, draft: &CooperationDraft) -> Result<Cooperation> {
    let fields = validate(draft)?;
    check_parties(store, &fields).await?;
    let who = volunteer(store).await?;
    let mut w = store.writer().await?;
    let before = w
        .fetch(&TABLE, id)
        .await?
        .ok_or_else(|| Error::not_found("cooperation", id))?;
    let old_stage = match before.fields.get("stage") {
        Some(Value::Text(s)) => Some(s.clone()),
        _ => None,
    };
    w.update(&TABLE, id, to_fields(&TABLE, &fields)?).await?;
    if old_stage.as_deref() != Some(fields.stage.as_str()) {
        log_stage(&mut w, id, old_stage.as_deref(), &fields.stage, who.as_deref()).await?;
    }
    w.commit().await?;
    get(store, id).await
}

/// Moves a cooperation to another stage (the board's drag and drop), logged automatically.
pub async fn set_stage(store: &Store, id: &str, stage: &str) -> Result<Cooperation> {
    let current = get(store, id).await?;
    let mut draft = CooperationDraft::try_from(&current.fields)?;
    draft.stage = stage.to_string();
    update(store, id, &draft).await
}

pub async fn get(store: &Store, id: &str) -> Result<Cooperation> {
    let row = store
        .fetch(&TABLE, id)
        .await?
        .filter(|r| r.life != Life::Purged)
        .ok_or_else(|| Error::not_found("cooperation", id))?;
    let fields: CooperationFields = from_fields(&TABLE, &row.fields)?;
    let names: (String, String) = sqlx::query_as(
        "SELECT (SELECT name FROM associations WHERE id = ?), (SELECT name FROM foundations WHERE id = ?)",
    )
    .bind(&fields.association_id)
    .bind(&fields.foundation_id)
    .fetch_one(store.pool())
    .await?;
    Ok(Cooperation {
        id: id.to_string(),
        life: row.life,
        association_name: names.0,
        foundation_name: names.1,
        activities: activities(store, id).await?,
        changed_at: rfc3339_from_hlc(row.changed_hlc),
        fields,
    })
}

pub async fn delete(store: &Store, id: &str) -> Result<Cooperation> {
    store.set_life(&TABLE, id, Life::Deleted).await?;
    get(store, id).await
}

pub async fn restore(store: &Store, id: &str) -> Result<Cooperation> {
    let c = get(store, id).await?;
    check_parties(store, &c.fields).await?;
    store.set_life(&TABLE, id, Life::Alive).await?;
    get(store, id).await
}

/// Adds an entry to the activity log; `who` is this installation's volunteer.
pub async fn add_activity(store: &Store, id: &str, draft: &ActivityDraft) -> Result<Cooperation> {
    let (date, kind, text) = validate_activity(draft, store.today())?;
    let current = get(store, id).await?;
    if current.life != Life::Alive {
        return Err(Error::not_found("cooperation", id));
    }
    let mut entry = Fields::new();
    entry.insert("cooperation_id", Value::Text(id.into()));
    entry.insert("date", Value::Text(date));
    entry.insert("kind", Value::Text(kind));
    entry.insert("text", Value::Text(text));
    entry.insert("who", volunteer(store).await?.map_or(Value::Null, Value::Text));
    store.insert(&ACTIVITY_TABLE, entry).await?;
    get(store, id).await
}

async fn activities(store: &Store, id: &str) -> Result<Vec<Activity>> {
    let rows = sqlx::query(
        "SELECT id, date, kind, text, who, stage_from, stage_to FROM activities
         WHERE cooperation_id = ? AND life = 'alive' ORDER BY date DESC, changed_hlc DESC",
    )
    .bind(id)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Activity {
                id: r.try_get("id")?,
                date: r.try_get("date")?,
                kind: r.try_get("kind")?,
                text: r.try_get("text")?,
                who: r.try_get("who")?,
                stage_from: r.try_get("stage_from")?,
                stage_to: r.try_get("stage_to")?,
            })
        })
        .collect()
}

const SUMMARY_COLUMNS: &str =
    "id, idea, stage, association_id, foundation_id, amount_requested, amount_granted, next_step, next_step_due, next_step_owner,
     (SELECT name FROM associations a WHERE a.id = cooperations.association_id) AS association_name,
     (SELECT name FROM foundations f WHERE f.id = cooperations.foundation_id) AS foundation_name";

fn summary(r: &SqliteRow) -> Result<CooperationSummary> {
    Ok(CooperationSummary {
        id: r.try_get("id")?,
        idea: r.try_get("idea")?,
        stage: r.try_get("stage")?,
        association_id: r.try_get("association_id")?,
        association_name: r.try_get::<Option<String>, _>("association_name")?.unwrap_or_default(),
        foundation_id: r.try_get("foundation_id")?,
        foundation_name: r.try_get::<Option<String>, _>("foundation_name")?.unwrap_or_default(),
        amount_requested: r.try_get("amount_requested")?,
        amount_granted: r.try_get("amount_granted")?,
        next_step: r.try_get("next_step")?,
        next_step_due: r.try_get("next_step_due")?,
        next_step_owner: r.try_get("next_step_owner")?,
    })
}

/// The list's date filters, for the labels in messages.
const FILTER_FIELDS: &[FieldInfo] = &[
    f("due_from", Date, "Fällig ab", "Due from"),
    f("due_until", Date, "Fällig bis", "Due until"),
];

fn listing(query: &CooperationQuery) -> Listing {
    Listing::new(&TABLE)
        .words(&query.text)
        .equals("stage", query.stage.as_deref())
        .equals("association_id", query.association_id.as_deref())
        .equals("foundation_id", query.foundation_id.as_deref())
        .between("next_step_due", query.due_from.as_deref(), query.due_until.as_deref())
        .none_of("stage", if query.open_only { vocab::FINAL_STAGES } else { &[] })
}

/// Living cooperations matching the query, the most urgent next step first.
pub async fn list(store: &Store, query: &CooperationQuery) -> Result<Page<CooperationSummary>> {
    let mut check = Checker::new(FILTER_FIELDS);
    let due_from = check.date("due_from", query.due_from.as_deref().unwrap_or_default(), None);
    let due_until = check.date("due_until", query.due_until.as_deref().unwrap_or_default(), None);
    let query = &check.finish(CooperationQuery {
        due_from,
        due_until,
        ..query.clone()
    })?;
    listing(query)
        .page(
            store.pool(),
            SUMMARY_COLUMNS,
            "next_step_due IS NULL, next_step_due, sort_key",
            query.offset,
            query.limit,
            summary,
        )
        .await
}

/// The board: every stage in order, with its count and up to `per_stage` cooperations.
pub async fn board(store: &Store, query: &CooperationQuery, per_stage: u32) -> Result<Vec<BoardColumn>> {
    let mut columns = Vec::with_capacity(vocab::STAGES.len());
    for stage in vocab::STAGES {
        let q = CooperationQuery {
            stage: Some(stage.code.into()),
            offset: 0,
            limit: per_stage,
            ..query.clone()
        };
        let page = list(store, &q).await?;
        columns.push(BoardColumn {
            stage: stage.code.into(),
            total: page.total,
            items: page.items,
        });
    }
    Ok(columns)
}

/// How many living cooperations an association or foundation has.
pub async fn count_for(store: &Store, column: &'static str, id: &str) -> Result<u32> {
    let sql = format!("SELECT COUNT(*) FROM cooperations WHERE {column} = ? AND life = 'alive'");
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(store.pool())
        .await?;
    Ok(n as u32)
}

/// Deletes an association or foundation. With living cooperations this is refused unless they
/// are to be deleted too (in the same transaction); returns the ids of the deleted cooperations.
pub async fn delete_organisation(
    store: &Store,
    spec: &'static crate::store::TableSpec,
    id: &str,
    with_cooperations: bool,
) -> Result<Vec<String>> {
    let column = if spec.name == "associations" {
        "association_id"
    } else {
        "foundation_id"
    };
    let sql = format!("SELECT id FROM cooperations WHERE {column} = ? AND life = 'alive' ORDER BY id");
    let ids: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_all(store.pool())
        .await?;
    if !ids.is_empty() && !with_cooperations {
        let n = ids.len();
        return Err(Error::invalid(
            "cooperations",
            crate::error::UiCode::HasCooperations.as_str(),
            format!(
                "Hierzu gibt es {n} laufende Kooperation(en). Bitte zuerst entscheiden, ob sie mitgelöscht werden."
            ),
            format!("There are {n} cooperation(s) with it. Please decide first whether to delete them too."),
        ));
    }
    let mut w = store.writer().await?;
    for coop in &ids {
        w.set_life(&TABLE, coop, Life::Deleted).await?;
    }
    w.set_life(spec, id, Life::Deleted).await?;
    w.commit().await?;
    Ok(ids)
}
