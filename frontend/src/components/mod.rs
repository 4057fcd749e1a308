//! Widgets shared by the pages.

pub mod field;
pub mod layout;
pub mod photos;
