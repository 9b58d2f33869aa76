//! Pages a build keeps from the last one without rendering them. After a
//! build without warnings, the cache folder records (`pages.json`) a hash
//! of everything the site model is made of but post bodies (the
//! configuration, the command line, the day, recap itself, every source
//! file other than a post's, and each post's front matter), a hash of
//! each post's body, and the image copies each page's templates asked for.
//! When the next build finds the same model and only some bodies changed,
//! the pages that do not show those bodies (see `shows_bodies_of`) are the
//! same as the last build made them: the output keeps them as they are,
//! and only the rest are rendered. This is what `recap serve` does between
//! two edits, carried over from one run to the next.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::unchanged::Inputs;
use crate::images::Variant;
use crate::site::{PostId, Site};

const RECORD: &str = "pages.json";
const VERSION: u32 = 1;

/// Image copies a page's rendering asked for: (output path, how to make it).
pub(crate) type Planned = Vec<(String, Variant)>;

#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Record {
    version: u32,
    model: u64,
    /// Each post's body hash, by its path under `content/`.
    bodies: HashMap<String, u64>,
    /// The image copies each page asked for, by the page's output path
    /// (pages that asked for none are not listed).
    planned: HashMap<String, Planned>,
}

/// What this build may keep: the posts whose bodies changed since the last
/// build, and what that build's pages asked for.
pub(crate) struct Keepable {
    pub edited: Vec<PostId>,
    planned: HashMap<String, Planned>,
}

impl Keepable {
    /// The image copies the last build's page at `path` asked for.
    pub(crate) fn planned(&self, path: &str) -> &[(String, Variant)] {
        self.planned.get(path).map_or(&[], Vec::as_slice)
    }
}

/// The image copies each page of this build asked for, or kept.
#[derive(Default)]
pub(crate) struct PlannedByPage(Mutex<HashMap<String, Planned>>);

impl PlannedByPage {
    pub(crate) fn note(&self, path: &str, planned: Planned) {
        if !planned.is_empty() {
            self.0
                .lock()
                .expect("no panics while holding the lock")
                .insert(path.to_string(), planned);
        }
    }
}

/// The hash of everything the site model is made of but post bodies.
pub(super) fn model_of(inputs: &Inputs, site: &Site) -> u64 {
    // By their bytes: hashing a Path walks its components, ten times slower.
    let posts: rustc_hash::FxHashSet<&std::ffi::OsStr> = site
        .posts
        .iter()
        .map(|post| post.source.doc.path.as_os_str())
        .collect();
    let mut hasher = rustc_hash::FxHasher::default();
    inputs.settings.hash(&mut hasher);
    for (path, stamp) in &inputs.files {
        if !posts.contains(path.as_os_str()) {
            (path.as_os_str(), stamp).hash(&mut hasher);
        }
    }
    for post in &site.posts {
        let source = &post.source;
        // Front matter has no Hash; its Debug text holds every field.
        format!(
            "{:?} {:?} {} {:?} {:?} {:?} {:?} {:?}",
            source.doc.front,
            source.date,
            source.slug,
            source.tag_slugs,
            source.author_slugs,
            source.event_slug,
            source.assets,
            source.bundle_dir
        )
        .hash(&mut hasher);
        source.doc.content_path.hash(&mut hasher);
    }
    hasher.finish()
}

fn bodies_of(site: &Site) -> HashMap<String, u64> {
    site.posts
        .iter()
        .map(|post| (post.source.doc.content_path.clone(), post.body_hash))
        .collect()
}

fn record_path(cache: &Path) -> PathBuf {
    cache.join(RECORD)
}

/// What the last build's record lets this one keep, when its model is this
/// site's.
pub(super) fn keepable(cache: &Path, model: u64, site: &Site) -> Option<Keepable> {
    let bytes = crate::cache_files::read_entry(&record_path(cache))?;
    let record: Record = serde_json::from_slice(&bytes).ok()?;
    if record.version != VERSION || record.model != model {
        return None;
    }
    let bodies = bodies_of(site);
    let edited = site
        .posts
        .iter()
        .enumerate()
        .filter(|(_, post)| {
            let path = &post.source.doc.content_path;
            record.bodies.get(path) != bodies.get(path)
        })
        .map(|(index, _)| PostId::new(index))
        .collect();
    Some(Keepable {
        edited,
        planned: record.planned,
    })
}

/// Records this build for the next, or forgets the last record when this
/// build cannot be one (it had warnings, or failed: `model` is None).
pub(super) fn remember(
    root: &Path,
    cache: &Path,
    model: Option<u64>,
    site: &Site,
    planned: PlannedByPage,
) {
    let path = record_path(cache);
    let Some(model) = model else {
        if crate::cache_files::link_on_the_way(root, &path).is_none() {
            let _ = std::fs::remove_file(path);
        }
        return;
    };
    let record = Record {
        version: VERSION,
        model,
        bodies: bodies_of(site),
        planned: planned.0.into_inner().unwrap_or_default(),
    };
    if let Ok(bytes) = serde_json::to_vec(&record) {
        crate::cache_files::keep_entry(root, &path, &bytes);
    }
}
