//! The propagation loop over a chain of fibre sections.

use super::nonlinear::{apply_kerr_phase, multiply_in_place};
use super::plan::SsfmPlan;
use super::section::FiberSection;
use super::step_control::{judge_step, Judgement, LocalErrorLadder, StepControl, Stop};
use crate::signal::{energy_pj, peak_power_w, Complex};

/// What a propagation produced besides the output field.
#[derive(Debug, Clone, PartialEq)]
pub struct PropagationOutcome {
    /// Output field in the time domain, √W.
    pub field: Vec<Complex>,
    /// Split steps taken (accepted steps for the adaptive method).
    pub steps: usize,
    /// Steps rejected by the adaptive method.
    pub rejected_steps: usize,
    /// FFTs run by the solver (including one forward and one inverse per section).
    pub fft_count: u64,
    /// `Σ γ·P0·L_eff` over sections, P0 the peak power entering each section, rad.
    pub nonlinear_phase_rad: f64,
    /// The largest nonlinear phase actually applied, `Σ γ·h·max|A|²` over steps, rad.
    pub max_nonlinear_phase_rad: f64,
    /// Why the propagation stopped before the end (`None`: it reached the end). A stopped
    /// propagation's field is where it stopped, not a result.
    pub stopped: Option<Stop>,
}

/// Field snapshots taken along the fibre (for evolution maps): the power |A|² in time order and
/// the power spectrum |Ã|² in FFT order, at z = 0, then at every step boundary that passes the next
/// multiple of `every_km`, and at the end. Snapshot FFTs are not counted in `fft_count`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshots {
    every_km: f64,
    next_km: f64,
    /// Positions of the snapshots, km.
    pub z_km: Vec<f64>,
    /// |A(T)|² at each snapshot, W, in time order.
    pub power_w: Vec<Vec<f64>>,
    /// |Ã(ω)|² at each snapshot, in FFT order (unnormalised transform).
    pub spectrum: Vec<Vec<f64>>,
}

impl Snapshots {
    /// About `count` snapshots evenly spread over `total_km` (plus the input).
    pub fn evenly(total_km: f64, count: usize) -> Self {
        Self {
            every_km: total_km / count.max(1) as f64,
            ..Self::default()
        }
    }

    fn due(&self, z_km: f64) -> bool {
        z_km >= self.next_km - 1e-9 * self.every_km
    }

    fn record(&mut self, z_km: f64, time_field: &[Complex], spectrum: &[Complex]) {
        self.z_km.push(z_km);
        self.power_w
            .push(time_field.iter().map(|a| a.norm_sqr()).collect());
        self.spectrum
            .push(spectrum.iter().map(|a| a.norm_sqr()).collect());
        while self.next_km <= z_km + 1e-9 * self.every_km {
            self.next_km += self.every_km;
        }
    }
}

/// Progress reporting and snapshots during one section.
struct Tracker<'a> {
    progress: &'a mut dyn FnMut(f64),
    snapshots: Option<&'a mut Snapshots>,
    offset_km: f64,
    total_km: f64,
}

impl Tracker<'_> {
    /// Called after each step with the spectrum at `z_km` (local), once `pending` (the half
    /// linear step not yet applied, if any) is applied.
    fn after_step(
        &mut self,
        plan: &mut SsfmPlan,
        z_km: f64,
        spectrum: &[Complex],
        pending: Option<&[Complex]>,
    ) {
        let z = self.offset_km + z_km;
        (self.progress)((z / self.total_km).min(1.0));
        let Some(snapshots) = self.snapshots.as_deref_mut() else {
            return;
        };
        if !snapshots.due(z) {
            return;
        }
        let taken = std::mem::take(&mut plan.observe);
        let mut buffer = plan.sized(taken);
        buffer.copy_from_slice(spectrum);
        if let Some(op) = pending {
            multiply_in_place(&mut buffer, op);
        }
        let full_spectrum = buffer.clone();
        plan.inverse_uncounted(&mut buffer);
        let scale = 1.0 / buffer.len() as f64;
        buffer.iter_mut().for_each(|a| *a *= scale);
        snapshots.record(z, &buffer, &full_spectrum);
        plan.observe = buffer;
    }
}

/// The exponent of the linear operator per km for one section, in FFT order:
/// `D̂(ω) = −α/2 + i(β2ω²/2 − β3ω³/6)` (rustfft's transform sign, see the module docs).
pub(super) struct LinearOperators {
    decay_per_km: f64,
    phase_per_km: Vec<f64>,
    /// `exp(D̂·length)` for lengths used so far, keyed by the length's bits.
    cache: Vec<(u64, Vec<Complex>)>,
}

