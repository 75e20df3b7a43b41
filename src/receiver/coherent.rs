//! Coherent demodulation of one channel: matched filter, symbol sampling, then either data-aided
//! equalisation (ideal polarisation demultiplexing and carrier recovery) or the blind DSP chain of
//! a real modem (adaptive 2×2 butterfly, blind phase search); decisions, SNR, EVM and BER.

use nalgebra::{Matrix2, Vector2};

use crate::signal::{rrc_filter, Complex, Modulation};

use super::ber::ber_from_snr;
use super::carrier::{
    blind_phase_search, estimate_frequency_offset, resolve_ambiguities, CarrierRecoverySettings,
};
use super::equalizer::{equalize_blind, matched_filter_two_per_symbol, EqualizerSettings};
use super::impairments::shift_frequency;

/// Known symbols at the start of each polarisation used to resolve the blind receiver's phase,
/// polarisation and delay ambiguities.
pub const AMBIGUITY_HEADER_SYMBOLS: usize = 256;

/// What the receiver measured on one channel.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelMeasurement {
    /// SNR per symbol, dB (`E|s|² / E|r − g·s|²`, data-aided; `None` for direct detection).
    pub snr_db: Option<f64>,
    /// RMS error vector magnitude, % of the RMS symbol (`None` for direct detection).
    pub evm_percent: Option<f64>,
    /// Bits compared.
    pub bits: usize,
    /// Bit errors counted.
    pub errors: usize,
    /// Counted BER.
    pub ber: f64,
    /// BER expected from the measured SNR (closed form), or from Q for OOK.
    pub ber_estimate: f64,
    /// `20·log10(Q)` for direct-detected OOK, dB (`None` for coherent formats).
    pub q_db: Option<f64>,
    /// Equalised symbols of the first polarisation (coherent) — the constellation.
    pub constellation: Vec<Complex>,
    /// Eye traces (OOK): the photocurrent around each symbol centre.
    pub eye: Vec<Vec<f64>>,
    /// DGD the adaptive equaliser undid, ps (blind receiver only).
    pub dgd_estimate_ps: Option<f64>,
    /// Carrier frequency offset the blind receiver estimated and removed, Hz.
    pub frequency_offset_estimate_hz: Option<f64>,
}

/// Demodulates the received polarisations (`sps` samples per symbol, RRC with `roll_off`)
/// against the transmitted symbols. The channel matrix is estimated from the known symbols by
/// least squares — `H = (Σ r·sᴴ)(Σ s·sᴴ)⁻¹`, 2 × 2 for two polarisations, a complex gain for one —
/// and inverted: ideal polarisation demultiplexing, equalisation of any static rotation and ideal
/// carrier-phase recovery.
pub fn demodulate(
    received: &mut [Vec<Complex>],
    transmitted: &[Vec<Complex>],
    modulation: Modulation,
    samples_per_symbol: usize,
    roll_off: f64,
) -> ChannelMeasurement {
    let pols = transmitted.len();
    let symbols = transmitted[0].len();
    for rx in received.iter_mut() {
        rrc_filter(rx, samples_per_symbol, roll_off);
    }
    let sampled: Vec<Vec<Complex>> = received
        .iter()
        .map(|rx| (0..symbols).map(|i| rx[i * samples_per_symbol]).collect())
        .collect();
    let equalised: Vec<Vec<Complex>> = if pols == 2 {
        let (mut rs, mut ss) = (Matrix2::<Complex>::zeros(), Matrix2::<Complex>::zeros());
        for i in 0..symbols {
            let r = Vector2::new(sampled[0][i], sampled[1][i]);
            let s = Vector2::new(transmitted[0][i], transmitted[1][i]);
            rs += r * s.adjoint();
            ss += s * s.adjoint();
        }
        // Channel H = (Σ r·sᴴ)(Σ s·sᴴ)⁻¹, equaliser W = H⁻¹ (zero forcing: unbiased, so the
        // measured SNR is the channel's).
        let channel = rs * ss.try_inverse().unwrap_or_else(Matrix2::identity);
        let w = channel.try_inverse().unwrap_or_else(Matrix2::identity);
        let mut out = vec![Vec::with_capacity(symbols), Vec::with_capacity(symbols)];
        for (x, y) in sampled[0].iter().zip(&sampled[1]) {
            let e = w * Vector2::new(*x, *y);
            out[0].push(e[0]);
            out[1].push(e[1]);
        }
        out
    } else {
        let cross: Complex = sampled[0]
            .iter()
            .zip(&transmitted[0])
            .map(|(r, s)| r * s.conj())
            .sum();
        let energy: f64 = transmitted[0].iter().map(|s| s.norm_sqr()).sum();
        let gain = cross / energy;
        vec![sampled[0].iter().map(|r| r / gain).collect()]
    };
    measure(equalised, transmitted, modulation)
}

/// Offsets above this fraction of the symbol rate are removed before the matched filter (a second
/// pass); smaller ones only from the equaliser's outputs.
const RECENTRE_OFFSET_FRACTION: f64 = 1e-3;

/// Settings of the blind DSP chain.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BlindDsp {
    /// The adaptive 2×2 butterfly.
    pub equalizer: EqualizerSettings,
    /// Blind phase search.
    pub carrier: CarrierRecoverySettings,
}

