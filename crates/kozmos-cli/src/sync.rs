//! `kozmos sync …`: export, preview, import, status, conflicts, history, shared folder.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::print::Printer;
use kozmos_core::error::{Error, Result};
use kozmos_core::store::Outcome;
use kozmos_core::sync::detail::{Detail, PAGE_RECORDS};
use kozmos_core::sync::export::{self, ExportOptions};
use kozmos_core::sync::file::{self, Passphrase, Verified};
use kozmos_core::sync::import::{self, ClockLevel, ImportOptions, Preview, PreviewRecord};
use kozmos_core::sync::profile::{left_out_label, Profile};
use kozmos_core::sync::{conflicts, folder, folder_secret, history, mass, passphrase, status, undo};
use kozmos_core::Kozmos;

#[derive(Subcommand, Debug)]
pub enum SyncCommand {
    /// Write a sync file: full, or incremental for a peer (what it has not reported having).
    Export {
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
        /// Site id of the installation the file is for (incremental).
        #[arg(long, value_name = "SITE")]
        peer: Option<String>,
        #[arg(long, default_value = "consented", value_name = "no-persons|consented|all")]
        profile: String,
        /// Encrypt with the passphrase in this file (age format, scrypt).
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// Confirms the profile "all" (every person's data) without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Show what importing a sync file would do; writes nothing.
    Preview {
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// List every record the file would change (not only the first 100).
        #[arg(long, conflicts_with = "page")]
        all_records: bool,
        /// List page N (from 1) of the records, 100 per page.
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        page: Option<i64>,
    },
    /// Import a sync file: shows the preview and asks; --yes applies without asking.
    Import {
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        #[arg(long)]
        yes: bool,
        /// Import even though the file's clock lies more than 24 hours ahead.
        #[arg(long)]
        accept_clock: bool,
        /// Apply a file that deletes, erases or restores many records (see the preview's warning).
        #[arg(long)]
        allow_mass_changes: bool,
        /// List every record the file would change before asking (not only the first 100).
        #[arg(long)]
        all_records: bool,
    },
    /// Undo the last import (until the next import, an erasure or a restore): asks; --yes undoes without asking.
    Undo {
        #[arg(long)]
        yes: bool,
    },
    /// This installation, the peers heard from, open conflicts, the shared folder.
    Status,
    /// Concurrent edits that lost a merge; --restore ID brings a losing value back, --seen ID files one away.
    Conflicts {
        /// Also those marked as seen.
        #[arg(long)]
        all: bool,
        #[arg(long, value_name = "ID", conflicts_with = "seen")]
        restore: Option<i64>,
        #[arg(long, value_name = "ID")]
        seen: Option<i64>,
    },
    /// Every export and import.
    History {
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// The shared folder: --set DIR chooses it, --now writes our file there and imports the others' (asks).
    Folder {
        #[arg(long, value_name = "DIR")]
        set: Option<PathBuf>,
        #[arg(long, value_name = "no-persons|consented|all")]
        profile: Option<String>,
        /// Encrypt our file in the folder (needs --passphrase-file) or stop encrypting it.
        #[arg(long, value_name = "on|off")]
        encryption: Option<String>,
        /// The folder's passphrase; without it, the one in the computer's keyring.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// Store the passphrase in the computer's keyring for later runs and the app.
        #[arg(long)]
        remember: bool,
        /// Remove the passphrase from the computer's keyring.
        #[arg(long)]
        forget_passphrase: bool,
        #[arg(long)]
        now: bool,
        #[arg(long)]
        yes: bool,
        /// Apply files that delete, erase or restore many records (see the preview's warning).
        #[arg(long)]
        allow_mass_changes: bool,
    },
}

pub async fn execute(k: &Kozmos, command: SyncCommand, printer: &Printer, out: &mut impl Write) -> Result<()> {
    let store = &k.store;
    match command {
        SyncCommand::Export {
            out: path,
            peer,
            profile,
            passphrase_file,
            yes,
        } => {
            let profile = Profile::parse(&profile)?;
            if profile == Profile::All
                && !yes
                && !ask(
                    printer,
                    "Alle personenbezogenen Daten exportieren?",
                    "Export all personal data?",
                )?
            {
                return Err(cancelled());
            }
            let passphrase = match passphrase_file {
                Some(f) => {
                    let secret = read_passphrase(&f)?;
                    passphrase::check(&secret)?;
                    let s = passphrase::strength(&secret);
                    if s.score < 3 {
                        eprintln!("{}", printer.de_en(&s.hint_de, &s.hint_en));
                    }
                    Some(Passphrase {
                        secret,
                        work_factor: None,
                    })
                }
                None => None,
            };
            let options = ExportOptions {
                peer,
                profile,
                passphrase,
            };
            let summary = export::to_file(store, &options, &path).await?;
            if printer.json {
                return printer.json_value(out, &summary);
            }
            writeln!(
                out,
                "{}: {} ({}, {}, {} KB{})",
                printer.de_en("Geschrieben", "Written"),
                path.display(),
                printer.count(summary.rows, ["Eintrag", "Einträge"], ["record", "records"]),
                printer.count(summary.fields, ["Feld", "Felder"], ["field", "fields"]),
                summary.bytes.div_ceil(1024),
                if summary.encrypted {
                    printer.de_en(", verschlüsselt", ", encrypted")
                } else {
                    ""
                }
            )
            .map_err(Error::from)?;
            for code in &summary.left_out {
                writeln!(
                    out,
                    "{}: {}",
                    printer.de_en("Nicht enthalten", "Left out"),
                    left_out_label(code, printer.lang)
                )
                .map_err(Error::from)?;
            }
            Ok(())
        }
        SyncCommand::Preview {
            file,
            passphrase_file,
            all_records,
            page,
        } => {
            let verified = open(&file, passphrase_file.as_deref())?;
            let (preview, detail) = import::preview_with_detail(store, &verified).await?;
            match page {
                Some(n) => print_page(printer, out, &preview, &detail, n),
                None if all_records => print_preview(printer, out, &with_all_records(preview, &detail)),
                None => print_preview(printer, out, &preview),
            }
        }
        SyncCommand::Import {
            file,
            passphrase_file,
            yes,
            accept_clock,
            allow_mass_changes,
            all_records,
        } => {
            let verified = open(&file, passphrase_file.as_deref())?;
            let (preview, detail) = import::preview_with_detail(store, &verified).await?;
            if !printer.json {
                if all_records {
                    print_preview(printer, out, &with_all_records(preview.clone(), &detail))?;
                } else {
                    print_preview(printer, out, &preview)?;
                }
            }
            drop(detail);
            let accept_clock = accept_clock
                || (preview.clock.level == ClockLevel::Confirm
                    && !yes
                    && ask(printer, "Trotzdem importieren?", "Import anyway?")?);
            if !preview.mass_changes.is_empty() && !allow_mass_changes {
                return Err(mass::refusal_saying(
                    &preview.mass_changes,
                    "wenn diese Einträge wirklich entfernt werden sollen, rufen Sie den Befehl zusätzlich mit --allow-mass-changes auf",
                    "if these records are really meant to go, run the command again with --allow-mass-changes",
                ));
            }
            if preview.already_imported.is_none() && !yes && !ask(printer, "Jetzt übernehmen?", "Apply now?")? {
                return Err(cancelled());
            }
            let options = ImportOptions {
                accept_clock_ahead: accept_clock,
                file_name: file.file_name().map(|n| n.to_string_lossy().to_string()),
                backup_dir: Some(k.backup_dir()),
                allow_mass_changes,
                ..ImportOptions::default()
            };
            let result = import::apply(store, &verified, &options).await?;
            if printer.json {
                return printer.json_value(out, &result);
            }
            let message = if result.already_imported {
                printer.de_en(
                    "Diese Datei wurde schon importiert; es hat sich nichts geändert.",
                    "This file was imported before; nothing changed.",
                )
            } else if result.counts.is_empty() {
                printer.de_en("Übernommen; es gab nichts Neues.", "Applied; there was nothing new.")
            } else {
                printer.de_en("Übernommen.", "Applied.")
            };
            writeln!(out, "{message}").map_err(Error::from)?;
            if let Some(backup) = result.backup {
                writeln!(out, "{}: {backup}", printer.de_en("Sicherungskopie", "Backup copy")).map_err(Error::from)?;
            }
            if result.undoable {
                let hint = printer.de_en(
                    "Rückgängig machen lässt sich der Import mit „kozmos sync undo“.",
                    "To undo the import: “kozmos sync undo”.",
                );
                writeln!(out, "{hint}").map_err(Error::from)?;
            }
            Ok(())
        }
        SyncCommand::Undo { yes } => {
            let Some(last) = undo::last(store).await? else {
                return Err(undo::nothing_to_undo());
            };
            if !printer.json {
                let from = last.file_name.as_deref().or(last.peer.as_deref()).unwrap_or("?");
                let what = printer.de_en("Letzter Import", "Last import");
                writeln!(out, "{what}: {from}, {}", last.at).map_err(Error::from)?;
            }
            if !yes && !ask(printer, "Diesen Import rückgängig machen?", "Undo this import?")? {
                return Err(cancelled());
            }
            let undone = undo::undo_last(store).await?;
            if printer.json {
                return printer.json_value(out, &undone);
            }
            let message = printer.de_en(
                "Rückgängig gemacht: alles ist wie vor dem Import. Die Datei lässt sich erneut importieren.",
                "Undone: everything is as before the import. The file can be imported again.",
            );
            writeln!(out, "{message}").map_err(Error::from)?;
            Ok(())
        }
        SyncCommand::Status => {
            let s = status::status(store).await?;
            if printer.json {
                return printer.json_value(out, &s);
            }
            writeln!(out, "{}: {}", printer.de_en("Installation", "Site id"), s.site).map_err(Error::from)?;
            writeln!(
                out,
                "{}: {}",
                printer.de_en("Offene Konflikte", "Open conflicts"),
                s.open_conflicts
            )
            .map_err(Error::from)?;
            writeln!(
                out,
                "{}: {}",
                printer.de_en("Gemeinsamer Ordner", "Shared folder"),
                s.folder.as_deref().unwrap_or("–")
            )
            .map_err(Error::from)?;
            for peer in &s.peers {
                writeln!(
                    out,
                    "{} {} ({}): {} {}",
                    printer.de_en("Gegenstelle", "Peer"),
                    peer.site,
                    peer.network.as_deref().unwrap_or("?"),
                    printer.de_en("zuletzt", "last file"),
                    peer.last_seen
                )
                .map_err(Error::from)?;
            }
            Ok(())
        }
        SyncCommand::Conflicts { all, restore, seen } => {
            if let Some(id) = restore {
                conflicts::restore(store, id).await?;
            }
            if let Some(id) = seen {
                conflicts::mark_seen(store, id).await?;
            }
            let list = conflicts::list(store, all).await?;
            if printer.json {
                return printer.json_value(out, &list);
            }
            if list.is_empty() {
                writeln!(
                    out,
                    "{}",
                    printer.de_en("Keine offenen Konflikte.", "No open conflicts.")
                )
                .map_err(Error::from)?;
            }
            for c in &list {
                writeln!(
                    out,
                    "#{} {} „{}“ {}: {} „{}“ ({} {}) – {} „{}“ ({} {})",
                    c.id,
                    c.table,
                    c.label,
                    c.field,
                    printer.de_en("behalten", "kept"),
                    c.kept,
                    c.kept_site,
                    c.kept_at,
                    printer.de_en("verloren", "lost"),
                    c.lost,
                    c.lost_site,
                    c.lost_at
                )
                .map_err(Error::from)?;
            }
            Ok(())
        }
        SyncCommand::History { limit } => {
            let entries = history::list(store, limit).await?;
            if printer.json {
                return printer.json_value(out, &entries);
            }
            for e in &entries {
                let undone = match &e.undone_at {
                    Some(at) => format!(" ({} {at})", printer.de_en("rückgängig gemacht am", "undone on")),
                    None => String::new(),
                };
                writeln!(
                    out,
                    "{} {} {} {} {} {}{undone}",
                    e.at,
                    e.direction,
                    e.peer.as_deref().unwrap_or("–"),
                    e.profile,
                    e.counts,
                    &e.file_sha256[..16.min(e.file_sha256.len())]
                )
                .map_err(Error::from)?;
            }
            Ok(())
        }
        SyncCommand::Folder {
            set,
            profile,
            encryption,
            passphrase_file,
            remember,
            forget_passphrase,
            now,
            yes,
            allow_mass_changes,
        } => {
            let current = status::status(store).await?;
            if set.is_some() || profile.is_some() {
                let profile = profile
                    .map(|p| Profile::parse(&p))
                    .transpose()?
                    .unwrap_or(current.folder_profile);
                let dir = set.or(current.folder.map(PathBuf::from));
                folder::set(store, dir.as_deref(), profile).await?;
            }
            let typed = passphrase_file.as_deref().map(read_passphrase).transpose()?;
            let site = store.site_id();
            if forget_passphrase {
                folder_secret::forget(site);
            }
            match encryption.as_deref() {
                None => {
                    if let Some(secret) = &typed {
                        folder::check_passphrase(store, secret).await?;
                    }
                }
                Some("on") => {
                    let secret = typed.as_deref().ok_or_else(|| {
                        Error::invalid(
                            "passphrase",
                            "passphrase_missing",
                            "Bitte geben Sie mit --passphrase-file die Passphrase an, die Sie mit der anderen Seite vereinbart haben.",
                            "Please give the passphrase agreed with the other side with --passphrase-file.",
                        )
                    })?;
                    passphrase::check(secret)?;
                    folder::set_encrypted(store, true).await?;
                }
                Some("off") => {
                    folder::set_encrypted(store, false).await?;
                    folder_secret::forget(site);
                }
                Some(other) => {
                    return Err(Error::invalid(
                        "encryption",
                        "encryption_invalid",
                        format!("„{other}“ ist kein gültiger Wert für --encryption: on oder off."),
                        format!("\"{other}\" is not a valid value for --encryption: on or off."),
                    ))
                }
            }
            if remember {
                if let Some(secret) = &typed {
                    if folder_secret::remember(site, secret) == folder_secret::Kept::Session {
                        eprintln!(
                            "{}",
                            printer.de_en(
                                "Kein Schlüsselbund verfügbar: die Passphrase wurde nicht gespeichert.",
                                "No keyring available: the passphrase was not stored."
                            )
                        );
                    }
                }
            }
            if !now {
                let s = status::status(store).await?;
                return if printer.json {
                    printer.json_value(out, &s)
                } else {
                    writeln!(
                        out,
                        "{}: {} ({}, {})",
                        printer.de_en("Gemeinsamer Ordner", "Shared folder"),
                        s.folder.as_deref().unwrap_or("–"),
                        s.folder_profile.as_str(),
                        if s.folder_encrypted {
                            printer.de_en("verschlüsselt", "encrypted")
                        } else {
                            printer.de_en(
                                "NICHT verschlüsselt: wer den Ordner lesen kann, liest alle Daten darin",
                                "NOT encrypted: whoever can read the folder reads all data in it",
                            )
                        }
                    )
                    .map_err(Error::from)
                };
            }
            let secret = typed.or_else(|| folder_secret::recall(site));
            // The core asks for the passphrase; here it is given as a flag.
            let sync = folder::sync_now(store, secret.as_deref()).await.map_err(|e| match e.code() {
                "sync_folder_passphrase_needed" => Error::invalid(
                    "passphrase",
                    "sync_folder_passphrase_needed",
                    "Die Datei im gemeinsamen Ordner wird verschlüsselt. Bitte geben Sie die Passphrase mit --passphrase-file DATEI an (mit --remember merkt sich dieser Computer sie im Schlüsselbund).",
                    "The file in the shared folder is encrypted. Please give the passphrase with --passphrase-file FILE (with --remember this computer keeps it in its keyring).",
                ),
                _ => e,
            })?;
            if printer.json && !yes {
                return printer.json_value(out, &sync);
            }
            for incoming in &sync.incoming {
                let Some(preview) = &incoming.preview else {
                    let message = incoming
                        .error
                        .as_ref()
                        .map(|e| printer.de_en(&e.message_de, &e.message_en).to_string());
                    eprintln!("{}: {}", incoming.path, message.unwrap_or_default());
                    continue;
                };
                if !printer.json {
                    writeln!(out, "{}", incoming.path).map_err(Error::from)?;
                    print_preview(printer, out, preview)?;
                }
                if !preview.mass_changes.is_empty() && !allow_mass_changes {
                    let refused = mass::refusal_saying(
                        &preview.mass_changes,
                        "wenn diese Einträge wirklich entfernt werden sollen, rufen Sie den Befehl zusätzlich mit --allow-mass-changes auf",
                        "if these records are really meant to go, run the command again with --allow-mass-changes",
                    );
                    eprintln!("{}: {}", incoming.path, refused.message(printer.lang));
                    continue;
                }
                if yes || ask(printer, "Jetzt übernehmen?", "Apply now?")? {
                    let bytes = kozmos_core::sync::file::read(Path::new(&incoming.path))?;
                    let verified = file::verify(&bytes, secret.as_deref().filter(|_| sync.encrypted))?;
                    let options = ImportOptions {
                        accept_clock_ahead: false,
                        file_name: Path::new(&incoming.path)
                            .file_name()
                            .map(|n| n.to_string_lossy().to_string()),
                        backup_dir: Some(k.backup_dir()),
                        allow_mass_changes,
                        ..ImportOptions::default()
                    };
                    import::apply(store, &verified, &options).await?;
                }
            }
            if printer.json {
                return printer.json_value(out, &sync);
            }
            writeln!(out, "{}: {}", printer.de_en("Eigene Datei", "Own file"), sync.written).map_err(Error::from)
        }
    }
}

fn open(path: &Path, passphrase_file: Option<&Path>) -> Result<Verified> {
    let bytes = kozmos_core::sync::file::read(path)?;
    let secret = passphrase_file.map(read_passphrase).transpose()?;
    file::verify(&bytes, secret.as_deref())
}

/// The passphrase in a file, as any editor saved it (see `files::decode_text`: Windows Notepad
/// may write a byte order mark or "ANSI"), without the line end (LF, or CRLF on Windows).
pub(super) fn read_passphrase(path: &Path) -> Result<String> {
    let bytes = kozmos_core::sync::file::read(path)?;
    Ok(kozmos_core::files::decode_text(&bytes)
        .trim_end_matches(['\r', '\n'])
        .to_string())
}

/// The preview with every record in place of the first page.
fn with_all_records(mut preview: Preview, detail: &Detail) -> Preview {
    preview.records = detail.records().collect();
    preview
}

/// The preview's summary and its records (the first page, or all), saying how to see the rest.
fn print_preview(printer: &Printer, out: &mut impl Write, p: &Preview) -> Result<()> {
    if printer.json {
        return printer.json_value(out, p);
    }
    print_summary(printer, out, p)?;
    print_records(printer, out, &p.records)?;
    let shown = p.records.len() as u64;
    if shown < p.records_total {
        writeln!(
            out,
            "{}",
            printer.de_en(
                &format!(
                    "Einträge 1–{shown} von {}. Alle zeigen: kozmos sync preview DATEI --all-records; seitenweise: --page 2 ({PAGE_RECORDS} je Seite).",
                    p.records_total
                ),
                &format!(
                    "Records 1–{shown} of {}. To see all: kozmos sync preview FILE --all-records; page by page: --page 2 ({PAGE_RECORDS} per page).",
                    p.records_total
                ),
            )
        )
        .map_err(Error::from)?;
    }
    Ok(())
}

/// Page `n` (from 1) of the records, after the summary; JSON: the page alone.
fn print_page(printer: &Printer, out: &mut impl Write, p: &Preview, detail: &Detail, n: i64) -> Result<()> {
    if n < 1 {
        return Err(Error::invalid(
            "page",
            "sync_page_invalid",
            format!("Die Seiten zählen ab 1 (--page 1 ist die erste), nicht ab {n}."),
            format!("Pages count from 1 (--page 1 is the first), not from {n}."),
        ));
    }
    let size = PAGE_RECORDS as i64;
    let page = detail.page(n.saturating_sub(1).saturating_mul(size), size)?;
    if printer.json {
        return printer.json_value(out, &page);
    }
    print_summary(printer, out, p)?;
    print_records(printer, out, &page.records)?;
    let pages = page.total.div_ceil(PAGE_RECORDS as u64);
    let line = if page.records.is_empty() {
        printer
            .de_en(
                &format!("Seite {n} gibt es nicht: {} Einträge auf {pages} Seiten.", page.total),
                &format!("There is no page {n}: {} records on {pages} pages.", page.total),
            )
            .to_string()
    } else {
        let (from, to) = (page.offset + 1, page.offset + page.records.len() as u64);
        printer
            .de_en(
                &format!("Einträge {from}–{to} von {} (Seite {n} von {pages}).", page.total),
                &format!("Records {from}–{to} of {} (page {n} of {pages}).", page.total),
            )
            .to_string()
    };
    writeln!(out, "{line}").map_err(Error::from)
}

fn print_records(printer: &Printer, out: &mut impl Write, records: &[PreviewRecord]) -> Result<()> {
    for r in records {
        writeln!(out, "  {} {} „{}“", outcome_label(printer, r.outcome), r.table, r.label).map_err(Error::from)?;
        for ch in &r.changes {
            writeln!(out, "    {}: „{}“ → „{}“", ch.field, ch.before, ch.after).map_err(Error::from)?;
        }
    }
    Ok(())
}

/// Where the file comes from, warnings, the counts and what it leaves out.
fn print_summary(printer: &Printer, out: &mut impl Write, p: &Preview) -> Result<()> {
    let w = |out: &mut dyn Write, line: String| writeln!(out, "{line}").map_err(Error::from);
    w(
        out,
        format!(
            "{} {} ({}), {} {}, {} {}",
            printer.de_en("Datei von", "File from"),
            p.origin_site,
            p.origin_network.as_deref().unwrap_or("?"),
            printer.de_en("Stand", "as of"),
            p.state_at,
            printer.de_en("Profil", "profile"),
            p.profile.as_str()
        ),
    )?;
    if let Some(at) = &p.already_imported {
        w(
            out,
            format!(
                "{} {at}; {}",
                printer.de_en("Schon importiert am", "Imported before on"),
                printer.de_en("es ändert sich nichts.", "nothing will change.")
            ),
        )?;
    }
    match p.clock.level {
        ClockLevel::Ok => {}
        ClockLevel::Warn | ClockLevel::Confirm => w(
            out,
            format!(
                "{}: {} min",
                printer.de_en(
                    "Achtung, die Uhr des anderen Rechners geht vor",
                    "Warning, the other computer's clock is ahead"
                ),
                p.clock.ahead_ms / 60_000
            ),
        )?,
    }
    if !p.mass_changes.is_empty() {
        w(
            out,
            format!(
                "!!! {}",
                printer.de_en(
                    "ACHTUNG: Diese Datei würde viele Einträge entfernen oder zurückholen:",
                    "WARNING: this file would remove or bring back many records:"
                )
            ),
        )?;
        for m in &p.mass_changes {
            let (de, en) = mass::table_names(&m.table);
            w(
                out,
                format!(
                    "!!!   {}: {} {} {} {}",
                    outcome_label(printer, m.kind),
                    m.count,
                    printer.de_en("von", "of"),
                    m.table_size,
                    printer.de_en(de, en)
                ),
            )?;
        }
    }
    let c = &p.counts;
    w(
        out,
        format!(
            "{}: {} · {}: {} · {}: {} · {}: {} · {}: {} · {}: {} · {}: {}",
            outcome_label(printer, Outcome::New),
            c.new,
            outcome_label(printer, Outcome::Changed),
            c.changed,
            outcome_label(printer, Outcome::Deleted),
            c.deleted,
            outcome_label(printer, Outcome::Restored),
            c.restored,
            outcome_label(printer, Outcome::Purged),
            c.purged,
            printer.de_en("Konflikte", "conflicts"),
            c.conflicts,
            printer.de_en("mögliche Dubletten", "possible duplicates"),
            c.duplicates
        ),
    )?;
    if c.withheld > 0 {
        let (de, en) = kozmos_core::person::WITHHELD_COUNT;
        w(out, format!("{}: {}", printer.de_en(de, en), c.withheld))?;
    }
    for code in &p.left_out {
        w(
            out,
            format!(
                "{}: {}",
                printer.de_en("Nicht enthalten", "Left out"),
                left_out_label(code, printer.lang)
            ),
        )?;
    }
    Ok(())
}

fn outcome_label(printer: &Printer, outcome: Outcome) -> &'static str {
    use Outcome::*;
    match outcome {
        New => printer.de_en("neu", "new"),
        Changed => printer.de_en("geändert", "changed"),
        Deleted => printer.de_en("gelöscht", "deleted"),
        Restored => printer.de_en("wiederhergestellt", "restored"),
        Purged => printer.de_en("anonymisiert", "erased"),
        Unchanged => printer.de_en("unverändert", "unchanged"),
    }
}

/// Asks on the terminal; anything but yes (or no terminal answer at all) means no.
pub(super) fn ask(printer: &Printer, de: &str, en: &str) -> Result<bool> {
    eprint!("{} [{}] ", printer.de_en(de, en), printer.de_en("j/N", "y/N"));
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(Error::from)?;
    let answer = line.trim().to_lowercase();
    Ok(matches!(answer.as_str(), "j" | "ja" | "y" | "yes"))
}

pub(super) fn cancelled() -> Error {
    Error::invalid(
        "confirm",
        "cancelled",
        "Abgebrochen; es wurde nichts geändert.",
        "Cancelled; nothing was changed.",
    )
}
