//! Sync between installations: export, preview, apply, conflicts, privacy, history.

mod common;

use common::{draft, TestDb, NOON};
use kozmos_core::association::{self, LogoChange};
use kozmos_core::sync::export::{self, ExportOptions};
use kozmos_core::sync::import::{self, ImportOptions};
use kozmos_core::sync::profile::Profile;
use kozmos_core::sync::{conflicts, dump, file};

fn full(profile: Profile) -> ExportOptions {
    ExportOptions {
        peer: None,
        profile,
        passphrase: None,
    }
}

async fn exchange(from: &TestDb, to: &TestDb, options: &ExportOptions) -> import::Counts {
    let (bytes, _) = export::build(&from.k.store, options).await.unwrap();
    let verified = file::verify(&bytes, None).unwrap();
    let preview = import::preview(&to.k.store, &verified).await.unwrap();
    let result = import::apply(&to.k.store, &verified, &ImportOptions::default())
        .await
        .unwrap();
    assert_eq!(preview.counts, result.counts, "preview counts = applied counts");
    result.counts
}

#[tokio::test]
async fn two_sides_converge_and_concurrent_loser_is_kept() {
    let a = TestDb::new().await;
    let b = TestDb::new().await;
    let x = association::create(&a.k.store, &draft("Verein Brücke"), LogoChange::Keep)
        .await
        .unwrap();
    let counts = exchange(&a, &b, &full(Profile::All)).await;
    assert_eq!(counts.new, 1);
    assert_eq!(
        dump::hash(&a.k.store).await.unwrap(),
        dump::hash(&b.k.store).await.unwrap()
    );

    // Both edit the same field offline; B later.
    let mut d = draft("Verein Brücke A");
    association::update(&a.k.store, &x.id, &d, LogoChange::Keep)
        .await
        .unwrap();
    b.clock.set(NOON + 60_000);
    d.name = "Verein Brücke B".into();
    association::update(&b.k.store, &x.id, &d, LogoChange::Keep)
        .await
        .unwrap();
    exchange(&a, &b, &full(Profile::All)).await;
    exchange(&b, &a, &full(Profile::All)).await;
    assert_eq!(
        dump::hash(&a.k.store).await.unwrap(),
        dump::hash(&b.k.store).await.unwrap()
    );
    assert_eq!(
        association::get(&a.k.store, &x.id).await.unwrap().fields.name,
        "Verein Brücke B"
    );
    let lost_a = conflicts::list(&a.k.store, false).await.unwrap();
    let lost_b = conflicts::list(&b.k.store, false).await.unwrap();
    assert!(lost_a
        .iter()
        .chain(&lost_b)
        .any(|c| c.field == "name" && c.lost == "Verein Brücke A"));

    // Re-importing the same file changes nothing and says so.
    let (bytes, _) = export::build(&b.k.store, &full(Profile::All)).await.unwrap();
    let verified = file::verify(&bytes, None).unwrap();
    let before = dump::hash(&a.k.store).await.unwrap();
    let again = import::apply(&a.k.store, &verified, &ImportOptions::default())
        .await
        .unwrap();
    let again2 = import::apply(&a.k.store, &verified, &ImportOptions::default())
        .await
        .unwrap();
    assert!(again.counts.is_empty());
    assert!(again2.already_imported);
    assert_eq!(before, dump::hash(&a.k.store).await.unwrap());
}

/// The shared folder and the files in it are kept and shown as text and opened again by it: a name
/// that is not Unicode (Linux allows any bytes, say from another system's USB stick) is refused
/// with a message instead of being kept garbled and failing later.
#[cfg(unix)]
#[tokio::test]
async fn a_shared_folder_or_file_whose_name_is_not_unicode_is_refused_clearly() {
    use kozmos_core::sync::{folder, status};
    use std::os::unix::ffi::OsStrExt;
    let db = TestDb::new().await;
    let garbled = db.dir.path().join(std::ffi::OsStr::from_bytes(b"Gemeinsam M\xfcller"));
    std::fs::create_dir(&garbled).unwrap();
    let error = folder::set(&db.k.store, Some(&garbled), Profile::Consented)
        .await
        .unwrap_err();
    assert_eq!(error.code(), "sync_name_not_unicode");
    assert_eq!(status::status(&db.k.store).await.unwrap().folder, None, "nothing kept");

    let shared = db.dir.path().join("Gemeinsam Müller");
    std::fs::create_dir(&shared).unwrap();
    folder::set(&db.k.store, Some(&shared), Profile::Consented)
        .await
        .unwrap();
    let other = TestDb::new().await;
    let (bytes, _) = export::build(&other.k.store, &full(Profile::Consented)).await.unwrap();
    std::fs::write(
        shared.join(std::ffi::OsStr::from_bytes(b"von-M\xfcller.kozmos-sync")),
        bytes,
    )
    .unwrap();
    let synced = folder::sync_now(&db.k.store).await.unwrap();
    assert_eq!(synced.incoming.len(), 1);
    let error = synced.incoming[0].error.as_ref().expect("said why");
    assert_eq!(error.code, "sync_name_not_unicode");
}
