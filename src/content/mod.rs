//! Content loading: walk `content/`, classify every file (post, bundle asset,
//! event, author, standalone page), read and parse them in parallel.

mod cold;
pub(crate) mod date;
pub(crate) mod front;
pub(crate) mod frontmatter;
mod index;
mod schema;
pub(crate) mod slugs;
mod walk;

pub(crate) use index::Index;
pub(crate) use walk::leads_inside;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, line_col, relative_to};
use crate::locate::{Step, key_at, value_at};
use date::Timestamp;
use front::{AuthorFront, EventFront, PageFront, PostFront, SpeakerFront};

pub(crate) const CONTENT_DIR: &str = "content";

/// One Markdown file: where it is and its text, cut into front matter and body.
#[derive(Debug, Clone)]
pub struct Document<F> {
    /// Unique to this reading of the file: a rendering of the document made
    /// from the same stamp is still valid (see `site::links::MarkdownCache`).
    pub stamp: u64,
    /// Path relative to `content/`, with `/` separators: "posts/2024/x.md".
    pub content_path: String,
    /// Path shown in messages, relative to the site root: "content/posts/2024/x.md".
    pub display_path: PathBuf,
    /// Where the file is.
    pub path: PathBuf,
    pub front: F,
    pub body: String,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

#[derive(Debug)]
pub struct PostSource {
    pub doc: Document<PostFront>,
    pub date: Timestamp,
    pub slug: String,
    /// The slugs of the tags, authors and event the post names, by which
    /// they are matched (made once per reading of the file).
    pub tag_slugs: Vec<String>,
    pub author_slugs: Vec<String>,
    pub event_slug: Option<String>,
    /// Files beside a bundle's `index.md`, to be copied next to the post.
    pub assets: Vec<PathBuf>,
    pub bundle_dir: Option<PathBuf>,
}

#[derive(Debug, Default)]
pub(crate) struct Content {
    pub posts: Vec<Arc<PostSource>>,
    pub events: Vec<(String, Arc<Document<EventFront>>)>,
    pub authors: Vec<(String, Arc<Document<AuthorFront>>)>,
    pub speakers: Vec<(String, Arc<Document<SpeakerFront>>)>,
    pub pages: Vec<Arc<Document<PageFront>>>,
}

/// The role of a file under `content/`, decided by where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Post,
    Event,
    Author,
    Speaker,
    Page,
}

/// Reads and parses every file under `root/content`. Returns all errors
/// found, not just the first.
pub(crate) fn load(root: &Path) -> Result<Content, Vec<Diagnostic>> {
    Index::default().refresh(root, None)
}

#[derive(Clone)]
enum Loaded {
    Post(Arc<PostSource>),
    Event(String, Arc<Document<EventFront>>),
    Author(String, Arc<Document<AuthorFront>>),
    Speaker(String, Arc<Document<SpeakerFront>>),
    Page(Arc<Document<PageFront>>),
}

/// Every file under `content_dir` (or a folder inside it).
fn list_files(content_dir: &Path, site_root: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    walk::files_in(content_dir, site_root)
}

/// Files under `dir` by name relative to it ("img/x.png"), sorted, hidden
/// and temporary files skipped, symlinks followed only inside the site
/// (`dir`'s parent). Empty when `dir` does not exist.
pub(crate) fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let site_root = dir.parent().unwrap_or(dir);
    Ok(walk::files_in(dir, site_root)?
        .into_iter()
        .filter_map(|path| {
            let name = path
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((name, path))
        })
        .collect())
}

/// Hidden files and editors' temporary files are not content.
pub(crate) fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    // "4913" is the file vim creates to test whether a folder is writable.
    name.starts_with('.')
        || name == "4913"
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

fn kind_of(content_dir: &Path, path: &Path) -> Option<Kind> {
    let relative = path.strip_prefix(content_dir).ok()?;
    let top = relative.components().next()?.as_os_str().to_str()?;
    let is_markdown = is_markdown(path);
    let depth = relative.components().count();
    match top {
        "posts" => Some(Kind::Post).filter(|_| is_markdown),
        "events" if depth == 2 => Some(Kind::Event).filter(|_| is_markdown),
        "authors" if depth == 2 => Some(Kind::Author).filter(|_| is_markdown),
        "speakers" if depth == 2 => Some(Kind::Speaker).filter(|_| is_markdown),
        "events" | "authors" | "speakers" => None,
        _ => Some(Kind::Page).filter(|_| is_markdown),
    }
}

/// Markdown files end in `.md` or `.markdown`, in any case (`.MD` is what
/// some Windows tools write).
pub(crate) fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown"))
}

fn is_bundle_index(path: &Path) -> bool {
    is_markdown(path) && path.file_stem().is_some_and(|stem| stem == "index")
}

