use kozmos_core::cooperation::Cooperation;
use kozmos_core::matching::{self, Match};
use kozmos_core::Error;
use tauri::State;

use crate::AppState;

/// Foundations ranked for an association, with reasons; excluded ones only when asked for.
#[tauri::command]
pub async fn match_association(
    state: State<'_, AppState>,
    id: String,
    include_excluded: bool,
) -> Result<Vec<Match>, Error> {
    matching::for_association(&state.kozmos()?.store, &id, include_excluded).await
}

/// Associations ranked for a foundation, with reasons; excluded ones only when asked for.
#[tauri::command]
pub async fn match_foundation(
    state: State<'_, AppState>,
    id: String,
    include_excluded: bool,
) -> Result<Vec<Match>, Error> {
    matching::for_foundation(&state.kozmos()?.store, &id, include_excluded).await
}

/// Turns a match into a cooperation at stage "Idee", its reasons copied into the log.
#[tauri::command]
pub async fn start_cooperation(
    state: State<'_, AppState>,
    association_id: String,
    foundation_id: String,
) -> Result<Cooperation, Error> {
    matching::start_cooperation(&state.kozmos()?.store, &association_id, &foundation_id).await
}
