//! Rendered Markdown kept for the next build. `recap serve` keeps it in
//! memory, by file, while the file has not been read again (its load stamp
//! is the same); `recap build` keeps it in the cache folder
//! (`.recap-cache/markdown.bin`), by a hash of the file's path, page and
//! text. Either way an entry is used only while the settings rendering
//! depends on are the same, a body with `@/` links also needs every page's
//! URL unchanged, and on disk every site image the body showed must still
//! have the same bytes (its size and variants are in the HTML).
//!
//! On disk the renderings are two files. `markdown.bin` has the framing of
//! `cache_files::BlobFile` (a checksum per entry) and holds everything but
//! the bodies' HTML; it is read whole, dropped when the Markdown is
//! rendered, and written again from the build's own renderings (this
//! build's documents only), entry by entry, after the build.
//! `markdown-html.bin` holds the HTML, which is as large as the site's:
//! a body's HTML is read from it only when a page shows the body
//! (`cache_files::TextFile`), and checked then. HTML that does not read
//! back whole makes the build start over without the cache.

use std::hash::{Hash, Hasher};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap as HashMap;

use crate::cache_files::{Reader, TextFile, TextWriter, entries_of, write_entry};
use crate::images::Variants;
use crate::markdown::{Html, Rendered};

const FILE: &str = "markdown.bin";
const MAGIC: &[u8; 8] = b"RECAPMD\x04";
const HTML_FILE: &str = "markdown-html.bin";
const HTML_MAGIC: &[u8; 8] = b"RECAPHT\x01";

#[derive(Debug, Default)]
pub(crate) struct MarkdownCache {
    entries: Mutex<HashMap<String, Cached>>,
    settings: Mutex<u64>,
    /// Builds: the entries kept between runs.
    disk: Option<Disk>,
}

#[derive(Debug, Default)]
struct Disk {
    /// None when a link on the way forbids writing.
    path: Option<PathBuf>,
    /// The site, resolved: a kept rendering may only name pictures in it.
    site: PathBuf,
    identity: u64,
    warning: Option<String>,
    /// The last build's file, until the Markdown is rendered.
    loaded: std::sync::RwLock<Option<Loaded>>,
    /// Every rendering of this build, by key, with the URL fingerprint it
    /// was made with and whether it was made now (not read from the file):
    /// what the next build gets.
    kept: Mutex<Vec<Kept>>,
    /// The entries in the last build's file (all, superseded ones too),
    /// when it was whole and of this identity.
    in_file: usize,
    /// The file of the HTML the entries name, when it could be opened.
    html: Option<Arc<TextFile>>,
}

/// A rendering for the next build: its key, the URL fingerprint it was
/// made with, and whether it was made now.
type Kept = (u64, u64, Arc<Rendered>, bool);

