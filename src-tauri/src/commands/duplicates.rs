//! Duplicates: the ranked scan, "not a duplicate", the merge view and the merge, and the record
//! an old link opens. Each command is a few lines around `kozmos_core::duplicates`.

use kozmos_core::duplicates::{self, DuplicateList, DuplicateQuery, Kind, MergePlan, MergeRequest, MergeResult};
use kozmos_core::Error;
use tauri::State;

use crate::AppState;

#[tauri::command]
pub async fn find_duplicates(state: State<'_, AppState>, query: DuplicateQuery) -> Result<DuplicateList, Error> {
    duplicates::scan(&state.kozmos()?.store, &query).await
}

#[tauri::command]
pub async fn dismiss_duplicate(
    state: State<'_, AppState>,
    kind_a: Kind,
    id_a: String,
    kind_b: Kind,
    id_b: String,
) -> Result<(), Error> {
    duplicates::dismiss(&state.kozmos()?.store, kind_a, &id_a, kind_b, &id_b).await
}

#[tauri::command]
pub async fn merge_preview(state: State<'_, AppState>, keep: String, other: String) -> Result<MergePlan, Error> {
    duplicates::merge_preview(&state.kozmos()?.store, &keep, &other).await
}

#[tauri::command]
pub async fn merge_records(state: State<'_, AppState>, request: MergeRequest) -> Result<MergeResult, Error> {
    duplicates::merge(&state.kozmos()?.store, &request).await
}

/// The record to open for `id`: itself, or its survivor when it was merged away.
#[tauri::command]
pub async fn resolve_record(state: State<'_, AppState>, kind: Kind, id: String) -> Result<String, Error> {
    duplicates::resolve(&state.kozmos()?.store, kind, &id).await
}
