//! `fibra simulate SYSTEM.toml`.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use fibra::budget::BudgetPlan;
use fibra::io::system_file::read_system;
use fibra::resources::ResourceBudget;
use fibra::system::{simulate, ReceiverDsp, SimulationError};
use serde::Serialize;

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

#[derive(Serialize, Clone)]
struct ChannelJson {
    frequency_thz: f64,
    snr_db: Option<f64>,
    q_db: Option<f64>,
    ber: f64,
    ber_estimate: f64,
    bits: usize,
    errors: usize,
    evm_percent: Option<f64>,
    /// OSNR (0.1 nm) read off the received optical spectrum (interpolation method).
    osnr_osa_db: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gsnr_budget_db: Option<f64>,
    /// The budget's OSNR (ASE only) of the channel, with `--compare-budget`.
    #[serde(skip_serializing_if = "Option::is_none")]
    osnr_budget_db: Option<f64>,
    /// DGD undone by the adaptive equaliser (blind receiver only), ps.
    #[serde(skip_serializing_if = "Option::is_none")]
    dgd_ps: Option<f64>,
    /// Carrier frequency offset the blind receiver estimated and removed, MHz.
    #[serde(skip_serializing_if = "Option::is_none")]
    frequency_offset_mhz: Option<f64>,
}

#[derive(Serialize)]
struct SimulateJson {
    channels: Vec<ChannelJson>,
    received: ChannelJson,
    receiver_dsp: &'static str,
    samples: usize,
    steps: usize,
    fft_count: u64,
    elapsed_ms: f64,
    propagation_ms: f64,
    fft_ms: f64,
}

/// Runs the command.
pub fn run(args: &SimulateArgs, budget: &ResourceBudget) -> Result<(), Failure> {
    let system = read_system(&args.system)?;
    let link_budget = (args.compare_budget && !system.link.spans.is_empty())
        .then(|| BudgetPlan::new(&system.link).run());
    let bar = progress::bar(1000, "simulating", args.quiet || args.json);
    let start = Instant::now();
    let outcome = simulate(&system, budget, &mut |f| {
        bar.set_position((f * 1000.0) as u64)
    })
    .map_err(|e| {
        let message = format!("{}: {e}", args.system.display());
        match e {
            SimulationError::Stopped { .. } => Failure::Run(message),
            SimulationError::Resources(_) | SimulationError::Gain { .. } => {
                Failure::BadInput(message)
            }
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
    let channels: Vec<ChannelJson> = outcome
        .channels
        .iter()
        .enumerate()
        .map(|(c, (f, m))| ChannelJson {
            frequency_thz: *f,
            snr_db: m.snr_db.is_finite().then_some(m.snr_db),
            q_db: m.q_db,
            ber: m.ber,
            ber_estimate: m.ber_estimate,
            bits: m.bits,
            errors: m.errors,
            osnr_osa_db: outcome.osnr_osa_db[c],
            gsnr_budget_db: link_budget.as_ref().map(|b| b.channels[c].gsnr_db),
            osnr_budget_db: link_budget.as_ref().map(|b| b.channels[c].osnr_ase_db),
            evm_percent: m.evm_percent.is_finite().then_some(m.evm_percent),
            dgd_ps: m.dgd_estimate_ps,
            frequency_offset_mhz: m.frequency_offset_estimate_hz.map(|f| f * 1e-6),
        })
        .collect();
    let doc = SimulateJson {
        received: channels[system.receiver_channel].clone(),
        channels,
        receiver_dsp: match system.dsp {
            ReceiverDsp::Ideal => "ideal",
            ReceiverDsp::Adaptive(_) => "adaptive",
        },
        samples: outcome.samples,
        steps: outcome.steps,
        fft_count: outcome.fft_count,
        elapsed_ms,
        propagation_ms: outcome.propagation_time.as_secs_f64() * 1e3,
        fft_ms: outcome.fft_time.as_secs_f64() * 1e3,
    };
    if args.json {
        return print_json(&doc);
    }
    sayln!("fibra simulate — {}", args.system.display());
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
        "{:>12} {:>10} {:>10} {:>8} {:>12} {:>12} {:>14} {:>10} {:>13} {:>8}",
        "THz",
        "SNR dB",
        "EVM %",
        "Q dB",
        "BER",
        "BER est.",
        "budget GSNR dB",
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
        let (g, d) = match ch.gsnr_budget_db {
            Some(g) => (
                format!("{g:.2}"),
                ch.snr_db.map_or("-".into(), |s| format!("{:+.2}", s - g)),
            ),
            None => ("-".into(), "-".into()),
        };
        sayln!(
            "{:>12.4} {:>10} {:>10} {:>8} {:>12.3e} {:>12.3e} {:>14} {:>10} {:>13} {:>8}{marker}",
            ch.frequency_thz,
            show(ch.snr_db),
            show(ch.evm_percent),
            show(ch.q_db),
            ch.ber,
            ch.ber_estimate,
            g,
            d,
            show(ch.osnr_osa_db),
            show(ch.dgd_ps)
        );
    }
    Ok(())
}
