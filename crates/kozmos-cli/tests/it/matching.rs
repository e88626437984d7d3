//! Matching: every hard filter and score part, table-driven, and the ranking.

use crate::common::{self, Finish as _};

use kozmos_core::matching::{evaluate, rank, weights, AssociationFacts, FoundationFacts};
use time::macros::date;

const TODAY: time::Date = date!(2026 - 11 - 29);

fn verein() -> AssociationFacts {
    AssociationFacts {
        id: "a".into(),
        name: "Ukrainische Gemeinde Jena".into(),
        city: Some("Jena".into()),
        district: Some("16053".into()),
        state: Some("TH".into()),
        legal_form: Some("ev".into()),
        founded_year: Some(2015),
        charitable_status: Some("recognised".into()),
        notice_valid_until: Some("2028-01-01".into()),
        themes: vec!["bildung".into(), "sprache".into()],
        target_groups: vec!["children".into()],
        needs: vec!["project".into()],
        amount_needed: Some(500_000),
    }
}

fn stiftung() -> FoundationFacts {
    FoundationFacts {
        id: "f".into(),
        name: "Bürgerstiftung Jena".into(),
        accepts_applications: Some("yes".into()),
        application_route: Some("open".into()),
        funding_area: Some("nationwide".into()),
        themes: vec!["bildung".into()],
        target_groups: vec!["children".into()],
        support_kinds: vec!["project".into()],
        grant_min: Some(100_000),
        grant_max: Some(1_000_000),
        requires_charitable: Some("yes".into()),
        ev_only: Some("no".into()),
        min_age_years: Some(0),
        ..Default::default()
    }
}

#[test]
fn every_hard_filter_excludes_with_its_reason() {
    type Case = (
        &'static str,
        fn(&mut AssociationFacts, &mut FoundationFacts),
        Option<&'static str>,
    );
    let cases: &[Case] = &[
        ("fits", |_, _| {}, None),
        (
            "no unsolicited applications",
            |_, f| f.accepts_applications = Some("no".into()),
            Some("no_applications"),
        ),
        ("nationwide covers all", |a, _| a.state = Some("BY".into()), None),
        (
            "east covers Thuringia",
            |_, f| f.funding_area = Some("east".into()),
            None,
        ),
        (
            "east leaves out Bavaria",
            |a, f| {
                f.funding_area = Some("east".into());
                a.state = Some("BY".into());
            },
            Some("area_outside"),
        ),
        (
            "state list",
            |_, f| {
                f.funding_area = Some("state".into());
                f.area_states = vec!["ST".into()];
            },
            Some("area_outside"),
        ),
        (
            "district list",
            |_, f| {
                f.funding_area = Some("district".into());
                f.area_districts = vec!["16053".into()];
            },
            None,
        ),
        (
            "municipality, other spelling",
            |_, f| {
                f.funding_area = Some("municipality".into());
                f.area_municipality = Some("JENA".into());
            },
            None,
        ),
        (
            "charitable status only applied for",
            |a, _| a.charitable_status = Some("applied".into()),
            Some("not_charitable"),
        ),
        (
            "expired notice",
            |a, _| a.notice_valid_until = Some("2026-11-28".into()),
            Some("notice_expired"),
        ),
        (
            "notice runs out today: still current",
            |a, _| a.notice_valid_until = Some("2026-11-29".into()),
            None,
        ),
        (
            "registered associations only",
            |a, f| {
                f.ev_only = Some("yes".into());
                a.legal_form = Some("initiative".into());
            },
            Some("not_ev"),
        ),
        (
            "too young",
            |a, f| {
                f.min_age_years = Some(3);
                a.founded_year = Some(2025);
            },
            Some("too_young"),
        ),
        (
            "deadline passed",
            |_, f| {
                f.application_route = Some("deadlines".into());
                f.deadlines = vec!["2026-11-28".into()];
            },
            Some("no_open_deadline"),
        ),
        (
            "deadline today is still open",
            |_, f| {
                f.application_route = Some("deadlines".into());
                f.deadlines = vec!["2026-11-29".into()];
            },
            None,
        ),
        (
            "invitation only",
            |_, f| f.application_route = Some("invitation".into()),
            Some("invitation_only"),
        ),
    ];
    for (name, change, expected) in cases {
        let (mut a, mut f) = (verein(), stiftung());
        change(&mut a, &mut f);
        let m = evaluate(&a, &f, TODAY, 0);
        let codes: Vec<&str> = m.excluded_by.iter().map(|r| r.code).collect();
        match expected {
            None => assert!(m.eligible, "{name}: excluded by {codes:?}"),
            Some(code) => assert_eq!(codes, [*code], "{name}"),
        }
        assert!(m.excluded_by.iter().all(|r| !r.de.is_empty() && !r.en.is_empty()));
    }
}

