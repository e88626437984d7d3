//! Profile sheets ("Vereinssteckbriefe") of associations for meetings with foundations: one
//! sheet, its preview in the app, a meeting pack for a foundation (a cover and one sheet per
//! association), and batches (all associations of a filter as one PDF or a folder of files).
//!
//! `load` gathers what a sheet prints (only persons who agreed to be printed), `pdf::sheet` lays
//! it out, `pdf::document` and `pdf::svg` turn the same pages into the PDF and the preview.
//! Layout and rendering run off the async runtime, several sheets in parallel.

mod contacts;
mod load;

pub use contacts::{get as kozmos_contact, list as kozmos_contacts, set as set_kozmos_contact};
pub use contacts::{KozmosContact, KozmosContactDraft};

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use ts_rs::TS;

use crate::association::{self, AssociationQuery};
use crate::error::{Error, Lang, Result};
use crate::pdf::document::{self, Metadata};
use crate::pdf::layout::Flow;
use crate::pdf::sheet::{self, Cover, Entry, Sheet, Words};
use crate::pdf::svg;
use crate::store::Store;
use crate::text::format_date;
use crate::{foundation, matching, vocab};

/// The most associations in one meeting pack.
pub const PACK_MAX: usize = 60;
/// The most sheets in one batch.
pub const BATCH_MAX: usize = 500;

/// Something the user should know about a sheet: a logo left out, characters that cannot be
/// printed, persons left out for want of consent. The sheet is made anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SheetWarning {
    pub association_id: String,
    pub association_name: String,
    pub code: String,
    pub field: String,
    pub message_de: String,
    pub message_en: String,
}

/// A finished PDF.
#[derive(Debug, Clone)]
pub struct SheetPdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub sheets: usize,
    pub warnings: Vec<SheetWarning>,
    /// The name to suggest when saving it ("Vereinssteckbrief Ukrainische Gemeinde Jena.pdf").
    pub file_name: String,
}

/// A PDF written to a file: where, and what the user should know about it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SavedPdf {
    pub path: String,
    pub pages: usize,
    pub sheets: usize,
    pub bytes: usize,
    pub warnings: Vec<SheetWarning>,
}

impl SheetPdf {
    /// Writes the PDF whole (or not at all) to `path`.
    pub fn save(self, path: &Path) -> Result<SavedPdf> {
        crate::files::write_atomically(path, &self.bytes)?;
        Ok(SavedPdf {
            path: path.display().to_string(),
            pages: self.pages,
            sheets: self.sheets,
            bytes: self.bytes.len(),
            warnings: self.warnings,
        })
    }
}

/// One sheet as pictures for the preview.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SheetPreview {
    pub association_id: String,
    pub name: String,
    pub lang: Lang,
    /// Each page as an SVG document.
    pub pages: Vec<String>,
    pub warnings: Vec<SheetWarning>,
}

/// The files a batch wrote into a folder.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SheetFiles {
    pub folder: String,
    pub files: Vec<String>,
    pub warnings: Vec<SheetWarning>,
}

/// Sheets ready to lay out, what the user should know about them, and the author printed in the
/// document information (the volunteer at this installation).
struct LoadedSheets {
    sheets: Vec<Sheet>,
    warnings: Vec<SheetWarning>,
    author: String,
}

/// The sheets of `ids`, in their order. What they share is read beside the first sheet's reads.
async fn load_all(store: &Store, ids: &[String], lang: Lang) -> Result<LoadedSheets> {
    let mut loaded = LoadedSheets {
        sheets: Vec::with_capacity(ids.len()),
        warnings: Vec::new(),
        author: String::new(),
    };
    let Some((first, others)) = ids.split_first() else {
        loaded.author = load::Common::read(store).await?.author;
        return Ok(loaded);
    };
    let (sheet, common) = load::load(store, first, lang, load::Common::read(store)).await?;
    let mut add = |sheet: load::Loaded| {
        loaded.sheets.push(sheet.sheet);
        loaded.warnings.extend(sheet.warnings);
    };
    add(sheet);
    for id in others {
        add(load::load(store, id, lang, async { Ok(&common) }).await?.0);
    }
    loaded.author = common.author;
    Ok(loaded)
}