fn load_file(
    root: &Path,
    content_dir: &Path,
    path: &Path,
    kind: Kind,
    bundle_files: &[PathBuf],
) -> Result<Loaded, Diagnostic> {
    let display_path = relative_to(root, path);
    let content_path = path
        .strip_prefix(content_dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let text = read_utf8(path, &display_path)?;
    let stem = file_stem(path);
    match kind {
        Kind::Post => {
            let doc = parse_document::<PostFront>(&text, content_path, display_path, path)?;
            let bundle_dir = is_bundle_index(path)
                .then(|| path.parent().map(Path::to_path_buf))
                .flatten();
            let assets = bundle_files.to_vec();
            let name = match &bundle_dir {
                Some(dir) => file_stem(dir),
                None => stem,
            };
            let (date, slug) = post_date_and_slug(&doc, &name, &text)?;
            check_post_names(&doc, &text)?;
            let front = &doc.front;
            check_sessions(&doc, &text)?;
            let session_urls = front.sessions.iter().enumerate().flat_map(|(at, session)| {
                let media = [("video", &session.video), ("slides", &session.slides)]
                    .into_iter()
                    .filter_map(move |(key, url)| {
                        let path = vec![Step::Key("sessions"), Step::Index(at), Step::Key(key)];
                        Some((path, url.as_deref()?))
                    });
                let links = session.links.iter().map(move |(key, url)| {
                    let path = vec![
                        Step::Key("sessions"),
                        Step::Index(at),
                        Step::Key("links"),
                        Step::Key(key.as_str()),
                    ];
                    (path, url.as_str())
                });
                media.chain(links)
            });
            let image = front
                .image
                .as_deref()
                .map(|url| (vec![Step::Key("image")], url));
            check_urls(
                &doc.display_path,
                &text,
                image.into_iter().chain(session_urls),
            )?;
            let front = &doc.front;
            Ok(Loaded::Post(Arc::new(PostSource {
                tag_slugs: front.tags.iter().map(|t| slugs::slugify(t)).collect(),
                author_slugs: front.authors.iter().map(|a| slugs::slugify(a)).collect(),
                event_slug: front.event.as_deref().map(slugs::slugify),
                doc,
                date,
                slug,
                assets,
                bundle_dir,
            })))
        }
        Kind::Event => {
            let doc = parse_document::<EventFront>(&text, content_path, display_path, path)?;
            check_event_dates(&doc, &text)?;
            check_zone(&doc.display_path, &text, doc.front.timezone.as_deref())?;
            let front = &doc.front;
            let urls = [
                ("website", &front.website),
                ("online_url", &front.online_url),
                ("image", &front.image),
                ("logo", &front.logo),
            ]
            .into_iter()
            .filter_map(|(key, url)| Some((vec![Step::Key(key)], url.as_deref()?)));
            check_urls(&doc.display_path, &text, urls)?;
            Ok(Loaded::Event(
                file_slug(&doc.display_path, &stem, &text, RENAME)?,
                Arc::new(doc),
            ))
        }
        Kind::Author => {
            let doc = parse_document::<AuthorFront>(&text, content_path, display_path, path)?;
            let front = &doc.front;
            let urls = person_urls(front.avatar.as_deref(), &front.links);
            check_urls(&doc.display_path, &text, urls)?;
            Ok(Loaded::Author(
                file_slug(&doc.display_path, &stem, &text, RENAME)?,
                Arc::new(doc),
            ))
        }
        Kind::Speaker => {
            let doc = parse_document::<SpeakerFront>(&text, content_path, display_path, path)?;
            let front = &doc.front;
            let urls = person_urls(front.avatar.as_deref(), &front.links);
            check_urls(&doc.display_path, &text, urls)?;
            Ok(Loaded::Speaker(
                file_slug(&doc.display_path, &stem, &text, RENAME)?,
                Arc::new(doc),
            ))
        }
        Kind::Page => Ok(Loaded::Page(Arc::new(parse_document::<PageFront>(
            &text,
            content_path,
            display_path,
            path,
        )?))),
    }
}

/// The URLs of an author or speaker file, with where each is written.
fn person_urls<'a>(
    avatar: Option<&'a str>,
    links: &'a std::collections::BTreeMap<String, String>,
) -> impl Iterator<Item = (Vec<Step<'a>>, &'a str)> {
    let avatar = avatar.map(|url| (vec![Step::Key("avatar")], url));
    let links = links.iter().map(|(key, url)| {
        (
            vec![Step::Key("links"), Step::Key(key.as_str())],
            url.as_str(),
        )
    });
    avatar.into_iter().chain(links)
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read_utf8(path: &Path, display_path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|err| Diagnostic::error(display_path, format!("cannot read file: {err}")))?;
    utf8_text(bytes, display_path)
}

