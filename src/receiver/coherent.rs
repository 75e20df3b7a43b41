//! Coherent demodulation of one channel: matched filter, symbol sampling, data-aided gain and
//! phase (ideal equalisation and carrier recovery), decisions, SNR, EVM and BER.

use crate::signal::{rrc_filter, Complex, Modulation};

use super::ber::ber_from_snr;

/// What the receiver measured on one channel.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelMeasurement {
    /// SNR per symbol, dB (`E|s|² / E|r − g·s|²`, data-aided).
    pub snr_db: f64,
    /// RMS error vector magnitude, % of the RMS symbol.
    pub evm_percent: f64,
    /// Bits compared.
    pub bits: usize,
    /// Bit errors counted.
    pub errors: usize,
    /// Counted BER.
    pub ber: f64,
    /// BER expected from the measured SNR (closed form).
    pub ber_estimate: f64,
}

/// Demodulates the received polarisations (`sps` samples per symbol, RRC with `roll_off`)
/// against the transmitted symbols. The complex gain of each polarisation is estimated from the
/// known symbols by least squares (`g = Σ r·s* / Σ|s|²`): an ideal equaliser and carrier recovery.
pub fn demodulate(
    received: &mut [Vec<Complex>],
    transmitted: &[Vec<Complex>],
    modulation: Modulation,
    samples_per_symbol: usize,
    roll_off: f64,
) -> ChannelMeasurement {
    let k = modulation.bits_per_symbol();
    let (mut signal, mut noise, mut errors, mut bits) = (0.0, 0.0, 0usize, 0usize);
    let mut sent_bits = vec![0u8; k];
    let mut got_bits = vec![0u8; k];
    for (rx, tx) in received.iter_mut().zip(transmitted) {
        rrc_filter(rx, samples_per_symbol, roll_off);
        let samples: Vec<Complex> = tx
            .iter()
            .enumerate()
            .map(|(i, _)| rx[i * samples_per_symbol])
            .collect();
        let cross: Complex = samples.iter().zip(tx).map(|(r, s)| r * s.conj()).sum();
        let energy: f64 = tx.iter().map(|s| s.norm_sqr()).sum();
        let gain = cross / energy;
        for (r, s) in samples.iter().zip(tx) {
            let equalised = r / gain;
            signal += s.norm_sqr();
            noise += (equalised - s).norm_sqr();
            modulation.demap(*s, &mut sent_bits);
            modulation.demap(equalised, &mut got_bits);
            errors += sent_bits
                .iter()
                .zip(&got_bits)
                .filter(|(a, b)| a != b)
                .count();
            bits += k;
        }
    }
    let snr = signal / noise;
    ChannelMeasurement {
        snr_db: crate::units::linear_to_db(snr),
        evm_percent: 100.0 * (noise / signal).sqrt(),
        bits,
        errors,
        ber: errors as f64 / bits as f64,
        ber_estimate: ber_from_snr(modulation, snr),
    }
}
