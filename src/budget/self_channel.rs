//! The self-channel NLI of the enhanced GN model, integrated numerically.
//!
//! The closed-form EGN correction of [`super::egn`] covers the cross-channel NLI only; the
//! self-channel interference (SCI) of a coherent format differs from the GN model's in two ways
//! that the closed forms of 2015 leave out: its fourth- and sixth-moment terms, and its coherent
//! accumulation from span to span (the GN budget adds spans incoherently). Both come from the same
//! first-order integrals, so fibra evaluates those for the channel itself.
//!
//! **Model.** For `n` identical spans (power attenuation α, β2, length `L_s`) the link kernel of
//! a four-wave-mixing triple `(f1, f2, f1+f2−f)` depends only on `u = (f1−f)(f2−f)`:
//!
//! `h(u) = ρ(u)·χ(u)`, `θ = 4π²β2·u`, `ρ = (1 − e^{(−α+jθ)L_s}) / (α − jθ)`,
//! `χ = Σ_{s<n} e^{jsθL_s}` (the phased-array factor: coherent accumulation).
//!
//! For a channel of rectangular spectrum of width `R` and power `P` (Nyquist), the SCI power in the
//! channel band is `γ²·P³·(D + Φ·(E + F) + Ψ·G)` with the EGN terms of Carena et al. ("EGN model
//! of non-linear fiber propagation", Opt. Express 22(13), 2014, dual polarisation), written with
//! `x = f1−f`, `y = f2−f` and `B` the band (`f`, `f+x`, `f+y`, `f+x+y` all in `B`):
//!
//! - `D = (16/27)/R³ · ∫df ∫∫dx dy |h(xy)|²` — the GN model's SCI, here band-integrated and
//!   coherent;
//! - `E = (80/81)/R⁴ · ∫df ∫dx |∫dy h(xy)|²`;
//! - `F = (16/81)/R⁴ · ∫df ∫dσ |∫dx h(x(σ−x))|²` (σ = x + y, `f+σ` in `B`);
//! - `G = (16/81)/R⁵ · ∫df |∫∫dx dy h(xy)|²`;
//!
//! with the format's per-polarisation moments `Φ = E|a|⁴/(E|a|²)² − 2` and
//! `Ψ = E|a|⁶/(E|a|²)³ − 9·E|a|⁴/(E|a|²)² + 12` (QPSK −1 and 4, 16-QAM −17/25 and 52/25,
//! 64-QAM −13/21 and 5548/3087; a Gaussian signal 0 and 0).
//!
//! Checks (unit tests): at zero dispersion `h` is constant and the four integrals are volumes of
//! polytopes (`D = (32/81)·h²`, `E = (40/81)·h²`, `F = (8/81)·h²`, `G = (4/45)·h²`), and a direct
//! Monte Carlo evaluation of the dual-polarisation Kerr term `(8/9)(|u_x|²+|u_y|²)·u_x` of random
//! QPSK and 16-QAM symbols gives `D + Φ(E+F) + ΨG` — the coefficients and the format terms are
//! the physics', not a fit; for one span, `D` integrated over the band is 0.83 of the closed form's
//! centre-frequency value times `R` (the SCI spectrum falls towards the band edges).
//!
//! **Numerics.** `h` is tabulated on a uniform grid of `u ∈ [−R², R²]` fine enough for the array
//! factor's peaks (width ∝ 1/n), with its running integral `H(u) = ∫h`; each inner integral is then
//! a difference of `H` (`∫dy h(xy) = [H(x·y₁) − H(x·y₀)]/x`), exact however sharp `h` is, and the
//! outer integrals are midpoint sums over smooth integrands. The cost grows with `n` through the
//! table only: about 15 ms for one span, 20 ms for 20, 45 ms for 64 (a table of 128,001 points,
//! 5 MB). Past 64 spans the terms are extrapolated on a power law (to 0.1–0.2 dB at 128–256
//! spans), so no span count costs more time or memory than 64.

use num_complex::Complex64;
use std::collections::HashMap;
use std::f64::consts::PI;
use std::sync::Mutex;

