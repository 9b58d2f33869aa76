//! The site model: posts newest first, tags merged by slug, events and
//! authors from files and from the posts that name them, sessions per event,
//! and every URL the site will have, checked for collisions.

mod ids;
mod images;
pub(crate) mod links;
pub(crate) mod markdown_cache;
mod sessions;
pub(crate) mod urls;

pub(crate) use ids::{AliasId, AuthorId, EventId, PageId, PostId, SessionId, SpeakerId, TagId};
pub(crate) use images::ImageSizes;
pub(crate) use sessions::{SiteSession, Speaker};

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;

use crate::config::Config;
use crate::content::date::Timestamp;
use crate::content::front::{AuthorFront, EventFront, PageFront, Session};
use crate::content::{Content, Document, PostSource, slugs};
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;

#[derive(Clone)]
pub(crate) struct Site {
    pub config: Config,
    /// Newest first.
    pub posts: Vec<Post>,
    pub pages: Vec<Page>,
    /// By name.
    pub tags: Vec<Tag>,
    pub events: Vec<Event>,
    /// By name.
    pub authors: Vec<Author>,
    /// By event, then time; merged from every recap.
    pub sessions: Vec<SiteSession>,
    /// By name.
    pub speakers: Vec<Speaker>,
    pub aliases: Vec<Alias>,
    /// The day that decides which events are upcoming.
    pub today: NaiveDate,
    /// Posts dated after the build, left out (without `--future`).
    pub held_back: HeldBack,
    /// Found while linking (sessions whose recaps disagree).
    pub warnings: Vec<Diagnostic>,
    /// The sizes of the site's own images, once its files are listed.
    pub image_sizes: Arc<ImageSizes>,
}

/// The posts a build left out because their date has not come yet.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct HeldBack {
    pub count: usize,
    /// The earliest of their dates.
    pub next: Option<Timestamp>,
    /// When the earliest of them comes due (its date in the site's zone).
    pub due: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Clone)]
pub struct Post {
    pub source: Arc<PostSource>,
    /// URL path without the base path: "/2024/kubecon/".
    pub path: String,
    pub tags: Vec<TagId>,
    pub authors: Vec<AuthorId>,
    pub event: Option<EventId>,
    /// The site session of each of its `[[sessions]]`, in order.
    pub session_ids: Vec<SessionId>,
    pub rendered: Arc<Rendered>,
    /// A hash of the Markdown body, taken when it is rendered (builds let
    /// go of the text then).
    pub body_hash: u64,
    /// Dated after the build: shown only by `--future` builds and `serve`.
    pub scheduled: bool,
}

#[derive(Clone)]
pub struct Page {
    pub doc: Arc<Document<PageFront>>,
    pub path: String,
    pub rendered: Arc<Rendered>,
}

#[derive(Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub posts: Vec<PostId>,
}

#[derive(Clone)]
pub struct Event {
    pub name: String,
    pub slug: String,
    /// None for an event named only by posts.
    pub doc: Option<Arc<Document<EventFront>>>,
    pub description: Arc<Rendered>,
    pub posts: Vec<PostId>,
    /// Merged from its recaps, in time order.
    pub sessions: Vec<SessionId>,
    pub authors: Vec<AuthorId>,
}

#[derive(Clone)]
pub struct Author {
    pub name: String,
    pub slug: String,
    pub doc: Option<Arc<Document<AuthorFront>>>,
    pub content: Arc<Rendered>,
    pub posts: Vec<PostId>,
    /// The same person as a speaker.
    pub speaker: Option<SpeakerId>,
}

/// A redirect page at `path` to `target` (both URL paths).
#[derive(Clone)]
pub struct Alias {
    pub path: String,
    pub target: String,
    /// The file that asked for the alias: as shown, and where it is.
    pub origin: PathBuf,
    pub origin_path: PathBuf,
}

impl Event {
    pub fn start(&self) -> Option<Timestamp> {
        self.doc.as_ref().map(|doc| doc.front.start)
    }

    pub fn end(&self) -> Option<Timestamp> {
        self.doc.as_ref().and_then(|doc| doc.front.end)
    }