/// Runs layout and rendering on the blocking pool, so the async runtime stays responsive.
async fn off_runtime<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Io(format!("PDF work stopped: {e}")))?
}

fn lay_out_all(sheets: &[Sheet]) -> Result<Vec<Flow>> {
    sheets.par_iter().map(sheet::layout).collect()
}

fn metadata(title: String, subject: &str, author: String, sheets: &[Sheet], lang: Lang) -> Metadata {
    let mut keywords: Vec<String> = vec!["KOZMOS".into()];
    for s in sheets.iter().take(20) {
        keywords.push(s.name.clone());
    }
    Metadata {
        title,
        author,
        subject: subject.to_string(),
        keywords,
        lang,
        created: crate::files::local_now(),
    }
}

/// The PDF of laid-out sheets, with what the user should know about them and the name to suggest.
fn pdf_of(
    flows: Vec<Flow>,
    meta: &Metadata,
    lang: Lang,
    sheets: usize,
    warnings: Vec<SheetWarning>,
    name: &str,
) -> Result<SheetPdf> {
    let (bytes, pages) = render(flows, meta, lang)?;
    Ok(SheetPdf {
        bytes,
        pages,
        sheets,
        warnings,
        file_name: unique_file_name(name, &mut HashSet::new()),
    })
}

/// Laid-out sheets (a cover first, if any) as one PDF: its bytes and page count.
pub fn render(flows: Vec<Flow>, meta: &Metadata, lang: Lang) -> Result<(Vec<u8>, usize)> {
    let mut flows = flows.into_iter();
    let mut flow = flows.next().map_or_else(Flow::new, Ok)?;
    for next in flows {
        flow.append(next);
    }
    let (pages, outline) = flow.finish(lang);
    let outline = if outline.len() > 1 { outline } else { Vec::new() };
    Ok((document::render(&pages, &outline, meta)?, pages.len()))
}

/// What one association's sheet prints, ready to lay out (`pdf::sheet::layout`), with its warnings.
pub async fn sheet(store: &Store, id: &str, lang: Lang) -> Result<(Sheet, Vec<SheetWarning>)> {
    let (loaded, _) = load::load(store, id, lang, load::Common::read(store)).await?;
    Ok((loaded.sheet, loaded.warnings))
}

/// The document information of one association's sheet.
pub fn sheet_metadata(sheet: &Sheet, author: String) -> Metadata {
    let words = Words::new(sheet.lang);
    metadata(
        format!("{}: {}", words.title, sheet.name),
        words.subject,
        author,
        std::slice::from_ref(sheet),
        sheet.lang,
    )
}

/// The sheet of one association as PDF.
pub async fn association_pdf(store: &Store, id: &str, lang: Lang) -> Result<SheetPdf> {
    let LoadedSheets {
        sheets,
        warnings,
        author,
    } = load_all(store, &[id.to_string()], lang).await?;
    off_runtime(move || {
        let meta = sheet_metadata(&sheets[0], author);
        let name = format!("{} {}", Words::new(lang).title, sheets[0].name);
        pdf_of(lay_out_all(&sheets)?, &meta, lang, 1, warnings, &name)
    })
    .await
}

/// The sheet of one association as page pictures, exactly as it prints.
pub async fn preview(store: &Store, id: &str, lang: Lang) -> Result<SheetPreview> {
    let (printed, warnings) = sheet(store, id, lang).await?;
    let id = id.to_string();
    off_runtime(move || {
        let (pages, _) = sheet::layout(&printed)?.finish(lang);
        Ok(SheetPreview {
            association_id: id,
            name: printed.name.clone(),
            lang,
            pages: pages.iter().map(svg::page_svg).collect(),
            warnings,
        })
    })
    .await
}

