//! Walking a source folder of the site (`content/`, `static/`,
//! `templates/`). A symlink is followed only while it leads somewhere
//! inside the site: a link to `/etc/hostname` in a page bundle, or to
//! `/home` from `static/`, is not followed, so nothing from outside the
//! site is published. A symlink loop and a folder that cannot be read are
//! errors, never a silently smaller site.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::is_ignored;
use crate::diagnostics::Diagnostic;

/// Every file under `dir` (which is inside `site_root`), sorted by name;
/// hidden and temporary files and folders skipped.
pub(super) fn files_in(dir: &Path, site_root: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let shown_from = site_root;
    let site_root = site_root
        .canonicalize()
        .unwrap_or_else(|_| site_root.to_path_buf());
    // The folder itself may be a link too (`static -> /srv/assets`): that
    // would publish everything it leads to.
    let is_link = std::fs::symlink_metadata(dir).is_ok_and(|meta| meta.file_type().is_symlink());
    if is_link && !leads_inside(dir, &site_root) {
        let shown = crate::diagnostics::relative_to(shown_from, dir);
        return Err(Diagnostic::error(
            &shown,
            format!(
                "{} is a symlink to a folder outside the site; recap never publishes files from outside the site",
                shown.display()
            ),
        )
        .help("move or copy that folder into the site, or point the link at a folder inside it"));
    }
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || (!is_ignored(entry.file_name())
                    && (!entry.path_is_symlink() || leads_inside(entry.path(), &site_root)))
        });
    let mut files = Vec::new();
    for entry in walker {
        let entry = entry.map_err(|err| walk_error(dir, shown_from, &err))?;
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// Whether `path` (a symlink, or a path under one) leads into the site.
pub(crate) fn leads_inside(path: &Path, site_root: &Path) -> bool {
    path.canonicalize()
        .is_ok_and(|target| target.starts_with(site_root))
}

/// The error for a folder that cannot be walked, with paths shown from
/// the site's folder (`shown_from`).
fn walk_error(dir: &Path, shown_from: &Path, err: &walkdir::Error) -> Diagnostic {
    let shown = |path: &Path| crate::diagnostics::relative_to(shown_from, path);
    let path = shown(err.path().unwrap_or(dir));
    if let Some(ancestor) = err.loop_ancestor() {
        let ancestor = shown(ancestor);
        return Diagnostic::error(
            &path,
            format!(
                "{} is a symlink loop: it leads back to {}",
                path.display(),
                ancestor.display()
            ),
        )
        .help("remove the symlink, or point it at a folder that does not contain it");
    }
    let reason = err
        .io_error()
        .map_or_else(|| err.to_string(), ToString::to_string);
    Diagnostic::error(&path, format!("cannot read {}: {reason}", path.display()))
        .help("recap must read every file of the site; fix the permissions or move the file out of the site")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn follows_links_inside_the_site_only() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "x").unwrap();
        let site = tempfile::tempdir().unwrap();
        let dir = site.path().join("static");
        std::fs::create_dir_all(dir.join("real")).unwrap();
        std::fs::write(dir.join("real/a.txt"), "a").unwrap();
        symlink(dir.join("real"), dir.join("inside")).unwrap();
        symlink(outside.path(), dir.join("folder-out")).unwrap();
        symlink(outside.path().join("secret"), dir.join("file-out")).unwrap();
        let names: Vec<String> = files_in(&dir, site.path())
            .unwrap()
            .iter()
            .map(|path| path.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["inside/a.txt", "real/a.txt"]);
    }

    #[test]
    fn a_source_folder_linked_out_of_the_site_is_an_error() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        let site = tempfile::tempdir().unwrap();
        symlink(outside.path(), site.path().join("static")).unwrap();
        let err = files_in(&site.path().join("static"), site.path()).unwrap_err();
        assert!(err.to_string().contains("outside the site"), "{err}");
        std::fs::create_dir(site.path().join("assets")).unwrap();
        std::fs::write(site.path().join("assets/a.css"), "a").unwrap();
        std::fs::remove_file(site.path().join("static")).unwrap();
        symlink(site.path().join("assets"), site.path().join("static")).unwrap();
        assert_eq!(
            files_in(&site.path().join("static"), site.path())
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn a_loop_is_an_error() {
        let site = tempfile::tempdir().unwrap();
        let dir = site.path().join("static");
        std::fs::create_dir_all(dir.join("a")).unwrap();
        symlink(&dir, dir.join("a/back")).unwrap();
        let err = files_in(&dir, site.path()).unwrap_err();
        assert!(err.to_string().contains("symlink loop"), "{err}");
    }
}
