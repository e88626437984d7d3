//! Backups: create, list, prune, the daily rule, restore (checks, clock, sync afterwards), encryption.

use crate::common;

use common::{draft, TestDb, NOON};
use kozmos_core::association::{self, LogoChange};
use kozmos_core::backup::{self, REASON_DAILY, REASON_MANUAL};
use kozmos_core::restore;
use kozmos_core::store::Value;
use kozmos_core::sync::export::{self, ExportOptions};
use kozmos_core::sync::file::{self, Passphrase};
use kozmos_core::sync::import::{self, ImportOptions};
use kozmos_core::sync::profile::Profile;
use kozmos_core::{Kozmos, Lang};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn pass(secret: &str) -> Passphrase {
    Passphrase {
        secret: secret.into(),
        work_factor: Some(10),
    }
}

async fn names(db: &TestDb) -> Vec<String> {
    names_in(&db.k).await
}

async fn names_in(k: &Kozmos) -> Vec<String> {
    let mut names: Vec<String> = association::list(&k.store, &Default::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|a| a.name)
        .collect();
    names.sort();
    names
}

async fn file_bytes(db: &TestDb) -> Vec<u8> {
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(db.k.store.pool())
        .await
        .unwrap();
    std::fs::read(&db.k.path).unwrap()
}

#[tokio::test]
async fn round_trip_brings_data_back_and_keeps_the_newer_clock() {
    let mut db = TestDb::new().await;
    association::create(&db.k.store, &draft("Vietnamesischer Verein Halle"), LogoChange::Keep)
        .await
        .unwrap();
    let made = backup::create(&db.k, REASON_MANUAL, None).await.unwrap();
    assert!(!made.automatic && !made.encrypted && made.size_bytes > 0);
    db.clock.set(NOON + HOUR);
    association::create(&db.k.store, &draft("Русский клуб Leipzig"), LogoChange::Keep)
        .await
        .unwrap();
    let clock_before = db.k.store.clock().await.unwrap();

    let restored = restore::restore(&db.k, made.path.as_ref(), None).await.unwrap();
    db.k = restored.kozmos;
    assert_eq!(names(&db).await, ["Vietnamesischer Verein Halle"]);
    assert_eq!(restored.checked.associations, 1);
    assert!(
        db.k.store.clock().await.unwrap() >= clock_before,
        "clock never goes back"
    );
    // The state before the restore is kept as a backup of its own.
    assert_eq!(restored.safety_backup.reason, backup::REASON_BEFORE_RESTORE.as_str());
    assert!(std::path::Path::new(&restored.safety_backup.path).exists());
    // The search index is rebuilt: the restored association is found, the other one not.
    let hits = kozmos_core::search::everything(&db.k.store, "Vietnamesischer", 10)
        .await
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert!(kozmos_core::search::everything(&db.k.store, "Русский", 10)
        .await
        .unwrap()
        .is_empty());
    // A new write gets a stamp newer than everything before.
    let later = association::create(&db.k.store, &draft("Neu"), LogoChange::Keep)
        .await
        .unwrap();
    assert!(db.k.store.clock().await.unwrap() > clock_before, "{later:?}");
    // Restoring the safety backup gives the newer state back.
    let back = restore::restore(&db.k, restored.safety_backup.path.as_ref(), None)
        .await
        .unwrap();
    db.k = back.kozmos;
    assert_eq!(
        names(&db).await,
        ["Vietnamesischer Verein Halle", "Русский клуб Leipzig"]
    );
}

