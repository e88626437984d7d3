//! `kozmos duplicates` (the ranked list of likely duplicates) and `kozmos merge KEEP OTHER`.

use std::io::Write;

use clap::Args;

use super::print::Printer;
use kozmos_core::duplicates::{self, DuplicateQuery, DuplicateRecord, Kind, MergePlan, MergeRequest};
use kozmos_core::error::{Error, Result};
use kozmos_core::Kozmos;

#[derive(Args, Debug)]
pub struct DuplicatesArgs {
    /// Only pairs with a record of this kind on one side.
    #[arg(long, value_name = "associations|foundations|persons")]
    pub kind: Option<String>,
    /// At most this many pairs (0: all).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Mark the pair ID ID as "not a duplicate" (hidden from the list from now on).
    #[arg(long, num_args = 2, value_names = ["ID", "ID"], conflicts_with = "undismiss")]
    pub dismiss: Option<Vec<String>>,
    /// Show a pair marked "not a duplicate" again.
    #[arg(long, num_args = 2, value_names = ["ID", "ID"])]
    pub undismiss: Option<Vec<String>>,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The record that survives.
    pub keep: String,
    /// The record merged into it (kept as a deleted record that points at the survivor).
    pub other: String,
    /// Fields whose value comes from OTHER (besides those empty in KEEP), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "FIELD,FIELD")]
    pub take: Vec<String>,
    /// Merge; without it only the preview is shown.
    #[arg(long)]
    pub yes: bool,
}

fn parse_kind(text: &str) -> Result<Kind> {
    let kind = match text.trim().trim_end_matches('s') {
        "association" | "verein" => Some(Kind::Association),
        "foundation" | "stiftung" => Some(Kind::Foundation),
        "person" => Some(Kind::Person),
        _ => None,
    };
    kind.ok_or_else(|| {
        Error::invalid(
            "kind",
            "duplicates_unknown_kind",
            "Art unbekannt: bitte associations, foundations oder persons angeben.",
            "Unknown kind: please give associations, foundations or persons.",
        )
    })
}

async fn kind_of(k: &Kozmos, id: &str) -> Result<Kind> {
    let mut conn = k.store.pool().acquire().await?;
    duplicates::kind_of(&mut conn, id)
        .await?
        .ok_or_else(|| Error::not_found("record", id))
}

/// The record a `show` opens: the survivor when `id` was merged away (said in one line).
pub async fn survivor(k: &Kozmos, kind: Kind, id: &str, printer: &Printer, out: &mut impl Write) -> Result<String> {
    let survivor = duplicates::resolve(&k.store, kind, id).await?;
    if survivor != id && !printer.json {
        let note = printer.de_en("wurde zusammengeführt mit", "was merged into");
        writeln!(out, "{id} {note} {survivor}")?;
    }
    Ok(survivor)
}

pub async fn list(k: &Kozmos, args: DuplicatesArgs, printer: &Printer, out: &mut impl Write) -> Result<()> {
    for (ids, dismiss) in [(&args.dismiss, true), (&args.undismiss, false)] {
        let Some([a, b]) = ids.as_deref() else { continue };
        let (ka, kb) = (kind_of(k, a).await?, kind_of(k, b).await?);
        if dismiss {
            duplicates::dismiss(&k.store, ka, a, kb, b).await?;
        } else {
            duplicates::undismiss(&k.store, ka, a, kb, b).await?;
        }
        let done = printer.de_en("Gespeichert.", "Saved.");
        return writeln!(out, "{done}").map_err(Error::from);
    }
    let query = DuplicateQuery {
        kind: args.kind.as_deref().map(parse_kind).transpose()?,
        limit: args.limit,
    };
    let list = duplicates::scan(&k.store, &query).await?;
    if printer.json {
        return printer.json_value(out, &list);
    }
    for (n, pair) in list.pairs.iter().enumerate() {
        writeln!(out, "{:>3}. {} {}", n + 1, printer.de_en("Punkte", "score"), pair.score)?;
        for r in [&pair.a, &pair.b] {
            writeln!(out, "     {}", record_line(printer, r))?;
        }
        for reason in &pair.reasons {
            writeln!(out, "     - {}", printer.de_en(&reason.de, &reason.en))?;
        }
    }
    writeln!(
        out,
        "{} {} ({} {})",
        printer.de_en("Mögliche Dubletten:", "Likely duplicates:"),
        list.total,
        printer.de_en("gezeigt:", "shown:"),
        list.pairs.len()
    )?;
    Ok(())
}

