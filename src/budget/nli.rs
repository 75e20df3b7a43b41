//! Nonlinear interference by the closed-form incoherent GN model.
//!
//! Poggiolini et al., "The GN model of non-linear propagation in uncompensated coherent optical
//! systems", J. Lightwave Technol. 30(24), 2012, and arXiv:1209.0394 eq. 120 (with eq. 123 for the
//! cross-channel term), in the matrix form GNPy uses: the NLI power generated in one span on channel
//! i, evaluated at the fibre input, is
//!
//! `P_NLI,i = Σ_k η_ik · P_i · P_k²`, with
//! `η_ik = γ_i² · w_ik · ψ_ik / R_k²`, `w_ii = 16/27`, `w_ik = 32/27` (k ≠ i),
//! `ψ_ik = [asinh(π²·L_a·|β2|·R_i·(Δf_ik + R_k/2)) − asinh(π²·L_a·|β2|·R_i·(Δf_ik − R_k/2))] / 2
//!         · L_eff² / (2π·|β2|·L_a)`,
//!
//! where `Δf_ik = f_k − f_i`, β2 is the mean of the two channels' values, `L_eff = (1 − e^{−αL})/α`,
//! `L_a = 1/α` (α the power attenuation) and γ_i is the channel's own nonlinear coefficient.
//! For i = k the bracket is `2·asinh(π²/2·L_a·|β2|·R²)`, eq. 120's self-channel term.
//!
//! Only the factor `L_eff²` depends on the span length, so the matrix is computed once per fibre
//! type and grid, per unit `L_eff²`, and scaled per span.

use crate::budget::link::WdmGrid;
use crate::chain::Fiber;
use crate::fiber::FiberParams;
use crate::units;
use ndarray::Array2;

/// The η matrix of one fibre type for one WDM grid (row = channel under test), per unit `L_eff²`:
/// multiply by `L_eff²` (m²) to get 1/W².
#[derive(Debug, Clone, PartialEq)]
pub struct NliCoefficients {
    /// η_ik per unit L_eff², 1/(W²·m²); row i = channel under test.
    eta_per_w2_m2: Array2<f64>,
}

/// Effective length of a fibre, m: `L_eff = (1 − e^{−αL})/α` (see [`Fiber::effective_length_km`]).
pub fn effective_length_m(fiber: &Fiber) -> f64 {
    units::km_to_m(fiber.effective_length_km())
}

/// Self-channel weight of eq. 120.
const SPM_WEIGHT: f64 = 16.0 / 27.0;
/// Cross-channel weight of eq. 120 (two degenerate four-wave-mixing orderings).
const XPM_WEIGHT: f64 = 2.0 * 16.0 / 27.0;

/// `[asinh(x·u) − asinh(x·v)] / x`, continuous as x → 0 (where it tends to u − v).
fn asinh_difference_over_x(x: f64, u: f64, v: f64) -> f64 {
    let largest = x * u.abs().max(v.abs());
    if largest < 1e-6 {
        // asinh(y) = y − y³/6 + …; the cubic term is below 1e-13 relative here.
        (u - v) - x * x * (u * u * u - v * v * v) / 6.0
    } else {
        ((x * u).asinh() - (x * v).asinh()) / x
    }
}

/// Computes the GN-model η matrix (per unit `L_eff²`) of `fiber` for the channels of `grid`.
///
/// All quantities in SI inside: α in 1/m, β2 in s²/m, γ in 1/(W·m), frequencies in Hz.
pub fn gn_nli_coefficients(fiber: &FiberParams, grid: &WdmGrid) -> NliCoefficients {
    let frequencies_hz = grid.frequencies_hz();
    let n = frequencies_hz.len();
    let symbol_rate_hz = grid.symbol_rate_hz();
    let alpha_per_m = units::per_km_to_per_m(fiber.alpha_per_km());
    let asymptotic_length_m = 1.0 / alpha_per_m;
    let beta2_s2_per_m: Vec<f64> = frequencies_hz
        .iter()
        .map(|&f| crate::units::ps2_per_km_to_s2_per_m(fiber.beta2_ps2_per_km_at(f)))
        .collect();
    let gamma_per_w_m: Vec<f64> = frequencies_hz
        .iter()
        .map(|&f| units::per_km_to_per_m(fiber.gamma_per_w_km_at(f)))
        .collect();

    let pi = std::f64::consts::PI;
    // ψ_ik·R_k² is symmetric in (i, k) for identical symbol rates; compute the upper triangle once.
    // ψ = bracket/2 · Leff²/(2π|β2|La), bracket = x·asinh_difference_over_x, x = π²·La·|β2|·R
    // => ψ = π²·R·Leff²/(4π) · asinh_difference_over_x(x, u, v).
    let prefactor = pi * pi * symbol_rate_hz / (4.0 * pi);
    let mut psi = Array2::<f64>::zeros((n, n));
    for i in 0..n {
        for k in i..n {
            let beta2_abs = 0.5 * (beta2_s2_per_m[i] + beta2_s2_per_m[k]).abs();
            let x = pi * pi * asymptotic_length_m * beta2_abs * symbol_rate_hz;
            let delta_f = frequencies_hz[k] - frequencies_hz[i];
            let value = prefactor
                * asinh_difference_over_x(
                    x,
                    delta_f + 0.5 * symbol_rate_hz,
                    delta_f - 0.5 * symbol_rate_hz,
                );
            psi[[i, k]] = value;
            psi[[k, i]] = value;
        }
    }
    let inv_rate2 = 1.0 / (symbol_rate_hz * symbol_rate_hz);
    let mut eta_per_w2_m2 = psi;
    for ((i, k), eta) in eta_per_w2_m2.indexed_iter_mut() {
        let weight = if i == k { SPM_WEIGHT } else { XPM_WEIGHT };
        *eta *= gamma_per_w_m[i] * gamma_per_w_m[i] * weight * inv_rate2;
    }
    NliCoefficients { eta_per_w2_m2 }
}

