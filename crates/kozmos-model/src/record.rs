//! Generic rows: a table's columns, field values, and their mapping to and from typed records.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
#[cfg(feature = "sqlx")]
use sqlx::{sqlite::SqliteRow, Row, Sqlite};
use ts_rs::TS;

use crate::error::{Error, Result};

/// The life register of a synced row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Life {
    Alive,
    Deleted,
    /// Erased for privacy; always wins (used from the persons issue on).
    Purged,
}

impl Life {
    pub fn as_str(self) -> &'static str {
        match self {
            Life::Alive => "alive",
            Life::Deleted => "deleted",
            Life::Purged => "purged",
        }
    }

    pub fn parse(s: &str) -> Life {
        match s {
            "deleted" => Life::Deleted,
            "purged" => Life::Purged,
            _ => Life::Alive,
        }
    }
}

/// The column name under which a row's life register is stamped.
pub const LIFE_COLUMN: &str = "_life";

/// The value of one field as stored.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

#[cfg(feature = "sqlx")]
impl sqlx::Type<Sqlite> for Value {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <str as sqlx::Type<Sqlite>>::type_info()
    }

    fn compatible(_: &sqlx::sqlite::SqliteTypeInfo) -> bool {
        true
    }
}

/// A stored value binds as what it holds, so every query can take it directly.
#[cfg(feature = "sqlx")]
impl sqlx::Encode<'_, Sqlite> for Value {
    fn encode_by_ref(
        &self,
        buf: &mut <Sqlite as sqlx::Database>::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match self {
            Value::Null => <Option<i64> as sqlx::Encode<Sqlite>>::encode_by_ref(&None, buf),
            Value::Int(i) => <i64 as sqlx::Encode<Sqlite>>::encode_by_ref(i, buf),
            Value::Text(s) => <String as sqlx::Encode<Sqlite>>::encode_by_ref(s, buf),
            Value::Blob(b) => <Vec<u8> as sqlx::Encode<Sqlite>>::encode_by_ref(b, buf),
        }
    }
}

/// How a column is stored: text, integer, a JSON list of strings in text, or bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Text,
    Int,
    List,
    Blob,
}

pub struct Column {
    pub name: &'static str,
    pub ty: ColType,
}

impl Column {
    /// The value of this column when nothing is known: an empty list, or NULL.
    pub fn blank(&self) -> Value {
        if self.ty == ColType::List {
            Value::Text("[]".into())
        } else {
            Value::Null
        }
    }
}

pub type Fields = BTreeMap<&'static str, Value>;

/// The local index columns derived from a row's synced fields (search and sort keys).
pub type Derived = Vec<(&'static str, Value)>;

/// The columns a table that derives any derives, in the order `derive` gives them.
pub const DERIVED_COLUMNS: [&str; 2] = ["search_key", "sort_key"];

/// A synced table: its synced columns, and how its local index columns derive from them.
pub struct TableSpec {
    pub name: &'static str,
    /// Name of the entity in error messages ("association").
    pub entity: &'static str,
    pub columns: &'static [Column],
    pub derive: fn(&Fields) -> Result<Derived>,
    /// The columns `derive` reads: a write that changes none of them leaves the derived columns
    /// as they are (`tables::tests` checks the list against `derive`).
    pub derived_from: &'static [&'static str],
    /// The record's kind in the full-text index (1–7), or None when it is not searched.
    pub search_code: Option<i64>,
    /// Columns that reference another synced table: (column, parent table).
    pub parents: &'static [(&'static str, &'static str)],
    /// Personal columns: blanked when the row is erased for privacy (purged), in sync too.
    pub personal: &'static [&'static str],
    /// Whether rows can be erased for privacy (life "purged"): persons and their consent records.
    /// A sync file that purges a row of any other table is refused.
    pub erasable: bool,
    /// The record type's own validation, applied to stored fields (a row from a sync file): the
    /// canonical columns it would store, or every field problem. Cross-checks between fields are
    /// the validator's business; the sync check decides which problems refuse a file.
    pub validate: fn(&Fields, time::Date) -> Result<Fields>,
}

impl TableSpec {
    pub fn column(&self, name: &str) -> Result<&'static Column> {
        self.columns
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| Error::Database(format!("{} has no column {name}", self.name)))
    }

    pub fn empty_row(&self) -> Fields {
        self.columns.iter().map(|c| (c.name, c.blank())).collect()
    }
}

