//! The staging folder of one build and the swap that puts it in place of
//! the output. The swap is one atomic exchange of the two folders where
//! the file system has it (Linux), so at every moment the output is the old
//! site or the new one, never a mix; elsewhere two renames, and a build
//! that dies between them has its old output put back by the next.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::lock::BuildLock;
use super::patch::{Patch, goes_through_link};
use super::path::OutputPath;
use super::recover::{clean_leftovers, remove_leftover, sibling_prefix};
use super::spread::Spread;
use super::stamps::{self, Stamp};
use super::{
    MANIFEST, STAGING_MARKER, Sink, fail_point, io_error, manifest_lines, manifest_text,
    read_manifest,
};
use crate::config::SOURCE_FOLDERS;
use crate::diagnostics::Diagnostic;

/// The most files a build changes in place rather than by swapping the
/// whole output folder.
const PATCH_LIMIT: usize = 2000;

pub(crate) struct Staging {
    output: PathBuf,
    dir: PathBuf,
    suffix: String,
    spread: Spread,
    /// Each file staged, its stamp, and whether it is the previous
    /// output's file, kept.
    written: Mutex<Vec<(OutputPath, Stamp, bool)>>,
    /// The previous output's files, with their stamps where recorded.
    previous: BTreeMap<String, Option<Stamp>>,
    /// The output has not been checked for files recap did not write.
    replaceable_unchecked: bool,
    /// Folders made so far (relative to the output), so each is made once.
    folders: Mutex<FxHashSet<String>>,
    warnings: Vec<Diagnostic>,
    _lock: BuildLock,
}

impl Staging {
    /// Checks that `output` may be replaced, waits for any other build of
    /// it, cleans up after builds that died, and creates the staging folder.
    pub(crate) fn prepare(output: &Path, root: &Path) -> Result<Staging, Diagnostic> {
        let output = resolve_output(output)?;
        check_location(&output, root)?;
        let parent = output.parent().unwrap_or(&output);
        fs::create_dir_all(parent).map_err(|err| io_error(parent, "create", err))?;
        let lock = BuildLock::acquire(parent, &output)?;
        let warnings = clean_leftovers(&output);
        let previous: BTreeMap<String, Option<Stamp>> = manifest_lines(&output)
            .unwrap_or_default()
            .into_iter()
            .collect();
        // An output the last build wrote is walked for files recap did not
        // write only when it is replaced whole (walking it costs a tenth of
        // a second at ten thousand pages), its top at once; any other
        // output is walked at once.
        let replaceable_unchecked = !previous.is_empty();
        if replaceable_unchecked {
            check_top_level(&output, &previous)?;
        } else if fs::symlink_metadata(&output).is_ok() {
            check_replaceable(&output)?;
        }
        let suffix = build_suffix();
        let dir = parent.join(format!("{}staging-{suffix}", sibling_prefix(&output)));
        fs::create_dir(&dir).map_err(|err| io_error(&dir, "create the staging folder", err))?;
        fail_point("staging-created");
        fs::write(dir.join(STAGING_MARKER), "").map_err(|err| io_error(&dir, "write to", err))?;
        let spread = Spread::new(&suffix);
        spread.mark(&dir);
        Ok(Staging {
            output,
            dir,
            suffix,
            spread,
            written: Mutex::default(),
            previous,
            replaceable_unchecked,
            folders: Mutex::default(),
            warnings,
            _lock: lock,
        })
    }

    /// Where the site is written (the output, resolved to an absolute path).
    /// How many files the output holds, when every file the last build
    /// wrote there is as it left it (same size and time) and nothing else
    /// was recorded without a stamp.
    pub(crate) fn output_is_as_left(&self) -> Option<usize> {
        if self.previous.is_empty() {
            return None;
        }
        for (path, stamp) in &self.previous {
            let stamp = stamp.as_ref()?;
            let metadata = fs::symlink_metadata(self.output.join(path)).ok()?;
            let same = metadata.is_file()
                && metadata.len() == stamp.size
                && stamps::modified_nanos(&metadata) == Some(stamp.modified);
            if !same {
                return None;
            }
        }
        Some(self.previous.len())
    }

