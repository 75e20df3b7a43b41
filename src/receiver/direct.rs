//! Direct detection of on-off keying: photodiode, electrical low-pass filter, eye diagram,
//! decision at the sampling instant and threshold that minimise the errors, Q factor.

use rustfft::FftPlanner;

use super::ber::erfc;
use crate::signal::Complex;

/// What the OOK receiver measured.
#[derive(Debug, Clone, PartialEq)]
pub struct OokMeasurement {
    /// Q factor at the chosen instant: `(μ1 − μ0)/(σ1 + σ0)`.
    pub q: f64,
    /// `20·log10(Q)`, dB.
    pub q_db: f64,
    /// BER from Q: `½·erfc(Q/√2)`.
    pub ber_estimate: f64,
    /// Counted BER at the best threshold and instant.
    pub ber: f64,
    /// Bits compared.
    pub bits: usize,
    /// Errors counted.
    pub errors: usize,
    /// Sampling instant within the symbol (sample index).
    pub instant: usize,
    /// The eye: the photocurrent around every symbol centre, from half a symbol before to half a
    /// symbol after (`samples_per_symbol + 1` values each).
    pub eye: Vec<Vec<f64>>,
}

/// Photocurrent `|Ex|² + |Ey|²` (responsivity 1 A/W), low-pass filtered by a Gaussian response of
/// 3-dB bandwidth `bandwidth_hz` (sampling rate `sample_rate_hz`).
pub fn photodetect(fields: &[Vec<Complex>], sample_rate_hz: f64, bandwidth_hz: f64) -> Vec<f64> {
    let n = fields[0].len();
    let mut current: Vec<Complex> = (0..n)
        .map(|j| Complex::new(fields.iter().map(|f| f[j].norm_sqr()).sum(), 0.0))
        .collect();
    let mut planner = FftPlanner::<f64>::new();
    planner.plan_fft_forward(n).process(&mut current);
    for (k, c) in current.iter_mut().enumerate() {
        let signed = crate::signal::signed_bin(k, n);
        let f = signed * sample_rate_hz / n as f64;
        // Gaussian: |H(f3dB)|² = 1/2.
        *c *= (-(f / bandwidth_hz).powi(2) * std::f64::consts::LN_2 / 2.0).exp() / n as f64;
    }
    planner.plan_fft_inverse(n).process(&mut current);
    current.into_iter().map(|c| c.re).collect()
}

/// Decides the bits from the photocurrent at the instant (within the symbol) with the largest Q,
/// at the threshold `(σ0·μ1 + σ1·μ0)/(σ0 + σ1)` (optimal for Gaussian statistics), and counts errors.
pub fn decide_ook(current: &[f64], bits: &[u8], samples_per_symbol: usize) -> OokMeasurement {
    let stats = |instant: usize| {
        let (mut s0, mut s1) = (Vec::new(), Vec::new());
        for (k, &b) in bits.iter().enumerate() {
            let v = current[k * samples_per_symbol + instant];
            if b == 1 {
                s1.push(v)
            } else {
                s0.push(v)
            }
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        let std = |v: &[f64], m: f64| {
            (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len().max(1) as f64).sqrt()
        };
        let (m0, m1) = (mean(&s0), mean(&s1));
        let (d0, d1) = (std(&s0, m0), std(&s1, m1));
        ((m1 - m0) / (d0 + d1).max(1e-300), m0, m1, d0, d1)
    };
    let instant = (0..samples_per_symbol)
        .max_by(|&a, &b| stats(a).0.total_cmp(&stats(b).0))
        .unwrap_or(0);
    let (q, m0, m1, d0, d1) = stats(instant);
    let threshold = (d0 * m1 + d1 * m0) / (d0 + d1).max(1e-300);
    let errors = bits
        .iter()
        .enumerate()
        .filter(|&(k, &b)| u8::from(current[k * samples_per_symbol + instant] > threshold) != b)
        .count();
    let n = current.len();
    let half = samples_per_symbol / 2;
    let eye = (0..bits.len())
        .map(|k| {
            (0..=samples_per_symbol)
                .map(|j| current[(k * samples_per_symbol + n + j - half) % n])
                .collect()
        })
        .collect();
    OokMeasurement {
        q,
        q_db: 20.0 * q.max(1e-300).log10(),
        ber_estimate: 0.5 * erfc(q / std::f64::consts::SQRT_2),
        ber: errors as f64 / bits.len() as f64,
        bits: bits.len(),
        errors,
        instant,
        eye,
    }
}
