//! The facts matching needs, read in bulk, and the ranked lists for one association or foundation.
//! Each side is read with one query that SQLite folds into one JSON text (a row per record costs far
//! more than the record); its records become profiles, which the store's read cache keeps for the day
//! until anyone changes the database. Every pair is tallied, the ranking sorts the tallies, and only
//! the page returned is explained.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;
use sqlx::Row;

use super::explain::{Explainer, Phrases};
use super::rules::{
    rank_order, AssociationParts, AssociationProfile, FoundationParts, FoundationProfile, NameOrder, RankKey, Tally,
    Today,
};
use super::{Match, MatchQuery};
use crate::association::notice_valid_until_of;
use crate::error::{Error, Result};
use crate::listing::Page;
use crate::store::Store;

/// What matching looks at in an association.
#[derive(Debug, Clone, Default)]
pub struct AssociationFacts {
    pub id: String,
    pub name: String,
    pub city: Option<String>,
    pub district: Option<String>,
    pub state: Option<String>,
    pub legal_form: Option<String>,
    pub founded_year: Option<i32>,
    pub charitable_status: Option<String>,
    pub notice_valid_until: Option<String>,
    pub themes: Vec<String>,
    pub target_groups: Vec<String>,
    pub needs: Vec<String>,
    /// The largest amount one of its project ideas needs (cents).
    pub amount_needed: Option<i64>,
}

/// What matching looks at in a foundation.
#[derive(Debug, Clone, Default)]
pub struct FoundationFacts {
    pub id: String,
    pub name: String,
    pub accepts_applications: Option<String>,
    pub application_route: Option<String>,
    pub deadlines: Vec<String>,
    pub funding_area: Option<String>,
    pub area_municipality: Option<String>,
    pub area_districts: Vec<String>,
    pub area_states: Vec<String>,
    pub themes: Vec<String>,
    pub target_groups: Vec<String>,
    pub support_kinds: Vec<String>,
    pub grant_min: Option<i64>,
    pub grant_max: Option<i64>,
    pub requires_charitable: Option<String>,
    pub ev_only: Option<String>,
    pub min_age_years: Option<i32>,
}

impl AssociationFacts {
    pub(super) fn profile(&self, today: &Today) -> AssociationProfile {
        AssociationProfile::new(
            AssociationParts {
                id: &self.id,
                name: &self.name,
                city: self.city.as_deref(),
                district: self.district.as_deref(),
                state: self.state.as_deref(),
                legal_form: self.legal_form.as_deref(),
                founded_year: self.founded_year,
                charitable_status: self.charitable_status.as_deref(),
                notice_valid_until: self.notice_valid_until.as_deref(),
                themes: &self.themes,
                target_groups: &self.target_groups,
                needs: &self.needs,
                amount_needed: self.amount_needed,
            },
            today,
        )
    }
}

impl FoundationFacts {
    pub(super) fn profile(&self, today: &Today) -> FoundationProfile {
        FoundationProfile::new(
            FoundationParts {
                id: &self.id,
                name: &self.name,
                accepts_applications: self.accepts_applications.as_deref(),
                application_route: self.application_route.as_deref(),
                deadlines: &self.deadlines,
                funding_area: self.funding_area.as_deref(),
                area_municipality: self.area_municipality.as_deref(),
                area_districts: &self.area_districts,
                area_states: &self.area_states,
                themes: &self.themes,
                target_groups: &self.target_groups,
                support_kinds: &self.support_kinds,
                grant_min: self.grant_min,
                grant_max: self.grant_max,
                requires_charitable: self.requires_charitable.as_deref(),
                ev_only: self.ev_only.as_deref(),
                min_age_years: self.min_age_years,
            },
            today,
        )
    }
}

/// A text from the JSON of a side, borrowed unless it had to be unescaped.
#[derive(Debug, Deserialize)]
pub(super) struct Text<'s>(#[serde(borrow)] Cow<'s, str>);

impl AsRef<str> for Text<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

fn text<'r>(t: &'r Option<Text>) -> Option<&'r str> {
    t.as_ref().map(AsRef::as_ref)
}

