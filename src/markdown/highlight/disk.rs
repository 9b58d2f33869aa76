//! Highlighted code blocks kept between builds, in one file of the cache
//! folder (`.recap-cache/highlight.bin`, a `BlobFile`): a build highlights
//! only code it has not seen with the same grammars and themes.

use std::path::Path;

use crate::cache_files::{BlobFile, Kind, Reader};

const KIND: Kind = Kind {
    file: "highlight.bin",
    magic: b"RECAPHL\x02",
    size_limit: 256 << 20,
    without_it: "highlights everything",
};

/// A highlighted block: its HTML, and where each line's HTML ends in it.
#[derive(Debug, PartialEq)]
pub(crate) struct Block {
    pub html: String,
    pub line_ends: Vec<u32>,
}

#[derive(Debug, Default)]
pub(crate) struct DiskCache {
    file: BlobFile,
}

impl DiskCache {
    /// The cache in `folder` (inside the site at `root`) for highlighters
    /// of `identity`.
    pub(crate) fn open(root: &Path, folder: &Path, identity: u64) -> DiskCache {
        DiskCache {
            file: BlobFile::open(root, folder, KIND, identity),
        }
    }

    /// Why the cache file could not be used, if it could not.
    pub(crate) fn warning(&self) -> Option<&String> {
        self.file.warning()
    }

    pub(crate) fn get(&self, key: u64) -> Option<Block> {
        let blob = self.file.get(key)?;
        let mut reader = Reader { bytes: &blob };
        let html_len = reader.u32()? as usize;
        let html = std::str::from_utf8(reader.take(html_len)?)
            .ok()?
            .to_string();
        let lines = reader.u32()? as usize;
        let line_ends = (0..lines)
            .map(|_| reader.u32())
            .collect::<Option<Vec<u32>>>()?;
        Some(Block { html, line_ends })
    }

    pub(crate) fn put(&self, key: u64, block: &Block) {
        let mut blob = Vec::with_capacity(block.html.len() + 8 + 4 * block.line_ends.len());
        blob.extend_from_slice(&(block.html.len() as u32).to_le_bytes());
        blob.extend_from_slice(block.html.as_bytes());
        blob.extend_from_slice(&(block.line_ends.len() as u32).to_le_bytes());
        for end in &block.line_ends {
            blob.extend_from_slice(&end.to_le_bytes());
        }
        self.file.put(key, blob);
    }

    pub(crate) fn save(&self) -> Option<String> {
        self.file.save()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_survive_a_save() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::open(dir.path(), dir.path(), 7);
        let block = Block {
            html: "<span>a</span>\nb\n".into(),
            line_ends: vec![15, 17],
        };
        cache.put(1, &block);
        assert!(cache.save().is_none());
        let cache = DiskCache::open(dir.path(), dir.path(), 7);
        assert_eq!(cache.get(1), Some(block));
        assert_eq!(cache.get(2), None);
    }
}
