//! Every file a built site consists of, and where its bytes come from.
//! `recap build` materialises them all into the staging folder; `recap
//! serve` materialises each one when a browser asks for it.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::Renderer;
use super::calendar;
use super::feeds::{self, FeedOf};
use super::pages::{Job, job_path, jobs};
use super::search;
use super::sitemap;
use super::social::CardOf;
use super::templates::BUILTIN_STATIC;
use crate::content;
use crate::diagnostics::Diagnostic;
use crate::output::OutputPath;
use crate::site::{EventId, PostId, Site, urls};

pub(crate) const STATIC_DIR: &str = "static";
/// The generated syntax-highlighting stylesheet.
pub(crate) const HIGHLIGHT_CSS: &str = "highlight.css";

/// Where the bytes of one output file come from.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Page(Job),
    Feed(FeedOf),
    Sitemap,
    Robots,
    SearchIndex,
    /// The body text of posts, for search: file number N.
    SearchBodies(usize),
    Calendar,
    EventCalendar(EventId),
    /// The Open Graph picture of a post or event without an image.
    SocialCard(CardOf),
    /// An entry of the theme assets.
    Theme(usize),
    /// A file copied as is: from `static/` or a page bundle.
    Copy(PathBuf),
}

impl Source {
    /// A file made from every post of the site.
    pub(crate) fn is_site_wide(&self) -> bool {
        matches!(
            self,
            Source::Page(
                Job::Archive | Job::Talks | Job::Events | Job::Tags | Job::Authors | Job::Speakers
            ) | Source::Sitemap
                | Source::SearchIndex
                | Source::SearchBodies(_)
                | Source::Calendar
        )
    }
}

impl Source {
    /// A file rendered from the site model (not copied, nor a theme file
    /// or social card, which are made only when their source changed).
    pub(crate) fn is_rendered(&self) -> bool {
        !matches!(
            self,
            Source::Copy(_) | Source::Theme(_) | Source::SocialCard(_)
        )
    }

    /// A file the last build's copy of may be kept when nothing it shows
    /// changed: a rendered one, or a social card (drawn from front matter).
    pub(crate) fn is_keepable(&self) -> bool {
        self.is_rendered() || matches!(self, Source::SocialCard(_))
    }
}

/// One file of the output: its path relative to the output root.
#[derive(Debug, Clone)]
pub(crate) struct SiteFile {
    pub path: OutputPath,
    pub source: Source,
}

impl SiteFile {
    pub(crate) fn is_page(&self) -> bool {
        matches!(self.source, Source::Page(_))
    }
}

/// A file of the built-in theme (or the generated highlight stylesheet),
/// written under a content-hashed name when it is CSS or JavaScript so
/// hosts can cache it for a year.
pub(crate) struct ThemeAsset {
    pub name: String,
    pub written_as: String,
    pub bytes: Vec<u8>,
}

/// The theme's files, each with the site's `static/` version when it has
/// one (a site overrides a theme file by name; it is still written under a
/// hashed name, which `get_url` resolves), and the highlight stylesheet.
pub(crate) fn theme_assets(root: &Path, stylesheet: String) -> Vec<ThemeAsset> {
    let static_dir = root.join(STATIC_DIR);
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    BUILTIN_STATIC
        .iter()
        .map(|(name, bytes)| {
            // The site's own version, unless it is a symlink out of the site.
            let own = static_dir.join(name);
            let bytes = content::leads_inside(&own, &canonical_root)
                .then(|| std::fs::read(&own).ok())
                .flatten()
                .unwrap_or_else(|| bytes.to_vec());
            (name.to_string(), bytes)
        })
        .chain(std::iter::once((
            HIGHLIGHT_CSS.to_string(),
            stylesheet.into_bytes(),
        )))
        .map(|(name, bytes)| ThemeAsset {
            written_as: hashed_name(&name, &bytes),
            name,
            bytes,
        })
        .collect()
}

/// "theme.css" → "theme.1a2b3c4d.css" for CSS and JavaScript; other names stay.
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return name.to_string();
    };
    if ext != "css" && ext != "js" {
        return name.to_string();
    }
    let hash = crate::output::content_hash(bytes);
    format!("{stem}.{:08x}.{ext}", hash as u32)
}

