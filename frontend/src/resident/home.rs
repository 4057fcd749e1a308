//! `/`: what the hall offers online, and the one-window promise.

use crate::i18n::{page_title, use_lang};
use leptos::prelude::*;
use ow_shared::Lang;

/// The home page: what a resident can do here. Static markup in the reader's language,
/// not typed views: it is in every resident's first load, where a string costs bytes
/// and each typed view costs code (the router follows its links like any other).
#[component]
pub fn Home() -> impl IntoView {
    page_title("首页", "Home");
    let lang = use_lang();
    view! { <div class="home" inner_html=move || home_markup(lang.get())></div> }
}

/// A text in zh-CN and English.
type Text = (&'static str, &'static str);

/// What the home page offers: address, id, whether it is another app, title, text.
const CARDS: [(&str, &str, bool, Text, Text); 4] = [
    (
        "/submit",
        "home-submit",
        false,
        ("我要反映", "Make a request"),
        (
            "提出建议、求助、投诉、矛盾纠纷、检举或咨询，提交后立即得到受理编号和回执。",
            "Suggestions, help, complaints, disputes, accusations or questions: get a tracking number and receipt at once.",
        ),
    ),
    (
        "/track",
        "home-track",
        false,
        ("查进度", "Track progress"),
        (
            "凭受理编号和查询码，随时查看办理进度和办理时限。",
            "See where your request stands and its deadlines, with the tracking number and query code.",
        ),
    ),
    (
        "/grid",
        "home-grid",
        true,
        ("找网格", "Find my grid"),
        ("按住址或位置找到您的网格和网格员。", "Find your grid and grid worker by address or location."),
    ),
    (
        "/booking",
        "home-booking",
        true,
        ("法律援助预约", "Book legal aid"),
        (
            "预约律师咨询、代写文书、法律援助申请或人民调解，一次告知所需材料。",
            "Book a lawyer's advice, document drafting, a legal-aid application or mediation; see all papers to bring.",
        ),
    ),
];

/// The one-window promise: its name and what it means.
const PROMISES: [(Text, Text); 3] = [
    (("一窗受理", "One window"), ("：所有诉求一个窗口接收，不推不拒。", ": every request is taken in at one place.")),
    (("一次告知", "One notice"), ("：需要补充的材料一次说清。", ": anything missing is told to you all at once.")),
    (("最多跑一次", "At most one trip"), ("：让数据多跑路，让群众少跑腿。", ": the data travels, not you.")),
];

/// The home page's markup in `lang` (the texts above hold no characters to escape).
fn home_markup(lang: Lang) -> String {
    let pick = |(zh, en): Text| lang.pick(zh, en);
    let mut html = format!(
        "<h1>{}</h1><p class=\"lead\">{}</p><ul class=\"cards\">",
        pick(("一窗通办 · 群众诉求服务", "OneWindow resident services")),
        pick((
            "有事找政府，只进一扇门。不用区分归哪个部门管，我们统一受理、派单办理、统一答复。",
            "One door for everything you bring to the county. You need not know which office is responsible: we take it in, route it and answer you.",
        )),
    );
    for (href, id, other_app, title, text) in CARDS {
        let rel = if other_app { " rel=\"external\"" } else { "" };
        html += &format!(
            "<li><a class=\"card\" href=\"{href}\" id=\"{id}\"{rel}><span class=\"card-title\">{}</span><span class=\"card-text\">{}</span></a></li>",
            pick(title),
            pick(text)
        );
    }
    html += &format!(
        "</ul><section class=\"promise\" aria-labelledby=\"promise-title\"><h2 id=\"promise-title\">{}</h2><ul>",
        pick(("我们的承诺", "Our promise"))
    );
    for (name, meaning) in PROMISES {
        html += &format!("<li><strong>{}</strong>{}</li>", pick(name), pick(meaning));
    }
    html + "</ul></section>"
}