/// The text of a source file, without a byte-order mark; an error at the
/// first byte that is not UTF-8.
pub(crate) fn utf8_text(mut bytes: Vec<u8>, display_path: &Path) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid_up_to = err.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&err.as_bytes()[..valid_up_to]).into_owned();
        let (line, column) = line_col(&valid, valid.len());
        let shown = String::from_utf8_lossy(err.as_bytes()).into_owned();
        Diagnostic::error(display_path, "this file is not valid UTF-8")
            .at(&shown, line, column)
            .help("save the file as UTF-8 (most editors have an \"encoding\" option when saving)")
    })
}

fn parse_document<F: DeserializeOwned>(
    text: &str,
    content_path: String,
    display_path: PathBuf,
    path: &Path,
) -> Result<Document<F>, Diagnostic> {
    static NEXT_STAMP: AtomicU64 = AtomicU64::new(0);
    let split = frontmatter::split(text, &display_path)?;
    let front = frontmatter::parse(&split, text, &display_path)?;
    Ok(Document {
        stamp: NEXT_STAMP.fetch_add(1, Ordering::Relaxed),
        content_path,
        front,
        body: split.body.to_string(),
        body_line: split.body_line,
        display_path,
        path: path.to_path_buf(),
    })
}

/// The files of each post bundle (the folder of a `posts/**/index.md`):
/// every non-Markdown file inside it, not inside a nested bundle.
fn bundle_assets(content_dir: &Path, files: &BTreeSet<PathBuf>) -> HashMap<PathBuf, Vec<PathBuf>> {
    let bundles: HashSet<&Path> = files
        .iter()
        .filter(|path| kind_of(content_dir, path) == Some(Kind::Post) && is_bundle_index(path))
        .filter_map(|path| path.parent())
        .collect();
    let mut assets: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
    for file in files.iter().filter(|f| !is_markdown(f)) {
        if let Some(bundle) = file.ancestors().skip(1).find(|dir| bundles.contains(dir)) {
            assets
                .entry(bundle.to_path_buf())
                .or_default()
                .push(file.clone());
        }
    }
    assets
}

/// A post's date (front matter, else the file-name prefix) and slug
/// (front matter, else the file or bundle name without the date prefix).
fn post_date_and_slug(
    doc: &Document<PostFront>,
    name: &str,
    text: &str,
) -> Result<(Timestamp, String), Diagnostic> {
    let (prefix_date, rest) = slugs::split_date_prefix(name);
    let date = match (doc.front.date, prefix_date) {
        (Some(date), _) => date,
        (None, Some(date)) => Timestamp::from_date(date),
        (None, None) => {
            return Err(Diagnostic::error(&doc.display_path, "missing required key `date`")
                .at(text, 1, 1)
                .help("add `date = 2024-03-25` to the front matter, or start the file name with the date: 2024-03-25-my-recap.md"));
        }
    };
    let slug = match &doc.front.slug {
        Some(slug) => slugs::checked_slug(slug).map_err(|problem| {
            let (line, column) = key_at(text, &[Step::Key("slug")]);
            Diagnostic::error(&doc.display_path, problem)
                .at(text, line, column)
                .help("a slug is one URL segment such as \"kubecon-eu-2024\"")
        })?,
        None => file_slug(
            &doc.display_path,
            rest,
            text,
            "rename the file, or set `slug = \"my-recap\"` in its front matter",
        )?,
    };
    Ok((date, slug))
}

/// The help for an event or author file whose name gives no slug.
const RENAME: &str =
    "rename the file: its name is the page's URL, e.g. content/events/kubecon-eu-2024.md";

/// The most tags, and the most authors, one post may have: each tag (or
/// author) page lists the post with all of them, so the output grows with
/// the square of this number.
pub(crate) const MAX_NAMES_PER_POST: usize = 100;

/// Every tag, author and event a post names must have a slug, since each
/// becomes a folder of the site (`/tags/<slug>/`).
fn check_post_names(doc: &Document<PostFront>, text: &str) -> Result<(), Diagnostic> {
    let front = &doc.front;
    for (key, count, what) in [
        ("tags", front.tags.len(), "tag"),
        ("authors", front.authors.len(), "author"),
    ] {
        if count > MAX_NAMES_PER_POST {
            let (line, column) = key_at(text, &[Step::Key(key)]);
            return Err(Diagnostic::error(
                &doc.display_path,
                format!("this post has {count} {key}; a post may have at most {MAX_NAMES_PER_POST}"),
            )
            .at(text, line, column)
            .width(key.len())
            .help(format!("every {what} is a page listing the post with all its {key}, so the site grows with the square of their number")));
        }
    }
    let tags = front.tags.iter().enumerate();
    let authors = front.authors.iter().enumerate();
    let named = tags
        .map(|(at, tag)| (vec![Step::Key("tags"), Step::Index(at)], "tag", tag))
        .chain(authors.map(|(at, author)| {
            (
                vec![Step::Key("authors"), Step::Index(at)],
                "author",
                author,
            )
        }))
        .chain(
            front
                .event
                .iter()
                .map(|event| (vec![Step::Key("event")], "event", event)),
        );
    for (path, what, name) in named {
        if slugs::slugify(name).is_empty() {
            let (line, column) = value_at(text, &path, name);
            return Err(Diagnostic::error(
                &doc.display_path,
                format!(
                    "the {what} `{}` has no letters or digits, so it cannot name a page (its URL would be empty)",
                    name.escape_debug()
                ),
            )
            .at(text, line, column)
            .help(format!("spell the {what} with at least one letter or digit, e.g. \"c-sharp\" rather than \"#\"")));
        }
    }
    Ok(())
}

