//! The photo picker: up to three photos, each checked here for size and type, shown as
//! a thumbnail and uploaded at once with visible progress. Only the returned ids are
//! submitted with the case.

use crate::form::{Errors, error_text, invalid, set_error};
use crate::http::{self, Upload};
use crate::i18n::{tr, use_lang};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ow_shared::dto::UploadResponse;
use ow_shared::validate::limits::{MAX_PHOTO_BYTES, MAX_PHOTOS};
use ow_shared::{ErrorCode, FieldError};
use serde::{Deserialize, Serialize};
use web_sys::{File, HtmlInputElement, Url};

const ACCEPTED: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// Where one photo's upload stands.
#[derive(Debug, Clone, PartialEq)]
pub enum PhotoState {
    Uploading,
    Done(String),
    Failed(ErrorCode),
}

/// A photo on the form. `url` is a local preview; restored drafts have none.
#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    pub key: u32,
    pub name: String,
    pub url: Option<String>,
    /// Percent uploaded, 0–100.
    pub progress: u8,
    pub state: PhotoState,
}

/// An uploaded photo as kept in the draft.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavedPhoto {
    pub id: String,
    pub name: String,
}

impl Photo {
    /// A photo uploaded before the page was reloaded.
    pub fn restored(key: u32, saved: SavedPhoto) -> Photo {
        Photo { key, name: saved.name, url: None, progress: 100, state: PhotoState::Done(saved.id) }
    }

    /// The server's id once uploaded.
    pub fn id(&self) -> Option<&str> {
        match &self.state {
            PhotoState::Done(id) => Some(id),
            _ => None,
        }
    }
}

/// The file input and the thumbnails of the chosen photos.
#[component]
pub fn PhotoPicker(photos: RwSignal<Vec<Photo>>, errors: Errors) -> impl IntoView {
    let uploads = Uploads::new(Vec::new());
    let choose = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let Some(files) = input.files() else { return };
        let mut rejected = None;
        for file in (0..files.length()).filter_map(|i| files.get(i)) {
            let active = photos.with_untracked(|v| v.iter().filter(|p| is_active(p)).count());
            rejected = if active as u32 >= MAX_PHOTOS {
                Some(FieldError { max: Some(MAX_PHOTOS), ..FieldError::new("photo_ids", ErrorCode::TooManyPhotos) })
            } else if file.size() > MAX_PHOTO_BYTES as f64 {
                Some(FieldError::new("photo_ids", ErrorCode::PhotoTooLarge))
            } else if !accepted_type(&file.type_()) {
                Some(FieldError::new("photo_ids", ErrorCode::PhotoTypeUnsupported))
            } else {
                start_upload(photos, uploads, errors, file);
                rejected
            };
        }
        set_error(errors, "photo_ids", rejected);
        // Lets the same file be chosen again after removing it.
        input.set_value("");
    };
    view! {
        <div class="field">
            <label for="f-photos">
                {tr("照片", "Photos")}
                <span class="optional">{tr("（选填，最多 3 张，每张不超过 5 MB）", " (optional, up to 3, 5 MB each)")}</span>
            </label>
            <input
                type="file"
                id="f-photos"
                accept="image/jpeg,image/png,image/webp"
                multiple
                aria-invalid=invalid(errors, "photo_ids")
                aria-describedby="err-photo_ids"
                on:change=choose
            />
            // The bare file input says "Choose Files" in the browser's language: a large
            // zh-CN button (a second label of the same input) stands in for it.
            <label for="f-photos" class="secondary pick-photos">{tr("＋ 选择照片", "+ Choose photos")}</label>
            <ul class="photos">
                <For each=move || photos.get() key=|p| p.key let:photo>
                    {thumb(photos, uploads, photo)}
                </For>
            </ul>
            {error_text(errors, "photo_ids")}
        </div>
    }
}

/// Whether a file's MIME type may be sent. An empty type (gallery picks in WeChat on
/// Android often have none) is let through: the server checks the content anyway.
fn accepted_type(kind: &str) -> bool {
    kind.is_empty() || ACCEPTED.contains(&kind)
}

/// Photos that count toward the limit: uploaded or still uploading.
fn is_active(p: &Photo) -> bool {
    !matches!(p.state, PhotoState::Failed(_))
}

/// The uploads in flight, by photo key, so that removing a photo cancels its upload.
type Uploads = StoredValue<Vec<(u32, Upload)>>;

