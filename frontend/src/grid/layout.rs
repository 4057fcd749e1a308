//! The frame of the grid app: skip link, header with the toggles and the ways back to
//! the main site, footer with the hall's phone.

use super::HOME;
use crate::i18n::tr;
use leptos::prelude::*;

pub use crate::components::layout::SkipLink;
use crate::components::layout::Toggles;

/// The app name, the language and large-text toggles, and the links.
#[component]
pub fn Header() -> impl IntoView {
    let path = crate::nav::Router::get().path;
    let current = move || (path.get().trim_end_matches('/') == HOME).then_some("page");
    view! {
        <header class="site-header">
            <div class="bar">
                <a class="brand" href=HOME>
                    <span class="brand-name">{tr("找网格", "Find your grid")}</span>
                    <span class="county">{tr("一窗通办 · 网格服务", "OneWindow · grid services")}</span>
                </a>
                <Toggles />
            </div>
            <nav aria-label=tr("主要栏目", "Main sections")>
                <ul class="nav">
                    <li>
                        <a id="g-nav-find" href=HOME aria-current=current>
                            {tr("找网格", "Find a grid")}
                        </a>
                    </li>
                    // The other apps of the site: the browser loads them.
                    <li>
                        <a id="g-nav-home" href="/" rel="external">
                            {tr("一窗通办首页", "OneWindow home")}
                        </a>
                    </li>
                    <li>
                        <a id="g-nav-submit" href="/submit" rel="external">
                            {tr("我要反映", "Make a request")}
                        </a>
                    </li>
                    <li>
                        <a id="g-nav-track" href="/track" rel="external">
                            {tr("查进度", "Track")}
                        </a>
                    </li>
                    // 政务公开: a page the server writes (issue 13), here rather than in the
                    // resident app, whose download has no room left for it.
                    <li>
                        <a id="g-nav-open" href="/open" rel="external">
                            {tr("政务公开", "Public figures")}
                        </a>
                    </li>
                </ul>
            </nav>
        </header>
    }
}