/// A chain of identical spans as the self-channel integrals see it (SI units).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UniformSpans {
    /// Power attenuation, 1/m.
    pub alpha_per_m: f64,
    /// Group-velocity dispersion, s²/m.
    pub beta2_s2_per_m: f64,
    /// Span length, m.
    pub length_m: f64,
    /// Number of spans (≥ 1).
    pub spans: usize,
}

/// The four EGN self-channel integrals of one channel over `n` identical spans, per unit `γ²·P³`
/// (m²): the self-channel NLI power is `γ²·P³·(d + Φ·(e + f) + Ψ·g)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SelfChannelTerms {
    /// The Gaussian (GN) term D, m².
    pub d_m2: f64,
    /// The fourth-moment term E, m².
    pub e_m2: f64,
    /// The fourth-moment term F, m².
    pub f_m2: f64,
    /// The sixth-moment term G, m².
    pub g_m2: f64,
}

impl SelfChannelTerms {
    /// `D + Φ·(E + F) + Ψ·G`, m²: the self-channel NLI per unit `γ²·P³` of a format with moments
    /// Φ and Ψ (never below zero: it is a variance).
    pub fn combined_m2(&self, phi: f64, psi: f64) -> f64 {
        (self.d_m2 + phi * (self.e_m2 + self.f_m2) + psi * self.g_m2).max(0.0)
    }

    /// The terms of `spans` spans from those of `at / 2` and `at` spans (`spans > at`): each term
    /// on the power law through the two, `t(n) = t(at)·(n/at)^{log2(t(at)/t(at/2))}`. Past
    /// 64 spans the array factor's peaks outgrow the integration grids (at 128 spans of 80 km
    /// E is 5 % off), while the power law from 32 and 64 spans is within 0.1 dB of a four-times finer
    /// integration at 128 spans and 0.2 dB at 256 (QPSK, above it: conservative).
    pub fn extrapolated(half: Self, at_full: Self, at: usize, spans: usize) -> Self {
        let ratio = spans as f64 / at as f64;
        half.zip_with(at_full, |a, b| {
            if a > 0.0 && b > 0.0 {
                b * ratio.powf((b / a).log2())
            } else {
                b * ratio
            }
        })
    }

    /// No NLI (no span).
    const ZERO: Self = Self {
        d_m2: 0.0,
        e_m2: 0.0,
        f_m2: 0.0,
        g_m2: 0.0,
    };

    /// Each term of `self` and `other` combined by `combine`.
    fn zip_with(self, other: Self, combine: impl Fn(f64, f64) -> f64) -> Self {
        Self {
            d_m2: combine(self.d_m2, other.d_m2),
            e_m2: combine(self.e_m2, other.e_m2),
            f_m2: combine(self.f_m2, other.f_m2),
            g_m2: combine(self.g_m2, other.g_m2),
        }
    }

    /// The four terms for a channel of symbol rate (rectangular bandwidth) `rate_hz` over `spans`:
    /// integrated up to 64 spans, extrapolated beyond (bounded time and memory for
    /// any span count).
    pub fn integrate(spans: UniformSpans, rate_hz: f64) -> Self {
        if spans.spans <= EXACT_SPANS {
            return Self::integrate_exact(spans, rate_hz);
        }
        let with = |count: usize| {
            Self::integrate_exact(
                UniformSpans {
                    spans: count,
                    ..spans
                },
                rate_hz,
            )
        };
        Self::extrapolated(
            with(EXACT_SPANS / 2),
            with(EXACT_SPANS),
            EXACT_SPANS,
            spans.spans,
        )
    }