/// Adds the photo and uploads it, updating its progress and state as the answer comes.
fn start_upload(photos: RwSignal<Vec<Photo>>, uploads: Uploads, errors: Errors, file: File) {
    let key = photos.with_untracked(|v| v.iter().map(|p| p.key).max().unwrap_or(0) + 1);
    let url = Url::create_object_url_with_blob(&file).ok();
    photos.update(|v| v.push(Photo { key, name: file.name(), url, progress: 0, state: PhotoState::Uploading }));
    // Integer percents: formatting floats would cost the bundle ~10 KB.
    let on_progress = move |f: f64| edit(photos, key, |p| p.progress = (f * 100.0) as u8);
    let answer = match http::upload::<UploadResponse, _>("/api/v1/uploads", &file, on_progress) {
        Ok((upload, answer)) => {
            uploads.update_value(|v| v.push((key, upload)));
            answer
        }
        Err(e) => return edit(photos, key, |p| p.state = PhotoState::Failed(e.code)),
    };
    spawn_local(async move {
        let result = answer.await;
        uploads.try_update_value(|v| v.retain(|(k, _)| *k != key));
        match result {
            Ok(up) => edit(photos, key, |p| {
                p.progress = 100;
                p.state = PhotoState::Done(up.id);
            }),
            // The server refused the file itself: drop it, as if refused here.
            Err(e) if matches!(e.code, ErrorCode::PhotoTooLarge | ErrorCode::PhotoTypeUnsupported) => {
                remove(photos, uploads, key);
                errors.try_update(|v| {
                    v.retain(|x| x.field != "photo_ids");
                    v.push(FieldError::new("photo_ids", e.code));
                });
            }
            Err(e) => edit(photos, key, |p| p.state = PhotoState::Failed(e.code)),
        }
    });
}

/// Changes one photo, if the page (and the photo) still exists.
fn edit(photos: RwSignal<Vec<Photo>>, key: u32, f: impl FnOnce(&mut Photo)) {
    photos.try_update(|v| v.iter_mut().find(|p| p.key == key).map(f));
}

/// Removes one photo, cancels its upload if still going, and frees its preview.
fn remove(photos: RwSignal<Vec<Photo>>, uploads: Uploads, key: u32) {
    uploads.try_update_value(|v| {
        v.iter().filter(|(k, _)| *k == key).for_each(|(_, upload)| upload.cancel());
        v.retain(|(k, _)| *k != key);
    });
    photos.try_update(|v| {
        if let Some(url) = v.iter().find(|p| p.key == key).and_then(|p| p.url.clone()) {
            let _ = Url::revoke_object_url(&url);
        }
        v.retain(|p| p.key != key);
    });
}

/// One thumbnail: preview (or a placeholder after reload), progress, state, remove button.
fn thumb(photos: RwSignal<Vec<Photo>>, uploads: Uploads, photo: Photo) -> impl IntoView {
    let lang = use_lang();
    let key = photo.key;
    let current = move || photos.with(|v| v.iter().find(|p| p.key == key).cloned());
    let number = move || photos.with(|v| v.iter().position(|p| p.key == key).map_or(0, |i| i + 1));
    let name = photo.name.clone();
    let preview = match photo.url.clone() {
        Some(url) => {
            let alt = move || format!("{}{}", lang.get().pick("照片：", "Photo: "), name);
            Either::Left(view! { <img src=url alt=alt /> })
        }
        None => Either::Right(view! {
            <span class="photo-placeholder">
                {move || format!("{} {}", lang.get().pick("已上传的照片", "Uploaded photo"), number())}
            </span>
        }),
    };
    let percent = move || current().map_or(0, |p| p.progress);
    let status = move || match current().map(|p| p.state) {
        Some(PhotoState::Uploading) => format!("{}{}%", lang.get().pick("上传中 ", "Uploading "), percent()),
        Some(PhotoState::Done(_)) => lang.get().pick("已上传", "Uploaded").to_string(),
        Some(PhotoState::Failed(code)) => crate::i18n::message(code, lang.get()),
        None => String::new(),
    };
    let failed = move || matches!(current().map(|p| p.state), Some(PhotoState::Failed(_)));
    view! {
        <li class="photo-thumb" class:failed=failed>
            {preview}
            <progress max="100" value=percent aria-label=tr("上传进度", "Upload progress")></progress>
            <span class="photo-status" role="status">{status}</span>
            <button type="button" class="remove" on:click=move |_| remove(photos, uploads, key)>
                {tr("删除", "Remove")}
                <span class="visually-hidden">{photo.name}</span>
            </button>
        </li>
    }
}
