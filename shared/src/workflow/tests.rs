//! The state machine's tests across concerns: every state against every action, with
//! the roles, the departments, the clocks and the resident's acts.

use super::*;
use crate::calendar::{Calendar, parse};
use crate::case::{CaseState, CaseType, EventKind};
use crate::error::ErrorCode;
use crate::staff::Role;
use time::Date;

const TODAY: &str = "2026-11-23";
const ZONGZHI: i64 = 1;
const SIFASUO: i64 = 4;

fn today() -> Date {
    parse(TODAY).unwrap()
}

fn cal() -> Calendar {
    Calendar::official_2026()
}

fn clerk() -> Actor {
    Actor { role: Role::Clerk, department_id: None }
}
fn leader() -> Actor {
    Actor { role: Role::Leader, department_id: None }
}
fn admin() -> Actor {
    Actor { role: Role::Admin, department_id: None }
}
fn officer(department: i64) -> Actor {
    Actor { role: Role::Officer, department_id: Some(department) }
}

fn case(state: CaseState) -> CaseFacts {
    CaseFacts { handling_due: parse("2027-01-22"), ..CaseFacts::new(state, CaseType::Complaint) }
}

fn dispatched(states: &[(i64, i64, DispatchState)]) -> CaseFacts {
    let dispatches = states
        .iter()
        .map(|(id, department_id, state)| DispatchFacts {
            id: *id,
            department_id: *department_id,
            state: *state,
            objection_due: parse("2026-11-30").unwrap(),
            objection_pending: false,
        })
        .collect::<Vec<_>>();
    CaseFacts { dispatches: dispatches.clone(), ..case(CaseFacts::state_from_dispatches(&dispatches)) }
}

fn dispatch_to(ids: &[i64]) -> Action {
    Action::Dispatch { department_ids: ids.to_vec(), due_on: "2026-12-20".into(), note: String::new() }
}

fn sample(kind: ActionKind) -> Action {
    match kind {
        ActionKind::Accept => Action::Accept { note: String::new() },
        ActionKind::Decline => {
            Action::Decline { route: Some(DeclineRoute::Litigation), reason: "属于民事纠纷".into() }
        }
        ActionKind::Dispatch => dispatch_to(&[SIFASUO]),
        ActionKind::Take => Action::Take { dispatch_id: 1 },
        ActionKind::Object => Action::Object { dispatch_id: 1, reason: "不属本部门职责".into() },
        ActionKind::Progress => Action::Progress { dispatch_id: 1, note: "已联系当事人".into() },
        ActionKind::Respond => Action::Respond { dispatch_id: 1, response: "已修复路灯".into() },
        ActionKind::RecordMediation => Action::RecordMediation {
            outcome: MediationOutcome::Settled {
                agreement: "双方达成协议".into(), judicial_confirmation_on: None
            },
        },
        ActionKind::Extend => Action::Extend { days: 30, reason: "需现场勘验".into() },
        ActionKind::TakeAsLeader => Action::TakeAsLeader,
        ActionKind::Reply => Action::Reply { reply: "经核实，路灯已于11月20日修复。".into() },
        ActionKind::CompleteCallback => Action::CompleteCallback { note: "已电话回访".into() },
        ActionKind::DecideReview => Action::DecideReview { decision: "维持原答复意见，理由如下。".into() },
        ActionKind::AssignDown => {
            Action::AssignDown { unit_id: 2, reason: "属村级事项".into(), due_on: "2026-12-20".into() }
        }
        ActionKind::SendToGrid => {
            Action::SendToGrid { staff_id: 9, reason: "请现场核实".into(), due_on: "2026-12-20".into() }
        }
        ActionKind::ReportUp => {
            Action::ReportUp { unit_id: 1, reason: "跨乡镇事项".into(), due_on: "2026-12-20".into() }
        }
        ActionKind::GridDone => Action::GridDone { note: "已现场处理完毕".into() },
        ActionKind::ResolveOnSpot => {
            Action::ResolveOnSpot { parties: "张三、李四".into(), agreement: "双方同意各让一步".into() }
        }
        ActionKind::DecideObjection => Action::DecideObjection { dispatch_id: 1, agree: true, note: String::new() },
    }
}

