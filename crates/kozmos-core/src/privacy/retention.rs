//! Retention review: living persons without activity for a set time (default 3 years, a local
//! setting in `site.retention_years`), with their last activity and what it was.
//!
//! A person's last activity is the newest of:
//! - `edit`: the last write to their record (here or, via sync, at the other network),
//! - `consent`: a consent record of theirs (the date given or withdrawn, or when it was entered),
//! - `activity`: the date of an activity entry that names them (text or who),
//! - `cooperation`: the last change of a cooperation whose text names them (e.g. as next-step owner;
//!   cooperations have no contact-person reference, so naming is what makes them theirs).
//!
//! A person is listed when that date lies before the cutoff: today minus the period in whole years
//! (29 February gives 28 February). The list is oldest first.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use super::mentions;
use super::names::Names;
use crate::error::{Error, Result};
use crate::hlc::millis;
use crate::person::{Parent, PersonFields};
use crate::store::Store;

pub const DEFAULT_YEARS: u32 = 3;
pub const MAX_YEARS: u32 = 30;

/// One person due for review.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RetentionPerson {
    pub id: String,
    pub name: Option<String>,
    pub name_original: Option<String>,
    pub role: Option<String>,
    pub parent: Parent,
    pub parent_name: String,
    /// ISO date of the last activity.
    pub last_activity: String,
    /// What it was: edit, consent, activity or cooperation.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RetentionReview {
    pub years: u32,
    /// Persons whose last activity is before this ISO date are listed.
    pub cutoff: String,
    pub persons: Vec<RetentionPerson>,
}

/// Checks a retention period in years (1 to `MAX_YEARS`).
pub fn check_years(years: i64) -> Result<u32> {
    match u32::try_from(years) {
        Ok(y) if (1..=MAX_YEARS).contains(&y) => Ok(y),
        _ => Err(years_error()),
    }
}

/// A period as typed (CLI): whole years only.
pub fn parse_years(text: &str) -> Result<u32> {
    text.trim()
        .parse::<i64>()
        .map_err(|_| years_error())
        .and_then(check_years)
}

fn years_error() -> Error {
    Error::invalid(
        "retention_years",
        "out_of_range",
        format!("Aufbewahrungsfrist: bitte eine ganze Zahl von 1 bis {MAX_YEARS} Jahren angeben."),
        format!("Retention period: please give a whole number of years from 1 to {MAX_YEARS}."),
    )
}

/// The period set for this installation.
pub async fn years(store: &Store) -> Result<u32> {
    let years: i64 = sqlx::query_scalar("SELECT retention_years FROM site WHERE id = 1")
        .fetch_one(store.pool())
        .await?;
    Ok(check_years(years).unwrap_or(DEFAULT_YEARS))
}

/// Sets the period (local, not synced).
pub async fn set_years(store: &Store, years: i64) -> Result<u32> {
    let years = check_years(years)?;
    sqlx::query("UPDATE site SET retention_years = ? WHERE id = 1")
        .bind(i64::from(years))
        .execute(store.pool())
        .await?;
    Ok(years)
}

fn date_of_hlc(hlc: i64) -> time::Date {
    crate::hlc::utc_date(millis(hlc)).unwrap_or(time::Date::MIN)
}

fn years_before(date: time::Date, years: u32) -> time::Date {
    let year = date.year() - years as i32;
    date.replace_year(year)
        .or_else(|_| time::Date::from_calendar_date(year, date.month(), 28))
        .unwrap_or(time::Date::MIN)
}

fn parse_date(s: &str) -> Option<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

/// The persons to review with the given period, or the one set.
pub async fn review(store: &Store, years: Option<u32>) -> Result<RetentionReview> {
    let years = match years {
        Some(y) => check_years(i64::from(y))?,
        None => self::years(store).await?,
    };
    let today = store.today();
    let cutoff = years_before(today, years);

    let rows = sqlx::query(
        "SELECT p.id, p.name, p.name_original, p.name_latin, p.email, p.role, p.association_id,
                p.foundation_id, p.changed_hlc, COALESCE(a.name, f.name, '') AS parent_name
         FROM persons p LEFT JOIN associations a ON a.id = p.association_id
         LEFT JOIN foundations f ON f.id = p.foundation_id
         WHERE p.life = 'alive'",
    )
    .fetch_all(store.pool())
    .await?;
    let mut consents: HashMap<String, time::Date> = HashMap::new();
    for r in sqlx::query("SELECT person_id, date, changed_hlc FROM consents WHERE life = 'alive'")
        .fetch_all(store.pool())
        .await?
    {
        let person: String = r.try_get("person_id")?;
        let date = parse_date(r.try_get("date")?).unwrap_or(time::Date::MIN);
        let newest = date.max(date_of_hlc(r.try_get("changed_hlc")?));
        let entry = consents.entry(person).or_insert(newest);
        *entry = (*entry).max(newest);
    }
    let texts = mentions::load(store).await?;

    let mut persons = Vec::new();
    for r in &rows {
        let fields = PersonFields {
            name: r.try_get("name")?,
            name_original: r.try_get("name_original")?,
            name_latin: r.try_get("name_latin")?,
            email: r.try_get("email")?,
            ..Default::default()
        };
        let id: String = r.try_get("id")?;
        let mut last = (date_of_hlc(r.try_get("changed_hlc")?), "edit");
        let mut consider = |date: time::Date, reason: &'static str| {
            if date > last.0 {
                last = (date, reason);
            }
        };
        if let Some(date) = consents.get(&id) {
            consider(*date, "consent");
        }
        let names = Names::of(&fields);
        for a in texts.activities(&names) {
            if let Some(date) = parse_date(&a.activity.date) {
                consider(date, "activity");
            }
        }
        for (_, hlc) in texts.cooperations(&names) {
            consider(date_of_hlc(hlc), "cooperation");
        }
        if last.0 >= cutoff {
            continue;
        }
        let association: Option<String> = r.try_get("association_id")?;
        let foundation: Option<String> = r.try_get("foundation_id")?;
        persons.push(RetentionPerson {
            id,
            name: fields.name,
            name_original: fields.name_original,
            role: r.try_get("role")?,
            parent: match (association, foundation) {
                (Some(a), _) => Parent::Association(a),
                (_, f) => Parent::Foundation(f.unwrap_or_default()),
            },
            parent_name: r.try_get("parent_name")?,
            last_activity: last.0.to_string(),
            reason: last.1.to_string(),
        });
    }
    persons.sort_by(|a, b| a.last_activity.cmp(&b.last_activity).then_with(|| a.id.cmp(&b.id)));
    Ok(RetentionReview {
        years,
        cutoff: cutoff.to_string(),
        persons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn whole_years_back_with_leap_days() {
        assert_eq!(years_before(date!(2026 - 12 - 02), 3), date!(2023 - 12 - 02));
        assert_eq!(years_before(date!(2024 - 02 - 29), 1), date!(2023 - 02 - 28));
    }

    #[test]
    fn periods_are_whole_years_within_limits() {
        assert_eq!(parse_years(" 3 ").unwrap(), 3);
        for bad in ["0", "-1", "31", "drei", "", "2.5", "99999999999999999999"] {
            assert_eq!(parse_years(bad).unwrap_err().code(), "out_of_range", "{bad}");
        }
    }
}
