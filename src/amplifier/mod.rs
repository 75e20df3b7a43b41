//! Erbium-doped fibre amplifier (EDFA) model: gain, noise figure, output-power limit.

use crate::units;

/// Highest gain a single EDFA stage delivers unless the amplifier says otherwise, dB. Commercial
/// in-line and pre-amplifier EDFAs top out between 30 and 40 dB of small-signal gain (GNPy's
/// equipment library uses `gain_flatmax` 25–35 dB); a span that needs more is not a working design.
pub const DEFAULT_MAX_GAIN_DB: f64 = 40.0;

/// An in-line EDFA.
#[derive(Debug, Clone, PartialEq)]
pub struct Edfa {
    /// Gain, dB (signal out / signal in).
    pub gain_db: f64,
    /// The most gain this amplifier can deliver, dB; a design asking for more is infeasible.
    pub max_gain_db: f64,
    /// Noise figure, dB.
    pub noise_figure_db: f64,
    /// Maximum total output power, dBm (optional; reported when exceeded, never clamped).
    pub max_output_power_dbm: Option<f64>,
}

impl Edfa {
    /// ASE power referred to the amplifier output in an optical bandwidth, W:
    /// `P_ase = NF·h·f·G·B` (linear NF and G; the high-gain form of Desurvire's
    /// `P_ase = 2·n_sp·h·f·(G − 1)·B` with NF ≈ 2·n_sp, as GNPy uses).
    pub fn ase_power_w(&self, frequency_hz: f64, bandwidth_hz: f64) -> f64 {
        units::db_to_linear(self.noise_figure_db)
            * units::PLANCK_J_S
            * frequency_hz
            * units::db_to_linear(self.gain_db)
            * bandwidth_hz
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn fifty_eight_db_rule() {
        // The "58 dB rule": for one span, OSNR(0.1 nm) ≈ 58 + P_in − NF − loss, where
        // 58 dB = −10·log10(h·f·12.5 GHz / 1 mW) at 1550 nm.
        let f = units::wavelength_nm_to_frequency_hz(1550.0);
        let edfa = Edfa {
            gain_db: 20.0,
            max_gain_db: DEFAULT_MAX_GAIN_DB,
            noise_figure_db: 5.0,
            max_output_power_dbm: None,
        };
        let p_out_dbm = 1.0; // per channel, after the amplifier
        let osnr_db =
            p_out_dbm - units::watt_to_dbm(edfa.ase_power_w(f, units::OSNR_REFERENCE_BANDWIDTH_HZ));
        let p_in_dbm = p_out_dbm - edfa.gain_db;
        let rule_db = 58.0 + p_in_dbm - edfa.noise_figure_db;
        assert!((osnr_db - rule_db).abs() < 0.05, "{osnr_db} vs {rule_db}");
        // The exact constant: -10 log10(h f B / 1 mW) = 57.95 dB at 1550 nm.
        let constant = -units::watt_to_dbm(units::PLANCK_J_S * f * 12.5e9);
        assert_relative_eq!(constant, 57.9534, max_relative = 1e-5);
    }
}
