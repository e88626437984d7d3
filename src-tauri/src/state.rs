//! The app's managed state: the open database, or why it could not be opened. A restore swaps
//! the database, so the handle is replaceable; commands take a clone (cheap: a pool handle).

use std::path::PathBuf;
use std::sync::{Mutex, RwLock};

use kozmos_core::{Error, Kozmos};

pub struct AppState {
    opened: RwLock<Result<Kozmos, Error>>,
    /// Why the daily backup on start failed, if it did (shown on the Backups page).
    daily_backup_error: Mutex<Option<Error>>,
}

impl AppState {
    /// Opens the database at `path` (or keeps why there is none, to show it).
    pub async fn open(path: Result<PathBuf, Error>) -> AppState {
        let opened = match path {
            Ok(path) => Kozmos::open(&path).await,
            Err(e) => Err(e),
        };
        AppState {
            opened: RwLock::new(opened),
            daily_backup_error: Mutex::new(None),
        }
    }

    pub fn kozmos(&self) -> Result<Kozmos, Error> {
        match self.opened.read() {
            Ok(opened) => opened.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Puts the database reopened after a restore in place of the old one.
    pub fn replace(&self, kozmos: Kozmos) {
        let mut opened = self.opened.write().unwrap_or_else(|p| p.into_inner());
        *opened = Ok(kozmos);
    }

    pub fn set_daily_backup_error(&self, error: Option<Error>) {
        *self.daily_backup_error.lock().unwrap_or_else(|p| p.into_inner()) = error;
    }

    pub fn daily_backup_error(&self) -> Option<Error> {
        self.daily_backup_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}
