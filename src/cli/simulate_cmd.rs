//! `fibra simulate SYSTEM.toml`.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use fibra::io::system_file::read_system;
use fibra::resources::ResourceBudget;
use fibra::system::BudgetComparison;
use fibra::system::{simulate, SimulationError, SimulationReport};

use super::plot_args::PlotArgs;
use super::{print_json, progress, Failure};

/// Arguments of `fibra simulate`.
#[derive(Args)]
pub struct SimulateArgs {
    /// The system description (SYSTEM.toml).
    pub system: PathBuf,
    /// Print exactly one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
    /// Also run the link budget and give each channel's GN-model GSNR next to the measured SNR.
    #[arg(long)]
    pub compare_budget: bool,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Charts: the received channel's `constellation` (coherent) or `eye` (OOK), and the
    /// launched and received optical `spectrum`.
    #[command(flatten)]
    pub plot: PlotArgs,
}

/// Runs the command.
pub fn run(args: &SimulateArgs, budget: &ResourceBudget) -> Result<(), Failure> {
    let system = read_system(&args.system)?;
    let link_budget = args
        .compare_budget
        .then(|| BudgetComparison::of(&system))
        .flatten();
    let bar = progress::bar(1000, "simulating", args.quiet || args.json);
    let start = Instant::now();
    let outcome = simulate(&system, budget, &mut |f| {
        bar.set_position((f * 1000.0) as u64)
    })
    .map_err(|e| {
        let message = format!("{}: {e}", args.system.display());
        match e {
            SimulationError::Stopped { .. } => Failure::Run(message),
            SimulationError::Resources(_)
            | SimulationError::Gain { .. }
            | SimulationError::Unsupported { .. } => Failure::BadInput(message),
        }
    });
    bar.finish_and_clear();
    let outcome = outcome?;
    let elapsed_ms = start.elapsed().as_secs_f64() * 1e3;
    if let Some(dir) = &args.plot.plot {
        fibra::plot::write_simulation_charts(
            &outcome,
            system.receiver_channel,
            system.link.grid.center_thz,
            &args.system.display().to_string(),
            dir,
            args.plot.format(),
        )
        .map_err(|e| Failure::Run(e.to_string()))?;
    }
    let doc = SimulationReport::new(&system, &outcome, link_budget.as_ref(), elapsed_ms);
    if args.json {
        return print_json(&doc);
    }
    sayln!("fibra simulate — {}", args.system.display());
    if doc.precision == fibra::propagation::Precision::F32 {
        sayln!("precision f32 (the propagating fields and their FFTs; all else f64)");
    }
    sayln!(
        "{} channels, {} spans, {} samples, {} steps, {} receiver, {:.0} ms \
         (propagation {:.0} ms, {:.0} % of it in {} FFTs)\n",
        doc.channels.len(),
        system.link.spans.len(),
        doc.samples,
        doc.steps,
        doc.receiver_dsp,
        doc.elapsed_ms,
        doc.propagation_ms,
        100.0 * doc.fft_ms / doc.propagation_ms.max(1e-9),
        doc.fft_count
    );
    sayln!(
        "{:>12} {:>10} {:>10} {:>8} {:>12} {:>12} {:>10} {:>11} {:>10} {:>13} {:>8}",
        "THz",
        "SNR dB",
        "EVM %",
        "Q dB",
        "BER",
        "BER est.",
        "GN GSNR dB",
        "EGN GSNR dB",
        "diff dB",
        "OSA OSNR dB",
        "DGD ps"
    );
    let show = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x:.2}"));
    for (c, ch) in doc.channels.iter().enumerate() {
        let marker = if c == system.receiver_channel {
            " <- received"
        } else {
            ""
        };
        let d = match (ch.gsnr_budget_db, ch.snr_db) {
            (Some(g), Some(s)) => format!("{:+.2}", s - g),
            _ => "-".into(),
        };
        sayln!(
            "{:>12.4} {:>10} {:>10} {:>8} {:>12.3e} {:>12.3e} {:>10} {:>11} {:>10} {:>13} {:>8}{marker}",
            ch.frequency_thz,
            show(ch.snr_db),
            show(ch.evm_percent),
            show(ch.q_db),
            ch.ber,
            ch.ber_estimate,
            show(ch.gsnr_gn_db),
            show(ch.gsnr_egn_db),
            d,
            show(ch.osnr_osa_db),
            show(ch.dgd_ps)
        );
    }
    Ok(())
}
