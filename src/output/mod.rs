//! Writing the site safely. A build renders into a staging folder beside the
//! output and swaps it in only when everything succeeded, so a failed build
//! leaves the previous output as it was. recap only ever deletes files it
//! lists in the manifest of an output it wrote itself.
//!
//! Fresh block groups: ext4 without a journal (common in virtual machines)
//! will not reuse an inode freed in the last minutes, and it checks that
//! one candidate at a time while it places new inodes near their parent
//! folder's, which is where the deleted output was. Writing a site right
//! after deleting the last one (every rebuild, every benchmark run) then
//! costs seconds of kernel time per ten thousand pages, growing with each
//! build. So the staging folder carries ext4's "top of directory
//! hierarchies" hint (`chattr +T`), which spreads its subfolders over the
//! disk by the hash of their names, and each first-level folder is written
//! under a name unique to the build until the swap: the new site lands in
//! block groups the deleted one did not use. Elsewhere the hint is ignored.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rustc_hash::FxHashSet;

use crate::diagnostics::Diagnostic;

/// Lists, inside an output folder, every file recap wrote there.
pub const MANIFEST: &str = ".recap-manifest";
/// Marks a staging folder as recap's own.
const STAGING_MARKER: &str = ".recap-staging";
const MANIFEST_HEADER: &str = "# Written by recap: the files below are the generated site. recap replaces this folder on every build.";

/// Where rendered files go: a staging folder, or nowhere (`recap check`).
pub trait Sink: Sync {
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
    fn copy(&self, relative: &str, from: &Path) -> Result<(), Diagnostic>;
}

/// Accepts everything and writes nothing, after checking each path is confined.
pub struct DryRun;

impl Sink for DryRun {
    fn write(&self, relative: &str, _: &[u8]) -> Result<(), Diagnostic> {
        confined(relative).map(|_| ())
    }

    fn copy(&self, relative: &str, _: &Path) -> Result<(), Diagnostic> {
        confined(relative).map(|_| ())
    }
}

/// FNV-1a of `bytes`: tiny, fast, and stable across Rust versions (unlike
/// std's hasher), for content-hashed names and ETags.
pub fn content_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A relative output path that cannot leave the output folder.
pub fn confined(relative: &str) -> Result<PathBuf, Diagnostic> {
    let path = Path::new(relative);
    let escapes = relative.contains('\\')
        || relative.is_empty()
        || path
            .components()
            .any(|c| !matches!(c, Component::Normal(_)));
    if escapes {
        return Err(Diagnostic::error(
            relative,
            format!("refusing to write `{relative}`: the path leaves the output folder"),
        ));
    }
    Ok(path.to_path_buf())
}

pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Added to each first-level folder's name until the swap.
    build_suffix: String,
    written: Mutex<Vec<String>>,
    /// Folders made so far (relative to the output), so each is made once.
    folders: Mutex<FxHashSet<String>>,
}

