//! LINK.toml: parse, then budget (and a short launch sweep) what parses; the verdict must never
//! be feasible with a non-finite figure.
#![no_main]
use libfuzzer_sys::fuzz_target;

use fibra::budget::{optimize_launch, BudgetPlan, LaunchSweepRange};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(link) = fibra::io::parse_link(text) else { return };
    if BudgetPlan::memory_estimate_bytes(&link) > 256e6 {
        return;
    }
    let plan = BudgetPlan::new(&link);
    let report = plan.run();
    let s = &report.summary;
    if s.feasible {
        assert!(s.gsnr_db.is_finite() && s.worst_gsnr_db.is_finite() && s.rx_power_dbm.is_finite());
        assert!(s.osnr_margin_db.is_none_or(|m| m >= 0.0));
        assert!(report.channels.iter().all(|c| c.gsnr_db.is_finite() && c.power_dbm.is_finite()));
    }
    assert_eq!(s.limits.len(), s.reasons.len());
    let sweep = optimize_launch(&plan, LaunchSweepRange { min_dbm: -5.0, max_dbm: 5.0, step_db: 2.5 });
    assert!(sweep.optimum_launch_power_dbm.is_finite());
});
