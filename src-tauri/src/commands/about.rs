//! "Über KOZMOS": the version (the root Cargo.toml's, the same the installers carry), the system
//! it runs on, and the licences of everything bundled (generated at build time into the UI's
//! assets by scripts/licenses.mjs).

use kozmos_core::Error;
use serde::Serialize;
use tauri::AppHandle;

/// The generated licence list among the app's embedded assets.
const LICENSES_ASSET: &str = "licenses.json";

#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ipc/"))]
pub struct About {
    version: String,
    os: &'static str,
    arch: &'static str,
}

#[tauri::command]
pub fn about(app: AppHandle) -> About {
    About {
        version: app.package_info().version.to_string(),
        os: std::env::consts::OS,
        arch: std::env::consts::ARCH,
    }
}

/// The licences of the bundled fonts, Rust crates and npm packages, as the UI's build wrote them.
#[tauri::command]
pub fn third_party_licenses(app: AppHandle) -> Result<serde_json::Value, Error> {
    let missing = || {
        Error::invalid(
            "licenses",
            "licenses_missing",
            "Die Lizenzliste fehlt in dieser Ausgabe (die Oberfläche wurde ohne `npm run build` gebaut).",
            "The licence list is missing from this build (the UI was built without `npm run build`).",
        )
    };
    let asset = app.asset_resolver().get(LICENSES_ASSET.into()).ok_or_else(missing)?;
    serde_json::from_slice(&asset.bytes).map_err(|_| missing())
}
