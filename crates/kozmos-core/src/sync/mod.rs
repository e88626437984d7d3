//! Sync files: share the database between installations as files, merging both sides' offline
//! edits field by field (last writer wins per field, by hybrid-logical-clock stamp, losers kept).

pub mod conflicts;
mod content;
pub mod detail;
pub mod dump;
pub mod export;
pub mod file;
pub mod folder;
pub mod folder_secret;
pub mod history;
pub mod hostile;
pub mod import;
pub mod mass;
pub mod passphrase;
pub mod profile;
pub mod status;
pub mod vector;
pub mod withheld;

use crate::store::TableSpec;

/// Every synced table, parents before children (the order of a sync file and of applying it).
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