/// One association as `fetch_associations` returns it (an array, in this order).
#[derive(Debug, Deserialize)]
pub(super) struct AssociationRow<'s> {
    #[serde(borrow)]
    id: Text<'s>,
    #[serde(borrow)]
    name: Text<'s>,
    #[serde(borrow)]
    city: Option<Text<'s>>,
    #[serde(borrow)]
    district: Option<Text<'s>>,
    #[serde(borrow)]
    state: Option<Text<'s>>,
    #[serde(borrow)]
    legal_form: Option<Text<'s>>,
    founded_year: Option<i32>,
    #[serde(borrow)]
    charitable_status: Option<Text<'s>>,
    #[serde(borrow)]
    notice_kind: Option<Text<'s>>,
    #[serde(borrow)]
    notice_date: Option<Text<'s>>,
    #[serde(borrow)]
    themes: Vec<Text<'s>>,
    #[serde(borrow)]
    target_groups: Vec<Text<'s>>,
    #[serde(borrow)]
    needs: Vec<Text<'s>>,
    /// Absent when the needs are read apart.
    #[serde(default)]
    amount_needed: Option<i64>,
}

impl AssociationRow<'_> {
    fn profile(&self, today: &Today) -> AssociationProfile {
        let until = text(&self.notice_kind)
            .zip(text(&self.notice_date))
            .and_then(|(kind, date)| notice_valid_until_of(kind, date));
        AssociationProfile::new(
            AssociationParts {
                id: self.id.as_ref(),
                name: self.name.as_ref(),
                city: text(&self.city),
                district: text(&self.district),
                state: text(&self.state),
                legal_form: text(&self.legal_form),
                founded_year: self.founded_year,
                charitable_status: text(&self.charitable_status),
                notice_valid_until: until.as_deref(),
                themes: &self.themes,
                target_groups: &self.target_groups,
                needs: &self.needs,
                amount_needed: self.amount_needed,
            },
            today,
        )
    }
}

/// One foundation as `fetch_foundations` returns it (an array, in this order).
#[derive(Debug, Deserialize)]
pub(super) struct FoundationRow<'s> {
    #[serde(borrow)]
    id: Text<'s>,
    #[serde(borrow)]
    name: Text<'s>,
    #[serde(borrow)]
    accepts_applications: Option<Text<'s>>,
    #[serde(borrow)]
    application_route: Option<Text<'s>>,
    #[serde(borrow)]
    deadlines: Vec<Text<'s>>,
    #[serde(borrow)]
    funding_area: Option<Text<'s>>,
    #[serde(borrow)]
    area_municipality: Option<Text<'s>>,
    #[serde(borrow)]
    area_districts: Vec<Text<'s>>,
    #[serde(borrow)]
    area_states: Vec<Text<'s>>,
    #[serde(borrow)]
    themes: Vec<Text<'s>>,
    #[serde(borrow)]
    target_groups: Vec<Text<'s>>,
    #[serde(borrow)]
    support_kinds: Vec<Text<'s>>,
    grant_min: Option<i64>,
    grant_max: Option<i64>,
    #[serde(borrow)]
    requires_charitable: Option<Text<'s>>,
    #[serde(borrow)]
    ev_only: Option<Text<'s>>,
    min_age_years: Option<i32>,
}

impl FoundationRow<'_> {
    fn profile(&self, today: &Today) -> FoundationProfile {
        FoundationProfile::new(
            FoundationParts {
                id: self.id.as_ref(),
                name: self.name.as_ref(),
                accepts_applications: text(&self.accepts_applications),
                application_route: text(&self.application_route),
                deadlines: &self.deadlines,
                funding_area: text(&self.funding_area),
                area_municipality: text(&self.area_municipality),
                area_districts: &self.area_districts,
                area_states: &self.area_states,
                themes: &self.themes,
                target_groups: &self.target_groups,
                support_kinds: &self.support_kinds,
                grant_min: self.grant_min,
                grant_max: self.grant_max,
                requires_charitable: text(&self.requires_charitable),
                ev_only: text(&self.ev_only),
                min_age_years: self.min_age_years,
            },
            today,
        )
    }
}

