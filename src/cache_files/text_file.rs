//! A cache file of texts read one at a time, when needed, rather than
//! whole: the HTML of every rendered body, which is as large as the site's
//! HTML, while a build after a small edit shows few of them again.
//!
//! The file is a header (a format mark, an identity, and a generation
//! number that the index of its texts names) followed by texts back to
//! back. The index (another cache file, read whole and checked) gives each
//! text's offset, length and checksum; a text is checked when read, and one
//! that is cut or damaged is reported lost, never used. The file is only
//! ever appended to or replaced by a rename, so a text an index names stays
//! as it was for a reader that opened the file.

use std::fs::File;
use std::io::Read as _;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

const HEADER_LEN: u64 = 24;

/// An opened text file.
#[derive(Debug)]
pub(crate) struct TextFile {
    file: File,
    len: u64,
    generation: u64,
    /// A text could not be read back whole.
    lost: AtomicBool,
}

impl TextFile {
    /// The file at `path` when it has `magic` and `identity`; None when it
    /// is missing, foreign, or of another version.
    pub(crate) fn open(path: &Path, magic: &[u8; 8], identity: u64) -> Option<Arc<TextFile>> {
        let mut file = File::open(path).ok()?;
        let mut header = [0; HEADER_LEN as usize];
        file.read_exact(&mut header).ok()?;
        let (mark, numbers) = header.split_at(8);
        let (found_identity, generation) = numbers.split_at(8);
        if mark != magic || u64::from_le_bytes(found_identity.try_into().ok()?) != identity {
            return None;
        }
        Some(Arc::new(TextFile {
            len: file.metadata().ok()?.len(),
            generation: u64::from_le_bytes(generation.try_into().ok()?),
            file,
            lost: AtomicBool::new(false),
        }))
    }

    /// The number an index of this file names it by.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// The text an index entry names, when it lies within the file.
    pub(crate) fn text(self: &Arc<Self>, offset: u64, len: u32, checksum: u64) -> Option<KeptText> {
        let end = offset.checked_add(u64::from(len))?;
        (offset >= HEADER_LEN && end <= self.len).then(|| KeptText {
            file: Arc::clone(self),
            offset,
            len,
            checksum,
        })
    }

    /// Whether a text could not be read back whole.
    pub(crate) fn lost_any(&self) -> bool {
        self.lost.load(Ordering::Relaxed)
    }
}

/// One text of a [`TextFile`], read when asked for.
#[derive(Debug)]
pub(crate) struct KeptText {
    file: Arc<TextFile>,
    offset: u64,
    len: u32,
    checksum: u64,
}

impl KeptText {
    pub(crate) fn len(&self) -> usize {
        self.len as usize
    }

    /// The text, when it reads back whole and unchanged.
    pub(crate) fn read(&self) -> Option<String> {
        let mut bytes = vec![0; self.len()];
        read_at(&self.file.file, &mut bytes, self.offset).ok()?;
        if checksum(&bytes) != self.checksum {
            return None;
        }
        String::from_utf8(bytes).ok()
    }

    /// Records that this text could not be read.
    pub(crate) fn mark_lost(&self) {
        self.file.lost.store(true, Ordering::Relaxed);
    }
}

/// Writes texts to the end of a text file, saying where each went.
pub(crate) struct TextWriter<W> {
    out: W,
    at: u64,
}

impl<W: std::io::Write> TextWriter<W> {
    /// A new file: its header first.
    pub(crate) fn new_file(
        mut out: W,
        magic: &[u8; 8],
        identity: u64,
        generation: u64,
    ) -> std::io::Result<TextWriter<W>> {
        out.write_all(magic)?;
        out.write_all(&identity.to_le_bytes())?;
        out.write_all(&generation.to_le_bytes())?;
        Ok(TextWriter {
            out,
            at: HEADER_LEN,
        })
    }

    /// More texts at the end of a file `len` bytes long (`out` appends).
    pub(crate) fn appending(out: W, len: u64) -> TextWriter<W> {
        TextWriter { out, at: len }
    }

    /// Writes `text`; its offset, length and checksum for the index.
    pub(crate) fn write(&mut self, text: &str) -> std::io::Result<(u64, u32, u64)> {
        let len = u32::try_from(text.len()).map_err(std::io::Error::other)?;
        self.out.write_all(text.as_bytes())?;
        let offset = self.at;
        self.at += u64::from(len);
        Ok((offset, len, checksum(text.as_bytes())))
    }

    pub(crate) fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// A new generation number: different, in practice, from any before it.
pub(crate) fn new_generation() -> u64 {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos()),
    );
    hasher.write_u32(std::process::id());
    hasher.finish()
}

fn checksum(bytes: &[u8]) -> u64 {
    crate::output::stamps::of_bytes(bytes)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

/// Elsewhere: a seek and a read, one reader at a time.
#[cfg(not(any(unix, windows)))]
fn read_at(file: &File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Seek as _, SeekFrom};
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut file = file;
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(bytes)
}

#[cfg(windows)]
fn read_at(file: &File, mut bytes: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, bytes, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            read => {
                bytes = &mut bytes[read..];
                offset += read as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAGIC: &[u8; 8] = b"RECAPTX\x01";

    fn written(path: &Path, texts: &[&str]) -> Vec<(u64, u32, u64)> {
        let file = File::create(path).unwrap();
        let mut writer = TextWriter::new_file(file, MAGIC, 5, 9).unwrap();
        let places = texts
            .iter()
            .map(|text| writer.write(text).unwrap())
            .collect();
        writer.finish().unwrap();
        places
    }

    #[test]
    fn texts_read_back_one_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("texts.bin");
        let places = written(&path, &["<p>one</p>", "<p>two</p>"]);
        let file = TextFile::open(&path, MAGIC, 5).unwrap();
        assert_eq!(file.generation(), 9);
        let (offset, len, sum) = places[1];
        assert_eq!(
            file.text(offset, len, sum).unwrap().read().as_deref(),
            Some("<p>two</p>")
        );
        assert!(
            TextFile::open(&path, MAGIC, 6).is_none(),
            "another identity"
        );
        assert!(
            file.text(offset, len + 100, sum).is_none(),
            "past the end of the file"
        );
    }

    #[test]
    fn a_damaged_text_is_lost_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("texts.bin");
        let places = written(&path, &["<p>one</p>"]);
        let file = TextFile::open(&path, MAGIC, 5).unwrap();
        let (offset, len, sum) = places[0];
        let text = file.text(offset, len, sum).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[offset as usize + 3] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(text.read(), None);
        assert!(!file.lost_any(), "only a shown text counts as lost");
        text.mark_lost();
        assert!(file.lost_any());
    }
}
