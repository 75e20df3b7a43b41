//! Dual-polarisation propagation: the Manakov equation (polarisation averaged over fast random
//! birefringence, Marcuse, Menyuk & Wai, J. Lightwave Technol. 15(9), 1997):
//! `∂A/∂z = −(α/2)A − i(β2/2)∂²A/∂T² + (β3/6)∂³A/∂T³ + i(8/9)γ(|Ax|² + |Ay|²)A`, A = (Ax, Ay),
//! by the same symmetric split step as the scalar solver (one FFT pair per polarisation per step).

use super::modes::{Modes, Two};
use super::plan::SsfmPlan;
use super::real::{settle_energy, ComplexOf, Real};
use super::section::FiberSection;
use super::solver::{run_four_step, run_local_error, run_merged, StepObserver, StepTally};
use super::step_control::{LocalErrorLadder, StepControl, Stop};

/// How a dual-polarisation section is stepped, resolved from a [`StepControl`].
#[derive(Debug, Clone, Copy, PartialEq)]
enum ManakovSteps {
    /// This many equal steps.
    Equal(usize),
    /// Sinkin's local-error method on both polarisations together: the relative error is taken
    /// over the two polarisations' spectra.
    LocalError {
        /// Relative local error per step.
        tolerance: f64,
        /// First trial step, km.
        initial_step_km: f64,
    },
}

impl ManakovSteps {
    /// The rule for `section` with the field `(x, y)` entering it:
    /// - [`StepControl::Fixed`]: `ceil(L/step_km)` equal steps;
    /// - [`StepControl::NonlinearPhase`]: equal steps of `h = φ_max/((8/9)·γ·P_peak)`, `P_peak`
    ///   the peak of `|Ax|² + |Ay|²` at the section's input (at most 10⁶ steps);
    /// - [`StepControl::LocalError`]: Sinkin's method, the first trial step at most the section.
    fn resolve<R: Real>(
        control: StepControl,
        section: &FiberSection,
        x: &[ComplexOf<R>],
        y: &[ComplexOf<R>],
    ) -> Self {
        match control {
            StepControl::Fixed { step_km } => {
                Self::Equal((section.length_km / step_km - 1e-9).ceil().max(1.0) as usize)
            }
            StepControl::NonlinearPhase { max_phase_rad } => {
                let peak = x
                    .iter()
                    .zip(y)
                    .map(|(a, b)| (a.norm_sqr() + b.norm_sqr()).wide())
                    .fold(0.0, f64::max);
                let h = max_phase_rad / (8.0 / 9.0 * section.gamma_per_w_km * peak).max(1e-30);
                Self::Equal((section.length_km / h).ceil().clamp(1.0, 1e6) as usize)
            }
            StepControl::LocalError {
                tolerance,
                initial_step_km,
            } => Self::LocalError {
                tolerance,
                initial_step_km: initial_step_km.min(section.length_km),
            },
        }
    }
}

/// What a dual-polarisation propagation did.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ManakovOutcome {
    /// Accepted steps.
    pub steps: usize,
    /// Rejected steps (local-error method).
    pub rejected_steps: usize,
    /// FFTs run.
    pub fft_count: u64,
    /// Why the section stopped before its end (`None`: it reached the end).
    pub stopped: Option<Stop>,
}

/// Progress of one dual-polarisation section, as the fraction of it done.
struct Progress<'a> {
    progress: &'a mut dyn FnMut(f64),
    length_km: f64,
}

impl Progress<'_> {
    /// Reports the fraction done once a step ends at `z_km`.
    fn progressed(&mut self, z_km: f64) {
        (self.progress)(z_km / self.length_km);
    }
}

impl<R: Real> StepObserver<Two<'_, R>> for Progress<'_> {
    fn after_step(&mut self, z_km: f64) {
        self.progressed(z_km);
    }
}