#[derive(Debug)]
struct Loaded {
    bytes: Vec<u8>,
    entries: HashMap<u64, std::ops::Range<usize>>,
    html: Arc<TextFile>,
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
        MarkdownCache {
            disk: Some(Disk::open(root, folder)),
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
            None => self.get_or_render_in_memory(doc, urls, images, render),
        }
    }

    fn get_or_render_in_memory(
        &self,
        doc: &Doc,
        urls: u64,
        images: Option<&Variants>,
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
            .map(|cached| Arc::clone(&cached.rendered))
            .filter(|rendered| images_unchanged(rendered, images));
        if let Some(rendered) = cached {
            return reused(rendered, images);
        }
        let rendered = rendered_now(render, images);
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
        disk: &Disk,
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
            .get(key, settings, urls)
            .filter(|rendered| disk.names_only_site_pictures(rendered))
            .filter(|rendered| images_unchanged(rendered, images));
        let made_now = kept.is_none();
        let rendered = match kept {
            Some(rendered) => reused(Arc::new(rendered), images),
            None => rendered_now(render, images),
        };
        disk.keep(key, urls, Arc::clone(&rendered), made_now);
        rendered
    }

    /// Lets go of the last build's file once the Markdown is rendered.
    pub(crate) fn release(&self) {
        if let Some(disk) = &self.disk {
            *disk
                .loaded
                .write()
                .expect("no panics while holding the lock") = None;
        }
    }

    /// Whether HTML kept by the last build did not read back whole when a
    /// page showed it.
    pub(crate) fn lost_kept_html(&self) -> bool {
        self.disk
            .as_ref()
            .and_then(|disk| disk.html.as_ref())
            .is_some_and(|html| html.lost_any())
    }

    /// Removes the kept renderings, so that the next build renders every
    /// body; the warning that says so.
    pub(crate) fn forget_kept(&self) -> String {
        let Some(path) = self.disk.as_ref().and_then(|disk| disk.path.as_ref()) else {
            return String::new();
        };
        let _ = std::fs::remove_file(path);
        format!(
            "{} named HTML in {HTML_FILE} that was changed or damaged; the build started over without it",
            path.display()
        )
    }

    /// Saves this build's renderings for the next; warnings when the file
    /// could not be used or written.
    pub(crate) fn save(&self) -> Vec<String> {
        let Some(disk) = &self.disk else {
            return Vec::new();
        };
        let settings = self.settings();
        disk.warning
            .iter()
            .cloned()
            .chain(disk.save(settings))
            .collect()
    }
}

impl Disk {
    fn open(root: &Path, folder: &Path) -> Disk {
        let path = folder.join(FILE);
        let identity = {
            let mut hasher = rustc_hash::FxHasher::default();
            env!("CARGO_PKG_VERSION").hash(&mut hasher);
            hasher.finish()
        };
        let link = crate::cache_files::link_on_the_way(root, &path)
            .or_else(|| crate::cache_files::link_on_the_way(root, &folder.join(HTML_FILE)));
        if let Some(link) = link {
            return Disk {
                warning: Some(format!(
                    "{} is a symbolic link; no cache is kept",
                    link.display()
                )),
                ..Disk::default()
            };
        }
        let mut disk = Disk {
            path: Some(path.clone()),
            site: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            identity,
            ..Disk::default()
        };
        // Without the HTML its entries name, the index is of no use.
        let Some(html) = TextFile::open(&folder.join(HTML_FILE), HTML_MAGIC, identity) else {
            return disk;
        };
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return disk,
            Err(err) => {
                disk.warning = Some(format!(
                    "cannot read {}: {err}; this build renders all Markdown",
                    path.display()
                ));
                return disk;
            }
        };
        let (entries, damaged) =
            entries_of(&bytes, MAGIC, index_identity(identity, html.generation()));
        if !damaged {
            disk.in_file = entries.len();
        }
        if damaged {
            disk.warning = Some(format!(
                "{} is damaged; the {} entries before the damage are used",
                path.display(),
                entries.len()
            ));
        }
        disk.html = Some(Arc::clone(&html));
        *disk.loaded.get_mut().expect("not shared yet") = Some(Loaded {
            entries: entries.into_iter().collect(),
            bytes,
            html,
        });
        disk
    }

    /// The kept rendering under `key`, when it was made with `settings`
    /// (and, if it links to pages, with the URLs of `urls`).
    fn get(&self, key: u64, settings: u64, urls: u64) -> Option<Rendered> {
        let loaded = self
            .loaded
            .read()
            .expect("no panics while holding the lock");
        let loaded = loaded.as_ref()?;
        let range = loaded.entries.get(&key)?.clone();
        decode(&loaded.bytes[range], settings, urls, &loaded.html)
    }

    /// Whether every picture a kept rendering names is inside the site: a
    /// planted cache file must not get a file from elsewhere published.
    fn names_only_site_pictures(&self, rendered: &Rendered) -> bool {
        let inside = |file: &Path| {
            file.canonicalize()
                .is_ok_and(|file| file.starts_with(&self.site))
        };
        rendered.image_files.iter().all(|(file, _)| inside(file))
            && rendered
                .variants
                .iter()
                .all(|(_, variant)| inside(&variant.source))
    }

    fn keep(&self, key: u64, urls: u64, rendered: Arc<Rendered>, made_now: bool) {
        if self.path.is_some() {
            self.kept
                .lock()
                .expect("no panics while holding the lock")
                .push((key, urls, rendered, made_now));
        }
    }

    /// Keeps this build's renderings for the next: nothing to do when all
    /// came from the files; the new ones appended while the files are whole
    /// and at most half of the index superseded; else both written anew,
    /// the HTML first. (A build killed while appending leaves a cut entry,
    /// which the next build reads as the end of the index; one killed
    /// between the two renames leaves an index naming another generation of
    /// HTML, which is not used.)
    fn save(&self, settings: u64) -> Option<String> {
        let path = self.path.as_ref()?;
        let folder = path.parent()?;
        let mut kept = self.kept.lock().expect("no panics while holding the lock");
        kept.sort_by_key(|entry| entry.0);
        kept.dedup_by_key(|entry| entry.0);
        let new = kept.iter().filter(|entry| entry.3).count();
        // All came from the files, which are not mostly superseded entries.
        if new == 0 && self.in_file > 0 && self.in_file <= 2 * kept.len() {
            return None;
        }
        // Another build of the site may be saving too; appending is only
        // for the HTML file the entries were read with.
        let _lock = crate::cache_files::lock_folder(folder);
        let html_path = folder.join(HTML_FILE);
        let still_ours = self.html.as_ref().is_some_and(|html| {
            TextFile::open(&html_path, HTML_MAGIC, self.identity)
                .is_some_and(|now| now.generation() == html.generation())
        });
        let written = if still_ours && self.in_file > 0 && self.in_file + new <= 2 * kept.len() {
            let new_ones: Vec<&Kept> = kept.iter().filter(|entry| entry.3).collect();
            append(path, &html_path, &new_ones, settings)
        } else {
            let all: Vec<&Kept> = kept.iter().collect();
            write_anew(path, &html_path, self.identity, &all, settings)
        };
        written.err().map(|err| {
            format!(
                "cannot save {}: {err}; the next build renders all Markdown",
                path.display()
            )
        })
    }
}

