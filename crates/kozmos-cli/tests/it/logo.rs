//! Logos: PNG and JPEG within bounds are kept; anything else is refused with a clear message.

use crate::common;

use common::{draft, TestDb};
use kozmos_core::association::{self, validate_logo, LogoChange, LOGO_MAX_BYTES};
use kozmos_core::Error;

const PNG: &[u8] = include_bytes!("../../../kozmos-core/tests/fixtures/logo.png");
const JPEG: &[u8] = include_bytes!("../../../kozmos-core/tests/fixtures/logo.jpg");
const GIF: &[u8] = include_bytes!("../../../kozmos-core/tests/fixtures/logo.gif");

fn code(bytes: Vec<u8>) -> String {
    match validate_logo(bytes) {
        Err(Error::Invalid(e)) => {
            assert_eq!(e[0].field, "logo");
            e[0].code.clone()
        }
        Err(other) => panic!("{other:?}"),
        Ok(logo) => format!("ok {} {}x{}", logo.mime, logo.width, logo.height),
    }
}

/// A PNG header that claims the given size.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = PNG.to_vec();
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    bytes
}

#[test]
fn accepts_png_and_jpeg() {
    assert_eq!(code(PNG.to_vec()), "ok image/png 64x48");
    assert_eq!(code(JPEG.to_vec()), "ok image/jpeg 64x48");
}

#[test]
fn refuses_everything_else() {
    assert_eq!(code(vec![]), "logo_empty");
    assert_eq!(code(GIF.to_vec()), "logo_type");
    assert_eq!(code(b"<svg onload=alert(1)></svg>".to_vec()), "logo_type");
    assert_eq!(code("Das ist kein Bild, nur Text.".as_bytes().to_vec()), "logo_type");
    assert_eq!(code(PNG[..12].to_vec()), "logo_broken");
    assert_eq!(code(png_claiming(5000, 10)), "logo_dimensions");
    assert_eq!(code(png_claiming(0, 10)), "logo_dimensions");
    let mut huge = PNG.to_vec();
    huge.resize(LOGO_MAX_BYTES + 1, 0);
    assert_eq!(code(huge), "logo_too_large");
}

#[tokio::test]
async fn a_refused_logo_leaves_the_association_as_it_was() {
    let db = TestDb::new().await;
    let store = &db.k.store;
    let a = association::create(store, &draft("Mit Logo"), LogoChange::Keep)
        .await
        .unwrap();
    let a = association::set_logo(store, &a.id, Some(PNG.to_vec())).await.unwrap();
    assert!(a.has_logo);
    let clock = store.clock().await.unwrap();
    assert!(association::set_logo(store, &a.id, Some(GIF.to_vec())).await.is_err());
    assert!(association::set_logo(
        store,
        &a.id,
        Some(association::decode_base64("%%%").unwrap_or_default())
    )
    .await
    .is_err());
    assert_eq!(store.clock().await.unwrap(), clock);
    let (mime, bytes) = association::logo(store, &a.id).await.unwrap().unwrap();
    assert_eq!((mime.as_str(), bytes.as_slice()), ("image/png", PNG));
    let a = association::set_logo(store, &a.id, None).await.unwrap();
    assert!(!a.has_logo);
    assert_eq!(association::logo(store, &a.id).await.unwrap(), None);
}

#[test]
fn base64_from_the_ui_round_trips_and_garbage_is_refused() {
    let url = association::data_url("image/png", PNG);
    let b64 = url.strip_prefix("data:image/png;base64,").unwrap();
    assert_eq!(association::decode_base64(b64).unwrap(), PNG);
    let Err(err) = association::decode_base64("kein base64!") else {
        panic!()
    };
    assert_eq!(err.code(), "logo_broken");
}
