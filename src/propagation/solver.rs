//! The propagation loop over a chain of fibre sections.

use super::modes::{Modes, One};
use super::plan::SsfmPlan;
use super::real::{settle_energy, ComplexOf, Real};
use super::section::FiberSection;
use super::step_control::{judge_step, Judgement, LocalErrorLadder, StepControl, Stop};
use crate::signal::Complex;

/// What a propagation produced besides the output field.
#[derive(Debug, Clone, PartialEq)]
pub struct PropagationOutcome<R: Real = f64> {
    /// Output field in the time domain, √W, in the propagation's precision.
    pub field: Vec<ComplexOf<R>>,
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

    fn record<R: Real>(
        &mut self,
        z_km: f64,
        time_field: &[ComplexOf<R>],
        spectrum: &[ComplexOf<R>],
    ) {
        self.z_km.push(z_km);
        self.power_w
            .push(time_field.iter().map(|a| a.norm_sqr().wide()).collect());
        self.spectrum
            .push(spectrum.iter().map(|a| a.norm_sqr().wide()).collect());
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

/// Watches the steps of one section: progress after every step, and the field where it asks
/// for it (snapshots).
pub(super) trait StepObserver<M: Modes> {
    /// Called after every step that ends at `z_km` (section-local).
    fn after_step(&mut self, z_km: f64);
    /// Whether [`StepObserver::record`] wants the field at `z_km`.
    fn wants_field(&self, _z_km: f64) -> bool {
        false
    }
    /// The field (spectra) at `z_km`, once `pending` (a half linear step not yet applied, if
    /// any) is applied.
    fn record(
        &mut self,
        _plan: &mut SsfmPlan<M::Real>,
        _z_km: f64,
        _field: &M,
        _pending: Option<&[Complex]>,
    ) {
    }
}

impl Tracker<'_> {
    /// Reports the fraction done once a step ends at `z_km` (section-local).
    fn progressed(&mut self, z_km: f64) {
        let z = self.offset_km + z_km;
        (self.progress)((z / self.total_km).min(1.0));
    }
}

impl<R: Real> StepObserver<One<'_, R>> for Tracker<'_> {
    fn after_step(&mut self, z_km: f64) {
        self.progressed(z_km);
    }

    fn wants_field(&self, z_km: f64) -> bool {
        self.snapshots
            .as_deref()
            .is_some_and(|s| s.due(self.offset_km + z_km))
    }

