//! Blind adaptive polarisation demultiplexing: a 2×2 butterfly of T/2-spaced FIR filters adapted
//! by the constant-modulus algorithm (Godard, IEEE Trans. Commun. 28(11), 1980), then by the
//! radius-directed equaliser for 16-QAM (Ready & Gooch, 1990; Savory, IEEE JSTQE 16(5), 2010,
//! eqs. 27–30): `y = Σ_q w_pq ⋆ u_q`, `w_pq ← w_pq + μ·(R² − |y_p|²)·y_p·u_q*`, R² the
//! constellation's `E|s|⁴/E|s|²` (CMA) or the squared radius nearest to `|y_p|²` (RDE).

use nalgebra::Matrix2;

use crate::propagation::differential_group_delay_ps;
use crate::signal::{root_raised_cosine, Complex, Modulation};

/// Settings of the blind 2×2 equaliser.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EqualizerSettings {
    /// Taps of each of the four FIR filters, spaced T/2 (odd, so one is the centre).
    pub taps: usize,
    /// Adaptation step μ (inputs normalised to unit mean power).
    pub step: f64,
}

impl Default for EqualizerSettings {
    fn default() -> Self {
        Self {
            taps: 15,
            step: 1e-3,
        }
    }
}

/// Matched RRC filter and resampling to two samples per symbol in one pass: the spectrum of the
/// `samples_per_symbol`-sampled signal times the RRC response, cropped to the `2·symbols` bins of
/// the T/2 grid (exact: after the matched filter nothing lies beyond (1+β)·Rs/2 < Rs). Sample
/// `2i` of the result is the instant of symbol `i`.
pub fn matched_filter_two_per_symbol(
    samples: &[Complex],
    samples_per_symbol: usize,
    roll_off: f64,
) -> Vec<Complex> {
    let n = samples.len();
    let symbols = n / samples_per_symbol;
    let m = 2 * symbols;
    let mut spectrum = samples.to_vec();
    crate::signal::fft_plans::forward(n).process(&mut spectrum);
    let mut out = vec![Complex::new(0.0, 0.0); m];
    for (k, bin) in out.iter_mut().enumerate() {
        let signed = if k < symbols {
            k as isize
        } else {
            k as isize - m as isize
        };
        let source = signed.rem_euclid(n as isize) as usize;
        let f = signed as f64 / symbols as f64;
        *bin = spectrum[source] * (root_raised_cosine(f, 1.0, roll_off) / n as f64);
    }
    crate::signal::fft_plans::inverse(m).process(&mut out);
    out
}

/// The butterfly: `weights[p][q]` filters input polarisation q into output p.
struct Butterfly {
    weights: [[Vec<Complex>; 2]; 2],
}

impl Butterfly {
    /// Identity start: a unit centre tap on the two direct paths.
    fn identity(taps: usize) -> Self {
        let mut weights: [[Vec<Complex>; 2]; 2] =
            std::array::from_fn(|_| std::array::from_fn(|_| vec![Complex::new(0.0, 0.0); taps]));
        weights[0][0][taps / 2] = Complex::new(1.0, 0.0);
        weights[1][1][taps / 2] = Complex::new(1.0, 0.0);
        Self { weights }
    }

    /// Replaces output 1 by the filter orthogonal to output 0 (for a unitary channel
    /// `w_yx[j] = −w_xy[T−1−j]*`, `w_yy[j] = w_xx[T−1−j]*`): the way out when both outputs
    /// converged to the same source (the CMA singularity).
    fn orthogonalise_second_output(&mut self) {
        let taps = self.weights[0][0].len();
        for j in 0..taps {
            self.weights[1][0][j] = -self.weights[0][1][taps - 1 - j].conj();
            self.weights[1][1][j] = self.weights[0][0][taps - 1 - j].conj();
        }
    }

    /// The two outputs for the symbol centred on input sample `centre` (circular indexing), with
    /// the input window copied into `window` (`window[q][j]` = u_q[centre + T/2 − j]).
    fn output(
        &self,
        inputs: &[Vec<Complex>; 2],
        center: usize,
        window: &mut [Vec<Complex>; 2],
    ) -> [Complex; 2] {
        let len = inputs[0].len();
        let taps = window[0].len();
        for (q, w) in window.iter_mut().enumerate() {
            for (j, v) in w.iter_mut().enumerate() {
                *v = inputs[q][(center + len + taps / 2 - j) % len];
            }
        }
        std::array::from_fn(|p| {
            (0..2)
                .map(|q| {
                    self.weights[p][q]
                        .iter()
                        .zip(&window[q])
                        .map(|(w, u)| w * u)
                        .sum::<Complex>()
                })
                .sum()
        })
    }

