//! Foundations: validation of every field, amounts in cents, funding areas, search and the CLI.

use crate::common::{self, Finish as _};

use std::process::Command;

use common::TestDb;
use kozmos_core::foundation::{self, validate, FoundationDraft, FoundationQuery};
use kozmos_core::Error;
use time::macros::date;

const TODAY: time::Date = date!(2026 - 11 - 29);

fn draft(name: &str) -> FoundationDraft {
    FoundationDraft {
        name: name.into(),
        ..Default::default()
    }
}

fn set(field: &str, value: &str) -> FoundationDraft {
    common::with_field(&draft("Bürgerstiftung Halle"), field, value)
}

/// (field, bad value, expected error code)
const BAD: &[(&str, &str, &str)] = &[
    ("name", "", "required"),
    ("name", "Zeile\nZwei", "line_breaks"),
    (
        "short_name",
        "Ein viel zu langer Kurzname für eine Stiftung mit Tradition",
        "too_long",
    ),
    ("legal_form", "stiftung", "unknown_code"),
    ("kind", "reich", "unknown_code"),
    ("accepts_applications", "vielleicht", "unknown_code"),
    ("application_route", "brief", "unknown_code"),
    ("deadlines", "31.13.2026", "date_invalid"),
    ("deadlines", "bald", "date_invalid"),
    ("city", "Halle\u{0}", "control_characters"),
    ("state", "Thüringen", "unknown_code"),
    ("postcode", "0610", "postcode_invalid"),
    ("website", "javascript:alert(1)", "url_invalid"),
    ("email", "foerderung@", "email_invalid"),
    ("phone", "null-drei-vier-fünf", "phone_invalid"),
    ("themes", "geld", "unknown_code"),
    ("funding_area", "welt", "unknown_code"),
    ("area_districts", "15999", "unknown_code"),
    ("area_states", "XX", "unknown_code"),
    ("target_groups", "alle", "unknown_code"),
    ("support_kinds", "geld", "unknown_code"),
    ("grant_min", "fünftausend", "money_invalid"),
    ("grant_min", "-500", "out_of_range"),
    ("grant_max", "1,234", "money_invalid"),
    ("grant_max", "200.000.000", "out_of_range"),
    ("cofunding_percent", "101", "out_of_range"),
    ("cofunding_percent", "20 %", "not_a_number"),
    ("requires_charitable", "ja", "unknown_code"),
    ("ev_only", "true", "unknown_code"),
    ("min_age_years", "-1", "negative"),
    ("last_contact", "2027-01-01", "date_in_future"),
    ("owner_network", "beide", "unknown_code"),
    ("notes", "\u{1b}[31m", "control_characters"),
];

#[test]
fn every_bad_value_is_reported_at_its_field() {
    for (field, value, code) in BAD {
        let Err(Error::Invalid(errors)) = validate(&set(field, value), TODAY, None) else {
            panic!("{field}={value:?} was accepted")
        };
        assert_eq!(errors.len(), 1, "{field}={value:?}: {errors:?}");
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            (*field, *code),
            "{field}={value:?}"
        );
        assert!(!errors[0].message_de.is_empty() && errors[0].message_de != errors[0].message_en);
    }
}

#[test]
fn amounts_are_whole_cents_and_the_range_must_not_be_reversed() {
    let mut d = draft("Stiftung Bildung Ost");
    d.grant_min = "2.500".into();
    d.grant_max = "15.000,50 €".into();
    let f = validate(&d, TODAY, None).unwrap();
    assert_eq!((f.grant_min, f.grant_max), (Some(250_000), Some(1_500_050)));
    d.grant_min = "20000".into();
    let Err(Error::Invalid(errors)) = validate(&d, TODAY, None) else {
        panic!()
    };
    assert_eq!(
        (errors[0].field.as_str(), errors[0].code.as_str()),
        ("grant_max", "range_reversed")
    );
    assert_eq!(
        FoundationDraft::try_from(&f).unwrap().grant_max,
        "15000.50",
        "the form shows the stored cents exactly"
    );
}