    fn record(
        &mut self,
        plan: &mut SsfmPlan<R>,
        z_km: f64,
        field: &One<'_, R>,
        pending: Option<&[Complex]>,
    ) {
        let z = self.offset_km + z_km;
        let Some(snapshots) = self.snapshots.as_deref_mut() else {
            return;
        };
        let taken = std::mem::take(&mut plan.observe);
        let mut buffer = plan.sized(taken);
        buffer.copy_from_slice(field.0);
        if let Some(op) = pending {
            R::multiply(&mut buffer, op);
        }
        let full_spectrum = buffer.clone();
        plan.inverse_uncounted(&mut buffer);
        let scale = R::of(1.0 / buffer.len() as f64);
        buffer.iter_mut().for_each(|a| *a = *a * scale);
        snapshots.record(z, &buffer, &full_spectrum);
        plan.observe = buffer;
    }
}

/// What the steps of a propagation did so far (over every section).
#[derive(Debug, Default)]
pub(super) struct StepTally {
    /// Accepted steps.
    pub steps: usize,
    /// Rejected steps (local-error method).
    pub rejected_steps: usize,
    /// `Σ` peak nonlinear phase per step, rad.
    pub max_nonlinear_phase_rad: f64,
    /// Why the propagation stopped early.
    pub stopped: Option<Stop>,
}

/// The exponent of the linear operator per km for one section, in FFT order:
/// `D̂(ω) = −α/2 + i(β2ω²/2 − β3ω³/6)` (rustfft's transform sign, see the module docs).
pub(super) struct LinearOperators {
    decay_per_km: f64,
    phase_per_km: Vec<f64>,
    /// `exp(D̂·length)` for lengths used so far, keyed by the length's bits — f64 in either
    /// precision: an f32 operator's rounding would repeat identically every step and add up
    /// linearly (1e-3 of the power after 36,000 steps of a soliton), the f64 one's does not.
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
pub fn propagate<R: Real>(
    plan: &mut SsfmPlan<R>,
    sections: &[FiberSection],
    mut field: Vec<ComplexOf<R>>,
    control: StepControl,
    progress: &mut dyn FnMut(f64),
    mut snapshots: Option<&mut Snapshots>,
) -> PropagationOutcome<R> {
    let total_km: f64 = sections.iter().map(|s| s.length_km).sum();
    let ffts_before = plan.fft_count();
    let mut nonlinear_phase_rad = 0.0;
    let mut tally = StepTally::default();
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
        let energy_in = sum_of_squares(&field);
        let peak_in = field
            .iter()
            .map(|a| a.norm_sqr().wide())
            .fold(0.0, f64::max);
        nonlinear_phase_rad += section.gamma_per_w_km * peak_in * section.effective_length_km();
        let mut tracker = Tracker {
            progress: &mut *progress,
            snapshots: snapshots.as_deref_mut(),
            offset_km: done_km,
            total_km,
        };
        // The local-error method's trial fields, in the plan's buffers.
        let local_error = matches!(control, StepControl::LocalError { .. });
        let (mut coarse, mut fine) = if local_error {
            let (coarse, fine) = (
                std::mem::take(&mut plan.coarse),
                std::mem::take(&mut plan.fine),
            );
            (plan.sized(coarse), plan.sized(fine))
        } else {
            (Vec::new(), Vec::new())
        };
        let mut spectrum = One(&mut field);
        spectrum.forward(plan, None);
        match control {
            StepControl::Fixed { step_km } => {
                let steps = (section.length_km / step_km.min(cap_km) - 1e-9)
                    .ceil()
                    .max(1.0) as usize;
                let h = section.length_km / steps as f64;
                if tracker.snapshots.is_none() && plan.four_step.is_some() {
                    run_four_step(
                        plan,
                        section,
                        [&mut *spectrum.0],
                        (steps, h, 1.0),
                        &mut tally,
                        &mut |z| tracker.progressed(z),
                    );
                } else {
                    run_merged(
                        plan,
                        section,
                        &mut spectrum,
                        &mut tally,
                        &mut tracker,
                        (peak_in, |_, step, _| (h, step + 1 == steps)),
                    );
                }
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
                    &mut spectrum,
                    &mut tally,
                    &mut tracker,
                    (peak_in, choose),
                );
            }
            StepControl::LocalError {
                tolerance,
                initial_step_km,
            } => {
                run_local_error(
                    plan,
                    section,
                    &mut spectrum,
                    (&mut One(&mut coarse), &mut One(&mut fine)),
                    &mut tally,
                    &mut tracker,
                    LocalErrorLadder::new(tolerance, initial_step_km, section.length_km)
                        .capped(cap_km),
                );
            }
        }
        spectrum.inverse(plan, None);
        spectrum.scale(1.0 / grid.samples as f64);
        if local_error {
            plan.coarse = coarse;
            plan.fine = fine;
        }
        if section.amplifier_after {
            settle_energy([&mut field, &mut []], energy_in);
        } else if R::SETTLES_ENERGY && tally.stopped.is_none() {
            let decay = (-section.alpha_per_km() * section.length_km).exp();
            settle_energy([&mut field, &mut []], energy_in * decay);
        }
        done_km += section.length_km;
        if tally.stopped.is_some() {
            break;
        }
    }
    PropagationOutcome {
        field,
        steps: tally.steps,
        rejected_steps: tally.rejected_steps,
        fft_count: plan.fft_count() - ffts_before,
        nonlinear_phase_rad,
        max_nonlinear_phase_rad: tally.max_nonlinear_phase_rad,
        stopped: tally.stopped,
    }
}

/// The fixed-step run of [`run_merged`] on the plan's four-step factorisation
/// ([`super::four_step`], taken out of the plan while it runs): the same merged steps on the
/// `K` fields (natural-order spectra in and out), counted as two FFTs per step and field.
pub(super) fn run_four_step<R: Real, const K: usize>(
    plan: &mut SsfmPlan<R>,
    section: &FiberSection,
    fields: [&mut [ComplexOf<R>]; K],
    (steps, h, kerr_factor): (usize, f64, f64),
    tally: &mut StepTally,
    progress: &mut dyn FnMut(f64),
) {
    let Some(mut four) = plan.four_step.take() else {
        return;
    };
    let started = std::time::Instant::now();
    let mut ops = LinearOperators::new(section, plan.omega_rad_per_ps());
    let transforms = four.run_equal_steps(
        fields,
        &mut ops,
        section,
        (steps, h, kerr_factor),
        tally,
        plan.step_limit(),
        progress,
    );
    plan.count_fused(transforms, started.elapsed());
    plan.four_step = Some(four);
}

