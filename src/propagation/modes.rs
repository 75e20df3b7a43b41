//! The field a split step advances — one polarisation (scalar NLSE) or two (Manakov) — so that
//! one solver loop ([`super::solver`]) serves both. Between steps the field is held as spectra.

use super::plan::{both, SsfmPlan, PARALLEL_SAMPLES};
use super::real::{ComplexOf, Real};
use crate::signal::Complex;

/// What the solver loop needs of a field in one or more polarisations.
pub(super) trait Modes {
    /// The precision of the samples.
    type Real: Real;
    /// Inverse FFT of every polarisation, each first multiplied by `op` if given.
    fn inverse(&mut self, plan: &mut SsfmPlan<Self::Real>, op: Option<&[Complex]>);
    /// Forward FFT of every polarisation, each then multiplied by `op` if given.
    fn forward(&mut self, plan: &mut SsfmPlan<Self::Real>, op: Option<&[Complex]>);
    /// Multiplies every polarisation by `op` (a linear operator on spectra).
    fn multiply(&mut self, op: &[Complex]);
    /// The Kerr rotation in the time domain with the inverse FFT's `1/N` (`scale`) folded in,
    /// for `γ·h` = `gamma_h`: `A ← A·scale·exp(i·k·γh·P)`, `k = 1` and `P = |A|²` for one
    /// polarisation, `k = 8/9` and `P = |Ax|² + |Ay|²` for two (Manakov). Returns the peak phase
    /// applied (rad) and the peak power `P` (W).
    fn kerr(&mut self, scale: f64, gamma_h: f64) -> (f64, f64);
    /// Copies this field into `coarse` and `fine` (the trial steps of the local-error method).
    fn copy_into(&self, coarse: &mut Self, fine: &mut Self);
    /// `(Σ|f − c|², Σ|f|²)` over every polarisation.
    fn difference_and_norm(fine: &Self, coarse: &Self) -> (f64, f64);
    /// Local extrapolation of an accepted step: `A ← (4·fine − coarse)/3`.
    fn extrapolate(&mut self, fine: &Self, coarse: &Self);
    /// Multiplies every sample by `factor`.
    fn scale(&mut self, factor: f64);
}

/// One polarisation.
pub(super) struct One<'a, R: Real = f64>(pub &'a mut [ComplexOf<R>]);

/// Two polarisations (Manakov); long fields are processed on two threads.
pub(super) struct Two<'a, R: Real = f64>(pub &'a mut [ComplexOf<R>], pub &'a mut [ComplexOf<R>]);

impl<R: Real> Two<'_, R> {
    fn parallel(&self) -> bool {
        self.0.len() >= PARALLEL_SAMPLES
    }
}

/// `(Σ|f − c|², Σ|f|²)` of one (fine, coarse) pair (summed in f64).
fn difference_and_norm<R: Real>(fine: &[ComplexOf<R>], coarse: &[ComplexOf<R>]) -> (f64, f64) {
    fine.iter().zip(coarse).fold((0.0, 0.0), |(d, n), (f, c)| {
        ((d + (*f - *c).norm_sqr().wide()), n + f.norm_sqr().wide())
    })
}

/// `u ← (4·fine − coarse)/3`.
fn extrapolate<R: Real>(u: &mut [ComplexOf<R>], fine: &[ComplexOf<R>], coarse: &[ComplexOf<R>]) {
    let (four, three) = (R::of(4.0), R::of(3.0));
    for ((u, f), c) in u.iter_mut().zip(fine).zip(coarse) {
        *u = (*f * four - *c) / three;
    }
}

impl<R: Real> Modes for One<'_, R> {
    type Real = R;

    fn inverse(&mut self, plan: &mut SsfmPlan<R>, op: Option<&[Complex]>) {
        if let Some(op) = op {
            R::multiply(self.0, op);
        }
        plan.inverse(self.0);
    }

    fn forward(&mut self, plan: &mut SsfmPlan<R>, op: Option<&[Complex]>) {
        plan.forward(self.0);
        if let Some(op) = op {
            R::multiply(self.0, op);
        }
    }

    fn multiply(&mut self, op: &[Complex]) {
        R::multiply(self.0, op);
    }

    fn kerr(&mut self, scale: f64, gamma_h: f64) -> (f64, f64) {
        let peak = R::kerr([&mut *self.0], scale, gamma_h);
        (gamma_h * peak, peak)
    }

    fn copy_into(&self, coarse: &mut Self, fine: &mut Self) {
        coarse.0.copy_from_slice(self.0);
        fine.0.copy_from_slice(self.0);
    }

    fn difference_and_norm(fine: &Self, coarse: &Self) -> (f64, f64) {
        difference_and_norm(fine.0, coarse.0)
    }

    fn extrapolate(&mut self, fine: &Self, coarse: &Self) {
        extrapolate(self.0, fine.0, coarse.0);
    }

    fn scale(&mut self, factor: f64) {
        let factor = R::of(factor);
        self.0.iter_mut().for_each(|a| *a = *a * factor);
    }
}

impl<R: Real> Modes for Two<'_, R> {
    type Real = R;

    fn inverse(&mut self, plan: &mut SsfmPlan<R>, op: Option<&[Complex]>) {
        plan.inverse_pair(self.0, self.1, op);
    }

    fn forward(&mut self, plan: &mut SsfmPlan<R>, op: Option<&[Complex]>) {
        plan.forward_pair(self.0, self.1, op);
    }

    fn multiply(&mut self, op: &[Complex]) {
        let parallel = self.parallel();
        let Two(x, y) = self;
        both(parallel, || R::multiply(x, op), || R::multiply(y, op));
    }

    fn kerr(&mut self, scale: f64, gamma_h: f64) -> (f64, f64) {
        let coefficient = 8.0 / 9.0 * gamma_h;
        let middle = self.0.len() / 2;
        let (x0, x1) = self.0.split_at_mut(middle);
        let (y0, y1) = self.1.split_at_mut(middle);
        let (a, b) = both(
            middle >= PARALLEL_SAMPLES / 2,
            || R::kerr([x0, y0], scale, coefficient),
            || R::kerr([x1, y1], scale, coefficient),
        );
        let peak = a.max(b);
        (coefficient * peak, peak)
    }

    fn copy_into(&self, coarse: &mut Self, fine: &mut Self) {
        let copy = |u: &[ComplexOf<R>], c: &mut [ComplexOf<R>], f: &mut [ComplexOf<R>]| {
            c.copy_from_slice(u);
            f.copy_from_slice(u);
        };
        let (Two(cx, cy), Two(fx, fy)) = (coarse, fine);
        both(
            self.parallel(),
            || copy(self.0, cx, fx),
            || copy(self.1, cy, fy),
        );
    }

    fn difference_and_norm(fine: &Self, coarse: &Self) -> (f64, f64) {
        let ((dx, nx), (dy, ny)) = both(
            fine.parallel(),
            || difference_and_norm(fine.0, coarse.0),
            || difference_and_norm(fine.1, coarse.1),
        );
        (dx + dy, nx + ny)
    }

    fn extrapolate(&mut self, fine: &Self, coarse: &Self) {
        let parallel = self.parallel();
        let Two(x, y) = self;
        both(
            parallel,
            || extrapolate(x, fine.0, coarse.0),
            || extrapolate(y, fine.1, coarse.1),
        );
    }

    fn scale(&mut self, factor: f64) {
        let factor = R::of(factor);
        self.0
            .iter_mut()
            .chain(self.1.iter_mut())
            .for_each(|a| *a = *a * factor);
    }
}
