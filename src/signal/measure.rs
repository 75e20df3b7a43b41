//! Measurements on a sampled field and its spectrum.

use serde::Serialize;

use super::{Complex, TimeGrid};

/// An optical spectrum as an optical spectrum analyser shows it: the power of all polarisations
/// in consecutive resolution bins, dBm per bin.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OpticalSpectrum {
    /// Centre of each bin: physical offset from the carrier, GHz, increasing.
    pub frequency_ghz: Vec<f64>,
    /// Power in each bin, dBm (all polarisations).
    pub power_dbm: Vec<f64>,
    /// Resolution bandwidth actually used (a whole number of FFT bins), GHz.
    pub resolution_ghz: f64,
}

impl OpticalSpectrum {
    /// The spectrum of `polarisations` (time domain, √W) on `grid` at about `resolution_ghz`:
    /// FFT bin k holds the power `|Ã_k|²/N²` (Parseval: the bins sum to the mean power), summed
    /// over polarisations and over the FFT bins of each resolution bin, physical frequency axis
    /// ([`TimeGrid::frequencies_ghz`]).
    pub fn of(polarisations: &[Vec<Complex>], grid: &TimeGrid, resolution_ghz: f64) -> Self {
        let n = grid.samples;
        let fft = crate::signal::fft_plans::forward(n);
        let mut power = vec![0.0; n];
        for field in polarisations {
            let mut spectrum = field.clone();
            fft.process(&mut spectrum);
            let scale = 1.0 / (n as f64 * n as f64);
            for (p, a) in power.iter_mut().zip(&spectrum) {
                *p += a.norm_sqr() * scale;
            }
        }
        let frequencies = grid.frequencies_ghz();
        let bin_ghz = 1e3 / (n as f64 * grid.dt_ps);
        let per_bin = ((resolution_ghz / bin_ghz).round() as usize).clamp(1, n);
        let centerd: Vec<usize> = (0..n).map(|i| grid.shifted_index(i)).collect();
        let mut out = Self {
            resolution_ghz: per_bin as f64 * bin_ghz,
            ..Self::default()
        };
        for group in centerd.chunks_exact(per_bin) {
            let watts: f64 = group.iter().map(|&k| power[k]).sum();
            let center = group.iter().map(|&k| frequencies[k]).sum::<f64>() / per_bin as f64;
            out.frequency_ghz.push(center);
            out.power_dbm
                .push(crate::units::watt_to_dbm(watts.max(1e-30)));
        }
        out
    }
}

impl OpticalSpectrum {
    /// OSNR in 0.1 nm of the channel centred at `centre_ghz`, read off the spectrum as an optical
    /// spectrum analyser does it (the interpolation method of IEC 61280-2-9): the noise density
    /// is the mean of the bins around each midpoint to the neighbouring slots (`centre ±
    /// spacing/2`; within ±max(resolution, (spacing − band)/4), half the gap between the channels'
    /// bands), interpolated linearly to the centre; the signal is the power of the
    /// bins within `centre ± band/2` less that noise over the same bins. `None` when a midpoint
    /// lies outside the spectrum. Noise that fills the gaps between channels (NLI) is counted as
    /// noise, as on a real instrument.
    pub fn interpolated_osnr_db(
        &self,
        center_ghz: f64,
        spacing_ghz: f64,
        band_ghz: f64,
    ) -> Option<f64> {
        let window_ghz = self.resolution_ghz.max(0.25 * (spacing_ghz - band_ghz));
        let density_at = |f_ghz: f64| -> Option<f64> {
            let watts: Vec<f64> = self
                .frequency_ghz
                .iter()
                .zip(&self.power_dbm)
                .filter(|(f, _)| (**f - f_ghz).abs() <= window_ghz)
                .map(|(_, p)| crate::units::dbm_to_watt(*p))
                .collect();
            (!watts.is_empty())
                .then(|| watts.iter().sum::<f64>() / watts.len() as f64 / self.resolution_ghz)
        };
        let lowest = *self.frequency_ghz.first()?;
        let highest = *self.frequency_ghz.last()?;
        let (low, high) = (
            center_ghz - 0.5 * spacing_ghz,
            center_ghz + 0.5 * spacing_ghz,
        );
        if low < lowest || high > highest {
            return None;
        }
        let noise_w_per_ghz = 0.5 * (density_at(low)? + density_at(high)?);
        let in_band: Vec<f64> = self
            .frequency_ghz
            .iter()
            .zip(&self.power_dbm)
            .filter(|(f, _)| (**f - center_ghz).abs() <= 0.5 * band_ghz)
            .map(|(_, p)| crate::units::dbm_to_watt(*p))
            .collect();
        let noise_in_band = noise_w_per_ghz * self.resolution_ghz * in_band.len() as f64;
        let signal_w = in_band.iter().sum::<f64>() - noise_in_band;
        let reference_ghz = crate::units::hz_to_ghz(crate::units::OSNR_REFERENCE_BANDWIDTH_HZ);
        (signal_w > 0.0 && noise_w_per_ghz > 0.0)
            .then(|| crate::units::linear_to_db(signal_w / (noise_w_per_ghz * reference_ghz)))
    }
}

