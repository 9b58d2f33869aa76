//! Reading many sources when they are not in the page cache.
//!
//! A warm read costs a few microseconds of CPU, so two rayon threads are the
//! fastest way through a warm `content/`. A cold read waits for the disk, and
//! two threads keep only two requests in flight: at 100,000 posts, loading
//! sources the kernel had evicted took 9.1 s that way. When a sample of the
//! files is cold, they are read by a wider pool instead, which keeps the
//! device busy: 4.2 s on the benchmark machine's virtual disk.
//! `RECAP_NO_COLD_READERS=1` keeps every read on the rayon pool.

use std::path::Path;

/// Threads that read (and parse) sources when they are cold.
const COLD_READERS: usize = 16;

/// Below this many files the wider pool is not worth starting.
const MIN_FILES: usize = 512;

/// Runs `read` on a pool wide enough for the disk when `paths` look cold;
/// on the current rayon pool otherwise.
pub(super) fn with_readers<T: Send>(paths: &[&Path], read: impl FnOnce() -> T + Send) -> T {
    let switched_off = std::env::var_os("RECAP_NO_COLD_READERS").is_some_and(|v| v != "0");
    if switched_off || paths.len() < MIN_FILES || !sample_is_cold(paths) {
        return read();
    }
    match rayon::ThreadPoolBuilder::new()
        .num_threads(COLD_READERS)
        .build()
    {
        Ok(pool) => pool.install(read),
        Err(_) => read(),
    }
}

/// Five files spread over the list: the kernel evicts sources together,
/// so a few tell about all.
fn sample_is_cold(paths: &[&Path]) -> bool {
    let last = paths.len() - 1;
    [0, last / 4, last / 2, last * 3 / 4, last]
        .iter()
        .any(|&i| is_cold(paths[i]))
}

/// Whether reading the start of `path` would wait for the disk. A read with
/// `RWF_NOWAIT` returns at once, with `EAGAIN` when the page is not cached.
#[cfg(target_os = "linux")]
fn is_cold(path: &Path) -> bool {
    use rustix::io::{Errno, ReadWriteFlags, preadv2};
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut byte = [0u8; 1];
    let mut buffers = [std::io::IoSliceMut::new(&mut byte)];
    matches!(
        preadv2(&file, &mut buffers, 0, ReadWriteFlags::NOWAIT),
        Err(Errno::AGAIN)
    )
}

#[cfg(not(target_os = "linux"))]
fn is_cold(_path: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A file in a temp folder, written out and dropped from the page
    /// cache; None (with the reason) where the file system keeps the page,
    /// as tmpfs does: these tests then check nothing, and say so.
    fn evicted_file(dir: &Path) -> Option<PathBuf> {
        // Whether eviction works is tried on a file of its own: asking
        // about a page may start readahead that caches it again.
        let probe = write_and_evict(&dir.join("probe.md"));
        if !is_cold(&probe) {
            eprintln!(
                "skipped: {} keeps its pages after POSIX_FADV_DONTNEED (tmpfs, or a kernel that ignores the advice); set TMPDIR to a disk-backed folder to run this test",
                dir.display()
            );
            return None;
        }
        Some(write_and_evict(&dir.join("post.md")))
    }

    fn write_and_evict(path: &Path) -> PathBuf {
        std::fs::write(path, "---\ntitle: x\n---\nbody\n").unwrap();
        let file = std::fs::File::open(path).unwrap();
        file.sync_all().unwrap();
        rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::DontNeed).unwrap();
        path.to_path_buf()
    }

    #[test]
    fn tells_cached_files_from_evicted_ones() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!is_cold(&dir.path().join("missing.md")));
        let Some(path) = evicted_file(dir.path()) else {
            return;
        };
        assert!(is_cold(&path), "evicted with POSIX_FADV_DONTNEED");
        std::fs::read(&path).unwrap();
        assert!(!is_cold(&path), "just read");
    }

    #[test]
    fn cold_sources_are_read_by_the_wide_pool() {
        let dir = tempfile::tempdir().unwrap();
        let Some(path) = evicted_file(dir.path()) else {
            return;
        };
        let threads = rayon::current_num_threads;
        assert_eq!(with_readers(&[path.as_path(); 3], threads), threads());
        assert_eq!(
            with_readers(&[path.as_path(); MIN_FILES], threads),
            COLD_READERS
        );
        std::fs::read(&path).unwrap();
        assert_eq!(
            with_readers(&[path.as_path(); MIN_FILES], threads),
            threads()
        );
    }
}