/// A backup copies pages (SQLite's backup API): it must still be one self-contained file of the
/// last commit, never of a transaction still open, and leave nothing half-written behind.
#[tokio::test]
async fn a_backup_is_one_file_of_the_last_commit_while_a_write_is_open() {
    let db = TestDb::new().await;
    association::create(
        &db.k.store,
        &draft("Afghanischer Kulturverein Erfurt"),
        LogoChange::Keep,
    )
    .await
    .unwrap();
    let mut open_write = db.k.store.writer().await.unwrap();
    open_write
        .insert(
            &association::TABLE,
            [
                ("name", Value::Text("Nicht bestätigt e.V.".into())),
                ("status", Value::Text("active".into())),
            ]
            .into_iter()
            .collect(),
        )
        .await
        .unwrap();
    let made = backup::create(&db.k, REASON_MANUAL, None).await.unwrap();
    drop(open_write);

    let folder: Vec<String> = std::fs::read_dir(db.k.backup_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        folder,
        std::slice::from_ref(&made.file_name),
        "no WAL, journal or partial file beside it"
    );
    let bytes = std::fs::read(&made.path).unwrap();
    assert_eq!(&bytes[..16], b"SQLite format 3\0");
    assert_eq!(
        (bytes[18], bytes[19]),
        (1, 1),
        "rollback journal mode: one file, no WAL"
    );
    let copy = Kozmos::open(made.path.as_ref()).await.unwrap();
    assert_eq!(names_in(&copy).await, ["Afghanischer Kulturverein Erfurt"]);
    copy.close().await;
}

#[tokio::test]
async fn corrupt_and_foreign_files_are_refused_and_nothing_changes() {
    let db = TestDb::new().await;
    association::create(&db.k.store, &draft("Verein"), LogoChange::Keep)
        .await
        .unwrap();
    let good = backup::create(&db.k, REASON_MANUAL, None).await.unwrap();
    let good_bytes = std::fs::read(&good.path).unwrap();
    let dir = db.dir.path();

    let foreign = dir.join("foreign.sqlite3");
    {
        let other = TestDb::new().await;
        let copy = backup::copy(&other.k.store, dir, backup::Reason::BeforeSyncImport)
            .await
            .unwrap();
        std::fs::rename(copy, dir.join("other-installation.sqlite3")).unwrap();
        let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}?mode=rwc", foreign.display()))
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (x)").execute(&pool).await.unwrap();
        pool.close().await;
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.sqlite3",
            good_bytes[..good_bytes.len() / 2].to_vec(),
            "backup_damaged",
        ),
        (
            "random.sqlite3",
            (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect(),
            "backup_not_kozmos",
        ),
        ("empty.sqlite3", Vec::new(), "backup_empty"),
        (
            "text.sqlite3",
            "<script>alert(1)</script> Grüße".as_bytes().to_vec(),
            "backup_not_kozmos",
        ),
        ("foreign.sqlite3", std::fs::read(&foreign).unwrap(), "backup_not_kozmos"),
        (
            "other-installation.sqlite3",
            std::fs::read(dir.join("other-installation.sqlite3")).unwrap(),
            "backup_other_installation",
        ),
    ];
    let before = file_bytes(&db).await;
    for (name, bytes, code) in cases {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let err = restore::restore(&db.k, &path, None).await.err().unwrap();
        assert_eq!(err.code(), code, "{name}: {err:?}");
        assert!(!db.k.store.pool().is_closed(), "{name}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "{name}: the file itself is untouched"
        );
    }
    let missing = restore::restore(&db.k, &dir.join("nope.sqlite3"), None)
        .await
        .err()
        .unwrap();
    assert_eq!(missing.code(), "backup_not_found");
    assert_eq!(file_bytes(&db).await, before, "the database is unchanged");
    assert_eq!(names(&db).await, ["Verein"]);
    // No backup of the current state was made for a refused file.
    assert_eq!(backup::list(&db.k.backup_dir()).unwrap().len(), 1);
}