/// Pulse energy, pJ: `E = Σ|A|²·dt` (W·ps).
pub fn energy_pj(field: &[Complex], grid: &TimeGrid) -> f64 {
    field.iter().map(|a| a.norm_sqr()).sum::<f64>() * grid.dt_ps
}

/// Peak power, W.
pub fn peak_power_w(field: &[Complex]) -> f64 {
    field.iter().map(|a| a.norm_sqr()).fold(0.0, f64::max)
}

/// Intensity-weighted mean time, ps: `⟨T⟩ = Σ T|A|² / Σ|A|²`.
pub fn centroid_ps(field: &[Complex], grid: &TimeGrid) -> f64 {
    let (weighted, total) = grid
        .times_ps()
        .iter()
        .zip(field)
        .fold((0.0, 0.0), |(w, s), (t, a)| {
            (w + t * a.norm_sqr(), s + a.norm_sqr())
        });
    weighted / total
}

/// RMS width, ps: `σ = √(⟨T²⟩ − ⟨T⟩²)` (Agrawal eq. 3.2.26).
pub fn rms_width_ps(field: &[Complex], grid: &TimeGrid) -> f64 {
    let times = grid.times_ps();
    let total: f64 = field.iter().map(|a| a.norm_sqr()).sum();
    let mean = times
        .iter()
        .zip(field)
        .map(|(t, a)| t * a.norm_sqr())
        .sum::<f64>()
        / total;
    let var = times
        .iter()
        .zip(field)
        .map(|(t, a)| (t - mean).powi(2) * a.norm_sqr())
        .sum::<f64>()
        / total;
    var.sqrt()
}

/// Full width at half maximum, ps: between the outermost half-maximum crossings, linearly
/// interpolated between samples.
pub fn fwhm_ps(field: &[Complex], grid: &TimeGrid) -> f64 {
    let power: Vec<f64> = field.iter().map(|a| a.norm_sqr()).collect();
    let half = 0.5 * power.iter().cloned().fold(0.0, f64::max);
    let (Some(first), Some(last)) = (
        power.iter().position(|&p| p >= half),
        power.iter().rposition(|&p| p >= half),
    ) else {
        return 0.0;
    };
    let left = if first == 0 {
        0.0
    } else {
        let (p0, p1) = (power[first - 1], power[first]);
        (first - 1) as f64 + (half - p0) / (p1 - p0)
    };
    let right = if last + 1 >= power.len() {
        last as f64
    } else {
        let (p0, p1) = (power[last], power[last + 1]);
        last as f64 + (p0 - half) / (p0 - p1)
    };
    (right - left) * grid.dt_ps
}

/// Power spectrum `|Ã_k|²` in FFT order (arbitrary but consistent units).
pub fn spectrum_power(spectrum: &[Complex]) -> Vec<f64> {
    spectrum.iter().map(|a| a.norm_sqr()).collect()
}

