//! The step rule keys shared by PULSE.toml `[solver]` and SYSTEM.toml `[propagation]`:
//! `step_km`, `max_phase_rad`, `tolerance` (one of them), `initial_step_km` (with `tolerance`)
//! and `precision` (`"f64"`, the default, or `"f32"`).

use super::error::InputError;
use super::toml_access::{Range, Section};
use crate::propagation::{Precision, StepControl};

/// The step-rule keys, for `deny_unknown`.
pub(super) const STEP_RULE_KEYS: [&str; 5] = [
    "step_km",
    "max_phase_rad",
    "tolerance",
    "initial_step_km",
    "precision",
];

/// The smallest local-error tolerance an f32 propagation accepts. The method compares a coarse
/// and a fine trial field; in f32 they differ by round-off alone at ~1e-7–1e-6 of the field (2⁻²⁴
/// per operation through a step's FFTs), so a tolerance near that would make the step shrink
/// chasing round-off — one decade of margin above it.
pub const F32_SMALLEST_TOLERANCE: f64 = 1e-5;

/// Reads `precision` of `s` (default f64) and refuses f32 with a local-error tolerance below
/// [`F32_SMALLEST_TOLERANCE`].
pub(super) fn read_precision(s: &Section, control: StepControl) -> Result<Precision, InputError> {
    let precision = match s.string("precision")? {
        None | Some("f64") => Precision::F64,
        Some("f32") => Precision::F32,
        Some(other) => {
            return Err(InputError::at(
                s.key_path("precision"),
                format!("\"{other}\": must be \"f64\" or \"f32\""),
            ))
        }
    };
    if let (Precision::F32, StepControl::LocalError { tolerance, .. }) = (precision, control) {
        if tolerance < F32_SMALLEST_TOLERANCE {
            return Err(InputError::at(
                s.key_path("tolerance"),
                format!(
                    "{tolerance:e} is below f32 round-off: with precision = \"f32\" the tolerance must be \
                     at least {F32_SMALLEST_TOLERANCE:e} (or use precision = \"f64\")"
                ),
            ));
        }
    }
    Ok(precision)
}

/// Reads the step rule of `s`: `None` when it gives none of the three rules. `step_km` and
/// `initial_step_km` must not exceed `longest_step_km` (`longest_step_what` says what that
/// length is); a tolerance without `initial_step_km` starts at `default_initial_step_km`.
pub(super) fn read_step_control(
    s: &Section,
    (longest_step_km, longest_step_what): (f64, &str),
    default_initial_step_km: f64,
) -> Result<Option<StepControl>, InputError> {
    let length = Range::above(0.0, 1e5, "km");
    let step = s.number("step_km", length)?;
    let phase = s.number("max_phase_rad", Range::above(0.0, 1.0, "rad"))?;
    let tolerance = s.number("tolerance", Range::above(0.0, 1.0, ""))?;
    let initial = s.number("initial_step_km", length)?;
    if initial.is_some() && tolerance.is_none() {
        return Err(InputError::at(
            s.key_path("initial_step_km"),
            "only used with tolerance",
        ));
    }
    for (key, value) in [("step_km", step), ("initial_step_km", initial)] {
        if let Some(h) = value {
            if h > longest_step_km {
                return Err(InputError::at(
                    s.key_path(key),
                    format!("{h} km is longer than {longest_step_what} ({longest_step_km} km)"),
                ));
            }
        }
    }
    Ok(match (step, phase, tolerance) {
        (Some(step_km), None, None) => Some(StepControl::Fixed { step_km }),
        (None, Some(max_phase_rad), None) => Some(StepControl::NonlinearPhase { max_phase_rad }),
        (None, None, Some(tolerance)) => Some(StepControl::LocalError {
            tolerance,
            initial_step_km: initial.unwrap_or(default_initial_step_km),
        }),
        (None, None, None) => None,
        _ => {
            return Err(InputError::at(
                s.path(),
                "give one of step_km, max_phase_rad, tolerance (exactly one)",
            ))
        }
    })
}