#[test]
fn a_funding_area_names_its_places_and_a_deadline_route_its_deadlines() {
    for (area, field) in [
        ("municipality", "area_municipality"),
        ("district", "area_districts"),
        ("state", "area_states"),
    ] {
        let Err(Error::Invalid(errors)) = validate(&set("funding_area", area), TODAY, None) else {
            panic!("{area}")
        };
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            (field, "area_incomplete")
        );
    }
    assert!(validate(&set("funding_area", "nationwide"), TODAY, None).is_ok());
    let Err(Error::Invalid(errors)) = validate(&set("application_route", "deadlines"), TODAY, None) else {
        panic!()
    };
    assert_eq!(errors[0].code, "deadlines_missing");

    let mut d = set("application_route", "deadlines");
    d.deadlines = vec!["30.09.2027".into(), "2027-03-31".into(), "31.03.2027".into()];
    assert_eq!(
        validate(&d, TODAY, None).unwrap().deadlines,
        ["2027-03-31", "2027-09-30"],
        "sorted, once each"
    );
}

#[tokio::test]
async fn create_edit_list_and_search_foundations() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let mut d = draft("Stiftung Mitteldeutsche Begegnung");
    d.city = "Leipzig".into();
    d.funding_area = "district".into();
    d.area_districts = vec!["16053".into(), "15003".into()];
    d.themes = vec!["dialog".into(), "bildung".into()];
    d.application_route = "deadlines".into();
    d.deadlines = vec!["2026-12-15".into(), "2026-01-15".into()];
    let f = foundation::create(store, &d).await.unwrap();
    foundation::create(store, &draft("Ostdeutsche Sparkassenstiftung"))
        .await
        .unwrap();
    foundation::create(store, &draft("Stiftung Kinderförderung Jéna"))
        .await
        .unwrap();

    let names = |page: kozmos_core::listing::Page<foundation::FoundationSummary>| {
        page.items.into_iter().map(|f| f.name).collect::<Vec<_>>()
    };
    let search = |text: &str| FoundationQuery {
        text: text.into(),
        ..Default::default()
    };
    assert_eq!(
        names(foundation::list(store, &search("jena")).await.unwrap()).len(),
        2,
        "area district Jena and Jéna"
    );
    assert_eq!(
        names(foundation::list(store, &search("magdeburg")).await.unwrap()),
        ["Stiftung Mitteldeutsche Begegnung"]
    );
    assert_eq!(
        names(foundation::list(store, &search("dialogue")).await.unwrap()),
        ["Stiftung Mitteldeutsche Begegnung"]
    );
    let filtered = FoundationQuery {
        funding_area: Some("district".into()),
        ..Default::default()
    };
    let page = foundation::list(store, &filtered).await.unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(
        page.items[0].next_deadline.as_deref(),
        Some("2026-12-15"),
        "the next deadline from today on"
    );

    let mut edit = FoundationDraft::try_from(&f.fields).unwrap();
    edit.grant_max = "10000".into();
    let edited = foundation::update(store, &f.id, &edit).await.unwrap();
    assert_eq!(edited.fields.grant_max, Some(1_000_000));
    assert_eq!(edited.fields.area_districts, f.fields.area_districts);
    foundation::delete(store, &f.id).await.unwrap();
    assert_eq!(
        foundation::list(store, &FoundationQuery::default())
            .await
            .unwrap()
            .total,
        2
    );
}

#[test]
fn the_cli_keeps_foundations_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let kozmos = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kozmos"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("KOZMOS_LANG", "de")
            .finish()
    };
    let out = kozmos(&[
        "foundations",
        "add",
        "--name",
        "Bürgerstiftung Jena",
        "--funding-area",
        "district",
        "--area-districts",
        "16053",
        "--grant-min",
        "500",
        "--grant-max",
        "5.000",
        "--themes",
        "engagement",
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let f: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(f["grant_max"], 500_000);
    let id = f["id"].as_str().unwrap();
    let shown = String::from_utf8(kozmos(&["foundations", "show", id]).stdout).unwrap();
    assert!(shown.contains("Fördersumme bis: 5.000 €"), "{shown}");
    let bad = kozmos(&["foundations", "edit", id, "--grant-min", "9000"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("mindestens so hoch"));
    let list = kozmos(&["foundations", "list", "--search", "burgerstiftung", "--json"]);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&list.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