/// Propagates both polarisations (time domain in and out) through one section with the given step
/// rule (a [`StepControl`], read as its documentation says), by the same solver loop as the
/// scalar equation.
/// `progress` gets the fraction of the section done.
pub fn propagate_manakov<R: Real>(
    plan: &mut SsfmPlan<R>,
    section: &FiberSection,
    x: &mut [ComplexOf<R>],
    y: &mut [ComplexOf<R>],
    control: StepControl,
    progress: &mut dyn FnMut(f64),
) -> ManakovOutcome {
    let before = plan.fft_count();
    let rule = ManakovSteps::resolve(control, section, x, y);
    if let ManakovSteps::Equal(steps) = rule {
        if steps > plan.step_limit() {
            return ManakovOutcome {
                stopped: Some(Stop::StepLimit {
                    steps: 0,
                    z_km: 0.0,
                }),
                ..ManakovOutcome::default()
            };
        }
    }
    let mut tally = StepTally::default();
    let mut observer = Progress {
        progress,
        length_km: section.length_km,
    };
    let inv_n = 1.0 / x.len() as f64;
    let (mut coarse, mut fine) = match rule {
        ManakovSteps::LocalError { .. } => ([x.to_vec(), y.to_vec()], [x.to_vec(), y.to_vec()]),
        ManakovSteps::Equal(_) => Default::default(),
    };
    let energy_in: f64 = x.iter().chain(y.iter()).map(|a| a.norm_sqr().wide()).sum();
    let mut field = Two(x, y);
    field.forward(plan, None);
    match rule {
        ManakovSteps::Equal(steps) => {
            let h = section.length_km / steps as f64;
            if plan.four_step.is_some() {
                let Two(x, y) = &mut field;
                run_four_step(
                    plan,
                    section,
                    [&mut **x, &mut **y],
                    (steps, h, 8.0 / 9.0),
                    &mut tally,
                    &mut |z| observer.progressed(z),
                );
            } else {
                run_merged(
                    plan,
                    section,
                    &mut field,
                    &mut tally,
                    &mut observer,
                    (0.0, |_, step, _| (h, step + 1 == steps)),
                );
            }
        }
        ManakovSteps::LocalError {
            tolerance,
            initial_step_km,
        } => {
            let [cx, cy] = &mut coarse;
            let [fx, fy] = &mut fine;
            run_local_error(
                plan,
                section,
                &mut field,
                (&mut Two(cx, cy), &mut Two(fx, fy)),
                &mut tally,
                &mut observer,
                LocalErrorLadder::new(tolerance, initial_step_km, section.length_km),
            );
        }
    }
    field.inverse(plan, None);
    field.scale(inv_n);
    if R::SETTLES_ENERGY && tally.stopped.is_none() {
        let decay = (-section.alpha_per_km() * section.length_km).exp();
        settle_energy([field.0, field.1], energy_in * decay);
    }
    ManakovOutcome {
        steps: tally.steps,
        rejected_steps: tally.rejected_steps,
        fft_count: plan.fft_count() - before,
        stopped: tally.stopped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::{Complex, TimeGrid};

    /// A fundamental soliton of the Manakov equation: total power P0 = |β2|/(γ_M·T0²) with
    /// γ_M = 8γ/9, split between the polarisations in any ratio and relative phase, propagates
    /// unchanged apart from the phase `exp(i·z/(2·L_D))`.
    /// `control` gets the section length, km.
    fn soliton_error(
        control: impl FnOnce(f64) -> StepControl,
        periods: f64,
    ) -> (f64, ManakovOutcome) {
        let (beta2, gamma, t0): (f64, f64, f64) = (-20.0, 1.3, 10.0);
        let grid = TimeGrid::from_window(2048, 400.0);
        let p0 = beta2.abs() / (8.0 / 9.0 * gamma * t0 * t0);
        let ld = t0 * t0 / beta2.abs();
        let length_km = periods * std::f64::consts::FRAC_PI_2 * ld;
        let section = FiberSection {
            length_km,
            alpha_db_per_km: 0.0,
            beta2_ps2_per_km: beta2,
            beta3_ps3_per_km: 0.0,
            gamma_per_w_km: gamma,
            amplifier_after: false,
        };
        let (cx, cy) = (Complex::new(0.8, 0.0), Complex::from_polar(0.6, 1.0));
        let input: Vec<Complex> = grid
            .times_ps()
            .iter()
            .map(|t| Complex::new(p0.sqrt() / (t / t0).cosh(), 0.0))
            .collect();
        let mut x: Vec<Complex> = input.iter().map(|a| a * cx).collect();
        let mut y: Vec<Complex> = input.iter().map(|a| a * cy).collect();
        let mut plan = SsfmPlan::new(grid);
        let rule = control(length_km);
        let outcome = propagate_manakov(&mut plan, &section, &mut x, &mut y, rule, &mut |_| {});
        let phase = Complex::from_polar(1.0, length_km / (2.0 * ld));
        let (mut diff, mut norm) = (0.0, 0.0);
        for j in 0..input.len() {
            diff += (x[j] - input[j] * cx * phase).norm_sqr()
                + (y[j] - input[j] * cy * phase).norm_sqr();
            norm += input[j].norm_sqr();
        }
        ((diff / norm).sqrt(), outcome)
    }

    /// `steps` equal steps over the section.
    fn equal(steps: usize) -> impl FnOnce(f64) -> StepControl {
        move |length_km| StepControl::Fixed {
            step_km: length_km / steps as f64,
        }
    }

    #[test]
    fn a_manakov_soliton_keeps_its_shape_in_both_polarisations() {
        // 100 equal steps over one soliton period z0 (second order: the error is a few 1e-5).
        let (fixed, _) = soliton_error(equal(100), 1.0);
        assert!(fixed < 1e-4, "fixed steps: {fixed}");
        // Doubling the steps divides the error by about four (second order).
        let (finer, _) = soliton_error(equal(200), 1.0);
        let order = (fixed / finer).log2();
        println!("z0/100: {fixed:.2e}, z0/200: {finer:.2e}, order {order:.3}");
        assert!((order - 2.0).abs() < 0.1, "observed order {order}");
    }

    #[test]
    fn the_local_error_method_meets_its_tolerance_with_fewer_steps() {
        let rule = |_| StepControl::LocalError {
            tolerance: 1e-6,
            initial_step_km: 0.01,
        };
        let (error, outcome) = soliton_error(rule, 5.0);
        assert!(error < 1e-5, "adaptive error {error} after {outcome:?}");
        // Equal steps with as many FFTs (four per step) are hundreds of times less accurate.
        let same_ffts = (outcome.fft_count / 4) as usize;
        let (fixed, _) = soliton_error(equal(same_ffts), 5.0);
        println!("adaptive {error:.2e} with {outcome:?}; fixed, same FFTs: {fixed:.2e}");
        assert!(fixed > 100.0 * error, "fixed {fixed} vs adaptive {error}");
    }
}