impl Staging {
    /// Checks that `output` may be replaced and creates the staging folder.
    pub fn prepare(output: &Path, root: &Path) -> Result<Staging, Diagnostic> {
        check_not_site(output, root)?;
        if output.exists() {
            check_replaceable(output)?;
        }
        let dir = sibling(output, "recap-staging");
        if dir.exists() {
            remove_own_folder(&dir, STAGING_MARKER)?;
        }
        fs::create_dir_all(&dir).map_err(|err| io_error(&dir, "create the staging folder", err))?;
        spread_subfolders(&dir);
        fs::write(dir.join(STAGING_MARKER), "").map_err(|err| io_error(&dir, "write to", err))?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            build_suffix: build_suffix(),
            written: Mutex::default(),
            folders: Mutex::default(),
        })
    }

    /// Makes the folder `relative` goes in, records the file for the
    /// manifest, and returns where to write it until the swap.
    fn target(&self, relative: &str) -> Result<PathBuf, Diagnostic> {
        confined(relative)?;
        if let Some((folder, _)) = relative.rsplit_once('/') {
            self.make_folder(folder)?;
        }
        self.written
            .lock()
            .expect("no panics while holding the lock")
            .push(relative.to_string());
        Ok(self.staged(relative))
    }

    /// Where the file `relative` is until the swap: under its first-level
    /// folder's build name.
    fn staged(&self, relative: &str) -> PathBuf {
        match relative.split_once('/') {
            Some((folder, rest)) => self.dir.join(self.staged_name(folder)).join(rest),
            None => self.dir.join(relative),
        }
    }

    fn staged_name(&self, folder: &str) -> String {
        format!("{folder}.{}", self.build_suffix)
    }

    fn make_folder(&self, folder: &str) -> Result<(), Diagnostic> {
        if self
            .folders
            .lock()
            .expect("no panics while holding the lock")
            .contains(folder)
        {
            return Ok(());
        }
        let path = match folder.split_once('/') {
            Some(_) => self.staged(folder),
            None => self.dir.join(self.staged_name(folder)),
        };
        fs::create_dir_all(&path).map_err(|err| io_error(&path, "create", err))?;
        self.folders
            .lock()
            .expect("no panics while holding the lock")
            .insert(folder.to_string());
        Ok(())
    }

    /// Gives every first-level folder its real name.
    fn name_folders(&self, written: &BTreeSet<String>) -> Result<(), Diagnostic> {
        let folders: BTreeSet<&str> = written
            .iter()
            .filter_map(|file| Some(file.split_once('/')?.0))
            .collect();
        for folder in folders {
            let staged = self.dir.join(self.staged_name(folder));
            fs::rename(&staged, self.dir.join(folder))
                .map_err(|err| io_error(&staged, "rename", err))?;
        }
        Ok(())
    }

    /// Swaps the staged site in place of the output.
    pub fn commit(self) -> Result<(), Diagnostic> {
        let written: BTreeSet<String> = std::mem::take(
            &mut *self
                .written
                .lock()
                .expect("no panics while holding the lock"),
        )
        .into_iter()
        .collect();
        self.name_folders(&written)?;
        let manifest = std::iter::once(MANIFEST_HEADER.to_string())
            .chain(written.iter().cloned())
            .collect::<Vec<_>>()
            .join("\n");
        fs::write(self.dir.join(MANIFEST), manifest + "\n")
            .map_err(|err| io_error(&self.dir, "write the manifest in", err))?;
        fs::remove_file(self.dir.join(STAGING_MARKER))
            .map_err(|err| io_error(&self.dir, "clean", err))?;
        let old = sibling(&self.output, "recap-old");
        if old.exists() {
            remove_own_folder(&old, MANIFEST)?;
        }
        if self.output.exists() && read_manifest(&self.output).is_none() {
            // Checked empty in `prepare`; remove_dir fails if anything appeared since.
            fs::remove_dir(&self.output)
                .map_err(|err| io_error(&self.output, "replace the empty folder", err))?;
        } else if self.output.exists() {
            fs::rename(&self.output, &old)
                .map_err(|err| io_error(&self.output, "move aside", err))?;
        }
        fs::rename(&self.dir, &self.output)
            .map_err(|err| io_error(&self.output, "replace", err))?;
        if old.exists() {
            remove_own_folder(&old, MANIFEST)?;
        }
        Ok(())
    }

    /// Removes the staging folder after a failed build.
    pub fn abandon(self) {
        let _ = remove_own_folder(&self.dir, STAGING_MARKER);
    }
}

impl Sink for Staging {
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.target(relative)?;
        fs::write(&path, bytes).map_err(|err| io_error(&path, "write", err))
    }

    fn copy(&self, relative: &str, from: &Path) -> Result<(), Diagnostic> {
        let path = self.target(relative)?;
        fs::copy(from, &path)
            .map(|_| ())
            .map_err(|err| io_error(&path, "copy to", err))
    }
}

/// Asks ext4 to spread `dir`'s subfolders over the disk (see the module
/// documentation); a no-op where the file system has no such hint.
fn spread_subfolders(dir: &Path) {
    #[cfg(target_os = "linux")]
    if let Ok(folder) = fs::File::open(dir)
        && let Ok(flags) = rustix::fs::ioctl_getflags(&folder)
    {
        let _ = rustix::fs::ioctl_setflags(&folder, flags | rustix::fs::IFlags::TOPDIR);
    }
}

