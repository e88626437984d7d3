//! The write-ahead log copied into the database file beside the work, not inside a commit.
//! SQLite's automatic checkpoint runs in the commit that fills the log past 1,000 pages, and that
//! commit waits for the copy (a full sync file's import: about 0.17 s of its 1.6 s). Here each
//! connection's commits only tell the log's size (`kozmos_os::sqlite::on_wal_commit`); past the
//! same 1,000 pages a task of the pool's own runs the same passive checkpoint on another connection
//! while the caller goes on. Readers and writers go on meanwhile, as with SQLite's own.

use std::sync::Arc;

use kozmos_os::sqlite::AUTOCHECKPOINT_PAGES;
use sqlx::sqlite::{SqliteConnection, SqlitePool};
use tokio::sync::Notify;

/// Checkpoints asked for by the commits of a pool's connections, run by `run`.
#[derive(Default)]
pub(crate) struct Checkpoints(Notify);

impl Checkpoints {
    /// Hooks a new connection: its commits ask for a checkpoint once the log is large. A connection
    /// SQLite could not hook keeps SQLite's automatic checkpoint.
    pub(crate) async fn watch(self: &Arc<Self>, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        let checkpoints = Arc::clone(self);
        let hook = move |pages| {
            // Where SQLite's automatic checkpoint would copy it.
            if pages >= AUTOCHECKPOINT_PAGES {
                checkpoints.0.notify_one();
            }
        };
        kozmos_os::sqlite::on_wal_commit(&mut conn.lock_handle().await?, Box::new(hook));
        Ok(())
    }

    /// Runs the checkpoints asked for on `pool`, one at a time (asks meanwhile make one more),
    /// until the pool closes.
    pub(crate) fn run(self: Arc<Self>, pool: SqlitePool) {
        tokio::spawn(async move {
            let closed = pool.close_event();
            tokio::pin!(closed);
            loop {
                tokio::select! {
                    _ = &mut closed => break,
                    _ = self.0.notified() => {
                        // A failure (the pool closing, the database busy) leaves the log to the next.
                        let _ = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await;
                    }
                }
            }
        });
    }
}