/// A second program (another KOZMOS window, the CLI) with the database open would lose its writes
/// if the file were replaced under it, and Windows refuses to replace an open file anyway.
#[tokio::test]
async fn a_restore_while_another_program_has_the_database_open_is_refused_and_changes_nothing() {
    let mut db = TestDb::new().await;
    association::create(&db.k.store, &draft("Vor der Sicherung"), LogoChange::Keep)
        .await
        .unwrap();
    let made = backup::create(&db.k, REASON_MANUAL, None).await.unwrap();
    association::create(&db.k.store, &draft("Nach der Sicherung"), LogoChange::Keep)
        .await
        .unwrap();
    let other = Kozmos::open(&db.k.path).await.unwrap();

    let error = restore::restore(&db.k, made.path.as_ref(), None).await.err().unwrap();
    assert_eq!(error.code(), "database_in_use", "{error:?}");
    assert_eq!(error.field(), Some("path"));
    assert!(
        error
            .message(Lang::De)
            .contains("ist noch in einem anderen Programm geöffnet")
            && error.message(Lang::De).contains("Es wurde nichts geändert."),
        "{error}"
    );
    let both = ["Nach der Sicherung", "Vor der Sicherung"];
    assert_eq!(names_in(&other).await, both, "the other program still has its data");
    other.close().await;
    // Refused before anything closed: this installation goes on working with its database.
    assert_eq!(names(&db).await, both, "the database is unchanged");

    let restored = restore::restore(&db.k, made.path.as_ref(), None).await.unwrap();
    db.k = restored.kozmos;
    assert_eq!(
        names(&db).await,
        ["Vor der Sicherung"],
        "closed, the restore goes through"
    );
}

/// In a cloud folder the database has no WAL files that tell of another program; Windows still
/// refuses to replace the file while that program has it open.
#[cfg(windows)]
#[tokio::test]
async fn windows_refuses_a_restore_over_a_database_open_elsewhere_even_without_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dropbox").join("kozmos.sqlite3");
    let k = Kozmos::open(&path).await.unwrap();
    assert!(k.storage_note().is_some(), "a rollback journal, no WAL files");
    association::create(&k.store, &draft("Vor der Sicherung"), LogoChange::Keep)
        .await
        .unwrap();
    let made = backup::create(&k, REASON_MANUAL, None).await.unwrap();
    let other = Kozmos::open(&path).await.unwrap();
    let error = restore::restore(&k, made.path.as_ref(), None).await.err().unwrap();
    assert_eq!(error.code(), "database_in_use", "{error:?}");
    other.close().await;
    let restored = restore::restore(&k, made.path.as_ref(), None).await.unwrap();
    assert_eq!(restored.checked.associations, 1);
    restored.kozmos.close().await;
}

#[tokio::test]
async fn a_backup_from_a_newer_version_is_refused() {
    let db = TestDb::new().await;
    let made = backup::create(&db.k, REASON_MANUAL, None).await.unwrap();
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", made.path))
        .await
        .unwrap();
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'future', 1, x'00', 0)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let err = restore::restore(&db.k, made.path.as_ref(), None).await.err().unwrap();
    assert_eq!(err.code(), "backup_too_new");
}

#[tokio::test]
async fn an_encrypted_backup_needs_the_right_passphrase() {
    let mut db = TestDb::new().await;
    association::create(&db.k.store, &draft("Verschlüsselt e.V."), LogoChange::Keep)
        .await
        .unwrap();
    let made = backup::create(&db.k, REASON_MANUAL, Some(&pass("richtig-langes-Passwort")))
        .await
        .unwrap();
    assert!(made.encrypted && made.file_name.ends_with(".sqlite3.age"));
    let bytes = std::fs::read(&made.path).unwrap();
    assert!(file::is_encrypted(&bytes));
    assert!(
        !bytes.windows(10).any(|w| w == "Verschlüss".as_bytes()),
        "no plain text inside"
    );
    // No unencrypted copy is left behind.
    assert_eq!(std::fs::read_dir(db.k.backup_dir()).unwrap().count(), 1);
    association::create(&db.k.store, &draft("Später"), LogoChange::Keep)
        .await
        .unwrap();

    let none = restore::restore(&db.k, made.path.as_ref(), None).await.err().unwrap();
    assert_eq!(none.code(), "backup_passphrase_needed");
    let wrong = restore::restore(&db.k, made.path.as_ref(), Some("falsch"))
        .await
        .err()
        .unwrap();
    assert_eq!(wrong.code(), "backup_passphrase_wrong");
    assert_eq!(names(&db).await, ["Später", "Verschlüsselt e.V."]);
    let restored = restore::restore(&db.k, made.path.as_ref(), Some("richtig-langes-Passwort"))
        .await
        .unwrap();
    assert!(restored.checked.encrypted);
    db.k = restored.kozmos;
    assert_eq!(names(&db).await, ["Verschlüsselt e.V."]);
}

