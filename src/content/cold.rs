//! Reading many sources when they are not in the page cache.
//!
//! A warm read costs a few microseconds of CPU, so two rayon threads are the
//! fastest way through a warm `content/`. A cold read waits for the disk, and
//! two threads keep only two requests in flight: at 100,000 posts, loading
//! sources the kernel had evicted took 9.1 s that way. When a sample of the
//! files is cold, they are read by a wider pool instead, which keeps the
//! device busy: 4.2 s on the benchmark machine's virtual disk.

use std::path::Path;

/// Threads that read (and parse) sources when they are cold.
const COLD_READERS: usize = 16;

/// Below this many files the wider pool is not worth starting.
const MIN_FILES: usize = 512;

/// Runs `read` on a pool wide enough for the disk when `paths` look cold;
/// on the current rayon pool otherwise.
pub fn with_readers<T: Send>(paths: &[&Path], read: impl FnOnce() -> T + Send) -> T {
    if paths.len() < MIN_FILES || !sample_is_cold(paths) {
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

    /// A file on the repository's disk (not a tmpfs /tmp, whose pages
    /// cannot be evicted), written out and then dropped from the page cache.
    fn evicted_file(dir: &Path) -> PathBuf {
        let path = dir.join("post.md");
        std::fs::write(&path, "---\ntitle: x\n---\nbody\n").unwrap();
        let file = std::fs::File::open(&path).unwrap();
        file.sync_all().unwrap();
        rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::DontNeed).unwrap();
        path
    }

    #[test]
    fn tells_cached_files_from_evicted_ones() {
        let dir = tempfile::tempdir_in(env!("CARGO_MANIFEST_DIR")).unwrap();
        let path = evicted_file(dir.path());
        assert!(is_cold(&path), "evicted with POSIX_FADV_DONTNEED");
        std::fs::read(&path).unwrap();
        assert!(!is_cold(&path), "just read");
        assert!(!is_cold(&dir.path().join("missing.md")));
    }

    #[test]
    fn cold_sources_are_read_by_the_wide_pool() {
        let dir = tempfile::tempdir_in(env!("CARGO_MANIFEST_DIR")).unwrap();
        let path = evicted_file(dir.path());
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
