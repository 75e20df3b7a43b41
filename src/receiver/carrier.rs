//! Blind carrier-phase recovery by blind phase search (Pfau, Hoffmann & Noé, J. Lightwave
//! Technol. 27(8), 2009), and the resolution of the ambiguities every blind receiver is left
//! with (four-fold phase, polarisation swap, a symbol of delay) from a short known header.

use crate::signal::{Complex, Modulation};

/// Settings of blind phase search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CarrierRecoverySettings {
    /// Test phases spread over the quarter turn `[−π/4, π/4)`.
    pub test_phases: usize,
    /// Symbols averaged on each side of the one being corrected (window `2N+1`).
    pub half_window_symbols: usize,
}

impl Default for CarrierRecoverySettings {
    fn default() -> Self {
        Self {
            test_phases: 32,
            half_window_symbols: 32,
        }
    }
}

/// Blind phase search: for every symbol k and test phase `φ_b = (b/B − ½)·π/2`, the squared
/// distance `|y_k·e^{iφ_b} − dec(y_k·e^{iφ_b})|²` is summed over the window `k−N … k+N`; the phase
/// with the least sum is chosen, unwrapped by quarter turns (`φ_k ← φ_k + (π/2)·round((φ_{k−1} −
/// φ_k)/(π/2))`) and applied. Returns the phase applied to each symbol, rad.
pub fn blind_phase_search(
    symbols: &mut [Complex],
    modulation: Modulation,
    settings: &CarrierRecoverySettings,
) -> Vec<f64> {
    let quarter = std::f64::consts::FRAC_PI_2;
    let tests = settings.test_phases.max(1);
    let phases: Vec<f64> = (0..tests)
        .map(|b| (b as f64 / tests as f64 - 0.5) * quarter)
        .collect();
    let rotations: Vec<Complex> = phases
        .iter()
        .map(|&p| Complex::from_polar(1.0, p))
        .collect();
    let n = symbols.len();
    // Prefix sums of the distances, one column per test phase.
    let mut prefix = vec![0.0; (n + 1) * tests];
    for (k, y) in symbols.iter().enumerate() {
        for (b, r) in rotations.iter().enumerate() {
            let z = y * r;
            prefix[(k + 1) * tests + b] =
                prefix[k * tests + b] + (z - modulation.decide(z)).norm_sqr();
        }
    }
    let half = settings.half_window_symbols;
    let mut applied = Vec::with_capacity(n);
    let mut previous: Option<f64> = None;
    for (k, y) in symbols.iter_mut().enumerate() {
        let (low, high) = (k.saturating_sub(half), (k + half + 1).min(n));
        let best = (0..tests)
            .min_by(|&a, &b| {
                let sum = |t: usize| prefix[high * tests + t] - prefix[low * tests + t];
                sum(a).total_cmp(&sum(b))
            })
            .unwrap_or(0);
        let mut phase = phases[best];
        if let Some(before) = previous {
            phase += quarter * ((before - phase) / quarter).round();
        }
        previous = Some(phase);
        *y *= Complex::from_polar(1.0, phase);
        applied.push(phase);
    }
    applied
}

