//! Where the database lives, how it is opened, and what happens with files that are not ours.

use crate::common;

use std::path::{Path, PathBuf};

use common::TestDb;
use kozmos_core::association::{self, LogoChange};
use kozmos_core::{backup, db, Error, Kozmos, Lang};

#[test]
fn the_option_wins_over_the_environment_which_wins_over_the_default() {
    let opt = Path::new("/opt/kozmos.sqlite3");
    let env = Some("/env/kozmos.sqlite3".into());
    assert_eq!(db::resolve_path(Some(opt), env.clone()).unwrap(), opt);
    assert_eq!(
        db::resolve_path(None, env).unwrap(),
        PathBuf::from("/env/kozmos.sqlite3")
    );
    assert_eq!(
        db::resolve_path(Some(Path::new("")), Some("".into())).unwrap(),
        db::default_path().unwrap()
    );
    let default = db::default_path().unwrap();
    assert!(default.ends_with("kozmos.sqlite3"));
    #[cfg(target_os = "linux")]
    assert!(
        default.to_string_lossy().contains("kozmos/kozmos.sqlite3"),
        "{}",
        default.display()
    );
    // The user's roaming AppData (under Wine here: C:\users\Jürgen Müller\AppData\Roaming).
    #[cfg(windows)]
    {
        let appdata = std::env::var("APPDATA").unwrap().to_lowercase();
        let shown = default.display().to_string();
        assert!(
            shown.to_lowercase().starts_with(&appdata),
            "{shown} is not in {appdata}"
        );
        assert!(shown.ends_with(r"\KOZMOS\kozmos\data\kozmos.sqlite3"), "{shown}");
    }
}

async fn journal_mode(k: &Kozmos) -> String {
    sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(k.store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_data_folder_with_umlauts_and_spaces_holds_the_database_and_its_backups() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("Jürgen Müller/AppData/Roaming/KOZMOS/kozmos/data/kozmos.sqlite3");
    let k = Kozmos::open(&path).await.unwrap();
    assert!(path.is_file());
    assert_eq!(k.storage_note(), None);
    assert_eq!(journal_mode(&k).await, "wal");
    let id = association::create(&k.store, &common::draft("Українська громада Єни"), LogoChange::Keep)
        .await
        .unwrap()
        .id;
    let made = backup::create(&k, backup::REASON_MANUAL, None).await.unwrap();
    assert!(made.path.contains("Jürgen Müller"), "{}", made.path);
    assert!(Path::new(&made.path).is_file(), "the listed path opens again");
    let restored = kozmos_core::restore::restore(&k, made.path.as_ref(), None)
        .await
        .unwrap();
    let again = association::get(&restored.kozmos.store, &id).await.unwrap();
    assert_eq!(again.fields.name, "Українська громада Єни");
    restored.kozmos.close().await;
}

#[tokio::test]
async fn a_database_in_a_cloud_folder_gets_a_rollback_journal_and_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("kozmos.sqlite3");
    let k = Kozmos::open(&local).await.unwrap();
    association::create(&k.store, &common::draft("Verein vor dem Umzug"), LogoChange::Keep)
        .await
        .unwrap();
    k.close().await;
    // The user moves the file into the Dropbox folder (a WAL database until now).
    let cloud = dir.path().join("Dropbox (LAMSA)").join("kozmos.sqlite3");
    std::fs::create_dir_all(cloud.parent().unwrap()).unwrap();
    std::fs::rename(&local, &cloud).unwrap();

    let k = Kozmos::open(&cloud).await.unwrap();
    let note = k.storage_note().expect("a note").clone();
    assert_eq!(note.code, "database_in_cloud_folder");
    assert!(
        note.message(Lang::De).contains("Cloud-Ordner (Dropbox)"),
        "{}",
        note.message_de
    );
    assert_eq!(k.startup_info().await.unwrap().storage_note, Some(note));
    assert_eq!(journal_mode(&k).await, "delete");
    association::create(&k.store, &common::draft("Verein in der Dropbox"), LogoChange::Keep)
        .await
        .unwrap();
    let wal = cloud.with_file_name("kozmos.sqlite3-wal");
    assert!(!wal.exists(), "no WAL file for the sync client to copy");
    let names = association::list(&k.store, &Default::default()).await.unwrap();
    assert_eq!(names.items.len(), 2);
    k.close().await;
}

