//! The Kerr step `A ← A·exp(iγ|A|²h)`, fused with the inverse FFT's 1/N normalisation.

use super::real::{ComplexOf, Real};
use crate::signal::Complex;

/// Taylor coefficients of `cos x` in powers of x²: `(−1)^k/(2k)!`, k = 0…9.
pub(super) const COS_TAYLOR: [f64; 10] = [
    1.0,
    -1.0 / 2.0,
    1.0 / 24.0,
    -1.0 / 720.0,
    1.0 / 40_320.0,
    -1.0 / 3_628_800.0,
    1.0 / 479_001_600.0,
    -1.0 / 87_178_291_200.0,
    1.0 / 20_922_789_888_000.0,
    -1.0 / 6_402_373_705_728_000.0,
];

/// Taylor coefficients of `sin x / x` in powers of x²: `(−1)^k/(2k+1)!`, k = 0…9.
pub(super) const SIN_TAYLOR: [f64; 10] = [
    1.0,
    -1.0 / 6.0,
    1.0 / 120.0,
    -1.0 / 5_040.0,
    1.0 / 362_880.0,
    -1.0 / 39_916_800.0,
    1.0 / 6_227_020_800.0,
    -1.0 / 1_307_674_368_000.0,
    1.0 / 355_687_428_096_000.0,
    -1.0 / 121_645_100_408_832_000.0,
];

/// `Σ c_k·y^k` by Horner's rule (fixed-length slices: the loop is unrolled).
#[inline(always)]
fn horner(coefficients: &[f64], y: f64) -> f64 {
    coefficients.iter().rev().fold(0.0, |acc, &c| acc * y + c)
}

/// Samples processed per block: small enough to stay in L1, long enough for the polynomial pass
/// to vectorise.
pub(super) const BLOCK: usize = 256;

/// Lanes of the vectorised running maximum (one AVX-512 register of f64).
const LANES: usize = 8;

/// The largest phase (rad) each series length handles exactly to round-off, shortest first:
/// `(TERMS, limit)` with the first omitted cos term `x^{2·TERMS}/(2·TERMS)!` ≤ 1e-17 at the limit
/// (the sin term is smaller still), against a round-off of 2⁻⁵³ ≈ 1.1e-16.
pub(super) const SERIES_LIMITS: [(usize, f64); 6] = [
    (2, 1.2e-4),
    (3, 4.4e-3),
    (4, 0.028),
    (5, 0.089),
    (6, 0.2),
    (10, 1.0),
];

/// The same for f32 arithmetic (the f32 kernel's): first omitted cos term ≤ 1e-8 at the limit,
/// against an f32 round-off of 2⁻²⁴ ≈ 6e-8.
pub(super) const SERIES_LIMITS_F32: [(usize, f64); 5] =
    [(2, 0.022), (3, 0.139), (4, 0.38), (5, 0.66), (7, 1.0)];

/// How many terms of the sin and cos series a block whose largest phase is `largest_phase_rad`
/// needs ([`SERIES_LIMITS`]); `None` beyond 1 rad (libm then) or for a NaN.
pub(super) fn series_terms(largest_phase_rad: f64) -> Option<usize> {
    series_terms_in(&SERIES_LIMITS, largest_phase_rad)
}

/// The shortest series of `limits` that covers `largest_phase_rad`.
pub(super) fn series_terms_in(limits: &[(usize, f64)], largest_phase_rad: f64) -> Option<usize> {
    limits
        .iter()
        .find(|&&(_, limit)| largest_phase_rad <= limit)
        .map(|&(terms, _)| terms)
}

/// `(sin x, cos x)` by the first `TERMS` terms of each Taylor series (degree `2·TERMS − 1` for
/// sin, `2·TERMS − 2` for cos); exact to round-off up to the limit [`SERIES_LIMITS`] gives.
#[inline(always)]
fn sin_cos_series<const TERMS: usize>(x: f64) -> (f64, f64) {
    let x2 = x * x;
    (
        x * horner(&SIN_TAYLOR[..TERMS], x2),
        horner(&COS_TAYLOR[..TERMS], x2),
    )
}