/// Every file of the site, in writing order: generated files first, then
/// theme assets, `static/` and bundle files (so a file in `static/` wins
/// over a generated one of the same name).
///
/// Every path is checked here, once for every mode (build, check, serve):
/// a path that could leave the output folder, or a file that would have to
/// be a folder too, is an error naming where the file comes from.
pub(crate) fn site_files(
    site: &Site,
    assets: &[ThemeAsset],
    root: &Path,
) -> Result<Vec<SiteFile>, Vec<Diagnostic>> {
    let files = planned_files(site, assets, root)?;
    let mut errors = Vec::new();
    let mut checked = Vec::with_capacity(files.len());
    for (path, source) in files {
        match OutputPath::new(&path) {
            Ok(path) => checked.push(SiteFile { path, source }),
            Err(problem) => errors.push(unsafe_path_error(site, &source, problem)),
        }
    }
    errors.extend(file_folder_clashes(site, &checked, root));
    if errors.is_empty() {
        Ok(last_of_each_path(checked))
    } else {
        Err(errors)
    }
}

/// The error for a file whose path is refused, at the file it comes from.
fn unsafe_path_error(site: &Site, source: &Source, problem: String) -> Diagnostic {
    let origin = match source {
        Source::Copy(from) => Some(from.clone()),
        Source::Page(job) => job_origin(site, *job),
        _ => None,
    };
    let origin = origin.unwrap_or_else(|| PathBuf::from(crate::config::CONFIG_FILE));
    Diagnostic::error(origin, problem)
        .help("rename the file or folder, or give the page a `slug` made of letters or digits")
}

/// The content file a page comes from, where there is one.
fn job_origin(site: &Site, job: Job) -> Option<PathBuf> {
    let first_post = |posts: &[PostId]| {
        let post = &site.posts[*posts.first()?];
        Some(post.source.doc.display_path.clone())
    };
    match job {
        Job::Post(id) => Some(site.posts[id].source.doc.display_path.clone()),
        Job::Page(id) => Some(site.pages[id].doc.display_path.clone()),
        Job::Tag { tag, .. } => first_post(&site.tags[tag].posts),
        Job::Event(id) => match &site.events[id].doc {
            Some(doc) => Some(doc.display_path.clone()),
            None => first_post(&site.events[id].posts),
        },
        Job::Author { author, .. } => match &site.authors[author].doc {
            Some(doc) => Some(doc.display_path.clone()),
            None => first_post(&site.authors[author].posts),
        },
        Job::Speaker(id) => match &site.speakers[id].doc {
            Some(doc) => Some(doc.display_path.clone()),
            None => site.speakers[id]
                .sessions
                .first()
                .and_then(|&session| first_post(&site.sessions[session].recaps)),
        },
        Job::Alias(id) => Some(site.aliases[id].origin.clone()),
        _ => None,
    }
}

/// A path that is a file and also the folder of another file (a
/// `static/tags` file beside the tag pages) cannot be written.
fn file_folder_clashes(site: &Site, files: &[SiteFile], root: &Path) -> Vec<Diagnostic> {
    // Each folder of the site, with the first file found under it.
    let mut folders: std::collections::HashMap<&str, &SiteFile> = std::collections::HashMap::new();
    for file in files {
        let mut folder = file.path.parent();
        while let Some(path) = folder {
            folders.entry(path).or_insert(file);
            folder = path.rsplit_once('/').map(|(up, _)| up);
        }
    }
    files
        .iter()
        .filter_map(|file| Some((file, *folders.get(file.path.as_str())?)))
        .map(|(file, inside)| {
            let what = |source: &Source| describe_source(site, root, source);
            // Blame the content file when one side comes from one (an
            // alias, a page), else the copied file, else the config.
            let origin = source_origin(site, root, &inside.source)
                .or_else(|| source_origin(site, root, &file.source))
                .unwrap_or_else(|| PathBuf::from(crate::config::CONFIG_FILE));
            Diagnostic::error(
                origin,
                format!(
                    "`/{}` ({}) and `/{}` ({}) cannot both be written: the second needs `/{}` to be a folder",
                    file.path,
                    what(&file.source),
                    inside.path,
                    what(&inside.source),
                    file.path
                ),
            )
            .help("rename one of them (a slug, an alias, or the file in static/) so the two paths differ")
        })
        .collect()
}

