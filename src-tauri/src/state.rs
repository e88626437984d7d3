//! The app's managed state: the open database, or why it could not be opened.

use std::path::Path;

use kozmos_core::{db, Error, Kozmos};

pub struct AppState {
    opened: Result<Kozmos, Error>,
}

impl AppState {
    pub async fn open(option: Option<&Path>) -> AppState {
        let opened = match db::resolve_path(option, std::env::var_os(db::DB_ENV_VAR)) {
            Ok(path) => Kozmos::open(&path).await,
            Err(e) => Err(e),
        };
        AppState { opened }
    }

    pub fn kozmos(&self) -> Result<&Kozmos, Error> {
        self.opened.as_ref().map_err(Clone::clone)
    }
}
