//! Noise-figure models of amplifier libraries that make the NF depend on the operating point:
//! GNPy 3.0.1's `type_def`s (`gnpy/tools/json_io.py` `Amp.from_json`, `gnpy/core/elements.py`
//! `Edfa._nf`, `gnpy/core/science_utils.py` `estimate_nf_model`).
//!
//! Every model is evaluated at the gain the amplifier delivers, `G`. Below the stage's minimum
//! gain the amplifier is padded at its input: `pad = max(G_min − G, 0)` is added to the gain the
//! model sees and to the NF. With `dg = max(G_flatmax − (G + pad), 0)`:
//!
//! | model | NF (dB) |
//! |---|---|
//! | fixed gain | `nf0` |
//! | variable gain (two coils) | `10·log10(nf1 + nf2 / lin(G + pad − ΔP − dg))` (linear nf1, nf2) |
//! | OpenROADM in-line | `P − (c0·P³ + c1·P² + c2·P + c3) + 58`, `P` = input per 50 GHz slot, dBm |
//! | OpenROADM pre-amplifier | `P − min((4P + 275)/7, 33) + 58` |
//! | OpenROADM booster | `−∞` (noiseless) |
//! | dual stage | `10·log10(lin NF₁(g₁) + lin NF₂(G − g₁) / lin g₁)`, `g₁` = first stage's flat-gain maximum |

use crate::units;

/// What one amplifier stage's NF depends on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NfKind {
    /// A constant NF, dB.
    Fixed {
        /// The NF, dB.
        nf0_db: f64,
    },
    /// GNPy's two-coil model fitted from the NF at maximum and minimum gain
    /// ([`variable_gain_fit`]).
    VariableGain {
        /// First coil's NF, dB.
        nf1_db: f64,
        /// Second coil's NF, dB.
        nf2_db: f64,
        /// Power difference between the coils, dB.
        delta_p_db: f64,
    },
    /// The OpenROADM in-line amplifier mask: OSNR as a cubic in the input power per 50 GHz.
    OpenRoadm {
        /// Cubic coefficients, highest power first.
        nf_coef: [f64; 4],
    },
    /// The OpenROADM pre-amplifier mask.
    OpenRoadmPreamp,
    /// The OpenROADM booster: no ASE.
    Noiseless,
}

/// One amplifier stage: its NF model and its gain range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NfStage {
    /// The NF model.
    pub kind: NfKind,
    /// Minimum gain before input padding, dB.
    pub gain_min_db: f64,
    /// Gain at which the spectrum is flat (the top of the gain range), dB.
    pub gain_flatmax_db: f64,
}

impl NfStage {
    /// NF at gain `gain_db` with `input_per_50ghz_dbm` per 50 GHz at the input, dB (padding
    /// included).
    pub fn nf_db(&self, gain_db: f64, input_per_50ghz_dbm: f64) -> f64 {
        let pad = (self.gain_min_db - gain_db).max(0.0);
        let gain = gain_db + pad;
        let dg = (self.gain_flatmax_db - gain).max(0.0);
        let p = input_per_50ghz_dbm;
        let nf = match self.kind {
            NfKind::Fixed { nf0_db } => nf0_db,
            NfKind::VariableGain {
                nf1_db,
                nf2_db,
                delta_p_db,
            } => units::linear_to_db(
                units::db_to_linear(nf1_db)
                    + units::db_to_linear(nf2_db) / units::db_to_linear(gain - delta_p_db - dg),
            ),
            NfKind::OpenRoadm { nf_coef } => {
                let osnr = nf_coef.iter().fold(0.0, |acc, c| acc * p + c);
                p - osnr + 58.0
            }
            NfKind::OpenRoadmPreamp => p - ((4.0 * p + 275.0) / 7.0).min(33.0) + 58.0,
            NfKind::Noiseless => f64::NEG_INFINITY,
        };
        nf + pad
    }
}

/// An amplifier's NF model: one stage, or two in cascade.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NfModel {
    /// One stage.
    Single(NfStage),
    /// A pre-amplifier stage run at its flat-gain maximum, then a booster stage giving the rest.
    DualStage {
        /// First stage.
        preamp: NfStage,
        /// Second stage.
        booster: NfStage,
    },
}

impl NfModel {
    /// NF at gain `gain_db` with `input_per_50ghz_dbm` per 50 GHz at the input, dB.
    pub fn nf_db(&self, gain_db: f64, input_per_50ghz_dbm: f64) -> f64 {
        match self {
            NfModel::Single(stage) => stage.nf_db(gain_db, input_per_50ghz_dbm),
            NfModel::DualStage { preamp, booster } => {
                let g1 = preamp.gain_flatmax_db;
                let nf1 = preamp.nf_db(g1, input_per_50ghz_dbm);
                let nf2 = booster.nf_db(gain_db - g1, input_per_50ghz_dbm);
                units::linear_to_db(units::db_to_linear(nf1) + units::db_to_linear(nf2 - g1))
            }
        }
    }
}

