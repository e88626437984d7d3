//! Spreadsheet import (choose a file, mapping, preview, apply, rejected rows as CSV) and the
//! export of a filtered list. Each command is a few lines around `kozmos_core::import`/`export`;
//! the file is read again from its path by each step (it is small: at most 20 MB).

use kozmos_core::export::{self, ExportFormat, ListExport};
use kozmos_core::import::{self, ImportChoice, ImportFile, ImportKind, TableImportResult, TablePreview};
use kozmos_core::{site, Error};
use tauri::{AppHandle, State};

use crate::open_dialog::choose_file_of;
use crate::picked::{Picked, PickedPath};
use crate::save_dialog::{save, FileKind};
use crate::AppState;

/// Asks which spreadsheet to import; its token (and path to show), or None when the user cancels.
#[tauri::command]
pub async fn pick_import_file(app: AppHandle, picked: State<'_, Picked>) -> Result<Option<PickedPath>, Error> {
    let path = choose_file_of(&app, "CSV, Excel, OpenDocument", &["csv", "txt", "xlsx", "ods"]).await;
    Ok(path.map(|p| picked.remember(p)))
}

/// Reads the spreadsheet a token stands for.
fn read_picked(picked: &Picked, token: &str) -> Result<import::Table, Error> {
    import::read_file(&picked.resolve(token)?)
}

/// The file's columns with sample values and the proposed (or saved) mapping for `kind`.
#[tauri::command]
pub async fn describe_import_file(
    state: State<'_, AppState>,
    picked: State<'_, Picked>,
    token: String,
    kind: ImportKind,
) -> Result<ImportFile, Error> {
    let table = read_picked(&picked, &token)?;
    import::describe(&state.kozmos()?.store, kind, &table).await
}

/// What importing would do, row by row; writes nothing.
#[tauri::command]
pub async fn preview_import(
    state: State<'_, AppState>,
    picked: State<'_, Picked>,
    token: String,
    choice: ImportChoice,
) -> Result<TablePreview, Error> {
    let table = read_picked(&picked, &token)?;
    import::preview(&state.kozmos()?.store, &table, &choice).await
}

/// Imports the file previewed (`sha256`) in one transaction after a backup copy, and saves the mapping for files of this shape.
#[tauri::command]
pub async fn apply_import(
    state: State<'_, AppState>,
    picked: State<'_, Picked>,
    token: String,
    choice: ImportChoice,
    sha256: String,
) -> Result<TableImportResult, Error> {
    let k = state.kozmos()?;
    let table = read_picked(&picked, &token)?;
    import::check_same_file(&table, &sha256)?;
    import::apply(&k.store, Some(&k.backup_dir()), &table, &choice).await
}

/// Asks where to save and writes the rejected rows with their reasons as CSV; None when cancelled.
#[tauri::command]
pub async fn save_rejected_rows(
    app: AppHandle,
    state: State<'_, AppState>,
    picked: State<'_, Picked>,
    token: String,
    choice: ImportChoice,
) -> Result<Option<String>, Error> {
    let store = &state.kozmos()?.store;
    let lang = site::load(store.pool()).await?.ui_lang;
    let table = read_picked(&picked, &token)?;
    let preview = import::preview(store, &table, &choice).await?;
    let name = lang.pick("abgelehnte-zeilen.csv", "rejected-rows.csv");
    let kind = FileKind {
        filter: "CSV",
        extension: "csv",
    };
    save(&app, name, kind, import::rejected_csv(&preview, lang).as_bytes()).await
}

/// Asks where to save and writes the list with its filter as CSV or Excel; None when cancelled.
#[tauri::command]
pub async fn export_list(
    app: AppHandle,
    state: State<'_, AppState>,
    list: ListExport,
    format: ExportFormat,
) -> Result<Option<String>, Error> {
    let store = &state.kozmos()?.store;
    let lang = site::load(store.pool()).await?.ui_lang;
    let bytes = export::export(store, &list, format, lang).await?;
    let kind = match format {
        ExportFormat::Csv => FileKind {
            filter: "CSV",
            extension: "csv",
        },
        ExportFormat::Xlsx => FileKind {
            filter: "Excel",
            extension: "xlsx",
        },
    };
    save(&app, &export::file_name(&list, format, lang), kind, &bytes).await
}
