//! The authorisation matrix over levels (issue 12): every level × role × action on a case
//! of 城关街道's 幸福社区 (grid AL010101) held by 城关街道综治中心. For each action, everyone
//! who may not take it is refused first — 404 exactly like a case that does not exist
//! when it is not theirs to see, 403 FORBIDDEN for a role that may never, 403 NOT_HOLDER
//! for a unit that sees it but does not hold it nor stands above its holder — and
//! nothing is written; then each who may, does, on a fresh case. Reading and the queue
//! follow the same areas. (The role × action matrix at the county is `workflow::authz`.)

use super::{assign_down, case_at, report_up, resolve_on_spot, send_to_grid, unit_id};
use crate::helpers::{Signed, TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Who acts, by level and role.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    CountyClerk,
    CountyLeader,
    /// 城关街道综治中心: holds the case.
    TownshipClerk,
    TownshipLeader,
    /// 桃源镇综治中心: another township.
    OtherTownshipClerk,
    /// 幸福社区服务站: the case's village, below the holder.
    StationClerk,
    /// 桃源村服务站: another township's village.
    OtherStationClerk,
    /// 幸福社区第1网格's worker: the case's grid.
    GridWorker,
    /// A department the case was never dispatched to.
    Officer,
    Admin,
}

const EVERYONE: [Who; 10] = [
    Who::CountyClerk,
    Who::CountyLeader,
    Who::TownshipClerk,
    Who::TownshipLeader,
    Who::OtherTownshipClerk,
    Who::StationClerk,
    Who::OtherStationClerk,
    Who::GridWorker,
    Who::Officer,
    Who::Admin,
];

const USERNAMES: [(Who, &str); 10] = [
    (Who::CountyClerk, "clerk"),
    (Who::CountyLeader, "leader"),
    (Who::TownshipClerk, "clerk_chengguan"),
    (Who::TownshipLeader, "leader_chengguan"),
    (Who::OtherTownshipClerk, "clerk_taoyuan"),
    (Who::StationClerk, "station_xingfu"),
    (Who::OtherStationClerk, "station_taoyuan"),
    (Who::GridWorker, "grid_xingfu"),
    (Who::Officer, "officer_zongzhi"),
    (Who::Admin, "admin"),
];

/// Whether the case is theirs to see at all.
fn sees(who: Who) -> bool {
    !matches!(who, Who::OtherTownshipClerk | Who::OtherStationClerk | Who::Officer)
}

/// The centre's own acts: the holder and the units above it.
const HOLDER_AND_ABOVE: &[Who] = &[Who::CountyClerk, Who::CountyLeader, Who::TownshipClerk, Who::TownshipLeader];
const LEADERS: &[Who] = &[Who::CountyLeader, Who::TownshipLeader];

struct Row {
    action: &'static str,
    accepted_first: bool,
    allowed: &'static [Who],
}

const MATRIX: &[Row] = &[
    Row { action: "accept", accepted_first: false, allowed: HOLDER_AND_ABOVE },
    Row { action: "decline", accepted_first: false, allowed: HOLDER_AND_ABOVE },
    Row { action: "dispatch", accepted_first: true, allowed: HOLDER_AND_ABOVE },
    Row { action: "record_mediation", accepted_first: true, allowed: HOLDER_AND_ABOVE },
    Row { action: "reply", accepted_first: true, allowed: HOLDER_AND_ABOVE },
    Row { action: "extend", accepted_first: true, allowed: LEADERS },
    Row { action: "take_as_leader", accepted_first: false, allowed: LEADERS },
    Row { action: "assign_down", accepted_first: false, allowed: HOLDER_AND_ABOVE },
    Row { action: "report_up", accepted_first: false, allowed: HOLDER_AND_ABOVE },
    Row { action: "send_to_grid", accepted_first: false, allowed: HOLDER_AND_ABOVE },
    Row { action: "resolve_on_spot", accepted_first: false, allowed: HOLDER_AND_ABOVE },
];

