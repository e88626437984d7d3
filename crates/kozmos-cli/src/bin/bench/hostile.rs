//! `kozmos-bench --hostile`: the time to refuse each hostile sync file (`sync::hostile`) through
//! verify and preview, as the app does, and the peak memory of the process while refusing it.

use std::path::Path;
use std::time::Instant;

use kozmos_core::sync::export::{self, ExportOptions};
use kozmos_core::sync::hostile::{self, Sample};
use kozmos_core::sync::import::{self, ImportOptions};
use kozmos_core::sync::{file, profile::Profile};
use kozmos_core::Kozmos;

pub async fn bench(dir: &Path) {
    let sender = Kozmos::open(&dir.join("sender.sqlite3")).await.expect("open");
    let receiver = Kozmos::open(&dir.join("receiver.sqlite3")).await.expect("open");
    hostile::seed(&sender.store).await.expect("seed");
    let options = ExportOptions {
        peer: None,
        profile: Profile::All,
        passphrase: None,
    };
    let (bytes, _) = export::build(&sender.store, &options).await.expect("export");
    let verified = file::verify(&bytes, None).expect("verify");
    import::apply(&receiver.store, &verified, &ImportOptions::default())
        .await
        .expect("apply");
    let sample = Sample::from_file(&bytes, receiver.store.site_id()).expect("sample");

    println!("Refusing hostile sync files (verify + preview, as the app does)\n");
    println!(
        "| {:<42} | {:<26} | {:>9} | {:>9} |",
        "file", "refused with", "ms", "peak MB"
    );
    println!("|{:-<44}|{:-<28}|{:->11}|{:->11}|", "", "", "", "");
    let mut worst: f64 = 0.0;
    for case in hostile::cases() {
        let bytes = (case.make)(&sample).expect("build the file");
        let passphrase = file::is_encrypted(&bytes).then_some(hostile::PASSPHRASE);
        super::reset_peak();
        let start = Instant::now();
        let outcome = match file::verify(&bytes, passphrase) {
            Ok(verified) => import::preview(&receiver.store, &verified).await.map(|_| ()),
            Err(e) => Err(e),
        };
        let elapsed = start.elapsed();
        let peak = super::peak_mb();
        worst = worst.max(peak);
        let code = outcome
            .err()
            .map_or_else(|| "NOT REFUSED".to_string(), |e| e.code().to_string());
        println!(
            "| {:<42} | {code:<26} | {:>9.1} | {peak:>9.1} |",
            case.name,
            elapsed.as_secs_f64() * 1e3
        );
    }
    println!("\nhighest peak while refusing: {worst:.1} MB (target: at most 200 MB)");
    sender.close().await;
    receiver.close().await;
}
