//! The site's photos made fit for the web. A page that shows a large JPEG,
//! PNG or WebP asks for smaller copies of it (at the widths of `[images]`,
//! in WebP and in the image's own format) and lists them in `srcset`; a
//! template asks for one exact size with `resize_image()`. Asking only
//! plans a variant: its name carries a hash of the original's bytes and of
//! the parameters, so the URL is known at once, and the build makes the
//! files afterwards, in parallel, from the cache when it can (see
//! `make`). Originals are copied without their camera data (`strip`).

mod make;
mod probe;
mod strip;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

pub(crate) use make::{make_variant, write_variants};
pub(crate) use probe::{Kind, MAX_SIDE, Probe, probe as probe_file};
pub(crate) use strip::{copied_bytes, may_carry_metadata};

use crate::config::ImagesConfig;

thread_local! {
    /// What the rendering running on this thread has looked at, while one
    /// is being watched (`gathering`).
    static SEEN: RefCell<Option<Seen>> = const { RefCell::new(None) };
}

/// The image files a rendering looked at and the variants it planned: its
/// HTML depends on the files, and names the variants.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    pub files: Vec<PathBuf>,
    pub variants: Vec<(String, Variant)>,
}

/// Runs `render`, gathering what it looks at and plans on this thread
/// (templates and shortcodes render on the thread that asked).
pub(crate) fn gathering<T>(render: impl FnOnce() -> T) -> (T, Seen) {
    let outer = SEEN.with(|seen| seen.replace(Some(Seen::default())));
    let value = render();
    let seen = SEEN.with(|seen| seen.replace(outer)).unwrap_or_default();
    (value, seen)
}

/// Notes that the rendering being watched looked at the image `file`.
pub(crate) fn note_file(file: &Path) {
    SEEN.with(|seen| {
        if let Some(seen) = seen.borrow_mut().as_mut()
            && !seen.files.iter().any(|known| known == file)
        {
            seen.files.push(file.to_path_buf());
        }
    });
}

fn note_variant(path: &str, variant: &Variant) {
    SEEN.with(|seen| {
        if let Some(seen) = seen.borrow_mut().as_mut() {
            seen.variants.push((path.to_string(), variant.clone()));
        }
    });
}

/// The output folder of variants.
pub(crate) const VARIANTS_DIR: &str = "processed-images";

/// A file format variants are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    pub(crate) fn named(name: &str) -> Option<Format> {
        match name {
            "jpeg" | "jpg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    fn of(kind: Kind) -> Option<Format> {
        match kind {
            Kind::Jpeg => Some(Format::Jpeg),
            Kind::Png => Some(Format::Png),
            Kind::Webp => Some(Format::Webp),
            _ => None,
        }
    }

    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    pub(crate) fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }
}

/// A region of the (upright) original, in its pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct Crop {
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
}

/// Everything one variant file is made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct Variant {
    pub source: PathBuf,
    /// Of the original's bytes, so a touched but equal file keeps its
    /// variants' names (and a CI checkout its cache).
    pub source_hash: u64,
    pub width: u32,
    pub height: u32,
    pub crop: Option<Crop>,
    pub format: Format,
    pub quality: u8,
}

impl Variant {
    /// Of the parameters and the original's bytes: the name's hash, and the
    /// stamp the output compares to leave an unchanged file untouched.
    pub(crate) fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        self.source_hash.hash(&mut hasher);
        (
            self.width,
            self.height,
            self.crop,
            self.format,
            self.quality,
        )
            .hash(&mut hasher);
        hasher.finish()
    }

    /// `processed-images/stage-960x720-1a2b3c4d5e6f7a8b.webp`: readable,
    /// and never the same for different bytes, so hosts may cache it
    /// forever.
    fn output_path(&self) -> String {
        let stem = self
            .source
            .file_stem()
            .map(|stem| crate::content::slugs::slugify(&stem.to_string_lossy()))
            .filter(|stem| !stem.is_empty())
            .unwrap_or_else(|| "image".into());
        let stem: String = stem.chars().take(48).collect();
        format!(
            "{VARIANTS_DIR}/{stem}-{}x{}-{:016x}.{}",
            self.width,
            self.height,
            self.fingerprint(),
            self.format.extension()
        )
    }
}

