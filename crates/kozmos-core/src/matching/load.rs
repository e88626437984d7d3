//! The facts matching needs, read in bulk, and the ranked lists for one association or foundation.

use std::collections::HashMap;

use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::{evaluate, rank, Match};
use crate::association::{notice_valid_until_of, today};
use crate::error::{Error, Result};
use crate::listing::json_list;
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

const ASSOCIATION_SQL: &str = "SELECT a.id, a.name, a.city, a.district, a.state, a.legal_form, a.founded_year,
    a.charitable_status, a.notice_kind, a.notice_date, a.themes, a.target_groups, a.needs,
    (SELECT MAX(amount_needed) FROM ideas i WHERE i.association_id = a.id AND i.life = 'alive') AS amount_needed
    FROM associations a WHERE a.life = 'alive'";

const FOUNDATION_SQL: &str = "SELECT id, name, accepts_applications, application_route, deadlines, funding_area,
    area_municipality, area_districts, area_states, themes, target_groups, support_kinds, grant_min, grant_max,
    requires_charitable, ev_only, min_age_years FROM foundations WHERE life = 'alive'";

fn association_facts(r: &SqliteRow) -> Result<AssociationFacts> {
    let kind: Option<String> = r.try_get("notice_kind")?;
    let date: Option<String> = r.try_get("notice_date")?;
    Ok(AssociationFacts {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        city: r.try_get("city")?,
        district: r.try_get("district")?,
        state: r.try_get("state")?,
        legal_form: r.try_get("legal_form")?,
        founded_year: r.try_get("founded_year")?,
        charitable_status: r.try_get("charitable_status")?,
        notice_valid_until: kind.zip(date).and_then(|(k, d)| notice_valid_until_of(&k, &d)),
        themes: json_list(r, "themes")?,
        target_groups: json_list(r, "target_groups")?,
        needs: json_list(r, "needs")?,
        amount_needed: r.try_get("amount_needed")?,
    })
}

fn foundation_facts(r: &SqliteRow) -> Result<FoundationFacts> {
    Ok(FoundationFacts {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        accepts_applications: r.try_get("accepts_applications")?,
        application_route: r.try_get("application_route")?,
        deadlines: json_list(r, "deadlines")?,
        funding_area: r.try_get("funding_area")?,
        area_municipality: r.try_get("area_municipality")?,
        area_districts: json_list(r, "area_districts")?,
        area_states: json_list(r, "area_states")?,
        themes: json_list(r, "themes")?,
        target_groups: json_list(r, "target_groups")?,
        support_kinds: json_list(r, "support_kinds")?,
        grant_min: r.try_get("grant_min")?,
        grant_max: r.try_get("grant_max")?,
        requires_charitable: r.try_get("requires_charitable")?,
        ev_only: r.try_get("ev_only")?,
        min_age_years: r.try_get("min_age_years")?,
    })
}

/// Earlier cooperations per (association, foundation) pair, for one side.
async fn earlier(store: &Store, column: &str, id: &str) -> Result<HashMap<(String, String), u32>> {
    let sql = format!(
        "SELECT association_id, foundation_id, COUNT(*) FROM cooperations WHERE {column} = ? AND life = 'alive' GROUP BY 1, 2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_all(store.pool())
        .await?;
    rows.iter()
        .map(|r| Ok(((r.try_get(0)?, r.try_get(1)?), r.try_get::<i64, _>(2)? as u32)))
        .collect()
}

async fn association(store: &Store, id: &str) -> Result<AssociationFacts> {
    let sql = format!("{ASSOCIATION_SQL} AND a.id = ?");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    association_facts(&row.ok_or_else(|| Error::not_found("association", id))?)
}

async fn foundation(store: &Store, id: &str) -> Result<FoundationFacts> {
    let sql = format!("{FOUNDATION_SQL} AND id = ?");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    foundation_facts(&row.ok_or_else(|| Error::not_found("foundation", id))?)
}

/// Evaluates one record against every living record of the other side, best first.
async fn rank_all<T>(
    store: &Store,
    others_sql: &str,
    read: fn(&SqliteRow) -> Result<T>,
    pair: impl Fn(&T) -> Match,
    include_excluded: bool,
    by_foundation_name: bool,
) -> Result<Vec<Match>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(others_sql.to_string()))
        .fetch_all(store.pool())
        .await?;
    let mut matches = Vec::with_capacity(rows.len());
    for r in &rows {
        let m = pair(&read(r)?);
        if include_excluded || m.eligible {
            matches.push(m);
        }
    }
    rank(&mut matches, by_foundation_name);
    Ok(matches)
}

/// Every foundation ranked for one association; excluded ones only when asked for.
pub async fn for_association(store: &Store, id: &str, include_excluded: bool) -> Result<Vec<Match>> {
    let a = association(store, id).await?;
    let counts = earlier(store, "association_id", id).await?;
    let today = today();
    let pair = |f: &FoundationFacts| {
        evaluate(
            &a,
            f,
            today,
            counts.get(&(a.id.clone(), f.id.clone())).copied().unwrap_or(0),
        )
    };
    rank_all(store, FOUNDATION_SQL, foundation_facts, pair, include_excluded, true).await
}

/// Every association ranked for one foundation; excluded ones only when asked for.
pub async fn for_foundation(store: &Store, id: &str, include_excluded: bool) -> Result<Vec<Match>> {
    let f = foundation(store, id).await?;
    let counts = earlier(store, "foundation_id", id).await?;
    let today = today();
    let pair = |a: &AssociationFacts| {
        evaluate(
            a,
            &f,
            today,
            counts.get(&(a.id.clone(), f.id.clone())).copied().unwrap_or(0),
        )
    };
    rank_all(store, ASSOCIATION_SQL, association_facts, pair, include_excluded, false).await
}

/// Turns a match into a cooperation at stage "Idee": the association's first project idea (or both
/// names) as its idea, and the match's reasons and open questions copied into its log.
pub async fn start_cooperation(
    store: &Store,
    association_id: &str,
    foundation_id: &str,
) -> Result<crate::cooperation::Cooperation> {
    let (a, f) = (
        association(store, association_id).await?,
        foundation(store, foundation_id).await?,
    );
    let earlier = earlier(store, "association_id", association_id).await?;
    let m = evaluate(
        &a,
        &f,
        today(),
        earlier.get(&(a.id.clone(), f.id.clone())).copied().unwrap_or(0),
    );
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
            .unwrap_or_else(|| format!("{} × {}", a.name, f.name))
            .chars()
            .take(200)
            .collect(),
        association_id: a.id.clone(),
        foundation_id: f.id.clone(),
        stage: "idee".into(),
        ..Default::default()
    };
    crate::cooperation::create_with_note(store, &draft, Some(note)).await
}