#[tokio::test]
async fn first_start_creates_the_database_in_wal_mode_with_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("neu/unter/ordner/kozmos.sqlite3");
    let k = Kozmos::open(&path).await.unwrap();
    assert!(path.is_file());
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(k.store.pool())
        .await
        .unwrap();
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(k.store.pool())
        .await
        .unwrap();
    let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(k.store.pool())
        .await
        .unwrap();
    assert_eq!((mode.as_str(), fk), ("wal", 1));
    assert!(timeout >= 1000);
    let site = k.installation().await.unwrap();
    assert_eq!(uuid::Uuid::parse_str(&site.site_id).unwrap().get_version_num(), 4);
    assert!(!site.is_set_up());
    k.close().await;
    let again = Kozmos::open(&path).await.unwrap();
    assert_eq!(
        again.installation().await.unwrap().site_id,
        site.site_id,
        "the site id is created once"
    );
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vereine.xlsx");
    let content = b"PK\x03\x04 this is a spreadsheet, not a database".repeat(200);
    std::fs::write(&path, &content).unwrap();
    let Err(err) = Kozmos::open(&path).await else {
        panic!("opened a spreadsheet")
    };
    assert_eq!(err.code(), "database_open");
    assert!(
        err.message(kozmos_core::Lang::De).contains("keine KOZMOS-Datenbank")
            || err.message(kozmos_core::Lang::En).contains("not a KOZMOS database"),
        "{err:?}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), content);
}

#[tokio::test]
async fn a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let Err(err) = Kozmos::open(dir.path()).await else {
        panic!("opened a folder")
    };
    assert_eq!(err.code(), "database_open");
}

#[tokio::test]
async fn a_database_from_a_newer_kozmos_asks_for_an_update() {
    let db = TestDb::new().await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (9999, 'from the future', 1, x'00', 0)",
    )
    .execute(db.k.store.pool())
    .await
    .unwrap();
    db.k.close().await;
    let Err(err) = Kozmos::open(&db.dir.path().join("kozmos.sqlite3")).await else {
        panic!("opened")
    };
    assert!(matches!(err, Error::DatabaseTooNew { .. }));
    assert!(err.message(kozmos_core::Lang::De).contains("aktualisieren"));
}

#[tokio::test]
async fn setting_up_the_installation_validates_network_and_name() {
    let db = TestDb::new().await;
    let pool = db.k.store.pool();
    use kozmos_core::site::set_up;
    for (network, volunteer, field) in [
        ("", "Anna", "network"),
        ("thueringen", "Anna", "network"),
        ("lamsa", "", "volunteer"),
        ("lamsa", "   ", "volunteer"),
        ("lamsa", &"x".repeat(101), "volunteer"),
        ("lamsa", "Anna\u{1b}[31m", "volunteer"),
    ] {
        let Err(Error::Invalid(errors)) = set_up(pool, network, volunteer).await else {
            panic!("{network} {volunteer}")
        };
        assert_eq!(errors[0].field, field);
    }
    assert!(!db.k.installation().await.unwrap().is_set_up(), "nothing half-written");
    let i = set_up(pool, "migranetz", " Trần Văn Nam ").await.unwrap();
    assert_eq!(
        (i.network.as_deref(), i.volunteer.as_deref()),
        (Some("migranetz"), Some("Trần Văn Nam"))
    );
}

/// A stored list that is not JSON (a damaged file, another tool's edit) is reported as damage
/// wherever it is read: never shown, listed or matched as an empty list.
#[tokio::test]
async fn a_damaged_stored_list_is_an_error_not_an_empty_list() {
    let db = TestDb::new().await;
    let mut draft = common::draft("Verein mit Themen");
    draft.themes = vec!["bildung".into()];
    let a = association::create(&db.k.store, &draft, LogoChange::Keep)
        .await
        .unwrap();
    assert_eq!(
        association::get(&db.k.store, &a.id).await.unwrap().fields.themes,
        ["bildung"]
    );
    sqlx::query("UPDATE associations SET themes = '[\"bildung\"' WHERE id = ?")
        .bind(&a.id)
        .execute(db.k.store.pool())
        .await
        .unwrap();
    let damaged = |result: Result<(), Error>, what: &str| {
        let error = result.expect_err(what).payload();
        assert_eq!(error.code, "database", "{what}: {error:?}");
    };
    damaged(association::get(&db.k.store, &a.id).await.map(drop), "the record");
    damaged(
        association::list(&db.k.store, &Default::default()).await.map(drop),
        "the list",
    );
    damaged(
        kozmos_core::matching::for_association(&db.k.store, &a.id, true)
            .await
            .map(drop),
        "the matches",
    );
    // Saving the form again writes a whole list over the damaged one: the record reads again.
    association::update(&db.k.store, &a.id, &draft, LogoChange::Keep)
        .await
        .unwrap();
    assert_eq!(
        association::get(&db.k.store, &a.id).await.unwrap().fields.themes,
        ["bildung"]
    );
}

