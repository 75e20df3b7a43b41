//! The two passes a split step makes beside its FFTs — the Kerr rotation and the linear multiply —
//! in AVX2+FMA intrinsics, four complex samples (two 256-bit registers) per iteration, for CPUs
//! that have them (checked at run time by the callers in [`super::nonlinear`]).
//!
//! Complex numbers are stored `[re, im]` (num-complex is `repr(C)`), so a register holds two
//! samples. The products use `fmaddsub`: for `a·(c + is)` with `a = [re, im]`,
//! `fmaddsub(a, [c, c], swap(a)·[s, s]) = [re·c − im·s, im·c + re·s]`.

use std::arch::x86_64::*;

use super::nonlinear::{kerr_portable, series_terms, BLOCK, COS_TAYLOR, SIN_TAYLOR};
use crate::signal::Complex;

/// The Kerr rotation of K fields sharing the phase `γh·Σ|a_k|²·scale²`, scaled by `scale`;
/// returns the largest `Σ|a_k|²·scale²`. Blocks of [`BLOCK`] samples: one pass stores the block's
/// powers (in L1) and finds its peak, which picks the shortest series exact to round-off
/// ([`series_terms`]); a second pass rotates with it. Tails shorter than four samples and blocks
/// whose phase exceeds 1 rad go to [`kerr_portable`].
///
/// # Safety
/// The CPU must support AVX2 and FMA.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn kerr<const K: usize>(
    mut fields: [&mut [Complex]; K],
    scale: f64,
    gamma_h: f64,
) -> f64 {
    let n = fields.iter().map(|f| f.len()).min().unwrap_or(0);
    let vector_n = n - n % 4;
    let scale2 = scale * scale;
    let coefficient = gamma_h * scale2;
    let mut powers = [0.0f64; BLOCK];
    let mut peak = 0.0f64;
    let mut start = 0;
    while start < vector_n {
        let len = BLOCK.min(vector_n - start);
        let pointers: [*mut f64; K] =
            std::array::from_fn(|k| fields[k].as_mut_ptr().add(start).cast::<f64>());
        let block_peak = store_powers(&pointers, &mut powers[..len]) * scale2;
        peak = peak.max(block_peak);
        let powers = &powers[..len];
        match series_terms((gamma_h * block_peak).abs()) {
            Some(2) => rotate::<K, 2>(&pointers, powers, coefficient, scale),
            Some(3) => rotate::<K, 3>(&pointers, powers, coefficient, scale),
            Some(4) => rotate::<K, 4>(&pointers, powers, coefficient, scale),
            Some(5) => rotate::<K, 5>(&pointers, powers, coefficient, scale),
            Some(6) => rotate::<K, 6>(&pointers, powers, coefficient, scale),
            Some(_) => rotate::<K, 10>(&pointers, powers, coefficient, scale),
            None => {
                let block = fields.each_mut().map(|f| &mut f[start..start + len]);
                kerr_portable(block, scale, gamma_h);
            }
        }
        start += len;
    }
    if vector_n < n {
        let tail = fields.each_mut().map(|f| &mut f[vector_n..n]);
        peak = peak.max(kerr_portable(tail, scale, gamma_h));
    }
    peak
}

/// Writes `Σ_k |a_k|²` of the `powers.len()` (a multiple of 4) samples at `fields` into `powers`,
/// in the lane order `i, i+2, i+1, i+3` of each group of four, and returns the largest (NaNs
/// skipped: `max_pd(a, b)` returns b when a is NaN).
#[inline(always)]
unsafe fn store_powers<const K: usize>(fields: &[*mut f64; K], powers: &mut [f64]) -> f64 {
    let mut lanes = _mm256_setzero_pd();
    for i in (0..powers.len()).step_by(4) {
        let mut sum = _mm256_setzero_pd();
        for &field in fields {
            let p = field.add(2 * i);
            let (a0, a1) = (_mm256_loadu_pd(p), _mm256_loadu_pd(p.add(4)));
            sum = _mm256_add_pd(
                sum,
                _mm256_hadd_pd(_mm256_mul_pd(a0, a0), _mm256_mul_pd(a1, a1)),
            );
        }
        _mm256_storeu_pd(powers.as_mut_ptr().add(i), sum);
        lanes = _mm256_max_pd(sum, lanes);
    }
    let mut out = [0.0f64; 4];
    _mm256_storeu_pd(out.as_mut_ptr(), lanes);
    out.into_iter().fold(0.0, f64::max)
}

