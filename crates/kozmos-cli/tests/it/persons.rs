//! Contact persons: validation, consent history, one-action withdrawal, erasure, search.

use crate::common::{self, Finish as _};

use common::{draft as association_draft, TestDb};
use kozmos_core::association::{self, LogoChange};
use kozmos_core::person::{self, has_consent, ConsentDraft, Parent, PersonDraft, TABLE};
use kozmos_core::store::{Life, LIFE_COLUMN};
use kozmos_core::Error;

fn person(name: &str) -> PersonDraft {
    PersonDraft {
        name: name.into(),
        ..Default::default()
    }
}

async fn with_association(db: &TestDb) -> Parent {
    let a = association::create(
        &db.k.store,
        &association_draft("Afghanischer Kulturverein"),
        LogoChange::Keep,
    )
    .await
    .unwrap();
    Parent::Association(a.id)
}

#[test]
fn every_bad_value_is_reported_at_its_field() {
    let cases: &[(&str, &str, &str)] = &[
        ("name", "", "required"),
        ("name", "Zeile\nZwei", "line_breaks"),
        ("name_original", &"ن".repeat(201), "too_long"),
        ("role", "\u{7}", "control_characters"),
        ("email", "fatima@", "email_invalid"),
        ("phone", "call me", "phone_invalid"),
        ("languages", "xx", "unknown_code"),
        ("notes", "\u{0}", "control_characters"),
    ];
    for (field, value, code) in cases {
        let Err(Error::Invalid(errors)) = person::validate(&common::with_field(&person("Fatima Rahimi"), field, value))
        else {
            panic!("{field}={value:?} accepted")
        };
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            (*field, *code),
            "{field}={value:?}"
        );
    }
}

#[tokio::test]
async fn a_person_belongs_to_a_living_organisation() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    for parent in [Parent::Association("0000-nope".into()), Parent::Foundation("".into())] {
        assert!(matches!(
            person::create(store, &parent, &person("Niemand")).await,
            Err(Error::NotFound { .. })
        ));
    }
    let parent = with_association(&db).await;
    let Parent::Association(aid) = &parent else {
        unreachable!()
    };
    association::delete(store, aid).await.unwrap();
    assert!(matches!(
        person::create(store, &parent, &person("Zu spät")).await,
        Err(Error::NotFound { .. })
    ));
    assert_eq!(db.count("SELECT COUNT(*) FROM persons").await, 0);
}

#[tokio::test]
async fn consent_is_a_history_and_withdrawing_is_one_action() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    kozmos_core::site::set_up(store.pool(), "lamsa", "Amira Haddad")
        .await
        .unwrap();
    let parent = with_association(&db).await;
    let p = person::create(store, &parent, &person("Fatima Rahimi")).await.unwrap();
    assert!(p.consents.is_empty());

    let give = |purpose: &str| ConsentDraft {
        purpose: purpose.into(),
        status: "given".into(),
        date: "12.05.2025".into(),
        channel: "form".into(),
        note: String::new(),
    };
    person::record_consent(store, &p.id, &give("store")).await.unwrap();
    let p = person::record_consent(store, &p.id, &give("share")).await.unwrap();
    assert!(has_consent(&p.consents, "share") && !has_consent(&p.consents, "print"));
    assert_eq!(p.consents[0].recorded_by.as_deref(), Some("Amira Haddad"));
    assert_eq!(p.consents[0].date, "2025-05-12");

    let p = person::withdraw_consent(store, &p.id, "share").await.unwrap();
    assert!(!has_consent(&p.consents, "share"), "the newest record decides");
    assert!(has_consent(&p.consents, "store"));
    assert_eq!(p.consents.len(), 3, "withdrawing adds a record; the history stays");
    assert_eq!(
        p.current_consent.iter().map(|c| c.status.as_str()).collect::<Vec<_>>(),
        ["given", "withdrawn"]
    );

    for bad in [
        ConsentDraft {
            purpose: "".into(),
            status: "given".into(),
            ..Default::default()
        },
        ConsentDraft {
            purpose: "verkaufen".into(),
            status: "given".into(),
            ..Default::default()
        },
        ConsentDraft {
            purpose: "print".into(),
            status: "vielleicht".into(),
            ..Default::default()
        },
        ConsentDraft {
            purpose: "print".into(),
            status: "given".into(),
            date: "2099-01-01".into(),
            ..Default::default()
        },
        ConsentDraft {
            purpose: "print".into(),
            status: "given".into(),
            channel: "brieftaube".into(),
            ..Default::default()
        },
    ] {
        assert!(
            matches!(person::record_consent(store, &p.id, &bad).await, Err(Error::Invalid(_))),
            "{bad:?}"
        );
    }
    assert_eq!(
        person::get(store, &p.id).await.unwrap().consents.len(),
        3,
        "nothing half-written"
    );
}

