//! Pages of marks to PDF bytes: embeds the fonts as subsets (with ToUnicode maps), sets the
//! document information (title, author, subject, dates), the document language and bookmarks.

use std::collections::BTreeMap;
use std::sync::Arc;

use printpdf::{
    Codepoint, Color as PdfColor, FontId, ImageCompression, ImageOptimizationOptions, Op, PaintMode, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Pt, RawImage, Rect, Rgb, TextItem, TextMatrix, XObjectId, XObjectTransform,
};

use crate::fonts::{self, FaceId};
use crate::image::Picture;
use crate::page::{Color, Mark, Page, PAGE_HEIGHT, PAGE_WIDTH};
use crate::shape::{Glyph, Line};
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
    let mut resources = Resources::default();
    for mark in pages.iter().flat_map(|p| &p.marks) {
        match mark {
            Mark::Text { line, .. } => {
                let joiners = line.glyphs.iter().flat_map(|g| joiners(line, g)).map(|j| j.face);
                for face in line.glyphs.iter().map(|g| g.face).chain(joiners) {
                    if let std::collections::btree_map::Entry::Vacant(slot) = resources.fonts.entry(face) {
                        slot.insert(doc.add_font(&fonts::face(face)?.parsed));
                    }
                }
            }
            Mark::Image { picture, .. } => {
                let key = Arc::as_ptr(picture) as usize;
                if let std::collections::btree_map::Entry::Vacant(slot) = resources.images.entry(key) {
                    slot.insert(doc.add_image(&raw_image(picture)?));
                }
            }
            Mark::Rect { .. } => {}
        }
    }
    let mut pdf_pages = Vec::with_capacity(pages.len());
    for page in pages {
        let ops = resources.operators(page);
        pdf_pages.push(PdfPage::new(Pt(PAGE_WIDTH).into(), Pt(PAGE_HEIGHT).into(), ops));
    }
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
        // Pictures go in raw and are deflated with the other streams below: printpdf would take
        // the slowest level, a third of a sheet's PDF step when it has a logo.
        image_optimization: Some(ImageOptimizationOptions {
            format: Some(ImageCompression::None),
            auto_optimize: Some(false),
            ..ImageOptimizationOptions::default()
        }),
        ..PdfSaveOptions::default()
    };
    let mut lopdf_doc = doc.to_lopdf_document(&options, &mut warnings);
    finish_catalog(&mut lopdf_doc, meta.lang, !outline.is_empty())?;
    compress_streams(&mut lopdf_doc, COMPRESSION_LEVEL);
    let mut bytes = Vec::new();
    lopdf_doc
        .save_to(&mut bytes)
        .map_err(|e| Error::Io(format!("PDF not written: {e}")))?;
    Ok(bytes)
}

/// The fonts and images registered with the document, and the text each glyph stands for.
#[derive(Default)]
struct Resources {
    fonts: BTreeMap<FaceId, FontId>,
    /// By the address of the shared picture: a logo used on several pages is embedded once.
    images: BTreeMap<usize, XObjectId>,
    /// The first text given to a glyph: the ToUnicode map holds one text per glyph, and printpdf
    /// keeps the last one it sees, so every use of a glyph passes the same.
    texts: BTreeMap<(FaceId, u16), String>,
}

/// Where text operators go, and the font they are set in now.
struct Pen<'a> {
    ops: &'a mut Vec<Op>,
    face: Option<FaceId>,
    size: f32,
}

/// A joiner (U+200C, U+200D) of a glyph's text, and the glyph it is written with.
struct Joiner {
    face: FaceId,
    gid: u16,
    ch: char,
    /// Drawn on the glyph's left edge: before it in left-to-right text, after it in right-to-left.
    on_left: bool,
}

/// The joiners a glyph's text holds. Shaping drops them and gives their bytes to the glyph
/// before or after; written as glyphs of their own they reach copied text.
fn joiners(line: &Line, glyph: &Glyph) -> Vec<Joiner> {
    let mut seen_letter = false;
    let mut found = Vec::new();
    for ch in line.glyph_text(glyph).chars() {
        match fonts::joiner_glyph(ch, glyph.face.style) {
            Some((face, gid)) => found.push(Joiner {
                face,
                gid,
                ch,
                on_left: seen_letter == glyph.rtl,
            }),
            None => seen_letter |= !fonts::is_format_char(ch),
        }
    }
    found
}

