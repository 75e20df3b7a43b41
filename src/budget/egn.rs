//! The enhanced GN model of a modulation format: the closed-form cross-channel correction, and the
//! self-channel NLI from [`super::self_channel`]'s integrals.
//!
//! The GN model treats every channel as Gaussian noise. Real constellations have a smaller fourth
//! moment, and the enhanced GN model (EGN; Carena et al., "EGN model of non-linear fiber
//! propagation", Opt. Express 22(13), 2014) adds terms proportional to the format's excess
//! kurtosis
//!
//! `Φ = E|a|⁴ / (E|a|²)² − 2`: 0 for a Gaussian signal, −1 for QPSK, −17/25 for 16-QAM,
//! −13/21 for 64-QAM (per polarisation; the same for the dual-polarisation formats).
//!
//! Poggiolini et al., "A simple and effective closed-form GN model correction formula accounting
//! for signal non-Gaussian distribution", J. Lightwave Technol. 33(2), 2015 (arXiv:1402.3528),
//! reduce the dominant correction — the cross-channel term that accumulates coherently from span
//! to span — to one closed form for Nyquist channels on a uniform link. fibra uses its per-channel-pair
//! form (Semrau, Killey, Bayvel, "A modulation format correction formula for the Gaussian noise
//! model in the presence of inter-channel stimulated Raman scattering", J. Lightwave Technol.
//! 37(19), 2019, without Raman scattering), in the notation of [`super::nli`]: for a link of `n`
//! identical spans the cross-channel NLI of channel i from channel k becomes
//!
//! `P_XCI,ik(EGN) = (n + 5Φ/6) · η_ik · P_i · P_k²  +  Φ · ñ · (L_eff²/L_s) · X_ik · P_i · P_k²`,
//!
//! `X_ik = (160/81) · γ_i² / (4π·|β2|·R_k³) · [(2|Δf|−R_k)·ln((2|Δf|−R_k)/(2|Δf|+R_k)) + 2R_k]`,
//!
//! with `Δf = f_k − f_i`, β2 the mean of the two channels' values, `L_s` the span length,
//! `ñ = 0` for one span and `ñ = n` otherwise. The first term is the GN cross-channel NLI plus the
//! single-span (incoherent) correction `5Φ/6`; the second is the coherent one. For Nyquist channels
//! (`Δf = m·R`) the bracket tends to `R/m`, and summed over the comb it gives Poggiolini's formula
//! `G_corr = (80/81)·Φ·γ²·L_eff²·G³·ñ·HN((N_ch−1)/2) / (π·|β2|·L_s)` (HN the harmonic number; a unit
//! test checks the two).
//!
//! **The self-channel NLI** has no closed-form correction there; under EGN it is the numerical
//! first-order EGN integral of [`super::self_channel`] — fourth- and sixth-moment terms and the
//! coherent accumulation over spans, integrated over the channel band — in place of the GN
//! model's incoherent centre-frequency value. It is integrated for the centre channel of the grid
//! and carried to the others by the GN closed form's own channel dependence (`η_ii/η_cc`, the
//! dispersion slope). A Gaussian signal keeps the GN numbers bit for bit (`gaussian` is the GN
//! model's own assumption, and the contract).
//!
//! **Per span.** The budget walks span by span, so the link-level terms are spread over the spans
//! in a way that gives the formula exactly for identical spans and that a walk can apply without
//! knowing how many spans follow: the `5Φ/6` term with the first fibre, the coherent term with
//! every later fibre (its own `L_eff²/L_s`), the second fibre carrying it twice (the first span's
//! share, which exists only once there is a second span). The k-th fibre adds the self-channel
//! integral of k spans less that of k − 1, both of its own kind, so `n` identical spans give the
//! link-level integral exactly; on a link of mixed spans each increment is that of a uniform link
//! of the fibre's kind (the coherence of mixed spans is approximated, not integrated).
//!
//! **Validity.** The closed form assumes spans much longer than the effective length
//! (`α·L_s ≫ 1`), dispersion large enough that the coherent term is a correction, and channels
//! that do not overlap (`spacing ≥ symbol rate`, enforced by the input readers). Where the
//! correction of one span would take a channel's cross-channel NLI below zero (short spans, low
//! dispersion), it is limited to that NLI and the budget says so in a warning: fibra never reports
//! less NLI than the channel's own self-channel term.

