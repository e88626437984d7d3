//! One search over everything: associations, foundations, persons and cooperations, through the
//! full-text index of folded keys (so Müller = Mueller = MULLER, José = Jose, any script).

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use crate::error::Result;
use crate::listing::{fts_query, word_start_condition, word_start_patterns};
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
/// `limit` matches are taken as the index yields them (ranking them all costs more than typing
/// one more word, which is what a user does when there are many).
pub async fn everything(store: &Store, text: &str, limit: u32) -> Result<Vec<SearchHit>> {
    let (long, short): (Vec<String>, Vec<String>) = fold_words(text).into_iter().partition(|w| w.chars().count() >= 3);
    if long.is_empty() && short.is_empty() {
        return Ok(Vec::new());
    }
    // The index holds no keys (contentless): words shorter than a trigram are checked on each
    // kind's own `search_key`. Without them the first `limit` index hits are taken as they come.
    let hits = match (long.is_empty(), short.is_empty()) {
        (false, true) => {
            "SELECT rowid >> 3 AS row, rowid & 7 AS kind FROM search_index WHERE search_index MATCH ? LIMIT ?"
        }
        (false, false) => "SELECT rowid >> 3 AS row, rowid & 7 AS kind FROM search_index WHERE search_index MATCH ?",
        (true, _) => {
            "SELECT rowid AS row, 1 AS kind FROM associations WHERE life = 'alive'
             UNION ALL SELECT rowid, 2 FROM foundations WHERE life = 'alive'
             UNION ALL SELECT rowid, 3 FROM persons WHERE life = 'alive'
             UNION ALL SELECT rowid, 4 FROM cooperations WHERE life = 'alive'"
        }
    };
    let short_conditions = |alias: &str| -> String {
        short
            .iter()
            .map(|_| format!(" AND {}", word_start_condition(&format!("{alias}.search_key"))))
            .collect()
    };
    let sql = format!(
        "WITH hits AS ({hits})
        SELECT * FROM (
        SELECT h.kind, a.id, a.name, coalesce(a.name_original, '') || ' ' || coalesce(a.city, '') AS detail
          FROM hits h JOIN associations a ON a.rowid = h.row WHERE h.kind = 1{a}
        UNION ALL
        SELECT h.kind, f.id, f.name, coalesce(f.city, '')
          FROM hits h JOIN foundations f ON f.rowid = h.row WHERE h.kind = 2{f}
        UNION ALL
        SELECT h.kind, p.id, coalesce(p.name, ''),
               coalesce(p.role || ', ', '') || coalesce(
                 (SELECT name FROM associations WHERE id = p.association_id),
                 (SELECT name FROM foundations WHERE id = p.foundation_id), '')
          FROM hits h JOIN persons p ON p.rowid = h.row WHERE h.kind = 3{p}
            AND p.id NOT IN (SELECT person_id FROM withheld_persons)
        UNION ALL
        SELECT h.kind, c.id, c.idea,
               (SELECT name FROM associations WHERE id = c.association_id) || ' ↔ ' ||
               (SELECT name FROM foundations WHERE id = c.foundation_id)
          FROM hits h JOIN cooperations c ON c.rowid = h.row WHERE h.kind = 4{c}
        LIMIT ?)
        ORDER BY 1, 3",
        a = short_conditions("a"),
        f = short_conditions("f"),
        p = short_conditions("p"),
        c = short_conditions("c"),
    );
    let limit = limit.clamp(1, 200) as i64;
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    if !long.is_empty() {
        query = query.bind(fts_query(&long));
        if short.is_empty() {
            query = query.bind(limit);
        }
    }
    for _ in 0..4 {
        for word in &short {
            let [at_start, after_space] = word_start_patterns(word);
            query = query.bind(at_start).bind(after_space);
        }
    }
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
