//! `kozmos-bench --import`: a 10,000-row German Excel CSV of associations (with every tenth row a
//! duplicate of an earlier one and every fiftieth rejected), read, previewed and applied into a
//! database that already holds 1,000 associations. Target: preview and apply within 5 s each.

use std::path::Path;
use std::time::Instant;

use kozmos_core::association::{self, AssociationDraft, LogoChange};
use kozmos_core::import::{self, ImportChoice, ImportKind, OnMatch};
use kozmos_core::Kozmos;

const ROWS: usize = 10_000;

fn row(what: &str, seconds: f64, target: &str) {
    println!("| {what:<44} | {:>10.2} s | {target:<8} |", seconds);
}

fn csv() -> String {
    let mut rows = vec![vec![
        "Name des Vereins".to_string(),
        "PLZ".into(),
        "Ort".into(),
        "E-Mail".into(),
        "Themen".into(),
        "Mitglieder".into(),
        "Notizen".into(),
    ]];
    for i in 0..ROWS {
        let n = if i % 10 == 9 { i - 1 } else { i };
        let email = if i % 50 == 49 {
            "kaputt@".to_string()
        } else {
            format!("verein{n}@example.org")
        };
        rows.push(vec![
            format!("Verein Nr. {n} Brücke e.V."),
            format!("{:05}", 6000 + n % 900),
            "Halle (Saale)".into(),
            email,
            "Bildung & Weiterbildung; kultur".into(),
            format!("{}", 10 + n % 300),
            "Treffen montags;\nim Büro".into(),
        ]);
    }
    kozmos_core::csv_text::write(&rows)
}

pub async fn bench(dir: &Path) {
    let k = Kozmos::open(&dir.join("import.sqlite3")).await.expect("open");
    let store = &k.store;
    kozmos_core::site::set_up(store.pool(), "lamsa", "Benchmark")
        .await
        .expect("setup");
    for i in 0..1_000 {
        let draft = AssociationDraft {
            name: format!("Bestand {i} e.V."),
            postcode: "39104".into(),
            ..Default::default()
        };
        association::create(store, &draft, LogoChange::Keep)
            .await
            .expect("seed");
    }
    let path = dir.join("vereine.csv");
    std::fs::write(&path, csv()).expect("csv");
    println!("| {:<44} | {:>12} | {:<8} |", "import, 10,000 rows", "time", "target");
    println!("|{}|{}|{}|", "-".repeat(46), "-".repeat(14), "-".repeat(10));
    let started = Instant::now();
    let table = import::read_file(&path).expect("read");
    row(
        "read (CSV, Windows-1252/UTF-8 detection)",
        started.elapsed().as_secs_f64(),
        "",
    );
    let choice = ImportChoice {
        kind: ImportKind::Associations,
        mapping: import::describe(store, ImportKind::Associations, &table)
            .await
            .expect("describe")
            .mapping,
        on_match: OnMatch::Skip,
    };
    let started = Instant::now();
    let preview = import::preview(store, &table, &choice).await.expect("preview");
    row(
        "preview (validate, duplicates)",
        started.elapsed().as_secs_f64(),
        "≤ 5 s",
    );
    let started = Instant::now();
    let result = import::apply(store, Some(&dir.join("backups")), &table, &choice)
        .await
        .expect("apply");
    row(
        "apply (plan, backup, one transaction)",
        started.elapsed().as_secs_f64(),
        "≤ 5 s",
    );
    let c = result.counts;
    assert_eq!(c, preview.counts);
    println!(
        "\ncreated {}, duplicates {}, rejected {} (of {ROWS} rows)",
        c.create, c.duplicate, c.reject
    );
    k.close().await;
}