impl NliCoefficients {
    /// Number of channels the matrix was built for.
    pub fn channels(&self) -> usize {
        self.eta_per_w2_m2.nrows()
    }

    /// η_ik for a span of effective length `effective_length_m`, 1/W².
    pub fn eta_per_w2(&self, i: usize, k: usize, effective_length_m: f64) -> f64 {
        self.eta_per_w2_m2[[i, k]] * effective_length_m * effective_length_m
    }

    /// NLI power generated in a span of effective length `effective_length_m` on every channel,
    /// W, from the channels' in-band powers at the fibre input:
    /// `P_NLI,i = L_eff² · P_i · Σ_k η_ik·P_k²`. Writes into `nli_w`.
    pub fn nli_power_w(&self, power_w: &[f64], effective_length_m: f64, nli_w: &mut [f64]) {
        let scale = effective_length_m * effective_length_m;
        let squared: Vec<f64> = power_w.iter().map(|p| p * p).collect();
        for ((row, out), p_i) in self
            .eta_per_w2_m2
            .rows()
            .into_iter()
            .zip(nli_w.iter_mut())
            .zip(power_w)
        {
            let sum = match row.as_slice() {
                Some(row) => dot(row, &squared),
                None => row.iter().zip(&squared).map(|(eta, p2)| eta * p2).sum(),
            };
            *out = scale * p_i * sum;
        }
    }
}

/// `Σ a_k·b_k` in four interleaved partial sums (vectorisable; the order of the additions differs
/// from a plain left-to-right sum only in the last bits).
pub(super) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut lanes = [0.0f64; 4];
    let (a4, a_rest) = a.split_at(a.len() - a.len() % 4);
    let (b4, b_rest) = b.split_at(a4.len());
    for (x, y) in a4.chunks_exact(4).zip(b4.chunks_exact(4)) {
        for lane in 0..4 {
            lanes[lane] += x[lane] * y[lane];
        }
    }
    let tail: f64 = a_rest.iter().zip(b_rest).map(|(x, y)| x * y).sum();
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Span;
    use crate::fiber::builtin_fiber;
    use approx::assert_relative_eq;

    fn span_80km() -> Span {
        let mut fiber = builtin_fiber("SSMF").unwrap();
        fiber.dispersion_slope_ps_nm2_km = 0.0;
        Span::new(80.0, fiber)
    }

    #[test]
    fn single_channel_matches_eq_120_self_term() {
        // Eq. 120, one channel: P_NLI = (16/27)·γ²·Leff²·P³·asinh(π²/2·La·|β2|·R²)/(2π·|β2|·La·R²).
        let span = span_80km();
        let grid = WdmGrid {
            channels: 1,
            spacing_ghz: 50.0,
            center_thz: 193.1,
            symbol_rate_gbaud: 32.0,
        };
        let eta = gn_nli_coefficients(&span.fiber, &grid);
        let f = 193.1e12;
        let alpha = 0.2 / (10.0 * std::f64::consts::E.log10()) / 1e3;
        let leff = (1.0 - (-alpha * 80e3).exp()) / alpha;
        let la = 1.0 / alpha;
        let beta2 = (span.fiber.beta2_ps2_per_km_at(f) * 1e-27).abs();
        let gamma = span.fiber.gamma_per_w_km_at(f) / 1e3;
        let r: f64 = 32e9;
        let p: f64 = 1e-3;
        let pi = std::f64::consts::PI;
        let expected = 16.0 / 27.0
            * gamma
            * gamma
            * leff
            * leff
            * p.powi(3)
            * (pi * pi / 2.0 * la * beta2 * r * r).asinh()
            / (2.0 * pi * beta2 * la * r * r);
        let mut nli = [0.0];
        eta.nli_power_w(&[p], effective_length_m(&span.fiber_element()), &mut nli);
        assert_relative_eq!(nli[0], expected, max_relative = 1e-12);
    }

    #[test]
    fn vanishing_dispersion_has_a_finite_limit() {
        let v = asinh_difference_over_x(1e-12, 3.0, 1.0);
        assert_relative_eq!(v, 2.0, max_relative = 1e-12);
        let direct = ((1e-3f64 * 3.0).asinh() - (1e-3f64).asinh()) / 1e-3;
        assert_relative_eq!(
            asinh_difference_over_x(1e-3, 3.0, 1.0),
            direct,
            max_relative = 1e-12
        );
    }
}
