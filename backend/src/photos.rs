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
