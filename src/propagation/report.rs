//! The `fibra propagate --json` document as a typed value, with the checks of the numerical
//! window (energy near the edges of the time or frequency window).

use serde::Serialize;

use super::{Precision, PropagationOutcome};
use crate::signal::{PulseMeasurements, TimeGrid};

/// Energy fraction above which the window edges or the spectrum's outer band are flagged.
pub const EDGE_LIMIT: f64 = 1e-6;

/// A pulse at one end of the fibre: its measurements and the fraction of its spectrum's energy
/// in the outer 5 % of the frequency window.
#[derive(Debug, Clone, PartialEq)]
pub struct PulseEnd {
    /// Time- and frequency-domain measurements.
    pub measures: PulseMeasurements,
    /// Energy fraction of the spectrum in the outer 5 % of the frequency window.
    pub spectral_edge_energy_fraction: f64,
}

impl PulseEnd {
    /// Warnings when the pulse (`which`: input, output) reaches the edges of the time window
    /// (`grid.window_ps` too short, or the pulse wrapped around) or of the frequency window
    /// (`grid.samples` too few): more than [`EDGE_LIMIT`] of its energy in the outer 5 %.
    pub fn window_warnings(&self, which: &str) -> Vec<String> {
        let mut warnings = Vec::new();
        let time_edge = self.measures.edge_energy_fraction;
        if time_edge > EDGE_LIMIT {
            warnings.push(format!(
                "grid.window_ps: {time_edge:.2e} of the {which} energy lies in the outer 5 % of the time window (> 1e-6): widen the window"
            ));
        }
        let spectral_edge = self.spectral_edge_energy_fraction;
        if spectral_edge > EDGE_LIMIT {
            warnings.push(format!(
                "grid.samples: {spectral_edge:.2e} of the {which} spectrum lies in the outer 5 % of the frequency window (> 1e-6): use more samples"
            ));
        }
        warnings
    }
}

/// A propagation's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PropagationReport {
    /// The input pulse.
    pub input: PulseMeasurements,
    /// The output pulse.
    pub output: PulseMeasurements,
    /// Split steps taken.
    pub steps: usize,
    /// Steps rejected (local-error method).
    pub rejected_steps: usize,
    /// FFTs run.
    pub fft_count: u64,
    /// Fibre length, km.
    pub length_km: f64,
    /// `Σ γ·P0·L_eff` over sections, rad.
    pub nonlinear_phase_rad: f64,
    /// The largest nonlinear phase applied, rad.
    pub max_nonlinear_phase_rad: f64,
    /// Wall time of the propagation, ms.
    pub elapsed_ms: f64,
    /// The floor measured after the run on the same grid: one inverse + forward FFT pair, µs
    /// (0 until measured: [`SsfmPlan::fft_pair_floor_us`](super::SsfmPlan::fft_pair_floor_us)).
    pub floor_us_per_fft_pair: f64,
    /// `elapsed_ms / steps` against that floor (null without steps or floor).
    pub step_over_floor: Option<f64>,
    /// The precision the field propagated in (`"f64"` or `"f32"`); the floor is f64's either way.
    pub precision: Precision,
    /// Samples of the grid.
    pub samples: usize,
    /// Time window, ps.
    pub window_ps: f64,
    /// Sample spacing, ps.
    pub dt_ps: f64,
    /// Window warnings (input, then output).
    pub warnings: Vec<String>,
}

impl PropagationReport {
    /// Records the FFT-pair floor (µs) and the step time against it.
    pub fn with_floor(mut self, floor_us_per_fft_pair: f64) -> Self {
        self.floor_us_per_fft_pair = floor_us_per_fft_pair;
        let us_per_step = self.elapsed_ms * 1e3 / self.steps as f64;
        self.step_over_floor = (self.steps > 0 && floor_us_per_fft_pair > 0.0)
            .then(|| us_per_step / floor_us_per_fft_pair);
        self
    }

    /// Records the precision the field propagated in.
    pub fn in_precision(mut self, precision: Precision) -> Self {
        self.precision = precision;
        self
    }

    /// The report of `outcome` over `length_km` on `grid`, from `input` to `output`;
    /// `elapsed_ms` is the caller's wall time of the propagation.
    pub fn new(
        grid: &TimeGrid,
        (input, output): (PulseEnd, PulseEnd),
        outcome: &PropagationOutcome,
        length_km: f64,
        elapsed_ms: f64,
    ) -> Self {
        let mut warnings = input.window_warnings("input");
        warnings.extend(output.window_warnings("output"));
        Self {
            input: input.measures,
            output: output.measures,
            steps: outcome.steps,
            rejected_steps: outcome.rejected_steps,
            fft_count: outcome.fft_count,
            length_km,
            nonlinear_phase_rad: outcome.nonlinear_phase_rad,
            max_nonlinear_phase_rad: outcome.max_nonlinear_phase_rad,
            elapsed_ms,
            floor_us_per_fft_pair: 0.0,
            step_over_floor: None,
            precision: Precision::F64,
            samples: grid.samples,
            window_ps: grid.window_ps(),
            dt_ps: grid.dt_ps,
            warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(time_edge: f64, spectral_edge: f64) -> PulseEnd {
        PulseEnd {
            measures: PulseMeasurements {
                edge_energy_fraction: time_edge,
                ..PulseMeasurements::default()
            },
            spectral_edge_energy_fraction: spectral_edge,
        }
    }

    #[test]
    fn energy_past_the_limit_at_either_edge_is_flagged_with_its_key() {
        assert!(end(EDGE_LIMIT, EDGE_LIMIT)
            .window_warnings("input")
            .is_empty());
        let time = end(2e-6, 0.0).window_warnings("output");
        assert_eq!(time.len(), 1);
        assert!(time[0].starts_with("grid.window_ps: 2.00e-6 of the output energy"));
        let both = end(1e-3, 1e-2).window_warnings("input");
        assert!(both[1].starts_with("grid.samples: 1.00e-2 of the input spectrum"));
    }
}
