//! The synced tables, parents before children: the order of a sync file and of applying it.

use crate::record::TableSpec;

/// Every synced table, parents before children.
pub static TABLES: &[&TableSpec] = &[
    &crate::association::TABLE,
    &crate::foundation::TABLE,
    &crate::person::TABLE,
    &crate::person::CONSENT_TABLE,
    &crate::cooperation::TABLE,
    &crate::cooperation::ACTIVITY_TABLE,
    &crate::project::PROJECT_TABLE,
    &crate::project::IDEA_TABLE,
];

/// The table spec of a synced table by name.
pub fn table(name: &str) -> Option<&'static TableSpec> {
    TABLES.iter().copied().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{ColType, Fields, Value, DERIVED_COLUMNS};

    /// Values that reach a derived column if any can: words, an accent, a district and a theme code.
    fn samples(ty: ColType) -> Vec<Value> {
        match ty {
            ColType::Text => ["Müller Straße", "15003", "bildung", ""]
                .map(|s| Value::Text(s.into()))
                .to_vec(),
            ColType::List => [r#"["15003"]"#, r#"["bildung", "sprache"]"#]
                .map(|s| Value::Text(s.into()))
                .to_vec(),
            ColType::Int => vec![Value::Int(7)],
            ColType::Blob => vec![Value::Blob(vec![1, 2, 3])],
        }
    }

    /// A table derives nothing, or exactly `DERIVED_COLUMNS` (which the store reads back to skip
    /// unchanged ones); a searched table derives them.
    #[test]
    fn tables_derive_nothing_or_the_derived_columns() {
        for spec in TABLES {
            let row: Fields = spec.columns.iter().map(|c| (c.name, c.blank())).collect();
            let names: Vec<&str> = (spec.derive)(&row).unwrap().into_iter().map(|(c, _)| c).collect();
            if spec.derived_from.is_empty() {
                assert!(names.is_empty(), "{}", spec.name);
                assert!(spec.search_code.is_none(), "{}", spec.name);
            } else {
                assert_eq!(names, DERIVED_COLUMNS, "{}", spec.name);
            }
        }
    }

    /// `derived_from` names exactly what `derive` reads: changing any other column leaves the
    /// derived columns as they are (so a write may skip them), and each column it names changes
    /// them for some value.
    #[test]
    fn derived_columns_depend_on_the_columns_named_and_no_others() {
        for spec in TABLES {
            let row: Fields = spec.columns.iter().map(|c| (c.name, c.blank())).collect();
            let derived = (spec.derive)(&row).unwrap();
            for column in spec.columns {
                let changes = samples(column.ty).into_iter().any(|value| {
                    let mut changed = row.clone();
                    changed.insert(column.name, value);
                    (spec.derive)(&changed).unwrap() != derived
                });
                let named = spec.derived_from.contains(&column.name);
                assert_eq!(changes, named, "{}.{}", spec.name, column.name);
            }
            for name in spec.derived_from {
                assert!(spec.column(name).is_ok(), "{}.{name} is not a column", spec.name);
            }
        }
    }
}
