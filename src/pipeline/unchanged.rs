//! A build with nothing to do: every file the build reads is as the last
//! build found it (same names, sizes and times), the command line and the
//! day are the same, no held-back post has come due, and the output is as
//! that build left it (every file of its manifest with the size and time
//! recorded). Then nothing is read, rendered or written. The last build's
//! facts are kept in the cache folder (`last-build`); only a build without
//! warnings is kept, so a warning is never silently skipped.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use super::{Report, Request};
use crate::config::{CONFIG_FILE, Config};
use crate::output::Staging;

const RECORD: &str = "last-build";
const HEADER: &str = "recap last build 1";

/// What a build reads: recap itself (its version and executable), the
/// command line, the day, config.toml, and the names, sizes and times of
/// every file in the site's source folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Inputs {
    /// Everything but the source files, hashed.
    pub settings: u64,
    /// Each source file and a hash of its size and time (0 for a folder),
    /// in walk order.
    pub files: Vec<(PathBuf, u64)>,
}

impl Inputs {
    /// None when a folder cannot be walked (a build then runs in full).
    pub(super) fn of(request: &Request, output: &Path) -> Option<Inputs> {
        let mut hasher = rustc_hash::FxHasher::default();
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        // A recap built anew from other sources has the same version.
        let executable = std::env::current_exe().and_then(std::fs::metadata).ok()?;
        (
            executable.len(),
            crate::output::stamps::modified_nanos(&executable),
        )
            .hash(&mut hasher);
        (request.drafts, request.future, &request.base_url).hash(&mut hasher);
        output.hash(&mut hasher);
        chrono::Local::now().date_naive().hash(&mut hasher);
        std::fs::read(request.root.join(CONFIG_FILE))
            .ok()?
            .hash(&mut hasher);
        let settings = hasher.finish();
        let site = request.root.canonicalize().ok()?;
        let mut files = Vec::new();
        for folder in crate::config::SOURCE_FOLDERS {
            let folder = request.root.join(folder);
            if !folder.exists() {
                continue;
            }
            // Links that lead out of the site are not followed: builds do
            // not read them either.
            let walk = walkdir::WalkDir::new(&folder)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|entry| {
                    !entry.path_is_symlink()
                        || entry
                            .path()
                            .canonicalize()
                            .is_ok_and(|target| target.starts_with(&site))
                });
            for entry in walk {
                let entry = entry.ok()?;
                let metadata = entry.metadata().ok()?;
                // A folder's time changes whenever an editor saves a file
                // in it by renaming; the names below it say all it holds.
                let stamp = if metadata.is_dir() {
                    0
                } else {
                    let mut stamp = rustc_hash::FxHasher::default();
                    metadata.len().hash(&mut stamp);
                    crate::output::stamps::modified_nanos(&metadata).hash(&mut stamp);
                    stamp.finish()
                };
                files.push((entry.into_path(), stamp));
            }
        }
        Some(Inputs { settings, files })
    }

    /// All of it in one hash.
    fn hash(&self) -> u64 {
        let mut hasher = rustc_hash::FxHasher::default();
        self.settings.hash(&mut hasher);
        for (path, stamp) in &self.files {
            (path.as_os_str(), stamp).hash(&mut hasher);
        }
        hasher.finish()
    }
}

/// The report of a build that has nothing to do, when that is so.
pub(super) fn nothing_to_do(
    config: &Config,
    request: &Request,
    inputs: &Inputs,
    staging: &Staging,
) -> Option<Report> {
    let record = std::fs::read_to_string(config.cache_path(&request.root).join(RECORD)).ok()?;
    let mut lines = record.lines();
    if lines.next()? != HEADER || lines.next()? != format!("{:016x}", inputs.hash()) {
        return None;
    }
    let due = lines.next()?;
    if due != "-" {
        let due = chrono::DateTime::parse_from_rfc3339(due).ok()?;
        if chrono::Utc::now() >= due {
            return None;
        }
    }
    let counts: Vec<usize> = lines
        .next()?
        .split(' ')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let [pages, posts, events, tags, held] = counts[..] else {
        return None;
    };
    let unchanged = staging.output_is_as_left()?;
    Some(Report {
        pages,
        posts,
        events,
        tags,
        warnings: Vec::new(),
        notes: vec!["nothing changed since the last build".into()],
        elapsed: std::time::Duration::ZERO,
        output: Some(staging.output().to_path_buf()),
        held_back: crate::site::HeldBack {
            count: held,
            ..crate::site::HeldBack::default()
        },
        changes: Some(crate::output::Changes {
            unchanged,
            ..crate::output::Changes::default()
        }),
    })
}

/// Keeps the facts of a build that succeeded without warnings, for the
/// next build to compare; forgets them after any other.
pub(super) fn remember(
    config: &Config,
    request: &Request,
    inputs: Option<&Inputs>,
    report: &Report,
) {
    let file = config.cache_path(&request.root).join(RECORD);
    if crate::cache_files::link_on_the_way(&request.root, &file).is_some() {
        return;
    }
    let Some(inputs) = inputs.filter(|_| report.warnings.is_empty()) else {
        let _ = std::fs::remove_file(file);
        return;
    };
    let due = report
        .held_back
        .due
        .map_or_else(|| "-".to_string(), |due| due.to_rfc3339());
    let text = format!(
        "{HEADER}\n{:016x}\n{due}\n{} {} {} {} {}\n",
        inputs.hash(),
        report.pages,
        report.posts,
        report.events,
        report.tags,
        report.held_back.count
    );
    let _ = crate::cache_files::write_atomically(&file, text.as_bytes());
}
