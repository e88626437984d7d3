use kozmos_core::association::{
    self, Association, AssociationDraft, AssociationQuery, AssociationSummary, LogoChange, Page,
};
use kozmos_core::Error;
use tauri::State;

use crate::AppState;

#[tauri::command]
pub async fn list_associations(
    state: State<'_, AppState>,
    query: AssociationQuery,
) -> Result<Page<AssociationSummary>, Error> {
    association::list(&state.kozmos()?.store, &query).await
}

#[tauri::command]
pub async fn get_association(state: State<'_, AppState>, id: String) -> Result<Association, Error> {
    association::get(&state.kozmos()?.store, &id).await
}

/// The form values of an association for editing; an empty form when `id` is null.
#[tauri::command]
pub async fn association_draft(state: State<'_, AppState>, id: Option<String>) -> Result<AssociationDraft, Error> {
    Ok(match id {
        Some(id) => AssociationDraft::try_from(&association::get(&state.kozmos()?.store, &id).await?.fields)?,
        None => AssociationDraft::default(),
    })
}

#[tauri::command]
pub async fn create_association(state: State<'_, AppState>, draft: AssociationDraft) -> Result<Association, Error> {
    association::create(&state.kozmos()?.store, &draft, LogoChange::Keep).await
}

#[tauri::command]
pub async fn update_association(
    state: State<'_, AppState>,
    id: String,
    draft: AssociationDraft,
) -> Result<Association, Error> {
    association::update(&state.kozmos()?.store, &id, &draft, LogoChange::Keep).await
}

/// Deletes an association; with cooperations only when `with_cooperations`. Returns the
/// association and the ids of the cooperations deleted with it (for undo).
#[tauri::command]
pub async fn delete_association(
    state: State<'_, AppState>,
    id: String,
    with_cooperations: bool,
) -> Result<(Association, Vec<String>), Error> {
    association::delete_with(&state.kozmos()?.store, &id, with_cooperations).await
}

#[tauri::command]
pub async fn restore_association(state: State<'_, AppState>, id: String) -> Result<Association, Error> {
    association::restore(&state.kozmos()?.store, &id).await
}

/// Sets the logo from base64 image data, or removes it when `data` is null.
#[tauri::command]
pub async fn set_association_logo(
    state: State<'_, AppState>,
    id: String,
    data: Option<String>,
) -> Result<Association, Error> {
    let bytes = data.as_deref().map(association::decode_base64).transpose()?;
    association::set_logo(&state.kozmos()?.store, &id, bytes).await
}

/// The logo as a data URL for an <img>, or null.
#[tauri::command]
pub async fn association_logo(state: State<'_, AppState>, id: String) -> Result<Option<String>, Error> {
    let logo = association::logo(&state.kozmos()?.store, &id).await?;
    Ok(logo.map(|(mime, bytes)| association::data_url(&mime, &bytes)))
}