/// GNPy's two-coil fit of a variable-gain EDFA from its NF at maximum gain (`nf_min_db` at
/// `gain_max_db`) and at minimum gain (`nf_max_db` at `gain_min_db`): ΔP = 5 dB,
/// `g1a_max = G_max − ΔP`, `g1a_min = G_min − (G_max − G_min) − ΔP`, and `nf1`, `nf2` solve
/// `nf_min = nf1 + nf2/g1a_max`, `nf_max = nf1 + nf2/g1a_min` (linear). If not
/// `nf1 + 0.3 < nf2 < nf1 + 2` (dB), nf2 is clipped to that range and ΔP recomputed.
/// Returns `(nf1_db, nf2_db, delta_p_db)`, or why the inputs make no amplifier (GNPy's checks:
/// first coil NF ≥ 4 dB, 1 < ΔP < 11 dB).
pub fn variable_gain_fit(
    gain_min_db: f64,
    gain_max_db: f64,
    nf_min_db: f64,
    nf_max_db: f64,
) -> Result<NfKind, String> {
    let lin = units::db_to_linear;
    let mut delta_p = 5.0;
    let g1a_min = gain_min_db - (gain_max_db - gain_min_db) - delta_p;
    let g1a_max = gain_max_db - delta_p;
    let mut nf2 = units::linear_to_db(
        (lin(nf_min_db) - lin(nf_max_db)) / (1.0 / lin(g1a_max) - 1.0 / lin(g1a_min)),
    );
    let nf1 = units::linear_to_db(lin(nf_min_db) - lin(nf2) / lin(g1a_max));
    if !nf1.is_finite() || nf1 < 4.0 {
        return Err(format!(
            "first coil noise figure {nf1:.2} dB is below 4 dB (nf_min {nf_min_db} dB, nf_max {nf_max_db} dB)"
        ));
    }
    if !(nf1 + 0.3 < nf2 && nf2 < nf1 + 2.0) {
        nf2 = nf2.clamp(nf1 + 0.3, nf1 + 2.0);
        let g1a_max = units::linear_to_db(lin(nf2) / (lin(nf_min_db) - lin(nf1)));
        delta_p = gain_max_db - g1a_max;
        if !(1.0 < delta_p && delta_p < 11.0) {
            return Err(format!(
                "the two-coil fit gives a coil power difference of {delta_p:.2} dB, outside (1, 11) dB"
            ));
        }
    }
    Ok(NfKind::VariableGain {
        nf1_db: nf1,
        nf2_db: nf2,
        delta_p_db: delta_p,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variable(gain_min: f64, gain_max: f64, nf_min: f64, nf_max: f64) -> NfStage {
        NfStage {
            kind: variable_gain_fit(gain_min, gain_max, nf_min, nf_max).unwrap(),
            gain_min_db: gain_min,
            gain_flatmax_db: gain_max,
        }
    }

    #[test]
    fn variable_gain_reproduces_its_end_points_and_gnpy_values() {
        // The fit passes through (G_max, nf_min) and (G_min, nf_max) by construction.
        let medium = variable(15.0, 26.0, 6.0, 10.0);
        assert!((medium.nf_db(26.0, 0.0) - 6.0).abs() < 1e-9);
        // gnpy-how-it-computes.md §4: std_low_gain at 17.5 dB → 6.44 dB (its end point: 16 dB
        // is the flat maximum, so above it dg = 0), std_medium_gain at 19 dB → 6.90 dB,
        // 18.5 dB → 7.12 dB (two decimals, as printed by GNPy).
        let low = variable(8.0, 16.0, 6.5, 11.0);
        assert!(
            (low.nf_db(17.5, 0.0) - 6.44).abs() < 0.005,
            "{}",
            low.nf_db(17.5, 0.0)
        );
        assert!((medium.nf_db(19.0, 0.0) - 6.90).abs() < 0.005);
        assert!((medium.nf_db(18.5, 0.0) - 7.12).abs() < 0.005);
        // Below the minimum gain the padding adds dB for dB.
        assert!((medium.nf_db(12.0, 0.0) - (medium.nf_db(15.0, 0.0) + 3.0)).abs() < 1e-9);
    }

    #[test]
    fn openroadm_masks_and_the_noiseless_booster() {
        let preamp = NfStage {
            kind: NfKind::OpenRoadmPreamp,
            gain_min_db: 0.0,
            gain_flatmax_db: 27.0,
        };
        // P = −20 dBm: OSNR = min((−80 + 275)/7, 33) = 27.857 → NF = −20 − 27.857 + 58.
        assert!((preamp.nf_db(20.0, -20.0) - (38.0 - 195.0 / 7.0)).abs() < 1e-12);
        let ila = NfStage {
            kind: NfKind::OpenRoadm {
                nf_coef: [0.0, 0.0, 1.0, 30.0],
            },
            gain_min_db: 0.0,
            gain_flatmax_db: 27.0,
        };
        // OSNR = P + 30: NF = 28 dB whatever the input.
        assert!((ila.nf_db(20.0, -17.0) - 28.0).abs() < 1e-12);
        let booster = NfStage {
            kind: NfKind::Noiseless,
            gain_min_db: 0.0,
            gain_flatmax_db: 32.0,
        };
        assert_eq!(units::db_to_linear(booster.nf_db(20.0, -20.0)), 0.0);
    }

    #[test]
    fn a_dual_stage_is_the_friis_cascade_of_its_stages() {
        let raman = NfStage {
            kind: NfKind::Fixed { nf0_db: -1.0 },
            gain_min_db: 12.0,
            gain_flatmax_db: 12.0,
        };
        let low = variable(8.0, 16.0, 6.5, 11.0);
        let hybrid = NfModel::DualStage {
            preamp: raman,
            booster: low,
        };
        let g = 27.0;
        let friis = units::db_to_linear(-1.0)
            + units::db_to_linear(low.nf_db(g - 12.0, 0.0)) / units::db_to_linear(12.0);
        assert!((hybrid.nf_db(g, 0.0) - units::linear_to_db(friis)).abs() < 1e-12);
    }

    #[test]
    fn impossible_fits_are_refused() {
        assert!(variable_gain_fit(15.0, 26.0, 3.0, 3.5).is_err());
    }
}
