//! Pictures for the PDFs (logos): decoded within memory limits, scaled down to what print needs,
//! laid on white (the sheet's background), and kept as RGB pixels (for the PDF; the preview asks
//! for them as PNG). A logo that cannot be decoded is an error the caller reports; the sheet is
//! printed without it.

use std::io::Cursor;

use image::{DynamicImage, ImageEncoder, ImageReader, Limits, RgbImage};

use kozmos_model::error::{Error, Result};

/// The longest side kept: about 330 dpi for a logo printed 28 mm wide.
pub const MAX_SIDE: u32 = 360;
/// What decoding may allocate at most (a 4000 × 4000 RGBA image is 64 MB).
const MAX_ALLOC: u64 = 96 * 1024 * 1024;
/// Pixels per side decoding accepts: what `association::validate_logo` lets in.
const MAX_INPUT_SIDE: u32 = kozmos_model::association::LOGO_MAX_SIDE as u32;

#[derive(Clone, PartialEq, Eq)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    /// Rows of RGB, 8 bits each.
    pub rgb: Vec<u8>,
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Picture({}×{}, {} bytes RGB)",
            self.width,
            self.height,
            self.rgb.len()
        )
    }
}

impl Picture {
    /// Decodes a PNG or JPEG image and scales it down to `MAX_SIDE`.
    pub fn decode(bytes: &[u8]) -> Result<Picture> {
        let mut reader = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|_| unreadable())?;
        let mut limits = Limits::default();
        limits.max_image_width = Some(MAX_INPUT_SIDE);
        limits.max_image_height = Some(MAX_INPUT_SIDE);
        limits.max_alloc = Some(MAX_ALLOC);
        reader.limits(limits);
        let decoded = reader.decode().map_err(|e| match e {
            image::ImageError::Limits(_) => too_large(),
            _ => unreadable(),
        })?;
        let scaled = if decoded.width().max(decoded.height()) > MAX_SIDE {
            decoded.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle)
        } else {
            decoded
        };
        let rgb = on_white(&scaled);
        Ok(Picture {
            width: rgb.width(),
            height: rgb.height(),
            rgb: rgb.into_raw(),
        })
    }

    /// The picture as PNG (for the preview; encoded when asked, a print needs only the pixels).
    pub fn png(&self) -> Result<Vec<u8>> {
        let encode_error = |e: image::ImageError| Error::Io(format!("logo not encoded: {e}"));
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(&self.rgb, self.width, self.height, image::ExtendedColorType::Rgb8)
            .map_err(encode_error)?;
        Ok(png)
    }
}

/// The picture composited on white, so transparency needs no soft mask in the PDF.
fn on_white(image: &DynamicImage) -> RgbImage {
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

fn unreadable() -> Error {
    Error::invalid(
        "logo",
        "logo_unreadable",
        "Das Logo ist beschädigt und lässt sich nicht lesen; das Profilblatt wird ohne Logo gedruckt.",
        "The logo is damaged and cannot be read; the profile sheet is printed without it.",
    )
}

fn too_large() -> Error {
    Error::invalid(
        "logo",
        "logo_too_large_to_print",
        format!(
            "Das Logo ist zu groß zum Drucken (höchstens {MAX_INPUT_SIDE} Pixel je Seite); das Profilblatt wird ohne Logo gedruckt."
        ),
        format!(
            "The logo is too large to print (at most {MAX_INPUT_SIDE} pixels per side); the profile sheet is printed without it."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, rgba: [u8; 4]) -> Vec<u8> {
        let image = image::RgbaImage::from_pixel(width, height, image::Rgba(rgba));
        let mut bytes = Vec::new();
        DynamicImage::ImageRgba8(image)
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn large_logos_are_scaled_down_and_transparency_becomes_white() {
        let picture = Picture::decode(&png(1200, 600, [0, 0, 255, 0])).unwrap();
        assert_eq!((picture.width, picture.height), (MAX_SIDE, MAX_SIDE / 2));
        assert_eq!(&picture.rgb[..3], &[255, 255, 255]);
        let small = Picture::decode(&png(40, 20, [10, 20, 30, 255])).unwrap();
        assert_eq!((small.width, small.height), (40, 20));
        assert_eq!(&small.rgb[..3], &[10, 20, 30]);
        let again = image::load_from_memory(&small.png().unwrap()).unwrap().to_rgb8();
        assert_eq!(again.into_raw(), small.rgb, "the PNG holds the same pixels");
    }

    #[test]
    fn broken_and_oversized_images_are_refused_with_a_reason() {
        let whole = png(50, 50, [1, 2, 3, 255]);
        for broken in [&whole[..whole.len() / 2], b"not an image".as_slice(), &[]] {
            let err = Picture::decode(broken).unwrap_err();
            assert_eq!(err.code(), "logo_unreadable", "{err:?}");
            assert_eq!(err.field(), Some("logo"));
        }
        let huge = png(MAX_INPUT_SIDE + 1, 1, [0, 0, 0, 255]);
        let err = Picture::decode(&huge).unwrap_err();
        assert_eq!(err.code(), "logo_too_large_to_print");
    }
}