/// The largest of `values` (0 for none; NaNs are skipped), as `LANES` running maxima the compiler
/// keeps in one vector register — a plain `fold(f64::max)` is a serial dependency chain.
#[inline(always)]
fn largest(values: &[f64]) -> f64 {
    let mut lanes = [0.0f64; LANES];
    let mut chunks = values.chunks_exact(LANES);
    for chunk in &mut chunks {
        for (lane, &v) in lanes.iter_mut().zip(chunk) {
            *lane = if v > *lane { v } else { *lane };
        }
    }
    let rest = chunks.remainder().iter();
    lanes
        .iter()
        .chain(rest)
        .fold(0.0, |m, &v| if v > m { v } else { m })
}

/// `sin[i], cos[i] ← scale·(sin, cos)(phase[i])` by the `TERMS`-term series, branch-free.
#[inline(always)]
fn rotations<const TERMS: usize>(phase: &[f64], scale: f64, sin: &mut [f64], cos: &mut [f64]) {
    for ((&x, s), c) in phase.iter().zip(sin.iter_mut()).zip(cos.iter_mut()) {
        let (sx, cx) = sin_cos_series::<TERMS>(x);
        *s = sx * scale;
        *c = cx * scale;
    }
}

/// Applies `a ← (a·scale)·exp(i·γh·|a·scale|²)` to every sample and returns the largest power
/// `|a·scale|²` seen (W). `gamma_h` is γ·h in 1/W.
///
/// Blocked over L1-resident blocks of `BLOCK` (256) samples: a read-only pass finds the block's
/// largest phase, which picks the shortest sin/cos series exact to round-off for it
/// (`SERIES_LIMITS`: 2 terms up to 1.2e-4 rad … 10 terms up to 1 rad, libm beyond), then one
/// pass rotates and scales. On x86-64 with AVX2+FMA (detected at run time) both passes are
/// intrinsics (module `kerr_x86`); elsewhere portable code the compiler vectorises.
pub fn apply_kerr_phase(field: &mut [Complex], scale: f64, gamma_h: f64) -> f64 {
    kerr_f64([field], scale, gamma_h)
}

/// The Manakov Kerr step on two polarisations: `(x, y) ← (x, y)·scale·exp(i·γh·(|x|² + |y|²)·scale²)`
/// (γh here already includes the 8/9), blocked and vectorised as [`apply_kerr_phase`]; returns the
/// largest total power `(|x|² + |y|²)·scale²` seen (W).
pub fn apply_manakov_kerr_phase(
    x: &mut [Complex],
    y: &mut [Complex],
    scale: f64,
    gamma_h: f64,
) -> f64 {
    kerr_f64([x, y], scale, gamma_h)
}

/// Whether the CPU has AVX2 and FMA (the intrinsic kernels' requirement; detected once, cached by
/// the standard library).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(super) fn avx2_fma() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

/// The f64 Kerr rotation: the AVX2+FMA kernel where the CPU has it, else the portable one.
#[inline(always)]
pub(super) fn kerr_f64<const K: usize>(
    fields: [&mut [Complex]; K],
    scale: f64,
    gamma_h: f64,
) -> f64 {
    #[cfg(target_arch = "x86_64")]
    {
        if avx2_fma() {
            // SAFETY: the CPU supports AVX2 and FMA (checked just above).
            return unsafe { super::kerr_x86::kerr::<f64, K>(fields, scale, gamma_h) };
        }
    }
    kerr_portable(fields, scale, gamma_h)
}

/// The f32 Kerr rotation: the AVX2+FMA kernel (eight lanes) where the CPU has it, else the
/// portable one.
pub(super) fn kerr_f32<const K: usize>(
    fields: [&mut [ComplexOf<f32>]; K],
    scale: f64,
    gamma_h: f64,
) -> f64 {
    #[cfg(target_arch = "x86_64")]
    {
        if avx2_fma() {
            // SAFETY: the CPU supports AVX2 and FMA (checked just above).
            return unsafe { super::kerr_x86::kerr::<f32, K>(fields, scale, gamma_h) };
        }
    }
    kerr_portable(fields, scale, gamma_h)
}

