//! Cooperations: one association with one foundation around one idea, followed through its stages,
//! with an activity log in which every stage change is written automatically.

mod validate;

pub use validate::{validate, validate_activity, validate_stored_activity, ACTIVITY_TEXT_MAX};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::record::{ColType, Column, Fields, Life, TableSpec, Value};
use crate::text::fold;

crate::record_type! {
    /// The validated, stored fields of a cooperation. Amounts are whole cents.
    fields CooperationFields;
    /// What a user typed into the cooperation form.
    draft CooperationDraft;
    list FIELDS; columns COLUMNS;
    idea: String = Text("Idee / Vorhaben", "Idea / project");
    association_id: String = Reference("Verein", "Association");
    foundation_id: String = Reference("Stiftung", "Foundation");
    stage: String = Code("Phase", "Stage", Stages);
    description: Option<String> = LongText("Beschreibung", "Description");
    #[ts(type = "number | null")]
    amount_requested: Option<i64> = Money("Beantragte Summe", "Amount requested");
    #[ts(type = "number | null")]
    amount_granted: Option<i64> = Money("Bewilligte Summe", "Amount granted");
    first_contact: Option<String> = Date("Erstkontakt am", "First contact on");
    submitted: Option<String> = Date("Eingereicht am", "Submitted on");
    decision: Option<String> = Date("Entscheidung am", "Decision on");
    project_start: Option<String> = Date("Projektbeginn", "Project start");
    project_end: Option<String> = Date("Projektende", "Project end");
    report_due: Option<String> = Date("Bericht fällig am", "Report due on");
    next_step: Option<String> = Text("Nächster Schritt", "Next step");
    next_step_due: Option<String> = Date("Nächster Schritt bis", "Next step due");
    next_step_owner: Option<String> = Text("Zuständig", "Owner");
    notes: Option<String> = LongText("Notizen", "Notes");
}

/// One entry of a cooperation's activity log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Activity {
    pub id: String,
    pub date: String,
    /// call, email, meeting, event, note; or stage for an automatic stage-change entry.
    pub kind: String,
    pub text: Option<String>,
    pub who: Option<String>,
    pub stage_from: Option<String>,
    pub stage_to: Option<String>,
}

/// A log entry as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ActivityDraft {
    /// Empty means today.
    pub date: String,
    pub kind: String,
    pub text: String,
}

/// A cooperation as read, with both organisations' names and the log (newest first).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Cooperation {
    pub id: String,
    pub life: Life,
    #[serde(flatten)]
    pub fields: CooperationFields,
    pub association_name: String,
    pub foundation_name: String,
    pub activities: Vec<Activity>,
    pub changed_at: String,
}

/// One cooperation in a list or on the board.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CooperationSummary {
    pub id: String,
    pub idea: String,
    pub stage: String,
    pub association_id: String,
    pub association_name: String,
    pub foundation_id: String,
    pub foundation_name: String,
    #[ts(type = "number | null")]
    pub amount_requested: Option<i64>,
    #[ts(type = "number | null")]
    pub amount_granted: Option<i64>,
    pub next_step: Option<String>,
    pub next_step_due: Option<String>,
    pub next_step_owner: Option<String>,
}

/// Search and filter cooperations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CooperationQuery {
    pub text: String,
    pub stage: Option<String>,
    pub association_id: Option<String>,
    pub foundation_id: Option<String>,
    /// Only cooperations whose next step is due on or after this day (ISO date).
    pub due_from: Option<String>,
    /// Only cooperations whose next step is due on or before this day (ISO date).
    pub due_until: Option<String>,
    /// Leave out cooperations in a final stage (completed, declined, withdrawn).
    pub open_only: bool,
    pub offset: u32,
    pub limit: u32,
}

impl Default for CooperationQuery {
    fn default() -> Self {
        CooperationQuery {
            text: String::new(),
            stage: None,
            association_id: None,
            foundation_id: None,
            due_from: None,
            due_until: None,
            open_only: false,
            offset: 0,
            limit: 50,
        }
    }
}

/// One column of the board: a stage, how many cooperations are in it, and the first of them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BoardColumn {
    pub stage: String,
    pub total: u32,
    pub items: Vec<CooperationSummary>,
}

pub static TABLE: TableSpec = TableSpec {
    name: "cooperations",
    entity: "cooperation",
    columns: COLUMNS,
    derive: derive_index_columns,
    derived_from: &["idea", "description", "next_step", "next_step_owner"],
    search_code: Some(4),
    parents: &[("association_id", "associations"), ("foundation_id", "foundations")],
    personal: &[],
    erasable: false,
    validate: |fields, _| crate::record::revalidate(&TABLE, FIELDS, fields, validate::validate),
};

pub static ACTIVITY_TABLE: TableSpec = TableSpec {
    name: "activities",
    entity: "activity",
    columns: &[
        Column {
            name: "cooperation_id",
            ty: ColType::Text,
        },
        Column {
            name: "date",
            ty: ColType::Text,
        },
        Column {
            name: "kind",
            ty: ColType::Text,
        },
        Column {
            name: "text",
            ty: ColType::Text,
        },
        Column {
            name: "who",
            ty: ColType::Text,
        },
        Column {
            name: "stage_from",
            ty: ColType::Text,
        },
        Column {
            name: "stage_to",
            ty: ColType::Text,
        },
    ],
    derive: |_| Ok(Vec::new()),
    derived_from: &[],
    search_code: None,
    parents: &[("cooperation_id", "cooperations")],
    personal: &[],
    erasable: false,
    validate: validate::validate_stored_activity,
};

fn derive_index_columns(fields: &Fields) -> crate::error::Result<crate::record::Derived> {
    let text = |name: &str| match fields.get(name) {
        Some(Value::Text(s)) => fold(s),
        _ => String::new(),
    };
    let key = ["idea", "description", "next_step", "next_step_owner"]
        .map(text)
        .join(" ");
    Ok(vec![
        ("search_key", Value::Text(key)),
        ("sort_key", Value::Text(text("idea"))),
    ])
}
