//! An association's activities and projects (what it has done) and its project ideas (what it
//! wants to do, and what that needs): child records of the association, synced like it.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::association::today;
use crate::check::Checker;
use crate::error::{Error, Result};
use crate::fields::{self, f, FieldDescription, FieldInfo, FieldKind::*};
use crate::store::{from_fields, to_fields, ColType, Column, Life, Store, TableSpec, Value};
use crate::text::fold;

pub const PROJECT_FIELDS: &[FieldInfo] = &[
    f("title", Text, "Titel", "Title"),
    f("year", Number, "Jahr", "Year"),
    f("people_reached", Number, "Erreichte Menschen", "People reached"),
    f("budget", Money, "Budget", "Budget"),
    f("funder", Text, "Förderer", "Funder"),
    f("description", LongText, "Beschreibung", "Description"),
];

pub const IDEA_FIELDS: &[FieldInfo] = &[
    f("title", Text, "Titel", "Title"),
    f("description", LongText, "Beschreibung", "Description"),
    f("amount_needed", Money, "Benötigte Summe", "Amount needed"),
    f("time_frame", Text, "Zeitraum", "Time frame"),
];

pub fn project_field_descriptions() -> Vec<FieldDescription> {
    fields::descriptions(PROJECT_FIELDS)
}

pub fn idea_field_descriptions() -> Vec<FieldDescription> {
    fields::descriptions(IDEA_FIELDS)
}

/// An activity or project the association has run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct Project {
    #[serde(default)]
    pub id: String,
    pub title: String,
    pub year: Option<i32>,
    pub people_reached: Option<i32>,
    #[ts(type = "number | null")]
    pub budget: Option<i64>,
    pub funder: Option<String>,
    pub description: Option<String>,
}

/// A project idea, with what it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct Idea {
    #[serde(default)]
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    #[ts(type = "number | null")]
    pub amount_needed: Option<i64>,
    pub time_frame: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
pub struct ProjectDraft {
    pub title: String,
    pub year: String,
    pub people_reached: String,
    pub budget: String,
    pub funder: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
pub struct IdeaDraft {
    pub title: String,
    pub description: String,
    pub amount_needed: String,
    pub time_frame: String,
}

fn derive_title(fields: &crate::store::Fields) -> Vec<(&'static str, Value)> {
    let title = match fields.get("title") {
        Some(Value::Text(s)) => fold(s),
        _ => String::new(),
    };
    vec![
        ("search_key", Value::Text(title.clone())),
        ("sort_key", Value::Text(title)),
    ]
}

pub static PROJECT_TABLE: TableSpec = TableSpec {
    name: "projects",
    entity: "project",
    columns: &[
        Column {
            name: "association_id",
            ty: ColType::Text,
        },
        Column {
            name: "title",
            ty: ColType::Text,
        },
        Column {
            name: "year",
            ty: ColType::Int,
        },
        Column {
            name: "people_reached",
            ty: ColType::Int,
        },
        Column {
            name: "budget",
            ty: ColType::Int,
        },
        Column {
            name: "funder",
            ty: ColType::Text,
        },
        Column {
            name: "description",
            ty: ColType::Text,
        },
    ],
    derive: derive_title,
    search_code: None,
    parents: &[("association_id", "associations")],
    personal: &[],
    erasable: false,
    validate: |fields, _| crate::store::revalidate(&PROJECT_TABLE, PROJECT_FIELDS, fields, validate_project),
};

pub static IDEA_TABLE: TableSpec = TableSpec {
    name: "ideas",
    entity: "idea",
    columns: &[
        Column {
            name: "association_id",
            ty: ColType::Text,
        },
        Column {
            name: "title",
            ty: ColType::Text,
        },
        Column {
            name: "description",
            ty: ColType::Text,
        },
        Column {
            name: "amount_needed",
            ty: ColType::Int,
        },
        Column {
            name: "time_frame",
            ty: ColType::Text,
        },
    ],
    derive: derive_title,
    search_code: None,
    parents: &[("association_id", "associations")],
    personal: &[],
    erasable: false,
    validate: |fields, _| crate::store::revalidate(&IDEA_TABLE, IDEA_FIELDS, fields, validate_idea),
};

pub fn validate_project(draft: &ProjectDraft) -> Result<Project> {
    let mut c = Checker::new(PROJECT_FIELDS);
    let title = c.required_text(
        "title",
        &draft.title,
        200,
        "bitte einen Titel eingeben.",
        "please enter a title.",
    );
    let project = Project {
        id: String::new(),
        title,
        year: c.number("year", &draft.year, 1950, today().year() + 5),
        people_reached: c.number("people_reached", &draft.people_reached, 0, 10_000_000),
        budget: c.money("budget", &draft.budget),
        funder: c.text("funder", &draft.funder, 200, false),
        description: c.text("description", &draft.description, 2000, true),
    };
    c.finish(project)
}

pub fn validate_idea(draft: &IdeaDraft) -> Result<Idea> {
    let mut c = Checker::new(IDEA_FIELDS);
    let title = c.required_text(
        "title",
        &draft.title,
        200,
        "bitte einen Titel eingeben.",
        "please enter a title.",
    );
    let idea = Idea {
        id: String::new(),
        title,
        description: c.text("description", &draft.description, 4000, true),
        amount_needed: c.money("amount_needed", &draft.amount_needed),
        time_frame: c.text("time_frame", &draft.time_frame, 100, false),
    };
    c.finish(idea)
}

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
    let mut json = serde_json::to_value(from_fields::<serde_json::Value>(spec, &row.fields)?).unwrap_or_default();
    json["id"] = serde_json::Value::from(id);
    serde_json::from_value(json).map_err(|e| Error::Database(e.to_string()))
}

