//! Rendered Markdown kept for the next build. `recap serve` keeps it in
//! memory, by file, while the file has not been read again (its load stamp
//! is the same); `recap build` keeps it in the cache folder
//! (`.recap-cache/markdown.bin`, a `BlobFile`), by a hash of the file's
//! path, page and text. Either way an entry is used only while the
//! settings rendering depends on are the same, a body with `@/` links also
//! needs every page's URL unchanged, and on disk every site image the body
//! showed must still have the same bytes (its size and variants are in the
//! HTML).

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap as HashMap;

use crate::cache_files::{BlobFile, Kind, Reader};
use crate::images::Variants;
use crate::markdown::Rendered;

const KIND: Kind = Kind {
    file: "markdown.bin",
    magic: b"RECAPMD\x01",
    size_limit: 512 << 20,
    without_it: "renders all Markdown",
};

#[derive(Debug, Default)]
pub(crate) struct MarkdownCache {
    entries: Mutex<HashMap<String, Cached>>,
    settings: Mutex<u64>,
    /// Builds: the entries kept between runs.
    disk: Option<BlobFile>,
}

#[derive(Debug)]
struct Cached {
    stamp: u64,
    /// The fingerprint of the site's URLs when it was rendered.
    urls: u64,
    rendered: Arc<Rendered>,
}

/// One document to render: its path under `content/`, the page it is on,
/// its load stamp and its Markdown.
pub(crate) struct Doc<'a> {
    pub content_path: &'a str,
    pub page: &'a str,
    pub stamp: u64,
    pub body: &'a str,
}

impl MarkdownCache {
    /// The cache kept in `folder` (inside the site at `root`) between builds.
    pub(crate) fn on_disk(root: &Path, folder: &Path) -> MarkdownCache {
        let identity = {
            let mut hasher = rustc_hash::FxHasher::default();
            env!("CARGO_PKG_VERSION").hash(&mut hasher);
            hasher.finish()
        };
        MarkdownCache {
            disk: Some(BlobFile::open(root, folder, KIND, identity)),
            ..MarkdownCache::default()
        }
    }

    /// Whether this is a build's cache (sources need not be kept for it).
    pub(crate) fn is_on_disk(&self) -> bool {
        self.disk.is_some()
    }

    /// Forgets everything when the settings rendering depends on changed.
    pub(crate) fn keep_if(&self, settings: u64) {
        let mut current = self
            .settings
            .lock()
            .expect("no panics while holding the lock");
        if *current != settings {
            self.entries
                .lock()
                .expect("no panics while holding the lock")
                .clear();
            *current = settings;
        }
    }

    fn settings(&self) -> u64 {
        *self
            .settings
            .lock()
            .expect("no panics while holding the lock")
    }

    /// The rendering of `doc`: kept, or made by `render` (and kept).
    pub(crate) fn get_or_render(
        &self,
        doc: &Doc,
        urls: u64,
        images: Option<&Variants>,
        render: impl FnOnce() -> Rendered,
    ) -> Arc<Rendered> {
        match &self.disk {
            Some(disk) => self.get_or_render_on_disk(disk, doc, urls, images, render),
            None => self.get_or_render_in_memory(doc, urls, render),
        }
    }

    fn get_or_render_in_memory(
        &self,
        doc: &Doc,
        urls: u64,
        render: impl FnOnce() -> Rendered,
    ) -> Arc<Rendered> {
        let cached = self
            .entries
            .lock()
            .expect("no panics while holding the lock")
            .get(doc.content_path)
            .filter(|cached| {
                cached.stamp == doc.stamp
                    && (!cached.rendered.links_to_pages || cached.urls == urls)
            })
            .map(|cached| Arc::clone(&cached.rendered));
        if let Some(rendered) = cached {
            return rendered;
        }
        let rendered = Arc::new(render());
        let entry = Cached {
            stamp: doc.stamp,
            urls,
            rendered: Arc::clone(&rendered),
        };
        self.entries
            .lock()
            .expect("no panics while holding the lock")
            .insert(doc.content_path.to_string(), entry);
        rendered
    }

    fn get_or_render_on_disk(
        &self,
        disk: &BlobFile,
        doc: &Doc,
        urls: u64,
        images: Option<&Variants>,
        render: impl FnOnce() -> Rendered,
    ) -> Arc<Rendered> {
        let key = {
            let mut hasher = rustc_hash::FxHasher::default();
            (doc.content_path, doc.page, doc.body).hash(&mut hasher);
            hasher.finish()
        };
        let settings = self.settings();
        let kept = disk
            .get(key)
            .and_then(|blob| decode(&blob, settings, urls))
            .filter(|rendered| images_unchanged(rendered, images));
        if let Some(rendered) = kept {
            if let Some(images) = images {
                images.plan_again(&rendered.variants);
            }
            return Arc::new(rendered);
        }
        let mut rendered = render();
        if let Some(images) = images {
            rendered.image_files = rendered
                .image_files
                .iter()
                .filter_map(|(file, _)| Some((file.clone(), images.content_hash(file)?)))
                .collect();
        }
        if let Some(blob) = encode(&rendered, settings, urls) {
            disk.put(key, blob);
        }
        Arc::new(rendered)
    }

    /// Saves the entries this build used and made; a warning when the
    /// file could not be used or written.
    pub(crate) fn save(&self) -> Vec<String> {
        let Some(disk) = &self.disk else {
            return Vec::new();
        };
        disk.warning.iter().cloned().chain(disk.save()).collect()
    }
}

/// The settings and URL fingerprints, then the rendering as JSON.
fn encode(rendered: &Rendered, settings: u64, urls: u64) -> Option<Vec<u8>> {
    let mut blob = Vec::with_capacity(rendered.html.len() * 2);
    blob.extend_from_slice(&settings.to_le_bytes());
    blob.extend_from_slice(&urls.to_le_bytes());
    serde_json::to_writer(&mut blob, rendered).ok()?;
    Some(blob)
}

fn decode(blob: &[u8], settings: u64, urls: u64) -> Option<Rendered> {
    let mut reader = Reader { bytes: blob };
    if reader.u64()? != settings {
        return None;
    }
    let rendered_with = reader.u64()?;
    let rendered: Rendered = serde_json::from_slice(reader.bytes).ok()?;
    (!rendered.links_to_pages || rendered_with == urls).then_some(rendered)
}

/// Whether every site image the body showed still has the bytes it had.
fn images_unchanged(rendered: &Rendered, images: Option<&Variants>) -> bool {
    rendered
        .image_files
        .iter()
        .all(|(file, hash)| images.is_some_and(|images| images.content_hash(file) == Some(*hash)))
}

/// The files of images a body showed, as its renderer looked them up.
#[derive(Debug, Default)]
pub(crate) struct ImagesShown(Mutex<Vec<PathBuf>>);

impl ImagesShown {
    pub(crate) fn note(&self, file: &Path) {
        let mut shown = self.0.lock().expect("no panics while holding the lock");
        if !shown.iter().any(|known| known == file) {
            shown.push(file.to_path_buf());
        }
    }

    pub(crate) fn take(&self) -> Vec<PathBuf> {
        std::mem::take(&mut *self.0.lock().expect("no panics while holding the lock"))
    }
}
