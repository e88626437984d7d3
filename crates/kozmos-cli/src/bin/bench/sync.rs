//! `kozmos-bench --sync <database>`: the sync engine on a copy of a database (the demo at scale 100
//! for the README's figures). Full export, verify and preview, apply into an empty database, the
//! no-op re-import, rounds of 1,000 changed fields sent to the other side, and the same rows
//! bulk-inserted into plain tables as a baseline. The steps the goals name run three times or more
//! (median); every import goes the user's way: the backup copy first for a large file, the undo
//! journal for a small one.

use std::path::Path;
use std::time::{Duration, Instant};

use kozmos_core::store::Value;
use kozmos_core::sync::export::{self, ExportOptions};
use kozmos_core::sync::import::{self, ImportOptions};
use kozmos_core::sync::{file, profile::Profile};
use kozmos_core::Kozmos;

use crate::{database_mb, peak_mb, reset_peak, tempfile_dir};

/// How often a step with a goal runs; its median is reported.
const RUNS: usize = 3;
/// Rounds of 1,000 changed fields (median reported): one import takes about 0.1 s and single
/// rounds spread by a quarter on this kind of machine, so more rounds than for the full file.
const ROUNDS: usize = 7;
/// How often the baseline's `INSERT … SELECT` runs.
const BASELINE_RUNS: usize = 5;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// One row of the table: what, seconds, peak MB during it, goal.
fn row(what: &str, elapsed: Duration, peak: f64, goal: &str) {
    println!(
        "| {what:<58} | {:>8.3} | {peak:>8.1} | {goal:<16} |",
        elapsed.as_secs_f64()
    );
}

fn options(backups: &Path) -> ImportOptions {
    ImportOptions {
        backup_dir: Some(backups.to_path_buf()),
        ..ImportOptions::default()
    }
}

fn all(peer: Option<String>) -> ExportOptions {
    ExportOptions {
        peer,
        profile: Profile::All,
        passphrase: None,
    }
}

