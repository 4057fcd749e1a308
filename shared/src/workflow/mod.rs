//! The case workflow: one state machine, pure code, that the server enforces and the
//! console uses to offer only the actions that can succeed.
//!
//! registered → accepted | declined → dispatched (each department takes it or objects
//! within 5 working days; objected ones are re-dispatched) → responded (every
//! department answered; disputes also need a mediation outcome) → replied (the
//! centre's unified reply) → closed when the resident rates it. "不满意" opens a
//! callback task; within 30 days of the reply the resident may ask for a review.
//!
//! One file per concern: `vocabulary` names the channels, states, ratings and action
//! kinds; `action` is what staff and residents send and its field checks; `machine`
//! decides what an action may do to a case; `clocks` computes the statutory due dates;
//! `visibility` says who sees how much of a person.

mod action;
mod clocks;
mod machine;
mod visibility;
mod vocabulary;

#[cfg(test)]
mod tests;

pub use action::{Action, ResidentAction, limits, validate_action, validate_resident_action};
pub use clocks::{acceptance_due, callback_due, handling_due, objection_due, review_due, review_request_due};
pub use machine::{Actor, CaseFacts, DispatchFacts, Transition, available_actions, decide, decide_resident};
pub use visibility::{Visibility, contact_visibility, may_reveal};
pub use vocabulary::{ActionKind, Channel, DeclineRoute, DispatchState, HandOverKind, MediationOutcome, Rating};