/// `Σ c_j·y^j` by Horner's rule with fused multiply-adds.
#[inline(always)]
unsafe fn horner<const TERMS: usize>(coefficients: &[__m256d; TERMS], y: __m256d) -> __m256d {
    let mut acc = coefficients[TERMS - 1];
    for &c in coefficients[..TERMS - 1].iter().rev() {
        acc = _mm256_fmadd_pd(acc, y, c);
    }
    acc
}

/// The first `TERMS` coefficients of `series`, each times `scale`, broadcast to all lanes.
#[inline(always)]
unsafe fn scaled<const TERMS: usize>(series: &[f64; 10], scale: f64) -> [__m256d; TERMS] {
    std::array::from_fn(|j| _mm256_set1_pd(series[j] * scale))
}

/// Rotates the samples at `fields` (as many as `powers`, a multiple of 4) by
/// `exp(i·coefficient·power)` and scales them by `scale`, sin and cos by their `TERMS`-term series
/// (`scale` folded into their coefficients).
#[inline(always)]
unsafe fn rotate<const K: usize, const TERMS: usize>(
    fields: &[*mut f64; K],
    powers: &[f64],
    coefficient: f64,
    scale: f64,
) {
    let sin_series = scaled::<TERMS>(&SIN_TAYLOR, scale);
    let cos_series = scaled::<TERMS>(&COS_TAYLOR, scale);
    let coefficient = _mm256_set1_pd(coefficient);
    for i in (0..powers.len()).step_by(4) {
        let phase = _mm256_mul_pd(_mm256_loadu_pd(powers.as_ptr().add(i)), coefficient);
        let phase2 = _mm256_mul_pd(phase, phase);
        let sin = _mm256_mul_pd(phase, horner(&sin_series, phase2));
        let cos = horner(&cos_series, phase2);
        for &field in fields {
            let p = field.add(2 * i);
            let (re, im) = split(p);
            let rotated_re = _mm256_fmsub_pd(re, cos, _mm256_mul_pd(im, sin));
            let rotated_im = _mm256_fmadd_pd(re, sin, _mm256_mul_pd(im, cos));
            _mm256_storeu_pd(p, _mm256_unpacklo_pd(rotated_re, rotated_im));
            _mm256_storeu_pd(p.add(4), _mm256_unpackhi_pd(rotated_re, rotated_im));
        }
    }
}

/// The real and imaginary parts of the four samples at `p`, in the lane order `0, 2, 1, 3`
/// (`unpacklo`/`unpackhi` of the two registers; the same pair of instructions puts them back).
#[inline(always)]
unsafe fn split(p: *const f64) -> (__m256d, __m256d) {
    let (a0, a1) = (_mm256_loadu_pd(p), _mm256_loadu_pd(p.add(4)));
    (_mm256_unpacklo_pd(a0, a1), _mm256_unpackhi_pd(a0, a1))
}

/// `a·(re + i·im)` for two samples `a = [re₀, im₀, re₁, im₁]`, with `re`, `im` duplicated per sample.
#[inline(always)]
pub(super) unsafe fn times(a: __m256d, re: __m256d, im: __m256d) -> __m256d {
    let swapped = _mm256_permute_pd::<0b0101>(a);
    _mm256_fmaddsub_pd(a, re, _mm256_mul_pd(swapped, im))
}

/// The two samples `a` times the two operator samples at `op`.
#[inline(always)]
pub(super) unsafe fn times_op(a: __m256d, op: *const f64) -> __m256d {
    let ov = _mm256_loadu_pd(op);
    times(a, _mm256_movedup_pd(ov), _mm256_permute_pd::<0b1111>(ov))
}

/// `field ← field · op` element by element.
///
/// # Safety
/// The CPU must support AVX2 and FMA.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn multiply(field: &mut [Complex], op: &[Complex]) {
    let n = field.len().min(op.len());
    let pairs = n / 2;
    let (f, o) = (field.as_mut_ptr().cast::<f64>(), op.as_ptr().cast::<f64>());
    for j in 0..pairs {
        let pf = f.add(4 * j);
        _mm256_storeu_pd(pf, times_op(_mm256_loadu_pd(pf), o.add(4 * j)));
    }
    if n % 2 == 1 {
        field[n - 1] *= op[n - 1];
    }
}
