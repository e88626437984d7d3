//! Search by name in any script, city and theme; sorting; paging.

use crate::common;

use common::{association_names, draft, text_query, TestDb};
use kozmos_core::association::{self, AssociationQuery, LogoChange, SortKey};
use kozmos_core::store::Store;

async fn add(store: &Store, name: &str, original: &str, city: &str, themes: &[&str], founded: &str) -> String {
    let mut d = draft(name);
    d.name_original = original.into();
    d.city = city.into();
    d.themes = themes.iter().map(|t| t.to_string()).collect();
    d.founded_year = founded.into();
    association::create(store, &d, LogoChange::Keep).await.unwrap().id
}

async fn seed(db: &TestDb) {
    let s = &db.k.store;
    add(
        s,
        "Syrisch-Deutscher Kulturverein",
        "الجمعية السورية الألمانية للثقافة",
        "Magdeburg",
        &["kultur", "dialog"],
        "2016",
    )
    .await;
    add(
        s,
        "Ukrainische Gemeinde Jena",
        "Українська громада Єни",
        "Jena",
        &["bildung", "sprache"],
        "2022",
    )
    .await;
    add(
        s,
        "Vietnamesischer Verein Erfurt",
        "Hội người Việt tại Erfurt",
        "Erfurt",
        &["kinder_jugend"],
        "1995",
    )
    .await;
    add(
        s,
        "Afghanischer Frauenverein",
        "انجمن زنان افغان",
        "Halle (Saale)",
        &["gleichstellung"],
        "",
    )
    .await;
    add(s, "Bärbel-Müller-Haus", "", "Dessau-Roßlau", &["soziales"], "2001").await;
    add(s, "José-Martí-Zentrum", "", "Weimar", &["kultur"], "2010").await;
    add(s, "Polnischer Klub Łódź", "Klub Polski", "Gera", &[], "1990").await;
}

#[tokio::test]
async fn finds_names_in_every_script_and_spelling() {
    let db = TestDb::new().await;
    seed(&db).await;
    let cases: &[(&str, &str)] = &[
        ("السورية", "Syrisch-Deutscher Kulturverein"),
        ("الالمانيه", "Syrisch-Deutscher Kulturverein"), // without hamza, with heh for teh marbuta
        ("громада", "Ukrainische Gemeinde Jena"),
        ("ЄНИ", "Ukrainische Gemeinde Jena"),
        ("Hội người Việt", "Vietnamesischer Verein Erfurt"),
        ("hoi nguoi viet", "Vietnamesischer Verein Erfurt"),
        ("زنان", "Afghanischer Frauenverein"),
        ("Müller", "Bärbel-Müller-Haus"),
        ("mueller", "Bärbel-Müller-Haus"),
        ("MULLER", "Bärbel-Müller-Haus"),
        ("baerbel", "Bärbel-Müller-Haus"),
        ("Jose Marti", "José-Martí-Zentrum"),
        ("lodz", "Polnischer Klub Łódź"),
        ("rosslau", "Bärbel-Müller-Haus"),
        ("ERFURT", "Vietnamesischer Verein Erfurt"),
        ("halle", "Afghanischer Frauenverein"),
    ];
    for (query, expected) in cases {
        assert_eq!(
            association_names(&db.k.store, text_query(query)).await,
            [*expected],
            "query {query:?}"
        );
    }
}

#[tokio::test]
async fn finds_by_theme_label_and_by_theme_filter() {
    let db = TestDb::new().await;
    seed(&db).await;
    let mut kultur = association_names(&db.k.store, text_query("kultur")).await; // theme label "Kunst & Kultur" and names
    kultur.sort();
    assert_eq!(kultur, ["José-Martí-Zentrum", "Syrisch-Deutscher Kulturverein"]);
    assert_eq!(
        association_names(&db.k.store, text_query("Language learning")).await,
        ["Ukrainische Gemeinde Jena"]
    );
    let q = AssociationQuery {
        theme: Some("kultur".into()),
        ..Default::default()
    };
    assert_eq!(
        association_names(&db.k.store, q).await,
        ["José-Martí-Zentrum", "Syrisch-Deutscher Kulturverein"]
    );
    let q = AssociationQuery {
        city: Some("jena".into()),
        ..Default::default()
    };
    assert_eq!(association_names(&db.k.store, q).await, ["Ukrainische Gemeinde Jena"]);
}

#[tokio::test]
async fn wildcards_in_the_query_are_plain_characters() {
    let db = TestDb::new().await;
    seed(&db).await;
    for q in ["%", "_", "\\", "%%%", "'", "\"", "' OR 1=1 --"] {
        assert!(
            association_names(&db.k.store, text_query(q)).await.is_empty(),
            "query {q:?}"
        );
    }
    assert_eq!(association_names(&db.k.store, text_query("")).await.len(), 7);
    assert_eq!(association_names(&db.k.store, text_query("   ")).await.len(), 7);
}

