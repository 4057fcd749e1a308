//! Grid lookup (网格): township → village → grid, address search, "use my location"
//! (inside, nearest, edges, holes, MultiPolygons, GCJ-02), the grid page and its QR code.
//! Imports, exports, versions and staff edits are in `grids/console.rs`.

mod console;

use crate::helpers::spawn_app;
use ow_shared::grid::gcj02::wgs84_to_gcj02;
use ow_shared::grid::{GridRole, GridSummary};
use ow_shared::{ApiError, ErrorCode};
use reqwest::StatusCode;
use serde_json::Value;

/// The generated demo boundaries the server seeds (scripts/gen-demo-grids.py).
pub const DEMO_GEOJSON: &str = include_str!("../../backend/demo/grids.geojson");

/// The demo feature of a grid code.
pub fn demo_feature(code: &str) -> Value {
    let collection: Value = serde_json::from_str(DEMO_GEOJSON).unwrap();
    collection["features"].as_array().unwrap().iter().find(|f| f["properties"]["code"] == code).unwrap().clone()
}

/// The rings of a feature's polygons: `[polygon][ring][point]`.
pub fn rings(feature: &Value) -> Vec<Vec<Vec<(f64, f64)>>> {
    let geometry = &feature["geometry"];
    let polygons = match geometry["type"].as_str().unwrap() {
        "Polygon" => vec![geometry["coordinates"].clone()],
        _ => geometry["coordinates"].as_array().unwrap().clone(),
    };
    let point = |p: &Value| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
    polygons
        .iter()
        .map(|rings| {
            rings.as_array().unwrap().iter().map(|r| r.as_array().unwrap().iter().map(point).collect()).collect()
        })
        .collect()
}

/// The mean of a ring's points (inside for the demo's near-convex shapes).
pub fn centre(ring: &[(f64, f64)]) -> (f64, f64) {
    let n = (ring.len() - 1) as f64;
    let sum = ring[..ring.len() - 1].iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
    (sum.0 / n, sum.1 / n)
}

#[tokio::test]
async fn township_then_village_then_grid_then_its_page() {
    let app = spawn_app().await;
    let village = &app.regions().await.townships[0].villages[0];
    let (status, body) = app.get_json(&format!("/api/v1/grids?village_id={}", village.id)).await;
    assert_eq!(status, StatusCode::OK);
    let grids: Vec<GridSummary> = serde_json::from_value(body).unwrap();
    let codes: Vec<&str> = grids.iter().map(|g| g.code.as_str()).collect();
    assert_eq!(codes, ["AL010101", "AL010102"]);
    assert_eq!(
        (grids[0].name.as_str(), grids[0].village.as_str(), grids[0].township.as_str()),
        ("幸福社区第1网格", "幸福社区", "城关街道")
    );

    let page = app.grid_detail(grids[0].id).await;
    assert_eq!(page.summary, grids[0]);
    assert_eq!(page.people[0].role, GridRole::Worker, "the grid worker comes first");
    assert!(page.people.iter().any(|p| p.role == GridRole::TownGuide) && page.people.len() >= 4, "3+N team");
    assert!(page.people.iter().all(|p| p.phone.len() == 11), "full phones: public by regulation");
    assert_eq!(page.supervision_phone, "0000-81100");
    assert!(page.service_items.contains(&"矛盾纠纷排查调解".to_string()));
    assert!(page.area_description.contains("幸福小区5栋"));
    assert_eq!((page.boundary_version, page.effective_from.as_str()), (1, "2024-01-01"));
    assert_eq!(page.outline.len(), 1);
    assert!(page.outline[0].len() >= 4 && page.outline[0][0] == *page.outline[0].last().unwrap());
    let worker = app.count(&format!(
        "SELECT count(*) FROM grids WHERE id = {} AND worker_name = '{}'",
        grids[0].id, page.people[0].name
    ));
    assert_eq!(worker, 1, "grids.worker_name mirrors the worker for older readers");

    let (status, body) = app.get_json("/api/v1/grids/999999").await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("GRID_NOT_FOUND")));
    let multi = app.grid_detail(app.grid_id("AL040402").await).await;
    assert_eq!(multi.outline.len(), 2, "a MultiPolygon draws both parts");
    let holed = app.grid_detail(app.grid_id("AL020101").await).await;
    assert_eq!(holed.outline.len(), 2, "the outer ring, then the reservoir's hole");
    assert!(holed.outline[1].len() >= 4);
}