    /// The integrals themselves (time and memory grow with the span count).
    fn integrate_exact(spans: UniformSpans, rate_hz: f64) -> Self {
        let kernel = KernelTable::new(spans, rate_hz);
        let half = rate_hz / 2.0;
        let (mut d, mut e, mut f_term, mut g) = (0.0, 0.0, 0.0, 0.0);
        // The integrands are even in f (x, y → −x, −y leaves u alone): the upper half, twice.
        let df = half / FREQUENCY_CELLS as f64;
        for fi in 0..FREQUENCY_CELLS {
            let f = (fi as f64 + 0.5) * df;
            // x = f1 − f with f1 in the band; for each x, y runs where f2 and f1+f2−f are too.
            let (x_lo, x_hi) = (-half - f, half - f);
            let dx = (x_hi - x_lo) / OUTER_CELLS as f64;
            let mut area = Complex64::new(0.0, 0.0);
            for xi in 0..OUTER_CELLS {
                let x = x_lo + (xi as f64 + 0.5) * dx;
                let y_lo = (-half - f).max(-half - f - x);
                let y_hi = (half - f).min(half - f - x);
                if y_hi <= y_lo {
                    continue;
                }
                let (inner, inner_abs2) = kernel.line_integrals(x, y_lo, y_hi);
                d += inner_abs2 * dx;
                e += inner.norm_sqr() * dx;
                area += inner * dx;
            }
            g += area.norm_sqr();
            // σ = x + y with f + σ in the band; x where f1 and f2 = f + σ − x are in it.
            let (s_lo, s_hi) = (-half - f, half - f);
            let ds = (s_hi - s_lo) / SIGMA_CELLS as f64;
            for si in 0..SIGMA_CELLS {
                let s = s_lo + (si as f64 + 0.5) * ds;
                let lo = (-half - f).max(s - half + f);
                let hi = (half - f).min(s + half + f);
                if hi > lo {
                    f_term += kernel.parabola_integral(s, lo, hi).norm_sqr() * ds;
                }
            }
        }
        let r = rate_hz;
        let both_halves = 2.0 * df;
        Self {
            d_m2: 16.0 / 27.0 / r.powi(3) * d * both_halves,
            e_m2: 80.0 / 81.0 / r.powi(4) * e * both_halves,
            f_m2: 16.0 / 81.0 / r.powi(4) * f_term * both_halves,
            g_m2: 16.0 / 81.0 / r.powi(5) * g * both_halves,
        }
    }
}

/// Integrals kept per fibre type, at most (a few hundred bytes each).
const MEMO_ENTRIES: usize = 100_000;

/// Peak memory of one integration, bytes: the kernel table of [`EXACT_SPANS`] spans (h, its
/// running integral and that of |h|²).
pub(crate) const INTEGRATION_BYTES: f64 = ((TABLE_POINTS_PER_SPAN * EXACT_SPANS + 1) * 40) as f64;

/// The step of the span lengths integrated from 64 km up, m (halved with each octave below).
pub(crate) const LENGTH_GRID_M: f64 = 1000.0;

/// Span counts integrated; beyond, the terms are extrapolated (see [`SelfChannelTerms::extrapolated`]).
pub(crate) const EXACT_SPANS: usize = 64;

/// The self-channel integrals of one fibre type for one channel, by span length and span count,
/// each integrated once (a launch sweep, a network's many paths over the same spans).
#[derive(Debug)]
pub struct SelfChannelMemo {
    alpha_per_m: f64,
    beta2_s2_per_m: f64,
    rate_hz: f64,
    terms: Mutex<HashMap<(u64, usize), SelfChannelTerms>>,
}

impl SelfChannelMemo {
    /// An empty memo for a fibre of power attenuation `alpha_per_m` (1/m) and dispersion
    /// `beta2_s2_per_m` (s²/m) at the channel, symbol rate `rate_hz`.
    pub fn new(alpha_per_m: f64, beta2_s2_per_m: f64, rate_hz: f64) -> Self {
        Self {
            alpha_per_m,
            beta2_s2_per_m,
            rate_hz,
            terms: Mutex::new(HashMap::new()),
        }
    }

