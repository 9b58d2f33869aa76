//! The content of a site as `recap serve` keeps it between rebuilds: every
//! file under `content/`, and each Markdown file parsed (or the error it
//! gave). A rebuild re-reads only the paths the file watcher reported; the
//! first build, and a rebuild the watcher cannot describe, read everything.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{
    CONTENT_DIR, Content, Kind, Loaded, bundle_assets, cold, is_bundle_index, is_ignored, kind_of,
    list_files, load_file, walk,
};
use crate::diagnostics::Diagnostic;

#[derive(Default)]
pub(crate) struct Index {
    /// Every file under `content/`, bundle assets included.
    files: BTreeSet<PathBuf>,
    /// Each Markdown file that is content: its role, and what reading it
    /// gave (None: to be read).
    markdown: BTreeMap<PathBuf, (Kind, Option<Result<Loaded, Diagnostic>>)>,
    /// The files of each post bundle, by the bundle's folder.
    bundles: HashMap<PathBuf, Vec<PathBuf>>,
    /// The Markdown files the last refresh read again, when that is all it
    /// did: no file appeared or went, no bundle changed.
    touched: Option<Vec<PathBuf>>,
}

impl Index {
    /// Brings the index up to date and returns the site's content: every
    /// file when `changed` is None, else only the `changed` paths (files,
    /// or folders, created, modified or gone). Returns every error found.
    pub(crate) fn refresh(
        &mut self,
        root: &Path,
        changed: Option<&[PathBuf]>,
    ) -> Result<Content, Vec<Diagnostic>> {
        let content_dir = root.join(CONTENT_DIR);
        let count_before = self.markdown.len();
        let layout_changed = match changed {
            Some(paths) => self.apply(&content_dir, paths),
            None => self.reread(&content_dir),
        }
        .map_err(|err| vec![err])?;
        if layout_changed {
            self.regroup_bundles(&content_dir);
        }
        let read = self.read(root, &content_dir);
        let same_files =
            changed.is_some() && !layout_changed && self.markdown.len() == count_before;
        self.touched = same_files.then_some(read);
        self.content()
    }

    /// The Markdown files the last refresh read again, if reading them was
    /// all it did; None when files appeared or went, or bundles changed.
    pub(crate) fn touched(&self) -> Option<&[PathBuf]> {
        self.touched.as_deref()
    }

    /// Forgets everything and lists `content/` anew.
    fn reread(&mut self, content_dir: &Path) -> Result<bool, Diagnostic> {
        let files = if content_dir.is_dir() {
            list_files(content_dir, site_root(content_dir))?
        } else {
            Vec::new()
        };
        // Built from the walk's sorted list at once: inserting paths one by
        // one costs a component-by-component comparison per tree level.
        self.markdown = files
            .iter()
            .filter_map(|file| Some((file.clone(), (kind_of(content_dir, file)?, None))))
            .collect();
        self.files = files.into_iter().collect();
        Ok(true)
    }

    /// Takes in the changed paths. True when they may change which files
    /// belong to which bundle (a folder, a file that is not Markdown, an
    /// `index.md`), rather than just the text of some Markdown files.
    fn apply(&mut self, content_dir: &Path, paths: &[PathBuf]) -> Result<bool, Diagnostic> {
        let mut layout_changed = false;
        for path in paths {
            let Ok(relative) = path.strip_prefix(content_dir) else {
                continue;
            };
            if relative.iter().any(is_ignored) {
                continue;
            }
            let plain_markdown = super::is_markdown(path) && !is_bundle_index(path);
            let was_folder = self.forget(path);
            match std::fs::metadata(path) {
                // A symlink (or a file under one) that leads out of the
                // site is not content, as in a full walk.
                Ok(_) if !walk::leads_inside(path, &canonical_root(content_dir)) => {
                    layout_changed |= was_folder || !plain_markdown;
                }
                Ok(metadata) if metadata.is_file() => {
                    layout_changed |= !plain_markdown;
                    self.add(content_dir, path.clone());
                }
                // A folder created or moved in: everything in it is new.
                Ok(metadata) if metadata.is_dir() => {
                    layout_changed = true;
                    for file in list_files(path, site_root(content_dir))? {
                        self.add(content_dir, file);
                    }
                }
                _ => layout_changed |= was_folder || !plain_markdown,
            }
        }
        Ok(layout_changed)
    }

