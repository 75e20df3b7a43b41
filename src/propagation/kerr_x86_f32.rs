//! The f32 twins of [`super::kerr_x86`]: the Kerr rotation and the linear multiply in AVX2+FMA
//! intrinsics, eight complex samples (two 256-bit registers of four) per iteration, f32
//! arithmetic with series exact to f32 round-off (`SERIES_LIMITS_F32`); the linear operator
//! stays f64 (its product is formed in f64 and rounded once).
//!
//! A register holds `[re₀, im₀, …, re₃, im₃]`; `shuffle_ps` splits two registers into real and
//! imaginary parts in the lane order `0, 1, 4, 5, 2, 3, 6, 7`, and `unpacklo_ps`/`unpackhi_ps`
//! put them back.

use std::arch::x86_64::*;

use super::kerr_x86::times_op;
use super::nonlinear::{
    kerr_portable, series_terms_in, BLOCK, COS_TAYLOR, SERIES_LIMITS_F32, SIN_TAYLOR,
};
use super::real::ComplexOf;
use crate::signal::Complex;

type Complex32 = ComplexOf<f32>;

/// The Kerr rotation of K f32 fields sharing the phase `γh·Σ|a_k|²·scale²`, scaled by `scale`;
/// returns the largest `Σ|a_k|²·scale²` (W). As the f64 kernel: per block of [`BLOCK`] samples
/// one pass stores the powers and finds the peak (which picks the series), a second rotates;
/// tails shorter than eight samples and phases beyond 1 rad go to [`kerr_portable`].
///
/// # Safety
/// The CPU must support AVX2 and FMA.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn kerr<const K: usize>(
    mut fields: [&mut [Complex32]; K],
    scale: f64,
    gamma_h: f64,
) -> f64 {
    let n = fields.iter().map(|f| f.len()).min().unwrap_or(0);
    let vector_n = n - n % 8;
    let scale2 = scale * scale;
    let coefficient = (gamma_h * scale2) as f32;
    let mut powers = [0.0f32; BLOCK];
    let mut peak = 0.0f64;
    let mut start = 0;
    while start < vector_n {
        let len = BLOCK.min(vector_n - start);
        let pointers: [*mut f32; K] =
            std::array::from_fn(|k| fields[k].as_mut_ptr().add(start).cast::<f32>());
        let block_peak = f64::from(store_powers(&pointers, &mut powers[..len])) * scale2;
        peak = peak.max(block_peak);
        let powers = &powers[..len];
        let scale = scale as f32;
        match series_terms_in(&SERIES_LIMITS_F32, (gamma_h * block_peak).abs()) {
            Some(2) => rotate::<K, 2>(&pointers, powers, coefficient, scale),
            Some(3) => rotate::<K, 3>(&pointers, powers, coefficient, scale),
            Some(4) => rotate::<K, 4>(&pointers, powers, coefficient, scale),
            Some(5) => rotate::<K, 5>(&pointers, powers, coefficient, scale),
            Some(_) => rotate::<K, 7>(&pointers, powers, coefficient, scale),
            None => {
                let block = fields.each_mut().map(|f| &mut f[start..start + len]);
                kerr_portable(block, f64::from(scale), gamma_h);
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

/// The real and imaginary parts of the eight samples at `p` (lane order `0, 1, 4, 5, 2, 3, 6, 7`).
#[inline(always)]
unsafe fn split(p: *const f32) -> (__m256, __m256) {
    let (a0, a1) = (_mm256_loadu_ps(p), _mm256_loadu_ps(p.add(8)));
    (
        _mm256_shuffle_ps::<0b10_00_10_00>(a0, a1),
        _mm256_shuffle_ps::<0b11_01_11_01>(a0, a1),
    )
}

/// Writes `Σ_k |a_k|²` of the `powers.len()` (a multiple of 8) samples at `fields` into `powers`
/// (in [`split`]'s lane order) and returns the largest (NaNs skipped).
#[inline(always)]
unsafe fn store_powers<const K: usize>(fields: &[*mut f32; K], powers: &mut [f32]) -> f32 {
    let mut lanes = _mm256_setzero_ps();
    for i in (0..powers.len()).step_by(8) {
        let mut sum = _mm256_setzero_ps();
        for &field in fields {
            let (re, im) = split(field.add(2 * i));
            sum = _mm256_fmadd_ps(re, re, _mm256_fmadd_ps(im, im, sum));
        }
        _mm256_storeu_ps(powers.as_mut_ptr().add(i), sum);
        lanes = _mm256_max_ps(sum, lanes);
    }
    let mut out = [0.0f32; 8];
    _mm256_storeu_ps(out.as_mut_ptr(), lanes);
    out.into_iter().fold(0.0, f32::max)
}

/// `Σ c_j·y^j` by Horner's rule with fused multiply-adds.
#[inline(always)]
unsafe fn horner<const TERMS: usize>(coefficients: &[__m256; TERMS], y: __m256) -> __m256 {
    let mut acc = coefficients[TERMS - 1];
    for &c in coefficients[..TERMS - 1].iter().rev() {
        acc = _mm256_fmadd_ps(acc, y, c);
    }
    acc
}

/// The first `TERMS` coefficients of `series`, each times `scale`, broadcast to all lanes.
#[inline(always)]
unsafe fn scaled<const TERMS: usize>(series: &[f64; 10], scale: f32) -> [__m256; TERMS] {
    std::array::from_fn(|j| _mm256_set1_ps((series[j] * f64::from(scale)) as f32))
}

/// Rotates the samples at `fields` (as many as `powers`, a multiple of 8) by
/// `exp(i·coefficient·power)` and scales them by `scale`.
#[inline(always)]
unsafe fn rotate<const K: usize, const TERMS: usize>(
    fields: &[*mut f32; K],
    powers: &[f32],
    coefficient: f32,
    scale: f32,
) {
    let sin_series = scaled::<TERMS>(&SIN_TAYLOR, scale);
    let cos_series = scaled::<TERMS>(&COS_TAYLOR, scale);
    let coefficient = _mm256_set1_ps(coefficient);
    for i in (0..powers.len()).step_by(8) {
        let phase = _mm256_mul_ps(_mm256_loadu_ps(powers.as_ptr().add(i)), coefficient);
        let phase2 = _mm256_mul_ps(phase, phase);
        let sin = _mm256_mul_ps(phase, horner(&sin_series, phase2));
        let cos = horner(&cos_series, phase2);
        for &field in fields {
            let p = field.add(2 * i);
            let (re, im) = split(p);
            let rotated_re = _mm256_fmsub_ps(re, cos, _mm256_mul_ps(im, sin));
            let rotated_im = _mm256_fmadd_ps(re, sin, _mm256_mul_ps(im, cos));
            _mm256_storeu_ps(p, _mm256_unpacklo_ps(rotated_re, rotated_im));
            _mm256_storeu_ps(p.add(8), _mm256_unpackhi_ps(rotated_re, rotated_im));
        }
    }
}

/// `field ← field · op` element by element, the f32 samples widened to f64 for the product with
/// the f64 operator and rounded back (four samples per iteration).
///
/// # Safety
/// The CPU must support AVX2 and FMA.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn multiply(field: &mut [Complex32], op: &[Complex]) {
    let n = field.len().min(op.len());
    let vector_n = n - n % 4;
    let (f, o) = (field.as_mut_ptr().cast::<f32>(), op.as_ptr().cast::<f64>());
    for j in (0..vector_n).step_by(4) {
        let (pf, po) = (f.add(2 * j), o.add(2 * j));
        let a = _mm256_loadu_ps(pf);
        let low = times_op(_mm256_cvtps_pd(_mm256_castps256_ps128(a)), po);
        let high = times_op(_mm256_cvtps_pd(_mm256_extractf128_ps::<1>(a)), po.add(4));
        _mm256_storeu_ps(
            pf,
            _mm256_set_m128(_mm256_cvtpd_ps(high), _mm256_cvtpd_ps(low)),
        );
    }
    for (a, o) in field[vector_n..n].iter_mut().zip(&op[vector_n..n]) {
        let product = Complex::new(f64::from(a.re), f64::from(a.im)) * o;
        *a = Complex32::new(product.re as f32, product.im as f32);
    }
}
