//! The KOZMOS desktop app: a thin Tauri shell over `kozmos_core`.

mod commands;
#[cfg(test)]
mod contract;
mod folder_passphrase;
mod instance;
mod launch;
mod open_dialog;
mod opened;
mod picked;
mod preferences;
mod save_dialog;
mod state;
mod viewer;

use instance::Claim;
use kozmos_core::db;
use opened::OpenedFile;

pub use state::AppState;

pub fn run() {
    // Before any thread starts: one malloc arena per core instead of eight (see the function).
    kozmos_os::limit_malloc_arenas(std::thread::available_parallelism().map_or(2, |n| n.get()));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let launch = launch::parse(&args, &std::env::current_dir().unwrap_or_default());
    let db_path = db::resolve_path(launch.db.as_deref(), std::env::var_os(db::DB_ENV_VAR));
    // One window per database: a later start hands its files to the running window and ends.
    let listener = match &db_path {
        Ok(path) => match instance::claim(path, &launch.files) {
            Ok(Claim::HandedOver) => return,
            Ok(Claim::First(listener)) => Some((listener, path.clone())),
            Err(e) => {
                eprintln!("KOZMOS: {e}; starting a window of its own");
                None
            }
        },
        Err(_) => None,
    };
    let state = tauri::async_runtime::block_on(AppState::open(db_path));
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(state)
        .manage(commands::sync::Previewed::default())
        .manage(commands::updates::FoundUpdate::default())
        .manage(OpenedFile::at_start(&launch.files))
        .manage(picked::Picked::default())
        .manage(folder_passphrase::FolderPassphrase::default())
        .invoke_handler(commands::handler())
        .setup(move |app| {
            commands::backups::spawn_daily(app.handle());
            commands::updates::spawn_check_at_start(app.handle());
            if let Some((listener, db)) = listener {
                let handle = app.handle().clone();
                instance::serve(listener, &db, move |files| opened::deliver(&handle, files));
            }
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("error while starting KOZMOS");
    app.run(|_app, _event| {
        // macOS opens files in a running app through this event, not through arguments.
        #[cfg(target_os = "macos")]
        if let tauri::RunEvent::Opened { urls } = _event {
            let files = urls.into_iter().filter_map(|url| url.to_file_path().ok()).collect();
            opened::deliver(_app, files);
        }
    });
}
