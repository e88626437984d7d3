//! An association's activities and projects (what it has done) and its project ideas (what it
//! wants to do, and what that needs): child records of the association, synced like it.

use crate::check::Checker;
use crate::error::Result;
use crate::record::{TableSpec, Value};
use crate::text::fold;

crate::record_type! {
    /// An activity or project the association has run.
    fields Project;
    draft ProjectDraft;
    list PROJECT_FIELDS; columns PROJECT_COLUMNS;
    #[serde(default)]
    stored id: String;
    column association_id: Text;
    title: String = Text("Titel", "Title");
    year: Option<i32> = Number("Jahr", "Year");
    people_reached: Option<i32> = Number("Erreichte Menschen", "People reached");
    #[ts(type = "number | null")]
    budget: Option<i64> = Money("Budget", "Budget");
    funder: Option<String> = Text("Förderer", "Funder");
    description: Option<String> = LongText("Beschreibung", "Description");
}

crate::record_type! {
    /// A project idea, with what it needs.
    fields Idea;
    draft IdeaDraft;
    list IDEA_FIELDS; columns IDEA_COLUMNS;
    #[serde(default)]
    stored id: String;
    column association_id: Text;
    title: String = Text("Titel", "Title");
    description: Option<String> = LongText("Beschreibung", "Description");
    #[ts(type = "number | null")]
    amount_needed: Option<i64> = Money("Benötigte Summe", "Amount needed");
    time_frame: Option<String> = Text("Zeitraum", "Time frame");
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
    columns: PROJECT_COLUMNS,
    derive: derive_title,
    derived_from: &["title"],
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
    columns: IDEA_COLUMNS,
    derive: derive_title,
    derived_from: &["title"],
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