#[test]
fn hand_overs_move_cases_not_yet_with_departments_and_stop_nothing() {
    use CaseState::*;
    for kind in [ActionKind::AssignDown, ActionKind::SendToGrid, ActionKind::ReportUp] {
        for state in CaseState::ALL {
            let got = decide(&case(state), clerk(), &sample(kind), today());
            if matches!(state, Registered | Accepted) {
                assert_eq!(got.map(|t| t.to), Ok(state), "{kind:?} in {state:?} keeps the state");
            } else {
                assert_eq!(got, Err(ErrorCode::TransitionNotAllowed), "{kind:?} in {state:?}");
            }
        }
        assert_eq!(decide(&case(Accepted), officer(ZONGZHI), &sample(kind), today()), Err(ErrorCode::NotFound));
    }
    let late = Action::ReportUp { unit_id: 1, reason: "跨乡镇事项".into(), due_on: "2027-01-23".into() };
    assert_eq!(decide(&case(Accepted), clerk(), &late, today()), Err(ErrorCode::DueDateInvalid), "within the limit");
    let busy = CaseFacts { grid_task_open: true, ..case(Accepted) };
    assert_eq!(decide(&busy, clerk(), &sample(ActionKind::SendToGrid), today()), Err(ErrorCode::TransitionNotAllowed));
    assert!(
        decide(&busy, Actor { role: Role::GridWorker, department_id: None }, &sample(ActionKind::GridDone), today())
            .is_ok()
    );
    assert_eq!(
        decide(
            &case(Accepted),
            Actor { role: Role::GridWorker, department_id: None },
            &sample(ActionKind::GridDone),
            today()
        ),
        Err(ErrorCode::TransitionNotAllowed),
        "no task, nothing to finish"
    );
}

#[test]
fn a_dispute_settled_on_the_spot_is_answered_or_closed() {
    let online = case(CaseState::Registered);
    let t = decide(&online, clerk(), &sample(ActionKind::ResolveOnSpot), today()).unwrap();
    assert_eq!((t.event, t.to), (EventKind::ResolvedOnSpot, CaseState::Replied), "the resident may still rate it");
    let reported = CaseFacts { channel: Channel::Grid, ..case(CaseState::Accepted) };
    assert_eq!(decide(&reported, leader(), &sample(ActionKind::ResolveOnSpot), today()).unwrap().to, CaseState::Closed);
    assert_eq!(
        decide(&case(CaseState::Dispatched), clerk(), &sample(ActionKind::ResolveOnSpot), today()),
        Err(ErrorCode::TransitionNotAllowed)
    );
}

/// Every (state, action) pair a clerk or leader may perform, and where it leads;
/// every pair not listed must be refused.
#[test]
fn centre_actions_allowed_and_refused_in_every_state() {
    use CaseState::*;
    let allowed: &[(CaseState, ActionKind, CaseState)] = &[
        (Registered, ActionKind::Accept, Accepted),
        (Registered, ActionKind::Decline, Declined),
        (Accepted, ActionKind::Dispatch, Dispatched),
        (Dispatched, ActionKind::Dispatch, Dispatched),
        (Responded, ActionKind::Dispatch, Dispatched),
        (Accepted, ActionKind::Reply, Replied),
        (Responded, ActionKind::Reply, Replied),
        (UnderReview, ActionKind::DecideReview, Closed),
    ];
    let centre = [ActionKind::Accept, ActionKind::Decline, ActionKind::Dispatch, ActionKind::Reply];
    for state in CaseState::ALL {
        for kind in centre.into_iter().chain([ActionKind::DecideReview]) {
            let got = decide(&case(state), clerk(), &sample(kind), today()).map(|t| t.to);
            let want = allowed.iter().find(|(s, k, _)| *s == state && *k == kind).map(|(_, _, to)| *to);
            match want {
                Some(to) => assert_eq!(got, Ok(to), "{state:?} + {kind:?}"),
                None => assert_eq!(got, Err(ErrorCode::TransitionNotAllowed), "{state:?} + {kind:?}"),
            }
        }
    }
}

