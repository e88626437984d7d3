//! `kozmos backup …`: create, list, restore, and how many automatic backups are kept.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use super::print::Printer;
use super::sync::{ask, cancelled, read_passphrase};
use kozmos_core::backup::{self, BackupInfo};
use kozmos_core::error::{Error, Result};
use kozmos_core::restore::{self, Checked};
use kozmos_core::sync::file::Passphrase;
use kozmos_core::sync::passphrase;
use kozmos_core::Kozmos;

#[derive(Subcommand, Debug)]
pub enum BackupCommand {
    /// Back up the database now into `backups/` beside it (a manual backup: never pruned).
    Create {
        /// Encrypt with the passphrase in this file (age format, scrypt), e.g. the sync passphrase.
        #[arg(long = "encrypt", value_name = "PASSPHRASE_FILE")]
        passphrase_file: Option<PathBuf>,
    },
    /// List the backups, newest first, and how many automatic ones are kept.
    List,
    /// Replace the database by a backup: checks it, backs up the current state first; asks
    /// unless --yes.
    Restore {
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        #[arg(long)]
        yes: bool,
    },
    /// Set how many automatic backups are kept (1 to 365; default 14).
    Keep { count: i64 },
}

/// Runs a backup command; a restore hands back the reopened database the caller continues with.
pub async fn execute(
    k: &Kozmos,
    command: BackupCommand,
    printer: &Printer,
    out: &mut impl Write,
) -> Result<Option<Kozmos>> {
    match command {
        BackupCommand::Create { passphrase_file } => {
            let passphrase = match passphrase_file {
                Some(f) => {
                    let secret = read_passphrase(&f)?;
                    passphrase::check(&secret)?;
                    Some(Passphrase {
                        secret,
                        work_factor: None,
                    })
                }
                None => None,
            };
            let made = backup::create(k, backup::REASON_MANUAL, passphrase.as_ref()).await?;
            if printer.json {
                printer.json_value(out, &made)?;
            } else {
                line(
                    out,
                    format!("{} {}", printer.de_en("Gesichert:", "Backed up:"), made.path),
                )?;
            }
            Ok(None)
        }
        BackupCommand::List => {
            let overview = backup::overview(k).await?;
            if printer.json {
                printer.json_value(out, &overview)?;
                return Ok(None);
            }
            line(
                out,
                format!(
                    "{} {} ({} {})",
                    printer.de_en("Ordner:", "Folder:"),
                    overview.folder,
                    overview.keep,
                    printer.de_en("automatische werden behalten", "automatic ones are kept")
                ),
            )?;
            if overview.backups.is_empty() {
                line(out, printer.de_en("Noch keine Sicherungen.", "No backups yet.").into())?;
            }
            for b in &overview.backups {
                line(out, describe(printer, b))?;
            }
            Ok(None)
        }
        BackupCommand::Restore {
            file,
            passphrase_file,
            yes,
        } => {
            let secret = passphrase_file.map(|f| read_passphrase(&f)).transpose()?;
            let checked = restore::check(k, &file, secret.as_deref()).await?;
            if !printer.json {
                line(out, summary(printer, &checked))?;
            }
            if !yes
                && !ask(
                    printer,
                    "Die jetzige Datenbank wird zuerst gesichert und dann durch diese Sicherung ersetzt. Fortfahren?",
                    "The current database is backed up first and then replaced by this backup. Continue?",
                )?
            {
                return Err(cancelled());
            }
            let restored = restore::restore(k, &file, secret.as_deref()).await?;
            if printer.json {
                printer.json_value(out, &restored.checked)?;
            } else {
                line(
                    out,
                    format!(
                        "{} {}",
                        printer.de_en(
                            "Wiederhergestellt. Der vorige Stand ist gesichert in",
                            "Restored. The previous state is backed up in"
                        ),
                        restored.safety_backup.path
                    ),
                )?;
                if restored.checked.erasures_reapplied > 0 {
                    line(out, erasures_again(printer, restored.checked.erasures_reapplied, true))?;
                }
            }
            Ok(Some(restored.kozmos))
        }
        BackupCommand::Keep { count } => {
            let overview = backup::set_keep(k, count).await?;
            if printer.json {
                printer.json_value(out, &overview)?;
            } else {
                line(
                    out,
                    format!(
                        "{} {}",
                        printer.de_en("Automatische Sicherungen behalten:", "Automatic backups kept:"),
                        overview.keep
                    ),
                )?;
            }
            Ok(None)
        }
    }
}

fn describe(printer: &Printer, b: &BackupInfo) -> String {
    let kind = if b.automatic {
        printer.de_en("automatisch", "automatic")
    } else {
        printer.de_en("manuell", "manual")
    };
    let lock = if b.encrypted {
        printer.de_en(", verschlüsselt", ", encrypted")
    } else {
        ""
    };
    format!(
        "{}  {:>9}  {} ({kind}{lock})  {}",
        b.created_at,
        size(b.size_bytes),
        b.reason,
        b.file_name
    )
}

fn summary(printer: &Printer, c: &Checked) -> String {
    format!(
        "{} {}: {} {}, {} {}, {} {}",
        printer.de_en("Sicherung", "Backup"),
        c.created_at.as_deref().unwrap_or(&c.file_name),
        c.associations,
        printer.de_en("Vereine", "associations"),
        c.foundations,
        printer.de_en("Stiftungen", "foundations"),
        c.persons,
        printer.de_en("Personen", "persons"),
    ) + &match c.erasures_reapplied {
        0 => String::new(),
        n => format!("; {}", erasures_again(printer, n, false)),
    }
}

/// "3 Löschungen aus Datenschutzgründen wurden erneut angewendet." (`done`), or, before the
/// restore, what it will apply again.
fn erasures_again(printer: &Printer, n: u64, done: bool) -> String {
    let (de, en) = match (n, done) {
        (1, true) => (
            "Eine Löschung aus Datenschutzgründen wurde erneut angewendet.".into(),
            "One privacy erasure was applied again.".into(),
        ),
        (_, true) => (
            format!("{n} Löschungen aus Datenschutzgründen wurden erneut angewendet."),
            format!("{n} privacy erasures were applied again."),
        ),
        (1, false) => (
            "eine Löschung aus Datenschutzgründen, die sie noch nicht kennt, wird erneut angewendet".into(),
            "one privacy erasure it does not know yet is applied again".into(),
        ),
        (_, false) => (
            format!("{n} Löschungen aus Datenschutzgründen, die sie noch nicht kennt, werden erneut angewendet"),
            format!("{n} privacy erasures it does not know yet are applied again"),
        ),
    };
    printer.de_en(&de, &en).to_string()
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1 << 20)),
        b => format!("{} KB", b.div_ceil(1024)),
    }
}

fn line(out: &mut impl Write, text: String) -> Result<()> {
    writeln!(out, "{text}").map_err(Error::from)
}
