//! Associations (Vereine): the record, its table, its fields and their validation.

mod fields;
mod logo;
mod validate;

pub use crate::check::parse_date;
pub use fields::{field_descriptions, field_label, FIELDS};
pub use logo::{data_url, decode_base64, validate_logo, Logo, LOGO_MAX_BYTES, LOGO_MAX_SIDE};
pub use validate::validate;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::record::{ColType, Column, Fields, Life, TableSpec, Value};
use crate::text::fold;
use crate::vocab;

/// The validated, stored fields of an association (everything but the logo bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct AssociationFields {
    pub name: String,
    pub name_original: Option<String>,
    pub short_name: Option<String>,
    pub legal_form: Option<String>,
    pub register_court: Option<String>,
    pub register_number: Option<String>,
    pub founded_year: Option<i32>,
    pub charitable_status: Option<String>,
    pub tax_office: Option<String>,
    pub notice_kind: Option<String>,
    /// ISO date (YYYY-MM-DD) of the tax office's notice.
    pub notice_date: Option<String>,
    pub network: Option<String>,
    pub state: Option<String>,
    pub district: Option<String>,
    pub city: Option<String>,
    pub postcode: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub mission_de: Option<String>,
    pub mission_en: Option<String>,
    pub communities: Vec<String>,
    pub languages: Vec<String>,
    pub themes: Vec<String>,
    pub target_groups: Vec<String>,
    pub needs: Vec<String>,
    pub previous_funders: Vec<String>,
    pub members: Option<i32>,
    pub volunteers: Option<i32>,
    pub staff: Option<i32>,
    pub budget_band: Option<String>,
    pub status: String,
    pub owner_network: Option<String>,
    pub notes: Option<String>,
}

/// An association as read: id, life, fields and what is derived from them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Association {
    pub id: String,
    pub life: Life,
    #[serde(flatten)]
    pub fields: AssociationFields,
    pub has_logo: bool,
    /// When the record was last written (RFC 3339, UTC).
    pub changed_at: String,
    /// The day the charitable-status notice stops counting as current (5 years, 3 for § 60a).
    pub notice_valid_until: Option<String>,
}

/// What a user typed: every field as raw text (lists as lists). `validate` turns it into
/// `AssociationFields` or field errors; the UI form and the CLI both send this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default, deny_unknown_fields)]
pub struct AssociationDraft {
    pub name: String,
    pub name_original: String,
    pub short_name: String,
    pub legal_form: String,
    pub register_court: String,
    pub register_number: String,
    pub founded_year: String,
    pub charitable_status: String,
    pub tax_office: String,
    pub notice_kind: String,
    pub notice_date: String,
    pub network: String,
    pub state: String,
    pub district: String,
    pub city: String,
    pub postcode: String,
    pub address: String,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub mission_de: String,
    pub mission_en: String,
    pub communities: Vec<String>,
    pub languages: Vec<String>,
    pub themes: Vec<String>,
    pub target_groups: Vec<String>,
    pub needs: Vec<String>,
    pub previous_funders: Vec<String>,
    pub members: String,
    pub volunteers: String,
    pub staff: String,
    pub budget_band: String,
    pub status: String,
    pub owner_network: String,
    pub notes: String,
}

impl TryFrom<&AssociationFields> for AssociationDraft {
    type Error = crate::error::Error;

    fn try_from(fields: &AssociationFields) -> crate::error::Result<Self> {
        crate::fields::to_draft(fields, FIELDS)
    }
}

/// One row of the association list.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AssociationSummary {
    pub id: String,
    pub name: String,
    pub name_original: Option<String>,
    pub short_name: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub network: Option<String>,
    pub themes: Vec<String>,
    pub status: String,
    pub founded_year: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "lowercase")]
pub enum SortKey {
    #[default]
    Name,
    City,
    Founded,
    Changed,
}

/// Search, filter, sort and page the association list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AssociationQuery {
    /// Words that must all occur in name (any script), short name, city, postcode, district or theme.
    pub text: String,
    pub theme: Option<String>,
    pub target_group: Option<String>,
    pub city: Option<String>,
    pub network: Option<String>,
    pub state: Option<String>,
    pub district: Option<String>,
    pub status: Option<String>,
    pub sort: SortKey,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

impl Default for AssociationQuery {
    fn default() -> Self {
        AssociationQuery {
            text: String::new(),
            theme: None,
            target_group: None,
            city: None,
            network: None,
            state: None,
            district: None,
            status: None,
            sort: SortKey::Name,
            descending: false,
            offset: 0,
            limit: 50,
        }
    }
}

/// The associations table as the store sees it.
pub static TABLE: TableSpec = TableSpec {
    name: "associations",
    entity: "association",
    columns: COLUMNS,
    derive: derive_index_columns,
    search_code: Some(1),
    parents: &[],
    personal: &[],
    erasable: false,
    validate: validate::validate_stored,
};

const fn col(name: &'static str, ty: ColType) -> Column {
    Column { name, ty }
}

const COLUMNS: &[Column] = &[
    col("name", ColType::Text),
    col("name_original", ColType::Text),
    col("short_name", ColType::Text),
    col("legal_form", ColType::Text),
    col("register_court", ColType::Text),
    col("register_number", ColType::Text),
    col("founded_year", ColType::Int),
    col("charitable_status", ColType::Text),
    col("tax_office", ColType::Text),
    col("notice_kind", ColType::Text),
    col("notice_date", ColType::Text),
    col("network", ColType::Text),
    col("state", ColType::Text),
    col("district", ColType::Text),
    col("city", ColType::Text),
    col("postcode", ColType::Text),
    col("address", ColType::Text),
    col("website", ColType::Text),
    col("email", ColType::Text),
    col("phone", ColType::Text),
    col("mission_de", ColType::Text),
    col("mission_en", ColType::Text),
    col("communities", ColType::List),
    col("languages", ColType::List),
    col("themes", ColType::List),
    col("target_groups", ColType::List),
    col("needs", ColType::List),
    col("previous_funders", ColType::List),
    col("members", ColType::Int),
    col("volunteers", ColType::Int),
    col("staff", ColType::Int),
    col("budget_band", ColType::Text),
    col("logo", ColType::Blob),
    col("logo_mime", ColType::Text),
    col("status", ColType::Text),
    col("owner_network", ColType::Text),
    col("notes", ColType::Text), // The survivor this record was merged into (a tombstone then); see `duplicates::merge`.
    col("merged_into", ColType::Text),
];

/// Local index columns: the folded search key (names in every script, city, postcode,
/// district, theme labels in both languages) and the folded sort key.
fn derive_index_columns(fields: &Fields) -> crate::error::Result<crate::record::Derived> {
    let text = |name: &str| match fields.get(name) {
        Some(Value::Text(s)) => s.as_str(),
        _ => "",
    };
    let mut key = String::new();
    for name in ["name", "name_original", "short_name", "city", "postcode"] {
        key.push_str(&fold(text(name)));
        key.push(' ');
    }
    if let Some(d) = vocab::district(text("district")) {
        key.push_str(&fold(d.name));
        key.push(' ');
    }
    let themes = crate::record::list_field(fields, "themes")?;
    for theme in themes.iter().filter_map(|code| vocab::theme(code)) {
        key.push_str(&fold(theme.term.de));
        key.push(' ');
        key.push_str(&fold(theme.term.en));
        key.push(' ');
    }
    Ok(vec![
        ("search_key", Value::Text(key)),
        ("sort_key", Value::Text(fold(text("name")))),
    ])
}