#[test]
fn leader_only_actions_stay_in_state() {
    use CaseState::*;
    for state in CaseState::ALL {
        let took = decide(&case(state), leader(), &Action::TakeAsLeader, today());
        if matches!(state, Declined | Closed) {
            assert_eq!(took, Err(ErrorCode::TransitionNotAllowed), "{state:?}");
        } else {
            assert_eq!(took.map(|t| (t.event, t.to)), Ok((EventKind::LeaderAssigned, state)));
        }
        let extend = decide(&case(state), leader(), &sample(ActionKind::Extend), today());
        if matches!(state, Accepted | Dispatched | Responded) {
            assert_eq!(extend.map(|t| t.to), Ok(state));
        } else {
            assert_eq!(extend, Err(ErrorCode::TransitionNotAllowed), "{state:?}");
        }
    }
    let extended = CaseFacts { extended: true, ..case(Accepted) };
    assert_eq!(decide(&extended, leader(), &sample(ActionKind::Extend), today()), Err(ErrorCode::ExtensionAlreadyUsed));
}

#[test]
fn an_extension_must_come_before_the_time_limit_runs_out() {
    let on = |due: &str| CaseFacts { handling_due: parse(due), ..case(CaseState::Dispatched) };
    // On the last day it is still in time; the day after, the case is overdue for good.
    assert!(decide(&on(TODAY), leader(), &sample(ActionKind::Extend), today()).is_ok());
    assert_eq!(
        decide(&on("2026-11-22"), leader(), &sample(ActionKind::Extend), today()),
        Err(ErrorCode::ExtensionTooLate)
    );
    assert!(!available_actions(&on("2026-11-22"), leader(), today()).contains(&ActionKind::Extend), "not offered");
    assert!(available_actions(&on(TODAY), leader(), today()).contains(&ActionKind::Extend));
}

#[test]
fn roles_are_checked_before_state() {
    for kind in ActionKind::ALL {
        let action = sample(kind);
        for actor in [clerk(), leader(), admin()] {
            let result = decide(&dispatched(&[(1, ZONGZHI, DispatchState::Pending)]), actor, &action, today());
            if !kind.roles().contains(&actor.role) {
                assert_eq!(result, Err(ErrorCode::Forbidden), "{actor:?} {kind:?}");
            }
        }
    }
    // The administrator handles no case at all.
    assert!(ActionKind::ALL.iter().all(|k| !k.roles().contains(&Role::Admin)));
}

#[test]
fn an_officer_of_another_department_cannot_see_the_case() {
    let facts = dispatched(&[(1, ZONGZHI, DispatchState::Pending)]);
    for kind in ActionKind::ALL {
        assert_eq!(decide(&facts, officer(SIFASUO), &sample(kind), today()), Err(ErrorCode::NotFound));
    }
    // Nor a case never dispatched to anyone.
    assert_eq!(
        decide(&case(CaseState::Registered), officer(ZONGZHI), &sample(ActionKind::Take), today()),
        Err(ErrorCode::NotFound)
    );
}