/// A foundation's columns for `json_array`; the lists as JSON (`json()` refuses a damaged one, so it
/// is an error, never an empty list).
const FOUNDATION_COLUMNS: &str = "id, name, accepts_applications, application_route, json(deadlines), funding_area,
    area_municipality, json(area_districts), json(area_states), json(themes), json(target_groups),
    json(support_kinds), grant_min, grant_max, requires_charitable, ev_only, min_age_years";

/// Every living association (or the one with the given id), with the largest amount its ideas need.
/// The records come as one JSON array of arrays, and when all are read the largest needs apart, at
/// the same time (joining them in costs more than both queries).
async fn read_associations(store: &Store, id: Option<&str>, today: &Today) -> Result<Vec<AssociationProfile>> {
    let records = "SELECT json_group_array(json_array(a.id, a.name, a.city, a.district, a.state, a.legal_form,
        a.founded_year, a.charitable_status, a.notice_kind, a.notice_date, json(a.themes), json(a.target_groups), json(a.needs)";
    let (records, needs) = match id {
        Some(id) => {
            let sql = format!(
                "{records}, (SELECT MAX(amount_needed) FROM ideas i WHERE i.association_id = a.id AND i.life = 'alive')))
                 FROM associations a WHERE a.life = 'alive' AND a.id = ?1"
            );
            (one_json(store, sql, Some(id)).await?, None)
        }
        None => {
            let sql = format!("{records})) FROM associations a WHERE a.life = 'alive'");
            let needs = "SELECT json_group_array(json_array(association_id, amount_needed)) FROM
                (SELECT association_id, MAX(amount_needed) AS amount_needed FROM ideas WHERE life = 'alive'
                 GROUP BY association_id)";
            let (records, needs) = tokio::try_join!(one_json(store, sql, None), one_json(store, needs.into(), None))?;
            (records, Some(needs))
        }
    };
    let mut rows: Vec<AssociationRow> = parse(&records)?;
    if let Some(needs) = &needs {
        let needs: Vec<(Text, Option<i64>)> = parse(needs)?;
        let needs: HashMap<&str, Option<i64>> = needs.iter().map(|(id, n)| (id.as_ref(), *n)).collect();
        for row in &mut rows {
            row.amount_needed = needs.get(row.id.as_ref()).copied().flatten();
        }
    }
    Ok(rows.par_iter().map(|r| r.profile(today)).collect())
}

/// Every living foundation (or the one with the given id), read as one JSON array of arrays.
async fn read_foundations(store: &Store, id: Option<&str>, today: &Today) -> Result<Vec<FoundationProfile>> {
    let only = if id.is_some() { "AND id = ?1" } else { "" };
    let sql = format!(
        "SELECT json_group_array(json_array({FOUNDATION_COLUMNS})) FROM foundations WHERE life = 'alive' {only}"
    );
    let json = one_json(store, sql, id).await?;
    let rows: Vec<FoundationRow> = parse(&json)?;
    Ok(rows.par_iter().map(|r| r.profile(today)).collect())
}

/// The profiles of every living record of one side for one day, in name order (by name, then id).
pub(super) struct DayProfiles<P> {
    day: String,
    pub list: Vec<P>,
}

