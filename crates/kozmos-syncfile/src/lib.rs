//! The KOZMOS sync file format: the container (header, rows, notices, trailer; zstd; optionally
//! `age` with a passphrase) and the checks of what a file says, before it touches any database.
//! Nothing of SQLite here, so the fuzz targets build this crate and the model only.

mod content;
pub mod file;
