//! The four-step column pass's block moves in AVX2+FMA intrinsics: transposes of two rows ×
//! two (f64) or four (f32) columns per pair of 256-bit registers, with the twiddle multiply on the
//! way (`fmaddsub`, as the linear multiply in [`super::kerr_x86`]). A complex f32 sample is 64 bits,
//! so the f32 moves shuffle it as one f64 lane.

use std::arch::x86_64::*;

use super::four_step::Shape;
use super::kerr_x86::times;
use super::real::ComplexOf;
use crate::signal::Complex;

/// `a·w` (or `a·conj(w)` when `conjugate`) for the two samples at `a` and the two twiddles at `w`.
#[inline(always)]
unsafe fn twiddled(a: __m256d, w: *const f64, conjugate: bool) -> __m256d {
    let wv = _mm256_loadu_pd(w);
    let im = _mm256_permute_pd::<0b1111>(wv);
    let im = if conjugate {
        _mm256_xor_pd(im, _mm256_set1_pd(-0.0))
    } else {
        im
    };
    times(a, _mm256_movedup_pd(wv), im)
}

/// [`super::four_step`]'s gather: `block[j·rows + r] = field[r·columns + first + j]·conj(w)`.
///
/// # Safety
/// The CPU must support AVX2 and FMA; `shape.rows` and `shape.group` must be even, `field`
/// must address `rows·columns` samples and the group lie inside it (`first + group ≤ columns`),
/// `twiddles` hold `rows·columns` and `block` at least `group·rows`.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn gather(
    field: *const Complex,
    twiddles: &[Complex],
    block: &mut [Complex],
    shape: Shape,
) {
    let Shape {
        rows,
        columns,
        first,
        group,
    } = shape;
    shape.debug_check(twiddles.len(), block.len());
    let (f, t, b) = (
        field.cast::<f64>(),
        twiddles.as_ptr().cast::<f64>(),
        block.as_mut_ptr().cast::<f64>(),
    );
    for r in (0..rows).step_by(2) {
        for j in (0..group).step_by(2) {
            let upper = r * columns + first + j;
            let lower = upper + columns;
            let a = twiddled(_mm256_loadu_pd(f.add(2 * upper)), t.add(2 * upper), true);
            let c = twiddled(_mm256_loadu_pd(f.add(2 * lower)), t.add(2 * lower), true);
            _mm256_storeu_pd(
                b.add(2 * (j * rows + r)),
                _mm256_permute2f128_pd::<0x20>(a, c),
            );
            _mm256_storeu_pd(
                b.add(2 * ((j + 1) * rows + r)),
                _mm256_permute2f128_pd::<0x31>(a, c),
            );
        }
    }
}

/// [`super::four_step`]'s scatter: `field[r·columns + first + j] = block[j·rows + r]·w`.
///
/// # Safety
/// As [`gather`].
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn scatter(
    block: &[Complex],
    twiddles: &[Complex],
    field: *mut Complex,
    shape: Shape,
) {
    let Shape {
        rows,
        columns,
        first,
        group,
    } = shape;
    shape.debug_check(twiddles.len(), block.len());
    let (b, t, f) = (
        block.as_ptr().cast::<f64>(),
        twiddles.as_ptr().cast::<f64>(),
        field.cast::<f64>(),
    );
    for r in (0..rows).step_by(2) {
        for j in (0..group).step_by(2) {
            let left = _mm256_loadu_pd(b.add(2 * (j * rows + r)));
            let right = _mm256_loadu_pd(b.add(2 * ((j + 1) * rows + r)));
            let upper = r * columns + first + j;
            let lower = upper + columns;
            let a = _mm256_permute2f128_pd::<0x20>(left, right);
            let c = _mm256_permute2f128_pd::<0x31>(left, right);
            _mm256_storeu_pd(f.add(2 * upper), twiddled(a, t.add(2 * upper), false));
            _mm256_storeu_pd(f.add(2 * lower), twiddled(c, t.add(2 * lower), false));
        }
    }
}

