//! `/grid/{id}`: a grid's public page (Binzhou Art.6, 10) — name, place and area, the
//! outline, the grid worker and the 3+N team with their phones, the supervision phone,
//! the service items, a QR code of this page, and 我要反映 with the place filled in.
//! Printed, it is the wall poster (公示牌): big name, people and phones, the QR code.

use super::{HOME, api, outline};
use crate::i18n::{tr, use_lang};
use crate::load::Loaded;
use leptos::prelude::*;
use ow_shared::Lang;
use ow_shared::grid::{GridDetail, GridPerson, GridRole};

/// The page of grid `id`.
#[component]
pub fn GridPage(id: i64) -> impl IntoView {
    let lang = use_lang();
    let grid: Loaded<GridDetail> = Loaded::new();
    let fetch = move || grid.load(api::grid(id));
    fetch();
    Effect::new(move |_| {
        let l = lang.get();
        let name = grid.with(|g| g.as_ref().and_then(|g| g.as_ref().ok()).map(|g| g.summary.name.clone()));
        let name = name.unwrap_or_else(|| l.pick("网格", "Grid").into());
        document().set_title(&format!("{name} - {}", l.pick("找网格", "Find your grid")));
    });
    view! {
        <p class="g-back no-print">
            <a href=HOME>{tr("‹ 找其他网格", "‹ Find another grid")}</a>
        </p>
        {grid.status("g-grid-status", fetch)}
        {move || grid.ready().map(page)}
    }
}

/// Everything the page shows, once loaded.
fn page(g: GridDetail) -> impl IntoView {
    let lang = use_lang();
    let s = g.summary;
    let mut people = g.people;
    people.sort_by_key(|p| p.role);
    let report = format!("/submit?township={}&village={}&grid={}", s.township_id, s.village_id, s.id);
    let version = g.boundary_version;
    let since = g.effective_from;
    let boundary = move || match lang.get() {
        _ if version == 0 => String::new(),
        Lang::Zh => format!("边界第 {version} 版，自 {since} 起施行。"),
        Lang::En => format!("Boundary version {version}, in force since {since}."),
    };
    let services = g.service_items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view();
    let supervision = g.supervision_phone;
    view! {
        <h1 id="g-name">{s.name}</h1>
        <p class="g-place">
            <span id="g-place">{format!("{} · {}", s.township, s.village)}</span>
            " "
            <span class="g-code">
                {tr("网格编号 ", "Grid code ")}
                <span id="g-code">{s.code}</span>
            </span>
        </p>
        <section class="g-panel" aria-labelledby="g-people-title">
            <h2 id="g-people-title">{tr("网格员和寨管家团队", "Grid worker and team")}</h2>
            <ul id="g-people" class="g-people">
                {people.into_iter().map(person).collect_view()}
            </ul>
            <p class="hint no-print">
                {tr(
                    "网格员牵头，乡镇指导员、村干部、寨长（3）和保洁、水管、护路、安全、护林等人员（N）共同服务本网格。",
                    "The grid worker leads; a township guide, a village cadre and a hamlet head (the 3) and helpers for cleaning, water, roads, safety and forests (the N) serve the grid together.",
                )}
            </p>
        </section>
        <p class="g-supervision">
            {tr("监督电话：", "Supervision phone: ")}
            <a id="g-supervision" href=tel(&supervision)>
                {supervision.clone()}
            </a>
        </p>
        <div class="g-actions no-print">
            // The request form is the resident app: the browser loads it.
            <a id="g-report" class="primary g-button" href=report rel="external">
                {tr("在本网格反映诉求", "Make a request about this grid")}
            </a>
            <button type="button" id="g-print" class="secondary" on:click=move |_| { let _ = window().print(); }>
                {tr("打印网格公示牌", "Print the grid poster")}
            </button>
        </div>
        <section class="g-area" aria-labelledby="g-area-title">
            <h2 id="g-area-title">{tr("网格范围", "Area")}</h2>
            <p id="g-area">{g.area_description}</p>
            {outline::figure(&g.outline)}
            <p class="hint">{boundary}</p>
        </section>
        <section class="g-services-box" aria-labelledby="g-services-title">
            <h2 id="g-services-title">{tr("网格服务事项", "What the grid team does for you")}</h2>
            <ul id="g-services" class="g-services">
                {services}
            </ul>
        </section>
        <figure class="qr g-qr">
            <img
                id="g-qr"
                src=format!("/api/v1/qr/grid/{}.svg", s.id)
                width="160"
                height="160"
                alt=tr("本网格页面的二维码", "QR code of this grid's page")
            />
            <figcaption>{tr("微信扫码，查看本网格的网格员和电话", "Scan to see this grid's team and phones")}</figcaption>
        </figure>
    }
}

/// One member of the team: role, name and a phone to tap.
fn person(p: GridPerson) -> impl IntoView {
    let lang = use_lang();
    let role = p.role;
    let class = if role == GridRole::Worker { "g-person g-worker" } else { "g-person" };
    view! {
        <li class=class data-role=role.code()>
            <span class="g-role">{move || role_label(role, lang.get())}</span>
            <span class="g-person-name">{p.name}</span>
            <a class="g-phone" href=tel(&p.phone)>
                {p.phone.clone()}
            </a>
        </li>
    }
}

/// `tel:` link of a phone as shown (spaces dropped; dashes are allowed in tel: URIs).
fn tel(phone: &str) -> String {
    format!("tel:{}", phone.split_whitespace().collect::<String>())
}

/// A role's name; zh-CN from the shared crate.
fn role_label(role: GridRole, lang: Lang) -> &'static str {
    if lang == Lang::Zh {
        return role.label();
    }
    match role {
        GridRole::Worker => "Grid worker",
        GridRole::TownGuide => "Township guide",
        GridRole::VillageCadre => "Village cadre",
        GridRole::HamletHead => "Hamlet head",
        GridRole::Cleaner => "Cleaner",
        GridRole::WaterKeeper => "Water keeper",
        GridRole::RoadKeeper => "Road keeper",
        GridRole::SafetyOfficer => "Safety officer",
        GridRole::ForestRanger => "Forest ranger",
    }
}
