//! Pages a build keeps from the last one without rendering them. After a
//! build whose output was put in place whole, the cache folder records (`pages.json`) what the
//! site was made of, in hashes: its frame (the configuration, the command
//! line, the day, recap itself, every source file other than a post's),
//! the posts' order and URLs, the variables every page shares, each post's
//! front matter and body, each tag, event, author and speaker as the pages
//! show them, and the image copies each page's templates asked for.
//!
//! The next build compares. When only post bodies changed, the pages that
//! show those bodies (`shows_bodies_of`) are rendered; when front matter
//! changed too but the frame, the posts' order and URLs and the shared
//! variables did not, the pages that show anything of the changed posts,
//! tags, events, authors or speakers (`shows_changes_of`) are. Every other
//! page is the same as the last build made it: the output keeps it as it
//! is. This is what `recap serve` does between two edits, carried over
//! from one run to the next.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::unchanged::Inputs;
use crate::images::Variant;
use crate::render::Renderer;
use crate::render::files::{Changed, Source, shows_bodies_of, shows_changes_of};
use crate::site::{PostId, Site};

const RECORD: &str = "pages.json";
const VERSION: u32 = 2;

/// Image copies a page's rendering asked for: (output path, how to make it).
pub(crate) type Planned = Vec<(String, Variant)>;

/// What a build was made of, in hashes.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Digest {
    /// Everything but the posts' text.
    frame: u64,
    /// Each post's path, URL and date, in site order.
    order: u64,
    /// The variables every page shares (the configuration, the menu, the
    /// upcoming events).
    globals: u64,
    /// Each post's front matter and body hashes, by its path under `content/`.
    posts: HashMap<String, (u64, u64)>,
    /// Each tag, event, author and speaker by kind and slug: the hash of how
    /// a post's summary names it, and of everything its own pages show.
    shown: HashMap<String, (u64, u64)>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Record {
    version: u32,
    digest: Digest,
    /// The image copies each page asked for, by the page's output path
    /// (pages that asked for none are not listed).
    planned: HashMap<String, Planned>,
}

/// What this build may keep, and what the last build's pages asked for.
pub(crate) struct Keepable {
    rule: Rule,
    planned: HashMap<String, Planned>,
}

enum Rule {
    /// Only these posts' bodies changed.
    Bodies(Vec<PostId>),
    /// Front matter changed too, with the posts in the same order.
    Changes(Changed),
}

impl Keepable {
    /// Whether `source` may show something that changed since the last build.
    pub(crate) fn affected(&self, site: &Site, source: &Source) -> bool {
        match &self.rule {
            Rule::Bodies(posts) => shows_bodies_of(site, source, posts),
            Rule::Changes(changed) => shows_changes_of(site, source, changed),
        }
    }

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

fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// The hash of a template variable as JSON.
fn hash_json(value: &impl Serialize) -> u64 {
    hash_of(serde_json::to_vec(value).unwrap_or_default())
}

impl Digest {
    pub(super) fn of(inputs: &Inputs, renderer: &Renderer) -> Digest {
        let site = renderer.site();
        // By their bytes: hashing a Path walks its components, ten times slower.
        let posts: rustc_hash::FxHashSet<&std::ffi::OsStr> = site
            .posts
            .iter()
            .map(|post| post.source.doc.path.as_os_str())
            .collect();
        let mut frame = rustc_hash::FxHasher::default();
        inputs.settings.hash(&mut frame);
        for (path, stamp) in &inputs.files {
            if !posts.contains(path.as_os_str()) {
                (path.as_os_str(), stamp).hash(&mut frame);
            }
        }
        let order = hash_of(
            site.posts
                .iter()
                .map(|post| {
                    (
                        &post.source.doc.content_path,
                        &post.path,
                        post.source.date.rfc3339(),
                    )
                })
                .collect::<Vec<_>>(),
        );
        Digest {
            frame: frame.finish(),
            order,
            globals: hash_json(&renderer.shared_variables()),
            posts: site
                .posts
                .iter()
                .map(|post| {
                    let path = post.source.doc.content_path.clone();
                    (path, (front_hash(post), post.body_hash))
                })
                .collect(),
            shown: shown_entities(renderer),
        }
    }

