//! The submission form's state: the request being written, its photos and errors, and
//! the draft that keeps all of it (except the ID number) across reloads, together with
//! the idempotency key that makes every resend of the same draft one case.

use crate::browser::{focus, new_key, today};
use crate::components::photos::{Photo, PhotoState, SavedPhoto};
use crate::form::{Errors, set_error};
use crate::resident::Regions;
use crate::storage;
use leptos::prelude::*;
use ow_shared::dto::SubmitCaseRequest;
use ow_shared::validate::{check_region, validate_submission};
use ow_shared::{ApiError, ErrorCode, FieldError, Lang};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// What `ow.draft` holds.
#[derive(Default, Serialize, Deserialize)]
#[serde(default)]
struct Draft {
    key: String,
    req: SubmitCaseRequest,
    photos: Vec<SavedPhoto>,
}

/// The draft as stored, each field still raw JSON: read one by one (`pick`), so that a
/// field of another type spoils only itself. Raw slices instead of `serde_json::Value`,
/// whose tree and map cost the resident download about 1 KB of brotli.
#[derive(Deserialize)]
struct RawDraft<'a> {
    #[serde(borrow)]
    key: Option<&'a RawValue>,
    #[serde(borrow)]
    req: Option<&'a RawValue>,
    #[serde(borrow)]
    photos: Option<&'a RawValue>,
}

/// The request's fields, raw (see `RawDraft`).
#[derive(Deserialize)]
struct RawRequest<'a> {
    #[serde(borrow)]
    case_type: Option<&'a RawValue>,
    #[serde(borrow)]
    title: Option<&'a RawValue>,
    #[serde(borrow)]
    description: Option<&'a RawValue>,
    #[serde(borrow)]
    occurred_on: Option<&'a RawValue>,
    #[serde(borrow)]
    township_id: Option<&'a RawValue>,
    #[serde(borrow)]
    village_id: Option<&'a RawValue>,
    #[serde(borrow)]
    address: Option<&'a RawValue>,
    #[serde(borrow)]
    other_party_name: Option<&'a RawValue>,
    #[serde(borrow)]
    mediation: Option<&'a RawValue>,
    #[serde(borrow)]
    contact_name: Option<&'a RawValue>,
    #[serde(borrow)]
    mobile: Option<&'a RawValue>,
    #[serde(borrow)]
    privacy_accepted: Option<&'a RawValue>,
}

impl Draft {
    /// Reads the draft field by field: a field that is missing, renamed or of another
    /// type (a draft written by an older or newer version of the app) falls back to its
    /// default alone, so a change of shape never throws away the rest of the typed text.
    fn load() -> Draft {
        let mut d = Draft::default();
        let Some(text) = storage::get(storage::DRAFT) else { return d };
        let Ok(v) = serde_json::from_str::<RawDraft>(&text) else { return d };
        pick(v.key, &mut d.key);
        if let Some(r) = v.req.and_then(|r| serde_json::from_str::<RawRequest>(r.get()).ok()) {
            let q = &mut d.req;
            pick(r.case_type, &mut q.case_type);
            pick(r.title, &mut q.title);
            pick(r.description, &mut q.description);
            pick(r.occurred_on, &mut q.occurred_on);
            pick(r.township_id, &mut q.township_id);
            pick(r.village_id, &mut q.village_id);
            pick(r.address, &mut q.address);
            pick(r.other_party_name, &mut q.other_party_name);
            pick(r.mediation, &mut q.mediation);
            pick(r.contact_name, &mut q.contact_name);
            pick(r.mobile, &mut q.mobile);
            pick(r.privacy_accepted, &mut q.privacy_accepted);
        }
        let mut photos: Vec<&RawValue> = Vec::new();
        pick(v.photos, &mut photos);
        d.photos = photos.iter().filter_map(|p| serde_json::from_str(p.get()).ok()).collect();
        d
    }
}

/// Sets `out` from `raw` when that is there and readable as a `T`.
fn pick<'a, T: Deserialize<'a>>(raw: Option<&'a RawValue>, out: &mut T) {
    if let Some(x) = raw.and_then(|x| serde_json::from_str(x.get()).ok()) {
        *out = x;
    }
}

