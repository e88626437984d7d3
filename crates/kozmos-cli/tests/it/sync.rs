//! Sync between installations: export, preview, apply, conflicts, privacy, history.

use crate::common;

use common::{draft, TestDb, NOON};
use kozmos_core::association::{self, LogoChange};
use kozmos_core::store::Value;
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

/// The rows `sql` returns, each one string.
async fn quoted_rows(db: &TestDb, sql: &str) -> Vec<String> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(db.k.store.pool())
        .await
        .unwrap()
}

/// A full file's new rows are written as the sender stores them, value for value: text in any
/// script, markup as plain text, a logo's bytes, a year, empty text as empty text and empty
/// fields as NULL; their stamps and search entries with them.
#[tokio::test]
async fn a_full_file_stores_its_new_rows_value_for_value() {
    let a = TestDb::new().await;
    let b = TestDb::new().await;
    let mut d = draft("الجمعية السورية الألمانية");
    d.city = "Hải Phòng".into();
    d.notes = "<script>alert('x')</script> & Українська громада".into();
    let jpeg = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../kozmos-core/tests/fixtures/logo.jpg"
    ))
    .unwrap();
    let logo = association::validate_logo(jpeg.clone()).unwrap();
    let x = association::create(&a.k.store, &d, LogoChange::Set(logo))
        .await
        .unwrap();
    let y = association::create(&a.k.store, &draft("Kulturbrücke Gera e.V."), LogoChange::Keep)
        .await
        .unwrap();
    let year_and_blank = [
        ("founded_year", Value::Int(1999)),
        ("short_name", Value::Text(String::new())),
    ];
    a.k.store
        .update(&association::TABLE, &x.id, year_and_blank.into_iter().collect())
        .await
        .unwrap();
    let counts = exchange(&a, &b, &full(Profile::All)).await;
    assert_eq!(counts.new, 2);
    // Every column quoted by SQLite: '' and NULL, 1999 and '1999', text and X'…' all differ.
    let columns: Vec<String> = ["id", "life", "changed_hlc", "search_key", "sort_key"]
        .into_iter()
        .chain(association::TABLE.columns.iter().map(|c| c.name))
        .map(|c| format!("quote({c})"))
        .collect();
    let sql = format!("SELECT {} FROM associations ORDER BY id", columns.join(" || ' | ' || "));
    let (sent, stored) = (quoted_rows(&a, &sql).await, quoted_rows(&b, &sql).await);
    assert_eq!(stored, sent);
    let hex: String = jpeg.iter().map(|b| format!("{b:02X}")).collect();
    assert!(stored
        .iter()
        .any(|r| r.contains(&format!("X'{hex}'")) && r.contains("1999")));
    assert!(
        stored.iter().any(|r| r.contains(" | '' | ")),
        "the empty short name stays empty text"
    );
    for id in [&x.id, &y.id] {
        assert_eq!(
            b.k.store.stamps(&association::TABLE, id).await.unwrap(),
            a.k.store.stamps(&association::TABLE, id).await.unwrap()
        );
    }
    common::assert_search_index_in_step(&b.k.store).await;
    let found = common::association_names(&b.k.store, common::text_query("Phòng")).await;
    assert_eq!(found, ["الجمعية السورية الألمانية"]);
}

