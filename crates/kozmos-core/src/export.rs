//! Exporting a list with its current filter as CSV (German Excel: BOM, ";") or XLSX: one row per
//! record, every field of the field list, columns labelled in the user's language, codes as labels,
//! dates and amounts as the language writes them (the import reads them back).

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use ts_rs::TS;

use crate::association::{self, AssociationQuery};
use crate::cooperation::{self, CooperationQuery};
use crate::error::{Error, Lang, Result};
use crate::fields::{FieldInfo, FieldKind};
use crate::foundation::{self, FoundationQuery};
use crate::listing::{Page, PAGE_LIMIT_MAX};
use crate::person::{self, Parent};
use crate::store::Store;

/// Which list, with the same query types the lists use.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "list", content = "query", rename_all = "lowercase")]
pub enum ListExport {
    Associations(AssociationQuery),
    Foundations(FoundationQuery),
    Persons(PersonFilter),
    Cooperations(CooperationQuery),
}

/// Persons: search words, or all of one organisation.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PersonFilter {
    pub text: String,
    pub parent: Option<Parent>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

/// A file name to suggest, e.g. "vereine.csv".
pub fn file_name(list: &ListExport, format: ExportFormat, lang: Lang) -> String {
    let stem = match list {
        ListExport::Associations(_) => lang.pick("vereine", "associations"),
        ListExport::Foundations(_) => lang.pick("stiftungen", "foundations"),
        ListExport::Persons(_) => lang.pick("personen", "persons"),
        ListExport::Cooperations(_) => lang.pick("kooperationen", "cooperations"),
    };
    format!("{stem}.{}", format.extension())
}

/// The file's bytes.
pub async fn export(store: &Store, list: &ListExport, format: ExportFormat, lang: Lang) -> Result<Vec<u8>> {
    let rows = rows(store, list, lang).await?;
    match format {
        ExportFormat::Csv => Ok(crate::csv_text::write(&rows).into_bytes()),
        ExportFormat::Xlsx => xlsx(&rows, file_name(list, format, lang).trim_end_matches(".xlsx")),
    }
}

/// Header and one row per record of the filtered list (every page).
pub async fn rows(store: &Store, list: &ListExport, lang: Lang) -> Result<Vec<Vec<String>>> {
    let id = lang.pick("ID", "ID").to_string();
    let mut out = Vec::new();
    match list {
        ListExport::Associations(query) => {
            out.push(header(&[&id], association::FIELDS, lang));
            for summary in all_pages(|offset| {
                let q = AssociationQuery {
                    offset,
                    limit: PAGE_LIMIT_MAX,
                    ..query.clone()
                };
                async move { association::list(store, &q).await }
            })
            .await?
            {
                let record = association::get(store, &summary.id).await?;
                out.push(record_row(
                    &[&record.id],
                    &record.fields,
                    association::FIELDS,
                    "associations",
                    lang,
                ));
            }
        }
        ListExport::Foundations(query) => {
            out.push(header(&[&id], foundation::FIELDS, lang));
            for summary in all_pages(|offset| {
                let q = FoundationQuery {
                    offset,
                    limit: PAGE_LIMIT_MAX,
                    ..query.clone()
                };
                async move { foundation::list(store, &q).await }
            })
            .await?
            {
                let record = foundation::get(store, &summary.id).await?;
                out.push(record_row(
                    &[&record.id],
                    &record.fields,
                    foundation::FIELDS,
                    "foundations",
                    lang,
                ));
            }
        }
        ListExport::Persons(filter) => {
            out.push(header(
                &[&id, lang.pick("Organisation (Name)", "Organisation (name)")],
                person::FIELDS,
                lang,
            ));
            let summaries = match &filter.parent {
                Some(parent) => person::persons_of(store, parent).await?,
                None => {
                    all_pages(|offset| async move { person::search(store, &filter.text, offset, PAGE_LIMIT_MAX).await })
                        .await?
                }
            };
            for summary in summaries.iter().filter(|s| s.life == crate::store::Life::Alive) {
                let record = person::get(store, &summary.id).await?;
                out.push(record_row(
                    &[&record.id, &record.parent_name],
                    &record.fields,
                    person::FIELDS,
                    "persons",
                    lang,
                ));
            }
        }
        ListExport::Cooperations(query) => {
            out.push(header(&[&id], cooperation::FIELDS, lang));
            for summary in all_pages(|offset| {
                let q = CooperationQuery {
                    offset,
                    limit: PAGE_LIMIT_MAX,
                    ..query.clone()
                };
                async move { cooperation::list(store, &q).await }
            })
            .await?
            {
                let record = cooperation::get(store, &summary.id).await?;
                let mut row = record_row(&[&record.id], &record.fields, cooperation::FIELDS, "cooperations", lang);
                // References are shown by name.
                for (info, cell) in cooperation::FIELDS.iter().zip(row.iter_mut().skip(1)) {
                    match info.name {
                        "association_id" => *cell = record.association_name.clone(),
                        "foundation_id" => *cell = record.foundation_name.clone(),
                        _ => {}
                    }
                }
                out.push(row);
            }
        }
    }
    Ok(out)
}