/// Roles that may take the action somewhere (else FORBIDDEN before any unit check).
fn role_may(action: &str, who: Who) -> bool {
    match who {
        Who::GridWorker => action == "resolve_on_spot",
        Who::Admin | Who::Officer => action == "record_mediation" && who == Who::Officer,
        Who::CountyLeader | Who::TownshipLeader => true,
        _ => !matches!(action, "extend" | "take_as_leader"),
    }
}

/// What a refused caller gets: (status, code).
fn refusal(action: &str, who: Who) -> (StatusCode, &'static str) {
    if !sees(who) {
        (StatusCode::NOT_FOUND, "NOT_FOUND")
    } else if !role_may(action, who) {
        (StatusCode::FORBIDDEN, "FORBIDDEN")
    } else {
        (StatusCode::FORBIDDEN, "NOT_HOLDER")
    }
}

struct World {
    app: TestApp,
    signed: Vec<(Who, Signed)>,
    ids: Ids,
}

struct Ids {
    station: i64,
    county: i64,
    worker: i64,
    zongzhi: i64,
}

impl World {
    fn who(&self, who: Who) -> &Signed {
        &self.signed.iter().find(|(w, _)| *w == who).unwrap().1
    }

    /// A fresh case (a dispute) ready for the action: accepted first when it needs it,
    /// and with its mediation outcome before a reply.
    async fn fresh_case(&self, row: &Row) -> i64 {
        let township = self.who(Who::TownshipClerk);
        let (id, _) = case_at(&self.app, township, ("城关街道", "幸福社区"), Some("AL010101")).await;
        if row.accepted_first {
            self.app.act_ok(township, id, json!({ "action": "accept", "note": "" })).await;
        }
        if row.action == "reply" {
            self.app.act_ok(township, id, self.body("record_mediation")).await;
        }
        id
    }

    fn body(&self, action: &str) -> Value {
        match action {
            "accept" => json!({ "action": "accept", "note": "" }),
            "decline" => json!({ "action": "decline", "route": "litigation", "reason": "属于民事诉讼范围" }),
            "dispatch" => crate::workflow::dispatch(self.ids.zongzhi),
            "record_mediation" => json!({ "action": "record_mediation",
                "outcome": { "outcome": "not_settled", "referred_to_court": true, "note": "" } }),
            "reply" => json!({ "action": "reply", "reply": "经核实已经处理完毕，特此答复。" }),
            "extend" => json!({ "action": "extend", "days": 10, "reason": "需补充调查" }),
            "take_as_leader" => json!({ "action": "take_as_leader" }),
            "assign_down" => assign_down(self.ids.station),
            "report_up" => report_up(self.ids.county),
            "send_to_grid" => send_to_grid(self.ids.worker),
            "resolve_on_spot" => resolve_on_spot(),
            other => panic!("no body for {other}"),
        }
    }
}

async fn world() -> World {
    let app = spawn_app().await;
    let mut signed = Vec::new();
    for (who, username) in USERNAMES {
        signed.push((who, app.sign_in(username).await));
    }
    let county = &signed[0].1;
    let ids = Ids {
        station: unit_id(&app, county, "幸福社区服务站").await,
        county: unit_id(&app, county, "县综治中心").await,
        worker: signed.iter().find(|(w, _)| *w == Who::GridWorker).unwrap().1.info.staff_id,
        zongzhi: app.department_id(county, "zongzhi").await,
    };
    World { app, signed, ids }
}

