//! The plans of a propagation of f64 fields in a chosen precision ([`Precision`]): the f64 plan
//! always, and for f32 the f32 plan the fields propagate on with their f32 copies — the scalar
//! solver and the Manakov pieces of a waveform simulation both go through here.

use std::time::Duration;

use super::manakov::{propagate_manakov, ManakovOutcome};
use super::plan::SsfmPlan;
use super::real::{narrow, narrow_into, widen_into, ComplexOf, Precision};
use super::section::FiberSection;
use super::solver::{propagate, PropagationOutcome, Snapshots};
use super::step_control::StepControl;
use crate::signal::{Complex, TimeGrid};

/// The f32 side: its plan and the two fields rounded to f32, kept between runs so that a
/// Manakov piece allocates nothing.
struct Single {
    plan: SsfmPlan<f32>,
    x: Vec<ComplexOf<f32>>,
    y: Vec<ComplexOf<f32>>,
}

/// Both plans, made here before a run (so a run's wall time is its steps').
pub struct PrecisionPlans {
    /// The f64 plan: it propagates f64 runs, and serves the spectra, the PMD sections and the
    /// floor measured around any run.
    pub double: SsfmPlan,
    single: Option<Single>,
}

impl PrecisionPlans {
    /// The plans for `grid` in `precision`.
    pub fn new(grid: TimeGrid, precision: Precision) -> Self {
        Self {
            double: SsfmPlan::new(grid),
            single: (precision == Precision::F32).then(|| Single {
                plan: SsfmPlan::in_precision(grid),
                x: Vec::new(),
                y: Vec::new(),
            }),
        }
    }

    /// The precision the fields propagate in.
    pub fn precision(&self) -> Precision {
        if self.single.is_some() {
            Precision::F32
        } else {
            Precision::F64
        }
    }

    /// The step budget of one propagation (both plans).
    pub fn set_step_limit(&mut self, steps: usize) {
        self.double.set_step_limit(steps);
        if let Some(single) = &mut self.single {
            single.plan.set_step_limit(steps);
        }
    }

    /// Wall time of the counted FFTs of both plans so far.
    pub fn fft_time(&self) -> Duration {
        self.double.fft_time()
            + self
                .single
                .as_ref()
                .map_or(Duration::ZERO, |s| s.plan.fft_time())
    }

    /// [`propagate`] of the f64 `field` in this precision: for f32 the field is rounded on the
    /// way in and widened back on the way out (the outcome is f64 either way).
    pub fn propagate(
        &mut self,
        sections: &[FiberSection],
        field: Vec<Complex>,
        control: StepControl,
        progress: &mut dyn FnMut(f64),
        snapshots: Option<&mut Snapshots>,
    ) -> PropagationOutcome {
        let Some(single) = &mut self.single else {
            return propagate(
                &mut self.double,
                sections,
                field,
                control,
                progress,
                snapshots,
            );
        };
        let outcome = propagate(
            &mut single.plan,
            sections,
            narrow(&field),
            control,
            progress,
            snapshots,
        );
        let mut wide = field;
        widen_into(&outcome.field, &mut wide);
        PropagationOutcome {
            field: wide,
            steps: outcome.steps,
            rejected_steps: outcome.rejected_steps,
            fft_count: outcome.fft_count,
            nonlinear_phase_rad: outcome.nonlinear_phase_rad,
            max_nonlinear_phase_rad: outcome.max_nonlinear_phase_rad,
            stopped: outcome.stopped,
        }
    }

    /// [`propagate_manakov`] of the f64 fields `x`, `y` in this precision (for f32: rounded in,
    /// widened back out).
    pub fn propagate_manakov(
        &mut self,
        section: &FiberSection,
        (x, y): (&mut [Complex], &mut [Complex]),
        control: StepControl,
        progress: &mut dyn FnMut(f64),
    ) -> ManakovOutcome {
        let Some(single) = &mut self.single else {
            return propagate_manakov(&mut self.double, section, x, y, control, progress);
        };
        narrow_into(x, &mut single.x);
        narrow_into(y, &mut single.y);
        let outcome = propagate_manakov(
            &mut single.plan,
            section,
            &mut single.x,
            &mut single.y,
            control,
            progress,
        );
        widen_into(&single.x, x);
        widen_into(&single.y, y);
        outcome
    }
}
