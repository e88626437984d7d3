//! What the import needs to know of each record type: field list, table, validation, the
//! vocabulary behind each code field (codes are accepted as code or as German/English label).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use ts_rs::TS;

use crate::association::{self, AssociationDraft};
use crate::error::{Error, Result};
use crate::fields::FieldInfo;
use crate::foundation::{self, FoundationDraft};
use crate::person::{self, PersonDraft};
use crate::store::{to_fields, Fields, Store, TableSpec, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ImportKind {
    Associations,
    Foundations,
    Persons,
}

/// Column targets that are not fields of the record: the record's id (a row naming an existing
/// record updates it) and, for persons, their organisation by name or id.
pub const ID: &str = "id";
pub const ORGANISATION: &str = "organisation";
pub const ORGANISATION_ID: &str = "organisation_id";

impl ImportKind {
    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Associations => "associations",
            ImportKind::Foundations => "foundations",
            ImportKind::Persons => "persons",
        }
    }

    pub fn parse(s: &str) -> Option<ImportKind> {
        [ImportKind::Associations, ImportKind::Foundations, ImportKind::Persons]
            .into_iter()
            .find(|k| k.code() == s)
    }

    pub fn fields(self) -> &'static [FieldInfo] {
        match self {
            ImportKind::Associations => association::FIELDS,
            ImportKind::Foundations => foundation::FIELDS,
            ImportKind::Persons => person::FIELDS,
        }
    }

    pub fn spec(self) -> &'static TableSpec {
        match self {
            ImportKind::Associations => &association::TABLE,
            ImportKind::Foundations => &foundation::TABLE,
            ImportKind::Persons => &person::TABLE,
        }
    }

    /// Every target a column can have: the extra targets, then the fields in form order.
    pub fn targets(self) -> Vec<&'static str> {
        let extra: &[&str] = match self {
            ImportKind::Persons => &[ID, ORGANISATION, ORGANISATION_ID],
            _ => &[ID],
        };
        extra
            .iter()
            .copied()
            .chain(self.fields().iter().map(|f| f.name))
            .collect()
    }

    /// The label of a target in both languages.
    pub fn target_label(self, target: &str) -> (&'static str, &'static str) {
        match target {
            ID => ("ID", "ID"),
            ORGANISATION => ("Organisation (Name)", "Organisation (name)"),
            ORGANISATION_ID => ("Organisation (ID)", "Organisation (ID)"),
            _ => self
                .fields()
                .iter()
                .find(|f| f.name == target)
                .map_or(("", ""), |f| (f.de, f.en)),
        }
    }

    /// Validates a draft (field name → text or list of texts) with the record type's own rules
    /// and returns the columns to store.
    pub fn validate(self, draft: Map<String, Json>, today: time::Date, owner: Option<&str>) -> Result<Fields> {
        let draft = Json::Object(draft);
        match self {
            ImportKind::Associations => {
                let d: AssociationDraft = from_json(draft)?;
                to_fields(self.spec(), &association::validate(&d, today, owner)?)
            }
            ImportKind::Foundations => {
                let d: FoundationDraft = from_json(draft)?;
                to_fields(self.spec(), &foundation::validate(&d, today, owner)?)
            }
            ImportKind::Persons => {
                let d: PersonDraft = from_json(draft)?;
                to_fields(self.spec(), &person::validate(&d)?)
            }
        }
    }

    /// The stored record as a draft and as columns, for a row that updates it; None when there is
    /// no living one.
    pub async fn stored(self, store: &Store, id: &str) -> Result<Option<(Map<String, Json>, Fields)>> {
        let Some(row) = store
            .fetch(self.spec(), id)
            .await?
            .filter(|row| row.life == crate::store::Life::Alive)
        else {
            return Ok(None);
        };
        let draft = match self {
            ImportKind::Associations => {
                to_json(&AssociationDraft::try_from(&association::get(store, id).await?.fields)?)
            }
            ImportKind::Foundations => to_json(&FoundationDraft::try_from(&foundation::get(store, id).await?.fields)?),
            ImportKind::Persons => to_json(&PersonDraft::try_from(&person::get(store, id).await?.fields)?),
        }?;
        Ok(Some((draft, row.fields)))
    }

    /// The vocabulary of a code field as (code, German, English), if it has one.
    pub fn terms(self, field: &str) -> Option<Vec<TermTriple>> {
        terms(self.spec().name, field)
    }
}

pub use crate::vocab::TermTriple;

/// The vocabulary of a code field of a table ("associations", "foundations", "persons",
/// "cooperations"), if it has one: the one its field list names. The import reads labels with
/// it, the export writes them.
pub fn terms(table: &str, field: &str) -> Option<Vec<TermTriple>> {
    let fields = match table {
        "associations" => association::FIELDS,
        "foundations" => foundation::FIELDS,
        "persons" => person::FIELDS,
        "cooperations" => crate::cooperation::FIELDS,
        _ => return None,
    };
    let info = fields.iter().find(|f| f.name == field)?;
    info.vocabs.first().map(|v| v.entries())
}

fn from_json<T: serde::de::DeserializeOwned>(draft: Json) -> Result<T> {
    serde_json::from_value(draft).map_err(|e| Error::Database(format!("import draft: {e}")))
}

fn to_json<T: Serialize>(draft: &T) -> Result<Map<String, Json>> {
    match serde_json::to_value(draft) {
        Ok(Json::Object(map)) => Ok(map),
        _ => Err(Error::Database("draft is not an object".into())),
    }
}

/// Name, postcode and e-mail of stored columns, for `duplicates::identity_keys`.
pub fn identity(fields: &Fields) -> Vec<String> {
    let text = |name: &str| match fields.get(name) {
        Some(Value::Text(s)) => Some(s.as_str()),
        _ => None,
    };
    crate::duplicates::identity_keys(text("name").unwrap_or(""), text("postcode"), text("email"))
}
