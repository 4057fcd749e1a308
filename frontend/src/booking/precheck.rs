//! `/booking/precheck`: the optional eligibility self-check before booking a legal-aid
//! application (法律援助法 Art.31, 32, 42, 44). It runs in the browser with the shared
//! `precheck` and the threshold from the server; whatever it says, booking goes on.

use super::{api, href, paths};
use crate::i18n::{page_title, tr, use_lang};
use crate::load::Loaded;
use leptos::prelude::*;
use ow_shared::Lang;
use ow_shared::booking::{
    AidMatter, BookingSettings, NoFinanceCheck, NoMeansTest, PrecheckAnswers, PrecheckResult, Verdict, precheck,
};

/// The self-check page.
#[component]
pub fn Precheck() -> impl IntoView {
    page_title("法律援助自查", "Legal aid self-check");
    let lang = use_lang();
    let settings: Loaded<BookingSettings> = Loaded::new();
    let fetch = move || settings.load(api::settings());
    fetch();
    let result = RwSignal::new(None::<PrecheckResult>);
    let skip = href(paths::SLOT, &[("service", "legal_aid_application")]);
    let run = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let threshold =
            settings.with_untracked(|s| s.as_ref().and_then(|r| r.as_ref().ok()).map(|s| s.income_threshold));
        let mut answers = answers();
        // Without the threshold (still loading, or failed) the income cannot be judged:
        // it is left out, as if not given.
        if threshold.is_none() {
            answers.monthly_income_per_person = None;
        }
        if let Some(today) = ow_shared::calendar::parse(&crate::browser::today()) {
            result.set(Some(precheck(&answers, threshold.unwrap_or(0), today)));
            // Once the result is on the page.
            request_animation_frame(|| crate::browser::focus("b-pc-result-title"));
        }
    };
    let note = move || {
        settings.ready().map(|s| {
            format!(
                "{}{}{} {}",
                lang.get().pick("每人每月 ", "Per person per month: "),
                s.income_threshold,
                lang.get().pick(" 元", " yuan"),
                s.threshold_note
            )
        })
    };
    // The questions are plain markup (read back from the page by `answers`): typed
    // views cost kilobytes each against the download budget, a string costs bytes.
    let questions = move || questions_markup(lang.get());
    let limitation = move || limitation_markup(lang.get());
    let outcome = move || {
        result.with(|r| {
            r.as_ref().map(|r| {
                // An urgent result goes on with the booking, so staff see it.
                let urgent = if r.urgent { "1" } else { "" };
                let next = href(paths::SLOT, &[("service", "legal_aid_application"), ("urgent", urgent)]);
                outcome_markup(r, &next, lang.get())
            })
        })
    };
    view! {
        <h1>{tr("法律援助条件自查（可选）", "Legal aid self-check (optional)")}</h1>
        <p class="lead">
            {tr(
                "回答几个问题，初步了解是否可能符合法律援助条件。自查结果仅供参考，不影响预约，最终以法律援助机构审查为准。",
                "A few questions to see whether you may qualify for legal aid. The answer is only a guide: it never stops you booking, and the legal-aid office decides.",
            )}
        </p>
        <p>
            <a id="b-pc-skip" href=skip>{tr("跳过自查，直接预约", "Skip and book now")}</a>
        </p>
        <form novalidate on:submit=run>
            <div inner_html=questions></div>
            <div class="field">
                <label for="b-pc-income">
                    {tr("家庭月收入（人均，元）", "Household income per person per month (yuan)")}
                    <span class="optional">{tr("（选填）", " (optional)")}</span>
                </label>
                <p class="hint" id="b-pc-income-hint">
                    {tr("经济困难标准：", "Threshold: ")}
                    {note}
                </p>
                <input type="text" id="b-pc-income" inputmode="numeric" autocomplete="off" aria-describedby="b-pc-income-hint" />
            </div>
            <div inner_html=limitation></div>
            {settings.status("b-settings-status", fetch)}
            <button type="submit" id="b-pc-run" class="secondary">{tr("开始自查", "Check")}</button>
        </form>
        <section id="b-pc-result" class="b-panel" aria-labelledby="b-pc-result-title" hidden=move || result.with(Option::is_none)
            inner_html=outcome></section>
    }
}

/// Art.31 matter, Art.32 cases and Art.42 groups, in the reader's language.
fn questions_markup(lang: Lang) -> String {
    let mut html = format!(
        "<div class=\"field\"><label for=\"b-pc-matter\">{}</label><select id=\"b-pc-matter\"><option value=\"\">{}</option>",
        lang.pick("您要解决的事项（第三十一条）", "Your matter (Art.31)"),
        lang.pick("请选择", "Choose"),
    );
    for m in AidMatter::ALL {
        html += &format!("<option value=\"{}\">{}</option>", code(&m), m.label(lang));
    }
    html += &format!(
        "</select></div><div class=\"field\"><label for=\"b-pc-special\">{}</label><select id=\"b-pc-special\"><option value=\"\">{}</option>",
        lang.pick(
            "是否属于以下情形（第三十二条，不受经济困难条件限制）",
            "Does one of these apply? (Art.32, no means test)"
        ),
        lang.pick("都不是", "None of these"),
    );
    for m in NoMeansTest::ALL {
        html += &format!("<option value=\"{}\">{}</option>", code(&m), m.label(lang));
    }
    html += &format!(
        "</select></div><fieldset class=\"field\"><legend>{}</legend>",
        lang.pick(
            "您是否属于以下人员（第四十二条，有证明材料的免予核查经济状况）",
            "Are you one of these? (Art.42, finances not checked with proof)"
        ),
    );
    for g in NoFinanceCheck::ALL {
        let id = format!("b-pc-group-{}", code(&g));
        html += &format!(
            "<div class=\"check\"><input type=\"checkbox\" id=\"{id}\"><label for=\"{id}\">{}</label></div>",
            g.label(lang)
        );
    }
    html + "</fieldset>"
}

