//! `kozmos-bench --duplicates [--keep FILE]`: the duplicate scan on the demo data at scale 100
//! (made once and kept at FILE, or reused from there), with 100 planted near-duplicates: the
//! whole scan, one kind, and a merge's preview. Target: the whole scan ≤ 10 s.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

use kozmos_core::association::{self, AssociationDraft, LogoChange};
use kozmos_core::duplicates::{self, DuplicateList, DuplicateQuery, Kind};
use kozmos_core::Kozmos;

fn row(what: &str, took: Duration, target: &str) {
    println!("| {what:<52} | {:>10.0} | {target:<10} |", took.as_secs_f64() * 1e3);
}

/// Pairs by reason, and recall and precision on the planted pairs: a planted record and the
/// association it was copied from (same town, its name with the typo undone).
async fn report_quality(store: &kozmos_core::store::Store, list: &DuplicateList) {
    let mut by_reason: BTreeMap<&str, usize> = BTreeMap::new();
    for pair in &list.pairs {
        for reason in &pair.reasons {
            *by_reason.entry(reason.code.as_str()).or_default() += 1;
        }
    }
    println!("\npairs by reason:");
    for (code, count) in &by_reason {
        println!("  {code:<32} {count:>7}");
    }
    let rows: Vec<(String, String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT id, name, city, notes FROM associations WHERE life = 'alive'")
            .fetch_all(store.pool())
            .await
            .expect("rows");
    let planted: HashMap<&str, (&str, Option<&str>)> = rows
        .iter()
        .filter(|r| r.3.as_deref() == Some("bench-duplicate"))
        .map(|r| (r.0.as_str(), (r.1.as_str(), r.2.as_deref())))
        .collect();
    let mut originals: HashMap<(String, Option<&str>), Vec<&str>> = HashMap::new();
    for r in rows.iter().filter(|r| !planted.contains_key(r.0.as_str())) {
        originals
            .entry((r.1.replacen("er", "re", 1), r.2.as_deref()))
            .or_default()
            .push(r.0.as_str());
    }
    let is_planted_pair = |a: &str, b: &str| {
        planted.get(a).is_some_and(|(name, city)| {
            originals
                .get(&(name.to_string(), *city))
                .is_some_and(|ids| ids.contains(&b))
        })
    };
    let mut found = HashSet::new();
    for pair in &list.pairs {
        let (a, b) = (pair.a.id.as_str(), pair.b.id.as_str());
        if is_planted_pair(a, b) {
            found.insert(a);
        } else if is_planted_pair(b, a) {
            found.insert(b);
        }
    }
    let recall = found.len() as f64 / planted.len().max(1) as f64 * 100.0;
    let precision = found.len() as f64 / list.pairs.len().max(1) as f64 * 100.0;
    println!(
        "planted pairs found: {} of {} (recall {recall:.1} %), precision {precision:.1} % of {} pairs",
        found.len(),
        planted.len(),
        list.pairs.len()
    );
}

pub async fn bench(path: &Path) {
    let fresh = !path.exists();
    let k = Kozmos::open(path).await.expect("open");
    let store = &k.store;
    if fresh {
        let start = Instant::now();
        let counts = kozmos_core::demo::generate(store, 100, 2026).await.expect("demo");
        println!(
            "demo data at scale 100: {} associations, {} persons in {:.1} s (kept at {})\n",
            counts.associations,
            counts.persons,
            start.elapsed().as_secs_f64(),
            path.display()
        );
    }
    let planted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM associations WHERE notes = 'bench-duplicate'")
        .fetch_one(store.pool())
        .await
        .expect("count");
    if planted == 0 {
        // A typo'd copy of every 140th association, in the same town.
        let rows: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT name, city FROM associations WHERE life = 'alive' AND rowid % 140 = 0 LIMIT 100")
                .fetch_all(store.pool())
                .await
                .expect("rows");
        for (name, city) in rows {
            let typo: String = name.replacen("er", "re", 1);
            let draft = AssociationDraft {
                name: typo,
                city: city.unwrap_or_default(),
                notes: "bench-duplicate".into(),
                ..Default::default()
            };
            association::create(store, &draft, LogoChange::Keep)
                .await
                .expect("plant");
        }
    }
    let records: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM associations WHERE life = 'alive') + (SELECT COUNT(*) FROM foundations WHERE life = 'alive') + (SELECT COUNT(*) FROM persons WHERE life = 'alive')",
    )
    .fetch_one(store.pool())
    .await
    .expect("count");
    println!("records scanned: {records}\n");
    println!("| {:<52} | {:>10} | {:<10} |", "operation", "ms", "target");
    println!("|{:-<54}|{:->12}|{:-<12}|", "", "", "");
    let mut everything = None;
    for run in 0..3 {
        let start = Instant::now();
        let list = duplicates::scan(store, &DuplicateQuery::default()).await.expect("scan");
        row(
            &format!("scan, every kind (run {})", run + 1),
            start.elapsed(),
            "≤ 10000",
        );
        everything = Some(list);
    }
    let everything = everything.expect("three runs");
    for kind in [Kind::Association, Kind::Person] {
        let start = Instant::now();
        duplicates::scan(
            store,
            &DuplicateQuery {
                kind: Some(kind),
                limit: 50,
            },
        )
        .await
        .expect("scan");
        row(&format!("scan, {} (first 50)", kind.as_str()), start.elapsed(), "");
    }
    if let Some(pair) = everything.pairs.first().filter(|p| p.a.kind == p.b.kind) {
        let start = Instant::now();
        duplicates::merge_preview(store, &pair.a.id, &pair.b.id)
            .await
            .expect("preview");
        row("merge preview of the top pair", start.elapsed(), "");
    }
    report_quality(store, &everything).await;
    println!("\npairs found: {} (100 planted)", everything.total);
    k.close().await;
}
