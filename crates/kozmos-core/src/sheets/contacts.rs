//! The KOZMOS contact of each network, printed on its associations' profile sheets: the
//! organisation, and optionally a person, e-mail, phone and website. A local setting of this
//! installation (table `sheet_contacts`), like the volunteer's name: not synced.

use serde::{Deserialize, Serialize};
use sqlx::{Row, SqlitePool};
use ts_rs::TS;

use crate::check::Checker;
use crate::error::{Error, Result};
use crate::fields::{f, FieldInfo, FieldKind::*};

/// The networks that have a KOZMOS contact, with the organisation printed when none is set.
pub const NETWORKS: &[(&str, &str)] = &[
    ("lamsa", "LAMSA e.V. – KOZMOS"),
    ("migranetz", "MigraNetz Thüringen e.V. – KOZMOS"),
];

pub const FIELDS: &[FieldInfo] = &[
    f("organisation", Text, "Organisation", "Organisation"),
    f("person", Text, "Ansprechperson", "Contact person"),
    f("email", Text, "E-Mail", "E-mail"),
    f("phone", Text, "Telefon", "Phone"),
    f("website", Text, "Website", "Website"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KozmosContact {
    /// lamsa or migranetz
    pub network: String,
    pub organisation: String,
    pub person: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// False while only the default organisation name is known.
    pub configured: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
pub struct KozmosContactDraft {
    pub organisation: String,
    pub person: String,
    pub email: String,
    pub phone: String,
    pub website: String,
}

fn default_organisation(network: &str) -> Option<&'static str> {
    NETWORKS.iter().find(|(n, _)| *n == network).map(|(_, o)| *o)
}

fn unknown_network(network: &str) -> Error {
    let shown: String = network.chars().take(40).collect();
    Error::invalid(
        "network",
        "network_unknown",
        format!("„{shown}“ ist kein Netzwerk mit KOZMOS-Kontakt (lamsa oder migranetz)."),
        format!("\"{shown}\" is not a network with a KOZMOS contact (lamsa or migranetz)."),
    )
}

/// The contact of one network: as set, or the network's name alone.
pub async fn get(pool: &SqlitePool, network: &str) -> Result<KozmosContact> {
    let organisation = default_organisation(network).ok_or_else(|| unknown_network(network))?;
    let row = sqlx::query("SELECT organisation, person, email, phone, website FROM sheet_contacts WHERE network = ?")
        .bind(network)
        .fetch_optional(pool)
        .await?;
    Ok(match row {
        Some(r) => KozmosContact {
            network: network.into(),
            organisation: r.try_get("organisation")?,
            person: r.try_get("person")?,
            email: r.try_get("email")?,
            phone: r.try_get("phone")?,
            website: r.try_get("website")?,
            configured: true,
        },
        None => KozmosContact {
            network: network.into(),
            organisation: organisation.into(),
            person: None,
            email: None,
            phone: None,
            website: None,
            configured: false,
        },
    })
}

/// Both networks' contacts.
pub async fn list(pool: &SqlitePool) -> Result<Vec<KozmosContact>> {
    let mut all = Vec::with_capacity(NETWORKS.len());
    for (network, _) in NETWORKS {
        all.push(get(pool, network).await?);
    }
    Ok(all)
}

/// Checks and saves a network's contact; every problem is reported at its field.
pub async fn set(pool: &SqlitePool, network: &str, draft: &KozmosContactDraft) -> Result<KozmosContact> {
    default_organisation(network).ok_or_else(|| unknown_network(network))?;
    let mut c = Checker::new(FIELDS);
    let organisation = c.required_text(
        "organisation",
        &draft.organisation,
        150,
        "bitte den Namen der Organisation eingeben.",
        "please enter the organisation's name.",
    );
    let person = c.text("person", &draft.person, 100, false);
    let email = c.email("email", &draft.email);
    let phone = c.phone("phone", &draft.phone);
    let website = c.website("website", &draft.website);
    c.finish(())?;
    sqlx::query(
        "INSERT INTO sheet_contacts (network, organisation, person, email, phone, website) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (network) DO UPDATE SET organisation = excluded.organisation, person = excluded.person,
         email = excluded.email, phone = excluded.phone, website = excluded.website",
    )
    .bind(network)
    .bind(&organisation)
    .bind(&person)
    .bind(&email)
    .bind(&phone)
    .bind(&website)
    .execute(pool)
    .await?;
    get(pool, network).await
}
