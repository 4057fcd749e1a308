//! The walk-in form's state: every field as a signal, the idempotency key, and the
//! checks (the shared submission rules plus the walk-in's own, both from `shared`).

use crate::browser::{focus, new_key, today};
use crate::console::Lookups;
use crate::form::{Errors, first_per_field, set_error};
use leptos::prelude::*;
use ow_shared::console::{RepeatCandidate, WalkInRequest, validate_walk_in};
use ow_shared::dto::SubmitCaseRequest;
use ow_shared::validate::{PhoneRule, check_region, validate_submission_with};
use ow_shared::workflow::Channel;
use ow_shared::{CaseType, ErrorCode, FieldError, Lang, Mediation};

/// At the window a landline, or no phone with a postal address, is taken (the server's rule).
fn phone_rule(request: &WalkInRequest) -> PhoneRule<'_> {
    PhoneRule::PhoneOrPost { postal_address: &request.postal_address }
}

/// Every signal of the form; `Copy` so handlers can take it freely.
#[derive(Clone, Copy)]
pub struct Form {
    pub case_type: RwSignal<Option<CaseType>>,
    pub title: RwSignal<String>,
    pub description: RwSignal<String>,
    pub occurred_on: RwSignal<String>,
    pub township_id: RwSignal<Option<i64>>,
    pub village_id: RwSignal<Option<i64>>,
    /// The grid, where the clerk knows it (a grid of the village).
    pub grid_id: RwSignal<Option<i64>>,
    pub address: RwSignal<String>,
    pub other_party_name: RwSignal<String>,
    pub mediation: RwSignal<Option<Mediation>>,
    pub contact_name: RwSignal<String>,
    pub mobile: RwSignal<String>,
    /// Where written notices are posted; needed when there is no phone.
    pub postal_address: RwSignal<String>,
    pub id_number: RwSignal<String>,
    /// The resident wants no text messages about this request (不接收短信通知).
    pub sms_opt_out: RwSignal<bool>,
    pub privacy: RwSignal<bool>,
    pub channel: RwSignal<Option<Channel>>,
    pub group_size: RwSignal<String>,
    pub representatives: RwSignal<String>,
    pub linked: RwSignal<Option<RepeatCandidate>>,
    pub key: StoredValue<String>,
    pub errs: Errors,
    pub general: RwSignal<Option<String>>,
    pub sending: RwSignal<bool>,
    pub lookups: Lookups,
}

impl Form {
    pub fn new(lookups: Lookups) -> Form {
        let s = || RwSignal::new(String::new());
        Form {
            case_type: RwSignal::new(None),
            title: s(),
            description: s(),
            occurred_on: RwSignal::new(today()),
            township_id: RwSignal::new(None),
            village_id: RwSignal::new(None),
            grid_id: RwSignal::new(None),
            address: s(),
            other_party_name: s(),
            mediation: RwSignal::new(None),
            contact_name: s(),
            mobile: s(),
            postal_address: s(),
            id_number: s(),
            sms_opt_out: RwSignal::new(false),
            privacy: RwSignal::new(false),
            channel: RwSignal::new(Some(Channel::Visit)),
            group_size: RwSignal::new("1".into()),
            representatives: s(),
            linked: RwSignal::new(None),
            key: StoredValue::new(new_key()),
            errs: crate::form::errors(),
            general: RwSignal::new(None),
            sending: RwSignal::new(false),
            lookups,
        }
    }

    pub fn case(self) -> SubmitCaseRequest {
        let g = |s: RwSignal<String>| s.get_untracked();
        SubmitCaseRequest {
            case_type: self.case_type.get_untracked(),
            title: g(self.title),
            description: g(self.description),
            occurred_on: g(self.occurred_on),
            township_id: self.township_id.get_untracked(),
            village_id: self.village_id.get_untracked(),
            address: g(self.address),
            other_party_name: g(self.other_party_name),
            mediation: self.mediation.get_untracked(),
            contact_name: g(self.contact_name),
            mobile: g(self.mobile),
            id_number: g(self.id_number),
            privacy_accepted: self.privacy.get_untracked(),
            photo_ids: Vec::new(),
            sms_opt_out: self.sms_opt_out.get_untracked(),
            grid_id: None,
        }
    }

    pub fn representatives(self) -> Vec<String> {
        self.representatives
            .get_untracked()
            .split(['\n', '、', ',', '，', ';', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }

    /// The request as typed, the case unchecked.
    fn request(self) -> WalkInRequest {
        let size = self.group_size.get_untracked();
        let size = size.trim();
        WalkInRequest {
            case: self.case(),
            channel: self.channel.get_untracked(),
            // Empty counts as one person, as on the server; what is not a number becomes
            // 0, which the shared rule refuses.
            group_size: (!size.is_empty()).then(|| size.parse().unwrap_or(0)),
            representatives: self.representatives(),
            linked_case_id: self.linked.get_untracked().map(|c| c.case_id),
            postal_address: self.postal_address.get_untracked(),
            grid_id: self.grid_id.get_untracked(),
        }
    }

    /// Every problem: the shared submission rules, the place, and the walk-in's own
    /// (`validate_walk_in`, the server's very function).
    pub fn problems(self) -> Vec<FieldError> {
        let request = self.request();
        let req = &request.case;
        let mut problems = validate_submission_with(req, &today(), phone_rule(&request)).err().unwrap_or_default();
        let region = self.lookups.regions.with_untracked(|r| match r {
            Some(regions) => check_region(req, &regions.townships),
            None if req.township_id.is_none() => Some(FieldError::new("township_id", ErrorCode::TownshipUnknown)),
            None => None,
        });
        problems.extend(region);
        // A representative's name (`representatives.2`) is shown on the one list's field.
        problems.extend(
            validate_walk_in(&request)
                .into_iter()
                .map(|e| FieldError { field: crate::form::base_field(&e.field).to_string(), ..e }),
        );
        problems
    }

    /// Checks one field when it is left; an empty field passed over is no mistake yet.
    pub fn check(self, field: &'static str) {
        let found = self.problems().into_iter().find(|e| e.field == field);
        let had = self.errs.with_untracked(|v| v.iter().any(|e| e.field == field));
        set_error(self.errs, field, found.filter(|e| had || e.code != ErrorCode::Required));
    }

    pub fn leave<E>(self, field: &'static str) -> impl Fn(E) + Copy + 'static {
        move |_| self.check(field)
    }

    /// The request to send, or `None` with every problem shown and the first focused.
    pub fn check_all(self) -> Option<WalkInRequest> {
        let problems = first_per_field(self.problems());
        if let Some(first) = problems.first() {
            focus(&self.control_id(&first.field));
            self.errs.set(problems);
            self.general.set(Some(ErrorCode::ValidationFailed.message(Lang::Zh, None, None)));
            return None;
        }
        self.errs.set(Vec::new());
        let request = self.request();
        let case = validate_submission_with(&request.case, &today(), phone_rule(&request)).ok()?;
        Some(WalkInRequest { case, ..request })
    }

    pub fn control_id(self, field: &str) -> String {
        match field {
            "case_type" => format!("f-case_type-{}", self.case_type.get_untracked().map_or("suggestion", |t| t.code())),
            "channel" => "c-f-channel".into(),
            "group_size" => "c-f-group-size".into(),
            "representatives" => "c-f-representatives".into(),
            other => format!("f-{other}"),
        }
    }
}
