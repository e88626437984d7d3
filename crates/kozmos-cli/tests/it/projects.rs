//! An association's activities/projects and project ideas.

use crate::common;

use common::{draft, TestDb};
use kozmos_core::association::{self, LogoChange};
use kozmos_core::project::{self, IdeaDraft, ProjectDraft};
use kozmos_core::Error;

#[tokio::test]
async fn projects_and_ideas_belong_to_their_association() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let a = association::create(store, &draft("Deutsch-Türkischer Kulturverein Halle"), LogoChange::Keep)
        .await
        .unwrap();
    let p = ProjectDraft {
        title: "Sommerfest 2025".into(),
        year: "2025".into(),
        people_reached: "1.200".into(),
        budget: "3.500".into(),
        funder: "Sparkasse".into(),
        ..Default::default()
    };
    project::add_project(store, &a.id, &p).await.unwrap();
    let older = ProjectDraft {
        title: "Nähkurs".into(),
        year: "2019".into(),
        ..Default::default()
    };
    project::add_project(store, &a.id, &older).await.unwrap();
    let projects = project::projects_of(store, &a.id).await.unwrap();
    assert_eq!(
        projects.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(),
        ["Sommerfest 2025", "Nähkurs"]
    );
    assert_eq!(
        (projects[0].people_reached, projects[0].budget),
        (Some(1200), Some(350_000))
    );

    let idea = IdeaDraft {
        title: "Elterncafé".into(),
        amount_needed: "8.000".into(),
        time_frame: "2027".into(),
        ..Default::default()
    };
    let i = project::add_idea(store, &a.id, &idea).await.unwrap();
    let mut edit = IdeaDraft::try_from(&i).unwrap();
    edit.amount_needed = "9000,50".into();
    assert_eq!(
        project::update_idea(store, &i.id, &edit).await.unwrap().amount_needed,
        Some(900_050)
    );
    project::delete(store, "idea", &i.id).await.unwrap();
    assert!(project::ideas_of(store, &a.id).await.unwrap().is_empty());

    for (field, value, code) in [
        ("title", "", "required"),
        ("year", "1800", "out_of_range"),
        ("people_reached", "viele", "not_a_number"),
        ("budget", "-5", "out_of_range"),
    ] {
        let bad: ProjectDraft = common::with_field(&p, field, value);
        let Err(Error::Invalid(e)) = project::add_project(store, &a.id, &bad).await else {
            panic!("{field}")
        };
        assert_eq!((e[0].field.as_str(), e[0].code.as_str()), (field, code));
    }
    assert!(matches!(
        project::add_project(store, "nope", &p).await,
        Err(Error::NotFound { .. })
    ));
    assert_eq!(
        project::projects_of(store, &a.id).await.unwrap().len(),
        2,
        "nothing half-written"
    );
}
