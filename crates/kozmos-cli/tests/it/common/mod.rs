//! Shared helpers: a real SQLite database in a temporary directory, with a clock the test moves.
#![allow(dead_code)]

pub mod pdf;

use std::sync::Arc;

use kozmos_core::association::{self, AssociationDraft, AssociationQuery};
use kozmos_core::hlc::ManualClock;
use kozmos_core::store::Store;
use kozmos_core::Kozmos;

/// 2026-11-29 12:00:00 UTC in milliseconds.
pub const NOON: i64 = 1_796_040_000_000;

/// The day of `NOON` (UTC): "today" for a `TestDb` whose clock was not moved.
pub fn noon_day() -> time::Date {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(NOON) * 1_000_000)
        .unwrap()
        .date()
}

pub struct TestDb {
    pub dir: tempfile::TempDir,
    pub clock: Arc<ManualClock>,
    pub k: Kozmos,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(NOON));
        let k = Kozmos::open_with_clock(&dir.path().join("kozmos.sqlite3"), clock.clone())
            .await
            .unwrap();
        TestDb { dir, clock, k }
    }

    /// Closes and opens the same file again (as after a restart), with the given wall clock.
    pub async fn reopen(self, wall_ms: i64) -> TestDb {
        self.k.close().await;
        let clock = Arc::new(ManualClock::new(wall_ms));
        let k = Kozmos::open_with_clock(&self.dir.path().join("kozmos.sqlite3"), clock.clone())
            .await
            .unwrap();
        TestDb {
            dir: self.dir,
            clock,
            k,
        }
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(self.k.store.pool())
            .await
            .unwrap()
    }
}

pub fn draft(name: &str) -> AssociationDraft {
    AssociationDraft {
        name: name.into(),
        ..Default::default()
    }
}

/// The names of the associations a list query finds, in its order.
pub async fn association_names(store: &Store, query: AssociationQuery) -> Vec<String> {
    let page = association::list(store, &query).await.unwrap();
    page.items.into_iter().map(|a| a.name).collect()
}

/// A list query for search words.
pub fn text_query(words: &str) -> AssociationQuery {
    AssociationQuery {
        text: words.into(),
        ..Default::default()
    }
}

/// A copy of a draft with one field set from text (a list field gets a one-entry list).
pub fn with_field<D: serde::Serialize + serde::de::DeserializeOwned>(draft: &D, field: &str, value: &str) -> D {
    let mut json = serde_json::to_value(draft).unwrap();
    json[field] = if json[field].is_array() {
        serde_json::Value::from(vec![value])
    } else {
        serde_json::Value::from(value)
    };
    serde_json::from_value(json).unwrap()
}