#[tokio::test]
async fn my_location_inside_outside_on_an_edge_in_a_hole_and_in_an_exclave() {
    let app = spawn_app().await;
    let home = rings(&demo_feature("AL010101"));
    let neighbour = rings(&demo_feature("AL010102"));

    let inside = app.locate(centre(&home[0][0]), "").await;
    assert_eq!((inside.grid.code.as_str(), inside.inside, inside.distance_m), ("AL010101", true, None));

    // 0.05° west of the county's straight western edge (lon 107.40): ~4.9 km.
    let outside = app.locate((107.35, 27.875), "").await;
    assert!(!outside.inside);
    assert_eq!(outside.grid.code, "AL010101", "the nearest grid");
    let distance = outside.distance_m.unwrap();
    assert!((4500.0..5300.0).contains(&distance), "{distance}");

    // A vertex both neighbours share: on both edges; the lower code answers, as inside.
    let shared = *home[0][0].iter().find(|p| neighbour[0][0].contains(p)).unwrap();
    let edge = app.locate(shared, "").await;
    assert_eq!((edge.grid.code.as_str(), edge.inside), ("AL010101", true));
    // On the county's outline: only one grid's edge, still inside.
    let outline = app.locate((107.40, 27.90), "").await;
    assert_eq!((outline.grid.code.as_str(), outline.inside), ("AL010101", true));

    // The reservoir: a hole of AL020101 that no grid covers.
    let reservoir = rings(&demo_feature("AL020101"));
    assert_eq!(reservoir[0].len(), 2, "the demo has its hole");
    let hole = app.locate(centre(&reservoir[0][1]), "").await;
    assert_eq!((hole.grid.code.as_str(), hole.inside), ("AL020101", false));
    assert!((100.0..2000.0).contains(&hole.distance_m.unwrap()), "{:?}", hole.distance_m);

    // The exclave of the MultiPolygon grid, outside the county's box.
    let exclave = rings(&demo_feature("AL040402"));
    assert_eq!(exclave.len(), 2, "the demo has its MultiPolygon");
    let far = app.locate(centre(&exclave[1][0]), "").await;
    assert_eq!((far.grid.code.as_str(), far.inside), ("AL040402", true));
}

#[tokio::test]
async fn gcj02_positions_from_chinese_map_apps_are_converted() {
    let app = spawn_app().await;
    let wgs = centre(&rings(&demo_feature("AL020102"))[0][0]);
    let gcj = wgs84_to_gcj02(wgs.0, wgs.1);
    let found = app.locate(gcj, "&crs=gcj02").await;
    assert_eq!((found.grid.code.as_str(), found.inside), ("AL020102", true));
    // The same numbers taken as WGS84 land hundreds of metres away.
    let shift = ow_shared::grid::gcj02::distance_m(wgs, gcj);
    assert!(shift > 200.0, "{shift}");

    for (query, code) in [
        ("lon=2.35&lat=48.85", ErrorCode::LocationOutOfRange),
        ("lon=27.8&lat=107.5", ErrorCode::LocationOutOfRange),
        ("lon=abc&lat=27.8", ErrorCode::BadRequest),
        ("lat=27.8", ErrorCode::BadRequest),
        ("lon=107.5&lat=27.8&crs=bd09", ErrorCode::BadRequest),
    ] {
        let (status, body) = app.get_json(&format!("/api/v1/grids/locate?{query}")).await;
        let error: ApiError = serde_json::from_value(body).unwrap();
        assert_eq!((status, error.code), (StatusCode::BAD_REQUEST, code), "{query}");
        assert!(!error.message.is_empty());
    }
}

#[tokio::test]
async fn address_search_ranks_exact_then_prefix_then_contains() {
    let app = spawn_app().await;
    let hits = app.grid_search("幸福小区5栋").await;
    assert_eq!((hits[0].grid.code.as_str(), hits[0].matched.as_str()), ("AL010101", "幸福小区5栋"));
    let hits = app.grid_search("幸福小区１１栋").await;
    assert_eq!(
        (hits[0].grid.code.as_str(), hits[0].matched.as_str()),
        ("AL010102", "幸福小区11栋"),
        "full-width digits"
    );

    // Exact before prefix: 人民路 is grid 1's, 人民路北段 grid 2's.
    let hits = app.grid_search("人民路").await;
    let got: Vec<(&str, &str)> = hits.iter().map(|h| (h.grid.code.as_str(), h.matched.as_str())).collect();
    assert_eq!(got, [("AL010101", "人民路"), ("AL010102", "人民路北段")]);

    // Two characters: the LIKE fallback. Grid names first, then the rest of the township.
    let hits = app.grid_search("桃源").await;
    let codes: Vec<&str> = hits.iter().map(|h| h.grid.code.as_str()).collect();
    assert_eq!(&codes[..2], ["AL020101", "AL020102"]);
    assert_eq!(hits[0].matched, "桃源村第1网格");
    assert_eq!(hits.len(), 8, "one answer per grid, every grid of 桃源镇");
    assert!(hits.iter().all(|h| h.grid.township == "桃源镇"));

    // A place inside a name ("contains") comes after names that start with it.
    let hits = app.grid_search("小区").await;
    assert!(hits.len() <= 10 && hits.iter().all(|h| h.matched.contains("小区")));
    let hits = app.grid_search("第2网格").await;
    assert_eq!(hits.len(), 10, "at most 10");
    assert!(hits.iter().all(|h| h.matched.ends_with("第2网格")));

    assert!(app.grid_search("").await.is_empty());
    assert!(app.grid_search("不存在的地方").await.is_empty());

    // A full address is found by its longest known part (issue 11).
    for address in ["幸福小区5栋2单元301室", "幸福小区5栋2单元", "幸福小区 5栋 2单元 301"] {
        let hits = app.grid_search(address).await;
        assert_eq!((hits[0].grid.code.as_str(), hits[0].matched.as_str()), ("AL010101", "幸福小区5栋"), "{address}");
    }
    assert!(app.grid_search("%").await.is_empty(), "LIKE wildcards are literal");
}

#[tokio::test]
async fn a_grid_has_a_qr_code_of_its_page() {
    let app = spawn_app().await;
    let id = app.grid_id("AL010101").await;
    let response = app.get(&format!("/api/v1/qr/grid/{id}.svg")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert!(response.text().await.unwrap().contains("<svg"));
    let (status, body) = app.get_json("/api/v1/qr/grid/999999.svg").await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("GRID_NOT_FOUND")));
}