#[tokio::test]
async fn automatic_backups_beyond_the_number_kept_are_pruned_manual_ones_stay() {
    let db = TestDb::new().await;
    backup::set_keep(&db.k, 3).await.unwrap();
    backup::create(&db.k, REASON_MANUAL, None).await.unwrap();
    for day in 0..5 {
        db.clock.set(NOON + day * DAY);
        assert!(backup::daily(&db.k).await.unwrap().is_some());
    }
    let list = backup::list(&db.k.backup_dir()).unwrap();
    let auto: Vec<&str> = list
        .iter()
        .filter(|b| b.automatic)
        .map(|b| b.created_at.as_str())
        .collect();
    assert_eq!(
        auto,
        ["2026-12-04T12:00:00Z", "2026-12-03T12:00:00Z", "2026-12-02T12:00:00Z"]
    );
    assert_eq!(list.iter().filter(|b| !b.automatic).count(), 1, "the manual one stays");
    // Lowering the number prunes at once; bad numbers are refused.
    let overview = backup::set_keep(&db.k, 1).await.unwrap();
    assert_eq!(overview.keep, 1);
    assert_eq!(overview.backups.len(), 2);
    for bad in [0, -1, 366, i64::MAX] {
        assert_eq!(
            backup::set_keep(&db.k, bad).await.unwrap_err().code(),
            "backup_keep_invalid"
        );
    }
    assert_eq!(backup::keep(db.k.store.pool()).await.unwrap(), 1);
    // Other files in the folder are left alone and not listed.
    std::fs::write(db.k.backup_dir().join("notes.txt"), "x").unwrap();
    std::fs::write(db.k.backup_dir().join("kozmos-garbage.sqlite3"), "x").unwrap();
    assert_eq!(backup::list(&db.k.backup_dir()).unwrap().len(), 2);
}

/// Copies taken before imports are pruned among themselves: a day of many imports never pushes
/// out the daily backups, and a sync import's copies never push out a spreadsheet import's.
#[tokio::test]
async fn copies_before_imports_do_not_push_out_the_daily_backups() {
    let db = TestDb::new().await;
    backup::set_keep(&db.k, 3).await.unwrap();
    for day in 0..3 {
        db.clock.set(NOON + day * DAY);
        backup::daily(&db.k).await.unwrap().unwrap();
    }
    backup::copy(&db.k.store, &db.k.backup_dir(), backup::REASON_IMPORT)
        .await
        .unwrap();
    for minute in 0..14 {
        db.clock.set(NOON + 2 * DAY + (minute + 1) * 60_000);
        backup::copy(&db.k.store, &db.k.backup_dir(), backup::Reason::BeforeSyncImport)
            .await
            .unwrap();
    }
    let list = backup::list(&db.k.backup_dir()).unwrap();
    let count = |reason: backup::Reason| list.iter().filter(|b| b.reason == reason.as_str()).count();
    assert_eq!(count(REASON_DAILY), 3, "every daily backup kept");
    assert_eq!(
        count(backup::Reason::BeforeSyncImport),
        3,
        "the newest 3 sync-import copies"
    );
    assert_eq!(count(backup::REASON_IMPORT), 1, "the spreadsheet import's copy");
    let newest = list.iter().find(|b| b.reason == "vor-import").unwrap();
    assert_eq!(newest.created_at, "2026-12-02T12:14:00Z");
    // The next daily backup prunes the daily ones only.
    db.clock.set(NOON + 3 * DAY);
    backup::daily(&db.k).await.unwrap().unwrap();
    let list = backup::list(&db.k.backup_dir()).unwrap();
    assert_eq!(list.len(), 7);
}