/// Estimates a carrier frequency offset, Hz, from symbol-rate samples of one or more
/// polarisations by the fourth-power method: raised to the fourth power, QPSK-like symbols leave
/// a spectral line at 4·Δf, so `Δf = argmax_f Σ_p |FFT(y_p⁴)|²(f) / 4` (zero-padded four times,
/// parabolic interpolation of the peak). Unambiguous for |Δf| < Rs/8.
pub fn estimate_frequency_offset(polarisations: &[&[Complex]], symbol_rate_hz: f64) -> f64 {
    let n = polarisations.iter().map(|p| p.len()).min().unwrap_or(0);
    if n == 0 {
        return 0.0;
    }
    let padded = 4 * n;
    let fft = crate::signal::fft_plans::forward(padded);
    let mut periodogram = vec![0.0; padded];
    for samples in polarisations {
        let mut buffer = vec![Complex::new(0.0, 0.0); padded];
        for (b, y) in buffer.iter_mut().zip(samples.iter()) {
            *b = y.powu(4);
        }
        fft.process(&mut buffer);
        for (p, b) in periodogram.iter_mut().zip(&buffer) {
            *p += b.norm_sqr();
        }
    }
    let peak = (0..padded)
        .max_by(|&a, &b| periodogram[a].total_cmp(&periodogram[b]))
        .unwrap_or(0);
    let at = |k: isize| periodogram[k.rem_euclid(padded as isize) as usize];
    let (left, center, right) = (
        at(peak as isize - 1),
        at(peak as isize),
        at(peak as isize + 1),
    );
    let curvature = left - 2.0 * center + right;
    let fraction = if curvature < 0.0 {
        0.5 * (left - right) / curvature
    } else {
        0.0
    };
    let signed = if peak < padded / 2 {
        peak as f64
    } else {
        peak as f64 - padded as f64
    };
    (signed + fraction) * symbol_rate_hz / padded as f64 / 4.0
}

/// How one output of a blind receiver maps to the transmitted symbols.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Alignment {
    source: usize,
    quarter_turns: usize,
    delay: isize,
    matches: usize,
}

/// Largest symbol delay searched (the equaliser's taps span ±taps/4 symbols).
const MAX_DELAY_SYMBOLS: isize = 3;

/// Resolves the ambiguities left by a blind receiver with the first `header` transmitted symbols
/// of each polarisation (a frame header, as a modem has): for each output, the source
/// polarisation, quarter-turn rotation and delay (±3 symbols) that decide the most header symbols
/// right; the two outputs get different sources. Returns the outputs reordered, rotated and
/// shifted (circularly) to line up with `transmitted`. A cycle slip later in the block is not
/// undone: its errors are counted, as they would be without differential coding.
pub fn resolve_ambiguities(
    outputs: &[Vec<Complex>],
    transmitted: &[Vec<Complex>],
    modulation: Modulation,
    header: usize,
) -> Vec<Vec<Complex>> {
    let n = outputs[0].len();
    let header = header.min(n);
    let candidates = |output: &[Complex]| -> Vec<Alignment> {
        let mut found = Vec::new();
        for (source, sent) in transmitted.iter().enumerate() {
            for quarter_turns in 0..4 {
                let rotation = Complex::i().powu(quarter_turns as u32);
                for delay in -MAX_DELAY_SYMBOLS..=MAX_DELAY_SYMBOLS {
                    let matches = (0..header)
                        .filter(|&i| {
                            let j = (i as isize + delay).rem_euclid(n as isize) as usize;
                            modulation.decide(output[j] * rotation) == sent[i]
                        })
                        .count();
                    found.push(Alignment {
                        source,
                        quarter_turns,
                        delay,
                        matches,
                    });
                }
            }
        }
        found
    };
    let per_output: Vec<Vec<Alignment>> = outputs.iter().map(|o| candidates(o)).collect();
    let best_for = |p: usize, source: usize| {
        per_output[p]
            .iter()
            .filter(|a| a.source == source)
            .max_by_key(|a| a.matches)
            .copied()
    };
    let assignment: Vec<Alignment> = if outputs.len() == 2 {
        let straight = [best_for(0, 0), best_for(1, 1)];
        let swapped = [best_for(0, 1), best_for(1, 0)];
        let score =
            |pair: &[Option<Alignment>; 2]| pair.iter().flatten().map(|a| a.matches).sum::<usize>();
        let chosen = if score(&swapped) > score(&straight) {
            swapped
        } else {
            straight
        };
        chosen.iter().flatten().copied().collect()
    } else {
        best_for(0, 0).into_iter().collect()
    };
    let mut aligned = vec![Vec::new(); transmitted.len()];
    for (output, a) in outputs.iter().zip(&assignment) {
        let rotation = Complex::i().powu(a.quarter_turns as u32);
        aligned[a.source] = (0..n)
            .map(|i| output[(i as isize + a.delay).rem_euclid(n as isize) as usize] * rotation)
            .collect();
    }
    aligned
}

