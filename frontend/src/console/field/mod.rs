//! `/console/field` 网格工作: the grid worker's pages, made for a phone held in one hand
//! on a round — large targets, one column, and a weak signal in mind: what is typed is
//! kept as a draft on the phone with its idempotency key, so a report sent twice (a
//! retry after a dropped connection) is one case; photos are made smaller before they
//! are sent. Four things: 上报 what was found, 就地化解 what was settled there, 排查 a round's
//! findings with their grades, and the grid's open cases with their due dates, where a task
//! sent down is reported done.

mod photos;
mod report;
mod screening;
mod tasks;

pub use report::report_page;
pub use screening::screening_page;
pub use tasks::field_home;

/// The field pages' paths.
pub mod paths {
    pub const HOME: &str = "/console/field";
    pub const REPORT: &str = "/console/field/report";
    pub const SETTLE: &str = "/console/field/settle";
    pub const SCREENING: &str = "/console/field/screening";
}
