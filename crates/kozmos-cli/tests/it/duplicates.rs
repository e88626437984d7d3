//! Duplicates: the scan on demo data with planted duplicates and look-alikes (recall and
//! precision), "not a duplicate", merging field by field without losing a related record, bad
//! input, and a merge travelling through sync while the other side adds to the merged record.

use crate::common;

use std::collections::HashSet;

use common::{draft, with_field, TestDb, NOON};
use kozmos_core::association::{self, AssociationDraft, LogoChange};
use kozmos_core::cooperation::{self, ActivityDraft, CooperationDraft};
use kozmos_core::duplicates::{self, DuplicateQuery, Kind, MergeRequest};
use kozmos_core::foundation::{self, FoundationDraft};
use kozmos_core::person::{self, ConsentDraft, Parent, PersonDraft};
use kozmos_core::project::{self, IdeaDraft, ProjectDraft};
use kozmos_core::store::Store;
use kozmos_core::sync::export::{self, ExportOptions};
use kozmos_core::sync::import::{self, ImportOptions};
use kozmos_core::sync::profile::Profile;
use kozmos_core::sync::{conflicts, dump, file};

fn org(name: &str, city: &str, postcode: &str, email: &str) -> AssociationDraft {
    let mut d = with_field(&draft(name), "city", city);
    d = with_field(&d, "postcode", postcode);
    with_field(&d, "email", email)
}

async fn add(store: &Store, d: &AssociationDraft) -> String {
    association::create(store, d, LogoChange::Keep).await.unwrap().id
}

async fn add_person(store: &Store, parent: Parent, name: &str, email: &str) -> String {
    let d = PersonDraft {
        name: name.into(),
        email: email.into(),
        ..Default::default()
    };
    person::create(store, &parent, &d).await.unwrap().id
}

fn pair(a: &str, b: &str) -> (String, String) {
    if a < b {
        (a.into(), b.into())
    } else {
        (b.into(), a.into())
    }
}

