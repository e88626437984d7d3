//! Every field with bad values: a typed error at that field in German and English, nothing written.

use crate::common;

use common::{draft, TestDb};
use kozmos_core::association::{self, validate, AssociationDraft, LogoChange};
use kozmos_core::Error;
use time::macros::date;

const TODAY: time::Date = date!(2026 - 11 - 29);

fn set(field: &str, value: &str) -> AssociationDraft {
    common::with_field(&draft("Gültiger Verein"), field, value)
}

/// (field, bad value, expected error code)
const BAD: &[(&str, &str, &str)] = &[
    ("name", "", "required"),
    ("name", "   \t ", "required"),
    ("name", "Zeile\nZwei", "line_breaks"),
    ("name", "Bell\u{7}", "control_characters"),
    ("name_original", "\u{0}", "control_characters"),
    (
        "short_name",
        "Ein viel zu langer Kurzname, der nicht auf ein Etikett passt",
        "too_long",
    ),
    ("legal_form", "verein", "unknown_code"),
    ("register_number", "VR <1234>", "register_number_invalid"),
    ("founded_year", "1799", "out_of_range"),
    ("founded_year", "2027", "out_of_range"),
    ("founded_year", "neunzehnhundert", "not_a_number"),
    ("founded_year", "1999.5", "not_a_number"),
    ("founded_year", "1e3", "not_a_number"),
    ("charitable_status", "ja", "unknown_code"),
    ("notice_kind", "bescheid", "unknown_code"),
    ("notice_date", "31.02.2024", "date_invalid"),
    ("notice_date", "gestern", "date_invalid"),
    ("notice_date", "24-01-01", "date_invalid"),
    ("notice_date", "2027-01-01", "date_in_future"),
    ("network", "lamsa-thueringen", "unknown_code"),
    ("state", "Sachsen-Anhalt", "unknown_code"),
    ("district", "99999", "unknown_code"),
    ("postcode", "3910", "postcode_invalid"),
    ("postcode", "391044", "too_long"),
    ("postcode", "D-391", "postcode_invalid"),
    ("postcode", "３９１０４", "postcode_invalid"),
    ("email", "info@", "email_invalid"),
    ("email", "info verein@example.de", "email_invalid"),
    ("email", "@verein.de", "email_invalid"),
    ("email", "info@verein", "email_invalid"),
    ("email", "<script>@x.de", "email_invalid"),
    ("website", "javascript:alert(1)", "url_invalid"),
    ("website", "ftp://verein.de", "url_invalid"),
    ("website", "verein", "url_invalid"),
    ("website", "www.verein.de/<script>", "url_invalid"),
    ("website", "https://ver ein.de", "url_invalid"),
    ("phone", "0391 ABC", "phone_invalid"),
    ("phone", "12", "phone_invalid"),
    ("communities", "Zeile\nZwei", "line_breaks"),
    ("languages", "klingonisch", "unknown_code"),
    ("themes", "integration ", "unknown_code_never"),
    ("themes", "<b>bildung</b>", "unknown_code"),
    ("target_groups", "alle", "unknown_code"),
    ("needs", "geld", "unknown_code"),
    ("members", "-1", "negative"),
    ("members", "1000001", "out_of_range"),
    ("volunteers", "zwölf", "not_a_number"),
    ("staff", "99999999999999999999", "not_a_number"),
    ("budget_band", "1000", "unknown_code"),
    ("status", "tot", "unknown_code"),
    ("owner_network", "other", "unknown_code"),
    ("owner_network", "none", "unknown_code"),
];

#[test]
fn every_bad_value_is_reported_at_its_field_in_both_languages() {
    for (field, value, code) in BAD {
        let result = validate(&set(field, value), TODAY, Some("lamsa"));
        if *code == "unknown_code_never" {
            assert!(result.is_ok(), "{field}={value:?} is valid after trimming");
            continue;
        }
        let Err(Error::Invalid(errors)) = result else {
            panic!("{field}={value:?} was accepted")
        };
        assert_eq!(errors.len(), 1, "{field}={value:?}: {errors:?}");
        let e = &errors[0];
        assert_eq!(
            (e.field.as_str(), e.code.as_str()),
            (*field, *code),
            "{field}={value:?}"
        );
        assert!(!e.message_de.is_empty() && !e.message_en.is_empty() && e.message_de != e.message_en);
    }
}

#[test]
fn an_unknown_code_names_the_valid_codes_or_the_command_that_lists_them() {
    let message = |field: &str, value: &str| {
        let Err(Error::Invalid(errors)) = validate(&set(field, value), TODAY, Some("lamsa")) else {
            panic!("{field}={value:?} was accepted")
        };
        (errors[0].message_de.clone(), errors[0].message_en.clone())
    };
    assert_eq!(
        message("legal_form", "verein"),
        (
            "Rechtsform: „verein“ ist kein gültiger Wert. Gültig sind: ev, ggmbh, initiative, other.".into(),
            "Legal form: \"verein\" is not a valid value. Valid values: ev, ggmbh, initiative, other.".into()
        )
    );
    assert_eq!(
        message("owner_network", "other").1,
        "Maintained by: \"other\" is not a valid value. Valid values: lamsa, migranetz."
    );
    // 61 languages, 36 districts: the message names the command that lists them.
    let (de, en) = message("languages", "klingonisch");
    assert!(
        de.ends_with("Die gültigen Werte listet „kozmos vocab languages“."),
        "{de}"
    );
    assert!(
        en.ends_with("\"kozmos vocab languages\" lists the valid values."),
        "{en}"
    );
    assert!(message("district", "99999").0.contains("kozmos vocab districts"));
}