/// Adds `entries` (renderings made now) to the end of both files.
fn append(path: &Path, html_path: &Path, entries: &[&Kept], settings: u64) -> std::io::Result<()> {
    let append_to = |file: &Path| std::fs::OpenOptions::new().append(true).open(file);
    let html_file = append_to(html_path)?;
    let len = html_file.metadata()?.len();
    let mut texts = TextWriter::appending(std::io::BufWriter::new(html_file), len);
    let placed = place_html(&mut texts, entries)?;
    texts.finish()?;
    let mut index = std::io::BufWriter::new(append_to(path)?);
    write_index_entries(&mut index, &placed, settings)?;
    index.flush()
}

/// Writes both files anew with `entries`, under a new generation.
fn write_anew(
    path: &Path,
    html_path: &Path,
    identity: u64,
    entries: &[&Kept],
    settings: u64,
) -> std::io::Result<()> {
    let generation = crate::cache_files::new_generation();
    let mut placed = Vec::new();
    crate::cache_files::write_atomically_with(html_path, |out| {
        let mut texts = TextWriter::new_file(out, HTML_MAGIC, identity, generation)?;
        placed = place_html(&mut texts, entries)?;
        texts.finish().map(|_| ())
    })?;
    crate::cache_files::write_atomically_with(path, |out| {
        out.write_all(MAGIC)?;
        out.write_all(&index_identity(identity, generation).to_le_bytes())?;
        write_index_entries(out, &placed, settings)
    })
}

/// An index entry to write: the rendering and where its HTML went.
type Placed<'a> = (&'a Kept, HtmlPlace);

/// Where a body's HTML is in the HTML file: offset, length, checksum.
type HtmlPlace = (u64, u32, u64);

