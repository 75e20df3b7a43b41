//! The sample precision of the split step: `f64` (the default) or `f32` (`[solver] precision =
//! "f32"`), with the two passes a step makes beside its FFTs — the Kerr rotation and the linear
//! multiply — for each. Inputs, outputs, the linear operators and every measurement stay `f64`;
//! only the propagating field, its spectra and the FFTs take the chosen precision.

use rustfft::num_traits::Float;

use super::four_step::ColumnMoves;
use super::nonlinear;
use crate::signal::fft_plans::Planned;
use crate::signal::Complex;

/// A complex sample of precision `R`.
pub type ComplexOf<R> = rustfft::num_complex::Complex<R>;

/// A precision the split step runs in.
pub trait Real: Planned + Float + Default + ColumnMoves {
    /// `"f64"` or `"f32"`, as the input files spell it.
    const NAME: &'static str;
    /// Whether a fibre's output energy is set to the exact loss law `E_in·e^{−αL}` (the Kerr and
    /// dispersion steps conserve energy, so the law is exact for the equation solved): f32's
    /// FFT round-off is biased (−1e-7 of the energy per step measured at 2^14, −8e-4 over
    /// 8,000 steps), f64's is not (2e-12 over the same run), so only f32 does it.
    const SETTLES_ENERGY: bool;
    /// `x` rounded to this precision.
    fn of(x: f64) -> Self;
    /// This value as f64 (exact).
    fn wide(self) -> f64;
    /// The Kerr rotation of K fields sharing the phase `γh·Σ|a_k|²·scale²`, scaled by `scale`;
    /// returns the largest `Σ|a_k|²·scale²` (W).
    fn kerr<const K: usize>(fields: [&mut [ComplexOf<Self>]; K], scale: f64, gamma_h: f64) -> f64;
    /// `field ← field · op` element by element.
    fn multiply(field: &mut [ComplexOf<Self>], op: &[Complex]);
}

impl Real for f64 {
    const NAME: &'static str = "f64";
    const SETTLES_ENERGY: bool = false;

    fn of(x: f64) -> Self {
        x
    }

    fn wide(self) -> f64 {
        self
    }

    fn kerr<const K: usize>(fields: [&mut [ComplexOf<f64>]; K], scale: f64, gamma_h: f64) -> f64 {
        nonlinear::kerr_f64(fields, scale, gamma_h)
    }

    fn multiply(field: &mut [ComplexOf<f64>], op: &[Complex]) {
        nonlinear::multiply_in_place(field, op);
    }
}

impl Real for f32 {
    const NAME: &'static str = "f32";
    const SETTLES_ENERGY: bool = true;

    fn of(x: f64) -> Self {
        x as f32
    }

    fn wide(self) -> f64 {
        f64::from(self)
    }

    fn kerr<const K: usize>(fields: [&mut [ComplexOf<f32>]; K], scale: f64, gamma_h: f64) -> f64 {
        nonlinear::kerr_f32(fields, scale, gamma_h)
    }

    fn multiply(field: &mut [ComplexOf<f32>], op: &[Complex]) {
        nonlinear::multiply_f32(field, op);
    }
}

/// The precision a propagation runs in (`[solver] precision` / `[propagation] precision`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Double precision (the default).
    #[default]
    F64,
    /// Single precision: about twice as fast per step, round-off ~1e-7 per operation.
    F32,
}

impl Precision {
    /// `"f64"` or `"f32"`.
    pub fn name(self) -> &'static str {
        match self {
            Precision::F64 => f64::NAME,
            Precision::F32 => f32::NAME,
        }
    }
}

/// `field` in precision `R` (rounded for f32).
pub fn narrow<R: Real>(field: &[Complex]) -> Vec<ComplexOf<R>> {
    let mut narrow = Vec::with_capacity(field.len());
    narrow_into(field, &mut narrow);
    narrow
}

/// `wide ← narrow` widened to f64 (exact), element by element.
pub fn widen_into<R: Real>(narrow: &[ComplexOf<R>], wide: &mut [Complex]) {
    for (w, a) in wide.iter_mut().zip(narrow) {
        *w = Complex::new(a.re.wide(), a.im.wide());
    }
}

/// `narrow ← wide` rounded to precision `R`, resized to it.
pub fn narrow_into<R: Real>(wide: &[Complex], narrow: &mut Vec<ComplexOf<R>>) {
    narrow.clear();
    narrow.extend(
        wide.iter()
            .map(|a| ComplexOf::new(R::of(a.re), R::of(a.im))),
    );
}

/// Sets the energy of `fields` to `target` (any precision; nothing for a zero field), by one
/// common factor.
pub(super) fn settle_energy<R: Real>(fields: [&mut [ComplexOf<R>]; 2], target: f64) {
    let now: f64 = fields
        .iter()
        .flat_map(|f| f.iter())
        .map(|a| a.norm_sqr().wide())
        .sum();
    if now > 0.0 && target.is_finite() {
        let factor = R::of((target / now).sqrt());
        for field in fields {
            field.iter_mut().for_each(|a| *a = *a * factor);
        }
    }
}
