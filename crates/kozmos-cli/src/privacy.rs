//! `kozmos privacy …`: the right of access (JSON or PDF), the retention review with bulk erasure,
//! the record of processing activities (Art. 30).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use super::print::Printer;
use kozmos_core::error::{Error, Result};
use kozmos_core::privacy::{access, erase, record, retention};
use kozmos_core::Kozmos;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum AccessFormat {
    Json,
    Pdf,
}

#[derive(Subcommand, Debug)]
pub enum PrivacyCommand {
    /// Everything stored about one person (right of access), as JSON or PDF.
    Access {
        person_id: String,
        #[arg(long, value_enum, default_value = "json")]
        format: AccessFormat,
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
    },
    /// Persons without activity for the retention period; --erase --yes erases them all at once.
    Retention {
        /// Whole years (1–30); given alone it is also kept as this installation's period.
        #[arg(long, value_name = "N")]
        years: Option<String>,
        #[arg(long)]
        erase: bool,
        /// Confirms the erasure (final).
        #[arg(long, requires = "erase")]
        yes: bool,
    },
    /// The record of processing activities (Art. 30 DSGVO) as PDF, in the language of --lang.
    Record {
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Serialize)]
struct Saved<'a> {
    path: &'a Path,
    bytes: usize,
}

pub async fn execute(k: &Kozmos, command: PrivacyCommand, printer: &Printer, out: &mut impl Write) -> Result<()> {
    let store = &k.store;
    let lang = printer.lang;
    match command {
        PrivacyCommand::Access {
            person_id,
            format,
            out: path,
        } => {
            let export = access::export(store, &person_id).await?;
            let bytes = match format {
                AccessFormat::Json => access::to_json(&export)?,
                AccessFormat::Pdf => access::to_pdf(&export, lang, kozmos_core::files::local_now())?,
            };
            saved(printer, out, &path, &bytes)
        }
        PrivacyCommand::Record { out: path } => {
            let bytes = record::record_pdf(store, lang, kozmos_core::files::local_now()).await?;
            saved(printer, out, &path, &bytes)
        }
        PrivacyCommand::Retention {
            years,
            erase: wipe,
            yes,
        } => {
            let years = years.as_deref().map(retention::parse_years).transpose()?;
            if wipe && !yes {
                return Err(Error::invalid(
                    "yes",
                    "confirmation_needed",
                    "Das Löschen personenbezogener Daten ist endgültig. Bitte mit --yes bestätigen.",
                    "Erasing personal data is final. Please confirm with --yes.",
                ));
            }
            if let Some(y) = years {
                retention::set_years(store, i64::from(y)).await?;
            }
            let review = retention::review(store, years).await?;
            if wipe && !review.persons.is_empty() {
                let ids: Vec<String> = review.persons.iter().map(|p| p.id.clone()).collect();
                let erased = erase::erase(store, &ids).await?;
                if printer.json {
                    return printer.json_value(out, &erased);
                }
                let line = format!(
                    "{} {}",
                    erased.len(),
                    printer.de_en("Personen gelöscht.", "persons erased.")
                );
                return writeln!(out, "{line}").map_err(Error::from);
            }
            if printer.json {
                return printer.json_value(out, &review);
            }
            retention_table(printer, out, &review)
        }
    }
}

fn saved(printer: &Printer, out: &mut impl Write, path: &Path, bytes: &[u8]) -> Result<()> {
    kozmos_core::files::write_atomically(path, bytes)?;
    if printer.json {
        return printer.json_value(
            out,
            &Saved {
                path,
                bytes: bytes.len(),
            },
        );
    }
    let kb = bytes.len().div_ceil(1024);
    writeln!(
        out,
        "{} {} ({kb} KB)",
        printer.de_en("Gespeichert:", "Saved:"),
        path.display()
    )
    .map_err(Error::from)
}

fn reason(printer: &Printer, code: &str) -> String {
    match code {
        "consent" => printer.de_en("Einwilligung", "consent"),
        "activity" => printer.de_en("Aktivität", "activity"),
        "cooperation" => printer.de_en("Kooperation", "cooperation"),
        _ => printer.de_en("Änderung", "edit"),
    }
    .to_string()
}

fn retention_table(printer: &Printer, out: &mut impl Write, review: &retention::RetentionReview) -> Result<()> {
    let head = match printer.lang {
        kozmos_core::Lang::De => format!(
            "{} Personen ohne Aktivität seit {} Jahren (vor dem {}):",
            review.persons.len(),
            review.years,
            review.cutoff
        ),
        kozmos_core::Lang::En => format!(
            "{} persons without activity for {} years (before {}):",
            review.persons.len(),
            review.years,
            review.cutoff
        ),
    };
    writeln!(out, "{head}")?;
    for p in &review.persons {
        writeln!(
            out,
            "{}  {}  {} ({})  {}  {}",
            p.id,
            p.last_activity,
            p.name.as_deref().unwrap_or(""),
            p.parent_name,
            reason(printer, &p.reason),
            p.role.as_deref().unwrap_or("")
        )?;
    }
    Ok(())
}