#[cfg(test)]
mod tests {
    use super::super::impairments::shift_frequency;
    use super::*;
    use crate::signal::random_bits;

    #[test]
    fn a_slow_phase_drift_is_removed_up_to_a_quarter_turn() {
        let m = Modulation::DpQpsk;
        let sent: Vec<Complex> = random_bits(&mut crate::signal::seeded_rng(1), 2 * 4000)
            .chunks(2)
            .map(|b| m.map(b))
            .collect();
        // A phase ramp of 3 rad over the block (far beyond a quarter turn), noiseless.
        let mut received: Vec<Complex> = sent
            .iter()
            .enumerate()
            .map(|(k, s)| s * Complex::from_polar(1.0, 3.0 * k as f64 / 4000.0 + 0.3))
            .collect();
        blind_phase_search(&mut received, m, &CarrierRecoverySettings::default());
        let aligned = resolve_ambiguities(&[received], std::slice::from_ref(&sent), m, 64);
        let errors = aligned[0]
            .iter()
            .zip(&sent)
            .filter(|(a, s)| m.decide(**a) != **s)
            .count();
        assert_eq!(errors, 0);
    }

    #[test]
    fn the_fourth_power_method_finds_an_offset_in_mixed_polarisations() {
        // Two QPSK streams mixed by a 40° rotation, offset by +730 MHz at 32 GBd (1 sample per
        // symbol), 16,384 symbols: the line at 4Δf is found to a few MHz.
        let m = Modulation::DpQpsk;
        let rs = 32e9;
        let sent: Vec<Vec<Complex>> = (0..2)
            .map(|p| {
                random_bits(&mut crate::signal::seeded_rng(20 + p), 2 * 16384)
                    .chunks(2)
                    .map(|b| m.map(b))
                    .collect()
            })
            .collect();
        let (c, s) = (40f64.to_radians().cos(), 40f64.to_radians().sin());
        let mut mixed: Vec<Vec<Complex>> = vec![
            sent[0]
                .iter()
                .zip(&sent[1])
                .map(|(a, b)| a * c + b * s)
                .collect(),
            sent[0]
                .iter()
                .zip(&sent[1])
                .map(|(a, b)| b * c - a * s)
                .collect(),
        ];
        for pol in &mut mixed {
            shift_frequency(pol, 730e6, rs);
        }
        let estimate = estimate_frequency_offset(&[&mixed[0], &mixed[1]], rs);
        assert!((estimate - 730e6).abs() < 5e6, "{estimate}");
        let mut shifted = sent[0].clone();
        shift_frequency(&mut shifted, -2.1e9, rs);
        let estimate = estimate_frequency_offset(&[&shifted], rs);
        assert!((estimate + 2.1e9).abs() < 5e6, "{estimate}");
    }

    #[test]
    fn swapped_rotated_and_delayed_outputs_are_lined_up() {
        let m = Modulation::Dp16Qam;
        let sent: Vec<Vec<Complex>> = (0..2)
            .map(|p| {
                random_bits(&mut crate::signal::seeded_rng(10 + p), 4 * 300)
                    .chunks(4)
                    .map(|b| m.map(b))
                    .collect()
            })
            .collect();
        let shift = |v: &[Complex], d: usize, r: Complex| -> Vec<Complex> {
            (0..v.len())
                .map(|i| v[(i + v.len() - d) % v.len()] * r)
                .collect()
        };
        let outputs = vec![
            shift(&sent[1], 2, Complex::i()),
            shift(&sent[0], 1, -Complex::i()),
        ];
        let aligned = resolve_ambiguities(&outputs, &sent, m, 128);
        assert_eq!(aligned, sent);
    }
}
