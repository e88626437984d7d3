//! The app's managed state: the open database, or why it could not be opened. A restore swaps
//! the database, so the handle is replaceable; commands take a clone (cheap: a pool handle).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::RwLock;

use kozmos_core::{Error, Kozmos};
use tokio::sync::watch;

pub struct AppState {
    opened: RwLock<Result<Kozmos, Error>>,
    /// Set while a restore replaces the database: commands are asked to wait.
    restoring: AtomicBool,
    /// The daily backup on start: None until it has run, then how it went (shown on the Backups page).
    daily_backup: watch::Sender<Option<Result<(), Error>>>,
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
            restoring: AtomicBool::new(false),
            daily_backup: watch::Sender::new(None),
        }
    }

    pub fn kozmos(&self) -> Result<Kozmos, Error> {
        if self.restoring.load(Ordering::SeqCst) {
            return Err(Error::restore_in_progress());
        }
        match self.opened.read() {
            Ok(opened) => opened.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Marks a restore under way until the returned guard is dropped; None when one already is.
    pub fn begin_restore(&self) -> Option<RestoreGuard<'_>> {
        (!self.restoring.swap(true, Ordering::SeqCst)).then_some(RestoreGuard(&self.restoring))
    }

    /// Puts the database reopened after a restore in place of the old one.
    pub fn replace(&self, kozmos: Kozmos) {
        let mut opened = self.opened.write().unwrap_or_else(|p| p.into_inner());
        *opened = Ok(kozmos);
    }

    pub fn daily_backup_done(&self, outcome: Result<(), Error>) {
        self.daily_backup.send_replace(Some(outcome));
    }

    /// How the daily backup on start went, once it has run.
    pub async fn daily_backup_outcome(&self) -> Result<(), Error> {
        let mut outcome = self.daily_backup.subscribe();
        let done = outcome.wait_for(Option::is_some).await;
        done.map_or(Ok(()), |outcome| outcome.clone().unwrap_or(Ok(())))
    }
}

/// While alive, commands other than the restore itself get `restore_in_progress`.
pub struct RestoreGuard<'a>(&'a AtomicBool);

impl Drop for RestoreGuard<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}
