//! Making variant files: each original decoded once (within limits, turned
//! upright by its EXIF orientation), resized with a Lanczos filter, and
//! encoded without any metadata. Builds keep what they made in the cache
//! folder and leave files the previous output already holds untouched.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageReader, Limits};
use rayon::prelude::*;

use super::probe::MAX_SIDE;
use super::{Format, Variant};
use crate::diagnostics::Diagnostic;
use crate::output::{OutputPath, Sink};

/// What a build did with the variants pages asked for.
#[derive(Debug, Default)]
pub(crate) struct Made {
    /// Variants made now (the rest came from the cache or the last output).
    pub made: usize,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// Writes the `planned` variants into `sink`: left as it was when the
/// previous output holds it, else from the cache folder (`cache`, inside
/// the site at `root`), else made, each original decoded at most once.
pub(crate) fn write_variants(
    planned: Vec<(String, Variant)>,
    sink: &dyn Sink,
    cache: Option<(&Path, &Path)>,
) -> Made {
    let mut by_source: BTreeMap<PathBuf, Vec<(String, Variant)>> = BTreeMap::new();
    for (path, variant) in planned {
        by_source
            .entry(variant.source.clone())
            .or_default()
            .push((path, variant));
    }
    let by_source: Vec<(PathBuf, Vec<(String, Variant)>)> = by_source.into_iter().collect();
    let results: Vec<(usize, Vec<Diagnostic>, bool)> = by_source
        .par_iter()
        .map(|(source, group)| write_group(source, group, sink, cache))
        .collect();
    let mut made = Made::default();
    let mut cache_failed = false;
    for (count, errors, cache_ok) in results {
        made.made += count;
        made.errors.extend(errors);
        cache_failed |= !cache_ok;
    }
    if cache_failed && let Some((_, folder)) = cache {
        made.warnings.push(
            Diagnostic::warning(
                folder,
                "some image variants could not be kept in the cache; the next build makes them again",
            )
            .help("check that the cache folder is writable and the disk has room"),
        );
    }
    made
}

/// The variants of one original; returns how many were made, the errors,
/// and whether everything made could be kept in the cache.
fn write_group(
    source: &Path,
    group: &[(String, Variant)],
    sink: &dyn Sink,
    cache: Option<(&Path, &Path)>,
) -> (usize, Vec<Diagnostic>, bool) {
    let mut upright: Option<Result<DynamicImage, String>> = None;
    let mut made = 0;
    let mut cache_ok = true;
    let mut errors = Vec::new();
    for (path, variant) in group {
        let Ok(output) = OutputPath::new(path) else {
            continue;
        };
        let cached = cache.map(|(_, folder)| folder.join(file_name(path)));
        let mut asked = false;
        let written = sink.produce(&output, variant.fingerprint(), &mut || {
            asked = true;
            if let Some(bytes) = cached.as_deref().and_then(crate::cache_files::read_entry) {
                return Ok(bytes);
            }
            let original = upright.get_or_insert_with(|| decode(source));
            let original = original
                .as_ref()
                .map_err(|problem| decode_error(source, problem))?;
            let bytes = encode(&resize(original, variant)?, variant)
                .map_err(|problem| decode_error(source, &problem))?;
            made += 1;
            if let (Some((root, _)), Some(file)) = (cache, cached.as_deref()) {
                cache_ok &= crate::cache_files::keep_entry(root, file, &bytes);
            }
            Ok(bytes)
        });
        if let Err(err) = written {
            errors.push(err);
        }
        // Kept from the last output: its cache entry is still in use.
        if let (false, Some(file)) = (asked, cached.as_deref()) {
            crate::cache_files::mark_used(file);
        }
    }
    (made, errors, cache_ok)
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The bytes of one variant, made now (for `recap serve`).
pub(crate) fn make_variant(variant: &Variant) -> Result<Vec<u8>, Diagnostic> {
    let original = decode(&variant.source).map_err(|p| decode_error(&variant.source, &p))?;
    encode(&resize(&original, variant)?, variant)
        .map_err(|problem| decode_error(&variant.source, &problem))
}

fn decode_error(source: &Path, problem: &str) -> Diagnostic {
    Diagnostic::error(
        source,
        format!("cannot make smaller copies of the image: {problem}"),
    )
    .help("open the image in an editor and save it again, or replace it")
}

/// The original as RGB or RGBA pixels, upright.
fn decode(file: &Path) -> Result<DynamicImage, String> {
    let mut reader = ImageReader::open(file)
        .and_then(ImageReader::with_guessed_format)
        .map_err(|err| format!("cannot read it: {err}"))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(1 << 30);
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(|err| err.to_string())?;
    // The orientation the probe read, so sizes planned and made agree.
    let orientation = super::probe::probe(file)
        .ok()
        .and_then(|probe| image::metadata::Orientation::from_exif(probe.orientation))
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|err| err.to_string())?;
    image.apply_orientation(orientation);
    Ok(if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    })
}

fn resize(original: &DynamicImage, variant: &Variant) -> Result<DynamicImage, Diagnostic> {
    if let Some(crop) = variant.crop
        && (u64::from(crop.left) + u64::from(crop.width) > u64::from(original.width())
            || u64::from(crop.top) + u64::from(crop.height) > u64::from(original.height()))
    {
        let problem = format!(
            "it decodes at {} x {} pixels, not the size its header gives",
            original.width(),
            original.height()
        );
        return Err(decode_error(&variant.source, &problem));
    }
    let mut resized = DynamicImage::new(variant.width, variant.height, original.color());
    let mut options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    if let Some(crop) = variant.crop {
        options = options.crop(
            f64::from(crop.left),
            f64::from(crop.top),
            f64::from(crop.width),
            f64::from(crop.height),
        );
    }
    Resizer::new()
        .resize(original, &mut resized, &options)
        .map_err(|err| decode_error(&variant.source, &format!("cannot resize it: {err}")))?;
    Ok(resized)
}

/// The pixels in the variant's format; nothing but the picture is written.
fn encode(image: &DynamicImage, variant: &Variant) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match variant.format {
        Format::Jpeg => {
            let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(
                &mut out,
                variant.quality.clamp(1, 100),
            );
            rgb.write_with_encoder(encoder)
                .map_err(|err| err.to_string())?;
        }
        Format::Png => {
            let encoder = image::codecs::png::PngEncoder::new(&mut out);
            image
                .write_with_encoder(encoder)
                .map_err(|err| err.to_string())?;
        }
        Format::Webp => {
            let (width, height) = (image.width(), image.height());
            let encoder = match image {
                DynamicImage::ImageRgba8(pixels) => {
                    webp::Encoder::from_rgba(pixels.as_raw(), width, height)
                }
                DynamicImage::ImageRgb8(pixels) => {
                    webp::Encoder::from_rgb(pixels.as_raw(), width, height)
                }
                _ => return Err("unexpected pixel layout".into()),
            };
            let encoded = encoder
                .encode_simple(false, f32::from(variant.quality))
                .map_err(|err| format!("WebP encoding failed: {err:?}"))?;
            out.extend_from_slice(&encoded);
        }
    }
    Ok(out)
}
