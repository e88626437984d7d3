//! Reports: the numbers a funder sees are the numbers in the register.

use crate::common;

use common::{draft, TestDb};
use kozmos_core::association::{self, AssociationDraft, LogoChange};
use kozmos_core::cooperation::{self, CooperationDraft};
use kozmos_core::error::Lang;
use kozmos_core::foundation::{self, FoundationDraft};
use kozmos_core::reports::{self, ReportTable};

fn values(table: &ReportTable, code: &str) -> Vec<i64> {
    table
        .rows
        .iter()
        .find(|r| r.code == code)
        .unwrap_or_else(|| panic!("{} has no row {code}: {:?}", table.id, table.rows))
        .values
        .clone()
}

fn table<'a>(tables: &'a [ReportTable], id: &str) -> &'a ReportTable {
    tables.iter().find(|t| t.id == id).unwrap()
}

async fn association(db: &TestDb, name: &str, network: &str, district: &str, themes: &[&str]) -> String {
    let d = AssociationDraft {
        network: network.into(),
        district: district.into(),
        themes: themes.iter().map(|t| t.to_string()).collect(),
        ..draft(name)
    };
    association::create(&db.k.store, &d, LogoChange::Keep).await.unwrap().id
}

async fn foundation(db: &TestDb, name: &str) -> String {
    let d = FoundationDraft {
        name: name.into(),
        ..Default::default()
    };
    foundation::create(&db.k.store, &d).await.unwrap().id
}

#[allow(clippy::too_many_arguments)]
async fn cooperation(
    db: &TestDb,
    a: &str,
    f: &str,
    stage: &str,
    requested: &str,
    granted: &str,
    submitted: &str,
    decision: &str,
) -> String {
    let d = CooperationDraft {
        idea: format!("Vorhaben {stage}"),
        association_id: a.into(),
        foundation_id: f.into(),
        stage: stage.into(),
        amount_requested: requested.into(),
        amount_granted: granted.into(),
        submitted: submitted.into(),
        decision: decision.into(),
        ..Default::default()
    };
    cooperation::create(&db.k.store, &d).await.unwrap().id
}