async fn children<T: DeserializeOwned>(
    store: &Store,
    spec: &'static TableSpec,
    association_id: &str,
    order: &str,
) -> Result<Vec<T>> {
    let sql = format!(
        "SELECT id FROM {} WHERE association_id = ? AND life = 'alive' ORDER BY {order}",
        spec.name
    );
    let ids: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(association_id)
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(read(store, spec, &id).await?);
    }
    Ok(out)
}

pub async fn add_project(store: &Store, association_id: &str, draft: &ProjectDraft) -> Result<Project> {
    let id = add(store, &PROJECT_TABLE, association_id, &validate_project(draft)?).await?;
    read(store, &PROJECT_TABLE, &id).await
}

pub async fn update_project(store: &Store, id: &str, draft: &ProjectDraft) -> Result<Project> {
    store
        .update(
            &PROJECT_TABLE,
            id,
            to_fields(&PROJECT_TABLE, &validate_project(draft)?)?,
        )
        .await?;
    read(store, &PROJECT_TABLE, id).await
}

pub async fn project(store: &Store, id: &str) -> Result<Project> {
    read(store, &PROJECT_TABLE, id).await
}

/// An association's activities and projects, newest year first.
pub async fn projects_of(store: &Store, association_id: &str) -> Result<Vec<Project>> {
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
    children(store, &IDEA_TABLE, association_id, "sort_key").await
}

/// Deletes a project or idea (a tombstone, as everything synced).
pub async fn delete(store: &Store, kind: &str, id: &str) -> Result<()> {
    let spec = if kind == "idea" { &IDEA_TABLE } else { &PROJECT_TABLE };
    store.set_life(spec, id, Life::Deleted).await?;
    Ok(())
}

impl From<&Project> for ProjectDraft {
    fn from(p: &Project) -> Self {
        fields::to_draft(p, PROJECT_FIELDS)
    }
}

impl From<&Idea> for IdeaDraft {
    fn from(i: &Idea) -> Self {
        fields::to_draft(i, IDEA_FIELDS)
    }
}
