//! Dual-polarisation propagation: the Manakov equation (polarisation averaged over fast random
//! birefringence, Marcuse, Menyuk & Wai, J. Lightwave Technol. 15(9), 1997):
//! `∂A/∂z = −(α/2)A − i(β2/2)∂²A/∂T² + (β3/6)∂³A/∂T³ + i(8/9)γ(|Ax|² + |Ay|²)A`, A = (Ax, Ay),
//! by the same symmetric split step as the scalar solver (one FFT pair per polarisation per step).

use super::nonlinear::apply_manakov_kerr_phase;
use super::plan::{both, SsfmPlan, PARALLEL_SAMPLES};
use super::section::FiberSection;
use super::solver::{difference_and_norm, extrapolate_locally, relative_from, LinearOperators};
use super::step_control::{judge_step, Judgement, LocalErrorLadder, StepControl, Stop};
use crate::fiber::dispersion_phase_rad;
use crate::signal::Complex;

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
    fn resolve(control: StepControl, section: &FiberSection, x: &[Complex], y: &[Complex]) -> Self {
        match control {
            StepControl::Fixed { step_km } => {
                Self::Equal((section.length_km / step_km - 1e-9).ceil().max(1.0) as usize)
            }
            StepControl::NonlinearPhase { max_phase_rad } => {
                let peak = x
                    .iter()
                    .zip(y)
                    .map(|(a, b)| a.norm_sqr() + b.norm_sqr())
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

/// `(Ax, Ay) ← (Ax, Ay)·exp(i(8/9)γh(|Ax|² + |Ay|²))` with the inverse FFT's 1/N folded in.
/// Long fields are split in two halves run on two threads (the step is local in time).
fn manakov_kerr(x: &mut [Complex], y: &mut [Complex], scale: f64, gamma_h: f64) -> f64 {
    let coefficient = 8.0 / 9.0 * gamma_h;
    let middle = x.len() / 2;
    let (x0, x1) = x.split_at_mut(middle);
    let (y0, y1) = y.split_at_mut(middle);
    let (a, b) = both(
        middle >= PARALLEL_SAMPLES / 2,
        || apply_manakov_kerr_phase(x0, y0, scale, coefficient),
        || apply_manakov_kerr_phase(x1, y1, scale, coefficient),
    );
    a.max(b)
}

/// Propagates both polarisations (time domain in and out) through one section with the given step
/// rule. `progress` gets the fraction of the section done.
pub fn propagate_manakov(
    plan: &mut SsfmPlan,
    section: &FiberSection,
    x: &mut [Complex],
    y: &mut [Complex],
    control: StepControl,
    progress: &mut dyn FnMut(f64),
) -> ManakovOutcome {
    let before = plan.fft_count();
    let mut outcome = match ManakovSteps::resolve(control, section, x, y) {
        ManakovSteps::Equal(steps) if steps > plan.step_limit() => ManakovOutcome {
            stopped: Some(Stop::StepLimit {
                steps: 0,
                z_km: 0.0,
            }),
            ..ManakovOutcome::default()
        },
        ManakovSteps::Equal(steps) => {
            equal_steps(plan, section, x, y, steps.max(1), progress);
            ManakovOutcome {
                steps: steps.max(1),
                ..ManakovOutcome::default()
            }
        }
        ManakovSteps::LocalError {
            tolerance,
            initial_step_km,
        } => local_error_steps(plan, section, x, y, tolerance, initial_step_km, progress),
    };
    outcome.fft_count = plan.fft_count() - before;
    outcome
}

/// `steps` equal symmetric steps with merged half steps (one FFT pair per polarisation per step).
fn equal_steps(
    plan: &mut SsfmPlan,
    section: &FiberSection,
    x: &mut [Complex],
    y: &mut [Complex],
    steps: usize,
    progress: &mut dyn FnMut(f64),
) {
    let h = section.length_km / steps as f64;
    let decay = (-0.25 * section.alpha_per_km() * h).exp();
    let (b2, b3) = (section.beta2_ps2_per_km, section.beta3_ps3_per_km);
    let half: Vec<Complex> = plan
        .omega_rad_per_ps()
        .iter()
        .map(|&w| Complex::from_polar(decay, dispersion_phase_rad(b2, b3, w) * 0.5 * h))
        .collect();
    let full: Vec<Complex> = half.iter().map(|v| v * v).collect();
    let inv_n = 1.0 / x.len() as f64;
    plan.forward_pair(x, y, Some(&half));
    for step in 0..steps {
        plan.inverse_pair(x, y, None);
        manakov_kerr(x, y, inv_n, section.gamma_per_w_km * h);
        let op = if step + 1 == steps { &half } else { &full };
        plan.forward_pair(x, y, Some(op));
        progress((step + 1) as f64 / steps as f64);
    }
    plan.inverse_pair(x, y, None);
    x.iter_mut().chain(y.iter_mut()).for_each(|a| *a *= inv_n);
}

/// One symmetric step of size `h` on both spectra.
fn symmetric_step(
    plan: &mut SsfmPlan,
    ops: &mut LinearOperators,
    [x, y]: [&mut [Complex]; 2],
    h: f64,
    gamma: f64,
) {
    let inv_n = 1.0 / x.len() as f64;
    plan.inverse_pair(x, y, Some(ops.get(0.5 * h)));
    manakov_kerr(x, y, inv_n, gamma * h);
    plan.forward_pair(x, y, Some(ops.get(0.5 * h)));
}

/// Sinkin's local-error method on the pair of spectra: a coarse step 2h against two fine steps
/// h, the error over both polarisations, local extrapolation of the accepted step.
fn local_error_steps(
    plan: &mut SsfmPlan,
    section: &FiberSection,
    x: &mut [Complex],
    y: &mut [Complex],
    tolerance: f64,
    initial_step_km: f64,
    progress: &mut dyn FnMut(f64),
) -> ManakovOutcome {
    let mut ops = LinearOperators::new(section, plan.omega_rad_per_ps());
    let gamma = section.gamma_per_w_km;
    let length = section.length_km;
    let mut ladder = LocalErrorLadder::new(tolerance, initial_step_km, length);
    let mut outcome = ManakovOutcome::default();
    let (mut coarse_x, mut coarse_y, mut fine_x, mut fine_y) =
        (x.to_vec(), y.to_vec(), x.to_vec(), y.to_vec());
    let parallel = x.len() >= PARALLEL_SAMPLES;
    plan.forward_pair(x, y, None);
    let mut z = 0.0;
    while z < length {
        let (h, last) = ladder.next_fine_step(z);
        let copy = |u: &[Complex], coarse: &mut [Complex], fine: &mut [Complex]| {
            coarse.copy_from_slice(u);
            fine.copy_from_slice(u);
        };
        both(
            parallel,
            || copy(x, &mut coarse_x, &mut fine_x),
            || copy(y, &mut coarse_y, &mut fine_y),
        );
        symmetric_step(
            plan,
            &mut ops,
            [&mut coarse_x, &mut coarse_y],
            2.0 * h,
            gamma,
        );
        symmetric_step(plan, &mut ops, [&mut fine_x, &mut fine_y], h, gamma);
        symmetric_step(plan, &mut ops, [&mut fine_x, &mut fine_y], h, gamma);
        let ((dx, nx), (dy, ny)) = both(
            parallel,
            || difference_and_norm(&fine_x, &coarse_x),
            || difference_and_norm(&fine_y, &coarse_y),
        );
        let taken = outcome.steps + outcome.rejected_steps;
        match judge_step(
            &mut ladder,
            relative_from(dx + dy, nx + ny),
            h,
            z,
            taken,
            plan.step_limit(),
        ) {
            Judgement::Accept => {}
            Judgement::Reject => {
                outcome.rejected_steps += 1;
                continue;
            }
            Judgement::Stop(stop) => {
                outcome.stopped = Some(stop);
                break;
            }
        }
        both(
            parallel,
            || extrapolate_locally(x, &fine_x, &coarse_x),
            || extrapolate_locally(y, &fine_y, &coarse_y),
        );
        outcome.steps += 1;
        z = if last { length } else { z + 2.0 * h };
        progress(z / length);
    }
    let inv_n = 1.0 / x.len() as f64;
    plan.inverse_pair(x, y, None);
    x.iter_mut().chain(y.iter_mut()).for_each(|a| *a *= inv_n);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::TimeGrid;

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
