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