#[test]
fn department_transitions() {
    use DispatchState::*;
    let pending = dispatched(&[(1, ZONGZHI, Pending)]);
    let taken = dispatched(&[(1, ZONGZHI, Taken)]);
    let go = |facts: &CaseFacts, kind| decide(facts, officer(ZONGZHI), &sample(kind), today());

    let t = go(&pending, ActionKind::Take).unwrap();
    assert_eq!((t.event, t.to, t.dispatch_change), (EventKind::DispatchTaken, CaseState::Dispatched, Some((1, Taken))));
    assert_eq!(go(&pending, ActionKind::Respond), Err(ErrorCode::TransitionNotAllowed), "take it first");
    assert_eq!(go(&pending, ActionKind::Progress), Err(ErrorCode::TransitionNotAllowed));
    assert_eq!(go(&taken, ActionKind::Take), Err(ErrorCode::TransitionNotAllowed));
    assert_eq!(go(&taken, ActionKind::Progress).unwrap().to, CaseState::Dispatched);

    let t = go(&taken, ActionKind::Respond).unwrap();
    assert_eq!((t.to, t.dispatch_change), (CaseState::Responded, Some((1, Responded))));
    let responded = dispatched(&[(1, ZONGZHI, Responded)]);
    for kind in [ActionKind::Take, ActionKind::Object, ActionKind::Respond, ActionKind::Progress] {
        assert_eq!(go(&responded, kind), Err(ErrorCode::TransitionNotAllowed), "{kind:?}");
    }
}

#[test]
fn an_objection_returns_the_case_for_re_dispatch_only_when_the_centre_agrees_and_no_department_is_left() {
    use DispatchState::*;
    let alone = dispatched(&[(1, ZONGZHI, Pending)]);
    let t = decide(&alone, officer(ZONGZHI), &sample(ActionKind::Object), today()).unwrap();
    assert_eq!((t.event, t.to, t.dispatch_change), (EventKind::DispatchObjected, CaseState::Dispatched, None));
    // Until the centre decides, the department still holds its part; it cannot object twice.
    let pending = |mut facts: CaseFacts| {
        facts.dispatches[0].objection_pending = true;
        facts
    };
    let waiting = pending(alone.clone());
    assert_eq!(
        decide(&waiting, officer(ZONGZHI), &sample(ActionKind::Object), today()),
        Err(ErrorCode::TransitionNotAllowed)
    );
    let agree = Action::DecideObjection { dispatch_id: 1, agree: true, note: String::new() };
    let refuse = Action::DecideObjection { dispatch_id: 1, agree: false, note: "经核实属本部门职责".into() };
    assert_eq!(decide(&waiting, officer(ZONGZHI), &agree, today()), Err(ErrorCode::Forbidden), "the centre decides");
    let t = decide(&waiting, clerk(), &refuse, today()).unwrap();
    assert_eq!((t.event, t.to, t.dispatch_change), (EventKind::ObjectionRefused, CaseState::Dispatched, None));
    let t = decide(&waiting, clerk(), &agree, today()).unwrap();
    assert_eq!(
        (t.event, t.to, t.dispatch_change),
        (EventKind::ObjectionAgreed, CaseState::Accepted, Some((1, Objected)))
    );
    assert_eq!(decide(&alone, clerk(), &agree, today()), Err(ErrorCode::TransitionNotAllowed), "nothing to decide");

    let with_other = pending(dispatched(&[(1, ZONGZHI, Pending), (2, SIFASUO, Responded)]));
    let t = decide(&with_other, clerk(), &agree, today()).unwrap();
    assert_eq!(t.to, CaseState::Responded, "the other department has answered");

    // The centre then re-dispatches the objected part; the objecting department
    // may be chosen again, an active one may not.
    let objected = dispatched(&[(1, ZONGZHI, Objected)]);
    assert_eq!(objected.state, CaseState::Accepted);
    assert!(decide(&objected, clerk(), &dispatch_to(&[SIFASUO]), today()).is_ok());
    assert!(decide(&objected, clerk(), &dispatch_to(&[ZONGZHI]), today()).is_ok());
    assert_eq!(decide(&with_other, clerk(), &dispatch_to(&[SIFASUO]), today()), Err(ErrorCode::DepartmentUnknown));
}