/// Writes the HTML of each entry; an entry whose kept HTML cannot be read
/// back is left out.
fn place_html<'a, W: std::io::Write>(
    texts: &mut TextWriter<W>,
    entries: &[&'a Kept],
) -> std::io::Result<Vec<Placed<'a>>> {
    let mut placed = Vec::with_capacity(entries.len());
    for &entry in entries {
        if let Some(html) = entry.2.html.for_saving() {
            placed.push((entry, texts.write(&html)?));
        }
    }
    Ok(placed)
}

fn write_index_entries(
    out: &mut dyn std::io::Write,
    placed: &[Placed],
    settings: u64,
) -> std::io::Result<()> {
    let mut blob = Vec::new();
    for ((key, urls, rendered, _), html) in placed {
        blob.clear();
        encode_into(&mut blob, rendered, settings, *urls, *html)?;
        write_entry(out, *key, &blob)?;
    }
    Ok(())
}

/// The identity of an index of the HTML file of `generation`.
fn index_identity(identity: u64, generation: u64) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    (identity, generation).hash(&mut hasher);
    hasher.finish()
}

/// The settings and URL fingerprints, where the HTML is, the two summary
/// texts (each its length and bytes), then the rest of it as JSON.
fn encode_into(
    blob: &mut Vec<u8>,
    rendered: &Rendered,
    settings: u64,
    urls: u64,
    (offset, len, checksum): HtmlPlace,
) -> std::io::Result<()> {
    blob.extend_from_slice(&settings.to_le_bytes());
    blob.extend_from_slice(&urls.to_le_bytes());
    blob.extend_from_slice(&offset.to_le_bytes());
    blob.extend_from_slice(&len.to_le_bytes());
    blob.extend_from_slice(&checksum.to_le_bytes());
    for text in [&rendered.summary_html, &rendered.summary_text] {
        let len = u32::try_from(text.len()).map_err(std::io::Error::other)?;
        blob.extend_from_slice(&len.to_le_bytes());
        blob.extend_from_slice(text.as_bytes());
    }
    serde_json::to_writer(blob, rendered).map_err(std::io::Error::other)
}

fn decode(blob: &[u8], settings: u64, urls: u64, html: &Arc<TextFile>) -> Option<Rendered> {
    let mut reader = Reader { bytes: blob };
    if reader.u64()? != settings {
        return None;
    }
    let rendered_with = reader.u64()?;
    let html = html.text(reader.u64()?, reader.u32()?, reader.u64()?)?;
    let mut text = || {
        let len = reader.u32()? as usize;
        String::from_utf8(reader.take(len)?.to_vec()).ok()
    };
    let (summary_html, summary_text) = (text()?, text()?);
    let rendered = Rendered {
        html: Html::kept(html),
        summary_html,
        summary_text,
        ..serde_json::from_slice(reader.bytes).ok()?
    };
    (!rendered.links_to_pages || rendered_with == urls).then_some(rendered)
}

/// A kept rendering, used again: the image copies it names are planned
/// again (the theme, and with it the planned copies, may be new).
fn reused(rendered: Arc<Rendered>, images: Option<&Variants>) -> Arc<Rendered> {
    if let Some(images) = images {
        images.plan_again(&rendered.variants);
    }
    rendered
}

/// A rendering made now, with the hash of each image file it looked at (0
/// for one that cannot be read, which any readable file then differs from).
fn rendered_now(render: impl FnOnce() -> Rendered, images: Option<&Variants>) -> Arc<Rendered> {
    let mut rendered = render();
    if let Some(images) = images {
        for (file, hash) in &mut rendered.image_files {
            *hash = images.content_hash(file).unwrap_or(0);
        }
    }
    Arc::new(rendered)
}

