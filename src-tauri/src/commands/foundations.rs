use kozmos_core::foundation::{self, Foundation, FoundationDraft, FoundationQuery, FoundationSummary};
use kozmos_core::listing::Page;
use kozmos_core::Error;
use tauri::State;

use crate::AppState;

#[tauri::command]
pub async fn list_foundations(
    state: State<'_, AppState>,
    query: FoundationQuery,
) -> Result<Page<FoundationSummary>, Error> {
    foundation::list(&state.kozmos()?.store, &query).await
}

#[tauri::command]
pub async fn get_foundation(state: State<'_, AppState>, id: String) -> Result<Foundation, Error> {
    foundation::get(&state.kozmos()?.store, &id).await
}

/// The form values of a foundation for editing; an empty form when `id` is null.
#[tauri::command]
pub async fn foundation_draft(state: State<'_, AppState>, id: Option<String>) -> Result<FoundationDraft, Error> {
    Ok(match id {
        Some(id) => FoundationDraft::try_from(&foundation::get(&state.kozmos()?.store, &id).await?.fields)?,
        None => FoundationDraft::default(),
    })
}

#[tauri::command]
pub async fn create_foundation(state: State<'_, AppState>, draft: FoundationDraft) -> Result<Foundation, Error> {
    foundation::create(&state.kozmos()?.store, &draft).await
}

#[tauri::command]
pub async fn update_foundation(
    state: State<'_, AppState>,
    id: String,
    draft: FoundationDraft,
) -> Result<Foundation, Error> {
    foundation::update(&state.kozmos()?.store, &id, &draft).await
}

/// Deletes a foundation; with cooperations only when `with_cooperations`. Returns the
/// foundation and the ids of the cooperations deleted with it (for undo).
#[tauri::command]
pub async fn delete_foundation(
    state: State<'_, AppState>,
    id: String,
    with_cooperations: bool,
) -> Result<(Foundation, Vec<String>), Error> {
    foundation::delete_with(&state.kozmos()?.store, &id, with_cooperations).await
}

#[tauri::command]
pub async fn restore_foundation(state: State<'_, AppState>, id: String) -> Result<Foundation, Error> {
    foundation::restore(&state.kozmos()?.store, &id).await
}