    /// The integrals of `spans` spans of `length_m` (zero for no span), integrated at span lengths
    /// on a grid and linear in between, so that a link of any number of different span lengths
    /// costs a bounded number of integrals: 1 km steps from 64 km up, halved with each octave below
    /// (a step is 1/128–1/64 of the length: whole kilometres from 64 km, half ones from 32 km, …
    /// are integrated exactly; between, the interpolation is within 0.001 dB of the integral, e.g.
    /// at 80.37, 47.77 and 20.13 km for 1 to 64 spans).
    pub fn terms(&self, length_m: f64, spans: usize) -> SelfChannelTerms {
        let length_m = if length_m.is_finite() {
            length_m.max(0.0)
        } else {
            0.0
        };
        let octaves_below = (LENGTH_GRID_M * 64.0 / length_m)
            .log2()
            .ceil()
            .clamp(0.0, 40.0);
        let step_m = LENGTH_GRID_M / 2f64.powf(octaves_below);
        let below = (length_m / step_m).floor();
        let weight = length_m / step_m - below;
        let at_below = self.on_grid(below * step_m, spans);
        if weight == 0.0 {
            return at_below;
        }
        let at_above = self.on_grid((below + 1.0) * step_m, spans);
        at_below.zip_with(at_above, |a, b| a + weight * (b - a))
    }

