//! The privacy toolkit: right of access (JSON, PDF), erasure (anonymised history, no trace in the
//! file, winning in sync), the retention review, the Art. 30 record, bad input.

use crate::common;

use common::pdf::{tools, Pdf};
use common::{draft as association_draft, TestDb, NOON};
use kozmos_core::association::{self, LogoChange};
use kozmos_core::cooperation::{self, ActivityDraft, CooperationDraft};
use kozmos_core::foundation::{self, FoundationDraft};
use kozmos_core::person::{self, ConsentDraft, Parent, PersonDraft};
use kozmos_core::privacy::{access, erase, record, retention};
use kozmos_core::store::Life;
use kozmos_core::sync::export::{self, ExportOptions};
use kozmos_core::sync::import::{self, ImportOptions};
use kozmos_core::sync::profile::Profile;
use kozmos_core::sync::{dump, file};
use kozmos_core::Lang;

const DAY: i64 = 86_400_000;

/// An association with a cooperation, two persons on it and a log naming them.
struct World {
    association: String,
    cooperation: String,
    fatima: String,
    olga: String,
}

async fn world(db: &TestDb) -> World {
    world_logged_at(db, None).await
}

/// The world, with the clock moved to `log_at` (ms) before the two log entries are written.
async fn world_logged_at(db: &TestDb, log_at: Option<i64>) -> World {
    let store = &db.k.store;
    kozmos_core::site::set_up(store.pool(), "lamsa", "Amira Haddad")
        .await
        .unwrap();
    let a = association::create(
        store,
        &association_draft("Deutsch-Arabischer Kulturverein Halle"),
        LogoChange::Keep,
    )
    .await
    .unwrap();
    let f = foundation::create(
        store,
        &FoundationDraft {
            name: "Bürgerstiftung Halle".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let parent = Parent::Association(a.id.clone());
    let fatima = person::create(
        store,
        &parent,
        &PersonDraft {
            name: "Fatima Zahrawi".into(),
            name_original: "فاطمة الزهراوي".into(),
            name_latin: "Fatima az-Zahrawi".into(),
            role: "Vorsitzende".into(),
            email: "fatima.zahrawi@kulturverein.example".into(),
            phone: "0345 1234567".into(),
            languages: vec!["ar".into(), "de".into()],
            notes: "Erreichbar dienstags XYLOPHON-NOTIZ".into(),
        },
    )
    .await
    .unwrap();
    let olga = person::create(
        store,
        &parent,
        &PersonDraft {
            name: "Olga Quappenberg".into(),
            name_original: "Ольга Квappenberg".into(),
            email: "olga.quappenberg@kulturverein.example".into(),
            phone: "0345 9999888".into(),
            notes: "GEHEIMNOTIZ-OLGA".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for (purpose, status, note) in [
        ("store", "given", "Papierformular"),
        ("print", "withdrawn", "nicht aufs Blatt"),
    ] {
        person::record_consent(
            store,
            &fatima.id,
            &ConsentDraft {
                purpose: purpose.into(),
                status: status.into(),
                date: "12.05.2025".into(),
                channel: "form".into(),
                note: note.into(),
            },
        )
        .await
        .unwrap();
    }
    let c = cooperation::create(
        store,
        &CooperationDraft {
            idea: "Sprachcafé für Frauen".into(),
            association_id: a.id.clone(),
            foundation_id: f.id.clone(),
            next_step_owner: "Fatima Zahrawi".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    if let Some(ms) = log_at {
        db.clock.set(ms);
    }
    for text in [
        "Telefonat mit Fatima Zahrawi und Olga Quappenberg über den Antrag",
        "Treffen nur mit Olga Quappenberg, WALDHORN-THEMA",
    ] {
        cooperation::add_activity(
            store,
            &c.id,
            &ActivityDraft {
                date: "03.06.2025".into(),
                kind: "call".into(),
                text: text.into(),
            },
        )
        .await
        .unwrap();
    }
    World {
        association: a.id,
        cooperation: c.id,
        fatima: fatima.id,
        olga: olga.id,
    }
}

#[tokio::test]
async fn access_export_holds_everything_about_the_person_and_nothing_about_others() {
    let db = TestDb::new().await;
    let w = world(&db).await;
    let export = access::export(&db.k.store, &w.fatima).await.unwrap();
    let json = String::from_utf8(access::to_json(&export).unwrap()).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["format"], access::FORMAT);
    assert_eq!(value["controller_network"], "lamsa");
    for datum in [
        "Fatima Zahrawi",
        "فاطمة الزهراوي",
        "Fatima az-Zahrawi",
        "Vorsitzende",
        "fatima.zahrawi@kulturverein.example",
        "0345 1234567",
        "XYLOPHON-NOTIZ",
        "Deutsch-Arabischer Kulturverein Halle",
        "Papierformular",
        "nicht aufs Blatt",
        "Amira Haddad",
        "Sprachcafé für Frauen",
        "Telefonat mit Fatima Zahrawi",
    ] {
        assert!(json.contains(datum), "missing {datum}");
    }
    assert_eq!(value["person"]["languages"], serde_json::json!(["ar", "de"]));
    assert_eq!(value["person"]["consents"].as_array().unwrap().len(), 2);
    assert_eq!(
        value["activities"].as_array().unwrap().len(),
        1,
        "only the entry naming her"
    );
    assert_eq!(value["cooperations"][0]["fields"][0]["field"], "next_step_owner");
    assert!(value["stamps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["field"] == "email"));
    // Olga appears only inside the one entry that names both; nothing of her record.
    for other in [
        "olga.quappenberg@",
        "0345 9999888",
        "GEHEIMNOTIZ-OLGA",
        "Квappenberg",
        "WALDHORN",
        &w.olga,
    ] {
        assert!(!json.contains(other), "another person's datum {other} leaked");
    }
    assert_eq!(json.matches("Quappenberg").count(), 1);

    let pdf = Pdf::write(
        "privacy",
        "access",
        &access::to_pdf(&export, Lang::De, time::OffsetDateTime::now_utc()).unwrap(),
    );
    pdf.check_structure();
    if !tools("the access report's text") {
        return;
    }
    let text = pdf.text();
    for datum in [
        "Auskunft: Fatima Zahrawi",
        "Einwilligungen (Verlauf)",
        "fatima.zahrawi@kulturverein.example",
        "XYLOPHON-NOTIZ",
        "Arabisch",
        "Papierformular",
        "Amira Haddad",
        "Telefonat mit Fatima Zahrawi",
    ] {
        assert!(text.contains(datum), "PDF lacks {datum}:\n{text}");
    }
    assert!(!text.contains("GEHEIMNOTIZ") && !text.contains("WALDHORN"));
    let english = Pdf::write(
        "privacy",
        "access-en",
        &access::to_pdf(&export, Lang::En, time::OffsetDateTime::now_utc()).unwrap(),
    );
    assert!(english.text().contains("Consents (history)"));
    assert!(english.text().contains("Arabic"));
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn after_erasure_no_trace_of_the_person_is_left_in_the_file() {
    let db = TestDb::new().await;
    let w = world(&db).await;
    let store = &db.k.store;
    let erased = kozmos_core::privacy::erase::erase_one(store, &w.fatima).await.unwrap();
    assert_eq!(erased.life, Life::Purged);
    assert_eq!(erased.fields.role.as_deref(), Some("Vorsitzende"));
    assert!(
        erased.consents.is_empty(),
        "consent records are purged with their notes"
    );

    // The cooperation history stays, anonymised; the other person's entry is untouched.
    let c = cooperation::get(store, &w.cooperation).await.unwrap();
    assert_eq!(c.fields.next_step_owner.as_deref(), Some(erase::REPLACEMENT));
    let texts: Vec<String> = c.activities.iter().filter_map(|a| a.text.clone()).collect();
    assert!(
        texts.contains(&"Telefonat mit [gelöscht] und Olga Quappenberg über den Antrag".to_string()),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.contains("WALDHORN-THEMA")));
    assert!(kozmos_core::search::everything(store, "Zahrawi", 10)
        .await
        .unwrap()
        .is_empty());
    db.k.close().await;

    let path = db.dir.path().join("kozmos.sqlite3");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend(std::fs::read(path.with_extension("sqlite3-wal")).unwrap_or_default());
    for trace in [
        "Fatima",
        "fatima",
        "Zahrawi",
        "zahrawi",
        "الزهراوي",
        "1234567",
        "XYLOPHON",
        "Papierformular",
        "aufs Blatt",
    ] {
        assert!(!contains(&bytes, trace), "{trace} is still in the database file");
    }
    assert!(contains(&bytes, "GEHEIMNOTIZ-OLGA"), "the other person stays");
}

async fn exchange(from: &TestDb, to: &TestDb) {
    let options = ExportOptions {
        peer: None,
        profile: Profile::All,
        passphrase: None,
    };
    let (bytes, _) = export::build(&from.k.store, &options).await.unwrap();
    let verified = file::verify(&bytes, None).unwrap();
    import::apply(&to.k.store, &verified, &ImportOptions::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn erasure_wins_over_a_later_edit_from_the_other_network() {
    let a = TestDb::new().await;
    let b = TestDb::new().await;
    let w = world(&a).await;
    exchange(&a, &b).await;
    // A erases; B, offline, edits the same person a minute later.
    kozmos_core::privacy::erase::erase_one(&a.k.store, &w.fatima)
        .await
        .unwrap();
    b.clock.set(NOON + 60_000);
    let mut edit = PersonDraft::try_from(&person::get(&b.k.store, &w.fatima).await.unwrap().fields).unwrap();
    edit.phone = "0345 7777777".into();
    edit.notes = "neue Notiz von B".into();
    person::update(&b.k.store, &w.fatima, &edit).await.unwrap();

    exchange(&b, &a).await;
    exchange(&a, &b).await;
    for side in [&a, &b] {
        let p = person::get(&side.k.store, &w.fatima).await.unwrap();
        assert_eq!(p.life, Life::Purged);
        assert_eq!((p.fields.name, p.fields.phone, p.fields.notes), (None, None, None));
        let c = cooperation::get(&side.k.store, &w.cooperation).await.unwrap();
        assert_eq!(c.fields.next_step_owner.as_deref(), Some(erase::REPLACEMENT));
    }
    assert_eq!(
        dump::hash(&a.k.store).await.unwrap(),
        dump::hash(&b.k.store).await.unwrap()
    );
}

async fn bare_person(db: &TestDb, association: &str, name: &str) -> String {
    person::create(
        &db.k.store,
        &Parent::Association(association.into()),
        &PersonDraft {
            name: name.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn retention_lists_persons_inactive_for_the_period_at_the_boundary() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let a = association::create(store, &association_draft("Verein Brücke"), LogoChange::Keep)
        .await
        .unwrap();
    // Created on the manual clock's day, 2026-11-30; never touched again.
    let quiet = bare_person(&db, &a.id, "Nguyễn Thị Hoa").await;
    assert_eq!(retention::years(store).await.unwrap(), 3);

    let three_years = 3 * 365 * DAY + DAY; // 2029-11-30, with the leap day 2028
    db.clock.set(NOON + three_years - DAY);
    assert!(
        retention::review(store, None).await.unwrap().persons.is_empty(),
        "just under 3 years"
    );
    db.clock.set(NOON + three_years);
    let review = retention::review(store, None).await.unwrap();
    assert_eq!(review.cutoff, "2026-11-30");
    assert!(review.persons.is_empty(), "exactly 3 years is not over");
    db.clock.set(NOON + three_years + DAY);
    let review = retention::review(store, None).await.unwrap();
    assert_eq!(review.persons.len(), 1, "just over 3 years");
    assert_eq!(review.persons[0].id, quiet);
    assert_eq!(review.persons[0].last_activity, "2026-11-30");
    assert_eq!(review.persons[0].reason, "edit");
    assert_eq!(review.persons[0].parent_name, "Verein Brücke");

    // A newer edit (or a shorter period set) moves the person in or out.
    assert!(retention::review(store, Some(4)).await.unwrap().persons.is_empty());
    retention::set_years(store, 4).await.unwrap();
    assert_eq!(retention::years(store).await.unwrap(), 4);
    assert!(retention::review(store, None).await.unwrap().persons.is_empty());
}

#[tokio::test]
async fn an_activity_naming_a_person_counts_as_their_activity() {
    let db = TestDb::new().await;
    // The records are written on 2025-05-20 (after their consents, dated 2025-05-12), the log on
    // its own date, 2025-06-03: the newest thing that names each person is the log entry.
    db.clock.set(NOON - 559 * DAY);
    let w = world_logged_at(&db, Some(NOON - 545 * DAY)).await;
    let store = &db.k.store;
    db.clock.set(NOON);
    let review = retention::review(store, Some(1)).await.unwrap();
    assert_eq!(review.cutoff, "2025-11-30");
    let due = |id: &str| review.persons.iter().find(|p| p.id == id).cloned().unwrap();
    let (olga, fatima) = (due(&w.olga), due(&w.fatima));
    assert_eq!(
        (olga.last_activity.as_str(), olga.reason.as_str()),
        ("2025-06-03", "activity")
    );
    assert_eq!(
        (fatima.last_activity.as_str(), fatima.reason.as_str()),
        ("2025-06-03", "activity")
    );
    // With two years, the log entry of 2025 keeps both off the list.
    assert!(retention::review(store, Some(2)).await.unwrap().persons.is_empty());
    let _ = w.association;
}

#[tokio::test]
async fn bulk_erasure_is_one_transaction_all_or_nothing() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let a = association::create(store, &association_draft("Verein Brücke"), LogoChange::Keep)
        .await
        .unwrap();
    let ids = [
        bare_person(&db, &a.id, "Anna Alpha").await,
        bare_person(&db, &a.id, "Boris Beta").await,
        bare_person(&db, &a.id, "Clara Gamma").await,
    ];
    let err = erase::erase(store, &[ids[0].clone(), "no-such-person".into()])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(
        person::get(store, &ids[0]).await.unwrap().life,
        Life::Alive,
        "nothing half-erased"
    );

    let erased = erase::erase(store, &ids[..2]).await.unwrap();
    assert_eq!(erased.len(), 2);
    assert!(erased.iter().all(|p| p.life == Life::Purged));
    assert_eq!(person::get(store, &ids[2]).await.unwrap().life, Life::Alive);
    assert_eq!(db.count("SELECT COUNT(*) FROM persons WHERE life = 'purged'").await, 2);
    let again = erase::erase(store, &ids[..1]).await.unwrap_err();
    assert_eq!(again.code(), "person_erased");
    assert_eq!(erase::erase(store, &[]).await.unwrap_err().code(), "none_selected");
    assert_eq!(
        erase::erase(store, &["  ".into()]).await.unwrap_err().code(),
        "none_selected"
    );
}

#[tokio::test]
async fn bad_input_gets_a_clear_message() {
    let db = TestDb::new().await;
    let w = world(&db).await;
    let store = &db.k.store;
    assert_eq!(
        access::export(store, "no-such-person").await.unwrap_err().code(),
        "not_found"
    );
    assert_eq!(access::export(store, "").await.unwrap_err().code(), "not_found");
    assert_eq!(
        access::export(store, "<script>alert(1)</script>")
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
    kozmos_core::privacy::erase::erase_one(store, &w.fatima).await.unwrap();
    let err = access::export(store, &w.fatima).await.unwrap_err();
    assert_eq!(err.code(), "person_erased");
    assert!(err.message(Lang::De).contains("gelöscht"));
    for years in [0, -3, 31, i64::MAX] {
        let err = retention::set_years(store, years).await.unwrap_err();
        assert_eq!((err.code(), err.field()), ("out_of_range", Some("retention_years")));
    }
    assert_eq!(
        retention::years(store).await.unwrap(),
        3,
        "a refused period changes nothing"
    );
    assert_eq!(retention::parse_years("drei").unwrap_err().code(), "out_of_range");
    assert_eq!(
        retention::review(store, Some(0)).await.unwrap_err().code(),
        "out_of_range"
    );
}

#[tokio::test]
async fn the_record_of_processing_lists_categories_recipients_and_retention() {
    let db = TestDb::new().await;
    let _ = world(&db).await;
    retention::set_years(&db.k.store, 5).await.unwrap();
    let now = time::OffsetDateTime::now_utc();
    let de = Pdf::write(
        "privacy",
        "record-de",
        &record::record_pdf(&db.k.store, Lang::De, now).await.unwrap(),
    );
    de.check_structure();
    if !tools("the record's text") {
        return;
    }
    let text = de.text();
    for part in [
        "Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)",
        "LAMSA e.V. (Sachsen-Anhalt)",
        "MigraNetz Thüringen e.V.",
        "Name in Originalschrift",
        "geleert",
        "seit 5 Jahren",
        "Sicherungskopien",
        "Verschlüsselung",
    ] {
        assert!(text.contains(part), "record lacks {part}:\n{text}");
    }
    assert!(!text.contains("Fatima"), "the record names nobody");
    let en = Pdf::write(
        "privacy",
        "record-en",
        &record::record_pdf(&db.k.store, Lang::En, now).await.unwrap(),
    );
    let text = en.text();
    assert!(
        text.contains("Record of processing activities") && text.contains("Recipients"),
        "{text}"
    );
}
