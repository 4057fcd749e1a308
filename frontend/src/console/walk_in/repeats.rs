//! 可能重复: while the clerk types the phone (mobile or landline), ID number or title, earlier cases of the
//! same person or matter, each linkable as a repeat petition (关联此件).

use super::state::Form;
use crate::console::paths;
use crate::load::Loaded;
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use ow_shared::Lang;
use ow_shared::console::{RepeatCandidate, RepeatQuery, RepeatReason};
use ow_shared::validate::{char_len, limits, normalize_contact_phone, normalize_id_number};

/// Asks for possible repeats ~400 ms after the mobile, ID number or title last changed.
pub fn watch_repeats(form: Form, repeats: Loaded<Vec<RepeatCandidate>>) {
    let api = crate::console::api::use_api();
    // The effect keeps its pending timer: the next change drops it, which cancels it.
    Effect::new(move |pending: Option<Option<Timeout>>| {
        drop(pending);
        let mobile = form.mobile.get();
        let id_number = form.id_number.get();
        let title = form.title.get();
        let query = RepeatQuery {
            mobile: normalize_contact_phone(&mobile).unwrap_or_default(),
            id_number: normalize_id_number(&id_number).unwrap_or_default(),
            text: if char_len(&title) >= limits::TITLE.0 { title.trim().to_string() } else { String::new() },
            village_id: form.village_id.get(),
        };
        if query.mobile.is_empty() && query.id_number.is_empty() && query.text.is_empty() {
            repeats.set(Vec::new());
            return None;
        }
        // Asked under this run of the effect, so the next change also aborts the request.
        let owner = Owner::current();
        let ask = move || {
            repeats.reload_quietly(async move {
                // A failed look-up only misses a hint: the ones shown stay.
                api.repeats(&query).await.or_else(|_| Ok(repeats.with_untracked(shown)))
            })
        };
        Some(Timeout::new(400, move || match owner {
            Some(owner) => owner.with(ask),
            None => ask(),
        }))
    });
}

/// The candidates shown now.
fn shown(state: &Option<Result<Vec<RepeatCandidate>, ow_shared::ApiError>>) -> Vec<RepeatCandidate> {
    state.as_ref().and_then(|r| r.as_ref().ok()).cloned().unwrap_or_default()
}

/// 可能重复: earlier cases of the same person or matter, each linkable (关联此件).
pub fn repeat_hints(form: Form, repeats: Loaded<Vec<RepeatCandidate>>) -> impl IntoView {
    let linked_text = move || form.linked.get().map(|c| format!("已关联：{} {}", c.tracking_no, c.title));
    let items = move || {
        repeats
            .with(shown)
            .into_iter()
            .map(|c| {
                let case_id = c.case_id;
                let reason = match c.reason {
                    RepeatReason::SamePerson => "同一人（手机号或身份证号相同）",
                    RepeatReason::SimilarText => "内容相似",
                };
                let is_linked = move || form.linked.with(|l| l.as_ref().is_some_and(|l| l.case_id == case_id));
                let label = format!("关联此件：{}", c.tracking_no);
                let candidate = c.clone();
                view! {
                    <li class="c-repeat" data-case-id=case_id.to_string() data-tracking-no=c.tracking_no.clone()>
                        <a href=paths::case(case_id) target="_blank" rel="noopener">{c.tracking_no.clone()}</a>
                        " " <strong>{c.title.clone()}</strong>
                        <span class="c-repeat-meta">{format!("{} · {} · {}", c.state.label(Lang::Zh), c.submitted_at, reason)}</span>
                        <button type="button" class="c-button c-repeat-link" aria-label=label
                            aria-pressed=move || is_linked().to_string()
                            on:click=move |_| form.linked.set(Some(candidate.clone()))>
                            {move || if is_linked() { "已关联" } else { "关联此件" }}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let any = move || repeats.with(|r| !shown(r).is_empty()) || form.linked.with(Option::is_some);
    // The region is always there (a live region must exist before it changes).
    view! {
        <section id="c-repeats" class="c-repeats" aria-live="polite">
            <Show when=any>
                <h2>"可能重复"</h2>
                <p class="hint">"同一群众或相似事项近期已有登记：如属重复访，请关联原件。"</p>
                <ul>{items}</ul>
                <Show when=move || form.linked.with(Option::is_some)>
                    <p class="c-linked" id="c-linked">
                        {linked_text}
                        " "
                        <button type="button" class="link-button" id="c-repeat-unlink" on:click=move |_| form.linked.set(None)>
                            "取消关联"
                        </button>
                    </p>
                </Show>
            </Show>
        </section>
    }
}
