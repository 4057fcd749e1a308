//! GCJ-02, the obfuscated datum Chinese map apps (Amap/高德, Tencent, WeChat) report
//! positions in, and WGS84, which GPS, browsers and our boundaries use. The forward
//! formula is the public, well-known one; it has no closed inverse, so GCJ-02 → WGS84
//! iterates the forward formula until the round trip closes to ~1e-9° (sub-millimetre).
//! Points are `(lon, lat)` in degrees, as in GeoJSON.

use std::f64::consts::PI;

/// Krasovsky 1940 ellipsoid, which the formula uses.
const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;

/// The formula only shifts points inside this box; outside China it is the identity.
pub fn out_of_china(lon: f64, lat: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

fn shift_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn shift_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS84 → GCJ-02.
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    let (x, y) = (lon - 105.0, lat - 35.0);
    let rad_lat = lat / 180.0 * PI;
    let magic = 1.0 - EE * rad_lat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    let d_lat = shift_lat(x, y) * 180.0 / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let d_lon = shift_lon(x, y) * 180.0 / (A / sqrt_magic * rad_lat.cos() * PI);
    (lon + d_lon, lat + d_lat)
}

/// GCJ-02 → WGS84, by fixed-point iteration of the forward formula (the shift varies
/// slowly, so each step gains several digits; a handful of steps reach 1e-9°).
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    let (mut w_lon, mut w_lat) = (lon, lat);
    for _ in 0..30 {
        let (g_lon, g_lat) = wgs84_to_gcj02(w_lon, w_lat);
        let (d_lon, d_lat) = (g_lon - lon, g_lat - lat);
        w_lon -= d_lon;
        w_lat -= d_lat;
        if d_lon.abs() < 1e-10 && d_lat.abs() < 1e-10 {
            break;
        }
    }
    (w_lon, w_lat)
}

/// Great-circle distance in metres (haversine, mean Earth radius).
pub fn distance_m((lon1, lat1): (f64, f64), (lon2, lat2): (f64, f64)) -> f64 {
    const R: f64 = 6_371_008.8;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published sample points: (WGS84 lon, lat) → (GCJ-02 lon, lat). The first three are
    /// the test cases of googollee/eviltransform (Shanghai, Shenzhen, Beijing), the last
    /// the documented example of wandergis/coordtransform (Tiananmen).
    const SAMPLES: [((f64, f64), (f64, f64)); 4] = [
        ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),
        ((113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),
        ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),
        ((116.404, 39.915), (116.41024449916938, 39.91640428150164)),
    ];

    #[test]
    fn forward_matches_published_samples() {
        for (wgs, gcj) in SAMPLES {
            let got = wgs84_to_gcj02(wgs.0, wgs.1);
            assert!(distance_m(got, gcj) < 0.01, "{wgs:?} → {got:?}, expected {gcj:?}");
        }
    }

    #[test]
    fn inverse_recovers_published_samples() {
        for (wgs, gcj) in SAMPLES {
            let got = gcj02_to_wgs84(gcj.0, gcj.1);
            assert!(distance_m(got, wgs) < 0.01, "{gcj:?} → {got:?}, expected {wgs:?}");
        }
    }

    #[test]
    fn round_trips_stay_under_half_a_metre_across_china() {
        let mut worst: f64 = 0.0;
        for i in 0..=60 {
            for j in 0..=40 {
                let wgs = (73.5 + f64::from(i) * 1.05, 18.0 + f64::from(j) * 0.87);
                let gcj = wgs84_to_gcj02(wgs.0, wgs.1);
                worst = worst.max(distance_m(gcj02_to_wgs84(gcj.0, gcj.1), wgs));
            }
        }
        assert!(worst < 0.5, "worst round trip {worst} m");
    }

    #[test]
    fn the_shift_is_hundreds_of_metres_in_guizhou_and_nothing_abroad() {
        let wgs = (107.5, 27.8);
        let shift = distance_m(wgs84_to_gcj02(wgs.0, wgs.1), wgs);
        assert!((100.0..1000.0).contains(&shift), "{shift}");
        assert_eq!(wgs84_to_gcj02(2.35, 48.85), (2.35, 48.85));
        assert_eq!(gcj02_to_wgs84(2.35, 48.85), (2.35, 48.85));
    }
}
