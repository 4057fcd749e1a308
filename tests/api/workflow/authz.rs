//! The authorisation matrix through the real HTTP API: every role × every action,
//! officers on their own and on another department's case. For each action a fresh
//! case is brought to a state where the action is possible; everyone who may not take
//! it is refused first (403, or 404 for an officer of another department — the case
//! does not exist for them) and nothing changes; then each role that may, does.

use super::{dispatch, part};
use crate::helpers::{Desk, Signed, TestApp, spawn_app};
use ow_shared::CaseType;
use ow_shared::console::CaseDetail;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Clerk,
    Leader,
    Admin,
    /// The officer of the department the case is dispatched to.
    OwnOfficer,
    /// An officer of another department.
    OtherOfficer,
}

const EVERYONE: [Who; 5] = [Who::Clerk, Who::Leader, Who::Admin, Who::OwnOfficer, Who::OtherOfficer];

/// How far a fresh case is taken before the action is tried.
#[derive(Clone, Copy, Debug)]
enum Stage {
    Registered,
    Accepted,
    /// Dispatched to 综治办, not yet taken.
    Dispatched,
    /// Dispatched to 综治办 and taken.
    Taken,
    /// Replied and rated 不满意 (a callback task is open).
    Dissatisfied,
    UnderReview,
}

struct Row {
    action: &'static str,
    stage: Stage,
    case_type: CaseType,
    allowed: &'static [Who],
}

const MATRIX: &[Row] = &[
    Row {
        action: "accept",
        stage: Stage::Registered,
        case_type: CaseType::Complaint,
        allowed: &[Who::Clerk, Who::Leader],
    },
    Row {
        action: "decline",
        stage: Stage::Registered,
        case_type: CaseType::Complaint,
        allowed: &[Who::Clerk, Who::Leader],
    },
    Row {
        action: "dispatch",
        stage: Stage::Accepted,
        case_type: CaseType::Complaint,
        allowed: &[Who::Clerk, Who::Leader],
    },
    Row { action: "take", stage: Stage::Dispatched, case_type: CaseType::Complaint, allowed: &[Who::OwnOfficer] },
    Row { action: "object", stage: Stage::Dispatched, case_type: CaseType::Complaint, allowed: &[Who::OwnOfficer] },
    Row { action: "progress", stage: Stage::Taken, case_type: CaseType::Complaint, allowed: &[Who::OwnOfficer] },
    Row { action: "respond", stage: Stage::Taken, case_type: CaseType::Complaint, allowed: &[Who::OwnOfficer] },
    Row {
        action: "record_mediation",
        stage: Stage::Taken,
        case_type: CaseType::Dispute,
        allowed: &[Who::Clerk, Who::Leader, Who::OwnOfficer],
    },
    Row { action: "extend", stage: Stage::Accepted, case_type: CaseType::Complaint, allowed: &[Who::Leader] },
    Row { action: "take_as_leader", stage: Stage::Accepted, case_type: CaseType::Complaint, allowed: &[Who::Leader] },
    Row {
        action: "reply",
        stage: Stage::Accepted,
        case_type: CaseType::Complaint,
        allowed: &[Who::Clerk, Who::Leader],
    },
    Row {
        action: "complete_callback",
        stage: Stage::Dissatisfied,
        case_type: CaseType::Complaint,
        allowed: &[Who::Clerk, Who::Leader],
    },
    Row {
        action: "decide_review",
        stage: Stage::UnderReview,
        case_type: CaseType::Complaint,
        allowed: &[Who::Clerk, Who::Leader],
    },
];

struct World {
    app: TestApp,
    desk: Desk,
    zongzhi: i64,
}

impl World {
    fn who(&self, who: Who) -> &Signed {
        match who {
            Who::Clerk => &self.desk.clerk,
            Who::Leader => &self.desk.leader,
            Who::Admin => &self.desk.admin,
            Who::OwnOfficer => &self.desk.zongzhi,
            Who::OtherOfficer => &self.desk.sifasuo,
        }
    }