/// The apply takes the plans its preview made only while nothing changed in between: an edit
/// saved after the preview is merged (here it is newer and stays), and another file's preview
/// never stands in for the file applied.
#[tokio::test]
async fn an_apply_plans_again_after_an_edit_since_its_preview_or_for_another_file() {
    let a = TestDb::new().await;
    let b = TestDb::new().await;
    let x = association::create(&a.k.store, &draft("Verein Brücke"), LogoChange::Keep)
        .await
        .unwrap();
    exchange(&a, &b, &full(Profile::All)).await;
    async fn file_with(a: &TestDb, id: &str, name: &str) -> file::Verified {
        association::update(&a.k.store, id, &draft(name), LogoChange::Keep)
            .await
            .unwrap();
        let (bytes, _) = export::build(&a.k.store, &full(Profile::All)).await.unwrap();
        file::verify(&bytes, None).unwrap()
    }
    let name_at_b = || async { association::get(&b.k.store, &x.id).await.unwrap().fields.name };

    let older = file_with(&a, &x.id, "Verein Brücke A").await;
    let preview = import::preview(&b.k.store, &older).await.unwrap();
    assert_eq!(preview.counts.changed, 1);
    b.clock.set(NOON + 60_000);
    association::update(&b.k.store, &x.id, &draft("Verein Brücke B"), LogoChange::Keep)
        .await
        .unwrap();
    import::apply(&b.k.store, &older, &ImportOptions::default())
        .await
        .unwrap();
    assert_eq!(name_at_b().await, "Verein Brücke B", "the newer edit here stays");
    let lost = conflicts::list(&b.k.store, false).await.unwrap();
    assert!(lost.iter().any(|c| c.field == "name" && c.lost == "Verein Brücke A"));

    a.clock.set(NOON + 120_000);
    let first = file_with(&a, &x.id, "Verein Brücke C").await;
    let second = file_with(&a, &x.id, "Verein Brücke D").await;
    import::preview(&b.k.store, &first).await.unwrap();
    let applied = import::apply(&b.k.store, &second, &ImportOptions::default())
        .await
        .unwrap();
    assert_eq!(applied.counts.changed, 1);
    assert_eq!(name_at_b().await, "Verein Brücke D");
}

/// Two installations share an encrypted folder: nothing is written without the passphrase, the
/// file cannot be read without it, an unchanged state is not rewritten, a typo is caught, and a
/// plain file planted in the folder is not opened.
#[tokio::test]
async fn an_encrypted_shared_folder_carries_changes_only_to_those_with_the_passphrase() {
    use kozmos_core::sync::{folder, status};
    const AGREED: &str = "Brücken über die Saale 2026";
    let a = TestDb::new().await;
    let b = TestDb::new().await;
    let shared = a.dir.path().join("Gemeinsam");
    std::fs::create_dir(&shared).unwrap();
    for side in [&a, &b] {
        folder::set(&side.k.store, Some(&shared), Profile::Consented)
            .await
            .unwrap();
        folder::set_encrypted(&side.k.store, true).await.unwrap();
        assert!(status::status(&side.k.store).await.unwrap().folder_encrypted);
    }
    let error = folder::sync_now(&a.k.store, None).await.unwrap_err();
    assert_eq!(
        (error.code(), error.field()),
        ("sync_folder_passphrase_needed", Some("passphrase"))
    );
    assert_eq!(
        std::fs::read_dir(&shared).unwrap().count(),
        0,
        "nothing written without it"
    );

    association::create(&a.k.store, &draft("Verein Brücke"), LogoChange::Keep)
        .await
        .unwrap();
    let written = folder::sync_now(&a.k.store, Some(AGREED)).await.unwrap();
    assert!(written.written_changed && written.encrypted);
    let bytes = std::fs::read(&written.written).unwrap();
    assert!(file::is_encrypted(&bytes));
    assert_eq!(file::verify(&bytes, None).unwrap_err().code(), "sync_passphrase_needed");
    let again = folder::sync_now(&a.k.store, Some(AGREED)).await.unwrap();
    assert!(
        !again.written_changed,
        "an unchanged state is not encrypted and written again"
    );
    assert_eq!(std::fs::read(&written.written).unwrap(), bytes);

    let received = folder::sync_now(&b.k.store, Some(AGREED)).await.unwrap();
    assert_eq!(received.incoming.len(), 1);
    let preview = received.incoming[0].preview.as_ref().expect("decrypted and previewed");
    assert_eq!(preview.counts.new, 1);
    let bytes = std::fs::read(&received.incoming[0].path).unwrap();
    let verified = file::verify(&bytes, Some(AGREED)).unwrap();
    import::apply(&b.k.store, &verified, &ImportOptions::default())
        .await
        .unwrap();
    assert_eq!(
        dump::hash(&a.k.store).await.unwrap(),
        dump::hash(&b.k.store).await.unwrap()
    );

    // b's own file is there now: a typo is caught before it could encrypt the next one.
    let error = folder::check_passphrase(&b.k.store, "Brücken über die saale 2026")
        .await
        .unwrap_err();
    assert_eq!(error.code(), "sync_folder_passphrase_wrong");
    folder::check_passphrase(&b.k.store, AGREED).await.unwrap();

    let stranger = TestDb::new().await;
    let (plain, _) = export::build(&stranger.k.store, &full(Profile::Consented))
        .await
        .unwrap();
    std::fs::write(shared.join("kozmos-fremd.kozmos-sync"), plain).unwrap();
    let planted = folder::sync_now(&b.k.store, Some(AGREED)).await.unwrap();
    let refused: Vec<_> = planted.incoming.iter().filter_map(|f| f.error.as_ref()).collect();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].code, "sync_folder_file_plain");

    // A new passphrase: the file encrypted with the old one is gone at once and written anew.
    folder::set_encrypted(&a.k.store, true).await.unwrap();
    assert!(!std::path::Path::new(&written.written).exists());
    let renewed = folder::sync_now(&a.k.store, Some("Neue Brücken über die Saale"))
        .await
        .unwrap();
    assert!(renewed.written_changed);
    let bytes = std::fs::read(&renewed.written).unwrap();
    file::verify(&bytes, Some("Neue Brücken über die Saale")).unwrap();

    folder::set_encrypted(&a.k.store, false).await.unwrap();
    let plain = folder::sync_now(&a.k.store, Some(AGREED)).await.unwrap();
    assert!(
        plain.written_changed && !plain.encrypted,
        "switched off: written plain at once"
    );
    assert!(!file::is_encrypted(&std::fs::read(&plain.written).unwrap()));
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
    let synced = folder::sync_now(&db.k.store, None).await.unwrap();
    assert_eq!(synced.incoming.len(), 1);
    let error = synced.incoming[0].error.as_ref().expect("said why");
    assert_eq!(error.code, "sync_name_not_unicode");
}

