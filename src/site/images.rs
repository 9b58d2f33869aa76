//! The width and height of the site's own images, read from each file's
//! header (never decoded), so pages can reserve their space and nothing
//! jumps as they load. Remote images and files that cannot be read have
//! no size.

use std::path::PathBuf;
use std::sync::Mutex;

use rustc_hash::FxHashMap as HashMap;

use crate::render::files::{SiteFile, Source};
use crate::site::urls::{join, percent_decode};

#[derive(Debug, Default)]
pub(crate) struct ImageSizes {
    /// Site path ("/img/stage.jpg") → the file copied there.
    sources: HashMap<String, PathBuf>,
    /// Sizes read so far.
    known: Mutex<HashMap<String, Option<(u32, u32)>>>,
}

impl ImageSizes {
    pub(crate) fn new(files: &[SiteFile]) -> ImageSizes {
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
        }
    }

    /// The files the build copies, by site path.
    pub(crate) fn sources(&self) -> impl Iterator<Item = (&String, &PathBuf)> {
        self.sources.iter()
    }

    /// The size of the image `url` names on the page at `page` (a site
    /// path or one relative to the page); None for a remote image or one
    /// whose header cannot be read.
    pub(crate) fn of(&self, page: &str, url: &str) -> Option<(u32, u32)> {
        if !crate::markdown::SiteLink::is_into_site(url) {
            return None;
        }
        let path = url.split(['?', '#']).next().unwrap_or_default();
        let path = join(page, &percent_decode(path))?;
        if let Some(known) = self.lock().get(&path) {
            return *known;
        }
        let size = self.sources.get(&path).and_then(|source| {
            let size = imagesize::size(source).ok()?;
            Some((
                u32::try_from(size.width).ok()?,
                u32::try_from(size.height).ok()?,
            ))
        });
        self.lock().insert(path, size);
        size
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Option<(u32, u32)>>> {
        self.known.lock().expect("no panics while holding the lock")
    }
}