async fn all_pages<T, F, Fut>(mut page: F) -> Result<Vec<T>>
where
    F: FnMut(u32) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>>>,
{
    let mut items = Vec::new();
    loop {
        let next = page(items.len() as u32).await?;
        let done = next.items.len() < PAGE_LIMIT_MAX as usize || items.len() + next.items.len() >= next.total as usize;
        items.extend(next.items);
        if done {
            return Ok(items);
        }
    }
}

fn header(extra: &[&str], fields: &[FieldInfo], lang: Lang) -> Vec<String> {
    extra
        .iter()
        .map(|s| s.to_string())
        .chain(fields.iter().map(|f| lang.pick(f.de, f.en).to_string()))
        .collect()
}

fn record_row<R: Serialize>(extra: &[&str], record: &R, fields: &[FieldInfo], table: &str, lang: Lang) -> Vec<String> {
    let map = match serde_json::to_value(record) {
        Ok(Json::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    extra
        .iter()
        .map(|s| s.to_string())
        .chain(fields.iter().map(|info| cell(info, map.get(info.name), table, lang)))
        .collect()
}

/// A stored value as the user reads it.
fn cell(info: &FieldInfo, value: Option<&Json>, table: &str, lang: Lang) -> String {
    let label = |code: &str| match crate::import::terms(table, info.name) {
        Some(terms) => terms
            .iter()
            .find(|(c, _, _)| *c == code)
            .map_or(code.to_string(), |(_, de, en)| lang.pick(de, en).to_string()),
        None => code.to_string(),
    };
    let date = |iso: &str| match (lang, crate::check::parse_date(iso)) {
        (Lang::De, Some(d)) => crate::text::format_date(d, lang),
        _ => iso.to_string(),
    };
    match value {
        None | Some(Json::Null) => String::new(),
        Some(Json::Number(n)) if info.kind == FieldKind::Money => {
            let cents = n.as_i64().unwrap_or_default();
            match lang {
                Lang::De => crate::text::format_euro(cents, lang),
                Lang::En => crate::check::cents_to_text(cents),
            }
        }
        Some(Json::Number(n)) => n.to_string(),
        Some(Json::String(s)) => match info.kind {
            FieldKind::Code => label(s),
            FieldKind::Date => date(s),
            _ => s.clone(),
        },
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(Json::as_str)
            .map(|s| match info.kind {
                FieldKind::Codes => label(s),
                FieldKind::Dates => date(s),
                _ => s.to_string(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Some(other) => other.to_string(),
    }
}

/// One worksheet, header bold and frozen, every cell as text (no formulas are ever written).
fn xlsx(rows: &[Vec<String>], sheet: &str) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| {
        Error::invalid(
            "file",
            "xlsx_failed",
            format!("Die Excel-Datei ließ sich nicht erstellen ({e})."),
            format!("The Excel file could not be made ({e})."),
        )
    };
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet).map_err(fail)?;
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if r == 0 {
                worksheet.write_string_with_format(r, c, value, &bold).map_err(fail)?;
            } else {
                worksheet.write_string(r, c, value).map_err(fail)?;
            }
        }
    }
    worksheet.set_freeze_panes(1, 0).map_err(fail)?;
    workbook.save_to_buffer().map_err(fail)
}