#[test]
fn every_score_part_counts_with_its_reason() {
    let base = evaluate(&verein(), &stiftung(), TODAY, 0);
    let part = |code: &str| base.reasons.iter().find(|r| r.code == code).map(|r| r.points);
    assert_eq!(part("themes"), Some(weights::THEME));
    assert_eq!(part("target_groups"), Some(weights::TARGET_GROUP));
    assert_eq!(part("support"), Some(weights::SUPPORT_KIND));
    assert_eq!(part("amount_in_range"), Some(weights::AMOUNT_IN_RANGE));
    assert_eq!(
        base.score,
        weights::THEME + weights::TARGET_GROUP + weights::SUPPORT_KIND + weights::AMOUNT_IN_RANGE
    );
    assert!(base
        .reasons
        .iter()
        .any(|r| r.de.contains("1 gemeinsames Thema: Bildung & Weiterbildung")));

    // § 52: "sprache" (no. 7) meets "integration" (7, 10, 13) without a shared theme.
    let (a, mut f) = (verein(), stiftung());
    f.themes = vec!["integration".into()];
    let m = evaluate(&a, &f, TODAY, 0);
    assert!(m
        .reasons
        .iter()
        .any(|r| r.code == "para52" && r.points == weights::PARA52 && r.de.contains("Nr. 7")));

    // Earlier cooperations count, up to three.
    let m = evaluate(&verein(), &stiftung(), TODAY, 5);
    assert_eq!(
        m.reasons.iter().find(|r| r.code == "earlier").map(|r| r.points),
        Some(3 * weights::EARLIER_COOPERATION)
    );

    // Amount near and far.
    let mut a = verein();
    a.amount_needed = Some(1_200_000);
    assert!(evaluate(&a, &stiftung(), TODAY, 0)
        .reasons
        .iter()
        .any(|r| r.code == "amount_near_range"));
    a.amount_needed = Some(5_000_000);
    assert!(evaluate(&a, &stiftung(), TODAY, 0)
        .reasons
        .iter()
        .any(|r| r.code == "amount_above_range" && r.points == 0));
}

#[test]
fn what_is_unknown_lowers_the_confidence_not_the_score() {
    let mut f = stiftung();
    f.grant_max = None;
    f.grant_min = None;
    let m = evaluate(&verein(), &f, TODAY, 0);
    assert!(m.eligible);
    let unknown: Vec<&str> = m.unknown.iter().map(|r| r.code).collect();
    assert_eq!(unknown, ["grant_unknown"]);
    assert!(m.unknown[0].de.contains("Fördersumme der Stiftung unbekannt"));
    let full = evaluate(&verein(), &stiftung(), TODAY, 0);
    assert_eq!(
        m.score,
        full.score - weights::AMOUNT_IN_RANGE,
        "nothing guessed for the unknown"
    );
    assert!(m.confidence < full.confidence && full.confidence == 100);

    let bare = evaluate(
        &AssociationFacts {
            id: "x".into(),
            name: "Neu".into(),
            ..Default::default()
        },
        &FoundationFacts::default(),
        TODAY,
        0,
    );
    assert!(bare.confidence < 30, "{}", bare.confidence);
    assert!(bare.eligible, "nothing known is no reason to exclude");
}

