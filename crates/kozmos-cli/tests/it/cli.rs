//! The `kozmos` binary, run as a user runs it.

use crate::common::{self, Finish as _};

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const KOZMOS: &str = env!("CARGO_BIN_EXE_kozmos");

/// The binary, speaking the language of `lang` (a LANG value) whatever the caller's environment says.
fn kozmos(lang: &str) -> Command {
    let mut command = Command::new(KOZMOS);
    for var in ["KOZMOS_DB", "KOZMOS_LANG", "LC_ALL", "LC_MESSAGES"] {
        command.env_remove(var);
    }
    command.env("LANG", lang);
    command
}

fn run(db: &Path, args: &[&str]) -> Output {
    kozmos("de_DE.UTF-8").arg("--db").arg(db).args(args).finish()
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

fn stdout_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
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

    let out = kozmos("en_GB.UTF-8")
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
        .finish();
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
    let logo = concat!(env!("CARGO_MANIFEST_DIR"), "/../kozmos-core/tests/fixtures/logo.png");
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
    let home = dir.path().join("Jürgen Müller");
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
        let out = cmd.finish();
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

/// Placeholders of flags that take no code of a vocabulary (free values, ids, files, or the
/// fixed choices clap itself checks and lists).
const NOT_CODES: &[&str] = &[
    "A,B,...",
    "AMOUNT",
    "CITY",
    "COUNT",
    "DATE",
    "DIR",
    "EMAIL",
    "EURO",
    "FIELD,FIELD",
    "FILE",
    "FOLDER",
    "FORMAT",
    "ID",
    "ID,ID",
    "KEEP",
    "KIND",
    "LANG",
    "LIMIT",
    "M",
    "N",
    "NAME",
    "NOTE",
    "OFFSET",
    "ON_MATCH",
    "ORGANISATION",
    "OTHER",
    "PASSPHRASE_FILE",
    "PATH",
    "PERSON",
    "PERSON_ID",
    "PHONE",
    "SCALE",
    "SEARCH",
    "SEED",
    "SITE",
    "SORT",
    "TEXT",
    "TOP",
    "WEBSITE",
];

/// Every (command, flag, placeholder) of the binary's help pages, walking every subcommand.
fn help_flags(path: &[String], found: &mut Vec<(String, String, String)>) {
    let out = kozmos("C").args(path).arg("--help").finish();
    let help = String::from_utf8(out.stdout).unwrap();
    let mut section = "";
    for line in help.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            section = line.trim_end_matches(':');
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        match (section, words.as_slice()) {
            ("Commands", [name, ..]) if *name != "help" => {
                let mut sub = path.to_vec();
                sub.push(name.to_string());
                help_flags(&sub, found);
            }
            ("Options" | "Arguments", [first, rest @ ..]) => {
                let mut words = std::iter::once(*first).chain(rest.iter().copied());
                let flag = words.find(|w| w.starts_with("--") || w.starts_with('<') || w.starts_with('['));
                let Some(flag) = flag else { continue };
                let placeholder = if flag.starts_with("--") {
                    words.next()
                } else {
                    Some(flag)
                };
                let Some(placeholder) = placeholder.filter(|p| p.starts_with('<') || p.starts_with('[')) else {
                    continue;
                };
                let placeholder = placeholder.trim_matches(['<', '>', '[', ']']).to_string();
                let flag = if flag.starts_with("--") {
                    flag.to_string()
                } else {
                    format!("<{placeholder}>")
                };
                found.push((path.join(" "), flag, placeholder));
            }
            _ => {}
        }
    }
}