pub async fn bench(source: &Path) {
    let dir = tempfile_dir();
    let backups = dir.join("backups");
    let a_path = dir.join("a.sqlite3");
    {
        let src = Kozmos::open(source).await.expect("open source");
        sqlx::query("VACUUM INTO ?")
            .bind(a_path.display().to_string())
            .execute(src.store.pool())
            .await
            .expect("copy");
        src.close().await;
    }
    let a = Kozmos::open(&a_path).await.expect("open a");
    sqlx::query("DELETE FROM demo_rows")
        .execute(a.store.pool())
        .await
        .expect("undemo");
    println!(
        "KOZMOS sync benchmark on {}; steps with a goal: median of {RUNS} runs (the full file) or {ROUNDS} rounds (1,000 changed fields)\n",
        source.display()
    );
    println!(
        "| {:<58} | {:>8} | {:>8} | {:<16} |",
        "operation", "s", "peak MB", "goal"
    );
    println!("|{:-<60}|{:-<10}|{:-<10}|{:-<18}|", "", "", "", "");

    reset_peak();
    let start = Instant::now();
    let (bytes, summary) = export::build(&a.store, &all(None)).await.expect("export");
    row(
        &format!(
            "full export ({} rows, {} fields, {:.1} MB)",
            summary.rows,
            summary.fields,
            bytes.len() as f64 / 1e6
        ),
        start.elapsed(),
        peak_mb(),
        "≤ 5 s, ≤ 15 MB",
    );
    let (again, _) = export::build(&a.store, &all(None)).await.expect("export again");
    println!(
        "| {:<58} | {:>8} | {:>8} | {:<16} |",
        "same state exported twice: identical bytes",
        again == bytes,
        "",
        "yes"
    );

    // The full file into an empty database, three times: verify, preview, apply.
    let (mut previews, mut applies, mut ends) = (Vec::new(), Vec::new(), Vec::new());
    let (mut preview_peak, mut apply_peak) = (0.0f64, 0.0f64);
    let mut b = None;
    for run in 0..RUNS {
        let target = Kozmos::open(&dir.join(format!("b{run}.sqlite3")))
            .await
            .expect("open b");
        reset_peak();
        let start = Instant::now();
        let verified = file::verify(&bytes, None).expect("verify");
        let preview = import::preview(&target.store, &verified).await.expect("preview");
        let previewed = Instant::now();
        preview_peak = preview_peak.max(peak_mb());
        reset_peak();
        let result = import::apply(&target.store, &verified, &options(&backups))
            .await
            .expect("apply");
        let done = Instant::now();
        apply_peak = apply_peak.max(peak_mb());
        assert_eq!(result.counts, preview.counts, "preview counts = applied counts");
        previews.push(previewed - start);
        applies.push(done - previewed);
        ends.push(done - start);
        if let Some(earlier) = b.replace(target) {
            let earlier: Kozmos = earlier;
            earlier.close().await;
        }
    }
    let b = b.expect("b");
    row(
        "verify + stage + preview into an empty database",
        median(previews),
        preview_peak,
        "≤ 3 s",
    );
    row("full apply (one transaction)", median(applies), apply_peak, "≤ 1.7 s");
    row(
        "  verify + preview + apply, end to end",
        median(ends),
        f64::NAN,
        "≤ 2.5 s",
    );

    let start = Instant::now();
    kozmos_core::backup::copy(&b.store, &backups, kozmos_core::backup::Reason::BeforeSyncImport)
        .await
        .expect("backup");
    row(
        "backup copy before an import (page copy)",
        start.elapsed(),
        peak_mb(),
        "–",
    );

    let start = Instant::now();
    let verified_again = file::verify(&bytes, None).expect("verify");
    let again = import::apply(&b.store, &verified_again, &options(&backups))
        .await
        .expect("again");
    assert!(again.already_imported);
    row(
        "no-op re-import of the same file (recognised)",
        start.elapsed(),
        peak_mb(),
        "≤ 1 s",
    );
    let start = Instant::now();
    let noop = import::preview(&b.store, &verified_again).await.expect("noop preview");
    assert!(noop.counts.is_empty());
    row(
        "no-op merge of the same full file (every field compared)",
        start.elapsed(),
        peak_mb(),
        "–",
    );

    incremental_rounds(&a, &b, &backups, Edit::City).await;
    incremental_rounds(&a, &b, &backups, Edit::Phone).await;
    baseline(&dir, &bytes).await;
    row(
        &format!("database file of the source: {:.0} MB", database_mb(source)),
        Duration::ZERO,
        f64::NAN,
        "≤ 90 MB",
    );
    a.close().await;
    b.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// The field A changes in 1,000 associations: the city is part of the search key (the import
/// renews the full-text entries), a phone number is not.
#[derive(Clone, Copy, PartialEq)]
enum Edit {
    City,
    Phone,
}

/// B tells A what it has; then, `ROUNDS` times, A changes 1,000 fields and B imports the file made
/// for it (verify, preview, apply with its undo journal: what the user waits for), undoes that
/// import and applies it again.
async fn incremental_rounds(a: &Kozmos, b: &Kozmos, backups: &Path, edit: Edit) {
    let (to_a, _) = export::build(&b.store, &all(Some(a.store.site_id().to_string())))
        .await
        .expect("b→a");
    let verified_to_a = file::verify(&to_a, None).expect("verify b→a");
    import::apply(&a.store, &verified_to_a, &ImportOptions::default())
        .await
        .expect("apply b→a");
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM associations ORDER BY id LIMIT 1000")
        .fetch_all(a.store.pool())
        .await
        .expect("ids");
    let (mut exports, mut imports) = (Vec::new(), Vec::new());
    let (mut verifies, mut previews, mut applies, mut undos) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut size, mut fields, mut peak, mut journal_kb) = (0, 0, 0.0f64, 0);
    for round in 0..ROUNDS {
        let mut w = a.store.writer().await.expect("writer");
        for (i, id) in ids.iter().enumerate() {
            let field = match edit {
                Edit::City => ("city", Value::Text(format!("Neustadt {round}-{i}"))),
                Edit::Phone => ("phone", Value::Text(format!("0365 {round}{i:05}"))),
            };
            let fields = [field].into_iter().collect();
            w.update(&kozmos_core::association::TABLE, id, fields)
                .await
                .expect("edit");
        }
        w.commit().await.expect("commit");
        let start = Instant::now();
        let (inc, summary) = export::build(&a.store, &all(Some(b.store.site_id().to_string())))
            .await
            .expect("incremental");
        exports.push(start.elapsed());
        (size, fields) = (inc.len(), summary.fields);
        reset_peak();
        let start = Instant::now();
        let verified = file::verify(&inc, None).expect("verify inc");
        let verified_at = Instant::now();
        let preview = import::preview(&b.store, &verified).await.expect("preview inc");
        let previewed_at = Instant::now();
        let result = import::apply(&b.store, &verified, &options(backups))
            .await
            .expect("apply inc");
        let done = Instant::now();
        imports.push(done - start);
        verifies.push(verified_at - start);
        previews.push(previewed_at - verified_at);
        applies.push(done - previewed_at);
        peak = peak.max(peak_mb());
        assert_eq!(result.counts.changed, 1_000);
        assert_eq!(preview.counts, result.counts);
        assert!(
            result.undoable && result.backup.is_none(),
            "the undo journal, not a copy"
        );
        journal_kb = sqlx::query_scalar::<_, i64>("SELECT length(changes) / 1024 FROM undo_journal")
            .fetch_one(b.store.pool())
            .await
            .expect("journal");
        // Undone and applied again: the next round starts from the same state.
        let start = Instant::now();
        kozmos_core::sync::undo::undo_last(&b.store).await.expect("undo");
        undos.push(start.elapsed());
        import::apply(&b.store, &verified, &options(backups))
            .await
            .expect("apply again");
    }
    let applied = (format!("… apply (with its undo journal, {journal_kb} KB)"), applies);
    let undone = ("undo of that import (the journal reverted)".to_string(), undos);
    let (what, steps) = match edit {
        Edit::City => {
            row(
                &format!("incremental export for B ({fields} fields, {} KB)", size / 1024),
                median(exports),
                f64::NAN,
                "–",
            );
            let steps = vec![
                ("… verify".to_string(), verifies),
                ("… preview".to_string(), previews),
                applied,
                undone,
            ];
            ("incremental import of 1,000 changed fields (all steps)", steps)
        }
        Edit::Phone => (
            "… the same, 1,000 phone numbers (not in the search key)",
            vec![applied, undone],
        ),
    };
    row(what, median(imports), peak, "≤ 0.03 s");
    for (step, samples) in steps {
        row(&step, median(samples), f64::NAN, "");
    }
}