    /// The integrals of `spans` spans of a grid length `length_m`.
    fn on_grid(&self, length_m: f64, spans: usize) -> SelfChannelTerms {
        if spans == 0 || length_m <= 0.0 {
            return SelfChannelTerms::ZERO;
        }
        if spans > EXACT_SPANS {
            return SelfChannelTerms::extrapolated(
                self.on_grid(length_m, EXACT_SPANS / 2),
                self.on_grid(length_m, EXACT_SPANS),
                EXACT_SPANS,
                spans,
            );
        }
        let key = (length_m.to_bits(), spans);
        if let Some(found) = self.lock().get(&key) {
            return *found;
        }
        // Integrated outside the lock: threads budgeting other spans do not wait.
        let computed = SelfChannelTerms::integrate_exact(
            UniformSpans {
                alpha_per_m: self.alpha_per_m,
                beta2_s2_per_m: self.beta2_s2_per_m,
                length_m,
                spans,
            },
            self.rate_hz,
        );
        let mut memo = self.lock();
        if memo.len() < MEMO_ENTRIES {
            memo.insert(key, computed);
        }
        computed
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(u64, usize), SelfChannelTerms>> {
        // A poisoned memo only ever held finished entries.
        self.terms.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Clone for SelfChannelMemo {
    fn clone(&self) -> Self {
        Self {
            alpha_per_m: self.alpha_per_m,
            beta2_s2_per_m: self.beta2_s2_per_m,
            rate_hz: self.rate_hz,
            terms: Mutex::new(self.lock().clone()),
        }
    }
}

/// Two memos are equal when they integrate the same thing (what they hold so far is a cache).
impl PartialEq for SelfChannelMemo {
    fn eq(&self, other: &Self) -> bool {
        self.alpha_per_m == other.alpha_per_m
            && self.beta2_s2_per_m == other.beta2_s2_per_m
            && self.rate_hz == other.rate_hz
    }
}

/// Midpoint cells over the upper half of the band for the outer frequency integral.
const FREQUENCY_CELLS: usize = 32;
/// Midpoint cells of the x integral.
const OUTER_CELLS: usize = 1024;
/// Midpoint cells of the σ integral of the F term.
const SIGMA_CELLS: usize = 32;
/// Cells of the parabola integral of the F term.
const PARABOLA_CELLS: usize = 64;
/// Table points per span per unit of `u/R²` (the array factor's peaks narrow as 1/n).
const TABLE_POINTS_PER_SPAN: usize = 2000;
/// Table points at least.
const TABLE_POINTS_MIN: usize = 20_001;

/// `h(u)` on a uniform grid of `u ∈ [−R², R²]`, with the running integrals of `h` and `|h|²`.
struct KernelTable {
    u0: f64,
    du: f64,
    h: Vec<Complex64>,
    integral: Vec<Complex64>,
    integral_abs2: Vec<f64>,
}

impl KernelTable {
    fn new(spans: UniformSpans, rate_hz: f64) -> Self {
        let points = (TABLE_POINTS_PER_SPAN * spans.spans.max(1)).max(TABLE_POINTS_MIN) | 1;
        let u_max = rate_hz * rate_hz;
        let du = 2.0 * u_max / (points - 1) as f64;
        let h: Vec<Complex64> = (0..points)
            .map(|k| kernel(spans, -u_max + k as f64 * du))
            .collect();
        let mut integral = Vec::with_capacity(points);
        let mut integral_abs2 = Vec::with_capacity(points);
        let (mut sum, mut sum_abs2) = (Complex64::new(0.0, 0.0), 0.0);
        integral.push(sum);
        integral_abs2.push(sum_abs2);
        for pair in h.windows(2) {
            sum += (pair[0] + pair[1]) * (0.5 * du);
            sum_abs2 += (pair[0].norm_sqr() + pair[1].norm_sqr()) * (0.5 * du);
            integral.push(sum);
            integral_abs2.push(sum_abs2);
        }
        Self {
            u0: -u_max,
            du,
            h,
            integral,
            integral_abs2,
        }
    }

    /// Position of `u` in the table: cell index and fraction (clamped to the table).
    fn locate(&self, u: f64) -> (usize, f64) {
        let t = ((u - self.u0) / self.du).clamp(0.0, (self.h.len() - 1) as f64);
        let k = (t as usize).min(self.h.len() - 2);
        (k, t - k as f64)
    }

    fn h_at(&self, u: f64) -> Complex64 {
        let (k, w) = self.locate(u);
        self.h[k] * (1.0 - w) + self.h[k + 1] * w
    }

    fn integral_at(&self, u: f64) -> (Complex64, f64) {
        let (k, w) = self.locate(u);
        (
            self.integral[k] * (1.0 - w) + self.integral[k + 1] * w,
            self.integral_abs2[k] * (1.0 - w) + self.integral_abs2[k + 1] * w,
        )
    }

    /// `∫_{y0}^{y1} h(x·y) dy` and `∫_{y0}^{y1} |h(x·y)|² dy`, from the running integrals.
    fn line_integrals(&self, x: f64, y0: f64, y1: f64) -> (Complex64, f64) {
        if (x * (y1 - y0)).abs() < 4.0 * self.du {
            // Within a few table cells: h is linear there.
            let h = self.h_at(x * 0.5 * (y0 + y1));
            return (h * (y1 - y0), h.norm_sqr() * (y1 - y0));
        }
        let (a, a2) = self.integral_at(x * y0);
        let (b, b2) = self.integral_at(x * y1);
        ((b - a) / x, (b2 - a2) / x)
    }

    /// `∫_{x0}^{x1} h(x·(σ−x)) dx`, cell by cell: where `u = x(σ−x)` moves, a cell's integral is
    /// the difference of `H` over the mean slope; near the vertex `x = σ/2`, `h` at the middle.
    fn parabola_integral(&self, sigma: f64, x0: f64, x1: f64) -> Complex64 {
        let dx = (x1 - x0) / PARABOLA_CELLS as f64;
        let mut sum = Complex64::new(0.0, 0.0);
        for k in 0..PARABOLA_CELLS {
            let a = x0 + k as f64 * dx;
            let b = a + dx;
            let (ua, ub) = (a * (sigma - a), b * (sigma - b));
            if (ub - ua).abs() < 4.0 * self.du {
                let m = 0.5 * (a + b);
                sum += self.h_at(m * (sigma - m)) * dx;
            } else {
                let (ha, _) = self.integral_at(ua);
                let (hb, _) = self.integral_at(ub);
                sum += (hb - ha) * (dx / (ub - ua));
            }
        }
        sum
    }
}

/// `h(u) = ρ(u)·χ(u)` (m) of `spans` at `u = (f1−f)(f2−f)` (Hz²).
fn kernel(spans: UniformSpans, u_hz2: f64) -> Complex64 {
    let theta = 4.0 * PI * PI * spans.beta2_s2_per_m * u_hz2;
    let l = spans.length_m;
    let a = Complex64::new(-spans.alpha_per_m, theta);
    let al = a * l;
    // ρ = ∫₀^L e^{az} dz = (e^{aL} − 1)/a; its series where aL is small (no attenuation, u → 0).
    let rho = if al.norm() < 1e-4 {
        l * (1.0 + al / 2.0 + al * al / 6.0)
    } else {
        (al.exp() - 1.0) / a
    };
    rho * array_factor(theta * l, spans.spans)
}

/// `Σ_{s<n} e^{jsφ} = e^{j(n−1)φ/2}·sin(nφ/2)/sin(φ/2)` (n where `sin(φ/2)` vanishes).
fn array_factor(phi: f64, n: usize) -> Complex64 {
    let n_f = n as f64;
    let half = 0.5 * phi;
    let ratio = if half.sin().abs() < 1e-9 {
        // At φ = 2πm: the limit n·cos(nφ/2)/cos(φ/2) = ±n.
        n_f * (n_f * half).cos() / half.cos()
    } else {
        (n_f * half).sin() / half.sin()
    };
    Complex64::from_polar(ratio, (n_f - 1.0) * half)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use rand::{Rng, SeedableRng};
    use rustfft::FftPlanner;

    fn ssmf(spans: usize) -> UniformSpans {
        UniformSpans {
            alpha_per_m: 0.2 / (10.0 / std::f64::consts::LN_10) / 1e3,
            beta2_s2_per_m: -2.136942114532332e-26,
            length_m: 80e3,
            spans,
        }
    }

    fn effective_length_m(spans: UniformSpans) -> f64 {
        (1.0 - (-spans.alpha_per_m * spans.length_m).exp()) / spans.alpha_per_m
    }

    #[test]
    fn the_array_factor_is_the_sum_it_stands_for() {
        for n in [1usize, 2, 5, 20] {
            for phi in [0.0, 1e-12, 0.3, 2.0 * PI, 2.0 * PI + 1e-11, 5.0, -4.0 * PI] {
                let direct: Complex64 = (0..n)
                    .map(|s| Complex64::from_polar(1.0, s as f64 * phi))
                    .sum();
                let closed = array_factor(phi, n);
                assert!((closed - direct).norm() < 1e-7 * n as f64, "{n} {phi}");
            }
        }
    }

    /// Without dispersion h is the constant n·L_eff and the integrals are the volumes of the
    /// regions they run over (band of width 1): 2/3, 1/2, 1/2 and 9/20 — so D, E, F and G are
    /// (32/81, 40/81, 8/81, 4/45)·(n·L_eff)², independent of the symbol rate.
    #[test]
    fn without_dispersion_the_terms_are_the_regions_volumes() {
        for (spans, rate_hz) in [(1usize, 32e9), (3, 64e9)] {
            let link = UniformSpans {
                beta2_s2_per_m: 0.0,
                ..ssmf(spans)
            };
            let h2 = (spans as f64 * effective_length_m(link)).powi(2);
            let t = SelfChannelTerms::integrate(link, rate_hz);
            assert_relative_eq!(t.d_m2, 32.0 / 81.0 * h2, max_relative = 2e-3);
            assert_relative_eq!(t.e_m2, 40.0 / 81.0 * h2, max_relative = 2e-3);
            assert_relative_eq!(t.f_m2, 8.0 / 81.0 * h2, max_relative = 2e-3);
            assert_relative_eq!(t.g_m2, 4.0 / 45.0 * h2, max_relative = 2e-3);
        }
    }

    /// The EGN coefficients and format terms against the physics they stand for: without
    /// dispersion the first-order NLI field of a Nyquist dual-polarisation signal is the Kerr term
    /// `(8/9)(|u_x|²+|u_y|²)·u_x` (per unit γ·L_eff) less its part along the signal, which a Monte
    /// Carlo over random QPSK and 16-QAM symbols measures directly (4,096 symbols, 16 draws:
    /// ±0.5 %); `D + Φ(E+F) + ΨG` must give the same power in the band. QPSK's is 40 % of the
    /// Gaussian value: a wrong coefficient or moment could not pass.
    #[test]
    fn the_egn_terms_equal_a_monte_carlo_of_the_kerr_term() {
        let link = UniformSpans {
            beta2_s2_per_m: 0.0,
            ..ssmf(1)
        };
        let t = SelfChannelTerms::integrate(link, 1.0);
        let h2 = effective_length_m(link).powi(2);
        let symbols = 4096;
        let oversampling = 4;
        let samples = symbols * oversampling;
        let mut planner = FftPlanner::<f64>::new();
        let forward_symbols = planner.plan_fft_forward(symbols);
        let inverse = planner.plan_fft_inverse(samples);
        let forward = planner.plan_fft_forward(samples);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        // Per polarisation, E|a|² = 1/2 (total power 1).
        let qpsk = [-1.0, 1.0].map(|v| v / 2.0);
        let qam16 = [-3.0, -1.0, 1.0, 3.0].map(|v| v / 20f64.sqrt());
        for (name, levels, phi, psi) in [
            ("QPSK", &qpsk[..], -1.0, 4.0),
            ("16-QAM", &qam16[..], -17.0 / 25.0, 52.0 / 25.0),
        ] {
            let draws = 16;
            let mut nli = 0.0;
            for _ in 0..draws {
                // A periodic Nyquist field: the symbols' spectrum in the band, zero outside.
                let field: Vec<Vec<Complex64>> = (0..2)
                    .map(|_| {
                        let mut a: Vec<Complex64> = (0..symbols)
                            .map(|_| {
                                let pick = |rng: &mut rand_chacha::ChaCha8Rng| {
                                    levels[rng.gen_range(0..levels.len())]
                                };
                                Complex64::new(pick(&mut rng), pick(&mut rng))
                            })
                            .collect();
                        forward_symbols.process(&mut a);
                        let mut u = vec![Complex64::new(0.0, 0.0); samples];
                        u[..symbols / 2].copy_from_slice(&a[..symbols / 2]);
                        u[samples - symbols / 2..].copy_from_slice(&a[symbols / 2..]);
                        inverse.process(&mut u);
                        u.iter().map(|v| v / symbols as f64).collect()
                    })
                    .collect();
                let power: Vec<f64> = field
                    .iter()
                    .map(|u| u.iter().map(|v| v.norm_sqr()).sum::<f64>() / samples as f64)
                    .collect();
                for (own, other) in [(0, 1), (1, 0)] {
                    let (u, w) = (&field[own], &field[other]);
                    let mut kerr: Vec<Complex64> = u
                        .iter()
                        .zip(w)
                        .map(|(a, b)| a * (8.0 / 9.0) * (a.norm_sqr() + b.norm_sqr()))
                        .collect();
                    let mut signal = u.clone();
                    forward.process(&mut kerr);
                    forward.process(&mut signal);
                    // Less the part along the signal: the mean nonlinear phase (XPM of the other
                    // polarisation counts once, of its own twice).
                    let along = 8.0 / 9.0 * (2.0 * power[own] + power[other]);
                    let in_band = |k: usize| k < symbols / 2 || k >= samples - symbols / 2;
                    nli += (0..samples)
                        .filter(|&k| in_band(k))
                        .map(|k| ((kerr[k] - signal[k] * along) / samples as f64).norm_sqr())
                        .sum::<f64>();
                }
            }
            let measured = nli / draws as f64;
            let egn = t.combined_m2(phi, psi) / h2;
            assert_relative_eq!(measured, egn, max_relative = 0.01);
            assert!(egn < 0.5 * t.d_m2 / h2, "{name}: {egn}");
        }
    }

    /// The tabulated running-integral method against a plain midpoint sum of the kernel itself
    /// over the same regions (512 cells a side), with dispersion, for one and three spans.
    #[test]
    fn the_terms_equal_a_direct_sum_over_the_kernel() {
        for spans in [1usize, 3] {
            let link = ssmf(spans);
            let rate = 32e9;
            let t = SelfChannelTerms::integrate(link, rate);
            let half = rate / 2.0;
            let cells = 512;
            let (f_cells, d) = (16, rate / cells as f64);
            let df = half / f_cells as f64;
            let inside = |v: f64| v.abs() < half;
            let (mut dd, mut e, mut f_term, mut g) = (0.0, 0.0, 0.0, 0.0);
            for fi in 0..f_cells {
                let f = (fi as f64 + 0.5) * df;
                let mut area = Complex64::new(0.0, 0.0);
                for xi in 0..cells {
                    let f1 = -half + (xi as f64 + 0.5) * d;
                    let mut line = Complex64::new(0.0, 0.0);
                    let mut parabola = Complex64::new(0.0, 0.0);
                    for yi in 0..cells {
                        let f2 = -half + (yi as f64 + 0.5) * d;
                        if inside(f1 + f2 - f) {
                            let h = kernel(link, (f1 - f) * (f2 - f));
                            dd += h.norm_sqr() * d * d * df;
                            line += h * d;
                        }
                        // F: σ = f1 + f2 − 2f fixed by the outer cell (f1 here plays σ + f),
                        // x = f2 − f.
                        let sigma = f1 - f;
                        let x = f2 - f;
                        if inside(f + sigma - x) {
                            parabola += kernel(link, x * (sigma - x)) * d;
                        }
                    }
                    e += line.norm_sqr() * d * df;
                    area += line * d;
                    f_term += parabola.norm_sqr() * d * df;
                }
                g += area.norm_sqr() * df;
            }
            // Both halves of the band; each term's coefficient and power of R.
            for (got, coefficient, rate_power, sum) in [
                (t.d_m2, 16.0 / 27.0, 3, dd),
                (t.e_m2, 80.0 / 81.0, 4, e),
                (t.f_m2, 16.0 / 81.0, 4, f_term),
                (t.g_m2, 16.0 / 81.0, 5, g),
            ] {
                let direct = 2.0 * coefficient / rate.powi(rate_power) * sum;
                assert_relative_eq!(got, direct, max_relative = 2e-3);
            }
        }
    }

    /// Past 64 spans the extrapolation joins the integral (65 spans: 0.01 dB) and stays finite and
    /// growing for any span count, at no cost.
    #[test]
    fn extrapolation_joins_the_integral_and_bounds_the_cost() {
        let memo = SelfChannelMemo::new(ssmf(1).alpha_per_m, ssmf(1).beta2_s2_per_m, 32e9);
        let qpsk = |t: SelfChannelTerms| t.combined_m2(-1.0, 4.0);
        let integrated = qpsk(SelfChannelTerms::integrate_exact(ssmf(65), 32e9));
        let extrapolated = qpsk(memo.terms(80e3, 65));
        assert!((10.0 * (extrapolated / integrated).log10()).abs() < 0.01);
        let mut last = extrapolated;
        for spans in [100usize, 1_000, 100_000] {
            let next = qpsk(memo.terms(80e3, spans));
            assert!(next.is_finite() && next > last, "{spans}: {next}");
            last = next;
        }
    }

    /// Span lengths off the integration grid: interpolated within 0.002 dB of their integral.
    #[test]
    fn lengths_between_grid_points_are_interpolated_closely() {
        let memo = SelfChannelMemo::new(ssmf(1).alpha_per_m, ssmf(1).beta2_s2_per_m, 32e9);
        for (length_m, spans) in [(80.37e3, 20usize), (20.13e3, 5), (47.77e3, 1)] {
            let exact = SelfChannelTerms::integrate(
                UniformSpans {
                    length_m,
                    ..ssmf(spans)
                },
                32e9,
            );
            let interpolated = memo.terms(length_m, spans);
            for (phi, psi) in [(-1.0, 4.0), (0.0, 0.0)] {
                let db = 10.0
                    * (interpolated.combined_m2(phi, psi) / exact.combined_m2(phi, psi)).log10();
                assert!(db.abs() < 0.002, "{length_m} m, {spans} spans: {db} dB");
            }
        }
    }
}