use super::link::WdmGrid;
use super::nli::{dot, NliCoefficients};
use super::self_channel::SelfChannelMemo;
use crate::fiber::FiberParams;
use crate::units;
use ndarray::Array2;
use serde::Serialize;

/// The constellation the budget's EGN correction assumes (the names `simulate` uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SignalFormat {
    /// Dual-polarisation QPSK.
    #[serde(rename = "dp-qpsk")]
    DpQpsk,
    /// Dual-polarisation 16-QAM (square).
    #[serde(rename = "dp-16qam")]
    Dp16Qam,
    /// Dual-polarisation 64-QAM (square).
    #[serde(rename = "dp-64qam")]
    Dp64Qam,
    /// A Gaussian-distributed signal (what the GN model assumes).
    #[serde(rename = "gaussian")]
    Gaussian,
}

impl SignalFormat {
    /// The names accepted in `[signal] modulation`.
    pub const NAMES: [&'static str; 4] = ["dp-qpsk", "dp-16qam", "dp-64qam", "gaussian"];

    /// The format called `name` (one of [`SignalFormat::NAMES`]).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "dp-qpsk" => Some(Self::DpQpsk),
            "dp-16qam" => Some(Self::Dp16Qam),
            "dp-64qam" => Some(Self::Dp64Qam),
            "gaussian" => Some(Self::Gaussian),
            _ => None,
        }
    }

    /// The contract name.
    pub fn name(self) -> &'static str {
        match self {
            Self::DpQpsk => "dp-qpsk",
            Self::Dp16Qam => "dp-16qam",
            Self::Dp64Qam => "dp-64qam",
            Self::Gaussian => "gaussian",
        }
    }

    /// Excess kurtosis `Φ = E|a|⁴/(E|a|²)² − 2` of the constellation (Carena et al. 2014).
    pub fn excess_kurtosis(self) -> f64 {
        match self {
            Self::DpQpsk => -1.0,
            Self::Dp16Qam => -17.0 / 25.0,
            Self::Dp64Qam => -13.0 / 21.0,
            Self::Gaussian => 0.0,
        }
    }

    /// The sixth-moment constant `Ψ = E|a|⁶/(E|a|²)³ − 9·E|a|⁴/(E|a|²)² + 12` of the
    /// constellation (Carena et al. 2014: 4 for QPSK, 52/25 for 16-QAM, 5548/3087 ≈ 1.797 for
    /// 64-QAM; unit-tested from the constellations).
    pub fn sixth_moment_term(self) -> f64 {
        match self {
            Self::DpQpsk => 4.0,
            Self::Dp16Qam => 52.0 / 25.0,
            Self::Dp64Qam => 5548.0 / 3087.0,
            Self::Gaussian => 0.0,
        }
    }
}

/// How the budget models nonlinear interference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NliModel {
    /// The incoherent GN model (GNPy's): every channel Gaussian.
    #[default]
    Gn,
    /// The GN model with the closed-form EGN correction for this format.
    Egn(SignalFormat),
}

impl NliModel {
    /// The names accepted in `[signal] nli_model`.
    pub const NAMES: [&'static str; 2] = ["gn", "egn"];

    /// The contract name, `gn` or `egn`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Gn => "gn",
            Self::Egn(_) => "egn",
        }
    }

    /// The format of the EGN correction (`None` for the GN model).
    pub fn format(self) -> Option<SignalFormat> {
        match self {
            Self::Gn => None,
            Self::Egn(format) => Some(format),
        }
    }
}

/// The EGN terms of one fibre type on one grid: the coherent cross-channel term `X_ik` per unit
/// `L_eff²/L_s`, 1/(W²·m) (zero on the diagonal), and the centre channel's self-channel integrals.
#[derive(Debug, Clone, PartialEq)]
pub struct EgnCoefficients {
    coherent_per_w2_m: Array2<f64>,
    self_channel: SelfChannelMemo,
    center: usize,
    center_gamma_per_w_m: f64,
}

/// `(2|Δf|−R)·ln((2|Δf|−R)/(2|Δf|+R)) + 2R`, Hz: the spectral factor of the coherent term
/// (→ R²/|Δf| far from the channel; `2R − R·ln 3` for adjacent Nyquist channels). Requires
/// `2|Δf| > R`.
fn coherent_spectral_factor_hz(delta_f_hz: f64, rate_hz: f64) -> f64 {
    let near = 2.0 * delta_f_hz.abs() - rate_hz;
    let far = 2.0 * delta_f_hz.abs() + rate_hz;
    near * (-2.0 * rate_hz / far).ln_1p() + 2.0 * rate_hz
}

