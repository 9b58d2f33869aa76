//! What an image file is, read from its first bytes: the format (by its
//! content, not its name), the size it is shown at (turned by its EXIF
//! orientation), whether it moves. And the hash of its bytes, remembered
//! across builds by size and time so unchanged photos are not read again.

use std::fs;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rustc_hash::FxHashMap as HashMap;

use crate::output::stamps;

/// How much of a file the probe reads.
const HEAD: usize = 64 << 10;
/// The longest side recap decodes; larger pictures are copied as they are.
pub(crate) const MAX_SIDE: u32 = 16_384;
/// The most pixels recap decodes (a 100-megapixel camera's photo).
const MAX_PIXELS: u64 = 100_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Jpeg,
    Png,
    Webp,
    Gif,
    Svg,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Probe {
    pub kind: Kind,
    /// As shown: after the EXIF orientation.
    pub width: u32,
    pub height: u32,
    /// EXIF orientation, 1 to 8 (1: upright).
    pub orientation: u8,
    pub animated: bool,
    pub len: u64,
    pub modified: i128,
}

impl Probe {
    /// Err when the picture is too large to decode safely.
    pub(crate) fn check_limits(&self) -> Result<(), String> {
        let pixels = u64::from(self.width) * u64::from(self.height);
        if self.width > MAX_SIDE || self.height > MAX_SIDE || pixels > MAX_PIXELS {
            return Err(format!(
                "the image is {} x {} pixels, more than recap decodes ({MAX_SIDE} pixels a side, \
                 {} megapixels): it is copied as it is, without smaller copies",
                self.width,
                self.height,
                MAX_PIXELS / 1_000_000
            ));
        }
        Ok(())
    }
}

/// Reads what `file`'s header says. Err when it is no image recap knows.
pub(crate) fn probe(file: &Path) -> Result<Probe, String> {
    let metadata = fs::metadata(file).map_err(|err| format!("cannot read the image: {err}"))?;
    // The header, EXIF (at most 64 KiB in a JPEG) and size are at the start.
    let mut head = Vec::with_capacity(HEAD);
    fs::File::open(file)
        .and_then(|f| f.take(HEAD as u64).read_to_end(&mut head))
        .map_err(|err| format!("cannot read the image: {err}"))?;
    let kind = kind_of(&head);
    if matches!(kind, Kind::Svg | Kind::Other) {
        return Ok(Probe {
            kind,
            width: 0,
            height: 0,
            orientation: 1,
            animated: false,
            len: metadata.len(),
            modified: stamps::modified_nanos(&metadata).unwrap_or_default(),
        });
    }
    let size = imagesize::blob_size(&head)
        .or_else(|_| imagesize::size(file))
        .map_err(|err| match err {
            imagesize::ImageError::NotSupported => "the image's header is damaged".to_string(),
            err => format!("the image's header is damaged: {err}"),
        })?;
    let (width, height) = (
        u32::try_from(size.width).map_err(|_| "the image is too wide")?,
        u32::try_from(size.height).map_err(|_| "the image is too tall")?,
    );
    let orientation = match kind {
        Kind::Jpeg | Kind::Png => orientation_in(&head),
        // WebP keeps its EXIF at the end.
        Kind::Webp => orientation_of(file),
        _ => 1,
    };
    let (width, height) = if orientation >= 5 {
        (height, width)
    } else {
        (width, height)
    };
    Ok(Probe {
        kind,
        width,
        height,
        orientation,
        animated: is_animated(kind, &head),
        len: metadata.len(),
        modified: stamps::modified_nanos(&metadata).unwrap_or_default(),
    })
}

/// The format the bytes say, whatever the file's name says.
pub(crate) fn kind_of(head: &[u8]) -> Kind {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Kind::Jpeg
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Kind::Png
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Kind::Webp
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Kind::Gif
    } else if looks_like_svg(head) {
        Kind::Svg
    } else {
        Kind::Other
    }
}

fn looks_like_svg(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    (text.starts_with("<?xml") || text.starts_with("<svg") || text.starts_with("<!--"))
        && text.contains("<svg")
}

/// Animated WebP (the VP8X animation flag) and APNG (an `acTL` chunk
/// before the image data).
fn is_animated(kind: Kind, head: &[u8]) -> bool {
    match kind {
        Kind::Webp => head.len() > 20 && &head[12..16] == b"VP8X" && head[20] & 0x02 != 0,
        Kind::Png => {
            let idat = memchr::memmem::find(head, b"IDAT").unwrap_or(head.len());
            memchr::memmem::find(&head[..idat], b"acTL").is_some()
        }
        Kind::Gif => true,
        _ => false,
    }
}

/// The EXIF orientation (1 to 8), 1 when there is none or it is damaged.
fn orientation_of(file: &Path) -> u8 {
    match fs::File::open(file) {
        Ok(opened) => orientation_from(&mut BufReader::new(opened)),
        Err(_) => 1,
    }
}

