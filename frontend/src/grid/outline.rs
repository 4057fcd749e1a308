//! The grid's boundary as an inline SVG outline: no map tiles to download, readable on a
//! phone and on the printed poster. Longitude is scaled by cos(latitude), so the shape is
//! not stretched sideways (an equirectangular view of a few hundred metres is true enough).

use crate::i18n::tr;
use leptos::prelude::*;

/// Drawing units along the longer side; coordinates are whole units, so the path is
/// short and written without float formatting.
const SIZE: f64 = 1000.0;
/// Room around the shape for the stroke.
const MARGIN: i64 = 20;

/// An outline ready for SVG: its `viewBox` and the path data.
#[derive(Debug, PartialEq)]
pub struct Drawing {
    pub view_box: String,
    pub path: String,
}

/// Projects rings of (lon, lat) into an SVG box, north up; `cos` is the cosine (of
/// radians) to use. `None` when there is nothing to draw.
pub fn project(rings: &[Vec<[f64; 2]>], cos: impl Fn(f64) -> f64) -> Option<Drawing> {
    let points = || rings.iter().filter(|r| r.len() >= 3).flatten();
    let first = points().next()?;
    let (mut west, mut east, mut south, mut north) = (first[0], first[0], first[1], first[1]);
    for p in points() {
        west = west.min(p[0]);
        east = east.max(p[0]);
        south = south.min(p[1]);
        north = north.max(p[1]);
    }
    let k = cos((south + north) / 2.0 * std::f64::consts::PI / 180.0);
    let (width, height) = ((east - west) * k, north - south);
    let longer = width.max(height);
    // A point or a line (or NaN, which is not finite) has no shape to draw.
    if !longer.is_finite() || longer <= 0.0 {
        return None;
    }
    let scale = SIZE / longer;
    let at = |p: &[f64; 2]| (((p[0] - west) * k * scale).round() as i64, ((north - p[1]) * scale).round() as i64);
    let mut path = String::new();
    for ring in rings.iter().filter(|r| r.len() >= 3) {
        let mut xys: Vec<(i64, i64)> = ring.iter().map(at).collect();
        xys.dedup();
        // A closed ring repeats its first point; `Z` closes it anyway.
        if xys.len() > 1 && xys.first() == xys.last() {
            xys.pop();
        }
        for (i, (x, y)) in xys.into_iter().enumerate() {
            path.push_str(&format!("{}{x} {y}", if i == 0 { 'M' } else { 'L' }));
        }
        path.push('Z');
    }
    let (w, h) = ((width * scale).round() as i64, (height * scale).round() as i64);
    let view_box = format!("{} {} {} {}", -MARGIN, -MARGIN, w + 2 * MARGIN, h + 2 * MARGIN);
    Some(Drawing { view_box, path })
}

/// The outline figure, or nothing when the grid has no boundary yet.
pub fn figure(rings: &[Vec<[f64; 2]>]) -> Option<impl IntoView + use<>> {
    let Drawing { view_box, path } = project(rings, js_sys::Math::cos)?;
    Some(view! {
        <figure class="g-outline">
            <svg id="g-outline" viewBox=view_box role="img" aria-labelledby="g-outline-title">
                <title id="g-outline-title">{tr("网格范围示意图", "Outline of the grid")}</title>
                <path d=path />
            </svg>
            <figcaption>{tr("网格范围示意（北在上，非精确地图）", "Outline of the grid, north up (not an exact map)")}</figcaption>
        </figure>
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_square_near_the_equator_stays_square() {
        let ring = vec![[0.0, 0.0], [0.001, 0.0], [0.001, 0.001], [0.0, 0.001], [0.0, 0.0]];
        let d = project(&[ring], f64::cos).unwrap();
        assert_eq!(d.view_box, "-20 -20 1040 1040");
        assert_eq!(d.path, "M0 1000L1000 1000L1000 0L0 0Z");
    }

    #[test]
    fn longitude_is_narrowed_by_the_cosine_of_latitude() {
        // 60°N: a degree of longitude is half as long as a degree of latitude.
        let ring = vec![[100.0, 59.999], [100.002, 59.999], [100.002, 60.001], [100.0, 60.001]];
        let d = project(&[ring], f64::cos).unwrap();
        assert_eq!(d.view_box, "-20 -20 540 1040");
        let ring = vec![[100.0, 59.9995], [100.002, 59.9995], [100.002, 60.0005], [100.0, 60.0005]];
        let d = project(&[ring], f64::cos).unwrap();
        assert_eq!(d.path, "M0 1000L1000 1000L1000 0L0 0Z");
    }

    #[test]
    fn nothing_to_draw() {
        assert_eq!(project(&[], f64::cos), None);
        assert_eq!(project(&[vec![[1.0, 1.0], [2.0, 2.0]]], f64::cos), None);
        assert_eq!(project(&[vec![[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]]], f64::cos), None);
    }
}
