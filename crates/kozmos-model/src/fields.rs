//! Field lists: each record type declares its editable fields once, in form order, with kind and
//! labels. One list serves validation messages, the CLI flags and printout, and the UI's forms.

use serde::Serialize;
use ts_rs::TS;

use crate::error::Lang;
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
/// values empty text, lists stay lists. Works for every record type through its field list.
pub fn to_draft<R: Serialize, D: serde::de::DeserializeOwned + Default>(record: &R, fields: &[FieldInfo]) -> D {
    match serde_json::to_value(record) {
        Ok(serde_json::Value::Object(map)) => draft_from_map(map, fields),
        _ => D::default(),
    }
}

/// `to_draft` of a record already in its JSON form (its values are moved, not copied).
pub fn draft_from_map<D: serde::de::DeserializeOwned + Default>(
    mut map: serde_json::Map<String, serde_json::Value>,
    fields: &[FieldInfo],
) -> D {
    draft_with(fields, |name| map.remove(name))
}

/// `to_draft` of a record given field by field: `value(name)` is the field's JSON form (None when
/// the record has no such field). The draft is read straight from the values, without a map.
pub fn draft_with<D: serde::de::DeserializeOwned + Default>(
    fields: &[FieldInfo],
    mut value: impl FnMut(&str) -> Option<serde_json::Value>,
) -> D {
    use serde::de::value::MapDeserializer;
    use serde_json::Value as Json;
    let entries = fields.iter().map(|info| {
        let value = match (info.kind, value(info.name)) {
            (_, None | Some(Json::Null)) if info.kind.is_list() => Json::Array(vec![]),
            (_, None | Some(Json::Null)) => Json::String(String::new()),
            (FieldKind::Money, Some(Json::Number(n))) => {
                Json::String(crate::check::cents_to_text(n.as_i64().unwrap_or_default()))
            }
            (_, Some(Json::Number(n))) => Json::String(n.to_string()),
            (_, Some(other)) => other,
        };
        (info.name, value)
    });
    D::deserialize(MapDeserializer::<_, serde_json::Error>::new(entries)).unwrap_or_default()
}
