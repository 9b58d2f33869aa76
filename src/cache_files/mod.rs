//! Files in the build cache (`.recap-cache/`): written so that a link
//! planted in the cache can never lead a write out of the site, and so
//! that a reader never sees half a file.

mod blob_file;
mod text_file;

use std::io::Write as _;
use std::path::{Path, PathBuf};

pub(crate) use blob_file::{BlobFile, Kind, Reader, entries_of, write_entry};
pub(crate) use text_file::{KeptText, TextFile, TextWriter, new_generation};

/// Keeps other builds of the site from saving rendered Markdown while it
/// lives (an advisory lock on the cache folder, released with the
/// process; none where folders cannot be locked). Builds hold the
/// output's lock while they build, but save their caches after it; the
/// Markdown files are appended to, the other cache files replaced whole.
pub(crate) struct FolderLock {
    _folder: std::fs::File,
}

/// Takes the lock of `folder`, waiting for another build that holds it;
/// None when the folder cannot be opened or locked.
pub(crate) fn lock_folder(folder: &Path) -> Option<FolderLock> {
    let folder = std::fs::File::open(folder).ok()?;
    #[cfg(unix)]
    rustix::fs::flock(&folder, rustix::fs::FlockOperation::LockExclusive).ok()?;
    Some(FolderLock { _folder: folder })
}

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
    write_atomically_with(path, |file| file.write_all(bytes))
}

/// Lets `write` fill a new file beside `path` (buffered), then renames it
/// over `path`: a reader sees the old file or the whole new one.
pub(crate) fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
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
    let written = file.and_then(|file| {
        let mut buffered = std::io::BufWriter::new(file);
        write(&mut buffered)?;
        buffered.flush()
    });
    match written.and_then(|()| std::fs::rename(&temporary, path)) {
        Ok(()) => Ok(()),
        Err(err) => {
            let _ = std::fs::remove_file(&temporary);
            Err(err)
        }
    }
}

/// Ends every cache entry, before the hash of its bytes.
const ENTRY_MARK: &[u8; 8] = b"recap:1\n";

/// The bytes of the cache entry at `path`, when it is whole: a truncated,
/// damaged or foreign file fails the check and is ignored.
pub(crate) fn read_entry(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(path).ok()?;
    let body = bytes.len().checked_sub(ENTRY_MARK.len() + 8)?;
    let (mark, hash) = bytes[body..].split_at(ENTRY_MARK.len());
    let hash = u64::from_le_bytes(hash.try_into().ok()?);
    if mark != ENTRY_MARK || crate::output::stamps::of_bytes(&bytes[..body]) != hash {
        return None;
    }
    bytes.truncate(body);
    mark_used(path);
    Some(bytes)
}

/// Notes that a build used the entry at `path` (its file time, which
/// `trim` goes by), as far as the file system lets it.
pub(crate) fn mark_used(path: &Path) {
    if !std::fs::symlink_metadata(path).is_ok_and(|meta| meta.is_file()) {
        return;
    }
    // Windows sets times only through a handle opened for writing.
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .or_else(|_| std::fs::File::open(path));
    if let Ok(file) = file {
        let _ = file.set_modified(std::time::SystemTime::now());
    }
}

/// Keeps the entries in `folders` (image copies, social cards; inside the
/// site at `root`) within `limit` bytes together: the entries not used
/// since `build_started` are removed, the longest unused first, until the
/// rest fit. Only files recap wrote (ending with its entry mark) are ever
/// removed, and nothing in a folder reached through a link. Returns how
/// many bytes were freed.
pub(crate) fn trim(
    root: &Path,
    folders: &[PathBuf],
    limit: u64,
    build_started: std::time::SystemTime,
) -> u64 {
    let mut entries: Vec<(std::time::SystemTime, u64, PathBuf)> = Vec::new();
    for folder in folders {
        if link_on_the_way(root, folder).is_some() {
            continue;
        }
        let Ok(listing) = std::fs::read_dir(folder) else {
            continue;
        };
        for entry in listing.flatten() {
            // Not followed: a link is not an entry (`symlink_metadata`).
            let Ok(meta) = entry.path().symlink_metadata() else {
                continue;
            };
            // The images' hash memo is no entry, and small.
            if meta.is_file() && entry.file_name() != "hashes.tsv" {
                let used = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
                entries.push((used, meta.len(), entry.path()));
            }
        }
    }
    let mut total: u64 = entries.iter().map(|(_, size, _)| size).sum();
    if total <= limit {
        return 0;
    }
    entries.sort();
    let mut freed = 0;
    for (used, size, path) in entries {
        if total <= limit || used >= build_started {
            break;
        }
        if ends_with_entry_mark(&path) && std::fs::remove_file(&path).is_ok() {
            total -= size;
            freed += size;
        }
    }
    freed
}

