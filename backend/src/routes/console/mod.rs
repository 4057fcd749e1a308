//! `/api/v1/console/*`: the staff console's API. Every route here needs a signed-in
//! member of staff (`auth::Staff`), except signing in itself.

pub mod bookings;
pub mod cases;
pub mod exports;
pub mod field;
pub mod figures;
pub mod grids;
pub mod holidays;
pub mod legal_aid;
pub mod materials;
pub mod messages;
pub mod notices;
pub mod screening;
pub mod session;
pub mod staff_accounts;
pub mod units;

use crate::AppState;
use axum::Router;

/// The console's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(session::router())
        .merge(staff_accounts::router())
        .merge(cases::router())
        .merge(holidays::router())
        .merge(bookings::router())
        .merge(grids::router())
        .merge(legal_aid::router())
        .merge(units::router())
        .merge(field::router())
        .merge(screening::router())
        .merge(messages::router())
        .merge(materials::router())
        .merge(figures::router())
        .merge(exports::router())
        .merge(notices::router())
}
