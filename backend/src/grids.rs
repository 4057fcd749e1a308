//! Grids (网格), no HTTP here: the spatial index of the boundaries in effect (cached,
//! rebuilt after imports and when the day changes), a grid's page, and staff edits
//! recorded as events. Imports and exports live in `import` and `export`.

pub mod export;
pub mod geojson;
pub mod import;
pub mod index;

use crate::auth::Staff;
use crate::clock;
use crate::db::Db;
use crate::db::grids::{self as store, Event};
use crate::error::AppError;
use index::GridIndex;
use ow_shared::grid::{GridDetail, GridUpdate};
use rusqlite::Connection;
use std::sync::{Arc, RwLock};
use time::Date;

/// Who changed a grid, as the event log names them.
#[derive(Debug, Clone)]
pub struct Actor {
    /// None for the system (seeding).
    pub id: Option<i64>,
    pub name: String,
}

impl Actor {
    /// A signed-in member of staff.
    pub fn staff(staff: &Staff) -> Actor {
        Actor { id: Some(staff.id), name: staff.display_name.clone() }
    }

    /// The server itself (demo data).
    pub fn system() -> Actor {
        Actor { id: None, name: "系统".into() }
    }
}

#[derive(Default)]
struct Cached {
    /// Bumped by every import, so an index built from data read before it is not kept.
    generation: u64,
    index: Option<(Date, Arc<GridIndex>)>,
}

/// The index of the boundaries in effect today, kept in memory: look-ups never touch
/// SQLite. Rebuilt on the first look-up after an import or after midnight (a version
/// with a later effective date takes over by itself).
#[derive(Default)]
pub struct GridCache {
    cached: RwLock<Cached>,
    /// One build at a time: the first look-ups after a start wait for it, not repeat it.
    building: tokio::sync::Mutex<()>,
}

impl GridCache {
    fn current(&self, today: Date) -> Result<Arc<GridIndex>, u64> {
        let cached = self.cached.read().unwrap_or_else(|e| e.into_inner());
        match &cached.index {
            Some((day, index)) if *day == today => Ok(index.clone()),
            _ => Err(cached.generation),
        }
    }

    /// The index for today.
    pub async fn index(&self, db: &Db) -> Result<Arc<GridIndex>, AppError> {
        let today = clock::date_of(clock::now_ms());
        if let Ok(index) = self.current(today) {
            return Ok(index);
        }
        let _building = self.building.lock().await;
        let generation = match self.current(today) {
            Ok(index) => return Ok(index),
            Err(generation) => generation,
        };
        let day = clock::format_date(today);
        let index = db
            .read(move |conn| {
                let grids = store::boundaries_on(conn, &day)?;
                Ok(GridIndex::build(grids.into_iter().map(|(grid, boundary)| (grid, boundary.geometry)).collect()))
            })
            .await?;
        let index = Arc::new(index);
        let mut cached = self.cached.write().unwrap_or_else(|e| e.into_inner());
        if cached.generation == generation {
            cached.index = Some((today, index.clone()));
        }
        Ok(index)
    }

    /// Call after boundaries changed.
    pub fn forget(&self) {
        let mut cached = self.cached.write().unwrap_or_else(|e| e.into_inner());
        cached.generation += 1;
        cached.index = None;
    }
}

/// Today in Shanghai, `YYYY-MM-DD`.
pub fn today() -> String {
    clock::format_date(clock::date_of(clock::now_ms()))
}

/// A grid's public page with the boundary in effect on `day`; None for an unknown grid.
pub fn detail(conn: &Connection, id: i64, day: &str) -> Result<Option<GridDetail>, AppError> {
    let Some(summary) = store::summary(conn, id)? else {
        return Ok(None);
    };
    let page = store::page(conn, id)?;
    let boundary = store::boundary_on(conn, id, day)?;
    let shape = boundary.as_ref().and_then(|b| geojson::parse_stored(&b.geometry));
    Ok(Some(GridDetail {
        summary,
        area_description: page.area_description,
        supervision_phone: page.supervision_phone,
        people: page.people,
        service_items: page.service_items,
        outline: shape.as_ref().map(geojson::outline).unwrap_or_default(),
        boundary_version: boundary.as_ref().map_or(0, |b| b.version),
        effective_from: boundary.map(|b| b.effective_from).unwrap_or_default(),
    }))
}

/// Applies a validated edit of a grid's page; each part that changed is one event
/// holding its new value. Answers false for an unknown grid.
pub fn update(conn: &Connection, id: i64, update: &GridUpdate, actor: &Actor, at_ms: i64) -> Result<bool, AppError> {
    if store::summary(conn, id)?.is_none() {
        return Ok(false);
    }
    let before = store::page(conn, id)?;
    let mut changes: Vec<(&str, String)> = Vec::new();
    if before.area_description != update.area_description {
        changes.push(("area_description", json(&update.area_description)));
    }
    if before.supervision_phone != update.supervision_phone {
        changes.push(("supervision_phone", json(&update.supervision_phone)));
    }
    if before.people != update.people {
        store::replace_people(conn, id, &update.people)?;
        changes.push(("people", json(&update.people)));
    }
    if before.service_items != update.service_items {
        store::replace_service_items(conn, id, &update.service_items)?;
        changes.push(("service_items", json(&update.service_items)));
    }
    store::set_page_fields(conn, id, &update.area_description, &update.supervision_phone)?;
    for (kind, detail) in changes {
        store::record(conn, &Event { grid_id: id, at_ms, actor_id: actor.id, actor: &actor.name, kind, detail })?;
    }
    Ok(true)
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