    /// Stochastic-gradient update of output `p` with error factor `e` (`(R² − |y|²)·y`).
    fn update(&mut self, p: usize, step_times_error: Complex, window: &[Vec<Complex>; 2]) {
        for (weights, inputs) in self.weights[p].iter_mut().zip(window) {
            for (w, u) in weights.iter_mut().zip(inputs) {
                *w += step_times_error * u.conj();
            }
        }
    }
}

/// The converged equaliser and its outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Equalized {
    /// One output per polarisation, one sample per symbol.
    pub outputs: [Vec<Complex>; 2],
    /// The final taps: `taps[p][q]` filters input polarisation q into output p (T/2 spacing,
    /// centre tap `taps/2`).
    pub taps: [[Vec<Complex>; 2]; 2],
}

impl Equalized {
    /// The equaliser's 2×2 frequency response at baseband angular frequency `omega_rad_per_ps`:
    /// `W_pq(ω) = Σ_j w_pq[j]·e^{−iω(j − c)·Ts}`, Ts the tap spacing (T/2), c the centre tap.
    pub fn jones_matrix(&self, omega_rad_per_ps: f64, tap_spacing_ps: f64) -> Matrix2<Complex> {
        let response = |w: &[Complex]| {
            let center = (w.len() / 2) as f64;
            w.iter()
                .enumerate()
                .map(|(j, tap)| {
                    tap * Complex::from_polar(
                        1.0,
                        -omega_rad_per_ps * (j as f64 - center) * tap_spacing_ps,
                    )
                })
                .sum::<Complex>()
        };
        Matrix2::new(
            response(&self.taps[0][0]),
            response(&self.taps[0][1]),
            response(&self.taps[1][0]),
            response(&self.taps[1][1]),
        )
    }

    /// The differential group delay the equaliser undoes, ps: the DGD of its Jones matrix (the
    /// inverse of the channel's, whose DGD is the same), averaged over nine frequencies spread over
    /// the central 80 % of the symbol-rate band (`f = k·Rs/10`, k = −4…4) — what a modem reports
    /// as its PMD monitor; the average steadies the estimate against tap noise.
    pub fn dgd_ps(&self, tap_spacing_ps: f64) -> f64 {
        let symbol_rate_rad_per_ps = 2.0 * std::f64::consts::PI / (2.0 * tap_spacing_ps);
        (-4..=4)
            .map(|k| {
                let omega = 0.1 * k as f64 * symbol_rate_rad_per_ps;
                differential_group_delay_ps(|w| self.jones_matrix(w, tap_spacing_ps), omega, 1e-3)
            })
            .sum::<f64>()
            / 9.0
    }
}

/// Which error the pass adapts with.
#[derive(Clone, Copy)]
enum Criterion {
    ConstantModulus(f64),
    RadiusDirected,
}

/// Blind 2×2 equalisation of two polarisations sampled at two samples per symbol (symbol `i` at
/// sample `2i`). Passes over the (periodic) block: CMA until it has made 32,768 updates, then as
/// many with CMA (QPSK) or RDE (16-QAM), then a last one at μ/4 (less misadjustment noise) whose
/// outputs are returned, one per symbol and polarisation. Inputs are normalised to unit mean power first. After any pass
/// that leaves both outputs on the same source (CMA's singularity: output correlation above 0.3),
/// the second output is restarted orthogonal to the first and the pass repeated.
pub fn equalize_blind(
    two_per_symbol: &[Vec<Complex>; 2],
    modulation: Modulation,
    settings: &EqualizerSettings,
) -> Equalized {
    let inputs: [Vec<Complex>; 2] = std::array::from_fn(|q| {
        let u = &two_per_symbol[q];
        let power = u.iter().map(|a| a.norm_sqr()).sum::<f64>() / u.len() as f64;
        let scale = if power > 0.0 {
            power.sqrt().recip()
        } else {
            1.0
        };
        u.iter().map(|a| a * scale).collect()
    });
    let points = modulation.constellation();
    let moment = |k: i32| points.iter().map(|s| s.norm_sqr().powi(k)).sum::<f64>();
    let cma = Criterion::ConstantModulus(moment(2) / moment(1));
    let mut radii_sq: Vec<f64> = points.iter().map(|s| s.norm_sqr()).collect();
    radii_sq.sort_by(f64::total_cmp);
    radii_sq.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    let fine = if radii_sq.len() > 1 {
        Criterion::RadiusDirected
    } else {
        cma
    };
    let mut butterfly = Butterfly::identity(settings.taps);
    let mut pass = |criterion: Criterion, step: f64| {
        let outputs = run_pass(&mut butterfly, &inputs, criterion, &radii_sq, step);
        if correlation(&outputs) <= SINGULARITY_CORRELATION {
            return outputs;
        }
        butterfly.orthogonalise_second_output();
        run_pass(&mut butterfly, &inputs, criterion, &radii_sq, step)
    };
    // Enough passes over the (periodic) block for CONVERGENCE_SYMBOLS updates per stage.
    let symbols = inputs[0].len() / 2;
    let passes = CONVERGENCE_SYMBOLS.div_ceil(symbols.max(1)).max(1);
    for _ in 0..passes {
        pass(cma, settings.step);
    }
    for _ in 0..passes {
        pass(fine, settings.step);
    }
    let outputs = pass(fine, 0.25 * settings.step);
    Equalized {
        outputs,
        taps: butterfly.weights,
    }
}