/// Whether the file at `path` ends as cache entries do.
fn ends_with_entry_mark(path: &Path) -> bool {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let tail = ENTRY_MARK.len() as i64 + 8;
    let mut end = [0; ENTRY_MARK.len()];
    std::fs::File::open(path)
        .and_then(|mut file| {
            file.seek(SeekFrom::End(-tail))?;
            file.read_exact(&mut end)
        })
        .is_ok_and(|()| &end == ENTRY_MARK)
}

/// Keeps `bytes` as the cache entry at `path`, inside the site at `root`.
/// Best effort: an entry that cannot be written (a read-only or full disk,
/// a link planted in the cache) is made again next time.
pub(crate) fn keep_entry(root: &Path, path: &Path, bytes: &[u8]) -> bool {
    if link_on_the_way(root, path).is_some() {
        return false;
    }
    let mut entry = Vec::with_capacity(bytes.len() + ENTRY_MARK.len() + 8);
    entry.extend_from_slice(bytes);
    entry.extend_from_slice(ENTRY_MARK);
    entry.extend_from_slice(&crate::output::stamps::of_bytes(bytes).to_le_bytes());
    write_atomically(path, &entry).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_entries_are_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let entry = dir.path().join("cache/entry.png");
        assert!(keep_entry(dir.path(), &entry, b"picture bytes"));
        assert_eq!(read_entry(&entry).as_deref(), Some(&b"picture bytes"[..]));
        let mut bytes = std::fs::read(&entry).unwrap();
        bytes[2] ^= 1;
        std::fs::write(&entry, &bytes).unwrap();
        assert_eq!(read_entry(&entry), None, "damaged");
        std::fs::write(&entry, &bytes[..bytes.len() - 3]).unwrap();
        assert_eq!(read_entry(&entry), None, "truncated");
        std::fs::write(&entry, b"\x89PNG a foreign file").unwrap();
        assert_eq!(read_entry(&entry), None, "foreign");
    }

    #[test]
    fn trimming_removes_the_longest_unused_entries_and_only_recaps() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("cards");
        let days_ago = |days: u64| {
            std::time::SystemTime::now() - std::time::Duration::from_secs(days * 86_400)
        };
        let entry = |name: &str, last_used: std::time::SystemTime| {
            let path = folder.join(name);
            assert!(keep_entry(dir.path(), &path, &[0; 1000]));
            let file = std::fs::File::open(&path).unwrap();
            file.set_modified(last_used).unwrap();
            path
        };
        let oldest = entry("a.png", days_ago(30));
        let older = entry("b.png", days_ago(20));
        let recent = entry("c.png", days_ago(1));
        // A file the user put there, older than all: never recap's to remove.
        let theirs = folder.join("notes.png");
        std::fs::write(&theirs, [0; 1000]).unwrap();
        let file = std::fs::File::open(&theirs).unwrap();
        file.set_modified(days_ago(90)).unwrap();
        let size = std::fs::metadata(&oldest).unwrap().len();

        let started = days_ago(0);
        let root = dir.path();
        assert_eq!(
            trim(root, std::slice::from_ref(&folder), 10 * size, started),
            0
        );
        // Room for two of the four: the two longest unused of recap's go.
        let freed = trim(root, std::slice::from_ref(&folder), 2 * size + 500, started);
        assert_eq!(freed, 2 * size);
        assert!(!oldest.exists() && !older.exists());
        assert!(recent.exists() && theirs.exists());
        // An entry used by this build stays, whatever the limit.
        assert!(read_entry(&recent).is_some());
        assert_eq!(trim(root, std::slice::from_ref(&folder), 0, started), 0);
        assert!(recent.exists());
    }
}