#[test]
fn ranking_is_eligible_first_then_score_then_name_and_stable() {
    let a = verein();
    let mut foundations = Vec::new();
    for (i, (name, themes, accepts)) in [
        ("Zeta", vec!["bildung", "sprache"], "yes"),
        ("Alpha", vec!["bildung"], "yes"),
        ("Beta", vec!["bildung"], "yes"),
        ("Gamma", vec!["bildung", "sprache"], "no"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut f = stiftung();
        f.id = format!("f{i}");
        f.name = name.into();
        f.themes = themes.into_iter().map(String::from).collect();
        f.accepts_applications = Some(accepts.into());
        foundations.push(f);
    }
    let mut matches: Vec<_> = foundations.iter().map(|f| evaluate(&a, f, TODAY, 0)).collect();
    rank(&mut matches, true);
    let order: Vec<&str> = matches.iter().map(|m| &*m.foundation_name).collect();
    assert_eq!(order, ["Zeta", "Alpha", "Beta", "Gamma"]);
    let mut again: Vec<_> = foundations.iter().rev().map(|f| evaluate(&a, f, TODAY, 0)).collect();
    rank(&mut again, true);
    assert_eq!(
        again.iter().map(|m| &*m.foundation_name).collect::<Vec<_>>(),
        order,
        "input order does not matter"
    );
}

#[tokio::test]
async fn ranks_all_foundations_of_the_demo_data_for_an_association() {
    let db = common::TestDb::new().await;
    kozmos_core::demo::generate(&db.k.store, 1, 9).await.unwrap();
    let id: String = sqlx::query_scalar(
        "SELECT id FROM associations WHERE charitable_status = 'recognised' AND legal_form = 'ev'
           AND notice_date > date('now', '-4 years') ORDER BY rowid LIMIT 1",
    )
    .fetch_one(db.k.store.pool())
    .await
    .unwrap();
    let all = kozmos_core::matching::for_association(&db.k.store, &id, true)
        .await
        .unwrap();
    assert_eq!(all.len(), 40);
    let eligible = kozmos_core::matching::for_association(&db.k.store, &id, false)
        .await
        .unwrap();
    assert!(!eligible.is_empty() && eligible.len() < 40);
    assert!(eligible.windows(2).all(|w| w[0].score >= w[1].score));
    let f_id = &eligible[0].foundation_id;
    let reverse = kozmos_core::matching::for_foundation(&db.k.store, f_id, false)
        .await
        .unwrap();
    assert!(
        reverse.iter().any(|m| *m.association_id == *id),
        "the reverse view agrees"
    );
}

#[test]
fn the_cli_ranks_with_reasons_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let kozmos = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kozmos"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("KOZMOS_LANG", "de")
            .finish()
    };
    let json = |out: std::process::Output| serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap();
    let a = json(kozmos(&[
        "associations",
        "add",
        "--name",
        "Sprachbrücke Jena",
        "--district",
        "16053",
        "--city",
        "Jena",
        "--themes",
        "sprache",
        "--legal-form",
        "ev",
        "--charitable-status",
        "recognised",
        "--json",
    ]));
    let f = json(kozmos(&[
        "foundations",
        "add",
        "--name",
        "Stiftung Ost",
        "--funding-area",
        "east",
        "--themes",
        "sprache",
        "--accepts-applications",
        "yes",
        "--application-route",
        "open",
        "--json",
    ]));
    json(kozmos(&[
        "foundations",
        "add",
        "--name",
        "Stiftung West",
        "--funding-area",
        "state",
        "--area-states",
        "NW",
        "--json",
    ]));
    let ranked = json(kozmos(&["match", "association", a["id"].as_str().unwrap(), "--json"]));
    assert_eq!(ranked.as_array().unwrap().len(), 1);
    assert_eq!(ranked[0]["foundation_id"], f["id"]);
    let all = json(kozmos(&[
        "match",
        "association",
        a["id"].as_str().unwrap(),
        "--all",
        "--json",
    ]));
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(all[1]["excluded_by"][0]["code"], "area_outside");
    let text = String::from_utf8(kozmos(&["match", "foundation", f["id"].as_str().unwrap()]).stdout).unwrap();
    assert!(
        text.contains("Sprachbrücke Jena") && text.contains("1 gemeinsames Thema: Sprache"),
        "{text}"
    );
    assert_eq!(kozmos(&["match", "association", "nope"]).status.code(), Some(1));
}