/// A suffix no earlier build used: the time and the process id.
fn build_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    format!("recap-{:x}-{:x}", nanos, std::process::id())
}

/// `public` → `.public.recap-staging` in the same parent folder.
fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    output.with_file_name(format!(".{name}.{suffix}"))
}

/// The output must not be the site itself or hold its sources.
fn check_not_site(output: &Path, root: &Path) -> Result<(), Diagnostic> {
    let output_abs = absolute(output);
    let root_abs = absolute(root);
    let holds_sources = output.join(crate::config::CONFIG_FILE).exists()
        || output.join(crate::content::CONTENT_DIR).exists();
    if root_abs.starts_with(&output_abs) || holds_sources {
        return Err(Diagnostic::error(
            output,
            format!(
                "refusing to use {} as the output folder: it holds the site's own files (config.toml or content/)",
                output.display()
            ),
        )
        .help("choose an output folder of its own, e.g. `-o public`"));
    }
    Ok(())
}

fn absolute(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    })
}

/// An existing output may be replaced only if it is empty or recap wrote
/// every file in it.
fn check_replaceable(output: &Path) -> Result<(), Diagnostic> {
    if !output.is_dir() {
        return Err(
            Diagnostic::error(output, "the output path exists and is not a folder")
                .help("remove it or choose another output folder with -o"),
        );
    }
    let files = files_under(output);
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
        .filter(|file| *file != MANIFEST && !listed.contains(*file))
        .collect();
    if !foreign.is_empty() {
        let shown: Vec<&str> = foreign.iter().take(5).map(|f| f.as_str()).collect();
        return Err(Diagnostic::error(
            output,
            format!(
                "refusing to replace {}: {} file(s) in it were not written by recap: {}",
                output.display(),
                foreign.len(),
                shown.join(", ")
            ),
        )
        .help("files you want in the site belong in static/; move these there (or elsewhere) and build again"));
    }
    Ok(())
}

fn read_manifest(dir: &Path) -> Option<BTreeSet<String>> {
    let text = fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let mut lines = text.lines();
    (lines.next()? == MANIFEST_HEADER).then(|| lines.map(str::to_string).collect())
}

/// Every file under `dir`, relative, with `/` separators.
fn files_under(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| !entry.file_type().is_dir())
        .filter_map(|entry| {
            let relative = entry.path().strip_prefix(dir).ok()?;
            Some(relative.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}

/// Removes a folder recap made: a staging folder (marked by `marker`) or an
/// old output (only the files its manifest lists, then the emptied folders).
fn remove_own_folder(dir: &Path, marker: &str) -> Result<(), Diagnostic> {
    if !dir.join(marker).exists() {
        return Err(Diagnostic::error(
            dir,
            format!("{} is in the way and was not made by recap", dir.display()),
        )
        .help("move or remove it yourself, then build again"));
    }
    if marker == STAGING_MARKER {
        return fs::remove_dir_all(dir).map_err(|err| io_error(dir, "remove", err));
    }
    let listed = read_manifest(dir).unwrap_or_default();
    for file in listed.iter().chain(std::iter::once(&MANIFEST.to_string())) {
        if let Ok(path) = confined(file) {
            let _ = fs::remove_file(dir.join(path));
        }
    }
    remove_empty_folders(dir);
    Ok(())
}

/// Removes `dir` and its subfolders bottom-up, keeping any that still hold a file.
fn remove_empty_folders(dir: &Path) {
    let folders: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .contents_first(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    for folder in folders {
        let _ = fs::remove_dir(folder);
    }
}

fn io_error(path: &Path, action: &str, err: std::io::Error) -> Diagnostic {
    Diagnostic::error(path, format!("cannot {action} {}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confines_paths() {
        assert!(confined("a/b/index.html").is_ok());
        assert!(confined("../x").is_err());
        assert!(confined("/etc/passwd").is_err());
        assert!(confined("a\\..\\b").is_err());
        assert!(confined("a/./b").is_ok());
    }
}
