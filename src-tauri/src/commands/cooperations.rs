use kozmos_core::cooperation::{
    self, ActivityDraft, BoardColumn, Cooperation, CooperationDraft, CooperationQuery, CooperationSummary,
};
use kozmos_core::listing::Page;
use kozmos_core::Error;
use tauri::State;

use crate::AppState;

/// How many cards each board column shows at most.
const BOARD_CARDS_PER_STAGE: u32 = 100;

#[tauri::command]
pub async fn list_cooperations(
    state: State<'_, AppState>,
    query: CooperationQuery,
) -> Result<Page<CooperationSummary>, Error> {
    cooperation::list(&state.kozmos()?.store, &query).await
}

#[tauri::command]
pub async fn cooperation_board(state: State<'_, AppState>, query: CooperationQuery) -> Result<Vec<BoardColumn>, Error> {
    cooperation::board(&state.kozmos()?.store, &query, BOARD_CARDS_PER_STAGE).await
}

#[tauri::command]
pub async fn get_cooperation(state: State<'_, AppState>, id: String) -> Result<Cooperation, Error> {
    cooperation::get(&state.kozmos()?.store, &id).await
}

/// The form values of a cooperation for editing; an empty form when `id` is null.
#[tauri::command]
pub async fn cooperation_draft(state: State<'_, AppState>, id: Option<String>) -> Result<CooperationDraft, Error> {
    Ok(match id {
        Some(id) => CooperationDraft::try_from(&cooperation::get(&state.kozmos()?.store, &id).await?.fields)?,
        None => CooperationDraft::default(),
    })
}

#[tauri::command]
pub async fn create_cooperation(state: State<'_, AppState>, draft: CooperationDraft) -> Result<Cooperation, Error> {
    cooperation::create(&state.kozmos()?.store, &draft).await
}

#[tauri::command]
pub async fn update_cooperation(
    state: State<'_, AppState>,
    id: String,
    draft: CooperationDraft,
) -> Result<Cooperation, Error> {
    cooperation::update(&state.kozmos()?.store, &id, &draft).await
}

#[tauri::command]
pub async fn set_cooperation_stage(
    state: State<'_, AppState>,
    id: String,
    stage: String,
) -> Result<Cooperation, Error> {
    cooperation::set_stage(&state.kozmos()?.store, &id, &stage).await
}

#[tauri::command]
pub async fn add_cooperation_activity(
    state: State<'_, AppState>,
    id: String,
    draft: ActivityDraft,
) -> Result<Cooperation, Error> {
    cooperation::add_activity(&state.kozmos()?.store, &id, &draft).await
}

#[tauri::command]
pub async fn delete_cooperation(state: State<'_, AppState>, id: String) -> Result<Cooperation, Error> {
    cooperation::delete(&state.kozmos()?.store, &id).await
}

#[tauri::command]
pub async fn restore_cooperation(state: State<'_, AppState>, id: String) -> Result<Cooperation, Error> {
    cooperation::restore(&state.kozmos()?.store, &id).await
}
