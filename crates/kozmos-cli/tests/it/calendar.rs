//! Calendar export: a file that a real iCalendar parser reads back with every event, in every
//! script, with the RFC 5545 line rules kept, and the overdue/open filters behind reminders.

use crate::common;

use common::{draft, TestDb};
use icalendar::parser::{read_calendar_simple, unfold, Component};
use kozmos_core::association::{self, LogoChange};
use kozmos_core::calendar;
use kozmos_core::cooperation::{self, CooperationDraft, CooperationQuery};
use kozmos_core::error::Lang;
use kozmos_core::foundation::{self, FoundationDraft};
use kozmos_core::Error;

fn day(offset: i64) -> String {
    (common::noon_day() + time::Duration::days(offset)).to_string()
}

fn compact(iso: &str) -> String {
    iso.replace('-', "")
}

/// An association and a foundation with names in other scripts and RFC 5545 special characters.
async fn parties(db: &TestDb) -> (String, String) {
    let a = association::create(
        &db.k.store,
        &draft("Hội Người Việt Erfurt; Kultur, Bildung \\ Sprache"),
        LogoChange::Keep,
    )
    .await
    .unwrap();
    let f = foundation::create(
        &db.k.store,
        &FoundationDraft {
            name: "مؤسسة الجسر – Фонд «Міст»".into(),
            application_route: "deadlines".into(),
            deadlines: vec![day(-3), day(0), day(40)],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    (a.id, f.id)
}

async fn cooperation(db: &TestDb, a: &str, f: &str, idea: &str, stage: &str, due: Option<String>) -> String {
    cooperation::create(
        &db.k.store,
        &CooperationDraft {
            idea: idea.into(),
            association_id: a.into(),
            foundation_id: f.into(),
            stage: stage.into(),
            next_step: "Antrag nachreichen, Budget prüfen".into(),
            next_step_due: due.unwrap_or_default(),
            next_step_owner: "Олена Коваль".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id
}

fn value(c: &Component, name: &str) -> String {
    c.properties
        .iter()
        .find(|p| p.name.as_str() == name)
        .map(|p| p.val.clone().unescape_text().as_str().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_file_parses_with_every_open_follow_up_and_coming_deadline() {
    let db = TestDb::new().await;
    let (a, f) = parties(&db).await;
    let overdue = cooperation(
        &db,
        &a,
        &f,
        "Sprachcafé mit Kinderbetreuung",
        "erstkontakt",
        Some(day(-5)),
    )
    .await;
    let soon = cooperation(&db, &a, &f, "Nähkurs", "gespraech", Some(day(2))).await;
    cooperation(&db, &a, &f, "Abgeschlossenes", "abgeschlossen", Some(day(1))).await;
    cooperation(&db, &a, &f, "Ohne Termin", "idee", None).await;

    let now = time::OffsetDateTime::now_utc();
    let export = calendar::export(&db.k.store, Lang::De, now).await.unwrap();
    assert_eq!((export.followups, export.deadlines), (2, 2), "{}", export.text);

    // RFC 5545 line rules: CRLF only, at most 75 octets per line, continuation lines start with a space.
    let text = &export.text;
    assert!(text.ends_with("\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "bare line feed");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
    }

    let unfolded = unfold(text);
    let parsed = read_calendar_simple(&unfolded).expect("a real iCalendar parser reads the file");
    let root = &parsed[0];
    assert_eq!(root.name.as_str(), "VCALENDAR");
    assert_eq!(value(root, "VERSION"), "2.0");
    assert!(!value(root, "PRODID").is_empty());
    let events: Vec<&Component> = root.components.iter().filter(|c| c.name.as_str() == "VEVENT").collect();
    assert_eq!(events.len(), 4);
    for e in &events {
        for required in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"] {
            assert!(!value(e, required).is_empty(), "{required} missing");
        }
        let alarm = e
            .components
            .iter()
            .find(|c| c.name.as_str() == "VALARM")
            .expect("reminder");
        assert_eq!(value(alarm, "ACTION"), "DISPLAY");
        assert!(!value(alarm, "TRIGGER").is_empty());
    }
    let by_uid = |uid: &str| *events.iter().find(|e| value(e, "UID") == uid).expect(uid);

    let late = by_uid(&format!("followup-{overdue}@kozmos"));
    assert_eq!(value(late, "DTSTART"), compact(&day(-5)));
    assert_eq!(
        value(late, "DTEND"),
        compact(&day(-4)),
        "an all-day event ends the next day"
    );
    assert_eq!(
        value(late, "SUMMARY"),
        "Antrag nachreichen, Budget prüfen: Hội Người Việt Erfurt; Kultur, Bildung \\ Sprache × مؤسسة الجسر – Фонд «Міст»"
    );
    let description = value(late, "DESCRIPTION");
    assert!(
        description.contains("Kooperation: Sprachcafé mit Kinderbetreuung\nPhase: Erstkontakt"),
        "{description}"
    );
    assert!(description.contains("Zuständig: Олена Коваль"), "{description}");
    assert_eq!(
        value(by_uid(&format!("followup-{soon}@kozmos")), "DTSTART"),
        compact(&day(2))
    );

    let deadline = by_uid(&format!("deadline-{f}-{}@kozmos", day(40)));
    assert_eq!(value(deadline, "SUMMARY"), "Antragsfrist: مؤسسة الجسر – Фонд «Міст»");
    assert!(
        events.iter().all(|e| value(e, "DTSTART") != compact(&day(-3))),
        "past deadline exported"
    );
    assert!(
        by_uid(&format!("deadline-{f}-{}@kozmos", day(0))).properties.len() > 3,
        "deadline today kept"
    );

    let english = calendar::export(&db.k.store, Lang::En, now).await.unwrap();
    let english = unfold(&english.text);
    assert!(english.contains("SUMMARY:Application deadline: "), "{english}");
    assert!(english.contains("\\nStage: First contact"), "{english}");
}

#[tokio::test]
async fn the_same_state_gives_the_same_events_so_a_new_import_updates_them() {
    let db = TestDb::new().await;
    let (a, f) = parties(&db).await;
    let id = cooperation(&db, &a, &f, "Sprachcafé", "idee", Some(day(3))).await;
    let now = time::OffsetDateTime::now_utc();
    let first = calendar::export(&db.k.store, Lang::De, now).await.unwrap().text;
    assert_eq!(first, calendar::export(&db.k.store, Lang::De, now).await.unwrap().text);

    let mut moved = CooperationDraft::try_from(&cooperation::get(&db.k.store, &id).await.unwrap().fields).unwrap();
    moved.next_step_due = day(9);
    cooperation::update(&db.k.store, &id, &moved).await.unwrap();
    let second = calendar::export(&db.k.store, Lang::De, now).await.unwrap().text;
    let uid = format!("UID:followup-{id}@kozmos");
    assert!(first.contains(&uid) && second.contains(&uid), "the event keeps its UID");
    assert!(second.contains(&format!("DTSTART;VALUE=DATE:{}", compact(&day(9)))));
}

#[tokio::test]
async fn an_empty_register_gives_an_empty_but_valid_calendar() {
    let db = TestDb::new().await;
    let export = calendar::export(&db.k.store, Lang::De, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!((export.followups, export.deadlines), (0, 0));
    let unfolded = unfold(&export.text);
    let parsed = read_calendar_simple(&unfolded).unwrap();
    assert_eq!(parsed[0].name.as_str(), "VCALENDAR");
    assert!(parsed[0].components.is_empty());
}

#[tokio::test]
async fn due_filters_find_overdue_open_follow_ups_and_refuse_bad_dates() {
    let db = TestDb::new().await;
    let (a, f) = parties(&db).await;
    let late = cooperation(&db, &a, &f, "Überfällig", "erstkontakt", Some(day(-1))).await;
    cooperation(&db, &a, &f, "Heute", "erstkontakt", Some(day(0))).await;
    cooperation(&db, &a, &f, "Abgelehnt", "abgelehnt", Some(day(-9))).await;
    let overdue = cooperation::list(
        &db.k.store,
        &CooperationQuery {
            open_only: true,
            due_until: Some(day(-1)),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        overdue.items.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
        vec![late]
    );
    assert_eq!(overdue.items[0].next_step_owner.as_deref(), Some("Олена Коваль"));

    let overview = kozmos_core::overview::overview(&db.k.store).await.unwrap();
    assert_eq!(overview.overdue_total, 1);
    assert_eq!(overview.due_this_week.len(), 1);

    for bad in ["morgen", "2026-13-45", "<script>", "x".repeat(5000).as_str()] {
        let query = CooperationQuery {
            due_until: Some(bad.into()),
            ..Default::default()
        };
        match cooperation::list(&db.k.store, &query).await {
            Err(Error::Invalid(errors)) => assert_eq!(errors[0].field, "due_until"),
            other => panic!("{bad:?} gave {other:?}"),
        }
    }
}

#[test]
fn long_lines_fold_between_characters_never_inside_one() {
    let name = "ỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆỆ مؤسسة";
    let deadline = kozmos_core::overview::Deadline {
        foundation_id: "f".into(),
        foundation_name: name.into(),
        date: "2027-01-15".into(),
    };
    let text = calendar::render(&[], &[deadline], Lang::De, time::OffsetDateTime::UNIX_EPOCH);
    assert!(text.split("\r\n").all(|l| l.len() <= 75));
    assert!(text.contains("DTSTAMP:19700101T000000Z"));
    let unfolded = unfold(&text);
    let parsed = read_calendar_simple(&unfolded).unwrap();
    let event = &parsed[0].components[0];
    assert_eq!(value(event, "SUMMARY"), format!("Antragsfrist: {name}"));
}
