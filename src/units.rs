//! Units and physical constants: every conversion in fibra happens here.
//!
//! Quantities carry their unit in their name (`length_km`, `power_dbm`, `beta2_ps2_per_km`); the
//! functions below are the only places where one unit becomes another.

/// Speed of light in vacuum, m/s (exact, SI 2019).
pub const SPEED_OF_LIGHT_M_PER_S: f64 = 299_792_458.0;

/// Planck constant, J·s (exact, SI 2019).
pub const PLANCK_J_S: f64 = 6.626_070_15e-34;

/// Reference bandwidth for OSNR: 0.1 nm at 1550 nm, taken as 12.5 GHz (ITU-T G.697).
pub const OSNR_REFERENCE_BANDWIDTH_HZ: f64 = 12.5e9;

/// Reference wavelength at which fibre dispersion and effective area are specified, nm.
pub const REFERENCE_WAVELENGTH_NM: f64 = 1550.0;

/// Ratio in dB -> linear: `10^(db/10)`.
pub fn db_to_linear(db: f64) -> f64 {
    10f64.powf(db / 10.0)
}

/// Linear ratio -> dB: `10·log10(x)`.
pub fn linear_to_db(linear: f64) -> f64 {
    10.0 * linear.log10()
}

/// Power in dBm -> W: `1 mW · 10^(dbm/10)`.
pub fn dbm_to_watt(power_dbm: f64) -> f64 {
    1e-3 * db_to_linear(power_dbm)
}

/// Power in W -> dBm: `10·log10(P / 1 mW)`.
pub fn watt_to_dbm(power_w: f64) -> f64 {
    linear_to_db(power_w / 1e-3)
}

/// THz -> Hz.
pub fn thz_to_hz(frequency_thz: f64) -> f64 {
    frequency_thz * 1e12
}

/// GHz -> Hz.
pub fn ghz_to_hz(frequency_ghz: f64) -> f64 {
    frequency_ghz * 1e9
}

/// Hz -> THz.
pub fn hz_to_thz(frequency_hz: f64) -> f64 {
    frequency_hz * 1e-12
}

/// Hz -> GHz.
pub fn hz_to_ghz(frequency_hz: f64) -> f64 {
    frequency_hz * 1e-9
}

/// kHz -> Hz.
pub fn khz_to_hz(frequency_khz: f64) -> f64 {
    frequency_khz * 1e3
}

/// MHz -> Hz.
pub fn mhz_to_hz(frequency_mhz: f64) -> f64 {
    frequency_mhz * 1e6
}

/// Hz -> MHz.
pub fn hz_to_mhz(frequency_hz: f64) -> f64 {
    frequency_hz * 1e-6
}

/// GHz -> MHz.
pub fn ghz_to_mhz(frequency_ghz: f64) -> f64 {
    frequency_ghz * 1e3
}

/// A rate (symbol or sample rate), Hz -> its period, ps: `T = 1/f`.
pub fn rate_hz_to_period_ps(rate_hz: f64) -> f64 {
    1e12 / rate_hz
}

/// A period, ps -> its rate, Hz: `f = 1/T`.
pub fn period_ps_to_rate_hz(period_ps: f64) -> f64 {
    1e12 / period_ps
}

/// A frequency, Hz -> angular frequency, rad/ps: `ω = 2π·f`.
pub fn hz_to_rad_per_ps(frequency_hz: f64) -> f64 {
    2.0 * std::f64::consts::PI * frequency_hz * 1e-12
}

/// An angular frequency, rad/ps -> frequency, GHz: `f = ω/2π`.
pub fn rad_per_ps_to_ghz(omega_rad_per_ps: f64) -> f64 {
    omega_rad_per_ps / (2.0 * std::f64::consts::PI) * 1e3
}

/// µm -> m.
pub fn um_to_m(length_um: f64) -> f64 {
    length_um * 1e-6
}

