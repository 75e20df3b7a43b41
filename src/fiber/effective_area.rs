//! The step-index effective-area model GNPy uses for Aeff(f).
//!
//! Marcuse's Gaussian approximation of the fundamental mode of a step-index fibre gives the mode
//! field radius `w = a / √(ln V)` with the normalised frequency `V = (2πf/c)·a·n1·√(2Δ)`, so
//! `Aeff(f) = π·w² = π·a² / ln V(f)`. The core radius a = 4.2 µm and core index n1 = 1.468 are fixed;
//! the relative index contrast Δ is fitted so that Aeff at 1550 nm equals the catalogue value:
//! `ln V_ref = π·a²/Aeff_ref`, `√(2Δ) = V_ref·c / (2π·f_ref·a·n1)`. Since V is proportional to f,
//! `Aeff(f) = π·a² / (ln V_ref + ln(f / f_ref))`.

use crate::units;

/// Core radius of the step-index model, µm (GNPy's value).
pub const CORE_RADIUS_UM: f64 = 4.2;
/// Core refractive index of the step-index model (GNPy's value).
pub const CORE_INDEX: f64 = 1.468;

/// A step-index effective-area model, fitted at 1550 nm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepIndexEffectiveArea {
    /// ln V at the reference frequency (c / 1550 nm).
    ln_v_ref: f64,
    reference_frequency_hz: f64,
}

impl StepIndexEffectiveArea {
    /// Fits the model so that `Aeff(1550 nm) = effective_area_um2`.
    pub fn fitted(effective_area_um2: f64) -> Self {
        let core_area_um2 = std::f64::consts::PI * CORE_RADIUS_UM * CORE_RADIUS_UM;
        Self {
            ln_v_ref: core_area_um2 / effective_area_um2,
            reference_frequency_hz: units::wavelength_nm_to_frequency_hz(
                units::REFERENCE_WAVELENGTH_NM,
            ),
        }
    }

    /// Relative index contrast Δ of the fitted fibre: `Δ = ½·(V_ref·c / (2π·f_ref·a·n1))²`.
    pub fn relative_index_contrast(&self) -> f64 {
        let radius_m = crate::units::um_to_m(CORE_RADIUS_UM);
        let root_two_delta = self.ln_v_ref.exp() * units::SPEED_OF_LIGHT_M_PER_S
            / (2.0 * std::f64::consts::PI * self.reference_frequency_hz * radius_m * CORE_INDEX);
        0.5 * root_two_delta * root_two_delta
    }

    /// Normalised frequency V at `frequency_hz`.
    pub fn normalised_frequency_at(&self, frequency_hz: f64) -> f64 {
        self.ln_v_ref.exp() * frequency_hz / self.reference_frequency_hz
    }

    /// Effective area at `frequency_hz`, µm². Valid while V > 1 (the model's single-mode,
    /// Gaussian-approximation range); callers validate the frequency band.
    pub fn area_um2_at(&self, frequency_hz: f64) -> f64 {
        let core_area_um2 = std::f64::consts::PI * CORE_RADIUS_UM * CORE_RADIUS_UM;
        core_area_um2 / self.normalised_frequency_at(frequency_hz).ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn fit_reproduces_the_reference_area() {
        let model = StepIndexEffectiveArea::fitted(83.0);
        let f_ref = units::wavelength_nm_to_frequency_hz(1550.0);
        assert_relative_eq!(model.area_um2_at(f_ref), 83.0, max_relative = 1e-12);
    }

    #[test]
    fn explicit_formula_agrees_with_the_fitted_shortcut() {
        // Recompute Aeff(f) = π a² / ln V with V = (2πf/c)·a·n1·√(2Δ) from the fitted Δ.
        let model = StepIndexEffectiveArea::fitted(83.0);
        let delta = model.relative_index_contrast();
        let f = 196.1e12;
        let a = CORE_RADIUS_UM * 1e-6;
        let v = 2.0 * std::f64::consts::PI * f / units::SPEED_OF_LIGHT_M_PER_S
            * a
            * CORE_INDEX
            * (2.0 * delta).sqrt();
        let w = a / v.ln().sqrt();
        let area_um2 = std::f64::consts::PI * w * w * 1e12;
        assert_relative_eq!(model.area_um2_at(f), area_um2, max_relative = 1e-12);
        // A shorter wavelength is confined more tightly.
        assert!(area_um2 < 83.0);
    }
}
