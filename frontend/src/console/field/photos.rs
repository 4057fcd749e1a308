//! Photos from the field: made smaller on the phone (at most 1600 px on the long side,
//! JPEG) before they are sent over a weak signal, then uploaded like the residents'
//! photos. Where the browser cannot redraw them, the original is sent.

use js_sys::{Function, Promise, Reflect};
use leptos::prelude::*;
use ow_shared::ApiError;
use ow_shared::dto::UploadResponse;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The longest side kept, in pixels.
const LONGEST_SIDE: f64 = 1600.0;

fn get(target: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    Reflect::get(target, &JsValue::from_str(key))
}

fn method(target: &JsValue, name: &str) -> Result<Function, JsValue> {
    get(target, name)?.dyn_into::<Function>().map_err(|_| JsValue::from_str(name))
}

/// The photo redrawn smaller as a JPEG blob (`createImageBitmap` → canvas → `toBlob`),
/// through `Reflect` so no further web-sys features are needed.
async fn smaller(file: &JsValue) -> Result<JsValue, JsValue> {
    let win: JsValue = window().into();
    let bitmap = method(&win, "createImageBitmap")?.call1(&win, file)?.dyn_into::<Promise>()?;
    let bitmap = JsFuture::from(bitmap).await?;
    let (w, h) = (get(&bitmap, "width")?.as_f64().unwrap_or(0.0), get(&bitmap, "height")?.as_f64().unwrap_or(0.0));
    if w <= 0.0 || h <= 0.0 {
        return Err(JsValue::from_str("empty image"));
    }
    let scale = (LONGEST_SIDE / w.max(h)).min(1.0);
    let (cw, ch) = ((w * scale).round(), (h * scale).round());
    let canvas: JsValue = document().create_element("canvas")?.into();
    Reflect::set(&canvas, &JsValue::from_str("width"), &JsValue::from_f64(cw))?;
    Reflect::set(&canvas, &JsValue::from_str("height"), &JsValue::from_f64(ch))?;
    let context = method(&canvas, "getContext")?.call1(&canvas, &JsValue::from_str("2d"))?;
    let draw = method(&context, "drawImage")?;
    let args = js_sys::Array::of5(&bitmap, &0.into(), &0.into(), &cw.into(), &ch.into());
    draw.apply(&context, &args)?;
    let to_blob = method(&canvas, "toBlob")?;
    let mut called = Ok(JsValue::UNDEFINED);
    let promise = Promise::new(&mut |resolve, _reject| {
        called = to_blob.call3(&canvas, &resolve, &JsValue::from_str("image/jpeg"), &JsValue::from_f64(0.8));
    });
    called?;
    let blob = JsFuture::from(promise).await?;
    if blob.is_null() { Err(JsValue::from_str("no blob")) } else { Ok(blob) }
}

/// Makes the photo smaller if it can and uploads it; its id.
pub async fn upload(file: web_sys::File) -> Result<String, ApiError> {
    let api = crate::console::api::use_api();
    let original: JsValue = file.clone().into();
    let (body, kind) = match smaller(&original).await {
        Ok(blob) => (blob, "image/jpeg".to_string()),
        Err(_) => (original, file.type_()),
    };
    let answer: UploadResponse = api.upload_photo(&body, &kind).await?;
    Ok(answer.id)
}
