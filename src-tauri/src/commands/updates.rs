//! Updates: asks the release server for a newer signed release and installs it only when the user
//! says so. Release builds carry the server's address (`plugins.updater.endpoints`, set by the
//! release workflow) and the public key the release must be signed with; builds without an address
//! never look. `KOZMOS_UPDATE_URL` names another server (the real-window tests use a local one).

use std::time::Duration;

use kozmos_core::Error;
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_updater::{Update, Updater, UpdaterExt};

use crate::preferences::{self, Preferences};

pub const UPDATE_URL_ENV_VAR: &str = "KOZMOS_UPDATE_URL";
/// Sent when the check at start found a release (with its `UpdateInfo`).
pub const FOUND_EVENT: &str = "update-found";
/// Sent while a release downloads (with its `Progress`).
pub const PROGRESS_EVENT: &str = "update-progress";

const TIMEOUT: Duration = Duration::from_secs(20);

/// A newer release: its version, what changed (the release notes, shown as plain text) and date.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ipc/"))]
pub struct UpdateInfo {
    pub version: String,
    pub current_version: String,
    pub notes: Option<String>,
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ipc/"))]
pub enum UpdateCheck {
    UpToDate {
        current_version: String,
    },
    Available(UpdateInfo),
    /// This build has no release server to ask (a build from source).
    NotConfigured,
}

#[derive(Clone, Serialize)]
struct Progress {
    downloaded: u64,
    total: Option<u64>,
}

/// The release found by the last check, kept until the user installs it.
#[derive(Default)]
pub struct FoundUpdate(tokio::sync::Mutex<Option<Update>>);

fn updater(app: &AppHandle) -> Result<Option<Updater>, tauri_plugin_updater::Error> {
    let mut builder = app.updater_builder().timeout(TIMEOUT);
    if let Some(url) = std::env::var(UPDATE_URL_ENV_VAR).ok().filter(|u| !u.is_empty()) {
        builder = builder.endpoints(vec![url.parse()?])?;
    }
    match builder.build() {
        Ok(updater) => Ok(Some(updater)),
        Err(tauri_plugin_updater::Error::EmptyEndpoints) => Ok(None),
        Err(e) => Err(e),
    }
}

/// What the window shows of a release.
fn info(update: &Update) -> UpdateInfo {
    UpdateInfo {
        version: update.version.clone(),
        current_version: update.current_version.clone(),
        notes: update.body.clone().filter(|n| !n.trim().is_empty()),
        date: update.date.map(|d| d.date().to_string()),
    }
}

async fn check(app: &AppHandle, found: &FoundUpdate) -> Result<UpdateCheck, Error> {
    let Some(updater) = updater(app).map_err(update_error)? else {
        return Ok(UpdateCheck::NotConfigured);
    };
    let update = updater.check().await.map_err(update_error)?;
    let check = match &update {
        Some(update) => UpdateCheck::Available(info(update)),
        None => UpdateCheck::UpToDate {
            current_version: app.package_info().version.to_string(),
        },
    };
    *found.0.lock().await = update;
    Ok(check)
}

#[tauri::command]
pub async fn check_for_update(app: AppHandle, found: State<'_, FoundUpdate>) -> Result<UpdateCheck, Error> {
    check(&app, &found).await
}

/// The release an earlier check found (the check at start may finish before the window listens).
#[tauri::command]
pub async fn found_update(found: State<'_, FoundUpdate>) -> Result<Option<UpdateInfo>, Error> {
    Ok(found.0.lock().await.as_ref().map(info))
}

/// Downloads the release found by the last check, checks its signature, installs it and starts
/// the new version (on Windows the installer takes over and the app closes).
#[tauri::command]
pub async fn install_update(app: AppHandle, found: State<'_, FoundUpdate>) -> Result<(), Error> {
    let Some(update) = found.0.lock().await.take() else {
        return Err(Error::invalid(
            "update",
            "update_not_checked",
            "Bitte suchen Sie zuerst nach Updates.",
            "Please check for updates first.",
        ));
    };
    let mut downloaded = 0u64;
    let progress = app.clone();
    update
        .download_and_install(
            move |chunk, total| {
                downloaded += chunk as u64;
                let _ = progress.emit(PROGRESS_EVENT, Progress { downloaded, total });
            },
            || {},
        )
        .await
        .map_err(update_error)?;
    app.restart()
}

#[tauri::command]
pub fn preferences(app: AppHandle) -> Preferences {
    preferences::load(&app)
}

#[tauri::command]
pub fn set_check_updates_at_start(app: AppHandle, enabled: bool) -> Result<Preferences, Error> {
    let mut preferences = preferences::load(&app);
    preferences.check_updates_at_start = enabled;
    preferences::save(&app, &preferences)?;
    Ok(preferences)
}

/// Looks for a release in the background after start, unless the user turned that off. Tells
/// the window only when there is one: offline, or when the server cannot be reached, it is silent.
pub fn spawn_check_at_start(app: &AppHandle) {
    let app = app.clone();
    if !preferences::load(&app).check_updates_at_start {
        return;
    }
    tauri::async_runtime::spawn(async move {
        use tauri::Manager;
        let found = app.state::<FoundUpdate>();
        if let Ok(UpdateCheck::Available(info)) = check(&app, &found).await {
            let _ = app.emit(FOUND_EVENT, info);
        }
    });
}

fn update_error(e: tauri_plugin_updater::Error) -> Error {
    use tauri_plugin_updater::Error as E;
    let (code, de, en) = match &e {
        E::Reqwest(_) | E::Network(_) | E::ReleaseNotFound => (
            "update_unreachable",
            "Der Update-Server ist nicht erreichbar. Sind Sie online? Bitte versuchen Sie es später noch einmal.",
            "The update server cannot be reached. Are you online? Please try again later.",
        ),
        E::TargetNotFound(_) | E::TargetsNotFound(_) | E::UnsupportedOs | E::UnsupportedArch => (
            "update_not_for_this_system",
            "Für dieses System gibt es in der neuen Version kein Update-Paket. Bitte laden Sie den Installer von der Release-Seite.",
            "The new release has no update package for this system. Please download the installer from the release page.",
        ),
        E::Minisign(_) | E::Base64(_) | E::SignatureUtf8(_) | E::SignedVersionMismatch { .. } | E::MissingSignedVersion => (
            "update_signature_invalid",
            "Das Update ist nicht gültig signiert und wurde nicht installiert.",
            "The update is not validly signed and was not installed.",
        ),
        E::AuthenticationFailed => (
            "update_not_authorised",
            "Die Installation wurde nicht erlaubt (Administrator-Passwort abgelehnt oder abgebrochen).",
            "The installation was not authorised (administrator password refused or cancelled).",
        ),
        _ => {
            return Error::invalid(
                "update",
                "update_failed",
                format!("Das Update ist fehlgeschlagen; KOZMOS bleibt in der bisherigen Version. ({e})"),
                format!("The update failed; KOZMOS stays at its current version. ({e})"),
            )
        }
    };
    Error::invalid("update", code, de, en)
}
