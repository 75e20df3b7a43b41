//! A WDM comb of independently modulated, RRC-shaped channels in two polarisations.

use std::f64::consts::PI;

use super::modulation::prbs_from;
use super::{random_bits, shape_symbols, stream_rng, Complex, Modulation, Stream};
use rand::RngCore;

/// What a comb transmits.
#[derive(Debug, Clone, PartialEq)]
pub struct CombSpec {
    /// Modulation format of every channel.
    pub modulation: Modulation,
    /// Number of channels.
    pub channels: usize,
    /// Channel spacing, Hz.
    pub spacing_hz: f64,
    /// Symbol rate, Hz.
    pub symbol_rate_hz: f64,
    /// RRC roll-off.
    pub roll_off: f64,
    /// Symbols per channel.
    pub symbols: usize,
    /// Seed of every random stream (see [`Stream`](super::Stream): bits per channel and
    /// polarisation).
    pub seed: u64,
    /// PRBS order instead of random bits: channel c, polarisation p send PRBS(2^order − 1) from
    /// a register state drawn from its bit stream (a delayed copy each).
    pub prbs_order: Option<u32>,
    /// Per-channel launch power (both polarisations together), W.
    pub channel_power_w: f64,
    /// Samples per symbol; `None` = the smallest integer covering the comb with a 25 % guard band.
    pub samples_per_symbol: Option<usize>,
}

/// The transmitted comb.
#[derive(Debug, Clone, PartialEq)]
pub struct Comb {
    /// Field of each polarisation (one for OOK), √W, sampled at `samples_per_symbol · Rs`.
    pub fields: Vec<Vec<Complex>>,
    /// Sent symbols `[channel][polarisation][symbol]`.
    pub symbols: Vec<Vec<Vec<Complex>>>,
    /// Frequency offset of each channel from the comb centre, Hz (on the FFT grid).
    pub offsets_hz: Vec<f64>,
    /// Samples per symbol.
    pub samples_per_symbol: usize,
    /// Sample spacing, ps.
    pub dt_ps: f64,
}

/// Smallest samples-per-symbol whose sampling rate covers the comb plus a 25 % guard band.
pub fn samples_per_symbol_for(channels: usize, spacing_hz: f64, symbol_rate_hz: f64) -> usize {
    let bandwidth = (channels as f64 - 1.0) * spacing_hz + symbol_rate_hz;
    ((1.25 * bandwidth / symbol_rate_hz).ceil() as usize).max(2)
}

/// Generates the comb: each channel's symbols, RRC-shaped, scaled to its power and shifted to its
/// frequency (rounded to the FFT grid, i.e. to a multiple of Rs/symbols, so the field is periodic).
/// Channel c (frequency order) sits at the physical offset `(c − (n−1)/2)·spacing`, i.e. it is
/// multiplied by `e^{−i2π·offset·t}` (Agrawal's convention, see [`crate::signal::TimeGrid`]).
pub fn transmit_comb(spec: &CombSpec) -> Comb {
    let sps = spec.samples_per_symbol.unwrap_or_else(|| {
        samples_per_symbol_for(spec.channels, spec.spacing_hz, spec.symbol_rate_hz)
    });
    let n = spec.symbols * sps;
    let fs = spec.symbol_rate_hz * sps as f64;
    let bin_hz = fs / n as f64;
    let pols = spec.modulation.polarisations();
    let k = spec.modulation.bits_per_symbol();
    let mut fields = vec![vec![Complex::new(0.0, 0.0); n]; pols];
    let mut symbols = Vec::new();
    let mut offsets_hz = Vec::new();
    let half = (spec.channels as f64 - 1.0) / 2.0;
    for c in 0..spec.channels {
        let offset = ((c as f64 - half) * spec.spacing_hz / bin_hz).round() * bin_hz;
        offsets_hz.push(offset);
        let mut channel_symbols = Vec::new();
        for (p, field) in fields.iter_mut().enumerate() {
            let mut rng = stream_rng(
                spec.seed,
                Stream::Bits {
                    channel: c,
                    polarisation: p,
                },
            );
            let count = spec.symbols * k;
            let bits = match spec.prbs_order {
                Some(order) => prbs_from(order, count, rng.next_u32())
                    .expect("PRBS order validated by the caller"),
                None => random_bits(&mut rng, count),
            };
            let s: Vec<Complex> = bits.chunks(k).map(|b| spec.modulation.map(b)).collect();
            let mut shaped = shape_symbols(&s, sps, spec.roll_off);
            if spec.modulation == Modulation::OokRz {
                // 50 % RZ carver: field × √2·|cos(π·Rs·t)| (peaks at the symbol centres, mean
                // power kept).
                for (j, v) in shaped.iter_mut().enumerate() {
                    *v *= std::f64::consts::SQRT_2 * (PI * j as f64 / sps as f64).cos().abs();
                }
            }
            let amplitude = (spec.channel_power_w / pols as f64).sqrt();
            for (j, (out, v)) in field.iter_mut().zip(&shaped).enumerate() {
                let t = j as f64 / fs;
                *out += v * amplitude * Complex::from_polar(1.0, -2.0 * PI * offset * t);
            }
            channel_symbols.push(s);
        }
        symbols.push(channel_symbols);
    }
    Comb {
        fields,
        symbols,
        offsets_hz,
        samples_per_symbol: sps,
        dt_ps: crate::units::rate_hz_to_period_ps(fs),
    }
}
