//! Values read from the database and kept while it is unchanged (the facts matching ranks, for one).
//! A connection of the cache's own, which never writes, watches `PRAGMA data_version`: it changes
//! whenever any other connection commits, this process's pool or another process. A value is kept
//! with the generation it was read in and read again once the generation moved on.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use sqlx::sqlite::SqliteConnection;
use sqlx::{ConnectOptions, Connection, SqlitePool};
use tokio::sync::Mutex;

use crate::error::Result;

type Value = Arc<dyn Any + Send + Sync>;

#[derive(Default)]
pub(crate) struct ReadCache {
    watch: Mutex<Watch>,
    values: Mutex<HashMap<&'static str, (u64, Value)>>,
}

#[derive(Default)]
struct Watch {
    /// The watching connection and the `data_version` it last saw.
    conn: Option<(SqliteConnection, i64)>,
    /// Moves on with every change seen, and when the watch is opened again.
    generation: u64,
    closed: bool,
}

impl ReadCache {
    /// The current generation: the same number as long as nobody committed a change since.
    pub(crate) async fn generation(&self, pool: &SqlitePool) -> Result<u64> {
        let mut watch = self.watch.lock().await;
        let closed = watch.closed;
        let seen = match &mut watch.conn {
            Some((conn, last)) => {
                let now = data_version(conn).await?;
                std::mem::replace(last, now) != now
            }
            // After `close` nothing is opened again: every read is a new generation.
            None if closed => true,
            None => {
                let mut conn = pool.connect_options().connect().await?;
                let now = data_version(&mut conn).await?;
                watch.conn = Some((conn, now));
                true
            }
        };
        if seen {
            watch.generation += 1;
        }
        Ok(watch.generation)
    }

    /// The value under `key`, read with `load` unless it was read since the last change and is `current`.
    pub(crate) async fn get<T, F>(
        &self,
        pool: &SqlitePool,
        key: &'static str,
        current: impl Fn(&T) -> bool,
        load: F,
    ) -> Result<Arc<T>>
    where
        T: Any + Send + Sync,
        F: Future<Output = Result<T>>,
    {
        let mut values = self.values.lock().await;
        let generation = self.generation(pool).await?;
        if let Some((kept, value)) = values.get(key) {
            if *kept == generation {
                if let Ok(value) = value.clone().downcast::<T>() {
                    if current(&value) {
                        return Ok(value);
                    }
                }
            }
        }
        // A change committed while `load` reads is seen by the next `generation` and read again then.
        let value = Arc::new(load.await?);
        values.insert(key, (generation, value.clone()));
        Ok(value)
    }

    /// Keeps `value` under `key`, as read in `generation` (taken before the reading began), for
    /// one `take`.
    pub(crate) async fn keep<T: Any + Send + Sync>(&self, key: &'static str, generation: u64, value: T) {
        self.values.lock().await.insert(key, (generation, Arc::new(value)));
    }

    /// Removes the value under `key` and returns it when nobody committed a change since it was
    /// read and it is `current`.
    pub(crate) async fn take<T: Any + Send + Sync>(
        &self,
        pool: &SqlitePool,
        key: &'static str,
        current: impl Fn(&T) -> bool,
    ) -> Result<Option<Arc<T>>> {
        let mut values = self.values.lock().await;
        let generation = self.generation(pool).await?;
        let Some((kept, value)) = values.remove(key) else {
            return Ok(None);
        };
        Ok(value
            .downcast::<T>()
            .ok()
            .filter(|value| kept == generation && current(value)))
    }

    /// Closes the watching connection (the database file is about to be closed or replaced).
    pub(crate) async fn close(&self) {
        let mut values = self.values.lock().await;
        values.clear();
        let mut watch = self.watch.lock().await;
        watch.closed = true;
        if let Some((conn, _)) = watch.conn.take() {
            let _ = conn.close().await;
        }
    }
}

async fn data_version(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("PRAGMA data_version").fetch_one(conn).await?)
}
