//! Demo logos: small PNG emblems (two overlapping rings on a coloured tile), a different colour
//! and arrangement per association, so profile sheets and the app show real images.

use std::io::Cursor;

use image::{ImageFormat, Rgba, RgbaImage};

const SIDE: u32 = 160;
const PALETTE: &[[u8; 3]] = &[
    [0x1f, 0x4e, 0x79],
    [0x2e, 0x7d, 0x32],
    [0xb2, 0x3a, 0x48],
    [0x6a, 0x4c, 0x93],
    [0xc7, 0x6b, 0x12],
    [0x00, 0x7c, 0x89],
];

/// The logo of the demo association with this index, as PNG bytes.
pub fn png(index: usize) -> Vec<u8> {
    let [r, g, b] = PALETTE[index % PALETTE.len()];
    let half = SIDE as f32 / 2.0;
    let shift = 18.0 + (index % 5) as f32 * 3.0;
    let rings = [(half - shift, half), (half + shift, half)];
    let image = RgbaImage::from_fn(SIDE, SIDE, |x, y| {
        let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
        // A tile with rounded corners: outside it is transparent.
        let corner = 26.0;
        let dx = (px - half).abs() - (half - corner);
        let dy = (py - half).abs() - (half - corner);
        let outside = dx.max(0.0).hypot(dy.max(0.0)) - corner;
        let tile = (0.5 - outside).clamp(0.0, 1.0);
        let ring = rings
            .iter()
            .map(|(cx, cy)| {
                let d = ((px - cx).hypot(py - cy) - 34.0).abs();
                (6.5 - d).clamp(0.0, 1.0)
            })
            .fold(0.0f32, f32::max);
        let mix = |c: u8| (f32::from(c) * (1.0 - ring) + 255.0 * ring) as u8;
        Rgba([mix(r), mix(g), mix(b), (tile * 255.0) as u8])
    });
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        .expect("encoding a PNG in memory does not fail");
    bytes
}

#[cfg(test)]
mod tests {
    #[test]
    fn logos_are_valid_small_pngs() {
        for i in [0, 4, 8] {
            let bytes = super::png(i);
            let logo = crate::association::validate_logo(bytes.clone()).unwrap();
            assert_eq!((logo.width, logo.height), (160, 160));
            assert!(bytes.len() < 12_000, "{} bytes", bytes.len());
        }
        assert_ne!(super::png(0), super::png(4));
    }
}
