//! Text messages to residents (issue 14): each act writes its message in its own
//! transaction (or none, when refused); the delivery worker sends it through a real
//! local gateway that checks the documented signature; quiet hours, the daily cap, the
//! resident's opt-out; retries, time-outs, dead messages and staff resends; and a
//! server killed mid-delivery still delivers each message exactly once.

use crate::booking::{mobile, request as booking_request};
use crate::durability::{ServerProcess, send as submit_to};
use crate::helpers::sms_gateway::{Behaviour, Flavour, SmsGateway};
use crate::helpers::{TestApp, new_key, spawn_app, spawn_app_with};
use onewindow::messages::gateway::Adapter;
use onewindow::messages::{QuietHours, SmsConfig};
use ow_shared::booking::{BookRequest, StaffBookingRow};
use ow_shared::message::MessageState;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

/// The server's text-message settings for a test against a local gateway: no quiet
/// hours, quick retries, a short time-out.
fn through(gateway: &SmsGateway, flavour: Flavour) -> SmsConfig {
    let mut sms = SmsConfig {
        quiet_hours: QuietHours { start_min: 0, end_min: 0 },
        retry_base_ms: 50,
        timeout_ms: 500,
        poll_ms: 20,
        max_attempts: 3,
        ..Default::default()
    };
    match flavour {
        Flavour::Http => {
            sms.adapter = Adapter::Http;
            sms.http_url = Some(gateway.url.clone());
            sms.http_secret = gateway.secret.clone();
        }
        Flavour::Aliyun => {
            sms.adapter = Adapter::Aliyun;
            sms.aliyun_endpoint = gateway.url.clone();
            sms.aliyun_access_key_id = "LTAI-test-id".into();
            sms.aliyun_access_key_secret = gateway.secret.clone();
            sms.aliyun_templates = "case_received=SMS_100001,case_accepted=SMS_100002".into();
        }
    }
    sms
}

async fn app_through(gateway: &SmsGateway, flavour: Flavour) -> TestApp {
    let sms = through(gateway, flavour);
    spawn_app_with(move |c| c.sms = sms).await
}

/// Submits the standard complaint; its case id.
async fn submitted_case(app: &TestApp, clerk: &crate::helpers::Signed) -> (i64, ow_shared::dto::Receipt) {
    let receipt = app.submit(&app.valid_request().await).await;
    (app.case_id(clerk, &receipt.tracking_no).await, receipt)
}

#[tokio::test]
async fn every_step_of_a_case_texts_the_resident_with_the_link_and_never_the_query_code() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let (id, receipt) = submitted_case(&app, &desk.clerk).await;
    app.act_ok(&desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    app.act_ok(&desk.leader, id, json!({ "action": "extend", "days": 10, "reason": "需现场勘验" })).await;
    app.act_ok(&desk.clerk, id, json!({ "action": "reply", "reply": "路灯已于本周修复，感谢您的反映。" })).await;

    let messages = app.delivered_messages(&desk.clerk, id, 4).await;
    let templates: Vec<&str> = messages.iter().map(|m| m.template.as_str()).collect();
    assert_eq!(templates, ["case_received", "case_accepted", "case_extended", "case_replied"]);
    for m in &messages {
        assert!(m.text.starts_with("【一窗通办】"), "{}", m.text);
        assert!(m.text.contains(&receipt.tracking_no), "{}", m.text);
        assert!(m.text.contains(&format!("/track?no={}", receipt.tracking_no)), "{}", m.text);
        assert!(!m.text.contains(&receipt.query_code), "never the query code: {}", m.text);
        assert_eq!(m.mobile_masked, "138****5678");
        assert_eq!((m.attempts, m.delivered_at.is_some()), (1, true));
    }
    assert!(messages[2].text.contains("原因：需现场勘验"), "{}", messages[2].text);

    // A decline names the route.
    let (declined, _) = submitted_case(&app, &desk.clerk).await;
    app.act_ok(&desk.clerk, declined, json!({ "action": "decline", "route": "litigation", "reason": "属于民事纠纷" }))
        .await;
    let messages = app.delivered_messages(&desk.clerk, declined, 2).await;
    assert_eq!(messages[1].template, "case_declined");
    assert!(messages[1].text.contains("诉讼"), "{}", messages[1].text);
}

