//! Reads and writes of cooperations and their log. Writes go through the store's writer, so a
//! stage change and its log entry are one transaction.

use crate::vocab::Vocab;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::{
    Activity, ActivityDraft, BoardColumn, Cooperation, CooperationDraft, CooperationFields, CooperationQuery,
    CooperationSummary, ACTIVITY_TABLE, FIELDS, TABLE,
};
use crate::association::today;
use crate::check::Checker;
use crate::error::{Error, Result};
use crate::fields::{f, FieldInfo, FieldKind::*};
use crate::listing::{Listing, Page};
use crate::site;
use crate::store::{from_fields, rfc3339_from_hlc, to_fields, Fields, Life, Store, Value, Writer};
use crate::vocab;

/// Checks a draft: the idea is required, the stage a known one, amounts euro, dates dates,
/// and the project cannot end before it starts.
pub fn validate(draft: &CooperationDraft) -> Result<CooperationFields> {
    let mut c = Checker::new(FIELDS);
    let idea = c.required_text(
        "idea",
        &draft.idea,
        200,
        "bitte die Idee kurz benennen.",
        "please name the idea briefly.",
    );
    let mut reference = |field: &str, raw: &str, de: &str, en: &str| {
        let value = raw.trim().to_string();
        if value.is_empty() {
            c.error(
                field,
                "required",
                format!("{de}: bitte auswählen."),
                format!("{en}: please choose."),
            );
        }
        value
    };
    let association_id = reference("association_id", &draft.association_id, "Verein", "Association");
    let foundation_id = reference("foundation_id", &draft.foundation_id, "Stiftung", "Foundation");
    let fields = CooperationFields {
        idea,
        association_id,
        foundation_id,
        stage: c
            .code("stage", &draft.stage, vocab::STAGES)
            .unwrap_or_else(|| "idee".into()),
        description: c.text("description", &draft.description, 4000, true),
        amount_requested: c.money("amount_requested", &draft.amount_requested),
        amount_granted: c.money("amount_granted", &draft.amount_granted),
        first_contact: c.date("first_contact", &draft.first_contact, None),
        submitted: c.date("submitted", &draft.submitted, None),
        decision: c.date("decision", &draft.decision, None),
        project_start: c.date("project_start", &draft.project_start, None),
        project_end: c.date("project_end", &draft.project_end, None),
        report_due: c.date("report_due", &draft.report_due, None),
        next_step: c.text("next_step", &draft.next_step, 300, false),
        next_step_due: c.date("next_step_due", &draft.next_step_due, None),
        next_step_owner: c.text("next_step_owner", &draft.next_step_owner, 100, false),
        notes: c.text("notes", &draft.notes, 10_000, true),
    };
    if let (Some(start), Some(end)) = (&fields.project_start, &fields.project_end) {
        if end < start {
            c.error(
                "project_end",
                "ends_before_start",
                "Projektende: liegt vor dem Projektbeginn.".into(),
                "Project end: lies before the project start.".into(),
            );
        }
    }
    c.finish(fields)
}

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
    entry.insert("date", Value::Text(today().to_string()));
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
        entry.insert("date", Value::Text(today().to_string()));
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
    let mut draft = CooperationDraft::from(&current.fields);
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

const ACTIVITY_FIELDS: &[FieldInfo] = &[
    f("date", Date, "Datum", "Date"),
    f("kind", Code, "Art", "Kind").of(&[Vocab::ActivityKinds]),
    f("text", LongText, "Text", "Text"),
];

/// The fields of a stored log entry that no form sets: a stage change's stages, who wrote it.
const ACTIVITY_STORED_FIELDS: &[FieldInfo] = &[
    f("stage_from", Code, "Phase vorher", "Stage before").of(&[Vocab::Stages]),
    f("stage_to", Code, "Phase nachher", "Stage after").of(&[Vocab::Stages]),
    f("who", Text, "Wer", "Who"),
];

/// The validation of a stored log entry (a row from a sync file): a stage change (kind "stage",
/// written by a stage change, no text) or an entry as `add_activity` checks it.
pub(crate) fn validate_stored_activity(fields: &Fields, today: time::Date) -> Result<Fields> {
    let text = |name: &str| match fields.get(name) {
        Some(Value::Text(s)) => s.clone(),
        _ => String::new(),
    };
    let mut c = Checker::new(ACTIVITY_STORED_FIELDS);
    let who = c.text("who", &text("who"), crate::site::VOLUNTEER_MAX_CHARS, false);
    let stage_from = c.code("stage_from", &text("stage_from"), vocab::STAGES);
    let stage_to = c.code("stage_to", &text("stage_to"), vocab::STAGES);
    let entry = if text("kind") == "stage" {
        let mut stage = Checker::new(ACTIVITY_FIELDS);
        let date = stage.date("date", &text("date"), Some(today));
        let note = stage.text("text", &text("text"), ACTIVITY_TEXT_MAX, true);
        stage.finish((date.unwrap_or_default(), "stage".to_string(), note))
    } else {
        let draft = ActivityDraft {
            date: text("date"),
            kind: text("kind"),
            text: text("text"),
        };
        validate_activity(&draft, today).map(|(date, kind, note)| (date, kind, Some(note)))
    };
    let ((date, kind, note), ()) = crate::error::both(entry, c.finish(()))?;
    let mut out = Fields::new();
    out.insert("date", Value::Text(date));
    out.insert("kind", Value::Text(kind));
    out.insert("text", note.map_or(Value::Null, Value::Text));
    out.insert("who", who.map_or(Value::Null, Value::Text));
    out.insert("stage_from", stage_from.map_or(Value::Null, Value::Text));
    out.insert("stage_to", stage_to.map_or(Value::Null, Value::Text));
    Ok(out)
}

const ACTIVITY_TEXT_MAX: usize = 4000;

/// Checks a log entry as entered; an empty date means `today`.
fn validate_activity(draft: &ActivityDraft, today: time::Date) -> Result<(String, String, String)> {
    let mut c = Checker::new(ACTIVITY_FIELDS);
    let date = c
        .date("date", &draft.date, Some(today))
        .unwrap_or_else(|| today.to_string());
    let kind = c.code("kind", &draft.kind, vocab::ACTIVITY_KINDS);
    if kind.is_none() && !c.has_error("kind") {
        c.error(
            "kind",
            "required",
            "Art: bitte auswählen.".into(),
            "Kind: please choose.".into(),
        );
    }
    let text = c.required_text(
        "text",
        &draft.text,
        ACTIVITY_TEXT_MAX,
        "bitte kurz festhalten, was war.",
        "please note what happened.",
    );
    c.finish((date, kind.unwrap_or_default(), text))
}

/// Adds an entry to the activity log; `who` is this installation's volunteer.
pub async fn add_activity(store: &Store, id: &str, draft: &ActivityDraft) -> Result<Cooperation> {
    let (date, kind, text) = validate_activity(draft, today())?;
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
            "has_cooperations",
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
