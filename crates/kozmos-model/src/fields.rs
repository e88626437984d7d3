//! Field lists: each record type declares its editable fields once, in form order, with kind and
//! labels. One list serves validation messages, the CLI flags and printout, and the UI's forms.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Lang, Result};
use crate::vocab::Vocab;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Several lines of text.
    LongText,
    /// A whole number.
    Number,
    /// An amount in euro, stored as whole cents.
    Money,
    /// A calendar date.
    Date,
    /// Several calendar dates.
    Dates,
    /// One code from a vocabulary.
    Code,
    /// Several codes from a vocabulary.
    Codes,
    /// Several free-text entries.
    List,
    /// The id of another record (chosen by searching for it).
    Reference,
}

impl FieldKind {
    /// Whether the field holds a list (comma-separated on the command line).
    pub fn is_list(self) -> bool {
        matches!(self, FieldKind::Codes | FieldKind::List | FieldKind::Dates)
    }
}

pub struct FieldInfo {
    pub name: &'static str,
    pub kind: FieldKind,
    pub de: &'static str,
    pub en: &'static str,
    /// The vocabulary a code field takes its codes from (a region: states or districts).
    pub vocabs: &'static [Vocab],
}

pub const fn f(name: &'static str, kind: FieldKind, de: &'static str, en: &'static str) -> FieldInfo {
    FieldInfo {
        name,
        kind,
        de,
        en,
        vocabs: &[],
    }
}

impl FieldInfo {
    /// The field with the vocabulary of its codes.
    pub const fn of(self, vocabs: &'static [Vocab]) -> FieldInfo {
        FieldInfo { vocabs, ..self }
    }
}

/// The label of a field in the given language; the field name itself if unknown.
pub fn label<'a>(fields: &'static [FieldInfo], name: &'a str, lang: Lang) -> &'a str {
    match fields.iter().find(|f| f.name == name) {
        Some(info) if lang == Lang::De => info.de,
        Some(info) => info.en,
        None => name,
    }
}

/// A field as the UI receives it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FieldDescription {
    pub name: String,
    pub kind: FieldKind,
    pub de: String,
    pub en: String,
}

pub fn descriptions(fields: &[FieldInfo]) -> Vec<FieldDescription> {
    fields
        .iter()
        .map(|f| FieldDescription {
            name: f.name.into(),
            kind: f.kind,
            de: f.de.into(),
            en: f.en.into(),
        })
        .collect()
}

/// The draft (form values as text) of a stored record: numbers and cents become text, missing
/// values empty text, lists stay lists. Works for every record type through its field list; a
/// record or draft that does not fit the field list is an error, never an empty draft.
pub fn to_draft<R: Serialize, D: serde::de::DeserializeOwned>(record: &R, fields: &[FieldInfo]) -> Result<D> {
    match serde_json::to_value(record) {
        Ok(serde_json::Value::Object(map)) => draft_from_map(map, fields),
        Ok(_) => Err(Error::Database("a record is not a JSON object".into())),
        Err(e) => Err(Error::Database(format!("a record has no JSON form ({e})"))),
    }
}

/// `to_draft` of a record already in its JSON form (its values are moved, not copied).
pub fn draft_from_map<D: serde::de::DeserializeOwned>(
    mut map: serde_json::Map<String, serde_json::Value>,
    fields: &[FieldInfo],
) -> Result<D> {
    draft_with(fields, |name| map.remove(name))
}

/// `to_draft` of a record given field by field: `value(name)` is the field's JSON form (None when
/// the record has no such field). The draft is read straight from the values, without a map.
pub fn draft_with<D: serde::de::DeserializeOwned>(
    fields: &[FieldInfo],
    mut value: impl FnMut(&str) -> Option<serde_json::Value>,
) -> Result<D> {
    use serde::de::value::MapDeserializer;
    use serde_json::Value as Json;
    let entries = fields.iter().map(|info| {
        let value = match (info.kind, value(info.name)) {
            (_, None | Some(Json::Null)) if info.kind.is_list() => Json::Array(vec![]),
            (_, None | Some(Json::Null)) => Json::String(String::new()),
            (FieldKind::Money, Some(Json::Number(n))) => {
                Json::String(crate::numbers::cents_to_text(n.as_i64().unwrap_or_default()))
            }
            (_, Some(Json::Number(n))) => Json::String(n.to_string()),
            (_, Some(other)) => other,
        };
        (info.name, value)
    });
    D::deserialize(MapDeserializer::<_, serde_json::Error>::new(entries))
        .map_err(|e| Error::Database(format!("a draft does not fit its field list ({e})")))
}

#[cfg(test)]
mod tests {
    use super::{f, to_draft, FieldInfo, FieldKind::*};

    const FIELDS: &[FieldInfo] = &[f("name", Text, "Name", "Name"), f("themes", Codes, "Themen", "Themes")];

    #[derive(serde::Serialize)]
    struct Stored {
        name: Option<String>,
        themes: serde_json::Value,
    }

    #[derive(Debug, Default, serde::Deserialize)]
    struct Draft {
        name: String,
        themes: Vec<String>,
    }

    /// A record whose values do not fit its draft is an error, not a blank form that a save would
    /// write back over the stored values.
    #[test]
    fn a_record_that_does_not_fit_its_draft_is_an_error() {
        let good = Stored {
            name: None,
            themes: serde_json::json!(["bildung"]),
        };
        let draft: Draft = to_draft(&good, FIELDS).unwrap();
        assert_eq!((draft.name.as_str(), draft.themes), ("", vec!["bildung".to_string()]));
        let bad = Stored {
            name: Some("Verein".into()),
            themes: serde_json::json!({"bildung": 1}),
        };
        let error = to_draft::<_, Draft>(&bad, FIELDS).unwrap_err();
        assert_eq!(error.payload().code, "database");
    }

    /// A draft with a key no form field has (a renamed field in an old UI, a typo in a script) is
    /// refused, not saved without it.
    #[test]
    fn drafts_refuse_unknown_keys() {
        use serde_json::json;
        let ok: crate::association::AssociationDraft = serde_json::from_value(json!({"name": "Verein"})).unwrap();
        assert_eq!(ok.name, "Verein");
        assert!(serde_json::from_value::<crate::association::AssociationDraft>(json!({"nmae": "Verein"})).is_err());
        assert!(serde_json::from_value::<crate::person::ConsentDraft>(json!({"purpose": "print", "by": "x"})).is_err());
    }
}
