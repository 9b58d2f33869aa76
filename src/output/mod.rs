//! Writing the site safely. Every output file is named by an `OutputPath`,
//! which cannot leave the output folder. A build renders into a staging
//! folder beside the output, under a lock, and swaps it in only when
//! everything succeeded, so a failed or killed build leaves the previous
//! output as it was. recap only ever deletes files it lists in the manifest
//! of an output it wrote itself, and staging folders it marked as its own.

mod lock;
mod patch;
mod path;
mod recover;
mod spread;
mod staging;
pub(crate) mod stamps;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

pub(crate) use path::OutputPath;
pub(crate) use staging::{Changes, Staging};

use crate::diagnostics::Diagnostic;

/// Lists, inside an output folder, every file recap wrote there.
pub(crate) const MANIFEST: &str = ".recap-manifest";
/// Marks a staging folder as recap's own; written before anything else.
const STAGING_MARKER: &str = ".recap-staging";
const MANIFEST_HEADER: &str = "# Written by recap: the files below are the generated site. recap replaces this folder on every build.";

/// Where rendered files go: a staging folder, or nowhere (`recap check`).
pub(crate) trait Sink: Sync {
    fn write(&self, path: &OutputPath, bytes: &[u8]) -> Result<(), Diagnostic>;
    fn copy(&self, path: &OutputPath, from: &Path) -> Result<(), Diagnostic>;
    /// Writes what `make` gives at `path`, unless the previous output holds
    /// a file made from the same `source` stamp: then `make` is not called.
    fn produce(
        &self,
        path: &OutputPath,
        source: u64,
        make: &mut dyn FnMut() -> Result<Vec<u8>, Diagnostic>,
    ) -> Result<(), Diagnostic>;
    /// Keeps the previous output's file at `path` as it is, without its
    /// bytes: for a file the build knows it would make the same. False when
    /// there is no such file as the last build left it.
    fn keep(&self, _path: &OutputPath) -> bool {
        false
    }
}

/// Accepts everything and writes nothing.
pub(crate) struct DryRun;

impl Sink for DryRun {
    fn write(&self, _: &OutputPath, _: &[u8]) -> Result<(), Diagnostic> {
        Ok(())
    }

    fn copy(&self, _: &OutputPath, _: &Path) -> Result<(), Diagnostic> {
        Ok(())
    }

    fn produce(
        &self,
        _: &OutputPath,
        _: u64,
        _: &mut dyn FnMut() -> Result<Vec<u8>, Diagnostic>,
    ) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// FNV-1a of `bytes`: tiny, fast, and stable across Rust versions (unlike
/// std's hasher), for content-hashed names and ETags.
pub(crate) fn content_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A test seam: with `RECAP_FAIL_AT=<point>` in the environment, the
/// process aborts at that point of the output swap, as a kill would stop
/// it. The crash tests walk every point.
fn fail_point(point: &str) {
    if std::env::var_os("RECAP_FAIL_AT").is_some_and(|at| at == point) {
        std::process::abort();
    }
}

/// The header, then a line per file: its path, a tab and its stamp.
fn manifest_text(written: &std::collections::BTreeMap<OutputPath, stamps::Stamp>) -> String {
    let mut text = String::from(MANIFEST_HEADER);
    for (path, stamp) in written {
        text.push('\n');
        text.push_str(path);
        text.push('\t');
        text.push_str(&stamp.to_field());
    }
    text.push('\n');
    text
}

/// The lines of the manifest of `dir` (None when it has none): the path of
/// each file, and its stamp when recorded (older manifests hold paths only).
fn manifest_lines(dir: &Path) -> Option<Vec<(String, Option<stamps::Stamp>)>> {
    let text = fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let mut lines = text.lines();
    (lines.next()? == MANIFEST_HEADER).then(|| {
        lines
            .map(|line| match line.split_once('\t') {
                Some((path, stamp)) => (path.to_string(), stamps::Stamp::parse(stamp)),
                None => (line.to_string(), None),
            })
            .collect()
    })
}

/// The files the manifest of `dir` lists.
fn read_manifest(dir: &Path) -> Option<BTreeSet<String>> {
    manifest_lines(dir).map(|lines| lines.into_iter().map(|(path, _)| path).collect())
}

/// Removes the files the manifest of `dir` lists and the staging marker,
/// then the folders left empty, and the manifest last: what recap wrote,
/// nothing else. Stopped at any point, what is left still has its
/// manifest, or is an empty folder.
fn remove_listed(dir: &Path) {
    let listed = read_manifest(dir).unwrap_or_default();
    for file in &listed {
        if let Ok(path) = OutputPath::new(file) {
            let _ = fs::remove_file(dir.join(path.as_str()));
        }
    }
    let _ = fs::remove_file(dir.join(STAGING_MARKER));
    remove_empty_folders(dir);
    let _ = fs::remove_file(dir.join(MANIFEST));
    let _ = fs::remove_dir(dir);
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
