//! Noise loading and dispersion compensation.

use rand::Rng;
use rand_distr::{Distribution, Normal};

use crate::signal::Complex;
use crate::units;

/// Per-sample variance of complex white noise that sets the OSNR (0.1 nm) of a signal of mean
/// power `signal_power_w` (in this polarisation) sampled at `samples_per_symbol` per symbol:
/// `SNR = OSNR·12.5 GHz / Rs` in the signal bandwidth, and noise spread flat over the sampling
/// bandwidth `sps·Rs` has variance `P/SNR · sps` per sample.
pub fn noise_variance_for_osnr(
    signal_power_w: f64,
    osnr_db: f64,
    symbol_rate_hz: f64,
    samples_per_symbol: usize,
) -> f64 {
    let snr = units::db_to_linear(osnr_db) * units::OSNR_REFERENCE_BANDWIDTH_HZ / symbol_rate_hz;
    signal_power_w / snr * samples_per_symbol as f64
}

/// Adds circular complex Gaussian noise of total variance `variance` per sample (half in each
/// quadrature), from a seeded generator.
pub fn add_white_noise(samples: &mut [Complex], variance: f64, rng: &mut impl Rng) {
    let normal = Normal::new(0.0, (variance / 2.0).sqrt()).expect("finite, non-negative variance");
    for s in samples {
        *s += Complex::new(normal.sample(rng), normal.sample(rng));
    }
}

/// Brings the channel at physical offset `offset_hz` to baseband: multiplies the field by
/// `e^{+i2π·offset·t}` (the comb put it at `e^{−i2π·offset·t}`); `dt_ps` is the sample spacing.
pub fn select_channel(field: &[Complex], offset_hz: f64, dt_ps: f64) -> Vec<Complex> {
    let mut baseband = field.to_vec();
    shift_frequency(&mut baseband, offset_hz, units::period_ps_to_rate_hz(dt_ps));
    baseband
}

/// Multiplies `samples` (sampled at `sample_rate_hz`) by `e^{i2π·offset·j/fs}`: adds a carrier
/// frequency offset (a positive offset is a positive frequency in rustfft's spectrum), or removes
/// one with the opposite sign.
pub fn shift_frequency(samples: &mut [Complex], offset_hz: f64, sample_rate_hz: f64) {
    let step = 2.0 * std::f64::consts::PI * offset_hz / sample_rate_hz;
    for (j, s) in samples.iter_mut().enumerate() {
        *s *= Complex::from_polar(1.0, step * j as f64);
    }
}

/// Undoes the accumulated dispersion `Σβ2·L` (ps²) and `Σβ3·L` (ps³) of a channel brought to
/// baseband from physical offset `offset_hz`: in rustfft's domain the propagation applied
/// `exp(iφ(ω))`, `φ(ω) = β2L·ω²/2 − β3L·ω³/6`, and the channel's baseband bin ω_b sat at
/// `ω = ω_b − 2π·offset`; the filter applies `exp(−i[φ(ω_b − Δ) − φ(−Δ)])`, which also removes
/// the channel's walk-off delay. `dt_ps` is the sample spacing.
pub fn compensate_dispersion(
    samples: &mut [Complex],
    dt_ps: f64,
    beta2_l_ps2: f64,
    beta3_l_ps3: f64,
    offset_hz: f64,
) {
    let n = samples.len();
    crate::signal::fft_plans::forward(n).process(samples);
    let step = 2.0 * std::f64::consts::PI / (n as f64 * dt_ps);
    let delta = units::hz_to_rad_per_ps(offset_hz);
    let phi = |w: f64| crate::fiber::dispersion_phase_rad(beta2_l_ps2, beta3_l_ps3, w);
    for (k, s) in samples.iter_mut().enumerate() {
        let signed = crate::signal::signed_bin(k, n);
        let w = signed * step;
        *s *= Complex::from_polar(1.0 / n as f64, -(phi(w - delta) - phi(-delta)));
    }
    crate::signal::fft_plans::inverse(n).process(samples);
}

/// Laser phase noise of combined linewidth `linewidth_hz` (transmitter and local oscillator,
/// Lorentzian): a Wiener phase `θ_{j+1} = θ_j + N(0, 2π·Δν/fs)` common to both polarisations,
/// applied at the coherent front end (before dispersion compensation, so the receiver also sees
/// equalisation-enhanced phase noise). The simulated block is periodic (circular FFTs), so the
/// walk is tied back to its start — a Brownian bridge, `θ_j − (j/N)·θ_N`: the same increments
/// less a constant frequency offset of `θ_N/(2π·N/fs)` — lest the jump at the wrap be spread by
/// the dispersion compensation over the first and last symbols.
pub fn add_laser_phase_noise(
    polarisations: &mut [Vec<Complex>],
    linewidth_hz: f64,
    sample_rate_hz: f64,
    rng: &mut impl Rng,
) {
    let step = (2.0 * std::f64::consts::PI * linewidth_hz / sample_rate_hz).sqrt();
    let normal = Normal::new(0.0, step).expect("finite, non-negative linewidth");
    let samples = polarisations.first().map_or(0, Vec::len);
    let mut walk = Vec::with_capacity(samples + 1);
    walk.push(0.0);
    for j in 0..samples {
        walk.push(walk[j] + normal.sample(rng));
    }
    let end = walk[samples];
    for j in 0..samples {
        let phase = walk[j] - end * j as f64 / samples as f64;
        let rotation = Complex::from_polar(1.0, phase);
        for p in polarisations.iter_mut() {
            p[j] *= rotation;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laser_phase_noise_has_the_wiener_increment_variance_and_wraps() {
        // 100 kHz at 64 GS/s: increments of variance 2π·1e5/6.4e10 ≈ 9.8e-6 rad².
        let n = 200_000;
        let mut fields = vec![
            vec![Complex::new(1.0, 0.0); n],
            vec![Complex::new(0.0, 1.0); n],
        ];
        add_laser_phase_noise(&mut fields, 100e3, 64e9, &mut crate::signal::seeded_rng(3));
        let expected = 2.0 * std::f64::consts::PI * 100e3 / 64e9;
        let increments: Vec<f64> = (0..n)
            .map(|j| (fields[0][(j + 1) % n] * fields[0][j].conj()).arg())
            .collect();
        let variance = increments.iter().map(|d| d * d).sum::<f64>() / n as f64;
        // The sample variance of 2e5 Gaussian draws is within ±0.3 % at 1σ.
        assert!(
            (variance / expected - 1.0).abs() < 0.02,
            "{variance} vs {expected}"
        );
        // The wrap-around increment is an ordinary one (the bridge closes the walk) ...
        assert!(increments[n - 1].abs() < 6.0 * expected.sqrt());
        // ... and both polarisations turn together.
        assert!((fields[1][n / 2] - fields[0][n / 2] * Complex::i()).norm() < 1e-12);
    }
}
