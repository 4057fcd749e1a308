//! A value loaded from the server, the one way every app shows one: loading, failed
//! (with a retry), or loaded. A newer load always wins over an older one still in
//! flight, so no page keeps its own "generation" counter.

use crate::i18n::use_lang;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::{ApiError, ErrorCode};

/// A value loaded from the server: `None` while loading.
pub struct Loaded<T: Send + Sync + 'static> {
    state: RwSignal<Option<Result<T, ApiError>>>,
    /// The number of the latest load; an answer to an earlier one is dropped.
    latest: StoredValue<u32>,
}

impl<T: Send + Sync + 'static> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Loaded<T> {}

impl<T: Send + Sync + 'static> Default for Loaded<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Send + Sync + 'static> Loaded<T> {
    /// Nothing loaded yet (shown as loading).
    pub fn new() -> Self {
        Loaded { state: RwSignal::new(None), latest: StoredValue::new(0) }
    }

    /// A value already at hand (e.g. kept from the page before).
    #[allow(clippy::self_named_constructors)] // `Loaded::loaded(v)`: a value already loaded
    pub fn loaded(value: T) -> Self {
        Loaded { state: RwSignal::new(Some(Ok(value))), latest: StoredValue::new(0) }
    }

    /// Starts loading (clearing what was there). The request belongs to the current
    /// page: leaving the page aborts it.
    pub fn load(self, fut: impl std::future::Future<Output = Result<T, ApiError>> + 'static) {
        self.state.set(None);
        self.reload_quietly(fut);
    }

    /// Loads again without showing "loading" meanwhile (after an action, the old value
    /// stays on screen until the new one arrives).
    pub fn reload_quietly(self, fut: impl std::future::Future<Output = Result<T, ApiError>> + 'static) {
        let number = self.latest.try_update_value(|n| {
            *n += 1;
            *n
        });
        spawn_local_scoped(async move {
            let result = fut.await;
            if number.is_some() && self.latest.try_get_value() == number {
                self.state.try_set(Some(result));
            }
        });
    }

    /// Replaces the value with one the server just answered (after an action).
    pub fn set(self, value: T) {
        self.latest.try_update_value(|n| *n += 1);
        self.state.try_set(Some(Ok(value)));
    }

    /// The whole state, tracked: `None` while loading.
    pub fn get(self) -> Option<Result<T, ApiError>>
    where
        T: Clone,
    {
        self.state.get()
    }

    /// Reads the state without cloning, tracked.
    pub fn with<R>(self, f: impl FnOnce(&Option<Result<T, ApiError>>) -> R) -> R {
        self.state.with(f)
    }

    /// Reads the state without cloning or tracking.
    pub fn with_untracked<R>(self, f: impl FnOnce(&Option<Result<T, ApiError>>) -> R) -> R {
        self.state.with_untracked(f)
    }

    /// The loaded value, if it has arrived without error (tracked).
    pub fn ready(self) -> Option<T>
    where
        T: Clone,
    {
        self.state.with(|s| s.as_ref().and_then(|r| r.as_ref().ok()).cloned())
    }

    /// Changes the loaded value in place, if there is one.
    pub fn update(self, f: impl FnOnce(&mut T)) {
        self.state.try_update(|s| {
            if let Some(Ok(value)) = s {
                f(value)
            }
        });
    }

    /// The phase: `None` when loaded, `Some(None)` while loading, `Some(Some(code))` on error.
    pub fn phase(self) -> Signal<Option<Option<ErrorCode>>> {
        Signal::derive(move || {
            self.state.with(|s| match s {
                None => Some(None),
                Some(Err(e)) => Some(Some(e.code)),
                Some(Ok(_)) => None,
            })
        })
    }

    /// "Loading…", or the error with a retry button; empty once loaded. `id` names the
    /// line for tests and for `aria-describedby`.
    pub fn status(self, id: &'static str, retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
        status_line(id, self.phase(), Box::new(retry))
    }

    /// `status` followed by the loaded value's view, built by `show` each time a value
    /// arrives (or is `set`); nothing but the status line while loading or failed.
    pub fn view<V: IntoView + 'static>(
        self,
        id: &'static str,
        retry: impl Fn() + Send + Sync + Copy + 'static,
        show: impl Fn(T) -> V + Send + Sync + 'static,
    ) -> impl IntoView
    where
        T: Clone,
    {
        view! {
            {self.status(id, retry)}
            {move || self.ready().map(&show)}
        }
    }
}

/// The one loading/failed view. Only the phase reaches it, so every loaded type shares
/// one copy of this code.
#[inline(never)]
fn status_line(
    id: &'static str,
    phase: Signal<Option<Option<ErrorCode>>>,
    retry: Box<dyn Fn() + Send + Sync>,
) -> impl IntoView {
    let lang = use_lang();
    let text = move || {
        phase.get().map(|p| match p {
            None => lang.get().pick("加载中…", "Loading…").to_string(),
            Some(code) => crate::i18n::message(code, lang.get()),
        })
    };
    // Trying again cannot find what does not exist.
    let can_retry = move || matches!(phase.get(), Some(Some(c)) if !is_not_found(c));
    view! {
        <p class="load-status" id=id role="status" hidden=move || phase.get().is_none()>
            {text}
            " "
            <button type="button" class="link-button" hidden=move || !can_retry() on:click=move |_| retry()>
                {move || lang.get().pick("重试", "Retry")}
            </button>
        </p>
    }
}

fn is_not_found(code: ErrorCode) -> bool {
    use ErrorCode::*;
    matches!(code, NotFound | GridNotFound | BookingNotFound | TrackNotFound)
}