/// The EXIF orientation of the picture in `bytes`.
pub(super) fn orientation_in(bytes: &[u8]) -> u8 {
    orientation_from(&mut std::io::Cursor::new(bytes))
}

fn orientation_from(reader: &mut (impl std::io::BufRead + std::io::Seek)) -> u8 {
    let Ok(exif) = exif::Reader::new().read_from_container(reader) else {
        return 1;
    };
    exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .and_then(|field| field.value.get_uint(0))
        .and_then(|value| u8::try_from(value).ok())
        .filter(|value| (1..=8).contains(value))
        .unwrap_or(1)
}

/// The hashes of originals' bytes, by path, size and time: kept in the
/// cache folder between builds, so only new or edited files are read.
#[derive(Debug)]
pub(super) struct HashMemo {
    /// The site, and the memo's file in its cache folder.
    file: Option<(PathBuf, PathBuf)>,
    known: Mutex<HashMap<PathBuf, (u64, i128, u64)>>,
    changed: Mutex<bool>,
}

const MEMO_HEADER: &str = "recap image hashes 1";

impl HashMemo {
    /// Reads the memo kept in `cache` (the site, and its images cache
    /// folder), if any.
    pub(super) fn new(cache: Option<(PathBuf, PathBuf)>) -> HashMemo {
        let file = cache.map(|(root, folder)| (root, folder.join("hashes.tsv")));
        let known = file
            .as_ref()
            .and_then(|(_, file)| fs::read_to_string(file).ok())
            .map(|text| parse_memo(&text))
            .unwrap_or_default();
        HashMemo {
            file,
            known: Mutex::new(known),
            changed: Mutex::new(false),
        }
    }

    /// The hash of `file`'s bytes.
    pub(super) fn of(&self, file: &Path, probe: &Probe) -> Result<u64, String> {
        let known = super::lock(&self.known).get(file).copied();
        if let Some((len, modified, hash)) = known
            && len == probe.len
            && modified == probe.modified
        {
            return Ok(hash);
        }
        let bytes = fs::read(file).map_err(|err| format!("cannot read the image: {err}"))?;
        let hash = stamps::of_bytes(&bytes);
        super::lock(&self.known).insert(file.to_path_buf(), (probe.len, probe.modified, hash));
        *super::lock(&self.changed) = true;
        Ok(hash)
    }

    /// Writes the memo back when it learnt something.
    pub(super) fn save(&self) -> Result<(), String> {
        let Some((root, file)) = &self.file else {
            return Ok(());
        };
        if let Some(link) = crate::cache_files::link_on_the_way(root, file) {
            return Err(format!(
                "{} is a symbolic link; image hashes are not kept",
                link.display()
            ));
        }
        if !*super::lock(&self.changed) {
            return Ok(());
        }
        let mut text = format!("{MEMO_HEADER}\n");
        let known = super::lock(&self.known);
        let mut lines: Vec<String> = known
            .iter()
            .filter_map(|(path, (len, modified, hash))| {
                let path = path.to_str()?;
                (!path.contains(['\t', '\n']))
                    .then(|| format!("{path}\t{len}\t{modified}\t{hash:016x}\n"))
            })
            .collect();
        lines.sort();
        text.extend(lines);
        crate::cache_files::write_atomically(file, text.as_bytes())
            .map_err(|err| format!("cannot keep image hashes in {}: {err}", file.display()))
    }
}

/// A damaged or foreign memo is ignored line by line.
fn parse_memo(text: &str) -> HashMap<PathBuf, (u64, i128, u64)> {
    let mut lines = text.lines();
    if lines.next() != Some(MEMO_HEADER) {
        return HashMap::default();
    }
    lines
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let path = PathBuf::from(fields.next()?);
            let len = fields.next()?.parse().ok()?;
            let modified = fields.next()?.parse().ok()?;
            let hash = u64::from_str_radix(fields.next()?, 16).ok()?;
            fields
                .next()
                .is_none()
                .then_some((path, (len, modified, hash)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_formats_by_their_bytes() {
        assert_eq!(kind_of(b"\xFF\xD8\xFF\xE0rest"), Kind::Jpeg);
        assert_eq!(kind_of(b"\x89PNG\r\n\x1a\nrest"), Kind::Png);
        assert_eq!(kind_of(b"RIFF\0\0\0\0WEBPVP8 "), Kind::Webp);
        assert_eq!(kind_of(b"GIF89a"), Kind::Gif);
        assert_eq!(kind_of(b"<?xml version=\"1.0\"?>\n<svg>"), Kind::Svg);
        assert_eq!(kind_of(b"hello"), Kind::Other);
    }

    #[test]
    fn a_damaged_memo_is_ignored_line_by_line() {
        let text = format!("{MEMO_HEADER}\n/a.jpg\t10\t20\t00000000000000ff\nbroken line\n");
        let memo = parse_memo(&text);
        assert_eq!(memo.len(), 1);
        assert_eq!(memo[Path::new("/a.jpg")], (10, 20, 255));
        assert!(parse_memo("something else\n/a.jpg\t1\t2\t3\n").is_empty());
    }
}
