//! Grids: the public look-ups, and the console's imports.

use super::{Signed, TestApp};
use ow_shared::grid::{GridDetail, GridMatch, GridSummary, LocateResult};
use reqwest::StatusCode;
use serde_json::Value;

impl TestApp {
    /// "Use my location": the grid at (or nearest to) a point; `crs` is appended to the query.
    pub async fn locate(&self, (lon, lat): (f64, f64), crs: &str) -> LocateResult {
        let (status, body) = self.get_json(&format!("/api/v1/grids/locate?lon={lon}&lat={lat}{crs}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).unwrap()
    }

    /// Address search.
    pub async fn grid_search(&self, q: &str) -> Vec<GridMatch> {
        let (status, body) = self.get_json(&format!("/api/v1/grids/search?q={q}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).unwrap()
    }

    /// A grid's page.
    pub async fn grid_detail(&self, id: i64) -> GridDetail {
        let (status, body) = self.get_json(&format!("/api/v1/grids/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).unwrap()
    }

    /// The id of the grid with this code.
    pub async fn grid_id(&self, code: &str) -> i64 {
        let (_, body) = self.get_json("/api/v1/grids").await;
        let grids: Vec<GridSummary> = serde_json::from_value(body).unwrap();
        grids.iter().find(|g| g.code == code).unwrap().id
    }

    /// Imports a GeoJSON collection of boundaries in effect from a date, as `who`.
    pub async fn import_boundaries(
        &self,
        who: &Signed,
        collection: &Value,
        effective_from: &str,
    ) -> (StatusCode, Value) {
        let path = format!("/api/v1/console/grids/boundaries?effective_from={effective_from}");
        self.console_upload(who, &path, collection.to_string().into_bytes(), "application/geo+json").await
    }

    /// Imports a CSV of grid teams, as `who`.
    pub async fn import_people(&self, who: &Signed, csv: &[u8]) -> (StatusCode, Value) {
        self.console_upload(who, "/api/v1/console/grids/people", csv.to_vec(), "text/csv").await
    }

    /// Rows of the grid tables: grids, boundaries, people, events, places.
    pub fn grid_counts(&self) -> [i64; 5] {
        ["grids", "grid_boundaries", "grid_people", "grid_events", "grid_places"]
            .map(|t| self.count(&format!("SELECT count(*) FROM {t}")))
    }
}