/// On Windows a file another program holds open cannot be deleted (a virus scanner looks at each
/// new file for a moment): the new backup is made all the same, the old one goes next time.
#[cfg(windows)]
#[tokio::test]
async fn a_backup_held_open_elsewhere_is_pruned_later_and_the_new_backup_is_made() {
    use std::os::windows::fs::OpenOptionsExt;
    let db = TestDb::new().await;
    backup::set_keep(&db.k, 1).await.unwrap();
    let oldest = backup::daily(&db.k).await.unwrap().unwrap();
    let scanner = std::fs::OpenOptions::new()
        .read(true)
        .share_mode(0)
        .open(&oldest.path)
        .unwrap();
    db.clock.set(NOON + DAY);
    let newer = backup::daily(&db.k)
        .await
        .unwrap()
        .expect("made despite the old one held open");
    let listed: Vec<String> = backup::list(&db.k.backup_dir())
        .unwrap()
        .into_iter()
        .map(|b| b.file_name)
        .collect();
    assert_eq!(listed, [newer.file_name.clone(), oldest.file_name.clone()]);
    drop(scanner);
    db.clock.set(NOON + 2 * DAY);
    let newest = backup::daily(&db.k).await.unwrap().unwrap();
    let listed: Vec<String> = backup::list(&db.k.backup_dir())
        .unwrap()
        .into_iter()
        .map(|b| b.file_name)
        .collect();
    assert_eq!(listed, [newest.file_name], "both older ones pruned now");
}

#[tokio::test]
async fn the_daily_backup_is_made_once_a_day() {
    let db = TestDb::new().await;
    assert_eq!(backup::keep(db.k.store.pool()).await.unwrap(), backup::KEEP_DEFAULT);
    let first = backup::daily(&db.k).await.unwrap().unwrap();
    assert_eq!(first.reason, REASON_DAILY.as_str());
    let db = db.reopen(NOON + 2 * HOUR).await;
    assert!(
        backup::daily(&db.k).await.unwrap().is_none(),
        "second start the same day"
    );
    // A manual backup or one before an import does not count as the daily one.
    db.clock.set(NOON + DAY);
    backup::create(&db.k, REASON_MANUAL, None).await.unwrap();
    assert!(backup::daily(&db.k).await.unwrap().is_some());
}

/// Sends `from`'s file to `to`: full, or incremental for `to`, as installations that know each
/// other send. Returns how many rows it carried.
async fn exchange(from: &TestDb, to: &TestDb, full: bool) -> u64 {
    let (bytes, summary) = export::build(&from.k.store, &for_peer(to, full)).await.unwrap();
    let verified = file::verify(&bytes, None).unwrap();
    import::apply(&to.k.store, &verified, &ImportOptions::default())
        .await
        .unwrap();
    summary.rows
}

fn for_peer(to: &TestDb, full: bool) -> ExportOptions {
    ExportOptions {
        peer: (!full).then(|| to.k.store.site_id().to_string()),
        profile: Profile::All,
        passphrase: None,
    }
}

/// A with "Erster", B knowing it, each having heard from the other; a backup of A; an hour later.
async fn known_peers_and_a_backup() -> (TestDb, TestDb, backup::BackupInfo) {
    let a = TestDb::new().await;
    let b = TestDb::new().await;
    association::create(&a.k.store, &draft("Erster"), LogoChange::Keep)
        .await
        .unwrap();
    exchange(&a, &b, true).await;
    exchange(&b, &a, false).await;
    let old = backup::create(&a.k, REASON_MANUAL, None).await.unwrap();
    a.clock.set(NOON + HOUR);
    (a, b, old)
}