    /// A fresh case at `stage`; (id, the case as the clerk sees it).
    async fn case_at(&self, stage: Stage, case_type: CaseType) -> (i64, CaseDetail) {
        let (app, clerk) = (&self.app, &self.desk.clerk);
        let receipt = app.walk_in(clerk, case_type, "矩阵测试用诉求").await;
        let id = app.case_id(clerk, &receipt.tracking_no).await;
        let mut case: CaseDetail = serde_json::from_value(app.case_detail(clerk, id).await.1).unwrap();
        if matches!(stage, Stage::Registered) {
            return (id, case);
        }
        case = app.act_ok(clerk, id, json!({ "action": "accept", "note": "" })).await;
        match stage {
            Stage::Accepted | Stage::Registered => {}
            Stage::Dispatched | Stage::Taken => {
                case = app.act_ok(clerk, id, dispatch(self.zongzhi)).await;
                if matches!(stage, Stage::Taken) {
                    let part = part(&case, self.zongzhi);
                    app.act_ok(&self.desk.zongzhi, id, json!({ "action": "take", "dispatch_id": part })).await;
                    case = serde_json::from_value(app.case_detail(clerk, id).await.1).unwrap();
                }
            }
            Stage::Dissatisfied | Stage::UnderReview => {
                // The case is dispatched first so that its 综治办 officer can see it.
                case = app.act_ok(clerk, id, dispatch(self.zongzhi)).await;
                let part = part(&case, self.zongzhi);
                app.act_ok(&self.desk.zongzhi, id, json!({ "action": "take", "dispatch_id": part })).await;
                app.act_ok(
                    &self.desk.zongzhi,
                    id,
                    json!({ "action": "respond", "dispatch_id": part, "response": "已办理完毕" }),
                )
                .await;
                app.act_ok(clerk, id, json!({ "action": "reply", "reply": "经核实已经处理完毕，特此答复。" })).await;
                let action = match stage {
                    Stage::Dissatisfied => json!({ "rating": "dissatisfied" }),
                    _ => json!({ "review_reason": "对答复有异议" }),
                };
                assert_eq!(app.resident_act(&receipt, action).await.0, StatusCode::OK);
                case = serde_json::from_value(app.case_detail(clerk, id).await.1).unwrap();
            }
        }
        (id, case)
    }
}

/// The body of an action on this case (the officer's part where it needs one).
fn body(action: &str, case: &CaseDetail, zongzhi: i64) -> Value {
    let part = case.dispatches.iter().rev().find(|d| d.department_id == zongzhi).map(|d| d.id).unwrap_or(0);
    match action {
        "accept" => json!({ "action": "accept", "note": "" }),
        "decline" => json!({ "action": "decline", "route": "litigation", "reason": "属于民事诉讼范围" }),
        "dispatch" => super::dispatch(zongzhi),
        "take" => json!({ "action": "take", "dispatch_id": part }),
        "object" => json!({ "action": "object", "dispatch_id": part, "reason": "不属于本部门职责" }),
        "progress" => json!({ "action": "progress", "dispatch_id": part, "note": "已联系当事人" }),
        "respond" => json!({ "action": "respond", "dispatch_id": part, "response": "已办理完毕" }),
        "record_mediation" => json!({ "action": "record_mediation",
            "outcome": { "outcome": "not_settled", "referred_to_court": true, "note": "" } }),
        "extend" => json!({ "action": "extend", "days": 10, "reason": "需补充调查" }),
        "take_as_leader" => json!({ "action": "take_as_leader" }),
        "reply" => json!({ "action": "reply", "reply": "经核实已经处理完毕，特此答复。" }),
        "complete_callback" => json!({ "action": "complete_callback", "note": "已电话回访" }),
        "decide_review" => json!({ "action": "decide_review", "decision": "经复查，维持原答复意见。" }),
        other => panic!("no body for {other}"),
    }
}

