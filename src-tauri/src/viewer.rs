//! Opening a file in the system's viewer (to print a PDF): the desktop's default program, or (for
//! the real-window tests) the program named in `KOZMOS_VIEWER`, called with the file's path.

use std::path::Path;

use kozmos_core::Error;

/// Set to a program to open files with it instead of the system's default viewer.
pub const VIEWER_ENV_VAR: &str = "KOZMOS_VIEWER";

pub fn open(path: &Path) -> Result<(), Error> {
    let failed = |e: std::io::Error| {
        Error::invalid(
            "viewer",
            "viewer_failed",
            format!(
                "Die Datei {} ließ sich nicht öffnen ({e}). Sie ist gespeichert und kann von Hand geöffnet werden.",
                path.display()
            ),
            format!(
                "The file {} could not be opened ({e}). It is saved and can be opened by hand.",
                path.display()
            ),
        )
    };
    match std::env::var_os(VIEWER_ENV_VAR) {
        Some(program) => std::process::Command::new(program)
            .arg(path)
            .status()
            .map_err(failed)
            .map(|_| ()),
        None => open::that_detached(path).map_err(failed),
    }
}