    pub(crate) fn output(&self) -> &Path {
        &self.output
    }

    /// Makes the folder `path` goes in and returns where to write it until
    /// the swap.
    fn target(&self, path: &OutputPath) -> Result<PathBuf, Diagnostic> {
        if let Some(folder) = path.parent() {
            self.make_folder(folder)?;
        }
        Ok(self.spread.staged_file(&self.dir, path))
    }

    /// Stages `path`, made from `source`: when the previous output's file
    /// holds just that, it is kept as it is (linked or left in place at
    /// the commit, so it keeps its inode and time); else `make` writes it
    /// at the target.
    fn stage(
        &self,
        path: &OutputPath,
        source: u64,
        make: impl FnOnce(&Path) -> Result<(), Diagnostic>,
    ) -> Result<(), Diagnostic> {
        let old = self.output.join(path.as_str());
        let recorded = self.previous.get(path.as_str()).copied().flatten();
        if let Some(stamp) = stamps::unchanged(recorded.as_ref(), source, &old) {
            self.record(path, stamp, true);
            return Ok(());
        }
        let target = self.target(path)?;
        make(&target)?;
        let metadata = fs::metadata(&target).map_err(|err| io_error(&target, "read", err))?;
        let stamp = Stamp {
            source,
            size: metadata.len(),
            modified: stamps::modified_nanos(&metadata).unwrap_or_default(),
        };
        self.record(path, stamp, false);
        Ok(())
    }

    fn record(&self, path: &OutputPath, stamp: Stamp, kept: bool) {
        self.written
            .lock()
            .expect("no panics while holding the lock")
            .push((path.clone(), stamp, kept));
    }

    fn make_folder(&self, folder: &str) -> Result<(), Diagnostic> {
        let made = |folders: &Mutex<FxHashSet<String>>| {
            folders
                .lock()
                .expect("no panics while holding the lock")
                .contains(folder)
        };
        if made(&self.folders) {
            return Ok(());
        }
        // Created outside the lock, so threads do not wait on each other's
        // system calls; creating a folder twice is harmless.
        let path = self.spread.staged_folder(&self.dir, folder);
        fs::create_dir_all(&path).map_err(|err| io_error(&path, "create", err))?;
        self.folders
            .lock()
            .expect("no panics while holding the lock")
            .insert(folder.to_string());
        Ok(())
    }

    /// Swaps the staged site in place of the output; returns what changed
    /// against the previous output, and warnings about leftovers it could
    /// not remove.
    pub(crate) fn commit(mut self) -> Result<(Changes, Vec<Diagnostic>), Diagnostic> {
        let committed = self.put_in_place();
        if committed.is_err() {
            // The staging folder is still the staging folder (a failed swap
            // puts the old output back first): recap's own, by its marker
            // or manifest.
            let _ = remove_leftover(&self.dir);
        }
        committed
    }

    fn put_in_place(&mut self) -> Result<(Changes, Vec<Diagnostic>), Diagnostic> {
        let mut staged = std::mem::take(
            &mut *self
                .written
                .lock()
                .expect("no panics while holding the lock"),
        );
        // A file asked for twice (an image copy two pages name) counts once.
        staged.sort_by(|a, b| a.0.cmp(&b.0));
        staged.dedup_by(|a, b| a.0 == b.0);
        let changes = Changes::between(&self.previous, &staged);
        let mut warnings = std::mem::take(&mut self.warnings);
        if self.is_small(&changes, staged.len()) {
            self.patch(&staged, &changes)?;
            return Ok((changes, warnings));
        }
        if self.replaceable_unchecked {
            check_replaceable(&self.output)?;
        }
        let staged = self.link_kept(staged)?;
        let written: BTreeMap<OutputPath, Stamp> = staged
            .into_iter()
            .map(|(path, stamp, _)| (path, stamp))
            .collect();
        let paths: BTreeSet<OutputPath> = written.keys().cloned().collect();
        self.spread.finish(&self.dir, &paths)?;
        fs::write(self.dir.join(MANIFEST), manifest_text(&written))
            .map_err(|err| io_error(&self.dir, "write the manifest in", err))?;
        fail_point("manifest-written");
        // From here the manifest marks the folder as recap's, and the site
        // goes in place without the staging marker.
        fs::remove_file(self.dir.join(STAGING_MARKER))
            .map_err(|err| io_error(&self.dir, "clean", err))?;
        fail_point("marker-removed");
        if fs::symlink_metadata(&self.output).is_err() {
            fs::rename(&self.dir, &self.output)
                .map_err(|err| io_error(&self.output, "create", err))?;
            return Ok((changes, warnings));
        }
        let old = self.swap()?;
        fail_point("swapped");
        warnings.extend(remove_leftover(&old).err());
        Ok((changes, warnings))
    }

