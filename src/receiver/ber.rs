//! Closed-form bit-error ratios in additive white Gaussian noise.

use crate::signal::Modulation;

/// Complementary error function (libm's, accurate to a few ulp).
pub fn erfc(x: f64) -> f64 {
    libm::erfc(x)
}

/// BER of a Gray-coded format at symbol SNR `snr` (linear, Es/N0):
/// QPSK `½·erfc(√(SNR/2))`; 16-QAM `(3/8)·erfc(√(SNR/10)) + (1/4)·erfc(3√(SNR/10)) − (1/8)·erfc(5√(SNR/10))`
/// (exact for Gray-coded square 16-QAM, Cho & Yoon, IEEE Trans. Commun. 50(7), 2002); OOK
/// (levels 0 and √2, mean energy 1) decided on the in-phase field: `½·erfc(√(SNR/2))`, the same
/// distance-to-noise ratio as one QPSK quadrature.
pub fn ber_from_snr(modulation: Modulation, snr: f64) -> f64 {
    match modulation {
        Modulation::DpQpsk | Modulation::OokNrz | Modulation::OokRz => {
            0.5 * erfc((snr / 2.0).sqrt())
        }
        Modulation::Dp16Qam => {
            let x = (snr / 10.0).sqrt();
            0.375 * erfc(x) + 0.25 * erfc(3.0 * x) - 0.125 * erfc(5.0 * x)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_values() {
        // erfc(1) = 0.157299207050285; QPSK at Eb/N0 = 9.6 dB (Es/N0 = 12.6 dB) gives BER ≈ 1e-5.
        assert!((erfc(1.0) - 0.157_299_207_050_285).abs() < 1e-15);
        let ber = ber_from_snr(Modulation::DpQpsk, 10f64.powf(1.26));
        assert!((ber / 1e-5 - 1.0).abs() < 0.1, "{ber}");
    }
}
