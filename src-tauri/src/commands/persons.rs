use kozmos_core::person::{self, ConsentDraft, Parent, Person, PersonDraft, PersonSummary};
use kozmos_core::Error;
use tauri::State;

use crate::AppState;

#[tauri::command]
pub async fn list_persons(state: State<'_, AppState>, parent: Parent) -> Result<Vec<PersonSummary>, Error> {
    person::persons_of(&state.kozmos()?.store, &parent).await
}

#[tauri::command]
pub async fn get_person(state: State<'_, AppState>, id: String) -> Result<Person, Error> {
    person::get(&state.kozmos()?.store, &id).await
}

/// The form values of a person for editing; an empty form when `id` is null.
#[tauri::command]
pub async fn person_draft(state: State<'_, AppState>, id: Option<String>) -> Result<PersonDraft, Error> {
    Ok(match id {
        Some(id) => PersonDraft::try_from(&person::get(&state.kozmos()?.store, &id).await?.fields)?,
        None => PersonDraft::default(),
    })
}

#[tauri::command]
pub async fn create_person(state: State<'_, AppState>, parent: Parent, draft: PersonDraft) -> Result<Person, Error> {
    person::create(&state.kozmos()?.store, &parent, &draft).await
}

#[tauri::command]
pub async fn update_person(state: State<'_, AppState>, id: String, draft: PersonDraft) -> Result<Person, Error> {
    person::update(&state.kozmos()?.store, &id, &draft).await
}

#[tauri::command]
pub async fn delete_person(state: State<'_, AppState>, id: String) -> Result<Person, Error> {
    person::delete(&state.kozmos()?.store, &id).await
}

#[tauri::command]
pub async fn restore_person(state: State<'_, AppState>, id: String) -> Result<Person, Error> {
    person::restore(&state.kozmos()?.store, &id).await
}

#[tauri::command]
pub async fn erase_person(state: State<'_, AppState>, id: String) -> Result<Person, Error> {
    kozmos_core::privacy::erase::erase_one(&state.kozmos()?.store, &id).await
}

#[tauri::command]
pub async fn record_consent(state: State<'_, AppState>, id: String, draft: ConsentDraft) -> Result<Person, Error> {
    person::record_consent(&state.kozmos()?.store, &id, &draft).await
}

#[tauri::command]
pub async fn withdraw_consent(state: State<'_, AppState>, id: String, purpose: String) -> Result<Person, Error> {
    person::withdraw_consent(&state.kozmos()?.store, &id, &purpose).await
}