/// The f32 linear multiply: AVX2+FMA where the CPU has it, else portable.
pub(super) fn multiply_f32(field: &mut [ComplexOf<f32>], op: &[Complex]) {
    #[cfg(target_arch = "x86_64")]
    {
        if avx2_fma() {
            // SAFETY: the CPU supports AVX2 and FMA (checked just above).
            unsafe { super::kerr_x86_f32::multiply(field, op) };
            return;
        }
    }
    multiply_portable(field, op);
}

/// The blocked Kerr rotation of K fields sharing one phase `γh·Σ|a_k|²·scale²`, in portable
/// code (the x86-64 kernels' fallback, and their path for tails and phases beyond 1 rad); the
/// arithmetic is f64 whatever the samples' precision.
pub(super) fn kerr_portable<R: Real, const K: usize>(
    mut fields: [&mut [ComplexOf<R>]; K],
    scale: f64,
    gamma_h: f64,
) -> f64 {
    let n = fields.iter().map(|f| f.len()).min().unwrap_or(0);
    let scale2 = scale * scale;
    let mut peak = 0.0f64;
    let mut phase = [0.0f64; BLOCK];
    let mut sin = [0.0f64; BLOCK];
    let mut cos = [0.0f64; BLOCK];
    let mut start = 0;
    while start < n {
        let len = BLOCK.min(n - start);
        let phase = &mut phase[..len];
        phase.fill(0.0);
        for field in fields.iter() {
            for (a, phi) in field[start..start + len].iter().zip(phase.iter_mut()) {
                let (re, im) = (a.re.wide(), a.im.wide());
                *phi += re * re + im * im;
            }
        }
        let block_peak = largest(phase) * scale2;
        peak = peak.max(block_peak);
        let to_phase = gamma_h * scale2;
        phase.iter_mut().for_each(|phi| *phi *= to_phase);
        let largest_phase = (gamma_h * block_peak).abs();
        let (sin, cos) = (&mut sin[..len], &mut cos[..len]);
        match series_terms(largest_phase) {
            Some(2) => rotations::<2>(phase, scale, sin, cos),
            Some(3) => rotations::<3>(phase, scale, sin, cos),
            Some(4) => rotations::<4>(phase, scale, sin, cos),
            Some(5) => rotations::<5>(phase, scale, sin, cos),
            Some(6) => rotations::<6>(phase, scale, sin, cos),
            Some(_) => rotations::<10>(phase, scale, sin, cos),
            None => {
                for ((&x, s), c) in phase.iter().zip(sin.iter_mut()).zip(cos.iter_mut()) {
                    let (sx, cx) = x.sin_cos();
                    *s = sx * scale;
                    *c = cx * scale;
                }
            }
        }
        for field in fields.iter_mut() {
            let block = &mut field[start..start + len];
            for ((a, &s), &c) in block.iter_mut().zip(sin.iter()).zip(cos.iter()) {
                let (re, im) = (a.re.wide(), a.im.wide());
                *a = ComplexOf::new(R::of(re * c - im * s), R::of(re * s + im * c));
            }
        }
        start += len;
    }
    peak
}

/// `field ← field · op` element by element (the linear step in the frequency domain), in AVX2+FMA
/// intrinsics when the CPU has them.
pub fn multiply_in_place(field: &mut [Complex], op: &[Complex]) {
    #[cfg(target_arch = "x86_64")]
    {
        if avx2_fma() {
            // SAFETY: the CPU supports AVX2 and FMA (checked just above).
            unsafe { super::kerr_x86::multiply(field, op) };
            return;
        }
    }
    multiply_portable(field, op);
}