/// The file of the site's sources a generated or copied file comes from.
fn source_origin(site: &Site, root: &Path, source: &Source) -> Option<PathBuf> {
    match source {
        Source::Copy(from) => Some(crate::diagnostics::relative_to(root, from)),
        Source::Page(job) => job_origin(site, *job),
        _ => None,
    }
}

/// A few words on where a file comes from, for messages.
fn describe_source(site: &Site, root: &Path, source: &Source) -> String {
    match source_origin(site, root, source) {
        Some(path) => format!("from {}", path.display()),
        None => match source {
            Source::Feed(_) => "a feed".to_string(),
            Source::Sitemap | Source::Robots => "the sitemap".to_string(),
            Source::SearchIndex | Source::SearchBodies(_) => "the search index".to_string(),
            Source::Calendar | Source::EventCalendar(_) => "a calendar".to_string(),
            Source::Theme(_) => "a theme file".to_string(),
            _ => "a generated page".to_string(),
        },
    }
}

fn planned_files(
    site: &Site,
    assets: &[ThemeAsset],
    root: &Path,
) -> Result<Vec<(String, Source)>, Vec<Diagnostic>> {
    let file = |path: String, source: Source| (path, source);
    let mut files: Vec<(String, Source)> = jobs(site)
        .into_iter()
        .map(|job| file(urls::output_file(&job_path(site, job)), Source::Page(job)))
        .collect();
    files.extend(feeds::all_feeds(site).into_iter().map(|of| {
        file(
            urls::output_file(&feeds::feed_paths(site, of).0),
            Source::Feed(of),
        )
    }));
    for alias in &site.config.feed_aliases {
        files.push(file(urls::output_file(alias), Source::Feed(FeedOf::Site)));
    }
    files.push(file(sitemap::SITEMAP_FILE.into(), Source::Sitemap));
    files.push(file(sitemap::ROBOTS_FILE.into(), Source::Robots));
    files.push(file(search::SEARCH_INDEX_FILE.into(), Source::SearchIndex));
    for number in 0..search::body_file_count(site) {
        files.push(file(
            search::body_file(number),
            Source::SearchBodies(number),
        ));
    }
    files.push(file(
        urls::output_file(&calendar::calendar_path()),
        Source::Calendar,
    ));
    for id in PostId::all(site.posts.len()) {
        if let Some(path) = super::social::post_card_path(site, id) {
            files.push(file(
                urls::output_file(&path),
                Source::SocialCard(CardOf::Post(id)),
            ));
        }
    }
    for id in EventId::all(site.events.len()) {
        if let Some(path) = super::social::event_card_path(site, id) {
            files.push(file(
                urls::output_file(&path),
                Source::SocialCard(CardOf::Event(id)),
            ));
        }
    }
    for (id, event) in EventId::all(site.events.len())
        .zip(&site.events)
        .filter(|(_, e)| e.start().is_some())
    {
        files.push(file(
            urls::output_file(&calendar::event_calendar_path(event)),
            Source::EventCalendar(id),
        ));
    }
    files.extend(
        assets
            .iter()
            .enumerate()
            .map(|(id, asset)| file(asset.written_as.clone(), Source::Theme(id))),
    );
    let theme_names: std::collections::HashSet<&str> =
        assets.iter().map(|a| a.name.as_str()).collect();
    files.extend(
        content::files_under(&root.join(STATIC_DIR))
            .map_err(|err| vec![err])?
            .into_iter()
            .filter(|(name, _)| !theme_names.contains(name.as_str()))
            .map(|(name, from)| file(name, Source::Copy(from))),
    );
    files.extend(bundle_files(site).map(|(name, from)| file(name, Source::Copy(from))));
    Ok(files)
}

/// Keeps the last file listed for each path, in order.
fn last_of_each_path(files: Vec<SiteFile>) -> Vec<SiteFile> {
    let mut seen = std::collections::HashSet::new();
    let mut kept: Vec<SiteFile> = files
        .into_iter()
        .rev()
        .filter(|f| seen.insert(f.path.clone()))
        .collect();
    kept.reverse();
    kept
}