#[tokio::test]
async fn every_level_times_role_times_action() {
    let world = world().await;
    let mut checked = 0;
    for row in MATRIX {
        for allowed in row.allowed {
            let id = world.fresh_case(row).await;
            let events = || world.app.count(&format!("SELECT count(*) FROM case_events WHERE case_id = {id}"));
            let before = events();
            for who in EVERYONE.into_iter().filter(|w| !row.allowed.contains(w)) {
                let (status, answer) = world.app.act(world.who(who), id, world.body(row.action)).await;
                let (want, code) = refusal(row.action, who);
                assert_eq!((status, answer["code"].as_str()), (want, Some(code)), "{who:?} {} → {answer}", row.action);
                checked += 1;
            }
            assert_eq!(events(), before, "refusals of {} wrote nothing", row.action);
            let (status, answer) = world.app.act(world.who(*allowed), id, world.body(row.action)).await;
            assert_eq!(status, StatusCode::OK, "{allowed:?} {} → {answer}", row.action);
            assert_eq!(events(), before + 1, "{} is one event", row.action);
            checked += 1;
        }
    }
    let allowed: usize = MATRIX.iter().map(|r| r.allowed.len()).sum();
    assert_eq!(
        checked,
        allowed * EVERYONE.len() - MATRIX.iter().map(|r| r.allowed.len().pow(2)).sum::<usize>() + allowed
    );
}

#[tokio::test]
async fn each_level_reads_its_own_area_and_not_yours_answers_like_does_not_exist() {
    let world = world().await;
    let app = &world.app;
    let township = world.who(Who::TownshipClerk);
    let other = world.who(Who::OtherTownshipClerk);
    let (xingfu, _) = case_at(app, township, ("城关街道", "幸福社区"), Some("AL010101")).await;
    let (dongmen, _) = case_at(app, township, ("城关街道", "东门社区"), None).await;
    let (taoyuan, _) = case_at(app, other, ("桃源镇", "桃源村"), None).await;
    let sees_which = |who: Who| -> [bool; 3] {
        match who {
            Who::CountyClerk | Who::CountyLeader => [true, true, true],
            Who::TownshipClerk | Who::TownshipLeader => [true, true, false],
            Who::OtherTownshipClerk | Who::OtherStationClerk => [false, false, true],
            Who::StationClerk | Who::GridWorker => [true, false, false],
            Who::Officer => [false, false, false],
            Who::Admin => [false, false, false],
        }
    };
    let (_, missing) = app.case_detail(world.who(Who::CountyClerk), 999_999).await;
    for who in EVERYONE {
        let signed = world.who(who);
        for (case, seen) in [xingfu, dongmen, taoyuan].into_iter().zip(sees_which(who)) {
            let (status, body) = app.case_detail(signed, case).await;
            match (who, seen) {
                (Who::Admin, _) => assert_eq!(status, StatusCode::FORBIDDEN),
                (_, true) => assert_eq!(status, StatusCode::OK, "{who:?} reads {case}: {body}"),
                (_, false) => {
                    assert_eq!(
                        (status, &body),
                        (StatusCode::NOT_FOUND, &missing),
                        "{who:?} reads {case}: as if absent"
                    );
                    let (status, body) =
                        app.console_get(signed, &format!("/api/v1/console/cases/{case}/hand-over-targets")).await;
                    if role_may("accept", who) {
                        assert_eq!((status, body), (StatusCode::NOT_FOUND, missing.clone()), "{who:?}");
                    }
                }
            }
        }
        if who == Who::Admin {
            continue;
        }
        let (status, page) = app.console_get(signed, "/api/v1/console/cases").await;
        assert_eq!(status, StatusCode::OK, "{who:?}");
        let listed: Vec<i64> = page["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
        for (case, seen) in [xingfu, dongmen, taoyuan].into_iter().zip(sees_which(who)) {
            assert_eq!(listed.contains(&case), seen, "{who:?}'s queue and case {case}");
        }
    }
    // The queue filters by grid.
    let grid = app.grid_id("AL010101").await;
    let (_, page) = app.console_get(township, &format!("/api/v1/console/cases?grid_id={grid}")).await;
    let listed: Vec<i64> = page["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(listed, [xingfu]);
    assert_eq!(page["items"][0]["grid"]["name"], "幸福社区第1网格");
    assert_eq!(page["items"][0]["unit"], "城关街道综治中心");
}
