//! Logo images: PNG or JPEG, bounded in bytes and pixels, checked before they are stored.

use base64::Engine;

use crate::error::{Error, Result};

pub const LOGO_MAX_BYTES: usize = 2 * 1024 * 1024;
pub const LOGO_MAX_SIDE: usize = 4000;

/// A checked logo image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub mime: &'static str,
    pub bytes: Vec<u8>,
    pub width: usize,
    pub height: usize,
}

pub fn validate_logo(bytes: Vec<u8>) -> Result<Logo> {
    let invalid = |code: &str, de: String, en: String| Error::invalid("logo", code, de, en);
    if bytes.is_empty() {
        return Err(invalid(
            "logo_empty",
            "Die Bilddatei ist leer.".into(),
            "The image file is empty.".into(),
        ));
    }
    if bytes.len() > LOGO_MAX_BYTES {
        return Err(invalid(
            "logo_too_large",
            format!(
                "Das Logo ist {} KB groß; erlaubt sind höchstens 2 MB.",
                bytes.len() / 1024
            ),
            format!("The logo is {} KB; at most 2 MB are allowed.", bytes.len() / 1024),
        ));
    }
    let mime = match imagesize::image_type(&bytes) {
        Ok(imagesize::ImageType::Png) => "image/png",
        Ok(imagesize::ImageType::Jpeg) => "image/jpeg",
        _ => {
            return Err(invalid(
                "logo_type",
                "Das Logo muss ein PNG- oder JPEG-Bild sein.".into(),
                "The logo must be a PNG or JPEG image.".into(),
            ))
        }
    };
    let size = imagesize::blob_size(&bytes).map_err(|_| broken())?;
    if size.width == 0 || size.height == 0 || size.width > LOGO_MAX_SIDE || size.height > LOGO_MAX_SIDE {
        return Err(invalid(
            "logo_dimensions",
            format!(
                "Das Logo ist {}×{} Pixel groß; erlaubt sind 1 bis {LOGO_MAX_SIDE} Pixel je Seite.",
                size.width, size.height
            ),
            format!(
                "The logo is {}×{} pixels; 1 to {LOGO_MAX_SIDE} pixels per side are allowed.",
                size.width, size.height
            ),
        ));
    }
    Ok(Logo {
        mime,
        bytes,
        width: size.width,
        height: size.height,
    })
}

fn broken() -> Error {
    Error::invalid(
        "logo",
        "logo_broken",
        "Die Bilddatei ist beschädigt und lässt sich nicht lesen.",
        "The image file is damaged and cannot be read.",
    )
}

/// Image bytes from base64 (as the UI sends them).
pub fn decode_base64(data: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(data.trim().as_bytes())
        .map_err(|_| broken())
}

/// A data URL for showing a stored logo in an <img>.
pub fn data_url(mime: &str, bytes: &[u8]) -> String {
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}