/// Erasing a person drops only the conflicts that hold personal data: a concurrent edit of the
/// role stays to be reviewed, the lost name goes. Both when the erasure is made here and when it
/// arrives in a file.
#[tokio::test]
async fn erasing_a_person_keeps_the_conflict_on_the_role() {
    use kozmos_core::person::{self, Parent, PersonDraft};
    for erased_where_met in [true, false] {
        let a = TestDb::new().await;
        let b = TestDb::new().await;
        let x = association::create(&a.k.store, &draft("Verein Brücke"), LogoChange::Keep)
            .await
            .unwrap();
        let mut p = PersonDraft {
            name: "Olena Kovalenko".into(),
            role: "Vorstand".into(),
            ..Default::default()
        };
        let person = person::create(&a.k.store, &Parent::Association(x.id), &p)
            .await
            .unwrap();
        exchange(&a, &b, &full(Profile::All)).await;
        // Both edit name and role offline; B later, so A's values lose where they meet (at B).
        p.name = "Olena Kovalenko-A".into();
        p.role = "Kassenwartin".into();
        person::update(&a.k.store, &person.id, &p).await.unwrap();
        b.clock.set(NOON + 60_000);
        p.name = "Olena Kovalenko-B".into();
        p.role = "Vorsitzende".into();
        person::update(&b.k.store, &person.id, &p).await.unwrap();
        exchange(&a, &b, &full(Profile::All)).await;
        let fields = |list: Vec<conflicts::ConflictEntry>| {
            let mut f: Vec<String> = list.into_iter().map(|c| c.field).collect();
            f.sort();
            f
        };
        assert_eq!(
            fields(conflicts::list(&b.k.store, false).await.unwrap()),
            ["name", "role"]
        );
        if erased_where_met {
            b.clock.set(NOON + 120_000);
            kozmos_core::privacy::erase::erase(&b.k.store, std::slice::from_ref(&person.id))
                .await
                .unwrap();
        } else {
            a.clock.set(NOON + 120_000);
            kozmos_core::privacy::erase::erase(&a.k.store, std::slice::from_ref(&person.id))
                .await
                .unwrap();
            exchange(&a, &b, &full(Profile::All)).await;
        }
        let left = conflicts::list(&b.k.store, false).await.unwrap();
        assert_eq!(fields(left.clone()), ["role"], "erased here: {erased_where_met}");
        assert_eq!(left[0].lost, "Kassenwartin");
    }
}