/// µm² -> m².
pub fn um2_to_m2(area_um2: f64) -> f64 {
    area_um2 * 1e-12
}

/// m² -> µm².
pub fn m2_to_um2(area_m2: f64) -> f64 {
    area_m2 * 1e12
}

/// m -> km.
pub fn m_to_km(length_m: f64) -> f64 {
    length_m * 1e-3
}

/// s -> ps.
pub fn s_to_ps(time_s: f64) -> f64 {
    time_s * 1e12
}

/// Dispersion s/m² (GNPy) -> ps/(nm·km).
pub fn dispersion_s_per_m2_to_ps_nm_km(dispersion_s_per_m2: f64) -> f64 {
    dispersion_s_per_m2 * 1e6
}

/// PMD coefficient s/√m (GNPy) -> ps/√km.
pub fn pmd_s_per_sqrt_m_to_ps_per_sqrt_km(pmd_s_per_sqrt_m: f64) -> f64 {
    pmd_s_per_sqrt_m * 1e12 * 1e3f64.sqrt()
}

/// A rate per m -> per km (γ 1/(W·m) -> 1/(W·km)).
pub fn per_m_to_per_km(per_m: f64) -> f64 {
    per_m * 1e3
}

/// A rate per km -> per m (attenuation 1/km, γ 1/(W·km)).
pub fn per_km_to_per_m(per_km: f64) -> f64 {
    per_km * 1e-3
}

/// km -> m.
pub fn km_to_m(length_km: f64) -> f64 {
    length_km * 1e3
}

/// Optical frequency (Hz) -> vacuum wavelength (nm): `λ = c / f`.
pub fn frequency_hz_to_wavelength_nm(frequency_hz: f64) -> f64 {
    SPEED_OF_LIGHT_M_PER_S / frequency_hz * 1e9
}

/// Vacuum wavelength (nm) -> optical frequency (Hz): `f = c / λ`.
pub fn wavelength_nm_to_frequency_hz(wavelength_nm: f64) -> f64 {
    SPEED_OF_LIGHT_M_PER_S / (wavelength_nm * 1e-9)
}

/// Attenuation in dB/km -> power attenuation coefficient in 1/km: `α = ln(10)/10 · α_dB`.
pub fn db_per_km_to_per_km(attenuation_db_per_km: f64) -> f64 {
    attenuation_db_per_km * std::f64::consts::LN_10 / 10.0
}

/// Dispersion parameter D (ps/(nm·km)) at wavelength λ (nm) -> group-velocity dispersion β2 (ps²/km).
///
/// `β2 = −D·λ² / (2π·c)` (Agrawal, *Nonlinear Fiber Optics*, eq. 1.2.11). With D in ps/(nm·km),
/// λ in nm and c in nm/ps (c = 299 792.458 nm/ps) the result is in ps²/km.
pub fn dispersion_to_beta2_ps2_per_km(dispersion_ps_nm_km: f64, wavelength_nm: f64) -> f64 {
    let c_nm_per_ps = SPEED_OF_LIGHT_M_PER_S * 1e-3;
    -dispersion_ps_nm_km * wavelength_nm * wavelength_nm
        / (2.0 * std::f64::consts::PI * c_nm_per_ps)
}

/// Inverse of [`dispersion_to_beta2_ps2_per_km`]: `D = −2π·c·β2 / λ²`.
pub fn beta2_to_dispersion_ps_nm_km(beta2_ps2_per_km: f64, wavelength_nm: f64) -> f64 {
    let c_nm_per_ps = SPEED_OF_LIGHT_M_PER_S * 1e-3;
    -2.0 * std::f64::consts::PI * c_nm_per_ps * beta2_ps2_per_km / (wavelength_nm * wavelength_nm)
}

/// ps²/km -> s²/m.
pub fn ps2_per_km_to_s2_per_m(beta2_ps2_per_km: f64) -> f64 {
    beta2_ps2_per_km * 1e-24 / 1e3
}

