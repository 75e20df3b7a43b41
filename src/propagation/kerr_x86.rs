//! The two passes a split step makes beside its FFTs — the Kerr rotation and the linear multiply —
//! in AVX2+FMA intrinsics, for CPUs that have them (checked at run time by the callers in
//! [`super::nonlinear`]). One kernel serves both precisions through [`Lanes`]: two 256-bit
//! registers per iteration, i.e. four f64 or eight f32 complex samples.
//!
//! Complex numbers are stored `[re, im]` (num-complex is `repr(C)`). The Kerr pass splits two
//! registers into real and imaginary parts ([`Lanes::split`]), works on those, and interleaves
//! them back ([`Lanes::join`]). The linear multiply uses `fmaddsub`: for `a·(c + is)` with
//! `a = [re, im]`, `fmaddsub(a, [c, c], swap(a)·[s, s]) = [re·c − im·s, im·c + re·s]`.

use std::arch::x86_64::*;

use super::nonlinear::{kerr_portable, series_terms_in, BLOCK, COS_TAYLOR, SIN_TAYLOR};
use super::real::{ComplexOf, Real};
use crate::signal::Complex;

/// A precision's 256-bit vector arithmetic, as the Kerr kernel uses it. Every method is an
/// AVX2/FMA intrinsic (or two): callers must run on a CPU that has them.
pub(super) trait Lanes: Real {
    /// A register of this precision.
    type V: Copy;
    /// Complex samples per iteration (two registers' worth).
    const WIDTH: usize;
    /// `(terms, largest phase)` of the series exact to this precision's round-off.
    const LIMITS: &'static [(usize, f64)];
    /// `x` (rounded to this precision) in every lane.
    unsafe fn splat(x: f64) -> Self::V;
    /// Lanes `p[0..]`.
    unsafe fn load(p: *const Self) -> Self::V;
    /// Stores the lanes at `p`.
    unsafe fn store(p: *mut Self, v: Self::V);
    /// `a·b`.
    unsafe fn vmul(a: Self::V, b: Self::V) -> Self::V;
    /// `a·b + c`.
    unsafe fn vfmadd(a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    /// `a·b − c`.
    unsafe fn vfmsub(a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    /// Lane-wise maximum; a NaN in `a` gives `b`.
    unsafe fn vmax(a: Self::V, b: Self::V) -> Self::V;
    /// The largest lane, as f64.
    unsafe fn largest(v: Self::V) -> f64;
    /// Real and imaginary parts of the `WIDTH` samples at `p` (in a lane order of the
    /// precision's own, the same for both parts).
    unsafe fn split(p: *const Self) -> (Self::V, Self::V);
    /// Writes `re`, `im` (in [`Lanes::split`]'s order) back to `p` as `WIDTH` samples.
    unsafe fn join(p: *mut Self, re: Self::V, im: Self::V);
}

/// The Kerr rotation of K fields sharing the phase `γh·Σ|a_k|²·scale²`, scaled by `scale`;
/// returns the largest `Σ|a_k|²·scale²` (W). Blocks of [`BLOCK`] samples: one pass stores the
/// block's powers (in L1) and finds its peak, which picks the shortest series exact to round-off
/// ([`Lanes::LIMITS`]); a second pass rotates with it. Tails shorter than a vector and blocks
/// whose phase exceeds 1 rad go to [`kerr_portable`].
///
/// # Safety
/// The CPU must support AVX2 and FMA.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn kerr<L: Lanes, const K: usize>(
    mut fields: [&mut [ComplexOf<L>]; K],
    scale: f64,
    gamma_h: f64,
) -> f64 {
    let n = fields.iter().map(|f| f.len()).min().unwrap_or(0);
    let vector_n = n - n % L::WIDTH;
    let scale2 = scale * scale;
    let coefficient = gamma_h * scale2;
    let mut powers = [L::zero(); BLOCK];
    let mut peak = 0.0f64;
    let mut start = 0;
    while start < vector_n {
        let len = BLOCK.min(vector_n - start);
        let pointers: [*mut L; K] =
            std::array::from_fn(|k| fields[k].as_mut_ptr().add(start).cast::<L>());
        let block_peak = store_powers(&pointers, &mut powers[..len]) * scale2;
        peak = peak.max(block_peak);
        let powers = &powers[..len];
        match series_terms_in(L::LIMITS, (gamma_h * block_peak).abs()) {
            Some(2) => rotate::<L, K, 2>(&pointers, powers, coefficient, scale),
            Some(3) => rotate::<L, K, 3>(&pointers, powers, coefficient, scale),
            Some(4) => rotate::<L, K, 4>(&pointers, powers, coefficient, scale),
            Some(5) => rotate::<L, K, 5>(&pointers, powers, coefficient, scale),
            Some(6) => rotate::<L, K, 6>(&pointers, powers, coefficient, scale),
            Some(7) => rotate::<L, K, 7>(&pointers, powers, coefficient, scale),
            Some(_) => rotate::<L, K, 10>(&pointers, powers, coefficient, scale),
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

/// Writes `Σ_k |a_k|²` of the `powers.len()` (a multiple of `WIDTH`) samples at `fields` into
/// `powers` (in [`Lanes::split`]'s order) and returns the largest (NaNs skipped).
#[inline(always)]
unsafe fn store_powers<L: Lanes, const K: usize>(fields: &[*mut L; K], powers: &mut [L]) -> f64 {
    let mut lanes = L::splat(0.0);
    for i in (0..powers.len()).step_by(L::WIDTH) {
        let mut sum = L::splat(0.0);
        for &field in fields {
            let (re, im) = L::split(field.add(2 * i));
            sum = L::vfmadd(re, re, L::vfmadd(im, im, sum));
        }
        L::store(powers.as_mut_ptr().add(i), sum);
        lanes = L::vmax(sum, lanes);
    }
    L::largest(lanes)
}

/// `Σ c_j·y^j` by Horner's rule with fused multiply-adds.
#[inline(always)]
unsafe fn horner<L: Lanes, const TERMS: usize>(coefficients: &[L::V; TERMS], y: L::V) -> L::V {
    let mut acc = coefficients[TERMS - 1];
    for &c in coefficients[..TERMS - 1].iter().rev() {
        acc = L::vfmadd(acc, y, c);
    }
    acc
}

/// Rotates the samples at `fields` (as many as `powers`, a multiple of `WIDTH`) by
/// `exp(i·coefficient·power)` and scales them by `scale`, sin and cos by their `TERMS`-term series
/// (`scale` folded into their coefficients).
#[inline(always)]
unsafe fn rotate<L: Lanes, const K: usize, const TERMS: usize>(
    fields: &[*mut L; K],
    powers: &[L],
    coefficient: f64,
    scale: f64,
) {
    let sin_series: [L::V; TERMS] = std::array::from_fn(|j| L::splat(SIN_TAYLOR[j] * scale));
    let cos_series: [L::V; TERMS] = std::array::from_fn(|j| L::splat(COS_TAYLOR[j] * scale));
    let coefficient = L::splat(coefficient);
    for i in (0..powers.len()).step_by(L::WIDTH) {
        let phase = L::vmul(L::load(powers.as_ptr().add(i)), coefficient);
        let phase2 = L::vmul(phase, phase);
        let sin = L::vmul(phase, horner::<L, TERMS>(&sin_series, phase2));
        let cos = horner::<L, TERMS>(&cos_series, phase2);
        for &field in fields {
            let p = field.add(2 * i);
            let (re, im) = L::split(p);
            let rotated_re = L::vfmsub(re, cos, L::vmul(im, sin));
            let rotated_im = L::vfmadd(re, sin, L::vmul(im, cos));
            L::join(p, rotated_re, rotated_im);
        }
    }
}

impl Lanes for f64 {
    type V = __m256d;
    const WIDTH: usize = 4;
    const LIMITS: &'static [(usize, f64)] = &super::nonlinear::SERIES_LIMITS;

    #[inline(always)]
    unsafe fn splat(x: f64) -> __m256d {
        _mm256_set1_pd(x)
    }

    #[inline(always)]
    unsafe fn load(p: *const f64) -> __m256d {
        _mm256_loadu_pd(p)
    }

    #[inline(always)]
    unsafe fn store(p: *mut f64, v: __m256d) {
        _mm256_storeu_pd(p, v);
    }

    #[inline(always)]
    unsafe fn vmul(a: __m256d, b: __m256d) -> __m256d {
        _mm256_mul_pd(a, b)
    }

    #[inline(always)]
    unsafe fn vfmadd(a: __m256d, b: __m256d, c: __m256d) -> __m256d {
        _mm256_fmadd_pd(a, b, c)
    }

    #[inline(always)]
    unsafe fn vfmsub(a: __m256d, b: __m256d, c: __m256d) -> __m256d {
        _mm256_fmsub_pd(a, b, c)
    }

    #[inline(always)]
    unsafe fn vmax(a: __m256d, b: __m256d) -> __m256d {
        _mm256_max_pd(a, b)
    }

    #[inline(always)]
    unsafe fn largest(v: __m256d) -> f64 {
        let mut out = [0.0f64; 4];
        _mm256_storeu_pd(out.as_mut_ptr(), v);
        out.into_iter().fold(0.0, f64::max)
    }

    /// Lane order `0, 2, 1, 3` (`unpacklo`/`unpackhi` of the two registers).
    #[inline(always)]
    unsafe fn split(p: *const f64) -> (__m256d, __m256d) {
        let (a0, a1) = (_mm256_loadu_pd(p), _mm256_loadu_pd(p.add(4)));
        (_mm256_unpacklo_pd(a0, a1), _mm256_unpackhi_pd(a0, a1))
    }

    #[inline(always)]
    unsafe fn join(p: *mut f64, re: __m256d, im: __m256d) {
        _mm256_storeu_pd(p, _mm256_unpacklo_pd(re, im));
        _mm256_storeu_pd(p.add(4), _mm256_unpackhi_pd(re, im));
    }
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
