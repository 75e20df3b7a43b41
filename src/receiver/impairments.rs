//! Noise loading and dispersion compensation.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use rustfft::FftPlanner;

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
pub fn add_white_noise(samples: &mut [Complex], variance: f64, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let normal = Normal::new(0.0, (variance / 2.0).sqrt()).expect("finite, non-negative variance");
    for s in samples {
        *s += Complex::new(normal.sample(&mut rng), normal.sample(&mut rng));
    }
}

/// Undoes the dispersion of `length_km` of fibre with GVD `beta2_ps2_per_km` by the all-pass
/// filter `exp(−iβ2ω²L/2)` in rustfft's frequency domain (the propagation applied
/// `exp(+iβ2ω²L/2)`), `dt_ps` the sample spacing.
pub fn compensate_dispersion(
    samples: &mut [Complex],
    dt_ps: f64,
    beta2_ps2_per_km: f64,
    length_km: f64,
) {
    let n = samples.len();
    let mut planner = FftPlanner::<f64>::new();
    planner.plan_fft_forward(n).process(samples);
    let step = 2.0 * std::f64::consts::PI / (n as f64 * dt_ps);
    for (k, s) in samples.iter_mut().enumerate() {
        let signed = if k < n.div_ceil(2) {
            k as f64
        } else {
            k as f64 - n as f64
        };
        let w = signed * step;
        *s *= Complex::from_polar(1.0 / n as f64, -0.5 * beta2_ps2_per_km * w * w * length_km);
    }
    planner.plan_fft_inverse(n).process(samples);
}
