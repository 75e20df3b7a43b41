//! Direct detection of on-off keying: photodiode, electrical low-pass filter, eye diagram,
//! decision at the sampling instant and threshold that minimise the counted errors, Gaussian Q
//! factor and the BER Gaussian level statistics predict.

use statrs::function::gamma::{checked_gamma_lr, checked_gamma_ur};

use super::ber::erfc;
use crate::signal::Complex;

/// What the OOK receiver measured.
#[derive(Debug, Clone, PartialEq)]
pub struct OokMeasurement {
    /// Gaussian Q factor at the chosen instant: `(μ1 − μ0)/(σ1 + σ0)`.
    pub q: f64,
    /// `20·log10(Q)`, dB.
    pub q_db: f64,
    /// BER predicted at the chosen threshold by each level's three-moment fit (gamma for beat
    /// noise, Gaussian for thermal noise).
    pub ber_estimate: f64,
    /// The decision threshold, A (the photocurrent's unit).
    pub threshold: f64,
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
    crate::signal::fft_plans::forward(n).process(&mut current);
    for (k, c) in current.iter_mut().enumerate() {
        let signed = crate::signal::signed_bin(k, n);
        let f = signed * sample_rate_hz / n as f64;
        // Gaussian: |H(f3dB)|² = 1/2.
        *c *= (-(f / bandwidth_hz).powi(2) * std::f64::consts::LN_2 / 2.0).exp() / n as f64;
    }
    crate::signal::fft_plans::inverse(n).process(&mut current);
    current.into_iter().map(|c| c.re).collect()
}

/// The distribution of one decision level fitted by its first three moments: Pearson type III,
/// a gamma distribution shifted and scaled (mirrored for a negative skew). It is exact for the
/// chi-square statistics of ASE–ASE beat noise on a zero (a gamma of M degrees of freedom has
/// skewness 2/√M; Marcuse 1990), close to the non-central chi-square of a one, and tends to the
/// Gaussian as the skew vanishes (thermal noise), which it uses below a skew of 10⁻³.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LevelFit {
    mean: f64,
    std: f64,
    skew: f64,
}

impl LevelFit {
    /// The fit of `values` (mean, standard deviation and sample skewness).
    fn of(values: impl Iterator<Item = f64> + Clone) -> Self {
        let count = values.clone().count().max(1) as f64;
        let mean = values.clone().sum::<f64>() / count;
        let (m2, m3) = values.fold((0.0, 0.0), |(m2, m3), v| {
            let d = v - mean;
            (m2 + d * d / count, m3 + d * d * d / count)
        });
        let std = m2.sqrt();
        let skew = if std > 0.0 {
            m3 / (std * std * std)
        } else {
            0.0
        };
        Self { mean, std, skew }
    }

    /// The gamma's shape k and scale θ (`skew = 2/√k`, `σ = √k·θ`), when skewed enough.
    fn gamma(&self) -> Option<(f64, f64)> {
        let k = 4.0 / (self.skew * self.skew);
        (self.skew.abs() >= 1e-3 && k.is_finite()).then(|| (k, self.std * self.skew.abs() / 2.0))
    }

    /// `P(X > t)` and `P(X < t)`, each computed directly (their tails are what matters).
    fn tails(&self, t: f64) -> (f64, f64) {
        if self.std <= 0.0 {
            return if t < self.mean {
                (1.0, 0.0)
            } else {
                (0.0, 1.0)
            };
        }
        let Some((k, theta)) = self.gamma() else {
            let z = (t - self.mean) / (self.std * std::f64::consts::SQRT_2);
            return (0.5 * erfc(z), 0.5 * erfc(-z));
        };
        // Distance from the gamma's origin, in units of θ, on the side the gamma extends to.
        let (x, mirrored) = if self.skew > 0.0 {
            ((t - (self.mean - k * theta)) / theta, false)
        } else {
            (((self.mean + k * theta) - t) / theta, true)
        };
        let (lower, upper) = if x <= 0.0 {
            (0.0, 1.0)
        } else {
            (
                checked_gamma_lr(k, x).unwrap_or(f64::NAN),
                checked_gamma_ur(k, x).unwrap_or(f64::NAN),
            )
        };
        if mirrored {
            (lower, upper)
        } else {
            (upper, lower)
        }
    }
}

/// The fits of the zeros' and the ones' samples.
fn level_fits(samples: &[(f64, u8)]) -> (LevelFit, LevelFit) {
    let level = |bit: u8| {
        LevelFit::of(
            samples
                .iter()
                .filter(move |(_, b)| *b == bit)
                .map(|(v, _)| *v),
        )
    };
    (level(0), level(1))
}

