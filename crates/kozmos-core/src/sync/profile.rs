//! Privacy profiles of a sync file: which persons leave this installation.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteConnection;
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// No personal data: persons and consent records stay here (erasures still travel, blanked).
    NoPersons,
    /// Only persons whose current answer to "share with the other network" is yes.
    Consented,
    /// Everything.
    All,
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::NoPersons => "no-persons",
            Profile::Consented => "consented",
            Profile::All => "all",
        }
    }

    pub fn parse(text: &str) -> Result<Profile> {
        match text.trim() {
            "no-persons" => Ok(Profile::NoPersons),
            "consented" => Ok(Profile::Consented),
            "all" => Ok(Profile::All),
            other => Err(Error::invalid(
                "profile",
                "sync_profile_unknown",
                format!("Unbekanntes Datenschutzprofil „{other}“. Möglich: no-persons, consented, all."),
                format!("Unknown privacy profile \"{other}\". Possible: no-persons, consented, all."),
            )),
        }
    }

    /// What the profile leaves out, as codes the UI and CLI translate (see `left_out_label`).
    pub fn left_out(self) -> Vec<String> {
        match self {
            Profile::NoPersons => vec!["persons".into(), "consents".into()],
            Profile::Consented => vec!["persons-without-consent".into()],
            Profile::All => Vec::new(),
        }
    }
}

/// A left-out code in words.
pub fn left_out_label(code: &str, lang: crate::Lang) -> String {
    let (de, en) = match code {
        "persons" => (
            "Kontaktpersonen (nur Löschungen aus Datenschutzgründen werden übertragen)",
            "contact persons (only privacy erasures are carried)",
        ),
        "consents" => ("Einwilligungen", "consent records"),
        "persons-without-consent" => (
            "Kontaktpersonen ohne Einwilligung zur Weitergabe, mit ihren Einwilligungen",
            "contact persons without consent to sharing, with their consent records",
        ),
        other => (other, other),
    };
    match lang {
        crate::Lang::De => de.into(),
        crate::Lang::En => en.into(),
    }
}

/// The persons a filtered file carries: in full (`persons`; erased persons always travel, blanked)
/// and with their consent records (`consents_of`: not the erased).
pub struct Carried {
    pub persons: HashSet<String>,
    pub consents_of: HashSet<String>,
}

/// What a file of this profile carries of persons; None means everything.
pub async fn persons_carried(conn: &mut SqliteConnection, profile: Profile) -> Result<Option<Carried>> {
    let purged: HashSet<String> = sqlx::query_scalar("SELECT id FROM persons WHERE life = 'purged'")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
    let consenting: HashSet<String> = match profile {
        Profile::All => return Ok(None),
        Profile::NoPersons => HashSet::new(),
        Profile::Consented => sqlx::query_scalar(
            "SELECT p.id FROM persons p WHERE p.life <> 'purged' AND 'given' = (
                SELECT c.status FROM consents c
                WHERE c.person_id = p.id AND c.purpose = 'share' AND c.life = 'alive'
                ORDER BY c.date DESC, c.changed_hlc DESC LIMIT 1)",
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect(),
    };
    Ok(Some(Carried {
        persons: consenting.union(&purged).cloned().collect(),
        consents_of: consenting,
    }))
}