/// The `srcset` lists of a responsive image.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct Responsive {
    /// In the image's own format, ending with the original at its width.
    pub srcset: String,
    /// One per extra format (WebP), for `<source>` elements.
    pub sources: Vec<SourceSet>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct SourceSet {
    #[serde(rename = "type")]
    pub mime: &'static str,
    pub srcset: String,
}

/// What `resize_image()` hands to a template.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct Resized {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub orig_width: u32,
    pub orig_height: u32,
}

/// How `resize_image()` fits an image into the size asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// Exactly that size, stretched if need be.
    Scale,
    /// That width; the height follows.
    FitWidth,
    /// That height; the width follows.
    FitHeight,
    /// Within both, keeping the proportions; never larger than the original.
    Fit,
    /// Exactly that size, cut from the middle of the original.
    Fill,
}

impl Op {
    pub(crate) const NAMES: &'static str =
        "\"fit\", \"fill\", \"fit_width\", \"fit_height\" or \"scale\"";

    pub(crate) fn named(name: &str) -> Option<Op> {
        match name {
            "scale" => Some(Op::Scale),
            "fit_width" => Some(Op::FitWidth),
            "fit_height" => Some(Op::FitHeight),
            "fit" => Some(Op::Fit),
            "fill" => Some(Op::Fill),
            _ => None,
        }
    }
}

/// The variants pages have asked for, and what is known of the originals.
/// One per loaded theme: `recap serve` keeps it across rebuilds, so a page
/// rendered before an edit still finds its variants.
#[derive(Debug)]
pub(crate) struct Variants {
    config: ImagesConfig,
    base_path: String,
    formats: Vec<Format>,
    planned: Mutex<BTreeMap<String, Variant>>,
    probes: Mutex<HashMap<PathBuf, Result<Probe, String>>>,
    hashes: probe::HashMemo,
}

impl Variants {
    /// `cache`: the site and its images cache folder, for builds.
    pub(crate) fn new(
        config: &ImagesConfig,
        base_path: &str,
        cache: Option<(PathBuf, PathBuf)>,
    ) -> Variants {
        let formats = config
            .formats
            .iter()
            .filter_map(|name| Format::named(name))
            .collect();
        Variants {
            config: config.clone(),
            base_path: base_path.to_string(),
            formats,
            planned: Mutex::default(),
            probes: Mutex::default(),
            hashes: probe::HashMemo::new(cache),
        }
    }

    /// What the header of `file` says (memoised while its size and time
    /// are the same).
    pub(crate) fn probe(&self, file: &Path) -> Result<Probe, String> {
        note_file(file);
        let now = std::fs::metadata(file).ok().map(|metadata| {
            (
                metadata.len(),
                crate::output::stamps::modified_nanos(&metadata).unwrap_or_default(),
            )
        });
        let known = lock(&self.probes).get(file).cloned();
        match known {
            Some(Ok(probe)) if now == Some((probe.len, probe.modified)) => return Ok(probe),
            Some(Err(problem)) if now.is_none() => return Err(problem),
            _ => {}
        }
        let probed = probe::probe(file);
        lock(&self.probes).insert(file.to_path_buf(), probed.clone());
        probed
    }

    /// The smaller copies of `file` for `srcset`, where it is a JPEG, PNG
    /// or WebP picture wider than the smallest configured width. Err with
    /// a warning when the file cannot be used (it is then shown as is).
    /// Whether pages showing the picture `probe` describes get smaller
    /// copies of it.
    pub(crate) fn gets_variants(&self, probe: &Probe) -> bool {
        gets_variants(probe, &self.config)
    }