/// `a·w` (or `a·conj(w)` when `conjugate`) for the four complex f32 samples `a` and twiddles at `w`.
#[inline(always)]
unsafe fn twiddled_f32(a: __m256, w: *const f32, conjugate: bool) -> __m256 {
    let wv = _mm256_loadu_ps(w);
    let im = _mm256_movehdup_ps(wv);
    let im = if conjugate {
        _mm256_xor_ps(im, _mm256_set1_ps(-0.0))
    } else {
        im
    };
    let swapped = _mm256_permute_ps::<0b1011_0001>(a);
    _mm256_fmaddsub_ps(a, _mm256_moveldup_ps(wv), _mm256_mul_ps(swapped, im))
}

/// The f32 gather: as [`gather`], four columns per step (`shape.group` a multiple of 4).
///
/// # Safety
/// As [`gather`], with `shape.group` a multiple of 4.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn gather_f32(
    field: *const ComplexOf<f32>,
    twiddles: &[ComplexOf<f32>],
    block: &mut [ComplexOf<f32>],
    shape: Shape,
) {
    let Shape {
        rows,
        columns,
        first,
        group,
    } = shape;
    shape.debug_check(twiddles.len(), block.len());
    debug_assert!(group % 4 == 0);
    let (f, t, b) = (
        field.cast::<f32>(),
        twiddles.as_ptr().cast::<f32>(),
        block.as_mut_ptr().cast::<f64>(),
    );
    for r in (0..rows).step_by(2) {
        for j in (0..group).step_by(4) {
            let upper = r * columns + first + j;
            let lower = upper + columns;
            let a = _mm256_castps_pd(twiddled_f32(
                _mm256_loadu_ps(f.add(2 * upper)),
                t.add(2 * upper),
                true,
            ));
            let c = _mm256_castps_pd(twiddled_f32(
                _mm256_loadu_ps(f.add(2 * lower)),
                t.add(2 * lower),
                true,
            ));
            // As f64 lanes: lo = [a0 c0 a2 c2], hi = [a1 c1 a3 c3]; column j + k gets (a_k, c_k).
            let lo = _mm256_unpacklo_pd(a, c);
            let hi = _mm256_unpackhi_pd(a, c);
            _mm_storeu_pd(b.add(j * rows + r), _mm256_castpd256_pd128(lo));
            _mm_storeu_pd(b.add((j + 1) * rows + r), _mm256_castpd256_pd128(hi));
            _mm_storeu_pd(b.add((j + 2) * rows + r), _mm256_extractf128_pd::<1>(lo));
            _mm_storeu_pd(b.add((j + 3) * rows + r), _mm256_extractf128_pd::<1>(hi));
        }
    }
}

/// The f32 scatter: as [`scatter`], four columns per step.
///
/// # Safety
/// As [`gather_f32`].
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn scatter_f32(
    block: &[ComplexOf<f32>],
    twiddles: &[ComplexOf<f32>],
    field: *mut ComplexOf<f32>,
    shape: Shape,
) {
    let Shape {
        rows,
        columns,
        first,
        group,
    } = shape;
    shape.debug_check(twiddles.len(), block.len());
    debug_assert!(group % 4 == 0);
    let (b, t, f) = (
        block.as_ptr().cast::<f64>(),
        twiddles.as_ptr().cast::<f32>(),
        field.cast::<f32>(),
    );
    for r in (0..rows).step_by(2) {
        for j in (0..group).step_by(4) {
            // Column j + k's pair (row r, row r + 1) as two f64 lanes.
            let pair = |k: usize| _mm_loadu_pd(b.add((j + k) * rows + r));
            let lo = _mm256_insertf128_pd::<1>(_mm256_castpd128_pd256(pair(0)), pair(2));
            let hi = _mm256_insertf128_pd::<1>(_mm256_castpd128_pd256(pair(1)), pair(3));
            let upper = r * columns + first + j;
            let lower = upper + columns;
            let a = _mm256_castpd_ps(_mm256_unpacklo_pd(lo, hi));
            let c = _mm256_castpd_ps(_mm256_unpackhi_pd(lo, hi));
            _mm256_storeu_ps(f.add(2 * upper), twiddled_f32(a, t.add(2 * upper), false));
            _mm256_storeu_ps(f.add(2 * lower), twiddled_f32(c, t.add(2 * lower), false));
        }
    }
}
