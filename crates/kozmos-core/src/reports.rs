//! Reports for the networks' funders: associations per network, state, district and theme; the
//! cooperation funnel; amounts requested and granted per year and network; foundations reached.
//! Every report is one table (rows × value columns), so the UI charts, CSV and PDF treat all alike.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use crate::error::{Lang, Result};
use crate::store::Store;
use crate::vocab;

/// A value column: a count, or an amount in cents.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReportColumn {
    pub de: String,
    pub en: String,
    pub money: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ReportRow {
    pub code: String,
    pub de: String,
    pub en: String,
    #[ts(type = "number[]")]
    pub values: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ReportTable {
    /// Stable name: by_network, by_state, by_district, by_theme, funnel, amounts, foundations_reached.
    pub id: String,
    pub de: String,
    pub en: String,
    pub columns: Vec<ReportColumn>,
    pub rows: Vec<ReportRow>,
    /// The value column a single bar per row shows (in the printed report).
    pub bar: usize,
}

impl ReportTable {
    pub fn title(&self, lang: Lang) -> &str {
        lang.pick(&self.de, &self.en)
    }

    /// The table as CSV for German Excel; amounts in euros with the language's decimal mark.
    pub fn to_csv(&self, lang: Lang) -> String {
        let mut rows = vec![std::iter::once(self.title(lang).to_string())
            .chain(self.columns.iter().map(|c| lang.pick(&c.de, &c.en).to_string()))
            .collect::<Vec<_>>()];
        for row in &self.rows {
            let values = row.values.iter().zip(&self.columns).map(|(v, c)| {
                if c.money {
                    let euros = crate::check::cents_to_text(*v);
                    if lang == Lang::De {
                        euros.replace('.', ",")
                    } else {
                        euros
                    }
                } else {
                    v.to_string()
                }
            });
            rows.push(
                std::iter::once(lang.pick(&row.de, &row.en).to_string())
                    .chain(values)
                    .collect(),
            );
        }
        crate::csv_text::write(&rows)
    }

    /// A value formatted for reading: counts grouped, amounts in euros.
    pub fn format_value(&self, column: usize, value: i64, lang: Lang) -> String {
        if self.columns.get(column).is_some_and(|c| c.money) {
            crate::text::format_euro(value, lang)
        } else {
            crate::text::format_count(value, lang)
        }
    }
}

fn column(de: &str, en: &str, money: bool) -> ReportColumn {
    ReportColumn {
        de: de.into(),
        en: en.into(),
        money,
    }
}

fn row(code: &str, de: &str, en: &str, values: Vec<i64>) -> ReportRow {
    ReportRow {
        code: code.into(),
        de: de.into(),
        en: en.into(),
        values,
    }
}

const UNKNOWN: (&str, &str) = ("ohne Angabe", "not given");

/// The stages of the usual path, in order; a cooperation at one of them has passed all before it.
const PATH: &[&str] = &[
    "idee",
    "erstkontakt",
    "gespraech",
    "eingereicht",
    "bewilligt",
    "laufend",
    "bericht_faellig",
    "abgeschlossen",
];

/// The ids of the reports, in the order they are shown.
const IDS: &[&str] = &[
    "by_network",
    "by_state",
    "by_district",
    "by_theme",
    "funnel",
    "amounts",
    "foundations_reached",
];

/// Every report, computed from the living records.
pub async fn all(store: &Store) -> Result<Vec<ReportTable>> {
    let mut tables = Vec::with_capacity(IDS.len());
    for id in IDS {
        tables.push(one(store, id).await?);
    }
    Ok(tables)
}

/// One report by its id (only that one is computed).
pub async fn one(store: &Store, id: &str) -> Result<ReportTable> {
    match id {
        "by_network" => by_network(store).await,
        "by_state" => by_state(store).await,
        "by_district" => by_district(store).await,
        "by_theme" => by_theme(store).await,
        "funnel" => funnel(store).await,
        "amounts" => amounts(store).await,
        "foundations_reached" => foundations_reached(store).await,
        _ => Err(crate::Error::not_found("report", id)),
    }
}

fn network_label(code: &str) -> (&'static str, &'static str) {
    match vocab::find(vocab::NETWORKS, code) {
        Some(t) if code != "none" => (t.de, t.en),
        _ => ("ohne Netzwerk", "no network"),
    }
}

async fn counts(store: &Store, sql: &str) -> Result<Vec<(Option<String>, i64)>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
}

fn associations_column() -> Vec<ReportColumn> {
    vec![column("Vereine", "Associations", false)]
}

