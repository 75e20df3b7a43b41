//! Polarisation-mode dispersion by the coarse-step method: a span's birefringence as N sections,
//! each a random polarisation rotation (Haar-uniform in SU(2)) followed by a differential group
//! delay τ between its principal axes. With equal sections the mean DGD is
//! `⟨Δτ⟩ = √(8N/(3π))·τ` (Maxwellian statistics; Prola et al., IEEE Photon. Technol. Lett. 9, 1997),
//! so `τ = PMD·√L / √(8N/(3π))` gives a mean DGD of `PMD·√L`.

use nalgebra::{Matrix2, Vector2};
use rand_distr::{Distribution, StandardNormal};

use crate::signal::Complex;

/// The birefringent sections of one fibre.
#[derive(Debug, Clone, PartialEq)]
pub struct PmdSections {
    rotations: Vec<Matrix2<Complex>>,
    dgd_per_section_ps: f64,
}

impl PmdSections {
    /// `sections` random sections for a fibre of `length_km` with PMD coefficient
    /// `pmd_ps_per_sqrt_km`, drawn from `rng`.
    pub fn new(
        length_km: f64,
        pmd_ps_per_sqrt_km: f64,
        sections: usize,
        rng: &mut impl rand::Rng,
    ) -> Self {
        let rotations = (0..sections)
            .map(|_| {
                let q: [f64; 4] = std::array::from_fn(|_| StandardNormal.sample(rng));
                let norm = q.iter().map(|v| v * v).sum::<f64>().sqrt();
                let (a, b, c, d) = (q[0] / norm, q[1] / norm, q[2] / norm, q[3] / norm);
                Matrix2::new(
                    Complex::new(a, b),
                    Complex::new(c, d),
                    Complex::new(-c, d),
                    Complex::new(a, -b),
                )
            })
            .collect();
        let mean_dgd_ps = pmd_ps_per_sqrt_km * length_km.sqrt();
        let dgd_per_section_ps =
            mean_dgd_ps / (8.0 * sections as f64 / (3.0 * std::f64::consts::PI)).sqrt();
        Self {
            rotations,
            dgd_per_section_ps,
        }
    }

    /// Jones matrix at angular frequency `omega_rad_per_ps` (rustfft's axis): the product of the
    /// sections, each `diag(e^{iωτ/2}, e^{−iωτ/2})·R`.
    pub fn jones_matrix(&self, omega_rad_per_ps: f64) -> Matrix2<Complex> {
        let half = 0.5 * omega_rad_per_ps * self.dgd_per_section_ps;
        let delay = Matrix2::new(
            Complex::from_polar(1.0, half),
            Complex::new(0.0, 0.0),
            Complex::new(0.0, 0.0),
            Complex::from_polar(1.0, -half),
        );
        self.rotations
            .iter()
            .fold(Matrix2::identity(), |acc, r| delay * r * acc)
    }

    /// Number of sections.
    pub fn len(&self) -> usize {
        self.rotations.len()
    }

    /// Whether there are no sections.
    pub fn is_empty(&self) -> bool {
        self.rotations.is_empty()
    }

    /// Applies section `index` alone (`diag(e^{iωτ/2}, e^{−iωτ/2})·R_index`) to the two
    /// polarisations' spectra — for interleaving the sections with the Kerr propagation.
    pub fn apply_section(
        &self,
        index: usize,
        x: &mut [Complex],
        y: &mut [Complex],
        omega_rad_per_ps: &[f64],
    ) {
        let r = self.rotations[index];
        for ((a, b), &w) in x.iter_mut().zip(y.iter_mut()).zip(omega_rad_per_ps) {
            let v = r * Vector2::new(*a, *b);
            let half = 0.5 * w * self.dgd_per_section_ps;
            *a = v[0] * Complex::from_polar(1.0, half);
            *b = v[1] * Complex::from_polar(1.0, -half);
        }
    }

    /// Applies the sections to the two polarisations' spectra (rustfft order, axis `omega`).
    pub fn apply(&self, x: &mut [Complex], y: &mut [Complex], omega_rad_per_ps: &[f64]) {
        for ((a, b), &w) in x.iter_mut().zip(y.iter_mut()).zip(omega_rad_per_ps) {
            let v = self.jones_matrix(w) * Vector2::new(*a, *b);
            *a = v[0];
            *b = v[1];
        }
    }
}

/// Differential group delay of a Jones matrix function at ω, ps: the eigenvalue spread of
/// `i·(dT/dω)·T⁻¹` (the PMD vector's length), by a central difference of `step` rad/ps.
pub fn differential_group_delay_ps(
    jones: impl Fn(f64) -> Matrix2<Complex>,
    omega: f64,
    step: f64,
) -> f64 {
    let t = jones(omega);
    let derivative = (jones(omega + step) - jones(omega - step)) / Complex::new(2.0 * step, 0.0);
    let m = derivative * t.try_inverse().unwrap_or_else(Matrix2::identity) * Complex::new(0.0, 1.0);
    // Eigenvalues of a 2×2: (tr ± √(tr² − 4 det))/2; their difference is √(tr² − 4 det).
    let tr = m[(0, 0)] + m[(1, 1)];
    let det = m[(0, 0)] * m[(1, 1)] - m[(0, 1)] * m[(1, 0)];
    (tr * tr - det * 4.0).sqrt().norm()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_section_has_its_own_dgd_and_sections_are_unitary() {
        let one = PmdSections {
            rotations: vec![Matrix2::identity()],
            dgd_per_section_ps: 3.0,
        };
        let dgd = differential_group_delay_ps(|w| one.jones_matrix(w), 0.7, 1e-4);
        assert!((dgd - 3.0).abs() < 1e-6, "{dgd}");
        let many = PmdSections::new(80.0, 0.1, 20, &mut crate::signal::seeded_rng(5));
        let t = many.jones_matrix(0.3);
        let identity = t * t.adjoint();
        assert!((identity - Matrix2::identity()).norm() < 1e-12);
    }

    #[test]
    fn sections_applied_one_by_one_equal_the_whole_jones_matrix() {
        let fiber = PmdSections::new(80.0, 0.2, 7, &mut crate::signal::seeded_rng(11));
        let omega = [-1.3, -0.2, 0.0, 0.4, 2.1];
        let mut x: Vec<Complex> = omega.iter().map(|w| Complex::new(1.0, *w)).collect();
        let mut y: Vec<Complex> = omega.iter().map(|w| Complex::new(-0.5 * w, 0.3)).collect();
        let (mut x_whole, mut y_whole) = (x.clone(), y.clone());
        fiber.apply(&mut x_whole, &mut y_whole, &omega);
        for index in 0..fiber.len() {
            fiber.apply_section(index, &mut x, &mut y, &omega);
        }
        for j in 0..omega.len() {
            assert!((x[j] - x_whole[j]).norm() + (y[j] - y_whole[j]).norm() < 1e-12);
        }
    }

    #[test]
    fn mean_dgd_over_seeds_is_pmd_sqrt_l() {
        // 400 fibres of 100 km at 0.5 ps/√km: mean DGD 5 ps (Maxwellian, std/mean ≈ 0.42, so the
        // mean of 400 draws is within ±2.1 % at 1σ).
        let draws: Vec<f64> = (0..400)
            .map(|seed| {
                let fiber = PmdSections::new(100.0, 0.5, 30, &mut crate::signal::seeded_rng(seed));
                differential_group_delay_ps(|w| fiber.jones_matrix(w), 0.0, 1e-4)
            })
            .collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        assert!((mean / 5.0 - 1.0).abs() < 0.1, "mean DGD {mean} ps");
    }
}
