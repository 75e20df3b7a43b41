//! How the solver chooses its step sizes.

/// Step-size control.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StepControl {
    /// Uniform steps of at most `step_km`: each section of length L takes `ceil(L/step)` equal steps,
    /// so the last one lands exactly on the section's end.
    Fixed { step_km: f64 },
    /// Nonlinear-phase-rotation criterion: `h = φ_max/(γ·P_peak)`, P_peak the peak power of the
    /// previous step (the input's for the first), capped by the distance left. Steps are rounded
    /// down to a ladder `L·2^{−k/8}` (L the section length) so their linear operators can be reused.
    NonlinearPhase { max_phase_rad: f64 },
    /// Local-error method (Sinkin et al., J. Lightwave Technol. 21, 61 (2003)): a coarse step 2h is
    /// compared with two fine steps h; the relative difference δ decides: δ > 2·tol: reject and halve
    /// h; tol < δ ≤ 2·tol: accept and divide h by 2^{1/3}; δ < tol/2: accept and multiply h by
    /// 2^{1/3}; otherwise accept and keep h. The accepted field is the local extrapolation
    /// `(4u_fine − u_coarse)/3`.
    LocalError {
        tolerance: f64,
        initial_step_km: f64,
    },
}
