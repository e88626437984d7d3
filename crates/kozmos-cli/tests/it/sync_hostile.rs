//! Sync files rewritten by a hostile sender, checksum recomputed: each is refused with its own
//! code, at the latest by the preview, and the receiver's data, clock, vectors, peers, conflicts
//! and history stay exactly as they were.

use crate::common;

use common::{TestDb, NOON};
use kozmos_core::association::{self, LogoChange};
use kozmos_core::sync::detail::{PAGE_RECORDS, VALUE_CHARS};
use kozmos_core::sync::export::{self, ExportOptions};
use kozmos_core::sync::hostile::{self, Sample};
use kozmos_core::sync::import::{self, ImportOptions};
use kozmos_core::sync::profile::Profile;
use kozmos_core::sync::{dump, file};

/// More records than the preview once listed (500).
const RECORDS: usize = 520;

fn full() -> ExportOptions {
    ExportOptions {
        peer: None,
        profile: Profile::All,
        passphrase: None,
    }
}

/// Everything an import could change on the receiver.
async fn state(db: &TestDb) -> String {
    let pool = db.k.store.pool();
    let rows = |sql: &'static str| async move {
        let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(pool).await.unwrap();
        rows.into_iter().map(|r| r.0).collect::<Vec<_>>().join("\n")
    };
    [
        dump::hash(&db.k.store).await.unwrap(),
        db.k.store.clock().await.unwrap().to_string(),
        rows("SELECT scope || site || hlc FROM sync_vector ORDER BY 1").await,
        rows("SELECT site || vector FROM sync_peers ORDER BY 1").await,
        rows("SELECT tbl || row_id || col || lost_hlc FROM conflicts ORDER BY 1").await,
        rows("SELECT export_id || file_sha256 FROM sync_log ORDER BY 1").await,
    ]
    .join("\n--\n")
}

/// The sender's honest file, and a receiver that has imported an earlier one and edited since.
async fn setting() -> (TestDb, Sample) {
    let sender = TestDb::new().await;
    let receiver = TestDb::new().await;
    hostile::seed(&sender.k.store).await.unwrap();
    let (first, _) = export::build(&sender.k.store, &full()).await.unwrap();
    let verified = file::verify(&first, None).unwrap();
    import::apply(&receiver.k.store, &verified, &ImportOptions::default())
        .await
        .unwrap();
    receiver.clock.set(NOON + 60_000);
    association::create(&receiver.k.store, &common::draft("Verein Dalat"), LogoChange::Keep)
        .await
        .unwrap();
    sender.clock.set(NOON + 120_000);
    association::create(&sender.k.store, &common::draft("Verein Nachbarn"), LogoChange::Keep)
        .await
        .unwrap();
    let (bytes, _) = export::build(&sender.k.store, &full()).await.unwrap();
    let sample = Sample::from_file(&bytes, receiver.k.store.site_id()).unwrap();
    (receiver, sample)
}

/// Verify, preview and apply, as the app does: the first error's code.
async fn import_code(db: &TestDb, bytes: &[u8], passphrase: Option<&str>) -> Result<(), String> {
    let verified = file::verify(bytes, passphrase).map_err(|e| e.code().to_string())?;
    import::preview(&db.k.store, &verified)
        .await
        .map_err(|e| e.code().to_string())?;
    let options = ImportOptions {
        accept_clock_ahead: true,
        ..Default::default()
    };
    import::apply(&db.k.store, &verified, &options)
        .await
        .map(|_| ())
        .map_err(|e| e.code().to_string())
}

#[tokio::test]
async fn the_honest_file_applies() {
    let (receiver, sample) = setting().await;
    let before = state(&receiver).await;
    import_code(&receiver, &sample.encode().unwrap(), None).await.unwrap();
    assert_ne!(
        state(&receiver).await,
        before,
        "the honest file brings the new association"
    );
}