impl Resources {
    /// One glyph at (x, y), mapped to its text (the first text given to this glyph).
    fn show(&mut self, pen: &mut Pen, face: FaceId, gid: u16, text: impl FnOnce() -> String, x: f32, y: f32) {
        if pen.face != Some(face) {
            pen.face = Some(face);
            pen.ops.push(Op::SetFont {
                font: PdfFontHandle::External(self.fonts[&face].clone()),
                size: Pt(pen.size),
            });
        }
        let text = self.texts.entry((face, gid)).or_insert_with(text).clone();
        pen.ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(x), Pt(y)),
        });
        pen.ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(vec![Codepoint {
                gid,
                offset: 0.0,
                cid: (!text.is_empty()).then_some(text),
            }])],
        });
    }

    fn operators(&mut self, page: &Page) -> Vec<Op> {
        let mut ops = Vec::with_capacity(page.marks.len() * 8);
        for mark in &page.marks {
            match mark {
                Mark::Text {
                    x,
                    baseline,
                    line,
                    style,
                } => {
                    ops.extend([Op::StartTextSection, Op::SetFillColor { col: rgb(style.color) }]);
                    let mut pen = Pen {
                        ops: &mut ops,
                        face: None,
                        size: style.size,
                    };
                    let y = PAGE_HEIGHT - baseline;
                    for (i, glyph) in line.glyphs.iter().enumerate() {
                        // A joiner goes where it stands in the text, at zero advance: on the
                        // glyph's left or right edge, written in that order.
                        let (left, right): (Vec<_>, Vec<_>) = joiners(line, glyph).into_iter().partition(|j| j.on_left);
                        let right_edge = line.glyphs.get(i + 1).map_or(line.width, |next| next.x);
                        for j in left {
                            self.show(&mut pen, j.face, j.gid, || j.ch.to_string(), x + glyph.x, y);
                        }
                        let text = || line.glyph_unicode(glyph);
                        self.show(&mut pen, glyph.face, glyph.gid, text, x + glyph.x, y + glyph.rise);
                        for j in right {
                            self.show(&mut pen, j.face, j.gid, || j.ch.to_string(), x + right_edge, y);
                        }
                    }
                    ops.push(Op::EndTextSection);
                }
                Mark::Rect {
                    x,
                    top,
                    width,
                    height,
                    color,
                } => {
                    let mut rectangle =
                        Rect::from_xywh(Pt(*x), Pt(PAGE_HEIGHT - top - height), Pt(*width), Pt(*height));
                    rectangle.mode = Some(PaintMode::Fill);
                    ops.extend([Op::SetFillColor { col: rgb(*color) }, Op::DrawRectangle { rectangle }]);
                }
                Mark::Image {
                    x,
                    top,
                    width,
                    height,
                    picture,
                } => {
                    let id = self.images[&(Arc::as_ptr(picture) as usize)].clone();
                    ops.push(Op::UseXobject {
                        id,
                        transform: XObjectTransform {
                            translate_x: Some(Pt(*x)),
                            translate_y: Some(Pt(PAGE_HEIGHT - top - height)),
                            scale_x: Some(width / picture.width as f32),
                            scale_y: Some(height / picture.height as f32),
                            dpi: Some(72.0),
                            ..XObjectTransform::default()
                        },
                    });
                }
            }
        }
        ops
    }
}

fn raw_image(picture: &Picture) -> Result<RawImage> {
    let rgb = image::RgbImage::from_raw(picture.width, picture.height, picture.rgb.clone())
        .ok_or_else(|| Error::Io("logo pixels do not match its size".into()))?;
    RawImage::from_dynamic_image(image::DynamicImage::ImageRgb8(rgb)).map_err(Error::Io)
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

/// The deflate level of the PDF's streams. lopdf's own `compress` takes the best (9), which spent
/// a fifth of a sheet's time. Measured on the 140 demo sheets: level 6 made them 1 % larger than 9
/// and their PDF step 17 % faster; level 2 makes them 7 % larger than 6 (34 against 32 KB without
/// a logo) and the PDF step a further 0.5 ms (15 %) faster; level 1 made them 28 % larger.
const COMPRESSION_LEVEL: u32 = 2;

/// Deflates every stream that allows it (and every picture) and is not filtered yet, where that
/// makes it smaller. (On all cores, a single sheet's PDF step took longer: 3.1 → 3.7–4.8 ms.)
fn compress_streams(doc: &mut lopdf::Document, level: u32) {
    use std::io::Write;
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        // printpdf marks a picture it left raw as not to be compressed.
        let picture = stream.dict.get(b"Subtype").and_then(lopdf::Object::as_name).ok() == Some(b"Image".as_slice());
        if (!stream.allows_compression && !picture) || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
        let Ok(compressed) = encoder.write_all(&stream.content).and_then(|()| encoder.finish()) else {
            continue;
        };
        if compressed.len() + 19 < stream.content.len() {
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
