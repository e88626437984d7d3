//! Shared helpers: a real SQLite database in a temporary directory, with a clock the test moves.
#![allow(dead_code)]

pub mod pdf;

use std::sync::Arc;

use kozmos_core::association::{self, AssociationDraft, AssociationQuery};
use kozmos_core::hlc::ManualClock;
use kozmos_core::store::{to_fields, Store};
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

/// The full-text index holds exactly one entry for every living record, found by every word of
/// its current search key, and none for any other: after a sync, a merge, an erasure.
pub async fn assert_search_index_in_step(store: &Store) {
    let pool = store.pool();
    let mut living = 0;
    for spec in kozmos_core::sync::TABLES.iter().filter(|s| s.search_code.is_some()) {
        let code = spec.search_code.unwrap();
        let sql = format!(
            "SELECT (rowid << 3) | {code}, id, search_key FROM {} WHERE life = 'alive'",
            spec.name
        );
        let rows: Vec<(i64, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await.unwrap();
        living += rows.len() as i64;
        for (rowid, id, key) in rows {
            // Every trigram of every word (the index has no phrases: detail=none).
            let words: Vec<String> = key
                .split_whitespace()
                .flat_map(|w| {
                    let chars: Vec<char> = w.chars().collect();
                    let trigrams: Vec<String> = chars.windows(3).map(|t| t.iter().collect()).collect();
                    trigrams
                })
                .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                .collect();
            if words.is_empty() {
                continue;
            }
            let found: i64 =
                sqlx::query_scalar("SELECT count(*) FROM search_index WHERE search_index MATCH ? AND rowid = ?")
                    .bind(words.join(" "))
                    .bind(rowid)
                    .fetch_one(pool)
                    .await
                    .unwrap();
            assert_eq!(found, 1, "{} {id} is not found by its search key {key:?}", spec.name);
        }
    }
    let entries: i64 = sqlx::query_scalar("SELECT count(*) FROM search_index")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(entries, living, "one full-text entry for every living record");
}

/// Starting a program, as `Command::output` and `Command::spawn` do, but proof against a failure of
/// Wine: now and then (a few times in CI runs so far, among thousands of starts) a child process dies
/// before it starts and `CreateProcess` says ERROR_INTERNAL_ERROR (1359). Such a start is tried again,
/// three starts in all; any other error, and every error off Windows, fails the test at once.
pub trait Finish {
    /// Runs the program to its end (`Command::output`).
    fn finish(&mut self) -> std::process::Output;
    /// Starts the program and leaves it running (`Command::spawn`).
    fn start(&mut self) -> std::process::Child;
}

impl Finish for std::process::Command {
    fn finish(&mut self) -> std::process::Output {
        started(self, std::process::Command::output)
    }

    fn start(&mut self) -> std::process::Child {
        started(self, std::process::Command::spawn)
    }
}

fn started<T>(
    command: &mut std::process::Command,
    start: impl Fn(&mut std::process::Command) -> std::io::Result<T>,
) -> T {
    const WINE_CHILD_DIED_AT_START: i32 = 1359;
    let mut attempt = 1;
    loop {
        match start(command) {
            Err(e) if cfg!(windows) && e.raw_os_error() == Some(WINE_CHILD_DIED_AT_START) && attempt < 3 => {
                eprintln!("{:?} did not start ({e}); starting it again", command.get_program());
                attempt += 1;
            }
            result => return result.unwrap(),
        }
    }
}

/// Writes `n` real associations (not demo rows, which never leave an installation) in one
/// transaction, with names in several scripts and a long mission text.
pub async fn add_associations(store: &Store, n: usize, label: &str) {
    let names = [
        ("Arabischer Kulturverein", "الجمعية الثقافية العربية"),
        ("Ukrainische Gemeinde", "Українська громада"),
        ("Vietnamesischer Verein", "Hội người Việt"),
        ("Afghanischer Frauenverein", "انجمن زنان افغان"),
    ];
    let today = store.today();
    let mut w = store.writer().await.unwrap();
    for i in 0..n {
        let (name, original) = names[i % names.len()];
        let draft = AssociationDraft {
            name: format!("{name} {label} {i}"),
            name_original: format!("{original} {i}"),
            city: ["Halle (Saale)", "Magdeburg", "Erfurt", "Jena"][i % 4].into(),
            themes: vec!["bildung".into(), "sprache".into()],
            languages: vec!["de".into()],
            members: (10 + i % 300).to_string(),
            mission_de: format!("Beratung, Sprachkurse und Begegnung für Familien, Nummer {i}. ").repeat(4),
            notes: format!("Kontakt über das Netzwerk seit {}.", 2000 + i % 25),
            ..Default::default()
        };
        let fields = association::validate(&draft, today, Some("lamsa")).unwrap();
        w.insert(&association::TABLE, to_fields(&association::TABLE, &fields).unwrap())
            .await
            .unwrap();
    }
    w.commit().await.unwrap();
}
