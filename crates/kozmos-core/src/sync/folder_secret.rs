//! The shared folder's passphrase in the computer's keyring (Windows Credential Manager, macOS
//! Keychain, the Secret Service on Linux), one entry per installation. Without a keyring (no
//! Secret Service running, a locked or refusing store) the caller keeps it for the session only.

use serde::Serialize;
use ts_rs::TS;

const SERVICE: &str = "KOZMOS";

/// Where a passphrase is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Kept {
    /// In the computer's keyring: asked for never again on this computer.
    Keyring,
    /// In the app's memory until it closes.
    Session,
}

fn entry(site: &str) -> Option<keyring::Entry> {
    keyring::Entry::new(SERVICE, &format!("shared-folder:{site}"))
        .inspect_err(|e| eprintln!("KOZMOS: no keyring ({e})"))
        .ok()
}

/// The passphrase stored for this installation's shared folder, if the keyring has one.
pub fn recall(site: &str) -> Option<String> {
    entry(site)?.get_password().ok().filter(|p| !p.is_empty())
}

/// Stores the passphrase in the keyring; `Kept::Session` when there is none or it refused.
pub fn remember(site: &str, passphrase: &str) -> Kept {
    match entry(site).map(|e| e.set_password(passphrase)) {
        Some(Ok(())) if recall(site).as_deref() == Some(passphrase) => Kept::Keyring,
        Some(Err(e)) => {
            eprintln!("KOZMOS: the keyring refused the passphrase ({e})");
            Kept::Session
        }
        _ => Kept::Session,
    }
}

/// Removes the stored passphrase (nothing to do when there is none).
pub fn forget(site: &str) {
    if let Some(entry) = entry(site) {
        let _ = entry.delete_credential();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs against the real keyring where there is one: `KOZMOS_EXPECT_KEYRING=1` (set by the
    /// test script, which starts a Secret Service) makes its absence a failure.
    #[test]
    fn a_remembered_passphrase_comes_back_until_forgotten() {
        let site = uuid::Uuid::new_v4().to_string();
        let kept = remember(&site, "Kühe über Brücken 2026");
        if std::env::var_os("KOZMOS_EXPECT_KEYRING").is_some() {
            assert_eq!(kept, Kept::Keyring);
        }
        match kept {
            Kept::Keyring => assert_eq!(recall(&site).as_deref(), Some("Kühe über Brücken 2026")),
            Kept::Session => assert_eq!(recall(&site), None),
        }
        assert_eq!(
            recall(&uuid::Uuid::new_v4().to_string()),
            None,
            "another installation's entry"
        );
        forget(&site);
        assert_eq!(recall(&site), None);
        forget(&site);
    }
}
