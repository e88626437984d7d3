//! The shared folder's passphrase while the app runs: typed once per session, or taken from the
//! computer's keyring (`kozmos_core::sync::folder_secret`).

use std::sync::Mutex;

use kozmos_core::sync::folder_secret::{self, Kept};

#[derive(Default)]
pub struct FolderPassphrase(Mutex<Option<String>>);

impl FolderPassphrase {
    /// Keeps (or, with None, drops) the passphrase for this session.
    pub fn keep(&self, passphrase: Option<String>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = passphrase;
    }

    /// This session's passphrase, else the keyring's. Blocks on the keyring (D-Bus on Linux).
    pub fn current(&self, site: &str) -> Option<String> {
        let session = self.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        session.or_else(|| folder_secret::recall(site))
    }

    /// Where the passphrase is known: the keyring first (it outlives the session).
    pub fn kept(&self, site: &str) -> Option<Kept> {
        if folder_secret::recall(site).is_some() {
            Some(Kept::Keyring)
        } else {
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .as_ref()
                .map(|_| Kept::Session)
        }
    }

    /// Keeps a passphrase for the session and, when asked, in the keyring; where it ended up.
    pub fn remember(&self, site: &str, passphrase: &str, in_keyring: bool) -> Kept {
        self.keep(Some(passphrase.to_string()));
        if in_keyring {
            folder_secret::remember(site, passphrase)
        } else {
            folder_secret::forget(site);
            Kept::Session
        }
    }

    /// Forgets it here and in the keyring.
    pub fn forget(&self, site: &str) {
        self.keep(None);
        folder_secret::forget(site);
    }
}
