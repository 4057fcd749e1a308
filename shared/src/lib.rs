//! What the OneWindow browser app and server agree on: wire types (DTOs), error codes
//! with their zh-CN/English messages, the case vocabulary, and all input validation.
//!
//! Nothing here depends on a server or a browser, so both sides run the very same
//! validation and can never disagree about what is valid.

pub mod booking;
pub mod calendar;
pub mod case;
pub mod coded;
pub mod console;
pub mod dto;
pub mod error;
pub mod figures;
pub mod grid;
pub mod lang;
pub mod mask;
pub mod materials;
pub mod message;
pub mod notice;
pub mod screening;
pub mod staff;
pub mod unit;
pub mod validate;
pub mod workflow;

pub use case::{CaseState, CaseType, Mediation};
pub use error::{ApiError, ErrorCode, FieldError};
pub use lang::Lang;
