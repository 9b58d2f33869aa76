//! Highlighted code blocks kept between builds, in one file of the cache
//! folder (`.recap-cache/highlight.bin`): a build highlights only code it
//! has not seen with the same grammars and themes.
//!
//! The file is a header (format, and a hash of recap's version, the themes
//! and the site's grammars) and entries, each with its own checksum. A file
//! from another version or setup is ignored as a whole; a damaged or cut
//! entry ends the reading there, keeping the entries before it. It is
//! replaced in one rename after a build, so a build killed while saving
//! leaves the previous file; builds of one site never overlap (they hold
//! the output lock). Entries this build did not use go first when the file
//! would pass its size limit.

use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

pub(crate) const CACHE_FILE: &str = "highlight.bin";
const MAGIC: &[u8; 8] = b"RECAPHL\x01";
/// The largest cache file kept, in bytes.
const SIZE_LIMIT: usize = 256 << 20;

/// A highlighted block: its HTML, and where each line's HTML ends in it.
#[derive(Debug)]
pub(crate) struct Block {
    pub html: String,
    pub line_ends: Vec<u32>,
}

#[derive(Debug, Default)]
pub(crate) struct DiskCache {
    /// None: no cache (serve, check, or no folder).
    path: Option<PathBuf>,
    /// Why the file could not be used, for the build's warnings.
    pub warning: Option<String>,
    identity: u64,
    stored: HashMap<u64, Arc<Block>>,
    used: Mutex<HashSet<u64>>,
    added: Mutex<HashMap<u64, Arc<Block>>>,
}

impl DiskCache {
    /// The cache in `folder` (inside the site at `root`) for highlighters
    /// of `identity`, with a warning when its file could not be used.
    pub(crate) fn open(root: &Path, folder: &Path, identity: u64) -> DiskCache {
        // A link anywhere on the way could lead the cache's writes out of
        // the site.
        if let Some(link) = crate::cache_files::link_on_the_way(root, folder) {
            return DiskCache {
                warning: Some(format!(
                    "{} is a symbolic link; no cache is kept",
                    link.display()
                )),
                ..DiskCache::default()
            };
        }
        let (mut cache, warning) = DiskCache::read(folder, identity);
        cache.warning = warning;
        cache
    }

    fn read(folder: &Path, identity: u64) -> (DiskCache, Option<String>) {
        // The file may not be a link either (`open` checked the folders).
        let linked = |path: &Path| {
            std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink())
        };
        if linked(&folder.join(CACHE_FILE)) {
            let warning = format!(
                "{} is a symbolic link; no cache is kept",
                folder.join(CACHE_FILE).display()
            );
            return (DiskCache::default(), Some(warning));
        }
        let path = folder.join(CACHE_FILE);
        let mut cache = DiskCache {
            path: Some(path.clone()),
            identity,
            ..DiskCache::default()
        };
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return (cache, None),
            Err(err) => {
                return (
                    cache,
                    Some(format!(
                        "cannot read {}: {err}; highlighting everything",
                        path.display()
                    )),
                );
            }
        };
        let (stored, damaged) = read_entries(&bytes, identity);
        cache.stored = stored;
        let warning = damaged.then(|| {
            format!(
                "{} is damaged; the {} entries before the damage are used, the rest is highlighted again",
                path.display(),
                cache.stored.len()
            )
        });
        (cache, warning)
    }

    pub(crate) fn get(&self, key: u64) -> Option<Arc<Block>> {
        let block = self.stored.get(&key)?;
        self.used
            .lock()
            .expect("no panics while holding the lock")
            .insert(key);
        Some(Arc::clone(block))
    }

    pub(crate) fn put(&self, key: u64, block: Block) {
        if self.path.is_some() {
            self.added
                .lock()
                .expect("no panics while holding the lock")
                .insert(key, Arc::new(block));
        }
    }

    /// Writes what this build used and added (and older entries while
    /// there is room); a warning when that failed. Nothing is written when
    /// nothing changed.
    pub(crate) fn save(&self) -> Option<String> {
        let path = self.path.as_ref()?;
        let added = self.added.lock().expect("no panics while holding the lock");
        let used = self.used.lock().expect("no panics while holding the lock");
        if added.is_empty() && used.len() == self.stored.len() {
            return None;
        }
        let mut bytes = Vec::with_capacity(1 << 20);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&self.identity.to_le_bytes());
        // What this build used first, then the rest; each by key, so a
        // build that changes nothing writes the same file.
        let mut wanted: Vec<(&u64, &Arc<Block>)> = added
            .iter()
            .chain(self.stored.iter().filter(|(key, _)| used.contains(*key)))
            .collect();
        let mut spare: Vec<(&u64, &Arc<Block>)> = self
            .stored
            .iter()
            .filter(|(key, _)| !used.contains(*key) && !added.contains_key(*key))
            .collect();
        wanted.sort_by_key(|(key, _)| **key);
        spare.sort_by_key(|(key, _)| **key);
        for (key, block) in wanted.into_iter().chain(spare) {
            let start = bytes.len();
            write_entry(&mut bytes, *key, block);
            if bytes.len() > SIZE_LIMIT {
                bytes.truncate(start);
                break;
            }
        }
        crate::cache_files::write_atomically(path, &bytes)
            .err()
            .map(|err| {
                format!(
                    "cannot save {}: {err}; the next build highlights everything again",
                    path.display()
                )
            })
    }
}

