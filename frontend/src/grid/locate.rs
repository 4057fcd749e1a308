//! 使用我的位置: the browser's position (WGS84) → the grid containing it. Inside a grid the
//! resident lands on its page; outside every grid the nearest is offered with its
//! distance; when the position cannot be had, a clear message points to the other two ways.

use super::{api, grid_href};
use crate::i18n::{message, tr, use_lang};
use js_sys::{Function, Promise, Reflect};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::grid::GridSummary;
use ow_shared::{ErrorCode, Lang};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why no grid came of the position.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Failure {
    /// No `navigator.geolocation` (or it threw).
    Unsupported,
    /// The resident, WeChat or the browser refused (also: a page not served over https).
    Denied,
    Unavailable,
    Timeout,
    /// The position was had, the server refused it (e.g. not in China).
    Api(ErrorCode),
}

impl Failure {
    fn text(self, lang: Lang) -> String {
        let why = match self {
            Failure::Unsupported => lang.pick("此浏览器不能获取位置。", "This browser cannot tell your position."),
            Failure::Denied => lang.pick(
                "未获得位置权限。如需使用，请在微信或浏览器的设置中允许获取位置后重试。",
                "Permission to use your position was not given. To use it, allow location access in WeChat or the browser settings and try again.",
            ),
            Failure::Unavailable => lang.pick(
                "暂时无法确定您的位置（请确认手机已打开定位）。",
                "Your position could not be determined (check that location is switched on).",
            ),
            Failure::Timeout => lang.pick("获取位置超时。", "Getting your position took too long."),
            Failure::Api(code) => return format!("{} {}", message(code, lang), other_ways(lang)),
        };
        format!("{why}{}", other_ways(lang))
    }
}

fn other_ways(lang: Lang) -> &'static str {
    lang.pick(
        "您也可以在下方输入小区、村或网格名称搜索，或按乡镇和村查找。",
        " You can also search below for your estate, village or grid, or choose your township and village.",
    )
}

/// What the section shows under the button.
#[derive(Clone, PartialEq)]
enum Shown {
    Idle,
    Locating,
    Failed(Failure),
    /// Outside every grid: the nearest and how far, in metres.
    Outside(GridSummary, f64),
}

/// The "use my position" section.
#[component]
pub fn Locate() -> impl IntoView {
    let lang = use_lang();
    let router = crate::nav::Router::get();
    let shown = RwSignal::new(Shown::Idle);
    // A second tap while a first is pending (say, an unanswered permission prompt)
    // starts afresh; only the latest attempt's answer counts.
    let attempt = StoredValue::new(0u32);
    let locate = move |_| {
        let this = attempt.get_value() + 1;
        attempt.set_value(this);
        shown.set(Shown::Locating);
        spawn_local_scoped(async move {
            let found = match position().await {
                Ok((lon, lat)) => api::locate(lon, lat).await.map_err(|e| Failure::Api(e.code)),
                Err(failure) => Err(failure),
            };
            // Gone (the page was left) or overtaken by a later tap.
            if attempt.try_get_value() != Some(this) {
                return;
            }
            match found {
                Ok(found) if found.inside => {
                    shown.set(Shown::Idle);
                    router.navigate(&grid_href(found.grid.id));
                }
                Ok(found) => shown.set(Shown::Outside(found.grid, found.distance_m.unwrap_or(0.0))),
                Err(failure) => shown.set(Shown::Failed(failure)),
            }
        });
    };
    let failure = move || match shown.get() {
        Shown::Failed(f) => f.text(lang.get()),
        _ => String::new(),
    };
    let outside = move || match shown.get() {
        Shown::Outside(grid, metres) => Some(nearest(grid, metres, lang)),
        _ => None,
    };
    let busy = move || shown.with(|s| *s == Shown::Locating);
    view! {
        <section class="g-way" aria-labelledby="g-locate-title">
            <h2 id="g-locate-title">{tr("按我的位置查找", "By my position")}</h2>
            <p class="hint" id="g-locate-hint">
                {tr(
                    "需要您允许获取位置；位置只用于这次查找，不会保存。",
                    "You will be asked to allow location access; your position is used for this search only and is not kept.",
                )}
            </p>
            <button
                type="button"
                id="g-locate"
                class="primary"
                aria-describedby="g-locate-hint"
                aria-busy=move || busy().to_string()
                on:click=locate
            >
                {move || if busy() { tr("正在获取位置…", "Getting your position…")() } else { tr("使用我的位置", "Use my position")() }}
            </button>
            <p id="g-locate-error" class="form-error" role="alert">
                {failure}
            </p>
            <div id="g-locate-result" role="status">
                {outside}
            </div>
        </section>
    }
}

