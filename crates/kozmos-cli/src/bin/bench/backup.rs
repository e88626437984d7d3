//! `kozmos-bench --backup FILE`: backups of a copy of the database at FILE (e.g. the scale-100
//! demo database from `--demo-scale 100 --keep FILE`): a plain backup, an encrypted one, the check
//! and the restore (with its safety backup, migration and search index rebuild).

use std::path::Path;
use std::time::Instant;

use kozmos_core::backup::{self, REASON_DAILY, REASON_MANUAL};
use kozmos_core::restore;
use kozmos_core::sync::file::Passphrase;
use kozmos_core::Kozmos;

fn row(what: &str, seconds: f64, size: u64, target: &str) {
    let mb = size as f64 / f64::from(1 << 20);
    println!("| {what:<52} | {seconds:>8.2} s | {mb:>8.1} MB | {target:<8} |");
}

pub async fn bench(file: &Path, dir: &Path) {
    let db = dir.join("kozmos.sqlite3");
    std::fs::copy(file, &db).expect("copy the database");
    let k = Kozmos::open(&db).await.expect("open");
    println!(
        "| {:<52} | {:>10} | {:>11} | {:<8} |",
        "backup", "time", "size", "target"
    );
    println!("|{:-<54}|{:-<12}|{:-<13}|{:-<10}|", "", "", "", "");
    row(
        "database",
        0.0,
        std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0),
        "",
    );

    let start = Instant::now();
    let plain = backup::create(&k, REASON_DAILY, None).await.expect("backup");
    row(
        "daily backup (page copy, on the disk before it returns)",
        start.elapsed().as_secs_f64(),
        plain.size_bytes,
        "≤ 2 s",
    );

    let passphrase = Passphrase {
        secret: "Benchmark-Passwort-2026".into(),
        work_factor: None,
    };
    let start = Instant::now();
    let encrypted = backup::create(&k, REASON_MANUAL, Some(&passphrase))
        .await
        .expect("encrypted");
    row(
        "encrypted backup (age, scrypt ~1 s by design)",
        start.elapsed().as_secs_f64(),
        encrypted.size_bytes,
        "–",
    );

    let start = Instant::now();
    restore::check(&k, plain.path.as_ref(), None).await.expect("check");
    row(
        "check (stage copy, integrity_check)",
        start.elapsed().as_secs_f64(),
        plain.size_bytes,
        "–",
    );

    let start = Instant::now();
    let restored = restore::restore(&k, plain.path.as_ref(), None).await.expect("restore");
    row(
        "restore (check, safety backup, index rebuild, swap)",
        start.elapsed().as_secs_f64(),
        plain.size_bytes,
        "–",
    );
    restored.kozmos.close().await;
}
