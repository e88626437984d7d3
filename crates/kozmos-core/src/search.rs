//! One search over everything: associations, foundations, persons and cooperations, through the
//! full-text index of folded keys (so Müller = Mueller = MULLER, José = Jose, any script).

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use crate::error::Result;
use crate::listing::{fts_query, key_conditions};
use crate::store::Store;
use crate::text::fold_words;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum HitKind {
    Association,
    Foundation,
    Person,
    Cooperation,
}

/// One record found: its kind, id, name and a line that tells it apart.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SearchHit {
    pub kind: HitKind,
    pub id: String,
    pub name: String,
    pub detail: String,
}

/// The records whose folded key holds every word, at most `limit`, by kind and name. The first
/// `limit` matches are taken as they come (ranking them all costs more than typing one more word,
/// which is what a user does when there are many).
pub async fn everything(store: &Store, text: &str, limit: u32) -> Result<Vec<SearchHit>> {
    let (long, short): (Vec<String>, Vec<String>) = fold_words(text).into_iter().partition(|w| w.chars().count() >= 3);
    if long.is_empty() && short.is_empty() {
        return Ok(Vec::new());
    }
    // The index narrows to records holding every trigram of the long words; each kind's own
    // `search_key` then decides (the index keeps neither keys nor positions). Without long words
    // every living record's key is checked.
    let index = (!long.is_empty()).then(|| fts_query(&long));
    let (_, binds) = key_conditions("search_key", &long, &short);
    let from = |kind: u8, table: &str, alias: char| -> String {
        let source = match index {
            Some(_) => format!("hits h JOIN {table} {alias} ON {alias}.rowid = h.row WHERE h.kind = {kind}"),
            None => format!("{table} {alias} WHERE {alias}.life = 'alive'"),
        };
        let (conditions, _) = key_conditions(&format!("{alias}.search_key"), &long, &short);
        let checks: String = conditions.iter().map(|c| format!(" AND {c}")).collect();
        format!("{source}{checks}")
    };
    let hits = match index {
        Some(_) => {
            "WITH hits AS MATERIALIZED (SELECT rowid >> 3 AS row, rowid & 7 AS kind FROM search_index WHERE search_index MATCH ?)"
        }
        None => "",
    };
    let sql = format!(
        "{hits}
        SELECT * FROM (
        SELECT 1, a.id, a.name, coalesce(a.name_original, '') || ' ' || coalesce(a.city, '') AS detail
          FROM {a}
        UNION ALL
        SELECT 2, f.id, f.name, coalesce(f.city, '')
          FROM {f}
        UNION ALL
        SELECT 3, p.id, coalesce(p.name, ''),
               coalesce(p.role || ', ', '') || coalesce(
                 (SELECT name FROM associations WHERE id = p.association_id),
                 (SELECT name FROM foundations WHERE id = p.foundation_id), '')
          FROM {p}
            AND p.id NOT IN (SELECT person_id FROM withheld_persons)
        UNION ALL
        SELECT 4, c.id, c.idea,
               (SELECT name FROM associations WHERE id = c.association_id) || ' ↔ ' ||
               (SELECT name FROM foundations WHERE id = c.foundation_id)
          FROM {c}
        LIMIT ?)
        ORDER BY 1, 3",
        a = from(1, "associations", 'a'),
        f = from(2, "foundations", 'f'),
        p = from(3, "persons", 'p'),
        c = from(4, "cooperations", 'c'),
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    if let Some(index) = index {
        query = query.bind(index);
    }
    for _ in 0..4 {
        for bind in &binds {
            query = query.bind(bind);
        }
    }
    let limit = limit.clamp(1, 200) as i64;
    let rows = query.bind(limit).fetch_all(store.pool()).await?;
    rows.iter()
        .map(|r| {
            let kind = match r.try_get::<i64, _>(0)? {
                1 => HitKind::Association,
                2 => HitKind::Foundation,
                3 => HitKind::Person,
                _ => HitKind::Cooperation,
            };
            Ok(SearchHit {
                kind,
                id: r.try_get(1)?,
                name: r.try_get(2)?,
                detail: r.try_get::<String, _>(3)?.trim().to_string(),
            })
        })
        .collect()
}

/// Rebuilds the search index of every searchable record type (after VACUUM or a restore).
pub async fn rebuild_index(store: &Store) -> Result<()> {
    store
        .rebuild_search_index(&[
            &crate::association::TABLE,
            &crate::foundation::TABLE,
            &crate::person::TABLE,
            &crate::cooperation::TABLE,
        ])
        .await
}
