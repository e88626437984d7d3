//! Fault injection at the database level. Every damaged, foreign or refused sync file gives a specific
//! typed error (its code, at its field, in German and English) and leaves the importing database
//! exactly as it was: the canonical dump's hash, the clock, the vectors, and no new rows in `sync_log`
//! or `conflicts`. A read-only database, a full disk or an unwritable backup folder fail the same
//! way, and an import killed at any moment leaves exactly the old or exactly the new state.
//!
//! The mount cases (a read-only bind mount, a tiny tmpfs) need the right to mount (root with
//! CAP_SYS_ADMIN); without it they say so on stderr and test what they can without. The kill test
//! runs the real `kozmos` binary; KOZMOS_KILL_ITERATIONS (default 30) and KOZMOS_KILL_SEED repeat it.

use crate::common::{self, Finish as _};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{TestDb, NOON};
use kozmos_core::association::{self, AssociationDraft, LogoChange};
use kozmos_core::cooperation::{self, ActivityDraft, CooperationDraft};
use kozmos_core::foundation::{self, FoundationDraft};
use kozmos_core::hlc::ManualClock;
use kozmos_core::person::{self, ConsentDraft, Parent, PersonDraft};
use kozmos_core::store::Store;
use kozmos_core::sync::dump;
use kozmos_core::sync::export::{self, ExportOptions};
use kozmos_core::sync::file::{self, FieldLine, Header, Passphrase, RowLine, SyncWriter};
use kozmos_core::sync::import::{self, ClockLevel, ImportOptions, ImportResult};
use kozmos_core::sync::profile::Profile;
use kozmos_core::{Error, Kozmos, Lang, Result};
use serde_json::json;

const KOZMOS: &str = env!("CARGO_BIN_EXE_kozmos");
const DB_FILE: &str = "kozmos.sqlite3";
const SECRET: &str = "Kürbis-Brücke 7 Möwe";
const HOUR_MS: i64 = 3_600_000;

// ---------------------------------------------------------------------------------------------
// The state that must not change

/// Everything an import may change: the synced data (canonical dump), the clock, the version
/// vectors and the peers, the import log and the conflicts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    dump_hash: String,
    clock: i64,
    vectors: String,
    peers: i64,
    sync_log: i64,
    conflicts: i64,
}

async fn state(store: &Store) -> State {
    let pool = store.pool();
    let count = |table: &str| {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        async move {
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
                .fetch_one(pool)
                .await
                .unwrap()
        }
    };
    State {
        dump_hash: dump::hash(store).await.unwrap(),
        clock: store.clock().await.unwrap(),
        vectors: sqlx::query_scalar(
            "SELECT COALESCE(json_group_array(json_array(scope, site, hlc)), '[]')
             FROM (SELECT * FROM sync_vector ORDER BY 1, 2, 3)",
        )
        .fetch_one(pool)
        .await
        .unwrap(),
        peers: count("sync_peers").await,
        sync_log: count("sync_log").await,
        conflicts: count("conflicts").await,
    }
}

// ---------------------------------------------------------------------------------------------
// Databases

