//! localStorage and sessionStorage, forgiving: private modes and full quotas (seen in
//! WeChat's browser) make storage throw, and the app must keep working without it.

use serde::{Serialize, de::DeserializeOwned};
use web_sys::Storage;

/// UI language, `zh-CN` or `en`.
pub const LANG: &str = "ow.lang";
/// Large text (适老化) on or off: `true`/`false`.
pub const LARGE_TEXT: &str = "ow.large_text";
/// The submission form in progress, with its idempotency key. Never holds the ID number.
pub const DRAFT: &str = "ow.draft";
/// The last receipt, in sessionStorage, so reloading the receipt page still shows it.
pub const RECEIPT: &str = "ow.receipt";
/// Whether that receipt answered a re-sent submission, in sessionStorage: `true`/`false`.
pub const RECEIPT_REPLAYED: &str = "ow.receipt_replayed";
/// The tracking number last looked up in this tab, in sessionStorage (never the query code).
pub const TRACK_NO: &str = "ow.track_no";
/// The console's last walk-in receipt, in sessionStorage (signing out removes it).
pub const CONSOLE_RECEIPT: &str = "ow.console_receipt";
/// Whether that receipt answered a re-sent registration, in sessionStorage: `true`/`false`.
pub const CONSOLE_RECEIPT_REPLAYED: &str = "ow.console_receipt_replayed";

fn local() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session() -> Option<Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Reads a localStorage value.
pub fn get(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

/// Writes a localStorage value; failures are ignored on purpose (see the module comment).
pub fn set(key: &str, value: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(key, value);
    }
}

/// Removes a localStorage value.
pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}

/// Reads JSON from localStorage; anything unreadable counts as absent.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_str(&get(key)?).ok()
}

/// Writes JSON to localStorage.
pub fn save<T: Serialize>(key: &str, value: &T) {
    if let Ok(text) = serde_json::to_string(value) {
        set(key, &text);
    }
}

/// Reads JSON from sessionStorage.
pub fn session_load<T: DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_str(&session()?.get_item(key).ok().flatten()?).ok()
}

/// Writes JSON to sessionStorage.
pub fn session_save<T: Serialize>(key: &str, value: &T) {
    if let (Some(s), Ok(text)) = (session(), serde_json::to_string(value)) {
        let _ = s.set_item(key, &text);
    }
}

/// Removes a sessionStorage value.
pub fn session_remove(key: &str) {
    if let Some(s) = session() {
        let _ = s.remove_item(key);
    }
}
