//! One module per route.

pub mod home;
pub mod receipt;
pub mod submit;
pub mod track;
