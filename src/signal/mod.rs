//! Time/frequency grid, optical field, pulse shapes and measurements.
//!
//! Field A(T) in √W (|A|² is power in W), T in ps in the retarded frame. Spectra use rustfft's
//! transform `Ã_k = Σ_j A_j e^{−2πi·jk/N}` (the opposite sign to Agrawal's), in FFT order; the grid
//! converts to centred (fftshifted) order in one place.

pub(crate) mod fft_plans;
mod grid;
mod measure;
mod modulation;
mod pulse;
mod random;
mod shaping;
mod wdm;

pub use grid::{signed_bin, TimeGrid};
pub use measure::{
    centroid_ps, edge_energy_fraction, energy_pj, fwhm_ps, peak_power_w, rms_bandwidth_ghz,
    rms_width_ps, spectral_edge_energy_fraction, spectral_peak_count, spectrum_power,
    OpticalSpectrum, PulseMeasurements,
};
pub use modulation::{prbs, prbs_from, random_bits, Modulation, PRBS_ORDERS};
pub use pulse::{PulseShape, SampledField};
pub use random::{seeded_rng, stream_rng, Stream};
pub use shaping::{root_raised_cosine, rrc_filter, shape_symbols};
pub use wdm::{samples_per_symbol_for, transmit_comb, Comb, CombSpec};

/// Complex field sample, √W.
pub type Complex = num_complex::Complex<f64>;
