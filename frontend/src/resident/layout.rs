//! The resident app's header: the app name, the county, the toggles and the main links.

use super::Regions;
use crate::components::layout::Toggles;
use crate::i18n::tr;
use leptos::prelude::*;

/// The app name, the county, the language and large-text toggles, and the main links.
#[component]
pub fn Header() -> impl IntoView {
    let regions = expect_context::<Regions>();
    let county = move || regions.0.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).map(|r| r.county.clone()));
    view! {
        <header class="site-header">
            <div class="bar">
                <a class="brand" href="/">
                    <span class="brand-name">{tr("一窗通办", "OneWindow")}</span>
                    <span class="county">{county}</span>
                </a>
                <Toggles />
            </div>
            <nav aria-label=tr("主要栏目", "Main sections")>
                <ul class="nav">
                    <li>{nav_link("/", tr("首页", "Home"))}</li>
                    <li>{nav_link("/submit", tr("我要反映", "Make a request"))}</li>
                    <li>{nav_link("/track", tr("查进度", "Track progress"))}</li>
                    // The two other resident apps: full page loads (`rel="external"`).
                    <li><a href="/grid" rel="external">{tr("找网格", "Find your grid")}</a></li>
                    <li><a href="/booking" rel="external">{tr("法律援助预约", "Legal aid")}</a></li>
                </ul>
            </nav>
        </header>
    }
}

/// A header link marked as the current page when it is.
fn nav_link(href: &'static str, text: impl Fn() -> &'static str + Send + Sync + 'static) -> impl IntoView {
    let path = crate::nav::Router::get().path;
    let current = move || (path.get() == href).then_some("page");
    view! {
        <a href=href aria-current=current>
            {text}
        </a>
    }
}