/// A row's synced columns as read from SQLite, found by name.
#[cfg(feature = "sqlx")]
pub fn read_row(spec: &TableSpec, row: &SqliteRow) -> Result<Fields> {
    read_columns(spec, row, |_, column| column.name)
}

/// A row's synced columns as read from SQLite, in the spec's order from result column `first` on:
/// no lookup by name, which is most of reading a wide row.
#[cfg(feature = "sqlx")]
pub fn read_row_at(spec: &TableSpec, row: &SqliteRow, first: usize) -> Result<Fields> {
    read_columns(spec, row, |i, _| first + i)
}

#[cfg(feature = "sqlx")]
fn read_columns<I: sqlx::ColumnIndex<SqliteRow>>(
    spec: &TableSpec,
    row: &SqliteRow,
    index: impl Fn(usize, &Column) -> I,
) -> Result<Fields> {
    let mut fields = Fields::new();
    for (i, c) in spec.columns.iter().enumerate() {
        let at = index(i, c);
        let value = match c.ty {
            ColType::Int => row.try_get::<Option<i64>, _>(at)?.map(Value::Int),
            ColType::Text | ColType::List => row.try_get::<Option<String>, _>(at)?.map(Value::Text),
            ColType::Blob => row.try_get::<Option<Vec<u8>>, _>(at)?.map(Value::Blob),
        };
        fields.insert(c.name, value.unwrap_or(Value::Null));
    }
    Ok(fields)
}

/// JSON that KOZMOS stored itself (a list column, a vector, counts), read back. Text that does not
/// parse is damage and an error, never read as empty.
pub fn stored_json<T: DeserializeOwned>(what: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::Database(format!("the stored {what} is damaged ({e})")))
}

/// A list field's codes: none when it holds nothing, an error when its stored JSON is damaged.
pub fn list_field(fields: &Fields, name: &str) -> Result<Vec<String>> {
    match fields.get(name) {
        Some(Value::Text(text)) => stored_json(name, text),
        _ => Ok(Vec::new()),
    }
}

/// The fields of a typed record: every key of its JSON form names a column of the table (or is
/// its `id`); any other key is an error, not silently dropped.
pub fn to_fields<T: Serialize>(spec: &TableSpec, record: &T) -> Result<Fields> {
    let Json::Object(map) = serde_json::to_value(record).map_err(|e| Error::Database(e.to_string()))? else {
        return Err(Error::Database("record is not an object".into()));
    };
    let mut fields = Fields::new();
    for (key, json) in map {
        // The record's id is the row's key, not a column; any other key must be one.
        let Some(column) = spec.columns.iter().find(|c| c.name == key) else {
            if key == "id" {
                continue;
            }
            return Err(Error::Database(format!("{} has no column {key}", spec.name)));
        };
        let value = match (column.ty, json) {
            (_, Json::Null) => Value::Null,
            (ColType::Int, Json::Number(n)) => Value::Int(
                n.as_i64()
                    .ok_or_else(|| Error::Database(format!("{}.{key} is not a whole number: {n}", spec.name)))?,
            ),
            (ColType::List, list @ Json::Array(_)) => Value::Text(list.to_string()),
            (_, Json::String(s)) => Value::Text(s),
            (_, other) => Value::Text(other.to_string()),
        };
        fields.insert(column.name, value);
    }
    Ok(fields)
}

/// A typed record from stored fields (blob columns are left out).
pub fn from_fields<T: DeserializeOwned>(spec: &TableSpec, fields: &Fields) -> Result<T> {
    let map = spec
        .columns
        .iter()
        .map(|column| Ok((column.name.to_string(), column_json(column, fields)?)))
        .collect::<Result<serde_json::Map<String, Json>>>()?;
    serde_json::from_value(Json::Object(map)).map_err(|e| Error::Database(format!("{}: {e}", spec.name)))
}

/// A column's stored value in JSON: lists as arrays, blobs and missing values as null; a list that
/// is not JSON is an error.
fn column_json(column: &Column, fields: &Fields) -> Result<Json> {
    Ok(match (column.ty, fields.get(column.name)) {
        (ColType::Blob, _) | (_, None | Some(Value::Null)) => Json::Null,
        (_, Some(Value::Int(i))) => Json::from(*i),
        (ColType::List, Some(Value::Text(s))) => stored_json(column.name, s)?,
        (_, Some(Value::Text(s))) => Json::String(s.clone()),
        (_, Some(Value::Blob(_))) => Json::Null,
    })
}

