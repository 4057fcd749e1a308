//! Legal-aid booking (法律服务预约): the services with all their materials (一次性告知),
//! places, days and slots, bookings, and the eligibility pre-check of 法律援助法 — pure
//! code, so the browser runs the pre-check with no round trip and the server agrees.
//!
//! `services` says what can be booked (its texts are data in `texts`), `places` where
//! and when, `bookings` the booking itself (request, code, status, views), `precheck`
//! the eligibility pre-check and `legal_aid` the application taken at the appointment.

use serde::{Deserialize, Serialize};

mod bookings;
mod legal_aid;
mod places;
mod precheck;
mod services;
mod texts;
pub use bookings::*;
pub use legal_aid::*;
pub use places::*;
pub use precheck::*;
pub use services::*;

/// `GET /api/v1/booking/settings`: what the pre-check compares income with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingSettings {
    /// Yuan per person per month.
    pub income_threshold: u32,
    /// e.g. 本省法律援助经济困难标准（演示值）.
    pub threshold_note: String,
}
