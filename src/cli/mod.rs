//! Command-line front end: argument parsing, exit codes, human and JSON output.

/// `print!` that returns a failed run (exit 1, "cannot write to stdout: no space left on device")
/// from the enclosing function instead of panicking when stdout cannot be written.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::write_stdout(format_args!($($arg)*))?
    };
}

/// `println!` with the error handling of [`say!`].
macro_rules! sayln {
    () => {
        $crate::cli::write_stdout(format_args!("\n"))?
    };
    ($($arg:tt)*) => {
        $crate::cli::write_stdout(format_args!("{}\n", format_args!($($arg)*)))?
    };
}

mod batch_cmd;
mod budget_cmd;
mod budget_table;
mod design_cmd;
mod gnpy_cmd;
mod network_cmd;
mod plot_args;
mod progress;
mod propagate_cmd;
mod simulate_cmd;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use fibra::display::printable_message;
use fibra::io::describe_io_error;
use fibra::resources::ResourceBudget;

/// How a command ended: bad input (exit 2) or a failed run (exit 1).
pub enum Failure {
    /// The input was wrong: exit code 2.
    BadInput(String),
    /// The run could not complete: exit code 1.
    Run(String),
}

impl From<fibra::resources::ResourceError> for Failure {
    fn from(e: fibra::resources::ResourceError) -> Self {
        Failure::BadInput(e.to_string())
    }
}

impl From<fibra::io::InputError> for Failure {
    fn from(e: fibra::io::InputError) -> Self {
        Failure::BadInput(e.to_string())
    }
}

#[derive(Parser)]
#[command(
    name = "fibra",
    version,
    about = "Optical link budgets and signal simulation for long-haul fibre routes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Memory budget, GiB (default 8, or FIBRA_MAX_MEMORY_GB): inputs whose estimated peak
    /// memory is above it are refused before anything is allocated.
    #[arg(long, global = true, value_name = "GB")]
    max_memory_gb: Option<f64>,
    /// Step budget of a propagation or simulation (default 1e8, or FIBRA_MAX_STEPS).
    #[arg(long, global = true, value_name = "STEPS")]
    max_steps: Option<f64>,
}

/// One budget setting: the flag, else the environment variable, else `None`; checked against
/// `range` (the message names both the flag and the variable).
fn budget_setting(
    flag: Option<f64>,
    (flag_name, variable): (&str, &str),
    range: std::ops::RangeInclusive<f64>,
) -> Result<Option<f64>, Failure> {
    let value = match (flag, std::env::var(variable)) {
        (Some(v), _) => v,
        (None, Ok(text)) => text.trim().parse::<f64>().map_err(|_| {
            Failure::BadInput(format!(
                "{variable}: `{}` is not a number",
                fibra::display::quote_user_text(&text)
            ))
        })?,
        (None, Err(_)) => return Ok(None),
    };
    if range.contains(&value) {
        Ok(Some(value))
    } else {
        Err(Failure::BadInput(format!(
            "{flag_name} / {variable}: {} is outside {}–{}",
            fibra::display::format_value(value),
            fibra::display::format_value(*range.start()),
            fibra::display::format_value(*range.end())
        )))
    }
}

/// The resource budget from the flags, else the environment, else the defaults.
fn resource_budget(cli: &Cli) -> Result<ResourceBudget, Failure> {
    let mut budget = ResourceBudget::default();
    let names = ("--max-memory-gb", "FIBRA_MAX_MEMORY_GB");
    if let Some(gb) = budget_setting(cli.max_memory_gb, names, 0.001..=1e6)? {
        budget.max_memory_bytes = gb * fibra::resources::BYTES_PER_GIB;
    }
    let names = ("--max-steps", "FIBRA_MAX_STEPS");
    if let Some(steps) = budget_setting(cli.max_steps, names, 1.0..=1e15)? {
        budget.max_steps = steps as usize;
    }
    Ok(budget)
}

#[derive(Subcommand)]
enum Command {
    /// Many scenarios of a LINK/ROUTE/NETWORK file, one result row each (SWEEP.toml).
    Batch(batch_cmd::BatchArgs),
    /// Link budget of a designed chain of spans (LINK.toml).
    Budget(budget_cmd::BudgetArgs),
    /// Place amplifiers (and regenerators) along a route, then budget it (ROUTE.toml).
    Design(design_cmd::DesignArgs),
    /// GNPy 3.0.1 interoperability: export a LINK.toml as GNPy topology and equipment files.
    Gnpy(gnpy_cmd::GnpyArgs),
    /// A whole backbone: design every link, paths with regenerators, cuts (NETWORK.toml).
    Network(network_cmd::NetworkArgs),
    /// Split-step Fourier propagation of a pulse (PULSE.toml).
    Propagate(propagate_cmd::PropagateArgs),
    /// Waveform-level simulation of a WDM link (SYSTEM.toml).
    Simulate(simulate_cmd::SimulateArgs),
}

/// Parses the arguments, runs the command and maps the outcome to an exit code
/// (0 success, 1 failed run, 2 bad input or usage).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = resource_budget(&cli)
        .and_then(|budget| match &cli.command {
            Command::Batch(args) => batch_cmd::run(args, &budget),
            Command::Budget(args) => budget_cmd::run(args, &budget),
            Command::Design(args) => design_cmd::run(args, &budget),
            Command::Gnpy(args) => gnpy_cmd::run(args),
            Command::Network(args) => network_cmd::run(args, &budget),
            Command::Propagate(args) => propagate_cmd::run(args, &budget),
            Command::Simulate(args) => simulate_cmd::run(args, &budget),
        })
        .and_then(|()| {
            std::io::stdout().flush().map_err(|e| {
                Failure::Run(format!("cannot write to stdout: {}", describe_io_error(&e)))
            })
        });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BadInput(message)) => {
            let _ = writeln!(std::io::stderr(), "error: {}", printable_message(&message));
            ExitCode::from(2)
        }
        Err(Failure::Run(message)) => {
            let _ = writeln!(std::io::stderr(), "error: {}", printable_message(&message));
            ExitCode::from(1)
        }
    }
}

/// Writes formatted text to stdout; a failure (a full disk, a closed descriptor) is a failed run.
pub fn write_stdout(args: std::fmt::Arguments) -> Result<(), Failure> {
    std::io::stdout()
        .lock()
        .write_fmt(args)
        .map_err(|e| Failure::Run(format!("cannot write to stdout: {}", describe_io_error(&e))))
}

/// Writes one JSON document to stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Run(format!("cannot encode JSON: {e}")))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|e| Failure::Run(format!("cannot write to stdout: {}", describe_io_error(&e))))
}