/// `A(z+h) = e^{hD̂/2} e^{hN̂} e^{hD̂/2} A(z)` with consecutive half steps merged: one inverse
/// and one forward FFT per polarisation per step, the linear operator applied with the forward
/// transform. `choose(z, step_index, peak_w)` returns the next step size and whether it is the
/// last one (which must land exactly on the section's end); the first is chosen with
/// `initial_peak_w`. The field is a spectrum in and out.
pub(super) fn run_merged<M: Modes>(
    plan: &mut SsfmPlan<M::Real>,
    section: &FiberSection,
    field: &mut M,
    tally: &mut StepTally,
    observer: &mut dyn StepObserver<M>,
    (initial_peak_w, choose): (f64, impl Fn(f64, usize, f64) -> (f64, bool)),
) {
    let mut ops = LinearOperators::new(section, plan.omega_rad_per_ps());
    let gamma = section.gamma_per_w_km;
    let inv_n = 1.0 / plan.grid().samples as f64;
    let mut z = 0.0;
    let mut index = 0;
    let (mut h, mut last) = choose(z, index, initial_peak_w);
    field.multiply(ops.get(0.5 * h));
    loop {
        field.inverse(plan, None);
        let (phase, peak) = field.kerr(inv_n, gamma * h);
        tally.max_nonlinear_phase_rad += phase;
        tally.steps += 1;
        index += 1;
        z = if last { section.length_km } else { z + h };
        let limit_reached = !last && tally.steps + tally.rejected_steps >= plan.step_limit();
        let observe = observer.wants_field(z);
        if last || limit_reached || observe {
            // The field at z is needed (or this is the end): transform, then the half step.
            field.forward(plan, None);
            observer.after_step(z);
            if observe {
                observer.record(plan, z, field, Some(ops.get(0.5 * h)));
            }
            if last || limit_reached {
                field.multiply(ops.get(0.5 * h));
                if limit_reached {
                    tally.stopped = Some(Stop::StepLimit {
                        steps: tally.steps + tally.rejected_steps,
                        z_km: z,
                    });
                }
                return;
            }
            let (next_h, next_last) = choose(z, index, peak);
            if next_h == h {
                field.multiply(ops.get(h));
            } else {
                field.multiply(ops.get(0.5 * h));
                field.multiply(ops.get(0.5 * next_h));
            }
            (h, last) = (next_h, next_last);
            continue;
        }
        let (next_h, next_last) = choose(z, index, peak);
        if next_h == h {
            field.forward(plan, Some(ops.get(h)));
        } else {
            field.forward(plan, Some(ops.get(0.5 * h)));
            field.multiply(ops.get(0.5 * next_h));
        }
        observer.after_step(z);
        (h, last) = (next_h, next_last);
    }
}

/// The nonlinear part and both linear half steps of one symmetric step of size `h` on a
/// spectrum; returns the peak nonlinear phase applied.
fn symmetric_step<M: Modes>(
    plan: &mut SsfmPlan<M::Real>,
    ops: &mut LinearOperators,
    field: &mut M,
    h: f64,
    gamma: f64,
) -> f64 {
    let inv_n = 1.0 / plan.grid().samples as f64;
    field.inverse(plan, Some(ops.get(0.5 * h)));
    let (phase, _) = field.kerr(inv_n, gamma * h);
    field.forward(plan, Some(ops.get(0.5 * h)));
    phase
}

/// Sinkin's local-error method on a spectrum (over every polarisation): a coarse step 2h
/// against two fine steps h in the buffers `coarse` and `fine`, local extrapolation of the
/// accepted step; step sizes stay on the ladder `h0·2^{k/3}` (except the final step, which is cut
/// to land on the section's end) so the operators are reused.
pub(super) fn run_local_error<M: Modes>(
    plan: &mut SsfmPlan<M::Real>,
    section: &FiberSection,
    field: &mut M,
    (coarse, fine): (&mut M, &mut M),
    tally: &mut StepTally,
    observer: &mut dyn StepObserver<M>,
    mut ladder: LocalErrorLadder,
) {
    let mut ops = LinearOperators::new(section, plan.omega_rad_per_ps());
    let gamma = section.gamma_per_w_km;
    let length = section.length_km;
    let mut z = 0.0;
    while z < length {
        let (h, last) = ladder.next_fine_step(z);
        field.copy_into(coarse, fine);
        let coarse_phase = symmetric_step(plan, &mut ops, coarse, 2.0 * h, gamma);
        let fine_phase = symmetric_step(plan, &mut ops, fine, h, gamma)
            + symmetric_step(plan, &mut ops, fine, h, gamma);
        let (diff, norm) = M::difference_and_norm(fine, coarse);
        let delta = relative_from(diff, norm);
        let taken = tally.steps + tally.rejected_steps;
        match judge_step(&mut ladder, delta, h, z, taken, plan.step_limit()) {
            Judgement::Accept => {}
            Judgement::Reject => {
                tally.rejected_steps += 1;
                continue;
            }
            Judgement::Stop(stop) => {
                tally.stopped = Some(stop);
                break;
            }
        }
        field.extrapolate(fine, coarse);
        tally.max_nonlinear_phase_rad += fine_phase.max(coarse_phase);
        tally.steps += 1;
        z = if last { length } else { z + 2.0 * h };
        observer.after_step(z);
        if observer.wants_field(z) {
            observer.record(plan, z, field, None);
        }
    }
}

/// `Σ|A|²` of a field of any precision (summed in f64).
fn sum_of_squares<R: Real>(field: &[ComplexOf<R>]) -> f64 {
    field.iter().map(|a| a.norm_sqr().wide()).sum()
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
        let span = crate::propagation::section::test_span_80km();
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