/// What a refused role gets: officers who cannot see the case get 404, everyone else 403.
fn refusal(who: Who, stage: Stage) -> StatusCode {
    let dispatched_to_own = !matches!(stage, Stage::Registered | Stage::Accepted);
    match who {
        Who::OtherOfficer => StatusCode::NOT_FOUND,
        Who::OwnOfficer if !dispatched_to_own => StatusCode::NOT_FOUND,
        _ => StatusCode::FORBIDDEN,
    }
}

#[tokio::test]
async fn every_role_times_every_action_times_own_and_other_department() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let zongzhi = app.department_id(&desk.clerk, "zongzhi").await;
    let world = World { app, desk, zongzhi };
    let mut checked = 0;
    for row in MATRIX {
        for allowed in row.allowed {
            let (id, case) = world.case_at(row.stage, row.case_type).await;
            let events = || world.app.count(&format!("SELECT count(*) FROM case_events WHERE case_id = {id}"));
            let before = events();
            for who in EVERYONE.into_iter().filter(|w| !row.allowed.contains(w)) {
                let (status, answer) = world.app.act(world.who(who), id, body(row.action, &case, zongzhi)).await;
                assert_eq!(status, refusal(who, row.stage), "{who:?} {} → {answer}", row.action);
                checked += 1;
            }
            assert_eq!(events(), before, "refusals of {} wrote nothing", row.action);
            let (status, answer) = world.app.act(world.who(*allowed), id, body(row.action, &case, zongzhi)).await;
            assert_eq!(status, StatusCode::OK, "{allowed:?} {} → {answer}", row.action);
            assert_eq!(events(), before + 1, "{} is one event", row.action);
            checked += 1;
        }
    }
    let allowed_pairs: usize = MATRIX.iter().map(|r| r.allowed.len()).sum();
    assert_eq!(allowed_pairs, 21);
    assert_eq!(checked, allowed_pairs + MATRIX.iter().map(|r| r.allowed.len() * (5 - r.allowed.len())).sum::<usize>());
}

#[tokio::test]
async fn reading_follows_the_same_rules() {
    let app = spawn_app().await;
    let desk = app.desk().await;
    let zongzhi = app.department_id(&desk.clerk, "zongzhi").await;
    let world = World { app, desk, zongzhi };
    let (id, _) = world.case_at(Stage::Dispatched, CaseType::Complaint).await;
    let (registered, _) = world.case_at(Stage::Registered, CaseType::Complaint).await;
    for (who, case, status) in [
        (Who::Clerk, id, StatusCode::OK),
        (Who::Leader, id, StatusCode::OK),
        (Who::Admin, id, StatusCode::FORBIDDEN),
        (Who::OwnOfficer, id, StatusCode::OK),
        (Who::OtherOfficer, id, StatusCode::NOT_FOUND),
        (Who::OwnOfficer, registered, StatusCode::NOT_FOUND),
    ] {
        assert_eq!(world.app.case_detail(world.who(who), case).await.0, status, "{who:?} reads case {case}");
    }
    // Administrators run accounts and the calendar, not cases: not even the queue.
    let (status, _) = world.app.console_get(world.who(Who::Admin), "/api/v1/console/cases").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Without a session: 401; a state change without the CSRF token: 403.
    let response = world.app.get(&format!("/api/v1/console/cases/{id}")).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let (status, body) = world
        .app
        .console_without_csrf(
            &world.desk.clerk,
            Method::POST,
            &format!("/api/v1/console/cases/{registered}/actions"),
            Some(json!({ "action": "accept", "note": "" })),
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("CSRF_FAILED")));
    // Walk-in registration is the window's: officers and administrators may not.
    let case = world.app.valid_request().await;
    for who in [Who::Admin, Who::OwnOfficer] {
        let body = json!({ "case": case, "channel": "visit" });
        let (status, _) = world.app.post_walk_in(world.who(who), body).await;
        assert!(matches!(status, StatusCode::FORBIDDEN), "{who:?}: {status}");
    }
}
