//! Detection: noise loading, chromatic-dispersion compensation, coherent demodulation with
//! matched filtering, SNR/EVM and bit-error counting, and the closed-form BER of Gray-coded
//! QPSK and 16-QAM in additive white Gaussian noise.

mod ber;
mod carrier;
mod coherent;
mod direct;
mod equalizer;
mod impairments;
mod preamplified;

pub use ber::{ber_from_snr, erfc};
pub use carrier::{
    blind_phase_search, estimate_frequency_offset, resolve_ambiguities, CarrierRecoverySettings,
};
pub use coherent::{
    demodulate, demodulate_blind, BlindDsp, ChannelMeasurement, AMBIGUITY_HEADER_SYMBOLS,
};
pub use direct::{best_threshold, decide_ook, photodetect, OokMeasurement};
pub use equalizer::{equalize_blind, matched_filter_two_per_symbol, Equalized, EqualizerSettings};
pub use impairments::{
    add_laser_phase_noise, add_white_noise, compensate_dispersion, noise_variance_for_osnr,
    select_channel, shift_frequency,
};
pub use preamplified::{photons_per_one_at_osnr, preamplified_ber, preamplified_ber_at};
