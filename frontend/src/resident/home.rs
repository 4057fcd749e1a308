//! `/`: what the hall offers online, and the one-window promise.

use crate::i18n::{page_title, tr};
use leptos::prelude::*;

/// The home page: the two things a resident can do here.
#[component]
pub fn Home() -> impl IntoView {
    page_title("首页", "Home");
    view! {
        <h1>{tr("一窗通办 · 群众诉求服务", "OneWindow resident services")}</h1>
        <p class="lead">
            {tr(
                "有事找政府，只进一扇门。不用区分归哪个部门管，我们统一受理、派单办理、统一答复。",
                "One door for everything you bring to the county. You need not know which office is responsible: we take it in, route it and answer you.",
            )}
        </p>
        <ul class="cards">
            <li>
                <a class="card" href="/submit">
                    <span class="card-title">{tr("我要反映", "Make a request")}</span>
                    <span class="card-text">
                        {tr(
                            "提出建议、求助、投诉、矛盾纠纷、检举或咨询，提交后立即得到受理编号和回执。",
                            "Suggestions, help, complaints, disputes, accusations or questions: get a tracking number and receipt at once.",
                        )}
                    </span>
                </a>
            </li>
            <li>
                <a class="card" href="/track">
                    <span class="card-title">{tr("查进度", "Track progress")}</span>
                    <span class="card-text">
                        {tr(
                            "凭受理编号和查询码，随时查看办理进度和办理时限。",
                            "See where your request stands and its deadlines, with the tracking number and query code.",
                        )}
                    </span>
                </a>
            </li>
            <li>
                <a class="card" href="/grid" rel="external" id="home-grid">
                    <span class="card-title">{tr("找网格", "Find my grid")}</span>
                    <span class="card-text">
                        {tr("按住址或位置找到您的网格和网格员。", "Find your grid and grid worker by address or location.")}
                    </span>
                </a>
            </li>
            <li>
                <a class="card" href="/booking" rel="external" id="home-booking">
                    <span class="card-title">{tr("法律援助预约", "Book legal aid")}</span>
                    <span class="card-text">
                        {tr(
                            "预约律师咨询、代写文书、法律援助申请或人民调解，一次告知所需材料。",
                            "Book a lawyer's advice, document drafting, a legal-aid application or mediation; see all papers to bring.",
                        )}
                    </span>
                </a>
            </li>
        </ul>
        <section class="promise" aria-labelledby="promise-title">
            <h2 id="promise-title">{tr("我们的承诺", "Our promise")}</h2>
            <ul>
                <li>
                    <strong>{tr("一窗受理", "One window")}</strong>
                    {tr("：所有诉求一个窗口接收，不推不拒。", ": every request is taken in at one place.")}
                </li>
                <li>
                    <strong>{tr("一次告知", "One notice")}</strong>
                    {tr("：需要补充的材料一次说清。", ": anything missing is told to you all at once.")}
                </li>
                <li>
                    <strong>{tr("最多跑一次", "At most one trip")}</strong>
                    {tr("：让数据多跑路，让群众少跑腿。", ": the data travels, not you.")}
                </li>
            </ul>
        </section>
    }
}