#[tokio::test]
async fn a_refused_act_writes_no_message_and_an_opt_out_or_a_landline_gets_none() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let (id, _) = submitted_case(&app, &desk.clerk).await;
    let before = app.outbox_count("1");
    let (status, _) =
        app.act(&desk.clerk, id, json!({ "action": "reply", "reply": "这是一个足够长的答复内容。" })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = app.act(&desk.clerk, id, json!({ "action": "decline", "reason": "" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.outbox_count("1"), before, "a refused act sends nothing");

    // The resident ticked 不接收短信通知: nothing, at any step.
    let quiet = app.submit(&ow_shared::dto::SubmitCaseRequest { sms_opt_out: true, ..app.valid_request().await }).await;
    let quiet_id = app.case_id(&desk.clerk, &quiet.tracking_no).await;
    app.act_ok(&desk.clerk, quiet_id, json!({ "action": "accept", "note": "" })).await;
    assert!(app.case_messages(&desk.clerk, quiet_id).await.is_empty());

    // A walk-in with a landline: no text either.
    let walk_in = json!({ "case": { "case_type": "help", "title": "低保申请咨询", "description": "想了解低保怎么申请，需要哪些材料。",
        "occurred_on": "2026-11-01", "township_id": 1, "village_id": 1, "contact_name": "李四",
        "mobile": "0851-12345678", "privacy_accepted": true }, "channel": "visit" });
    let (status, body) = app.post_walk_in(&desk.clerk, walk_in).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let landline = app.case_id(&desk.clerk, body["tracking_no"].as_str().unwrap()).await;
    assert!(app.case_messages(&desk.clerk, landline).await.is_empty());

    // A walk-in with a mobile who told the clerk they want no texts (the form's box).
    let walk_in = json!({ "case": { "case_type": "help", "title": "低保申请咨询", "description": "想了解低保怎么申请，需要哪些材料。",
        "occurred_on": "2026-11-01", "township_id": 1, "village_id": 1, "contact_name": "李四",
        "mobile": "13812345678", "privacy_accepted": true, "sms_opt_out": true }, "channel": "visit" });
    let (status, body) = app.post_walk_in(&desk.clerk, walk_in).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let opted_out = app.case_id(&desk.clerk, body["tracking_no"].as_str().unwrap()).await;
    app.act_ok(&desk.clerk, opted_out, json!({ "action": "accept", "note": "" })).await;
    assert!(app.case_messages(&desk.clerk, opted_out).await.is_empty());
}

#[tokio::test]
async fn quiet_hours_hold_messages_until_they_end() {
    // Quiet hours from an hour ago to two hours from now, Asia/Shanghai.
    let unix_hours = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() / 3600;
    let hour = ((unix_hours + 8) % 24) as u32;
    let quiet = QuietHours { start_min: (hour + 23) % 24 * 60, end_min: (hour + 2) % 24 * 60 };
    let app = spawn_app_with(|c| c.sms.quiet_hours = quiet).await;
    let desk = app.desk().await;
    let (id, _) = submitted_case(&app, &desk.clerk).await;
    let held = app
        .messages_when(&desk.clerk, id, |m| {
            m.len() == 1 && m[0].next_attempt_at.as_deref() > Some(&m[0].created_at[..])
        })
        .await;
    assert_eq!((held[0].state, held[0].attempts), (MessageState::Queued, 0), "held, not sent");
    let waits_ms = app.count(&format!("SELECT next_attempt_at_ms - created_at_ms FROM messages WHERE case_id = {id}"));
    assert!(waits_ms > 3_600_000, "held until the quiet hours end, over an hour away: {waits_ms} ms");
}

#[tokio::test]
async fn the_daily_cap_holds_the_rest_for_the_next_morning() {
    let app = spawn_app_with(|c| c.sms.daily_cap = 2).await;
    let desk = app.desk().await;
    let (id, _) = submitted_case(&app, &desk.clerk).await;
    app.act_ok(&desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    app.delivered_messages(&desk.clerk, id, 2).await;
    app.act_ok(&desk.leader, id, json!({ "action": "extend", "days": 10, "reason": "需现场勘验" })).await;
    let messages = app
        .messages_when(&desk.clerk, id, |m| {
            m.len() == 3 && m[2].next_attempt_at.as_deref() > Some(&m[2].created_at[..])
        })
        .await;
    assert_eq!((messages[2].state, messages[2].attempts), (MessageState::Queued, 0), "the third waits: {messages:#?}");
    let tomorrow = app.count(&format!(
        "SELECT next_attempt_at_ms > created_at_ms + 60000 FROM messages WHERE case_id = {id} AND template = 'case_extended'"
    ));
    assert_eq!(tomorrow, 1);
}

#[tokio::test]
async fn the_county_gateway_gets_signed_requests_and_a_failure_is_retried_with_the_same_id() {
    let gateway = SmsGateway::start(Flavour::Http).await;
    gateway.script(&[Behaviour::Fail(503), Behaviour::Fail(500)]);
    let app = app_through(&gateway, Flavour::Http).await;
    let desk = app.desk().await;
    let (id, receipt) = submitted_case(&app, &desk.clerk).await;
    let messages = app.delivered_messages(&desk.clerk, id, 1).await;
    assert_eq!(messages[0].attempts, 3, "two failures, then delivered");

    let calls = gateway.calls();
    assert_eq!(calls.len(), 3);
    assert!(calls.iter().all(|c| c.signature_ok), "every request carries a valid HMAC-SHA256 signature");
    assert!(calls.iter().all(|c| c.id == calls[0].id), "the same idempotency id on every attempt");
    assert_eq!((calls[0].mobile.as_str(), calls[0].template.as_str()), ("13812345678", "case_received"));
    assert!(calls[0].text.contains(&receipt.tracking_no) && calls[0].text.contains(&app.url), "{}", calls[0].text);
    assert_eq!(gateway.accepted().get(&calls[0].id), Some(&1));
}

#[tokio::test]
async fn a_slow_gateway_times_out_and_the_retry_goes_through() {
    let gateway = SmsGateway::start(Flavour::Http).await;
    gateway.script(&[Behaviour::Slow(Duration::from_secs(3))]);
    let app = app_through(&gateway, Flavour::Http).await;
    let desk = app.desk().await;
    let (id, _) = submitted_case(&app, &desk.clerk).await;
    let messages = app.delivered_messages(&desk.clerk, id, 1).await;
    assert_eq!(messages[0].attempts, 2, "timed out once (500 ms), then delivered");
}

#[tokio::test]
async fn after_every_attempt_fails_a_message_is_dead_the_queue_flags_the_case_and_staff_resend_it() {
    let gateway = SmsGateway::start(Flavour::Http).await;
    gateway.set_default(Behaviour::Fail(502));
    let app = app_through(&gateway, Flavour::Http).await;
    let desk = app.desk().await;
    let (id, _) = submitted_case(&app, &desk.clerk).await;
    let dead = app.messages_when(&desk.clerk, id, |m| m.len() == 1 && m[0].state == MessageState::Dead).await;
    assert_eq!((dead[0].attempts, dead[0].last_error.as_str()), (3, "HTTP 502"));
    assert_eq!(gateway.calls().len(), 3, "no attempt after the last");

    let (_, page) = app.console_get(&desk.clerk, "/api/v1/console/cases?contact=failed").await;
    let listed: Vec<i64> = page["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    assert_eq!(listed, [id], "the queue's 联系失败 filter");

    // Staff resend it once the gateway is back: a new message, recorded as an event.
    gateway.set_default(Behaviour::Accept);
    let path = format!("/api/v1/console/cases/{id}/messages/{}/resend", dead[0].id);
    let (status, body) = app.console_post(&desk.sifasuo, &path, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "centre staff only: {body}");
    let (status, body) = app.console_post(&desk.clerk, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["resent_from"], dead[0].id);
    let messages = app.messages_when(&desk.clerk, id, |m| m.len() == 2 && m[1].state == MessageState::Delivered).await;
    assert_eq!(messages[0].state, MessageState::Dead);
    let events =
        app.count(&format!("SELECT count(*) FROM case_events WHERE case_id = {id} AND kind = 'message_resent'"));
    assert_eq!(events, 1);
    let (_, page) = app.console_get(&desk.clerk, "/api/v1/console/cases?contact=failed").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 0, "delivered now: off the list");

    // A delivered message is not sent again.
    let path = format!("/api/v1/console/cases/{id}/messages/{}/resend", messages[1].id);
    let (status, body) = app.console_post(&desk.clerk, &path, None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("MESSAGE_NOT_RESENDABLE")));
}

#[tokio::test]
async fn alibaba_cloud_sendsms_is_signed_as_documented() {
    let gateway = SmsGateway::start(Flavour::Aliyun).await;
    let app = app_through(&gateway, Flavour::Aliyun).await;
    let desk = app.desk().await;
    let (id, receipt) = submitted_case(&app, &desk.clerk).await;
    app.act_ok(&desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    app.delivered_messages(&desk.clerk, id, 2).await;
    let calls = gateway.calls();
    assert_eq!(calls.len(), 2);
    assert!(calls.iter().all(|c| c.signature_ok), "HMAC-SHA1 RPC signature: {calls:?}");
    assert_eq!(calls[0].template, "SMS_100001");
    assert_eq!(calls[1].template, "SMS_100002");
    let params: serde_json::Value = serde_json::from_str(&calls[0].text).unwrap();
    assert_eq!(params["no"], receipt.tracking_no.as_str());
    let ids = app.count(&format!(
        "SELECT count(*) FROM messages WHERE case_id = {id} AND idempotency_id IN ('{}', '{}')",
        calls[0].id, calls[1].id
    ));
    assert_eq!(ids, 2, "OutId carries each message's idempotency id");
}

#[tokio::test]
async fn bookings_text_the_confirmation_the_promotion_from_the_waiting_list_and_a_staff_cancellation() {
    let app = spawn_app().await;
    let place = app.booking_centre().await;
    let slot = app.bookable_slots(place.id).await.remove(0);
    let capacity = app.slot_info(place.id, &slot).await.capacity as usize;
    let mut held = Vec::new();
    for n in 0..capacity {
        held.push(app.booked(&booking_request(place.id, &slot, &mobile(n))).await);
    }
    let waiting = app.booked(&BookRequest { waitlist: true, ..booking_request(place.id, &slot, &mobile(99)) }).await;
    assert_eq!(app.outbox_count("template = 'booking_confirmed'"), capacity as i64);
    assert_eq!(app.outbox_count(&format!("mobile = '{}'", mobile(99))), 0, "joining the waiting list: no text yet");

    let clerk = app.sign_in("clerk").await;
    let day_path = format!("/api/v1/console/bookings?place_id={}&date={}", place.id, slot.0);
    let rows: Vec<StaffBookingRow> = serde_json::from_value(app.console_get(&clerk, &day_path).await.1).unwrap();
    let id = rows.iter().find(|r| r.code == held[0].code).unwrap().id;
    let cancel = format!("/api/v1/console/bookings/{id}/cancel");
    let (status, _) = app.console_post(&clerk, &cancel, Some(json!({ "reason": "重复预约" }))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.outbox_count(&format!("booking_id = {id} AND template = 'booking_cancelled_by_staff'")), 1);
    let promoted = format!("mobile = '{}' AND template = 'booking_promoted'", mobile(99));
    assert_eq!(app.outbox_count(&promoted), 1, "the promise 我们会短信通知您 is kept");
    let params = app.count(&format!(
        "SELECT count(*) FROM messages WHERE {promoted} AND json_extract(params, '$.link') = '/booking?code={}'",
        waiting.code
    ));
    assert_eq!(params, 1);
    // The log gateway (demo mode) takes them all.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while app.outbox_count("state != 'delivered'") > 0 {
        assert!(std::time::Instant::now() < deadline, "not all delivered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_delivery_delivers_each_message_exactly_once() {
    let gateway = SmsGateway::start(Flavour::Http).await;
    // Each answer takes 300 ms: the kill lands while several are in flight.
    gateway.set_default(Behaviour::Slow(Duration::from_millis(300)));
    let dir = tempfile::tempdir().unwrap();
    let (db, log) = (dir.path().join("ow.sqlite"), dir.path().join("server.log"));
    let flags = [
        "--sms-adapter",
        "http",
        "--sms-http-url",
        &gateway.url,
        "--sms-http-secret",
        &gateway.secret,
        "--sms-quiet-hours",
        "00:00-00:00",
        "--sms-poll-ms",
        "20",
        "--sms-concurrency",
        "4",
        "--sms-retry-base-ms",
        "50",
        "--sms-daily-cap",
        "1000",
    ];
    let mut server = ServerProcess::start_with(&db, &log, &flags);
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    const CASES: usize = 24;
    for _ in 0..CASES {
        submit_to(&client, &server.url, &new_key()).await.expect("acknowledged");
    }
    // Kill it without warning once some messages went out and others are in flight.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while gateway.calls().len() < 6 {
        assert!(std::time::Instant::now() < deadline, "the worker never called the gateway");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    drop(server);
    let in_flight: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM messages WHERE state = 'sending'", [], |r| r.get(0))
        .unwrap();
    assert!(in_flight > 0, "the kill landed mid-delivery");

    let _server = ServerProcess::start_with(&db, &log, &flags);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let open: i64 =
            conn.query_row("SELECT count(*) FROM messages WHERE state != 'delivered'", [], |r| r.get(0)).unwrap();
        if open == 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{open} messages never delivered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut stmt = conn.prepare("SELECT idempotency_id FROM messages").unwrap();
    let ids: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(ids.len(), CASES, "one message per acknowledged case");
    let accepted = gateway.accepted();
    let mut seen: Vec<&String> = accepted.keys().collect();
    seen.sort();
    let mut expected: Vec<&String> = ids.iter().collect();
    expected.sort();
    assert_eq!(seen, expected, "the gateway got exactly these messages, each under its one id");
    assert_eq!(gateway.first_seen().len(), CASES, "each delivered once as the gateway sees it");
    assert!(
        accepted.values().any(|&n| n > 1),
        "a message taken before the kill was sent again after it, under the same id: {accepted:?}"
    );
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(!log.contains("13912345678"), "the mobile number never reaches the log");
}

#[tokio::test]
async fn the_housekeeping_job_reminds_of_tomorrows_booking_and_a_closing_review_window_once() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let place = app.booking_centre().await;
    let slot = app.bookable_slots(place.id).await.remove(0);
    let booking = app.booked(&booking_request(place.id, &slot, &mobile(7))).await;
    let (id, _) = submitted_case(&app, &desk.clerk).await;
    app.act_ok(&desk.clerk, id, json!({ "action": "accept", "note": "" })).await;
    let case =
        app.act_ok(&desk.clerk, id, json!({ "action": "reply", "reply": "路灯已于本周修复，感谢您的反映。" })).await;
    let review_by = case.deadlines.iter().find(|d| d.kind == ow_shared::dto::DeadlineKind::ReviewRequest).unwrap();

    let db = onewindow::db::Db::open(&app.db_path).unwrap();
    let at_ten = |date: &str, days_before: i64| {
        let date = ow_shared::calendar::parse(date).unwrap();
        onewindow::booking::schedule::moment_ms(onewindow::clock::add_days(date, -days_before), 600)
    };
    let remind = |now| onewindow::housekeeping::remind(&db, now);
    assert_eq!(remind(at_ten(&slot.0, 3)).await.unwrap(), (0, 0), "three days before the booking: nothing");
    assert_eq!(remind(at_ten(&slot.0, 1)).await.unwrap().0, 1, "the day before the booking");
    assert_eq!(remind(at_ten(&slot.0, 1)).await.unwrap().0, 0, "once");
    let link = format!("/booking?code={}", booking.code);
    let sql = format!("template = 'booking_reminder' AND json_extract(params, '$.link') = '{link}'");
    assert_eq!(app.outbox_count(&sql), 1);

    assert_eq!(remind(at_ten(&review_by.due_on, 4)).await.unwrap().1, 0, "four days before: not yet");
    assert_eq!(remind(at_ten(&review_by.due_on, 2)).await.unwrap().1, 1, "within three days of the window's end");
    assert_eq!(remind(at_ten(&review_by.due_on, 1)).await.unwrap().1, 0, "once");
    let sql = format!(
        "case_id = {id} AND template = 'case_review_closing' AND json_extract(params, '$.due') = '{}'",
        review_by.due_on
    );
    assert_eq!(app.outbox_count(&sql), 1);
}
