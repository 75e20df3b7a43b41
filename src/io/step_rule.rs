//! The step rule keys shared by PULSE.toml `[solver]` and SYSTEM.toml `[propagation]`:
//! `step_km`, `max_phase_rad`, `tolerance` (one of them) and `initial_step_km` (with `tolerance`).

use super::error::InputError;
use super::toml_access::{Range, Section};
use crate::propagation::StepControl;

/// The step-rule keys, for `deny_unknown`.
pub(super) const STEP_RULE_KEYS: [&str; 4] =
    ["step_km", "max_phase_rad", "tolerance", "initial_step_km"];

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
