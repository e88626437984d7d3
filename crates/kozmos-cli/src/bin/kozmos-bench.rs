//! Benchmark of the store: insert N associations, list a page, search; peak memory.
//! `cargo run --release -p kozmos-core --bin kozmos-bench -- [--count N] [--keep FILE]` prints a
//! table; `--keep` leaves the filled database at FILE (to try the app with 10,000 associations).
//! `-- --demo-scale 100` instead fills the demo data set at that scale and measures the global
//! search (p50/p95 per query), list pages, matching and the cooperation board on it; with
//! `--keep FILE` the demo database lives at FILE and is reused when FILE already exists.
//! `-- --sync FILE` measures sync files on a copy of the demo database at FILE (its demo rows are
//! treated as real data there, since demo rows never leave an installation).
//! `-- --sheets` measures profile sheets on the demo data at scale 1, and the same sheets made
//! with Typst (the `typst` Python package, when installed) for comparison.
//! `-- --backup FILE` measures backup, check and restore on a copy of the database at FILE.
//! `-- --duplicates [--keep FILE]` measures the duplicate scan on the demo data at scale 100
//! (made at FILE when it does not exist, reused otherwise).
//! `-- --hostile` measures the time and memory to refuse each hostile sync file.
//! `-- --import` measures the spreadsheet import of a 10,000-row CSV: read, preview, apply.

#[path = "bench/backup.rs"]
mod backup;
#[path = "bench/duplicates.rs"]
mod duplicates;
#[path = "bench/hostile.rs"]
mod hostile;
#[path = "bench/import.rs"]
mod import;
#[path = "bench/sheets.rs"]
mod sheets;
#[path = "bench/sync.rs"]
mod sync;

use std::time::{Duration, Instant};

use kozmos_core::association::{self, AssociationDraft, AssociationQuery, LogoChange, SortKey};
use kozmos_core::Kozmos;

const NAMES: &[(&str, &str)] = &[
    ("Syrisch-Deutscher Kulturverein", "الجمعية السورية الألمانية للثقافة"),
    ("Ukrainische Gemeinde", "Українська громада"),
    ("Vietnamesischer Verein", "Hội người Việt"),
    ("Afghanischer Frauenverein", "انجمن زنان افغان"),
    ("Polnischer Klub", "Klub Polski"),
    ("Türkischer Elternverein", "Türk Veli Derneği"),
    ("Russischsprachige Initiative", "Русскоязычная инициатива"),
    ("Interkulturelles Zentrum", ""),
];
const CITIES: &[(&str, &str)] = &[
    ("Magdeburg", "15003"),
    ("Halle (Saale)", "15002"),
    ("Dessau-Roßlau", "15001"),
    ("Jena", "16053"),
    ("Erfurt", "16051"),
    ("Gera", "16052"),
    ("Weimar", "16055"),
    ("Stendal", "15090"),
];
const THEMES: &[&str] = &[
    "bildung",
    "sprache",
    "kultur",
    "integration",
    "kinder_jugend",
    "gesundheit",
    "sport",
];

fn draft(i: usize) -> AssociationDraft {
    let (name, original) = NAMES[i % NAMES.len()];
    let (city, district) = CITIES[(i / 3) % CITIES.len()];
    AssociationDraft {
        name: format!("{name} {city} {i}"),
        name_original: if original.is_empty() {
            String::new()
        } else {
            format!("{original} {i}")
        },
        city: city.into(),
        district: district.into(),
        postcode: format!("{:05}", 6000 + i % 90000),
        themes: vec![THEMES[i % THEMES.len()].into(), THEMES[(i / 7) % THEMES.len()].into()],
        members: (10 + i % 300).to_string(),
        founded_year: (1990 + i % 35).to_string(),
        mission_de: "Wir fördern Begegnung, Bildung und Teilhabe in unserer Stadt.".into(),
        ..Default::default()
    }
}

