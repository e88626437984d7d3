use kozmos_core::reports::{self, ReportTable};
use kozmos_core::{files, pdf, site, Error};
use tauri::{AppHandle, State};

use crate::save_dialog::{save, FileKind};
use crate::AppState;

/// Every report, computed now.
#[tauri::command]
pub async fn reports(state: State<'_, AppState>) -> Result<Vec<ReportTable>, Error> {
    reports::all(&state.kozmos()?.store).await
}

/// Asks where to save and writes one report as CSV for Excel, in the UI's language; the path, or
/// None when the user cancels.
#[tauri::command]
pub async fn export_report_csv(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<String>, Error> {
    let store = &state.kozmos()?.store;
    let lang = site::load(store.pool()).await?.ui_lang;
    let table = reports::one(store, &id).await?;
    let name = format!("kozmos-{}-{}.csv", table.id, time::OffsetDateTime::now_utc().date());
    let kind = FileKind {
        filter: "CSV",
        extension: "csv",
    };
    save(&app, &name, kind, table.to_csv(lang).as_bytes()).await
}

/// Asks where to save and writes one report (or, without an id, every report) as a printable PDF
/// (A4), in the UI's language; the path, or None when the user cancels.
#[tauri::command]
pub async fn export_reports_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    id: Option<String>,
) -> Result<Option<String>, Error> {
    let store = &state.kozmos()?.store;
    let installation = site::load(store.pool()).await?;
    let tables = match &id {
        Some(id) => vec![reports::one(store, id).await?],
        None => reports::all(store).await?,
    };
    let now = files::local_now();
    let by = installation.volunteer.as_deref().unwrap_or_default();
    let bytes = pdf::reports_pdf(&tables, installation.ui_lang, now, by)?;
    let kind = FileKind {
        filter: "PDF",
        extension: "pdf",
    };
    let name = format!("kozmos-{}-{}.pdf", id.as_deref().unwrap_or("berichte"), now.date());
    save(&app, &name, kind, &bytes).await
}
