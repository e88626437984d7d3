//! Work SQLite would do inside a commit, done beside it by tasks of the pool's own so that no
//! commit waits for it: copying the write-ahead log into the database file (`Checkpoints`) and
//! merging the full-text index's segments (`SearchMerges`). Each task runs when asked, one run at
//! a time (asks meanwhile make one more run), and ends when the pool closes, so a restore swaps
//! the file only after it. Readers and writers go on meanwhile.

use std::future::Future;
use std::sync::{Arc, OnceLock};

use kozmos_os::sqlite::AUTOCHECKPOINT_PAGES;
use sqlx::sqlite::{SqliteConnection, SqlitePool};
use tokio::sync::Notify;

/// SQLite's automatic checkpoint runs in the commit that fills the log past 1,000 pages, and that
/// commit waits for the copy (a full sync file's import: about 0.17 s of its 1.6 s). Here each
/// connection's commits only tell the log's size (`kozmos_os::sqlite::on_wal_commit`); past the
/// same 1,000 pages the pool's task runs the same passive checkpoint on another connection.
#[derive(Default)]
pub(crate) struct Checkpoints(Arc<Notify>);

impl Checkpoints {
    /// Hooks a new connection: its commits ask for a checkpoint once the log is large. A connection
    /// SQLite could not hook keeps SQLite's automatic checkpoint.
    pub(crate) async fn watch(&self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        let asked = Arc::clone(&self.0);
        let hook = move |pages| {
            // Where SQLite's automatic checkpoint would copy it.
            if pages >= AUTOCHECKPOINT_PAGES {
                asked.notify_one();
            }
        };
        kozmos_os::sqlite::on_wal_commit(&mut conn.lock_handle().await?, Box::new(hook));
        Ok(())
    }

    /// Runs the checkpoints asked for on `pool` until it closes.
    pub(crate) fn run(&self, pool: SqlitePool) {
        run_when_asked(pool, Arc::clone(&self.0), |pool| async move {
            // A failure (the pool closing, the database busy) leaves the log to the next.
            let _ = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await;
        });
    }
}

/// The full-text index's automatic merging is off (schema 23): every commit that writes entries
/// adds a segment, and FTS5 would merge segments inside that commit, as much work as the commit
/// wrote (a fifth of a weekly sync import's apply). The store asks after such a commit; the pool's
/// task merges in steps of `MERGE_PAGES` pages, each its own short transaction, until FTS5's
/// `merge` finds nothing left (fewer than four segments of each size). A commit that makes 16
/// segments of one size still merges them itself (FTS5's `crisismerge`), so the index stays
/// bounded even while the task waits.
#[derive(Default)]
pub(crate) struct SearchMerges {
    asked: Arc<Notify>,
    started: OnceLock<()>,
}

/// Pages written by one merge step: a writer that comes meanwhile waits for at most one step.
const MERGE_PAGES: i64 = 64;

impl SearchMerges {
    /// Asks for merges on `pool` after a commit that wrote index entries; the task starts on the first ask.
    pub(crate) fn ask(&self, pool: &SqlitePool) {
        self.started
            .get_or_init(|| run_when_asked(pool.clone(), Arc::clone(&self.asked), merge_all));
        self.asked.notify_one();
    }
}

/// Merges until nothing is left to merge, or a step fails (the pool closing; the next ask tries again).
async fn merge_all(pool: SqlitePool) {
    while let Ok(true) = merge_step(&pool).await {}
}

/// One step of FTS5's `merge` in a transaction of its own: whether it merged anything (FTS5 counts
/// two changes or more for a step that did).
async fn merge_step(pool: &SqlitePool) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let before: i64 = sqlx::query_scalar("SELECT total_changes()").fetch_one(&mut *tx).await?;
    sqlx::query("INSERT INTO search_index (search_index, rank) VALUES ('merge', ?)")
        .bind(MERGE_PAGES)
        .execute(&mut *tx)
        .await?;
    let after: i64 = sqlx::query_scalar("SELECT total_changes()").fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok(after - before >= 2)
}

/// Spawns the task that runs `job` each time `asked` is notified, until `pool` closes.
fn run_when_asked<J, F>(pool: SqlitePool, asked: Arc<Notify>, job: J)
where
    J: Fn(SqlitePool) -> F + Send + 'static,
    F: Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let closed = pool.close_event();
        tokio::pin!(closed);
        loop {
            tokio::select! {
                _ = &mut closed => break,
                _ = asked.notified() => job(pool.clone()).await,
            }
        }
    });
}