/// Largest number of distinct operators kept (the ladders use far fewer).
const OPERATOR_CACHE_LIMIT: usize = 48;

impl LinearOperators {
    pub(super) fn new(section: &FiberSection, omega_rad_per_ps: &[f64]) -> Self {
        let (b2, b3) = (section.beta2_ps2_per_km, section.beta3_ps3_per_km);
        Self {
            decay_per_km: -0.5 * section.alpha_per_km(),
            phase_per_km: omega_rad_per_ps
                .iter()
                .map(|&w| crate::fiber::dispersion_phase_rad(b2, b3, w))
                .collect(),
            cache: Vec::new(),
        }
    }

    /// `exp(D̂·length_km)`, computed on first use.
    pub(super) fn get(&mut self, length_km: f64) -> &[Complex] {
        let key = length_km.to_bits();
        let position = match self.cache.iter().position(|(k, _)| *k == key) {
            Some(position) => position,
            None => {
                if self.cache.len() >= OPERATOR_CACHE_LIMIT {
                    self.cache.clear();
                }
                let amplitude = (self.decay_per_km * length_km).exp();
                let op = self
                    .phase_per_km
                    .iter()
                    .map(|&phase| Complex::from_polar(amplitude, phase * length_km))
                    .collect();
                self.cache.push((key, op));
                self.cache.len() - 1
            }
        };
        &self.cache[position].1
    }
}

/// Propagates `field` (time domain) through `sections` in order.
///
/// `progress` is called after every step with the fraction of the total length done.
pub fn propagate(
    plan: &mut SsfmPlan,
    sections: &[FiberSection],
    mut field: Vec<Complex>,
    control: StepControl,
    progress: &mut dyn FnMut(f64),
    mut snapshots: Option<&mut Snapshots>,
) -> PropagationOutcome {
    let total_km: f64 = sections.iter().map(|s| s.length_km).sum();
    let ffts_before = plan.fft_count();
    let mut outcome = PropagationOutcome {
        field: Vec::new(),
        steps: 0,
        rejected_steps: 0,
        fft_count: 0,
        nonlinear_phase_rad: 0.0,
        max_nonlinear_phase_rad: 0.0,
        stopped: None,
    };
    if let Some(snap) = snapshots.as_deref_mut() {
        let spectrum = plan.spectrum_of(&field);
        snap.record(0.0, &field, &spectrum);
    }
    let mut done_km = 0.0;
    // With snapshots, no step is longer than their spacing, so every row of an evolution map is a
    // computed field (not the same far snapshot repeated over a long step).
    let cap_km = snapshots.as_deref().map_or(f64::INFINITY, |s| s.every_km);
    for section in sections {
        let grid = *plan.grid();
        let energy_in = energy_pj(&field, &grid);
        let peak_in = peak_power_w(&field);
        outcome.nonlinear_phase_rad +=
            section.gamma_per_w_km * peak_in * section.effective_length_km();
        let mut report = Tracker {
            progress: &mut *progress,
            snapshots: snapshots.as_deref_mut(),
            offset_km: done_km,
            total_km,
        };
        plan.forward(&mut field);
        match control {
            StepControl::Fixed { step_km } => {
                let steps = (section.length_km / step_km.min(cap_km) - 1e-9)
                    .ceil()
                    .max(1.0) as usize;
                let h = section.length_km / steps as f64;
                run_merged(
                    plan,
                    section,
                    &mut field,
                    &mut outcome,
                    &mut report,
                    peak_in,
                    |_, step, _| (h, step + 1 == steps),
                );
            }
            StepControl::NonlinearPhase { max_phase_rad } => {
                let length = section.length_km;
                let gamma = section.gamma_per_w_km;
                let choose = move |z: f64, _step: usize, peak: f64| {
                    let allowed = if gamma * peak > 0.0 {
                        max_phase_rad / (gamma * peak)
                    } else {
                        length
                    }
                    .min(cap_km);
                    let rung = (-8.0 * (allowed / length).log2()).ceil().max(0.0);
                    let h = length * (-rung / 8.0).exp2();
                    let remaining = length - z;
                    if h >= remaining * (1.0 - 1e-12) {
                        (remaining, true)
                    } else {
                        (h, false)
                    }
                };
                run_merged(
                    plan,
                    section,
                    &mut field,
                    &mut outcome,
                    &mut report,
                    peak_in,
                    choose,
                );
            }
            StepControl::LocalError {
                tolerance,
                initial_step_km,
            } => {
                run_local_error(
                    plan,
                    section,
                    &mut field,
                    &mut outcome,
                    &mut report,
                    LocalErrorLadder::new(tolerance, initial_step_km, section.length_km)
                        .capped(cap_km),
                );
            }
        }
        let scale = 1.0 / grid.samples as f64;
        plan.inverse(&mut field);
        field.iter_mut().for_each(|a| *a *= scale);
        if section.amplifier_after {
            let energy_out = energy_pj(&field, &grid);
            if energy_out > 0.0 {
                let gain = (energy_in / energy_out).sqrt();
                field.iter_mut().for_each(|a| *a *= gain);
            }
        }
        done_km += section.length_km;
        if outcome.stopped.is_some() {
            break;
        }
    }
    outcome.fft_count = plan.fft_count() - ffts_before;
    outcome.field = field;
    outcome
}