/// Updates the adaptation gets per stage (CMA pre-convergence, then CMA/RDE) before the final
/// pass: a short block is run over several times, as a modem's equaliser sees a long stream.
const CONVERGENCE_SYMBOLS: usize = 32_768;

/// Output correlation above which both outputs are taken to carry the same source.
const SINGULARITY_CORRELATION: f64 = 0.3;

/// `|Σ y0·y1*| / √(Σ|y0|²·Σ|y1|²)`: near 1 when both outputs carry the same source.
fn correlation(outputs: &[Vec<Complex>; 2]) -> f64 {
    let cross: Complex = outputs[0]
        .iter()
        .zip(&outputs[1])
        .map(|(a, b)| a * b.conj())
        .sum();
    let power = |v: &[Complex]| v.iter().map(|a| a.norm_sqr()).sum::<f64>();
    cross.norm() / (power(&outputs[0]) * power(&outputs[1])).sqrt().max(1e-300)
}

/// One adaptive pass over every symbol; returns the outputs before each update.
fn run_pass(
    butterfly: &mut Butterfly,
    inputs: &[Vec<Complex>; 2],
    criterion: Criterion,
    radii_sq: &[f64],
    step: f64,
) -> [Vec<Complex>; 2] {
    let symbols = inputs[0].len() / 2;
    let taps = butterfly.weights[0][0].len();
    let mut window: [Vec<Complex>; 2] = std::array::from_fn(|_| vec![Complex::new(0.0, 0.0); taps]);
    let mut outputs: [Vec<Complex>; 2] = std::array::from_fn(|_| Vec::with_capacity(symbols));
    for i in 0..symbols {
        let y = butterfly.output(inputs, 2 * i, &mut window);
        for (p, &yp) in y.iter().enumerate() {
            let modulus = yp.norm_sqr();
            let target = match criterion {
                Criterion::ConstantModulus(r2) => r2,
                Criterion::RadiusDirected => radii_sq
                    .iter()
                    .copied()
                    .min_by(|a, b| (a - modulus).abs().total_cmp(&(b - modulus).abs()))
                    .unwrap_or(1.0),
            };
            butterfly.update(p, yp * (step * (target - modulus)), &window);
            outputs[p].push(yp);
        }
    }
    outputs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::{random_bits, shape_symbols};

    #[test]
    fn matched_filter_at_two_samples_per_symbol_returns_the_symbols() {
        let m = Modulation::Dp16Qam;
        let symbols: Vec<Complex> = random_bits(&mut crate::signal::seeded_rng(3), 4 * 512)
            .chunks(4)
            .map(|b| m.map(b))
            .collect();
        for sps in [3, 4, 7] {
            let shaped = shape_symbols(&symbols, sps, 0.2);
            let out = matched_filter_two_per_symbol(&shaped, sps, 0.2);
            assert_eq!(out.len(), 1024);
            let worst = symbols
                .iter()
                .enumerate()
                .map(|(i, s)| (out[2 * i] - s).norm())
                .fold(0.0, f64::max);
            assert!(worst < 1e-9, "sps {sps}: {worst}");
        }
    }
}
