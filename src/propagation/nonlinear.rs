//! The Kerr step `A ← A·exp(iγ|A|²h)`, fused with the inverse FFT's 1/N normalisation.

use crate::signal::Complex;

/// `(sin x, cos x)`: Taylor series to x¹⁹ for |x| ≤ 1 (truncation < 1/20! ≈ 4e-19, so the result is
/// exact to round-off), libm otherwise. Per-step nonlinear phases are far below 1 rad, so the fast
/// branch is the one taken and a libm call per sample is avoided.
#[inline(always)]
pub fn sin_cos_small(x: f64) -> (f64, f64) {
    if x.abs() > 1.0 {
        return x.sin_cos();
    }
    let x2 = x * x;
    let cos = 1.0
        + x2 * (-1.0 / 2.0
            + x2 * (1.0 / 24.0
                + x2 * (-1.0 / 720.0
                    + x2 * (1.0 / 40_320.0
                        + x2 * (-1.0 / 3_628_800.0
                            + x2 * (1.0 / 479_001_600.0
                                + x2 * (-1.0 / 87_178_291_200.0
                                    + x2 * (1.0 / 20_922_789_888_000.0
                                        + x2 * (-1.0 / 6_402_373_705_728_000.0)))))))));
    let sin = x
        * (1.0
            + x2 * (-1.0 / 6.0
                + x2 * (1.0 / 120.0
                    + x2 * (-1.0 / 5_040.0
                        + x2 * (1.0 / 362_880.0
                            + x2 * (-1.0 / 39_916_800.0
                                + x2 * (1.0 / 6_227_020_800.0
                                    + x2 * (-1.0 / 1_307_674_368_000.0
                                        + x2 * (1.0 / 355_687_428_096_000.0
                                            + x2 * (-1.0 / 121_645_100_408_832_000.0))))))))));
    (sin, cos)
}

/// Applies `a ← (a·scale)·exp(i·γh·|a·scale|²)` to every sample in one pass and returns the
/// largest power `|a·scale|²` seen (W). `gamma_h` is γ·h in 1/W.
pub fn apply_kerr_phase(field: &mut [Complex], scale: f64, gamma_h: f64) -> f64 {
    let mut peak = 0.0f64;
    for a in field.iter_mut() {
        let re = a.re * scale;
        let im = a.im * scale;
        let power = re * re + im * im;
        peak = peak.max(power);
        let (s, c) = sin_cos_small(gamma_h * power);
        *a = Complex::new(re * c - im * s, re * s + im * c);
    }
    peak
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
    fn kerr_step_rotates_phase_by_gamma_p_h() {
        let mut field = vec![Complex::new(2.0, 0.0), Complex::new(0.0, 1.0)];
        let peak = apply_kerr_phase(&mut field, 0.5, 0.3);
        assert_eq!(peak, 1.0);
        // |a|² = 1 -> phase 0.3; |a|² = 0.25 -> phase 0.075.
        assert!((field[0].arg() - 0.3).abs() < 1e-15);
        assert!((field[1].arg() - (std::f64::consts::FRAC_PI_2 + 0.075)).abs() < 1e-15);
        assert!((field[1].norm() - 0.5).abs() < 1e-15);
    }
}