    pub fn path(&self) -> String {
        format!("/events/{}/", self.slug)
    }

    pub fn is_upcoming(&self, today: NaiveDate) -> bool {
        self.start().is_some_and(|start| start.date() > today)
    }

    /// The time zone of its times: its own `timezone`, else the site's.
    pub(crate) fn zone(&self, config: &Config) -> chrono_tz::Tz {
        self.doc
            .as_ref()
            .and_then(|doc| doc.front.timezone.as_deref())
            .and_then(|name| crate::content::date::parse_zone(name).ok())
            .unwrap_or_else(|| config.zone())
    }
}

impl Tag {
    pub fn path(&self) -> String {
        format!("/tags/{}/", self.slug)
    }
}

impl Author {
    pub fn path(&self) -> String {
        format!("/authors/{}/", self.slug)
    }
}

impl Post {
    pub fn title(&self) -> &str {
        &self.source.doc.front.title
    }

    /// Plain text for meta descriptions, feed summaries and search: the
    /// `description`, or the text of the summary.
    pub fn teaser(&self) -> &str {
        match &self.source.doc.front.description {
            Some(description) => description,
            None => &self.rendered.summary_text,
        }
    }

    /// When the post last changed: `updated`, else its date.
    pub fn last_change(&self) -> Timestamp {
        let source = &self.source;
        source
            .doc
            .front
            .updated
            .unwrap_or(source.date)
            .max(source.date)
    }

    pub fn sessions(&self) -> &[Session] {
        &self.source.doc.front.sessions
    }
}

/// Whether `post` is dated after the build.
/// An error for each file whose name slugifies like an earlier one's in the
/// same folder (`Ada.md` and `ada.md`): both would be one page.
fn same_slug<F>(files: &[(String, Arc<Document<F>>)], folder: &str) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, &std::path::Path> = HashMap::default();
    let mut errors = Vec::new();
    for (slug, doc) in files {
        if let Some(first) = seen.insert(slug, &doc.display_path) {
            errors.push(
                Diagnostic::error(
                    &doc.display_path,
                    format!(
                        "this file and {} both give the page /{folder}/{slug}/",
                        first.display()
                    ),
                )
                .help("rename one of them: file names that differ only in case or punctuation name the same page"),
            );
        }
    }
    errors
}

/// Whether `post` is dated after the build; a date or time written without
/// an offset is read in the site's time zone.
fn is_scheduled(post: &PostSource, options: &BuildOptions, config: &Config) -> bool {
    post.date.in_zone(config.zone()) > options.now
}

/// Settings of one build that do not come from config.toml.
#[derive(Debug, Clone)]
pub(crate) struct BuildOptions {
    pub drafts: bool,
    /// Keep posts dated after `now`.
    pub future: bool,
    pub now: chrono::DateTime<chrono::Utc>,
    pub today: NaiveDate,
}

impl Site {
    /// Links posts, tags, events and authors. Markdown is rendered later.
    pub(crate) fn assemble(
        config: Config,
        content: Content,
        options: &BuildOptions,
    ) -> Result<Site, Vec<Diagnostic>> {
        let Content {
            posts,
            events,
            authors,
            speakers,
            pages,
        } = content;
        let clashes = [
            same_slug(&events, "events"),
            same_slug(&authors, "authors"),
            same_slug(&speakers, "speakers"),
        ]
        .concat();
        if !clashes.is_empty() {
            return Err(clashes);
        }
        let mut held_back = HeldBack::default();
        let mut posts: Vec<Arc<PostSource>> = posts
            .into_iter()
            .filter(|post| options.drafts || !post.doc.front.draft)
            .filter(|post| {
                let keep = options.future || !is_scheduled(post, options, &config);
                if !keep {
                    held_back.count += 1;
                    held_back.next =
                        Some(held_back.next.map_or(post.date, |next| next.min(post.date)));
                    let due = post.date.in_zone(config.zone()).with_timezone(&chrono::Utc);
                    held_back.due = Some(held_back.due.map_or(due, |next| next.min(due)));
                }
                keep
            })
            .collect();
        posts.sort_by(|a, b| {
            b.date
                .cmp(&a.date)
                .then_with(|| a.doc.content_path.cmp(&b.doc.content_path))
        });
        let mut site = Site {
            config,
            posts: Vec::with_capacity(posts.len()),
            pages: Vec::new(),
            tags: Vec::new(),
            events: events.into_iter().map(Event::from_file).collect(),
            authors: authors.into_iter().map(Author::from_file).collect(),
            sessions: Vec::new(),
            speakers: Vec::new(),
            aliases: Vec::new(),
            today: options.today,
            held_back,
            warnings: Vec::new(),
            image_sizes: Arc::default(),
        };
        let named = site.add_named(&posts);
        site.link_posts(posts, named, options);
        site.pages = pages
            .into_iter()
            .filter(|page| options.drafts || !page.front.draft)
            .map(Page::from_doc)
            .collect::<Result<_, _>>()
            .map_err(|err| vec![err])?;
        site.warnings = site.link_sessions(speakers);
        site.collect_event_authors();
        let errors = site.collect_aliases();
        let errors = [errors, site.check_unique_paths()].concat();
        if errors.is_empty() {
            Ok(site)
        } else {
            Err(errors)
        }
    }

