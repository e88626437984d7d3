use kozmos_core::project::{self, Idea, IdeaDraft, Project, ProjectDraft};
use kozmos_core::Error;
use tauri::State;

use crate::AppState;

#[tauri::command]
pub async fn list_projects(state: State<'_, AppState>, association_id: String) -> Result<Vec<Project>, Error> {
    project::projects_of(&state.kozmos()?.store, &association_id).await
}

#[tauri::command]
pub async fn list_ideas(state: State<'_, AppState>, association_id: String) -> Result<Vec<Idea>, Error> {
    project::ideas_of(&state.kozmos()?.store, &association_id).await
}

/// The form values of a project; an empty form when `id` is null.
#[tauri::command]
pub async fn project_draft(state: State<'_, AppState>, id: Option<String>) -> Result<ProjectDraft, Error> {
    Ok(match id {
        Some(id) => ProjectDraft::try_from(&project::project(&state.kozmos()?.store, &id).await?)?,
        None => ProjectDraft::default(),
    })
}

/// The form values of an idea; an empty form when `id` is null.
#[tauri::command]
pub async fn idea_draft(state: State<'_, AppState>, id: Option<String>) -> Result<IdeaDraft, Error> {
    Ok(match id {
        Some(id) => IdeaDraft::try_from(&project::idea(&state.kozmos()?.store, &id).await?)?,
        None => IdeaDraft::default(),
    })
}

#[tauri::command]
pub async fn save_project(
    state: State<'_, AppState>,
    id: Option<String>,
    association_id: String,
    draft: ProjectDraft,
) -> Result<Project, Error> {
    let store = &state.kozmos()?.store;
    match id {
        Some(id) => project::update_project(store, &id, &draft).await,
        None => project::add_project(store, &association_id, &draft).await,
    }
}

#[tauri::command]
pub async fn save_idea(
    state: State<'_, AppState>,
    id: Option<String>,
    association_id: String,
    draft: IdeaDraft,
) -> Result<Idea, Error> {
    let store = &state.kozmos()?.store;
    match id {
        Some(id) => project::update_idea(store, &id, &draft).await,
        None => project::add_idea(store, &association_id, &draft).await,
    }
}

/// Deletes a project (`kind` "project") or an idea (`kind` "idea").
#[tauri::command]
pub async fn delete_project(state: State<'_, AppState>, kind: String, id: String) -> Result<(), Error> {
    project::delete(&state.kozmos()?.store, &kind, &id).await
}
