//! Widgets shared by the pages.

pub mod case;
pub mod layout;
pub mod photos;
