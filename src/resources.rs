//! Resource budgets: every command estimates its peak memory and its step count from the input
//! before allocating or running, and refuses the input past the budget, naming the keys that drive
//! the estimate. The budget defaults to 8 GiB and 10⁸ steps; the user raises it
//! (`--max-memory-gb`, `--max-steps`, or the environment variables `FIBRA_MAX_MEMORY_GB`,
//! `FIBRA_MAX_STEPS`).
//!
//! The estimates are models of this implementation's allocations (bytes per sample, per node
//! pair, per η-matrix entry), calibrated by measuring the peak resident memory of real runs; they
//! err on the high side.

use crate::display::format_number;
use crate::propagation::DEFAULT_STEP_LIMIT;

/// Bytes in a GiB.
pub const BYTES_PER_GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// Default memory budget, GiB.
pub const DEFAULT_MAX_MEMORY_GB: f64 = 8.0;

/// What one run may use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResourceBudget {
    /// Peak memory the run may allocate, bytes.
    pub max_memory_bytes: f64,
    /// Split steps (accepted and rejected, all sections) the run may take.
    pub max_steps: usize,
}

impl Default for ResourceBudget {
    fn default() -> Self {
        Self {
            max_memory_bytes: DEFAULT_MAX_MEMORY_GB * BYTES_PER_GIB,
            max_steps: DEFAULT_STEP_LIMIT,
        }
    }
}

/// An input that needs more than the budget.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResourceError {
    /// The estimated peak memory is above the budget.
    #[error("{keys}: needs about {} of memory, above the budget of {} (raise it with --max-memory-gb or FIBRA_MAX_MEMORY_GB)", format_bytes(*needed_bytes), format_bytes(*budget_bytes))]
    Memory {
        /// The input keys that drive the estimate, with their values.
        keys: String,
        /// Estimated peak, bytes.
        needed_bytes: f64,
        /// The budget, bytes.
        budget_bytes: f64,
    },
    /// The estimated number of steps is above the budget.
    #[error("{keys}: needs about {} split steps, above the budget of {} (raise it with --max-steps or FIBRA_MAX_STEPS)", format_number(*needed, 0), format_number(*budget as f64, 0))]
    Steps {
        /// The input keys that drive the estimate, with their values.
        keys: String,
        /// Estimated steps.
        needed: f64,
        /// The budget.
        budget: usize,
    },
}

impl ResourceBudget {
    /// Refuses `needed_bytes` (an estimate; NaN or ∞ are refused too) above the budget.
    pub fn check_memory(
        &self,
        needed_bytes: f64,
        keys: impl Into<String>,
    ) -> Result<(), ResourceError> {
        if needed_bytes <= self.max_memory_bytes {
            Ok(())
        } else {
            Err(ResourceError::Memory {
                keys: keys.into(),
                needed_bytes,
                budget_bytes: self.max_memory_bytes,
            })
        }
    }

    /// Refuses `needed` steps (an estimate; NaN or ∞ are refused too) above the budget.
    pub fn check_steps(&self, needed: f64, keys: impl Into<String>) -> Result<(), ResourceError> {
        if needed <= self.max_steps as f64 {
            Ok(())
        } else {
            Err(ResourceError::Steps {
                keys: keys.into(),
                needed,
                budget: self.max_steps,
            })
        }
    }
}

/// Bytes in words: `11.6 GiB`, `320 MiB`, `12 KiB`.
pub fn format_bytes(bytes: f64) -> String {
    let units = [
        ("GiB", BYTES_PER_GIB),
        ("MiB", 1024.0 * 1024.0),
        ("KiB", 1024.0),
    ];
    for (name, size) in units {
        if bytes >= size {
            return format!("{} {name}", format_number(bytes / size, 1));
        }
    }
    format!("{} bytes", format_number(bytes, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_refuses_above_and_non_finite() {
        let budget = ResourceBudget::default();
        assert!(budget.check_memory(1e9, "x").is_ok());
        let e = budget
            .check_memory(11.6 * BYTES_PER_GIB, "grid.samples = 67108864")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "grid.samples = 67108864: needs about 11.6 GiB of memory, above the budget of 8 GiB (raise it with --max-memory-gb or FIBRA_MAX_MEMORY_GB)"
        );
        assert!(budget.check_memory(f64::NAN, "x").is_err());
        assert!(budget.check_steps(f64::INFINITY, "x").is_err());
        assert!(budget.check_steps(1e8, "x").is_ok());
        assert!(budget.check_steps(1e8 + 1.0, "x").is_err());
    }
}
