//! One file of the cache folder holding many entries, each a blob of bytes
//! under a 64-bit key: highlighted code blocks, rendered Markdown.
//!
//! The file is a header (a format mark, and an identity: a hash of recap's
//! version and of every setting the entries depend on) and entries, each
//! with its own checksum. A file of another identity is ignored as a whole;
//! a damaged or cut entry ends the reading there, keeping the entries
//! before it. The file is replaced in one rename after a build, so a build
//! killed while saving leaves the previous file, and a build reading it
//! while another saves reads one whole file or the other. The file lists
//! the entries its build used first and the rest in their earlier order:
//! when it would pass its size limit, those used longest ago go.

use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// What a blob file is for: its name in the cache folder, its format mark,
/// its size limit, and what is lost without it (for warnings).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kind {
    pub file: &'static str,
    pub magic: &'static [u8; 8],
    pub size_limit: usize,
    /// "highlights everything": the end of "the next build …".
    pub without_it: &'static str,
}

#[derive(Debug, Default)]
pub(crate) struct BlobFile {
    /// None: no file (serve, check, or no folder).
    path: Option<PathBuf>,
    /// Why no file can be kept (a link on the way), for the build's warnings.
    refused: Option<String>,
    magic: [u8; 8],
    identity: u64,
    size_limit: usize,
    without_it: &'static str,
    /// The file's entries, read when first asked for: a build whose code
    /// blocks all come with kept renderings never reads it.
    stored: OnceLock<Stored>,
    used: Mutex<HashSet<u64>>,
    added: Mutex<HashMap<u64, Arc<[u8]>>>,
}

/// An entry of the file: its place in it and its blob.
type StoredEntry = (usize, Arc<[u8]>);

#[derive(Debug, Default)]
struct Stored {
    /// Each entry's blob, by key, with its place in the file: the file
    /// lists what its build used first, so the later an entry is, the
    /// longer ago a build used it.
    entries: HashMap<u64, StoredEntry>,
    /// Why the file could not be (wholly) used.
    warning: Option<String>,
}

impl BlobFile {
    /// The file of `kind` in `folder` (inside the site at `root`) for
    /// entries of `identity`, with a warning when it could not be used.
    pub(crate) fn open(root: &Path, folder: &Path, kind: Kind, identity: u64) -> BlobFile {
        let path = folder.join(kind.file);
        // A link anywhere on the way could lead the cache's writes out of
        // the site.
        if let Some(link) = super::link_on_the_way(root, &path) {
            return BlobFile {
                refused: Some(format!(
                    "{} is a symbolic link; no cache is kept",
                    link.display()
                )),
                ..BlobFile::default()
            };
        }
        BlobFile {
            path: Some(path),
            magic: *kind.magic,
            identity,
            size_limit: kind.size_limit,
            without_it: kind.without_it,
            ..BlobFile::default()
        }
    }

    /// Why the file could not be used, if it could not (as far as it was
    /// read).
    pub(crate) fn warning(&self) -> Option<&String> {
        self.refused
            .as_ref()
            .or_else(|| self.stored.get()?.warning.as_ref())
    }

    fn stored(&self) -> &HashMap<u64, StoredEntry> {
        &self.stored.get_or_init(|| self.read()).entries
    }

