//! Great-circle distance.

/// Mean Earth radius, km (IUGG: R1 = 6371.0088 km).
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance between two points, km, by the haversine formula on a sphere of the
/// mean Earth radius (Sinnott 1984): `d = 2R·asin(√(sin²(Δφ/2) + cos φ1·cos φ2·sin²(Δλ/2)))`.
/// Within 0.5 % of the ellipsoidal (geodesic) distance.
pub fn haversine_km(lat1_deg: f64, lon1_deg: f64, lat2_deg: f64, lon2_deg: f64) -> f64 {
    let (phi1, phi2) = (lat1_deg.to_radians(), lat2_deg.to_radians());
    let dphi = phi2 - phi1;
    let dlambda = (lon2_deg - lon1_deg).to_radians();
    let h = (dphi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (dlambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_meridian_and_a_known_pair() {
        // Equator to pole: π/2 · R.
        let d = haversine_km(0.0, 0.0, 90.0, 0.0);
        assert!((d - std::f64::consts::FRAC_PI_2 * EARTH_RADIUS_KM).abs() < 1e-9);
        // Tumbes - Piura from the Peru data: 177.2 km great-circle (links.csv).
        let d = haversine_km(-3.57111, -80.45917, -5.15250, -80.65778);
        assert!((d - 177.2).abs() < 1.0, "{d}");
    }
}