/// Demodulates two received polarisations blind, as a coherent modem does: matched filter and
/// resampling to two samples per symbol, the adaptive 2×2 butterfly ([`equalize_blind`]), the
/// carrier frequency offset estimated on its outputs (fourth-power method) and removed — from
/// the received samples, rerunning filter and equaliser, when above 0.1 % of Rs — blind phase
/// search per polarisation, then the header resolves the four-fold phase, polarisation-swap
/// and delay ambiguities ([`resolve_ambiguities`]) before decisions are counted over the block.
pub fn demodulate_blind(
    received: &[Vec<Complex>],
    transmitted: &[Vec<Complex>],
    modulation: Modulation,
    samples_per_symbol: usize,
    roll_off: f64,
    symbol_period_ps: f64,
    dsp: &BlindDsp,
) -> ChannelMeasurement {
    let symbol_rate_hz = crate::units::period_ps_to_rate_hz(symbol_period_ps);
    let equalize = |fields: &[Vec<Complex>]| {
        let two_per_symbol: [Vec<Complex>; 2] = std::array::from_fn(|p| {
            matched_filter_two_per_symbol(&fields[p], samples_per_symbol, roll_off)
        });
        let equalized = equalize_blind(&two_per_symbol, modulation, &dsp.equalizer);
        let outputs = [
            equalized.outputs[0].as_slice(),
            equalized.outputs[1].as_slice(),
        ];
        let offset_hz = estimate_frequency_offset(&outputs, symbol_rate_hz);
        (equalized, offset_hz)
    };
    // The constant-modulus equaliser is blind to a carrier frequency offset, and its ISI-free
    // outputs show it as a phase ramp (fourth-power method). A large offset also shifts the
    // signal within the matched filter: it is removed from the received samples and the
    // filter and equaliser run again; what remains is removed from the outputs.
    let (mut equalized, mut offset_hz) = equalize(received);
    let mut residual_hz = offset_hz;
    if offset_hz.abs() > RECENTRE_OFFSET_FRACTION * symbol_rate_hz {
        let mut recenterd = received.to_vec();
        for field in &mut recenterd {
            shift_frequency(
                field,
                -offset_hz,
                symbol_rate_hz * samples_per_symbol as f64,
            );
        }
        (equalized, residual_hz) = equalize(&recenterd);
        offset_hz += residual_hz;
    }
    for output in &mut equalized.outputs {
        shift_frequency(output, -residual_hz, symbol_rate_hz);
    }
    let dgd_ps = equalized.dgd_ps(0.5 * symbol_period_ps);
    let mut outputs = equalized.outputs;
    for output in &mut outputs {
        blind_phase_search(output, modulation, &dsp.carrier);
    }
    let aligned = resolve_ambiguities(&outputs, transmitted, modulation, AMBIGUITY_HEADER_SYMBOLS);
    let aligned: Vec<Vec<Complex>> = aligned
        .into_iter()
        .map(|pol| {
            let gain = decision_directed_gain(&pol, modulation);
            pol.iter().map(|y| y / gain).collect()
        })
        .collect();
    let mut measurement = measure(aligned, transmitted, modulation);
    measurement.dgd_estimate_ps = Some(dgd_ps);
    measurement.frequency_offset_estimate_hz = Some(offset_hz);
    measurement
}

/// Blind amplitude normalisation: the least-squares gain of `y` on its own decisions,
/// `g = Σ y·dec(y)* / Σ|dec(y)|²`, iterated from the RMS normalisation (three rounds).
fn decision_directed_gain(symbols: &[Complex], modulation: Modulation) -> Complex {
    let power = symbols.iter().map(|y| y.norm_sqr()).sum::<f64>() / symbols.len().max(1) as f64;
    let mut gain = Complex::new(power.sqrt().max(1e-300), 0.0);
    for _ in 0..3 {
        let (mut cross, mut energy) = (Complex::new(0.0, 0.0), 0.0);
        for y in symbols {
            let d = modulation.decide(y / gain);
            cross += y * d.conj();
            energy += d.norm_sqr();
        }
        gain = cross / energy;
    }
    gain
}

/// Decisions, bit errors, SNR and EVM of equalised symbols against the transmitted ones. The SNR
/// is data-aided per polarisation: `|g|²·Σ|s|² / Σ|y − g·s|²` with the least-squares gain
/// `g = Σ y·s* / Σ|s|²` (g = 1 exactly after zero forcing).
fn measure(
    equalised: Vec<Vec<Complex>>,
    transmitted: &[Vec<Complex>],
    modulation: Modulation,
) -> ChannelMeasurement {
    let k = modulation.bits_per_symbol();
    let (mut signal, mut noise, mut errors, mut bits) = (0.0, 0.0, 0usize, 0usize);
    let mut sent_bits = vec![0u8; k];
    let mut got_bits = vec![0u8; k];
    for (eq, tx) in equalised.iter().zip(transmitted) {
        let energy: f64 = tx.iter().map(|s| s.norm_sqr()).sum();
        let gain: Complex = eq
            .iter()
            .zip(tx)
            .map(|(e, s)| e * s.conj())
            .sum::<Complex>()
            / energy;
        for (e, s) in eq.iter().zip(tx) {
            signal += (gain * s).norm_sqr();
            noise += (e - gain * s).norm_sqr();
            modulation.demap(*s, &mut sent_bits);
            modulation.demap(*e, &mut got_bits);
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
        snr_db: Some(crate::units::linear_to_db(snr)),
        evm_percent: Some(100.0 * (noise / signal).sqrt()),
        bits,
        errors,
        ber: errors as f64 / bits as f64,
        ber_estimate: ber_from_snr(modulation, snr),
        q_db: None,
        constellation: equalised.into_iter().next().unwrap_or_default(),
        eye: Vec::new(),
        dgd_estimate_ps: None,
        frequency_offset_estimate_hz: None,
    }
}
