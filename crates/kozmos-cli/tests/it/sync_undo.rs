//! Undoing the last sync import (its undo journal): everything as before, the same file importable
//! again; refused with the record named when it was changed since; gone after an erasure, a
//! restore or the next import. The undo after a killed process is in `sync_faults`.

use crate::common;

use common::{assert_search_index_in_step, draft, with_field, TestDb, NOON};
use kozmos_core::association::{self, LogoChange};
use kozmos_core::sync::export::{self, ExportOptions};
use kozmos_core::sync::import::{self, ImportOptions, ImportResult};
use kozmos_core::sync::profile::Profile;
use kozmos_core::sync::{conflicts, dump, file, history, undo};
use kozmos_core::Lang;
use sqlx::ConnectOptions;

fn for_peer(to: &TestDb) -> ExportOptions {
    ExportOptions {
        peer: Some(to.k.store.site_id().to_string()),
        profile: Profile::All,
        passphrase: None,
    }
}

async fn file_for(from: &TestDb, to: &TestDb) -> Vec<u8> {
    export::build(&from.k.store, &for_peer(to)).await.unwrap().0
}

/// A full file: the first one between two installations.
async fn full_file(from: &TestDb) -> Vec<u8> {
    let options = ExportOptions {
        peer: None,
        ..for_peer(from)
    };
    export::build(&from.k.store, &options).await.unwrap().0
}

async fn import(to: &TestDb, bytes: &[u8], backups: Option<&std::path::Path>) -> ImportResult {
    let verified = file::verify(bytes, None).unwrap();
    let options = ImportOptions {
        backup_dir: backups.map(|p| p.to_path_buf()),
        ..ImportOptions::default()
    };
    import::apply(&to.k.store, &verified, &options).await.unwrap()
}

async fn city(db: &TestDb, id: &str) -> Option<String> {
    association::get(&db.k.store, id).await.unwrap().fields.city
}

/// What a user could tell apart: the synced data with its stamps, conflicts, history, versions.
async fn state(db: &TestDb) -> (String, i64, i64, String, String) {
    let pool = db.k.store.pool();
    let json = |sql: &'static str| async move { sqlx::query_scalar::<_, String>(sql).fetch_one(pool).await.unwrap() };
    (
        dump::hash(&db.k.store).await.unwrap(),
        db.count("SELECT COUNT(*) FROM conflicts").await,
        db.count("SELECT COUNT(*) FROM sync_log WHERE undone_at IS NULL").await,
        json("SELECT COALESCE(json_group_array(json_array(scope, site, hlc)), '[]') FROM (SELECT * FROM sync_vector ORDER BY 1, 2)").await,
        json("SELECT COALESCE(json_group_array(json_array(site, vector)), '[]') FROM (SELECT * FROM sync_peers ORDER BY 1)").await,
    )
}

/// A and B share three associations; then A renames one (B renamed it too: a conflict), adds one
/// and deletes one, and B receives that as a file for it. Returns the file.
async fn two_sides_and_a_weekly_file() -> (TestDb, TestDb, Vec<u8>, [String; 3]) {
    let a = TestDb::new().await;
    let b = TestDb::new().await;
    let mut ids = Vec::new();
    for name in [
        "Verein Brücke",
        "Deutsch-Ukrainischer Kulturverein",
        "Hội người Việt Halle",
    ] {
        let x = association::create(&a.k.store, &draft(name), LogoChange::Keep)
            .await
            .unwrap();
        ids.push(x.id);
    }
    import(&b, &full_file(&a).await, None).await;
    import(&a, &full_file(&b).await, None).await;
    b.clock.set(NOON + 30_000);
    let renamed_at_b = with_field(&draft("Verein Brücke"), "city", "Jena");
    association::update(&b.k.store, &ids[0], &renamed_at_b, LogoChange::Keep)
        .await
        .unwrap();
    a.clock.set(NOON + 60_000);
    let renamed_at_a = with_field(&draft("Verein Brücke"), "city", "Dessau-Roßlau");
    association::update(&a.k.store, &ids[0], &renamed_at_a, LogoChange::Keep)
        .await
        .unwrap();
    let new = association::create(&a.k.store, &draft("جمعية الصداقة Magdeburg"), LogoChange::Keep)
        .await
        .unwrap();
    association::delete(&a.k.store, &ids[1]).await.unwrap();
    let bytes = file_for(&a, &b).await;
    (a, b, bytes, [ids[0].clone(), ids[1].clone(), new.id])
}

