//! What each output file was made from, kept in the manifest, so the next
//! build can leave a file it would write byte for byte the same exactly as
//! it was: the previous output's file is hard-linked into the staging
//! folder, keeping its inode and modification time. Deploy tools that
//! compare size and time (`rsync -a`, `aws s3 sync`) then send only the
//! files that changed.

use std::fs;
use std::hash::Hasher;
use std::path::Path;

/// A file as the manifest records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// Of the bytes written, or of the copied file's size and time.
    pub source: u64,
    pub size: u64,
    /// Of the output file, in nanoseconds since the epoch.
    pub modified: i128,
}

impl Stamp {
    /// "<source hex> <size> <modified>", after the path and a tab.
    pub(crate) fn to_field(self) -> String {
        format!("{:016x} {} {}", self.source, self.size, self.modified)
    }

    pub(crate) fn parse(field: &str) -> Option<Stamp> {
        let mut parts = field.split(' ');
        let stamp = Stamp {
            source: u64::from_str_radix(parts.next()?, 16).ok()?,
            size: parts.next()?.parse().ok()?,
            modified: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(stamp)
    }
}

/// The source stamp of bytes to be written.
pub(crate) fn of_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(bytes);
    hasher.write_usize(bytes.len());
    hasher.finish()
}

/// The source stamp of a file to be copied: its size and time, which any
/// edit changes, so it need not be read.
pub(crate) fn of_file(path: &Path) -> Option<u64> {
    let metadata = fs::metadata(path).ok()?;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write_u64(metadata.len());
    hasher.write_i128(modified_nanos(&metadata)?);
    Some(hasher.finish())
}

pub(crate) fn modified_nanos(metadata: &fs::Metadata) -> Option<i128> {
    let modified = metadata.modified().ok()?;
    let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(since.as_nanos() as i128)
}

/// Whether the previous output's file at `old` still is what its stamp
/// says (nobody edited it since) and was made from `source`.
pub(crate) fn unchanged(previous: Option<&Stamp>, source: u64, old: &Path) -> Option<Stamp> {
    let stamp = previous.filter(|stamp| stamp.source == source)?;
    let metadata = fs::symlink_metadata(old).ok()?;
    let same = metadata.is_file()
        && metadata.len() == stamp.size
        && modified_nanos(&metadata) == Some(stamp.modified);
    same.then_some(*stamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_round_trip_through_the_manifest() {
        let stamp = Stamp {
            source: 0xdead_beef,
            size: 1234,
            modified: 1_700_000_000_123_456_789,
        };
        assert_eq!(Stamp::parse(&stamp.to_field()), Some(stamp));
        assert_eq!(Stamp::parse("zz 1 2"), None);
        assert_eq!(Stamp::parse("1 2 3 4"), None);
    }

    #[test]
    fn a_touched_file_is_not_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.html");
        fs::write(&file, "<p>a</p>").unwrap();
        let metadata = fs::metadata(&file).unwrap();
        let stamp = Stamp {
            source: of_bytes(b"<p>a</p>"),
            size: metadata.len(),
            modified: modified_nanos(&metadata).unwrap(),
        };
        assert!(unchanged(Some(&stamp), stamp.source, &file).is_some());
        assert!(unchanged(Some(&stamp), stamp.source ^ 1, &file).is_none());
        fs::write(&file, "<p>b</p>").unwrap();
        let edited = fs::File::options().write(true).open(&file).unwrap();
        edited
            .set_modified(std::time::SystemTime::UNIX_EPOCH)
            .unwrap();
        assert!(unchanged(Some(&stamp), stamp.source, &file).is_none());
    }
}
