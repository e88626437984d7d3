//! `kozmos pdf …`: profile sheets of associations (one, a meeting pack, a batch) and the KOZMOS
//! contact each network prints on them.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::print::Printer;
use super::AssociationFilter;
use kozmos_core::error::{Error, Result};
use kozmos_core::sheets::{self, KozmosContact, KozmosContactDraft, SheetPdf, SheetWarning};
use kozmos_core::Kozmos;

#[derive(Subcommand, Debug)]
pub enum PdfCommand {
    /// The profile sheet of one association.
    Association {
        id: String,
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
    },
    /// A meeting pack for a foundation: a cover, then one sheet per association.
    Pack {
        #[arg(long, value_name = "ID")]
        foundation: String,
        /// The associations, in this order (comma-separated ids).
        #[arg(long, value_name = "ID,ID", value_delimiter = ',', required_unless_present = "best")]
        associations: Vec<String>,
        /// Or the best-fitting eligible associations from matching, this many.
        #[arg(long, value_name = "N", conflicts_with = "associations")]
        best: Option<usize>,
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
    },
    /// The sheets of every association a filter finds: one PDF (--out) or one file each (--dir).
    Batch {
        #[command(flatten)]
        filter: AssociationFilter,
        #[arg(
            long,
            short,
            value_name = "FILE",
            required_unless_present = "dir",
            conflicts_with = "dir"
        )]
        out: Option<PathBuf>,
        /// A folder to write one PDF per association into.
        #[arg(long, value_name = "FOLDER")]
        dir: Option<PathBuf>,
    },
    /// The KOZMOS contact of each network, as printed on the sheets.
    Contacts,
    /// Set the KOZMOS contact a network prints on its associations' sheets.
    Contact {
        #[arg(value_name = "lamsa|migranetz")]
        network: String,
        #[arg(long)]
        organisation: String,
        #[arg(long, default_value = "")]
        person: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
        #[arg(long, default_value = "")]
        website: String,
    },
}

pub async fn execute(k: &Kozmos, command: PdfCommand, printer: &Printer, out: &mut impl Write) -> Result<()> {
    let store = &k.store;
    let lang = printer.lang;
    match command {
        PdfCommand::Association { id, out: path } => {
            let pdf = sheets::association_pdf(store, &id, lang).await?;
            saved(printer, out, &path, pdf)
        }
        PdfCommand::Pack {
            foundation,
            associations,
            best,
            out: path,
        } => {
            let ids = match best {
                Some(n) => sheets::best_for_pack(store, &foundation, n).await?,
                None => associations,
            };
            let pdf = sheets::pack_pdf(store, &foundation, &ids, lang).await?;
            saved(printer, out, &path, pdf)
        }
        PdfCommand::Batch { filter, out: path, dir } => {
            let query = filter.query(0, kozmos_core::association::PAGE_LIMIT_MAX);
            match (path, dir) {
                (Some(path), _) => {
                    let pdf = sheets::batch_pdf(store, &query, lang).await?;
                    saved(printer, out, &path, pdf)
                }
                (None, Some(dir)) => {
                    let files = sheets::batch_files(store, &query, lang, &dir).await?;
                    warn(printer, &files.warnings);
                    if printer.json {
                        return printer.json_value(out, &files);
                    }
                    let said = match lang {
                        kozmos_core::Lang::De => {
                            format!("{} Profilblätter gespeichert in {}", files.files.len(), files.folder)
                        }
                        kozmos_core::Lang::En => {
                            format!("{} profile sheets saved in {}", files.files.len(), files.folder)
                        }
                    };
                    writeln!(out, "{said}").map_err(Error::from)
                }
                (None, None) => unreachable!("clap requires --out or --dir"),
            }
        }
        PdfCommand::Contacts => {
            let contacts = sheets::kozmos_contacts(store.pool()).await?;
            contacts_out(printer, out, &contacts)
        }
        PdfCommand::Contact {
            network,
            organisation,
            person,
            email,
            phone,
            website,
        } => {
            let draft = KozmosContactDraft {
                organisation,
                person,
                email,
                phone,
                website,
            };
            let contact = sheets::set_kozmos_contact(store.pool(), &network, &draft).await?;
            contacts_out(printer, out, &[contact])
        }
    }
}

/// Hints about the sheets go to stderr in the user's language, so stdout stays the result.
fn warn(printer: &Printer, warnings: &[SheetWarning]) {
    let prefix = printer.de_en("Hinweis", "Note");
    for w in warnings {
        eprintln!(
            "{prefix} ({}): {}",
            w.association_name,
            printer.de_en(&w.message_de, &w.message_en)
        );
    }
}

fn saved(printer: &Printer, out: &mut impl Write, path: &Path, pdf: SheetPdf) -> Result<()> {
    let pdf = pdf.save(path)?;
    warn(printer, &pdf.warnings);
    if printer.json {
        return printer.json_value(out, &pdf);
    }
    let kb = pdf.bytes.div_ceil(1024);
    writeln!(
        out,
        "{}: {} ({}, {kb} KB)",
        printer.de_en("PDF gespeichert", "PDF saved"),
        path.display(),
        printer.count(pdf.pages as u64, ["Seite", "Seiten"], ["page", "pages"])
    )
    .map_err(Error::from)
}

fn contacts_out(printer: &Printer, out: &mut impl Write, contacts: &[KozmosContact]) -> Result<()> {
    if printer.json {
        return printer.json_value(out, &contacts);
    }
    for c in contacts {
        let lines: Vec<&str> = [
            Some(c.organisation.as_str()),
            c.person.as_deref(),
            c.email.as_deref(),
            c.phone.as_deref(),
            c.website.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        writeln!(out, "{}: {}", c.network, lines.join(" · ")).map_err(Error::from)?;
        if !c.configured {
            writeln!(
                out,
                "  {}",
                printer.de_en("(noch keine Ansprechperson hinterlegt)", "(no contact person set yet)")
            )
            .map_err(Error::from)?;
        }
    }
    Ok(())
}
