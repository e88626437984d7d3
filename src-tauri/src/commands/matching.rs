use kozmos_core::cooperation::Cooperation;
use kozmos_core::listing::Page;
use kozmos_core::matching::{self, Match, MatchQuery};
use kozmos_core::Error;
use tauri::State;

use crate::AppState;

/// Foundations ranked for an association, narrowed as asked, one page with reasons.
#[tauri::command]
pub async fn match_association(
    state: State<'_, AppState>,
    id: String,
    query: MatchQuery,
) -> Result<Page<Match>, Error> {
    matching::for_association_page(&state.kozmos()?.store, &id, &query).await
}

/// Associations ranked for a foundation, narrowed as asked, one page with reasons.
#[tauri::command]
pub async fn match_foundation(state: State<'_, AppState>, id: String, query: MatchQuery) -> Result<Page<Match>, Error> {
    matching::for_foundation_page(&state.kozmos()?.store, &id, &query).await
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
