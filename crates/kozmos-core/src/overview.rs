//! The start page: follow-ups due this week and overdue, upcoming foundation deadlines, counts per
//! network, and the most recent changes.

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use crate::cooperation::{self, CooperationQuery, CooperationSummary};
use crate::error::Result;
use crate::store::{rfc3339_from_hlc, Store};

#[derive(Debug, Clone, Serialize, TS)]
pub struct Deadline {
    pub foundation_id: String,
    pub foundation_name: String,
    pub date: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct NetworkCount {
    /// lamsa, migranetz or none
    pub network: String,
    pub associations: u32,
    pub cooperations: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RecentChange {
    /// association, foundation, person or cooperation
    pub kind: String,
    pub id: String,
    pub name: String,
    pub life: String,
    pub when: String,
    /// The volunteer's name when this installation wrote it, else the writing site's id.
    pub who: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Overview {
    /// The most overdue follow-ups (up to 20); `overdue_total` counts all.
    pub overdue: Vec<CooperationSummary>,
    pub overdue_total: u32,
    pub due_this_week: Vec<CooperationSummary>,
    pub deadlines: Vec<Deadline>,
    pub networks: Vec<NetworkCount>,
    pub recent: Vec<RecentChange>,
    pub totals: [u32; 4],
}

pub async fn overview(store: &Store) -> Result<Overview> {
    let today = store.today();
    let week = today + time::Duration::days(7);
    let day = |d: time::Date| Some(d.to_string());
    let open = |due_from, due_until| CooperationQuery {
        open_only: true,
        due_from,
        due_until,
        limit: 20,
        ..Default::default()
    };
    let overdue = cooperation::list(store, &open(None, day(today - time::Duration::days(1)))).await?;
    let due_this_week = cooperation::list(store, &open(day(today), day(week))).await?;
    let deadlines = deadlines(store, today, Some(today + time::Duration::days(45)), 20).await?;

    // One pass over the associations in the index by network, each counting its cooperations
    // through theirs (10 ms at demo scale 100, where the count per network took 54 ms). The cooperations
    // of an association of any life count for its network, as a network lists only with a living one.
    let network_rows = sqlx::query(
        "SELECT coalesce(network, 'none') AS network, SUM(life = 'alive') AS n,
                SUM((SELECT COUNT(*) FROM cooperations c WHERE c.association_id = a.id AND c.life = 'alive')) AS k
         FROM associations a GROUP BY network HAVING n > 0 ORDER BY 1",
    )
    .fetch_all(store.pool())
    .await?;
    let networks = network_rows
        .iter()
        .map(|r| {
            Ok(NetworkCount {
                network: r.try_get(0)?,
                associations: r.try_get::<i64, _>(1)? as u32,
                cooperations: r.try_get::<i64, _>(2)? as u32,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let installation = crate::site::load(store.pool()).await?;
    let recent_rows = sqlx::query(
        // The newest of each table from its index on the last change, then the newest of those.
        "SELECT * FROM (
           SELECT * FROM (SELECT 'association' AS kind, id, name, life, changed_hlc FROM associations
                          ORDER BY changed_hlc DESC LIMIT 12)
           UNION ALL SELECT * FROM (SELECT 'foundation', id, name, life, changed_hlc FROM foundations
                                    ORDER BY changed_hlc DESC LIMIT 12)
           UNION ALL SELECT * FROM (SELECT 'person', id, coalesce(name, ''), life, changed_hlc FROM persons
                                    ORDER BY changed_hlc DESC LIMIT 12)
           UNION ALL SELECT * FROM (SELECT 'cooperation', id, idea, life, changed_hlc FROM cooperations
                                    ORDER BY changed_hlc DESC LIMIT 12)
         ) ORDER BY changed_hlc DESC LIMIT 12",
    )
    .fetch_all(store.pool())
    .await?;
    let mut recent = Vec::new();
    for r in &recent_rows {
        let kind: String = r.try_get(0)?;
        let id: String = r.try_get(1)?;
        let hlc: i64 = r.try_get(4)?;
        let table = match kind.as_str() {
            "association" => "associations",
            "foundation" => "foundations",
            "person" => "persons",
            _ => "cooperations",
        };
        let site: Option<String> = sqlx::query_scalar(
            "SELECT si.site FROM stamps s, json_each(s.stamps) j JOIN sites si ON si.id = j.value ->> 1
             WHERE s.tbl = ? AND s.row_id = ? AND j.value ->> 0 = ? LIMIT 1",
        )
        .bind(table)
        .bind(&id)
        .bind(hlc)
        .fetch_optional(store.pool())
        .await?;
        let who = match site {
            Some(s) if s == installation.site_id => installation.volunteer.clone().unwrap_or_default(),
            Some(s) => s,
            None => String::new(),
        };
        recent.push(RecentChange {
            kind,
            id,
            name: r.try_get(2)?,
            life: r.try_get(3)?,
            when: rfc3339_from_hlc(hlc),
            who,
        });
    }

    let mut totals = [0u32; 4];
    for (i, table) in ["associations", "foundations", "persons", "cooperations"]
        .iter()
        .enumerate()
    {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE life = 'alive'");
        totals[i] = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
            .fetch_one(store.pool())
            .await? as u32;
    }
    Ok(Overview {
        overdue_total: overdue.total,
        overdue: overdue.items,
        due_this_week: due_this_week.items,
        deadlines,
        networks,
        recent,
        totals,
    })
}

/// Application deadlines of living foundations from `from` to `until` (inclusive, open-ended
/// without), soonest first, at most `limit`.
pub async fn deadlines(
    store: &Store,
    from: time::Date,
    until: Option<time::Date>,
    limit: u32,
) -> Result<Vec<Deadline>> {
    let rows = sqlx::query(
        "SELECT f.id, f.name, d.value AS date FROM foundations f, json_each(f.deadlines) d
         WHERE f.life = 'alive' AND d.value >= ? AND (? IS NULL OR d.value <= ?)
         ORDER BY d.value, f.sort_key, f.id LIMIT ?",
    )
    .bind(from.to_string())
    .bind(until.map(|d| d.to_string()))
    .bind(until.map(|d| d.to_string()))
    .bind(limit as i64)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Deadline {
                foundation_id: r.try_get(0)?,
                foundation_name: r.try_get(1)?,
                date: r.try_get(2)?,
            })
        })
        .collect()
}
