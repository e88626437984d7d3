//! The start page: counts per network and the newest changes, read from the real database.

use crate::common::{self, TestDb};

use kozmos_core::association::{self, AssociationDraft, LogoChange};
use kozmos_core::cooperation::{self, CooperationDraft};
use kozmos_core::foundation::{self, FoundationDraft};
use kozmos_core::overview;

/// Each network counts its living associations and the living cooperations of its associations;
/// a network whose associations are all deleted is not listed; "recent changes" lists the newest
/// writes of every kind, deletions included, newest first.
#[tokio::test]
async fn the_overview_counts_living_records_per_network_and_lists_the_newest_changes() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let association = |name: &str, network: Option<&str>| AssociationDraft {
        network: network.unwrap_or_default().into(),
        ..common::draft(name)
    };
    let mut ids = Vec::new();
    for (name, network) in [
        ("Lamsa eins", Some("lamsa")),
        ("Lamsa zwei", Some("lamsa")),
        ("MigraNetz eins", Some("migranetz")),
        ("Ohne Netzwerk", None),
    ] {
        let a = association::create(store, &association(name, network), LogoChange::Keep)
            .await
            .unwrap();
        ids.push(a.id);
    }
    let f = foundation::create(
        store,
        &FoundationDraft {
            name: "Bürgerstiftung Halle".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for (i, title) in [
        (0, "Sprachcafé"),
        (0, "Kulturfest"),
        (2, "Nachhilfe"),
        (3, "Fußballturnier"),
    ] {
        let draft = CooperationDraft {
            idea: title.into(),
            association_id: ids[i].clone(),
            foundation_id: f.id.clone(),
            ..Default::default()
        };
        cooperation::create(store, &draft).await.unwrap();
    }
    association::delete(store, &ids[1]).await.unwrap();
    association::delete_with(store, &ids[2], true).await.unwrap();

    let o = overview::overview(store).await.unwrap();
    let networks: Vec<(&str, u32, u32)> = (o.networks.iter())
        .map(|n| (n.network.as_str(), n.associations, n.cooperations))
        .collect();
    assert_eq!(networks, [("lamsa", 1, 2), ("none", 1, 1)]);
    assert_eq!(o.totals, [2, 1, 0, 3]);
    let recent: Vec<(&str, &str, &str)> = (o.recent.iter())
        .map(|r| (r.kind.as_str(), r.name.as_str(), r.life.as_str()))
        .collect();
    assert_eq!(
        recent,
        [
            ("association", "MigraNetz eins", "deleted"),
            ("cooperation", "Nachhilfe", "deleted"),
            ("association", "Lamsa zwei", "deleted"),
            ("cooperation", "Fußballturnier", "alive"),
            ("cooperation", "Kulturfest", "alive"),
            ("cooperation", "Sprachcafé", "alive"),
            ("foundation", "Bürgerstiftung Halle", "alive"),
            ("association", "Ohne Netzwerk", "alive"),
            ("association", "Lamsa eins", "alive"),
        ]
    );
    assert!(o.recent.windows(2).all(|w| w[0].when >= w[1].when));
}
