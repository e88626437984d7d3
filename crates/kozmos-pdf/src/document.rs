//! Pages of marks to PDF bytes. printpdf makes the document: pages, pictures, the document
//! information (title, author, subject, dates) and bookmarks. The pages' content (`content`) and
//! the fonts (`embed`, subsets with ToUnicode maps) are written into it here, and the catalog gets
//! the document language.

use std::collections::BTreeMap;
use std::sync::Arc;

use printpdf::{
    ImageCompression, ImageOptimizationOptions, PdfDocument, PdfPage, PdfSaveOptions, Pt, RawImage, XObjectId,
};

use crate::content::{self, Usage};
use crate::embed;
use crate::image::Picture;
use crate::page::{Mark, Page, PAGE_HEIGHT, PAGE_WIDTH};
use kozmos_model::error::{Error, Lang, Result};

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
    // By the address of the shared picture: a logo used on several pages is embedded once.
    let mut pictures: BTreeMap<usize, XObjectId> = BTreeMap::new();
    for mark in pages.iter().flat_map(|p| &p.marks) {
        if let Mark::Image { picture, .. } = mark {
            if let std::collections::btree_map::Entry::Vacant(slot) = pictures.entry(picture_key(picture)) {
                slot.insert(doc.add_image(&raw_image(picture)?));
            }
        }
    }
    doc.with_pages(
        pages
            .iter()
            .map(|_| PdfPage::new(Pt(PAGE_WIDTH).into(), Pt(PAGE_HEIGHT).into(), Vec::new()))
            .collect(),
    );
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

    let options = PdfSaveOptions {
        // Pictures go in raw and are deflated with the other streams below: printpdf would take
        // the slowest level, a third of a sheet's PDF step when it has a logo.
        image_optimization: Some(ImageOptimizationOptions {
            format: Some(ImageCompression::None),
            auto_optimize: Some(false),
            ..ImageOptimizationOptions::default()
        }),
        ..PdfSaveOptions::default()
    };
    let mut lopdf_doc = doc.to_lopdf_document(&options, &mut Vec::new());
    let page_ids: Vec<lopdf::ObjectId> = lopdf_doc.get_pages().into_values().collect();
    let name_of = |picture: &Arc<Picture>| pictures.get(&picture_key(picture)).map(|id| id.0.clone());
    let mut usage = Usage::default();
    for (page, id) in pages.iter().zip(&page_ids) {
        let stream = content::page(page, &name_of, &mut usage)?;
        set_content(&mut lopdf_doc, *id, stream)?;
    }
    let fonts = embed::fonts(&mut lopdf_doc, &usage.faces)?;
    if let Some(first) = page_ids.first() {
        let shared = font_resources(&lopdf_doc, *first)?;
        *lopdf_doc.get_object_mut(shared).map_err(broken)? = lopdf::Object::Dictionary(fonts);
    }
    finish_catalog(&mut lopdf_doc, meta.lang, !outline.is_empty())?;
    compress_streams(&mut lopdf_doc);
    let mut bytes = Vec::new();
    lopdf_doc
        .save_to(&mut bytes)
        .map_err(|e| Error::Io(format!("PDF not written: {e}")))?;
    Ok(bytes)
}

fn picture_key(picture: &Arc<Picture>) -> usize {
    Arc::as_ptr(picture) as usize
}

fn broken(e: lopdf::Error) -> Error {
    Error::Io(format!("PDF pages: {e}"))
}

/// Puts `stream` in place of the page's (empty) content.
fn set_content(doc: &mut lopdf::Document, page: lopdf::ObjectId, stream: Vec<u8>) -> Result<()> {
    let contents = doc
        .get_dictionary(page)
        .and_then(|page| page.get(b"Contents"))
        .and_then(lopdf::Object::as_reference)
        .map_err(broken)?;
    doc.get_object_mut(contents)
        .and_then(lopdf::Object::as_stream_mut)
        .map_err(broken)?
        .set_content(stream);
    Ok(())
}

/// The font resources of a page: printpdf gives every page the same object.
fn font_resources(doc: &lopdf::Document, page: lopdf::ObjectId) -> Result<lopdf::ObjectId> {
    doc.get_dictionary(page)
        .and_then(|page| page.get(b"Resources"))
        .and_then(lopdf::Object::as_reference)
        .and_then(|resources| doc.get_dictionary(resources))
        .and_then(|resources| resources.get(b"Font"))
        .and_then(lopdf::Object::as_reference)
        .map_err(broken)
}

fn raw_image(picture: &Picture) -> Result<RawImage> {
    let rgb = image::RgbImage::from_raw(picture.width, picture.height, picture.rgb.clone())
        .ok_or_else(|| Error::Io("logo pixels do not match its size".into()))?;
    RawImage::from_dynamic_image(image::DynamicImage::ImageRgb8(rgb)).map_err(Error::Io)
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

/// The deflate level of the PDF's streams. lopdf's own `compress` takes the best (9), which spent
/// a fifth of a sheet's time. Measured on the 140 demo sheets: level 6 made them 1 % larger than 9
/// and their PDF step 17 % faster; level 2 makes them 7 % larger than 6 and the PDF step a further
/// 15 % faster.
const COMPRESSION_LEVEL: u32 = 2;
/// The font programs (two thirds of a sheet's bytes before packing) take level 1, zlib's quick
/// mode: they come out 15 % larger than at level 2 (about 2.5 KB a sheet), and deflating a sheet
/// takes 0.36 instead of 0.64 ms. The page's text at level 1 would grow by 40 %.
const FONT_COMPRESSION_LEVEL: u32 = 1;

/// Deflates every stream that allows it (and every picture) and is not filtered yet, where that
/// makes it smaller. (On all cores, a single sheet's PDF step took longer: 3.1 → 3.7–4.8 ms.)
fn compress_streams(doc: &mut lopdf::Document) {
    // One compressor per level for all streams: a new one allocates and clears its tables.
    let mut text = flate2::Compress::new(flate2::Compression::new(COMPRESSION_LEVEL), true);
    let mut fonts = flate2::Compress::new(flate2::Compression::new(FONT_COMPRESSION_LEVEL), true);
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        // printpdf marks a picture it left raw as not to be compressed.
        let picture = stream.dict.get(b"Subtype").and_then(lopdf::Object::as_name).ok() == Some(b"Image".as_slice());
        if (!stream.allows_compression && !picture) || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        // A TrueType program states its unpacked length.
        let deflate = match stream.dict.has(b"Length1") {
            true => &mut fonts,
            false => &mut text,
        };
        deflate.reset();
        // Worth it only when it saves more than the filter's entry costs.
        let mut compressed = Vec::with_capacity(stream.content.len().saturating_sub(19));
        let done = deflate.compress_vec(&stream.content, &mut compressed, flate2::FlushCompress::Finish);
        if matches!(done, Ok(flate2::Status::StreamEnd)) && compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
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
