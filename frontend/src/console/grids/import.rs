//! The administrators' import and export of grids: boundaries as a GeoJSON
//! FeatureCollection with the day they take effect, teams as CSV. The file goes to the
//! server byte for byte, which checks all of it and stores all or nothing; every bad
//! line or feature comes back with its number and a zh-CN reason, listed here.

use super::super::api::{self, ImportRefused};
use crate::browser::{focus, today};
use crate::console::ui::refusal;
use crate::form::{Errors, Field, set_error};
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped;
use ow_shared::grid::{ImportProblem, ImportReport};
use ow_shared::{ErrorCode, FieldError};

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
                    refusal(&error)
                } else {
                    format!("{}（共 {} 处问题）", refusal(&error), problems.len())
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
    // Both forms' fields: boundaries_file, effective_from, people_file.
    let errs: Errors = crate::form::errors();

    let import_boundaries = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let file = chosen(boundaries_file);
        let date = effective_from.get_untracked().trim().to_string();
        let date_code = match date.as_str() {
            "" => Some(ErrorCode::Required),
            d => ow_shared::calendar::parse(d).is_none().then_some(ErrorCode::DateInvalid),
        };
        set_error(
            errs,
            "boundaries_file",
            file.is_none().then(|| FieldError::new("boundaries_file", ErrorCode::Required)),
        );
        set_error(errs, "effective_from", date_code.map(|code| FieldError::new("effective_from", code)));
        let (Some(file), None) = (file, date_code) else {
            focus(if chosen(boundaries_file).is_none() { "c-g-boundaries-file" } else { "c-g-effective-from" });
            return;
        };
        busy.set(true);
        outcome.set(Outcome::default());
        spawn_local_scoped(async move {
            let answer = api.import_boundaries(&file, &date).await;
            if let Err(refused) = &answer
                && let Some(f) = refused.error.fields.iter().find(|f| f.field == "effective_from")
            {
                set_error(errs, "effective_from", Some(f.clone()));
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
            set_error(errs, "people_file", Some(FieldError::new("people_file", ErrorCode::Required)));
            focus("c-g-people-file");
            return;
        };
        set_error(errs, "people_file", None);
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
    let field = |name, id| Field::new(errs, name).control_id(id);
    let problems =
        move || outcome.with(|o| o.problems.iter().map(|p| (p.line, p.feature, problem_text(p))).collect::<Vec<_>>());
    view! {
        <section class="c-panel c-g-import" aria-labelledby="c-g-import-title">
            <h2 id="c-g-import-title">"导入与导出"</h2>
            <p>"导入前会检查整个文件：只要有一处错误，就不导入任何内容，并逐条列出错误所在的行或要素和原因。"</p>
            <div class="c-g-import-forms">
                <form novalidate on:submit=import_boundaries>
                    <h3>"网格边界"</h3>
                    <p class="hint" id="hint-boundaries_file">
                        "GeoJSON FeatureCollection，WGS84 经纬度；每个要素为 Polygon 或 MultiPolygon，properties.code 为网格编码。边界有变化的网格生成新版本，旧版本保留。"
                    </p>
                    {field("boundaries_file", "c-g-boundaries-file").view("边界文件（.geojson）", None, move |f| view! {
                        <input type="file" id=f.id() node_ref=boundaries_file
                            accept=".geojson,.json,application/geo+json,application/json"
                            aria-invalid=f.invalid() aria-describedby=format!("hint-boundaries_file {}", f.described_by()) />
                    })}
                    {field("effective_from", "c-g-effective-from").view("生效日期", None, move |f| view! {
                        <input type="date" id=f.id() bind:value=effective_from
                            aria-invalid=f.invalid() aria-describedby=f.described_by() />
                    })}
                    <button type="submit" id="c-g-boundaries-import" class="c-button" disabled=move || busy.get()>
                        "导入边界"
                    </button>
                </form>
                <form novalidate on:submit=import_people>
                    <h3>"网格人员"</h3>
                    <p class="hint" id="hint-people_file">
                        "CSV，UTF-8 编码（Excel、WPS 另存为“CSV UTF-8”即可），第 1 行为表头：网格编码,角色,姓名,电话。文件中出现的网格，其队伍整体替换为文件中的人员。"
                    </p>
                    {field("people_file", "c-g-people-file").view("人员文件（.csv）", None, move |f| view! {
                        <input type="file" id=f.id() node_ref=people_file accept=".csv,text/csv"
                            aria-invalid=f.invalid() aria-describedby=format!("hint-people_file {}", f.described_by()) />
                    })}
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
