//! Cooperations: validation, exact cents, stage changes logged, the board, and no orphans.

use crate::common;

use common::{draft as association_draft, TestDb};
use kozmos_core::association::{self, LogoChange};
use kozmos_core::cooperation::{self, ActivityDraft, CooperationDraft, CooperationQuery};
use kozmos_core::foundation::{self, FoundationDraft};
use kozmos_core::store::Life;
use kozmos_core::Error;

struct Parties {
    association: String,
    foundation: String,
}

async fn parties(db: &TestDb) -> Parties {
    kozmos_core::site::set_up(db.k.store.pool(), "migranetz", "Trần Văn Nam")
        .await
        .unwrap();
    let a = association::create(
        &db.k.store,
        &association_draft("Vietnamesischer Verein Erfurt"),
        LogoChange::Keep,
    )
    .await
    .unwrap();
    let f = foundation::create(
        &db.k.store,
        &FoundationDraft {
            name: "Bürgerstiftung Erfurt".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    Parties {
        association: a.id,
        foundation: f.id,
    }
}

fn idea(p: &Parties, title: &str) -> CooperationDraft {
    CooperationDraft {
        idea: title.into(),
        association_id: p.association.clone(),
        foundation_id: p.foundation.clone(),
        ..Default::default()
    }
}

#[test]
fn every_bad_value_is_reported_at_its_field() {
    let base = CooperationDraft {
        idea: "Sprachcafé".into(),
        association_id: "a".into(),
        foundation_id: "f".into(),
        ..Default::default()
    };
    let cases: &[(&str, &str, &str)] = &[
        ("idea", "", "required"),
        ("idea", "Zeile\nZwei", "line_breaks"),
        ("association_id", "", "required"),
        ("foundation_id", " ", "required"),
        ("stage", "fertig", "unknown_code"),
        ("amount_requested", "viel", "money_invalid"),
        ("amount_granted", "-1", "out_of_range"),
        ("first_contact", "30.02.2026", "date_invalid"),
        ("next_step_due", "morgen", "date_invalid"),
        ("next_step", &"x".repeat(301), "too_long"),
        ("description", "\u{0}", "control_characters"),
    ];
    for (field, value, code) in cases {
        let Err(Error::Invalid(errors)) = cooperation::validate(&common::with_field(&base, field, value)) else {
            panic!("{field}={value:?} accepted")
        };
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            (*field, *code),
            "{field}={value:?}"
        );
    }
    let mut reversed = base.clone();
    reversed.project_start = "2027-06-01".into();
    reversed.project_end = "2027-05-31".into();
    let Err(Error::Invalid(errors)) = cooperation::validate(&reversed) else {
        panic!()
    };
    assert_eq!(errors[0].code, "ends_before_start");
}

#[tokio::test]
async fn amounts_stay_exact_cents() {
    let db = TestDb::new().await;
    let p = parties(&db).await;
    let mut d = idea(&p, "Hausaufgabenhilfe");
    d.amount_requested = "12.345,67".into();
    d.amount_granted = "0,10".into();
    let c = cooperation::create(&db.k.store, &d).await.unwrap();
    assert_eq!(
        (c.fields.amount_requested, c.fields.amount_granted),
        (Some(1_234_567), Some(10))
    );
    let stored: (i64, i64) = sqlx::query_as("SELECT amount_requested, amount_granted FROM cooperations WHERE id = ?")
        .bind(&c.id)
        .fetch_one(db.k.store.pool())
        .await
        .unwrap();
    assert_eq!(stored, (1_234_567, 10), "integers in the database, never floats");
    assert_eq!(
        CooperationDraft::try_from(&c.fields).unwrap().amount_requested,
        "12345.67"
    );
}

#[tokio::test]
async fn stage_changes_are_logged_automatically_and_only_then() {
    let db = TestDb::new().await;
    let p = parties(&db).await;
    let store = &db.k.store;
    let c = cooperation::create(store, &idea(&p, "Sprachcafé für Eltern"))
        .await
        .unwrap();
    assert_eq!(c.fields.stage, "idee");
    assert_eq!(c.activities.len(), 1);
    assert_eq!(
        (
            c.activities[0].stage_from.as_deref(),
            c.activities[0].stage_to.as_deref()
        ),
        (None, Some("idee"))
    );
    assert_eq!(c.activities[0].who.as_deref(), Some("Trần Văn Nam"));

    let c = cooperation::set_stage(store, &c.id, "erstkontakt").await.unwrap();
    let mut d = CooperationDraft::try_from(&c.fields).unwrap();
    d.next_step = "Termin vereinbaren".into();
    let c = cooperation::update(store, &c.id, &d).await.unwrap();
    assert_eq!(c.activities.len(), 2, "an edit without a stage change logs nothing");
    assert_eq!(c.activities[0].stage_from.as_deref(), Some("idee"));
    assert_eq!(c.activities[0].stage_to.as_deref(), Some("erstkontakt"));

    let c = cooperation::add_activity(
        store,
        &c.id,
        &ActivityDraft {
            date: "".into(),
            kind: "call".into(),
            text: "Rückruf der Stiftung".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(c.activities.len(), 3);
    for bad in [
        ActivityDraft {
            date: "".into(),
            kind: "".into(),
            text: "x".into(),
        },
        ActivityDraft {
            date: "".into(),
            kind: "fax".into(),
            text: "x".into(),
        },
        ActivityDraft {
            date: "".into(),
            kind: "note".into(),
            text: "   ".into(),
        },
        ActivityDraft {
            date: "2099-01-01".into(),
            kind: "note".into(),
            text: "x".into(),
        },
    ] {
        assert!(
            matches!(
                cooperation::add_activity(store, &c.id, &bad).await,
                Err(Error::Invalid(_))
            ),
            "{bad:?}"
        );
    }
    assert!(matches!(
        cooperation::set_stage(store, &c.id, "gewonnen").await,
        Err(Error::Invalid(_))
    ));
    assert_eq!(
        cooperation::get(store, &c.id).await.unwrap().activities.len(),
        3,
        "nothing half-written"
    );
}

#[tokio::test]
async fn the_board_has_every_stage_in_order() {
    let db = TestDb::new().await;
    let p = parties(&db).await;
    let store = &db.k.store;
    for (title, stage) in [("A", "idee"), ("B", "idee"), ("C", "bewilligt"), ("D", "abgeschlossen")] {
        let mut d = idea(&p, title);
        d.stage = stage.into();
        cooperation::create(store, &d).await.unwrap();
    }
    let board = cooperation::board(store, &CooperationQuery::default(), 50)
        .await
        .unwrap();
    let stages: Vec<_> = board.iter().map(|c| c.stage.as_str()).collect();
    assert_eq!(stages.len(), 10);
    assert_eq!((stages[0], stages[9]), ("idee", "abgeschlossen"));
    let counts: Vec<_> = board.iter().map(|c| c.total).collect();
    assert_eq!(counts, [2, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    assert_eq!(board[0].items[0].association_name, "Vietnamesischer Verein Erfurt");
}

#[tokio::test]
async fn organisations_with_cooperations_are_not_deleted_silently_and_nothing_is_orphaned() {
    let db = TestDb::new().await;
    let p = parties(&db).await;
    let store = &db.k.store;
    let c = cooperation::create(store, &idea(&p, "Kulturfest")).await.unwrap();

    let Err(Error::Invalid(errors)) = association::delete(store, &p.association).await else {
        panic!("deleted")
    };
    assert_eq!(errors[0].code, "has_cooperations");
    assert_eq!(association::get(store, &p.association).await.unwrap().life, Life::Alive);
    assert!(foundation::delete(store, &p.foundation).await.is_err());

    let (a, deleted) = association::delete_with(store, &p.association, true).await.unwrap();
    assert_eq!((a.life, deleted), (Life::Deleted, vec![c.id.clone()]));
    assert_eq!(cooperation::get(store, &c.id).await.unwrap().life, Life::Deleted);
    let orphans: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cooperations c JOIN associations a ON a.id = c.association_id
         WHERE c.life = 'alive' AND a.life <> 'alive'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(orphans, 0);
    assert!(
        matches!(cooperation::restore(store, &c.id).await, Err(Error::NotFound { .. })),
        "its association is gone"
    );
    assert!(matches!(
        cooperation::create(store, &idea(&p, "Neu")).await,
        Err(Error::NotFound { .. })
    ));
    let broken: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert!(broken.is_empty(), "foreign keys hold");

    association::restore(store, &p.association).await.unwrap();
    assert_eq!(cooperation::restore(store, &c.id).await.unwrap().life, Life::Alive);
}
