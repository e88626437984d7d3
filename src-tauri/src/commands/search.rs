use kozmos_core::search::{self, SearchHit};
use kozmos_core::Error;
use tauri::State;

use crate::AppState;

/// Associations, foundations, persons and cooperations matching the words, best first.
#[tauri::command]
pub async fn search_everything(state: State<'_, AppState>, text: String) -> Result<Vec<SearchHit>, Error> {
    search::everything(&state.kozmos()?.store, &text, 20).await
}
