//! GeoJSON geometries (RFC 7946) of grid boundaries: Polygon or MultiPolygon in WGS84,
//! read into `geo` shapes with every problem described in zh-CN, and written back.

use geo::{Coord, LineString, MultiPolygon, Polygon, Validation};
use serde_json::{Value, json};

/// Where a boundary may lie: China's extent, a little generous. Coordinates outside are
/// nearly always swapped (lat, lon) or projected (metres) rather than WGS84 degrees.
pub const LON_RANGE: (f64, f64) = (73.0, 136.0);
pub const LAT_RANGE: (f64, f64) = (3.0, 54.0);

/// A checked boundary: the shape, and its GeoJSON as stored (2D, no foreign members).
pub struct Shape {
    pub shape: MultiPolygon<f64>,
    pub geometry: Value,
}

/// Reads a Polygon or MultiPolygon; on failure, every problem found (zh-CN, without
/// the feature's number, which the caller adds).
pub fn read(geometry: &Value) -> Result<Shape, Vec<String>> {
    let kind = geometry.get("type").and_then(Value::as_str);
    let coordinates = geometry.get("coordinates");
    let mut problems = Vec::new();
    let polygons: Vec<&Value> = match (kind, coordinates.and_then(Value::as_array)) {
        (Some("Polygon"), Some(_)) => vec![coordinates.unwrap_or(&Value::Null)],
        (Some("MultiPolygon"), Some(parts)) if !parts.is_empty() => parts.iter().collect(),
        (Some("Polygon" | "MultiPolygon"), _) => return Err(vec!["几何对象缺少坐标（coordinates）".into()]),
        (Some(other), _) => return Err(vec![format!("几何类型 {other} 不受支持，只接受 Polygon 或 MultiPolygon")]),
        (None, _) => return Err(vec!["缺少几何对象（geometry），或其没有 type".into()]),
    };
    let mut shape = Vec::new();
    for (p, polygon) in polygons.iter().enumerate() {
        let label = if polygons.len() > 1 { format!("第 {} 个多边形的", p + 1) } else { String::new() };
        match read_polygon(polygon, &label) {
            Ok(polygon) => shape.push(polygon),
            Err(mut found) => problems.append(&mut found),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let shape = MultiPolygon(shape);
    if let Some(problem) = shape.validation_errors().into_iter().next() {
        return Err(vec![explain(&problem.to_string())]);
    }
    let geometry = if kind == Some("Polygon") { write_polygon(&shape.0[0]) } else { write(&shape) };
    Ok(Shape { shape, geometry })
}

fn read_polygon(polygon: &Value, label: &str) -> Result<Polygon<f64>, Vec<String>> {
    let Some(rings) = polygon.as_array().filter(|r| !r.is_empty()) else {
        return Err(vec![format!("{label}坐标应为由环组成的数组")]);
    };
    let mut problems = Vec::new();
    let mut read_rings = Vec::new();
    for (r, ring) in rings.iter().enumerate() {
        let name = if r == 0 { format!("{label}外环") } else { format!("{label}第 {r} 个内环（洞）") };
        match read_ring(ring, &name) {
            Ok(ring) => read_rings.push(ring),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut read_rings = read_rings.into_iter();
    let exterior = read_rings.next().unwrap_or_else(|| LineString(Vec::new()));
    Ok(Polygon::new(exterior, read_rings.collect()))
}

fn read_ring(ring: &Value, name: &str) -> Result<LineString<f64>, String> {
    let Some(positions) = ring.as_array() else {
        return Err(format!("{name}应为坐标数组"));
    };
    let mut coords = Vec::with_capacity(positions.len());
    for position in positions {
        let numbers = position.as_array().map(|a| a.iter().map(Value::as_f64).collect::<Vec<_>>());
        let (lon, lat) = match numbers.as_deref() {
            Some([Some(lon), Some(lat), ..]) => (*lon, *lat),
            _ => return Err(format!("{name}有不是 [经度, 纬度] 的坐标：{position}")),
        };
        if !(LON_RANGE.0..=LON_RANGE.1).contains(&lon) || !(LAT_RANGE.0..=LAT_RANGE.1).contains(&lat) {
            return Err(format!("{name}的坐标 [{lon}, {lat}] 不在中国境内：应为 WGS84 经纬度，经度在前、纬度在后"));
        }
        coords.push(Coord { x: lon, y: lat });
    }
    if coords.len() < 4 {
        return Err(format!("{name}至少需要 4 个坐标（首尾相同），现有 {} 个", coords.len()));
    }
    if coords.first() != coords.last() {
        return Err(format!("{name}未闭合：第一个和最后一个坐标应相同"));
    }
    Ok(LineString(coords))
}

/// `geo`'s validation messages in the words of the people who draw boundaries.
fn explain(problem: &str) -> String {
    let what = if problem.contains("self-intersect") || problem.contains("self intersect") {
        "边界自相交（线条交叉或打结）"
    } else if problem.contains("interior ring") && problem.contains("not contained") {
        "内环（洞）不在外环之内"
    } else if problem.contains("overlap") {
        "多部分边界（MultiPolygon）的各部分相互重叠"
    } else if problem.contains("touch") || problem.contains("intersect") {
        "环与环相交或共边"
    } else if problem.contains("too few") || problem.contains("fewer") {
        "环的坐标太少"
    } else {
        "边界图形无效"
    };
    format!("{what}（{problem}）")
}

fn ring_json(ring: &LineString<f64>) -> Value {
    Value::Array(ring.0.iter().map(|c| json!([c.x, c.y])).collect())
}

fn rings_json(polygon: &Polygon<f64>) -> Value {
    let mut rings = vec![ring_json(polygon.exterior())];
    rings.extend(polygon.interiors().iter().map(ring_json));
    Value::Array(rings)
}

fn write_polygon(polygon: &Polygon<f64>) -> Value {
    json!({ "type": "Polygon", "coordinates": rings_json(polygon) })
}

/// A MultiPolygon as GeoJSON.
pub fn write(shape: &MultiPolygon<f64>) -> Value {
    json!({ "type": "MultiPolygon", "coordinates": shape.0.iter().map(rings_json).collect::<Vec<_>>() })
}

/// A stored boundary (already checked) as a shape; None if it no longer reads.
pub fn parse_stored(geometry: &str) -> Option<MultiPolygon<f64>> {
    let value: Value = serde_json::from_str(geometry).ok()?;
    read(&value).ok().map(|s| s.shape)
}

/// The rings for drawing, simplified (Ramer–Douglas–Peucker, ~1 m): each polygon's
/// outer ring, then its holes, which the page draws even-odd so they stay empty.
pub fn outline(shape: &MultiPolygon<f64>) -> Vec<Vec<[f64; 2]>> {
    use geo::Simplify;
    let ring = |line: &geo::LineString<f64>| line.simplify(1e-5).0.iter().map(|c| [c.x, c.y]).collect();
    shape
        .0
        .iter()
        .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
        .map(ring)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, size: f64) -> Value {
        json!([[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]])
    }

    #[test]
    fn polygons_and_multipolygons_read_and_write_back() {
        let polygon = json!({ "type": "Polygon", "coordinates": [square(107.5, 27.8, 0.01)] });
        let shape = read(&polygon).unwrap();
        assert_eq!(shape.geometry, polygon);
        let multi = json!({ "type": "MultiPolygon", "coordinates": [[square(107.5, 27.8, 0.01)], [square(107.6, 27.8, 0.01)]] });
        let shape = read(&multi).unwrap();
        assert_eq!(shape.shape.0.len(), 2);
        assert_eq!(shape.geometry, multi);
    }

    #[test]
    fn every_problem_is_named_in_chinese() {
        let problems = |v: Value| read(&v).err().unwrap().join(" | ");
        assert!(problems(json!({ "type": "Point", "coordinates": [107.5, 27.8] })).contains("Point 不受支持"));
        let swapped =
            json!({ "type": "Polygon", "coordinates": [[[27.8, 107.5], [27.9, 107.5], [27.9, 107.6], [27.8, 107.5]]] });
        assert!(problems(swapped).contains("不在中国境内"));
        let open =
            json!({ "type": "Polygon", "coordinates": [[[107.5, 27.8], [107.6, 27.8], [107.6, 27.9], [107.5, 27.9]]] });
        assert!(problems(open).contains("未闭合"));
        let bowtie = json!({ "type": "Polygon", "coordinates": [[[107.5, 27.8], [107.6, 27.9], [107.6, 27.8], [107.5, 27.9], [107.5, 27.8]]] });
        assert!(
            problems(bowtie).contains("自相交"),
            "{}",
            problems(
                json!({ "type": "Polygon", "coordinates": [[[107.5, 27.8], [107.6, 27.9], [107.6, 27.8], [107.5, 27.9], [107.5, 27.8]]] })
            )
        );
        let hole_outside =
            json!({ "type": "Polygon", "coordinates": [square(107.5, 27.8, 0.01), square(107.7, 27.8, 0.001)] });
        assert!(problems(hole_outside).contains("内环"));
    }
}
