//! Mass changes: a sync file that erases a large part of a table is listed by name in the
//! preview and applied only with the second confirmation (`allow_mass_changes`).

use crate::common;

use common::{draft, TestDb};
use kozmos_core::association::{self, LogoChange};
use kozmos_core::person::{self, Parent, PersonDraft};
use kozmos_core::privacy::erase;
use kozmos_core::store::Outcome;
use kozmos_core::sync::export::{self, ExportOptions};
use kozmos_core::sync::import::{self, ImportOptions};
use kozmos_core::sync::profile::Profile;
use kozmos_core::sync::{dump, file};
use kozmos_core::Lang;

fn full() -> ExportOptions {
    ExportOptions {
        peer: None,
        profile: Profile::All,
        passphrase: None,
    }
}

async fn send(from: &TestDb, to: &TestDb, options: &ImportOptions) -> kozmos_core::error::Result<import::ImportResult> {
    let (bytes, _) = export::build(&from.k.store, &full()).await.unwrap();
    let verified = file::verify(&bytes, None).unwrap();
    import::apply(&to.k.store, &verified, options).await
}

#[tokio::test]
async fn erasing_thirty_percent_of_persons_needs_the_second_yes() {
    let a = TestDb::new().await;
    let b = TestDb::new().await;
    let club = association::create(&a.k.store, &draft("Verein Brücke"), LogoChange::Keep)
        .await
        .unwrap();
    let parent = Parent::Association(club.id.clone());
    let mut ids = Vec::new();
    for i in 0..20 {
        let d = PersonDraft {
            name: format!("Person Nummer {i:02}"),
            ..Default::default()
        };
        ids.push(person::create(&a.k.store, &parent, &d).await.unwrap().id);
    }
    send(&a, &b, &ImportOptions::default()).await.unwrap();

    // A erases 6 of 20 persons (30 %): the file carries them blanked.
    erase::erase(&a.k.store, &ids[..6]).await.unwrap();
    let (bytes, _) = export::build(&a.k.store, &full()).await.unwrap();
    let verified = file::verify(&bytes, None).unwrap();

    let preview = import::preview(&b.k.store, &verified).await.unwrap();
    assert_eq!(preview.mass_changes.len(), 1, "{:?}", preview.mass_changes);
    let mass = &preview.mass_changes[0];
    assert_eq!(
        (mass.table.as_str(), mass.kind, mass.count, mass.table_size),
        ("persons", Outcome::Purged, 6, 20)
    );
    let erased: Vec<&str> = preview
        .records
        .iter()
        .filter(|r| r.outcome == Outcome::Purged)
        .map(|r| r.label.as_str())
        .collect();
    let expected: Vec<String> = (0..6).map(|i| format!("Person Nummer {i:02}")).collect();
    assert_eq!(erased, expected, "erased persons are listed by the name they had here");
    assert!(
        preview.records[..6].iter().all(|r| r.outcome == Outcome::Purged),
        "erasures come first"
    );

    let before = dump::hash(&b.k.store).await.unwrap();
    let backups = b.dir.path().join("backups");
    let with_backup = ImportOptions {
        backup_dir: Some(backups.clone()),
        ..Default::default()
    };
    let error = import::apply(&b.k.store, &verified, &with_backup).await.unwrap_err();
    assert_eq!(error.code(), "sync_mass_change");
    assert!(
        error.message(Lang::De).contains("6 von 20 Personen"),
        "{}",
        error.message(Lang::De)
    );
    assert!(
        error.message(Lang::En).contains("6 of 20 persons"),
        "{}",
        error.message(Lang::En)
    );
    assert_eq!(
        dump::hash(&b.k.store).await.unwrap(),
        before,
        "a refused file changes nothing"
    );
    let copies = || std::fs::read_dir(&backups).map_or(0, |d| d.count());
    assert_eq!(copies(), 0, "a refused file leaves no backup copy behind");

    let allowed = ImportOptions {
        allow_mass_changes: true,
        ..with_backup
    };
    let result = import::apply(&b.k.store, &verified, &allowed).await.unwrap();
    assert_eq!(result.counts.purged, 6);
    assert!(result.backup.is_some());
    assert_eq!(copies(), 1);
    assert_eq!(b.count("SELECT COUNT(*) FROM persons WHERE life = 'alive'").await, 14);
}

#[tokio::test]
async fn a_few_deletions_need_no_second_yes() {
    let a = TestDb::new().await;
    let b = TestDb::new().await;
    let mut ids = Vec::new();
    for i in 0..40 {
        ids.push(
            association::create(&a.k.store, &draft(&format!("Verein {i:02}")), LogoChange::Keep)
                .await
                .unwrap()
                .id,
        );
    }
    send(&a, &b, &ImportOptions::default()).await.unwrap();
    for id in &ids[..2] {
        association::delete(&a.k.store, id).await.unwrap();
    }
    let result = send(&a, &b, &ImportOptions::default()).await.unwrap();
    assert_eq!(result.counts.deleted, 2, "2 of 40 is below both limits");
}
