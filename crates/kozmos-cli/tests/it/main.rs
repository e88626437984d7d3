//! The integration tests of the core and the `kozmos` command line, one binary (one link) with a
//! module per area. They live in this crate because some run its `kozmos` binary (a package's
//! binaries are only visible to its own tests). Run one area with
//! `cargo test -p kozmos-cli --test it sync_props::`.

mod common;

mod backup;
mod bindings;
mod calendar;
mod cli;
mod cooperations;
mod database;
mod demo;
mod duplicates;
mod files;
mod foundations;
mod import;
mod logo;
mod matching;
mod overview;
mod persons;
mod privacy;
mod projects;
mod report_pdf;
mod reports;
mod search;
mod search_all;
mod sheet_golden;
mod sheets;
mod stamps;
mod sync;
mod sync_faults;
mod sync_hostile;
mod sync_mass;
mod sync_props;
mod sync_undo;
mod sync_withheld;
mod validation;