    /// Adds the tags, and the events and authors without a file, that the
    /// posts name, and puts every list in its display order: ids are given
    /// only after this, so none ever changes. Returns what each post names,
    /// by the ids the lists now give.
    fn add_named(&mut self, posts: &[Arc<PostSource>]) -> Vec<Named> {
        let mut tag_index: HashMap<&str, usize> = HashMap::default();
        let mut event_index = index_by_slug_and_name(&self.events, |e| (&e.slug, &e.name));
        let mut author_index = index_by_slug_and_name(&self.authors, |a| (&a.slug, &a.name));
        let mut found = Vec::with_capacity(posts.len());
        for source in posts {
            let front = &source.doc.front;
            let mut tags = Vec::new();
            for (name, slug) in front.tags.iter().zip(&source.tag_slugs) {
                let next = self.tags.len();
                let id = *tag_index.entry(slug).or_insert(next);
                if id == next {
                    self.tags.push(Tag {
                        name: name.clone(),
                        slug: slug.clone(),
                        posts: Vec::new(),
                    });
                }
                tags.push(id);
            }
            let authors = front
                .authors
                .iter()
                .zip(&source.author_slugs)
                .map(|(name, slug)| {
                    find_or_add(
                        &mut author_index,
                        &mut self.authors,
                        name,
                        slug,
                        Author::named,
                    )
                })
                .collect();
            let event = front
                .event
                .iter()
                .zip(&source.event_slug)
                .next()
                .map(|(name, slug)| {
                    find_or_add(&mut event_index, &mut self.events, name, slug, Event::named)
                });
            found.push((tags, authors, event));
        }
        let by_name = |a: &str, b: &str| a.to_lowercase().cmp(&b.to_lowercase());
        let tag_of = sort_by(&mut self.tags, |a, b| by_name(&a.name, &b.name));
        let author_of = sort_by(&mut self.authors, |a, b| by_name(&a.name, &b.name));
        // Events: newest start first; undated last, by name.
        let event_of = sort_by(&mut self.events, |a, b| {
            b.start()
                .cmp(&a.start())
                .then_with(|| by_name(&a.name, &b.name))
        });
        found
            .into_iter()
            .map(
                |(tags, authors, event): (Vec<usize>, Vec<usize>, Option<usize>)| Named {
                    tags: tags.into_iter().map(|at| TagId::new(tag_of[at])).collect(),
                    authors: authors
                        .into_iter()
                        .map(|at| AuthorId::new(author_of[at]))
                        .collect(),
                    event: event.map(|at| EventId::new(event_of[at])),
                },
            )
            .collect()
    }