    /// A file to read.
    fn add(&mut self, content_dir: &Path, file: PathBuf) {
        if let Some(kind) = kind_of(content_dir, &file) {
            self.markdown.insert(file.clone(), (kind, None));
        }
        self.files.insert(file);
    }

    /// Drops `path` and, if it was a folder, everything under it; true if
    /// it was a folder.
    fn forget(&mut self, path: &Path) -> bool {
        let under: Vec<PathBuf> = self
            .files
            .range(path.to_path_buf()..)
            .take_while(|file| file.starts_with(path))
            .cloned()
            .collect();
        let was_folder = under.iter().any(|file| file != path);
        for file in under {
            self.files.remove(&file);
            self.markdown.remove(&file);
        }
        was_folder
    }

    /// Works out each bundle's files again; a bundle whose files changed is
    /// read again.
    fn regroup_bundles(&mut self, content_dir: &Path) {
        self.bundles = bundle_assets(content_dir, &self.files);
        for (path, (_, loaded)) in &mut self.markdown {
            if let Some(Ok(Loaded::Post(post))) = loaded
                && post.assets != bundle_files(&self.bundles, path)
            {
                *loaded = None;
            }
        }
    }

    /// Reads every Markdown file not read yet, in parallel; returns them.
    fn read(&mut self, root: &Path, content_dir: &Path) -> Vec<PathBuf> {
        let bundles = &self.bundles;
        let unread: Vec<(&PathBuf, Kind)> = self
            .markdown
            .iter()
            .filter(|(_, (_, loaded))| loaded.is_none())
            .map(|(path, (kind, _))| (path, *kind))
            .collect();
        let paths: Vec<&Path> = unread.iter().map(|(path, _)| path.as_path()).collect();
        let read: Vec<(PathBuf, Result<Loaded, Diagnostic>)> = cold::with_readers(&paths, || {
            unread
                .par_iter()
                .map(|&(path, kind)| {
                    let files = bundle_files(bundles, path);
                    (
                        path.clone(),
                        load_file(root, content_dir, path, kind, &files),
                    )
                })
                .collect()
        });
        // `read` is in the order of the unread entries: fill them in one pass.
        debug_assert_eq!(
            read.len(),
            self.markdown
                .values()
                .filter(|(_, loaded)| loaded.is_none())
                .count()
        );
        let unread_entries = self
            .markdown
            .values_mut()
            .filter(|(_, loaded)| loaded.is_none());
        unread_entries
            .zip(read)
            .map(|(entry, (path, loaded))| {
                entry.1 = Some(loaded);
                path
            })
            .collect()
    }

    /// The content as of now, in path order; or every error, by file and line.
    fn content(&self) -> Result<Content, Vec<Diagnostic>> {
        let mut content = Content::default();
        let mut errors = Vec::new();
        for (_, loaded) in self.markdown.values() {
            match loaded.clone() {
                Some(Ok(Loaded::Post(post))) => content.posts.push(post),
                Some(Ok(Loaded::Event(slug, doc))) => content.events.push((slug, doc)),
                Some(Ok(Loaded::Author(slug, doc))) => content.authors.push((slug, doc)),
                Some(Ok(Loaded::Speaker(slug, doc))) => content.speakers.push((slug, doc)),
                Some(Ok(Loaded::Page(doc))) => content.pages.push(doc),
                Some(Err(err)) => errors.push(err),
                None => {}
            }
        }
        if errors.is_empty() {
            Ok(content)
        } else {
            errors.sort_by(|a, b| a.file.cmp(&b.file).then(a.line.cmp(&b.line)));
            Err(errors)
        }
    }
}

/// The files beside `path` when it is a bundle's `index.md`.
fn bundle_files(bundles: &HashMap<PathBuf, Vec<PathBuf>>, path: &Path) -> Vec<PathBuf> {
    path.parent()
        .filter(|_| is_bundle_index(path))
        .and_then(|dir| bundles.get(dir))
        .cloned()
        .unwrap_or_default()
}

/// The site folder of `content_dir`.
fn site_root(content_dir: &Path) -> &Path {
    content_dir.parent().unwrap_or(content_dir)
}

fn canonical_root(content_dir: &Path) -> PathBuf {
    let root = site_root(content_dir);
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}
