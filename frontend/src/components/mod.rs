//! Widgets shared by the pages, and the last receipt both the resident app and the
//! console keep (`LastReceipt`). It lives here rather than in a module of its own: as
//! `components/last_receipt.rs` the resident app's first load measured 200 bytes more
//! (brotli) for the same code, placed elsewhere in the binary.

pub mod case;
pub mod layout;
pub mod photos;

use crate::storage;
use leptos::prelude::*;
use ow_shared::dto::Receipt;
use std::marker::PhantomData;

/// Where an app keeps its last receipt in sessionStorage.
pub trait ReceiptKeys: 'static {
    /// The receipt.
    const RECEIPT: &'static str;
    /// Whether it answered a re-sent submission: `true`/`false`. A value of its own
    /// rather than a pair with the receipt: reading a pair back costs the resident's
    /// download a decoder of its own.
    const REPLAYED: &'static str;
}

/// The receipt of the last case submitted (resident app) or registered at the window
/// (console) in this tab — one type for both apps, each naming its storage keys
/// (`ReceiptKeys`; constants, which measured smaller than keys held in the value) —
/// and whether it answered a re-sent submission
/// (`IDEMPOTENCY_KEY_REUSED`, shown as "already submitted"). Held in memory first:
/// sessionStorage throws or forgets in some WeChat and private modes, so it is only
/// the fallback for a reload of the receipt page (a clerk who reloads must not lose
/// the visitor's query code either).
pub struct LastReceipt<K: ReceiptKeys> {
    kept: RwSignal<Option<(Receipt, bool)>>,
    keys: PhantomData<K>,
}

impl<K: ReceiptKeys> Clone for LastReceipt<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: ReceiptKeys> Copy for LastReceipt<K> {}

impl<K: ReceiptKeys> LastReceipt<K> {
    /// None yet.
    pub fn new() -> Self {
        LastReceipt { kept: RwSignal::new(None), keys: PhantomData }
    }

    /// Keeps `receipt` for the receipt page; `replayed` shows the "already submitted" notice.
    pub fn keep(self, receipt: Receipt, replayed: bool) {
        storage::session_save(K::RECEIPT, &receipt);
        storage::session_save(K::REPLAYED, &replayed);
        self.kept.set(Some((receipt, replayed)));
    }

    /// The last receipt: from memory, else from sessionStorage (after a reload).
    pub fn get(self) -> Option<(Receipt, bool)> {
        self.kept.get_untracked().or_else(|| {
            let receipt = storage::session_load(K::RECEIPT)?;
            Some((receipt, storage::session_load(K::REPLAYED).unwrap_or(false)))
        })
    }

    /// Forgets it, from storage too (the console, on signing out: the next member of
    /// staff at that PC never sees it).
    pub fn forget(self) {
        storage::session_remove(K::RECEIPT);
        storage::session_remove(K::REPLAYED);
        self.kept.try_set(None);
    }
}

impl<K: ReceiptKeys> Default for LastReceipt<K> {
    fn default() -> Self {
        Self::new()
    }
}