/// A signal-to-noise ratio measured in bandwidth `from_hz`, re-expressed in bandwidth `to_hz` (dB):
/// the noise power scales with bandwidth, so `SNR_to = SNR_from + 10·log10(from/to)`.
pub fn snr_db_rebandwidth(snr_db: f64, from_hz: f64, to_hz: f64) -> f64 {
    snr_db + linear_to_db(from_hz / to_hz)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn ssmf_dispersion_maps_to_textbook_beta2() {
        // ARCHITECTURE.md: SSMF at 1550 nm, D = 16.7 ps/(nm km) <-> beta2 ≈ -21.3 ps²/km.
        let beta2 = dispersion_to_beta2_ps2_per_km(16.7, 1550.0);
        assert_relative_eq!(beta2, -21.29998, max_relative = 1e-5);
        assert_relative_eq!(
            beta2_to_dispersion_ps_nm_km(beta2, 1550.0),
            16.7,
            max_relative = 1e-12
        );
    }

    #[test]
    fn power_conversions_round_trip() {
        assert_relative_eq!(dbm_to_watt(0.0), 1e-3);
        assert_relative_eq!(dbm_to_watt(30.0), 1.0, max_relative = 1e-12);
        assert_relative_eq!(watt_to_dbm(dbm_to_watt(-17.3)), -17.3, max_relative = 1e-12);
        assert_relative_eq!(
            db_per_km_to_per_km(0.2),
            0.2 / 4.342_944_819,
            max_relative = 1e-9
        );
    }

    #[test]
    fn osnr_bandwidth_conversion() {
        // 32 GBd signal: SNR in 32 GHz is 10·log10(32/12.5) = 4.0824 dB below OSNR in 12.5 GHz.
        let snr = snr_db_rebandwidth(20.0, OSNR_REFERENCE_BANDWIDTH_HZ, 32e9);
        assert_relative_eq!(snr, 20.0 - 4.082_399_653, max_relative = 1e-9);
    }

    #[test]
    fn frequency_length_and_rate_conversions() {
        // A 32 GBd symbol lasts 31.25 ps; 1 THz of bandwidth is 1 ps⁻¹·2π rad.
        assert_relative_eq!(rate_hz_to_period_ps(32e9), 31.25, max_relative = 1e-15);
        assert_relative_eq!(period_ps_to_rate_hz(31.25), 32e9, max_relative = 1e-15);
        assert_relative_eq!(hz_to_rad_per_ps(1e12), 2.0 * std::f64::consts::PI);
        assert_relative_eq!(
            rad_per_ps_to_ghz(hz_to_rad_per_ps(12.5e9)),
            12.5,
            max_relative = 1e-14
        );
        assert_relative_eq!(hz_to_thz(thz_to_hz(193.1)), 193.1, max_relative = 1e-15);
        assert_relative_eq!(hz_to_ghz(ghz_to_hz(37.5)), 37.5, max_relative = 1e-15);
        assert_relative_eq!(hz_to_mhz(mhz_to_hz(150.0)), 150.0, max_relative = 1e-15);
        assert_relative_eq!(khz_to_hz(100.0), 1e5);
        assert_relative_eq!(ghz_to_mhz(32.0), 32e3);
        // SSMF: γ = 1.3 /(W·km) is 1.3e-3 /(W·m); Aeff 80 µm² is 8e-11 m².
        assert_relative_eq!(per_km_to_per_m(1.3), 1.3e-3, max_relative = 1e-15);
        assert_relative_eq!(per_m_to_per_km(1.3e-3), 1.3, max_relative = 1e-15);
        assert_relative_eq!(um2_to_m2(80.0), 8e-11, max_relative = 1e-15);
        assert_relative_eq!(um_to_m(4.2), 4.2e-6, max_relative = 1e-15);
        assert_relative_eq!(km_to_m(80.0), 8e4);
    }
}