/// A message above the submit button.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Notice {
    Error(ErrorCode),
    PhotosUploading,
    /// The key had already made a case, and the server did not say which.
    AlreadySubmitted,
}

impl Notice {
    /// The text in the current language.
    pub fn text(self, lang: Lang) -> String {
        match self {
            Notice::Error(code) => crate::i18n::message(code, lang),
            Notice::PhotosUploading => {
                lang.pick("照片正在上传，请稍候再提交", "Photos are still uploading; please wait").into()
            }
            Notice::AlreadySubmitted => lang
                .pick(
                    "您此前已提交成功，但未能取回那次提交的回执；如需反映新的事项，请再次点击“提交”",
                    "You had already submitted successfully, but its receipt could not be fetched; to report something new, press Submit again",
                )
                .into(),
        }
    }
}

/// All signals of the form; `Copy`, so handlers can take it freely.
#[derive(Clone, Copy)]
pub struct Form {
    pub req: RwSignal<SubmitCaseRequest>,
    pub key: RwSignal<String>,
    pub photos: RwSignal<Vec<Photo>>,
    pub errors: Errors,
    pub notice: RwSignal<Option<Notice>>,
    pub sending: RwSignal<bool>,
    /// The page opened with typed text from the draft (whose ID number is never kept).
    pub restored: bool,
    regions: Regions,
}

impl Form {
    /// The form as the draft left it, or a fresh one with a new idempotency key.
    pub fn restore(regions: Regions) -> Form {
        let mut draft = Draft::load();
        let restored = draft.req != SubmitCaseRequest::default();
        // Opened from a grid's page (找网格): /submit?township=ID&village=ID&grid=ID.
        if let Some(id) = query_id("township") {
            draft.req.township_id = Some(id);
            draft.req.village_id = query_id("village");
            draft.req.grid_id = query_id("grid");
        }
        let key = if draft.key.is_empty() { new_key() } else { draft.key };
        let photos = draft.photos.into_iter().zip(1..).map(|(p, k)| Photo::restored(k, p)).collect();
        Form {
            req: RwSignal::new(draft.req),
            key: RwSignal::new(key),
            photos: RwSignal::new(photos),
            errors: RwSignal::new(Vec::new()),
            notice: RwSignal::new(None),
            sending: RwSignal::new(false),
            restored,
            regions,
        }
    }

    /// Saves the draft on every change. The ID number is never written to the device.
    pub fn autosave(self) {
        Effect::new(move |_| {
            let mut req = self.req.get();
            req.id_number.clear();
            req.photo_ids.clear();
            let photos = self.photos.with(|v| {
                v.iter().filter_map(|p| Some(SavedPhoto { id: p.id()?.to_string(), name: p.name.clone() })).collect()
            });
            storage::save(storage::DRAFT, &Draft { key: self.key.get(), req, photos });
        });
    }

    /// The request as it stands, with the ids of the uploaded photos.
    pub fn request(self) -> SubmitCaseRequest {
        let mut req = self.req.get_untracked();
        req.photo_ids = self.photos.with_untracked(|v| v.iter().filter_map(|p| p.id().map(String::from)).collect());
        req
    }

    /// A text field's value when the page opened (restored from the draft). Inputs are
    /// not re-written while typing: that could disturb Chinese IME composition.
    pub fn initial(self, get: fn(&SubmitCaseRequest) -> &String) -> String {
        self.req.with_untracked(|r| get(r).clone())
    }

