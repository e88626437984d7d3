//! `kozmos import FILE --kind …` (preview, or apply with --yes) and `kozmos export LIST …`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::print::Printer;
use super::{AssociationFilter, CooperationFilter};
use kozmos_core::cooperation::CooperationQuery;
use kozmos_core::error::{Error, Result};
use kozmos_core::export::{self, ExportFormat, ListExport, PersonFilter};
use kozmos_core::foundation::FoundationQuery;
use kozmos_core::import::{self, ImportChoice, ImportCounts, ImportKind, ImportRowStatus, OnMatch, TablePreview};
use kozmos_core::person::Parent;
use kozmos_core::Kozmos;

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// CSV (UTF-8 or Windows-1252; ";", "," or tab), XLSX or ODS; the first row names the columns.
    file: PathBuf,
    #[arg(long, value_enum)]
    kind: KindArg,
    /// Changes to the proposed mapping: `column=field,...` (column: header or number from 1;
    /// field "-" skips the column). The mapping saved for files of this shape is proposed first.
    #[arg(long, value_name = "M")]
    mapping: Option<String>,
    /// Rows with the same name and postcode or e-mail as a stored record: skip them, or update it.
    #[arg(long, value_enum, default_value = "skip")]
    on_match: OnMatchArg,
    /// Write the rows (without it: only the preview is shown, nothing is written).
    #[arg(long)]
    yes: bool,
    /// Save the rejected rows with their reasons as CSV, to fix and import again.
    #[arg(long, value_name = "FILE")]
    rejected: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum KindArg {
    Associations,
    Foundations,
    Persons,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OnMatchArg {
    Skip,
    Update,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(subcommand)]
    list: ExportList,
}

