//! How the solver chooses its step sizes, and when it gives up.

use std::fmt;

use crate::display::format_number;

/// Steps (accepted and rejected) a propagation may take unless its plan says otherwise
/// ([`SsfmPlan::set_step_limit`](super::SsfmPlan::set_step_limit)).
pub const DEFAULT_STEP_LIMIT: usize = 100_000_000;

/// Smallest fine step of the local-error method, as a fraction of the section length: below it
/// the tolerance is out of reach (round-off dominates the local error) and the run stops.
pub const STEP_FLOOR_FRACTION: f64 = 1e-9;

/// Why a propagation stopped before the end of the fibre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stop {
    /// The step budget was used up.
    StepLimit {
        /// Steps taken (accepted and rejected).
        steps: usize,
        /// Position reached, km from the section start.
        z_km: f64,
    },
    /// The local-error method needed a step below [`STEP_FLOOR_FRACTION`] of the section.
    StepFloor {
        /// Position reached, km from the section start.
        z_km: f64,
        /// The step that still missed the tolerance, km.
        step_km: f64,
        /// The tolerance asked for.
        tolerance: f64,
    },
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Stop::StepLimit { steps, z_km } => write!(
                f,
                "stopped after {steps} steps at km {} of a section: the step budget is used up (raise it with --max-steps, or use a longer step, a larger max_phase_rad or tolerance)",
                format_number(z_km, 3)
            ),
            Stop::StepFloor {
                z_km,
                step_km,
                tolerance,
            } => write!(
                f,
                "stopped at km {} of a section: a step of {} km still misses the local-error tolerance {} (below the floor of the method; round-off limits the local error to about 1e-15): raise the tolerance",
                format_number(z_km, 3),
                format_number(step_km, 3),
                format_number(tolerance, 3)
            ),
        }
    }
}

/// Step-size control, one rule set for the scalar solver ([`propagate`](super::propagate), `fibra
/// propagate`) and the dual-polarisation one ([`propagate_manakov`](super::propagate_manakov),
/// `fibra simulate`). Each solver reads `NonlinearPhase` in its own way: the scalar solver adapts
/// h every step to the previous step's peak power; the Manakov solver takes equal steps per fibre
/// piece sized by the peak of `|Ax|² + |Ay|²` at the piece's input with `(8/9)·γ`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StepControl {
    /// Uniform steps of at most `step_km`: each section of length L takes `ceil(L/step)` equal steps,
    /// so the last one lands exactly on the section's end.
    Fixed { step_km: f64 },
    /// Nonlinear-phase-rotation criterion: `h = φ_max/(γ·P_peak)`, P_peak the peak power of the
    /// previous step (the input's for the first), capped by the distance left. Steps are rounded
    /// down to a ladder `L·2^{−k/8}` (L the section length) so their linear operators can be reused.
    NonlinearPhase { max_phase_rad: f64 },
    /// Local-error method (Sinkin et al., J. Lightwave Technol. 21, 61 (2003)): a coarse step 2h is
    /// compared with two fine steps h; the relative difference δ decides: δ > 2·tol: reject and halve
    /// h; tol < δ ≤ 2·tol: accept and divide h by 2^{1/3}; δ < tol/2: accept and multiply h by
    /// 2^{1/3}; otherwise accept and keep h. The accepted field is the local extrapolation
    /// `(4u_fine − u_coarse)/3`.
    LocalError {
        tolerance: f64,
        initial_step_km: f64,
    },
}

/// What to do with a trial step of the local-error method.
pub(super) enum Judgement {
    /// Accept it and go on.
    Accept,
    /// Reject it and try a smaller one.
    Reject,
    /// Stop the propagation.
    Stop(Stop),
}

/// Judges a trial step (fine size `h_km` at `z_km`, local error `delta`) after `taken` steps
/// (accepted and rejected) of a budget of `limit`.
pub(super) fn judge_step(
    ladder: &mut LocalErrorLadder,
    delta: f64,
    h_km: f64,
    z_km: f64,
    taken: usize,
    limit: usize,
) -> Judgement {
    if taken >= limit {
        return Judgement::Stop(Stop::StepLimit { steps: taken, z_km });
    }
    match ladder.accept(delta, h_km, z_km) {
        Ok(true) => Judgement::Accept,
        Ok(false) => Judgement::Reject,
        Err(stop) => Judgement::Stop(stop),
    }
}

/// The step ladder and acceptance rule of [`StepControl::LocalError`] for one section: steps
/// `h0·2^{k/3}` (rung k), the last one cut to land on the section's end.
pub(super) struct LocalErrorLadder {
    initial_step_km: f64,
    tolerance: f64,
    length_km: f64,
    /// Largest fine step on the ladder, km (the section, or half a cap on accepted steps).
    max_fine_km: f64,
    rung: i32,
}

impl LocalErrorLadder {
    pub(super) fn new(tolerance: f64, initial_step_km: f64, length_km: f64) -> Self {
        Self {
            initial_step_km,
            tolerance,
            length_km,
            max_fine_km: length_km,
            rung: 0,
        }
        .capped(f64::INFINITY)
    }

    /// Limits accepted steps (2h) to `cap_km`.
    pub(super) fn capped(mut self, cap_km: f64) -> Self {
        self.max_fine_km = self.length_km.min(0.5 * cap_km);
        self.keep_within();
        self
    }

    fn keep_within(&mut self) {
        while self.initial_step_km * (self.rung as f64 / 3.0).exp2() > self.max_fine_km {
            self.rung -= 1;
        }
    }

    /// The fine step h (the coarse one is 2h) for a step starting at `z_km`, and whether it
    /// reaches the section's end.
    pub(super) fn next_fine_step(&self, z_km: f64) -> (f64, bool) {
        let remaining = self.length_km - z_km;
        let ladder_h = self.initial_step_km * (self.rung as f64 / 3.0).exp2();
        if 2.0 * ladder_h >= remaining * (1.0 - 1e-12) {
            (0.5 * remaining, true)
        } else {
            (ladder_h, false)
        }
    }

    /// Judges a step of fine size `h_km` starting at `z_km` with relative local error `delta`:
    /// `Ok(false)` = reject (the rung drops by 3, h halves); `Ok(true)` = accept (and adapt the
    /// rung for the next step); `Err` when a step at the floor still misses the tolerance (or the
    /// error is not a number).
    pub(super) fn accept(&mut self, delta: f64, h_km: f64, z_km: f64) -> Result<bool, Stop> {
        let within_twice_the_tolerance = delta <= 2.0 * self.tolerance;
        if !within_twice_the_tolerance {
            if h_km <= self.length_km * STEP_FLOOR_FRACTION || delta.is_nan() {
                return Err(Stop::StepFloor {
                    z_km,
                    step_km: h_km,
                    tolerance: self.tolerance,
                });
            }
            self.rung -= 3;
            return Ok(false);
        }
        if delta > self.tolerance {
            self.rung -= 1;
        } else if delta < 0.5 * self.tolerance {
            self.rung += 1;
        }
        self.keep_within();
        Ok(true)
    }
}
