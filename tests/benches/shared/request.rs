//! The case a resident submits in the benches: a complaint about a street lamp, the n-th
//! time (so each description differs), from 城关 / its first village.

use ow_shared::CaseType;
use ow_shared::dto::SubmitCaseRequest;

pub fn resident_request(n: u64) -> SubmitCaseRequest {
    SubmitCaseRequest {
        case_type: Some(CaseType::Complaint),
        title: "村口路灯不亮".into(),
        description: format!("村口的路灯坏了两个星期，晚上出行很不方便，请尽快修理。（第 {n} 次反映）"),
        occurred_on: "2026-11-01".into(),
        township_id: Some(1),
        village_id: Some(1),
        contact_name: "张三".into(),
        mobile: "13812345678".into(),
        privacy_accepted: true,
        ..Default::default()
    }
}