    /// A text field's value, tracked.
    pub fn text(self, get: fn(&SubmitCaseRequest) -> &String) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.req.with(|r| get(r).clone())
    }

    /// An input handler writing one text field; a shown error is re-checked as the user types.
    pub fn edit(
        self,
        field: &'static str,
        set: fn(&mut SubmitCaseRequest, String),
    ) -> impl Fn(leptos::ev::Event) + Copy + 'static {
        move |ev| {
            let value = event_target_value(&ev);
            self.req.update(|r| set(r, value));
            if self.errors.with_untracked(|v| v.iter().any(|e| e.field == field)) {
                self.check(field);
            }
        }
    }

    /// A blur/change handler checking one field.
    pub fn on_leave<E>(self, field: &'static str) -> impl Fn(E) + Copy + 'static {
        move |_| self.check(field)
    }

    /// Checks one field with the shared validation and shows or clears its error.
    pub fn check(self, field: &'static str) {
        let found = self.problems().into_iter().find(|e| e.field == field);
        let had = self.errors.with_untracked(|v| v.iter().any(|e| e.field == field));
        // Passing over an empty field is no mistake yet; submitting it is.
        set_error(self.errors, field, found.filter(|e| had || e.code != ErrorCode::Required));
    }

    /// Checks everything before sending: the normalised request, or every problem shown at once.
    pub fn check_all(self) -> Option<SubmitCaseRequest> {
        let mut problems = self.problems();
        if self.photos.with_untracked(|v| v.iter().any(|p| matches!(p.state, PhotoState::Failed(_)))) {
            problems.push(FieldError::new("photo_ids", ErrorCode::PhotoUnknown));
        }
        if problems.is_empty() {
            self.errors.set(Vec::new());
            return validate_submission(&self.request(), &today()).ok();
        }
        self.show_problems(problems, ErrorCode::ValidationFailed);
        None
    }

    /// Shows a server error: its field errors beside the fields, its message above the button.
    /// Runs after an await: the page (and its signals) may be gone by then.
    pub fn show_server_error(self, error: ApiError) {
        if error.code == ErrorCode::IdempotencyKeyReused {
            // Only this device holds the key: it already made a case (with the receipt, the
            // caller shows that instead). Say so first; a new key lets new content go.
            self.errors.try_set(Vec::new());
            self.notice.try_set(Some(Notice::AlreadySubmitted));
            self.key.try_set(new_key());
            return;
        }
        let fields = error.fields.into_iter().map(|mut e| {
            e.field = base_field(&e.field).to_string();
            e
        });
        self.show_problems(fields.collect(), error.code);
    }

    fn show_problems(self, all: Vec<FieldError>, code: ErrorCode) {
        // One message per field: the first is the one to fix first.
        let mut problems: Vec<FieldError> = Vec::new();
        for e in all {
            if !problems.iter().any(|p| p.field == e.field) {
                problems.push(e);
            }
        }
        if let (Some(first), Some(case_type)) = (problems.first(), self.req.try_with_untracked(|r| r.case_type)) {
            focus(&control_id(&first.field, case_type));
        }
        self.errors.try_set(problems);
        self.notice.try_set(Some(Notice::Error(code)));
    }

    /// Every problem with the request, including the place when the regions are known.
    fn problems(self) -> Vec<FieldError> {
        let req = self.request();
        let mut problems = validate_submission(&req, &today()).err().unwrap_or_default();
        let region = self.regions.0.with_untracked(|r| match r {
            Some(Ok(regions)) => check_region(&req, &regions.townships),
            // Without the list only presence can be checked; the server checks the rest.
            _ if req.township_id.is_none() => Some(FieldError::new("township_id", ErrorCode::TownshipUnknown)),
            _ if req.village_id.is_none() => Some(FieldError::new("village_id", ErrorCode::VillageNotInTownship)),
            _ => None,
        });
        problems.extend(region);
        problems
    }
}

/// A whole-number query parameter of the address.
fn query_id(name: &str) -> Option<i64> {
    crate::nav::query_param(name)?.parse().ok()
}

/// `contact.mobile` → `mobile`, `photo_ids[1]` → `photo_ids`.
fn base_field(field: &str) -> &str {
    let field = field.rsplit('.').next().unwrap_or(field);
    field.split('[').next().unwrap_or(field)
}

/// The id of the control to focus for a field's error.
fn control_id(field: &str, case_type: Option<ow_shared::CaseType>) -> String {
    match field {
        "case_type" => format!("f-case_type-{}", case_type.map_or("suggestion", |t| t.code())),
        "photo_ids" => "f-photos".into(),
        other => format!("f-{other}"),
    }
}
