//! What a scalar propagation will cost, from its input alone: peak memory and split steps.
//!
//! Memory per sample of the time grid (complex f64 = 16 bytes), measured as the peak resident
//! memory of `fibra propagate` at 2^20 samples over 80 km (`/usr/bin/time -f %M`): fixed steps
//! 146 B (193 B before the local-error and snapshot buffers were sized on first use), local-error
//! 427 B, nonlinear-phase 677 B (its operator cache holds up to 48 operators of 16 B/sample);
//! `--save-field` adds 86 B; charts add the snapshots (|A|² and |Ã|², 16 B each) and about 1,100 B
//! for the figures. An f32 run keeps the f64 plan (spectra, floor) beside its own: 198 B fixed,
//! 518 B local-error (measured the same way), still inside the model. The model below rounds
//! those up. A four-step plan (grids of 2^13…2^16 samples) adds at most 48 B.

use super::four_step::FourStep;
use super::section::FiberSection;
use super::step_control::StepControl;

/// Field, spectrum, plan buffers and measurements, bytes per sample (every step rule).
const BASE_BYTES_PER_SAMPLE: f64 = 200.0;
/// A cached linear operator, bytes per sample.
const OPERATOR_BYTES_PER_SAMPLE: f64 = 16.0;
/// Operators a ladder rule may keep at once (the solver's cache limit).
const CACHED_OPERATORS: f64 = 48.0;
/// The field and spectrum CSV text of `--save-field`, bytes per sample.
const SAVED_FIELD_BYTES_PER_SAMPLE: f64 = 100.0;
/// One snapshot (power and spectrum), bytes per sample.
const SNAPSHOT_BYTES_PER_SAMPLE: f64 = 16.0;
/// Chart figures beyond the snapshots, bytes per sample.
const FIGURE_BYTES_PER_SAMPLE: f64 = 1100.0;

/// Peak memory of a propagation on `samples` points, bytes; `snapshots` when charts are drawn.
pub fn propagation_memory_bytes(
    samples: usize,
    control: StepControl,
    snapshots: Option<usize>,
    save_field: bool,
) -> f64 {
    let n = samples as f64;
    let operators = match control {
        StepControl::Fixed { .. } => 2.0,
        StepControl::NonlinearPhase { .. } | StepControl::LocalError { .. } => CACHED_OPERATORS,
    };
    let mut per_sample = BASE_BYTES_PER_SAMPLE + operators * OPERATOR_BYTES_PER_SAMPLE;
    if FourStep::<f64>::applies(samples) {
        per_sample += FourStep::<f64>::BYTES_PER_SAMPLE as f64;
    }
    if save_field {
        per_sample += SAVED_FIELD_BYTES_PER_SAMPLE;
    }
    if let Some(count) = snapshots {
        per_sample += (count as f64 + 2.0) * SNAPSHOT_BYTES_PER_SAMPLE + FIGURE_BYTES_PER_SAMPLE;
    }
    n * per_sample
}

/// Split steps the rule will take over `sections` for an input of peak power `peak_w`, or `None`
/// when only the run can tell (the local-error method, bounded at run time by the plan's step
/// limit and the step floor). `cap_km` is the longest step allowed (the snapshot spacing).
///
/// Fixed: `Σ ceil(L / min(h, cap))`. Nonlinear phase: `h = φ_max / (γ·P)`, with the input's peak
/// power restored at every amplifier (an upper bound: loss only lowers P within a section), so
/// `Σ ceil(L·γ·P/φ_max)`, and at least one step per cap length.
pub fn propagation_steps(
    sections: &[FiberSection],
    control: StepControl,
    peak_w: f64,
    cap_km: f64,
) -> Option<f64> {
    let per_section = |s: &FiberSection| -> Option<f64> {
        let by_cap = (s.length_km / cap_km).ceil();
        match control {
            StepControl::Fixed { step_km } => Some((s.length_km / step_km).ceil().max(by_cap)),
            StepControl::NonlinearPhase { max_phase_rad } => Some(
                (s.length_km * s.gamma_per_w_km * peak_w / max_phase_rad)
                    .ceil()
                    .max(by_cap)
                    .max(1.0),
            ),
            StepControl::LocalError { .. } => None,
        }
    };
    sections.iter().map(per_section).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span() -> FiberSection {
        crate::propagation::section::test_span_80km()
    }

    #[test]
    fn step_counts_follow_the_rules() {
        let fixed = StepControl::Fixed { step_km: 0.5 };
        assert_eq!(
            propagation_steps(&[span(), span()], fixed, 0.1, f64::INFINITY),
            Some(320.0)
        );
        assert_eq!(propagation_steps(&[span()], fixed, 0.1, 0.1), Some(800.0));
        let tiny = StepControl::Fixed { step_km: 1e-300 };
        assert!(propagation_steps(&[span()], tiny, 0.1, f64::INFINITY).unwrap() > 1e300);
        let phase = StepControl::NonlinearPhase {
            max_phase_rad: 0.01,
        };
        // 80 km × 1.3 /W/km × 0.1 W / 0.01 rad = 1040 steps.
        assert_eq!(
            propagation_steps(&[span()], phase, 0.1, f64::INFINITY),
            Some(1040.0)
        );
        let local = StepControl::LocalError {
            tolerance: 1e-6,
            initial_step_km: 1.0,
        };
        assert_eq!(
            propagation_steps(&[span()], local, 0.1, f64::INFINITY),
            None
        );
    }

    #[test]
    fn memory_grows_with_samples_and_charts() {
        let fixed = StepControl::Fixed { step_km: 1.0 };
        let bare = propagation_memory_bytes(1 << 20, fixed, None, false);
        // Measured: 153 MB peak at 2^20 samples.
        assert!(bare > 153e6 && bare < 300e6, "{bare}");
        let charts = propagation_memory_bytes(1 << 20, fixed, Some(64), true);
        // Measured: 2.41 GB peak with 64 snapshots, charts and the saved field.
        assert!(charts > 2.41e9 && charts < 3.5e9, "{charts}");
    }
}