    /// Whether the change is small enough to apply file by file: at most a
    /// quarter of the site's files (and no more than `PATCH_LIMIT`) added,
    /// changed or removed, in an output the last build wrote with stamps.
    /// Larger changes swap the whole folder, so that no reader ever sees a
    /// mix of two sites.
    fn is_small(&self, changes: &Changes, files: usize) -> bool {
        let touched = changes.added.len() + changes.changed.len() + changes.removed.len();
        // A link or file where the output should have a folder is for the
        // swap's check to refuse.
        let through_links = || {
            changes
                .added
                .iter()
                .chain(&changes.changed)
                .chain(&changes.removed)
                .any(|path| goes_through_link(&self.output, path))
        };
        std::env::var_os("RECAP_ALWAYS_SWAP").is_none()
            && !self.previous.is_empty()
            && self.previous.values().all(Option::is_some)
            && touched <= PATCH_LIMIT
            && touched * 4 <= files
            && self.output.is_dir()
            && !through_links()
    }

    /// Moves the new and changed files over the output's, removes the
    /// files the new site does not have, and writes the new manifest.
    fn patch(
        &self,
        staged: &[(OutputPath, Stamp, bool)],
        changes: &Changes,
    ) -> Result<(), Diagnostic> {
        let moves: Vec<(String, String)> = staged
            .iter()
            .filter(|(_, _, kept)| !kept)
            .map(|(path, _, _)| {
                let from = self.spread.staged_file(&self.dir, path);
                let from = from.strip_prefix(&self.dir).unwrap_or(&from);
                (from.to_string_lossy().replace('\\', "/"), path.to_string())
            })
            .collect();
        let touched = moves.iter().map(|(_, to)| to).chain(&changes.removed);
        check_writable(&self.output, touched)?;
        let patch = Patch {
            moves,
            removals: changes.removed.clone(),
        };
        let written: BTreeMap<OutputPath, Stamp> = staged
            .iter()
            .map(|(path, stamp, _)| (path.clone(), *stamp))
            .collect();
        patch.apply(&self.dir, &self.output, &manifest_text(&written))
    }

    /// Links the previous output's kept files into the staging folder, for
    /// a swap; where the file system has no hard links, copies them with
    /// their time, so deploy tools that compare size and time still see
    /// them unchanged.
    fn link_kept(
        &self,
        staged: Vec<(OutputPath, Stamp, bool)>,
    ) -> Result<Vec<(OutputPath, Stamp, bool)>, Diagnostic> {
        // `RECAP_NO_HARD_LINKS=1`: as on a file system without them.
        let links = std::env::var_os("RECAP_NO_HARD_LINKS").is_none();
        staged
            .into_par_iter()
            .map(|(path, stamp, kept)| {
                if !kept {
                    return Ok((path, stamp, kept));
                }
                let target = self.target(&path)?;
                let old = self.output.join(path.as_str());
                if links && fs::hard_link(&old, &target).is_ok() {
                    return Ok((path, stamp, kept));
                }
                fs::copy(&old, &target).map_err(|err| io_error(&target, "copy to", err))?;
                if let Ok(modified) = fs::metadata(&old).and_then(|meta| meta.modified()) {
                    let _ = fs::File::options()
                        .write(true)
                        .open(&target)
                        .and_then(|copy| copy.set_modified(modified));
                }
                let metadata =
                    fs::metadata(&target).map_err(|err| io_error(&target, "read", err))?;
                let modified = stamps::modified_nanos(&metadata).unwrap_or_default();
                Ok((path, Stamp { modified, ..stamp }, kept))
            })
            .collect()
    }