#[tokio::test]
async fn an_undone_import_leaves_everything_as_before_and_the_file_can_be_imported_again() {
    let (_a, b, bytes, [renamed, deleted, new]) = two_sides_and_a_weekly_file().await;
    let before = state(&b).await;
    let backups = b.dir.path().join("backups");
    let result = import(&b, &bytes, Some(&backups)).await;
    assert_eq!(
        (result.counts.changed, result.counts.new, result.counts.deleted),
        (1, 1, 1)
    );
    assert_eq!(result.counts.conflicts, 1);
    assert!(result.undoable);
    assert!(result.backup.is_none(), "a small import keeps a journal, not a copy");
    assert!(!backups.exists() || std::fs::read_dir(&backups).unwrap().next().is_none());
    let after = state(&b).await;
    assert_ne!(after, before);

    let last = undo::last(&b.k.store).await.unwrap().expect("undoable");
    assert_eq!(last.counts, serde_json::to_value(&result.counts).unwrap());
    let undone = undo::undo_last(&b.k.store).await.unwrap();
    assert_eq!(undone.id, last.id);
    assert_eq!(state(&b).await, before);
    // The history keeps its line, marked as undone.
    let newest = &history::list(&b.k.store, 1).await.unwrap()[0];
    assert_eq!((newest.id, &newest.counts), (last.id, &last.counts));
    assert!(
        undone.undone_at.is_some() && newest.undone_at == undone.undone_at,
        "{newest:?}"
    );
    assert_eq!(city(&b, &renamed).await.as_deref(), Some("Jena"));
    assert!(association::get(&b.k.store, &deleted).await.is_ok());
    assert!(association::get(&b.k.store, &new).await.is_err());
    assert_search_index_in_step(&b.k.store).await;
    assert!(undo::last(&b.k.store).await.unwrap().is_none());
    let again = undo::undo_last(&b.k.store).await.unwrap_err();
    assert_eq!(again.code(), "nothing_to_undo");

    // Not "imported before": the same file applies again, to the same state.
    let reimported = import(&b, &bytes, None).await;
    assert!(!reimported.already_imported);
    assert_eq!(reimported.counts, result.counts);
    assert_eq!(state(&b).await.0, after.0);
    assert_search_index_in_step(&b.k.store).await;
}

#[tokio::test]
async fn undo_is_refused_when_a_record_the_import_touched_was_changed_since() {
    let (_a, b, bytes, [renamed, _, new]) = two_sides_and_a_weekly_file().await;
    import(&b, &bytes, None).await;
    b.clock.set(NOON + 120_000);
    let edited = with_field(&draft("Verein Brücke"), "phone", "0345 123456");
    association::update(&b.k.store, &renamed, &edited, LogoChange::Keep)
        .await
        .unwrap();
    let edited_state = state(&b).await;
    let error = undo::undo_last(&b.k.store).await.unwrap_err();
    assert_eq!(error.code(), "changed_since_import");
    assert!(
        error.message(Lang::De).contains("„Verein Brücke“"),
        "{}",
        error.message(Lang::De)
    );
    assert!(error.message(Lang::En).contains("nothing was changed"));
    assert_eq!(state(&b).await, edited_state, "a refused undo changes nothing");
    assert!(association::get(&b.k.store, &new).await.is_ok());
    // Still refused later: the journal stays, the record stays changed.
    assert!(undo::last(&b.k.store).await.unwrap().is_some());
    assert_eq!(
        undo::undo_last(&b.k.store).await.unwrap_err().code(),
        "changed_since_import"
    );
}

#[tokio::test]
async fn a_later_edit_elsewhere_and_a_conflict_marked_as_seen_do_not_stand_in_the_way() {
    let (_a, b, bytes, [renamed, _, _]) = two_sides_and_a_weekly_file().await;
    let own = association::create(&b.k.store, &draft("Eigener Verein Gera"), LogoChange::Keep)
        .await
        .unwrap();
    import(&b, &bytes, None).await;
    let conflict = &conflicts::list(&b.k.store, false).await.unwrap()[0];
    conflicts::mark_seen(&b.k.store, conflict.id).await.unwrap();
    b.clock.set(NOON + 120_000);
    let edited = with_field(&draft("Eigener Verein Gera"), "city", "Gera");
    association::update(&b.k.store, &own.id, &edited, LogoChange::Keep)
        .await
        .unwrap();
    undo::undo_last(&b.k.store).await.unwrap();
    assert_eq!(city(&b, &renamed).await.as_deref(), Some("Jena"));
    assert_eq!(city(&b, &own.id).await.as_deref(), Some("Gera"));
    assert_eq!(b.count("SELECT COUNT(*) FROM conflicts").await, 0);
    assert_search_index_in_step(&b.k.store).await;
}

