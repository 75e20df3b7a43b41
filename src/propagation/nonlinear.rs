//! The Kerr step `A ← A·exp(iγ|A|²h)`, fused with the inverse FFT's 1/N normalisation.

use crate::signal::Complex;

/// Taylor coefficients of `cos x` in powers of x²: `(−1)^k/(2k)!`, k = 0…9.
const COS_TAYLOR: [f64; 10] = [
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
const SIN_TAYLOR: [f64; 10] = [
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

/// `(sin x, cos x)`: Taylor series to x¹⁹ for |x| ≤ 1 (truncation < 1/20! ≈ 4e-19, so the result is
/// exact to round-off), libm otherwise. Per-step nonlinear phases are far below 1 rad, so the fast
/// branch is the one taken and a libm call per sample is avoided.
#[inline(always)]
pub fn sin_cos_small(x: f64) -> (f64, f64) {
    if x.abs() > 1.0 {
        return x.sin_cos();
    }
    let x2 = x * x;
    (x * horner(&SIN_TAYLOR, x2), horner(&COS_TAYLOR, x2))
}

/// Samples processed per block: small enough to stay in L1, long enough for the polynomial pass
/// to vectorise.
const BLOCK: usize = 64;

/// `(sin x, cos x)` for |x| ≤ 0.1 by Taylor series to x⁹ (truncation < 0.1¹⁰/10! ≈ 3e-17).
#[inline(always)]
fn sin_cos_tiny(x: f64) -> (f64, f64) {
    let x2 = x * x;
    (
        x * horner(&SIN_TAYLOR[..5], x2),
        horner(&COS_TAYLOR[..5], x2),
    )
}

/// Applies `a ← (a·scale)·exp(i·γh·|a·scale|²)` to every sample and returns the largest power
/// `|a·scale|²` seen (W). `gamma_h` is γ·h in 1/W.
///
/// Blocked over L1-resident blocks of `BLOCK` (64) samples: a read-only pass computes the phases,
/// then sin/cos by the cheapest series that is exact to round-off for the block's largest phase
/// (|φ| ≤ 0.1: degree 9; ≤ 1: degree 19; else libm) in a branch-free loop the compiler vectorises,
/// then one pass rotates and scales. On x86-64 with AVX2+FMA (detected at run time) the same code
/// is compiled for those instructions.
pub fn apply_kerr_phase(field: &mut [Complex], scale: f64, gamma_h: f64) -> f64 {
    kerr_dispatch([field], scale, gamma_h)
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
    kerr_dispatch([x, y], scale, gamma_h)
}

#[inline(always)]
fn kerr_dispatch<const K: usize>(fields: [&mut [Complex]; K], scale: f64, gamma_h: f64) -> f64 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU supports AVX2 and FMA (checked just above).
            return unsafe { kerr_avx2(fields, scale, gamma_h) };
        }
    }
    kerr_blocks(fields, scale, gamma_h)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn kerr_avx2<const K: usize>(fields: [&mut [Complex]; K], scale: f64, gamma_h: f64) -> f64 {
    kerr_blocks(fields, scale, gamma_h)
}

/// The blocked Kerr rotation of K fields sharing one phase `γh·Σ|a_k|²·scale²`.
#[inline(always)]
fn kerr_blocks<const K: usize>(mut fields: [&mut [Complex]; K], scale: f64, gamma_h: f64) -> f64 {
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
                *phi += a.re * a.re + a.im * a.im;
            }
        }
        let mut block_peak = 0.0f64;
        for phi in phase.iter_mut() {
            let power = *phi * scale2;
            block_peak = block_peak.max(power);
            *phi = gamma_h * power;
        }
        peak = peak.max(block_peak);
        let largest_phase = (gamma_h * block_peak).abs();
        let (sin, cos) = (&mut sin[..len], &mut cos[..len]);
        if largest_phase <= 0.1 {
            for ((&x, s), c) in phase.iter().zip(sin.iter_mut()).zip(cos.iter_mut()) {
                let (sx, cx) = sin_cos_tiny(x);
                *s = sx * scale;
                *c = cx * scale;
            }
        } else {
            for ((&x, s), c) in phase.iter().zip(sin.iter_mut()).zip(cos.iter_mut()) {
                let (sx, cx) = sin_cos_small(x);
                *s = sx * scale;
                *c = cx * scale;
            }
        }
        for field in fields.iter_mut() {
            let block = &mut field[start..start + len];
            for ((a, &s), &c) in block.iter_mut().zip(sin.iter()).zip(cos.iter()) {
                *a = Complex::new(a.re * c - a.im * s, a.re * s + a.im * c);
            }
        }
        start += len;
    }
    peak
}

/// `field ← field · op` element by element (the linear step in the frequency domain), compiled for
/// AVX2+FMA when the CPU has them.
pub fn multiply_in_place(field: &mut [Complex], op: &[Complex]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU supports AVX2 and FMA (checked just above).
            unsafe { multiply_avx2(field, op) };
            return;
        }
    }
    multiply_plain(field, op);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn multiply_avx2(field: &mut [Complex], op: &[Complex]) {
    multiply_plain(field, op);
}

#[inline(always)]
fn multiply_plain(field: &mut [Complex], op: &[Complex]) {
    for (a, o) in field.iter_mut().zip(op) {
        *a = Complex::new(a.re * o.re - a.im * o.im, a.re * o.im + a.im * o.re);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_sin_cos_matches_libm() {
        let mut x = -3.0f64;
        while x < 3.0 {
            let (s, c) = sin_cos_small(x);
            assert!((s - x.sin()).abs() < 3e-16, "sin {x}");
            assert!((c - x.cos()).abs() < 3e-16, "cos {x}");
            x += 0.000_731;
        }
    }

    #[test]
    fn tiny_series_matches_libm() {
        let mut x = -0.1f64;
        while x <= 0.1 {
            let (s, c) = sin_cos_tiny(x);
            assert!(
                (s - x.sin()).abs() < 2e-17 + 1e-16 * x.abs() && (c - x.cos()).abs() < 2e-16,
                "{x}"
            );
            x += 0.000_37;
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