/// `A(z+h) = e^{hD̂/2} e^{hN̂} e^{hD̂/2} A(z)` with consecutive half steps merged:
/// one inverse + one forward FFT per step. `choose(z, step_index, peak_w)` returns the next step
/// size and whether it is the last one (which must land exactly on the section's end).
fn run_merged(
    plan: &mut SsfmPlan,
    section: &FiberSection,
    spectrum: &mut [Complex],
    outcome: &mut PropagationOutcome,
    report: &mut Tracker,
    initial_peak_w: f64,
    choose: impl Fn(f64, usize, f64) -> (f64, bool),
) {
    let mut ops = LinearOperators::new(section, plan.omega_rad_per_ps());
    let gamma = section.gamma_per_w_km;
    let mut z = 0.0;
    let mut index = 0;
    let (mut h, mut last) = choose(z, index, initial_peak_w);
    multiply_in_place(spectrum, ops.get(0.5 * h));
    loop {
        let (phase, peak) = nonlinear_step(plan, spectrum, h, gamma);
        outcome.max_nonlinear_phase_rad += phase;
        outcome.steps += 1;
        index += 1;
        z = if last { section.length_km } else { z + h };
        report.after_step(plan, z, spectrum, Some(ops.get(0.5 * h)));
        if !last && outcome.steps + outcome.rejected_steps >= plan.step_limit() {
            outcome.stopped = Some(Stop::StepLimit {
                steps: outcome.steps + outcome.rejected_steps,
                z_km: z,
            });
            multiply_in_place(spectrum, ops.get(0.5 * h));
            return;
        }
        if last {
            multiply_in_place(spectrum, ops.get(0.5 * h));
            return;
        }
        let (next_h, next_last) = choose(z, index, peak);
        if next_h == h {
            multiply_in_place(spectrum, ops.get(h));
        } else {
            multiply_in_place(spectrum, ops.get(0.5 * h));
            multiply_in_place(spectrum, ops.get(0.5 * next_h));
        }
        h = next_h;
        last = next_last;
    }
}

/// The nonlinear part of a step on a spectrum: inverse FFT, `A·exp(iγ|A|²h)` (with the 1/N of
/// the inverse FFT folded in), forward FFT. Returns the peak phase applied and the peak power.
fn nonlinear_step(plan: &mut SsfmPlan, spectrum: &mut [Complex], h: f64, gamma: f64) -> (f64, f64) {
    let inv_n = 1.0 / plan.grid().samples as f64;
    plan.inverse(spectrum);
    let peak = apply_kerr_phase(spectrum, inv_n, gamma * h);
    plan.forward(spectrum);
    (gamma * h * peak, peak)
}

/// One symmetric step of size `h` on a spectrum (both half steps applied).
fn symmetric_step(
    plan: &mut SsfmPlan,
    ops: &mut LinearOperators,
    spectrum: &mut [Complex],
    h: f64,
    gamma: f64,
) -> f64 {
    multiply_in_place(spectrum, ops.get(0.5 * h));
    let (phase, _) = nonlinear_step(plan, spectrum, h, gamma);
    multiply_in_place(spectrum, ops.get(0.5 * h));
    phase
}