/// Whether every site image the body showed still has the bytes it had.
fn images_unchanged(rendered: &Rendered, images: Option<&Variants>) -> bool {
    rendered
        .image_files
        .iter()
        .all(|(file, hash)| images.is_some_and(|images| images.content_hash(file) == Some(*hash)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_rendering_may_name_only_pictures_of_the_site() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(site.path().join("hall.jpg"), b"x").unwrap();
        std::fs::write(outside.path().join("private.jpg"), b"x").unwrap();
        let disk = Disk::open(site.path(), &site.path().join(".recap-cache"));
        let naming = |file: PathBuf| Rendered {
            image_files: vec![(file, 0)],
            ..Rendered::default()
        };
        assert!(disk.names_only_site_pictures(&naming(site.path().join("hall.jpg"))));
        assert!(!disk.names_only_site_pictures(&naming(outside.path().join("private.jpg"))));
        assert!(!disk.names_only_site_pictures(&naming(site.path().join("../x/missing.jpg"))));
    }

    #[test]
    fn renderings_survive_a_save_and_edits_are_appended() {
        let site = tempfile::tempdir().unwrap();
        let folder = site.path().join(".recap-cache");
        let rendered = |html: &str| {
            Arc::new(Rendered {
                html: html.into(),
                ..Rendered::default()
            })
        };
        let disk = Disk::open(site.path(), &folder);
        disk.keep(1, 0, rendered("<p>a</p>"), true);
        disk.keep(2, 0, rendered("<p>b</p>"), true);
        assert!(disk.save(7).is_none());
        let first = std::fs::read(folder.join(FILE)).unwrap();
        // A build that changes one text appends one entry.
        let disk = Disk::open(site.path(), &folder);
        assert_eq!(disk.get(1, 7, 0).unwrap().html, "<p>a</p>");
        assert!(disk.get(1, 8, 0).is_none(), "other settings");
        disk.keep(1, 0, rendered("<p>a</p>"), false);
        disk.keep(3, 0, rendered("<p>c</p>"), true);
        assert!(disk.save(7).is_none());
        let second = std::fs::read(folder.join(FILE)).unwrap();
        assert!(second.starts_with(&first) && second.len() > first.len());
        let disk = Disk::open(site.path(), &folder);
        assert_eq!(disk.get(3, 7, 0).unwrap().html, "<p>c</p>");
        // Once half the file is superseded it is written anew.
        disk.keep(4, 0, rendered("<p>d</p>"), true);
        disk.keep(5, 0, rendered("<p>e</p>"), true);
        assert!(disk.save(7).is_none());
        let disk = Disk::open(site.path(), &folder);
        assert_eq!(disk.in_file, 2);
        assert!(disk.get(1, 7, 0).is_none());
        assert_eq!(disk.get(5, 7, 0).unwrap().html, "<p>e</p>");
    }

    #[test]
    fn an_index_is_used_only_with_the_html_it_was_written_with() {
        let site = tempfile::tempdir().unwrap();
        let folder = site.path().join(".recap-cache");
        let save = |html: &str| {
            let disk = Disk::open(site.path(), &folder);
            let rendered = Rendered {
                html: html.into(),
                ..Rendered::default()
            };
            disk.keep(1, 0, Arc::new(rendered), true);
            assert!(disk.save(7).is_none());
        };
        save("<p>first</p>");
        let first_index = std::fs::read(folder.join(FILE)).unwrap();
        // Written anew (nothing of the first file was kept).
        std::fs::remove_file(folder.join(FILE)).unwrap();
        save("<p>second</p>");
        let disk = Disk::open(site.path(), &folder);
        assert_eq!(disk.get(1, 7, 0).unwrap().html, "<p>second</p>");
        // The first index names HTML of another generation: not used, and
        // not reported as damaged either (a build killed between renames).
        std::fs::write(folder.join(FILE), &first_index).unwrap();
        let disk = Disk::open(site.path(), &folder);
        assert!(disk.get(1, 7, 0).is_none());
        assert!(disk.warning.is_none());
        // Without its HTML file an index is of no use.
        std::fs::remove_file(folder.join(HTML_FILE)).unwrap();
        assert!(Disk::open(site.path(), &folder).get(1, 7, 0).is_none());
    }
}