/// The same rows in plain tables of an empty database (no stamps, no checks, no indexes): staged
/// once, then copied by one `INSERT … SELECT` per table in one transaction, emptied and copied
/// again; the median of those copies.
async fn baseline(dir: &Path, bytes: &[u8]) {
    let plain = Kozmos::open(&dir.join("plain.sqlite3")).await.expect("open plain");
    let pool = plain.store.pool();
    for spec in kozmos_core::sync::TABLES {
        let cols: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
        for prefix in ["staged", "plain"] {
            let sql = format!(
                "CREATE TABLE {prefix}_{} (id TEXT PRIMARY KEY, {})",
                spec.name,
                cols.join(", ")
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(pool)
                .await
                .expect("create");
        }
    }
    let verified = file::verify(bytes, None).expect("verify");
    let mut tx = pool.begin().await.expect("begin");
    for line in verified.rows() {
        let line = line.expect("row");
        let spec = kozmos_core::sync::table(&line.t).expect("table");
        let values: Vec<&file::FieldLine> = line.f.iter().filter(|f| f.0 != "_life").collect();
        let sql = format!(
            "INSERT INTO staged_{} (id, {}) VALUES (?, {})",
            spec.name,
            values.iter().map(|f| &*f.0).collect::<Vec<_>>().join(", "),
            vec!["?"; values.len()].join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&line.id);
        for f in values {
            let column = spec.column(&f.0).expect("column");
            q = q.bind(Value::from_json(column.ty, &f.1).expect("value"));
        }
        q.execute(&mut *tx).await.expect("stage");
    }
    tx.commit().await.expect("commit");
    let mut copies = Vec::new();
    for _ in 0..BASELINE_RUNS {
        let start = Instant::now();
        let mut tx = pool.begin().await.expect("begin");
        for spec in kozmos_core::sync::TABLES {
            let sql = format!("INSERT INTO plain_{0} SELECT * FROM staged_{0}", spec.name);
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *tx)
                .await
                .expect("copy");
        }
        tx.commit().await.expect("commit");
        copies.push(start.elapsed());
        for spec in kozmos_core::sync::TABLES {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM plain_{}", spec.name)))
                .execute(pool)
                .await
                .expect("empty");
        }
    }
    row(
        &format!("baseline: plain INSERT … SELECT of the rows (median of {BASELINE_RUNS})"),
        median(copies),
        peak_mb(),
        "–",
    );
    plain.close().await;
}