/// The entries of a cache file for `identity`, and whether it was damaged.
fn read_entries(bytes: &[u8], identity: u64) -> (HashMap<u64, Arc<Block>>, bool) {
    let mut entries = HashMap::default();
    let Some(rest) = bytes.strip_prefix(MAGIC.as_slice()) else {
        return (entries, !bytes.is_empty());
    };
    let mut reader = Reader { bytes: rest };
    if reader.u64() != Some(identity) {
        // Another version of recap, or other themes or grammars.
        return (entries, false);
    }
    while !reader.bytes.is_empty() {
        match read_entry(&mut reader) {
            Some((key, block)) => {
                entries.insert(key, Arc::new(block));
            }
            None => return (entries, true),
        }
    }
    (entries, false)
}

fn read_entry(reader: &mut Reader) -> Option<(u64, Block)> {
    let key = reader.u64()?;
    let html_len = reader.u32()? as usize;
    let html = std::str::from_utf8(reader.take(html_len)?)
        .ok()?
        .to_string();
    let lines = reader.u32()? as usize;
    let line_ends = (0..lines)
        .map(|_| reader.u32())
        .collect::<Option<Vec<u32>>>()?;
    let checksum = reader.u64()?;
    let block = Block { html, line_ends };
    (checksum == checksum_of(key, &block)).then_some((key, block))
}

fn write_entry(bytes: &mut Vec<u8>, key: u64, block: &Block) {
    bytes.extend_from_slice(&key.to_le_bytes());
    bytes.extend_from_slice(&(block.html.len() as u32).to_le_bytes());
    bytes.extend_from_slice(block.html.as_bytes());
    bytes.extend_from_slice(&(block.line_ends.len() as u32).to_le_bytes());
    for end in &block.line_ends {
        bytes.extend_from_slice(&end.to_le_bytes());
    }
    bytes.extend_from_slice(&checksum_of(key, block).to_le_bytes());
}

fn checksum_of(key: u64, block: &Block) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write_u64(key);
    hasher.write(block.html.as_bytes());
    for end in &block.line_ends {
        hasher.write_u32(*end);
    }
    hasher.finish()
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, count: usize) -> Option<&'a [u8]> {
        if self.bytes.len() < count {
            return None;
        }
        let (taken, rest) = self.bytes.split_at(count);
        self.bytes = rest;
        Some(taken)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(html: &str) -> Block {
        Block {
            html: html.to_string(),
            line_ends: vec![html.len() as u32],
        }
    }

    #[test]
    fn entries_survive_a_save_and_damage_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let (cache, warning) = DiskCache::read(dir.path(), 7);
        assert!(warning.is_none());
        cache.put(1, block("<span>a</span>\n"));
        cache.put(2, block("b\n"));
        assert!(cache.save().is_none());
        let (cache, _) = DiskCache::read(dir.path(), 7);
        assert_eq!(cache.get(1).unwrap().html, "<span>a</span>\n");
        // Another identity (a new recap, other themes) starts empty.
        let (other, warning) = DiskCache::read(dir.path(), 8);
        assert!(other.get(1).is_none() && warning.is_none());
        // A cut file keeps what comes before the cut, and says so.
        let path = dir.path().join(CACHE_FILE);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        let (cut, warning) = DiskCache::read(dir.path(), 7);
        assert!(warning.unwrap().contains("damaged"));
        assert_eq!(cut.stored.len(), 1);
        // A flipped byte fails its entry's checksum.
        let mut flipped = bytes.clone();
        let last_html_byte = bytes.len() - 8 - 4 - 4 - 2;
        flipped[last_html_byte] ^= 1;
        std::fs::write(&path, &flipped).unwrap();
        let (flipped, warning) = DiskCache::read(dir.path(), 7);
        assert!(warning.is_some());
        assert_eq!(flipped.stored.len(), 1);
        // Foreign bytes are not a cache.
        std::fs::write(&path, b"not a cache").unwrap();
        let (foreign, warning) = DiskCache::read(dir.path(), 7);
        assert!(foreign.stored.is_empty() && warning.is_some());
    }
}
