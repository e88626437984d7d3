//! KOZMOS core: the domain, the SQLite store that stamps every write for sync, and the CLI.
//! No Tauri here; the desktop app is a thin shell over this crate.

pub mod association;
pub mod backup;
pub mod bindings;
pub mod calendar;
pub mod cooperation;
pub mod csv_text;
pub mod db;
pub mod demo;
pub mod duplicates;
pub mod export;
pub mod foundation;
pub mod import;
pub mod listing;
pub mod lock;
pub mod matching;
pub mod overview;
pub mod pdf;
pub mod person;
pub mod privacy;
pub mod project;
pub mod reports;
pub mod restore;
pub mod search;
pub mod sheets;
pub mod site;
pub mod storage;
pub mod store;
pub mod sync;
mod upkeep;

pub use kozmos_model::{check, error, fields, files, hlc, text, vocab};
pub use kozmos_model::{Error, ErrorPayload, FieldError, Lang, Result};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use hlc::{SystemClock, WallClock};
use serde::Serialize;
use site::Installation;
use storage::StorageNote;
use store::Store;
use ts_rs::TS;

/// An open KOZMOS database: the place where the CLI, the app and the tests start.
#[derive(Clone)]
pub struct Kozmos {
    pub store: Store,
    pub path: PathBuf,
    storage_note: Option<StorageNote>,
    /// This process's lock on the database (shared; exclusive while a restore replaces it).
    lock: Arc<lock::DbLock>,
}

impl Kozmos {
    /// Opens (creating on first start) the database at `path`.
    pub async fn open(path: &Path) -> Result<Kozmos> {
        Kozmos::open_with_clock(path, Arc::new(SystemClock)).await
    }

    /// As `open`, with a wall clock of the caller's choosing (tests move time with it).
    pub async fn open_with_clock(path: &Path, clock: Arc<dyn WallClock>) -> Result<Kozmos> {
        db::prepare_folder(path)?;
        let lock = Arc::new(lock::DbLock::shared(path)?);
        Kozmos::open_locked(path, clock, lock).await
    }

    async fn open_locked(path: &Path, clock: Arc<dyn WallClock>, lock: Arc<lock::DbLock>) -> Result<Kozmos> {
        let (pool, storage_note) = db::open_checked(path).await?;
        let installation = site::ensure(&pool).await?;
        Ok(Kozmos {
            store: Store::with_clock(pool, &installation.site_id, clock),
            path: path.to_path_buf(),
            storage_note,
            lock,
        })
    }

    /// This process's lock on the database (a restore takes it exclusively).
    pub fn lock(&self) -> &lock::DbLock {
        &self.lock
    }

    /// Set when the database lies on a network drive or in a cloud folder: a warning to show.
    pub fn storage_note(&self) -> Option<&StorageNote> {
        self.storage_note.as_ref()
    }

    pub async fn installation(&self) -> Result<Installation> {
        site::load(self.store.pool()).await
    }

    /// What the app needs on start: the installation, where the data lives, vocabularies and
    /// field labels.
    pub async fn startup_info(&self) -> Result<StartupInfo> {
        Ok(StartupInfo {
            installation: self.installation().await?,
            database_path: self.path.display().to_string(),
            storage_note: self.storage_note.clone(),
            vocabularies: vocab::vocabularies(),
            association_fields: fields::descriptions(association::FIELDS),
            foundation_fields: fields::descriptions(foundation::FIELDS),
            person_fields: fields::descriptions(person::FIELDS),
            cooperation_fields: fields::descriptions(cooperation::FIELDS),
            project_fields: fields::descriptions(project::PROJECT_FIELDS),
            idea_fields: fields::descriptions(project::IDEA_FIELDS),
        })
    }

    /// Where backup copies of the database go: `backups/` beside it.
    pub fn backup_dir(&self) -> PathBuf {
        self.path
            .parent()
            .map_or_else(|| PathBuf::from("backups"), |p| p.join("backups"))
    }

    /// Opens the same file again with the same wall clock (after a restore swapped it).
    pub async fn reopen(&self) -> Result<Kozmos> {
        self.lock.share()?;
        Kozmos::open_locked(&self.path, self.store.wall_clock(), self.lock.clone()).await
    }

    /// Closes the database and lets go of its lock.
    pub async fn close(&self) {
        self.store.close().await;
        self.lock.release();
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct StartupInfo {
    pub installation: Installation,
    pub database_path: String,
    /// A warning to show while the database lies on a network drive or in a cloud folder.
    pub storage_note: Option<StorageNote>,
    pub vocabularies: vocab::Vocabularies,
    pub association_fields: Vec<fields::FieldDescription>,
    pub foundation_fields: Vec<fields::FieldDescription>,
    pub person_fields: Vec<fields::FieldDescription>,
    pub cooperation_fields: Vec<fields::FieldDescription>,
    pub project_fields: Vec<fields::FieldDescription>,
    pub idea_fields: Vec<fields::FieldDescription>,
}
