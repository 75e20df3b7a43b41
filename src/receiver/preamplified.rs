//! The ideal optically pre-amplified OOK receiver (Humblet & Azizoglu, "On the bit error rate of
//! lightwave systems with optical amplifiers", J. Lightwave Technol. 9(11), 1991; the beat-noise
//! statistics are Marcuse's, J. Lightwave Technol. 8(12), 1990): an optical filter matched to one
//! bit in each of `modes` field modes (2 without a polariser: one temporal mode in each
//! polarisation), a photodiode and integrate-and-dump. With the ASE's energy per mode as the
//! unit, the decision variable is
//! - for a 0: `X0 = Σ_modes |n|²`, a Gamma(M, 1) variable: `P(X0 > t) = e^{−t}·Σ_{k<M} t^k/k!`;
//! - for a 1 carrying `n_s` (its energy over the noise per mode; for an ideal amplifier, its
//!   photons): a non-central Gamma, the Poisson(n_s) mixture of Gamma(M + j, 1):
//!   `P(X1 < t) = Σ_j e^{−n_s}·n_s^j/j! · (1 − e^{−t}·Σ_{k<M+j} t^k/k!)` (= `1 − Q_M(√(2n_s), √(2t))`).
//!
//! The BER is `½·[P(X0 > t) + P(X1 < t)]` at the best threshold t.

/// `e^{−t}·Σ_{k<m} t^k/k!`: the probability that a Gamma(m, 1) variable exceeds `t`.
fn gamma_tail(m: usize, t: f64) -> f64 {
    let (mut term, mut sum) = ((-t).exp(), 0.0);
    for k in 0..m {
        if k > 0 {
            term *= t / k as f64;
        }
        sum += term;
    }
    sum.min(1.0)
}

/// `P(X1 < t)`: a 1 of `photons` (energy over the noise per mode) falls below the threshold.
fn one_below(photons: f64, modes: usize, t: f64) -> f64 {
    // Poisson weights around the mean, summed out to where they vanish.
    let last = (photons + 12.0 * photons.sqrt() + 30.0).ceil() as usize;
    let mut weight = (-photons).exp();
    let mut total = 0.0;
    for j in 0..=last {
        if j > 0 {
            weight *= photons / j as f64;
        }
        if weight > 0.0 {
            total += weight * (1.0 - gamma_tail(modes + j, t));
        }
    }
    total.clamp(0.0, 1.0)
}

/// BER of the ideal pre-amplified receiver at threshold `t` (noise-per-mode units).
pub fn preamplified_ber_at(photons_per_one: f64, modes: usize, t: f64) -> f64 {
    0.5 * (gamma_tail(modes, t) + one_below(photons_per_one, modes, t))
}

/// The lowest BER of the ideal pre-amplified receiver and its threshold: a 1 carries
/// `photons_per_one` (the average per bit is half), the filter passes `modes` modes. The BER is
/// unimodal in t, so a golden-section search over `(0, photons + modes)` finds it.
pub fn preamplified_ber(photons_per_one: f64, modes: usize) -> (f64, f64) {
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let (mut lo, mut hi) = (0.0, photons_per_one + modes as f64);
    for _ in 0..200 {
        let a = hi - ratio * (hi - lo);
        let b = lo + ratio * (hi - lo);
        if preamplified_ber_at(photons_per_one, modes, a)
            < preamplified_ber_at(photons_per_one, modes, b)
        {
            hi = b;
        } else {
            lo = a;
        }
    }
    let t = 0.5 * (lo + hi);
    (preamplified_ber_at(photons_per_one, modes, t), t)
}

/// A 1's photons (its energy over the ASE per mode) at OSNR `osnr_db` (0.1 nm, ASE in both
/// polarisations) for NRZ of `symbol_rate_hz`: the average power is half a 1's,
/// `P = n_s·N·Rs/2` with N the ASE PSD per polarisation, and `OSNR = P/(2N·12.5 GHz)`, so
/// `n_s = 4·OSNR·12.5 GHz/Rs`.
pub fn photons_per_one_at_osnr(osnr_db: f64, symbol_rate_hz: f64) -> f64 {
    4.0 * crate::units::db_to_linear(osnr_db) * crate::units::OSNR_REFERENCE_BANDWIDTH_HZ
        / symbol_rate_hz
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humblet_azizoglu_38_photons_per_bit_for_1e_minus_9() {
        // With a polariser (M = 1), BER 1e-9 takes 38.3 photons per bit on average (Humblet &
        // Azizoglu 1991): 76.6 in a 1.
        let (ber, _) = preamplified_ber(2.0 * 38.3, 1);
        assert!((ber.log10() + 9.0).abs() < 0.05, "M = 1: BER {ber:e}");
        // Without one (M = 2) the second polarisation's ASE costs ≈ 0.3 dB: 1e-9 at about
        // 12.1 dB OSNR (0.1 nm) for 10 Gb/s NRZ, 40.5 photons per bit.
        let photons = photons_per_one_at_osnr(12.1, 10e9);
        assert!((photons / 2.0 - 40.5).abs() < 0.1, "{photons}");
        let (ber, threshold) = preamplified_ber(photons, 2);
        assert!((ber.log10() + 9.0).abs() < 0.15, "M = 2: BER {ber:e}");
        assert!(
            threshold > 2.0 && threshold < photons,
            "threshold {threshold}"
        );
        // A fair coin with no signal, and the threshold search finds the minimum.
        assert!((preamplified_ber(0.0, 2).0 - 0.5).abs() < 1e-9);
        assert!(preamplified_ber_at(photons, 2, 0.8 * threshold) > ber);
        assert!(preamplified_ber_at(photons, 2, 1.2 * threshold) > ber);
    }
}
