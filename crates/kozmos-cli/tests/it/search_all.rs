//! One search box over every kind of record, through the full-text index.

use crate::common;

use common::{association_names, draft, text_query, TestDb};
use kozmos_core::association::{self, LogoChange};
use kozmos_core::cooperation::{self, CooperationDraft};
use kozmos_core::foundation::{self, FoundationDraft};
use kozmos_core::person::{self, Parent, PersonDraft};
use kozmos_core::search::{everything, HitKind};

#[tokio::test]
async fn finds_every_kind_in_every_script_and_spelling() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let mut d = draft("Bärbel-Müller-Haus");
    d.city = "Dessau-Roßlau".into();
    let haus = association::create(store, &d, LogoChange::Keep).await.unwrap();
    let mut d = draft("Syrisch-Deutscher Kulturverein");
    d.name_original = "الجمعية السورية الألمانية".into();
    association::create(store, &d, LogoChange::Keep).await.unwrap();
    let stiftung = foundation::create(
        store,
        &FoundationDraft {
            name: "José-Martí-Stiftung".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let parent = Parent::Association(haus.id.clone());
    let olena = PersonDraft {
        name: "Олена Коваленко".into(),
        name_latin: "Olena Kovalenko".into(),
        ..Default::default()
    };
    let olena = person::create(store, &parent, &olena).await.unwrap();
    person::create(
        store,
        &parent,
        &PersonDraft {
            name: "Nguyễn Thị Hương".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let coop = CooperationDraft {
        idea: "Sprachcafé für Eltern".into(),
        association_id: haus.id.clone(),
        foundation_id: stiftung.id.clone(),
        ..Default::default()
    };
    cooperation::create(store, &coop).await.unwrap();

    let cases: &[(&str, HitKind, &str)] = &[
        ("muller", HitKind::Association, "Bärbel-Müller-Haus"),
        ("Müller", HitKind::Association, "Bärbel-Müller-Haus"),
        ("MUELLER", HitKind::Association, "Bärbel-Müller-Haus"),
        ("Mueller", HitKind::Association, "Bärbel-Müller-Haus"),
        ("Jose", HitKind::Foundation, "José-Martí-Stiftung"),
        ("marti stiftung", HitKind::Foundation, "José-Martí-Stiftung"),
        ("Коваленко", HitKind::Person, "Олена Коваленко"),
        ("kovalenko", HitKind::Person, "Олена Коваленко"),
        ("Hương", HitKind::Person, "Nguyễn Thị Hương"),
        ("huong", HitKind::Person, "Nguyễn Thị Hương"),
        ("السورية", HitKind::Association, "Syrisch-Deutscher Kulturverein"),
        ("sprachcafe", HitKind::Cooperation, "Sprachcafé für Eltern"),
    ];
    for (query, kind, name) in cases {
        let hits = everything(store, query, 20).await.unwrap();
        assert_eq!(hits.len(), 1, "{query}: {hits:?}");
        assert_eq!((hits[0].kind, hits[0].name.as_str()), (*kind, *name), "{query}");
    }
    let person_hit = &everything(store, "kovalenko", 5).await.unwrap()[0];
    assert!(
        person_hit.detail.contains("Bärbel-Müller-Haus"),
        "a person is shown with the organisation"
    );

    // Two words narrow down; short words still count; nothing for gibberish or one letter.
    assert_eq!(everything(store, "haus dessau", 10).await.unwrap().len(), 1);
    assert!(everything(store, "haus xy", 10).await.unwrap().is_empty());
    assert!(everything(store, "m", 10).await.unwrap().is_empty());
    assert!(everything(store, "\" OR 1=1 --", 10).await.unwrap().is_empty());

    // The index follows edits, deletions and erasure.
    let mut edit = PersonDraft::try_from(&olena.fields).unwrap();
    edit.name_latin = "Olena Kowalenko".into();
    person::update(store, &olena.id, &edit).await.unwrap();
    assert_eq!(everything(store, "kowalenko", 5).await.unwrap().len(), 1);
    assert!(everything(store, "olena kovalenko", 5).await.unwrap().is_empty());
    kozmos_core::privacy::erase::erase_one(store, &olena.id).await.unwrap();
    assert!(everything(store, "Коваленко", 5).await.unwrap().is_empty());
    foundation::delete_with(store, &stiftung.id, true).await.unwrap();
    assert!(everything(store, "jose", 5).await.unwrap().is_empty());
    assert!(
        everything(store, "sprachcafe", 5).await.unwrap().is_empty(),
        "deleted with its foundation"
    );
    foundation::restore(store, &stiftung.id).await.unwrap();
    assert_eq!(everything(store, "jose", 5).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_index_survives_vacuum_after_a_rebuild() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    for name in ["Erster Verein", "Zweiter Verein", "Dritter Verein"] {
        association::create(store, &draft(name), LogoChange::Keep)
            .await
            .unwrap();
    }
    let first: String = sqlx::query_scalar("SELECT id FROM associations WHERE name = 'Erster Verein'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    association::delete(store, &first).await.unwrap();
    sqlx::query("VACUUM").execute(store.pool()).await.unwrap();
    kozmos_core::search::rebuild_index(store).await.unwrap();
    let hits = everything(store, "verein", 10).await.unwrap();
    let mut names: Vec<_> = hits.iter().map(|h| h.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["Dritter Verein", "Zweiter Verein"]);
}

/// Names of two letters are found by the words they start, in the global search and in lists;
/// `%`, `_` and NUL are plain characters that match only themselves.
#[tokio::test]
async fn short_names_and_wildcard_characters_are_literal() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let club = association::create(store, &draft("Familienclub 100% Erfurt"), LogoChange::Keep)
        .await
        .unwrap();
    association::create(store, &draft("Verein a_b Halle"), LogoChange::Keep)
        .await
        .unwrap();
    association::create(store, &draft("Verein axb Jena"), LogoChange::Keep)
        .await
        .unwrap();
    let parent = Parent::Association(club.id.clone());
    for name in ["Li Wei", "Wu Fang", "Vũ Thị Lan", "Olga Lindner"] {
        let person = PersonDraft {
            name: name.into(),
            ..Default::default()
        };
        person::create(store, &parent, &person).await.unwrap();
    }
    let names = |hits: Vec<kozmos_core::search::SearchHit>| hits.into_iter().map(|h| h.name).collect::<Vec<_>>();
    assert_eq!(
        names(everything(store, "Li", 50).await.unwrap()),
        ["Li Wei", "Olga Lindner"]
    );
    assert_eq!(names(everything(store, "wu", 50).await.unwrap()), ["Wu Fang"]);
    assert_eq!(names(everything(store, "Vu", 50).await.unwrap()), ["Vũ Thị Lan"]);
    assert_eq!(
        names(everything(store, "100%", 50).await.unwrap()),
        ["Familienclub 100% Erfurt"]
    );
    // A wildcard would match every record; as a character it starts no word here.
    assert!(everything(store, "%", 50).await.unwrap().is_empty());
    assert_eq!(names(everything(store, "a_b", 50).await.unwrap()), ["Verein a_b Halle"]);
    assert!(everything(store, "_", 50).await.unwrap().is_empty());
    assert!(everything(store, "\0", 50).await.unwrap().is_empty());
    assert_eq!(names(everything(store, "Li\0Wei", 50).await.unwrap()), ["Li Wei"]);

    assert_eq!(association_names(store, text_query("a_b")).await, ["Verein a_b Halle"]);
    assert!(association_names(store, text_query("%")).await.is_empty());
    assert_eq!(
        association_names(store, text_query("100%")).await,
        ["Familienclub 100% Erfurt"]
    );
    assert_eq!(
        association_names(store, text_query("Ve")).await,
        ["Verein a_b Halle", "Verein axb Jena"]
    );
}

/// The index keeps no copy of the keys it indexes and no positions; words are checked on the
/// records themselves, so a deleted record is not found by a short word, a record holding only the
/// trigrams of a word is not found by it, and the limit counts only what is shown.
#[tokio::test]
async fn the_index_holds_no_names_and_short_words_skip_deleted_records() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let club = association::create(store, &draft("Verein Li Halle"), LogoChange::Keep)
        .await
        .unwrap();
    let gone = association::create(store, &draft("Verein Li Gera"), LogoChange::Keep)
        .await
        .unwrap();
    for n in 0..5 {
        association::create(store, &draft(&format!("Verein Nummer {n}")), LogoChange::Keep)
            .await
            .unwrap();
    }
    association::delete(store, &gone.id).await.unwrap();

    let copies: i64 = sqlx::query_scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'search_index_content'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(copies, 0, "no content table beside the index");
    let keys: i64 = sqlx::query_scalar("SELECT count(key) FROM search_index")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(keys, 0, "the index gives back no keys");

    let names = |hits: Vec<kozmos_core::search::SearchHit>| hits.into_iter().map(|h| h.name).collect::<Vec<_>>();
    assert_eq!(names(everything(store, "li", 50).await.unwrap()), ["Verein Li Halle"]);
    assert_eq!(
        names(everything(store, "verein li", 1).await.unwrap()),
        ["Verein Li Halle"]
    );
    assert_eq!(everything(store, "verein", 3).await.unwrap().len(), 3);
    association::delete(store, &club.id).await.unwrap();
    assert!(everything(store, "li", 50).await.unwrap().is_empty());

    // The index knows which records hold a trigram, not where: "Otto Tosun" holds every trigram
    // of "ottos" (ott, tto, tos) but not the word.
    for name in ["Otto Tosun Verein", "Ottos Laden e.V."] {
        association::create(store, &draft(name), LogoChange::Keep)
            .await
            .unwrap();
    }
    assert_eq!(
        names(everything(store, "ottos", 50).await.unwrap()),
        ["Ottos Laden e.V."]
    );
    assert_eq!(
        association_names(store, text_query("ottos")).await,
        ["Ottos Laden e.V."]
    );
    assert_eq!(
        association_names(store, text_query("tosun otto")).await,
        ["Otto Tosun Verein"]
    );
}
