//! Privacy profiles of a sync file: which persons leave this installation.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteConnection;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::person::ShareDecision;

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

/// The persons a file carries, with their consent records. Erased persons always travel, blanked, with their erased consent records (notes blanked), so
/// that no receiver keeps a note about them. Persons withheld here (the other network no longer
/// shares them) never leave, their erasure excepted.
pub struct Carried {
    /// None: every person (profile "all").
    pub allowed: Option<HashSet<String>>,
    pub purged: HashSet<String>,
    pub withheld: HashSet<String>,
}

impl Carried {
    pub fn carries(&self, id: &str) -> bool {
        self.purged.contains(id) || !self.withheld.contains(id) && self.allowed.as_ref().is_none_or(|a| a.contains(id))
    }
}

/// What a file of this profile carries of persons, given every person's share decision
/// (`withheld::decisions`): under "consented" the shareable ones (`person::share_decision`).
pub async fn persons_carried(
    conn: &mut SqliteConnection,
    profile: Profile,
    decisions: &HashMap<String, ShareDecision>,
) -> Result<Carried> {
    let purged: HashSet<String> = sqlx::query_scalar("SELECT id FROM persons WHERE life = 'purged'")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
    let allowed = match profile {
        Profile::All => None,
        Profile::NoPersons => Some(HashSet::new()),
        Profile::Consented => Some(
            decisions
                .iter()
                .filter(|(id, d)| d.shareable && !purged.contains(*id))
                .map(|(id, _)| id.clone())
                .collect(),
        ),
    };
    let withheld = super::withheld::marks(conn).await?.into_keys().collect();
    Ok(Carried {
        allowed,
        purged,
        withheld,
    })
}
