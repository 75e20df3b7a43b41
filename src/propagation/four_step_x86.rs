//! The four-step column pass's block moves in AVX2+FMA intrinsics: 2 × 2 transposes of complex
//! f64 samples (two rows × two columns per pair of 256-bit registers) with the twiddle multiply
//! on the way (`fmaddsub`, as the linear multiply in [`super::kerr_x86`]).

use std::arch::x86_64::*;

use super::four_step::Shape;
use super::kerr_x86::times;
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
    debug_assert!(first + group <= columns);
    debug_assert!(twiddles.len() == rows * columns && block.len() >= group * rows);
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
    debug_assert!(first + group <= columns);
    debug_assert!(twiddles.len() == rows * columns && block.len() >= group * rows);
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
