//! Built-in fibre types. Values are typical datasheet figures for the ITU-T categories.

use super::FiberParams;

/// Names of the built-in fibre types, in the order the README lists them.
pub const BUILTIN_FIBER_NAMES: [&str; 3] = ["SSMF", "NZDSF", "LAF"];

/// The built-in fibre type `name`, if there is one.
///
/// - `SSMF`: ITU-T G.652.D standard single-mode fibre: 0.20 dB/km, D = 16.7 ps/(nm·km),
///   S = 0.057 ps/(nm²·km), Aeff = 83 µm², PMD 0.04 ps/√km.
/// - `NZDSF`: ITU-T G.655 non-zero dispersion-shifted fibre: 0.22 dB/km, D = 5.0 ps/(nm·km),
///   S = 0.045 ps/(nm²·km), Aeff = 72 µm², PMD 0.04 ps/√km.
/// - `LAF`: large-effective-area (G.654-like) fibre: 0.20 dB/km, D = 22 ps/(nm·km),
///   S = 0.06 ps/(nm²·km), Aeff = 125 µm², PMD 0.04 ps/√km.
pub fn builtin_fiber(name: &str) -> Option<FiberParams> {
    let params = match name {
        "SSMF" => FiberParams {
            attenuation_db_per_km: 0.20,
            dispersion_ps_nm_km: 16.7,
            dispersion_slope_ps_nm2_km: 0.057,
            effective_area_um2: 83.0,
            pmd_ps_per_sqrt_km: 0.04,
            constant_beta2: false,
        },
        "NZDSF" => FiberParams {
            attenuation_db_per_km: 0.22,
            dispersion_ps_nm_km: 5.0,
            dispersion_slope_ps_nm2_km: 0.045,
            effective_area_um2: 72.0,
            pmd_ps_per_sqrt_km: 0.04,
            constant_beta2: false,
        },
        "LAF" => FiberParams {
            attenuation_db_per_km: 0.20,
            dispersion_ps_nm_km: 22.0,
            dispersion_slope_ps_nm2_km: 0.06,
            effective_area_um2: 125.0,
            pmd_ps_per_sqrt_km: 0.04,
            constant_beta2: false,
        },
        _ => return None,
    };
    Some(params)
}