#[tokio::test]
async fn sync_still_works_after_restoring_an_old_backup() {
    let (a, b, old) = known_peers_and_a_backup().await;
    association::create(&a.k.store, &draft("Zweiter"), LogoChange::Keep)
        .await
        .unwrap();
    exchange(&a, &b, false).await;
    exchange(&b, &a, false).await;

    // A goes back to the old state: "Zweiter" is gone there, but B has it.
    let mut a = a;
    a.k = restore::restore(&a.k, old.path.as_ref(), None).await.unwrap().kozmos;
    assert_eq!(names(&a).await, ["Erster"]);
    association::create(&a.k.store, &draft("Dritter"), LogoChange::Keep)
        .await
        .unwrap();
    exchange(&a, &b, false).await;
    exchange(&b, &a, false).await;
    assert_eq!(
        names(&a).await,
        ["Dritter", "Erster", "Zweiter"],
        "B sends A's lost write back"
    );
    assert_eq!(names(&b).await, ["Dritter", "Erster", "Zweiter"]);

    // B's file brought back all it had of A's: A reports its own writes as complete again, and
    // B's next files carry only what is new, not A's own records over and over.
    exchange(&a, &b, false).await;
    let (_, summary) = export::build(&b.k.store, &for_peer(&a, false)).await.unwrap();
    assert_eq!(summary.rows, 0, "nothing new at B");
    association::create(&b.k.store, &draft("Vierter"), LogoChange::Keep)
        .await
        .unwrap();
    let (_, summary) = export::build(&b.k.store, &for_peer(&a, false)).await.unwrap();
    assert_eq!(summary.rows, 1, "only B's new record");
}

/// An incremental file carries only the fields the other side lacks of a record it has. When
/// that side has since restored an old backup and lost the record, such a file is refused with a
/// clear request for a full file, and changes nothing; once the restored side has sent its own
/// file, the next incremental file brings the record whole, with the edit.
#[tokio::test]
async fn a_file_made_before_the_other_side_restored_a_backup_asks_for_a_full_one() {
    let (a, b, old) = known_peers_and_a_backup().await;
    let zweiter = association::create(&a.k.store, &draft("Zweiter"), LogoChange::Keep)
        .await
        .unwrap();
    exchange(&a, &b, false).await;

    // A goes back to the old state; B, not knowing it, changes the city of "Zweiter".
    let mut a = a;
    a.k = restore::restore(&a.k, old.path.as_ref(), None).await.unwrap().kozmos;
    b.clock.set(NOON + 2 * HOUR);
    let edited = common::with_field(&draft("Zweiter"), "city", "Jena");
    association::update(&b.k.store, &zweiter.id, &edited, LogoChange::Keep)
        .await
        .unwrap();
    let (bytes, summary) = export::build(&b.k.store, &for_peer(&a, false)).await.unwrap();
    assert_eq!(
        summary.fields, 1,
        "only the changed city: A had the record when it last wrote"
    );
    let verified = file::verify(&bytes, None).unwrap();
    let before = kozmos_core::sync::dump::hash(&a.k.store).await.unwrap();
    let err = import::preview(&a.k.store, &verified).await.unwrap_err();
    assert_eq!(err.payload().code, "sync_row_incomplete");
    assert!(err.payload().message_de.contains("vollständige Datei"), "{err:?}");
    let err = import::apply(&a.k.store, &verified, &ImportOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.payload().code, "sync_row_incomplete");
    assert_eq!(
        kozmos_core::sync::dump::hash(&a.k.store).await.unwrap(),
        before,
        "nothing written"
    );

    exchange(&a, &b, false).await;
    exchange(&b, &a, false).await;
    assert_eq!(names(&a).await, ["Erster", "Zweiter"]);
    let city = association::get(&a.k.store, &zweiter.id).await.unwrap().fields.city;
    assert_eq!(city.as_deref(), Some("Jena"));
}