/// Profiles for `today` kept under `key`, read again after any change to the database or of the day.
async fn kept<P, F>(store: &Store, key: &'static str, today: &Today, read: F) -> Result<Arc<DayProfiles<P>>>
where
    P: NameOrder + Send + Sync + 'static,
    F: std::future::Future<Output = Result<Vec<P>>>,
{
    let day = today.iso();
    store
        .cached(key, |kept: &DayProfiles<P>| kept.day == day, async {
            let mut list = read.await?;
            list.par_sort_unstable_by(|x, y| x.name_and_id().cmp(&y.name_and_id()));
            Ok(DayProfiles {
                day: day.to_string(),
                list,
            })
        })
        .await
}

/// Every living association's profile.
pub(super) async fn all_associations(store: &Store, today: &Today) -> Result<Arc<DayProfiles<AssociationProfile>>> {
    kept(
        store,
        "matching: associations",
        today,
        read_associations(store, None, today),
    )
    .await
}

/// Every living foundation's profile.
pub(super) async fn all_foundations(store: &Store, today: &Today) -> Result<Arc<DayProfiles<FoundationProfile>>> {
    kept(
        store,
        "matching: foundations",
        today,
        read_foundations(store, None, today),
    )
    .await
}

async fn one_association(store: &Store, id: &str, today: &Today) -> Result<AssociationProfile> {
    (read_associations(store, Some(id), today).await?.pop()).ok_or_else(|| Error::not_found("association", id))
}

async fn one_foundation(store: &Store, id: &str, today: &Today) -> Result<FoundationProfile> {
    (read_foundations(store, Some(id), today).await?.pop()).ok_or_else(|| Error::not_found("foundation", id))
}

async fn one_json(store: &Store, sql: String, id: Option<&str>) -> Result<String> {
    let query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
    let query = match id {
        Some(id) => query.bind(id),
        None => query,
    };
    Ok(query.fetch_one(store.pool()).await?)
}

/// The records of one side, borrowed from its JSON.
fn parse<'s, T: Deserialize<'s>>(json: &'s str) -> Result<Vec<T>> {
    serde_json::from_str(json).map_err(|e| Error::Database(format!("matching facts: {e}")))
}

/// Earlier cooperations of one record, per record of the other side.
async fn earlier(store: &Store, column: &str, other: &str, id: &str) -> Result<foldhash::HashMap<String, u32>> {
    let sql = format!("SELECT {other}, COUNT(*) FROM cooperations WHERE {column} = ? AND life = 'alive' GROUP BY 1");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_all(store.pool())
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get::<i64, _>(1)? as u32)))
        .collect()
}

/// One pair with its tally, before it is explained.
pub(super) struct Scored<'p> {
    pub tally: Tally,
    pub a: &'p AssociationProfile,
    pub f: &'p FoundationProfile,
    pub earlier: u32,
    /// The ranked side's place in its list, which is in name order (the other side is one record).
    pub place: u32,
}

impl Scored<'_> {
    pub fn key(&self) -> RankKey<u32> {
        RankKey {
            eligible: self.tally.eligible(),
            score: self.tally.score,
            then: self.place,
        }
    }
}

/// Tallies every pair, ranks them and explains the page asked for.
fn ranked_page<'p>(
    pairs: impl ParallelIterator<Item = (&'p AssociationProfile, &'p FoundationProfile, u32, u32)>,
    today: &Today,
    query: &MatchQuery,
) -> Page<Match> {
    let (include_excluded, offset, limit) = (query.include_excluded, query.offset, query.limit);
    let mut scored: Vec<Scored> = pairs
        .map(|(a, f, earlier, place)| Scored {
            tally: Tally::of(a, f, today, earlier),
            a,
            f,
            earlier,
            place,
        })
        .filter(|s| include_excluded || s.tally.eligible())
        .collect();
    let total = scored.len();
    // Only the best up to the end of the page need an order among themselves.
    let order = |x: &Scored, y: &Scored| rank_order(&x.key(), &y.key());
    let end = (offset as usize).saturating_add(limit as usize).min(total);
    if end < total {
        scored.select_nth_unstable_by(end, order);
        scored.truncate(end);
    }
    scored.par_sort_unstable_by(order);
    let items = scored
        .par_iter()
        .skip(offset as usize)
        .map_init(Phrases::default, |phrases, s| {
            Explainer::explain(s.a, s.f, today, s.earlier, phrases)
        })
        .collect();
    Page {
        items,
        total: total as u32,
        offset,
        limit,
    }
}

/// Foundations ranked for one association, best first, among those the query narrows to; one page
/// of them explained and returned, `total` counts all (excluded ones only when asked for).
pub async fn for_association_page(store: &Store, id: &str, query: &MatchQuery) -> Result<Page<Match>> {
    let narrowing = query.narrowing()?;
    let today = Today::new(store.today());
    let (a, all, counts) = tokio::try_join!(
        one_association(store, id, &today),
        all_foundations(store, &today),
        earlier(store, "association_id", "foundation_id", id)
    )?;
    let pairs = (all.list.par_iter().enumerate())
        .filter(|(_, f)| narrowing.admits_foundation(f))
        .map(|(place, f)| (&a, f, counts.get(&*f.id).copied().unwrap_or(0), place as u32));
    Ok(ranked_page(pairs, &today, query))
}

