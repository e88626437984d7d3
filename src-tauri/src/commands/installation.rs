use kozmos_core::site::{self, Installation};
use kozmos_core::{Error, Lang, StartupInfo};
use tauri::State;

use crate::AppState;

#[tauri::command]
pub async fn startup(state: State<'_, AppState>) -> Result<StartupInfo, Error> {
    state.kozmos()?.startup_info().await
}

#[tauri::command]
pub async fn setup_installation(
    state: State<'_, AppState>,
    network: String,
    volunteer: String,
) -> Result<Installation, Error> {
    site::set_up(state.kozmos()?.store.pool(), &network, &volunteer).await
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, lang: Lang) -> Result<Installation, Error> {
    site::set_ui_lang(state.kozmos()?.store.pool(), lang).await
}
