//! Profile sheets: the preview, saving through the save dialog, opening in the system's PDF
//! viewer to print, meeting packs, batches (one PDF or a folder), and the KOZMOS contacts.

use kozmos_core::association::AssociationQuery;
use kozmos_core::sheets::{self, KozmosContact, KozmosContactDraft, SavedPdf, SheetFiles, SheetPdf, SheetPreview};
use kozmos_core::{Error, Lang};
use tauri::{AppHandle, State};

use crate::open_dialog::choose_folder;
use crate::save_dialog::{choose_save_path, FileKind};
use crate::viewer;
use crate::AppState;

const PDF: FileKind = FileKind {
    filter: "PDF",
    extension: "pdf",
};

/// Asks where to save, suggesting the core's file name, and writes the PDF; None when cancelled.
async fn save_as(app: &AppHandle, pdf: SheetPdf) -> Result<Option<SavedPdf>, Error> {
    match choose_save_path(app, &pdf.file_name, PDF).await {
        Some(path) => pdf.save(&path).map(Some),
        None => Ok(None),
    }
}

/// The sheet's pages as pictures, exactly as they print.
#[tauri::command]
pub async fn sheet_preview(state: State<'_, AppState>, id: String, lang: Lang) -> Result<SheetPreview, Error> {
    sheets::preview(&state.kozmos()?.store, &id, lang).await
}

/// Asks where to save the sheet and writes it; None when the user cancels.
#[tauri::command]
pub async fn save_sheet_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    lang: Lang,
) -> Result<Option<SavedPdf>, Error> {
    let pdf = sheets::association_pdf(&state.kozmos()?.store, &id, lang).await?;
    save_as(&app, pdf).await
}

/// Writes the sheet into the app's cache folder and opens it in the system's PDF viewer, to print.
#[tauri::command]
pub async fn open_sheet_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    lang: Lang,
) -> Result<SavedPdf, Error> {
    let pdf = sheets::association_pdf(&state.kozmos()?.store, &id, lang).await?;
    let folder = viewer::cache_folder(&app, "sheets")?;
    remove_old_files(&folder);
    let path = folder.join(&pdf.file_name);
    let saved = pdf.save(&path)?;
    viewer::open(&path)?;
    Ok(saved)
}

/// Sheets opened to print stay a day in the cache folder (the viewer may still be showing one),
/// then go.
fn remove_old_files(folder: &std::path::Path) {
    let day = std::time::Duration::from_secs(24 * 3600);
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > day));
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Asks where to save a meeting pack for the foundation and writes it; None when cancelled.
#[tauri::command]
pub async fn save_pack_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    foundation_id: String,
    association_ids: Vec<String>,
    lang: Lang,
) -> Result<Option<SavedPdf>, Error> {
    let pdf = sheets::pack_pdf(&state.kozmos()?.store, &foundation_id, &association_ids, lang).await?;
    save_as(&app, pdf).await
}

/// Asks where to save the sheets of every association the filter finds, as one PDF.
#[tauri::command]
pub async fn save_batch_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    query: AssociationQuery,
    lang: Lang,
) -> Result<Option<SavedPdf>, Error> {
    let pdf = sheets::batch_pdf(&state.kozmos()?.store, &query, lang).await?;
    save_as(&app, pdf).await
}

/// Asks for a folder and writes one sheet per association the filter finds into it.
#[tauri::command]
pub async fn save_batch_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    query: AssociationQuery,
    lang: Lang,
) -> Result<Option<SheetFiles>, Error> {
    let Some(folder) = choose_folder(&app).await else {
        return Ok(None);
    };
    sheets::batch_files(&state.kozmos()?.store, &query, lang, &folder)
        .await
        .map(Some)
}

#[tauri::command]
pub async fn kozmos_contacts(state: State<'_, AppState>) -> Result<Vec<KozmosContact>, Error> {
    sheets::kozmos_contacts(state.kozmos()?.store.pool()).await
}

#[tauri::command]
pub async fn set_kozmos_contact(
    state: State<'_, AppState>,
    network: String,
    draft: KozmosContactDraft,
) -> Result<KozmosContact, Error> {
    sheets::set_kozmos_contact(state.kozmos()?.store.pool(), &network, &draft).await
}