    fn read(&self) -> Stored {
        let Some(path) = &self.path else {
            return Stored::default();
        };
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Stored::default(),
            Err(err) => {
                return Stored {
                    warning: Some(format!(
                        "cannot read {}: {err}; this build {}",
                        path.display(),
                        self.without_it
                    )),
                    ..Stored::default()
                };
            }
        };
        let (ranges, damaged) = entries_of(&bytes, &self.magic, self.identity);
        let entries: HashMap<u64, StoredEntry> = ranges
            .into_iter()
            .enumerate()
            .map(|(place, (key, range))| (key, (place, Arc::from(&bytes[range]))))
            .collect();
        let warning = damaged.then(|| {
            format!(
                "{} is damaged; the {} entries before the damage are used",
                path.display(),
                entries.len()
            )
        });
        Stored { entries, warning }
    }

    pub(crate) fn get(&self, key: u64) -> Option<Arc<[u8]>> {
        let (_, blob) = self.stored().get(&key)?;
        lock(&self.used).insert(key);
        Some(Arc::clone(blob))
    }

    pub(crate) fn put(&self, key: u64, blob: Vec<u8>) {
        if self.path.is_some() {
            lock(&self.added).insert(key, Arc::from(blob));
        }
    }

    /// Writes what this build used and added (and older entries while
    /// there is room); a warning when that failed. Nothing is written when
    /// nothing changed.
    pub(crate) fn save(&self) -> Option<String> {
        let path = self.path.as_ref()?;
        let added = lock(&self.added);
        let used = lock(&self.used);
        // Nothing new: the file holds all it would hold.
        if added.is_empty() {
            return None;
        }
        let stored = self.stored();
        let mut bytes = Vec::with_capacity(1 << 20);
        bytes.extend_from_slice(&self.magic);
        bytes.extend_from_slice(&self.identity.to_le_bytes());
        // What this build used first (by key, so a build that changes
        // nothing writes the same file), then the rest as they were, used
        // longest ago last: the size limit drops those first.
        let mut wanted: Vec<(&u64, &Arc<[u8]>)> = added
            .iter()
            .chain(
                stored
                    .iter()
                    .filter(|(key, _)| used.contains(*key))
                    .map(|(key, (_, blob))| (key, blob)),
            )
            .collect();
        let mut spare: Vec<(&u64, &StoredEntry)> = stored
            .iter()
            .filter(|(key, _)| !used.contains(*key) && !added.contains_key(*key))
            .collect();
        wanted.sort_by_key(|(key, _)| **key);
        spare.sort_by_key(|(_, (place, _))| *place);
        let spare = spare.into_iter().map(|(key, (_, blob))| (key, blob));
        for (key, blob) in wanted.into_iter().chain(spare) {
            let start = bytes.len();
            write_entry(&mut bytes, *key, blob).expect("writing to memory");
            if bytes.len() > self.size_limit {
                bytes.truncate(start);
                break;
            }
        }
        super::write_atomically(path, &bytes).err().map(|err| {
            format!(
                "cannot save {}: {err}; the next build {}",
                path.display(),
                self.without_it
            )
        })
    }
}

/// The entries of a file's `bytes` (keys, and where each blob is in
/// `bytes`) when it is of `magic` and `identity`, and whether the entries
/// end in damage (a bad checksum, a cut, a foreign file).
pub(crate) fn entries_of(
    bytes: &[u8],
    magic: &[u8; 8],
    identity: u64,
) -> (Vec<(u64, std::ops::Range<usize>)>, bool) {
    let mut entries = Vec::new();
    let Some(rest) = bytes.strip_prefix(magic.as_slice()) else {
        // The same kind of file in another format (its last byte) is not
        // damaged, only old: a recap before a format change wrote it.
        let other_format = bytes.starts_with(&magic[..magic.len() - 1]);
        return (entries, !bytes.is_empty() && !other_format);
    };
    let mut reader = Reader { bytes: rest };
    if reader.u64() != Some(identity) {
        // Another version of recap, or other settings.
        return (entries, false);
    }
    while !reader.bytes.is_empty() {
        let mut entry = || {
            let key = reader.u64()?;
            let len = reader.u32()? as usize;
            let start = bytes.len() - reader.bytes.len();
            let blob = reader.take(len)?;
            let checksum = reader.u64()?;
            (checksum == checksum_of(key, blob)).then_some((key, start..start + len))
        };
        match entry() {
            Some(found) => entries.push(found),
            None => return (entries, true),
        }
    }
    (entries, false)
}

/// Writes one entry: its key, the blob's length, the blob, the checksum.
pub(crate) fn write_entry(
    out: &mut (impl std::io::Write + ?Sized),
    key: u64,
    blob: &[u8],
) -> std::io::Result<()> {
    out.write_all(&key.to_le_bytes())?;
    out.write_all(&(blob.len() as u32).to_le_bytes())?;
    out.write_all(blob)?;
    out.write_all(&checksum_of(key, blob).to_le_bytes())
}

fn checksum_of(key: u64, blob: &[u8]) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write_u64(key);
    hasher.write(blob);
    hasher.finish()
}

