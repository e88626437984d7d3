//! The installation: its site id, the network it belongs to, the volunteer at the keyboard.

use serde::Serialize;
use sqlx::{Row, SqlitePool};
use ts_rs::TS;

use crate::error::{Error, FieldError, Lang, Result};
use crate::text::{has_control_chars, nfc};
use crate::vocab;

#[derive(Debug, Clone, Serialize, TS)]
pub struct Installation {
    /// UUID of this installation; every stamp it writes carries it.
    pub site_id: String,
    /// lamsa, migranetz or other; None until the first-run screen was answered.
    pub network: Option<String>,
    pub volunteer: Option<String>,
    pub ui_lang: Lang,
    pub created_at: String,
}

impl Installation {
    pub fn is_set_up(&self) -> bool {
        self.network.is_some() && self.volunteer.is_some()
    }
}

pub use crate::check::VOLUNTEER_MAX_CHARS;

/// Reads the installation, creating its site id on first start.
pub async fn ensure(pool: &SqlitePool) -> Result<Installation> {
    let created_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    sqlx::query("INSERT OR IGNORE INTO site (id, site_id, created_at) VALUES (1, ?, ?)")
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(created_at)
        .execute(pool)
        .await?;
    load(pool).await
}

pub async fn load(pool: &SqlitePool) -> Result<Installation> {
    let row = sqlx::query("SELECT site_id, network, volunteer, ui_lang, created_at FROM site WHERE id = 1")
        .fetch_one(pool)
        .await?;
    Ok(Installation {
        site_id: row.try_get("site_id")?,
        network: row.try_get("network")?,
        volunteer: row.try_get("volunteer")?,
        ui_lang: if row.try_get::<String, _>("ui_lang")? == "en" {
            Lang::En
        } else {
            Lang::De
        },
        created_at: row.try_get("created_at")?,
    })
}

/// Sets network and volunteer name (first-run screen, `kozmos init`). Both are required.
pub async fn set_up(pool: &SqlitePool, network: &str, volunteer: &str) -> Result<Installation> {
    let network = network.trim();
    let volunteer = nfc(volunteer);
    let mut errors = Vec::new();
    if vocab::find(vocab::SITE_NETWORKS, network).is_none() {
        errors.push(FieldError::new(
            "network",
            "network_unknown",
            "Bitte wählen Sie das Netzwerk: LAMSA, MigraNetz Thüringen oder andere Stelle.",
            "Please choose the network: LAMSA, MigraNetz Thüringen or other.",
        ));
    }
    if volunteer.is_empty() {
        errors.push(FieldError::new(
            "volunteer",
            "volunteer_required",
            "Bitte geben Sie Ihren Namen ein.",
            "Please enter your name.",
        ));
    } else if volunteer.chars().count() > VOLUNTEER_MAX_CHARS || has_control_chars(&volunteer, false) {
        errors.push(FieldError::new(
            "volunteer",
            "volunteer_invalid",
            format!("Der Name darf höchstens {VOLUNTEER_MAX_CHARS} Zeichen ohne Steuerzeichen haben."),
            format!("The name may have at most {VOLUNTEER_MAX_CHARS} characters and no control characters."),
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    sqlx::query("UPDATE site SET network = ?, volunteer = ? WHERE id = 1")
        .bind(network)
        .bind(&volunteer)
        .execute(pool)
        .await?;
    load(pool).await
}

pub async fn set_ui_lang(pool: &SqlitePool, lang: Lang) -> Result<Installation> {
    sqlx::query("UPDATE site SET ui_lang = ? WHERE id = 1")
        .bind(lang.code())
        .execute(pool)
        .await?;
    load(pool).await
}
