//! Split-step Fourier solver of the nonlinear Schrödinger equation (Agrawal's convention):
//!
//! `∂A/∂z = −(α/2)·A − i(β2/2)·∂²A/∂T² + (β3/6)·∂³A/∂T³ + iγ|A|²A`.
//!
//! With rustfft's forward transform (kernel e^{−iωT}) the linear operator in the frequency domain
//! is `D̂(ω) = −α/2 + iβ2ω²/2 − iβ3ω³/6` — the β3 sign is opposite to the textbook's, whose
//! transform uses e^{+iωT}. Symmetric splitting: `A(z+h) = e^{hD̂/2} e^{hN̂(z+h/2)} e^{hD̂/2} A(z)`,
//! with consecutive half steps merged so a step costs one inverse and one forward FFT.
//!
//! Plan once, run many: [`SsfmPlan`] owns the FFT plans, buffers and the operator cache; a step
//! allocates nothing.

mod estimate;
mod four_step;
#[cfg(target_arch = "x86_64")]
mod four_step_x86;
#[cfg(target_arch = "x86_64")]
mod kerr_x86;
#[cfg(target_arch = "x86_64")]
mod kerr_x86_f32;
mod manakov;
mod modes;
mod nonlinear;
mod plan;
mod pmd;
mod precision_plans;
mod real;
mod report;
mod section;
mod solver;
mod step_control;

pub use estimate::{propagation_memory_bytes, propagation_steps};
pub use manakov::{propagate_manakov, ManakovOutcome};
pub use nonlinear::{apply_kerr_phase, apply_manakov_kerr_phase, multiply_in_place};
pub use plan::SsfmPlan;
pub use pmd::{differential_group_delay_ps, PmdSections};
pub use precision_plans::PrecisionPlans;
pub use real::{narrow, narrow_into, widen_into, ComplexOf, Precision, Real};
pub use report::{PropagationReport, PulseEnd, EDGE_LIMIT};
pub use section::FiberSection;
pub use solver::{propagate, PropagationOutcome, Snapshots};
pub use step_control::{StepControl, Stop, DEFAULT_STEP_LIMIT, STEP_FLOOR_FRACTION};
