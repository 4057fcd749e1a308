//! The spatial index of the boundaries in effect: an R-tree of bounding boxes, then an
//! exact point-in-polygon test (`geo`) on the few candidates. Shapes are kept in a local
//! plane in metres (equirectangular around the county's middle), so R-tree distances
//! are metres and "nearest" means nearest on the ground.

use super::geojson;
use geo::{Closest, ClosestPoint, Coord, Distance, Euclidean, Intersects, MapCoords, MultiPolygon, Point};
use ow_shared::grid::GridSummary;
use ow_shared::grid::gcj02::distance_m;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

/// Metres per degree of latitude (mean Earth radius).
const METRES_PER_DEGREE: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

struct Plane {
    lon0: f64,
    lat0: f64,
    x_scale: f64,
}

impl Plane {
    fn to_metres(&self, lon: f64, lat: f64) -> Coord<f64> {
        Coord { x: (lon - self.lon0) * self.x_scale, y: (lat - self.lat0) * METRES_PER_DEGREE }
    }

    fn to_degrees(&self, c: Coord<f64>) -> (f64, f64) {
        (c.x / self.x_scale + self.lon0, c.y / METRES_PER_DEGREE + self.lat0)
    }
}

struct Entry {
    summary: GridSummary,
    shape: MultiPolygon<f64>,
}

/// The boundaries in effect on one day.
pub struct GridIndex {
    plane: Plane,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    entries: Vec<Entry>,
}

/// Where a point fell.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<'a> {
    pub grid: &'a GridSummary,
    pub inside: bool,
    /// Metres to the boundary, 0 inside.
    pub distance_m: f64,
}

impl GridIndex {
    /// Builds the index from each grid's boundary (GeoJSON as stored).
    pub fn build(grids: Vec<(GridSummary, String)>) -> GridIndex {
        let shapes: Vec<(GridSummary, MultiPolygon<f64>)> = grids
            .into_iter()
            .filter_map(|(summary, geometry)| Some((summary, geojson::parse_stored(&geometry)?)))
            .collect();
        let (mut lon_sum, mut lat_sum, mut n) = (0.0, 0.0, 0.0);
        for c in shapes.iter().flat_map(|(_, s)| s.0.iter().flat_map(|p| p.exterior().0.iter())) {
            (lon_sum, lat_sum, n) = (lon_sum + c.x, lat_sum + c.y, n + 1.0);
        }
        let (lon0, lat0) = if n > 0.0 { (lon_sum / n, lat_sum / n) } else { (0.0, 0.0) };
        let plane = Plane { lon0, lat0, x_scale: METRES_PER_DEGREE * lat0.to_radians().cos() };
        let mut boxes = Vec::with_capacity(shapes.len());
        let mut entries = Vec::with_capacity(shapes.len());
        for (summary, shape) in shapes {
            let shape = shape.map_coords(|c| plane.to_metres(c.x, c.y));
            let Some(rect) = geo::BoundingRect::bounding_rect(&shape) else { continue };
            let (min, max) = (rect.min(), rect.max());
            boxes.push(GeomWithData::new(Rectangle::from_corners([min.x, min.y], [max.x, max.y]), entries.len()));
            entries.push(Entry { summary, shape });
        }
        GridIndex { plane, tree: RTree::bulk_load(boxes), entries }
    }

    /// How many grids have a boundary.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no grid has a boundary yet.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The grid whose boundary holds the point (an edge counts; a hole does not), else
    /// the nearest one. On an edge shared by two grids the lower code wins, so the
    /// answer never depends on the order of import. None when no grid has a boundary.
    pub fn locate(&self, lon: f64, lat: f64) -> Option<Hit<'_>> {
        let here = self.plane.to_metres(lon, lat);
        let point = Point(here);
        let inside = self
            .tree
            .locate_all_at_point(&[here.x, here.y])
            .map(|b| &self.entries[b.data])
            .filter(|e| e.shape.intersects(&point))
            .min_by(|a, b| a.summary.code.cmp(&b.summary.code));
        if let Some(entry) = inside {
            return Some(Hit { grid: &entry.summary, inside: true, distance_m: 0.0 });
        }
        // Boxes come nearest first; a box's distance bounds its shape's from below.
        let mut best: Option<(f64, &Entry)> = None;
        for (b, box_distance_2) in self.tree.nearest_neighbor_iter_with_distance_2(&[here.x, here.y]) {
            if best.is_some_and(|(d, _)| box_distance_2.sqrt() > d) {
                break;
            }
            let entry = &self.entries[b.data];
            let d = Euclidean.distance(&point, &entry.shape);
            if best
                .is_none_or(|(best_d, best_e)| d < best_d || (d == best_d && entry.summary.code < best_e.summary.code))
            {
                best = Some((d, entry));
            }
        }
        let (plane_distance, entry) = best?;
        // Report the distance on the ground to the closest boundary point.
        let distance = match entry.shape.closest_point(&point) {
            Closest::SinglePoint(p) | Closest::Intersection(p) => distance_m((lon, lat), self.plane.to_degrees(p.0)),
            Closest::Indeterminate => plane_distance,
        };
        Some(Hit { grid: &entry.summary, inside: false, distance_m: distance })
    }

    /// Grids whose boxes meet a box of degrees (for tests and diagnostics).
    pub fn candidates(&self, (lon1, lat1): (f64, f64), (lon2, lat2): (f64, f64)) -> usize {
        let (a, b) = (self.plane.to_metres(lon1, lat1), self.plane.to_metres(lon2, lat2));
        self.tree.locate_in_envelope_intersecting(&AABB::from_corners([a.x, a.y], [b.x, b.y])).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(id: i64, code: &str) -> GridSummary {
        GridSummary {
            id,
            code: code.into(),
            name: code.into(),
            township_id: 1,
            township: "镇".into(),
            village_id: 1,
            village: "村".into(),
        }
    }

    fn square(x: f64, y: f64, size: f64) -> String {
        format!(
            r#"{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}"#,
            x + size,
            x + size,
            y + size,
            y + size
        )
    }

    #[test]
    fn inside_on_a_shared_edge_and_nearest() {
        let index = GridIndex::build(vec![
            (grid(2, "B"), square(107.51, 27.80, 0.01)),
            (grid(1, "A"), square(107.50, 27.80, 0.01)),
        ]);
        assert_eq!(index.len(), 2);
        let hit = index.locate(107.505, 27.805).unwrap();
        assert_eq!((hit.grid.code.as_str(), hit.inside), ("A", true));
        let edge = index.locate(107.51, 27.805).unwrap();
        assert_eq!((edge.grid.code.as_str(), edge.inside), ("A", true), "a shared edge goes to the lower code");
        // 0.001° of latitude south of B: about 111 m.
        let near = index.locate(107.515, 27.799).unwrap();
        assert_eq!((near.grid.code.as_str(), near.inside), ("B", false));
        assert!((near.distance_m - 111.2).abs() < 0.5, "{}", near.distance_m);
        assert_eq!(index.candidates((107.495, 27.795), (107.505, 27.805)), 1);
    }

    #[test]
    fn an_empty_index_finds_nothing() {
        assert!(GridIndex::build(Vec::new()).locate(107.5, 27.8).is_none());
    }
}
