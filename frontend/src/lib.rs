//! OneWindow (一窗通办) in the browser: four apps side by side over one base.
//!
//! The apps, each a Trunk target of its own so that no one downloads another's code:
//! `resident` (我要反映, 回执, 查进度; the crate's main binary), `booking` (法律援助预约,
//! `/booking`), `grid` (找网格, `/grid`) and `console` (the staff's 工作台, `/console`,
//! which residents' phones never download).
//!
//! The base, which imports no app: `http` (the only module that speaks HTTP), `load`
//! (a value loaded from the server), `form` (fields and their errors), `components`
//! (widgets), `i18n` (language, large text, error wording), `storage`, `nav` (mounting
//! an app and its pages, links) and `browser` (keys, dates, focus). All validation and
//! messages come from the shared crate, so browser and server agree.

pub mod browser;
pub mod components;
pub mod form;
pub mod http;
pub mod i18n;
pub mod load;
pub mod nav;
pub mod storage;

pub mod booking;
pub mod console;
pub mod grid;
pub mod resident;

// Talc instead of the standard library's dlmalloc: smaller in the download and faster
// (the crate's published WebAssembly benchmarks); every byte counts on a phone.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