fn record_line(printer: &Printer, r: &DuplicateRecord) -> String {
    let (de, en) = r.kind.label();
    let mut line = format!("{:<10} {}  {}", printer.de_en(de, en), r.id, r.name);
    for extra in [&r.name_original, &r.organisation, &r.city, &r.postcode, &r.email]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
    {
        line.push_str(" · ");
        line.push_str(extra);
    }
    line
}

pub async fn merge(k: &Kozmos, args: MergeArgs, printer: &Printer, out: &mut impl Write) -> Result<()> {
    let plan = duplicates::merge_preview(&k.store, &args.keep, &args.other).await?;
    let mut take: Vec<String> = plan
        .fields
        .iter()
        .filter(|f| f.take_other)
        .map(|f| f.field.clone())
        .collect();
    for field in args.take.iter().map(|f| f.trim()).filter(|f| !f.is_empty()) {
        if !plan.fields.iter().any(|f| f.field == field) {
            return Err(Error::invalid(
                "take",
                "merge_unknown_field",
                format!("Unbekanntes Feld „{field}“."),
                format!("Unknown field \"{field}\"."),
            ));
        }
        if !take.iter().any(|t| t == field) {
            take.push(field.to_string());
        }
    }
    if !args.yes {
        if printer.json {
            return printer.json_value(out, &plan);
        }
        return print_preview(printer, out, &plan, &take);
    }
    let result = duplicates::merge(
        &k.store,
        &MergeRequest {
            keep: args.keep,
            other: args.other,
            take,
        },
    )
    .await?;
    if printer.json {
        return printer.json_value(out, &result);
    }
    writeln!(
        out,
        "{} {} → {}",
        printer.de_en("Zusammengeführt:", "Merged:"),
        result.merged,
        result.survivor
    )?;
    Ok(())
}

fn print_preview(printer: &Printer, out: &mut impl Write, plan: &MergePlan, take: &[String]) -> Result<()> {
    let p = |de, en| printer.de_en(de, en);
    writeln!(out, "{} {}  {}", p("Bleibt:", "Keep:"), plan.keep, plan.keep_name)?;
    writeln!(
        out,
        "{} {}  {}",
        p("Geht auf in:", "Merged into it:"),
        plan.other,
        plan.other_name
    )?;
    writeln!(out)?;
    for f in plan.fields.iter().filter(|f| !f.same) {
        let taken = take.contains(&f.field);
        let label = p(&f.label_de, &f.label_en);
        let mark = |chosen: bool| if chosen { "*" } else { " " };
        writeln!(out, "{label} ({})", f.field)?;
        writeln!(out, "  {} {}: {}", mark(!taken), p("bleibt", "keep "), f.keep)?;
        writeln!(out, "  {} {}: {}", mark(taken), p("andere", "other"), f.other)?;
    }
    let m = &plan.moved;
    writeln!(out)?;
    writeln!(
        out,
        "{} {} {}, {} {}, {} {}, {} {}, {} {}, {} {}",
        p("Wechselt zum bleibenden Datensatz:", "Moves to the record kept:"),
        m.persons,
        p("Personen", "persons"),
        m.cooperations,
        p("Kooperationen", "cooperations"),
        m.activities,
        p("Verlaufseinträge", "log entries"),
        m.projects,
        p("Projekte", "projects"),
        m.ideas,
        p("Projektideen", "ideas"),
        m.consents,
        p("Einwilligungen", "consents"),
    )?;
    writeln!(
        out,
        "{}",
        p(
            "* = dieser Wert bleibt. Andere Werte mit --take FELD,FELD übernehmen; mit --yes zusammenführen.",
            "* = this value stays. Take others with --take FIELD,FIELD; merge with --yes."
        )
    )?;
    Ok(())
}