    fn link_posts(
        &mut self,
        posts: Vec<Arc<PostSource>>,
        named: Vec<Named>,
        options: &BuildOptions,
    ) {
        for (index, (source, named)) in posts.into_iter().zip(named).enumerate() {
            let post_id = PostId::new(index);
            let mut tags = Vec::with_capacity(named.tags.len());
            for id in named.tags {
                if !tags.contains(&id) {
                    tags.push(id);
                    self.tags[id].posts.push(post_id);
                }
            }
            let mut authors = Vec::with_capacity(named.authors.len());
            for id in named.authors {
                if !authors.contains(&id) {
                    authors.push(id);
                    self.authors[id].posts.push(post_id);
                }
            }
            if let Some(id) = named.event {
                self.events[id].posts.push(post_id);
            }
            let event_slug = named.event.map(|id| self.events[id].slug.as_str());
            let path = urls::post_path(
                &self.config.permalink,
                &source.date,
                &source.slug,
                event_slug,
            );
            self.posts.push(Post {
                scheduled: is_scheduled(&source, options, &self.config),
                session_ids: Vec::new(),
                source,
                path,
                tags,
                authors,
                event: named.event,
                rendered: Arc::default(),
                body_hash: 0,
            });
        }
    }

    /// The authors who went to each event.
    fn collect_event_authors(&mut self) {
        for event in &mut self.events {
            for &post_id in &event.posts {
                let post = &self.posts[post_id];
                for &author in &post.authors {
                    if !event.authors.contains(&author) {
                        event.authors.push(author);
                    }
                }
            }
        }
    }

    fn collect_aliases(&mut self) -> Vec<Diagnostic> {
        let post_aliases = self.posts.iter().map(|post| {
            let doc = &post.source.doc;
            (&doc.display_path, &doc.path, &doc.front.aliases, &post.path)
        });
        let page_aliases = self.pages.iter().map(|page| {
            let doc = &page.doc;
            (&doc.display_path, &doc.path, &doc.front.aliases, &page.path)
        });
        let mut errors = Vec::new();
        let mut aliases = Vec::new();
        for (file, file_path, list, target) in post_aliases.chain(page_aliases) {
            for alias in list {
                match urls::alias_path(alias) {
                    Ok(path) => aliases.push(Alias {
                        path,
                        target: target.clone(),
                        origin: file.clone(),
                        origin_path: file_path.clone(),
                    }),
                    Err(problem) => errors.push(links::front_matter_error(
                        file, file_path, "aliases", problem,
                    )),
                }
            }
        }
        self.aliases = aliases;
        errors
    }

    /// Every URL the site writes must be written once: two sources claiming
    /// one path is an error naming both.
    fn check_unique_paths(&self) -> Vec<Diagnostic> {
        let mut claimed: HashMap<String, PathBuf> =
            HashMap::with_capacity_and_hasher(2 * self.posts.len(), Default::default());
        for (path, what) in urls::generated_paths(self) {
            claimed.entry(urls::output_file(&path)).or_insert(what);
        }
        let mut errors = Vec::new();
        let sources = self
            .posts
            .iter()
            .map(|post| {
                (
                    &post.path,
                    &post.source.doc.display_path,
                    &post.source.doc.path,
                )
            })
            .chain(
                self.pages
                    .iter()
                    .map(|page| (&page.path, &page.doc.display_path, &page.doc.path)),
            )
            .chain(
                self.aliases
                    .iter()
                    .map(|alias| (&alias.path, &alias.origin, &alias.origin_path)),
            );
        for (path, file, file_path) in sources {
            let key = urls::output_file(path);
            if let Some(first) = claimed.get(&key) {
                errors.push(
                    Diagnostic::error(
                        file,
                        format!(
                            "the URL {path} is claimed twice: by {} and by {}",
                            first.display(),
                            file.display()
                        ),
                    )
                    .at(&read_lossy(file_path), 1, 1)
                    .help("give one of them another `slug` (or remove the duplicate alias)"),
                );
            } else {
                claimed.insert(key, file.clone());
            }
        }
        errors
    }
}