/// Computes the coherent EGN matrix `X_ik` (per unit `L_eff²/L_s`) of `fiber` on `grid`.
pub fn egn_coherent_coefficients(fiber: &FiberParams, grid: &WdmGrid) -> EgnCoefficients {
    let frequencies_hz = grid.frequencies_hz();
    let n = frequencies_hz.len();
    let rate_hz = grid.symbol_rate_hz();
    let beta2_s2_per_m: Vec<f64> = frequencies_hz
        .iter()
        .map(|&f| units::ps2_per_km_to_s2_per_m(fiber.beta2_ps2_per_km_at(f)))
        .collect();
    let gamma_per_w_m: Vec<f64> = frequencies_hz
        .iter()
        .map(|&f| units::per_km_to_per_m(fiber.gamma_per_w_km_at(f)))
        .collect();
    let weight = 160.0 / 81.0 / (4.0 * std::f64::consts::PI * rate_hz.powi(3));
    let mut coherent_per_w2_m = Array2::<f64>::zeros((n, n));
    for i in 0..n {
        for k in 0..n {
            if i == k {
                continue;
            }
            let beta2_abs = 0.5 * (beta2_s2_per_m[i] + beta2_s2_per_m[k]).abs();
            let spectral =
                coherent_spectral_factor_hz(frequencies_hz[k] - frequencies_hz[i], rate_hz);
            coherent_per_w2_m[[i, k]] =
                weight * gamma_per_w_m[i] * gamma_per_w_m[i] * spectral / beta2_abs;
        }
    }
    let center = grid.center_index();
    EgnCoefficients {
        coherent_per_w2_m,
        self_channel: SelfChannelMemo::new(
            units::per_km_to_per_m(fiber.alpha_per_km()),
            beta2_s2_per_m[center],
            rate_hz,
        ),
        center,
        center_gamma_per_w_m: gamma_per_w_m[center],
    }
}

/// One fibre of the walk, as the EGN correction needs it.
#[derive(Debug, Clone, Copy)]
pub struct FiberInWalk {
    /// Position among the link's fibres (0 = the first).
    pub index: usize,
    /// Effective length, m.
    pub effective_length_m: f64,
    /// Length, m.
    pub length_m: f64,
}

impl EgnCoefficients {
    /// Self-channel NLI of the centre channel generated in `fiber`, per unit `P³` (1/W²): the
    /// EGN integral of `index + 1` spans of its kind less that of `index` spans.
    fn self_channel_per_w2(&self, format: SignalFormat, fiber: FiberInWalk) -> f64 {
        let (phi, psi) = (format.excess_kurtosis(), format.sixth_moment_term());
        let up_to = |spans: usize| {
            self.self_channel
                .terms(fiber.length_m, spans)
                .combined_m2(phi, psi)
        };
        let gamma2 = self.center_gamma_per_w_m * self.center_gamma_per_w_m;
        gamma2 * (up_to(fiber.index + 1) - up_to(fiber.index)).max(0.0)
    }