/// `field ← field · op` in portable code.
pub(super) fn multiply_portable<R: Real>(field: &mut [ComplexOf<R>], op: &[Complex]) {
    for (a, o) in field.iter_mut().zip(op) {
        let product = Complex::new(a.re.wide(), a.im.wide()) * o;
        *a = ComplexOf::new(R::of(product.re), R::of(product.im));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each series against libm over its range, to round-off (3e-16 absolute for |x| ≤ 1).
    #[test]
    fn series_match_libm_over_their_ranges() {
        fn check<const TERMS: usize>(limit: f64) {
            for i in -1000..=1000 {
                let x = limit * f64::from(i) / 1000.0;
                let (s, c) = sin_cos_series::<TERMS>(x);
                assert!(
                    (s - x.sin()).abs() <= 3e-16 * x.abs().max(1e-300),
                    "sin {x}"
                );
                assert!((c - x.cos()).abs() <= 3e-16, "cos {x}");
            }
        }
        check::<2>(1.2e-4);
        check::<3>(4.4e-3);
        check::<4>(0.028);
        check::<5>(0.089);
        check::<6>(0.2);
        check::<10>(1.0);
    }

    /// A field whose blocks' largest phases fall in every series range and beyond 1 rad, plus a
    /// tail shorter than a vector.
    fn every_range_field() -> Vec<Complex> {
        let phases = [1e-4, 3e-3, 0.02, 0.06, 0.15, 0.8, 3.0];
        (0..phases.len() * BLOCK + 3)
            .map(|i| {
                let largest = phases[(i / BLOCK).min(phases.len() - 1)];
                let power = largest * (1.0 + (i % 5) as f64) / 5.0;
                Complex::from_polar(power.sqrt(), i as f64 * 0.37)
            })
            .collect()
    }

    /// `a·scale·exp(i·γh·P·scale²)` by libm.
    fn exact_rotation(a: Complex, power: f64, scale: f64, gamma_h: f64) -> Complex {
        a * scale * Complex::from_polar(1.0, gamma_h * power * scale * scale)
    }

    /// The dispatched kernel (AVX2 intrinsics where the CPU has them) and the portable one both
    /// rotate every sample as libm's `exp(iφ)` does, to round-off, in every series range.
    #[test]
    fn every_branch_rotates_as_libm() {
        let field = every_range_field();
        let (scale, gamma_h) = (0.5, 4.0);
        let mut dispatched = field.clone();
        let mut portable = field.clone();
        let peak = apply_kerr_phase(&mut dispatched, scale, gamma_h);
        let peak_portable = kerr_portable::<f64, 1>([&mut portable[..]], scale, gamma_h);
        let expected_peak = field.iter().map(|a| a.norm_sqr()).fold(0.0, f64::max) * 0.25;
        assert_eq!(peak, expected_peak);
        assert_eq!(peak_portable, expected_peak);
        for ((a, d), p) in field.iter().zip(&dispatched).zip(&portable) {
            let exact = exact_rotation(*a, a.norm_sqr(), scale, gamma_h);
            let tolerance = 4e-16 * exact.norm();
            assert!((d - exact).norm() <= tolerance, "{a}: {d} vs {exact}");
            assert!((p - exact).norm() <= tolerance, "{a}: {p} vs {exact}");
        }
    }

    /// The Manakov kernel rotates both polarisations by their total power, in every range.
    #[test]
    fn manakov_kernel_rotates_as_libm() {
        let x = every_range_field();
        let y: Vec<Complex> = x.iter().rev().map(|a| a * 0.5).collect();
        let (scale, gamma_h) = (0.25, 8.0);
        let (mut xd, mut yd) = (x.clone(), y.clone());
        apply_manakov_kerr_phase(&mut xd, &mut yd, scale, gamma_h);
        let (mut xp, mut yp) = (x.clone(), y.clone());
        kerr_portable::<f64, 2>([&mut xp[..], &mut yp[..]], scale, gamma_h);
        for i in 0..x.len() {
            let power = x[i].norm_sqr() + y[i].norm_sqr();
            for (a, got) in [(x[i], xd[i]), (x[i], xp[i]), (y[i], yd[i]), (y[i], yp[i])] {
                let exact = exact_rotation(a, power, scale, gamma_h);
                assert!(
                    (got - exact).norm() <= 4e-16 * exact.norm(),
                    "{i}: {got} vs {exact}"
                );
            }
        }
    }

    /// The f32 kernel (dispatched) and the portable one on f32 samples rotate every sample as
    /// libm's `exp(iφ)` does, to f32 round-off (4 ulp of the sample), in every f32 series range.
    #[test]
    fn f32_kernel_rotates_as_libm() {
        let field = every_range_field();
        let narrow: Vec<ComplexOf<f32>> = field
            .iter()
            .map(|a| ComplexOf::new(a.re as f32, a.im as f32))
            .collect();
        let (scale, gamma_h) = (0.5, 4.0);
        let mut dispatched = narrow.clone();
        let mut portable = narrow.clone();
        kerr_f32([&mut dispatched[..]], scale, gamma_h);
        kerr_portable::<f32, 1>([&mut portable[..]], scale, gamma_h);
        for ((a, d), p) in narrow.iter().zip(&dispatched).zip(&portable) {
            let a = Complex::new(f64::from(a.re), f64::from(a.im));
            let exact = exact_rotation(a, a.norm_sqr(), scale, gamma_h);
            let tolerance = 4.0 * f64::from(f32::EPSILON) * exact.norm();
            for got in [d, p] {
                let got = Complex::new(f64::from(got.re), f64::from(got.im));
                assert!((got - exact).norm() <= tolerance, "{a}: {got} vs {exact}");
            }
        }
    }

    /// The dispatched linear multiply is the complex product to round-off, in f64 and for f32
    /// samples (odd length: the vector loop's tail too).
    #[test]
    fn multiply_matches_complex_product() {
        let field = every_range_field();
        let op: Vec<Complex> = (0..field.len())
            .map(|i| Complex::from_polar(0.9, i as f64 * 1.7))
            .collect();
        let mut dispatched = field.clone();
        multiply_in_place(&mut dispatched, &op);
        for ((a, o), d) in field.iter().zip(&op).zip(&dispatched) {
            assert!(
                (d - a * o).norm() <= 2.3e-16 * (a * o).norm(),
                "{d} vs {}",
                a * o
            );
        }
        // f32 samples times the f64 operator: the product rounded once to f32.
        let narrow: Vec<ComplexOf<f32>> = field
            .iter()
            .map(|a| ComplexOf::new(a.re as f32, a.im as f32))
            .collect();
        let mut single = narrow.clone();
        multiply_f32(&mut single, &op);
        for ((a, o), d) in narrow.iter().zip(&op).zip(&single) {
            let exact = Complex::new(f64::from(a.re), f64::from(a.im)) * o;
            let got = Complex::new(f64::from(d.re), f64::from(d.im));
            assert!(
                (got - exact).norm() <= f64::from(f32::EPSILON) * exact.norm(),
                "{got} vs {exact}"
            );
        }
    }

    #[test]
    fn kerr_step_rotates_phase_by_gamma_p_h() {
        let mut field = vec![Complex::new(2.0, 0.0), Complex::new(0.0, 1.0)];
        let peak = apply_kerr_phase(&mut field, 0.5, 0.3);
        assert_eq!(peak, 1.0);
        // |a|² = 1 -> phase 0.3; |a|² = 0.25 -> phase 0.075.
        assert!((field[0].arg() - 0.3).abs() < 1e-15);
        assert!((field[1].arg() - (std::f64::consts::FRAC_PI_2 + 0.075)).abs() < 1e-15);
        assert!((field[1].norm() - 0.5).abs() < 1e-15);
    }

    #[test]
    fn manakov_kerr_step_rotates_both_polarisations_by_the_total_power() {
        let mut x = vec![Complex::new(1.0, 0.0); 100];
        let mut y = vec![Complex::new(0.0, 2.0); 100];
        let peak = apply_manakov_kerr_phase(&mut x, &mut y, 0.5, 0.2);
        // Total power (1 + 4)/4 = 1.25 W -> phase 0.25 rad on both.
        assert!((peak - 1.25).abs() < 1e-15);
        assert!((x[99].arg() - 0.25).abs() < 1e-15 && (x[99].norm() - 0.5).abs() < 1e-15);
        assert!((y[0].arg() - (std::f64::consts::FRAC_PI_2 + 0.25)).abs() < 1e-15);
    }
}