/// The text of a file for an error message; empty if it cannot be read.
pub(crate) fn read_lossy(path: &std::path::Path) -> String {
    std::fs::read(path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

impl Page {
    fn from_doc(doc: Arc<Document<PageFront>>) -> Result<Page, Diagnostic> {
        let stem = doc
            .content_path
            .rsplit_once('.')
            .map_or(doc.content_path.as_str(), |(stem, _)| stem);
        let mut segments: Vec<String> = stem.split('/').map(slugs::slugify).collect();
        if segments.last().is_some_and(|last| last == "index") {
            segments.pop();
        }
        let named_by_slug = doc.front.slug.is_some() as usize;
        let folders = &segments[..segments.len() - named_by_slug.min(segments.len())];
        if folders.iter().any(String::is_empty) {
            return Err(Diagnostic::error(
                &doc.display_path,
                format!(
                    "`content/{}` has a file or folder name with no letters or digits, so it cannot give this page a URL",
                    doc.content_path.escape_debug()
                ),
            )
            .at(&read_lossy(&doc.path), 1, 1)
            .help("rename it so every folder and the file name have a letter or digit"));
        }
        if let Some(slug) = &doc.front.slug {
            let slug = slugs::checked_slug(slug).map_err(|problem| {
                links::front_matter_error(&doc.display_path, &doc.path, "slug", problem)
            })?;
            match segments.last_mut() {
                Some(last) => *last = slug,
                None => segments.push(slug),
            }
        }
        let path = if segments.is_empty() {
            "/".to_string()
        } else {
            format!("/{}/", segments.join("/"))
        };
        Ok(Page {
            doc,
            path,
            rendered: Arc::default(),
        })
    }
}

impl Event {
    fn from_file((slug, doc): (String, Arc<Document<EventFront>>)) -> Event {
        Event {
            name: doc.front.name.clone(),
            slug,
            doc: Some(doc),
            description: Arc::default(),
            posts: Vec::new(),
            sessions: Vec::new(),
            authors: Vec::new(),
        }
    }

    fn named(name: &str, slug: String) -> Event {
        Event {
            name: name.to_string(),
            slug,
            doc: None,
            description: Arc::default(),
            posts: Vec::new(),
            sessions: Vec::new(),
            authors: Vec::new(),
        }
    }
}

impl Author {
    fn from_file((slug, doc): (String, Arc<Document<AuthorFront>>)) -> Author {
        Author {
            name: doc.front.name.clone(),
            slug,
            doc: Some(doc),
            content: Arc::default(),
            posts: Vec::new(),
            speaker: None,
        }
    }

    fn named(name: &str, slug: String) -> Author {
        Author {
            name: name.to_string(),
            slug,
            doc: None,
            content: Arc::default(),
            posts: Vec::new(),
            speaker: None,
        }
    }
}

/// Items by their file slug and by their slugified name, so a post may name
/// "KubeCon EU 2024" for the file `kubecon-eu.md` whose `name` that is.
/// A file slug wins over another item's name.
fn index_by_slug_and_name<T>(
    items: &[T],
    keys: impl Fn(&T) -> (&String, &String),
) -> HashMap<String, usize> {
    let mut index = HashMap::default();
    for (id, item) in items.iter().enumerate() {
        index.entry(slugs::slugify(keys(item).1)).or_insert(id);
    }
    for (id, item) in items.iter().enumerate() {
        index.insert(keys(item).0.clone(), id);
    }
    index
}

/// The index of the item whose slug is `slug` (`name` slugified), adding
/// one if none is.
fn find_or_add<T>(
    index: &mut HashMap<String, usize>,
    items: &mut Vec<T>,
    name: &str,
    slug: &str,
    make: impl FnOnce(&str, String) -> T,
) -> usize {
    if let Some(&id) = index.get(slug) {
        return id;
    }
    items.push(make(name, slug.to_string()));
    index.insert(slug.to_string(), items.len() - 1);
    items.len() - 1
}

/// Sorts `items` (stably) by `compare`; returns where each item went:
/// `new_place[old_place]`.
fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> std::cmp::Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| compare(&items[a], &items[b]));
    let mut new_place = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_place[old] = new;
    }
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .iter()
            .map(|&old| slots[old].take().expect("a permutation")),
    );
    new_place
}

/// What one post names, by id.
struct Named {
    tags: Vec<TagId>,
    authors: Vec<AuthorId>,
    event: Option<EventId>,
}