/// Front matter URLs end up in `href` and `src`: one whose scheme could
/// run script is an error at its value.
fn check_urls<'a>(
    display_path: &Path,
    text: &str,
    urls: impl Iterator<Item = (Vec<Step<'a>>, &'a str)>,
) -> Result<(), Diagnostic> {
    for (path, url) in urls {
        if let Some(scheme) = crate::url_safety::unsafe_scheme(url) {
            let (line, column) = value_at(text, &path, url);
            return Err(
                Diagnostic::error(display_path, crate::url_safety::refusal(url, &scheme))
                    .at(text, line, column)
                    .help(crate::url_safety::HELP),
            );
        }
    }
    Ok(())
}

/// The slug of a file or folder name (a post, event or author file); an
/// error when nothing of the name is left for a URL.
fn file_slug(
    display_path: &Path,
    name: &str,
    text: &str,
    help: &str,
) -> Result<String, Diagnostic> {
    let slug = slugs::slugify(name);
    if slug.is_empty() {
        return Err(Diagnostic::error(
            display_path,
            format!(
                "the file name `{}` has no letters or digits, so it cannot give this page a URL",
                name.escape_debug()
            ),
        )
        .at(text, 1, 1)
        .help(help));
    }
    Ok(slug)
}

/// A `timezone` key must name an IANA time zone.
fn check_zone(file: &Path, text: &str, zone: Option<&str>) -> Result<(), Diagnostic> {
    let Some(name) = zone else {
        return Ok(());
    };
    let Err(problem) = date::parse_zone(name) else {
        return Ok(());
    };
    let (line, column) = value_at(text, &[Step::Key("timezone")], name);
    Err(Diagnostic::error(file, problem)
        .at(text, line, column)
        .help(date::ZONE_HELP))
}

/// Each session ends after it starts, and each speaker has a name with a
/// letter or digit (it becomes the speaker page's URL).
fn check_sessions(doc: &Document<PostFront>, text: &str) -> Result<(), Diagnostic> {
    for (at, session) in doc.front.sessions.iter().enumerate() {
        if let (Some(start), Some(end)) = (session.start, session.end)
            && end.instant() < start.instant()
        {
            let (line, column) = key_at(
                text,
                &[Step::Key("sessions"), Step::Index(at), Step::Key("end")],
            );
            return Err(Diagnostic::error(
                &doc.display_path,
                format!(
                    "session “{}” ends ({}) before it starts ({})",
                    session.title,
                    end.rfc3339(),
                    start.rfc3339()
                ),
            )
            .at(text, line, column)
            .width(3)
            .help("`end` must be after `start`; both are datetimes such as 2025-11-19T20:45:00"));
        }
        for (index, speaker) in session.speakers.iter().enumerate() {
            let slug = speaker.slug.as_deref().unwrap_or(&speaker.name);
            if slugs::slugify(slug).is_empty() {
                let steps = [
                    Step::Key("sessions"),
                    Step::Index(at),
                    Step::Key("speakers"),
                    Step::Index(index),
                ];
                let (line, column) = value_at(text, &steps, slug);
                return Err(Diagnostic::error(
                    &doc.display_path,
                    format!("the speaker `{slug}` has no letter or digit to name a page by"),
                )
                .at(text, line, column)
                .help("write the speaker's name, e.g. \"Ada Lovelace\" or { name = \"Ada Lovelace\", company = \"Analytical\" }"));
            }
        }
    }
    Ok(())
}

fn check_event_dates(doc: &Document<EventFront>, text: &str) -> Result<(), Diagnostic> {
    match doc.front.end {
        Some(end) if end.date() < doc.front.start.date() => {
            let (line, column) = key_at(text, &[Step::Key("end")]);
            Err(Diagnostic::error(
                &doc.display_path,
                format!(
                    "event ends ({}) before it starts ({})",
                    end.ymd(),
                    doc.front.start.ymd()
                ),
            )
            .at(text, line, column)
            .width(3)
            .help("`end` must be on or after `start`; for a one-day event leave `end` out"))
        }
        _ => Ok(()),
    }
}
