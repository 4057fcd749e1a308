//! Checking a photo by its content, never by its name or declared type.

use ow_shared::ErrorCode;
use ow_shared::dto::UploadResponse;
use ow_shared::validate::limits::MAX_PHOTO_BYTES;
use rand::Rng;

/// Accepts JPEG, PNG and WebP whose headers parse to real dimensions.
pub fn check(data: &[u8]) -> Result<UploadResponse, ErrorCode> {
    if data.len() as u64 > MAX_PHOTO_BYTES {
        return Err(ErrorCode::PhotoTooLarge);
    }
    let kind = match imagesize::image_type(data) {
        Ok(imagesize::ImageType::Jpeg) => "jpeg",
        Ok(imagesize::ImageType::Png) => "png",
        Ok(imagesize::ImageType::Webp) => "webp",
        _ => return Err(ErrorCode::PhotoTypeUnsupported),
    };
    let size = imagesize::blob_size(data).map_err(|_| ErrorCode::PhotoTypeUnsupported)?;
    if size.width == 0 || size.height == 0 {
        return Err(ErrorCode::PhotoTypeUnsupported);
    }
    Ok(UploadResponse {
        id: format!("{:032x}", rand::rng().random::<u128>()),
        kind: kind.into(),
        width: size.width as u32,
        height: size.height as u32,
        bytes: data.len() as u64,
    })
}

/// The photo as stored: the same pixels without what a camera or phone writes beside
/// them — EXIF (GPS position, device, time), XMP, IPTC, comments, text chunks — nor,
/// for JPEG, anything after the image (the thumbnails and depth maps of multi-picture
/// files carry their own EXIF). Colour profiles stay. A file whose structure does not
/// parse is refused rather than stored with its metadata.
pub fn strip_metadata(kind: &str, data: Vec<u8>) -> Result<Vec<u8>, ErrorCode> {
    use img_parts::{Bytes, ImageEXIF};
    let unsupported = |_| ErrorCode::PhotoTypeUnsupported;
    let bytes = Bytes::from(data);
    match kind {
        "jpeg" => {
            use img_parts::jpeg::{Jpeg, markers};
            let mut jpeg = Jpeg::from_bytes(bytes).map_err(unsupported)?;
            jpeg.segments_mut().retain(|segment| match segment.marker() {
                markers::APP0 | markers::APP14 => true,
                markers::APP2 => segment.contents().starts_with(b"ICC_PROFILE\0"),
                marker => !(markers::APP1..=markers::APP15).contains(&marker) && marker != markers::COM,
            });
            let scan_start: usize =
                2 + jpeg.segments().iter().take_while(|s| !s.has_entropy()).map(|s| s.len()).sum::<usize>();
            let mut out = jpeg.encoder().bytes().to_vec();
            // In the scans a 0xFF byte is always followed by 0x00 or a restart marker,
            // so the first FF D9 is the end of the image.
            if let Some(end) = out.get(scan_start..).and_then(|scan| scan.windows(2).position(|w| w == [0xFF, 0xD9])) {
                out.truncate(scan_start + end + 2);
            }
            Ok(out)
        }
        "png" => {
            let mut png = img_parts::png::Png::from_bytes(bytes).map_err(unsupported)?;
            // Only what draws the image: text, EXIF, times and private chunks go.
            const KEPT: [&[u8; 4]; 13] = [
                b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs",
                b"bKGD", b"hIST",
            ];
            png.chunks_mut().retain(|chunk| KEPT.contains(&&chunk.kind()));
            Ok(png.encoder().bytes().to_vec())
        }
        "webp" => {
            let mut webp = img_parts::webp::WebP::from_bytes(bytes).map_err(unsupported)?;
            webp.remove_chunks_by_id(img_parts::webp::CHUNK_XMP);
            // Also rewrites the header's flags to the chunks that are left.
            webp.set_exif(None);
            Ok(webp.encoder().bytes().to_vec())
        }
        _ => Err(ErrorCode::PhotoTypeUnsupported),
    }
}

#[cfg(test)]
mod tests {
    use super::strip_metadata;
    use img_parts::png::{Png, PngChunk};
    use img_parts::{Bytes, ImageEXIF};

    /// A real 2×3 grey PNG.
    const PNG: [u8; 68] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x00, 0x00, 0x9C, 0x81, 0x81, 0x5D, 0x00, 0x00, 0x00,
        0x0B, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x60, 0x80, 0x02, 0x00, 0x00, 0x09, 0x00, 0x01, 0xFB, 0x52,
        0xB8, 0xA9, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn png_text_and_exif_chunks_are_dropped_and_the_image_kept() {
        let mut png = Png::from_bytes(Bytes::from_static(&PNG)).unwrap();
        png.set_exif(Some(Bytes::from_static(b"MM\0\x2a\0\0\0\x08GPS")));
        png.chunks_mut().insert(1, PngChunk::new(*b"tEXt", Bytes::from_static(b"Author\0Zhang San")));
        png.chunks_mut().insert(1, PngChunk::new(*b"iTXt", Bytes::from_static(b"XML:com.adobe.xmp\0\0\0\0\0<x/>")));
        let with_metadata = png.encoder().bytes().to_vec();
        let stripped = strip_metadata("png", with_metadata).unwrap();
        assert_eq!(stripped, PNG.to_vec());
    }

    #[test]
    fn malformed_files_are_refused_rather_than_kept_with_their_metadata() {
        assert!(strip_metadata("jpeg", vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00]).is_err());
        assert!(strip_metadata("png", PNG[..20].to_vec()).is_err());
        assert!(strip_metadata("gif", b"GIF89a".to_vec()).is_err());
    }
}
