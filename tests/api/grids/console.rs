//! The console's side of grids: GeoJSON and CSV imports (all or nothing, every problem
//! by feature or line), exports that import back, boundary versions, staff edits as events.

use super::{centre, demo_feature, rings};
use crate::helpers::spawn_app;
use ow_shared::grid::{GridDetail, GridRole, ImportReport};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn collection(features: Vec<Value>) -> Value {
    json!({ "type": "FeatureCollection", "features": features })
}

/// A square polygon feature of `size` degrees with its south-west corner at (lon, lat).
fn square(code: &str, lon: f64, lat: f64, size: f64) -> Value {
    let ring = json!([[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]);
    json!({ "type": "Feature", "properties": { "code": code }, "geometry": { "type": "Polygon", "coordinates": [ring] } })
}

fn problems(body: &Value) -> ImportReport {
    assert_eq!(body["code"], "IMPORT_FAILED", "{body}");
    assert!(body["message"].as_str().unwrap().contains("未导入任何内容"));
    serde_json::from_value(body.clone()).unwrap()
}

#[tokio::test]
async fn a_bad_boundary_file_lists_every_bad_feature_and_stores_nothing() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin").await;
    let before = app.grid_counts();
    let open_ring = json!({ "type": "Feature", "properties": { "code": "AL010102" },
        "geometry": { "type": "Polygon", "coordinates": [[[107.5, 27.8], [107.51, 27.8], [107.51, 27.81], [107.5, 27.81]]] } });
    let mut swapped = square("AL010201", 27.8, 107.5, 0.01);
    swapped["geometry"]["coordinates"][0][0] = json!([27.8, 107.5]);
    let point = json!({ "type": "Feature", "properties": { "code": "AL010202" }, "geometry": { "type": "Point", "coordinates": [107.5, 27.8] } });
    let file = collection(vec![
        square("AL010101", 107.30, 27.60, 0.01), // fine on its own
        open_ring,
        square("NEW0001", 107.30, 27.62, 0.01), // unknown code, no township/village/name
        swapped,
        point,
        square("AL010101", 107.30, 27.64, 0.01), // the same code twice
    ]);
    let (status, body) = app.import_boundaries(&admin, &file, "2026-01-01").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let report = problems(&body);
    let numbered: Vec<u32> = report.errors.iter().map(|p| p.feature.unwrap()).collect();
    assert_eq!(numbered, [2, 3, 4, 5, 6], "{report:?}");
    let text: Vec<&str> = report.errors.iter().map(|p| p.message.as_str()).collect();
    assert!(text[0].starts_with("第 2 个要素（AL010102）：") && text[0].contains("未闭合"), "{}", text[0]);
    assert!(text[1].contains("网格编码不存在"), "{}", text[1]);
    assert!(text[2].contains("不在中国境内"), "{}", text[2]);
    assert!(text[3].contains("Point 不受支持"), "{}", text[3]);
    assert!(text[4].contains("重复"), "{}", text[4]);
    assert_eq!(app.grid_counts(), before, "nothing stored, not even the good feature");

    let (status, body) = app
        .console_upload(&admin, "/api/v1/console/grids/boundaries", b"{\"type\": ".to_vec(), "application/json")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problems(&body).errors[0].message.contains("JSON 格式错误"));
    let (status, body) = app.import_boundaries(&admin, &file, "2026-13-01").await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("effective_from"))
    );
}

#[tokio::test]
async fn a_bad_people_file_lists_every_bad_line_and_stores_nothing() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin").await;
    let before = app.grid_counts();
    let csv = "grid_code,role,name,phone\n\
               AL010101,网格员,张三,13900000001\n\
               AL010101,村长,李四,13900000002\n\
               AL010101,保洁员,王五,12\n\
               XX999999,网格员,赵六,13900000003\n\
               \n\
               AL010102,保洁员,钱七,13900000004\n\
               AL010201,worker,孙八\n";
    let (status, body) = app.import_people(&admin, csv.as_bytes()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let report = problems(&body);
    let lines: Vec<u32> = report.errors.iter().map(|p| p.line.unwrap()).collect();
    assert_eq!(lines, [3, 4, 5, 7, 8], "{report:?}");
    assert!(report.errors[0].message.starts_with("第 3 行：角色“村长”无法识别"));
    assert!(report.errors[1].message.contains("电话“12”无效"));
    assert!(report.errors[2].message.contains("XX999999 不存在"));
    assert!(report.errors[3].message.contains("没有网格员"), "{}", report.errors[3].message);
    assert!(report.errors[4].message.contains("应有 4 列"));
    assert_eq!(app.grid_counts(), before);

    let gbk_name =
        [b"grid_code,role,name,phone\nAL010101,worker,".as_slice(), &[0xD5, 0xC5, 0xC8, 0xFD], b",13900000001\n"]
            .concat();
    let (status, body) = app.import_people(&admin, &gbk_name).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problems(&body).errors[0].message.contains("UTF-8"));
    let (status, body) = app.import_people(&admin, b"code,who\nAL010101,x\n").await;
    assert_eq!((status, problems(&body).errors[0].line), (StatusCode::UNPROCESSABLE_ENTITY, Some(1)));
}

