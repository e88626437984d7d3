//! Contact persons of associations and foundations, with their consent records.

mod consent;
mod validate;

pub use consent::*;
pub use validate::validate;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::record::{Fields, Life, TableSpec, Value};
use crate::text::fold;

/// The organisation a person belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Parent {
    Association(String),
    Foundation(String),
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

crate::record_type! {
    /// The validated, stored fields of a person. Never nationality or religion.
    fields PersonFields;
    /// What a user typed into the person form.
    draft PersonDraft;
    list FIELDS; columns COLUMNS;
    column association_id: Text;
    column foundation_id: Text;
    /// None once the person was erased for privacy.
    name: Option<String> = Text("Name", "Name");
    name_original: Option<String> = Text("Name in Originalschrift", "Name in original script");
    /// The name in Latin letters, when the original script is another (for search).
    name_latin: Option<String> = Text("Name in lateinischer Umschrift", "Name in Latin transliteration");
    role: Option<String> = Text("Funktion", "Role");
    email: Option<String> = Text("E-Mail", "E-mail");
    phone: Option<String> = Text("Telefon", "Phone");
    languages: Vec<String> = Codes("Sprachen", "Languages", Languages);
    notes: Option<String> = LongText("Notizen", "Notes");
    /// The survivor this record was merged into (a tombstone then); see `duplicates::merge`.
    column merged_into: Text;
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
    derived_from: &["name", "name_original", "name_latin", "role", "email"],
    search_code: Some(3),
    parents: &[("association_id", "associations"), ("foundation_id", "foundations")],
    personal: PERSONAL_FIELDS,
    erasable: true,
    validate: |fields, _| crate::record::revalidate(&TABLE, FIELDS, fields, validate::validate),
};

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