    /// Applies the EGN model of format `format` to the GN NLI `nli_w` (W, from
    /// [`NliCoefficients::nli_power_w`] on the same `power_w`) generated in `fiber`: the
    /// cross-channel correction, and the self-channel integral in place of the GN term. Returns
    /// `true` when the correction had to be limited to a channel's cross-channel NLI (see the
    /// module documentation).
    pub fn correct(
        &self,
        gn: &NliCoefficients,
        format: SignalFormat,
        fiber: FiberInWalk,
        power_w: &[f64],
        nli_w: &mut [f64],
    ) -> bool {
        let phi = format.excess_kurtosis();
        if phi == 0.0 {
            return false;
        }
        let incoherent = if fiber.index == 0 { 5.0 / 6.0 } else { 0.0 };
        let coherent_shares = match fiber.index {
            0 => 0.0,
            1 => 2.0,
            _ => 1.0,
        };
        let coherent_scale = coherent_shares * fiber.effective_length_m.powi(2) / fiber.length_m;
        let squared: Vec<f64> = power_w.iter().map(|p| p * p).collect();
        let center_sci_per_w2 = self.self_channel_per_w2(format, fiber);
        let center_eta = gn.eta_per_w2(self.center, self.center, 1.0);
        let mut limited = false;
        for (i, (row, nli)) in self
            .coherent_per_w2_m
            .rows()
            .into_iter()
            .zip(nli_w.iter_mut())
            .enumerate()
        {
            let p_i = power_w[i];
            let self_channel = gn.eta_per_w2(i, i, fiber.effective_length_m) * p_i * squared[i];
            let cross_channel = *nli - self_channel;
            let coherent = match (coherent_shares > 0.0, row.as_slice()) {
                (false, _) => 0.0,
                (true, Some(row)) => coherent_scale * p_i * dot(row, &squared),
                (true, None) => {
                    coherent_scale * p_i * row.iter().zip(&squared).map(|(x, p)| x * p).sum::<f64>()
                }
            };
            let corrected = cross_channel + phi * (incoherent * cross_channel + coherent);
            // Below zero, or not a number (a fibre without dispersion): limited.
            if corrected.is_nan() || corrected < 0.0 {
                limited = true;
            }
            let self_channel_egn =
                center_sci_per_w2 * gn.eta_per_w2(i, i, 1.0) / center_eta * p_i * squared[i];
            *nli = self_channel_egn + corrected.max(0.0);
        }
        limited
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fiber::builtin_fiber;
    use approx::assert_relative_eq;

    /// Φ and Ψ from the constellation points themselves, not from the table.
    #[test]
    fn excess_kurtosis_is_the_constellations_fourth_moment() {
        fn moments_of_square_qam(levels: &[f64]) -> (f64, f64) {
            let points: Vec<f64> = levels
                .iter()
                .flat_map(|&i| levels.iter().map(move |&q| i * i + q * q))
                .collect();
            let n = points.len() as f64;
            let m2 = points.iter().sum::<f64>() / n;
            let m4 = points.iter().map(|a2| a2 * a2).sum::<f64>() / n;
            let m6 = points.iter().map(|a2| a2 * a2 * a2).sum::<f64>() / n;
            let kurtosis = m4 / (m2 * m2);
            (kurtosis - 2.0, m6 / m2.powi(3) - 9.0 * kurtosis + 12.0)
        }
        let pam = |m: i32| -> Vec<f64> { (0..m).map(|k| f64::from(2 * k - m + 1)).collect() };
        for (format, levels) in [
            (SignalFormat::DpQpsk, pam(2)),
            (SignalFormat::Dp16Qam, pam(4)),
            (SignalFormat::Dp64Qam, pam(8)),
        ] {
            let (phi, psi) = moments_of_square_qam(&levels);
            assert_relative_eq!(format.excess_kurtosis(), phi, max_relative = 1e-12);
            assert_relative_eq!(format.sixth_moment_term(), psi, max_relative = 1e-12);
        }
        for name in SignalFormat::NAMES {
            assert_eq!(SignalFormat::from_name(name).unwrap().name(), name);
        }
    }

    /// Spread over the walk's fibres, the corrections of `n` identical spans at one power add up to
    /// the closed form `(n + 5Φ/6)·XCI + Φ·ñ·(L_eff²/L_s)·X` exactly, for one span as for many,
    /// and the self-channel NLI to the integral of `n` spans (carried from the centre channel by
    /// `η_ii/η_cc`).
    #[test]
    fn identical_spans_add_up_to_the_link_level_formula() {
        let mut fiber = builtin_fiber("SSMF").unwrap();
        fiber.dispersion_slope_ps_nm2_km = 0.0;
        let grid = WdmGrid {
            channels: 9,
            spacing_ghz: 50.0,
            center_thz: 193.1,
            symbol_rate_gbaud: 32.0,
        };
        let gn = crate::budget::gn_nli_coefficients(&fiber, &grid);
        let egn = egn_coherent_coefficients(&fiber, &grid);
        let leff = units::km_to_m(crate::fiber::effective_length_km(
            fiber.alpha_per_km(),
            80.0,
        ));
        let power_w: Vec<f64> = (0..9).map(|k| 1e-3 * (1.0 + 0.05 * k as f64)).collect();
        let format = SignalFormat::Dp16Qam;
        let phi = format.excess_kurtosis();
        for spans in [1usize, 2, 5, 20] {
            let mut total = [0.0; 9];
            for index in 0..spans {
                let mut nli = vec![0.0; 9];
                gn.nli_power_w(&power_w, leff, &mut nli);
                let fiber_in_walk = FiberInWalk {
                    index,
                    effective_length_m: leff,
                    length_m: 80e3,
                };
                assert!(!egn.correct(&gn, format, fiber_in_walk, &power_w, &mut nli));
                for (t, v) in total.iter_mut().zip(&nli) {
                    *t += v;
                }
            }
            let n = spans as f64;
            let n_tilde = if spans == 1 { 0.0 } else { n };
            let center_sci = egn
                .self_channel
                .terms(80e3, spans)
                .combined_m2(phi, format.sixth_moment_term())
                * egn.center_gamma_per_w_m.powi(2);
            for (i, total_i) in total.iter().enumerate() {
                let p = |k: usize| power_w[k];
                let sci =
                    center_sci * gn.eta_per_w2(i, i, 1.0) / gn.eta_per_w2(4, 4, 1.0) * p(i).powi(3);
                let (xci, coherent): (f64, f64) = (0..9)
                    .filter(|&k| k != i)
                    .map(|k| {
                        (
                            gn.eta_per_w2(i, k, leff) * p(i) * p(k) * p(k),
                            egn.coherent_per_w2_m[[i, k]] * p(i) * p(k) * p(k),
                        )
                    })
                    .fold((0.0, 0.0), |(a, b), (x, c)| (a + x, b + c));
                let expected = sci
                    + (n + 5.0 * phi / 6.0) * xci
                    + phi * n_tilde * leff * leff / 80e3 * coherent;
                assert_relative_eq!(*total_i, expected, max_relative = 1e-12);
            }
        }
    }

    #[test]
    fn the_spectral_factor_has_its_closed_limits() {
        let r = 32e9;
        assert_relative_eq!(
            coherent_spectral_factor_hz(r, r),
            r * (2.0 - 3f64.ln()),
            max_relative = 1e-12
        );
        // Far from the channel: (R²/|Δf|)·(1 − R/(6|Δf|) + O((R/Δf)²)).
        let far = 100.0 * r;
        assert_relative_eq!(
            coherent_spectral_factor_hz(-far, r),
            r * r / far * (1.0 - r / (6.0 * far)),
            max_relative = 1e-4
        );
    }

    /// Summed over a Nyquist comb, the per-pair coherent term is Poggiolini's closed form
    /// `(80/81)·Φ·γ²·L_eff²·P³·ñ·HN((N−1)/2) / (π·|β2|·L_s·R²)` (its 2015 paper, in powers), up to
    /// the exact spectral factor near the channel: `Σ_m [g(m)/R − 1/m]` over both sides.
    #[test]
    fn a_nyquist_comb_sums_to_poggiolinis_harmonic_number_formula() {
        let mut fiber = builtin_fiber("SSMF").unwrap();
        fiber.dispersion_slope_ps_nm2_km = 0.0;
        fiber.constant_beta2 = true;
        let channels = 101;
        let grid = WdmGrid {
            channels,
            spacing_ghz: 32.0,
            center_thz: 193.1,
            symbol_rate_gbaud: 32.0,
        };
        let egn = egn_coherent_coefficients(&fiber, &grid);
        let center = grid.center_index();
        let sum: f64 = egn.coherent_per_w2_m.row(center).sum();
        let r = grid.symbol_rate_hz();
        let f = grid.frequencies_hz()[center];
        let beta2 = units::ps2_per_km_to_s2_per_m(fiber.beta2_ps2_per_km_at(f)).abs();
        let gamma = units::per_km_to_per_m(fiber.gamma_per_w_km_at(f));
        let half = (channels - 1) / 2;
        let harmonic: f64 = (1..=half).map(|m| 1.0 / m as f64).sum();
        let pi = std::f64::consts::PI;
        let poggiolini = 80.0 / 81.0 * gamma * gamma * harmonic / (pi * beta2 * r * r);
        // The exact spectral factor differs from R/m near the channel.
        let near: f64 = (1..=half)
            .map(|m| coherent_spectral_factor_hz(m as f64 * r, r) / r - 1.0 / m as f64)
            .sum();
        let expected = poggiolini * (harmonic + near) / harmonic;
        assert_relative_eq!(sum, expected, max_relative = 1e-12);
        // And the closed form itself is 4.2 % (0.18 dB) above the per-pair sum at 101 channels.
        assert!(
            (sum / poggiolini - 0.958).abs() < 1e-3,
            "{}",
            sum / poggiolini
        );
    }
}