#[tokio::test]
async fn a_match_becomes_a_cooperation_at_idee_with_its_reasons_in_the_log() {
    use kozmos_core::association::{self, AssociationDraft, LogoChange};
    use kozmos_core::foundation::{self, FoundationDraft};
    let db = common::TestDb::new().await;
    let store = &db.k.store;
    let a = association::create(
        store,
        &AssociationDraft {
            name: "Sprachbrücke Jena".into(),
            district: "16053".into(),
            city: "Jena".into(),
            themes: vec!["sprache".into()],
            ..Default::default()
        },
        LogoChange::Keep,
    )
    .await
    .unwrap();
    kozmos_core::project::add_idea(
        store,
        &a.id,
        &kozmos_core::project::IdeaDraft {
            title: "Elterncafé".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let f = foundation::create(
        store,
        &FoundationDraft {
            name: "Stiftung Ost".into(),
            funding_area: "east".into(),
            themes: vec!["sprache".into()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let c = kozmos_core::matching::start_cooperation(store, &a.id, &f.id)
        .await
        .unwrap();
    assert_eq!(
        (c.fields.stage.as_str(), c.fields.idea.as_str()),
        ("idee", "Elterncafé")
    );
    let note = c
        .activities
        .iter()
        .find(|e| e.kind == "note")
        .and_then(|e| e.text.clone())
        .unwrap();
    assert!(
        note.contains("1 gemeinsames Thema: Sprache") && note.contains("Ostdeutschland"),
        "{note}"
    );
    assert!(
        note.contains("? Fördersumme der Stiftung unbekannt"),
        "open questions travel too: {note}"
    );
    assert_eq!(c.activities.len(), 2, "the stage entry and the note");
}

/// The ids, scores and confidences of a list of matches, in order.
fn verdicts(matches: &[kozmos_core::matching::Match]) -> Vec<(String, String, i32, u8, bool)> {
    matches
        .iter()
        .map(|m| {
            (
                m.association_id.to_string(),
                m.foundation_id.to_string(),
                m.score,
                m.confidence,
                m.eligible,
            )
        })
        .collect()
}

#[tokio::test]
async fn the_counting_and_the_explaining_agree_on_every_pair_of_the_demo_data() {
    use kozmos_core::matching;
    let db = common::TestDb::new().await;
    let store = &db.k.store;
    kozmos_core::demo::generate(store, 1, 9).await.unwrap();
    // The cross table only counts (no reasons); the lists explain every match they return.
    let table = matching::cross_table(store, usize::MAX).await.unwrap();
    assert_eq!(table.len(), 140);
    assert!(table.windows(2).all(|w| w[0].association_name <= w[1].association_name));
    let mut pairs = 0;
    for row in &table {
        let all = matching::for_association(store, &row.association_id, true)
            .await
            .unwrap();
        assert_eq!(all.len(), 40);
        for m in &all {
            assert_eq!(m.score, m.reasons.iter().map(|r| r.points).sum::<i32>());
            assert_eq!(m.eligible, m.excluded_by.is_empty());
        }
        let mut ranked = all.clone();
        matching::rank(&mut ranked, true);
        assert_eq!(verdicts(&ranked), verdicts(&all), "ranked by the same order as `rank`");
        let eligible: Vec<_> = all.iter().filter(|m| m.eligible).collect();
        let counted: Vec<_> = row
            .best
            .iter()
            .map(|p| {
                (
                    p.foundation_id.as_str(),
                    p.foundation_name.as_str(),
                    p.score,
                    p.confidence,
                )
            })
            .collect();
        let explained: Vec<_> = eligible
            .iter()
            .map(|m| (&*m.foundation_id, &*m.foundation_name, m.score, m.confidence))
            .collect();
        assert_eq!(counted, explained, "{}", row.association_name);
        pairs += all.len();
    }
    assert_eq!(pairs, 140 * 40);

    // Top 3: the first three of each full list.
    let top = matching::cross_table(store, 3).await.unwrap();
    for (short, long) in top.iter().zip(&table) {
        assert_eq!(short.best[..], long.best[..long.best.len().min(3)]);
    }

    // One pair on its own, and seen from the foundation, is the same match.
    let row = table.iter().find(|r| !r.best.is_empty()).unwrap();
    let f = &row.best[0].foundation_id;
    let one = matching::pair(store, &row.association_id, f).await.unwrap();
    let from_foundation = matching::for_foundation(store, f, true).await.unwrap();
    let seen = from_foundation
        .iter()
        .find(|m| *m.association_id == *row.association_id)
        .unwrap();
    assert_eq!(
        (&one.reasons, &one.unknown, one.score, one.confidence),
        (&seen.reasons, &seen.unknown, seen.score, seen.confidence)
    );
}

#[tokio::test]
async fn pages_are_slices_of_the_full_ranking() {
    use kozmos_core::matching;
    let db = common::TestDb::new().await;
    let store = &db.k.store;
    kozmos_core::demo::generate(store, 1, 9).await.unwrap();
    let f: String = sqlx::query_scalar("SELECT id FROM foundations ORDER BY rowid LIMIT 1")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let a: String = sqlx::query_scalar("SELECT id FROM associations ORDER BY rowid LIMIT 1")
        .fetch_one(store.pool())
        .await
        .unwrap();
    for include_excluded in [true, false] {
        let full = matching::for_foundation(store, &f, include_excluded).await.unwrap();
        assert_eq!(
            verdicts(&matching::for_foundation(store, &f, include_excluded).await.unwrap()),
            verdicts(&full),
            "the same order every time"
        );
        for (offset, limit) in [(0, 5), (5, 10), (0, 0), (130, 50), (1000, 5)] {
            let page = matching::for_foundation_page(store, &f, &page(include_excluded, offset, limit))
                .await
                .unwrap();
            let (from, to) = (
                (offset as usize).min(full.len()),
                (offset as usize + limit as usize).min(full.len()),
            );
            assert_eq!(page.total as usize, full.len());
            assert_eq!(verdicts(&page.items), verdicts(&full[from..to]), "{offset} {limit}");
            assert_eq!(
                page.items.first().map(|m| &m.reasons),
                full[from..to].first().map(|m| &m.reasons)
            );
        }
        let full = matching::for_association(store, &a, include_excluded).await.unwrap();
        let page = matching::for_association_page(store, &a, &page(include_excluded, 3, 7))
            .await
            .unwrap();
        assert_eq!(page.total as usize, full.len());
        assert_eq!(
            verdicts(&page.items),
            verdicts(&full[3.min(full.len())..10.min(full.len())])
        );
    }
    assert!(matches!(
        matching::for_foundation_page(store, "nope", &page(true, 0, 5)).await,
        Err(kozmos_core::Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn stored_texts_are_read_exactly_and_broken_lists_are_errors() {
    use kozmos_core::association::{self, AssociationDraft, LogoChange};
    use kozmos_core::foundation::{self, FoundationDraft};
    use kozmos_core::matching;
    let db = common::TestDb::new().await;
    let store = &db.k.store;
    let name = "Verein \"Brücke\" \\ Міст 🌉";
    let a = association::create(
        store,
        &AssociationDraft {
            name: name.into(),
            district: "16053".into(),
            city: "Jena".into(),
            themes: vec!["sprache".into()],
            ..Default::default()
        },
        LogoChange::Keep,
    )
    .await
    .unwrap();
    kozmos_core::project::add_idea(
        store,
        &a.id,
        &kozmos_core::project::IdeaDraft {
            title: "Elterncafé".into(),
            amount_needed: "3000".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let f = foundation::create(
        store,
        &FoundationDraft {
            name: "Stiftung Ost".into(),
            funding_area: "east".into(),
            themes: vec!["sprache".into()],
            grant_max: "5000".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let from_association = matching::for_association(store, &a.id, true).await.unwrap();
    let from_foundation = matching::for_foundation(store, &f.id, true).await.unwrap();
    assert_eq!(&*from_foundation[0].association_name, name);
    assert_eq!(from_association[0].reasons, from_foundation[0].reasons);
    assert!(from_association[0].reasons.iter().any(|r| r.code == "amount_in_range"));

    // Lists that are not JSON lists of texts are damage, as everywhere else: an error, never a
    // ranking that silently leaves the themes out.
    for damaged in ["not json", "[1, 2]"] {
        sqlx::query("UPDATE foundations SET target_groups = ? WHERE id = ?")
            .bind(damaged)
            .bind(&f.id)
            .execute(store.pool())
            .await
            .unwrap();
        for result in [
            matching::for_foundation(store, &f.id, true).await,
            matching::for_association(store, &a.id, true).await,
        ] {
            assert_eq!(result.unwrap_err().payload().code, "database", "{damaged}");
        }
    }
}

/// Rankings keep what they read between calls; every change must still show at once: one made
/// through this store, one made by another process on the same file, and the next day.
#[tokio::test]
async fn a_ranking_shows_every_change_at_once() {
    use kozmos_core::association::{self, AssociationDraft, LogoChange};
    use kozmos_core::foundation::{self, FoundationDraft};
    use kozmos_core::matching;
    let db = common::TestDb::new().await;
    let store = &db.k.store;
    let verein = |name: &str, theme: &str| AssociationDraft {
        name: name.into(),
        district: "16053".into(),
        city: "Jena".into(),
        themes: vec![theme.into()],
        ..Default::default()
    };
    let a = association::create(store, &verein("Verein Brücke", "sprache"), LogoChange::Keep)
        .await
        .unwrap();
    let tomorrow = (common::noon_day() + time::Duration::days(1)).to_string();
    let f = foundation::create(
        store,
        &FoundationDraft {
            name: "Stiftung Ost".into(),
            funding_area: "east".into(),
            themes: vec!["sprache".into()],
            application_route: "deadlines".into(),
            deadlines: vec![tomorrow],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let f_id = f.id.as_str();
    let ranked = |store| async move {
        let all = matching::for_foundation(store, f_id, true).await.unwrap();
        (all.iter())
            .map(|m| (m.association_name.to_string(), m.eligible, m.score))
            .collect::<Vec<_>>()
    };
    let first = ranked(store).await;
    assert_eq!(first.len(), 1);
    let (_, eligible, score) = first[0].clone();
    assert!(eligible);
    assert_eq!(
        ranked(store).await,
        first,
        "unchanged data ranks the same when read again"
    );

    // A change through this store.
    association::update(store, &a.id, &verein("Verein Brücke", "sport"), LogoChange::Keep)
        .await
        .unwrap();
    let after_edit = ranked(store).await;
    assert!(after_edit[0].2 < score, "the shared theme is gone: {after_edit:?}");

    // A change by another process on the same file (the CLI while the app is open).
    let other = kozmos_core::Kozmos::open(&db.k.path).await.unwrap();
    association::create(&other.store, &verein("Zweiter Verein", "sprache"), LogoChange::Keep)
        .await
        .unwrap();
    association::delete(&other.store, &a.id).await.unwrap();
    other.close().await;
    let names: Vec<String> = ranked(store).await.into_iter().map(|(name, ..)| name).collect();
    assert_eq!(names, ["Zweiter Verein"]);

    // The next day but one, without any write: the only deadline has passed.
    db.clock.set(common::NOON + 2 * 86_400_000);
    let later = ranked(store).await;
    assert!(!later[0].1, "no open deadline any more: {later:?}");
    let reasons = matching::for_foundation(store, &f.id, true).await.unwrap();
    assert_eq!(reasons[0].excluded_by[0].code, "no_open_deadline");
}

fn page(include_excluded: bool, offset: u32, limit: u32) -> kozmos_core::matching::MatchQuery {
    kozmos_core::matching::MatchQuery {
        include_excluded,
        offset,
        limit,
        ..Default::default()
    }
}

mod narrowing {
    use kozmos_core::association::{self, AssociationDraft, LogoChange};
    use kozmos_core::foundation::{self, FoundationDraft};
    use kozmos_core::matching::{for_association_page, for_foundation_page, MatchQuery};
    use kozmos_core::project::{self, IdeaDraft};
    use kozmos_core::Error;

    use super::common::TestDb;

    fn query(theme: &str, region: &str, amount: &str) -> MatchQuery {
        MatchQuery {
            include_excluded: true,
            theme: Some(theme.into()).filter(|t: &String| !t.is_empty()),
            region: Some(region.into()).filter(|r: &String| !r.is_empty()),
            amount: amount.into(),
            limit: 100,
            ..Default::default()
        }
    }

    async fn foundation(db: &TestDb, name: &str, area: &str, places: &[&str], theme: &str, range: (&str, &str)) {
        let places: Vec<String> = places.iter().map(|p| p.to_string()).collect();
        let draft = FoundationDraft {
            name: name.into(),
            funding_area: area.into(),
            area_states: if area == "state" { places.clone() } else { vec![] },
            area_districts: if area == "district" { places.clone() } else { vec![] },
            area_municipality: if area == "municipality" {
                places[0].clone()
            } else {
                String::new()
            },
            themes: vec![theme.into()],
            grant_min: range.0.into(),
            grant_max: range.1.into(),
            ..Default::default()
        };
        foundation::create(&db.k.store, &draft).await.unwrap();
    }

    async fn association(db: &TestDb, name: &str, district: &str, theme: &str, need: &str) -> String {
        let draft = AssociationDraft {
            name: name.into(),
            district: district.into(),
            themes: vec![theme.into()],
            ..Default::default()
        };
        let id = association::create(&db.k.store, &draft, LogoChange::Keep)
            .await
            .unwrap()
            .id;
        if !need.is_empty() {
            let idea = IdeaDraft {
                title: "Vorhaben".into(),
                amount_needed: need.into(),
                ..Default::default()
            };
            project::add_idea(&db.k.store, &id, &idea).await.unwrap();
        }
        id
    }

    fn names(page: &kozmos_core::listing::Page<kozmos_core::matching::Match>, foundations: bool) -> Vec<String> {
        let mut names: Vec<String> = page
            .items
            .iter()
            .map(|m| {
                if foundations {
                    m.foundation_name.to_string()
                } else {
                    m.association_name.to_string()
                }
            })
            .collect();
        names.sort();
        names
    }

    #[tokio::test]
    async fn theme_region_and_amount_narrow_both_directions() {
        let db = TestDb::new().await;
        let halle = association(&db, "Verein Halle", "15002", "bildung", "8.000").await;
        association(&db, "Verein Jena", "16053", "kultur", "20.000").await;
        association(&db, "Verein Erfurt", "16051", "bildung", "").await;
        foundation(&db, "Bund", "nationwide", &[], "bildung", ("1.000", "10.000")).await;
        foundation(&db, "Ost", "east", &[], "kultur", ("", "")).await;
        foundation(&db, "Thüringen", "state", &["TH"], "bildung", ("", "50.000")).await;
        foundation(
            &db,
            "Kreis Halle",
            "district",
            &["15002"],
            "bildung",
            ("5.000", "6.000"),
        )
        .await;
        foundation(&db, "Kreis Jena", "district", &["16053"], "kultur", ("", "")).await;
        foundation(
            &db,
            "Stadt Halle",
            "municipality",
            &["Halle (Saale)"],
            "sport",
            ("", ""),
        )
        .await;
        foundation(&db, "Irgendwo", "", &[], "bildung", ("", "")).await;
        let store = &db.k.store;

        let cases: &[(&str, &str, &str, &[&str])] = &[
            (
                "",
                "",
                "",
                &[
                    "Bund",
                    "Irgendwo",
                    "Kreis Halle",
                    "Kreis Jena",
                    "Ost",
                    "Stadt Halle",
                    "Thüringen",
                ],
            ),
            ("kultur", "", "", &["Kreis Jena", "Ost"]),
            // A state: whole-area foundations, and those funding one of its districts; not a town by name alone.
            ("", "ST", "", &["Bund", "Kreis Halle", "Ost"]),
            ("", "TH", "", &["Bund", "Kreis Jena", "Ost", "Thüringen"]),
            // A district: a town foundation of the same name counts.
            ("", "15002", "", &["Bund", "Kreis Halle", "Ost", "Stadt Halle"]),
            // An amount: only known grant ranges that hold it.
            ("", "", "5.500", &["Bund", "Kreis Halle", "Thüringen"]),
            ("", "", "12.000", &["Thüringen"]),
            ("bildung", "15002", "5.500", &["Bund", "Kreis Halle"]),
            ("sport", "TH", "", &[]),
        ];
        for (theme, region, amount, expected) in cases {
            let page = for_association_page(store, &halle, &query(theme, region, amount))
                .await
                .unwrap();
            assert_eq!(
                names(&page, true),
                *expected,
                "theme {theme:?} region {region:?} amount {amount:?}"
            );
            assert_eq!(page.total as usize, expected.len());
        }

        let thuringia = {
            let q = query("", "", "");
            let page = for_association_page(store, &halle, &q).await.unwrap();
            page.items
                .iter()
                .find(|m| &*m.foundation_name == "Thüringen")
                .unwrap()
                .foundation_id
                .clone()
        };
        let reverse: &[(&str, &str, &str, &[&str])] = &[
            ("", "", "", &["Verein Erfurt", "Verein Halle", "Verein Jena"]),
            ("bildung", "", "", &["Verein Erfurt", "Verein Halle"]),
            ("", "TH", "", &["Verein Erfurt", "Verein Jena"]),
            ("", "16053", "", &["Verein Jena"]),
            // An amount: associations whose known need is at most that much.
            ("", "", "10.000", &["Verein Halle"]),
            ("", "", "20.000", &["Verein Halle", "Verein Jena"]),
        ];
        for (theme, region, amount, expected) in reverse {
            let page = for_foundation_page(store, &thuringia, &query(theme, region, amount))
                .await
                .unwrap();
            assert_eq!(
                names(&page, false),
                *expected,
                "theme {theme:?} region {region:?} amount {amount:?}"
            );
        }

        // Narrowing never changes a score: the same pair scores alike with and without it.
        let all = for_association_page(store, &halle, &query("", "", "")).await.unwrap();
        let narrowed = for_association_page(store, &halle, &query("bildung", "ST", ""))
            .await
            .unwrap();
        for m in &narrowed.items {
            let same = all.items.iter().find(|x| x.foundation_id == m.foundation_id).unwrap();
            assert_eq!(
                (m.score, m.eligible, m.confidence),
                (same.score, same.eligible, same.confidence)
            );
        }
    }

    #[tokio::test]
    async fn bad_narrowing_values_are_reported_at_their_fields() {
        let db = TestDb::new().await;
        let id = association(&db, "Verein", "15002", "bildung", "").await;
        let huge = "9".repeat(40);
        let cases: &[(&str, &str, &str, &[&str])] = &[
            ("<script>alert(1)</script>", "", "", &["theme"]),
            ("", "99999", "", &["region"]),
            ("", "Sachsen-Anhalt", "", &["region"]),
            ("", "", "fünf Euro", &["amount"]),
            ("", "", "-500", &["amount"]),
            ("", "", &huge, &["amount"]),
            ("nix", "xx", "abc", &["theme", "region", "amount"]),
        ];
        for (theme, region, amount, fields) in cases {
            match for_association_page(&db.k.store, &id, &query(theme, region, amount)).await {
                Err(Error::Invalid(errors)) => {
                    let got: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                    assert_eq!(got, *fields);
                    assert!(errors
                        .iter()
                        .all(|e| !e.message_de.is_empty() && !e.message_en.is_empty()));
                }
                other => panic!("{theme:?} {region:?} {amount:?} gave {other:?}"),
            }
        }
        // Blank values narrow nothing.
        let page = for_association_page(&db.k.store, &id, &query("  ", " ", "   ")).await;
        assert!(page.is_ok(), "{page:?}");
    }
}

/// Equal scores are ranked by name, and equal names by id: the stored lists give the same order as
/// `rank` over the matches, on both sides, whatever order the records were written in.
#[tokio::test]
async fn equal_scores_rank_by_name_then_id_on_both_sides() {
    use kozmos_core::association::{self, AssociationDraft, LogoChange};
    use kozmos_core::foundation::{self, FoundationDraft};
    use kozmos_core::matching;
    let db = common::TestDb::new().await;
    let store = &db.k.store;
    for name in ["Zukunft e.V.", "Brücke", "Ärzte helfen", "Brücke", "Alpha", "Brücke"] {
        let draft = AssociationDraft {
            name: name.into(),
            district: "16053".into(),
            city: "Jena".into(),
            themes: vec!["sprache".into()],
            ..Default::default()
        };
        association::create(store, &draft, LogoChange::Keep).await.unwrap();
        let draft = FoundationDraft {
            name: format!("Stiftung {name}"),
            funding_area: "east".into(),
            themes: vec!["sprache".into()],
            application_route: "open".into(),
            ..Default::default()
        };
        foundation::create(store, &draft).await.unwrap();
    }
    let some = |table: &'static str| async move {
        let sql = format!("SELECT id FROM {table} ORDER BY rowid DESC LIMIT 1");
        sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql))
            .fetch_one(store.pool())
            .await
            .unwrap()
    };
    let (f, a) = (some("foundations").await, some("associations").await);
    let by_foundation = matching::for_foundation(store, &f, true).await.unwrap();
    let by_association = matching::for_association(store, &a, true).await.unwrap();
    for (listed, by_foundation_name) in [(by_foundation, false), (by_association, true)] {
        assert!(listed.windows(2).all(|w| w[0].score == w[1].score), "one score for all");
        let mut ranked = listed.clone();
        ranked.reverse();
        matching::rank(&mut ranked, by_foundation_name);
        assert_eq!(verdicts(&listed), verdicts(&ranked));
        let names_and_ids: Vec<(String, String)> = (listed.iter())
            .map(|m| match by_foundation_name {
                true => (m.foundation_name.to_string(), m.foundation_id.to_string()),
                false => (m.association_name.to_string(), m.association_id.to_string()),
            })
            .collect();
        let mut sorted = names_and_ids.clone();
        sorted.sort();
        assert_eq!(names_and_ids, sorted, "by name (as bytes), then by id");
        assert_eq!(names_and_ids.iter().filter(|(n, _)| n.ends_with("Brücke")).count(), 3);
    }
}
