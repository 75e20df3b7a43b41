//! Raised-cosine pulse shaping in the frequency domain.

use std::f64::consts::PI;

use super::Complex;

/// Root-raised-cosine amplitude response at frequency `f` for symbol rate `rs` (same units) and
/// roll-off β: the square root of the raised-cosine spectrum (Proakis, *Digital Communications*,
/// eq. 9.2-26), normalised to 1 in the pass band.
pub fn root_raised_cosine(f: f64, rs: f64, roll_off: f64) -> f64 {
    let f = f.abs();
    let low = (1.0 - roll_off) * rs / 2.0;
    let high = (1.0 + roll_off) * rs / 2.0;
    if f <= low {
        1.0
    } else if f >= high {
        0.0
    } else {
        (0.5 * (1.0 + (PI / (roll_off * rs) * (f - low)).cos())).sqrt()
    }
}

/// Filters `samples` (sampled at `samples_per_symbol` per symbol) with a root-raised-cosine
/// response, by FFT (circular: the sequence is treated as periodic, as a PRBS or a long random
/// pattern is).
pub fn rrc_filter(samples: &mut [Complex], samples_per_symbol: usize, roll_off: f64) {
    let n = samples.len();
    crate::signal::fft_plans::forward(n).process(samples);
    for (k, s) in samples.iter_mut().enumerate() {
        // Frequency in units of the symbol rate.
        let signed = crate::signal::signed_bin(k, n);
        let f = signed * samples_per_symbol as f64 / n as f64;
        *s *= root_raised_cosine(f, 1.0, roll_off) / n as f64;
    }
    crate::signal::fft_plans::inverse(n).process(samples);
}

/// Upsamples one symbol per `samples_per_symbol` samples (zeros in between, impulses of height
/// `samples_per_symbol`), then RRC-shapes: the shaped signal's mean power equals the symbols' mean
/// energy, and a matched RRC filter ([`rrc_filter`]) returns the symbols at the symbol instants.
pub fn shape_symbols(
    symbols: &[Complex],
    samples_per_symbol: usize,
    roll_off: f64,
) -> Vec<Complex> {
    let mut samples = vec![Complex::new(0.0, 0.0); symbols.len() * samples_per_symbol];
    for (k, s) in symbols.iter().enumerate() {
        samples[k * samples_per_symbol] = *s * samples_per_symbol as f64;
    }
    rrc_filter(&mut samples, samples_per_symbol, roll_off);
    samples
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rrc_squared_is_nyquist() {
        // Raised cosine: H(f) + H(Rs − f) = 1 across the roll-off band (Nyquist criterion).
        for &beta in &[0.1, 0.5, 1.0] {
            for k in 0..50 {
                let f = k as f64 / 100.0;
                let sum = root_raised_cosine(f, 1.0, beta).powi(2)
                    + root_raised_cosine(1.0 - f, 1.0, beta).powi(2);
                assert!((sum - 1.0).abs() < 1e-12, "beta {beta} f {f}");
            }
        }
    }

    #[test]
    fn shaped_then_matched_filtered_symbols_have_no_intersymbol_interference() {
        let symbols: Vec<Complex> = (0..64)
            .map(|k| {
                Complex::new(
                    if k % 3 == 0 { 1.0 } else { -1.0 },
                    if k % 5 < 2 { 1.0 } else { -1.0 },
                )
            })
            .collect();
        let mut samples = shape_symbols(&symbols, 4, 0.2);
        let power = samples.iter().map(|s| s.norm_sqr()).sum::<f64>() / samples.len() as f64;
        assert!(
            (power - 2.0).abs() < 0.05,
            "mean power {power} = symbol energy 2"
        );
        rrc_filter(&mut samples, 4, 0.2);
        for (k, s) in symbols.iter().enumerate() {
            let r = samples[4 * k];
            assert!((r - s).norm() < 1e-9, "{k}: {r} vs {s}");
        }
    }
}
