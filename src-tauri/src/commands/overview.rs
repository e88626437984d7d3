use kozmos_core::demo::{self, DemoCounts};
use kozmos_core::overview::{self, Overview};
use kozmos_core::Error;
use tauri::State;

use crate::AppState;

/// The start page.
#[tauri::command]
pub async fn overview(state: State<'_, AppState>) -> Result<Overview, Error> {
    overview::overview(&state.kozmos()?.store).await
}

/// Loads the demo data set (scale 1, fixed seed).
#[tauri::command]
pub async fn load_demo(state: State<'_, AppState>) -> Result<DemoCounts, Error> {
    demo::generate(&state.kozmos()?.store, 1, 2026).await
}

#[tauri::command]
pub async fn remove_demo(state: State<'_, AppState>) -> Result<DemoCounts, Error> {
    demo::remove(&state.kozmos()?.store).await
}

#[tauri::command]
pub async fn demo_count(state: State<'_, AppState>) -> Result<DemoCounts, Error> {
    demo::count(&state.kozmos()?.store).await
}
