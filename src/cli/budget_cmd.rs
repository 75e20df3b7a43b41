//! `fibra budget LINK.toml`.

use std::path::PathBuf;

use clap::Args;
use fibra::budget::{optimize_launch, BudgetPlan, LaunchSweepRange};
use fibra::plot::{write_budget_charts, RouteSegment};
use fibra::resources::ResourceBudget;

use super::plot_args::PlotArgs;
use super::{budget_table, print_json, Failure};

/// Arguments of `fibra budget`.
#[derive(Args)]
pub struct BudgetArgs {
    /// The link description (LINK.toml).
    pub link: PathBuf,
    /// Print exactly one JSON document on stdout instead of the tables.
    #[arg(long)]
    pub json: bool,
    /// Sweep the per-channel launch power and report the optimum (ASE/NLI bell curve).
    #[arg(long)]
    pub optimize_launch: bool,
    /// Lowest launch power of the sweep, dBm.
    #[arg(long, default_value_t = -8.0, allow_negative_numbers = true, requires = "optimize_launch")]
    pub launch_min_dbm: f64,
    /// Highest launch power of the sweep, dBm.
    #[arg(
        long,
        default_value_t = 8.0,
        allow_negative_numbers = true,
        requires = "optimize_launch"
    )]
    pub launch_max_dbm: f64,
    /// Step of the sweep, dB.
    #[arg(long, default_value_t = 0.5, requires = "optimize_launch")]
    pub launch_step_db: f64,
    #[command(flatten)]
    pub plot: PlotArgs,
}

fn sweep_range(args: &BudgetArgs) -> Result<LaunchSweepRange, Failure> {
    let range = LaunchSweepRange {
        min_dbm: args.launch_min_dbm,
        max_dbm: args.launch_max_dbm,
        step_db: args.launch_step_db,
    };
    let finite = [range.min_dbm, range.max_dbm, range.step_db]
        .iter()
        .all(|x| x.is_finite());
    if !finite
        || range.step_db <= 0.0
        || range.max_dbm <= range.min_dbm
        || range.min_dbm < -40.0
        || range.max_dbm > 30.0
    {
        return Err(Failure::BadInput(
            "--launch-min-dbm/--launch-max-dbm/--launch-step-db: need -40 ≤ min < max ≤ 30 dBm and a step > 0".into(),
        ));
    }
    if (range.max_dbm - range.min_dbm) / range.step_db > 10_000.0 {
        return Err(Failure::BadInput(
            "--launch-step-db: at most 10000 sweep points".into(),
        ));
    }
    Ok(range)
}

/// Runs the command.
pub fn run(args: &BudgetArgs, budget: &ResourceBudget) -> Result<(), Failure> {
    let range = if args.optimize_launch {
        Some(sweep_range(args)?)
    } else {
        None
    };
    let link = fibra::io::read_link(&args.link)?;
    budget.check_memory(
        BudgetPlan::memory_estimate_bytes(&link),
        format!(
            "{}: signal.channels = {} over {} spans",
            args.link.display(),
            link.grid.channels,
            link.spans.len()
        ),
    )?;
    let plan = BudgetPlan::new(&link);
    let mut report = plan.run();
    if let Some(range) = range {
        let sweep = optimize_launch(&plan, range);
        let optimum = sweep.optimum_launch_power_dbm;
        if sweep.optimum_at_range_edge {
            report.summary.warnings.push(format!(
                "the best launch power of the sweep, {} dBm, is at the edge of its range: the optimum may lie outside it (widen --launch-min-dbm/--launch-max-dbm)",
                fibra::display::format_number(optimum, 1)
            ));
        }
        report.launch_sweep = Some(sweep.points);
        report.optimum_launch_power_dbm = Some(optimum);
    }
    let title = args.link.display().to_string();
    let mut charts = Vec::new();
    if let Some(dir) = &args.plot.plot {
        let segments = [RouteSegment {
            offset_km: 0.0,
            report: &report,
        }];
        charts = write_budget_charts(&segments, &title, dir, args.plot.format())
            .map_err(|e| Failure::Run(e.to_string()))?;
    }
    if args.json {
        print_json(&report)
    } else {
        say!("{}", budget_table::render(&title, &report));
        for chart in charts {
            sayln!("chart written to {}", chart.display());
        }
        Ok(())
    }
}