async fn by_network(store: &Store) -> Result<ReportTable> {
    associations_by(
        store,
        "by_network",
        ("Vereine nach Netzwerk", "Associations by network"),
        "SELECT coalesce(network, 'none'), COUNT(*) FROM associations WHERE life = 'alive' GROUP BY 1",
        |code| {
            let code = ["lamsa", "migranetz", "other", "none"]
                .into_iter()
                .find(|c| *c == code)?;
            let (de, en) = network_label(code);
            Some((code, de, en))
        },
    )
    .await
}

/// Associations counted per code of one of their fields, largest first; codes without a label
/// (none given, or no longer in the vocabulary) count as "not given".
async fn associations_by(
    store: &Store,
    id: &str,
    (de, en): (&str, &str),
    sql: &str,
    label: impl Fn(&str) -> Option<(&'static str, &'static str, &'static str)>,
) -> Result<ReportTable> {
    let mut rows: Vec<ReportRow> = Vec::new();
    for (code, n) in counts(store, sql).await? {
        let (code, de, en) = code.as_deref().and_then(&label).unwrap_or(("", UNKNOWN.0, UNKNOWN.1));
        match rows.iter_mut().find(|r| r.code == code) {
            Some(known) => known.values[0] += n,
            None => rows.push(row(code, de, en, vec![n])),
        }
    }
    rows.sort_by_key(|r| (r.code.is_empty(), -r.values[0]));
    Ok(ReportTable {
        id: id.into(),
        de: de.into(),
        en: en.into(),
        columns: associations_column(),
        rows,
        bar: 0,
    })
}

async fn by_state(store: &Store) -> Result<ReportTable> {
    associations_by(
        store,
        "by_state",
        ("Vereine nach Bundesland", "Associations by state"),
        "SELECT state, COUNT(*) FROM associations WHERE life = 'alive' GROUP BY 1",
        |code| vocab::find(vocab::STATES, code).map(|t| (t.code, t.de, t.en)),
    )
    .await
}

async fn by_district(store: &Store) -> Result<ReportTable> {
    associations_by(
        store,
        "by_district",
        ("Vereine nach Landkreis / kreisfreier Stadt", "Associations by district"),
        "SELECT district, COUNT(*) FROM associations WHERE life = 'alive' GROUP BY 1",
        |code| vocab::district(code).map(|d| (d.code, d.name, d.name)),
    )
    .await
}

async fn by_theme(store: &Store) -> Result<ReportTable> {
    associations_by(
        store,
        "by_theme",
        (
            "Vereine nach Thema (ein Verein kann mehrere haben)",
            "Associations by theme (one may have several)",
        ),
        "SELECT t.value, COUNT(*) FROM associations a, json_each(a.themes) t WHERE a.life = 'alive' GROUP BY 1",
        |code| vocab::theme(code).map(|t| (t.term.code, t.term.de, t.term.en)),
    )
    .await
}

/// Per stage: how many cooperations are there now, and how many have reached it on the usual path
/// (by their stage now or any stage in their log).
async fn funnel(store: &Store) -> Result<ReportTable> {
    let rows = sqlx::query(
        "SELECT c.stage, (SELECT group_concat(coalesce(a.stage_from, '') || ',' || coalesce(a.stage_to, ''))
                            FROM activities a WHERE a.cooperation_id = c.id AND a.life = 'alive') AS logged
         FROM cooperations c WHERE c.life = 'alive'",
    )
    .fetch_all(store.pool())
    .await?;
    let rank = |stage: &str| PATH.iter().position(|s| *s == stage);
    let mut now: BTreeMap<String, i64> = BTreeMap::new();
    let mut reached = vec![0i64; PATH.len()];
    for r in &rows {
        let stage: String = r.try_get(0)?;
        let logged: Option<String> = r.try_get(1)?;
        *now.entry(stage.clone()).or_default() += 1;
        // A declined application was submitted; a withdrawn idea was at least an idea.
        let own = match stage.as_str() {
            "abgelehnt" => rank("eingereicht"),
            other => rank(other).or(Some(0)),
        };
        let furthest = logged
            .iter()
            .flat_map(|l| l.split(','))
            .filter_map(rank)
            .chain(own)
            .max();
        if let Some(furthest) = furthest {
            for n in reached.iter_mut().take(furthest + 1) {
                *n += 1;
            }
        }
    }
    let rows = vocab::STAGES
        .iter()
        .map(|t| {
            let here = now.get(t.code).copied().unwrap_or(0);
            let passed = rank(t.code).map_or(here, |i| reached[i]);
            row(t.code, t.de, t.en, vec![here, passed])
        })
        .collect();
    Ok(ReportTable {
        id: "funnel".into(),
        de: "Kooperationen nach Phase".into(),
        en: "Cooperations by stage".into(),
        columns: vec![
            column("jetzt in der Phase", "in this stage now", false),
            column("Phase erreicht", "reached this stage", false),
        ],
        rows,
        bar: 1,
    })
}