/// The ids of the best-fitting eligible associations for a foundation, best first.
pub async fn best_for_pack(store: &Store, foundation_id: &str, count: usize) -> Result<Vec<String>> {
    let query = matching::MatchQuery {
        limit: count.clamp(1, PACK_MAX) as u32,
        ..Default::default()
    };
    let page = matching::for_foundation_page(store, foundation_id, &query).await?;
    if page.items.is_empty() {
        return Err(Error::invalid(
            "associations",
            "pack_no_matches",
            "Für diese Stiftung passt nach den Regeln des Abgleichs kein Verein; bitte wählen Sie die Vereine selbst.",
            "By the matching rules no association fits this foundation; please choose the associations yourself.",
        ));
    }
    Ok(page.items.into_iter().map(|m| m.association_id.to_string()).collect())
}

/// A meeting pack: a cover naming the foundation, the date and the associations (with the page
/// each sheet starts on), then one sheet per association in the order given.
pub async fn pack_pdf(store: &Store, foundation_id: &str, association_ids: &[String], lang: Lang) -> Result<SheetPdf> {
    let mut ids: Vec<String> = Vec::new();
    for id in association_ids {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    if ids.is_empty() {
        return Err(Error::invalid(
            "associations",
            "pack_empty",
            "Bitte wählen Sie mindestens einen Verein für die Mappe.",
            "Please choose at least one association for the pack.",
        ));
    }
    if ids.len() > PACK_MAX {
        return Err(too_many("associations", ids.len(), PACK_MAX));
    }
    let f = foundation::get(store, foundation_id).await?;
    let LoadedSheets {
        sheets,
        warnings,
        author,
    } = load_all(store, &ids, lang).await?;
    let foundation_place = [
        f.fields.city.clone(),
        f.fields
            .state
            .as_deref()
            .and_then(|s| vocab::find(vocab::STATES, s))
            .map(|t| lang.pick(t.de, t.en).to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let cover = Cover {
        lang,
        foundation: f.fields.name.clone(),
        foundation_place,
        date: format_date(crate::files::local_now().date(), lang),
        prepared_by: author.clone(),
        associations: sheets
            .iter()
            .map(|s| Entry {
                title: s.name.clone(),
                title_original: s.name_original.clone(),
                text: None,
                details: s.place.clone(),
            })
            .collect(),
    };
    off_runtime(move || {
        let words = Words::new(lang);
        let flows = lay_out_all(&sheets)?;
        // The cover's page count decides where the sheets start; lay it out once to count.
        let mut first_pages = Vec::with_capacity(flows.len());
        let cover_pages = sheet::cover(&cover, &vec![0; flows.len()])?.page_number();
        let mut next = cover_pages + 1;
        for flow in &flows {
            first_pages.push(next);
            next += flow.page_number();
        }
        let mut all = vec![sheet::cover(&cover, &first_pages)?];
        all.extend(flows);
        let meta = metadata(
            format!("{}: {}", words.pack, cover.foundation),
            words.pack_subject,
            author,
            &sheets,
            lang,
        );
        let name = format!("{} {}", words.pack, cover.foundation);
        pdf_of(all, &meta, lang, sheets.len(), warnings, &name)
    })
    .await
}

fn too_many(field: &str, chosen: usize, max: usize) -> Error {
    Error::invalid(
        field,
        "too_many_sheets",
        format!("Bitte grenzen Sie die Auswahl ein: höchstens {max} Vereine auf einmal, gewählt sind {chosen}."),
        format!("Please narrow the selection: at most {max} associations at once, {chosen} are chosen."),
    )
}

/// Every living association the query finds (all pages of it), by the query's order.
pub async fn batch_ids(store: &Store, query: &AssociationQuery) -> Result<Vec<String>> {
    let mut query = query.clone();
    query.offset = 0;
    query.limit = association::PAGE_LIMIT_MAX;
    let mut ids = Vec::new();
    loop {
        let page = association::list(store, &query).await?;
        let count = page.items.len() as u32;
        ids.extend(page.items.into_iter().map(|a| a.id));
        if ids.len() > BATCH_MAX {
            return Err(too_many("query", page.total as usize, BATCH_MAX));
        }
        if count == 0 || query.offset + count >= page.total {
            break;
        }
        query.offset += count;
    }
    if ids.is_empty() {
        return Err(Error::invalid(
            "query",
            "batch_empty",
            "Dieser Filter findet keinen Verein; es gibt nichts zu drucken.",
            "This filter finds no association; there is nothing to print.",
        ));
    }
    Ok(ids)
}

/// The sheets of every association the query finds, as one PDF.
pub async fn batch_pdf(store: &Store, query: &AssociationQuery, lang: Lang) -> Result<SheetPdf> {
    let ids = batch_ids(store, query).await?;
    let LoadedSheets {
        sheets,
        warnings,
        author,
    } = load_all(store, &ids, lang).await?;
    off_runtime(move || {
        let words = Words::new(lang);
        let title = match lang {
            Lang::De => format!("{} ({} Vereine)", words.batch, sheets.len()),
            Lang::En => format!("{} ({} associations)", words.batch, sheets.len()),
        };
        let meta = metadata(title, words.subject, author, &sheets, lang);
        pdf_of(lay_out_all(&sheets)?, &meta, lang, sheets.len(), warnings, words.batch)
    })
    .await
}

/// The sheets of every association the query finds, one PDF file each in `folder` (named after
/// the association; a file of the same name is replaced).
pub async fn batch_files(store: &Store, query: &AssociationQuery, lang: Lang, folder: &Path) -> Result<SheetFiles> {
    if !folder.is_dir() {
        return Err(Error::invalid(
            "folder",
            "folder_missing",
            format!("Den Ordner {} gibt es nicht.", folder.display()),
            format!("The folder {} does not exist.", folder.display()),
        ));
    }
    let ids = batch_ids(store, query).await?;
    let LoadedSheets {
        sheets,
        warnings,
        author,
    } = load_all(store, &ids, lang).await?;
    let folder = folder.to_path_buf();
    off_runtime(move || {
        let mut taken = HashSet::new();
        let paths: Vec<PathBuf> = sheets
            .iter()
            .map(|s| folder.join(unique_file_name(&s.name, &mut taken)))
            .collect();
        sheets.par_iter().zip(&paths).try_for_each(|(s, path)| -> Result<()> {
            let meta = sheet_metadata(s, author.clone());
            let (bytes, _) = render(vec![sheet::layout(s)?], &meta, lang)?;
            crate::files::write_atomically(path, &bytes)
        })?;
        Ok(SheetFiles {
            folder: folder.display().to_string(),
            files: paths.iter().map(|p| p.display().to_string()).collect(),
            warnings,
        })
    })
    .await
}

/// A file name for an association's sheet that every system accepts: its name without path or
/// reserved characters, at most 100 characters, ending in ".pdf", made unique with " (2)", …
pub fn unique_file_name(name: &str, taken: &mut HashSet<String>) -> String {
    let mut base: String = crate::text::nfc(name)
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '-'
            } else {
                c
            }
        })
        .take(100)
        .collect();
    base = base.trim_matches(|c: char| c == '.' || c.is_whitespace()).to_string();
    if base.is_empty() {
        base = "Verein".into();
    }
    let mut candidate = format!("{base}.pdf");
    let mut n = 2;
    while !taken.insert(crate::text::fold(&candidate)) {
        candidate = format!("{base} ({n}).pdf");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(unique_file_name("Verein a/b: \"c\"", &mut taken), "Verein a-b- -c-.pdf");
        assert_eq!(unique_file_name("Jena e.V.", &mut taken), "Jena e.V.pdf");
        assert_eq!(unique_file_name("JENA E.V.", &mut taken), "JENA E.V (2).pdf");
        assert_eq!(unique_file_name("...", &mut taken), "Verein.pdf");
        assert_eq!(unique_file_name("جمعية", &mut taken), "جمعية.pdf");
        assert!(unique_file_name(&"x".repeat(500), &mut taken).chars().count() <= 104);
    }
}