/// Reads little-endian numbers and runs of bytes off the front of a slice.
pub(crate) struct Reader<'a> {
    pub bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn take(&mut self, count: usize) -> Option<&'a [u8]> {
        if self.bytes.len() < count {
            return None;
        }
        let (taken, rest) = self.bytes.split_at(count);
        self.bytes = rest;
        Some(taken)
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().expect("no panics while holding the lock")
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIND: Kind = Kind {
        file: "test.bin",
        magic: b"RECAPT\x00\x01",
        size_limit: 1 << 20,
        without_it: "makes everything again",
    };

    #[test]
    fn entries_survive_a_save_and_damage_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let cache = BlobFile::open(root, root, KIND, 7);
        assert!(cache.warning().is_none());
        cache.put(1, b"<span>a</span>\n".to_vec());
        cache.put(2, b"b\n".to_vec());
        assert!(cache.save().is_none());
        let cache = BlobFile::open(root, root, KIND, 7);
        assert_eq!(&*cache.get(1).unwrap(), b"<span>a</span>\n");
        // Another identity (a new recap, other settings) starts empty.
        let other = BlobFile::open(root, root, KIND, 8);
        assert!(other.get(1).is_none() && other.warning().is_none());
        // A cut file keeps what comes before the cut, and says so.
        let path = root.join(KIND.file);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        let cut = BlobFile::open(root, root, KIND, 7);
        assert_eq!(cut.stored().len(), 1);
        assert!(cut.warning().unwrap().contains("damaged"));
        // A flipped byte fails its entry's checksum.
        let mut flipped = bytes.clone();
        let last_blob_byte = bytes.len() - 8 - 2;
        flipped[last_blob_byte] ^= 1;
        std::fs::write(&path, &flipped).unwrap();
        let flipped = BlobFile::open(root, root, KIND, 7);
        assert_eq!(flipped.stored().len(), 1);
        assert!(flipped.warning().is_some());
        // The same kind in an older format is simply not used.
        std::fs::write(&path, b"RECAPT\x00\x00 older entries").unwrap();
        let older = BlobFile::open(root, root, KIND, 7);
        assert!(older.stored().is_empty() && older.warning().is_none());
        // Foreign bytes are not a cache.
        std::fs::write(&path, b"not a cache").unwrap();
        let foreign = BlobFile::open(root, root, KIND, 7);
        assert!(foreign.stored().is_empty() && foreign.warning().is_some());
    }

    #[test]
    fn the_size_limit_drops_unused_entries_first() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let small = Kind {
            size_limit: 8 + 8 + 2 * (8 + 4 + 100 + 8),
            ..KIND
        };
        let cache = BlobFile::open(root, root, small, 1);
        for key in 1..=3 {
            cache.put(key, vec![key as u8; 100]);
        }
        cache.save();
        let cache = BlobFile::open(root, root, small, 1);
        assert_eq!(cache.stored().len(), 2, "the limit holds two");
        let kept: Vec<u64> = cache.stored().keys().copied().collect();
        cache.get(kept[1]);
        cache.put(9, vec![9; 100]);
        cache.save();
        let cache = BlobFile::open(root, root, small, 1);
        assert!(cache.get(9).is_some() && cache.get(kept[1]).is_some());
        assert!(cache.get(kept[0]).is_none(), "the unused entry went");
    }

    #[test]
    fn the_entries_used_longest_ago_go_first() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let entry_size = 8 + 4 + 100 + 8;
        let small = Kind {
            size_limit: 8 + 8 + 4 * entry_size,
            ..KIND
        };
        let build = |used: &[u64], added: &[u64]| {
            let cache = BlobFile::open(root, root, small, 1);
            for key in used {
                assert!(cache.get(*key).is_some(), "{key} is kept");
            }
            for key in added {
                cache.put(*key, vec![*key as u8; 100]);
            }
            assert!(cache.save().is_none());
        };
        build(&[], &[1, 8, 9]);
        build(&[9], &[2]);
        // 8 was last used in the first build, 9 in the second: 8 goes,
        // though a higher key.
        build(&[], &[3]);
        let cache = BlobFile::open(root, root, small, 1);
        assert_eq!(cache.stored().len(), 4);
        assert!(cache.get(9).is_some());
        assert!(cache.get(8).is_none());
    }
}
