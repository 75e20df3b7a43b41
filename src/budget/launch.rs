//! Launch-power optimisation: the ASE/NLI bell curve of the centre channel's GSNR.

use serde::Serialize;

use super::engine::BudgetPlan;

/// One point of the sweep.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LaunchSweepPoint {
    /// Per-channel launch power, dBm.
    pub launch_power_dbm: f64,
    /// Centre-channel GSNR at the receiver (signal bandwidth), dB.
    pub gsnr_db: f64,
}

/// The grid of launch powers to sweep, dBm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LaunchSweepRange {
    /// Lowest launch power, dBm.
    pub min_dbm: f64,
    /// Highest launch power, dBm.
    pub max_dbm: f64,
    /// Step of the reported sweep, dB (> 0).
    pub step_db: f64,
}

impl Default for LaunchSweepRange {
    fn default() -> Self {
        Self {
            min_dbm: -8.0,
            max_dbm: 8.0,
            step_db: 0.5,
        }
    }
}

/// The result of a sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct LaunchSweep {
    /// The sweep points, in increasing launch power.
    pub points: Vec<LaunchSweepPoint>,
    /// Optimum launch power, dBm, rounded to 0.1 dB.
    pub optimum_launch_power_dbm: f64,
    /// True when the optimum is at an end of the range (within 0.05 dB): the real optimum may lie
    /// outside the sweep.
    pub optimum_at_range_edge: bool,
}

fn center_gsnr_db(plan: &BudgetPlan, launch_power_dbm: f64) -> f64 {
    plan.run_at(launch_power_dbm).summary.gsnr_db
}

/// Sweeps the launch power over `range`, then refines the maximum by golden-section search
/// between the neighbours of the best grid point (the GSNR is unimodal in launch power: ASE falls
/// as 1/P, NLI grows as P², so 1/GSNR = a/P + b·P² has one minimum at P = (a/2b)^{1/3}).
pub fn optimize_launch(plan: &BudgetPlan, range: LaunchSweepRange) -> LaunchSweep {
    let steps = ((range.max_dbm - range.min_dbm) / range.step_db)
        .round()
        .max(0.0) as usize;
    let points: Vec<LaunchSweepPoint> = (0..=steps)
        .map(|k| {
            let launch_power_dbm = range.min_dbm + k as f64 * range.step_db;
            LaunchSweepPoint {
                launch_power_dbm,
                gsnr_db: center_gsnr_db(plan, launch_power_dbm),
            }
        })
        .collect();
    let best = points
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.gsnr_db.total_cmp(&b.1.gsnr_db))
        .map_or(0, |(k, _)| k);
    let mut lo = points[best.saturating_sub(1)].launch_power_dbm;
    let mut hi = points[(best + 1).min(points.len() - 1)].launch_power_dbm;
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    while hi - lo > 1e-3 {
        let a = hi - ratio * (hi - lo);
        let b = lo + ratio * (hi - lo);
        if center_gsnr_db(plan, a) >= center_gsnr_db(plan, b) {
            hi = b;
        } else {
            lo = a;
        }
    }
    let optimum = (0.5 * (lo + hi) * 10.0).round() / 10.0;
    LaunchSweep {
        points,
        optimum_launch_power_dbm: optimum,
        optimum_at_range_edge: optimum <= range.min_dbm + 0.05 || optimum >= range.max_dbm - 0.05,
    }
}
