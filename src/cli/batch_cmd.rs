//! `fibra batch SWEEP.toml --out DIR` and `fibra batch merge DIR... --out OUT`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use fibra::batch::{
    self, merge_results, parse_shard, read_results, read_sweep, result_columns, sensitivity,
    ResultStore, StoreError,
};
use fibra::resources::ResourceBudget;

use super::{progress, Failure};

/// Arguments of `fibra batch`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct BatchArgs {
    #[command(subcommand)]
    pub command: Option<BatchCommand>,
    /// The sweep (SWEEP.toml).
    #[arg(required = true)]
    pub sweep: Option<PathBuf>,
    /// Output directory (results.csv, results.jsonl, manifest.json).
    #[arg(long, required_unless_present = "dry_run")]
    pub out: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Run only the I-th of N disjoint slices of the sweep.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Skip the scenarios already in DIR.
    #[arg(long)]
    pub resume: bool,
    /// List the scenarios and stop.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the sensitivity of the worst margin to each parameter.
    #[arg(long)]
    pub summary: bool,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// `fibra batch merge`.
#[derive(Subcommand)]
pub enum BatchCommand {
    /// Merge shard output directories, checking that every scenario is there exactly once.
    Merge {
        /// Shard output directories.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Merged output directory.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Runs the command.
pub fn run(args: &BatchArgs, budget: &ResourceBudget) -> Result<(), Failure> {
    if let Some(BatchCommand::Merge { dirs, out }) = &args.command {
        let count = merge_results(dirs, out).map_err(Failure::Run)?;
        sayln!("merged {count} scenarios into {}", out.display());
        return Ok(());
    }
    let sweep_path = args.sweep.as_ref().expect("required by clap");
    let sweep = read_sweep(sweep_path)?;
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    if args.jobs == Some(0) {
        return Err(Failure::BadInput("--jobs: must be at least 1".into()));
    }
    let selected: Vec<_> = sweep
        .scenarios
        .iter()
        .filter(|s| shard.is_none_or(|sh| sh.contains(s.index)))
        .collect();
    if args.dry_run {
        sayln!(
            "{} scenarios ({} in this shard), base {} ({:?})",
            sweep.scenarios.len(),
            selected.len(),
            sweep.base_path.display(),
            sweep.kind
        );
        for s in &selected {
            let values: Vec<String> = s
                .assignments
                .iter()
                .map(|(p, v)| format!("{p} = {v}"))
                .collect();
            sayln!("{:>6} {}  {}", s.index, s.id, values.join(", "));
        }
        return Ok(());
    }
    let out = args
        .out
        .as_ref()
        .expect("required by clap unless --dry-run");
    let (store, done) =
        ResultStore::open(out, &sweep, shard, args.resume).map_err(|e| match e {
            StoreError::AlreadyHoldsResults { .. } => Failure::BadInput(e.to_string()),
            _ => Failure::Run(e.to_string()),
        })?;
    let todo: Vec<_> = selected
        .into_iter()
        .filter(|s| !done.contains(&s.id))
        .collect();
    let bar = progress::bar(todo.len() as u64, "scenarios", args.quiet);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let outcome = batch::run(&sweep, &todo, args.jobs, (store, out), budget, &|| {
        bar.inc(1)
    });
    bar.finish_and_clear();
    outcome.map_err(|e| Failure::Run(e.to_string()))?;
    let rows = read_results(out, &sweep).map_err(Failure::Run)?;
    let failed: Vec<_> = rows.iter().filter(|r| r.result.is_err()).collect();
    sayln!(
        "{} scenarios in {} ({} run now, {} already there); {} failed",
        rows.len(),
        out.display(),
        todo.len(),
        done.len(),
        failed.len()
    );
    for row in failed.iter().take(10) {
        if let Err(e) = &row.result {
            sayln!("  scenario {} ({}): {e}", row.index, row.id);
        }
    }
    if args.summary {
        let columns = result_columns(sweep.kind);
        sayln!("\nSensitivity of the worst margin (dB) to each parameter:");
        sayln!(
            "{:<40} {:>8} {:>12} {:>12} {:>10}",
            "parameter",
            "values",
            "min worst",
            "max worst",
            "range"
        );
        for s in sensitivity(&sweep.parameters, columns, &rows) {
            let (lo, hi) = s
                .worst_by_value
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (_, m)| {
                    (lo.min(*m), hi.max(*m))
                });
            sayln!(
                "{:<40} {:>8} {:>12.2} {:>12.2} {:>10.2}",
                s.parameter,
                s.worst_by_value.len(),
                lo,
                hi,
                s.range_db
            );
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::Run(format!(
            "{} of {} scenarios failed (rows with an error in {})",
            failed.len(),
            rows.len(),
            out.display()
        )))
    }
}
