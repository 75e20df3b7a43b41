//! Pulse shapes.

use super::{Complex, TimeGrid};

/// A user-supplied field sampled at increasing times (e.g. read from CSV).
#[derive(Debug, Clone, PartialEq)]
pub struct SampledField {
    /// Sample times, ps, strictly increasing.
    pub times_ps: Vec<f64>,
    /// Field at those times, √W.
    pub field: Vec<Complex>,
}

/// The input pulse. Peak power is applied by [`PulseShape::sample`].
#[derive(Debug, Clone, PartialEq)]
pub enum PulseShape {
    /// `A = √P0 · exp(−(1 + iC)·T²/(2·T0²))` (Agrawal eq. 3.2.17); T0 is the 1/e intensity half-width.
    Gaussian { t0_ps: f64, chirp: f64 },
    /// `A = √P0 · sech(T/T0) · exp(−iC·T²/(2·T0²))` (Agrawal eq. 3.2.22).
    Sech { t0_ps: f64, chirp: f64 },
    /// `A = √P0 · exp(−(1 + iC)/2 · (T/T0)^{2m})` (Agrawal eq. 3.2.24).
    SuperGaussian { t0_ps: f64, chirp: f64, order: u32 },
    /// A field given sample by sample, linearly interpolated (real and imaginary parts) onto the
    /// grid and zero outside its time span; `peak_power_w`, when given, rescales it.
    Sampled(SampledField),
}

impl PulseShape {
    /// Unit-peak envelope at time `t_ps` for the analytic shapes.
    fn envelope(&self, t_ps: f64) -> Complex {
        match *self {
            PulseShape::Gaussian { t0_ps, chirp } => {
                let x = t_ps / t0_ps;
                (Complex::new(-0.5 * x * x, -0.5 * chirp * x * x)).exp()
            }
            PulseShape::Sech { t0_ps, chirp } => {
                let x = t_ps / t0_ps;
                let sech = if x.abs() > 700.0 { 0.0 } else { 1.0 / x.cosh() };
                Complex::from_polar(sech, -0.5 * chirp * x * x)
            }
            PulseShape::SuperGaussian {
                t0_ps,
                chirp,
                order,
            } => {
                let x2m = (t_ps / t0_ps).powi(2 * order as i32);
                (Complex::new(-0.5 * x2m, -0.5 * chirp * x2m)).exp()
            }
            PulseShape::Sampled(_) => {
                unreachable!("sampled fields are interpolated, not evaluated")
            }
        }
    }

    /// Samples the pulse on `grid`. Analytic shapes get peak power `peak_power_w`; a sampled field
    /// is rescaled to that peak power when it is given, and kept as it is otherwise.
    pub fn sample(&self, grid: &TimeGrid, peak_power_w: Option<f64>) -> Vec<Complex> {
        let times = grid.times_ps();
        match self {
            PulseShape::Sampled(sampled) => {
                let mut field: Vec<Complex> =
                    times.iter().map(|&t| interpolate(sampled, t)).collect();
                if let Some(p0) = peak_power_w {
                    let peak = field.iter().map(|a| a.norm_sqr()).fold(0.0, f64::max);
                    if peak > 0.0 {
                        let scale = (p0 / peak).sqrt();
                        field.iter_mut().for_each(|a| *a *= scale);
                    }
                }
                field
            }
            shape => {
                let amplitude = peak_power_w.unwrap_or(1.0).sqrt();
                times
                    .iter()
                    .map(|&t| shape.envelope(t) * amplitude)
                    .collect()
            }
        }
    }
}

fn interpolate(sampled: &SampledField, t_ps: f64) -> Complex {
    let times = &sampled.times_ps;
    if times.is_empty() || t_ps < times[0] || t_ps > times[times.len() - 1] {
        return Complex::new(0.0, 0.0);
    }
    let upper = times.partition_point(|&x| x < t_ps).min(times.len() - 1);
    if upper == 0 {
        return sampled.field[0];
    }
    let (t0, t1) = (times[upper - 1], times[upper]);
    let w = (t_ps - t0) / (t1 - t0);
    sampled.field[upper - 1] * (1.0 - w) + sampled.field[upper] * w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_have_the_requested_peak_and_width() {
        let grid = TimeGrid {
            samples: 1024,
            dt_ps: 0.1,
        };
        let g = PulseShape::Gaussian {
            t0_ps: 10.0,
            chirp: 3.0,
        }
        .sample(&grid, Some(2.0));
        assert!((g[512].norm_sqr() - 2.0).abs() < 1e-12);
        // |A(T0)|² = P0/e for the Gaussian.
        assert!((g[612].norm_sqr() - 2.0 / std::f64::consts::E).abs() < 1e-12);
        let s = PulseShape::Sech {
            t0_ps: 10.0,
            chirp: 0.0,
        }
        .sample(&grid, Some(1.0));
        assert!((s[612].norm() - 1.0 / 1f64.cosh()).abs() < 1e-12);
    }

    #[test]
    fn sampled_field_is_interpolated_and_rescaled() {
        let sampled = SampledField {
            times_ps: vec![-1.0, 0.0, 1.0],
            field: vec![
                Complex::new(0.0, 0.0),
                Complex::new(2.0, 0.0),
                Complex::new(0.0, 0.0),
            ],
        };
        let grid = TimeGrid {
            samples: 8,
            dt_ps: 0.5,
        };
        let field = PulseShape::Sampled(sampled).sample(&grid, Some(1.0));
        assert!((field[4].re - 1.0).abs() < 1e-12);
        assert!((field[5].re - 0.5).abs() < 1e-12);
        assert_eq!(field[0], Complex::new(0.0, 0.0));
    }
}