/// Requested amounts by the year of submission (else first contact), granted ones by the year of
/// the decision (else submission), per network of the association.
async fn amounts(store: &Store) -> Result<ReportTable> {
    let rows = sqlx::query(
        "SELECT coalesce(a.network, 'none') AS network,
                substr(coalesce(c.submitted, c.first_contact), 1, 4) AS year_requested, c.amount_requested,
                substr(coalesce(c.decision, c.submitted, c.first_contact), 1, 4) AS year_granted, c.amount_granted
         FROM cooperations c JOIN associations a ON a.id = c.association_id
         WHERE c.life = 'alive' AND (c.amount_requested IS NOT NULL OR c.amount_granted IS NOT NULL)",
    )
    .fetch_all(store.pool())
    .await?;
    // (year, network) -> [requested, granted, cooperations with a grant]
    let mut sums: BTreeMap<(String, String), [i64; 3]> = BTreeMap::new();
    for r in &rows {
        let network: String = r.try_get(0)?;
        let year = |y: Option<String>| y.unwrap_or_default();
        if let Some(cents) = r.try_get::<Option<i64>, _>(2)? {
            sums.entry((year(r.try_get(1)?), network.clone())).or_default()[0] += cents;
        }
        if let Some(cents) = r.try_get::<Option<i64>, _>(4)? {
            let entry = sums.entry((year(r.try_get(3)?), network)).or_default();
            entry[1] += cents;
            entry[2] += 1;
        }
    }
    let rows = sums
        .into_iter()
        .map(|((year, network), values)| {
            let (nde, nen) = network_label(&network);
            let (yde, yen) = if year.is_empty() {
                UNKNOWN
            } else {
                (year.as_str(), year.as_str())
            };
            row(
                &format!("{year}:{network}"),
                &format!("{yde} · {nde}"),
                &format!("{yen} · {nen}"),
                values.to_vec(),
            )
        })
        .collect();
    Ok(ReportTable {
        id: "amounts".into(),
        de: "Beantragte und bewilligte Summen nach Jahr und Netzwerk".into(),
        en: "Amounts requested and granted by year and network".into(),
        columns: vec![
            column("beantragt", "requested", true),
            column("bewilligt", "granted", true),
            column("Bewilligungen", "grants", false),
        ],
        rows,
        bar: 0,
    })
}

/// Foundations the network's associations are in touch with (beyond the idea), have applied to, and
/// have been granted by; each foundation counted once per network and once in the total.
async fn foundations_reached(store: &Store) -> Result<ReportTable> {
    let sql = "SELECT network, COUNT(DISTINCT CASE WHEN stage <> 'idee' THEN foundation_id END),
                      COUNT(DISTINCT CASE WHEN stage IN ('eingereicht', 'bewilligt', 'abgelehnt', 'laufend',
                                                         'bericht_faellig', 'abgeschlossen') THEN foundation_id END),
                      COUNT(DISTINCT CASE WHEN stage IN ('bewilligt', 'laufend', 'bericht_faellig', 'abgeschlossen')
                                          THEN foundation_id END)
               FROM (SELECT coalesce(a.network, 'none') AS network, c.stage, c.foundation_id
                     FROM cooperations c JOIN associations a ON a.id = c.association_id WHERE c.life = 'alive')
               GROUP BY ROLLUP_KEY";
    let per_network = sqlx::query(sqlx::AssertSqlSafe(sql.replace("ROLLUP_KEY", "network")))
        .fetch_all(store.pool())
        .await?;
    let total = sqlx::query(sqlx::AssertSqlSafe(
        sql.replace("SELECT network,", "SELECT 'all',")
            .replace("GROUP BY ROLLUP_KEY", ""),
    ))
    .fetch_all(store.pool())
    .await?;
    let mut rows = Vec::new();
    for r in per_network.iter().chain(&total) {
        let code: String = r.try_get(0)?;
        let values = vec![r.try_get(1)?, r.try_get(2)?, r.try_get(3)?];
        let (de, en) = if code == "all" {
            ("alle Netzwerke", "all networks")
        } else {
            network_label(&code)
        };
        rows.push(row(&code, de, en, values));
    }
    rows.retain(|r| r.code != "all" || r.values.iter().any(|v| *v > 0));
    Ok(ReportTable {
        id: "foundations_reached".into(),
        de: "Erreichte Stiftungen".into(),
        en: "Foundations reached".into(),
        columns: vec![
            column("im Kontakt", "in contact", false),
            column("mit Antrag", "applied to", false),
            column("mit Bewilligung", "granted", false),
        ],
        rows,
        bar: 0,
    })
}
