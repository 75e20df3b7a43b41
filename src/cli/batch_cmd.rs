//! `fibra batch SWEEP.toml --out DIR` and `fibra batch merge DIR... --out OUT`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use fibra::batch::{
    self, for_each_result, merge_results, parse_shard, read_sweep, result_columns, tally_results,
    ResultStore, Resume, Selection, SensitivityTally, StoreError, Sweep,
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
    /// Continue a run of the same sweep in DIR: only scenarios without a row run.
    #[arg(long)]
    pub resume: bool,
    /// With --resume: run the scenarios whose row is an error again (their rows are replaced).
    #[arg(long, requires = "resume")]
    pub retry_errors: bool,
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

/// Most worker threads per core: more only adds switching.
const JOBS_PER_CORE: usize = 4;

/// Runs the command.
pub fn run(args: &BatchArgs, budget: &ResourceBudget) -> Result<(), Failure> {
    if let Some(BatchCommand::Merge { dirs, out }) = &args.command {
        let count = merge_results(dirs, out).map_err(|e| match e {
            batch::MergeError::OutIsInput { .. } => Failure::BadInput(e.to_string()),
            _ => Failure::Run(e.to_string()),
        })?;
        sayln!("merged {count} scenarios into {}", out.display());
        return Ok(());
    }
    let sweep_path = args.sweep.as_ref().expect("required by clap");
    let sweep = read_sweep(sweep_path)?;
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    let jobs = match args.jobs {
        Some(0) => return Err(Failure::BadInput("--jobs: must be at least 1".into())),
        Some(n) => {
            let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
            let cap = JOBS_PER_CORE * cores;
            if n > cap {
                eprintln!("warning: --jobs {n} is more than {JOBS_PER_CORE} per core on this machine ({cores} cores): using {cap}");
            }
            Some(n.min(cap))
        }
        None => None,
    };
    if args.dry_run {
        return dry_run(&sweep, shard);
    }
    let out = args
        .out
        .as_ref()
        .expect("required by clap unless --dry-run");
    let resume = Resume {
        resume: args.resume,
        retry_errors: args.retry_errors,
    };
    let (store, opened) = ResultStore::open(out, &sweep, shard, resume).map_err(|e| match e {
        StoreError::AlreadyHoldsResults { .. }
        | StoreError::OtherSweep { .. }
        | StoreError::Locked(_) => Failure::BadInput(e.to_string()),
        _ => Failure::Run(e.to_string()),
    })?;
    if let Some(holder) = &opened.took_over {
        eprintln!(
            "note: took over the lock of {} left by a run that is gone ({holder})",
            out.display()
        );
    }
    if opened.repaired_bytes > 0 {
        eprintln!(
            "note: cut a torn last row ({} bytes) from {}",
            opened.repaired_bytes,
            out.join("results.jsonl").display()
        );
    }
    let selection = Selection {
        shard,
        done: &opened.done,
    };
    let todo = selection.count(&sweep);
    let bar = progress::bar(todo as u64, "scenarios", args.quiet);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let outcome = batch::run(&sweep, selection, jobs, (store, out), budget, &|| {
        bar.inc(1)
    });
    bar.finish_and_clear();
    outcome.map_err(|e| Failure::Run(e.to_string()))?;
    let tally = tally_results(out).map_err(|e| Failure::Run(e.to_string()))?;
    sayln!(
        "{} scenarios in {} ({} run now, {} already there{}); {} failed",
        tally.rows,
        out.display(),
        todo,
        opened.done.len(),
        match opened.retried {
            0 => String::new(),
            n => format!(", {n} error rows retried"),
        },
        tally.failed
    );
    for (index, id, error) in &tally.first_failures {
        sayln!("  scenario {index} ({id}): {error}");
    }
    if args.summary {
        print_summary(&sweep, out)?;
    }
    if tally.failed == 0 {
        Ok(())
    } else {
        Err(Failure::Run(format!(
            "{} of {} scenarios failed (rows with an error in {})",
            tally.failed,
            tally.rows,
            out.display()
        )))
    }
}

/// `--dry-run`: the scenarios of the shard, one line each, streamed (memory flat in their count).
fn dry_run(sweep: &Sweep, shard: Option<batch::Shard>) -> Result<(), Failure> {
    use std::io::Write;
    let done = batch::DoneSet::default();
    let selected = Selection { shard, done: &done }.count(sweep);
    sayln!(
        "{} scenarios ({} in this shard), base {} ({:?})",
        sweep.len(),
        selected,
        sweep.base_path.display(),
        sweep.kind
    );
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let failed = |e: std::io::Error| {
        Failure::Run(format!(
            "cannot write to stdout: {}",
            fibra::display::describe_io_error(&e)
        ))
    };
    for s in sweep.scenarios(shard) {
        writeln!(out, "{:>6} {}  {}", s.index, s.id, s.settings()).map_err(failed)?;
    }
    out.flush().map_err(failed)
}

/// `--summary`: the sensitivity of the worst margin to each parameter.
fn print_summary(sweep: &Sweep, out: &std::path::Path) -> Result<(), Failure> {
    let columns = result_columns(sweep.kind);
    let mut tally = SensitivityTally::new(&sweep.parameters, columns);
    for_each_result(out, sweep, |row| tally.add(&row)).map_err(|e| Failure::Run(e.to_string()))?;
    sayln!("\nSensitivity of the worst margin (dB) to each parameter:");
    sayln!(
        "{:<40} {:>8} {:>12} {:>12} {:>10}",
        "parameter",
        "values",
        "min worst",
        "max worst",
        "range"
    );
    for s in tally.finish() {
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
    Ok(())
}
