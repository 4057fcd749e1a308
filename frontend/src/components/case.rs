//! Pieces shown on both the receipt and the tracking result.

use crate::i18n::use_lang;
use leptos::prelude::*;
use ow_shared::dto::Deadline;

/// A tracking number in groups of 4-4-5 for reading aloud. The groups are spaced by
/// CSS, not by spaces, so copying it still gives the bare digits.
pub fn tracking_number(id: &'static str, no: &str) -> impl IntoView + use<> {
    let chars: Vec<char> = no.chars().collect();
    let groups: Vec<String> =
        [0..4.min(chars.len()), 4.min(chars.len())..8.min(chars.len()), 8.min(chars.len())..chars.len()]
            .into_iter()
            .filter(|r| !r.is_empty())
            .map(|r| chars[r].iter().collect())
            .collect();
    view! {
        <span class="tracking-no" id=id>
            {groups.into_iter().map(|g| view! { <span>{g}</span> }).collect_view()}
        </span>
    }
}

/// The statutory time limits with their due dates.
pub fn deadline_list(id: &'static str, deadlines: Vec<Deadline>) -> impl IntoView {
    let lang = use_lang();
    let items = deadlines
        .into_iter()
        .map(|d| {
            view! {
                <li>
                    <span class="due">{d.due_on}</span>
                    " "
                    <span>{move || d.kind.label(lang.get())}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="deadlines" id=id>{items}</ul> }
}
