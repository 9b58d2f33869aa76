//! Files in the build cache (`.recap-cache/`): written so that a link
//! planted in the cache can never lead a write out of the site, and so
//! that a reader never sees half a file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The first symbolic link on the way from `root` down to `path` (the
/// folders and the file itself), if any.
pub(crate) fn link_on_the_way(root: &Path, path: &Path) -> Option<PathBuf> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut walked = root.to_path_buf();
    for part in relative.components() {
        walked.push(part);
        if std::fs::symlink_metadata(&walked).is_ok_and(|meta| meta.file_type().is_symlink()) {
            return Some(walked);
        }
    }
    None
}

/// Writes `bytes` to a new file beside `path`, then renames it over `path`.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = folder.join(format!(".{name}.{}", std::process::id()));
    // A new file only: a link planted under the temporary name is not
    // followed (left from a killed build, it is removed and tried again).
    let create = || {
        std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&temporary)
    };
    let file = create().or_else(|_| {
        std::fs::remove_file(&temporary)?;
        create()
    });
    let written = file.and_then(|mut file| file.write_all(bytes));
    match written.and_then(|()| std::fs::rename(&temporary, path)) {
        Ok(()) => Ok(()),
        Err(err) => {
            let _ = std::fs::remove_file(&temporary);
            Err(err)
        }
    }
}
