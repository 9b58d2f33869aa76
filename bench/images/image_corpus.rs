//! Writes the pictures of the image benchmark (bench/images/run.py):
//! camera-sized JPEGs (4000 x 3000) and PNG screenshots, each one unique,
//! made from real photos and real screenshots.
//!
//!   cargo run --release --example image_corpus -- PHOTOS SCREENSHOTS OUT JPEGS PNGS
//!
//! PHOTOS and SCREENSHOTS are folders of source pictures. Each JPEG is a
//! different crop of a photo scaled to 4000 x 3000, with a little sensor
//! noise so it compresses like a camera's file (3 to 5 MB at quality 92);
//! each PNG a different crop of a screenshot at 1920 x 1080.

use std::path::{Path, PathBuf};

use image::{DynamicImage, GenericImageView, ImageFormat, RgbImage, imageops::FilterType};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, photos, screenshots, out, jpegs, pngs] = &args[..] else {
        eprintln!("usage: image_corpus PHOTOS SCREENSHOTS OUT JPEGS PNGS");
        std::process::exit(2);
    };
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out).unwrap();
    let photos = pictures(Path::new(photos));
    let screenshots = pictures(Path::new(screenshots));
    let jpegs: usize = jpegs.parse().unwrap();
    let pngs: usize = pngs.parse().unwrap();
    for n in 0..jpegs {
        let source = &photos[n % photos.len()];
        let picture = made(source, n, (4000, 3000), 6);
        let file = std::fs::File::create(out.join(format!("photo-{n:03}.jpg"))).unwrap();
        let encoder =
            image::codecs::jpeg::JpegEncoder::new_with_quality(std::io::BufWriter::new(file), 92);
        DynamicImage::ImageRgb8(picture)
            .write_with_encoder(encoder)
            .unwrap();
    }
    for n in 0..pngs {
        let source = &screenshots[n % screenshots.len()];
        let picture = made(source, n, (1920, 1080), 0);
        DynamicImage::ImageRgb8(picture)
            .save_with_format(out.join(format!("screen-{n:03}.png")), ImageFormat::Png)
            .unwrap();
    }
}

fn pictures(folder: &Path) -> Vec<DynamicImage> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "jpg" || ext == "png")
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| image::open(path).unwrap())
        .collect()
}

/// Crop number `n` of `source` (a different window each time), scaled to
/// `size`, with noise of up to `noise` levels per channel.
fn made(source: &DynamicImage, n: usize, size: (u32, u32), noise: u8) -> RgbImage {
    let (width, height) = source.dimensions();
    let aspect = f64::from(size.0) / f64::from(size.1);
    let crop_height = (f64::from(height) * 0.8).min(f64::from(width) * 0.8 / aspect) as u32;
    let crop_width = (f64::from(crop_height) * aspect) as u32;
    let step = (n / 7) as u32 + 1;
    let left = (step * 37) % (width - crop_width).max(1);
    let top = (step * 23) % (height - crop_height).max(1);
    let mut picture = source
        .crop_imm(left, top, crop_width, crop_height)
        .resize_exact(size.0, size.1, FilterType::Triangle)
        .into_rgb8();
    if noise > 0 {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64 ^ n as u64;
        for pixel in picture.pixels_mut() {
            for channel in &mut pixel.0 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let delta = (state % (u64::from(noise) * 2 + 1)) as i16 - i16::from(noise);
                *channel = (i16::from(*channel) + delta).clamp(0, 255) as u8;
            }
        }
    }
    picture
}
