//! Pages of marks to PDF bytes: embeds the fonts as subsets (with ToUnicode maps), sets the
//! document information (title, author, subject, dates), the document language and bookmarks.

use printpdf::{
    Color as PdfColor, FontId, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, Rect, Rgb,
    TextItem, TextMatrix,
};

use super::fonts::{self, Style};
use super::page::{Color, Mark, Page, PAGE_HEIGHT, PAGE_WIDTH};
use crate::error::{Error, Lang, Result};

/// The document information.
pub struct Metadata {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    pub lang: Lang,
    pub created: time::OffsetDateTime,
}

/// The finished PDF.
pub fn render(pages: &[Page], outline: &[(String, usize)], meta: &Metadata) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(&meta.title);
    let regular = doc.add_font(&fonts::face(Style::Regular)?.parsed);
    let bold = doc.add_font(&fonts::face(Style::Bold)?.parsed);
    let pdf_pages = pages
        .iter()
        .map(|page| {
            PdfPage::new(
                Pt(PAGE_WIDTH).into(),
                Pt(PAGE_HEIGHT).into(),
                operators(page, &regular, &bold),
            )
        })
        .collect();
    doc.with_pages(pdf_pages);
    for (title, page) in outline {
        doc.add_bookmark(title, *page);
    }
    let created = pdf_date(meta.created);
    let info = &mut doc.metadata.info;
    info.document_title = meta.title.clone();
    info.author = meta.author.clone();
    info.subject = meta.subject.clone();
    info.keywords = meta.keywords.clone();
    info.creator = "KOZMOS".into();
    info.producer = format!("KOZMOS {} (printpdf 0.12.8)", env!("CARGO_PKG_VERSION"));
    info.creation_date = created;
    info.modification_date = created;
    info.metadata_date = created;

    let mut warnings = Vec::new();
    let options = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let mut lopdf_doc = doc.to_lopdf_document(&options, &mut warnings);
    finish_catalog(&mut lopdf_doc, meta.lang, !outline.is_empty())?;
    lopdf_doc.compress();
    let mut bytes = Vec::new();
    lopdf_doc
        .save_to(&mut bytes)
        .map_err(|e| Error::Io(format!("PDF not written: {e}")))?;
    Ok(bytes)
}

fn operators(page: &Page, regular: &FontId, bold: &FontId) -> Vec<Op> {
    let mut ops = Vec::with_capacity(page.marks.len() * 4);
    for mark in &page.marks {
        match mark {
            Mark::Text {
                x,
                baseline,
                text,
                style,
            } => {
                let font = match style.style {
                    Style::Regular => regular.clone(),
                    Style::Bold => bold.clone(),
                };
                ops.extend([
                    Op::StartTextSection,
                    Op::SetFont {
                        font: PdfFontHandle::External(font),
                        size: Pt(style.size),
                    },
                    Op::SetFillColor { col: rgb(style.color) },
                    Op::SetTextMatrix {
                        matrix: TextMatrix::Translate(Pt(*x), Pt(PAGE_HEIGHT - baseline)),
                    },
                    Op::ShowText {
                        items: vec![TextItem::Text(text.clone())],
                    },
                    Op::EndTextSection,
                ]);
            }
            Mark::Rect {
                x,
                top,
                width,
                height,
                color,
            } => {
                let mut rectangle = Rect::from_xywh(Pt(*x), Pt(PAGE_HEIGHT - top - height), Pt(*width), Pt(*height));
                rectangle.mode = Some(PaintMode::Fill);
                ops.extend([Op::SetFillColor { col: rgb(*color) }, Op::DrawRectangle { rectangle }]);
            }
        }
    }
    ops
}

fn rgb(Color(r, g, b): Color) -> PdfColor {
    PdfColor::Rgb(Rgb::new(
        f32::from(r) / 255.0,
        f32::from(g) / 255.0,
        f32::from(b) / 255.0,
        None,
    ))
}

/// printpdf writes dates as UTC, so the moment goes in as UTC.
fn pdf_date(at: time::OffsetDateTime) -> printpdf::OffsetDateTime {
    let at = at.to_offset(time::UtcOffset::UTC);
    printpdf::OffsetDateTime::new_in_offset(
        printpdf::Date {
            year: at.year(),
            month: u8::from(at.month()),
            day: at.day(),
        },
        printpdf::Time {
            hour: at.hour(),
            minute: at.minute(),
            second: at.second(),
            millisecond: at.millisecond(),
        },
        printpdf::Offset {
            hours: 0,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    )
}

/// What printpdf has no API for: PDF 1.4 with /Lang on the catalog, viewers showing the title rather than the
/// file name, the bookmarks panel opened as a name (printpdf writes it as a string), and no
/// empty PDF/X version claim in the document information.
fn finish_catalog(doc: &mut lopdf::Document, lang: Lang, outline: bool) -> Result<()> {
    use lopdf::{Dictionary, Object, StringFormat};
    let broken = |e: lopdf::Error| Error::Io(format!("PDF catalog: {e}"));
    // /Lang and /ViewerPreferences came with PDF 1.4.
    doc.version = "1.4".into();
    let catalog = doc.catalog_mut().map_err(broken)?;
    catalog.set(
        "Lang",
        Object::String(lang.code().as_bytes().to_vec(), StringFormat::Literal),
    );
    catalog.set(
        "ViewerPreferences",
        Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))]),
    );
    if outline {
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .map_err(broken)?;
    let info = doc.get_object_mut(info).and_then(Object::as_dict_mut).map_err(broken)?;
    for empty in ["GTS_PDFXVersion", "Identifier", "Trapped"] {
        info.remove(empty.as_bytes());
    }
    Ok(())
}
