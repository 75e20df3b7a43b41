//! One FFT plan cache for the process: every FFT of the simulator (split step, shaping, receiver,
//! measurements) takes its plan from here, so a plan for a length and direction is made once
//! (rustfft's planner keeps what it made) and shared, not made again on every call.

use std::sync::{Arc, Mutex, OnceLock};

use rustfft::{Fft, FftNum, FftPlanner};

/// A sample type with its own process-wide planner (f64 for everything; f32 for the split step's
/// single-precision path).
pub trait Planned: FftNum {
    /// The planner of this type, shared by the process.
    fn planner() -> &'static Mutex<FftPlanner<Self>>;
}

impl Planned for f64 {
    fn planner() -> &'static Mutex<FftPlanner<f64>> {
        static PLANNER: OnceLock<Mutex<FftPlanner<f64>>> = OnceLock::new();
        PLANNER.get_or_init(|| Mutex::new(FftPlanner::new()))
    }
}

impl Planned for f32 {
    fn planner() -> &'static Mutex<FftPlanner<f32>> {
        static PLANNER: OnceLock<Mutex<FftPlanner<f32>>> = OnceLock::new();
        PLANNER.get_or_init(|| Mutex::new(FftPlanner::new()))
    }
}

/// The forward FFT of length `n` (unnormalised, `X_k = Σ x_j e^{−2πijk/n}`).
pub fn forward<T: Planned>(n: usize) -> Arc<dyn Fft<T>> {
    T::planner()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .plan_fft_forward(n)
}

/// The inverse FFT of length `n` (unnormalised: inverse(forward(x)) = n·x).
pub fn inverse<T: Planned>(n: usize) -> Arc<dyn Fft<T>> {
    T::planner()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .plan_fft_inverse(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_is_made_once_and_shared() {
        let (a, b) = (forward::<f64>(4096), forward::<f64>(4096));
        assert!(Arc::ptr_eq(&a, &b), "the same plan object");
        assert!(!Arc::ptr_eq(&forward::<f64>(2048), &a));
        let (c, d) = (forward::<f32>(4096), forward::<f32>(4096));
        assert!(Arc::ptr_eq(&c, &d), "one f32 plan too");
        let mut x = vec![rustfft::num_complex::Complex::new(1.0f64, 0.0); 8];
        forward(8).process(&mut x);
        inverse(8).process(&mut x);
        assert!(x
            .iter()
            .all(|v| (v.re - 8.0).abs() < 1e-12 && v.im.abs() < 1e-12));
    }
}