#[test]
fn huge_values_are_refused_with_the_limit() {
    let long = "ä".repeat(4001);
    for field in ["name", "mission_de", "mission_en", "notes", "city", "email", "website"] {
        let Err(Error::Invalid(errors)) = validate(&set(field, &long.repeat(3)), TODAY, None) else {
            panic!("{field} accepted 12,003 characters")
        };
        assert_eq!(errors[0].field, field);
        assert_eq!(errors[0].code, "too_long");
    }
    let mut many = draft("Viele Förderer");
    many.previous_funders = (0..51).map(|i| format!("Stiftung {i}")).collect();
    let Err(Error::Invalid(errors)) = validate(&many, TODAY, None) else {
        panic!("51 funders accepted")
    };
    assert_eq!(errors[0].code, "too_many");
}

#[test]
fn all_problems_are_reported_at_once() {
    let mut d = draft("");
    d.postcode = "1".into();
    d.email = "x".into();
    d.themes = vec!["nix".into()];
    let Err(Error::Invalid(errors)) = validate(&d, TODAY, None) else {
        panic!()
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["name", "postcode", "email", "themes"]);
}

#[test]
fn good_values_are_normalised() {
    let mut d = draft("  Mu\u{0308}ller-Haus  ");
    d.website = "www.mueller-haus.de".into();
    d.members = "1.200".into();
    d.volunteers = " 35 ".into();
    d.notice_date = "3.7.2023".into();
    d.notice_kind = "feststellung_60a".into();
    d.district = "16053".into();
    d.themes = vec!["bildung".into(), "sprache".into(), "bildung".into()];
    d.communities = vec!["  Syrien ".into(), "".into(), "Syrien".into(), "Ukraine".into()];
    d.email = "Info@Mueller-Haus.de".into();
    let f = validate(&d, TODAY, Some("migranetz")).unwrap();
    assert_eq!(f.name, "Müller-Haus");
    assert_eq!(f.name.chars().count(), 11, "stored as NFC");
    assert_eq!(f.website.as_deref(), Some("https://www.mueller-haus.de"));
    assert_eq!((f.members, f.volunteers), (Some(1200), Some(35)));
    assert_eq!(f.notice_date.as_deref(), Some("2023-07-03"));
    assert_eq!(f.state.as_deref(), Some("TH"), "state follows the district");
    assert_eq!(f.themes, ["bildung", "sprache"]);
    assert_eq!(f.communities, ["Syrien", "Ukraine"]);
    assert_eq!(f.status, "active");
    assert_eq!(
        f.owner_network.as_deref(),
        Some("migranetz"),
        "owned by this installation's network"
    );
    assert_eq!(validate(&draft("X"), TODAY, Some("other")).unwrap().owner_network, None);
}

#[test]
fn a_district_must_lie_in_the_chosen_state() {
    let mut d = draft("Grenzfall");
    d.state = "ST".into();
    d.district = "16053".into(); // Jena is in Thuringia
    let Err(Error::Invalid(errors)) = validate(&d, TODAY, None) else {
        panic!()
    };
    assert_eq!(errors[0].code, "district_state_mismatch");
    assert!(errors[0].message_de.contains("Jena"));
}

#[tokio::test]
async fn invalid_input_writes_nothing() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let a = association::create(store, &draft("Bestand"), LogoChange::Keep)
        .await
        .unwrap();
    let (stamps, clock) = (
        db.count("SELECT COUNT(*) FROM stamps").await,
        store.clock().await.unwrap(),
    );
    for (field, value, code) in BAD.iter().filter(|(_, _, c)| *c != "unknown_code_never") {
        let bad = set(field, value);
        assert!(
            association::create(store, &bad, LogoChange::Keep).await.is_err(),
            "{field} {code}"
        );
        assert!(
            association::update(store, &a.id, &bad, LogoChange::Keep).await.is_err(),
            "{field} {code}"
        );
    }
    assert_eq!(db.count("SELECT COUNT(*) FROM associations").await, 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM stamps").await, stamps);
    assert_eq!(store.clock().await.unwrap(), clock);
    assert_eq!(association::get(store, &a.id).await.unwrap().fields.name, "Bestand");
}

#[tokio::test]
async fn text_is_stored_as_nfc() {
    let db = TestDb::new().await;
    let mut d = draft("Nguye\u{0302}\u{0303}n Thi\u{0323} Hu\u{031B}o\u{031B}\u{0300}ng"); // decomposed Vietnamese
    d.city = "Go\u{0308}ttingen".into();
    let a = association::create(&db.k.store, &d, LogoChange::Keep).await.unwrap();
    let (name, city): (String, String) = sqlx::query_as("SELECT name, city FROM associations WHERE id = ?")
        .bind(&a.id)
        .fetch_one(db.k.store.pool())
        .await
        .unwrap();
    assert_eq!(name, "Nguyễn Thị Hường");
    assert_eq!(city, "Göttingen");
    assert_eq!(city.len(), "Göttingen".len(), "precomposed ö in the stored bytes");
}

#[tokio::test]
async fn the_notice_runs_out_after_five_years_or_three_when_provisional() {
    let db = TestDb::new().await;
    let mut d = draft("Gemeinnützig");
    d.charitable_status = "recognised".into();
    d.notice_kind = "freistellungsbescheid".into();
    d.notice_date = "2021-05-10".into();
    let a = association::create(&db.k.store, &d, LogoChange::Keep).await.unwrap();
    assert_eq!(a.notice_valid_until.as_deref(), Some("2026-05-10"));
    d.notice_kind = "feststellung_60a".into();
    d.notice_date = "2024-02-29".into();
    let a = association::update(&db.k.store, &a.id, &d, LogoChange::Keep)
        .await
        .unwrap();
    assert_eq!(a.notice_valid_until.as_deref(), Some("2027-02-28"));
}
