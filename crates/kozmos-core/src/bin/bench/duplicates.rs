//! `kozmos-bench --duplicates [--keep FILE]`: the duplicate scan on the demo data at scale 100
//! (made once and kept at FILE, or reused from there), with 100 planted near-duplicates: the
//! whole scan, one kind, and a merge's preview. Target: the whole scan ≤ 10 s.

use std::path::Path;
use std::time::{Duration, Instant};

use kozmos_core::association::{self, AssociationDraft, LogoChange};
use kozmos_core::duplicates::{self, DuplicateQuery, Kind};
use kozmos_core::Kozmos;

fn row(what: &str, took: Duration, target: &str) {
    println!("| {what:<52} | {:>10.0} | {target:<10} |", took.as_secs_f64() * 1e3);
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
    let mut total = 0;
    for run in 0..3 {
        let start = Instant::now();
        let list = duplicates::scan(store, &DuplicateQuery::default()).await.expect("scan");
        row(
            &format!("scan, every kind (run {})", run + 1),
            start.elapsed(),
            "≤ 10000",
        );
        total = list.total;
    }
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
    let list = duplicates::scan(store, &DuplicateQuery { kind: None, limit: 1 })
        .await
        .expect("scan");
    if let Some(pair) = list.pairs.first().filter(|p| p.a.kind == p.b.kind) {
        let start = Instant::now();
        duplicates::merge_preview(store, &pair.a.id, &pair.b.id)
            .await
            .expect("preview");
        row("merge preview of the top pair", start.elapsed(), "");
    }
    println!("\npairs found: {total} (100 planted)");
    k.close().await;
}