/// The installation whose file is imported: associations with Arabic, Ukrainian and Vietnamese
/// names, a foundation, persons with consents (given and withdrawn), a cooperation with its log,
/// an edit and a deleted association.
async fn source() -> TestDb {
    let db = TestDb::new().await;
    let store = &db.k.store;
    kozmos_core::site::set_up(store.pool(), "lamsa", "Amira Haddad")
        .await
        .unwrap();
    let arabic = association::create(
        store,
        &AssociationDraft {
            name: "Arabischer Kulturverein Halle".into(),
            name_original: "الجمعية الثقافية العربية في هاله".into(),
            city: "Halle (Saale)".into(),
            postcode: "06108".into(),
            themes: vec!["kultur".into(), "sprache".into()],
            languages: vec!["ar".into(), "de".into()],
            members: "120".into(),
            mission_de: "Sprachkurse, Hausaufgabenhilfe und ein Kulturfest im Sommer.".into(),
            ..Default::default()
        },
        LogoChange::Keep,
    )
    .await
    .unwrap();
    let ukrainian = association::create(
        store,
        &AssociationDraft {
            name: "Ukrainische Gemeinde Jena".into(),
            name_original: "Українська громада Єни".into(),
            city: "Jena".into(),
            district: "16053".into(),
            themes: vec!["bildung".into(), "sprache".into()],
            languages: vec!["uk".into()],
            communities: vec!["Ukraine".into()],
            website: "ukr-jena.de".into(),
            ..Default::default()
        },
        LogoChange::Keep,
    )
    .await
    .unwrap();
    let vietnamese = association::create(
        store,
        &AssociationDraft {
            name: "Vietnamesischer Verein Erfurt".into(),
            name_original: "Hội người Việt tại Erfurt".into(),
            city: "Erfurt".into(),
            themes: vec!["kinder_jugend".into()],
            languages: vec!["vi".into(), "de".into()],
            ..Default::default()
        },
        LogoChange::Keep,
    )
    .await
    .unwrap();
    let gone = association::create(store, &common::draft("Afghanischer Kulturverein"), LogoChange::Keep)
        .await
        .unwrap();
    association::delete(store, &gone.id).await.unwrap();
    db.clock.set(NOON + 60_000);
    let mut edited = AssociationDraft::try_from(&vietnamese.fields).unwrap();
    edited.members = "45".into();
    edited.notes = "Treffen jeden zweiten Samstag im Kulturhaus.".into();
    association::update(store, &vietnamese.id, &edited, LogoChange::Keep)
        .await
        .unwrap();

    let foundation = foundation::create(
        store,
        &FoundationDraft {
            name: "Bürgerstiftung Halle".into(),
            city: "Halle (Saale)".into(),
            themes: vec!["bildung".into(), "kultur".into()],
            grant_min: "500".into(),
            grant_max: "5.000,50".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();

    let consent = |purpose: &str, status: &str| ConsentDraft {
        purpose: purpose.into(),
        status: status.into(),
        date: "12.05.2026".into(),
        channel: "form".into(),
        note: String::new(),
    };
    let persons = [
        (&arabic.id, "Fatima Rahimi", "فاطمة رحيمي", "ar"),
        (&ukrainian.id, "Olena Kovalenko", "Олена Коваленко", "uk"),
        (&vietnamese.id, "Nguyễn Thị Minh", "", "vi"),
    ];
    for (parent, name, original, language) in persons {
        let p = person::create(
            store,
            &Parent::Association(parent.clone()),
            &PersonDraft {
                name: name.into(),
                name_original: original.into(),
                role: "Vorstand".into(),
                languages: vec![language.into(), "de".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
        person::record_consent(store, &p.id, &consent("store", "given"))
            .await
            .unwrap();
        person::record_consent(store, &p.id, &consent("share", "given"))
            .await
            .unwrap();
    }
    let foundation_contact = person::create(
        store,
        &Parent::Foundation(foundation.id.clone()),
        &PersonDraft {
            name: "Jürgen Weiß".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    person::record_consent(store, &foundation_contact.id, &consent("store", "given"))
        .await
        .unwrap();
    person::withdraw_consent(store, &foundation_contact.id, "store")
        .await
        .unwrap();

    let cooperation = cooperation::create(
        store,
        &CooperationDraft {
            idea: "Sprachcafé für Frauen".into(),
            association_id: arabic.id.clone(),
            foundation_id: foundation.id.clone(),
            amount_requested: "3.200,00".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    cooperation::set_stage(store, &cooperation.id, "erstkontakt")
        .await
        .unwrap();
    cooperation::add_activity(
        store,
        &cooperation.id,
        &ActivityDraft {
            date: String::new(),
            kind: "call".into(),
            text: "Frau Weiß rät zu einer Skizze bis März.".into(),
        },
    )
    .await
    .unwrap();
    db
}

/// The importing installation, with data of its own.
async fn target() -> TestDb {
    let db = TestDb::new().await;
    let store = &db.k.store;
    kozmos_core::site::set_up(store.pool(), "migranetz", "Trần Văn Nam")
        .await
        .unwrap();
    let own = association::create(
        store,
        &AssociationDraft {
            name: "Deutsch-Arabischer Verein Erfurt".into(),
            name_original: "الجمعية الألمانية العربية في إرفورت".into(),
            city: "Erfurt".into(),
            themes: vec!["dialog".into()],
            ..Default::default()
        },
        LogoChange::Keep,
    )
    .await
    .unwrap();
    association::create(store, &common::draft("Kulturbrücke Gera e.V."), LogoChange::Keep)
        .await
        .unwrap();
    foundation::create(
        store,
        &FoundationDraft {
            name: "Thüringer Ehrenamtsstiftung".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let p = person::create(
        store,
        &Parent::Association(own.id),
        &PersonDraft {
            name: "Karim Haddad".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    person::record_consent(
        store,
        &p.id,
        &ConsentDraft {
            purpose: "store".into(),
            status: "given".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    db
}

/// A byte-exact copy of a database (after a full checkpoint), opened with the same wall clock.
async fn copy_of(db: &TestDb) -> TestDb {
    checkpoint(&db.k).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(db.dir.path().join(DB_FILE), dir.path().join(DB_FILE)).unwrap();
    let clock = Arc::new(ManualClock::new(db.k.store.now_ms()));
    let k = Kozmos::open_with_clock(&dir.path().join(DB_FILE), clock.clone())
        .await
        .unwrap();
    TestDb { dir, clock, k }
}

/// Moves everything from the WAL into the database file, so that the file alone is the database.
async fn checkpoint(k: &Kozmos) {
    let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_one(k.store.pool())
        .await
        .unwrap();
    assert_eq!(busy, 0, "checkpoint blocked");
}

fn full(profile: Profile, passphrase: Option<Passphrase>) -> ExportOptions {
    ExportOptions {
        peer: None,
        profile,
        passphrase,
    }
}

fn passphrase(secret: &str) -> Passphrase {
    Passphrase {
        secret: secret.into(),
        work_factor: Some(10),
    }
}

/// What the app does with a file: verify it, show the preview, apply it. The preview's counts are
/// the applied counts.
async fn import_file(
    store: &Store,
    bytes: &[u8],
    passphrase: Option<&str>,
    options: &ImportOptions,
) -> Result<ImportResult> {
    let verified = file::verify(bytes, passphrase)?;
    let preview = import::preview(store, &verified).await?;
    let result = import::apply(store, &verified, options).await?;
    if !result.already_imported {
        assert_eq!(preview.counts, result.counts, "preview counts = applied counts");
    }
    Ok(result)
}

/// The error must be one of `codes`, at `field`, in both languages, and must not be a raw
/// technical message in the German text.
fn check_error(error: &Error, codes: &[&str], field: &str, what: &str) {
    assert!(
        codes.contains(&error.code()),
        "{what}: code {} ({}), expected one of {codes:?}",
        error.code(),
        error.message(Lang::En)
    );
    assert_eq!(error.field(), Some(field), "{what}: field of {}", error.code());
    understandable(error, what);
}

fn understandable(error: &Error, what: &str) {
    let (de, en) = (error.message(Lang::De), error.message(Lang::En));
    assert!(de.len() > 20 && en.len() > 20 && de != en, "{what}: {de} / {en}");
    assert!(
        !de.starts_with("Datenbankfehler") && !de.starts_with("Dateifehler") && !de.contains("Error {"),
        "{what}: the German message is only technical: {de}"
    );
}

/// Stricter: no SQLite wording at all in the German message, and a code of its own.
fn plain_german(error: &Error, what: &str) {
    understandable(error, what);
    let de = error.message(Lang::De);
    assert!(
        error.code() != "database" && !de.contains("error returned from database"),
        "{what}: {} / {de}",
        error.code()
    );
}

/// Imports `bytes` into `db`, expects a refusal with one of `codes` at `field`, and checks that
/// nothing changed.
async fn refused(db: &TestDb, bytes: &[u8], secret: Option<&str>, codes: &[&str], field: &str, what: &str) -> Error {
    let before = state(&db.k.store).await;
    let error = import_file(&db.k.store, bytes, secret, &backup_into(db))
        .await
        .err()
        .unwrap_or_else(|| panic!("{what}: imported"));
    check_error(&error, codes, field, what);
    assert_eq!(state(&db.k.store).await, before, "{what}: the database changed");
    error
}

/// Options that make the backup copy first whatever the file's size (no undo journal), so that
/// a refusal is seen to leave no copy behind.
fn backup_into(db: &TestDb) -> ImportOptions {
    ImportOptions {
        file_name: Some("test.kozmos-sync".into()),
        backup_dir: Some(db.dir.path().join("backups")),
        journal_max_rows: 0,
        ..ImportOptions::default()
    }
}

/// The source, the target, the source's full file (profile "all") and the state the target has
/// after importing it (applied to a copy of the target).
struct Fixture {
    source: TestDb,
    target: TestDb,
    file: Vec<u8>,
    before: State,
    after: State,
}

async fn fixture() -> Fixture {
    let source = source().await;
    let target = target().await;
    let (file, summary) = export::build(&source.k.store, &full(Profile::All, None)).await.unwrap();
    assert!(summary.rows >= 20, "{} rows", summary.rows);
    let before = state(&target.k.store).await;
    let after = applied_to_copy(&target, &file, None).await;
    assert_ne!(before.dump_hash, after.dump_hash);
    assert_eq!(after.sync_log, before.sync_log + 1);
    Fixture {
        source,
        target,
        file,
        before,
        after,
    }
}

/// The state of a copy of `db` after importing the file.
async fn applied_to_copy(db: &TestDb, bytes: &[u8], secret: Option<&str>) -> State {
    let copy = copy_of(db).await;
    let result = import_file(&copy.k.store, bytes, secret, &ImportOptions::default())
        .await
        .unwrap();
    assert!(!result.already_imported && !result.counts.is_empty());
    let after = state(&copy.k.store).await;
    copy.k.close().await;
    after
}

fn decompress(bytes: &[u8]) -> Vec<u8> {
    zstd::decode_all(bytes).unwrap()
}

fn compress(text: &[u8]) -> Vec<u8> {
    zstd::encode_all(text, 3).unwrap()
}

/// The lines of an unencrypted file, each with its "\n".
fn lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8(decompress(bytes))
        .unwrap()
        .split_inclusive('\n')
        .map(str::to_string)
        .collect()
}

/// A file written again with SyncWriter (a consistent trailer) after `change` edited header and rows.
fn rewritten(bytes: &[u8], change: impl FnOnce(&mut Header, &mut Vec<RowLine>)) -> Vec<u8> {
    let verified = file::verify(bytes, None).unwrap();
    let mut header = verified.header.clone();
    let mut rows: Vec<RowLine> = verified.rows().collect::<Result<_>>().unwrap();
    change(&mut header, &mut rows);
    let mut writer = SyncWriter::new(&header).unwrap();
    for row in &rows {
        writer.row(row).unwrap();
    }
    writer.finish(None).unwrap()
}

/// Codes a damaged file may give, depending on where the damage is.
const DAMAGE: &[&str] = &[
    "sync_file_damaged",
    "sync_file_truncated",
    "sync_file_hash",
    "sync_file_counts",
];

// ---------------------------------------------------------------------------------------------
// Damaged files

#[tokio::test]
async fn truncation_at_every_offset_is_refused_and_changes_nothing() {
    let f = fixture().await;
    let store = &f.target.k.store;
    for len in 0..f.file.len() {
        let error = import_file(store, &f.file[..len], None, &ImportOptions::default())
            .await
            .err()
            .unwrap_or_else(|| panic!("cut at {len} of {} imported", f.file.len()));
        let expected: &[&str] = match len {
            0 => &["sync_file_empty"],
            1..=3 => &["sync_file_unknown"],
            _ => &["sync_file_damaged", "sync_file_truncated"],
        };
        check_error(&error, expected, "file", &format!("cut at {len}"));
    }
    assert_eq!(state(store).await, f.before, "a truncated file changed the database");
    // The whole file still imports afterwards, to exactly the expected state.
    import_file(store, &f.file, None, &ImportOptions::default())
        .await
        .unwrap();
    assert_eq!(state(store).await, f.after);
}

/// Every single flipped bit is refused as damage (never as "from a newer KOZMOS" or "strange
/// content"), unless zstd ignores that bit: then the content read is exactly the original, which the
/// trailer's hash guarantees, and importing gives exactly the state the original gives.
#[tokio::test]
async fn flipped_bits_are_refused_or_harmless() {
    let f = fixture().await;
    let store = &f.target.k.store;
    let original = decompress(&f.file);
    let mut harmless = Vec::new();
    let mut codes = std::collections::BTreeMap::<String, usize>::new();
    let len = f.file.len();
    for i in 0..len {
        for bit in 0..8 {
            let mut flipped = f.file.clone();
            flipped[i] ^= 1 << bit;
            match file::verify(&flipped, None) {
                Ok(verified) => {
                    assert!(
                        decompress(&flipped) == original,
                        "flip at byte {i} bit {bit} changed the content"
                    );
                    assert_eq!(verified.rows, file::verify(&f.file, None).unwrap().rows);
                    harmless.push(flipped);
                }
                Err(error) => {
                    check_error(
                        &error,
                        &[DAMAGE, &["sync_file_unknown"]].concat(),
                        "file",
                        &format!("flip at byte {i} bit {bit}"),
                    );
                    *codes.entry(error.code().to_string()).or_default() += 1;
                }
            }
        }
    }
    eprintln!("{len} bytes: {} harmless flips, refused: {codes:?}", harmless.len());
    assert!(harmless.len() < len / 8, "{} harmless flips", harmless.len());
    assert_eq!(state(store).await, f.before);
    for flipped in harmless.iter().take(8) {
        assert_eq!(applied_to_copy(&f.target, flipped, None).await, f.after);
    }
}

#[tokio::test]
async fn appended_garbage_empty_files_and_other_kinds_of_files_are_refused() {
    let f = fixture().await;
    let db = &f.target;
    let mut appended = f.file.clone();
    appended.extend_from_slice(b"\n\0garbage after the end");
    refused(db, &appended, None, &["sync_file_damaged"], "file", "garbage appended").await;
    let mut twice = f.file.clone();
    twice.extend_from_slice(&f.file);
    refused(
        db,
        &twice,
        None,
        &["sync_file_damaged"],
        "file",
        "file appended to itself",
    )
    .await;
    let mut text = decompress(&f.file);
    text.extend_from_slice(b"{\"t\":\"persons\"}\n");
    refused(
        db,
        &compress(&text),
        None,
        &["sync_file_damaged"],
        "file",
        "a line after the trailer",
    )
    .await;

    let error = refused(db, b"", None, &["sync_file_empty"], "file", "empty file").await;
    assert!(error.message(Lang::De).contains("leer"));

    let tables = kozmos_core::reports::all(&f.source.k.store).await.unwrap();
    let pdf =
        kozmos_core::pdf::reports_pdf(&tables, Lang::De, time::OffsetDateTime::now_utc(), "Amira Haddad").unwrap();
    let error = refused(db, &pdf, None, &["sync_file_pdf"], "file", "a PDF report").await;
    assert!(
        error.message(Lang::De).contains("PDF-Dokument"),
        "{}",
        error.message(Lang::De)
    );

    let zip = zip_of("kozmos-sync.txt", &f.file);
    let error = refused(db, &zip, None, &["sync_file_zip"], "file", "the file zipped").await;
    assert!(error.message(Lang::En).contains("ZIP archive"));

    let csv = "\u{feff}Name;Ort\r\nUkrainische Gemeinde Jena;Jena\r\n".as_bytes();
    refused(db, csv, None, &["sync_file_unknown"], "file", "a CSV export").await;
    refused(
        db,
        &compress(b"hello\n"),
        None,
        &["sync_file_not_kozmos"],
        "file",
        "another zstd file",
    )
    .await;
    refused(db, &[0u8; 4096], None, &["sync_file_unknown"], "file", "zeros").await;

    // Nothing of all this hurt: the real file still imports to exactly the expected state.
    import_file(&db.k.store, &f.file, None, &ImportOptions::default())
        .await
        .unwrap();
    assert_eq!(state(&db.k.store).await, f.after);
}

/// A ZIP archive with one stored (uncompressed) entry, as `zip -0` writes it.
fn zip_of(name: &str, content: &[u8]) -> Vec<u8> {
    let crc = crc32(content);
    let size = content.len() as u32;
    let mut local = Vec::new();
    local.extend_from_slice(b"PK\x03\x04");
    local.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
    local.extend_from_slice(&crc.to_le_bytes());
    local.extend_from_slice(&size.to_le_bytes());
    local.extend_from_slice(&size.to_le_bytes());
    local.extend_from_slice(&(name.len() as u16).to_le_bytes());
    local.extend_from_slice(&0u16.to_le_bytes());
    local.extend_from_slice(name.as_bytes());
    local.extend_from_slice(content);
    let mut central = Vec::new();
    central.extend_from_slice(b"PK\x01\x02");
    central.extend_from_slice(&[20, 3, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
    central.extend_from_slice(&crc.to_le_bytes());
    central.extend_from_slice(&size.to_le_bytes());
    central.extend_from_slice(&size.to_le_bytes());
    central.extend_from_slice(&(name.len() as u16).to_le_bytes());
    central.extend_from_slice(&[0; 12]);
    central.extend_from_slice(&0u32.to_le_bytes());
    central.extend_from_slice(name.as_bytes());
    let mut zip = local.clone();
    let central_at = zip.len() as u32;
    zip.extend_from_slice(&central);
    zip.extend_from_slice(b"PK\x05\x06");
    zip.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    zip.extend_from_slice(&(central.len() as u32).to_le_bytes());
    zip.extend_from_slice(&central_at.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn the_zip_helper_writes_what_unzip_reads() {
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    let Ok(found) = Command::new("sh").args(["-c", "command -v unzip"]).output() else {
        return;
    };
    if !found.status.success() {
        eprintln!("skipped: unzip is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.zip");
    std::fs::write(&path, zip_of("a.txt", "Привіт, Erfurt".as_bytes())).unwrap();
    let out = Command::new("unzip").arg("-p").arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, "Привіт, Erfurt".as_bytes());
}

#[tokio::test]
async fn wrong_counts_or_hash_in_the_trailer_are_refused() {
    let f = fixture().await;
    let db = &f.target;
    let original = lines(&f.file);
    let (body, trailer_line) = original.split_at(original.len() - 1);
    let trailer: serde_json::Value = serde_json::from_str(&trailer_line[0]).unwrap();
    let with_trailer = |body: &[String], rows: i64, fields: i64, sha: &str| {
        let trailer = format!("{{\"trailer\":{{\"rows\":{rows},\"fields\":{fields},\"sha256\":\"{sha}\"}}}}\n");
        compress((body.concat() + &trailer).as_bytes())
    };
    let rows = trailer["trailer"]["rows"].as_i64().unwrap();
    let fields = trailer["trailer"]["fields"].as_i64().unwrap();
    let sha = trailer["trailer"]["sha256"].as_str().unwrap().to_string();
    assert_eq!(sha, file::sha256_hex(body.concat().as_bytes()));
    // The hand-built file with the true trailer is the original.
    assert!(decompress(&with_trailer(body, rows, fields, &sha)) == decompress(&f.file));

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "one row too many",
            with_trailer(body, rows + 1, fields, &sha),
            "sync_file_counts",
        ),
        (
            "one row too few",
            with_trailer(body, rows - 1, fields, &sha),
            "sync_file_counts",
        ),
        (
            "a field too few",
            with_trailer(body, rows, fields - 1, &sha),
            "sync_file_counts",
        ),
        (
            "a zero hash",
            with_trailer(body, rows, fields, &"0".repeat(64)),
            "sync_file_hash",
        ),
        (
            "an upper-case hash",
            with_trailer(body, rows, fields, &sha.to_uppercase()),
            "sync_file_hash",
        ),
        (
            "a short hash",
            with_trailer(body, rows, fields, &sha[..32]),
            "sync_file_hash",
        ),
        ("no trailer", compress(body.concat().as_bytes()), "sync_file_truncated"),
        (
            "two trailers",
            compress((original.concat() + &trailer_line[0]).as_bytes()),
            "sync_file_damaged",
        ),
        (
            "a trailer that is not JSON",
            compress((body.concat() + "{\"trailer\":{\"rows\":\n").as_bytes()),
            "sync_file_damaged",
        ),
    ];
    for (what, bytes, code) in cases {
        refused(db, &bytes, None, &[code], "file", what).await;
    }

    // Content changed after the export, under the original trailer: a row edited, dropped or doubled.
    let at = body.iter().position(|l| l.contains("Jena")).unwrap();
    let mut edited = body.to_vec();
    edited[at] = edited[at].replacen("Jena", "Gera", 1);
    let mut dropped = body.to_vec();
    dropped.remove(at);
    let mut doubled = body.to_vec();
    doubled.insert(at, body[at].clone());
    refused(
        db,
        &with_trailer(&edited, rows, fields, &sha),
        None,
        &["sync_file_hash"],
        "file",
        "row edited",
    )
    .await;
    refused(
        db,
        &with_trailer(&dropped, rows, fields, &sha),
        None,
        &["sync_file_hash"],
        "file",
        "row dropped",
    )
    .await;
    // A doubled row breaks the order before the hash is reached.
    refused(
        db,
        &with_trailer(&doubled, rows, fields, &sha),
        None,
        &["sync_order", "sync_file_hash"],
        "file",
        "row doubled",
    )
    .await;
    assert_eq!(state(&db.k.store).await, f.before);
}

#[tokio::test]
async fn newer_format_or_schema_asks_for_an_update_and_changes_nothing() {
    let f = fixture().await;
    let db = &f.target;
    let newer_format = rewritten(&f.file, |h, _| h.format = file::FORMAT_VERSION + 1);
    let error = refused(db, &newer_format, None, &["sync_format_newer"], "file", "newer format").await;
    assert!(error.message(Lang::De).contains("aktualisieren"));
    let newer_schema = rewritten(&f.file, |h, _| h.schema = file::SCHEMA_VERSION + 1);
    let error = refused(db, &newer_schema, None, &["sync_schema_newer"], "file", "newer schema").await;
    assert!(error.message(Lang::En).contains("update"));
    // The same by editing the header text (as a newer KOZMOS would write it, trailer recomputed).
    let mut text = lines(&f.file);
    let format = format!("\"format\":{},", file::FORMAT_VERSION);
    assert!(text[0].contains(&format));
    text[0] = text[0].replacen(&format, &format!("\"format\":{},", file::FORMAT_VERSION + 7), 1);
    let body = text[..text.len() - 1].concat();
    let trailer: serde_json::Value = serde_json::from_str(text.last().unwrap()).unwrap();
    let trailer = json!({"trailer": {"rows": trailer["trailer"]["rows"], "fields": trailer["trailer"]["fields"],
        "sha256": file::sha256_hex(body.as_bytes())}});
    let edited = compress((body + &trailer.to_string() + "\n").as_bytes());
    refused(
        db,
        &edited,
        None,
        &["sync_format_newer"],
        "file",
        "newer format, edited",
    )
    .await;
}

#[tokio::test]
async fn unknown_tables_and_columns_are_refused_by_name() {
    let f = fixture().await;
    let db = &f.target;
    let stranger = rewritten(&f.file, |h, rows| {
        rows.push(RowLine {
            t: "donations".into(),
            id: "0190a1b2-1111-7000-8000-000000000001".into(),
            f: vec![FieldLine("_life".into(), json!("alive"), h.newest_hlc, 0)],
        })
    });
    let error = refused(db, &stranger, None, &["sync_unknown_table"], "file", "unknown table").await;
    assert!(
        error.message(Lang::De).contains("„donations“"),
        "{}",
        error.message(Lang::De)
    );

    let religion = rewritten(&f.file, |h, rows| {
        let person = rows.iter_mut().find(|r| r.t == "persons").unwrap();
        person.f.push(FieldLine("religion".into(), json!("x"), h.newest_hlc, 0));
        person.f.sort_by(|a, b| a.0.cmp(&b.0));
    });
    let error = refused(db, &religion, None, &["sync_unknown_column"], "file", "unknown column").await;
    assert!(
        error.message(Lang::En).contains("\"religion\""),
        "{}",
        error.message(Lang::En)
    );
}

// ---------------------------------------------------------------------------------------------
// The fuzz target's seeds

/// The seed corpus of `fuzz/fuzz_targets/sync_reader.rs`: a few small valid files (full with every
/// profile, incremental and empty, encrypted with a cheap work factor and the passphrase the target
/// tries). Every seed must be a file this build reads; `UPDATE_FUZZ_SEEDS=1` writes them anew.
#[tokio::test]
async fn fuzz_seeds_are_valid_sync_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kozmos-syncfile/fuzz/corpus/sync_reader");
    if std::env::var_os("UPDATE_FUZZ_SEEDS").is_some() {
        let source = source().await;
        let store = &source.k.store;
        let cheap = Passphrase {
            secret: "passphrase".into(),
            work_factor: Some(1),
        };
        let seeds = [
            ("full-all", full(Profile::All, None)),
            ("full-consented", full(Profile::Consented, None)),
            ("full-no-persons", full(Profile::NoPersons, None)),
            ("encrypted-all", full(Profile::All, Some(cheap))),
        ];
        std::fs::create_dir_all(&dir).unwrap();
        for (name, options) in seeds {
            let (bytes, _) = export::build(store, &options).await.unwrap();
            std::fs::write(dir.join(format!("{name}.kozmos-sync")), bytes).unwrap();
        }
        // An incremental file for a peer that has everything already: a header and a trailer.
        let peer = target().await;
        let (mine, _) = export::build(store, &full(Profile::All, None)).await.unwrap();
        import_file(&peer.k.store, &mine, None, &ImportOptions::default())
            .await
            .unwrap();
        let (theirs, _) = export::build(&peer.k.store, &full(Profile::All, None)).await.unwrap();
        import_file(store, &theirs, None, &ImportOptions::default())
            .await
            .unwrap();
        let for_peer = ExportOptions {
            peer: Some(peer.k.store.site_id().to_string()),
            ..full(Profile::All, None)
        };
        let (bytes, summary) = export::build(store, &for_peer).await.unwrap();
        assert!(!summary.full);
        std::fs::write(dir.join("incremental.kozmos-sync"), bytes).unwrap();
    }
    let mut seeds: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_FUZZ_SEEDS=1 writes the seeds)", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    assert!(seeds.len() >= 4, "{seeds:?}");
    for seed in seeds {
        let bytes = std::fs::read(&seed).unwrap();
        assert!(bytes.len() < 16 * 1024, "{}: seeds stay small", seed.display());
        let secret = file::is_encrypted(&bytes).then_some("passphrase");
        let verified = file::verify(&bytes, secret)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_FUZZ_SEEDS=1 writes them anew)", seed.display()));
        assert_eq!(verified.rows().count() as u64, verified.rows, "{}", seed.display());
    }
}

// ---------------------------------------------------------------------------------------------
// Passphrases

#[tokio::test]
async fn encrypted_files_need_the_right_passphrase_and_damage_is_refused() {
    let f = fixture().await;
    let db = &f.target;
    let (encrypted, summary) = export::build(&f.source.k.store, &full(Profile::All, Some(passphrase(SECRET))))
        .await
        .unwrap();
    assert!(summary.encrypted && file::is_encrypted(&encrypted));
    let error = refused(
        db,
        &encrypted,
        Some("Kürbis-Brücke 7 möwe"),
        &["sync_passphrase_wrong"],
        "passphrase",
        "wrong passphrase",
    )
    .await;
    assert!(error.message(Lang::De).contains("Passwort passt nicht"));
    refused(
        db,
        &encrypted,
        Some(""),
        &["sync_passphrase_wrong"],
        "passphrase",
        "empty passphrase",
    )
    .await;
    refused(
        db,
        &encrypted,
        None,
        &["sync_passphrase_needed"],
        "passphrase",
        "no passphrase",
    )
    .await;
    // Damage, sampled: each try past the age header runs scrypt twice (age calibrates, then derives the key).
    let stride = encrypted.len() / 16;
    for len in (1..encrypted.len()).step_by(stride) {
        let codes: &[&str] = if len < 22 {
            &["sync_file_unknown"]
        } else {
            &["sync_file_damaged"]
        };
        let error = import_file(&db.k.store, &encrypted[..len], Some(SECRET), &ImportOptions::default())
            .await
            .unwrap_err();
        check_error(&error, codes, "file", &format!("encrypted, cut at {len}"));
    }
    for i in (0..encrypted.len()).step_by(stride * 2 / 3) {
        let mut flipped = encrypted.clone();
        flipped[i] ^= 1 << (i % 8);
        let error = import_file(&db.k.store, &flipped, Some(SECRET), &ImportOptions::default())
            .await
            .err()
            .unwrap_or_else(|| panic!("encrypted, flip at {i} imported"));
        // A flip in the header's stanza reads as a wrong passphrase.
        let codes = ["sync_file_damaged", "sync_file_unknown", "sync_passphrase_wrong"];
        assert!(codes.contains(&error.code()), "flip at {i}: {}", error.code());
        understandable(&error, "encrypted flip");
    }
    let mut appended = encrypted.clone();
    appended.extend_from_slice(b"garbage");
    refused(
        db,
        &appended,
        Some(SECRET),
        &["sync_file_damaged"],
        "file",
        "encrypted, garbage appended",
    )
    .await;
    assert_eq!(state(&db.k.store).await, f.before);

    // The right passphrase gives exactly the state the unencrypted file gives.
    import_file(&db.k.store, &encrypted, Some(SECRET), &ImportOptions::default())
        .await
        .unwrap();
    assert_eq!(state(&db.k.store).await, f.after);
    // The same content unencrypted (a passphrase given anyway is not needed) is another file but changes nothing.
    let again = import_file(&db.k.store, &f.file, Some(SECRET), &ImportOptions::default())
        .await
        .unwrap();
    assert!(again.counts.is_empty());
    assert_eq!(dump::hash(&db.k.store).await.unwrap(), f.after.dump_hash);
}

// ---------------------------------------------------------------------------------------------
// Clocks

#[tokio::test]
async fn a_clock_a_day_ahead_is_applied_only_when_confirmed() {
    let target = target().await;
    let ahead = TestDb::new().await;
    ahead.clock.set(NOON + 30 * HOUR_MS);
    kozmos_core::site::set_up(ahead.k.store.pool(), "lamsa", "Amira Haddad")
        .await
        .unwrap();
    let x = association::create(
        &ahead.k.store,
        &AssociationDraft {
            name: "Ukrainische Gemeinde Halle".into(),
            name_original: "Українська громада Галле".into(),
            ..Default::default()
        },
        LogoChange::Keep,
    )
    .await
    .unwrap();
    let (bytes, _) = export::build(&ahead.k.store, &full(Profile::All, None)).await.unwrap();
    let verified = file::verify(&bytes, None).unwrap();
    let preview = import::preview(&target.k.store, &verified).await.unwrap();
    assert_eq!(preview.clock.level, ClockLevel::Confirm);
    assert!(preview.clock.ahead_ms > 24 * HOUR_MS, "{}", preview.clock.ahead_ms);

    let before = state(&target.k.store).await;
    let error = import::apply(&target.k.store, &verified, &backup_into(&target))
        .await
        .unwrap_err();
    check_error(&error, &["sync_clock_ahead"], "clock", "clock ahead");
    assert!(
        error.message(Lang::De).contains("30 Stunden"),
        "{}",
        error.message(Lang::De)
    );
    assert_eq!(state(&target.k.store).await, before);
    assert!(
        !target.dir.path().join("backups").exists(),
        "no backup copy is made for a refused file"
    );

    let confirmed = ImportOptions {
        accept_clock_ahead: true,
        ..backup_into(&target)
    };
    let result = import::apply(&target.k.store, &verified, &confirmed).await.unwrap();
    assert_eq!(result.counts.new, 1);
    assert_eq!(result.counts, preview.counts);
    let after = state(&target.k.store).await;
    assert_eq!(after.sync_log, before.sync_log + 1);
    assert_eq!(
        after.clock, verified.header.newest_hlc,
        "the clock took the file's stamp"
    );
    assert_eq!(
        association::get(&target.k.store, &x.id)
            .await
            .unwrap()
            .fields
            .name_original
            .as_deref(),
        Some("Українська громада Галле")
    );
    // The clock never goes back: the next local write is stamped after the file's stamp.
    let local = association::create(&target.k.store, &common::draft("Neu hier"), LogoChange::Keep)
        .await
        .unwrap();
    let stamps = target.k.store.stamps(&association::TABLE, &local.id).await.unwrap();
    assert!(stamps.values().all(|s| s.hlc > verified.header.newest_hlc));

    // Six hours ahead only warns.
    let warn = TestDb::new().await;
    warn.clock.set(NOON + 6 * HOUR_MS);
    association::create(&warn.k.store, &common::draft("Verein sechs Stunden"), LogoChange::Keep)
        .await
        .unwrap();
    let (bytes, _) = export::build(&warn.k.store, &full(Profile::All, None)).await.unwrap();
    let verified = file::verify(&bytes, None).unwrap();
    let other = self::target().await;
    assert_eq!(
        import::preview(&other.k.store, &verified).await.unwrap().clock.level,
        ClockLevel::Warn
    );
    import::apply(&other.k.store, &verified, &ImportOptions::default())
        .await
        .unwrap();
}

// ---------------------------------------------------------------------------------------------
// The file system: read-only database, unwritable backup folder, full disk

/// A mount that is undone when dropped (lazily, so that a failed test cannot leave it busy).
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(dir: &Path, size: &str) -> Option<Mount> {
        let options = format!("size={size},mode=0755");
        mount(&["-t", "tmpfs", "-o", &options, "tmpfs"], dir).then(|| Mount(dir.to_path_buf()))
    }

    /// `from` seen read-only at `at`.
    fn read_only(from: &Path, at: &Path) -> Option<Mount> {
        if !mount(&["--bind", from.to_str().unwrap()], at) {
            return None;
        }
        let guard = Mount(at.to_path_buf());
        mount(&["-o", "remount,bind,ro"], at).then_some(guard)
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn mount(args: &[&str], at: &Path) -> bool {
    let ok = Command::new("mount")
        .args(args)
        .arg(at)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipped part: cannot mount here (needs root with CAP_SYS_ADMIN): mount {args:?}");
    }
    ok
}

/// A store over a read-only SQLite handle on the database file: what SQLite gives a program that
/// may read the file but not write it (it falls back to read-only).
async fn read_only_store(db: &TestDb) -> Store {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db.dir.path().join(DB_FILE))
        .read_only(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
        .unwrap();
    Store::with_clock(pool, db.k.store.site_id(), db.clock.clone())
}

#[tokio::test]
async fn a_read_only_database_refuses_the_import_and_keeps_its_state() {
    let f = fixture().await;
    let db = &f.target;

    // 1. A read-only handle (as for a file this user may only read).
    let read_only = read_only_store(db).await;
    assert_eq!(state(&read_only).await, f.before);
    for backup in [None, Some(db.dir.path().join("backups"))] {
        let options = ImportOptions {
            backup_dir: backup,
            allow_mass_changes: false,
            ..ImportOptions::default()
        };
        let error = import_file(&read_only, &f.file, None, &options).await.unwrap_err();
        check_error(&error, &["database_read_only"], "database", "read-only handle");
        assert_eq!(state(&read_only).await, f.before);
        assert_eq!(state(&db.k.store).await, f.before);
    }
    read_only.close().await;

    // 2. The same database on a read-only mount, opened as the app opens it.
    let mount_point = tempfile::tempdir().unwrap();
    if let Some(_mount) = Mount::read_only(db.dir.path(), mount_point.path()) {
        assert!(
            std::fs::write(mount_point.path().join("probe"), b"x").is_err(),
            "the mount is writable"
        );
        let path = mount_point.path().join(DB_FILE);
        match Kozmos::open_with_clock(&path, db.clock.clone()).await {
            Ok(k) => {
                assert_eq!(state(&k.store).await, f.before);
                let options = ImportOptions {
                    backup_dir: Some(mount_point.path().join("backups")),
                    allow_mass_changes: false,
                    ..ImportOptions::default()
                };
                let error = import_file(&k.store, &f.file, None, &options).await.unwrap_err();
                check_error(&error, &["backup_failed"], "backup", "read-only mount, backup there");
                let error = import_file(&k.store, &f.file, None, &ImportOptions::default())
                    .await
                    .unwrap_err();
                check_error(&error, &["database_read_only"], "database", "read-only mount");
                assert_eq!(state(&k.store).await, f.before);
                k.close().await;
            }
            Err(error) => {
                // Opening already writes (the installation row, INSERT OR IGNORE), so it is refused.
                check_error(&error, &["database_read_only"], "database", "open on a read-only mount");
            }
        }
        assert_eq!(state(&db.k.store).await, f.before);
    }
    // The database itself is fine: the import works where it may write.
    import_file(&db.k.store, &f.file, None, &backup_into(db)).await.unwrap();
    assert_eq!(state(&db.k.store).await, f.after);
}

#[tokio::test]
async fn an_unwritable_backup_folder_stops_an_import_that_needs_the_copy_before_anything_is_written() {
    let f = fixture().await;
    let db = &f.target;
    // A backup folder that cannot be created: a file is in the way.
    let blocker = db.dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"x").unwrap();
    let options = ImportOptions {
        backup_dir: Some(blocker.join("backups")),
        journal_max_rows: 0,
        ..ImportOptions::default()
    };
    let error = import_file(&db.k.store, &f.file, None, &options).await.unwrap_err();
    check_error(&error, &["backup_failed"], "backup", "backup folder blocked");
    assert!(error.message(Lang::De).contains("Es wurde nichts geändert"));
    assert_eq!(state(&db.k.store).await, f.before);

    // A backup folder on a read-only mount.
    let (empty, mount_point) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    if let Some(_mount) = Mount::read_only(empty.path(), mount_point.path()) {
        let options = ImportOptions {
            backup_dir: Some(mount_point.path().to_path_buf()),
            journal_max_rows: 0,
            ..ImportOptions::default()
        };
        let error = import_file(&db.k.store, &f.file, None, &options).await.unwrap_err();
        check_error(&error, &["backup_failed"], "backup", "backup folder read-only");
        assert_eq!(state(&db.k.store).await, f.before);
    }

    // A file small enough for the undo journal needs no copy, so not the folder either.
    let options = ImportOptions {
        backup_dir: Some(blocker.join("backups")),
        ..ImportOptions::default()
    };
    let result = import_file(&db.k.store, &f.file, None, &options).await.unwrap();
    assert!(result.undoable && result.backup.is_none());
    assert_eq!(state(&db.k.store).await, f.after);
}

/// A database on a tiny disk (tmpfs) that is full but for a little room, and a file too big for
/// that room. Fields drop in order: the database, then the mount, then the folder.
struct FullDisk {
    k: Kozmos,
    file: Vec<u8>,
    rows: u64,
    before: State,
    filler: PathBuf,
    _mount: Mount,
    dir: tempfile::TempDir,
}

async fn full_disk() -> Option<FullDisk> {
    let dir = tempfile::tempdir().unwrap();
    let mount = Mount::tmpfs(dir.path(), "64m")?;
    // The big file comes from elsewhere.
    let big = source().await;
    common::add_associations(&big.k.store, 2_500, "Voll").await;
    let (file, summary) = export::build(&big.k.store, &full(Profile::All, None)).await.unwrap();
    let k = Kozmos::open_with_clock(&dir.path().join(DB_FILE), Arc::new(ManualClock::new(NOON)))
        .await
        .unwrap();
    kozmos_core::site::set_up(k.store.pool(), "migranetz", "Trần Văn Nam")
        .await
        .unwrap();
    association::create(&k.store, &common::draft("Kulturbrücke Gera e.V."), LogoChange::Keep)
        .await
        .unwrap();
    checkpoint(&k).await;
    let before = state(&k.store).await;
    // Fill the disk, then free a little: enough to read and to start writing, not for the import.
    let filler = dir.path().join("filler");
    let written = fill(&filler);
    let free = 192 * 1024;
    std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .unwrap()
        .set_len(written.saturating_sub(free))
        .unwrap();
    eprintln!(
        "disk: {written} bytes of filler, {free} left free; file of {} rows, {} bytes",
        summary.rows,
        file.len()
    );
    Some(FullDisk {
        k,
        file,
        rows: summary.rows,
        before,
        filler,
        _mount: mount,
        dir,
    })
}

#[tokio::test]
async fn a_full_disk_fails_the_import_and_keeps_the_old_state() {
    let Some(disk) = full_disk().await else {
        eprintln!("skipped: a full disk needs a tmpfs mount (root with CAP_SYS_ADMIN)");
        return;
    };
    let store = &disk.k.store;
    // With the backup copy (a file too large for the undo journal) on the same disk: the copy fails first.
    let options = ImportOptions {
        backup_dir: Some(disk.dir.path().join("backups")),
        journal_max_rows: 0,
        ..ImportOptions::default()
    };
    let error = import_file(store, &disk.file, None, &options).await.unwrap_err();
    check_error(&error, &["backup_failed"], "backup", "backup on a full disk");
    assert!(error.message(Lang::En).contains("full"), "{}", error.message(Lang::En));
    assert_eq!(state(store).await, disk.before);

    // With the undo journal instead (or without either): the transaction runs out of space and rolls back.
    let error = import_file(store, &disk.file, None, &ImportOptions::default())
        .await
        .unwrap_err();
    check_error(&error, &["disk_full"], "database", "full disk");
    assert_eq!(state(store).await, disk.before);
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(integrity, "ok");

    // With space again and after a restart, the same file imports completely.
    std::fs::remove_file(&disk.filler).unwrap();
    disk.k.close().await;
    let k = Kozmos::open_with_clock(&disk.dir.path().join(DB_FILE), Arc::new(ManualClock::new(NOON)))
        .await
        .unwrap();
    assert_eq!(state(&k.store).await, disk.before);
    let result = import_file(&k.store, &disk.file, None, &options).await.unwrap();
    assert_eq!(result.counts.new, disk.rows);
    assert_eq!(state(&k.store).await.sync_log, disk.before.sync_log + 1);
    k.close().await;
}

/// After a write failed for a full disk, the open database writes again once there is room. (SQLite
/// ends the transaction by itself on SQLITE_FULL; a pooled connection that sqlx still counted as in
/// a transaction used to fail every later `store.writer()` until a restart.)
#[tokio::test]
async fn after_a_full_disk_the_open_database_writes_again() {
    let Some(disk) = full_disk().await else {
        return;
    };
    let store = &disk.k.store;
    import_file(store, &disk.file, None, &ImportOptions::default())
        .await
        .unwrap_err();
    std::fs::remove_file(&disk.filler).unwrap();
    // Every connection of the pool (4) gets a turn.
    for i in 0..6 {
        association::create(store, &common::draft(&format!("Verein {i}")), LogoChange::Keep)
            .await
            .unwrap_or_else(|e| panic!("write {i} after the full disk: {e}"));
    }
    let result = import_file(store, &disk.file, None, &ImportOptions::default())
        .await
        .unwrap();
    assert_eq!(result.counts.new, disk.rows);
    disk.k.close().await;
}

/// Writes zeros into `path` until the disk is full; returns how many bytes fit.
fn fill(path: &Path) -> u64 {
    use std::io::Write;
    let mut file = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 16 * 1024];
    let mut written = 0u64;
    loop {
        match file.write(&chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => written += n as u64,
        }
    }
    let _ = file.sync_all();
    written
}

/// A full disk and a read-only database are named as such, in the user's language, not with
/// SQLite's English words (also when opening a database on a read-only mount, which writes the
/// installation row).
#[tokio::test]
async fn a_full_disk_and_a_read_only_database_have_their_own_errors() {
    let f = fixture().await;
    let read_only = read_only_store(&f.target).await;
    let error = import_file(&read_only, &f.file, None, &ImportOptions::default())
        .await
        .unwrap_err();
    plain_german(&error, "import into a read-only database");
    read_only.close().await;

    let mount_point = tempfile::tempdir().unwrap();
    if let Some(_mount) = Mount::read_only(f.target.dir.path(), mount_point.path()) {
        match Kozmos::open_with_clock(&mount_point.path().join(DB_FILE), f.target.clock.clone()).await {
            Ok(k) => {
                let error = import_file(&k.store, &f.file, None, &ImportOptions::default())
                    .await
                    .unwrap_err();
                plain_german(&error, "import on a read-only mount");
                k.close().await;
            }
            Err(error) => plain_german(&error, "open on a read-only mount"),
        }
    }

    let Some(disk) = full_disk().await else {
        return;
    };
    let error = import_file(&disk.k.store, &disk.file, None, &ImportOptions::default())
        .await
        .unwrap_err();
    disk.k.close().await;
    plain_german(&error, "import on a full disk");
}

// ---------------------------------------------------------------------------------------------
// The process killed during an import

/// Small random numbers without a dependency (xorshift64*); the seed is printed so a run can be repeated.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// (dump state, integrity_check) of a database file after whatever happened to it; opening it
/// recovers from a hot WAL the way the app does.
fn inspect(path: &Path) -> (State, String) {
    block_on(async {
        let k = Kozmos::open(path).await.unwrap();
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(k.store.pool())
            .await
            .unwrap();
        let orphans: Vec<(String, i64, String, i64)> = sqlx::query_as("PRAGMA foreign_key_check")
            .fetch_all(k.store.pool())
            .await
            .unwrap();
        assert!(orphans.is_empty(), "{orphans:?}");
        let s = state(&k.store).await;
        k.close().await;
        (s, integrity)
    })
}

/// The bytes in a database's write-ahead log (0 without one).
fn log_bytes(db: &Path) -> u64 {
    let mut log = db.as_os_str().to_owned();
    log.push("-wal");
    std::fs::metadata(log).map_or(0, |m| m.len())
}

fn cli_import(db: &Path, file: &Path, out: &Path) -> std::process::Child {
    Command::new(KOZMOS)
        .arg("--db")
        .arg(db)
        .args(["--lang", "en", "sync", "import"])
        .arg(file)
        .arg("--yes")
        .env_remove("KOZMOS_DB")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(out).unwrap())
        .stderr(Stdio::null())
        .start()
}

fn cli_undo(db: &Path) -> std::process::Output {
    Command::new(KOZMOS)
        .arg("--db")
        .arg(db)
        .args(["--lang", "en", "sync", "undo", "--yes"])
        .env_remove("KOZMOS_DB")
        .stdin(Stdio::null())
        .finish()
}

/// `kozmos sync undo` on `db`, which must then hold the state `before` (but the clock, which never
/// goes back).
fn undo_in_a_new_process(db: &Path, before: &State, what: &str) {
    let undo = cli_undo(db);
    assert!(
        undo.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&undo.stderr)
    );
    let (undone, integrity) = inspect(db);
    assert_eq!(integrity, "ok", "{what}");
    // All as before but the clock, and the history's line for the undo.
    let expected = State {
        clock: undone.clock,
        sync_log: before.sync_log + 1,
        ..before.clone()
    };
    assert_eq!(undone, expected, "{what}: undone");
}

/// The real `kozmos sync import` killed with SIGKILL at random moments (most of them after the
/// preview, while the transaction runs): afterwards the database passes `PRAGMA integrity_check`
/// and is exactly the old or exactly the new state, with the import logged exactly when it was
/// applied. The new state's import can be undone by the next process; the old one has none.
#[test]
fn an_import_killed_at_any_moment_leaves_the_old_or_the_new_state() {
    let iterations: usize = std::env::var("KOZMOS_KILL_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let seed: u64 = std::env::var("KOZMOS_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("kill test: {iterations} iterations, KOZMOS_KILL_SEED={seed}");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let (source_db, before_db, file) = (
        dir.path().join("source.sqlite3"),
        dir.path().join("before.sqlite3"),
        dir.path().join("big.kozmos-sync"),
    );
    block_on(async {
        let source = Kozmos::open(&source_db).await.unwrap();
        kozmos_core::site::set_up(source.store.pool(), "lamsa", "Amira Haddad")
            .await
            .unwrap();
        common::add_associations(&source.store, 3_000, "Groß").await;
        let summary = export::to_file(&source.store, &full(Profile::All, None), &file)
            .await
            .unwrap();
        eprintln!(
            "file: {} rows, {} fields, {} KB",
            summary.rows,
            summary.fields,
            summary.bytes / 1024
        );
        source.close().await;
        let target = Kozmos::open(&before_db).await.unwrap();
        kozmos_core::site::set_up(target.store.pool(), "migranetz", "Trần Văn Nam")
            .await
            .unwrap();
        common::add_associations(&target.store, 50, "Eigen").await;
        target.close().await;
    });
    let (before, integrity) = inspect(&before_db);
    assert_eq!(integrity, "ok");

    // One run to the end gives the new state and the timing.
    let reference = dir.path().join("reference");
    std::fs::create_dir(&reference).unwrap();
    let db = reference.join(DB_FILE);
    std::fs::copy(&before_db, &db).unwrap();
    let started = Instant::now();
    let preview = Command::new(KOZMOS)
        .arg("--db")
        .arg(&db)
        .args(["--lang", "en", "sync", "preview"])
        .arg(&file)
        .finish();
    assert!(preview.status.success());
    let preview_time = started.elapsed();
    let started = Instant::now();
    let status = cli_import(&db, &file, &reference.join("out")).wait().unwrap();
    let mut total = started.elapsed();
    assert!(status.success());
    // A second, warm run: the first pays for cold caches, and a window fitted to it lets most
    // kills come after the import ended. It also tells when the transaction starts writing to the
    // log (the copy starts without one): from then on a kill lands inside the transaction.
    let warm = reference.join("warm.sqlite3");
    std::fs::copy(&before_db, &warm).unwrap();
    let started = Instant::now();
    let mut child = cli_import(&warm, &file, &reference.join("out-warm"));
    let mut writing_from = None;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if writing_from.is_none() && log_bytes(&warm) > 0 {
            writing_from = Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    assert!(status.success());
    total = total.min(started.elapsed());
    let writing_from = writing_from.unwrap_or(total).min(total);
    let (after, integrity) = inspect(&db);
    assert_eq!(integrity, "ok");
    assert_ne!(after.dump_hash, before.dump_hash);
    eprintln!("reference: preview {preview_time:?}, writing from {writing_from:?}, whole import {total:?}");
    // The import's undo journal is there for the next process: undone, all is as before (but the
    // clock, which never goes back).
    undo_in_a_new_process(&warm, &before, "the reference");

    let (mut old, mut new, mut killed, mut killed_after_preview, mut mid_transaction) = (0, 0, 0, 0, 0);
    // On a loaded machine fewer kills land inside the transaction: more runs, up to three times
    // as many, until enough did (each run is checked all the same).
    let enough = iterations / 5;
    let mut runs = 0;
    // Kills after the commit make `reach` shorter, kills inside the transaction longer: however
    // loaded the machine, about half of the kills aimed at the transaction land inside it.
    let mut reach = 1.0;
    for i in 0..iterations * 3 {
        if i >= iterations && mid_transaction >= enough {
            break;
        }
        runs += 1;
        let run = dir.path().join(format!("run-{i}"));
        std::fs::create_dir(&run).unwrap();
        let db = run.join(DB_FILE);
        std::fs::copy(&before_db, &db).unwrap();
        let out = run.join("out");
        // The copy starts without a WAL; only the import's transaction writes to it.
        let started = Instant::now();
        let mut child = cli_import(&db, &file, &out);
        if i % 5 == 0 {
            // A fifth of the kills anywhere…
            std::thread::sleep(total.mul_f64(1.05 * rng.unit()));
        } else {
            // …the rest once the transaction writes to the log, within up to twice as long as its
            // writing took in the reference, scaled by `reach`.
            while log_bytes(&db) == 0 && child.try_wait().unwrap().is_none() {
                std::thread::sleep(Duration::from_millis(1));
            }
            std::thread::sleep((total - writing_from).mul_f64(2.0 * reach * rng.unit()));
        }
        let delay = started.elapsed();
        let exited = child.try_wait().unwrap().is_some();
        child.kill().ok();
        let status = child.wait().unwrap();
        let wal = log_bytes(&db);
        let was_killed = !exited && !status.success();
        if was_killed {
            killed += 1;
            let printed = std::fs::read_to_string(&out).unwrap_or_default();
            killed_after_preview += usize::from(printed.contains("new:"));
        }
        let (state, integrity) = inspect(&db);
        assert_eq!(integrity, "ok", "run {i} (killed after {delay:?})");
        if i % 5 != 0 {
            reach *= if state == before { 1.1 } else { 0.85 };
        }
        if state == before {
            old += 1;
            mid_transaction += usize::from(was_killed && wal > 0);
            if old == 1 {
                let undo = cli_undo(&db);
                assert!(!undo.status.success(), "run {i}: nothing to undo");
                assert!(String::from_utf8_lossy(&undo.stderr).contains("no import to undo"));
            }
        } else if state.dump_hash == after.dump_hash {
            // The whole import and its log entry, or nothing.
            assert_eq!(state.sync_log, after.sync_log, "run {i}");
            assert_eq!(state.vectors, after.vectors, "run {i}");
            new += 1;
            if new <= 3 {
                // Its undo journal came through too.
                undo_in_a_new_process(&db, &before, &format!("run {i}"));
            }
        } else {
            panic!("run {i} (killed after {delay:?}): neither the old nor the new state: {state:?}");
        }
        std::fs::remove_dir_all(&run).unwrap();
    }
    eprintln!(
        "{runs} runs: {killed} killed ({killed_after_preview} after the preview, {mid_transaction} with the \
         import's transaction writing), {old} old state, {new} new state"
    );
    if iterations >= 10 {
        assert!(mid_transaction >= enough, "too few kills landed during the transaction");
    }
}