    /// The posts whose front matter or body differ from `last`'s, and those
    /// whose front matter does (None when a post is new to this build).
    fn edits_since(&self, last: &Digest, site: &Site) -> Option<(Vec<PostId>, Vec<PostId>)> {
        let mut edited = Vec::new();
        let mut fronts = Vec::new();
        for (index, post) in site.posts.iter().enumerate() {
            let now = self.posts.get(&post.source.doc.content_path)?;
            let then = last.posts.get(&post.source.doc.content_path)?;
            if now != then {
                edited.push(PostId::new(index));
            }
            if now.0 != then.0 {
                fronts.push(PostId::new(index));
            }
        }
        Some((edited, fronts))
    }
}

/// A post's front matter (it has no Hash; its Debug text holds every
/// field) and what the site made of it.
fn front_hash(post: &crate::site::Post) -> u64 {
    let source = &post.source;
    hash_of(format!(
        "{:?} {:?} {} {:?} {:?} {:?} {:?} {:?} {:?}",
        source.doc.front,
        source.date,
        source.slug,
        source.tag_slugs,
        source.author_slugs,
        source.event_slug,
        source.assets,
        source.bundle_dir,
        post.scheduled
    ))
}

/// Each tag, event, author and speaker, by "kind:slug": how a summary
/// names it, and all its pages show of it (its view and its posts).
fn shown_entities(renderer: &Renderer) -> HashMap<String, (u64, u64)> {
    use crate::render::context;
    let site = renderer.site();
    let urls = renderer.urls();
    let members = |posts: &[PostId]| {
        hash_of(
            posts
                .iter()
                .map(|&id| &site.posts[id].source.doc.content_path)
                .collect::<Vec<_>>(),
        )
    };
    let mut shown = HashMap::new();
    for tag in &site.tags {
        let full = hash_of((hash_json(&renderer.tag_value(tag)), members(&tag.posts)));
        shown.insert(format!("tag:{}", tag.slug), (hash_of(&tag.name), full));
    }
    for event in &site.events {
        let view = hash_json(&context::event_view(site, event, &urls));
        let sessions = hash_json(&context::session_views(site, &event.sessions, &urls));
        let full = hash_of((view, sessions, members(&event.posts), &event.authors));
        shown.insert(format!("event:{}", event.slug), (full, full));
    }
    for author in &site.authors {
        let named = hash_json(&context::author_ref(author, &urls));
        let view = hash_json(&context::author_view(site, author, &urls));
        let full = hash_of((view, members(&author.posts)));
        shown.insert(format!("author:{}", author.slug), (named, full));
    }
    for speaker in &site.speakers {
        let view = hash_json(&context::speaker_view(site, speaker, &urls));
        let sessions = hash_json(&context::session_views(site, &speaker.sessions, &urls));
        let full = hash_of((view, sessions));
        shown.insert(format!("speaker:{}", speaker.slug), (full, full));
    }
    shown
}

fn record_path(cache: &Path) -> PathBuf {
    cache.join(RECORD)
}

/// What the last build's record lets this one keep.
pub(super) fn keepable(cache: &Path, digest: &Digest, site: &Site) -> Option<Keepable> {
    let bytes = crate::cache_files::read_entry(&record_path(cache))?;
    let record: Record = serde_json::from_slice(&bytes).ok()?;
    let last = &record.digest;
    let same_frame = record.version == VERSION
        && last.frame == digest.frame
        && last.order == digest.order
        && last.globals == digest.globals;
    if !same_frame {
        return None;
    }
    let (edited, fronts) = digest.edits_since(last, site)?;
    let rule = if fronts.is_empty() && last.shown == digest.shown {
        Rule::Bodies(edited)
    } else {
        Rule::Changes(changes(digest, last, site, edited))
    };
    Some(Keepable {
        rule,
        planned: record.planned,
    })
}

/// What changed for `shows_changes_of`: the edited posts, the tags,
/// events, authors and speakers whose pages show something else now, and
/// the posts whose summaries may read differently.
fn changes(digest: &Digest, last: &Digest, site: &Site, edited: Vec<PostId>) -> Changed {
    let differs = |key: String, part: fn(&(u64, u64)) -> u64| {
        digest.shown.get(&key).map(part) != last.shown.get(&key).map(part)
    };
    let full = |pair: &(u64, u64)| pair.1;
    let named = |pair: &(u64, u64)| pair.0;
    let changed_of = |kind: &str, slugs: Vec<&String>| -> Vec<bool> {
        slugs
            .into_iter()
            .map(|slug| differs(format!("{kind}:{slug}"), full))
            .collect()
    };
    let tags = changed_of("tag", site.tags.iter().map(|tag| &tag.slug).collect());
    let events = changed_of("event", site.events.iter().map(|e| &e.slug).collect());
    let authors = changed_of("author", site.authors.iter().map(|a| &a.slug).collect());
    let speakers = changed_of("speaker", site.speakers.iter().map(|s| &s.slug).collect());
    // A summary names its tags and authors and shows its event whole.
    let mut summaries: Vec<bool> = vec![false; site.posts.len()];
    for id in &edited {
        summaries[id.index()] = true;
    }
    let mut mark = |posts: &[PostId]| posts.iter().for_each(|id| summaries[id.index()] = true);
    for tag in &site.tags {
        if differs(format!("tag:{}", tag.slug), named) {
            mark(&tag.posts);
        }
    }
    for (event, changed) in site.events.iter().zip(&events) {
        if *changed {
            mark(&event.posts);
        }
    }
    for author in &site.authors {
        if differs(format!("author:{}", author.slug), named) {
            mark(&author.posts);
        }
    }
    let summaries = summaries
        .iter()
        .enumerate()
        .filter(|(_, shown)| **shown)
        .map(|(index, _)| PostId::new(index))
        .collect();
    Changed {
        edited,
        summaries,
        tags,
        events,
        authors,
        speakers,
    }
}

/// Records this build for the next, or forgets the last record when this
/// build cannot be one (it failed or left leftovers: `digest` is None).
pub(super) fn remember(root: &Path, cache: &Path, digest: Option<Digest>, planned: PlannedByPage) {
    let path = record_path(cache);
    let Some(digest) = digest else {
        if crate::cache_files::link_on_the_way(root, &path).is_none() {
            let _ = std::fs::remove_file(path);
        }
        return;
    };
    let record = Record {
        version: VERSION,
        digest,
        planned: planned.0.into_inner().unwrap_or_default(),
    };
    if let Ok(bytes) = serde_json::to_vec(&record) {
        crate::cache_files::keep_entry(root, &path, &bytes);
    }
}
