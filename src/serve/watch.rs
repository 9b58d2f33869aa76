//! Watching the site: content/, templates/, static/ and config.toml. Events
//! are debounced so an editor's save (write to a temp file, rename, touch a
//! swap file) causes one rebuild, and changes that only touch stylesheets
//! are told apart so browsers can swap CSS without reloading.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify::event::{EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};

use super::{Console, Shared, rebuild};
use crate::config::CONFIG_FILE;
use crate::content::{CONTENT_DIR, is_ignored};
use crate::diagnostics::Diagnostic;
use crate::markdown::{SYNTAXES_DIR, THEMES_DIR};
use crate::pipeline::{Request, STATIC_DIR};
use crate::render::templates::TEMPLATES_DIR;

/// Quiet time after the last change before rebuilding: one save by an
/// editor is often several events (temp file, rename, attribute change),
/// which arrive within a few milliseconds of each other.
const DEBOUNCE: Duration = Duration::from_millis(25);

/// The folders watched recursively, by name under the site root.
const WATCHED_FOLDERS: [&str; 6] = [
    CONTENT_DIR,
    TEMPLATES_DIR,
    STATIC_DIR,
    SYNTAXES_DIR,
    THEMES_DIR,
    crate::render::i18n::I18N_DIR,
];

/// The file watcher, shared with the rebuild loop, which watches a folder
/// anew when it is created or moved back in (a watch ends with its folder).
pub(super) type Watcher = Arc<Mutex<RecommendedWatcher>>;

/// Starts watching; watching stops when the returned watcher is dropped.
pub(super) fn start(
    request: Request,
    shared: Arc<Shared>,
    console: Console,
) -> Result<Watcher, Diagnostic> {
    let (sender, receiver) = mpsc::channel::<PathBuf>();
    // Canonical (serve::run made it so), like the paths the watcher reports.
    let root = request.root.clone();
    let everything = root.clone();
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
        match result {
            Ok(event) if event.need_rescan() => {
                let _ = sender.send(everything.clone());
            }
            Ok(event) if changes_files(&event.kind) => {
                for path in event.paths {
                    let _ = sender.send(path);
                }
            }
            Ok(_) => {}
            // Events were lost (e.g. the kernel's queue overflowed): look at everything.
            Err(_) => {
                let _ = sender.send(everything.clone());
            }
        }
    })
    .map_err(|err| Diagnostic::error(&request.root, format!("cannot watch the site: {err}")))?;
    for name in WATCHED_FOLDERS {
        let dir = root.join(name);
        if dir.is_dir() {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|err| Diagnostic::error(&dir, format!("cannot watch: {err}")))?;
        }
    }
    // The root itself, not recursively: config.toml, and folders created later.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|err| Diagnostic::error(&root, format!("cannot watch: {err}")))?;
    let watcher = Arc::new(Mutex::new(watcher));
    let rewatch = Arc::clone(&watcher);
    std::thread::spawn(move || rebuild_loop(&request, &shared, console, &receiver, &rewatch));
    Ok(watcher)
}

/// Watches again each watched folder that a change names itself: it was
/// created, removed, or moved away and back, and its old watch (if any)
/// ended or no longer matches its path.
fn rewatch_folders(watcher: &Mutex<RecommendedWatcher>, root: &Path, paths: &[PathBuf]) {
    let mut watcher = watcher.lock().expect("no panics while holding the lock");
    for name in WATCHED_FOLDERS {
        let dir = root.join(name);
        if paths.iter().any(|path| *path == dir || path == root) {
            let _ = watcher.unwatch(&dir);
            if dir.is_dir() {
                let _ = watcher.watch(&dir, RecursiveMode::Recursive);
            }
        }
    }
}

/// Creating, writing, renaming and removing files matter; reading them (which
/// every build does) and metadata changes do not.
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// The next batch of changed paths: blocks for the first, then collects
/// until nothing new arrived for `DEBOUNCE`. None when the watcher is gone.
fn next_batch(receiver: &mpsc::Receiver<PathBuf>) -> Option<Vec<PathBuf>> {
    let mut paths = vec![receiver.recv().ok()?];
    while let Ok(path) = receiver.recv_timeout(DEBOUNCE) {
        paths.push(path);
    }
    Some(paths)
}

fn rebuild_loop(
    request: &Request,
    shared: &Shared,
    console: Console,
    receiver: &mpsc::Receiver<PathBuf>,
    watcher: &Mutex<RecommendedWatcher>,
) {
    let root = &request.root;
    while let Some(mut paths) = next_batch(receiver) {
        // Saves that arrived while the last rebuild ran join this batch.
        paths.extend(receiver.try_iter());
        paths.sort();
        paths.dedup();
        rewatch_folders(watcher, root, &paths);
        // The root itself stands for "events were lost: look at everything".
        let everything = paths.iter().any(|path| path == root);
        let relevant: Vec<PathBuf> = paths
            .into_iter()
            .filter(|path| is_relevant(root, path))
            .collect();
        if relevant.is_empty() && !everything {
            continue;
        }
        if !console.quiet {
            let shown: Vec<String> = relevant
                .iter()
                .take(3)
                .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
                .collect();
            println!("Changed: {}", shown.join(", "));
        }
        rebuild(
            request,
            shared,
            console,
            (!everything).then_some(relevant.as_slice()),
        );
    }
}

/// A change recap cares about: under one of the watched folders, or
/// config.toml; never the output, hidden files or editors' temporary files.
fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let mut components = relative.components();
    let Some(top) = components.next() else {
        return false;
    };
    let top = top.as_os_str();
    let watched = top == CONFIG_FILE || WATCHED_FOLDERS.iter().any(|folder| top == *folder);
    watched && !relative.iter().any(is_ignored)
}

pub(super) fn is_stylesheet(root: &Path, path: &Path) -> bool {
    path.strip_prefix(root).is_ok_and(|relative| {
        relative.starts_with(STATIC_DIR) && relative.extension().is_some_and(|ext| ext == "css")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_temporary_and_unwatched_files() {
        let root = Path::new("/site");
        assert!(is_relevant(root, Path::new("/site/content/posts/a.md")));
        assert!(is_relevant(root, Path::new("/site/config.toml")));
        assert!(is_relevant(root, Path::new("/site/templates/post.html")));
        assert!(is_relevant(root, Path::new("/site/themes/mine.tmTheme")));
        assert!(!is_relevant(
            root,
            Path::new("/site/content/posts/.a.md.swp")
        ));
        assert!(!is_relevant(root, Path::new("/site/content/posts/a.md~")));
        assert!(!is_relevant(root, Path::new("/site/content/.DS_Store")));
        assert!(!is_relevant(root, Path::new("/site/public/index.html")));
        assert!(!is_relevant(root, Path::new("/site/content/posts/4913")));
        assert!(is_stylesheet(root, Path::new("/site/static/theme.css")));
        assert!(!is_stylesheet(root, Path::new("/site/templates/base.html")));
    }
}