/// Files beside each bundle's `index.md`, next to the rendered page.
fn bundle_files(site: &Site) -> impl Iterator<Item = (String, PathBuf)> + '_ {
    site.posts.iter().flat_map(|post| {
        let bundle = post.source.bundle_dir.as_deref();
        post.source.assets.iter().filter_map(move |asset| {
            let relative = asset
                .strip_prefix(bundle?)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let dir = urls::page_dir(&post.path).trim_start_matches('/');
            Some((format!("{dir}{relative}"), asset.clone()))
        })
    })
}

/// Whether a post's page, a listing page or a feed shows the summary of
/// any of `posts` (a post's page shows its neighbours'); false for any
/// other file.
fn shows_summaries_of(site: &Site, source: &Source, posts: &[PostId]) -> bool {
    let per_page = site.config.posts_per_page;
    let feed_limit = site.config.feed_limit;
    let shows_any = |shown: &[PostId]| shown.iter().any(|id| posts.contains(id));
    let on_page = |list: &[PostId], page: usize| {
        shows_any(&list[urls::page_range(list.len(), page, per_page)])
    };
    let in_feed = |list: &[PostId]| shows_any(&list[urls::feed_range(list.len(), feed_limit)]);
    let all_in =
        |range: std::ops::Range<usize>| posts.iter().any(|post| range.contains(&post.index()));
    let all_posts = site.posts.len();
    match source {
        Source::Page(Job::Post(id)) => posts
            .iter()
            .any(|&post| post.index().abs_diff(id.index()) <= 1),
        Source::Page(Job::Home { page }) => all_in(urls::page_range(all_posts, *page, per_page)),
        Source::Page(Job::Tag { tag, page }) => on_page(&site.tags[*tag].posts, *page),
        Source::Page(Job::Author { author, page }) => on_page(&site.authors[*author].posts, *page),
        Source::Page(Job::Event(event)) => shows_any(&site.events[*event].posts),
        Source::Feed(FeedOf::Site) => all_in(urls::feed_range(all_posts, feed_limit)),
        Source::Feed(FeedOf::Tag(tag)) => in_feed(&site.tags[*tag].posts),
        Source::Feed(FeedOf::Event(event)) => in_feed(&site.events[*event].posts),
        _ => false,
    }
}

/// Whether the file shows anything of the bodies of `posts` (their HTML,
/// summaries, word counts): their own pages and their neighbours', every
/// listing page and feed they are on, and the search index. A rebuild
/// after edits to those bodies alone renders these again and keeps the rest.
pub(crate) fn shows_bodies_of(site: &Site, source: &Source, posts: &[PostId]) -> bool {
    match source {
        Source::Page(
            Job::Post(_) | Job::Home { .. } | Job::Tag { .. } | Job::Author { .. } | Job::Event(_),
        )
        | Source::Feed(_) => shows_summaries_of(site, source, posts),
        Source::SearchIndex => true,
        Source::SearchBodies(number) => posts
            .iter()
            .any(|post| post.index() / search::POSTS_PER_BODY_FILE == *number),
        // Titles, dates, tags, sessions and names only: front matter, for
        // `shows_changes_of`. Listed one by one, so that a new kind of page
        // has to say what it shows.
        Source::Page(
            Job::Page(_)
            | Job::Archive
            | Job::Tags
            | Job::Events
            | Job::Authors
            | Job::Speakers
            | Job::Speaker(_)
            | Job::Talks
            | Job::Search
            | Job::NotFound
            | Job::Alias(_)
            | Job::FirstPage { .. },
        )
        | Source::Sitemap
        | Source::Robots
        | Source::Calendar
        | Source::EventCalendar(_)
        | Source::SocialCard(_)
        | Source::Theme(_)
        | Source::Copy(_) => false,
    }
}

/// What changed since the last build when front matter did, with the
/// posts in the same order under the same URLs (see `pipeline::kept_pages`).
#[derive(Debug, Default)]
pub(crate) struct Changed {
    /// Posts whose front matter or body changed.
    pub edited: Vec<PostId>,
    /// Posts whose summary may read differently: the edited ones, and those
    /// of a tag or author now named otherwise or of a changed event.
    pub summaries: Vec<PostId>,
    /// By id: whether the tag, event, author or speaker shows something else.
    pub tags: Vec<bool>,
    pub events: Vec<bool>,
    pub authors: Vec<bool>,
    pub speakers: Vec<bool>,
}