/// With two peers, the first one's file does not end the wait: the second still sends back what
/// it has of A's, and only then do both stop resending A's own records.
#[tokio::test]
async fn after_a_restore_every_peer_sends_back_the_lost_writes_once() {
    let (a, b, c) = (TestDb::new().await, TestDb::new().await, TestDb::new().await);
    association::create(&a.k.store, &draft("Erster"), LogoChange::Keep)
        .await
        .unwrap();
    for peer in [&b, &c] {
        exchange(&a, peer, true).await;
        exchange(peer, &a, true).await;
    }
    let old = backup::create(&a.k, REASON_MANUAL, None).await.unwrap();
    a.clock.set(NOON + HOUR);
    association::create(&a.k.store, &draft("Zweiter"), LogoChange::Keep)
        .await
        .unwrap();
    exchange(&a, &c, false).await; // only C gets "Zweiter"
    exchange(&c, &a, false).await;

    let mut a = a;
    a.k = restore::restore(&a.k, old.path.as_ref(), None).await.unwrap().kozmos;
    for peer in [&b, &c] {
        exchange(&a, peer, false).await; // each learns A's capped vector
    }
    exchange(&b, &a, false).await; // B had nothing of A's after the backup
    assert_eq!(names(&a).await, ["Erster"]);
    exchange(&a, &c, false).await;
    assert_eq!(exchange(&c, &a, false).await, 1, "C still sends A's lost write");
    assert_eq!(names(&a).await, ["Erster", "Zweiter"]);
    for peer in [&b, &c] {
        exchange(&a, peer, false).await;
        let (_, summary) = export::build(&peer.k.store, &for_peer(&a, false)).await.unwrap();
        assert_eq!(summary.rows, 0, "nothing is resent once both have answered");
    }
}

/// A backup made before an erasure never brings the erased person back: the restore erases them
/// again (the check says how many first), and no byte of the restored database holds them.
#[tokio::test]
async fn a_restore_never_undoes_an_erasure() {
    use kozmos_core::person::{self, Parent, PersonDraft};
    use kozmos_core::store::Life;
    let mut db = TestDb::new().await;
    let x = association::create(&db.k.store, &draft("Verein Brücke"), LogoChange::Keep)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (name, email) in [
        ("SENTINEL-Ölçü Erased", "sentinel-mail@example.org"),
        ("Nguyễn Văn Stays", "van@example.org"),
    ] {
        let p = PersonDraft {
            name: name.into(),
            role: "Vorstand".into(),
            email: email.into(),
            ..Default::default()
        };
        ids.push(
            person::create(&db.k.store, &Parent::Association(x.id.clone()), &p)
                .await
                .unwrap()
                .id,
        );
    }
    let before = backup::create(&db.k, REASON_MANUAL, None).await.unwrap();
    db.clock.set(NOON + HOUR);
    kozmos_core::privacy::erase::erase(&db.k.store, &ids[..1])
        .await
        .unwrap();

    let checked = restore::check(&db.k, before.path.as_ref(), None).await.unwrap();
    assert_eq!(
        checked.erasures_reapplied, 1,
        "the check says what the restore will erase again"
    );
    let restored = restore::restore(&db.k, before.path.as_ref(), None).await.unwrap();
    db.k = restored.kozmos;
    assert_eq!(restored.checked.erasures_reapplied, 1);
    let erased = person::get(&db.k.store, &ids[0]).await.unwrap();
    assert_eq!(erased.life, Life::Purged);
    assert_eq!(erased.fields.name, None);
    let kept = person::get(&db.k.store, &ids[1]).await.unwrap();
    assert_eq!(kept.fields.name.as_deref(), Some("Nguyễn Văn Stays"));
    let bytes = file_bytes(&db).await;
    for needle in ["SENTINEL-Ölçü".as_bytes(), b"sentinel-mail"] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "the restored database file still holds {:?}",
            String::from_utf8_lossy(needle)
        );
    }
    // The old backup still holds the person; the state saved before the restore does not.
    let again = restore::check(&db.k, before.path.as_ref(), None).await.unwrap();
    assert_eq!(again.erasures_reapplied, 1, "the backup still holds the person");
    let safety = restore::check(&db.k, restored.safety_backup.path.as_ref(), None)
        .await
        .unwrap();
    assert_eq!(
        safety.erasures_reapplied, 0,
        "the state before the restore had the erasure"
    );
}