#[tokio::test]
async fn excel_csv_with_a_bom_replaces_the_teams_it_names() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin").await;
    let id = app.grid_id("AL010101").await;
    let other = app.grid_detail(app.grid_id("AL010102").await).await;
    let events = app.count("SELECT count(*) FROM grid_events");
    let csv = "\u{FEFF}网格编码,角色,姓名,电话\r\nAL010101,保洁员,钱七,139 0000 0004\r\nAL010101,网格员,\"张三\",13900000001\r\nAL010101,寨长,李四,0851-28221234\r\n";
    let (status, body) = app.import_people(&admin, csv.as_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(serde_json::from_value::<ImportReport>(body).unwrap(), ImportReport { imported: 3, errors: vec![] });
    let page = app.grid_detail(id).await;
    let team: Vec<(GridRole, &str, &str)> =
        page.people.iter().map(|p| (p.role, p.name.as_str(), p.phone.as_str())).collect();
    assert_eq!(
        team,
        [
            (GridRole::Worker, "张三", "13900000001"),
            (GridRole::HamletHead, "李四", "0851-28221234"),
            (GridRole::Cleaner, "钱七", "13900000004"),
        ]
    );
    assert_eq!(app.count(&format!("SELECT count(*) FROM grids WHERE id = {id} AND worker_name = '张三'")), 1);
    assert_eq!(app.grid_detail(other.summary.id).await, other, "grids the file does not name keep their team");
    let sql = "SELECT count(*) FROM grid_events e JOIN staff s ON s.id = e.actor_id WHERE kind = 'people_import' AND s.username = 'admin'";
    assert_eq!(app.count(sql), 1);
    assert_eq!(app.count("SELECT count(*) FROM grid_events"), events + 1);
}

#[tokio::test]
async fn exports_import_back_unchanged() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin").await;
    let before = app.grid_detail(app.grid_id("AL040402").await).await;
    let (status, geojson) = app.console_download(&admin, "/api/v1/console/grids/boundaries.geojson").await;
    assert_eq!(status, StatusCode::OK);
    let exported: Value = serde_json::from_slice(&geojson).unwrap();
    assert_eq!(exported["features"].as_array().unwrap().len(), 32);
    let (status, csv) = app.console_download(&admin, "/api/v1/console/grids/people.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with(b"\xEF\xBB\xBFgrid_code,role,name,phone"), "a BOM for Excel");
    let versions = app.count("SELECT count(*) FROM grid_boundaries");

    let (status, body) = app.import_boundaries(&admin, &exported, "2026-01-01").await;
    assert_eq!((status, body["imported"].as_u64()), (StatusCode::OK, Some(32)), "{body}");
    let (status, body) = app.import_people(&admin, &csv).await;
    assert_eq!((status, body["imported"].as_u64()), (StatusCode::OK, Some(208)), "{body}");
    assert_eq!(app.count("SELECT count(*) FROM grid_boundaries"), versions, "unchanged boundaries make no new version");
    assert_eq!(app.grid_detail(before.summary.id).await, before);
    let (_, again) = app.console_download(&admin, "/api/v1/console/grids/boundaries.geojson").await;
    assert_eq!(serde_json::from_slice::<Value>(&again).unwrap(), exported);
    let (_, csv_again) = app.console_download(&admin, "/api/v1/console/grids/people.csv").await;
    assert_eq!(csv_again, csv);
}

#[tokio::test]
async fn a_redrawn_grid_keeps_its_history_and_lookups_use_the_version_in_effect() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin").await;
    let id = app.grid_id("AL010101").await;
    let old_centre = centre(&rings(&demo_feature("AL010101"))[0][0]);

    // Version 2, in effect since 2025-06-01: the grid moves to a square south-west of the county.
    let (status, body) =
        app.import_boundaries(&admin, &collection(vec![square("AL010101", 107.30, 27.60, 0.02)]), "2025-06-01").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page = app.grid_detail(id).await;
    assert_eq!((page.boundary_version, page.effective_from.as_str()), (2, "2025-06-01"));
    let moved = app.locate((107.31, 27.61), "").await;
    assert_eq!((moved.grid.code.as_str(), moved.inside), ("AL010101", true));
    assert_ne!(app.locate(old_centre, "").await.grid.code, "AL010101", "the old area is no longer its");

    // Version 3 takes effect in 2099: drawn and kept, not used yet.
    let (status, _) =
        app.import_boundaries(&admin, &collection(vec![square("AL010101", 107.30, 27.65, 0.02)]), "2099-01-01").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.grid_detail(id).await.boundary_version, 2);
    assert!(!app.locate((107.31, 27.66), "").await.inside);
    assert_eq!(app.count(&format!("SELECT count(*) FROM grid_boundaries WHERE grid_id = {id}")), 3, "history kept");

    // A drawing dated before the newest version is refused, with the reason.
    let (status, body) =
        app.import_boundaries(&admin, &collection(vec![square("AL010101", 107.30, 27.70, 0.01)]), "2026-01-01").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problems(&body).errors[0].message.contains("须晚于该网格最新边界（第 3 版）"), "{body}");

    // A new grid, named with its township and village, is made and found.
    let mut new = square("AL010103", 107.30, 27.75, 0.01);
    new["properties"] = json!({ "code": "AL010103", "name": "幸福社区第3网格", "township": "城关街道", "village": "幸福社区", "places": ["幸福新村"] });
    let (status, body) = app.import_boundaries(&admin, &collection(vec![new]), "2026-01-01").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, hits) = app.get_json("/api/v1/grids/search?q=幸福新村").await;
    assert_eq!(hits[0]["grid"]["code"], "AL010103");
}

