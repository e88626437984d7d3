//! The KOZMOS model: what a record is and what makes it valid, with nothing of SQLite or files of
//! the sync format. Errors with their codes and messages, the hybrid logical clock, text folding,
//! the vocabularies, field lists, checks, and each synced table's spec (columns, parents, validation).
//! Every other crate builds on this one; it depends on none of them.

pub mod association;
pub mod check;
pub mod cooperation;
mod declare;
pub mod error;
pub mod fields;
pub mod files;
pub mod foundation;
pub mod hlc;
pub mod numbers;
pub mod person;
pub mod project;
pub mod record;
pub mod tables;
pub mod text;
pub mod vocab;

pub use error::{Error, ErrorPayload, FieldError, Lang, Result};