/// The decision threshold with the fewest errors on `samples` (value, sent bit), by counting:
/// the samples sorted, every cut between consecutive values scanned (errors = ones below + zeros
/// above), and among the cuts with the fewest errors the widest run of adjacent ones is taken,
/// its threshold in the middle of the values it spans. Returns `(errors, threshold)`.
pub fn best_threshold(samples: &mut [(f64, u8)]) -> (usize, f64) {
    samples.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = samples.len();
    if n == 0 {
        return (0, 0.0);
    }
    let zeros = samples.iter().filter(|(_, b)| *b == 0).count();
    // errors(k): cut before sample k (k = 0..=n): ones among the first k + zeros among the rest.
    let mut errors = Vec::with_capacity(n + 1);
    let (mut ones_below, mut zeros_above) = (0, zeros);
    errors.push(zeros_above);
    for &(_, bit) in samples.iter() {
        if bit == 1 {
            ones_below += 1;
        } else {
            zeros_above -= 1;
        }
        errors.push(ones_below + zeros_above);
    }
    let fewest = errors.iter().copied().min().unwrap_or(0);
    let span = samples[n - 1].0 - samples[0].0;
    let value_at = |k: usize| -> f64 {
        // The edge of cut k: below sample k (k = n: above the largest).
        if k == 0 {
            samples[0].0 - span.max(f64::MIN_POSITIVE)
        } else if k == n {
            samples[n - 1].0 + span.max(f64::MIN_POSITIVE)
        } else {
            samples[k].0
        }
    };
    let lower_at = |k: usize| {
        if k == 0 {
            value_at(0)
        } else {
            samples[k - 1].0
        }
    };
    let (mut best, mut best_width) = (0.5 * (lower_at(0) + value_at(0)), f64::NEG_INFINITY);
    let mut k = 0;
    while k <= n {
        if errors[k] != fewest {
            k += 1;
            continue;
        }
        let start = k;
        while k < n && errors[k + 1] == fewest {
            k += 1;
        }
        let (low, high) = (lower_at(start), value_at(k));
        if high - low > best_width {
            best_width = high - low;
            best = 0.5 * (low + high);
        }
        k += 1;
    }
    (fewest, best)
}

/// Decides the bits from the photocurrent by counting: at every instant within the symbol the
/// threshold with the fewest errors ([`best_threshold`]); the instant with the fewest errors
/// (ties: the larger Gaussian Q) is kept. Reports the counted BER there, the Gaussian Q
/// `(μ1 − μ0)/(σ1 + σ0)` of the two levels at that instant (labelled as such: it is not the BER's
/// predictor for beat noise), and the BER that each level's three-moment fit (Pearson III,
/// chi-square-like for beat noise, Gaussian for thermal noise) predicts at the chosen threshold
/// th: `½·[P(X0 > th) + P(X1 < th)]`.
pub fn decide_ook(current: &[f64], bits: &[u8], samples_per_symbol: usize) -> OokMeasurement {
    let at = |instant: usize| -> Vec<(f64, u8)> {
        bits.iter()
            .enumerate()
            .map(|(k, &b)| (current[k * samples_per_symbol + instant], b))
            .collect()
    };
    let gaussian_q = |samples: &[(f64, u8)]| {
        let (zero, one) = level_fits(samples);
        (one.mean - zero.mean) / (zero.std + one.std).max(1e-300)
    };
    let (mut instant, mut errors, mut threshold, mut q) = (0, usize::MAX, 0.0, f64::NEG_INFINITY);
    for candidate in 0..samples_per_symbol {
        let mut samples = at(candidate);
        let (count, cut) = best_threshold(&mut samples);
        let candidate_q = gaussian_q(&samples);
        if count < errors || (count == errors && candidate_q > q) {
            (instant, errors, threshold, q) = (candidate, count, cut, candidate_q);
        }
    }
    let (zero, one) = level_fits(&at(instant));
    let ber_estimate = 0.5 * (zero.tails(threshold).0 + one.tails(threshold).1);
    let errors = errors.min(bits.len());
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
        ber_estimate,
        threshold,
        ber: errors as f64 / bits.len() as f64,
        bits: bits.len(),
        errors,
        instant,
        eye,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::seeded_rng;
    use rand_distr::{Distribution, Gamma, StandardNormal};

    #[test]
    fn the_threshold_sits_in_the_middle_of_the_widest_error_free_gap() {
        // Zeros at 0, 1, 2; ones at 5, 6 and one stray zero at 5.5: cutting between 2 and 5
        // errs once (the stray zero), as does cutting between 5.5 and 6 (the one at 5).
        let mut samples = vec![(0.0, 0), (1.0, 0), (2.0, 0), (5.0, 1), (5.5, 0), (6.0, 1)];
        let (errors, threshold) = best_threshold(&mut samples);
        assert_eq!(errors, 1);
        assert_eq!(threshold, 3.5, "the widest interval is (2, 5)");
        // Separable levels: no error, the threshold halfway between them.
        let mut clean = vec![(0.1, 0), (0.3, 0), (1.9, 1), (2.2, 1)];
        let (errors, threshold) = best_threshold(&mut clean);
        assert_eq!(errors, 0);
        assert!((threshold - 1.1).abs() < 1e-12, "{threshold}");
    }

    #[test]
    fn the_level_fit_is_exact_for_chi_square_and_gaussian_for_symmetric_noise() {
        // Beat noise on a zero: a gamma of shape 2 (two modes), scale 0.5.
        let mut rng = seeded_rng(9);
        let gamma = Gamma::new(2.0, 0.5).unwrap();
        let zeros: Vec<f64> = (0..400_000).map(|_| gamma.sample(&mut rng)).collect();
        let fit = LevelFit::of(zeros.iter().copied());
        // P(X > 4) for Gamma(2, 0.5): e^{−8}·(1 + 8).
        let exact = (-8.0f64).exp() * 9.0;
        let (above, below) = fit.tails(4.0);
        assert!((above / exact - 1.0).abs() < 0.1, "{above} vs {exact}");
        assert!((above + below - 1.0).abs() < 1e-9);
        // Thermal noise: Gaussian, no skew; 3σ above the mean.
        let normal: Vec<f64> = (0..400_000)
            .map(|_| 1.0 + 0.2 * Distribution::<f64>::sample(&StandardNormal, &mut rng))
            .collect();
        let (above, _) = LevelFit::of(normal.iter().copied()).tails(1.6);
        let expected = 0.5 * erfc(3.0 / std::f64::consts::SQRT_2);
        assert!(
            (above / expected - 1.0).abs() < 0.15,
            "{above} vs {expected}"
        );
    }
}
