//! Sync files: share the database between installations as files, merging both sides' offline
//! edits field by field (last writer wins per field, by hybrid-logical-clock stamp, losers kept).

pub mod conflicts;
pub mod detail;
pub mod dump;
pub mod export;
pub mod folder;
pub mod folder_secret;
pub mod history;
pub mod hostile;
pub mod import;
pub mod mass;
pub mod passphrase;
pub mod profile;
pub mod status;
pub mod undo;
pub mod vector;
pub mod withheld;

pub use kozmos_model::tables::{table, TABLES};
pub use kozmos_syncfile::file;
