//! An association's activities and projects (what it has done) and its project ideas (what it
//! wants to do, and what that needs): child records of the association, synced like it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::check::Checker;
use crate::error::Result;
use crate::fields::{self, f, FieldDescription, FieldInfo, FieldKind::*};
use crate::record::{ColType, Column, TableSpec, Value};
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
#[serde(default, deny_unknown_fields)]
pub struct ProjectDraft {
    pub title: String,
    pub year: String,
    pub people_reached: String,
    pub budget: String,
    pub funder: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default, deny_unknown_fields)]
pub struct IdeaDraft {
    pub title: String,
    pub description: String,
    pub amount_needed: String,
    pub time_frame: String,
}

fn derive_title(fields: &crate::record::Fields) -> crate::error::Result<crate::record::Derived> {
    let title = match fields.get("title") {
        Some(Value::Text(s)) => fold(s),
        _ => String::new(),
    };
    Ok(vec![
        ("search_key", Value::Text(title.clone())),
        ("sort_key", Value::Text(title)),
    ])
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
    validate: |fields, today| {
        crate::record::revalidate(&PROJECT_TABLE, PROJECT_FIELDS, fields, |draft| {
            validate_project(draft, today)
        })
    },
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
    validate: |fields, _| crate::record::revalidate(&IDEA_TABLE, IDEA_FIELDS, fields, validate_idea),
};

pub fn validate_project(draft: &ProjectDraft, today: time::Date) -> Result<Project> {
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
        year: c.number("year", &draft.year, 1950, today.year() + 5),
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

impl TryFrom<&Project> for ProjectDraft {
    type Error = crate::error::Error;

    fn try_from(p: &Project) -> crate::error::Result<Self> {
        fields::to_draft(p, PROJECT_FIELDS)
    }
}

impl TryFrom<&Idea> for IdeaDraft {
    type Error = crate::error::Error;

    fn try_from(i: &Idea) -> crate::error::Result<Self> {
        fields::to_draft(i, IDEA_FIELDS)
    }
}