/// Plants duplicates (returned) and look-alikes that are different records (found = wrong).
async fn plant(store: &Store) -> HashSet<(String, String)> {
    let mut dups = HashSet::new();
    let mut twice = |a: String, b: String| dups.insert(pair(&a, &b));
    // Müller/Mueller, upper case, "e.V.": same folded name and postcode.
    twice(
        add(
            store,
            &org("Deutsch-Syrischer Verein Müller e.V.", "Halle (Saale)", "06108", ""),
        )
        .await,
        add(
            store,
            &org("DEUTSCH-SYRISCHER VEREIN MUELLER", "Halle (Saale)", "06108", ""),
        )
        .await,
    );
    // Case and legal form, no postcode: the same name in the same town.
    twice(
        add(store, &org("Afrikanischer Kulturverein Ostwind", "Magdeburg", "", "")).await,
        add(
            store,
            &org("afrikanischer kulturverein ostwind e.V.", "Magdeburg", "39104", ""),
        )
        .await,
    );
    // A typo.
    twice(
        add(store, &org("Vietnamesischer Frauenverein Sen Vang", "Erfurt", "", "")).await,
        add(
            store,
            &org("Vietnamesicher Frauenverein Sen Vang", "Erfurt", "99084", ""),
        )
        .await,
    );
    // Transliteration of a Russian name.
    twice(
        add(
            store,
            &org("Russischsprachige Gemeinde Nowoje Pokolenie", "Jena", "", ""),
        )
        .await,
        add(
            store,
            &org("Russischsprachige Gemeinde Novoe Pokolenie", "Jena", "", ""),
        )
        .await,
    );
    // Arabic: the Latin names differ, the names in Arabic script agree.
    let arabic = with_field(
        &org("Bait al-Arab Dessau", "Dessau-Roßlau", "", ""),
        "name_original",
        "بيت العرب",
    );
    let arabic2 = with_field(
        &org("Haus der Araber e.V.", "Dessau-Roßlau", "", ""),
        "name_original",
        "بيت العرب",
    );
    twice(add(store, &arabic).await, add(store, &arabic2).await);
    // Cyrillic, with and without the Ukrainian form of a letter.
    let cyr = with_field(
        &org("Ukrainischer Verein Mrija", "Gera", "", ""),
        "name_original",
        "Мрія Гера",
    );
    let cyr2 = with_field(&org("Verein Mriya", "Gera", "", ""), "name_original", "Мрія Гера");
    twice(add(store, &cyr).await, add(store, &cyr2).await);
    // The same organisation entered as association and as foundation (same e-mail).
    let bridge = add(
        store,
        &org("Brückenbauer Halle", "Halle (Saale)", "", "info@brueckenbauer.example"),
    )
    .await;
    let bridge_foundation = foundation::create(
        store,
        &FoundationDraft {
            name: "Brückenbauer Halle".into(),
            city: "Halle (Saale)".into(),
            email: "Info@Brueckenbauer.example".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id;
    twice(bridge.clone(), bridge_foundation);
    // One person under two organisations (same name folded, same e-mail), one entered twice.
    let other = add(store, &org("Elternnetzwerk Weimar", "Weimar", "", "")).await;
    twice(
        add_person(
            store,
            Parent::Association(bridge.clone()),
            "Nguyễn Văn An",
            "an@example.org",
        )
        .await,
        add_person(
            store,
            Parent::Association(other.clone()),
            "Nguyen Van An",
            "AN@example.org",
        )
        .await,
    );
    twice(
        add_person(store, Parent::Association(other.clone()), "Olena Kovalenko", "").await,
        add_person(
            store,
            Parent::Association(other.clone()),
            "Olena Kowalenko",
            "olena@example.org",
        )
        .await,
    );

    // Look-alikes that are different: same name in another town, similar names of different
    // associations in one town, numbered groups (also with one name in their own script), two
    // people of one name with own e-mails.
    add(store, &org("Internationaler Frauentreff", "Halle (Saale)", "", "")).await;
    add(store, &org("Internationaler Frauentreff", "Erfurt", "", "")).await;
    add(store, &org("Kurdischer Frauenverein Jena", "Jena", "", "")).await;
    add(store, &org("Kurdischer Elternverein Jena", "Jena", "", "")).await;
    add(store, &org("Deutsch-Irakischer Verein Müller", "Halle (Saale)", "", "")).await;
    add(store, &org("Sportgruppe Salam 2", "Magdeburg", "", "")).await;
    add(store, &org("Sportgruppe Salam 3", "Magdeburg", "", "")).await;
    // Numbered groups of one community share the name in their own script, but not the number.
    for n in [4, 5] {
        let d = org(&format!("Syrischer Kulturverein Halle {n}"), "Halle (Saale)", "", "");
        add(store, &with_field(&d, "name_original", "النادي الثقافي السوري")).await;
    }
    add(store, &org("Arab e.V.", "Gera", "", "")).await;
    add(store, &org("Afro e.V.", "Gera", "", "")).await;
    add_person(
        store,
        Parent::Association(other.clone()),
        "Ahmad Ali",
        "ahmad.ali@example.org",
    )
    .await;
    add_person(store, Parent::Association(other), "Ahmad Ali", "a.ali@example.org").await;
    dups
}

#[tokio::test]
async fn planted_duplicates_are_found_and_look_alikes_are_not() {
    let db = TestDb::new().await;
    kozmos_core::demo::generate(&db.k.store, 1, 2026).await.unwrap();
    let planted = plant(&db.k.store).await;
    let list = duplicates::scan(&db.k.store, &DuplicateQuery::default()).await.unwrap();
    let found: HashSet<(String, String)> = list.pairs.iter().map(|p| pair(&p.a.id, &p.b.id)).collect();
    let hits = planted.intersection(&found).count();
    let recall = hits as f64 / planted.len() as f64;
    let precision = hits as f64 / found.len().max(1) as f64;
    println!(
        "duplicates: {} planted, {} found, {hits} right: recall {:.0} %, precision {:.0} %",
        planted.len(),
        found.len(),
        recall * 100.0,
        precision * 100.0
    );
    let wrong: Vec<String> = list
        .pairs
        .iter()
        .filter(|p| !planted.contains(&pair(&p.a.id, &p.b.id)))
        .map(|p| format!("{} / {} ({})", p.a.name, p.b.name, p.reasons[0].en))
        .collect();
    assert_eq!(recall, 1.0, "every planted duplicate is found");
    assert!(wrong.is_empty(), "look-alikes paired: {wrong:#?}");
    assert_eq!(precision, 1.0);
    assert_eq!(list.total as usize, list.pairs.len());

    // Ranked: scores never rise down the list; every pair says why, in both languages.
    assert!(list.pairs.windows(2).all(|w| w[0].score >= w[1].score));
    for p in &list.pairs {
        assert!(!p.reasons.is_empty() && p.reasons.iter().all(|r| !r.de.is_empty() && !r.en.is_empty()));
    }
    let cross = list
        .pairs
        .iter()
        .find(|p| p.a.kind != p.b.kind)
        .expect("a cross-kind pair");
    assert!(cross.reasons.iter().any(|r| r.code == "same_name_email"));
    assert!(cross.reasons.iter().any(|r| r.code == "different_kinds"));

    // One kind only; a limit.
    let persons = duplicates::scan(
        &db.k.store,
        &DuplicateQuery {
            kind: Some(Kind::Person),
            limit: 0,
        },
    )
    .await
    .unwrap();
    assert_eq!(persons.pairs.len(), 2);
    assert!(persons
        .pairs
        .iter()
        .all(|p| p.a.kind == Kind::Person && p.a.organisation.is_some()));
    let one = duplicates::scan(&db.k.store, &DuplicateQuery { kind: None, limit: 1 })
        .await
        .unwrap();
    assert_eq!((one.pairs.len(), one.total as usize), (1, list.pairs.len()));
}

#[tokio::test]
async fn a_pair_marked_not_a_duplicate_stays_hidden() {
    let db = TestDb::new().await;
    let s = &db.k.store;
    let a = add(s, &org("Kulturbrücke Nordhausen", "Nordhausen", "", "")).await;
    let b = add(s, &org("Kulturbrücke Nordhausen e.V.", "Nordhausen", "", "")).await;
    let count = || async {
        duplicates::scan(s, &DuplicateQuery::default())
            .await
            .unwrap()
            .pairs
            .len()
    };
    assert_eq!(count().await, 1);
    duplicates::dismiss(s, Kind::Association, &b, Kind::Association, &a)
        .await
        .unwrap();
    duplicates::dismiss(s, Kind::Association, &a, Kind::Association, &b)
        .await
        .unwrap();
    assert_eq!(count().await, 0);
    duplicates::undismiss(s, Kind::Association, &a, Kind::Association, &b)
        .await
        .unwrap();
    assert_eq!(count().await, 1);

    let err = duplicates::dismiss(s, Kind::Association, &a, Kind::Association, &a)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "duplicate_same_record");
    let err = duplicates::dismiss(s, Kind::Association, &a, Kind::Foundation, "nope")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}

struct Family {
    keep: String,
    other: String,
    persons: Vec<String>,
    cooperations: Vec<String>,
    projects: Vec<String>,
    ideas: Vec<String>,
}

/// Two records of one association, each with persons (one deleted), consents, cooperations
/// with log entries, projects and ideas.
async fn family(store: &Store) -> Family {
    let keep_draft = with_field(
        &org("Haus der Kulturen Weimar", "Weimar", "99423", ""),
        "notes",
        "Treffen dienstags",
    );
    let keep = add(store, &keep_draft).await;
    let other_draft = with_field(
        &org(
            "Haus der Kulturen Weimar e.V.",
            "Weimar",
            "99423",
            "post@hdk-weimar.example",
        ),
        "phone",
        "03643 123456",
    );
    let other = add(store, &with_field(&other_draft, "notes", "<script>alert(1)</script>")).await;
    let fund = foundation::create(
        store,
        &FoundationDraft {
            name: "Bürgerstiftung Weimar".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id;
    let mut f = Family {
        keep: keep.clone(),
        other: other.clone(),
        persons: vec![],
        cooperations: vec![],
        projects: vec![],
        ideas: vec![],
    };
    for (parent, name) in [
        (&keep, "Mariam Haddad"),
        (&other, "Leyla Demir"),
        (&other, "Tran Thi Mai"),
    ] {
        let id = add_person(store, Parent::Association(parent.clone()), name, "").await;
        person::record_consent(
            store,
            &id,
            &ConsentDraft {
                purpose: "store".into(),
                status: "given".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        f.persons.push(id);
    }
    person::delete(store, &f.persons[2]).await.unwrap();
    for parent in [&keep, &other] {
        let c = cooperation::create(
            store,
            &CooperationDraft {
                idea: format!("Sprachcafé {parent}"),
                association_id: parent.clone(),
                foundation_id: fund.clone(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        cooperation::add_activity(
            store,
            &c.id,
            &ActivityDraft {
                date: "".into(),
                kind: "call".into(),
                text: "Rückruf".into(),
            },
        )
        .await
        .unwrap();
        f.cooperations.push(c.id);
        let p = ProjectDraft {
            title: "Sommerfest".into(),
            ..Default::default()
        };
        f.projects
            .push(project::add_project(store, parent, &p).await.unwrap().id);
        let i = IdeaDraft {
            title: "Elterncafé".into(),
            ..Default::default()
        };
        f.ideas.push(project::add_idea(store, parent, &i).await.unwrap().id);
    }
    f
}

async fn parent_of(db: &TestDb, table: &str, column: &str, id: &str) -> String {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {column} FROM {table} WHERE id = ?"
    )))
    .bind(id)
    .fetch_one(db.k.store.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn a_merge_keeps_every_related_record_under_the_survivor() {
    let db = TestDb::new().await;
    let s = &db.k.store;
    let f = family(s).await;
    let rows_before = db.count("SELECT (SELECT COUNT(*) FROM persons) + (SELECT COUNT(*) FROM consents) + (SELECT COUNT(*) FROM cooperations) + (SELECT COUNT(*) FROM activities) + (SELECT COUNT(*) FROM projects) + (SELECT COUNT(*) FROM ideas)").await;

    let plan = duplicates::merge_preview(s, &f.keep, &f.other).await.unwrap();
    let field = |name: &str| plan.fields.iter().find(|x| x.field == name).unwrap();
    // Both values visible; the other's taken by default only where the survivor has none.
    assert_eq!(field("name").keep, "Haus der Kulturen Weimar");
    assert_eq!(field("name").other, "Haus der Kulturen Weimar e.V.");
    assert!(!field("name").take_other);
    assert!(field("email").take_other && field("phone").take_other);
    assert!(field("postcode").same && !field("postcode").take_other);
    assert_eq!(field("notes").other, "<script>alert(1)</script>");
    assert!(!field("notes").take_other);
    assert!(plan.fields.iter().any(|x| x.field == "logo") && plan.fields.iter().all(|x| x.field != "merged_into"));
    assert_eq!(
        (
            plan.moved.persons,
            plan.moved.cooperations,
            plan.moved.activities,
            plan.moved.projects,
            plan.moved.ideas
        ),
        (2, 1, 2, 1, 1)
    );
    // The preview wrote nothing.
    assert_eq!(
        db.count("SELECT COUNT(*) FROM associations WHERE life = 'alive'").await,
        2
    );

    let mut take: Vec<String> = plan
        .fields
        .iter()
        .filter(|x| x.take_other)
        .map(|x| x.field.clone())
        .collect();
    take.push("name".into());
    let result = duplicates::merge(
        s,
        &MergeRequest {
            keep: f.keep.clone(),
            other: f.other.clone(),
            take,
        },
    )
    .await
    .unwrap();
    assert_eq!(result.survivor, f.keep);
    assert_eq!(result.moved, plan.moved);

    let kept = association::get(s, &f.keep).await.unwrap();
    assert_eq!(kept.fields.name, "Haus der Kulturen Weimar e.V.");
    assert_eq!(kept.fields.email.as_deref(), Some("post@hdk-weimar.example"));
    assert_eq!(kept.fields.phone.as_deref(), Some("03643 123456"));
    assert_eq!(kept.fields.notes.as_deref(), Some("Treffen dienstags"));
    let gone = association::get(s, &f.other).await.unwrap();
    assert_eq!(gone.life, kozmos_core::store::Life::Deleted);
    assert_eq!(parent_of(&db, "associations", "merged_into", &f.other).await, f.keep);

    // Nothing lost: every related record still there, all under the survivor (the deleted
    // person too); the log entries still hang on their cooperations.
    let rows_after = db.count("SELECT (SELECT COUNT(*) FROM persons) + (SELECT COUNT(*) FROM consents) + (SELECT COUNT(*) FROM cooperations) + (SELECT COUNT(*) FROM activities) + (SELECT COUNT(*) FROM projects) + (SELECT COUNT(*) FROM ideas)").await;
    assert_eq!(rows_before, rows_after);
    for id in &f.persons {
        assert_eq!(parent_of(&db, "persons", "association_id", id).await, f.keep);
    }
    for id in &f.cooperations {
        assert_eq!(parent_of(&db, "cooperations", "association_id", id).await, f.keep);
    }
    for id in &f.projects {
        assert_eq!(parent_of(&db, "projects", "association_id", id).await, f.keep);
    }
    for id in &f.ideas {
        assert_eq!(parent_of(&db, "ideas", "association_id", id).await, f.keep);
    }
    assert_eq!(db.count("SELECT COUNT(*) FROM activities").await, 4);
    assert_eq!(
        person::persons_of(s, &Parent::Association(f.keep.clone()))
            .await
            .unwrap()
            .len(),
        2
    );

    // An old link leads to the survivor; the merged record is out of search and scan.
    assert_eq!(
        duplicates::resolve(s, Kind::Association, &f.other).await.unwrap(),
        f.keep
    );
    assert_eq!(
        duplicates::resolve(s, Kind::Association, &f.keep).await.unwrap(),
        f.keep
    );
    assert_eq!(
        duplicates::resolve(s, Kind::Association, "unknown").await.unwrap(),
        "unknown"
    );
    let found = kozmos_core::search::everything(s, "Kulturen Weimar", 10).await.unwrap();
    assert_eq!(serde_json::to_string(&found).unwrap().matches(&f.other).count(), 0);
    assert!(duplicates::scan(s, &DuplicateQuery::default())
        .await
        .unwrap()
        .pairs
        .is_empty());
}

#[tokio::test]
async fn persons_merge_with_their_consents() {
    let db = TestDb::new().await;
    let s = &db.k.store;
    let home = add(s, &org("Verein Brücke", "Halle (Saale)", "", "")).await;
    let a = add_person(s, Parent::Association(home.clone()), "Olena Kovalenko", "").await;
    let b = add_person(
        s,
        Parent::Association(home.clone()),
        "Olena Kowalenko",
        "olena@example.org",
    )
    .await;
    for (id, status) in [(&a, "given"), (&b, "withdrawn")] {
        let d = ConsentDraft {
            purpose: "print".into(),
            status: status.into(),
            ..Default::default()
        };
        person::record_consent(s, id, &d).await.unwrap();
    }
    let plan = duplicates::merge_preview(s, &a, &b).await.unwrap();
    assert_eq!(plan.kind, Kind::Person);
    assert_eq!(plan.moved.consents, 1);
    assert!(plan.fields.iter().any(|f| f.field == "organisation" && f.same));
    duplicates::merge(
        s,
        &MergeRequest {
            keep: a.clone(),
            other: b.clone(),
            take: vec!["email".into()],
        },
    )
    .await
    .unwrap();
    let kept = person::get(s, &a).await.unwrap();
    assert_eq!(kept.fields.email.as_deref(), Some("olena@example.org"));
    assert_eq!(
        db.count(&format!("SELECT COUNT(*) FROM consents WHERE person_id = '{a}'"))
            .await,
        2
    );
    assert_eq!(
        db.count(&format!("SELECT COUNT(*) FROM consents WHERE person_id = '{b}'"))
            .await,
        0
    );
}

#[tokio::test]
async fn bad_merges_are_refused_and_change_nothing() {
    let db = TestDb::new().await;
    let s = &db.k.store;
    let a = add(s, &org("Verein Eins", "Halle (Saale)", "", "")).await;
    let b = add(s, &org("Verein Zwei", "Halle (Saale)", "", "")).await;
    let deleted = add(s, &org("Verein Drei", "Halle (Saale)", "", "")).await;
    association::delete(s, &deleted).await.unwrap();
    let fund = foundation::create(
        s,
        &FoundationDraft {
            name: "Stiftung Eins".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id;
    let person_a = add_person(s, Parent::Association(a.clone()), "Mira", "").await;
    let person_f = add_person(s, Parent::Foundation(fund.clone()), "Mira", "").await;
    let stamps_before = dump::hash(s).await.unwrap();
    let req = |keep: &str, other: &str, take: &[&str]| MergeRequest {
        keep: keep.into(),
        other: other.into(),
        take: take.iter().map(|t| t.to_string()).collect(),
    };
    let long = "x".repeat(100_000);
    for (request, code) in [
        (req(&a, &a, &[]), "duplicate_same_record"),
        (req(&a, &fund, &[]), "merge_different_kinds"),
        (req(&a, &deleted, &[]), "merge_not_alive"),
        (req(&deleted, &a, &[]), "merge_not_alive"),
        (req(&a, "00000000-0000-7000-8000-000000000000", &[]), "not_found"),
        (req("", &a, &[]), "not_found"),
        (req(&long, &a, &[]), "not_found"),
        (req(&a, &b, &["merged_into"]), "merge_unknown_field"),
        (req(&a, &b, &["<b>name</b>"]), "merge_unknown_field"),
        (req(&a, &b, &["association_id"]), "merge_unknown_field"),
        (req(&person_a, &person_f, &["organisation"]), "merge_organisation_kind"),
    ] {
        let err = duplicates::merge(s, &request).await.unwrap_err();
        assert_eq!(err.code(), code, "{request:?}");
        assert!(!err.message(kozmos_core::Lang::De).is_empty() && !err.message(kozmos_core::Lang::En).is_empty());
    }
    assert_eq!(
        duplicates::merge_preview(s, &a, &a).await.unwrap_err().code(),
        "duplicate_same_record"
    );
    assert_eq!(stamps_before, dump::hash(s).await.unwrap(), "nothing written");

    // A merged record cannot be merged again.
    duplicates::merge(s, &req(&a, &b, &[])).await.unwrap();
    assert_eq!(
        duplicates::merge(s, &req(&a, &b, &[])).await.unwrap_err().code(),
        "merge_not_alive"
    );
}

fn all() -> ExportOptions {
    ExportOptions {
        peer: None,
        profile: Profile::All,
        passphrase: None,
    }
}

async fn exchange(from: &TestDb, to: &TestDb) {
    let (bytes, _) = export::build(&from.k.store, &all()).await.unwrap();
    let verified = file::verify(&bytes, None).unwrap();
    import::apply(&to.k.store, &verified, &ImportOptions::default())
        .await
        .unwrap();
}

/// A merges Y into X while B (offline) adds a person to Y and edits Y; in either order of
/// exchange, both end with the person under X, Y a tombstone pointing at X, and the same data.
#[tokio::test]
async fn a_merge_travels_with_sync_and_late_additions_follow_it() {
    for a_first in [true, false] {
        let a = TestDb::new().await;
        let b = TestDb::new().await;
        let x = add(&a.k.store, &org("Kulturbrücke Gera", "Gera", "07545", "")).await;
        let y = add(&a.k.store, &org("Kulturbrücke Gera e.V.", "Gera", "07545", "")).await;
        let early = add_person(&a.k.store, Parent::Association(y.clone()), "Amal Nasser", "").await;
        exchange(&a, &b).await;

        a.clock.set(NOON + 60_000);
        duplicates::merge(
            &a.k.store,
            &MergeRequest {
                keep: x.clone(),
                other: y.clone(),
                take: vec![],
            },
        )
        .await
        .unwrap();
        b.clock.set(NOON + 120_000);
        let late = add_person(&b.k.store, Parent::Association(y.clone()), "Dmitri Sokolov", "").await;
        let notes = with_field(&org("Kulturbrücke Gera e.V.", "Gera", "07545", ""), "notes", "neu");
        association::update(&b.k.store, &y, &notes, LogoChange::Keep)
            .await
            .unwrap();

        if a_first {
            exchange(&a, &b).await;
            exchange(&b, &a).await;
        } else {
            exchange(&b, &a).await;
            exchange(&a, &b).await;
        }
        exchange(&a, &b).await;
        for side in [&a, &b] {
            for p in [&early, &late] {
                assert_eq!(
                    parent_of(side, "persons", "association_id", p).await,
                    x,
                    "a_first {a_first}"
                );
            }
            assert_eq!(parent_of(side, "associations", "merged_into", &y).await, x);
            assert_eq!(parent_of(side, "associations", "life", &y).await, "deleted");
            // B's note for Y, made without knowing of the merge, is on the survivor.
            assert_eq!(parent_of(side, "associations", "notes", &x).await, "neu");
            assert_eq!(
                duplicates::resolve(&side.k.store, Kind::Association, &y).await.unwrap(),
                x
            );
        }
        assert_eq!(
            dump::hash(&a.k.store).await.unwrap(),
            dump::hash(&b.k.store).await.unwrap(),
            "a_first {a_first}"
        );
    }
}

/// Erasing a person erases the records merged into them too (the same person under an old
/// spelling): no tombstone keeps the name or e-mail, here or in the file that carries the erasure.
#[tokio::test]
async fn erasing_a_person_erases_what_was_merged_into_them() {
    let db = TestDb::new().await;
    let s = &db.k.store;
    let home = add(s, &org("Verein Brücke", "Halle (Saale)", "", "")).await;
    let a = add_person(s, Parent::Association(home.clone()), "Olena Kovalenko", "").await;
    let b = add_person(
        s,
        Parent::Association(home.clone()),
        "SENTINEL Kowalenko",
        "sentinel@example.org",
    )
    .await;
    let c = add_person(s, Parent::Association(home.clone()), "SENTINEL Kovalenko-Old", "").await;
    let merge = |keep: &str, other: &str| MergeRequest {
        keep: keep.into(),
        other: other.into(),
        take: Vec::new(),
    };
    duplicates::merge(s, &merge(&b, &c)).await.unwrap();
    duplicates::merge(s, &merge(&a, &b)).await.unwrap();
    let erased = kozmos_core::privacy::erase::erase(s, std::slice::from_ref(&a))
        .await
        .unwrap();
    assert_eq!(erased.len(), 3, "the survivor and both merged records");
    for id in [&a, &b, &c] {
        let p = person::get(s, id).await.unwrap();
        assert_eq!(p.life, kozmos_core::store::Life::Purged, "{id}");
        assert_eq!((p.fields.name, p.fields.email), (None, None));
    }
    let (bytes, _) = export::build(
        s,
        &ExportOptions {
            peer: None,
            profile: Profile::All,
            passphrase: None,
        },
    )
    .await
    .unwrap();
    let plain = zstd::decode_all(&bytes[..]).unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(s.pool())
        .await
        .unwrap();
    let file = std::fs::read(&db.k.path).unwrap();
    for haystack in [&plain, &file] {
        assert!(
            !haystack.windows(8).any(|w| w == b"SENTINEL"),
            "a merged record kept the name"
        );
        assert!(
            !haystack.windows(9).any(|w| w == b"sentinel@"),
            "a merged record kept the e-mail"
        );
    }
}

/// A sync file of `from`, verified.
async fn file_of(from: &TestDb) -> file::Verified {
    let (bytes, _) = export::build(&from.k.store, &all()).await.unwrap();
    file::verify(&bytes, None).unwrap()
}

/// An incremental file from `from` for `to`: what `to` last reported not having (only the fields
/// of a record it has, whole records it lacks).
async fn file_for(from: &TestDb, to: &TestDb) -> file::Verified {
    let options = ExportOptions {
        peer: Some(to.k.store.site_id().to_string()),
        ..all()
    };
    let (bytes, _) = export::build(&from.k.store, &options).await.unwrap();
    file::verify(&bytes, None).unwrap()
}

async fn import_file(to: &TestDb, verified: &file::Verified) {
    import::apply(&to.k.store, verified, &ImportOptions::default())
        .await
        .unwrap();
}

/// Two installations with X and Y (the same association entered twice, X with a phone number),
/// A merging X into Y (taking X's phone, or not) while B, not knowing it, gives X a new number.
struct Concurrent {
    a: TestDb,
    b: TestDb,
    x: String,
    y: String,
    /// B's file with the edit and A's file with the merge, as they left.
    from_b: file::Verified,
    from_a: file::Verified,
    /// Whether the files are incremental (each for the other side) or full.
    incremental: bool,
}

impl Concurrent {
    async fn file(&self, from: &TestDb, to: &TestDb) -> file::Verified {
        if self.incremental {
            file_for(from, to).await
        } else {
            file_of(from).await
        }
    }
}

const OLD_PHONE: &str = "0365 111111";
const NEW_PHONE: &str = "0365 222222";

async fn concurrent_edit(take_phone: bool, b_edits_at: i64, incremental: bool) -> Concurrent {
    let a = TestDb::new().await;
    let b = TestDb::new().await;
    let x_draft = with_field(&org("Kulturbrücke Gera", "Gera", "07545", ""), "phone", OLD_PHONE);
    let x = add(&a.k.store, &x_draft).await;
    let y = add(&a.k.store, &org("Kulturbrücke Gera e.V.", "Gera", "07545", "")).await;
    exchange(&a, &b).await;
    // Each side has heard from the other, so each can write the other an incremental file.
    exchange(&b, &a).await;

    a.clock.set(NOON + 60_000);
    let take = if take_phone { vec!["phone".to_string()] } else { vec![] };
    duplicates::merge(
        &a.k.store,
        &MergeRequest {
            keep: y.clone(),
            other: x.clone(),
            take,
        },
    )
    .await
    .unwrap();
    b.clock.set(b_edits_at);
    association::update(
        &b.k.store,
        &x,
        &with_field(&x_draft, "phone", NEW_PHONE),
        LogoChange::Keep,
    )
    .await
    .unwrap();
    let (from_a, from_b) = if incremental {
        (file_for(&a, &b).await, file_for(&b, &a).await)
    } else {
        (file_of(&a).await, file_of(&b).await)
    };
    Concurrent {
        a,
        b,
        x,
        y,
        from_b,
        from_a,
        incremental,
    }
}

/// After the exchange in the given order, importing every file again, or an old one late,
/// changes nothing more, and both installations hold the same data.
async fn settled(c: &Concurrent, context: &str) {
    let hash = dump::hash(&c.a.k.store).await.unwrap();
    assert_eq!(hash, dump::hash(&c.b.k.store).await.unwrap(), "{context}");
    let (conflicts_a, conflicts_b) = (
        conflicts::list(&c.a.k.store, true).await.unwrap().len(),
        conflicts::list(&c.b.k.store, true).await.unwrap().len(),
    );
    import_file(&c.a, &c.from_b).await;
    import_file(&c.b, &c.from_a).await;
    let (again_a, again_b) = (c.file(&c.a, &c.b).await, c.file(&c.b, &c.a).await);
    import_file(&c.a, &again_b).await;
    import_file(&c.b, &again_a).await;
    import_file(&c.a, &again_b).await;
    for side in [&c.a, &c.b] {
        assert_eq!(dump::hash(&side.k.store).await.unwrap(), hash, "{context}");
        common::assert_search_index_in_step(&side.k.store).await;
    }
    assert_eq!(
        conflicts::list(&c.a.k.store, true).await.unwrap().len(),
        conflicts_a,
        "{context}"
    );
    assert_eq!(
        conflicts::list(&c.b.k.store, true).await.unwrap().len(),
        conflicts_b,
        "{context}"
    );
}

async fn exchange_in_order(c: &Concurrent, a_first: bool) {
    if a_first {
        import_file(&c.b, &c.from_a).await;
        let back = c.file(&c.b, &c.a).await;
        import_file(&c.a, &back).await;
    } else {
        import_file(&c.a, &c.from_b).await;
        let back = c.file(&c.a, &c.b).await;
        import_file(&c.b, &back).await;
    }
}

/// B edits X's phone while A merges X into Y: whichever file arrives first, the new number ends
/// on Y at both (Y had no number, or the one X had before), not in X's tombstone, with no
/// conflict about it; late and repeated files change nothing. Also when B's clock lags behind
/// A's, so that B's edit carries an older stamp than the merge it never saw; and with full files
/// as with incremental ones (which carry only the fields the other side lacks).
#[tokio::test]
async fn an_edit_of_a_record_merged_away_meanwhile_lands_on_the_survivor() {
    for take_phone in [false, true] {
        for b_edits_at in [NOON + 120_000, NOON + 30_000] {
            for (a_first, incremental) in [(true, false), (false, false), (true, true), (false, true)] {
                let context = format!(
                    "take_phone {take_phone}, b_edits_at {b_edits_at}, a_first {a_first}, incremental {incremental}"
                );
                let c = concurrent_edit(take_phone, b_edits_at, incremental).await;
                exchange_in_order(&c, a_first).await;
                for side in [&c.a, &c.b] {
                    assert_eq!(
                        parent_of(side, "associations", "phone", &c.y).await,
                        NEW_PHONE,
                        "{context}"
                    );
                    assert_eq!(parent_of(side, "associations", "merged_into", &c.x).await, c.y);
                    assert_eq!(parent_of(side, "associations", "life", &c.x).await, "deleted");
                    let listed = conflicts::list(&side.k.store, true).await.unwrap();
                    assert!(listed.is_empty(), "{context}: {listed:?}");
                }
                settled(&c, &context).await;
            }
        }
    }
}

/// When A changed Y's phone too, B's number for X does not overwrite it: it is a conflict on
/// Y's phone, listed where both values met (as with any conflict: at A, which gets B's edit after
/// its own change, and at B too when A's merge reaches it first), and restoring it there puts B's
/// number on Y everywhere.
#[tokio::test]
async fn an_edit_of_a_merged_record_that_meets_a_change_of_the_survivor_is_a_conflict() {
    for (a_first, incremental) in [(true, false), (false, false), (true, true), (false, true)] {
        let context = format!("a_first {a_first}, incremental {incremental}");
        let mut c = concurrent_edit(false, NOON + 120_000, incremental).await;
        c.a.clock.set(NOON + 90_000);
        let y_draft = with_field(
            &org("Kulturbrücke Gera e.V.", "Gera", "07545", ""),
            "phone",
            "0365 999999",
        );
        association::update(&c.a.k.store, &c.y, &y_draft, LogoChange::Keep)
            .await
            .unwrap();
        c.from_a = c.file(&c.a, &c.b).await;
        if !a_first {
            // The preview counts the conflict the apply will add (Y is not in B's file).
            let preview = import::preview(&c.a.k.store, &c.from_b).await.unwrap();
            assert_eq!(preview.counts.conflicts, 1, "{context}");
        }
        exchange_in_order(&c, a_first).await;
        let sides: &[&TestDb] = if a_first { &[&c.a, &c.b] } else { &[&c.a] };
        for side in [&c.a, &c.b] {
            assert_eq!(
                parent_of(side, "associations", "phone", &c.y).await,
                "0365 999999",
                "{context}"
            );
            let listed = conflicts::list(&side.k.store, false).await.unwrap();
            let expected = usize::from(sides.iter().any(|s| std::ptr::eq(*s, side)));
            assert_eq!(listed.len(), expected, "{context}: {listed:?}");
            for conflict in &listed {
                assert_eq!(
                    (
                        conflict.table.as_str(),
                        conflict.row_id.as_str(),
                        conflict.field.as_str()
                    ),
                    ("associations", c.y.as_str(), "phone"),
                    "{context}"
                );
                assert_eq!(
                    (conflict.kept.as_str(), conflict.lost.as_str()),
                    ("0365 999999", NEW_PHONE)
                );
                assert_eq!(conflict.label, "Kulturbrücke Gera e.V.");
            }
        }
        settled(&c, &context).await;

        // Restored where it is listed, B's number is Y's at both.
        let (here, there) = if a_first { (&c.b, &c.a) } else { (&c.a, &c.b) };
        let id = conflicts::list(&here.k.store, false).await.unwrap()[0].id;
        here.clock.set(NOON + 600_000);
        conflicts::restore(&here.k.store, id).await.unwrap();
        exchange(here, there).await;
        for side in [&c.a, &c.b] {
            assert_eq!(
                parent_of(side, "associations", "phone", &c.y).await,
                NEW_PHONE,
                "{context}"
            );
        }
        assert_eq!(
            dump::hash(&c.a.k.store).await.unwrap(),
            dump::hash(&c.b.k.store).await.unwrap(),
            "{context}"
        );
    }
}
