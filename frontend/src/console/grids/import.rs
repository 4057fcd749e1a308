//! The administrators' import and export of grids: boundaries as a GeoJSON
//! FeatureCollection with the day they take effect, teams as CSV. The file goes to the
//! server byte for byte, which checks all of it and stores all or nothing; every bad
//! line or feature comes back with its number and a zh-CN reason, listed here.

use super::super::api::{self, ImportRefused};
use crate::browser::{today};
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::grid::{ImportProblem, ImportReport};
use ow_shared::{ErrorCode, Lang};

/// What the last import answered.
#[derive(Clone, Default)]
struct Outcome {
    imported: Option<String>,
    refused: Option<String>,
    problems: Vec<ImportProblem>,
}

impl Outcome {
    fn of(answer: Result<ImportReport, ImportRefused>, what: &str) -> Outcome {
        match answer {
            Ok(report) => Outcome {
                imported: Some(format!("导入成功：{} {what}。", report.imported)),
                ..Outcome::default()
            },
            Err(ImportRefused { error, problems }) => {
                let refused = if problems.is_empty() {
                    error.message
                } else {
                    format!("{}（共 {} 处问题）", error.message, problems.len())
                };
                Outcome { refused: Some(refused), problems, ..Outcome::default() }
            }
        }
    }
}

/// A bad line or feature, always naming which (the server's text already does).
fn problem_text(p: &ImportProblem) -> String {
    if p.message.starts_with('第') {
        return p.message.clone();
    }
    match (p.line, p.feature) {
        (Some(n), _) => format!("第 {n} 行：{}", p.message),
        (_, Some(n)) => format!("第 {n} 个要素：{}", p.message),
        _ => p.message.clone(),
    }
}

/// The file chosen in a file input, if any.
fn chosen(input: NodeRef<Input>) -> Option<web_sys::File> {
    input.get_untracked()?.files()?.get(0)
}

fn clear(input: NodeRef<Input>) {
    if let Some(el) = input.get_untracked() {
        el.set_value("");
    }
}

