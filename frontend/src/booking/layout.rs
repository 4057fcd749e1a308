//! The frame of the booking app: skip link, header with the toggles and the way back to
//! the main site, footer with the hall's phone.

use super::paths;
use crate::i18n::tr;
use leptos::prelude::*;

pub use crate::components::layout::SkipLink;
use crate::components::layout::Toggles;

/// The app name, the language and large-text toggles, and the sections.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="bar">
                <a class="brand" href=paths::SERVICES>
                    <span class="brand-name">{tr("法律援助预约", "Legal aid booking")}</span>
                    <span class="county">{tr("一窗通办 · 公共法律服务", "OneWindow · public legal services")}</span>
                </a>
                <Toggles />
            </div>
            <nav aria-label=tr("主要栏目", "Main sections")>
                <ul class="nav">
                    <li>{nav_link("b-nav-book", paths::SERVICES, tr("预约服务", "Book"))}</li>
                    <li>{nav_link("b-nav-mine", paths::MINE, tr("我的预约", "My booking"))}</li>
                    <li>
                        // Another app of the site: the browser loads it.
                        <a id="b-nav-home" href="/" rel="external">{tr("一窗通办首页", "OneWindow home")}</a>
                    </li>
                    <li><a id="b-nav-track" href="/track" rel="external">{tr("查进度", "Track")}</a></li>
                </ul>
            </nav>
        </header>
    }
}

/// A header link marked as the current page when it is.
fn nav_link(
    id: &'static str,
    href: &'static str,
    text: impl Fn() -> &'static str + Send + Sync + 'static,
) -> impl IntoView {
    let path = crate::nav::Router::get().path;
    let current = move || (path.get().trim_end_matches('/') == href).then_some("page");
    view! {
        <a id=id href=href aria-current=current>
            {text}
        </a>
    }
}
