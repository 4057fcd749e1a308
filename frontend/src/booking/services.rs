//! `/booking`: the four services, each with what it is, how long it takes and every
//! material to bring, told all at once (一次性告知, 法律援助法 Art.43).

use super::{api, href, paths};
use crate::i18n::{page_title, tr, use_lang};
use crate::load::Loaded;
use leptos::prelude::*;
use ow_shared::booking::{LegalService, ServiceInfo};

/// The service chooser.
#[component]
pub fn Services() -> impl IntoView {
    page_title("法律援助预约", "Book legal services");
    let list: Loaded<Vec<ServiceInfo>> = Loaded::new();
    let fetch = move || list.load(api::services());
    fetch();
    view! {
        <h1>{tr("预约公共法律服务", "Book a public legal service")}</h1>
        <p class="lead">
            {tr(
                "法律咨询、代写法律文书、法律援助申请、人民调解均免费。请选择服务，按提示带齐材料，最多跑一次。",
                "Advice, document drafting, legal-aid applications and mediation are free. Choose a service and bring everything listed: one trip is enough.",
            )}
        </p>
        {list.status("b-list-status", fetch)}
        <ul class="b-services">{move || list.ready().map(|v| v.into_iter().map(card).collect_view())}</ul>
        <p>
            <a href=paths::MINE>{tr("已经预约？查看或取消我的预约", "Booked already? See or cancel your booking")}</a>
        </p>
    }
}

/// One service: name, what it is, how long, all materials, and the button.
fn card(s: ServiceInfo) -> impl IntoView {
    let lang = use_lang();
    let service = s.service;
    let code = service.code();
    let title_id = format!("b-svc-{code}");
    // A legal-aid application may first run the optional pre-check.
    let next = if service == LegalService::LegalAidApplication { paths::PRECHECK } else { paths::SLOT };
    let next = href(next, &[("service", code)]);
    let minutes = s.minutes;
    let router = crate::nav::Router::get();
    let (labelled, described) = (title_id.clone(), title_id.clone());
    view! {
        <li class="b-service" data-service=code aria-labelledby=labelled>
            <h2 id=title_id>{move || service.label(lang.get())}</h2>
            // The server's texts are in Chinese, also for English readers.
            <p lang="zh-CN">{s.what}</p>
            <p class="b-minutes">{move || format!("{}{minutes}{}", lang.get().pick("办理时长约 ", "About "), lang.get().pick(" 分钟", " minutes"))}</p>
            {materials(None, s.materials)}
            <button type="button" class="primary" id=format!("b-choose-{code}") aria-describedby=described
                on:click=move |_| router.navigate(&next)>
                {tr("预约此项服务", "Book this service")}
            </button>
        </li>
    }
}

/// "请带齐以下材料" and the list (`id` for the confirmation's copy).
pub fn materials(id: Option<&'static str>, items: Vec<String>) -> impl IntoView + use<> {
    let items = items.into_iter().map(|m| view! { <li>{m}</li> }).collect_view();
    view! {
        <h3 class="b-materials-title">{tr("请一次带齐以下材料", "Bring all of these")}</h3>
        <ul class="b-materials" id=id lang="zh-CN">{items}</ul>
    }
}