/// Associations ranked for one foundation, best first, among those the query narrows to; one page
/// of them explained and returned, `total` counts all (excluded ones only when asked for).
pub async fn for_foundation_page(store: &Store, id: &str, query: &MatchQuery) -> Result<Page<Match>> {
    let narrowing = query.narrowing()?;
    let today = Today::new(store.today());
    let (f, all, counts) = tokio::try_join!(
        one_foundation(store, id, &today),
        all_associations(store, &today),
        earlier(store, "foundation_id", "association_id", id)
    )?;
    let pairs = (all.list.par_iter().enumerate())
        .filter(|(_, a)| narrowing.admits_association(a))
        .map(|(place, a)| (a, &f, counts.get(&*a.id).copied().unwrap_or(0), place as u32));
    Ok(ranked_page(pairs, &today, query))
}

/// The whole ranked list, every match explained.
async fn ranked_all(store: &Store, id: &str, include_excluded: bool, foundations: bool) -> Result<Page<Match>> {
    let query = MatchQuery {
        include_excluded,
        limit: u32::MAX,
        ..Default::default()
    };
    if foundations {
        for_association_page(store, id, &query).await
    } else {
        for_foundation_page(store, id, &query).await
    }
}

/// Every foundation ranked for one association, each with its reasons; excluded ones only when asked for.
pub async fn for_association(store: &Store, id: &str, include_excluded: bool) -> Result<Vec<Match>> {
    Ok(ranked_all(store, id, include_excluded, true).await?.items)
}

/// Every association ranked for one foundation, each with its reasons; excluded ones only when asked for.
pub async fn for_foundation(store: &Store, id: &str, include_excluded: bool) -> Result<Vec<Match>> {
    Ok(ranked_all(store, id, include_excluded, false).await?.items)
}

/// One pair, explained (also when a hard filter excludes it).
pub async fn pair(store: &Store, association_id: &str, foundation_id: &str) -> Result<Match> {
    let today = Today::new(store.today());
    let (a, f, counts) = tokio::try_join!(
        one_association(store, association_id, &today),
        one_foundation(store, foundation_id, &today),
        earlier(store, "association_id", "foundation_id", association_id)
    )?;
    let earlier = counts.get(foundation_id).copied().unwrap_or(0);
    Ok(Explainer::explain(&a, &f, &today, earlier, &mut Phrases::default()))
}

/// Turns a match into a cooperation at stage "Idee": the association's first project idea (or both
/// names) as its idea, and the match's reasons and open questions copied into its log.
pub async fn start_cooperation(
    store: &Store,
    association_id: &str,
    foundation_id: &str,
) -> Result<crate::cooperation::Cooperation> {
    let m = pair(store, association_id, foundation_id).await?;
    let idea: Option<String> = sqlx::query_scalar(
        "SELECT title FROM ideas WHERE association_id = ? AND life = 'alive' ORDER BY sort_key LIMIT 1",
    )
    .bind(association_id)
    .fetch_optional(store.pool())
    .await?;
    let mut note = format!(
        "Aus dem Abgleich (Punkte: {}, Sicherheit: {} %):",
        m.score, m.confidence
    );
    for r in m.excluded_by.iter().chain(&m.reasons) {
        note.push_str(&format!("\n– {}", r.de));
    }
    for r in &m.unknown {
        note.push_str(&format!("\n? {}", r.de));
    }
    let draft = crate::cooperation::CooperationDraft {
        idea: idea
            .unwrap_or_else(|| format!("{} × {}", m.association_name, m.foundation_name))
            .chars()
            .take(200)
            .collect(),
        association_id: m.association_id.to_string(),
        foundation_id: m.foundation_id.to_string(),
        stage: "idee".into(),
        ..Default::default()
    };
    crate::cooperation::create_with_note(store, &draft, Some(note)).await
}
