//! Contact persons of associations and foundations, with their consent records.

mod consent;
mod fields;
mod validate;

pub use consent::*;
pub use fields::{field_descriptions, FIELDS};
pub use validate::validate;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::record::{ColType, Column, Fields, Life, TableSpec, Value};
use crate::text::fold;

/// The organisation a person belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Parent {
    Association(String),
    Foundation(String),
}

/// The validated, stored fields of a person. Never nationality or religion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct PersonFields {
    /// None once the person was erased for privacy.
    pub name: Option<String>,
    pub name_original: Option<String>,
    /// The name in Latin letters, when the original script is another (for search).
    pub name_latin: Option<String>,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub languages: Vec<String>,
    pub notes: Option<String>,
}

/// A person as read, with the current consent per purpose.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Person {
    pub id: String,
    pub life: Life,
    pub parent: Parent,
    /// The organisation's name.
    pub parent_name: String,
    /// The other network no longer shares this person: their personal data was removed here
    /// (role and organisation stay), and they cannot be edited, only erased.
    pub withheld: bool,
    #[serde(flatten)]
    pub fields: PersonFields,
    pub consents: Vec<ConsentRecord>,
    /// The newest record per purpose decides; purposes without a record are missing.
    pub current_consent: Vec<ConsentRecord>,
    pub changed_at: String,
}

/// What a user typed into the person form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default, deny_unknown_fields)]
pub struct PersonDraft {
    pub name: String,
    pub name_original: String,
    pub name_latin: String,
    pub role: String,
    pub email: String,
    pub phone: String,
    pub languages: Vec<String>,
    pub notes: String,
}

impl TryFrom<&PersonFields> for PersonDraft {
    type Error = crate::error::Error;

    fn try_from(fields: &PersonFields) -> crate::error::Result<Self> {
        crate::fields::to_draft(fields, FIELDS)
    }
}

/// One person in a list.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PersonSummary {
    pub id: String,
    pub life: Life,
    pub name: Option<String>,
    pub name_original: Option<String>,
    pub role: Option<String>,
    pub email: Option<String>,
    pub parent: Parent,
    /// No longer shared by the other network (see `Person::withheld`).
    pub withheld: bool,
}

pub static TABLE: TableSpec = TableSpec {
    name: "persons",
    entity: "person",
    columns: COLUMNS,
    derive: derive_index_columns,
    search_code: Some(3),
    parents: &[("association_id", "associations"), ("foundation_id", "foundations")],
    personal: PERSONAL_FIELDS,
    erasable: true,
    validate: |fields, _| crate::record::revalidate(&TABLE, FIELDS, fields, validate::validate),
};

const fn col(name: &'static str, ty: ColType) -> Column {
    Column { name, ty }
}

const COLUMNS: &[Column] = &[
    col("association_id", ColType::Text),
    col("foundation_id", ColType::Text),
    col("name", ColType::Text),
    col("name_original", ColType::Text),
    col("name_latin", ColType::Text),
    col("role", ColType::Text),
    col("email", ColType::Text),
    col("phone", ColType::Text),
    col("languages", ColType::List),
    col("notes", ColType::Text), // The survivor this record was merged into (a tombstone then); see `duplicates::merge`.
    col("merged_into", ColType::Text),
];

/// What a withheld person's page says (German, English).
pub const WITHHELD_NOTE: (&str, &str) = (
    "Das andere Netzwerk teilt diese Person nicht mehr (die Einwilligung zur Weitergabe wurde widerrufen). Ihre persönlichen Daten wurden hier entfernt; Funktion und Organisation bleiben.",
    "The other network no longer shares this person (the consent to sharing was withdrawn). Their personal data was removed here; role and organisation stay.",
);

/// The count of such persons in a sync preview (German, English).
pub const WITHHELD_COUNT: (&str, &str) = (
    "Personen, die das andere Netzwerk nicht mehr teilt (ihre persönlichen Daten werden hier entfernt)",
    "persons the other network no longer shares (their personal data is removed here)",
);

/// The personal fields that erasure blanks; role and organisation stay.
pub const PERSONAL_FIELDS: &[&str] = &[
    "name",
    "name_original",
    "name_latin",
    "email",
    "phone",
    "notes",
    "languages",
];

fn derive_index_columns(fields: &Fields) -> crate::error::Result<crate::record::Derived> {
    let text = |name: &str| match fields.get(name) {
        Some(Value::Text(s)) => fold(s),
        _ => String::new(),
    };
    let key = ["name", "name_original", "name_latin", "role", "email"]
        .map(text)
        .join(" ");
    Ok(vec![
        ("search_key", Value::Text(key)),
        ("sort_key", Value::Text(text("name"))),
    ])
}