/// Sinkin's local-error method; step sizes stay on the ladder `h0·2^{k/3}` (except the final step,
/// which is cut to land on the section's end) so the operators are reused.
fn run_local_error(
    plan: &mut SsfmPlan,
    section: &FiberSection,
    spectrum: &mut [Complex],
    outcome: &mut PropagationOutcome,
    report: &mut Tracker,
    mut ladder: LocalErrorLadder,
) {
    let mut ops = LinearOperators::new(section, plan.omega_rad_per_ps());
    let gamma = section.gamma_per_w_km;
    let length = section.length_km;
    let (coarse, fine) = (
        std::mem::take(&mut plan.coarse),
        std::mem::take(&mut plan.fine),
    );
    let (mut coarse, mut fine) = (plan.sized(coarse), plan.sized(fine));
    let mut z = 0.0;
    while z < length {
        let (h, last) = ladder.next_fine_step(z);
        coarse.copy_from_slice(spectrum);
        fine.copy_from_slice(spectrum);
        let coarse_phase = symmetric_step(plan, &mut ops, &mut coarse, 2.0 * h, gamma);
        let fine_phase = symmetric_step(plan, &mut ops, &mut fine, h, gamma)
            + symmetric_step(plan, &mut ops, &mut fine, h, gamma);
        let (diff, norm) = difference_and_norm(&fine, &coarse);
        let delta = relative_from(diff, norm);
        let taken = outcome.steps + outcome.rejected_steps;
        match judge_step(&mut ladder, delta, h, z, taken, plan.step_limit()) {
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
        extrapolate_locally(spectrum, &fine, &coarse);
        outcome.max_nonlinear_phase_rad += fine_phase.max(coarse_phase);
        outcome.steps += 1;
        z = if last { length } else { z + 2.0 * h };
        report.after_step(plan, z, spectrum, None);
    }
    plan.coarse = coarse;
    plan.fine = fine;
}

/// `(Σ|f − c|², Σ|f|²)` of one (fine, coarse) pair.
pub(super) fn difference_and_norm(fine: &[Complex], coarse: &[Complex]) -> (f64, f64) {
    fine.iter().zip(coarse).fold((0.0, 0.0), |(d, n), (f, c)| {
        (d + (f - c).norm_sqr(), n + f.norm_sqr())
    })
}

/// The local error of Sinkin's method, `√(Σ|f − c|² / Σ|f|²)` from the sums (over one or both
/// polarisations); 0 for a zero field.
pub(super) fn relative_from(diff: f64, norm: f64) -> f64 {
    if norm > 0.0 {
        (diff / norm).sqrt()
    } else {
        0.0
    }
}

/// Local extrapolation `u ← (4·u_fine − u_coarse)/3` (fourth order from two second-order results).
pub(super) fn extrapolate_locally(u: &mut [Complex], fine: &[Complex], coarse: &[Complex]) {
    for ((u, f), c) in u.iter_mut().zip(fine).zip(coarse) {
        *u = (4.0 * f - c) / 3.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::{PulseShape, TimeGrid};

    #[test]
    fn snapshots_cap_the_step_so_every_interval_has_a_computed_row() {
        // A weak pulse over three 80 km spans: the phase rule alone would take steps of tens of
        // kilometres; with 60 snapshots (every 4 km) no step exceeds 4 km, so a snapshot is taken
        // in every interval and consecutive ones are less than two intervals apart.
        let grid = TimeGrid::from_window(1024, 400.0);
        let input = PulseShape::Gaussian {
            t0_ps: 10.0,
            chirp: 0.0,
        }
        .sample(&grid, Some(1e-4));
        let span = FiberSection {
            length_km: 80.0,
            alpha_db_per_km: 0.2,
            beta2_ps2_per_km: -21.7,
            beta3_ps3_per_km: 0.0,
            gamma_per_w_km: 1.3,
            amplifier_after: true,
        };
        for control in [
            StepControl::NonlinearPhase {
                max_phase_rad: 0.01,
            },
            StepControl::Fixed { step_km: 40.0 },
            StepControl::LocalError {
                tolerance: 1e-3,
                initial_step_km: 1.0,
            },
        ] {
            let mut plan = SsfmPlan::new(grid);
            let mut snapshots = Snapshots::evenly(240.0, 60);
            propagate(
                &mut plan,
                &[span.clone(), span.clone(), span.clone()],
                input.clone(),
                control,
                &mut |_| {},
                Some(&mut snapshots),
            );
            let widest = snapshots
                .z_km
                .windows(2)
                .map(|w| w[1] - w[0])
                .fold(0.0, f64::max);
            assert!(
                snapshots.z_km.len() >= 61,
                "{control:?}: {}",
                snapshots.z_km.len()
            );
            assert!(widest < 8.0, "{control:?}: gap {widest} km");
        }
    }
}