#[tokio::test]
async fn staff_edit_a_grid_page_and_each_change_is_an_event() {
    let app = spawn_app().await;
    let clerk = app.sign_in("clerk").await;
    let id = app.grid_id("AL020101").await;
    let page = app.grid_detail(id).await;
    let events = app.count("SELECT count(*) FROM grid_events");
    let mut edit = json!({
        "area_description": page.area_description,
        "supervision_phone": "0851-12345",
        "people": [{ "role": "cleaner", "name": "新保洁", "phone": "13900000009" }, { "role": "worker", "name": "新网格员", "phone": "13900000008" }],
        "service_items": page.service_items,
    });
    let path = format!("/api/v1/console/grids/{id}");
    let (status, body) = app.console_put(&clerk, &path, edit.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let edited: GridDetail = serde_json::from_value(body).unwrap();
    assert_eq!(edited.supervision_phone, "0851-12345");
    assert_eq!((edited.people[0].name.as_str(), edited.people.len()), ("新网格员", 2));
    assert_eq!(app.grid_detail(id).await, edited);
    let sql = "SELECT group_concat(kind, ',') FROM (SELECT e.kind FROM grid_events e JOIN staff s ON s.id = e.actor_id
               WHERE s.username = 'clerk' AND e.actor = '窗口-李敏' ORDER BY e.id)";
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    let kinds: String = conn.query_row(sql, [], |r| r.get(0)).unwrap();
    assert_eq!(kinds, "supervision_phone,people", "who, when, what: one event per change");
    assert_eq!(app.count("SELECT count(*) FROM grid_events"), events + 2);
    let (status, _) = app.console_put(&clerk, &path, edit.clone()).await;
    assert_eq!(
        (status, app.count("SELECT count(*) FROM grid_events")),
        (StatusCode::OK, events + 2),
        "no change, no event"
    );
    assert!(conn.execute("DELETE FROM grid_events", []).is_err(), "append-only");

    edit["people"] = json!([{ "role": "cleaner", "name": "", "phone": "1" }]);
    let (status, body) = app.console_put(&clerk, &path, edit.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["people[0].name", "people[0].phone", "people"]);
    let (status, _) = app.console_put(&clerk, "/api/v1/console/grids/999999", json!({
        "area_description": "", "supervision_phone": "12345", "people": [{ "role": "worker", "name": "甲", "phone": "13900000001" }], "service_items": [] })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let officer = app.sign_in("officer_zongzhi").await;
    let (status, _) = app.console_put(&officer, &path, edit).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn only_administrators_import_and_export() {
    let app = spawn_app().await;
    let before = app.grid_counts();
    for username in ["clerk", "leader"] {
        let who = app.sign_in(username).await;
        let (status, body) =
            app.import_boundaries(&who, &collection(vec![square("AL010101", 107.3, 27.6, 0.01)]), "2026-01-01").await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("FORBIDDEN")), "{username}");
        let (status, _) =
            app.import_people(&who, "grid_code,role,name,phone\nAL010101,worker,甲,13900000001\n".as_bytes()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = app.console_download(&who, "/api/v1/console/grids/people.csv").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let response = app.client.post(format!("{}/api/v1/console/grids/people", app.url)).body("x").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.grid_counts(), before);
}

#[tokio::test]
async fn exported_cells_never_run_as_formulas_and_import_back_as_typed() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin").await;
    let csv = "grid_code,role,name,phone\nAL010101,网格员,=A1+1,13900000001\nAL010101,保洁员,@SUM(1),13900000002\n";
    let (status, body) = app.import_people(&admin, csv.as_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, exported) = app.console_download(&admin, "/api/v1/console/grids/people.csv").await;
    let text = String::from_utf8(exported.clone()).unwrap();
    assert!(text.contains(",'=A1+1,"), "{text}");
    assert!(text.contains(",'@SUM(1),"), "{text}");
    let before = app.grid_detail(app.grid_id("AL010101").await).await;
    let (status, _) = app.import_people(&admin, &exported).await;
    assert_eq!(status, StatusCode::OK);
    let after = app.grid_detail(app.grid_id("AL010101").await).await;
    assert_eq!(after, before, "the names come back as typed, without the guard");
    assert!(after.people.iter().any(|p| p.name == "=A1+1"));
}