    /// Puts the staging folder in place of the output; returns where the
    /// old output is now.
    fn swap(&self) -> Result<PathBuf, Diagnostic> {
        #[cfg(target_os = "linux")]
        if std::env::var_os("RECAP_NO_EXCHANGE").is_none() {
            use rustix::fs::{CWD, RenameFlags, renameat_with};
            use rustix::io::Errno;
            match renameat_with(CWD, &self.dir, CWD, &self.output, RenameFlags::EXCHANGE) {
                Ok(()) => return Ok(self.dir.clone()),
                Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
                Err(Errno::BUSY | Errno::XDEV) => return Err(self.cannot_swap()),
                Err(err) => return Err(io_error(&self.output, "replace", err.into())),
            }
        }
        let aside = self.dir.with_file_name(format!(
            "{}old-{}",
            sibling_prefix(&self.output),
            self.suffix
        ));
        fs::rename(&self.output, &aside).map_err(|err| match err.raw_os_error() {
            Some(code)
                if code == rustix::io::Errno::BUSY.raw_os_error()
                    || code == rustix::io::Errno::XDEV.raw_os_error() =>
            {
                self.cannot_swap()
            }
            _ => io_error(&self.output, "move aside", err),
        })?;
        fail_point("moved-aside");
        if let Err(err) = fs::rename(&self.dir, &self.output) {
            // Put the old output back: a failed build leaves it as it was.
            let _ = fs::rename(&aside, &self.output);
            return Err(io_error(&self.output, "replace", err));
        }
        Ok(aside)
    }

    /// The output is a mount point (a Docker volume, say), which no rename
    /// can replace.
    fn cannot_swap(&self) -> Diagnostic {
        Diagnostic::error(
            &self.output,
            format!(
                "cannot replace {}: it is a mount point (or on another file system than its parent folder), and recap swaps the whole output folder in one step",
                self.output.display()
            ),
        )
        .help("write into a folder inside it, e.g. `-o public/site`, or mount the folder above it")
    }

    /// Removes the staging folder after a failed build.
    pub(crate) fn abandon(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }

    /// Warnings about leftovers of earlier builds.
    pub(crate) fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.warnings)
    }
}

impl Sink for Staging {
    fn keep(&self, path: &OutputPath) -> bool {
        let Some(Some(stamp)) = self.previous.get(path.as_str()).copied() else {
            return false;
        };
        let old = self.output.join(path.as_str());
        let as_left = stamps::unchanged(Some(&stamp), stamp.source, &old).is_some();
        if as_left {
            self.record(path, stamp, true);
        }
        as_left
    }

    fn write(&self, path: &OutputPath, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.stage(path, stamps::of_bytes(bytes), |target| {
            fs::write(target, bytes).map_err(|err| io_error(target, "write", err))
        })
    }

    fn copy(&self, path: &OutputPath, from: &Path) -> Result<(), Diagnostic> {
        // A file whose size and time cannot be read is always copied.
        let source = stamps::of_file(from).unwrap_or_else(|| stamps::of_bytes(b"unknown"));
        self.stage(path, source, |target| {
            fs::copy(from, target)
                .map(|_| ())
                .map_err(|err| io_error(target, "copy to", err))
        })
    }

    fn produce(
        &self,
        path: &OutputPath,
        source: u64,
        make: &mut dyn FnMut() -> Result<Vec<u8>, Diagnostic>,
    ) -> Result<(), Diagnostic> {
        self.stage(path, source, |target| {
            let bytes = make()?;
            fs::write(target, bytes).map_err(|err| io_error(target, "write", err))
        })
    }
}

/// What a build changed in the output, file by file.
#[derive(Debug, Default, Clone)]
pub(crate) struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    /// Files left exactly as they were.
    pub unchanged: usize,
}