/// RMS spectral width, GHz: `√(⟨f²⟩ − ⟨f⟩²)` weighted by `|Ã(f)|²`.
pub fn rms_bandwidth_ghz(spectrum: &[Complex], grid: &TimeGrid) -> f64 {
    let f = grid.frequencies_ghz();
    let total: f64 = spectrum.iter().map(|a| a.norm_sqr()).sum();
    let mean = f
        .iter()
        .zip(spectrum)
        .map(|(f, a)| f * a.norm_sqr())
        .sum::<f64>()
        / total;
    let var = f
        .iter()
        .zip(spectrum)
        .map(|(f, a)| (f - mean).powi(2) * a.norm_sqr())
        .sum::<f64>()
        / total;
    var.sqrt()
}

/// Number of local maxima of the power spectrum above `relative_threshold` of its peak, counted in
/// centred frequency order (the SPM peak count of Agrawal §4.1.3).
pub fn spectral_peak_count(
    spectrum: &[Complex],
    grid: &TimeGrid,
    relative_threshold: f64,
) -> usize {
    let n = spectrum.len();
    let centerd: Vec<f64> = (0..n)
        .map(|i| spectrum[grid.shifted_index(i)].norm_sqr())
        .collect();
    let floor = relative_threshold * centerd.iter().cloned().fold(0.0, f64::max);
    (1..n.saturating_sub(1))
        .filter(|&i| {
            centerd[i] > floor && centerd[i] > centerd[i - 1] && centerd[i] >= centerd[i + 1]
        })
        .count()
}

/// Fraction of the energy within the outer 2.5 % of the time window on each side.
pub fn edge_energy_fraction(field: &[Complex]) -> f64 {
    outer_fraction(field.iter().map(|a| a.norm_sqr()).collect())
}

/// Fraction of the spectral energy within the outer 2.5 % of the frequency window on each side
/// (next to ±Nyquist), i.e. the outer 5 % of the frequency window.
pub fn spectral_edge_energy_fraction(spectrum: &[Complex], grid: &TimeGrid) -> f64 {
    let n = spectrum.len();
    outer_fraction(
        (0..n)
            .map(|i| spectrum[grid.shifted_index(i)].norm_sqr())
            .collect(),
    )
}

fn outer_fraction(power: Vec<f64>) -> f64 {
    let n = power.len();
    let edge = (n as f64 * 0.025).ceil() as usize;
    let total: f64 = power.iter().sum();
    if total == 0.0 {
        return 0.0;
    }
    let outer: f64 = power[..edge].iter().sum::<f64>() + power[n - edge..].iter().sum::<f64>();
    outer / total
}

/// The measurements reported for a pulse (the `input`/`output` objects of `propagate --json`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct PulseMeasurements {
    /// Energy, pJ.
    pub energy_pj: f64,
    /// Peak power, W.
    pub peak_power_w: f64,
    /// Full width at half maximum, ps.
    pub fwhm_ps: f64,
    /// RMS width, ps.
    pub rms_width_ps: f64,
    /// Centroid, ps.
    pub centroid_ps: f64,
    /// RMS spectral width, GHz.
    pub rms_bandwidth_ghz: f64,
    /// Fraction of the energy in the outer 5 % of the time window.
    pub edge_energy_fraction: f64,
}

