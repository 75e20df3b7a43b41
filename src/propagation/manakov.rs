//! Dual-polarisation propagation: the Manakov equation (polarisation averaged over fast random
//! birefringence, Marcuse, Menyuk & Wai, J. Lightwave Technol. 15(9), 1997):
//! `∂A/∂z = −(α/2)A − i(β2/2)∂²A/∂T² + (β3/6)∂³A/∂T³ + i(8/9)γ(|Ax|² + |Ay|²)A`, A = (Ax, Ay),
//! by the same symmetric split step as the scalar solver (one FFT pair per polarisation per step).

use super::nonlinear::{multiply_in_place, sin_cos_small};
use super::plan::SsfmPlan;
use super::section::FiberSection;
use crate::signal::Complex;

/// `(Ax, Ay) ← (Ax, Ay)·exp(i(8/9)γh(|Ax|² + |Ay|²))` with the inverse FFT's 1/N folded in.
fn manakov_kerr(x: &mut [Complex], y: &mut [Complex], scale: f64, gamma_h: f64) -> f64 {
    let coefficient = 8.0 / 9.0 * gamma_h;
    let mut peak = 0.0f64;
    for (a, b) in x.iter_mut().zip(y.iter_mut()) {
        *a *= scale;
        *b *= scale;
        let power = a.norm_sqr() + b.norm_sqr();
        peak = peak.max(power);
        let (s, c) = sin_cos_small(coefficient * power);
        let rotation = Complex::new(c, s);
        *a *= rotation;
        *b *= rotation;
    }
    peak
}

/// Propagates both polarisations through one section with `steps` equal symmetric steps (merged
/// half steps). Returns the FFTs run. `progress` gets the fraction of the section done.
pub fn propagate_manakov(
    plan: &mut SsfmPlan,
    section: &FiberSection,
    x: &mut [Complex],
    y: &mut [Complex],
    steps: usize,
    progress: &mut dyn FnMut(f64),
) -> u64 {
    let before = plan.fft_count();
    let h = section.length_km / steps as f64;
    let decay = (-0.25 * section.alpha_per_km() * h).exp();
    let (b2, b3) = (section.beta2_ps2_per_km, section.beta3_ps3_per_km);
    let half: Vec<Complex> = plan
        .omega_rad_per_ps()
        .iter()
        .map(|&w| Complex::from_polar(decay, (0.5 * b2 * w * w - b3 * w * w * w / 6.0) * 0.5 * h))
        .collect();
    let full: Vec<Complex> = half.iter().map(|v| v * v).collect();
    let inv_n = 1.0 / x.len() as f64;
    plan.forward(x);
    plan.forward(y);
    multiply_in_place(x, &half);
    multiply_in_place(y, &half);
    for step in 0..steps {
        plan.inverse(x);
        plan.inverse(y);
        manakov_kerr(x, y, inv_n, section.gamma_per_w_km * h);
        plan.forward(x);
        plan.forward(y);
        let op = if step + 1 == steps { &half } else { &full };
        multiply_in_place(x, op);
        multiply_in_place(y, op);
        progress((step + 1) as f64 / steps as f64);
    }
    plan.inverse(x);
    plan.inverse(y);
    x.iter_mut().chain(y.iter_mut()).for_each(|a| *a *= inv_n);
    plan.fft_count() - before
}
