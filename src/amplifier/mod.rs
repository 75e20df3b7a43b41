//! Erbium-doped fibre amplifier (EDFA) model: gain, noise figure, output-power limit.

mod noise_model;

pub use noise_model::{variable_gain_fit, NfKind, NfModel, NfStage};

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
    /// Maximum total output power, dBm (optional; reported when exceeded unless
    /// `output_saturates`).
    pub max_output_power_dbm: Option<f64>,
    /// The NF as a function of the operating point (`None`: `noise_figure_db` at any gain).
    pub nf_model: Option<NfModel>,
    /// True when the gain drops so that the total output stays at `max_output_power_dbm`
    /// (GNPy's EDFA: `G = min(G, P_max − P_in)`); false when an excess is only reported.
    pub output_saturates: bool,
}

impl Edfa {
    /// An EDFA of `gain_db` and a constant `noise_figure_db`, without output limit.
    pub fn new(gain_db: f64, noise_figure_db: f64) -> Self {
        Self {
            gain_db,
            max_gain_db: DEFAULT_MAX_GAIN_DB,
            noise_figure_db,
            max_output_power_dbm: None,
            nf_model: None,
            output_saturates: false,
        }
    }

    /// The amplifier at an operating point: `input_total_dbm` in total at its input, spread
    /// over `channels` channels in slots of `slot_width_hz`. The gain is limited by a saturating
    /// output (`G = min(G, P_max − P_in)`) and the NF model is evaluated at that gain and at the
    /// input power per 50 GHz, `P_in − 10·log10(n) + 10·log10(50 GHz / slot)`.
    pub fn at_operating_point(
        &self,
        input_total_dbm: f64,
        channels: usize,
        slot_width_hz: f64,
    ) -> Edfa {
        let mut gain_db = self.gain_db;
        if let (true, Some(max_dbm)) = (self.output_saturates, self.max_output_power_dbm) {
            gain_db = gain_db.min(max_dbm - input_total_dbm);
        }
        let noise_figure_db = self.nf_model.map_or(self.noise_figure_db, |model| {
            let per_50ghz_dbm = input_total_dbm - units::linear_to_db(channels as f64)
                + units::linear_to_db(50e9 / slot_width_hz);
            model.nf_db(gain_db, per_50ghz_dbm)
        });
        Edfa {
            gain_db,
            noise_figure_db,
            nf_model: None,
            output_saturates: false,
            ..self.clone()
        }
    }

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
        let edfa = Edfa::new(20.0, 5.0);
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
