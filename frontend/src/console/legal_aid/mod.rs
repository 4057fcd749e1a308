//! 法律援助申请 taken at an appointment (法律援助法 Art.41–44): the form that opens one
//! from a booking (`open`), and `/console/legal-aid/{id}` (`page`) — the application with
//! its clocks (a decision within 7 days, a lawyer within 3 days of approval), the
//! decision (a refusal in writing with reasons) and the assignment of a lawyer, early
//! when urgent (Art.44) (`decide`).

mod decide;
mod materials;
mod open;
mod page;

pub use open::open_form;
pub use page::legal_aid_page;