#[derive(Args, Debug)]
struct ExportFile {
    #[arg(long, value_enum, default_value = "csv")]
    format: FormatArg,
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum FormatArg {
    Csv,
    Xlsx,
}

#[derive(Subcommand, Debug)]
enum ExportList {
    /// Associations, filtered as `associations list` filters them.
    Associations {
        #[command(flatten)]
        filter: AssociationFilter,
        #[command(flatten)]
        file: ExportFile,
    },
    /// Foundations, filtered as `foundations list` filters them.
    Foundations {
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        theme: Option<String>,
        #[arg(long)]
        state: Option<String>,
        #[arg(long, value_name = "FUNDING-AREA")]
        funding_area: Option<String>,
        #[command(flatten)]
        file: ExportFile,
    },
    /// Contact persons: all, by search words, or of one organisation.
    Persons {
        #[arg(long)]
        search: Option<String>,
        #[arg(long, value_name = "ID", conflicts_with = "foundation")]
        association: Option<String>,
        #[arg(long, value_name = "ID")]
        foundation: Option<String>,
        #[command(flatten)]
        file: ExportFile,
    },
    /// Cooperations, filtered as `cooperations list` filters them.
    Cooperations {
        #[command(flatten)]
        filter: CooperationFilter,
        #[command(flatten)]
        file: ExportFile,
    },
}

pub async fn import(k: &Kozmos, args: ImportArgs, printer: &Printer, out: &mut impl Write) -> Result<()> {
    let kind = match args.kind {
        KindArg::Associations => ImportKind::Associations,
        KindArg::Foundations => ImportKind::Foundations,
        KindArg::Persons => ImportKind::Persons,
    };
    let table = import::read_file(&args.file)?;
    let mut mapping = import::describe(&k.store, kind, &table).await?.mapping;
    if let Some(spec) = &args.mapping {
        import::apply_spec(&table.headers, &mut mapping, spec)?;
    }
    let choice = ImportChoice {
        kind,
        mapping,
        on_match: match args.on_match {
            OnMatchArg::Skip => OnMatch::Skip,
            OnMatchArg::Update => OnMatch::Update,
        },
    };
    let (preview, result) = if args.yes {
        let result = import::apply(&k.store, Some(&k.backup_dir()), &table, &choice).await?;
        (result.preview.clone(), Some(result))
    } else {
        (import::preview(&k.store, &table, &choice).await?, None)
    };
    if let Some(path) = &args.rejected {
        kozmos_core::files::write_atomically(path, import::rejected_csv(&preview, printer.lang).as_bytes())?;
    }
    if printer.json {
        return match &result {
            Some(result) => printer.json_value(out, result),
            None => printer.json_value(out, &preview),
        };
    }
    print_preview(printer, out, &preview)?;
    let c = &preview.counts;
    let line = match &result {
        _ if c.create + c.update == 0 => {
            let (de, en) = match result {
                Some(_) => ("Nichts importiert", "Nothing imported"),
                None => ("Nichts zu importieren", "Nothing to import"),
            };
            format!("{}: {}.", printer.de_en(de, en), nothing_parts(printer, c))
        }
        None => printer
            .de_en(
                "Vorschau: nichts wurde geschrieben. Mit --yes importieren.",
                "Preview: nothing was written. Import with --yes.",
            )
            .to_string(),
        Some(result) => {
            let backup = result.backup.as_deref().unwrap_or("-");
            format!(
                "{} {backup}",
                printer.de_en("Importiert. Sicherungskopie:", "Imported. Backup copy:")
            )
        }
    };
    writeln!(out, "{line}").map_err(Error::from)
}

/// Why an import writes nothing: "140 Zeilen abgelehnt, eine Zeile unverändert".
fn nothing_parts(printer: &Printer, c: &ImportCounts) -> String {
    // (count, German for one, German for more, English for one, English for more)
    let parts: Vec<String> = [
        (
            c.reject,
            "eine Zeile abgelehnt",
            "Zeilen abgelehnt",
            "one row rejected",
            "rows rejected",
        ),
        (
            c.unchanged,
            "eine Zeile unverändert",
            "Zeilen unverändert",
            "one row unchanged",
            "rows unchanged",
        ),
        (
            c.duplicate,
            "eine Zeile als Dublette übersprungen",
            "Zeilen als Dubletten übersprungen",
            "one row skipped as a duplicate",
            "rows skipped as duplicates",
        ),
    ]
    .into_iter()
    .filter(|part| part.0 > 0)
    .map(|(n, de_one, de, en_one, en)| match n {
        1 => printer.de_en(de_one, en_one).to_string(),
        n => format!("{n} {}", printer.de_en(de, en)),
    })
    .collect();
    match parts.is_empty() {
        true => printer
            .de_en("die Datei hat keine Datenzeilen", "the file has no data rows")
            .to_string(),
        false => parts.join(", "),
    }
}

fn print_preview(printer: &Printer, out: &mut impl Write, preview: &TablePreview) -> Result<()> {
    let kind = preview.kind;
    writeln!(out, "{}", printer.de_en("Zuordnung:", "Mapping:"))?;
    for (header, target) in preview.headers.iter().zip(&preview.mapping) {
        let shown = match target {
            Some(t) => {
                let (de, en) = kind.target_label(t);
                printer.de_en(de, en).to_string()
            }
            None => printer.de_en("(übersprungen)", "(skipped)").to_string(),
        };
        writeln!(out, "  {header} → {shown}")?;
    }
    let c = preview.counts;
    writeln!(
        out,
        "{}: {}  {}: {}  {}: {}  {}: {}  {}: {}",
        printer.de_en("Neu", "New"),
        c.create,
        printer.de_en("Aktualisiert", "Updated"),
        c.update,
        printer.de_en("Unverändert", "Unchanged"),
        c.unchanged,
        printer.de_en("Dubletten", "Duplicates"),
        c.duplicate,
        printer.de_en("Abgelehnt", "Rejected"),
        c.reject
    )?;
    if c.foreign_ids > 0 {
        let n = c.foreign_ids;
        writeln!(
            out,
            "{}",
            printer.de_en(
                &format!("{n} Zeilen nennen eine ID, die es hier nicht gibt (Liste einer anderen Installation): ohne diese ID geplant, als neue Einträge oder als Dubletten."),
                &format!("{n} rows name an id that does not exist here (another installation's list): planned without it, as new records or as duplicates."),
            )
        )?;
    }
    for row in preview.rows.iter().filter(|r| r.status == ImportRowStatus::Reject) {
        for e in &row.errors {
            let message = printer.de_en(&e.message_de, &e.message_en);
            writeln!(out, "  {} {}: {message}", printer.de_en("Zeile", "Line"), row.line)?;
        }
    }
    Ok(())
}

pub async fn export(k: &Kozmos, args: ExportArgs, printer: &Printer, out: &mut impl Write) -> Result<()> {
    let (list, file) = match args.list {
        ExportList::Associations { filter, file } => (ListExport::Associations(filter.query(0, 500)), file),
        ExportList::Foundations {
            search,
            theme,
            state,
            funding_area,
            file,
        } => (
            ListExport::Foundations(FoundationQuery {
                text: search.unwrap_or_default(),
                theme,
                state,
                funding_area,
                ..FoundationQuery::default()
            }),
            file,
        ),
        ExportList::Persons {
            search,
            association,
            foundation,
            file,
        } => (
            ListExport::Persons(PersonFilter {
                text: search.unwrap_or_default(),
                parent: association
                    .map(Parent::Association)
                    .or(foundation.map(Parent::Foundation)),
            }),
            file,
        ),
        ExportList::Cooperations { filter, file } => {
            let whole = CooperationQuery::default();
            (ListExport::Cooperations(filter.query(whole.offset, whole.limit)), file)
        }
    };
    let format = match file.format {
        FormatArg::Csv => ExportFormat::Csv,
        FormatArg::Xlsx => ExportFormat::Xlsx,
    };
    let bytes = export::export(&k.store, &list, format, printer.lang).await?;
    kozmos_core::files::write_atomically(&file.out, &bytes)?;
    if printer.json {
        return printer.json_value(out, &serde_json::json!({ "file": file.out.display().to_string() }));
    }
    writeln!(
        out,
        "{} {}",
        printer.de_en("Gespeichert:", "Saved:"),
        file.out.display()
    )
    .map_err(Error::from)
}