#[tokio::test]
async fn counts_funnel_amounts_and_reach_add_up() {
    let db = TestDb::new().await;
    kozmos_core::site::set_up(db.k.store.pool(), "lamsa", "Amira")
        .await
        .unwrap();
    let halle = association(&db, "Verein Halle", "lamsa", "15002", &["bildung", "sprache"]).await;
    let jena = association(&db, "Verein Jena", "migranetz", "16053", &["bildung"]).await;
    let erfurt = association(&db, "Verein Erfurt", "migranetz", "16051", &[]).await;
    let gone = association(&db, "Gelöschter Verein", "migranetz", "16051", &["kultur"]).await;
    association::delete(&db.k.store, &gone).await.unwrap();
    let (f1, f2) = (foundation(&db, "Stiftung A").await, foundation(&db, "Stiftung B").await);

    cooperation(&db, &halle, &f1, "idee", "", "", "", "").await;
    cooperation(
        &db,
        &halle,
        &f2,
        "bewilligt",
        "5.000",
        "4.000",
        "2025-03-01",
        "2026-01-15",
    )
    .await;
    cooperation(&db, &jena, &f1, "abgelehnt", "2.500,50", "", "2026-02-01", "2026-04-01").await;
    let moved = cooperation(&db, &erfurt, &f1, "erstkontakt", "", "", "", "").await;
    cooperation::set_stage(&db.k.store, &moved, "gespraech").await.unwrap();
    cooperation::set_stage(&db.k.store, &moved, "zurueckgezogen")
        .await
        .unwrap();

    let tables = reports::all(&db.k.store).await.unwrap();
    let ids: Vec<&str> = tables.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "by_network",
            "by_state",
            "by_district",
            "by_theme",
            "funnel",
            "amounts",
            "foundations_reached"
        ]
    );

    // Deleted associations do not count.
    let network = table(&tables, "by_network");
    assert_eq!(
        (values(network, "lamsa"), values(network, "migranetz")),
        (vec![1], vec![2])
    );
    assert_eq!(network.rows[0].code, "migranetz", "largest first");
    assert_eq!(values(table(&tables, "by_state"), "TH"), vec![2]);
    assert_eq!(values(table(&tables, "by_district"), "16051"), vec![1]);
    let themes = table(&tables, "by_theme");
    assert_eq!(values(themes, "bildung"), vec![2]);
    assert!(themes.rows.iter().all(|r| r.code != "kultur"));

    // Funnel: [now, reached]. The withdrawn one reached "Gespräch" by its log; the declined one was submitted.
    let funnel = table(&tables, "funnel");
    assert_eq!(values(funnel, "idee"), vec![1, 4]);
    assert_eq!(values(funnel, "erstkontakt"), vec![0, 3]);
    assert_eq!(values(funnel, "gespraech"), vec![0, 3]);
    assert_eq!(values(funnel, "eingereicht"), vec![0, 2]);
    assert_eq!(values(funnel, "bewilligt"), vec![1, 1]);
    assert_eq!(values(funnel, "zurueckgezogen"), vec![1, 1]);
    assert_eq!(values(funnel, "abgeschlossen"), vec![0, 0]);

    // Amounts: requested by submission year, granted by decision year, exact cents.
    let amounts = table(&tables, "amounts");
    assert_eq!(values(amounts, "2025:lamsa"), vec![500_000, 0, 0]);
    assert_eq!(values(amounts, "2026:lamsa"), vec![0, 400_000, 1]);
    assert_eq!(values(amounts, "2026:migranetz"), vec![250_050, 0, 0]);
    assert_eq!(amounts.format_value(0, 250_050, Lang::De), "2.500,50 €");

    // Foundations reached: [in contact, applied to, granted], each foundation once per row.
    let reached = table(&tables, "foundations_reached");
    assert_eq!(values(reached, "lamsa"), vec![1, 1, 1]);
    assert_eq!(values(reached, "migranetz"), vec![1, 1, 0]);
    assert_eq!(values(reached, "all"), vec![2, 2, 1]);

    let csv = amounts.to_csv(Lang::De);
    assert!(csv.starts_with("\u{feff}Beantragte und bewilligte Summen nach Jahr und Netzwerk;beantragt;bewilligt;"));
    assert!(
        csv.contains("\r\n2026 · MigraNetz Thüringen e.V.;2500,50;0;0\r\n"),
        "{csv}"
    );
    assert!(amounts
        .to_csv(Lang::En)
        .contains("\r\n2026 · MigraNetz Thüringen e.V.;2500.50;0;0\r\n"));
}

#[tokio::test]
async fn an_empty_register_reports_nothing_without_failing() {
    let db = TestDb::new().await;
    let tables = reports::all(&db.k.store).await.unwrap();
    assert_eq!(tables.len(), 7);
    for t in &tables {
        assert!(
            t.rows.iter().all(|r| r.values.iter().all(|v| *v == 0)),
            "{}: {:?}",
            t.id,
            t.rows
        );
    }
    assert!(matches!(
        reports::one(&db.k.store, "<script>").await,
        Err(kozmos_core::Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn demo_data_reports_are_consistent() {
    let db = TestDb::new().await;
    kozmos_core::site::set_up(db.k.store.pool(), "lamsa", "Amira")
        .await
        .unwrap();
    kozmos_core::demo::generate(&db.k.store, 1, 7).await.unwrap();
    let tables = reports::all(&db.k.store).await.unwrap();
    let total = |id: &str| table(&tables, id).rows.iter().map(|r| r.values[0]).sum::<i64>();
    let associations = db.count("SELECT COUNT(*) FROM associations WHERE life = 'alive'").await;
    let cooperations = db.count("SELECT COUNT(*) FROM cooperations WHERE life = 'alive'").await;
    assert_eq!(total("by_network"), associations);
    assert_eq!(total("by_state"), associations);
    assert_eq!(total("by_district"), associations);
    assert_eq!(total("funnel"), cooperations);
    assert_eq!(
        values(table(&tables, "funnel"), "idee")[1],
        cooperations,
        "every cooperation began as an idea"
    );
    let granted = db
        .count("SELECT coalesce(SUM(amount_granted), 0) FROM cooperations WHERE life = 'alive'")
        .await;
    let amounts = table(&tables, "amounts");
    assert_eq!(amounts.rows.iter().map(|r| r.values[1]).sum::<i64>(), granted);
}