impl Changes {
    fn between(
        previous: &BTreeMap<String, Option<Stamp>>,
        staged: &[(OutputPath, Stamp, bool)],
    ) -> Changes {
        let mut changes = Changes::default();
        let mut now = BTreeSet::new();
        for (path, _, kept) in staged {
            now.insert(path.as_str());
            if *kept {
                changes.unchanged += 1;
            } else if previous.contains_key(path.as_str()) {
                changes.changed.push(path.to_string());
            } else {
                changes.added.push(path.to_string());
            }
        }
        changes.removed = previous
            .keys()
            .filter(|path| !now.contains(path.as_str()))
            .cloned()
            .collect();
        changes.added.sort();
        changes.changed.sort();
        changes
    }
}

/// A suffix no earlier build used: the time and the process id.
fn build_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    format!("{:x}-{:x}", nanos, std::process::id())
}

/// `output` as an absolute path without `.`, `..` or symlinks, so `-o .`
/// and `-o link-to-folder` name the folder they mean. Creates nothing.
fn resolve_output(output: &Path) -> Result<PathBuf, Diagnostic> {
    let absolute = std::path::absolute(output).map_err(|err| io_error(output, "find", err))?;
    let mut normal = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    // The deepest folder that exists, with its symlinks resolved, and the
    // names still to be created below it.
    let mut existing = normal.as_path();
    let mut missing = Vec::new();
    let real = loop {
        if let Ok(real) = existing.canonicalize() {
            break real;
        }
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
            return Err(Diagnostic::error(output, "cannot find the output folder"));
        };
        missing.push(name);
        existing = parent;
    };
    let resolved = missing
        .iter()
        .rev()
        .fold(real, |path, name| path.join(name));
    if resolved.parent().is_none() {
        return Err(Diagnostic::error(
            output,
            "the file system root cannot be the output folder",
        ));
    }
    Ok(resolved)
}

/// The output must not be the site, hold it, or lie inside its sources.
fn check_location(output: &Path, root: &Path) -> Result<(), Diagnostic> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    // An output recap wrote may hold a `content/` of its own (a page at
    // /content/, a folder in static/); only a folder it did not write is
    // taken for a site.
    let holds_sources = (output.join(crate::config::CONFIG_FILE).exists()
        || output.join(crate::content::CONTENT_DIR).exists())
        && read_manifest(output).is_none();
    if root.starts_with(output) || holds_sources {
        return Err(Diagnostic::error(
            output,
            format!(
                "refusing to use {} as the output folder: it holds the site's own files (config.toml or content/)",
                output.display()
            ),
        )
        .help("choose an output folder of its own, e.g. `-o public`"));
    }
    if let Some(folder) = SOURCE_FOLDERS
        .iter()
        .find(|folder| output.starts_with(root.join(folder)))
    {
        return Err(Diagnostic::error(
            output,
            format!(
                "refusing to use {} as the output folder: it is inside {folder}/, which recap reads as sources, so every build would publish the last one again",
                output.display()
            ),
        )
        .help("choose an output folder outside content/, static/, templates/, archetypes/, syntaxes/, themes/ and i18n/, e.g. `-o public`"));
    }
    Ok(())
}

/// An existing output may be replaced only if it is a folder, empty or
/// holding only files recap wrote, and recap may remove them.
fn check_replaceable(output: &Path) -> Result<(), Diagnostic> {
    if !output.is_dir() {
        return Err(
            Diagnostic::error(output, "the output path exists and is not a folder")
                .help("remove it or choose another output folder with -o"),
        );
    }
    let (files, folders) = entries_under(output)?;
    if let Some(locked) = folders.iter().find(|folder| !is_writable(folder)) {
        return Err(Diagnostic::error(
            output,
            format!(
                "cannot replace {}: {} is read-only, so recap could not remove the previous site",
                output.display(),
                locked.display()
            ),
        )
        .help("make it writable (chmod -R u+w) or choose another output folder with -o"));
    }
    if files.is_empty() {
        return Ok(());
    }
    let Some(listed) = read_manifest(output) else {
        return Err(Diagnostic::error(
            output,
            format!(
                "refusing to replace {}: it is not empty and recap did not create it",
                output.display()
            ),
        )
        .help("recap never deletes files it did not write; empty that folder yourself or choose another with -o"));
    };
    let foreign: Vec<&String> = files
        .iter()
        .filter(|file| *file != MANIFEST && *file != STAGING_MARKER && !listed.contains(*file))
        .collect();
    refuse_foreign(output, &foreign)
}

