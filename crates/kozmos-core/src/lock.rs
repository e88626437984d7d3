//! One writer at a time across processes. Every process that opens a database (the app, each
//! `kozmos` command) holds a shared advisory lock on `<database>.lock` beside it; a restore, which
//! replaces the database file, takes it exclusively, so it never pulls the file from under
//! another KOZMOS process, and a process starting during a restore is told to wait. Normal work
//! of several processes at once stays possible (SQLite's own locking orders their writes).
//! The locks are std's file locks: `flock` on Unix, `LockFileEx` on Windows, released by the
//! system when a process ends however it ends.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    None,
    Shared,
    Exclusive,
}

/// This process's lock on one database.
#[derive(Debug)]
pub struct DbLock {
    /// None where no lock file can be made (a read-only folder: then nothing can be replaced
    /// there either, and the database opens read-only).
    file: Option<File>,
    database: PathBuf,
    held: Mutex<Held>,
}

/// The lock file beside the database.
pub fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_os_string();
    name.push(".lock");
    PathBuf::from(name)
}

impl DbLock {
    /// Opens the lock file and takes the shared lock; refused while a restore holds it.
    pub fn shared(database: &Path) -> Result<DbLock> {
        let path = lock_path(database);
        let file = match OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
        {
            Ok(file) => Some(file),
            Err(e) if matches!(e.kind(), ErrorKind::ReadOnlyFilesystem | ErrorKind::PermissionDenied) => None,
            Err(e) => {
                return Err(Error::DatabaseOpen {
                    path: path.display().to_string(),
                    detail: e.to_string(),
                })
            }
        };
        let lock = DbLock {
            file,
            database: database.to_path_buf(),
            held: Mutex::new(Held::None),
        };
        lock.share()?;
        Ok(lock)
    }

    fn held(&self) -> std::sync::MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Holds the lock shared (again): after a restore, or a `release`.
    pub fn share(&self) -> Result<()> {
        let Some(file) = &self.file else { return Ok(()) };
        let mut held = self.held();
        match *held {
            Held::Shared => return Ok(()),
            Held::Exclusive => unlock(file)?,
            Held::None => {}
        }
        *held = Held::None;
        match file.try_lock_shared() {
            Ok(()) => {
                *held = Held::Shared;
                Ok(())
            }
            Err(TryLockError::WouldBlock) => Err(Error::restore_in_progress()),
            Err(TryLockError::Error(e)) => Err(e.into()),
        }
    }

    /// Takes the lock exclusively for a restore; refused while another KOZMOS process has the
    /// database open. On refusal the shared lock is held again.
    pub fn exclusive(&self) -> Result<()> {
        let Some(file) = &self.file else { return Ok(()) };
        let mut held = self.held();
        if *held == Held::Exclusive {
            return Ok(());
        }
        if *held == Held::Shared {
            unlock(file)?;
            *held = Held::None;
        }
        match file.try_lock() {
            Ok(()) => {
                *held = Held::Exclusive;
                Ok(())
            }
            Err(refused) => {
                drop(held);
                self.share()?;
                match refused {
                    TryLockError::WouldBlock => Err(Error::DatabaseInUse {
                        path: self.database.display().to_string(),
                    }),
                    TryLockError::Error(e) => Err(e.into()),
                }
            }
        }
    }

    /// Lets go of the lock (the database is closed).
    pub fn release(&self) {
        let mut held = self.held();
        if let (Some(file), true) = (&self.file, *held != Held::None) {
            let _ = unlock(file);
            *held = Held::None;
        }
    }
}

/// Lets go of this handle's lock. std unlocks twice (a Windows handle may hold a shared and an
/// exclusive lock at once) and accepts "not locked" for the second; Wine answers that with
/// ERROR_LOCK_VIOLATION (33) instead, after the first has released the lock.
fn unlock(file: &File) -> std::io::Result<()> {
    match file.unlock() {
        Err(e) if cfg!(windows) && e.raw_os_error() == Some(33) => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restore_waits_for_no_one_and_others_wait_for_a_restore() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("kozmos.sqlite3");
        let app = DbLock::shared(&db).unwrap();
        let cli = DbLock::shared(&db).unwrap();
        assert_eq!(app.exclusive().unwrap_err().code(), "database_in_use");
        assert_eq!(*app.held(), Held::Shared, "the refused restore keeps its shared lock");
        cli.release();
        app.exclusive().unwrap();
        assert_eq!(DbLock::shared(&db).unwrap_err().code(), "restore_in_progress");
        app.share().unwrap();
        DbLock::shared(&db).unwrap();
    }
}
