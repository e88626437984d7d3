//! Foundations (Stiftungen): the record, its table, its fields and their validation.

mod fields;
mod validate;

pub use fields::{field_descriptions, FIELDS};
pub use validate::validate;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::record::{ColType, Column, Fields, Life, TableSpec, Value};
use crate::text::fold;
use crate::vocab;

/// The validated, stored fields of a foundation. Amounts are whole cents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct FoundationFields {
    pub name: String,
    pub short_name: Option<String>,
    pub legal_form: Option<String>,
    pub kind: Option<String>,
    /// "yes" or "no": whether unsolicited applications are accepted.
    pub accepts_applications: Option<String>,
    pub application_route: Option<String>,
    /// ISO dates (YYYY-MM-DD), ascending.
    pub deadlines: Vec<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub themes: Vec<String>,
    pub funding_area: Option<String>,
    pub area_municipality: Option<String>,
    pub area_districts: Vec<String>,
    pub area_states: Vec<String>,
    pub target_groups: Vec<String>,
    pub support_kinds: Vec<String>,
    #[ts(type = "number | null")]
    pub grant_min: Option<i64>,
    #[ts(type = "number | null")]
    pub grant_max: Option<i64>,
    pub cofunding_percent: Option<i32>,
    pub requires_charitable: Option<String>,
    pub ev_only: Option<String>,
    pub min_age_years: Option<i32>,
    pub last_contact: Option<String>,
    pub owner_network: Option<String>,
    pub notes: Option<String>,
}

/// A foundation as read.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Foundation {
    pub id: String,
    pub life: Life,
    #[serde(flatten)]
    pub fields: FoundationFields,
    /// When the record was last written (RFC 3339, UTC).
    pub changed_at: String,
}

/// What a user typed into the foundation form (or gave as CLI flags).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default, deny_unknown_fields)]
pub struct FoundationDraft {
    pub name: String,
    pub short_name: String,
    pub legal_form: String,
    pub kind: String,
    pub accepts_applications: String,
    pub application_route: String,
    pub deadlines: Vec<String>,
    pub city: String,
    pub state: String,
    pub address: String,
    pub postcode: String,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub themes: Vec<String>,
    pub funding_area: String,
    pub area_municipality: String,
    pub area_districts: Vec<String>,
    pub area_states: Vec<String>,
    pub target_groups: Vec<String>,
    pub support_kinds: Vec<String>,
    pub grant_min: String,
    pub grant_max: String,
    pub cofunding_percent: String,
    pub requires_charitable: String,
    pub ev_only: String,
    pub min_age_years: String,
    pub last_contact: String,
    pub owner_network: String,
    pub notes: String,
}

impl TryFrom<&FoundationFields> for FoundationDraft {
    type Error = crate::error::Error;

    fn try_from(fields: &FoundationFields) -> crate::error::Result<Self> {
        crate::fields::to_draft(fields, FIELDS)
    }
}

/// One row of the foundation list.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FoundationSummary {
    pub id: String,
    pub name: String,
    pub city: Option<String>,
    pub state: Option<String>,
    pub funding_area: Option<String>,
    pub themes: Vec<String>,
    #[ts(type = "number | null")]
    pub grant_min: Option<i64>,
    #[ts(type = "number | null")]
    pub grant_max: Option<i64>,
    /// The first deadline today or later, if any.
    pub next_deadline: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "lowercase")]
pub enum FoundationSort {
    #[default]
    Name,
    City,
    Changed,
}

/// Search, filter, sort and page the foundation list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct FoundationQuery {
    pub text: String,
    pub theme: Option<String>,
    pub state: Option<String>,
    pub funding_area: Option<String>,
    pub sort: FoundationSort,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

impl Default for FoundationQuery {
    fn default() -> Self {
        FoundationQuery {
            text: String::new(),
            theme: None,
            state: None,
            funding_area: None,
            sort: FoundationSort::Name,
            descending: false,
            offset: 0,
            limit: 50,
        }
    }
}

pub static TABLE: TableSpec = TableSpec {
    name: "foundations",
    entity: "foundation",
    columns: COLUMNS,
    derive: derive_index_columns,
    search_code: Some(2),
    parents: &[],
    personal: &[],
    erasable: false,
    validate: |fields, today| {
        crate::record::revalidate(&TABLE, FIELDS, fields, |d: &FoundationDraft| {
            validate::validate(d, today, None)
        })
    },
};

const fn col(name: &'static str, ty: ColType) -> Column {
    Column { name, ty }
}

const COLUMNS: &[Column] = &[
    col("name", ColType::Text),
    col("short_name", ColType::Text),
    col("legal_form", ColType::Text),
    col("kind", ColType::Text),
    col("accepts_applications", ColType::Text),
    col("application_route", ColType::Text),
    col("deadlines", ColType::List),
    col("city", ColType::Text),
    col("state", ColType::Text),
    col("address", ColType::Text),
    col("postcode", ColType::Text),
    col("website", ColType::Text),
    col("email", ColType::Text),
    col("phone", ColType::Text),
    col("themes", ColType::List),
    col("funding_area", ColType::Text),
    col("area_municipality", ColType::Text),
    col("area_districts", ColType::List),
    col("area_states", ColType::List),
    col("target_groups", ColType::List),
    col("support_kinds", ColType::List),
    col("grant_min", ColType::Int),
    col("grant_max", ColType::Int),
    col("cofunding_percent", ColType::Int),
    col("requires_charitable", ColType::Text),
    col("ev_only", ColType::Text),
    col("min_age_years", ColType::Int),
    col("last_contact", ColType::Text),
    col("owner_network", ColType::Text),
    col("notes", ColType::Text), // The survivor this record was merged into (a tombstone then); see `duplicates::merge`.
    col("merged_into", ColType::Text),
];

/// Local index columns: folded names, seat, funding-area places and theme labels; sort key.
fn derive_index_columns(fields: &Fields) -> crate::error::Result<crate::record::Derived> {
    let text = |name: &str| match fields.get(name) {
        Some(Value::Text(s)) => s.as_str(),
        _ => "",
    };
    let list = |name: &str| crate::record::list_field(fields, name);
    let mut parts: Vec<String> = ["name", "short_name", "city", "area_municipality"]
        .iter()
        .map(|n| fold(text(n)))
        .collect();
    parts.extend(
        list("area_districts")?
            .iter()
            .filter_map(|c| vocab::district(c))
            .map(|d| fold(d.name)),
    );
    for theme in list("themes")?.iter().filter_map(|code| vocab::theme(code)) {
        parts.push(fold(theme.term.de));
        parts.push(fold(theme.term.en));
    }
    Ok(vec![
        ("search_key", Value::Text(parts.join(" "))),
        ("sort_key", Value::Text(fold(text("name")))),
    ])
}
