//! Importing the unit tree (issue 12): an administrator exports the tree as CSV, renames
//! units in it and imports it back; a file with a cycle, an unknown parent or place, a
//! village station straight under the county, a duplicate name is refused as a whole,
//! each bad line named in zh-CN, and nothing is stored.

use crate::helpers::{Signed, TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::Value;

const HEADER: &str = "级别,名称,上级单位,乡镇（街道）,村（社区）\n";

async fn import(app: &TestApp, who: &Signed, csv: &str) -> (StatusCode, Value) {
    app.console_upload(who, "/api/v1/console/units/import", csv.as_bytes().to_vec(), "text/csv").await
}

/// The messages of a refusal, one per problem.
fn messages(body: &Value) -> Vec<String> {
    body["errors"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap().to_string()).collect()
}

fn names(app: &TestApp) -> String {
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    conn.query_row(
        "SELECT group_concat(name || '<' || coalesce(parent_id, ''), ',') FROM (SELECT * FROM units ORDER BY id)",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[tokio::test]
async fn an_exported_tree_edited_and_imported_renames_its_units() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin").await;
    let (status, bytes) = app.console_download(&admin, "/api/v1/console/units.csv").await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(bytes).unwrap();
    assert!(csv.starts_with('\u{feff}'), "a BOM for Excel and WPS");
    assert!(csv.contains("村（社区）,幸福社区服务站,城关街道综治中心,城关街道,幸福社区"), "{csv}");
    let lines = csv.lines().count() as u32;

    let edited = csv.replace("幸福社区服务站", "幸福社区党群服务站").replace("县综治中心", "安澜县社会治理中心");
    let (status, body) = import(&app, &admin, &edited).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["imported"].as_u64().unwrap() as u32, lines - 1);
    let (_, units) = app.console_get(&admin, "/api/v1/console/units").await;
    let units = units.as_array().unwrap();
    assert!(units.iter().any(|u| u["name"] == "幸福社区党群服务站"));
    assert!(units.iter().any(|u| u["name"] == "安澜县社会治理中心" && u["parent_id"].is_null()));

    // A part of the tree: the units it leaves out stay as they are.
    let part = format!("{HEADER}县级,安澜县综治中心,,,\n乡镇（街道）,桃源镇社会治理中心,安澜县综治中心,桃源镇,\n");
    let (status, body) = import(&app, &admin, &part).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, units) = app.console_get(&admin, "/api/v1/console/units").await;
    assert!(units.as_array().unwrap().iter().any(|u| u["name"] == "幸福社区党群服务站"));

    let clerk = app.sign_in("clerk").await;
    assert_eq!(import(&app, &clerk, &part).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.console_download(&clerk, "/api/v1/console/units.csv").await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_bad_tree_names_every_bad_line_and_stores_nothing() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin").await;
    let before = names(&app);
    let cases: &[(&str, &str)] = &[
        // A cycle between two township centres.
        (
            "县级,县中心,,,\n乡镇（街道）,城关中心,桃源中心,城关街道,\n乡镇（街道）,桃源中心,城关中心,桃源镇,\n",
            "第 3 行：上级关系成环：城关中心 → 桃源中心 → 城关中心",
        ),
        ("县级,县中心,,,\n乡镇（街道）,城关中心,市中心,城关街道,\n", "第 3 行：上级单位“市中心”不在文件中"),
        // A village station straight under the county: three levels, no skipping.
        (
            "县级,县中心,,,\n村（社区）,幸福站,县中心,城关街道,幸福社区\n",
            "第 3 行：村（社区）服务站不能直接隶属县级单位",
        ),
        (
            "县级,县中心,,,\n乡镇（街道）,桃源中心,县中心,桃源镇,\n村（社区）,幸福站,桃源中心,城关街道,幸福社区\n",
            "第 4 行：村（社区）服务站的上级应为所在乡镇（街道）“城关街道”的综治中心",
        ),
        ("县级,县中心,,,\n乡镇（街道）,县中心,县中心,城关街道,\n", "第 3 行：名称“县中心”与第 2 行重复"),
        ("县级,县中心,,,\n乡镇（街道）,新城中心,县中心,新城镇,\n", "第 3 行：找不到乡镇（街道）“新城镇”"),
        ("县级,县中心,,,\n地级,市中心,,,\n", "第 3 行：级别“地级”无法识别"),
        ("乡镇（街道）,城关中心,,城关街道,\n", "文件中应有一个县级单位"),
        ("县级,县中心,,,\n县级,另一县中心,,,\n", "文件中只能有一个县级单位，现有 2 个（第 2、3 行）"),
        ("县级,县中心,,,\n乡镇（街道）,城关中心,县中心,城关街道\n", "第 3 行：应有 5 列"),
    ];
    for (rows, expected) in cases {
        let (status, body) = import(&app, &admin, &format!("{HEADER}{rows}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{rows}: {body}");
        assert_eq!(body["code"], "IMPORT_FAILED");
        let all = messages(&body);
        assert!(all.iter().any(|m| m.starts_with(expected)), "{rows}\nexpected {expected}\ngot {all:?}");
        assert_eq!(names(&app), before, "nothing stored: {rows}");
    }
    let (status, body) = import(&app, &admin, "name,parent\n县中心,\n").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(messages(&body)[0].contains("表头应为"), "{body}");
    let (status, body) = import(&app, &admin, "\u{feff}level,name,parent,township,village\n").await;
    assert_eq!((status, messages(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["文件没有数据行".to_string()]));
    assert_eq!(names(&app), before);
}
