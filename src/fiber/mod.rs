//! Fibre models: attenuation, chromatic dispersion with slope, PMD and the frequency-dependent
//! effective area and nonlinear coefficient; plus the built-in catalogue.

mod catalogue;
mod effective_area;

pub use catalogue::{builtin_fiber, BUILTIN_FIBER_NAMES};
pub use effective_area::StepIndexEffectiveArea;

use crate::units;

/// Nonlinear refractive index of silica used throughout, m²/W (GNPy's default, and the value the
/// link-budget issue fixes).
pub const N2_M2_PER_W: f64 = 2.6e-20;

/// Effective length of a fibre of attenuation `alpha_per_km` (power, 1/km) and `length_km`, km:
/// `L_eff = (1 − e^{−αL})/α` (Agrawal, Nonlinear Fiber Optics, eq. 4.1.6), `L` when α = 0.
pub fn effective_length_km(alpha_per_km: f64, length_km: f64) -> f64 {
    if alpha_per_km == 0.0 {
        length_km
    } else {
        -(-alpha_per_km * length_km).exp_m1() / alpha_per_km
    }
}

/// Phase of the dispersion operator at angular frequency `omega_rad_per_ps` (rustfft's bin
/// convention, see [`crate::propagation`]), rad: `φ(ω) = β2L·ω²/2 − β3L·ω³/6` for accumulated
/// `beta2_l_ps2` (ps²) and `beta3_l_ps3` (ps³); a fibre multiplies bin ω by `e^{iφ(ω)}` and a
/// dispersion compensator by `e^{−iφ(ω)}` (Agrawal, Nonlinear Fiber Optics, eq. 3.2.5, with the
/// odd term's sign flipped by rustfft's e^{−iωT} kernel).
pub fn dispersion_phase_rad(beta2_l_ps2: f64, beta3_l_ps3: f64, omega_rad_per_ps: f64) -> f64 {
    let w = omega_rad_per_ps;
    0.5 * beta2_l_ps2 * w * w - beta3_l_ps3 * w * w * w / 6.0
}

/// The parameters of one fibre type, specified at the reference wavelength 1550 nm.
#[derive(Debug, Clone, PartialEq)]
pub struct FiberParams {
    /// Power attenuation, dB/km.
    pub attenuation_db_per_km: f64,
    /// Chromatic dispersion parameter D at 1550 nm, ps/(nm·km).
    pub dispersion_ps_nm_km: f64,
    /// Dispersion slope S = dD/dλ at 1550 nm, ps/(nm²·km).
    pub dispersion_slope_ps_nm2_km: f64,
    /// Effective area at 1550 nm, µm².
    pub effective_area_um2: f64,
    /// PMD coefficient, ps/√km.
    pub pmd_ps_per_sqrt_km: f64,
    /// GNPy's dispersion model without a slope: β2 = β2(1550 nm) at every channel and the
    /// reported D is D(1550 nm) everywhere. Only meaningful with a zero slope.
    pub constant_beta2: bool,
}

impl FiberParams {
    /// Power attenuation coefficient α in 1/km (`α = ln(10)/10 · α_dB`).
    pub fn alpha_per_km(&self) -> f64 {
        units::db_per_km_to_per_km(self.attenuation_db_per_km)
    }

    /// Dispersion parameter at a channel frequency, ps/(nm·km): the linear model
    /// `D(λ) = D(1550) + S·(λ − 1550 nm)` (ITU-T G.652 Appendix describes D(λ) by its slope).
    pub fn dispersion_ps_nm_km_at(&self, frequency_hz: f64) -> f64 {
        if self.constant_beta2 {
            return self.dispersion_ps_nm_km;
        }
        let wavelength_nm = units::frequency_hz_to_wavelength_nm(frequency_hz);
        self.dispersion_ps_nm_km
            + self.dispersion_slope_ps_nm2_km * (wavelength_nm - units::REFERENCE_WAVELENGTH_NM)
    }

    /// Group-velocity dispersion at a channel frequency, ps²/km: `β2 = −D(λ)·λ²/(2πc)`
    /// (or β2 at 1550 nm for every channel when `constant_beta2` is set).
    pub fn beta2_ps2_per_km_at(&self, frequency_hz: f64) -> f64 {
        if self.constant_beta2 {
            return units::dispersion_to_beta2_ps2_per_km(
                self.dispersion_ps_nm_km,
                units::REFERENCE_WAVELENGTH_NM,
            );
        }
        let wavelength_nm = units::frequency_hz_to_wavelength_nm(frequency_hz);
        units::dispersion_to_beta2_ps2_per_km(
            self.dispersion_ps_nm_km_at(frequency_hz),
            wavelength_nm,
        )
    }

    /// The step-index effective-area model fitted to this fibre's area at 1550 nm.
    pub fn effective_area_model(&self) -> StepIndexEffectiveArea {
        StepIndexEffectiveArea::fitted(self.effective_area_um2)
    }

    /// Nonlinear coefficient at a frequency, 1/(W·km): `γ(f) = 2π·n2·f / (c·Aeff(f))`
    /// (Agrawal eq. 2.3.29 with ω/c = 2πf/c; Aeff(f) from the step-index fit as in GNPy).
    pub fn gamma_per_w_km_at(&self, frequency_hz: f64) -> f64 {
        let area_m2 = units::um2_to_m2(self.effective_area_model().area_um2_at(frequency_hz));
        units::per_m_to_per_km(
            2.0 * std::f64::consts::PI * N2_M2_PER_W * frequency_hz
                / (units::SPEED_OF_LIGHT_M_PER_S * area_m2),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn slope_gives_each_channel_its_dispersion() {
        let ssmf = builtin_fiber("SSMF").unwrap();
        let f_1550 = units::wavelength_nm_to_frequency_hz(1550.0);
        let f_1560 = units::wavelength_nm_to_frequency_hz(1560.0);
        assert_relative_eq!(
            ssmf.dispersion_ps_nm_km_at(f_1550),
            16.7,
            max_relative = 1e-12
        );
        // D(1560) = 16.7 + 0.057 * 10
        assert_relative_eq!(
            ssmf.dispersion_ps_nm_km_at(f_1560),
            17.27,
            max_relative = 1e-12
        );
    }

    #[test]
    fn gamma_of_ssmf_at_1550_matches_textbook_value() {
        // γ = 2π n2 / (λ Aeff) = 2π·2.6e-20 / (1550e-9 · 83e-12) = 1.2698e-3 1/(W m)
        let ssmf = builtin_fiber("SSMF").unwrap();
        let f_1550 = units::wavelength_nm_to_frequency_hz(1550.0);
        let expected = 2.0 * std::f64::consts::PI * 2.6e-20 / (1550e-9 * 83e-12) * 1e3;
        assert_relative_eq!(
            ssmf.gamma_per_w_km_at(f_1550),
            expected,
            max_relative = 1e-12
        );
        assert_relative_eq!(expected, 1.26983, max_relative = 1e-5);
    }
}
