use kozmos_core::calendar::{self, CalendarExport};
use kozmos_core::{files, site, Error};
use serde::Serialize;
use tauri::{AppHandle, State};

use crate::save_dialog::{choose_save_path, FileKind};
use crate::AppState;

#[derive(Serialize)]
pub struct SavedCalendar {
    path: String,
    #[serde(flatten)]
    export: CalendarExport,
}

/// Asks where to save and writes the follow-ups and deadlines as an .ics file, in the UI's
/// language; None when the user cancels the dialog.
#[tauri::command]
pub async fn export_calendar(app: AppHandle, state: State<'_, AppState>) -> Result<Option<SavedCalendar>, Error> {
    let store = &state.kozmos()?.store;
    let lang = site::load(store.pool()).await?.ui_lang;
    let export = calendar::export(store, lang, time::OffsetDateTime::now_utc()).await?;
    let kind = FileKind {
        filter: "iCalendar",
        extension: "ics",
    };
    let Some(path) = choose_save_path(&app, "kozmos-termine.ics", kind).await else {
        return Ok(None);
    };
    files::write_atomically(&path, export.text.as_bytes())?;
    Ok(Some(SavedCalendar {
        path: path.display().to_string(),
        export,
    }))
}