/// The top of an output the last build wrote holds only what it wrote:
/// where a file added by hand (a `CNAME`) most often is, checked on every
/// build at the cost of one folder listing.
fn check_top_level(
    output: &Path,
    listed: &BTreeMap<String, Option<Stamp>>,
) -> Result<(), Diagnostic> {
    let Ok(entries) = fs::read_dir(output) else {
        return Ok(());
    };
    let folders: BTreeSet<&str> = listed
        .keys()
        .filter_map(|path| Some(path.split_once('/')?.0))
        .collect();
    let foreign: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_folder = entry.file_type().ok()?.is_dir();
            let known = if is_folder {
                folders.contains(name.as_str())
            } else {
                name == MANIFEST || listed.contains_key(&name)
            };
            (!known).then_some(name)
        })
        .collect();
    refuse_foreign(output, &foreign)
}

/// The error for files in the output that recap did not write, if any.
fn refuse_foreign(output: &Path, foreign: &[impl AsRef<str>]) -> Result<(), Diagnostic> {
    if foreign.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = foreign
        .iter()
        .take(5)
        .map(|f| f.as_ref().escape_debug().to_string())
        .collect();
    Err(Diagnostic::error(
        output,
        format!(
            "refusing to replace {}: {} file(s) in it were not written by recap: {}",
            output.display(),
            foreign.len(),
            shown.join(", ")
        ),
    )
    .help("files you want in the site belong in static/; move these there (or elsewhere) and build again"))
}

/// Every file (relative, `/`-separated) and every folder under `dir`.
fn entries_under(dir: &Path) -> Result<(Vec<String>, Vec<PathBuf>), Diagnostic> {
    let mut files = Vec::new();
    let mut folders = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(|err| {
            let path = err.path().unwrap_or(dir).to_path_buf();
            Diagnostic::error(&path, format!("cannot read {}: {err}", path.display()))
        })?;
        if entry.file_type().is_dir() {
            folders.push(entry.into_path());
        } else if let Ok(relative) = entry.path().strip_prefix(dir) {
            files.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok((files, folders))
}

/// The folders of the output that files at `paths` (relative) are moved
/// into or removed from must be writable, as for a swap.
fn check_writable<'a>(
    output: &Path,
    paths: impl Iterator<Item = &'a String>,
) -> Result<(), Diagnostic> {
    let folders: BTreeSet<PathBuf> = paths
        .filter_map(|path| Some(output.join(path).parent()?.to_path_buf()))
        .collect();
    // A folder still to be made is checked at the nearest one that exists.
    let locked = folders.iter().find_map(|folder| {
        let existing = folder.ancestors().find(|folder| folder.is_dir())?;
        (!is_writable(existing)).then(|| existing.to_path_buf())
    });
    match locked {
        Some(locked) => Err(Diagnostic::error(
            output,
            format!(
                "cannot update {}: {} is read-only",
                output.display(),
                locked.display()
            ),
        )
        .help("make it writable (chmod -R u+w) or choose another output folder with -o")),
        None => Ok(()),
    }
}

fn is_writable(folder: &Path) -> bool {
    #[cfg(unix)]
    {
        use rustix::fs::{Access, access};
        access(folder, Access::WRITE_OK | Access::EXEC_OK).is_ok()
    }
    #[cfg(not(unix))]
    {
        !fs::metadata(folder).is_ok_and(|m| m.permissions().readonly())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_dots_in_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        let out = resolve_output(&dir.path().join("a/../site/./public")).unwrap();
        assert_eq!(out, real.join("site/public"));
        assert!(!real.join("site").exists(), "nothing is created");
        assert_eq!(resolve_output(&dir.path().join(".")).unwrap(), real);
        assert!(resolve_output(Path::new("/")).is_err());
    }

    #[test]
    fn refuses_outputs_inside_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for inside in ["static/site", "content/x", "templates/out"] {
            let err = check_location(&root.join(inside), &root).unwrap_err();
            assert!(err.to_string().contains("recap reads as sources"), "{err}");
        }
        assert!(check_location(&root.join("public"), &root).is_ok());
        assert!(check_location(&root, &root).is_err());
    }
}