#[tokio::test]
async fn every_hostile_file_is_refused_and_changes_nothing() {
    let (receiver, sample) = setting().await;
    let before = state(&receiver).await;
    let mut wrong = Vec::new();
    for case in hostile::cases() {
        let bytes = (case.make)(&sample).unwrap();
        let passphrase = file::is_encrypted(&bytes).then_some(hostile::PASSPHRASE);
        let outcome = import_code(&receiver, &bytes, passphrase).await;
        if outcome.as_ref().err().map(String::as_str) != Some(case.code) {
            wrong.push(format!("{}: expected {}, got {outcome:?}", case.name, case.code));
        }
        assert_eq!(state(&receiver).await, before, "{} changed the receiver", case.name);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn a_refusal_names_the_record_and_the_field() {
    let (receiver, sample) = setting().await;
    let case = hostile::cases()
        .into_iter()
        .find(|c| c.name == "invalid e-mail")
        .unwrap();
    let bytes = (case.make)(&sample).unwrap();
    let error = file::verify(&bytes, None).unwrap().check_content().unwrap_err();
    let id = &sample.rows.iter().find(|r| r.t == "associations").unwrap().id;
    for lang in [kozmos_core::Lang::De, kozmos_core::Lang::En] {
        let message = error.message(lang);
        assert!(message.contains(id.as_str()) && message.contains("email"), "{message}");
    }
    assert!(
        error.message(kozmos_core::Lang::De).contains("E-Mail"),
        "the validator's reason"
    );
    drop(receiver);
}

/// A shared folder is outside KOZMOS's control: a FIFO (which would block a read forever), a file
/// over the size cap and a link to an endless device are each listed with their reason, and the
/// honest file beside them is previewed as usual.
#[cfg(unix)]
#[tokio::test]
async fn a_shared_folder_with_traps_lists_each_and_blocks_on_none() {
    use kozmos_core::sync::folder;
    let (receiver, sample) = setting().await;
    let shared = receiver.dir.path().join("Gemeinsamer Ordner");
    std::fs::create_dir(&shared).unwrap();
    folder::set(&receiver.k.store, Some(&shared), Profile::All)
        .await
        .unwrap();
    let honest = format!("kozmos-{}.kozmos-sync", sample.header.origin_site);
    std::fs::write(shared.join(&honest), sample.encode().unwrap()).unwrap();
    let fifo = shared.join("kozmos-fifo.kozmos-sync");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let huge = std::fs::File::create(shared.join("kozmos-huge.kozmos-sync")).unwrap();
    huge.set_len(file::MAX_FILE_BYTES + 1).unwrap();
    std::os::unix::fs::symlink("/dev/zero", shared.join("kozmos-zero.kozmos-sync")).unwrap();

    let synced = folder::sync_now(&receiver.k.store, None).await.unwrap();
    let outcome: Vec<(String, String)> = synced
        .incoming
        .iter()
        .map(|f| {
            let name = f.path.rsplit('/').next().unwrap().to_string();
            let what = f.error.as_ref().map_or("preview".to_string(), |e| e.code.clone());
            (name, what)
        })
        .collect();
    assert_eq!(
        outcome,
        [
            (honest, "preview".to_string()),
            ("kozmos-fifo.kozmos-sync".into(), "file_not_regular".into()),
            ("kozmos-huge.kozmos-sync".into(), "file_too_large".into()),
            ("kozmos-zero.kozmos-sync".into(), "file_not_regular".into()),
        ]
    );
}

/// The preview crosses to the window whole: however many records a file changes and however long
/// their texts, it lists the first `PAGE_RECORDS` and shows each value cut to `VALUE_CHARS` (the
/// counts still cover every record). The pages of its detail hold every record exactly once.
#[tokio::test]
async fn a_preview_of_many_long_records_stays_bounded_and_pages_through_all() {
    let sender = TestDb::new().await;
    let receiver = TestDb::new().await;
    let notes = "Lange Notiz über die Arbeit des Vereins. ".repeat(240);
    let mut created = Vec::new();
    for i in 0..RECORDS {
        let d = common::draft(&format!("Verein {i:04}"));
        created.push(
            association::create(&sender.k.store, &d, LogoChange::Keep)
                .await
                .unwrap(),
        );
    }
    let (bytes, _) = export::build(&sender.k.store, &full()).await.unwrap();
    let verified = file::verify(&bytes, None).unwrap();
    import::apply(&receiver.k.store, &verified, &ImportOptions::default())
        .await
        .unwrap();
    sender.clock.set(NOON + 60_000);
    for record in &created {
        let mut d = common::draft(&record.fields.name);
        d.notes = notes.clone();
        association::update(&sender.k.store, &record.id, &d, LogoChange::Keep)
            .await
            .unwrap();
    }
    let (bytes, _) = export::build(&sender.k.store, &full()).await.unwrap();
    let verified = file::verify(&bytes, None).unwrap();
    let (preview, detail) = import::preview_with_detail(&receiver.k.store, &verified).await.unwrap();
    assert_eq!(preview.counts.changed as usize, RECORDS);
    assert_eq!(preview.records_total as usize, RECORDS);
    assert_eq!(preview.records.len(), PAGE_RECORDS);
    let longest = preview
        .records
        .iter()
        .flat_map(|r| &r.changes)
        .map(|c| c.after.chars().count())
        .max()
        .unwrap();
    assert_eq!(longest, VALUE_CHARS + 1, "cut, with …");
    let size = serde_json::to_string(&preview).unwrap().len();
    assert!(size < 1 << 19, "the preview is {size} bytes");

    let mut seen = std::collections::HashMap::new();
    let mut offset = 0;
    let mut pages = 0;
    loop {
        let page = detail.page(offset, 1_000).unwrap();
        assert_eq!((page.total as usize, page.limit as usize), (RECORDS, PAGE_RECORDS));
        if page.records.is_empty() {
            break;
        }
        pages += 1;
        let size = serde_json::to_string(&page).unwrap().len();
        assert!(size < 1 << 19, "a page is {size} bytes");
        if offset == 0 {
            let first: Vec<_> = page.records.iter().map(|r| &r.id).collect();
            let shown: Vec<_> = preview.records.iter().map(|r| &r.id).collect();
            assert_eq!(first, shown, "the preview carries the first page");
        }
        offset += page.records.len() as i64;
        for r in page.records {
            *seen.entry(r.id).or_insert(0) += 1;
        }
    }
    assert_eq!(pages, RECORDS.div_ceil(PAGE_RECORDS));
    assert_eq!(seen.len(), RECORDS);
    assert!(
        created.iter().all(|c| seen.get(&c.id) == Some(&1)),
        "every record exactly once"
    );
    for (offset, limit) in [(-1, 100), (0, 0), (0, -1), (i64::MIN, i64::MIN)] {
        let e = detail.page(offset, limit).unwrap_err();
        assert_eq!(e.code(), "sync_page_invalid", "{offset}, {limit}");
    }
    let past = detail.page(i64::MAX, i64::MAX).unwrap();
    assert!(past.records.is_empty());
    assert_eq!(past.total as usize, RECORDS);
}

/// A hostile value deep in a large file (in its third chunk of rows, checked while the ones before
/// are already being merged) is refused as one at the start would be: by its code, naming the
/// record and the field, in the preview and in the apply, and nothing of the file is written.
#[tokio::test]
async fn a_hostile_value_deep_in_a_large_file_is_refused_and_changes_nothing() {
    let sender = TestDb::new().await;
    let receiver = TestDb::new().await;
    common::add_associations(&sender.k.store, 1_200, "Tief").await;
    let (bytes, _) = export::build(&sender.k.store, &full()).await.unwrap();
    let mut sample = Sample::from_file(&bytes, receiver.k.store.site_id()).unwrap();
    let row = sample
        .rows
        .iter_mut()
        .filter(|r| r.t == "associations")
        .nth(1_100)
        .unwrap();
    let id = row.id.clone();
    let city = row.f.iter_mut().find(|f| f.0 == "city").unwrap();
    city.1 = serde_json::json!("  Jena  ");
    let bytes = sample.encode().unwrap();
    let before = state(&receiver).await;

    let verified = file::verify(&bytes, None).unwrap();
    let error = import::preview(&receiver.k.store, &verified).await.unwrap_err();
    assert_eq!(error.code(), "sync_value_invalid");
    let message = error.to_string();
    assert!(message.contains(&id) && message.contains("city"), "{message}");
    let error = import::apply(&receiver.k.store, &verified, &ImportOptions::default())
        .await
        .unwrap_err();
    assert_eq!(error.code(), "sync_value_invalid");
    assert_eq!(state(&receiver).await, before, "nothing of the file was written");
    assert_eq!(receiver.count("SELECT count(*) FROM associations").await, 0);
    assert_eq!(
        import_code(&receiver, &bytes, None).await,
        Err("sync_value_invalid".into())
    );
}
