//! The f32 lanes of the AVX2+FMA kernel in [`super::kerr_x86`] (eight complex samples per
//! iteration, f32 arithmetic, series exact to f32 round-off: `SERIES_LIMITS_F32`), and the f32
//! linear multiply, whose operator stays f64 (the product is formed in f64 and rounded once).
//!
//! A register holds `[re₀, im₀, …, re₃, im₃]`; `shuffle_ps` splits two registers into real and
//! imaginary parts in the lane order `0, 1, 4, 5, 2, 3, 6, 7`, and `unpacklo_ps`/`unpackhi_ps`
//! put them back.

use std::arch::x86_64::*;

use super::kerr_x86::{times_op, Lanes};
use super::nonlinear::SERIES_LIMITS_F32;
use super::real::ComplexOf;
use crate::signal::Complex;

type Complex32 = ComplexOf<f32>;

impl Lanes for f32 {
    type V = __m256;
    const WIDTH: usize = 8;
    const LIMITS: &'static [(usize, f64)] = &SERIES_LIMITS_F32;

    #[inline(always)]
    unsafe fn splat(x: f64) -> __m256 {
        _mm256_set1_ps(x as f32)
    }

    #[inline(always)]
    unsafe fn load(p: *const f32) -> __m256 {
        _mm256_loadu_ps(p)
    }

    #[inline(always)]
    unsafe fn store(p: *mut f32, v: __m256) {
        _mm256_storeu_ps(p, v);
    }

    #[inline(always)]
    unsafe fn vmul(a: __m256, b: __m256) -> __m256 {
        _mm256_mul_ps(a, b)
    }

    #[inline(always)]
    unsafe fn vfmadd(a: __m256, b: __m256, c: __m256) -> __m256 {
        _mm256_fmadd_ps(a, b, c)
    }

    #[inline(always)]
    unsafe fn vfmsub(a: __m256, b: __m256, c: __m256) -> __m256 {
        _mm256_fmsub_ps(a, b, c)
    }

    #[inline(always)]
    unsafe fn vmax(a: __m256, b: __m256) -> __m256 {
        _mm256_max_ps(a, b)
    }

    #[inline(always)]
    unsafe fn largest(v: __m256) -> f64 {
        let mut out = [0.0f32; 8];
        _mm256_storeu_ps(out.as_mut_ptr(), v);
        f64::from(out.into_iter().fold(0.0, f32::max))
    }

    #[inline(always)]
    unsafe fn split(p: *const f32) -> (__m256, __m256) {
        let (a0, a1) = (_mm256_loadu_ps(p), _mm256_loadu_ps(p.add(8)));
        (
            _mm256_shuffle_ps::<0b10_00_10_00>(a0, a1),
            _mm256_shuffle_ps::<0b11_01_11_01>(a0, a1),
        )
    }

    #[inline(always)]
    unsafe fn join(p: *mut f32, re: __m256, im: __m256) {
        _mm256_storeu_ps(p, _mm256_unpacklo_ps(re, im));
        _mm256_storeu_ps(p.add(8), _mm256_unpackhi_ps(re, im));
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
