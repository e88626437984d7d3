//! The `kozmos` binary, run as a user runs it.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const KOZMOS: &str = env!("CARGO_BIN_EXE_kozmos");

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(KOZMOS)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("KOZMOS_DB")
        .env_remove("KOZMOS_LANG")
        .env("LANG", "de_DE.UTF-8")
        .output()
        .unwrap()
}

fn ok_json(db: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = run(db, &all);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A fresh directory and the database path inside it (created on first use).
fn temp_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    (dir, db)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn add_show_list_edit_delete_restore() {
    let (_dir, db) = temp_db();
    let init = ok_json(
        &db,
        &["init", "--network", "migranetz", "--volunteer", "Olena Kovalenko"],
    );
    assert_eq!(init["network"], "migranetz");

    let added = ok_json(
        &db,
        &[
            "associations",
            "add",
            "--name",
            "Ukrainische Gemeinde Jena",
            "--name-original",
            "Українська громада Єни",
            "--city",
            "Jena",
            "--district",
            "16053",
            "--themes",
            "bildung, sprache",
            "--members",
            "85",
            "--communities",
            "Ukraine,Belarus",
            "--website",
            "ukr-jena.de",
        ],
    );
    let id = added["id"].as_str().unwrap().to_string();
    assert_eq!(added["state"], "TH");
    assert_eq!(added["themes"], serde_json::json!(["bildung", "sprache"]));
    assert_eq!(added["members"], 85);
    assert_eq!(added["website"], "https://ukr-jena.de");
    assert_eq!(added["owner_network"], "migranetz");

    let shown = ok_json(&db, &["associations", "show", &id]);
    assert_eq!(shown["name_original"], "Українська громада Єни");

    let list = ok_json(&db, &["associations", "list", "--search", "громада"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id.as_str());

    let edited = ok_json(
        &db,
        &[
            "associations",
            "edit",
            &id,
            "--city",
            "Weimar",
            "--district",
            "16055",
            "--members",
            "",
        ],
    );
    assert_eq!(edited["city"], "Weimar");
    assert_eq!(edited["members"], Value::Null, "an empty value clears a field");
    assert_eq!(edited["themes"], added["themes"], "fields not given stay as they were");
    assert_eq!(edited["name_original"], added["name_original"]);

    let human = run(&db, &["associations", "show", &id]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.contains("Ukrainische Gemeinde Jena") && text.contains("Ort: Weimar"),
        "{text}"
    );

    assert_eq!(ok_json(&db, &["associations", "delete", &id])["life"], "deleted");
    assert_eq!(ok_json(&db, &["associations", "list"]).as_array().unwrap().len(), 0);
    assert_eq!(ok_json(&db, &["associations", "restore", &id])["life"], "alive");
    assert_eq!(ok_json(&db, &["associations", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn errors_go_to_stderr_in_the_users_language_and_write_nothing() {
    let (dir, db) = temp_db();
    let out = run(
        &db,
        &[
            "associations",
            "add",
            "--name",
            "X",
            "--postcode",
            "123",
            "--email",
            "nope",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("2 Eingaben sind ungültig") && err.contains("PLZ: bitte fünf Ziffern"),
        "{err}"
    );

    let out = run(&db, &["--lang", "en", "associations", "add", "--name", ""]);
    assert!(
        stderr(&out).contains("please enter the association's name"),
        "{}",
        stderr(&out)
    );

    let out = Command::new(KOZMOS)
        .args([
            "--db",
            db.to_str().unwrap(),
            "associations",
            "add",
            "--members",
            "-4",
            "--name",
            "Y",
        ])
        .env("LANG", "en_GB.UTF-8")
        .env_remove("KOZMOS_LANG")
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("Members: allowed are 0 to 1000000"),
        "{}",
        stderr(&out)
    );

    let out = run(
        &db,
        &[
            "associations",
            "add",
            "--name",
            "Z",
            "--themes",
            "bildung,quatsch",
            "--json",
        ],
    );
    let payload: Value = serde_json::from_str(stderr(&out).trim()).unwrap();
    assert_eq!(payload["code"], "unknown_code");
    assert_eq!(payload["field"], "themes");

    let out = run(&db, &["associations", "show", "gibt-es-nicht"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("wurde nicht gefunden"));

    let out = run(
        &db,
        &[
            "associations",
            "add",
            "--name",
            "Mit Logo",
            "--logo",
            "/does/not/exist.png",
        ],
    );
    assert!(stderr(&out).contains("lässt sich nicht lesen"));
    let garbage = dir.path().join("logo.png");
    std::fs::write(&garbage, "kein Bild").unwrap();
    let out = run(
        &db,
        &[
            "associations",
            "add",
            "--name",
            "Mit Logo",
            "--logo",
            garbage.to_str().unwrap(),
        ],
    );
    assert!(stderr(&out).contains("PNG- oder JPEG"), "{}", stderr(&out));

    assert_eq!(
        ok_json(&db, &["associations", "list"]).as_array().unwrap().len(),
        0,
        "nothing was written"
    );
}

#[test]
fn a_logo_can_be_set_and_removed() {
    let (_dir, db) = temp_db();
    let logo = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/logo.png");
    let a = ok_json(&db, &["associations", "add", "--name", "Logo e.V.", "--logo", logo]);
    assert_eq!(a["has_logo"], true);
    let id = a["id"].as_str().unwrap();
    assert_eq!(
        ok_json(&db, &["associations", "edit", id, "--no-logo"])["has_logo"],
        false
    );
}

#[test]
fn the_database_comes_from_the_option_the_environment_or_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let env_db = dir.path().join("env.sqlite3");
    let opt_db = dir.path().join("opt.sqlite3");
    let info = |extra: &[&str], env_db: Option<&Path>| {
        let mut cmd = Command::new(KOZMOS);
        cmd.args(extra)
            .args(["info", "--json"])
            .env("HOME", &home)
            .env_remove("XDG_DATA_HOME");
        match env_db {
            Some(p) => cmd.env("KOZMOS_DB", p),
            None => cmd.env_remove("KOZMOS_DB"),
        };
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["database"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let default = home.join(".local/share/kozmos/kozmos.sqlite3");
    if cfg!(target_os = "linux") {
        assert_eq!(info(&[], None), default.to_str().unwrap());
        assert!(default.is_file(), "first start creates the database");
    }
    assert_eq!(info(&[], Some(&env_db)), env_db.to_str().unwrap());
    assert_eq!(
        info(&["--db", opt_db.to_str().unwrap()], Some(&env_db)),
        opt_db.to_str().unwrap()
    );
    assert!(env_db.is_file() && opt_db.is_file());
}

#[test]
fn vocabularies_list_their_codes() {
    let (_dir, db) = temp_db();
    let themes = ok_json(&db, &["vocab", "themes"]);
    assert_eq!(themes.as_array().unwrap().len(), 22);
    let districts = String::from_utf8(run(&db, &["vocab", "districts"]).stdout).unwrap();
    assert!(districts.contains("16053") && districts.contains("Jena"));
    assert_eq!(run(&db, &["vocab", "planeten"]).status.code(), Some(1));
}

#[cfg(unix)]
#[test]
fn arguments_in_a_broken_encoding_are_refused() {
    use std::os::unix::ffi::OsStrExt;
    let (_dir, db) = temp_db();
    let broken = std::ffi::OsStr::from_bytes(b"Verein \xff\xfe M\xfcller");
    let out = Command::new(KOZMOS)
        .arg("--db")
        .arg(&db)
        .args(["associations", "add", "--name"])
        .arg(broken)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("UTF-8"), "{}", stderr(&out));
    assert_eq!(ok_json(&db, &["associations", "list"]).as_array().unwrap().len(), 0);
}

#[test]
fn calendar_and_reports_are_written_as_files_a_user_can_open() {
    let (dir, db) = temp_db();
    ok_json(&db, &["init", "--network", "lamsa", "--volunteer", "Amira Haddad"]);
    ok_json(&db, &["demo", "--scale", "1"]);

    let ics = dir.path().join("termine.ics");
    let saved = ok_json(&db, &["calendar", "-o", ics.to_str().unwrap()]);
    assert!(saved["followups"].as_u64().unwrap() > 0 && saved["deadlines"].as_u64().unwrap() > 0);
    let text = std::fs::read_to_string(&ics).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));

    let pdf = dir.path().join("berichte.pdf");
    let out = run(&db, &["report", "--pdf", "-o", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));

    let csv = run(&db, &["report", "funnel", "--csv"]);
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("\u{feff}Kooperationen nach Phase;"), "{csv}");

    let tables = ok_json(&db, &["report"]);
    assert_eq!(tables.as_array().unwrap().len(), 7);

    // Bad requests: an unknown report, CSV of all at once, a PDF to the terminal, a folder that is not there.
    let unknown = run(&db, &["report", "<script>"]);
    assert!(
        !unknown.status.success() && stderr(&unknown).contains("nicht gefunden"),
        "{}",
        stderr(&unknown)
    );
    assert!(!run(&db, &["report", "--csv"]).status.success());
    assert!(!run(&db, &["report", "--pdf"]).status.success());
    let nowhere = dir.path().join("fehlt/berichte.pdf");
    let out = run(&db, &["report", "--pdf", "-o", nowhere.to_str().unwrap()]);
    assert!(
        !out.status.success() && stderr(&out).contains("Dateifehler"),
        "{}",
        stderr(&out)
    );
    assert!(!nowhere.exists());
}
