//! `/grid` 找网格: three ways to one's grid on one page — one's position, a search for a
//! place name, or township → village. Each is its own module; this page only orders them
//! (position first: one tap on a phone).

use super::{locate, pick, search};
use crate::i18n::{page_title, tr};
use leptos::prelude::*;

/// The lookup page.
#[component]
pub fn Find() -> impl IntoView {
    page_title("找网格", "Find your grid");
    view! {
        <h1>{tr("找到我的网格员", "Find your grid worker")}</h1>
        <p class="lead">
            {tr(
                "每个村（社区）划分为若干网格，每个网格有网格员和寨管家团队，帮您反映诉求、调解纠纷、办理身边事。",
                "Each village or community is divided into grids. Each grid has a grid worker and a team of stewards who take your requests, help settle disputes and get local matters done.",
            )}
        </p>
        <locate::Locate />
        <search::Search />
        <pick::Pick />
    }
}