/// Runs a record type's validator over stored fields, as the form would send them (through its
/// draft), and returns the columns it would store: the check of values that did not come through
/// a form (sync files).
pub fn revalidate<D, R>(
    spec: &TableSpec,
    info: &[crate::fields::FieldInfo],
    fields: &Fields,
    validate: impl FnOnce(&D) -> Result<R>,
) -> Result<Fields>
where
    D: DeserializeOwned,
    R: Serialize,
{
    let mut values = BTreeMap::new();
    for column in spec.columns {
        let value = column_json(column, fields).map_err(|_| {
            Error::invalid(
                column.name,
                "not_a_list",
                format!("„{}“ ist keine Liste.", column.name),
                format!("“{}” is not a list.", column.name),
            )
        })?;
        values.insert(column.name, value);
    }
    let draft: D = crate::fields::draft_with(info, |name| values.remove(name))?;
    to_fields(spec, &validate(&draft)?)
}

impl Value {
    /// The value as JSON, as sync files and the conflicts list keep it (bytes as base64).
    pub fn to_json(&self) -> Json {
        use base64::Engine;
        match self {
            Value::Null => Json::Null,
            Value::Int(i) => Json::from(*i),
            Value::Text(s) => Json::String(s.clone()),
            Value::Blob(b) => Json::String(base64::engine::general_purpose::STANDARD.encode(b)),
        }
    }

    /// A value of a column of type `ty` from its JSON form; None when the JSON does not fit the type.
    pub fn from_json(ty: ColType, json: &Json) -> Option<Value> {
        use base64::Engine;
        match (ty, json) {
            (_, Json::Null) => Some(Value::Null),
            (ColType::Int, Json::Number(n)) => n.as_i64().map(Value::Int),
            (ColType::Text | ColType::List, Json::String(s)) => Some(Value::Text(s.clone())),
            (ColType::Blob, Json::String(s)) => base64::engine::general_purpose::STANDARD
                .decode(s)
                .ok()
                .map(Value::Blob),
            _ => None,
        }
    }

    /// `from_json`, moving a text out of the JSON instead of copying it.
    pub fn from_owned_json(ty: ColType, json: Json) -> Option<Value> {
        match (ty, json) {
            (ColType::Text | ColType::List, Json::String(s)) => Some(Value::Text(s)),
            (_, json) => Value::from_json(ty, &json),
        }
    }
}

/// The name a person would recognise a record by.
pub fn label(row: &Fields) -> String {
    ["name", "title", "idea", "purpose", "kind"]
        .iter()
        .find_map(|c| match row.get(c) {
            Some(Value::Text(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// A stored value as text for people: lists joined, pictures by size.
pub fn display(spec: &TableSpec, col: &str, value: &Value) -> String {
    let list = spec.column(col).is_ok_and(|c| c.ty == ColType::List);
    match value {
        Value::Null => String::new(),
        Value::Int(i) => i.to_string(),
        Value::Text(s) if list => serde_json::from_str::<Vec<String>>(s).map_or_else(|_| s.clone(), |v| v.join(", ")),
        Value::Text(s) => s.clone(),
        Value::Blob(b) => format!("({} KB)", b.len().div_ceil(1024)),
    }
}

#[cfg(test)]
mod tests {
    use super::{to_fields, ColType, Column, TableSpec, Value};

    static SPEC: TableSpec = TableSpec {
        name: "things",
        entity: "thing",
        columns: &[
            Column {
                name: "name",
                ty: ColType::Text,
            },
            Column {
                name: "count",
                ty: ColType::Int,
            },
        ],
        derive: |_| Ok(Vec::new()),
        derived_from: &[],
        search_code: None,
        parents: &[],
        personal: &[],
        erasable: false,
        validate: |fields, _| Ok(fields.clone()),
    };

    /// A key that names no column (a renamed field, a typo) is an error, not a value dropped on
    /// the way to the database; so is a number that is not a whole one.
    #[test]
    fn keys_and_numbers_that_do_not_fit_the_table_are_errors() {
        let fields = to_fields(&SPEC, &serde_json::json!({"id": "x", "name": "Verein", "count": 3})).unwrap();
        assert_eq!(fields.get("name"), Some(&Value::Text("Verein".into())));
        assert_eq!(fields.get("count"), Some(&Value::Int(3)));
        for wrong in [serde_json::json!({"nmae": "Verein"}), serde_json::json!({"count": 2.5})] {
            assert_eq!(
                to_fields(&SPEC, &wrong).unwrap_err().payload().code,
                "database",
                "{wrong}"
            );
        }
    }
}
