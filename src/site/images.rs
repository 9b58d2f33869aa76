//! The site's own images by URL: their width and height, read from each
//! file's header (never decoded), so pages can reserve their space and
//! nothing jumps as they load, and their responsive variants. Remote
//! images and files that cannot be read have neither.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap as HashMap;

use crate::images::{Op, Resized, Responsive, Variants};
use crate::render::files::{SiteFile, Source};
use crate::site::urls::{join, percent_decode};

#[derive(Debug, Default)]
pub(crate) struct ImageSizes {
    /// Site path ("/img/stage.jpg") → the file copied there.
    sources: HashMap<String, PathBuf>,
    /// Sizes read so far.
    known: Mutex<HashMap<String, Option<(u32, u32)>>>,
    /// Plans the variants; none in unit tests of other stages.
    variants: Option<Arc<Variants>>,
}

impl ImageSizes {
    pub(crate) fn new(files: &[SiteFile], variants: Arc<Variants>) -> ImageSizes {
        let sources = files
            .iter()
            .filter_map(|file| match &file.source {
                Source::Copy(from) => Some((format!("/{}", file.path.as_str()), from.clone())),
                _ => None,
            })
            .collect();
        ImageSizes {
            sources,
            known: Mutex::default(),
            variants: Some(variants),
        }
    }

    /// The files the build copies, by site path.
    pub(crate) fn sources(&self) -> impl Iterator<Item = (&String, &PathBuf)> {
        self.sources.iter()
    }

    /// The size of the image `url` names on the page at `page` (a site
    /// path or one relative to the page), as shown (turned by its EXIF
    /// orientation); None for a remote image or one whose header cannot
    /// be read.
    pub(crate) fn of(&self, page: &str, url: &str) -> Option<(u32, u32)> {
        let (path, source) = self.file_of(page, url)?;
        if let Some(known) = self.lock().get(&path) {
            return *known;
        }
        let size = crate::images::probe_file(source)
            .ok()
            .filter(|probe| probe.width > 0)
            .map(|probe| (probe.width, probe.height));
        self.lock().insert(path, size);
        size
    }

    /// The smaller copies of the site's image at `url` for `srcset`, where
    /// the page writes the original as `shown_as`. Err with a warning when
    /// the image cannot be resized.
    pub(crate) fn responsive(
        &self,
        page: &str,
        url: &str,
        shown_as: &str,
    ) -> Result<Option<Responsive>, String> {
        let (Some(variants), Some((_, source))) = (&self.variants, self.file_of(page, url)) else {
            return Ok(None);
        };
        variants.responsive(source, shown_as)
    }

    /// A copy of the site's image at `url` resized by `op` to `size`, when
    /// it is a JPEG, PNG or WebP photo larger than that.
    pub(crate) fn thumbnail(
        &self,
        page: &str,
        url: &str,
        size: (u32, u32),
        op: Op,
    ) -> Option<Resized> {
        let (_, source) = self.file_of(page, url)?;
        let (width, height) = self.of(page, url)?;
        if width <= size.0 && height <= size.1 {
            return None;
        }
        let variants = self.variants.as_ref()?;
        variants
            .resize(source, (Some(size.0), Some(size.1)), op, None, None)
            .ok()
    }

    /// The variants planned for the site's pages.
    pub(crate) fn variants(&self) -> Option<&Variants> {
        self.variants.as_deref()
    }

    /// The site path and the file of the image `url` names.
    fn file_of(&self, page: &str, url: &str) -> Option<(String, &PathBuf)> {
        if !crate::markdown::SiteLink::is_into_site(url) {
            return None;
        }
        let path = url.split(['?', '#']).next().unwrap_or_default();
        let path = join(page, &percent_decode(path))?;
        let source = self.sources.get(&path)?;
        crate::images::note_file(source);
        Some((path, source))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Option<(u32, u32)>>> {
        self.known.lock().expect("no panics while holding the lock")
    }
}