/// The limitation date (Art.44).
fn limitation_markup(lang: Lang) -> String {
    format!(
        "<div class=\"field\"><label for=\"b-pc-limitation\">{}<span class=\"optional\">{}</span></label>\
         <p class=\"hint\" id=\"b-pc-limitation-hint\">{}</p>\
         <input type=\"date\" id=\"b-pc-limitation\" aria-describedby=\"b-pc-limitation-hint\"></div>",
        lang.pick("诉讼时效或申请期限届满日", "When your time limit to sue or apply runs out"),
        lang.pick("（选填）", " (optional)"),
        lang.pick(
            "如不足 7 日，可先行提供法律援助（第四十四条）。",
            "With under 7 days left, aid can start at once (Art.44)."
        ),
    )
}

/// The verdict, the urgent banner, the reasons and other routes, and the way on.
fn outcome_markup(r: &PrecheckResult, next: &str, lang: Lang) -> String {
    let (verdict, class) = match r.verdict {
        Verdict::LikelyEligible => (lang.pick("可能符合条件", "You may qualify"), "success"),
        Verdict::NeedsReview => (lang.pick("需进一步审查", "Needs a closer look"), "notice"),
        Verdict::LikelyNotEligible => {
            (lang.pick("可能不符合条件——其他途径", "You may not qualify: other routes"), "warning")
        }
    };
    let mut html = format!("<h2 id=\"b-pc-result-title\" tabindex=\"-1\">{}</h2>", lang.pick("自查结果", "Result"));
    if r.urgent {
        html += &format!(
            "<p id=\"b-pc-urgent\" class=\"form-error\" role=\"alert\">{}</p>",
            lang.pick(
                "时效即将届满（不足 7 日）：可以先行提供法律援助，请尽快预约最近的时段，或直接前往、致电。",
                "Your time limit ends within 7 days: aid can start before approval. Book the nearest time, come in or call at once.",
            )
        );
    }
    html += &format!("<p id=\"b-pc-verdict\" class=\"{class}\">{verdict}</p>");
    html += &list("b-pc-reasons", &r.reasons);
    if !r.other_routes.is_empty() {
        html += &format!("<h3>{}</h3>", lang.pick("其他途径", "Other routes"));
        html += &list("b-pc-routes", &r.other_routes);
    }
    html + &format!(
        "<p class=\"hint\">{}</p><a id=\"b-pc-continue\" class=\"primary b-button\" href=\"{}\">{}</a>",
        lang.pick("自查结果仅供参考，不影响预约。", "Only a guide: you can book either way."),
        escape(next),
        lang.pick("继续预约", "Continue booking"),
    )
}

/// `<ul id>` of texts, escaped.
fn list(id: &str, items: &[String]) -> String {
    let items: String = items.iter().map(|x| format!("<li>{}</li>", escape(x))).collect();
    // The shared pre-check words its reasons in Chinese only.
    format!("<ul id=\"{id}\" lang=\"zh-CN\">{items}</ul>")
}

/// Text made safe for markup.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
/// The answers as the form holds them now.
fn answers() -> PrecheckAnswers {
    let matter = value("b-pc-matter");
    let special = value("b-pc-special");
    let income = ow_shared::validate::normalize_digits(value("b-pc-income").trim());
    let limitation = value("b-pc-limitation");
    PrecheckAnswers {
        matter: AidMatter::ALL.into_iter().find(|m| code(m) == matter),
        no_means_test: NoMeansTest::ALL.into_iter().find(|m| code(m) == special),
        groups: NoFinanceCheck::ALL.into_iter().filter(|g| checked(&format!("b-pc-group-{}", code(g)))).collect(),
        monthly_income_per_person: income.parse().ok(),
        limitation_ends_on: (!limitation.is_empty()).then_some(limitation),
    }
}

/// The wire code of an answer (`labour_relation_or_pay`), for values and ids.
fn code(answer: &impl serde::Serialize) -> String {
    serde_json::to_string(answer).unwrap_or_default().trim_matches('"').to_string()
}

/// A control's `value` (input or select), read from the page.
fn value(id: &str) -> String {
    document()
        .get_element_by_id(id)
        .and_then(|e| js_sys::Reflect::get(&e, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Whether a checkbox is ticked.
fn checked(id: &str) -> bool {
    document()
        .get_element_by_id(id)
        .and_then(|e| js_sys::Reflect::get(&e, &"checked".into()).ok())
        .is_some_and(|v| v.is_truthy())
}