#[tokio::test]
async fn erasure_blanks_personal_data_keeps_role_and_organisation_and_is_final() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let parent = with_association(&db).await;
    let mut d = person("Олена Коваленко");
    d.name_original = "Олена Коваленко".into();
    d.name_latin = "Olena Kovalenko".into();
    d.role = "Vorsitzende".into();
    d.email = "olena@example.org".into();
    d.phone = "+49 345 123456".into();
    d.languages = vec!["uk".into(), "de".into()];
    let p = person::create(store, &parent, &d).await.unwrap();
    let before = store.stamps(&TABLE, &p.id).await.unwrap();
    db.clock.set(common::NOON + 1_000);

    let erased = kozmos_core::privacy::erase::erase_one(store, &p.id).await.unwrap();
    assert_eq!(erased.life, Life::Purged);
    assert_eq!(erased.fields.name, None);
    assert_eq!(
        (erased.fields.email.as_deref(), erased.fields.phone.as_deref()),
        (None, None)
    );
    assert_eq!(erased.fields.name_latin, None);
    assert!(erased.fields.languages.is_empty());
    assert_eq!(erased.fields.role.as_deref(), Some("Vorsitzende"));
    assert_eq!(erased.parent, parent);
    let after = store.stamps(&TABLE, &p.id).await.unwrap();
    assert!(after[LIFE_COLUMN] > before[LIFE_COLUMN] && after["email"] > before["email"]);
    assert_eq!(after["role"], before["role"]);

    let raw: String = sqlx::query_scalar("SELECT search_key FROM persons WHERE id = ?")
        .bind(&p.id)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert!(
        !raw.contains("olena") && !raw.contains("олена"),
        "the search index forgets the name: {raw}"
    );
    assert!(person::search(store, "Kovalenko", 0, 50)
        .await
        .unwrap()
        .items
        .is_empty());

    assert!(
        matches!(person::update(store, &p.id, &d).await, Err(Error::NotFound { .. })),
        "no edits after erasure"
    );
    assert!(
        person::restore(store, &p.id)
            .await
            .is_ok_and(|p| p.life == Life::Purged),
        "erasure cannot be undone"
    );
    let listed = person::persons_of(store, &parent).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].life, listed[0].role.as_deref()),
        (Life::Purged, Some("Vorsitzende"))
    );
}

#[tokio::test]
async fn persons_are_found_in_their_script_and_by_their_latin_name() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let parent = with_association(&db).await;
    for (name, original, latin) in [
        ("Fatima Rahimi", "فاطمه رحیمی", ""),
        ("Nguyễn Thị Hương", "", ""),
        ("Олена Коваленко", "Олена Коваленко", "Olena Kovalenko"),
        ("Jürgen Müller", "", ""),
    ] {
        let d = PersonDraft {
            name: name.into(),
            name_original: original.into(),
            name_latin: latin.into(),
            ..Default::default()
        };
        person::create(store, &parent, &d).await.unwrap();
    }
    for (query, expected) in [
        ("رحیمی", "Fatima Rahimi"),
        ("huong", "Nguyễn Thị Hương"),
        ("Коваленко", "Олена Коваленко"),
        ("kovalenko", "Олена Коваленко"),
        ("mueller", "Jürgen Müller"),
        ("JURGEN", "Jürgen Müller"),
    ] {
        let found = person::search(store, query, 0, 50).await.unwrap();
        let names: Vec<_> = found.items.iter().filter_map(|p| p.name.as_deref()).collect();
        assert_eq!(names, [expected], "{query}");
    }
    let names: Vec<_> = person::persons_of(store, &parent)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|p| p.name)
        .collect();
    assert_eq!(names.len(), 4);
}

#[test]
fn the_cli_adds_persons_records_consent_and_erases_only_when_confirmed() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let kozmos = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_kozmos"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("KOZMOS_LANG", "de")
            .finish();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
    let (_, out, _) = kozmos(&["associations", "add", "--name", "Vietnamesischer Verein", "--json"]);
    let aid = json(&out)["id"].as_str().unwrap().to_string();
    let (code, _, err) = kozmos(&["persons", "add", "--name", "Trần Văn Nam"]);
    assert_eq!(code, Some(2), "an organisation is required: {err}");
    let (code, out, err) = kozmos(&[
        "persons",
        "add",
        "--association",
        &aid,
        "--name",
        "Trần Văn Nam",
        "--role",
        "Kassenwart",
        "--languages",
        "vi,de",
        "--json",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let pid = json(&out)["id"].as_str().unwrap().to_string();
    let (_, out, _) = kozmos(&[
        "persons",
        "consent",
        &pid,
        "--purpose",
        "print",
        "--status",
        "given",
        "--channel",
        "form",
        "--json",
    ]);
    assert_eq!(json(&out)["current_consent"][0]["status"], "given");
    let (_, out, _) = kozmos(&["persons", "withdraw", &pid, "--purpose", "print", "--json"]);
    assert_eq!(json(&out)["current_consent"][0]["status"], "withdrawn");
    assert_eq!(json(&out)["consents"].as_array().unwrap().len(), 2);
    let (_, out, _) = kozmos(&["persons", "search", "tran van", "--json"]);
    assert_eq!(json(&out).as_array().unwrap().len(), 1);
    let (code, _, err) = kozmos(&["persons", "erase", &pid]);
    assert_eq!(code, Some(1));
    assert!(err.contains("--yes"), "{err}");
    let (_, out, _) = kozmos(&["persons", "erase", &pid, "--yes", "--json"]);
    assert_eq!(json(&out)["name"], serde_json::Value::Null);
    assert_eq!(json(&out)["role"], "Kassenwart");
    let (_, out, _) = kozmos(&["persons", "list", "--association", &aid]);
    assert!(out.contains("(anonymisiert)") && !out.contains("Trần"), "{out}");
}