/// Farther than this from every grid, the position is taken to be outside the county
/// (a wrong fix, or someone elsewhere): naming a grid 1,500 km away helps no one.
const OUTSIDE_COUNTY_M: f64 = 50_000.0;

/// "Not in any grid; the nearest is X, about N m away", X a link to its page; far away,
/// "not in this county" and the other two ways instead.
fn nearest(grid: GridSummary, metres: f64, lang: RwSignal<Lang>) -> AnyView {
    if metres > OUTSIDE_COUNTY_M {
        return view! {
            <p class="notice" id="g-outside-county">
                {move || lang.get().pick(
                    "您的位置不在本县范围内，无法按位置查找网格。请用下方的",
                    "Your position is outside this county, so no grid can be found by it. Use ",
                )}
                <a href="#g-search">{tr("搜索地名", "the place-name search")}</a>
                {move || lang.get().pick("，或", " or ")}
                <a href="#g-township">{tr("按乡镇和村查找", "choose your township and village")}</a>
                {move || lang.get().pick("。", ".")}
            </p>
        }
        .into_any();
    }
    let place = format!("{} {}", grid.township, grid.village);
    view! {
        <p class="notice">
            {move || lang.get().pick("您不在任何网格范围内，最近的网格是 ", "You are not inside any grid. The nearest grid is ")}
            <a class="g-nearest" href=grid_href(grid.id)>
                {grid.name}
            </a>
            {format!("（{place}）")}
            {move || distance(metres, lang.get())}
        </p>
    }
    .into_any()
}

/// "，约 850 米" / "，约 1.2 公里" without Rust's float formatting (see `js_number`).
fn distance(metres: f64, lang: Lang) -> String {
    let (number, unit) = if metres < 1000.0 {
        (((metres.max(0.0) / 10.0).round() as i64 * 10).to_string(), lang.pick(" 米。", " m away."))
    } else {
        let tenths = (metres / 100.0).round() as i64;
        (format!("{}.{}", tenths / 10, tenths % 10), lang.pick(" 公里。", " km away."))
    };
    format!("{}{number}{unit}", lang.pick("，约 ", ", about "))
}

/// The browser's position as (longitude, latitude), WGS84.
pub(crate) async fn position() -> Result<(f64, f64), Failure> {
    let mut started = false;
    let promise = Promise::new(&mut |resolve, reject| started = request_position(&resolve, &reject));
    if !started {
        return Err(Failure::Unsupported);
    }
    let number = |v: &JsValue, key: &str| Reflect::get(v, &JsValue::from_str(key)).ok().and_then(|x| x.as_f64());
    match JsFuture::from(promise).await {
        Ok(pos) => {
            let coords = Reflect::get(&pos, &JsValue::from_str("coords")).map_err(|_| Failure::Unavailable)?;
            match (number(&coords, "longitude"), number(&coords, "latitude")) {
                (Some(lon), Some(lat)) => Ok((lon, lat)),
                _ => Err(Failure::Unavailable),
            }
        }
        // GeolocationPositionError.code: 1 denied, 2 unavailable, 3 timeout.
        Err(e) => Err(match number(&e, "code") {
            Some(1.0) => Failure::Denied,
            Some(3.0) => Failure::Timeout,
            _ => Failure::Unavailable,
        }),
    }
}

/// `navigator.geolocation.getCurrentPosition(ok, err, options)`; false where the browser
/// has no geolocation. Called through `Reflect` so no web-sys features are needed.
fn request_position(ok: &Function, err: &Function) -> bool {
    let get = |v: &JsValue, key: &str| Reflect::get(v, &JsValue::from_str(key)).ok().filter(|x| !x.is_undefined());
    let Some(geolocation) = get(&window(), "navigator").and_then(|n| get(&n, "geolocation")) else { return false };
    let Some(call) = get(&geolocation, "getCurrentPosition").and_then(|f| f.dyn_into::<Function>().ok()) else {
        return false;
    };
    // A fresh fix within a minute will do; give up after 15 s rather than leave the resident waiting.
    let options = js_sys::JSON::parse(r#"{"enableHighAccuracy":true,"timeout":15000,"maximumAge":60000}"#)
        .unwrap_or(JsValue::UNDEFINED);
    call.call3(&geolocation, ok, err, &options).is_ok()
}