impl PulseMeasurements {
    /// Measures a field given with its spectrum (rustfft forward transform of the field).
    pub fn of(field: &[Complex], spectrum: &[Complex], grid: &TimeGrid) -> Self {
        Self {
            energy_pj: energy_pj(field, grid),
            peak_power_w: peak_power_w(field),
            fwhm_ps: fwhm_ps(field, grid),
            rms_width_ps: rms_width_ps(field, grid),
            centroid_ps: centroid_ps(field, grid),
            rms_bandwidth_ghz: rms_bandwidth_ghz(spectrum, grid),
            edge_energy_fraction: edge_energy_fraction(field),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::PulseShape;

    #[test]
    fn gaussian_measurements_match_closed_forms() {
        // Gaussian exp(−T²/(2T0²)): |A|² has σ = T0/√2, FWHM = 2√(ln 2)·T0, E = √π·T0·P0.
        let grid = TimeGrid {
            samples: 4096,
            dt_ps: 0.05,
        };
        let field = PulseShape::Gaussian {
            t0_ps: 5.0,
            chirp: 0.0,
        }
        .sample(&grid, Some(2.0));
        assert!((rms_width_ps(&field, &grid) - 5.0 / 2f64.sqrt()).abs() < 1e-9);
        assert!((fwhm_ps(&field, &grid) / (2.0 * 2f64.ln().sqrt() * 5.0) - 1.0).abs() < 1e-4);
        assert!((energy_pj(&field, &grid) - std::f64::consts::PI.sqrt() * 5.0 * 2.0).abs() < 1e-9);
        assert!(centroid_ps(&field, &grid).abs() < 1e-12);
        assert!(edge_energy_fraction(&field) < 1e-30);
    }

    #[test]
    fn optical_spectrum_puts_a_tone_at_its_physical_frequency_with_its_power() {
        // 1 mW at +25 GHz (Agrawal: A = √P·e^{−i2πfT}) plus 0.1 mW at −50 GHz in the other
        // polarisation; 4096 samples of 1 ps: 0.244 GHz bins, grouped by ~2.5 GHz.
        let grid = TimeGrid {
            samples: 4096,
            dt_ps: 1.0,
        };
        let bin_ghz = 1e3 / 4096.0;
        let tone = |power_w: f64, f_ghz: f64| -> Vec<Complex> {
            let f = (f_ghz / bin_ghz).round() * bin_ghz * 1e-3;
            grid.times_ps()
                .iter()
                .map(|t| Complex::from_polar(power_w.sqrt(), -2.0 * std::f64::consts::PI * f * t))
                .collect()
        };
        let spectrum = OpticalSpectrum::of(&[tone(1e-3, 25.0), tone(1e-4, -50.0)], &grid, 2.5);
        assert!((spectrum.resolution_ghz - 10.0 * bin_ghz).abs() < 1e-12);
        let peak = |lo: f64, hi: f64| {
            spectrum
                .frequency_ghz
                .iter()
                .zip(&spectrum.power_dbm)
                .filter(|(f, _)| **f > lo && **f < hi)
                .map(|(_, p)| *p)
                .fold(f64::NEG_INFINITY, f64::max)
        };
        assert!(
            (peak(20.0, 30.0) - 0.0).abs() < 1e-9,
            "{}",
            peak(20.0, 30.0)
        );
        assert!((peak(-55.0, -45.0) + 10.0).abs() < 1e-9);
        assert!(peak(-20.0, 10.0) < -200.0, "nothing elsewhere");
        assert!(spectrum.frequency_ghz.windows(2).all(|w| w[1] > w[0]));
    }

    #[test]
    fn interpolated_osnr_reads_a_tone_over_a_white_floor() {
        // A 1 mW tone at 0 GHz over white noise of 1 µW per 12.5 GHz: OSNR 30 dB. The floor is
        // averaged over ±10 GHz around ±25 GHz (about 1,300 FFT bins: ±0.12 dB at 1σ).
        let grid = TimeGrid {
            samples: 1 << 16,
            dt_ps: 1.0,
        };
        let noise_variance = 1e-6 / 12.5e9 * 1e12; // PSD × sampling rate (1 THz)
        let mut field = vec![Complex::new(1e-3f64.sqrt(), 0.0); grid.samples];
        crate::receiver::add_white_noise(
            &mut field,
            noise_variance,
            &mut crate::signal::seeded_rng(9),
        );
        let spectrum = OpticalSpectrum::of(&[field], &grid, 2.5);
        let osnr = spectrum.interpolated_osnr_db(0.0, 50.0, 10.0).unwrap();
        println!("OSNR read off the spectrum: {osnr:.3} dB");
        assert!((osnr - 30.0).abs() < 0.3, "{osnr}");
        // A midpoint beyond the simulated band cannot be read.
        assert!(spectrum.interpolated_osnr_db(480.0, 50.0, 10.0).is_none());
    }
}
