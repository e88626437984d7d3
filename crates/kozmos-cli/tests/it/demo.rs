//! Demo data: realistic, deterministic, marked, and removable without touching real records.

use crate::common;

use common::{draft, TestDb};
use kozmos_core::association::{self, AssociationQuery, LogoChange};
use kozmos_core::cooperation::{self, CooperationDraft, CooperationQuery};
use kozmos_core::demo;
use kozmos_core::person::{self, Parent, PersonDraft};
use kozmos_core::search::everything;
use kozmos_core::Error;

async fn content(db: &TestDb) -> Vec<String> {
    let rows: Vec<(String, Option<String>, Option<String>, String)> =
        sqlx::query_as("SELECT name, name_original, city, themes FROM associations ORDER BY rowid")
            .fetch_all(db.k.store.pool())
            .await
            .unwrap();
    rows.into_iter().map(|r| format!("{r:?}")).collect()
}

#[tokio::test]
async fn scale_one_is_a_realistic_register() {
    let db = TestDb::new().await;
    let counts = demo::generate(&db.k.store, 1, 7).await.unwrap();
    assert_eq!(
        (counts.associations, counts.foundations, counts.cooperations),
        (140, 40, 60)
    );
    assert!((280..=340).contains(&counts.persons), "{}", counts.persons);
    let scripts = [
        ("arabic", '\u{0600}'..='\u{06FF}'),
        ("cyrillic", '\u{0400}'..='\u{04FF}'),
    ];
    let originals: Vec<String> =
        sqlx::query_scalar("SELECT name_original FROM associations WHERE name_original IS NOT NULL")
            .fetch_all(db.k.store.pool())
            .await
            .unwrap();
    for (script, range) in scripts {
        assert!(
            originals.iter().any(|n| n.chars().any(|c| range.contains(&c))),
            "{script} names"
        );
    }
    assert!(originals.iter().any(|n| n.contains("Việt")), "Vietnamese names");
    let networks: Vec<(String, i64)> =
        sqlx::query_as("SELECT network, COUNT(*) FROM associations GROUP BY network ORDER BY network")
            .fetch_all(db.k.store.pool())
            .await
            .unwrap();
    assert_eq!(networks.len(), 2, "both networks: {networks:?}");
    let board = cooperation::board(&db.k.store, &CooperationQuery::default(), 1)
        .await
        .unwrap();
    assert!(board.iter().all(|c| c.total > 0), "cooperations in every stage");
    let with_print_consent: i64 =
        sqlx::query_scalar("SELECT COUNT(DISTINCT person_id) FROM consents WHERE purpose = 'print'")
            .fetch_one(db.k.store.pool())
            .await
            .unwrap();
    assert!(
        with_print_consent > 0 && with_print_consent < counts.persons as i64,
        "some with, some without"
    );
    let names: std::collections::HashSet<String> = sqlx::query_scalar("SELECT name FROM associations")
        .fetch_all(db.k.store.pool())
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(names.len(), 140, "no two associations share a name");
    assert!(
        !everything(&db.k.store, "kovalenko", 5).await.unwrap().is_empty(),
        "searchable at once"
    );
}

#[tokio::test]
async fn the_same_seed_gives_the_same_data() {
    let (a, b, c) = (TestDb::new().await, TestDb::new().await, TestDb::new().await);
    demo::generate(&a.k.store, 1, 42).await.unwrap();
    demo::generate(&b.k.store, 1, 42).await.unwrap();
    demo::generate(&c.k.store, 1, 43).await.unwrap();
    assert_eq!(content(&a).await, content(&b).await);
    assert_ne!(content(&a).await, content(&c).await);
}

#[tokio::test]
async fn removing_demo_data_leaves_real_records_alone() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let real = association::create(store, &draft("Echter Verein Magdeburg"), LogoChange::Keep)
        .await
        .unwrap();
    person::create(
        store,
        &Parent::Association(real.id.clone()),
        &PersonDraft {
            name: "Echte Person".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    demo::generate(store, 1, 1).await.unwrap();

    // A real cooperation with a demo foundation blocks the removal, and nothing is removed.
    let demo_foundation: String = sqlx::query_scalar("SELECT row_id FROM demo_rows WHERE tbl = 'foundations' LIMIT 1")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let coop = CooperationDraft {
        idea: "Echte Idee".into(),
        association_id: real.id.clone(),
        foundation_id: demo_foundation,
        ..Default::default()
    };
    let c = cooperation::create(store, &coop).await.unwrap();
    let Err(Error::Invalid(errors)) = demo::remove(store).await else {
        panic!("removed under a real record")
    };
    assert_eq!(errors[0].code, "real_records_use_demo");
    assert_eq!(demo::count(store).await.unwrap().associations, 140);

    cooperation::delete(store, &c.id).await.unwrap();
    assert!(
        demo::remove(store).await.is_err(),
        "a deleted real cooperation still points at the demo foundation"
    );
}

#[tokio::test]
async fn remove_takes_every_demo_row_with_its_stamps_and_search_entries() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let real = association::create(store, &draft("Echter Verein Jena"), LogoChange::Keep)
        .await
        .unwrap();
    let stamps_before = db.count("SELECT COUNT(*) FROM stamps").await;
    demo::generate(store, 1, 5).await.unwrap();
    let removed = demo::remove(store).await.unwrap();
    assert_eq!(
        (removed.associations, removed.foundations, removed.cooperations),
        (140, 40, 60)
    );
    for table in [
        "associations",
        "foundations",
        "persons",
        "cooperations",
        "consents",
        "activities",
        "demo_rows",
    ] {
        let expected = if table == "associations" { 1 } else { 0 };
        assert_eq!(
            db.count(&format!("SELECT COUNT(*) FROM {table}")).await,
            expected,
            "{table}"
        );
    }
    assert_eq!(db.count("SELECT COUNT(*) FROM stamps").await, stamps_before);
    assert_eq!(db.count("SELECT COUNT(*) FROM search_index").await, 1);
    let page = association::list(store, &AssociationQuery::default()).await.unwrap();
    assert_eq!(page.items[0].id, real.id);
    assert_eq!(
        demo::remove(store).await.unwrap().associations,
        0,
        "removing twice is harmless"
    );
}

#[tokio::test]
async fn the_overview_shows_what_is_due_deadlines_networks_and_recent_changes() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    kozmos_core::site::set_up(store.pool(), "lamsa", "Amira Haddad")
        .await
        .unwrap();
    demo::generate(store, 1, 3).await.unwrap();
    let o = kozmos_core::overview::overview(store).await.unwrap();
    let today = store.today().to_string();
    assert!(
        !o.overdue.is_empty()
            && o.overdue
                .iter()
                .all(|c| c.next_step_due.as_deref() < Some(today.as_str()))
    );
    assert!(!o.due_this_week.is_empty());
    assert!(o
        .overdue
        .iter()
        .chain(&o.due_this_week)
        .all(|c| !["abgeschlossen", "abgelehnt", "zurueckgezogen"].contains(&c.stage.as_str())));
    assert!(!o.deadlines.is_empty() && o.deadlines.iter().all(|d| d.date >= today));
    assert_eq!(
        o.networks.iter().map(|n| n.network.as_str()).collect::<Vec<_>>(),
        ["lamsa", "migranetz"]
    );
    assert_eq!(o.networks.iter().map(|n| n.associations).sum::<u32>(), 140);
    assert_eq!(o.recent.len(), 12);
    assert!(o.recent.iter().all(|r| r.who == "Amira Haddad"));
    assert_eq!(o.totals[0], 140);
}