    /// `original` is the original's URL as the page writes it.
    pub(crate) fn responsive(
        &self,
        file: &Path,
        original: &str,
    ) -> Result<Option<Responsive>, String> {
        let probe = self.probe(file)?;
        let Some(own) = Format::of(probe.kind).filter(|_| !probe.animated) else {
            return Ok(None);
        };
        let widths: Vec<u32> = self
            .config
            .widths
            .iter()
            .copied()
            .filter(|width| *width < probe.width)
            .collect();
        if widths.is_empty() {
            return Ok(None);
        }
        probe.check_limits()?;
        debug_assert!(self.gets_variants(&probe));
        let source_hash = self.hashes.of(file, &probe)?;
        let set_in = |format: Format| -> String {
            widths
                .iter()
                .map(|&width| {
                    let height = scaled(probe.height, width, probe.width);
                    let variant = Variant {
                        source: file.to_path_buf(),
                        source_hash,
                        width,
                        height,
                        crop: None,
                        format,
                        quality: self.config.quality,
                    };
                    let url = self.plan(variant);
                    format!("{} {width}w", srcset_url(&url))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let sources = self
            .formats
            .iter()
            .filter(|format| **format != own)
            .map(|&format| SourceSet {
                mime: format.mime(),
                srcset: set_in(format),
            })
            .collect();
        let srcset = format!("{}, {} {}w", set_in(own), srcset_url(original), probe.width);
        Ok(Some(Responsive { srcset, sources }))
    }

    /// One variant of `file` at a size fitted by `op`, in `format` (default:
    /// the original's), for `resize_image()`.
    pub(crate) fn resize(
        &self,
        file: &Path,
        size: (Option<u32>, Option<u32>),
        op: Op,
        format: Option<Format>,
        quality: Option<u8>,
    ) -> Result<Resized, String> {
        let probe = self.probe(file)?;
        let own = Format::of(probe.kind)
            .filter(|_| !probe.animated)
            .ok_or_else(|| {
                "only JPEG, PNG and WebP pictures (not animated) can be resized".to_string()
            })?;
        probe.check_limits()?;
        let (width, height, crop) = fitted(op, size, (probe.width, probe.height))?;
        let variant = Variant {
            source: file.to_path_buf(),
            source_hash: self.hashes.of(file, &probe)?,
            width,
            height,
            crop,
            format: format.unwrap_or(own),
            quality: quality.unwrap_or(self.config.quality),
        };
        Ok(Resized {
            url: self.plan(variant),
            width,
            height,
            orig_width: probe.width,
            orig_height: probe.height,
        })
    }

    /// Records `variant` to be made and gives its URL.
    fn plan(&self, variant: Variant) -> String {
        let path = variant.output_path();
        note_variant(&path, &variant);
        let url = format!("{}/{path}", self.base_path);
        lock(&self.planned).entry(path).or_insert(variant);
        url
    }

    /// Plans variants a kept rendering names, as when it was made.
    pub(crate) fn plan_again(&self, variants: &[(String, Variant)]) {
        let mut planned = lock(&self.planned);
        for (path, variant) in variants {
            planned
                .entry(path.clone())
                .or_insert_with(|| variant.clone());
        }
    }

    /// The hash of the bytes of the image at `file`, if it can be read.
    pub(crate) fn content_hash(&self, file: &Path) -> Option<u64> {
        let probe = self.probe(file).ok()?;
        self.hashes.of(file, &probe).ok()
    }

    /// The variant written at `path`, when a page asked for one there.
    pub(crate) fn planned(&self, path: &str) -> Option<Variant> {
        lock(&self.planned).get(path).cloned()
    }

    /// Every variant asked for so far, by output path.
    pub(crate) fn all_planned(&self) -> Vec<(String, Variant)> {
        lock(&self.planned)
            .iter()
            .map(|(path, variant)| (path.clone(), variant.clone()))
            .collect()
    }

    /// Keeps the hashes of originals for the next build.
    pub(crate) fn save_hashes(&self) -> Result<(), String> {
        self.hashes.save()
    }
}

/// A JPEG, PNG or WebP picture that does not move, wider than the smallest
/// configured width and small enough to decode.
pub(crate) fn gets_variants(probe: &Probe, config: &ImagesConfig) -> bool {
    Format::of(probe.kind).is_some()
        && !probe.animated
        && config.widths.first().is_some_and(|&w| w < probe.width)
        && probe.check_limits().is_ok()
}

/// `url` as a `srcset` entry may hold it: spaces and commas would end it.
fn srcset_url(url: &str) -> String {
    url.replace(' ', "%20").replace(',', "%2C")
}

/// `length` scaled by `to / from`, at least 1.
fn scaled(length: u32, to: u32, from: u32) -> u32 {
    let scaled = (f64::from(length) * f64::from(to) / f64::from(from)).round();
    (scaled as u32).max(1)
}

/// The width, height and crop `op` makes of an original of `original`
/// size for the `asked` size.
fn fitted(
    op: Op,
    asked: (Option<u32>, Option<u32>),
    original: (u32, u32),
) -> Result<(u32, u32, Option<Crop>), String> {
    let (ow, oh) = original;
    let need = |value: Option<u32>, name: &str| {
        value
            .filter(|value| (1..=MAX_SIDE).contains(value))
            .ok_or_else(|| format!("op `{}` needs a {name} from 1 to {MAX_SIDE}", op_name(op)))
    };
    Ok(match op {
        Op::Scale => (need(asked.0, "width")?, need(asked.1, "height")?, None),
        Op::FitWidth => {
            let width = need(asked.0, "width")?.min(ow);
            (width, scaled(oh, width, ow), None)
        }
        Op::FitHeight => {
            let height = need(asked.1, "height")?.min(oh);
            (scaled(ow, height, oh), height, None)
        }
        Op::Fit => {
            let (width, height) = (need(asked.0, "width")?, need(asked.1, "height")?);
            if ow <= width && oh <= height {
                (ow, oh, None)
            } else if u64::from(ow) * u64::from(height) > u64::from(oh) * u64::from(width) {
                (width, scaled(oh, width, ow), None)
            } else {
                (scaled(ow, height, oh), height, None)
            }
        }
        Op::Fill => {
            let (width, height) = (need(asked.0, "width")?, need(asked.1, "height")?);
            // The largest region of the asked proportions, centred.
            let wide = u64::from(ow) * u64::from(height) > u64::from(oh) * u64::from(width);
            let crop = if wide {
                let crop_width = scaled(oh, width, height).min(ow);
                Crop {
                    left: (ow - crop_width) / 2,
                    top: 0,
                    width: crop_width,
                    height: oh,
                }
            } else {
                let crop_height = scaled(ow, height, width).min(oh);
                Crop {
                    left: 0,
                    top: (oh - crop_height) / 2,
                    width: ow,
                    height: crop_height,
                }
            };
            (width, height, Some(crop))
        }
    })
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::Scale => "scale",
        Op::FitWidth => "fit_width",
        Op::FitHeight => "fit_height",
        Op::Fit => "fit",
        Op::Fill => "fill",
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().expect("no panics while holding the lock")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_like_zola() {
        let photo = (4000, 3000);
        assert_eq!(
            fitted(Op::FitWidth, (Some(800), None), photo),
            Ok((800, 600, None))
        );
        assert_eq!(
            fitted(Op::FitHeight, (None, Some(300)), photo),
            Ok((400, 300, None))
        );
        assert_eq!(
            fitted(Op::Fit, (Some(500), Some(500)), photo),
            Ok((500, 375, None))
        );
        assert_eq!(
            fitted(Op::Fit, (Some(5000), Some(5000)), photo),
            Ok((4000, 3000, None))
        );
        assert_eq!(
            fitted(Op::Fill, (Some(200), Some(200)), photo),
            Ok((
                200,
                200,
                Some(Crop {
                    left: 500,
                    top: 0,
                    width: 3000,
                    height: 3000
                })
            ))
        );
        assert_eq!(
            fitted(Op::Fill, (Some(400), Some(100)), photo),
            Ok((
                400,
                100,
                Some(Crop {
                    left: 0,
                    top: 1000,
                    width: 4000,
                    height: 1000
                })
            ))
        );
        assert!(fitted(Op::Fill, (Some(200), None), photo).is_err());
        assert!(fitted(Op::Scale, (Some(0), Some(10)), photo).is_err());
    }

    #[test]
    fn names_carry_the_stem_size_and_a_hash() {
        let variant = Variant {
            source: PathBuf::from("/site/static/img/Booth Day 1.JPG"),
            source_hash: 7,
            width: 960,
            height: 720,
            crop: None,
            format: Format::Webp,
            quality: 80,
        };
        let path = variant.output_path();
        assert!(
            path.starts_with("processed-images/booth-day-1-960x720-"),
            "{path}"
        );
        assert!(path.ends_with(".webp"));
        let other = Variant {
            source_hash: 8,
            ..variant.clone()
        };
        assert_ne!(other.output_path(), path);
        let other = Variant {
            quality: 70,
            ..variant
        };
        assert_ne!(other.output_path(), path);
    }
}