#[test]
fn after_the_review_a_re_review_once_within_thirty_days_then_nothing() {
    let decided_on = parse("2026-11-02").unwrap();
    let reviewed = CaseFacts {
        review_requested: true,
        review_decided_on: Some(decided_on),
        replied_on: parse("2026-10-01"),
        ..case(CaseState::Closed)
    };
    let ask = ResidentAction::RequestReview { reason: "对复查意见不服".into() };
    let t = decide_resident(&reviewed, &ask, parse("2026-12-02").unwrap(), &cal()).unwrap();
    assert_eq!((t.event, t.to), (EventKind::ReReviewRequested, CaseState::UnderReview));
    assert_eq!(
        decide_resident(&reviewed, &ask, parse("2026-12-03").unwrap(), &cal()),
        Err(ErrorCode::ReviewWindowClosed)
    );
    let under = CaseFacts { rereview_requested: true, ..case(CaseState::UnderReview) };
    let t = decide(&under, clerk(), &sample(ActionKind::DecideReview), today()).unwrap();
    assert_eq!((t.event, t.to), (EventKind::ReReviewDecided, CaseState::Closed));
    let done = CaseFacts { rereview_requested: true, ..reviewed };
    assert_eq!(decide_resident(&done, &ask, decided_on, &cal()), Err(ErrorCode::TransitionNotAllowed), "not again");
}

#[test]
fn objections_close_after_five_working_days() {
    let facts = dispatched(&[(1, ZONGZHI, DispatchState::Pending)]);
    let on_the_day = parse("2026-11-30").unwrap();
    let after = parse("2026-12-01").unwrap();
    assert!(decide(&facts, officer(ZONGZHI), &sample(ActionKind::Object), on_the_day).is_ok());
    assert_eq!(
        decide(&facts, officer(ZONGZHI), &sample(ActionKind::Object), after),
        Err(ErrorCode::ObjectionWindowClosed)
    );
    // Dispatched on Thursday 12 Feb 2026: the window runs across the Spring Festival.
    assert_eq!(crate::calendar::format(objection_due(&cal(), parse("2026-02-12").unwrap())), "2026-02-26");
}

#[test]
fn dispatch_due_dates_must_lie_between_tomorrow_and_the_legal_limit() {
    let facts = case(CaseState::Accepted);
    let with_due =
        |due: &str| Action::Dispatch { department_ids: vec![SIFASUO], due_on: due.into(), note: String::new() };
    assert_eq!(decide(&facts, clerk(), &with_due("2026-11-23"), today()), Err(ErrorCode::DueDateInvalid));
    assert_eq!(decide(&facts, clerk(), &with_due("2027-01-23"), today()), Err(ErrorCode::DueDateInvalid));
    assert!(decide(&facts, clerk(), &with_due("2027-01-22"), today()).is_ok());
    // An overdue case can still be re-dispatched, with any later due date.
    let overdue = CaseFacts { handling_due: parse("2026-11-20"), ..facts.clone() };
    assert!(decide(&overdue, clerk(), &with_due("2026-11-30"), today()).is_ok());
    assert_eq!(decide(&overdue, clerk(), &with_due("2026-11-23"), today()), Err(ErrorCode::DueDateInvalid));
}

#[test]
fn disputes_need_a_mediation_outcome_before_the_reply() {
    let dispute = CaseFacts { case_type: CaseType::Dispute, ..dispatched(&[(1, ZONGZHI, DispatchState::Responded)]) };
    assert_eq!(
        decide(&dispute, clerk(), &sample(ActionKind::Reply), today()),
        Err(ErrorCode::MediationOutcomeRequired)
    );
    let t = decide(&dispute, officer(ZONGZHI), &sample(ActionKind::RecordMediation), today()).unwrap();
    assert_eq!(t.to, CaseState::Responded);
    let recorded = CaseFacts { mediation_recorded: true, ..dispute.clone() };
    assert_eq!(decide(&recorded, clerk(), &sample(ActionKind::Reply), today()).unwrap().to, CaseState::Replied);
    assert_eq!(
        decide(&recorded, clerk(), &sample(ActionKind::RecordMediation), today()),
        Err(ErrorCode::TransitionNotAllowed),
        "recorded once"
    );
    // Not a dispute: nothing to mediate.
    assert_eq!(
        decide(&case(CaseState::Accepted), clerk(), &sample(ActionKind::RecordMediation), today()),
        Err(ErrorCode::TransitionNotAllowed)
    );
    // An officer whose part is still pending cannot report an outcome.
    let pending = CaseFacts { case_type: CaseType::Dispute, ..dispatched(&[(1, ZONGZHI, DispatchState::Pending)]) };
    assert_eq!(
        decide(&pending, officer(ZONGZHI), &sample(ActionKind::RecordMediation), today()),
        Err(ErrorCode::TransitionNotAllowed)
    );
}

