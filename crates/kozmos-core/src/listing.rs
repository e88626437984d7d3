//! Lists of living records: search words on the folded key, filters, sorting and paging.
//! Every record type's list is built here, so search behaves the same everywhere.

use serde::Serialize;
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, SqlitePool};
use ts_rs::TS;

use crate::error::Result;
use crate::store::TableSpec;
use crate::text::{fold_words, nfc};

/// The largest page a list returns.
pub const PAGE_LIMIT_MAX: u32 = 500;

#[derive(Debug, Clone, Serialize, TS)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u32,
    pub offset: u32,
    pub limit: u32,
}

/// A list query under construction. Column names come from code, values are always bound.
pub struct Listing {
    table: &'static str,
    search_code: Option<i64>,
    conditions: Vec<String>,
    binds: Vec<String>,
}

impl Listing {
    /// Living rows of a table.
    pub fn new(spec: &'static TableSpec) -> Listing {
        Listing {
            table: spec.name,
            search_code: spec.search_code,
            conditions: vec!["life = 'alive'".into()],
            binds: Vec::new(),
        }
    }

    /// Every folded word of `text` must occur in the row's search key: words of three letters or
    /// more through the full-text index, shorter ones by scanning the key.
    pub fn words(mut self, text: &str) -> Listing {
        let indexed = self.search_code.is_some();
        let (long, short): (Vec<String>, Vec<String>) = fold_words(text)
            .into_iter()
            .partition(|w| indexed && w.chars().count() >= 3);
        if let (false, Some(code)) = (long.is_empty(), self.search_code) {
            self.conditions.push(format!(
                "rowid IN (SELECT rowid >> 3 FROM search_index WHERE search_index MATCH ? AND (rowid & 7) = {code})"
            ));
            self.binds.push(fts_query(&long));
        }
        let (conditions, binds) = key_conditions("search_key", &long, &short);
        self.conditions.extend(conditions);
        self.binds.extend(binds);
        self
    }

    /// A fixed condition (SQL without parameters).
    pub fn condition(mut self, sql: &'static str) -> Listing {
        self.conditions.push(sql.into());
        self
    }

    /// `column` equals the value, when one is given.
    pub fn equals(mut self, column: &'static str, value: Option<&str>) -> Listing {
        if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
            self.conditions.push(format!("{column} = ?"));
            self.binds.push(value.to_string());
        }
        self
    }

    /// `column` equals the value ignoring case (free text such as a city), when one is given.
    pub fn equals_text(mut self, column: &'static str, value: Option<&str>) -> Listing {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            self.conditions.push(format!("{column} = ? COLLATE NOCASE"));
            self.binds.push(nfc(value));
        }
        self
    }

    /// `column` lies between `from` and `until` (both inclusive, each optional); with either
    /// bound given, rows without a value are left out.
    pub fn between(mut self, column: &'static str, from: Option<&str>, until: Option<&str>) -> Listing {
        for (op, bound) in [(">=", from), ("<=", until)] {
            if let Some(bound) = bound.map(str::trim).filter(|b| !b.is_empty()) {
                self.conditions.push(format!("{column} {op} ?"));
                self.binds.push(bound.to_string());
            }
        }
        self
    }

    /// `column` holds none of the given codes.
    pub fn none_of(mut self, column: &'static str, codes: &[&str]) -> Listing {
        if !codes.is_empty() {
            let marks = vec!["?"; codes.len()].join(", ");
            self.conditions.push(format!("{column} NOT IN ({marks})"));
            self.binds.extend(codes.iter().map(|c| c.to_string()));
        }
        self
    }

    /// The JSON list in `column` contains the code, when one is given.
    pub fn contains(mut self, column: &'static str, code: Option<&str>) -> Listing {
        if let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) {
            self.conditions.push(format!(
                "EXISTS (SELECT 1 FROM json_each({}.{column}) WHERE value = ?)",
                self.table
            ));
            self.binds.push(code.to_string());
        }
        self
    }

    /// One page of rows: the total count, then `columns` of the rows in `order`.
    pub async fn page<T>(
        &self,
        pool: &SqlitePool,
        columns: &str,
        order: &str,
        offset: u32,
        limit: u32,
        map: impl Fn(&SqliteRow) -> Result<T>,
    ) -> Result<Page<T>> {
        let filter = self.conditions.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) FROM {} WHERE {filter}", self.table);
        let mut count = sqlx::query_scalar::<_, i64>(AssertSqlSafe(count_sql));
        for b in &self.binds {
            count = count.bind(b);
        }
        let total = count.fetch_one(pool).await? as u32;
        let limit = limit.clamp(1, PAGE_LIMIT_MAX);
        let sql = format!(
            "SELECT {columns} FROM {} WHERE {filter} ORDER BY {order}, id LIMIT ? OFFSET ?",
            self.table
        );
        let mut select = sqlx::query(AssertSqlSafe(sql));
        for b in &self.binds {
            select = select.bind(b);
        }
        let rows = select.bind(limit as i64).bind(offset as i64).fetch_all(pool).await?;
        let items = rows.iter().map(map).collect::<Result<Vec<_>>>()?;
        Ok(Page {
            items,
            total,
            offset,
            limit,
        })
    }
}

/// An FTS5 query for records holding every trigram of every word. The index keeps which records
/// hold a trigram, not where (`detail=none`, a third of the size), so it narrows; `key_conditions`
/// decides that each word occurs as written.
pub fn fts_query(words: &[String]) -> String {
    let mut trigrams: Vec<String> = words
        .iter()
        .flat_map(|word| {
            let chars: Vec<char> = word.chars().collect();
            chars
                .windows(3)
                .map(|w| w.iter().collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect();
    trigrams.sort();
    trigrams.dedup();
    trigrams
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Conditions (with their binds, in order) that `column` holds every word: `long` ones anywhere,
/// as written; `short` ones (two letters such as Li, Wu or Vu: as a substring they would match
/// nearly every record) at the start of a word. `%` and `_` are literal.
pub(crate) fn key_conditions(column: &str, long: &[String], short: &[String]) -> (Vec<String>, Vec<String>) {
    let mut conditions = Vec::new();
    let mut binds = Vec::new();
    for word in long {
        conditions.push(format!("instr({column}, ?) > 0"));
        binds.push(word.clone());
    }
    for word in short {
        conditions.push(format!(r"({column} LIKE ? ESCAPE '\' OR {column} LIKE ? ESCAPE '\')"));
        binds.extend(word_start_patterns(word));
    }
    (conditions, binds)
}

fn word_start_patterns(word: &str) -> [String; 2] {
    let word = escape_like(word);
    [format!("{word}%"), format!("% {word}%")]
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Reads a JSON list column of a row (damaged JSON is an error, not an empty list).
pub fn json_list(row: &SqliteRow, column: &str) -> Result<Vec<String>> {
    use sqlx::Row;
    crate::store::stored_json(column, &row.try_get::<String, _>(column)?)
}
