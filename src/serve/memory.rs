//! The site while serving: prepared once per rebuild, each file rendered
//! the first time a browser asks for it and kept until the next rebuild.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap as HashMap;

use crate::diagnostics::Diagnostic;
use crate::output::content_hash;
use crate::pipeline::Prepared;
use crate::render::files::shows_bodies_of;

/// One file of the served site.
pub(super) struct Served {
    pub bytes: Arc<[u8]>,
    /// A strong validator for conditional GET.
    pub etag: String,
}

impl Served {
    pub(super) fn new(bytes: Vec<u8>) -> Served {
        Served {
            etag: format!("\"{:016x}\"", content_hash(&bytes)),
            bytes: bytes.into(),
        }
    }
}

pub(super) struct LiveSite {
    prepared: Prepared,
    /// Output path → index into `prepared.files`.
    index: Arc<HashMap<String, usize>>,
    rendered: Mutex<HashMap<usize, Arc<Served>>>,
    /// Image variants made when a browser asked for them.
    variants: Mutex<HashMap<String, Arc<Served>>>,
}

/// A file of the site, and whether it was rendered before this request.
pub(super) struct Fetched {
    pub file: Arc<Served>,
    pub cached: bool,
}

impl LiveSite {
    /// The site of `prepared`. When it only re-read the bodies of some posts
    /// of `previous`, the files of `previous` that show nothing of those
    /// bodies are kept as they were rendered.
    pub(super) fn new(prepared: Prepared, previous: Option<&LiveSite>) -> LiveSite {
        let same_files = previous.filter(|previous| {
            prepared.edited.is_some() && Arc::ptr_eq(&prepared.files, &previous.prepared.files)
        });
        let Some(previous) = same_files else {
            let index = prepared
                .files
                .iter()
                .enumerate()
                .map(|(id, file)| (file.path.to_string(), id))
                .collect();
            return LiveSite {
                prepared,
                index: Arc::new(index),
                rendered: Mutex::default(),
                variants: Mutex::default(),
            };
        };
        let edited = prepared.edited.as_deref().unwrap_or_default();
        let site = prepared.site();
        let kept: HashMap<usize, Arc<Served>> = previous
            .rendered
            .lock()
            .expect("no panics while holding the lock")
            .iter()
            .filter(|(id, _)| !shows_bodies_of(site, &prepared.files[**id].source, edited))
            .map(|(id, served)| (*id, Arc::clone(served)))
            .collect();
        LiveSite {
            index: Arc::clone(&previous.index),
            rendered: Mutex::new(kept),
            variants: Mutex::new(
                previous
                    .variants
                    .lock()
                    .expect("no panics while holding the lock")
                    .clone(),
            ),
            prepared,
        }
    }

    /// Every path of the site.
    #[cfg(test)]
    pub(super) fn paths(&self) -> impl Iterator<Item = &str> {
        self.index.keys().map(String::as_str)
    }

    pub(super) fn has(&self, path: &str) -> bool {
        self.index.contains_key(path) || self.prepared.renderer.images().planned(path).is_some()
    }

    /// The file at `path`, rendered now if it was not yet. None if the site
    /// has no such file; Err if rendering it failed.
    pub(super) fn get(&self, path: &str) -> Option<Result<Fetched, Diagnostic>> {
        let Some(&id) = self.index.get(path) else {
            return self.variant(path);
        };
        if let Some(served) = self
            .rendered
            .lock()
            .expect("no panics while holding the lock")
            .get(&id)
        {
            let file = Arc::clone(served);
            return Some(Ok(Fetched { file, cached: true }));
        }
        let file = &self.prepared.files[id];
        let bytes = match self
            .prepared
            .renderer
            .materialize(&file.source, &self.prepared.assets)
        {
            Ok(bytes) => bytes.into_owned(),
            Err(err) => return Some(Err(err)),
        };
        let served = Arc::new(Served::new(bytes));
        self.rendered
            .lock()
            .expect("no panics while holding the lock")
            .insert(id, Arc::clone(&served));
        Some(Ok(Fetched {
            file: served,
            cached: false,
        }))
    }

    /// The image variant at `path`, made the first time it is asked for.
    fn variant(&self, path: &str) -> Option<Result<Fetched, Diagnostic>> {
        let variant = self.prepared.renderer.images().planned(path)?;
        let made = self
            .variants
            .lock()
            .expect("no panics while holding the lock")
            .get(path)
            .cloned();
        if let Some(file) = made {
            return Some(Ok(Fetched { file, cached: true }));
        }
        let file = match crate::images::make_variant(&variant) {
            Ok(bytes) => Arc::new(Served::new(bytes)),
            Err(err) => return Some(Err(err)),
        };
        self.variants
            .lock()
            .expect("no panics while holding the lock")
            .insert(path.to_string(), Arc::clone(&file));
        Some(Ok(Fetched {
            file,
            cached: false,
        }))
    }
}
