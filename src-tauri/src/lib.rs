//! The KOZMOS desktop app: a thin Tauri shell over `kozmos_core`.

mod commands;
mod open_dialog;
mod save_dialog;
mod state;
mod viewer;

use std::path::PathBuf;

pub use state::AppState;

/// The `--db PATH` option from the command line, if given.
fn db_option(args: impl Iterator<Item = String>) -> Option<PathBuf> {
    let args: Vec<String> = args.collect();
    args.iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--db=") {
            Some(path) => Some(PathBuf::from(path)),
            None if a == "--db" => args.get(i + 1).map(PathBuf::from),
            None => None,
        })
}

pub fn run() {
    let db = db_option(std::env::args());
    let state = tauri::async_runtime::block_on(AppState::open(db.as_deref()));
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .manage(commands::sync::Previewed::default())
        .invoke_handler(commands::handler())
        .setup(|app| {
            commands::backups::spawn_daily(app.handle());
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running KOZMOS");
}

#[cfg(test)]
mod tests {
    use super::db_option;
    use std::path::PathBuf;

    #[test]
    fn reads_the_db_option_in_both_spellings() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>().into_iter();
        assert_eq!(
            db_option(args(&["app", "--db", "/x/a.sqlite3"])),
            Some(PathBuf::from("/x/a.sqlite3"))
        );
        assert_eq!(
            db_option(args(&["app", "--db=/y.sqlite3"])),
            Some(PathBuf::from("/y.sqlite3"))
        );
        assert_eq!(db_option(args(&["app"])), None);
    }
}
