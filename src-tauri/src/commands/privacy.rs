//! Privacy: the retention review and bulk erasure, the right-of-access export, the Art. 30 record.

use kozmos_core::person::Person;
use kozmos_core::privacy::retention::{self, RetentionReview};
use kozmos_core::privacy::{access, erase, record};
use kozmos_core::{files, site, Error};
use tauri::{AppHandle, State};

use crate::save_dialog::{save, FileKind};
use crate::{viewer, AppState};

const PDF: FileKind = FileKind {
    filter: "PDF",
    extension: "pdf",
};

/// The persons due for review with the period set (or `years`, not kept).
#[tauri::command]
pub async fn retention_review(state: State<'_, AppState>, years: Option<u32>) -> Result<RetentionReview, Error> {
    retention::review(&state.kozmos()?.store, years).await
}

/// Keeps the retention period; the review with it.
#[tauri::command]
pub async fn set_retention_years(state: State<'_, AppState>, years: i64) -> Result<RetentionReview, Error> {
    let store = &state.kozmos()?.store;
    retention::set_years(store, years).await?;
    retention::review(store, None).await
}

/// Erases the chosen persons in one transaction (final).
#[tauri::command]
pub async fn erase_persons(state: State<'_, AppState>, ids: Vec<String>) -> Result<Vec<Person>, Error> {
    erase::erase(&state.kozmos()?.store, &ids).await
}

/// Asks where to save everything about one person, as "json" or "pdf" (in the UI's language);
/// the path, or None when cancelled.
#[tauri::command]
pub async fn save_access_export(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    format: String,
) -> Result<Option<String>, Error> {
    let store = &state.kozmos()?.store;
    let lang = site::load(store.pool()).await?.ui_lang;
    let export = access::export(store, &id).await?;
    let (bytes, kind) = match format.as_str() {
        "pdf" => (access::to_pdf(&export, lang, files::local_now())?, PDF),
        _ => (
            access::to_json(&export)?,
            FileKind {
                filter: "JSON",
                extension: "json",
            },
        ),
    };
    let name = access::file_name(&export, lang, kind.extension);
    save(&app, &name, kind, &bytes).await
}

async fn record_bytes(state: &State<'_, AppState>) -> Result<(Vec<u8>, String), Error> {
    let store = &state.kozmos()?.store;
    let lang = site::load(store.pool()).await?.ui_lang;
    let now = files::local_now();
    let name = format!(
        "{}-{}.pdf",
        lang.pick("verarbeitungsverzeichnis", "processing-record"),
        now.date()
    );
    Ok((record::record_pdf(store, lang, now).await?, name))
}

/// Asks where to save the record of processing activities (PDF); the path, or None when cancelled.
#[tauri::command]
pub async fn save_processing_record(app: AppHandle, state: State<'_, AppState>) -> Result<Option<String>, Error> {
    let (bytes, name) = record_bytes(&state).await?;
    save(&app, &name, PDF, &bytes).await
}

/// Writes the record into the app's cache folder and opens it in the system's PDF viewer, to print.
#[tauri::command]
pub async fn open_processing_record(app: AppHandle, state: State<'_, AppState>) -> Result<String, Error> {
    let (bytes, name) = record_bytes(&state).await?;
    let path = viewer::cache_folder(&app, "privacy")?.join(name);
    files::write_atomically(&path, &bytes)?;
    viewer::open(&path)?;
    Ok(path.display().to_string())
}
