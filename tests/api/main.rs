//! API tests: each starts the real server on port 0 with a fresh SQLite file and talks
//! HTTP to it. One binary, one module per feature.

mod auth;
mod bad_input;
mod booking;
mod durability;
mod exports;
mod faults;
mod figures;
mod grids;
mod headers;
mod helpers;
mod housekeeping;
mod idempotency;
mod limits;
mod materials;
mod messages;
mod notices;
mod openapi;
mod operations;
mod photos;
mod query_errors;
mod regions;
mod report_pages;
mod static_files;
mod submit;
mod track;
mod units;
mod workflow;