/// Whether the file may show something `changed` names: the pages of the
/// changed tags, events, authors and speakers, every page and feed that
/// shows a changed summary (a post's page shows its neighbours'), the
/// home pages when an upcoming event changed, and every page made from
/// the whole site. Listed one by one, like `shows_bodies_of`.
pub(crate) fn shows_changes_of(site: &Site, source: &Source, changed: &Changed) -> bool {
    let listed = || shows_summaries_of(site, source, &changed.summaries);
    match source {
        Source::Page(Job::Post(_)) | Source::Feed(FeedOf::Site) => listed(),
        Source::Page(Job::Home { .. }) => {
            listed()
                || (site.events.iter().zip(&changed.events))
                    .any(|(event, changed)| *changed && event.is_upcoming(site.today))
        }
        Source::Page(Job::Tag { tag, .. }) | Source::Feed(FeedOf::Tag(tag)) => {
            changed.tags[tag.index()] || listed()
        }
        Source::Page(Job::Author { author, .. }) => changed.authors[author.index()] || listed(),
        Source::Page(Job::Event(event)) | Source::Feed(FeedOf::Event(event)) => {
            changed.events[event.index()] || listed()
        }
        Source::Page(Job::Speaker(speaker)) => changed.speakers[speaker.index()],
        Source::EventCalendar(event) | Source::SocialCard(CardOf::Event(event)) => {
            changed.events[event.index()]
        }
        // A post's card shows its title, its event and its authors' names.
        Source::SocialCard(CardOf::Post(post)) => changed.summaries.contains(post),
        Source::SearchBodies(number) => changed
            .edited
            .iter()
            .any(|post| post.index() / search::POSTS_PER_BODY_FILE == *number),
        Source::Page(
            Job::Archive | Job::Tags | Job::Events | Job::Authors | Job::Speakers | Job::Talks,
        )
        | Source::Sitemap
        | Source::SearchIndex
        | Source::Calendar => true,
        // The site's own pages, redirects and files show no post.
        Source::Page(
            Job::Page(_) | Job::Search | Job::NotFound | Job::Alias(_) | Job::FirstPage { .. },
        )
        | Source::Robots
        | Source::Theme(_)
        | Source::Copy(_) => false,
    }
}

impl Renderer {
    /// The bytes of a generated file (not of a `Copy`, which is read from disk).
    pub(crate) fn materialize<'a>(
        &self,
        source: &Source,
        assets: &'a [ThemeAsset],
    ) -> Result<Cow<'a, [u8]>, Diagnostic> {
        let site = &*self.site;
        let urls = self.urls();
        let text = match source {
            Source::Page(job) => {
                self.render_job(*job)
                    .map_err(|err| self.diagnostic(&err))?
                    .1
            }
            Source::Feed(of) => {
                self.render_feed(*of)
                    .map_err(|err| self.diagnostic(&err))?
                    .1
            }
            Source::Sitemap => sitemap::sitemap(site, &urls),
            Source::Robots => sitemap::robots(&urls),
            Source::SearchIndex => search::search_index(site),
            Source::SearchBodies(number) => search::body_texts(site, *number),
            Source::Calendar => calendar::calendar(site, site.events.iter(), &urls),
            Source::EventCalendar(id) => {
                calendar::calendar(site, std::iter::once(&site.events[*id]), &urls)
            }
            Source::Theme(id) => return Ok(Cow::Borrowed(&assets[*id].bytes)),
            Source::SocialCard(of) => return self.social_card(*of).map(Cow::Owned),
            Source::Copy(from) => {
                let strip =
                    site.config.images.strip_metadata && crate::images::may_carry_metadata(from);
                return crate::images::copied_bytes(from, strip)
                    .map(Cow::Owned)
                    .map_err(|err| {
                        Diagnostic::error(from, format!("cannot read {}: {err}", from.display()))
                    });
            }
        };
        Ok(Cow::Owned(text.into_bytes()))
    }
}
