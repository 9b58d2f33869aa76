//! Camera data taken out of copied originals, without re-encoding them:
//! EXIF (GPS position, camera serial, time, the thumbnail), XMP, IPTC,
//! comments, and the preview pictures some phones append to a JPEG. What
//! changes how the picture looks stays: the colour profile, and the EXIF
//! orientation, written back alone so the photo is still shown upright.

use std::path::Path;

use img_parts::jpeg::{Jpeg, JpegSegment, markers};
use img_parts::png::Png;
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

use super::probe::{Kind, kind_of};

/// The bytes a copied file is written with: the file's own, with camera
/// data taken out of JPEG, PNG and WebP pictures when `strip` is on. A
/// picture recap cannot take apart is copied as it is.
pub(crate) fn copied_bytes(from: &Path, strip: bool) -> std::io::Result<Vec<u8>> {
    let bytes = std::fs::read(from)?;
    if !strip {
        return Ok(bytes);
    }
    Ok(stripped(&bytes).unwrap_or(bytes))
}

/// Whether `path`'s name says it may carry camera data.
pub(crate) fn may_carry_metadata(path: &Path) -> bool {
    path.extension().is_some_and(|ext| {
        ["jpg", "jpeg", "png", "webp"]
            .iter()
            .any(|known| ext.eq_ignore_ascii_case(known))
    })
}

/// `bytes` without camera data; None when there was none to take out or
/// the file cannot be taken apart.
fn stripped(bytes: &[u8]) -> Option<Vec<u8>> {
    let orientation = super::probe::orientation_in(bytes);
    let input = Bytes::copy_from_slice(bytes);
    let out = match kind_of(bytes) {
        Kind::Jpeg => strip_jpeg(input, orientation)?,
        Kind::Png => strip_png(input, orientation)?,
        Kind::Webp => strip_webp(input, orientation)?,
        _ => return None,
    };
    (out.as_slice() != bytes).then_some(out)
}

fn strip_jpeg(input: Bytes, orientation: u8) -> Option<Vec<u8>> {
    let mut jpeg = Jpeg::from_bytes(input).ok()?;
    jpeg.segments_mut().retain(keeps_jpeg_segment);
    jpeg.set_exif(orientation_exif(orientation));
    // Where the last segment's entropy-coded data starts once written:
    // after the start marker and every segment before it.
    let segments = jpeg.segments();
    let (last, before) = segments.split_last()?;
    let entropy_start = 2
        + before
            .iter()
            .map(JpegSegment::len_with_entropy)
            .sum::<usize>()
        + last.len();
    let mut out = Vec::with_capacity(jpeg.len());
    jpeg.encoder().write_to(&mut out).ok()?;
    // Everything after the end of the picture (phones append previews,
    // each with its own EXIF) goes.
    if let Some(end) = out.get(entropy_start..).and_then(end_of_image) {
        out.truncate(entropy_start + end);
    }
    Some(out)
}

/// APP0 (JFIF), APP2 (ICC profile; not the MPF index of appended
/// previews), APP14 (Adobe colour transform) and every segment that is not
/// an application or comment segment.
fn keeps_jpeg_segment(segment: &JpegSegment) -> bool {
    match segment.marker() {
        markers::APP0 | markers::APP14 => true,
        markers::APP2 => segment.contents().starts_with(b"ICC_PROFILE\0"),
        markers::APP1..=markers::APP15 | markers::COM => false,
        _ => true,
    }
}

/// The length of the entropy data up to and with the EOI marker. Inside
/// entropy-coded data a 0xFF byte is always followed by 0x00 or a marker,
/// so the first 0xFF 0xD9 ends the picture.
fn end_of_image(entropy: &[u8]) -> Option<usize> {
    memchr::memmem::find(entropy, &[0xFF, markers::EOI]).map(|at| at + 2)
}

fn strip_png(input: Bytes, orientation: u8) -> Option<Vec<u8>> {
    let mut png = Png::from_bytes(input).ok()?;
    png.chunks_mut().retain(|chunk| {
        !matches!(
            &chunk.kind(),
            b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME"
        )
    });
    png.set_exif(orientation_exif(orientation));
    let mut out = Vec::with_capacity(png.len());
    png.encoder().write_to(&mut out).ok()?;
    Some(out)
}

fn strip_webp(input: Bytes, orientation: u8) -> Option<Vec<u8>> {
    let mut webp = WebP::from_bytes(input).ok()?;
    webp.remove_chunks_by_id(img_parts::webp::CHUNK_XMP);
    webp.set_exif(orientation_exif(orientation));
    let mut out = Vec::with_capacity(webp.len() as usize);
    webp.encoder().write_to(&mut out).ok()?;
    Some(out)
}

/// An EXIF block holding only the orientation; None for upright pictures.
fn orientation_exif(orientation: u8) -> Option<Bytes> {
    if orientation <= 1 || orientation > 8 {
        return None;
    }
    let mut tiff = Vec::with_capacity(26);
    tiff.extend_from_slice(b"MM\0\x2A\0\0\0\x08"); // big-endian, IFD0 at 8
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry:
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation,
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT,
    tiff.extend_from_slice(&1u32.to_be_bytes()); // one value,
    tiff.extend_from_slice(&[0, orientation, 0, 0]); // held in place.
    tiff.extend_from_slice(&0u32.to_be_bytes()); // No next IFD.
    Some(Bytes::from(tiff))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_orientation_block_reads_back() {
        let block = orientation_exif(6).unwrap();
        let exif = exif::Reader::new().read_raw(block.to_vec()).unwrap();
        let field = exif
            .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
            .unwrap();
        assert_eq!(field.value.get_uint(0), Some(6));
        assert_eq!(orientation_exif(1), None);
    }

    #[test]
    fn the_end_of_a_jpeg_is_its_first_eoi() {
        assert_eq!(
            end_of_image(&[1, 0xFF, 0x00, 2, 0xFF, 0xD9, 0xFF, 0xD8]),
            Some(6)
        );
        assert_eq!(end_of_image(&[1, 2, 3]), None);
    }
}