/// The import forms, their outcome and the export links; `reload` refreshes the list
/// after new boundaries (an import may add grids).
pub fn import_section(reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let api = crate::console::api::use_api();
    let outcome = RwSignal::new(Outcome::default());
    let busy = RwSignal::new(false);
    let boundaries_file = NodeRef::<Input>::new();
    let people_file = NodeRef::<Input>::new();
    let effective_from = RwSignal::new(today());
    let boundaries_err = RwSignal::new(None::<String>);
    let date_err = RwSignal::new(None::<String>);
    let people_err = RwSignal::new(None::<String>);

    let import_boundaries = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let file = chosen(boundaries_file);
        let date = effective_from.get_untracked().trim().to_string();
        boundaries_err.set(file.is_none().then(|| "请选择 GeoJSON 边界文件".to_string()));
        date_err.set(if date.is_empty() {
            Some("请选择生效日期".into())
        } else {
            ow_shared::calendar::parse(&date).is_none().then(|| ErrorCode::DateInvalid.message(Lang::Zh, None, None))
        });
        let (Some(file), None) = (file, date_err.get_untracked()) else {
            crate::browser::focus(if boundaries_err.get_untracked().is_some() {
                "c-g-boundaries-file"
            } else {
                "c-g-effective-from"
            });
            return;
        };
        busy.set(true);
        outcome.set(Outcome::default());
        spawn_local_scoped(async move {
            let answer = api.import_boundaries(&file, &date).await;
            if let Err(refused) = &answer
                && let Some(f) = refused.error.fields.iter().find(|f| f.field == "effective_from")
            {
                date_err.try_set(Some(f.message(Lang::Zh)));
            }
            if answer.is_ok() {
                clear(boundaries_file);
                reload();
            }
            outcome.try_set(Outcome::of(answer, "个网格边界"));
            busy.try_set(false);
        });
    };
    let import_people = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(file) = chosen(people_file) else {
            people_err.set(Some("请选择 CSV 人员文件".into()));
            crate::browser::focus("c-g-people-file");
            return;
        };
        people_err.set(None);
        busy.set(true);
        outcome.set(Outcome::default());
        spawn_local_scoped(async move {
            let answer = api.import_people(&file).await;
            if answer.is_ok() {
                clear(people_file);
            }
            outcome.try_set(Outcome::of(answer, "条人员记录"));
            busy.try_set(false);
        });
    };
    let err =
        |id: &'static str, text: RwSignal<Option<String>>| view! { <p class="err" id=id>{move || text.get()}</p> };
    let problems =
        move || outcome.with(|o| o.problems.iter().map(|p| (p.line, p.feature, problem_text(p))).collect::<Vec<_>>());
    view! {
        <section class="c-panel c-g-import" aria-labelledby="c-g-import-title">
            <h2 id="c-g-import-title">"导入与导出"</h2>
            <p>"导入前会检查整个文件：只要有一处错误，就不导入任何内容，并逐条列出错误所在的行或要素和原因。"</p>
            <div class="c-g-import-forms">
                <form novalidate on:submit=import_boundaries>
                    <h3>"网格边界"</h3>
                    <p class="hint" id="c-g-hint-boundaries">
                        "GeoJSON FeatureCollection，WGS84 经纬度；每个要素为 Polygon 或 MultiPolygon，properties.code 为网格编码。边界有变化的网格生成新版本，旧版本保留。"
                    </p>
                    <div class="field">
                        <label for="c-g-boundaries-file">"边界文件（.geojson）"</label>
                        <input type="file" id="c-g-boundaries-file" node_ref=boundaries_file
                            accept=".geojson,.json,application/geo+json,application/json"
                            aria-invalid=move || boundaries_err.with(Option::is_some).to_string()
                            aria-describedby="c-g-hint-boundaries c-g-err-boundaries-file" />
                        {err("c-g-err-boundaries-file", boundaries_err)}
                    </div>
                    <div class="field">
                        <label for="c-g-effective-from">"生效日期"</label>
                        <input type="date" id="c-g-effective-from" bind:value=effective_from
                            aria-invalid=move || date_err.with(Option::is_some).to_string()
                            aria-describedby="c-g-err-effective-from" />
                        {err("c-g-err-effective-from", date_err)}
                    </div>
                    <button type="submit" id="c-g-boundaries-import" class="c-button" disabled=move || busy.get()>
                        "导入边界"
                    </button>
                </form>
                <form novalidate on:submit=import_people>
                    <h3>"网格人员"</h3>
                    <p class="hint" id="c-g-hint-people">
                        "CSV，UTF-8 编码（Excel、WPS 另存为“CSV UTF-8”即可），第 1 行为表头：网格编码,角色,姓名,电话。文件中出现的网格，其队伍整体替换为文件中的人员。"
                    </p>
                    <div class="field">
                        <label for="c-g-people-file">"人员文件（.csv）"</label>
                        <input type="file" id="c-g-people-file" node_ref=people_file accept=".csv,text/csv"
                            aria-invalid=move || people_err.with(Option::is_some).to_string()
                            aria-describedby="c-g-hint-people c-g-err-people-file" />
                        {err("c-g-err-people-file", people_err)}
                    </div>
                    <button type="submit" id="c-g-people-import" class="c-button" disabled=move || busy.get()>
                        "导入人员"
                    </button>
                </form>
            </div>
            <p class="c-loading" role="status">{move || busy.get().then_some("正在导入，请稍候…")}</p>
            <p id="c-g-import-result" class="c-status" role="status">{move || outcome.with(|o| o.imported.clone())}</p>
            <p id="c-g-import-refused" class="form-error" role="alert">{move || outcome.with(|o| o.refused.clone())}</p>
            <ul id="c-g-import-errors" class="c-g-problems" aria-labelledby="c-g-import-refused"
                hidden=move || outcome.with(|o| o.problems.is_empty())>
                {move || problems().into_iter().map(|(line, feature, text)| view! {
                    <li data-line=line.map(|n| n.to_string()) data-feature=feature.map(|n| n.to_string())>{text}</li>
                }).collect_view()}
            </ul>
            <h3>"导出"</h3>
            <p class="c-g-exports">
                <a id="c-g-export-boundaries" class="c-button c-link-button" href=api::GRID_BOUNDARIES_EXPORT
                    download="grid-boundaries.geojson">"导出网格边界（GeoJSON）"</a>
                <a id="c-g-export-people" class="c-button c-link-button" href=api::GRID_PEOPLE_EXPORT
                    download="grid-people.csv">"导出网格人员（CSV）"</a>
            </p>
            <p class="hint">"导出的文件与导入格式相同，修改后可直接导回。"</p>
        </section>
    }
}
