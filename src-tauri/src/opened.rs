//! Sync files the app was asked to open (named at start, handed over by a later start, or sent
//! by macOS's "open" event). The newest waits here until the window takes it; the window is told
//! by an event and brought to the front.

use std::path::PathBuf;
use std::sync::Mutex;

use tauri::{AppHandle, Emitter, Manager};

/// The event the window listens to; it then takes the file with `take_opened_sync_file`.
pub const OPENED_EVENT: &str = "sync-file-opened";

#[derive(Default)]
pub struct OpenedFile(Mutex<Option<PathBuf>>);

impl OpenedFile {
    /// The last of the files named at start, if any.
    pub fn at_start(files: &[PathBuf]) -> OpenedFile {
        OpenedFile(Mutex::new(files.last().cloned()))
    }

    pub fn take(&self) -> Option<PathBuf> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    fn put(&self, file: PathBuf) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(file);
    }
}

/// Brings the window to the front and, when files came with the request, offers the last one.
pub fn deliver(app: &AppHandle, files: Vec<PathBuf>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    if let Some(file) = files.into_iter().last() {
        app.state::<OpenedFile>().put(file);
        let _ = app.emit(OPENED_EVENT, ());
    }
}
