//! Content loading: walk `content/`, classify every file (post, bundle asset,
//! event, author, standalone page), read and parse them in parallel.

mod cold;
pub mod date;
pub mod front;
pub mod frontmatter;
mod index;
pub mod slugs;

pub use index::Index;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, line_col, relative_to};
use date::Timestamp;
use front::{AuthorFront, EventFront, PageFront, PostFront};

pub const CONTENT_DIR: &str = "content";

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
pub struct Content {
    pub posts: Vec<Arc<PostSource>>,
    pub events: Vec<(String, Arc<Document<EventFront>>)>,
    pub authors: Vec<(String, Arc<Document<AuthorFront>>)>,
    pub pages: Vec<Arc<Document<PageFront>>>,
}

/// The role of a file under `content/`, decided by where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Post,
    Event,
    Author,
    Page,
}

/// Reads and parses every file under `root/content`. Returns all errors
/// found, not just the first.
pub fn load(root: &Path) -> Result<Content, Vec<Diagnostic>> {
    Index::default().refresh(root, None)
}

#[derive(Clone)]
enum Loaded {
    Post(Arc<PostSource>),
    Event(String, Arc<Document<EventFront>>),
    Author(String, Arc<Document<AuthorFront>>),
    Page(Arc<Document<PageFront>>),
}

fn list_files(content_dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut files = Vec::new();
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_ignored(entry.file_name()));
    for entry in walker {
        let entry = entry.map_err(|err| {
            let path = err.path().unwrap_or(content_dir).to_path_buf();
            Diagnostic::error(path, format!("cannot read: {err}"))
        })?;
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// Files under `dir` by name relative to it ("img/x.png"), sorted, hidden
/// and temporary files skipped. Empty when `dir` does not exist.
pub fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let site_root = dir.parent().and_then(|root| root.canonicalize().ok());
    WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_ignored(entry.file_name()))
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| {
            !entry.path_is_symlink() || stays_inside(entry.path(), site_root.as_deref())
        })
        .filter_map(|entry| {
            let name = entry
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((name, entry.into_path()))
        })
        .collect()
}

/// A symlink is followed only to a file inside the site: a link to
/// `/etc/passwd` in `static/` must not publish (or serve) it.
fn stays_inside(link: &Path, site_root: Option<&Path>) -> bool {
    match (link.canonicalize(), site_root) {
        (Ok(target), Some(root)) => target.starts_with(root),
        _ => false,
    }
}

/// Hidden files and editors' temporary files are not content.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
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
    let is_markdown = path.extension().is_some_and(|ext| ext == "md");
    let depth = relative.components().count();
    match top {
        "posts" => Some(Kind::Post).filter(|_| is_markdown),
        "events" if depth == 2 => Some(Kind::Event).filter(|_| is_markdown),
        "authors" if depth == 2 => Some(Kind::Author).filter(|_| is_markdown),
        "events" | "authors" => None,
        _ => Some(Kind::Page).filter(|_| is_markdown),
    }
}

fn is_bundle_index(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == "index.md")
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
            Ok(Loaded::Event(slugs::slugify(&stem), Arc::new(doc)))
        }
        Kind::Author => {
            let doc = parse_document::<AuthorFront>(&text, content_path, display_path, path)?;
            Ok(Loaded::Author(slugs::slugify(&stem), Arc::new(doc)))
        }
        Kind::Page => Ok(Loaded::Page(Arc::new(parse_document::<PageFront>(
            &text,
            content_path,
            display_path,
            path,
        )?))),
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read_utf8(path: &Path, display_path: &Path) -> Result<String, Diagnostic> {
    let mut bytes = std::fs::read(path)
        .map_err(|err| Diagnostic::error(display_path, format!("cannot read file: {err}")))?;
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
    for file in files
        .iter()
        .filter(|f| f.extension().is_none_or(|ext| ext != "md"))
    {
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
            let (line, column) = crate::config::key_position(text, "slug");
            Diagnostic::error(&doc.display_path, problem)
                .at(text, line, column)
                .help("a slug is one URL segment such as \"kubecon-eu-2024\"")
        })?,
        None => slugs::slugify(rest),
    };
    Ok((date, slug))
}

fn check_event_dates(doc: &Document<EventFront>, text: &str) -> Result<(), Diagnostic> {
    match doc.front.end {
        Some(end) if end.date() < doc.front.start.date() => {
            let (line, column) = crate::config::key_position(text, "end");
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
