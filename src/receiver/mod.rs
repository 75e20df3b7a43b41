//! Detection: noise loading, chromatic-dispersion compensation, coherent demodulation with
//! matched filtering, SNR/EVM and bit-error counting, and the closed-form BER of Gray-coded
//! QPSK and 16-QAM in additive white Gaussian noise.

mod ber;
mod coherent;
mod direct;
mod impairments;

pub use ber::{ber_from_snr, erfc};
pub use coherent::{demodulate, ChannelMeasurement};
pub use direct::{decide_ook, photodetect, OokMeasurement};
pub use impairments::{
    add_white_noise, compensate_dispersion, noise_variance_for_osnr, select_channel,
};
