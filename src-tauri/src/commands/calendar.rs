use kozmos_core::calendar::{self, CalendarExport};
use kozmos_core::{site, Error};
use serde::Serialize;
use tauri::{AppHandle, State};

use crate::save_dialog::{save, FileKind};
use crate::AppState;

#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ipc/"))]
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
    let saved = save(&app, "kozmos-termine.ics", kind, export.text.as_bytes()).await?;
    Ok(saved.map(|path| SavedCalendar { path, export }))
}