#[tokio::test]
async fn sorts_by_folded_name_city_and_year() {
    let db = TestDb::new().await;
    seed(&db).await;
    let by = |sort, descending| AssociationQuery {
        sort,
        descending,
        ..Default::default()
    };
    let by_name = association_names(&db.k.store, by(SortKey::Name, false)).await;
    assert_eq!(by_name.first().map(String::as_str), Some("Afghanischer Frauenverein"));
    assert_eq!(by_name[1], "Bärbel-Müller-Haus", "umlauts sort with their base letter");
    let by_year = association_names(&db.k.store, by(SortKey::Founded, true)).await;
    assert_eq!(by_year[0], "Ukrainische Gemeinde Jena");
    assert_eq!(
        by_year.last().map(String::as_str),
        Some("Afghanischer Frauenverein"),
        "unknown year last"
    );
    let by_city = association_names(&db.k.store, by(SortKey::City, false)).await;
    assert_eq!(by_city[0], "Bärbel-Müller-Haus"); // Dessau-Roßlau
}

#[tokio::test]
async fn pages_through_the_list_without_gaps_or_repeats() {
    let db = TestDb::new().await;
    for i in 0..23 {
        association::create(&db.k.store, &draft(&format!("Verein {i:02}")), LogoChange::Keep)
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    for offset in (0..23).step_by(10) {
        let page = association::list(
            &db.k.store,
            &AssociationQuery {
                offset,
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(page.total, 23);
        seen.extend(page.items.into_iter().map(|a| a.name));
    }
    let expected: Vec<String> = (0..23).map(|i| format!("Verein {i:02}")).collect();
    assert_eq!(seen, expected);
    let huge = association::list(
        &db.k.store,
        &AssociationQuery {
            limit: u32::MAX,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(huge.limit, association::PAGE_LIMIT_MAX);
}

#[tokio::test]
async fn facets_narrow_the_list() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    for (name, district, status, groups) in [
        ("Verein A", "15003", "active", vec!["youth"]),
        ("Verein B", "15003", "dormant", vec!["women"]),
        ("Verein C", "16053", "active", vec!["youth", "women"]),
    ] {
        let mut d = draft(name);
        d.district = district.into();
        d.status = status.into();
        d.target_groups = groups.into_iter().map(String::from).collect();
        association::create(store, &d, LogoChange::Keep).await.unwrap();
    }
    let names = |q: AssociationQuery| async move {
        association::list(store, &q)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|a| a.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(AssociationQuery {
            state: Some("ST".into()),
            ..Default::default()
        })
        .await,
        ["Verein A", "Verein B"]
    );
    assert_eq!(
        names(AssociationQuery {
            district: Some("16053".into()),
            ..Default::default()
        })
        .await,
        ["Verein C"]
    );
    assert_eq!(
        names(AssociationQuery {
            status: Some("dormant".into()),
            ..Default::default()
        })
        .await,
        ["Verein B"]
    );
    assert_eq!(
        names(AssociationQuery {
            target_group: Some("women".into()),
            state: Some("TH".into()),
            ..Default::default()
        })
        .await,
        ["Verein C"]
    );
}

/// The full-text index's segments: FTS5 keeps each in pages whose rowids carry the segment's number
/// above bit 37 (numbers 1 to 65535; tombstone pages of deleted entries come above those).
const SEARCH_SEGMENTS: &str =
    "SELECT count(DISTINCT id >> 37) FROM search_index_data WHERE id >> 37 BETWEEN 1 AND 65535";

/// Every edit that renews a search entry adds a segment to the full-text index, which no commit
/// merges any more; the store's task merges them after the commits (`upkeep::SearchMerges`), so
/// the index does not grow into dozens of segments that every search would look through. Search
/// finds the current names throughout.
#[tokio::test]
async fn the_search_index_is_merged_beside_the_edits() {
    let db = TestDb::new().await;
    let s = &db.k.store;
    seed(&db).await;
    let id = add(s, "Sprachcafé Nummer 0", "", "Halle (Saale)", &[], "").await;
    for i in 1..=60 {
        let fields = [(
            "name",
            kozmos_core::store::Value::Text(format!("Sprachcafé Nummer {i}")),
        )];
        s.update(&association::TABLE, &id, fields.into_iter().collect())
            .await
            .unwrap();
    }
    let waited = std::time::Instant::now();
    loop {
        let segments = db.count(SEARCH_SEGMENTS).await;
        if segments <= 4 {
            break;
        }
        assert!(
            waited.elapsed().as_secs() < 60,
            "the index still has {segments} segments"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        association_names(s, text_query("nummer 60")).await,
        vec!["Sprachcafé Nummer 60"]
    );
    assert!(association_names(s, text_query("nummer 59")).await.is_empty());
    assert_eq!(association_names(s, text_query("magdeburg")).await.len(), 1);
    common::assert_search_index_in_step(s).await;
}
