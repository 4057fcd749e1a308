//! A value the booking and grid apps load from the server, and its two helpers.

use leptos::prelude::*;
use leptos::task::spawn_local;
use ow_shared::ApiError;

/// A value loaded from the server: `None` while loading.
pub type Loaded<T> = RwSignal<Option<Result<T, ApiError>>>;

/// Starts loading into `into` (clearing it first).
pub fn load<T: Send + Sync + 'static>(
    into: Loaded<T>,
    fut: impl std::future::Future<Output = Result<T, ApiError>> + 'static,
) {
    into.set(None);
    spawn_local(async move {
        let result = fut.await;
        into.try_set(Some(result));
    });
}

/// The loaded value, if it has arrived without error (tracked).
pub fn ready<T: Clone + Send + Sync + 'static>(state: Loaded<T>) -> Option<T> {
    state.with(|s| s.as_ref().and_then(|r| r.as_ref().ok()).cloned())
}
