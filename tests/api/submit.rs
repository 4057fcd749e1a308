//! Submitting a request: the receipt, every validation rule, 检举, masking.

use crate::helpers::{new_key, spawn_app};
use ow_shared::dto::{DeadlineKind, SubmitCaseRequest};
use ow_shared::{CaseType, ErrorCode, Mediation};
use reqwest::StatusCode;

#[tokio::test]
async fn a_valid_request_gets_a_receipt_with_number_code_and_deadline() {
    let app = spawn_app().await;
    let request = app.valid_request().await;
    let receipt = app.submit(&request).await;

    let today = onewindow::clock::date_of(onewindow::clock::now_ms());
    assert!(receipt.tracking_no.starts_with(&onewindow::clock::compact_date(today)[2..]), "YYMMDD first");
    assert_eq!(receipt.tracking_no.len(), 13);
    assert_eq!(receipt.query_code.len(), 8);
    assert!(receipt.query_code.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(receipt.deadlines.len(), 1);
    assert_eq!(receipt.deadlines[0].kind, DeadlineKind::AcceptanceNotice);
    assert_eq!(receipt.deadlines[0].due_on, onewindow::clock::format_date(onewindow::clock::add_days(today, 15)));
    assert_eq!((receipt.township.as_str(), receipt.village.as_str()), ("桃源镇", "桃源村"));
    assert_eq!(receipt.mobile_masked, "138****5678");
    assert_eq!(receipt.contact_name_masked, "张*");
    assert!(!receipt.identity_protected);

    // The case and its first event are stored; the query code is not, only its hash.
    assert_eq!(app.count("SELECT count(*) FROM cases WHERE state = 'registered'"), 1);
    assert_eq!(app.count("SELECT count(*) FROM case_events WHERE kind = 'submitted' AND public = 1"), 1);
    let code_stored = format!("SELECT count(*) FROM cases WHERE query_code_hash = '{}'", receipt.query_code);
    assert_eq!(app.count(&code_stored), 0);

    let second = app.submit(&request).await;
    assert_ne!(second.tracking_no, receipt.tracking_no, "each case its own number");
}

#[tokio::test]
async fn responses_never_carry_the_full_mobile_or_id_number() {
    let app = spawn_app().await;
    let request = SubmitCaseRequest { id_number: "11010519491231002x".into(), ..app.valid_request().await };
    let (status, _, body) = app.submit_raw(Some(&new_key()), &request).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(!body.contains("13812345678") && !body.contains("11010519491231002"), "{body}");
    // Stored normalised, in full, for staff who need it.
    assert_eq!(app.count("SELECT count(*) FROM cases WHERE id_number = '11010519491231002X'"), 1);
}

#[tokio::test]
async fn an_accusation_protects_the_accusers_identity() {
    let app = spawn_app().await;
    let request = SubmitCaseRequest { case_type: Some(CaseType::Accusation), ..app.valid_request().await };
    let receipt = app.submit(&request).await;
    assert!(receipt.identity_protected);
    assert_eq!(app.count("SELECT count(*) FROM cases WHERE case_type = 'accusation' AND identity_protected = 1"), 1);
}

#[tokio::test]
async fn a_dispute_keeps_the_other_party_and_mediation_answer() {
    let app = spawn_app().await;
    let request = SubmitCaseRequest {
        case_type: Some(CaseType::Dispute),
        other_party_name: "李四".into(),
        mediation: Some(Mediation::Willing),
        ..app.valid_request().await
    };
    app.submit(&request).await;
    assert_eq!(app.count("SELECT count(*) FROM cases WHERE other_party_name = '李四' AND mediation = 'willing'"), 1);
}

/// Each rule: a change to a valid request, and the field and code it must produce.
#[tokio::test]
async fn every_validation_rule_answers_with_its_field_and_code() {
    let app = spawn_app().await;
    let valid = app.valid_request().await;
    let other_township_village = app.regions().await.townships[0].villages[0].id;
    type Change = Box<dyn Fn(&mut SubmitCaseRequest)>;
    let cases: Vec<(Change, &str, ErrorCode)> = vec![
        (Box::new(|r| r.case_type = None), "case_type", ErrorCode::Required),
        (Box::new(|r| r.title = "  ".into()), "title", ErrorCode::Required),
        (Box::new(|r| r.title = "路灯".into()), "title", ErrorCode::TooShort),
        (Box::new(|r| r.title = "路".repeat(41)), "title", ErrorCode::TooLong),
        (Box::new(|r| r.description = "太短了".into()), "description", ErrorCode::TooShort),
        (Box::new(|r| r.description = "长".repeat(2001)), "description", ErrorCode::TooLong),
        (Box::new(|r| r.occurred_on = String::new()), "occurred_on", ErrorCode::Required),
        (Box::new(|r| r.occurred_on = "2026-02-30".into()), "occurred_on", ErrorCode::DateInvalid),
        (Box::new(|r| r.occurred_on = "2999-01-01".into()), "occurred_on", ErrorCode::DateInFuture),
        (Box::new(|r| r.township_id = None), "township_id", ErrorCode::TownshipUnknown),
        (Box::new(|r| r.township_id = Some(9999)), "township_id", ErrorCode::TownshipUnknown),
        (Box::new(move |r| r.village_id = Some(other_township_village)), "village_id", ErrorCode::VillageNotInTownship),
        (Box::new(|r| r.address = "址".repeat(101)), "address", ErrorCode::TooLong),
        (Box::new(|r| r.case_type = Some(CaseType::Dispute)), "mediation", ErrorCode::MediationRequired),
        (Box::new(|r| r.contact_name = String::new()), "contact_name", ErrorCode::Required),
        (Box::new(|r| r.mobile = "1381234".into()), "mobile", ErrorCode::MobileInvalid),
        (Box::new(|r| r.mobile = "12812345678".into()), "mobile", ErrorCode::MobileInvalid),
        (Box::new(|r| r.id_number = "110105194912310021".into()), "id_number", ErrorCode::IdNumberChecksum),
        (Box::new(|r| r.id_number = "12345".into()), "id_number", ErrorCode::IdNumberInvalid),
        (Box::new(|r| r.privacy_accepted = false), "privacy_accepted", ErrorCode::PrivacyNotAccepted),
        (
            Box::new(|r| r.photo_ids = vec!["a".into(), "b".into(), "c".into(), "d".into()]),
            "photo_ids",
            ErrorCode::TooManyPhotos,
        ),
        (Box::new(|r| r.photo_ids = vec!["no-such-photo".into()]), "photo_ids", ErrorCode::PhotoUnknown),
    ];
    for (change, field, code) in cases {
        let mut request = valid.clone();
        change(&mut request);
        let (status, error) = app.submit_error(&request).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(error.code, ErrorCode::ValidationFailed);
        let found = error.fields.iter().find(|f| f.field == field).unwrap_or_else(|| panic!("{field}: {error:?}"));
        assert_eq!(found.code, code, "{field}");
        assert!(!found.message.is_empty() && !found.message.is_ascii(), "a zh-CN message for {field}");
    }
    assert_eq!(app.count("SELECT count(*) FROM cases"), 0, "no invalid request was stored");
}

#[tokio::test]
async fn malformed_bodies_get_a_json_error_in_chinese() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(format!("{}/api/v1/cases", app.url))
        .header("content-type", "application/json")
        .header("Idempotency-Key", new_key())
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: ow_shared::ApiError = response.json().await.unwrap();
    assert_eq!((error.code, error.message.as_str()), (ErrorCode::BadRequest, "请求格式不正确"));
}