#[test]
fn every_flag_that_takes_a_code_has_its_vocabulary_listed() {
    let (_dir, db) = temp_db();
    let listed = ok_json(&db, &["vocab"]);
    let listed = listed.as_array().unwrap();
    let uses = |command: &str, flag: &str| -> Vec<String> {
        listed
            .iter()
            .filter(|v| {
                v["flags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["flag"] == flag && f["commands"].as_array().unwrap().iter().any(|c| c == command))
            })
            .map(|v| v["name"].as_str().unwrap().to_string())
            .collect()
    };
    let mut flags = Vec::new();
    help_flags(&[], &mut flags);
    assert!(flags.len() > 300, "the walk found the help pages: {}", flags.len());
    let mut code_flags = 0;
    for (command, flag, placeholder) in &flags {
        // Fixed choices written out in the placeholder ("on|off") list themselves.
        if NOT_CODES.contains(&placeholder.as_str()) || placeholder.chars().any(|c| c.is_lowercase()) {
            continue;
        }
        code_flags += 1;
        assert!(
            !uses(command, flag).is_empty(),
            "`kozmos {command} {flag} <{placeholder}>` takes a code, but `kozmos vocab` names no vocabulary for it"
        );
    }
    assert!(code_flags > 80, "{code_flags} code flags");
    assert_eq!(uses("foundations list", "--funding-area"), ["funding-areas"]);
    assert_eq!(uses("foundations add", "--legal-form"), ["foundation-legal-forms"]);
    assert_eq!(uses("associations edit", "--legal-form"), ["legal-forms"]);
    assert_eq!(uses("persons consent", "--status"), ["consent-statuses"]);
    assert_eq!(uses("cooperations stage", "<STAGE>"), ["stages"]);
    assert_eq!(uses("match association", "--region"), ["states", "districts"]);

    let text = String::from_utf8(run(&db, &["vocab"]).stdout).unwrap();
    for name in [
        "funding-areas",
        "application-routes",
        "foundation-kinds",
        "stages",
        "consent-purposes",
    ] {
        assert!(text.lines().any(|l| l.starts_with(name)), "{name} in\n{text}");
    }
    let routes = String::from_utf8(run(&db, &["vocab", "application_routes"]).stdout).unwrap();
    assert!(
        routes.lines().any(|l| l.starts_with("invitation")
            && l.contains("  nur auf Einladung  ")
            && l.ends_with("By invitation only")),
        "code, German and English label:\n{routes}"
    );
}

#[test]
fn a_bad_code_in_any_flag_names_the_valid_codes() {
    let (_dir, db) = temp_db();
    let out = run(&db, &["foundations", "list", "--funding-area", "welt"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).trim(),
        "Fehler: --funding-area: „welt“ ist kein gültiger Wert. Gültig sind: municipality, district, state, east, nationwide."
    );
    let out = run(
        &db,
        &["--lang", "en", "persons", "withdraw", "p-1", "--purpose", "werbung"],
    );
    assert_eq!(
        stderr(&out).trim(),
        "Error: --purpose: \"werbung\" is not a valid value. Valid values: store, share, print."
    );
    let out = run(&db, &["cooperations", "stage", "c-1", "fertig"]);
    assert!(
        stderr(&out).contains("„fertig“ ist kein gültiger Wert. Gültig sind: idee, erstkontakt,"),
        "{}",
        stderr(&out)
    );
    // Long vocabularies: the command that lists them instead of 36 or 61 codes.
    let out = run(&db, &["associations", "list", "--district", "Jena"]);
    assert!(
        stderr(&out).contains("Die gültigen Werte listet „kozmos vocab districts“."),
        "{}",
        stderr(&out)
    );
    let out = run(
        &db,
        &["--lang", "en", "match", "association", "a-1", "--region", "Mars"],
    );
    assert!(
        stderr(&out).contains("\"kozmos vocab states\" and \"kozmos vocab districts\" lists the valid values."),
        "{}",
        stderr(&out)
    );
    // Field flags: every bad code at once, nothing written.
    let out = run(
        &db,
        &[
            "foundations",
            "add",
            "--name",
            "S",
            "--kind",
            "reich",
            "--application-route",
            "brief",
        ],
    );
    let err = stderr(&out);
    assert!(err.contains("2 Eingaben sind ungültig"), "{err}");
    assert!(
        err.contains("--kind: „reich“ ist kein gültiger Wert. Gültig sind: funding, operating, both."),
        "{err}"
    );
    assert!(
        err.contains("--application-route: „brief“ ist kein gültiger Wert. Gültig sind:"),
        "{err}"
    );
    assert!(
        stdout_of(&run(&db, &["foundations", "list"])).contains("0 / 0"),
        "nothing written"
    );
    let out = run(&db, &["vocab", "planeten"]);
    assert!(
        stderr(&out).contains("„kozmos vocab“ listet alle Verzeichnisse"),
        "{}",
        stderr(&out)
    );
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
        .finish();
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

/// `kozmos sync …`: export, preview, import, status, conflicts, history and the shared folder,
/// between two databases as two installations would run them.
mod sync {
    use std::io::Write;
    use std::path::{Path, PathBuf};
    use std::process::{Output, Stdio};

    use serde_json::Value;

    use super::{kozmos, ok_json, run, stderr, temp_db};
    use crate::common::Finish as _;

    /// Runs with `input` on stdin (the answer to a question).
    fn run_answering(db: &Path, args: &[&str], input: &str) -> Output {
        let mut child = kozmos("de_DE.UTF-8")
            .arg("--db")
            .arg(db)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .start();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }

    fn stdout(out: &Output) -> String {
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn names(db: &Path) -> Vec<String> {
        let mut names: Vec<String> = ok_json(db, &["associations", "list"])
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    }

    /// LAMSA's installation: associations with Ukrainian, Arabic and Vietnamese names, a person who
    /// consented to sharing and one who did not.
    fn lamsa(db: &Path) {
        ok_json(db, &["init", "--network", "lamsa", "--volunteer", "Amira Haddad"]);
        let ukrainian = ok_json(
            db,
            &[
                "associations",
                "add",
                "--name",
                "Ukrainische Gemeinde Jena",
                "--name-original",
                "Українська громада Єни",
                "--city",
                "Jena",
                "--themes",
                "bildung,sprache",
            ],
        );
        ok_json(
            db,
            &[
                "associations",
                "add",
                "--name",
                "Arabischer Kulturverein Halle",
                "--name-original",
                "الجمعية الثقافية العربية في هاله",
            ],
        );
        ok_json(
            db,
            &[
                "associations",
                "add",
                "--name",
                "Vietnamesischer Verein Magdeburg",
                "--name-original",
                "Hội người Việt Magdeburg",
            ],
        );
        let id = ukrainian["id"].as_str().unwrap();
        let olena = ok_json(
            db,
            &[
                "persons",
                "add",
                "--association",
                id,
                "--name",
                "Olena Kovalenko",
                "--name-original",
                "Олена Коваленко",
            ],
        );
        let olena = olena["id"].as_str().unwrap();
        for purpose in ["store", "share"] {
            ok_json(
                db,
                &[
                    "persons",
                    "consent",
                    olena,
                    "--purpose",
                    purpose,
                    "--status",
                    "given",
                    "--channel",
                    "form",
                ],
            );
        }
        ok_json(
            db,
            &[
                "persons",
                "add",
                "--association",
                id,
                "--name",
                "Taras Ohne Einwilligung",
            ],
        );
    }

    fn migranetz(db: &Path) {
        ok_json(db, &["init", "--network", "migranetz", "--volunteer", "Trần Văn Nam"]);
        ok_json(
            db,
            &["associations", "add", "--name", "Deutsch-Vietnamesischer Verein Erfurt"],
        );
    }

    /// A file changing more records than one page: the preview says how many more there are and
    /// how to see them; `--page N` and `--all-records` show every record, bad pages are refused.
    #[test]
    fn preview_pages_through_every_record() {
        let (dir, a) = temp_db();
        let b = dir.path().join("b.sqlite3");
        ok_json(&a, &["init", "--network", "lamsa", "--volunteer", "Amira Haddad"]);
        ok_json(&b, &["init", "--network", "migranetz", "--volunteer", "Trần Văn Nam"]);
        let csv = dir.path().join("vereine.csv");
        let rows: String = (0..230).map(|i| format!("Verein Nummer {i:03};Jena\n")).collect();
        std::fs::write(&csv, format!("Name;Ort\n{rows}")).unwrap();
        let out = run(
            &a,
            &["import", csv.to_str().unwrap(), "--kind", "associations", "--yes"],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let file = dir.path().join("viele.kozmos-sync");
        let f = file.to_str().unwrap();
        ok_json(&a, &["sync", "export", "--out", f]);
        let listed = |text: &str| text.lines().filter(|l| l.starts_with("  neu associations")).count();

        let text = stdout(&run(&b, &["sync", "preview", f]));
        assert_eq!(listed(&text), 100, "{text}");
        assert!(
            text.contains(
                "Einträge 1–100 von 230. Alle zeigen: kozmos sync preview DATEI --all-records; seitenweise: --page 2"
            ),
            "{text}"
        );
        let preview = ok_json(&b, &["sync", "preview", f]);
        assert_eq!(preview["records_total"], 230);
        assert_eq!(preview["records"].as_array().unwrap().len(), 100);

        let mut seen = std::collections::BTreeSet::new();
        for n in 1..=3 {
            let page = ok_json(&b, &["sync", "preview", f, "--page", &n.to_string()]);
            assert_eq!(page["total"], 230);
            for r in page["records"].as_array().unwrap() {
                assert!(seen.insert(r["label"].as_str().unwrap().to_string()), "{r} twice");
            }
        }
        let expected: std::collections::BTreeSet<String> = (0..230).map(|i| format!("Verein Nummer {i:03}")).collect();
        assert_eq!(seen, expected);
        let past = ok_json(&b, &["sync", "preview", f, "--page", "4"]);
        assert_eq!(
            (past["total"].as_u64(), past["records"].as_array().unwrap().len()),
            (Some(230), 0)
        );
        let text = stdout(&run(&b, &["sync", "preview", f, "--page", "3"]));
        assert_eq!(listed(&text), 30);
        assert!(text.contains("Einträge 201–230 von 230 (Seite 3 von 3)."), "{text}");
        let text = stdout(&run(&b, &["--lang", "en", "sync", "preview", f, "--page", "9"]));
        assert!(text.contains("There is no page 9: 230 records on 3 pages."), "{text}");
        for bad in ["0", "-1", "-9223372036854775808"] {
            let out = run(&b, &["sync", "preview", f, "--page", bad]);
            assert_eq!(out.status.code(), Some(1), "{bad}");
            assert!(
                stderr(&out).contains("Die Seiten zählen ab 1 (--page 1 ist die erste)"),
                "{bad}: {}",
                stderr(&out)
            );
        }
        let out = run(&b, &["sync", "preview", f, "--page", "zwei"]);
        assert!(!out.status.success());

        let text = stdout(&run(&b, &["sync", "preview", f, "--all-records"]));
        assert_eq!(listed(&text), 230);
        assert!(!text.contains("Einträge 1–"), "{text}");
        let all = ok_json(&b, &["sync", "preview", f, "--all-records"]);
        assert_eq!(all["records"].as_array().unwrap().len(), 230);
        let out = run_answering(&b, &["sync", "import", f, "--all-records"], "n\n");
        assert_eq!(listed(&stdout(&out)), 230);
        assert!(stderr(&out).contains("Abgebrochen"));
    }

    #[test]
    fn export_preview_import_status_conflicts_history() {
        let (dir, a) = temp_db();
        let b = dir.path().join("b.sqlite3");
        lamsa(&a);
        migranetz(&b);
        let file = dir.path().join("lamsa.kozmos-sync");
        let f = file.to_str().unwrap();

        // A full export with the default profile: only persons who consented to sharing.
        let summary = ok_json(&a, &["sync", "export", "--out", f]);
        assert_eq!(summary["full"], true);
        assert_eq!(summary["profile"], "consented");
        assert_eq!(summary["encrypted"], false);
        let rows = summary["rows"].as_u64().unwrap();
        assert_eq!(rows, 3 + 1 + 2, "three associations, one person, her two consents");
        assert!(!summary["left_out"].as_array().unwrap().is_empty());
        assert_eq!(
            std::fs::metadata(&file).unwrap().len(),
            summary["bytes"].as_u64().unwrap()
        );
        let text = run(&a, &["sync", "export", "--out", f]);
        assert!(text.status.success(), "{}", stderr(&text));
        let text = stdout(&text);
        assert!(text.contains("Geschrieben: ") && text.contains("6 Einträge"), "{text}");
        assert!(text.contains("Nicht enthalten: "), "{text}");

        // Every person's data only after a yes: no answer (empty stdin) and "n" refuse.
        let all = dir.path().join("alle.kozmos-sync");
        let all_args = ["sync", "export", "--profile", "all", "--out", all.to_str().unwrap()];
        for answer in ["", "n\n", "nein\n"] {
            let out = run_answering(&a, &all_args, answer);
            assert_eq!(out.status.code(), Some(1), "answer {answer:?}");
            assert!(stderr(&out).contains("Alle personenbezogenen Daten exportieren? [j/N]"));
            assert!(
                stderr(&out).contains("Abgebrochen; es wurde nichts geändert."),
                "{}",
                stderr(&out)
            );
            assert!(!all.exists(), "answer {answer:?}: nothing written");
        }
        let out = run_answering(&a, &all_args, "j\n");
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(
            ok_json(
                &a,
                &[
                    "sync",
                    "export",
                    "--profile",
                    "all",
                    "--yes",
                    "--out",
                    all.to_str().unwrap()
                ]
            )["rows"],
            7
        );

        // Encrypted with a passphrase from a file.
        let secret = dir.path().join("passwort.txt");
        std::fs::write(&secret, "Pferd Batterie Heftklammer 7\n").unwrap();
        let encrypted = dir.path().join("verschluesselt.kozmos-sync");
        let e = encrypted.to_str().unwrap();
        let s = secret.to_str().unwrap();
        let summary = ok_json(&a, &["sync", "export", "--out", e, "--passphrase-file", s]);
        assert_eq!(summary["encrypted"], true);
        assert!(std::fs::read(&encrypted)
            .unwrap()
            .starts_with(b"age-encryption.org/v1\n"));
        let preview = ok_json(&b, &["sync", "preview", e, "--passphrase-file", s]);
        assert_eq!(preview["encrypted"], true);
        assert_eq!(preview["counts"]["new"], rows);
        let out = run(&b, &["sync", "preview", e]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("verschlüsselt"), "{}", stderr(&out));
        let wrong = dir.path().join("falsch.txt");
        std::fs::write(&wrong, "pferd batterie heftklammer 7").unwrap();
        let out = run(
            &b,
            &["sync", "preview", e, "--passphrase-file", wrong.to_str().unwrap()],
        );
        assert!(stderr(&out).contains("Das Passwort passt nicht"), "{}", stderr(&out));

        // The preview counts and lists; it writes nothing.
        let out = run(&b, &["sync", "preview", f]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains(&format!("neu: {rows} ·")), "{text}");
        assert!(
            text.contains("Ukrainische Gemeinde Jena") && text.contains("Profil consented"),
            "{text}"
        );

        // Asked and answered "n": cancelled, nothing written.
        let out = run_answering(&b, &["sync", "import", f], "n\n");
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("Jetzt übernehmen? [j/N]") && stderr(&out).contains("Abgebrochen"));
        assert_eq!(names(&b), ["Deutsch-Vietnamesischer Verein Erfurt"]);
        assert_eq!(ok_json(&b, &["sync", "history"]), Value::Array(vec![]));

        // --yes applies; a small file keeps an undo journal instead of a backup copy.
        let out = run(&b, &["sync", "import", f, "--yes"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("Übernommen."), "{text}");
        assert!(!text.contains("Sicherungskopie"), "{text}");
        assert!(text.contains("„kozmos sync undo“"), "{text}");
        assert_eq!(names(&b).len(), 4);

        // Undone (asked first), it is as before; then the same file applies again.
        let out = run_answering(&b, &["sync", "undo"], "n\n");
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stdout(&out).contains("Letzter Import: lamsa.kozmos-sync"),
            "{}",
            stdout(&out)
        );
        assert_eq!(names(&b).len(), 4);
        let out = run(&b, &["sync", "undo", "--yes"]);
        assert!(stdout(&out).contains("Rückgängig gemacht"), "{}", stderr(&out));
        assert_eq!(names(&b), ["Deutsch-Vietnamesischer Verein Erfurt"]);
        let history = ok_json(&b, &["sync", "history"]);
        assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
        assert_eq!(history[0]["file_name"], "lamsa.kozmos-sync");
        assert!(
            history[0]["undone_at"].is_string(),
            "the undone import keeps its line: {history}"
        );
        let text = stdout(&run(&b, &["sync", "history"]));
        assert!(text.contains("(rückgängig gemacht am "), "{text}");
        let out = run(&b, &["sync", "undo", "--yes"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("keinen Import, der sich rückgängig machen lässt"),
            "{}",
            stderr(&out)
        );
        let out = run(&b, &["sync", "import", f, "--yes"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(names(&b).len(), 4);
        let found = ok_json(&b, &["associations", "list", "--search", "громада"]);
        assert_eq!(found[0]["name"], "Ukrainische Gemeinde Jena");
        let persons = ok_json(&b, &["persons", "search", "Коваленко"]);
        assert_eq!(persons.as_array().unwrap().len(), 1, "{persons}");

        // The same file again changes nothing and says so.
        let out = run(&b, &["sync", "import", f, "--yes"]);
        assert!(out.status.success());
        let text = stdout(&out);
        assert!(
            text.contains("Schon importiert am") && text.contains("Diese Datei wurde schon importiert"),
            "{text}"
        );
        let again = ok_json(&b, &["sync", "import", f, "--yes"]);
        assert_eq!(again["already_imported"], true);

        // Status, conflicts and history as JSON.
        let status = ok_json(&b, &["sync", "status"]);
        assert_eq!(status["open_conflicts"], 0);
        let site_a = ok_json(&a, &["info"])["site_id"].as_str().unwrap().to_string();
        assert_eq!(status["peers"][0]["site"], site_a.as_str());
        assert_eq!(status["peers"][0]["network"], "lamsa");
        assert_eq!(ok_json(&b, &["sync", "conflicts"]), Value::Array(vec![]));
        assert_eq!(ok_json(&b, &["sync", "conflicts", "--all"]), Value::Array(vec![]));
        let history = ok_json(&b, &["sync", "history"]);
        let history = history.as_array().unwrap();
        assert_eq!(history.len(), 2, "{history:?}");
        assert!(history.iter().all(|e| e["direction"] == "import"));
        assert!(history[0]["undone_at"].is_null() && history[1]["undone_at"].is_string());
        assert_eq!(history[0]["counts"]["new"], rows);
        let exports = ok_json(&a, &["sync", "history"]);
        assert!(exports.as_array().unwrap().iter().all(|e| e["direction"] == "export"));
        let text = stdout(&run(&b, &["sync", "status"]));
        assert!(text.contains("Offene Konflikte: 0") && text.contains(&site_a), "{text}");

        // B's file for A alone carries the one record A lacks (B's own), said in the singular.
        let back = dir.path().join("fuer-lamsa.kozmos-sync");
        let args = [
            "sync",
            "export",
            "--peer",
            &site_a,
            "--profile",
            "all",
            "--yes",
            "--out",
            back.to_str().unwrap(),
        ];
        let text = stdout(&run(&b, &args));
        assert!(text.contains("(1 Eintrag, 39 Felder, 1 KB)"), "{text}");
    }

    #[test]
    fn a_damaged_file_is_refused_in_the_users_language_and_nothing_is_written() {
        let (dir, a) = temp_db();
        let b = dir.path().join("b.sqlite3");
        lamsa(&a);
        migranetz(&b);
        let file = dir.path().join("lamsa.kozmos-sync");
        ok_json(&a, &["sync", "export", "--out", file.to_str().unwrap()]);
        let bytes = std::fs::read(&file).unwrap();
        let damaged = dir.path().join("kaputt.kozmos-sync");
        std::fs::write(&damaged, &bytes[..bytes.len() * 2 / 3]).unwrap();
        let d = damaged.to_str().unwrap();

        for command in ["preview", "import"] {
            let out = run(
                &b,
                &["sync", command, d, "--yes"][..if command == "import" { 4 } else { 3 }],
            );
            assert_eq!(out.status.code(), Some(1), "{command}");
            assert!(out.stdout.is_empty());
            let err = stderr(&out);
            assert!(err.starts_with("Fehler: Die Sync-Datei ist"), "{command}: {err}");
            assert!(err.contains("Bitte kopieren Sie sie erneut"), "{err}");
        }
        let out = run(&b, &["--lang", "en", "sync", "import", d, "--yes"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).starts_with("Error: The sync file is"), "{}", stderr(&out));
        let out = run(&b, &["sync", "import", d, "--yes", "--json"]);
        let payload: Value = serde_json::from_str(stderr(&out).trim()).unwrap();
        assert!(["sync_file_truncated", "sync_file_damaged"].contains(&payload["code"].as_str().unwrap()));
        assert_eq!(payload["field"], "file");

        let pdf = dir.path().join("bericht.kozmos-sync");
        std::fs::write(&pdf, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").unwrap();
        let out = run(&b, &["sync", "import", pdf.to_str().unwrap(), "--yes"]);
        assert!(
            stderr(&out).contains("sieht aus wie ein PDF-Dokument"),
            "{}",
            stderr(&out)
        );
        let missing = dir.path().join("gibt-es-nicht.kozmos-sync");
        let out = run(&b, &["sync", "import", missing.to_str().unwrap(), "--yes"]);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(
            err.starts_with("Fehler: Die Datei") && err.contains("gibt-es-nicht"),
            "{err}"
        );

        assert_eq!(names(&b), ["Deutsch-Vietnamesischer Verein Erfurt"]);
        assert_eq!(ok_json(&b, &["sync", "history"]), Value::Array(vec![]));
        assert!(
            !dir.path().join("backups").exists(),
            "no backup copy for a refused file"
        );
    }

    #[test]
    fn the_shared_folder_brings_two_installations_together() {
        let (dir, a) = temp_db();
        let b = dir.path().join("b.sqlite3");
        lamsa(&a);
        migranetz(&b);
        let shared: PathBuf = dir.path().join("Nextcloud/KOZMOS");
        std::fs::create_dir_all(&shared).unwrap();
        let s = shared.to_str().unwrap();
        let site = |db: &Path| ok_json(db, &["info"])["site_id"].as_str().unwrap().to_string();
        let (site_a, site_b) = (site(&a), site(&b));

        let out = run(&a, &["sync", "folder", "--set", s, "--now", "--yes"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let own_a = shared.join(format!("kozmos-{site_a}.kozmos-sync"));
        assert!(own_a.is_file());
        assert!(stdout(&out).contains(&format!("Eigene Datei: {}", own_a.display())));

        let out = run(&b, &["sync", "folder", "--set", s, "--now", "--yes"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            stdout(&out).contains(own_a.to_str().unwrap()),
            "b previews a's file: {}",
            stdout(&out)
        );
        assert!(shared.join(format!("kozmos-{site_b}.kozmos-sync")).is_file());
        assert_eq!(names(&b).len(), 4, "b imported a's file");

        let out = run(&a, &["sync", "folder", "--now", "--yes"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(names(&a), names(&b), "both have every association");
        let status = ok_json(&a, &["sync", "status"]);
        assert_eq!(status["folder"], s);
        assert_eq!(status["peers"][0]["site"], site_b.as_str());

        // Nothing new in the folder for a: it only writes its own file again and asks nothing.
        let out = run(&a, &["sync", "folder", "--now"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(!stderr(&out).contains("[j/N]"), "{}", stderr(&out));
        let history = ok_json(&a, &["sync", "history"]);
        assert_eq!(
            history
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["direction"] == "import")
                .count(),
            1
        );
    }

    /// The folder file encrypted from the command line: the status says plainly when it is not,
    /// a passphrase is needed and checked, the other side reads it with the same one, and a
    /// passphrase remembered in the keyring (where there is one) is used by later runs.
    #[test]
    fn the_shared_folder_can_be_encrypted() {
        let (dir, a) = temp_db();
        let b = dir.path().join("b.sqlite3");
        lamsa(&a);
        migranetz(&b);
        let shared = dir.path().join("Syncthing");
        std::fs::create_dir_all(&shared).unwrap();
        let s = shared.to_str().unwrap();
        let agreed = dir.path().join("vereinbart.txt");
        std::fs::write(&agreed, "Brücken über die Saale 2026\r\n").unwrap();
        let p = agreed.to_str().unwrap();
        let short = dir.path().join("kurz.txt");
        std::fs::write(&short, "kurz").unwrap();

        let out = run(&a, &["sync", "folder", "--set", s]);
        assert!(stdout(&out).contains("NICHT verschlüsselt"), "{}", stdout(&out));
        for (args, code) in [
            (vec!["--encryption", "on"], "passphrase_missing"),
            (
                vec!["--encryption", "on", "--passphrase-file", short.to_str().unwrap()],
                "passphrase_too_short",
            ),
            (
                vec!["--encryption", "vielleicht", "--passphrase-file", p],
                "encryption_invalid",
            ),
        ] {
            let out = run(&a, &[&["sync", "folder", "--json"], args.as_slice()].concat());
            assert!(!out.status.success());
            assert!(stderr(&out).contains(code), "{args:?}: {}", stderr(&out));
        }
        assert_eq!(
            ok_json(&a, &["sync", "status"])["folder_encrypted"],
            false,
            "nothing changed"
        );

        let out = run(&a, &["sync", "folder", "--encryption", "on", "--passphrase-file", p]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("verschlüsselt") && !stdout(&out).contains("NICHT"));
        let out = run(&a, &["sync", "folder", "--now", "--yes"]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains("--passphrase-file"), "{}", stderr(&out));
        let out = run(&a, &["sync", "folder", "--now", "--yes", "--passphrase-file", p]);
        assert!(out.status.success(), "{}", stderr(&out));

        // b has not switched encryption on: a's file cannot be read without the passphrase.
        let out = run(&b, &["sync", "folder", "--set", s, "--now", "--yes"]);
        assert!(stderr(&out).contains("verschlüsselt"), "{}", stderr(&out));
        assert_eq!(names(&b).len(), 1, "nothing imported");
        let out = run(
            &b,
            &[
                "sync",
                "folder",
                "--encryption",
                "on",
                "--passphrase-file",
                p,
                "--remember",
                "--now",
                "--yes",
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(names(&b).len(), 4, "b read a's encrypted file");
        let keyring = !stderr(&out).contains("Kein Schlüsselbund");
        if std::env::var_os("KOZMOS_EXPECT_KEYRING").is_some() {
            assert!(keyring, "{}", stderr(&out));
        }
        let out = run(&b, &["sync", "folder", "--now", "--yes"]);
        assert_eq!(out.status.success(), keyring, "{}", stderr(&out));
        let out = run(&b, &["sync", "folder", "--encryption", "off"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("NICHT verschlüsselt"));
    }

    /// A file erasing 6 of 20 persons: the preview warns and names them, `--yes` alone is
    /// refused with advice, `--yes --allow-mass-changes` applies.
    #[test]
    fn a_file_erasing_many_persons_needs_allow_mass_changes() {
        let (dir, a) = temp_db();
        let b = dir.path().join("b.sqlite3");
        migranetz(&a);
        ok_json(&b, &["init", "--network", "lamsa", "--volunteer", "Olena Kovalenko"]);
        let club = ok_json(&a, &["associations", "list"])[0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let ids: Vec<String> = (0..20)
            .map(|i| {
                let name = format!("Nguyễn Thị Lan {i:02}");
                let added = ok_json(&a, &["persons", "add", "--association", &club, "--name", &name]);
                added["id"].as_str().unwrap().to_string()
            })
            .collect();
        let file = dir.path().join("alle.kozmos-sync");
        let f = file.to_str().unwrap();
        let export = ["sync", "export", "--profile", "all", "--yes", "--out", f];
        ok_json(&a, &export);
        ok_json(&b, &["sync", "import", f, "--yes"]);
        for id in &ids[..6] {
            ok_json(&a, &["persons", "erase", id, "--yes"]);
        }
        ok_json(&a, &export);

        let out = run(&b, &["sync", "preview", f]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(
            text.contains("ACHTUNG: Diese Datei würde viele Einträge entfernen")
                && text.contains("anonymisiert: 6 von 20 Personen"),
            "{text}"
        );
        assert!(
            text.contains("Nguyễn Thị Lan 00") && text.contains("Nguyễn Thị Lan 05"),
            "erased persons by name: {text}"
        );

        let history = ok_json(&b, &["sync", "history"]);
        let out = run(&b, &["sync", "import", f, "--yes"]);
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        assert!(
            stderr(&out).contains("6 von 20 Personen endgültig löschen")
                && stderr(&out).contains("--allow-mass-changes"),
            "{}",
            stderr(&out)
        );
        assert_eq!(ok_json(&b, &["sync", "history"]), history, "nothing applied");
        assert_eq!(
            ok_json(&b, &["persons", "search", "Nguyễn"]).as_array().unwrap().len(),
            20
        );

        let out = run(&b, &["sync", "import", f, "--yes", "--allow-mass-changes"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("Übernommen."));
        assert_eq!(
            ok_json(&b, &["persons", "search", "Nguyễn"]).as_array().unwrap().len(),
            14
        );
    }
}

mod pdf {
    use super::*;
    use common::pdf::{tools, Pdf};

    fn pdftotext(path: &Path) -> String {
        Pdf::at(path).text()
    }

    /// An installation with two associations, one with a person who agreed to be printed and one
    /// who did not, and a foundation.
    fn register(db: &Path) -> (String, String, String) {
        ok_json(db, &["init", "--network", "lamsa", "--volunteer", "Amira Haddad"]);
        let added = ok_json(
            db,
            &[
                "associations",
                "add",
                "--name",
                "Deutsch-Arabischer Verein Halle",
                "--name-original",
                "الجمعية الألمانية العربية",
                "--city",
                "Halle (Saale)",
                "--district",
                "15002",
                "--network",
                "lamsa",
                "--themes",
                "bildung,sprache",
                "--website",
                "verein-halle.example",
            ],
        );
        let a = added["id"].as_str().unwrap().to_string();
        let other = ok_json(
            db,
            &[
                "associations",
                "add",
                "--name",
                "Ukrainische Gemeinde Halle",
                "--network",
                "lamsa",
            ],
        );
        let b = other["id"].as_str().unwrap().to_string();
        let yes = ok_json(db, &["persons", "add", "--association", &a, "--name", "Rania Haddad"]);
        let yes = yes["id"].as_str().unwrap();
        ok_json(
            db,
            &["persons", "consent", yes, "--purpose", "print", "--status", "given"],
        );
        ok_json(
            db,
            &["persons", "add", "--association", &a, "--name", "Taras Ohnezustimmung"],
        );
        let f = ok_json(
            db,
            &[
                "foundations",
                "add",
                "--name",
                "Bürgerstiftung Halle",
                "--city",
                "Halle (Saale)",
            ],
        );
        (a, b, f["id"].as_str().unwrap().to_string())
    }

    #[test]
    fn a_sheet_is_written_in_german_or_english_with_its_hints() {
        let (dir, db) = temp_db();
        let (a, _, _) = register(&db);
        let de = dir.path().join("steckbrief.pdf");
        let out = run(&db, &["pdf", "association", &a, "-o", de.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            said.starts_with("PDF gespeichert:") && said.contains("1 Seite"),
            "{said}"
        );
        assert!(
            stderr(&out).contains("1 Ansprechperson hat nicht eingewilligt"),
            "{}",
            stderr(&out)
        );
        let en = dir.path().join("profile.pdf");
        let json = ok_json(
            &db,
            &["--lang", "en", "pdf", "association", &a, "-o", en.to_str().unwrap()],
        );
        assert_eq!(json["pages"], 1);
        assert_eq!(json["warnings"][0]["code"], "persons_not_printed");
        if !tools("the sheets' text") {
            return;
        }
        let text = pdftotext(&de);
        assert!(
            text.contains("Deutsch-Arabischer Verein Halle") && text.contains("Rania Haddad"),
            "{text}"
        );
        assert!(text.contains("الجمعية الألمانية العربية"), "{text}");
        assert!(!text.contains("Ohnezustimmung"), "no consent, not printed");
        assert!(text.contains("Stand:"));
        assert!(pdftotext(&en).contains("As of"));
    }

    #[test]
    fn packs_batches_and_contacts() {
        let (dir, db) = temp_db();
        let (a, b, f) = register(&db);
        let pack = dir.path().join("mappe.pdf");
        let ids = format!("{b},{a}");
        let json = ok_json(
            &db,
            &[
                "pdf",
                "pack",
                "--foundation",
                &f,
                "--associations",
                &ids,
                "-o",
                pack.to_str().unwrap(),
            ],
        );
        assert_eq!(json["sheets"], 2);
        assert_eq!(json["pages"], 3);
        if tools("the cover's order") {
            let cover = Pdf::at(&pack).page_text(1);
            let (first, second) = (
                cover.find("Ukrainische Gemeinde Halle").unwrap(),
                cover.find("Deutsch-Arabischer Verein Halle").unwrap(),
            );
            assert!(first < second, "the given order: {cover}");
        }
        let best = dir.path().join("beste.pdf");
        let json = ok_json(
            &db,
            &[
                "pdf",
                "pack",
                "--foundation",
                &f,
                "--best",
                "5",
                "-o",
                best.to_str().unwrap(),
            ],
        );
        assert_eq!(json["sheets"], 2, "both associations fit a foundation without limits");

        let folder = dir.path().join("stapel");
        std::fs::create_dir(&folder).unwrap();
        let json = ok_json(
            &db,
            &["pdf", "batch", "--network", "lamsa", "--dir", folder.to_str().unwrap()],
        );
        assert_eq!(json["files"].as_array().unwrap().len(), 2);
        assert!(folder.join("Deutsch-Arabischer Verein Halle.pdf").is_file());
        let one = dir.path().join("alle.pdf");
        let json = ok_json(
            &db,
            &["pdf", "batch", "--search", "Ukrainische", "-o", one.to_str().unwrap()],
        );
        assert_eq!(json["sheets"], 1);

        let out = run(
            &db,
            &[
                "pdf",
                "contact",
                "lamsa",
                "--organisation",
                "LAMSA e.V.",
                "--email",
                "kein-at",
            ],
        );
        assert!(!out.status.success());
        assert!(stderr(&out).contains("E-Mail"), "{}", stderr(&out));
        let contacts = ok_json(&db, &["pdf", "contacts"]);
        assert_eq!(contacts[0]["configured"], false, "nothing saved");
        ok_json(
            &db,
            &[
                "pdf",
                "contact",
                "lamsa",
                "--organisation",
                "LAMSA e.V. – KOZMOS",
                "--person",
                "Mamad Mohamad",
            ],
        );
        let sheet = dir.path().join("mit-kontakt.pdf");
        ok_json(&db, &["pdf", "association", &b, "-o", sheet.to_str().unwrap()]);
        if tools("the contact on the sheet") {
            assert!(pdftotext(&sheet).contains("Mamad Mohamad"));
        }
    }

    #[test]
    fn bad_requests_say_why_and_write_no_file() {
        let (dir, db) = temp_db();
        let (_, _, f) = register(&db);
        let target = dir.path().join("nichts.pdf");
        let t = target.to_str().unwrap();
        for (args, says) in [
            (
                vec!["pdf", "association", "gibt-es-nicht", "-o", t],
                "wurde nicht gefunden",
            ),
            (
                vec!["pdf", "pack", "--foundation", "nope", "--associations", "x", "-o", t],
                "nicht gefunden",
            ),
            (vec!["pdf", "pack", "--foundation", &f, "-o", t], "--associations"),
            (
                vec!["pdf", "batch", "--search", "keinsolcherverein", "-o", t],
                "keinen Verein",
            ),
            (vec!["pdf", "contact", "<b>", "--organisation", "x"], "kein Netzwerk"),
        ] {
            let out = run(&db, &args);
            assert!(!out.status.success(), "{args:?}");
            assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
            assert!(!target.exists(), "{args:?} wrote a file");
        }
        let into_missing = dir.path().join("fehlt/datei.pdf");
        let out = run(&db, &["pdf", "batch", "--dir", into_missing.to_str().unwrap()]);
        assert!(
            !out.status.success() && stderr(&out).contains("gibt es nicht"),
            "{}",
            stderr(&out)
        );
    }
}

mod backup {
    use super::{ok_json, run, stderr, temp_db};

    fn count(db: &std::path::Path) -> usize {
        ok_json(db, &["associations", "list"]).as_array().unwrap().len()
    }

    #[test]
    fn create_list_restore_and_keep() {
        let (dir, db) = temp_db();
        ok_json(&db, &["init", "--network", "lamsa", "--volunteer", "Nguyễn Thị Lan"]);
        ok_json(&db, &["associations", "add", "--name", "Verein Erfurt"]);
        let made = ok_json(&db, &["backup", "create"]);
        assert_eq!(made["reason"], "manuell");
        ok_json(&db, &["associations", "add", "--name", "Später e.V."]);

        let list = run(&db, &["backup", "list"]);
        assert!(list.status.success());
        let text = String::from_utf8_lossy(&list.stdout);
        assert!(text.contains("manuell") && text.contains("14 automatische"), "{text}");

        // Without --yes and without an answer nothing happens.
        let path = made["path"].as_str().unwrap();
        let asked = run(&db, &["backup", "restore", path]);
        assert!(!asked.status.success());
        assert!(stderr(&asked).contains("Abgebrochen"), "{}", stderr(&asked));
        assert_eq!(count(&db), 2);

        let restored = run(&db, &["backup", "restore", path, "--yes"]);
        assert!(restored.status.success(), "{}", stderr(&restored));
        assert!(String::from_utf8_lossy(&restored.stdout).contains("Wiederhergestellt"));
        assert_eq!(count(&db), 1);
        let overview = ok_json(&db, &["backup", "list"]);
        assert!(overview["backups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["reason"] == "vor-wiederherstellung"));

        // A text file is refused with a clear message; the data stay.
        let text_file = dir.path().join("notiz.txt");
        std::fs::write(&text_file, "keine Datenbank").unwrap();
        let refused = run(&db, &["backup", "restore", text_file.to_str().unwrap(), "--yes"]);
        assert!(!refused.status.success());
        assert!(
            stderr(&refused).contains("keine KOZMOS-Sicherung"),
            "{}",
            stderr(&refused)
        );
        assert_eq!(count(&db), 1);

        assert_eq!(ok_json(&db, &["backup", "keep", "5"])["keep"], 5);
        let bad = run(&db, &["backup", "keep", "0"]);
        assert!(!bad.status.success());
        assert!(stderr(&bad).contains("1 bis 365"), "{}", stderr(&bad));
    }

    #[test]
    fn an_encrypted_backup_needs_its_passphrase() {
        let (dir, db) = temp_db();
        ok_json(&db, &["associations", "add", "--name", "Verein"]);
        let secret = dir.path().join("pass.txt");
        std::fs::write(&secret, "Grüße-aus-Jena-Sicherung-42\n").unwrap();
        let made = ok_json(&db, &["backup", "create", "--encrypt", secret.to_str().unwrap()]);
        assert_eq!(made["encrypted"], true);
        let path = made["path"].as_str().unwrap();
        let without = run(&db, &["backup", "restore", path, "--yes"]);
        assert!(stderr(&without).contains("verschlüsselt"), "{}", stderr(&without));
        // The same passphrase as Windows Notepad saves it: with a byte order mark, or in "ANSI"
        // (Windows-1252), each with CRLF.
        let ansi: Vec<u8> = b"Gr\xfc\xdfe-aus-Jena-Sicherung-42\r\n".to_vec();
        let bom = [b"\xef\xbb\xbf".as_slice(), "Grüße-aus-Jena-Sicherung-42\r\n".as_bytes()].concat();
        for (name, bytes) in [
            ("pass.txt", None),
            ("notepad-bom.txt", Some(bom)),
            ("notepad-ansi.txt", Some(ansi)),
        ] {
            let file = dir.path().join(name);
            if let Some(bytes) = bytes {
                std::fs::write(&file, bytes).unwrap();
            }
            let ok = run(
                &db,
                &[
                    "backup",
                    "restore",
                    path,
                    "--passphrase-file",
                    file.to_str().unwrap(),
                    "--yes",
                ],
            );
            assert!(ok.status.success(), "{name}: {}", stderr(&ok));
        }
        let wrong = dir.path().join("wrong.txt");
        std::fs::write(&wrong, "Grusse-aus-Jena-Sicherung-42").unwrap();
        let refused = run(
            &db,
            &[
                "backup",
                "restore",
                path,
                "--passphrase-file",
                wrong.to_str().unwrap(),
                "--yes",
            ],
        );
        assert!(
            stderr(&refused).contains("Das Passwort passt nicht"),
            "{}",
            stderr(&refused)
        );
    }
}

mod privacy {
    use super::*;

    fn person(db: &Path) -> String {
        ok_json(db, &["init", "--network", "migranetz", "--volunteer", "Anna Schmidt"]);
        let a = ok_json(db, &["associations", "add", "--name", "Ukrainischer Verein Jena"]);
        let p = ok_json(
            db,
            &[
                "persons",
                "add",
                "--association",
                a["id"].as_str().unwrap(),
                "--name",
                "Olena Kovalenko",
                "--name-original",
                "Олена Коваленко",
                "--email",
                "olena@verein-jena.example",
            ],
        );
        p["id"].as_str().unwrap().to_string()
    }

    #[test]
    fn access_record_and_retention_from_the_command_line() {
        let (dir, db) = temp_db();
        let id = person(&db);
        let access = |format: &str| {
            let path = dir.path().join(format!("auskunft.{format}"));
            let args = [
                "privacy",
                "access",
                &id,
                "--format",
                format,
                "--out",
                path.to_str().unwrap(),
            ];
            let out = run(&db, &args);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            assert!(String::from_utf8_lossy(&out.stdout).starts_with("Gespeichert:"));
            std::fs::read(&path).unwrap()
        };
        let export: Value = serde_json::from_slice(&access("json")).unwrap();
        assert_eq!(export["person"]["name_original"], "Олена Коваленко");
        assert!(access("pdf").starts_with(b"%PDF"));

        let record = dir.path().join("record.pdf");
        let out = run(
            &db,
            &["privacy", "record", "--out", record.to_str().unwrap(), "--lang", "en"],
        );
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("Saved:"));

        // Nobody is due (just created); the period given is kept.
        let out = run(&db, &["privacy", "retention", "--years", "5"]);
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("0 Personen ohne Aktivität seit 5 Jahren"));
        assert_eq!(ok_json(&db, &["privacy", "retention"])["years"], 5);
    }

    #[test]
    fn bad_input_is_refused_with_a_message_and_changes_nothing() {
        let (dir, db) = temp_db();
        let id = person(&db);
        let out_file = dir.path().join("x.json");
        let out = run(
            &db,
            &["privacy", "access", "no-such-id", "--out", out_file.to_str().unwrap()],
        );
        assert!(!out.status.success());
        assert!(!out_file.exists(), "no file for an unknown person");
        for years in ["0", "drei", "100000000000000000000", "-1"] {
            let out = run(&db, &["privacy", "retention", &format!("--years={years}")]);
            assert!(!out.status.success(), "{years}");
            assert!(
                String::from_utf8_lossy(&out.stderr).contains("ganze Zahl von 1 bis 30"),
                "{years}"
            );
        }
        let out = run(&db, &["privacy", "retention", "--erase"]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
        assert_eq!(ok_json(&db, &["persons", "show", &id])["life"], "alive");
    }
}

mod duplicates {
    use super::*;

    fn text(db: &Path, args: &[&str]) -> String {
        let out = run(db, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn list_preview_merge_and_the_old_id_leads_to_the_survivor() {
        let (_dir, db) = temp_db();
        let keep = ok_json(
            &db,
            &[
                "associations",
                "add",
                "--name",
                "Syrischer Verein Halle-Süd",
                "--city",
                "Halle",
            ],
        );
        let other = ok_json(
            &db,
            &[
                "associations",
                "add",
                "--name",
                "SYRISCHER VEREIN HALLE-SUED e.V.",
                "--city",
                "Halle",
                "--email",
                "post@svh.example",
            ],
        );
        let (keep, other) = (keep["id"].as_str().unwrap(), other["id"].as_str().unwrap());
        let list = text(&db, &["duplicates"]);
        assert!(list.contains("Gleicher Name im selben Ort: Halle"), "{list}");
        assert!(list.contains("Mögliche Dubletten: 1"), "{list}");
        let en = text(&db, &["--lang", "en", "duplicates", "--kind", "associations"]);
        assert!(en.contains("Same name in the same town: Halle"), "{en}");
        assert_eq!(ok_json(&db, &["duplicates", "--kind", "persons"])["total"], 0);

        // Without --yes only the preview; nothing merged.
        let preview = text(&db, &["merge", keep, other, "--take", "name"]);
        assert!(
            preview.contains("* andere: SYRISCHER VEREIN HALLE-SUED e.V."),
            "{preview}"
        );
        assert!(preview.contains("* andere: post@svh.example"), "{preview}");
        assert_eq!(ok_json(&db, &["duplicates"])["total"], 1);

        let bad = run(&db, &["merge", keep, other, "--take", "<b>", "--yes"]);
        assert!(!bad.status.success() && stderr(&bad).contains("Unbekanntes Feld"));
        let same = run(&db, &["--lang", "en", "merge", keep, keep, "--yes"]);
        assert!(stderr(&same).contains("cannot be merged with or compared to itself"));

        let merged = ok_json(&db, &["merge", keep, other, "--yes"]);
        assert_eq!(merged["survivor"], keep);
        assert_eq!(
            ok_json(&db, &["associations", "show", keep])["email"],
            "post@svh.example"
        );
        let shown = text(&db, &["associations", "show", other]);
        assert!(
            shown.contains(&format!("{other} wurde zusammengeführt mit {keep}")),
            "{shown}"
        );
        assert_eq!(ok_json(&db, &["duplicates"])["total"], 0);
    }

    #[test]
    fn a_pair_can_be_dismissed_and_shown_again() {
        let (_dir, db) = temp_db();
        let a = ok_json(
            &db,
            &["associations", "add", "--name", "Kulturbrücke Gera", "--city", "Gera"],
        );
        let b = ok_json(
            &db,
            &[
                "associations",
                "add",
                "--name",
                "Kulturbrücke Gera e.V.",
                "--city",
                "Gera",
            ],
        );
        let (a, b) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
        text(&db, &["duplicates", "--dismiss", a, b]);
        assert_eq!(ok_json(&db, &["duplicates"])["total"], 0);
        text(&db, &["duplicates", "--undismiss", b, a]);
        assert_eq!(ok_json(&db, &["duplicates"])["total"], 1);
        let bad = run(&db, &["duplicates", "--kind", "vereine-und-so"]);
        assert!(!bad.status.success() && stderr(&bad).contains("Art unbekannt"));
    }
}

mod import {
    use super::*;

    #[test]
    fn import_previews_without_yes_writes_with_it_and_exports_the_list_again() {
        let (dir, db) = temp_db();
        let file = dir.path().join("vereine.csv");
        let text = "Verein;Postleitzahl;Ort;Homepage\r\nBrücke e.V.;06108;Halle;www.bruecke.de\r\nKaputt;123;;\r\n";
        std::fs::write(&file, encoding_rs::WINDOWS_1252.encode(text).0).unwrap();
        let rejected = dir.path().join("abgelehnt.csv");
        let args = ["import", file.to_str().unwrap(), "--kind", "associations"];
        let out = run(&db, &args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains("Homepage → Website") && stdout.contains("Neu: 1") && stdout.contains("Abgelehnt: 1"));
        assert!(stdout.contains("Zeile 3: PLZ"), "{stdout}");
        assert!(stdout.contains("nichts wurde geschrieben"));
        assert_eq!(ok_json(&db, &["associations", "list"]), serde_json::json!([]));

        let mut yes = args.to_vec();
        yes.extend(["--yes", "--mapping", "Ort=-", "--rejected", rejected.to_str().unwrap()]);
        let result = ok_json(&db, &yes);
        assert_eq!(result["counts"]["create"], 1);
        assert!(std::path::Path::new(result["backup"].as_str().unwrap()).exists());
        let list = ok_json(&db, &["associations", "list"]);
        assert_eq!(list[0]["name"], "Brücke e.V.");
        assert_eq!(list[0]["city"], Value::Null, "the skipped column was not imported");
        let report = std::fs::read_to_string(&rejected).unwrap();
        assert!(report.contains("Kaputt;123") && report.contains("Grund der Ablehnung"));

        let out_file = dir.path().join("export.xlsx");
        let out = run(
            &db,
            &[
                "--lang",
                "en",
                "export",
                "associations",
                "--format",
                "xlsx",
                "--out",
                out_file.to_str().unwrap(),
                "--search",
                "Brücke",
            ],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("Saved:"));
        let bytes = std::fs::read(&out_file).unwrap();
        assert!(bytes.starts_with(b"PK"));
        let again = run(
            &db,
            &["import", out_file.to_str().unwrap(), "--kind", "associations", "--json"],
        );
        let preview: Value = serde_json::from_slice(&again.stdout).unwrap();
        assert_eq!(preview["counts"]["unchanged"], 1);
    }

    #[test]
    fn a_broken_file_or_a_bad_mapping_fails_in_the_users_language() {
        let (dir, db) = temp_db();
        let file = dir.path().join("kaputt.csv");
        std::fs::write(&file, b"\x00\x01\x02garbage").unwrap();
        let out = run(
            &db,
            &["--lang", "en", "import", file.to_str().unwrap(), "--kind", "persons"],
        );
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("not a spreadsheet"));
        std::fs::write(&file, "Name\nA\n").unwrap();
        let out = run(
            &db,
            &[
                "import",
                file.to_str().unwrap(),
                "--kind",
                "persons",
                "--mapping",
                "Name=gehalt",
            ],
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("kein Feld"));
    }
}

/// An import that writes nothing says so, with why, instead of "Importiert".
#[test]
fn an_import_that_writes_nothing_says_nothing_was_imported() {
    let (dir, db) = temp_db();
    ok_json(&db, &["init", "--network", "lamsa", "--volunteer", "Amira Haddad"]);
    let csv = dir.path().join("vereine.csv");
    // Every row names an unknown theme: all rejected.
    let rows: String = (0..140).map(|i| format!("Verein {i:03};Jena;keinthema\n")).collect();
    std::fs::write(&csv, format!("Name;Ort;Themen\n{rows}")).unwrap();
    let args = ["import", csv.to_str().unwrap(), "--kind", "associations", "--yes"];
    let out = run(&db, &args);
    let text = stdout_of(&out);
    assert!(text.contains("Nichts importiert: 140 Zeilen abgelehnt."), "{text}");
    assert!(!text.contains("Importiert."), "{text}");
    let out = kozmos("en_GB.UTF-8").arg("--db").arg(&db).args(&args[..4]).finish();
    assert!(
        stdout_of(&out).contains("Nothing to import: 140 rows rejected."),
        "{}",
        stdout_of(&out)
    );
    // One good row: imported. The list exported and read back: unchanged, nothing imported.
    std::fs::write(&csv, "Name;Ort\nVerein Brücke;Jena\n").unwrap();
    assert!(stdout_of(&run(&db, &args)).contains("Importiert."));
    let list = dir.path().join("liste.csv");
    let out = run(&db, &["export", "associations", "--out", list.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let back = ["import", list.to_str().unwrap(), "--kind", "associations", "--yes"];
    let again = stdout_of(&run(&db, &back));
    assert!(again.contains("Nichts importiert: eine Zeile unverändert."), "{again}");
    let listed = ok_json(&db, &["associations", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

/// A restore never replaces the database under another KOZMOS process: while one `kozmos`
/// process has the database open (here waiting at its question, in a cloud folder where SQLite
/// leaves no WAL files to tell), a restore in a second process is refused and nothing changes;
/// once it ends, the restore goes through. A process started while a restore holds the database
/// is told to wait.
#[test]
fn a_restore_waits_for_every_other_kozmos_process() {
    use std::io::{Read, Write as _};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("Dropbox").join("kozmos.sqlite3");
    ok_json(&db, &["init", "--network", "lamsa", "--volunteer", "Amira Haddad"]);
    ok_json(&db, &["associations", "add", "--name", "Vor der Sicherung"]);
    let backup = ok_json(&db, &["backup", "create"]);
    let backup = backup["path"].as_str().unwrap().to_string();
    ok_json(&db, &["associations", "add", "--name", "Nach der Sicherung"]);

    // The first process asks before restoring and holds the database meanwhile.
    let mut first = kozmos("de_DE.UTF-8")
        .arg("--db")
        .arg(&db)
        .args(["backup", "restore", &backup])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .start();
    let mut asked = Vec::new();
    let mut question = first.stderr.take().unwrap();
    while !String::from_utf8_lossy(&asked).contains("Fortfahren?") {
        let mut byte = [0u8; 1];
        assert_eq!(question.read(&mut byte).unwrap(), 1, "the first process ended early");
        asked.push(byte[0]);
    }
    let second = run(&db, &["backup", "restore", &backup, "--yes"]);
    assert!(!second.status.success(), "{}", stdout_of(&second));
    let message = stderr(&second);
    assert!(
        message.contains("ist noch in einem anderen Programm geöffnet")
            && message.contains("Es wurde nichts geändert."),
        "{message}"
    );
    let names = |listed: Value| -> Vec<String> {
        let mut n: Vec<String> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().into())
            .collect();
        n.sort();
        n
    };
    assert_eq!(
        names(ok_json(&db, &["associations", "list"])),
        ["Nach der Sicherung", "Vor der Sicherung"]
    );
    first.stdin.take().unwrap().write_all(b"n\n").unwrap();
    first.wait().unwrap();

    // A process that starts while a restore holds the database exclusively is asked to wait.
    let restoring = kozmos_core::lock::DbLock::shared(&db).unwrap();
    restoring.exclusive().unwrap();
    let waiting = run(&db, &["associations", "list"]);
    assert!(!waiting.status.success());
    assert!(
        stderr(&waiting).contains("Bitte warten: Eine Sicherung wird gerade wiederhergestellt."),
        "{}",
        stderr(&waiting)
    );
    drop(restoring);

    let restored = run(&db, &["backup", "restore", &backup, "--yes"]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert_eq!(names(ok_json(&db, &["associations", "list"])), ["Vor der Sicherung"]);
}