/// Forgets the peak so far (Linux: writing 5 to clear_refs resets VmHWM to the current RSS).
pub(crate) fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub(crate) fn peak_mb() -> f64 {
    peak_rss_kib().map_or(f64::NAN, |k| k as f64 / 1024.0)
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

struct Timing {
    median: Duration,
    max: Duration,
}

async fn time<F, Fut>(runs: usize, mut f: F) -> Timing
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut samples: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f().await;
        samples.push(start.elapsed());
    }
    samples.sort();
    Timing {
        median: samples[runs / 2],
        max: samples[runs - 1],
    }
}

fn row(what: &str, t: &Timing) {
    println!(
        "| {what:<46} | {:>10.2} | {:>10.2} |",
        t.median.as_secs_f64() * 1e3,
        t.max.as_secs_f64() * 1e3
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let count: usize = args
        .iter()
        .position(|a| a == "--count")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1))
        .map(std::path::PathBuf::from);
    if args.iter().any(|a| a == "--import") {
        let dir = tempfile_dir();
        import::bench(&dir).await;
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    if args.iter().any(|a| a == "--hostile") {
        let dir = tempfile_dir();
        hostile::bench(&dir).await;
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    if args.iter().any(|a| a == "--sheets") {
        let dir = tempfile_dir();
        sheets::bench(&dir).await;
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    if let Some(path) = args.iter().position(|a| a == "--backup").and_then(|i| args.get(i + 1)) {
        let dir = tempfile_dir();
        backup::bench(std::path::Path::new(path), &dir).await;
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    if args.iter().any(|a| a == "--duplicates") {
        let dir = tempfile_dir();
        let path = keep.clone().unwrap_or_else(|| dir.join("duplicates.sqlite3"));
        duplicates::bench(&path).await;
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    if let Some(path) = args.iter().position(|a| a == "--sync").and_then(|i| args.get(i + 1)) {
        sync::bench(std::path::Path::new(path)).await;
        return;
    }
    if let Some(scale) = args
        .iter()
        .position(|a| a == "--demo-scale")
        .and_then(|i| args.get(i + 1))
    {
        demo_bench(scale.parse().unwrap_or(100), keep).await;
        return;
    }
    let dir = tempfile_dir();
    let k = Kozmos::open(&dir.join("bench.sqlite3")).await.expect("open");
    let store = &k.store;

    let start = Instant::now();
    for i in 0..count {
        association::create(store, &draft(i), LogoChange::Keep)
            .await
            .expect("insert");
    }
    let insert = start.elapsed();

    println!("KOZMOS store benchmark, {count} associations (SQLite file, WAL)\n");
    println!("| {:<46} | {:>10} | {:>10} |", "operation", "median ms", "max ms");
    println!("|{:-<48}|{:->12}|{:->12}|", "", "", "");
    println!(
        "| {:<46} | {:>10.0} | {:>10} |",
        format!("insert {count} (one transaction each), total"),
        insert.as_secs_f64() * 1e3,
        ""
    );
    println!(
        "| {:<46} | {:>10.3} | {:>10} |",
        "insert, per association",
        insert.as_secs_f64() * 1e3 / count as f64,
        ""
    );

    let runs = 30;
    let q = |text: &str, sort: SortKey, offset: u32| AssociationQuery {
        text: text.into(),
        sort,
        offset,
        ..Default::default()
    };
    for (label, query) in [
        ("list first page of 50, by name", q("", SortKey::Name, 0)),
        (
            "list page at offset 5000, by name",
            q("", SortKey::Name, 5_000.min(count as u32)),
        ),
        ("list first page, by last change", q("", SortKey::Changed, 0)),
        ("search \"kultur\" (name and theme)", q("kultur", SortKey::Name, 0)),
        ("search \"mueller\" (no hit)", q("mueller", SortKey::Name, 0)),
        ("search Arabic \"السورية\"", q("السورية", SortKey::Name, 0)),
        ("search Cyrillic \"громада\"", q("громада", SortKey::Name, 0)),
        (
            "search Vietnamese \"hoi nguoi viet\"",
            q("hoi nguoi viet", SortKey::Name, 0),
        ),
        ("search two words \"jena 42\"", q("jena 42", SortKey::Name, 0)),
    ] {
        let t = time(runs, || async {
            association::list(store, &query).await.expect("list");
        })
        .await;
        row(label, &t);
    }
    let theme = AssociationQuery {
        theme: Some("sprache".into()),
        ..Default::default()
    };
    row(
        "filter by theme \"sprache\"",
        &time(runs, || async {
            association::list(store, &theme).await.expect("list");
        })
        .await,
    );

    let first = association::list(
        store,
        &AssociationQuery {
            limit: 1,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let id = first.items[0].id.clone();
    row(
        "read one association",
        &time(runs, || async {
            association::get(store, &id).await.expect("get");
        })
        .await,
    );
    let mut n = 0;
    let t = time(runs, || {
        n += 1;
        let mut d = draft(0);
        d.name = format!("Umbenannt {n}");
        let (store, id) = (store.clone(), id.clone());
        async move {
            association::update(&store, &id, &d, LogoChange::Keep)
                .await
                .expect("update");
        }
    })
    .await;
    row("edit one field of one association", &t);

    println!();
    println!(
        "database file (with WAL): {:.1} MB",
        database_mb(&dir.join("bench.sqlite3"))
    );
    match peak_rss_kib() {
        Some(kib) => println!("peak memory of the process (VmHWM): {:.1} MB", kib as f64 / 1024.0),
        None => println!("peak memory of the process: not available on this system"),
    }
    if let Some(target) = keep {
        sqlx::query("VACUUM INTO ?")
            .bind(target.to_string_lossy().into_owned())
            .execute(k.store.pool())
            .await
            .expect("keep");
        println!("kept the database at {}", target.display());
    }
    k.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A database file with its WAL, in MB.
pub(crate) fn database_mb(path: &std::path::Path) -> f64 {
    ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
        .map(|m| m.len())
        .sum::<u64>() as f64
        / 1e6
}

pub(crate) fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kozmos-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index].as_secs_f64() * 1e3
}

async fn measure<F, Fut>(label: &str, goal: &str, runs: usize, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f().await;
        samples.push(start.elapsed());
    }
    let (p50, p95) = (percentile(&mut samples, 0.5), percentile(&mut samples, 0.95));
    println!("| {label:<46} | {p50:>10.2} | {p95:>10.2} | {goal:<12} |");
}

async fn demo_bench(scale: u32, keep: Option<std::path::PathBuf>) {
    use kozmos_core::cooperation::{self, CooperationQuery};
    use kozmos_core::foundation::{self, FoundationQuery};
    use kozmos_core::search;

    let dir = tempfile_dir();
    let reuse = keep.as_ref().is_some_and(|p| p.exists());
    let path = keep.clone().unwrap_or_else(|| dir.join("demo.sqlite3"));
    let k = Kozmos::open(&path).await.expect("open");
    let store = &k.store;
    println!("KOZMOS benchmark on the demo data set at scale {scale}\n");
    if reuse {
        println!(
            "demo data reused from {} (its scale is whatever it was made with)\n",
            path.display()
        );
    } else {
        let start = Instant::now();
        let counts = kozmos_core::demo::generate(store, scale, 2026).await.expect("demo");
        println!(
            "demo generation: {} associations, {} foundations, {} persons, {} cooperations in {:.1} s\n",
            counts.associations,
            counts.foundations,
            counts.persons,
            counts.cooperations,
            start.elapsed().as_secs_f64()
        );
    }
    println!(
        "| {:<46} | {:>10} | {:>10} | {:<12} |",
        "operation", "p50 ms", "p95 ms", "goal"
    );
    println!("|{:-<48}|{:->12}|{:->12}|{:-<14}|", "", "", "", "");
    let runs = 50;
    for query in [
        "muller",
        "Müller",
        "MUELLER",
        "Jose",
        "Коваленко",
        "kovalenko",
        "السورية",
        "huong",
        "sprachcafe",
        "magdeburg verein",
        "li",
        "li magdeburg",
    ] {
        measure(&format!("global search \"{query}\""), "", runs, || async {
            search::everything(store, query, 20).await.expect("search");
        })
        .await;
    }
    // What the app shows first: its start waits for this.
    measure("overview (the start page)", "", runs, || async {
        kozmos_core::overview::overview(store).await.expect("overview");
    })
    .await;
    measure("association list, first page", "", runs, || async {
        association::list(store, &AssociationQuery::default())
            .await
            .expect("list");
    })
    .await;
    measure("association list, search \"ukrainische\"", "", runs, || async {
        let q = AssociationQuery {
            text: "ukrainische".into(),
            ..Default::default()
        };
        association::list(store, &q).await.expect("list");
    })
    .await;
    measure("foundation list, first page", "", runs, || async {
        foundation::list(store, &FoundationQuery::default())
            .await
            .expect("list");
    })
    .await;
    let some_association: String = sqlx::query_scalar("SELECT id FROM associations ORDER BY rowid LIMIT 1")
        .fetch_one(store.pool())
        .await
        .expect("association");
    let some_foundation: String = sqlx::query_scalar("SELECT id FROM foundations ORDER BY rowid LIMIT 1")
        .fetch_one(store.pool())
        .await
        .expect("foundation");
    // Rankings keep what they read until the database changes: the first call after a change
    // reads everything again, the rows after it are warm.
    measure("a write, then rank all associations (cold)", "", 10, || async {
        sqlx::query("UPDATE site SET clock = clock + 1 WHERE id = 1")
            .execute(store.pool())
            .await
            .expect("write");
        kozmos_core::matching::for_foundation(store, &some_foundation, true)
            .await
            .expect("match");
    })
    .await;
    kozmos_core::matching::for_association(store, &some_association, true)
        .await
        .expect("match");
    measure("rank all foundations for one association", "", 20, || async {
        kozmos_core::matching::for_association(store, &some_association, true)
            .await
            .expect("match");
    })
    .await;
    measure(
        "rank all associations for one foundation",
        "p95 ≤ 20 ms",
        10,
        || async {
            kozmos_core::matching::for_foundation(store, &some_foundation, true)
                .await
                .expect("match");
        },
    )
    .await;
    let page_of_50 = kozmos_core::matching::MatchQuery {
        include_excluded: true,
        limit: 50,
        ..Default::default()
    };
    measure("rank all foundations, explain a page of 50", "", 20, || async {
        kozmos_core::matching::for_association_page(store, &some_association, &page_of_50)
            .await
            .expect("match");
    })
    .await;
    measure("rank all associations, explain a page of 50", "", 20, || async {
        kozmos_core::matching::for_foundation_page(store, &some_foundation, &page_of_50)
            .await
            .expect("match");
    })
    .await;
    measure("cross table, top 10 eligible per association", "", 3, || async {
        kozmos_core::matching::cross_table(store, 10)
            .await
            .expect("cross table");
    })
    .await;
    measure("cooperation board (10 stages, 100 cards each)", "", 20, || async {
        cooperation::board(store, &CooperationQuery::default(), 100)
            .await
            .expect("board");
    })
    .await;
    println!();
    println!(
        "database file (with WAL): {:.0} MB (goal ≤ 90 MB at scale 100)",
        database_mb(&path)
    );
    if let Some(kib) = peak_rss_kib() {
        println!("peak memory of the process (VmHWM): {:.1} MB", kib as f64 / 1024.0);
    }
    k.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