#[test]
fn the_resident_rates_a_reply_and_dissatisfaction_opens_a_callback() {
    let replied = CaseFacts { replied_on: Some(today()), ..case(CaseState::Replied) };
    let rate =
        |rating| decide_resident(&replied, &ResidentAction::Rate { rating, reason: String::new() }, today(), &cal());
    let t = rate(Rating::Dissatisfied).unwrap();
    assert_eq!((t.to, t.opens_callback), (CaseState::Closed, true));
    assert!(!rate(Rating::Satisfied).unwrap().opens_callback);
    assert!(!rate(Rating::BasicallySatisfied).unwrap().opens_callback);
    for state in CaseState::ALL.into_iter().filter(|s| *s != CaseState::Replied) {
        let facts = case(state);
        assert_eq!(
            decide_resident(
                &facts,
                &ResidentAction::Rate { rating: Rating::Satisfied, reason: String::new() },
                today(),
                &cal()
            ),
            Err(ErrorCode::TransitionNotAllowed),
            "{state:?}"
        );
    }
    // The callback task is then completed by the centre.
    let with_callback = CaseFacts { open_callback: true, ..case(CaseState::Closed) };
    assert!(decide(&with_callback, clerk(), &sample(ActionKind::CompleteCallback), today()).is_ok());
    assert_eq!(
        decide(&case(CaseState::Closed), clerk(), &sample(ActionKind::CompleteCallback), today()),
        Err(ErrorCode::TransitionNotAllowed)
    );
}

#[test]
fn a_review_can_be_asked_for_within_thirty_days_of_the_reply_once() {
    let replied_on = parse("2026-11-02").unwrap();
    let closed = CaseFacts { replied_on: Some(replied_on), ..case(CaseState::Closed) };
    let ask = ResidentAction::RequestReview { reason: "答复未解决问题".into() };
    // 30 days after 2 Nov is 2 Dec (a Wednesday).
    let last_day = parse("2026-12-02").unwrap();
    let t = decide_resident(&closed, &ask, last_day, &cal()).unwrap();
    assert_eq!((t.event, t.to), (EventKind::ReviewRequested, CaseState::UnderReview));
    assert_eq!(
        decide_resident(&closed, &ask, parse("2026-12-03").unwrap(), &cal()),
        Err(ErrorCode::ReviewWindowClosed)
    );
    let again = CaseFacts { review_requested: true, ..closed.clone() };
    assert_eq!(decide_resident(&again, &ask, last_day, &cal()), Err(ErrorCode::TransitionNotAllowed));
    assert_eq!(
        decide_resident(&case(CaseState::Dispatched), &ask, last_day, &cal()),
        Err(ErrorCode::TransitionNotAllowed)
    );
}

#[test]
fn the_buttons_match_what_decide_allows() {
    let facts = dispatched(&[(1, ZONGZHI, DispatchState::Pending)]);
    assert_eq!(available_actions(&facts, officer(ZONGZHI), today()), vec![ActionKind::Take, ActionKind::Object]);
    assert_eq!(
        available_actions(&case(CaseState::Registered), clerk(), today()),
        vec![
            ActionKind::Accept,
            ActionKind::Decline,
            ActionKind::AssignDown,
            ActionKind::SendToGrid,
            ActionKind::ReportUp,
            ActionKind::ResolveOnSpot
        ]
    );
    assert!(available_actions(&case(CaseState::Registered), admin(), today()).is_empty());
    assert!(available_actions(&case(CaseState::Accepted), leader(), today()).contains(&ActionKind::Extend));
}