#[tokio::test]
async fn only_the_last_import_can_be_undone_and_an_erasure_or_restore_ends_it() {
    use kozmos_core::person::{self, Parent, PersonDraft};
    let (a, b, bytes, [renamed, _, _]) = two_sides_and_a_weekly_file().await;
    import(&b, &bytes, None).await;
    let after_first = state(&b).await;
    a.clock.set(NOON + 180_000);
    let p = PersonDraft {
        name: "Olena Kovalenko".into(),
        role: "Vorstand".into(),
        ..Default::default()
    };
    let person = person::create(&a.k.store, &Parent::Association(renamed.clone()), &p)
        .await
        .unwrap();
    let c = TestDb::new().await;
    import(&c, &full_file(&a).await, None).await;
    import(&a, &full_file(&c).await, None).await;
    import(&b, &file_for(&a, &b).await, None).await;
    undo::undo_last(&b.k.store).await.unwrap();
    assert_eq!(
        state(&b).await,
        after_first,
        "the second import is undone, the first stays"
    );
    assert_eq!(undo::undo_last(&b.k.store).await.unwrap_err().code(), "nothing_to_undo");

    // An erasure here empties the journal: it may hold the erased values.
    let result = import(&b, &file_for(&a, &b).await, None).await;
    assert!(result.undoable);
    b.clock.set(NOON + 240_000);
    kozmos_core::privacy::erase::erase(&b.k.store, std::slice::from_ref(&person.id))
        .await
        .unwrap();
    assert_eq!(b.count("SELECT COUNT(*) FROM undo_journal").await, 0);
    assert_eq!(undo::undo_last(&b.k.store).await.unwrap_err().code(), "nothing_to_undo");

    // An import that erases keeps no journal; a copy of the state before it is made instead.
    a.clock.set(NOON + 300_000);
    kozmos_core::privacy::erase::erase(&a.k.store, std::slice::from_ref(&person.id))
        .await
        .unwrap();
    let backups = c.dir.path().join("backups");
    let erasing = import(&c, &file_for(&a, &c).await, Some(&backups)).await;
    assert_eq!(erasing.counts.purged, 1);
    assert!(!erasing.undoable);
    assert_eq!(c.count("SELECT COUNT(*) FROM undo_journal").await, 0);
    let copy = erasing.backup.expect("the copy before the import");
    let mut copy = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&copy)
        .read_only(true)
        .connect()
        .await
        .unwrap();
    let name: String = sqlx::query_scalar("SELECT name FROM persons WHERE id = ?")
        .bind(&person.id)
        .fetch_one(&mut copy)
        .await
        .unwrap();
    assert_eq!(name, "Olena Kovalenko", "the copy holds the state before the import");
}

#[tokio::test]
async fn a_restore_ends_the_undo_of_the_import_before_it() {
    use kozmos_core::backup::{self, REASON_MANUAL};
    let (_a, mut b, bytes, [renamed, _, _]) = two_sides_and_a_weekly_file().await;
    import(&b, &bytes, None).await;
    // The backup is taken while the import can be undone: the journal is in it.
    let made = backup::create(&b.k, REASON_MANUAL, None).await.unwrap();
    b.clock.set(NOON + 120_000);
    let restored = kozmos_core::restore::restore(&b.k, made.path.as_ref(), None)
        .await
        .unwrap();
    b.k = restored.kozmos;
    assert!(undo::last(&b.k.store).await.unwrap().is_none());
    assert_eq!(undo::undo_last(&b.k.store).await.unwrap_err().code(), "nothing_to_undo");
    let city = association::get(&b.k.store, &renamed).await.unwrap().fields.city;
    assert_eq!(
        city.as_deref(),
        Some("Dessau-Roßlau"),
        "the restored state keeps the import"
    );
}