/// Every synced table's spec names exactly the columns its SQL table has (besides the key, the
/// life and the local index columns), with matching types, and every field of its field list is
/// one of them: a field added in one place but not the others fails here, not in a user's sync.
#[tokio::test]
async fn table_specs_field_lists_and_the_schema_agree() {
    use kozmos_core::store::ColType;
    let db = TestDb::new().await;
    for spec in kozmos_core::sync::TABLES {
        let sql: Vec<(String, String)> = sqlx::query_as("SELECT name, type FROM pragma_table_info(?)")
            .bind(spec.name)
            .fetch_all(db.k.store.pool())
            .await
            .unwrap();
        let derived: Vec<&str> = (spec.derive)(&spec.empty_row())
            .unwrap()
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        let mut in_sql: Vec<(&str, &str)> = sql
            .iter()
            .map(|(name, ty)| (name.as_str(), ty.as_str()))
            .filter(|(name, _)| {
                !["id", "life", "changed_hlc", "search_key", "sort_key"].contains(name) && !derived.contains(name)
            })
            .collect();
        let mut in_spec: Vec<(&str, &str)> = spec
            .columns
            .iter()
            .map(|c| {
                let ty = match c.ty {
                    ColType::Int => "INTEGER",
                    ColType::Text | ColType::List => "TEXT",
                    ColType::Blob => "BLOB",
                };
                (c.name, ty)
            })
            .collect();
        in_sql.sort();
        in_spec.sort();
        assert_eq!(
            in_spec, in_sql,
            "{}: the spec's columns and the SQL table differ",
            spec.name
        );
    }
    let lists: [(&str, &[kozmos_core::fields::FieldInfo]); 6] = [
        ("associations", kozmos_core::association::FIELDS),
        ("foundations", kozmos_core::foundation::FIELDS),
        ("persons", kozmos_core::person::FIELDS),
        ("cooperations", kozmos_core::cooperation::FIELDS),
        ("projects", kozmos_core::project::PROJECT_FIELDS),
        ("ideas", kozmos_core::project::IDEA_FIELDS),
    ];
    for (table, fields) in lists {
        let spec = kozmos_core::sync::table(table).unwrap();
        for field in fields {
            assert!(
                spec.column(field.name).is_ok(),
                "{table}: the field {} has no column",
                field.name
            );
        }
    }
}

/// Large writes (each more than SQLite's 1,000 pages of log) reach the database file without
/// anyone asking for a checkpoint: the copy runs beside the work once a commit filled the log
/// (`upkeep::Checkpoints`), not inside that commit. Once a copy has finished, the next write starts the log
/// again from the top, so it does not grow with every large write.
#[tokio::test]
async fn large_writes_reach_the_database_file_and_the_log_stays_bounded() {
    let db = TestDb::new().await;
    let path = db.dir.path().join("kozmos.sqlite3");
    let wal = db.dir.path().join("kozmos.sqlite3-wal");
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let mut logs = Vec::new();
    for round in 0..4 {
        let file_before = size(&path);
        common::add_associations(&db.k.store, 4_000, &format!("Runde {round}")).await;
        logs.push(size(&wal));
        assert!(
            logs[round] > 1_000 * 4_096,
            "round {round} wrote only {} bytes of log",
            logs[round]
        );
        let waited = std::time::Instant::now();
        while size(&path) <= file_before {
            assert!(
                waited.elapsed().as_secs() < 60,
                "round {round} never reached the database file"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        // The copy has begun; let it finish (slow disks take a while), and the search index's
        // merges after the round's commit (they write too): a checkpoint asked for now is busy
        // while the copy runs, and finds nothing left to copy after it, in a log no longer growing.
        let mut last_log = -1;
        loop {
            let (busy, log, copied): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_one(db.k.store.pool())
                .await
                .unwrap();
            if busy == 0 && log == copied && log == last_log {
                break;
            }
            last_log = log;
            assert!(waited.elapsed().as_secs() < 60, "round {round}'s copy never finished");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    // Each round's log started again from the top of the file, the one before being copied.
    assert!(
        logs[3] < 2 * logs[0],
        "the log grew from {} to {} bytes",
        logs[0],
        logs[3]
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM associations")
        .fetch_one(db.k.store.pool())
        .await
        .unwrap();
    assert_eq!(count, 16_000);
}
