//! One fibre section of a propagation chain.

use crate::units;

/// A fibre section, optionally followed by an ideal amplifier.
#[derive(Debug, Clone, PartialEq)]
pub struct FiberSection {
    /// Length, km.
    pub length_km: f64,
    /// Power attenuation, dB/km.
    pub alpha_db_per_km: f64,
    /// Group-velocity dispersion, ps²/km.
    pub beta2_ps2_per_km: f64,
    /// Third-order dispersion, ps³/km.
    pub beta3_ps3_per_km: f64,
    /// Nonlinear coefficient, 1/(W·km).
    pub gamma_per_w_km: f64,
    /// An ideal amplifier after the section restores the energy that entered it.
    pub amplifier_after: bool,
}

impl FiberSection {
    /// Power attenuation coefficient, 1/km.
    pub fn alpha_per_km(&self) -> f64 {
        units::db_per_km_to_per_km(self.alpha_db_per_km)
    }

    /// Effective length, km: `L_eff = (1 − e^{−αL})/α` (L when α = 0).
    pub fn effective_length_km(&self) -> f64 {
        crate::fiber::effective_length_km(self.alpha_per_km(), self.length_km)
    }

    /// Dispersion length `L_D = T0²/|β2|`, km.
    pub fn dispersion_length_km(&self, t0_ps: f64) -> f64 {
        t0_ps * t0_ps / self.beta2_ps2_per_km.abs()
    }
}

/// An 80 km SSMF-like span with an ideal amplifier after it (for tests).
#[cfg(test)]
pub(crate) fn test_span_80km() -> FiberSection {
    FiberSection {
        length_km: 80.0,
        alpha_db_per_km: 0.2,
        beta2_ps2_per_km: -21.7,
        beta3_ps3_per_km: 0.0,
        gamma_per_w_km: 1.3,
        amplifier_after: true,
    }
}
