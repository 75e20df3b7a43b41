//! `fibra propagate PULSE.toml`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use fibra::atomic_write::{refuse_input, OutputSet};
use fibra::io::output::{field_csv, spectrum_csv};
use fibra::io::read_pulse_setup;
use fibra::plot::{write_propagation_charts, PulseFigures};
use fibra::propagation::{
    propagation_memory_bytes, propagation_steps, Precision, PrecisionPlans, PropagationReport,
    PulseEnd, Snapshots,
};
use fibra::resources::ResourceBudget;
use fibra::signal::{peak_power_w, spectral_edge_energy_fraction, PulseMeasurements};

use super::plot_args::PlotArgs;
use super::{print_json, progress, Failure};

/// Arguments of `fibra propagate`.
#[derive(Args)]
pub struct PropagateArgs {
    /// The pulse, grid, fibre and solver description (PULSE.toml).
    pub pulse: PathBuf,
    /// Print exactly one JSON document on stdout instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Write the output field to FILE (time_ps, power_w, phase_rad) and its spectrum to
    /// FILE with the extension `.spectrum.csv` (frequency_ghz, power_db). `-` writes the field
    /// alone to stdout (instead of the summary); a FIFO or device is written as given.
    #[arg(long, value_name = "FILE.csv")]
    pub save_field: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    #[command(flatten)]
    pub plot: PlotArgs,
    /// Also draw the pulse power in dBm (`pulse-power-db`; with --plot).
    #[arg(long, requires = "plot")]
    pub plot_db: bool,
}

/// `FILE.csv` -> `FILE.spectrum.csv`.
fn spectrum_path(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{stem}.spectrum.csv"))
}

/// Runs the command.
pub fn run(args: &PropagateArgs, budget: &ResourceBudget) -> Result<(), Failure> {
    let field_to_stdout = args.save_field.as_deref() == Some(Path::new("-"));
    if field_to_stdout && args.json {
        return Err(Failure::BadInput(
            "--save-field - and --json both want stdout: give --save-field a file".into(),
        ));
    }
    if let Some(path) = &args.save_field {
        refuse_input(path, &[&args.pulse]).map_err(|e| Failure::BadInput(e.to_string()))?;
    }
    let setup = read_pulse_setup(&args.pulse)?;
    let grid = setup.grid;
    let chart_snapshots = args
        .plot
        .plot
        .as_ref()
        .map(|_| setup.snapshots.unwrap_or(64));
    budget.check_memory(
        propagation_memory_bytes(
            grid.samples,
            setup.control,
            chart_snapshots,
            args.save_field.is_some(),
        ),
        format!(
            "{}: grid.samples = {}{}",
            args.pulse.display(),
            grid.samples,
            chart_snapshots.map_or(String::new(), |n| format!(
                " with --plot ({n} snapshots, output.snapshots)"
            ))
        ),
    )?;
    let input = setup.shape.sample(&grid, setup.peak_power_w);
    let length_km: f64 = setup.sections.iter().map(|s| s.length_km).sum();
    let cap_km = chart_snapshots.map_or(f64::INFINITY, |n| length_km / n.max(1) as f64);
    if let Some(steps) =
        propagation_steps(&setup.sections, setup.control, peak_power_w(&input), cap_km)
    {
        budget.check_steps(
            steps,
            format!(
                "{}: solver (step_km or max_phase_rad) over {} km",
                args.pulse.display(),
                fibra::display::format_number(length_km, 3)
            ),
        )?;
    }
    let mut plans = PrecisionPlans::new(grid, setup.precision);
    plans.set_step_limit(budget.max_steps);
    let input_spectrum = plans.double.spectrum_of(&input);
    let input_measures = PulseMeasurements::of(&input, &input_spectrum, &grid);
    if input_measures.energy_pj == 0.0 {
        return Err(Failure::BadInput(format!(
            "{}: pulse: the input field is zero on this grid",
            args.pulse.display()
        )));
    }

    let input_end = PulseEnd {
        measures: input_measures,
        spectral_edge_energy_fraction: spectral_edge_energy_fraction(&input_spectrum, &grid),
    };

    let bar = progress::bar(1000, "propagating", args.quiet || args.json);
    let start = Instant::now();
    let mut snapshots = args
        .plot
        .plot
        .as_ref()
        .map(|_| Snapshots::evenly(length_km, setup.snapshots.unwrap_or(64)));
    let input_copy = args.plot.plot.as_ref().map(|_| input.clone());
    let outcome = plans.propagate(
        &setup.sections,
        input,
        setup.control,
        &mut |fraction| bar.set_position((fraction * 1000.0) as u64),
        snapshots.as_mut(),
    );
    let elapsed_ms = start.elapsed().as_secs_f64() * 1e3;
    bar.finish_and_clear();
    if let Some(stop) = outcome.stopped {
        return Err(Failure::Run(format!("{}: {stop}", args.pulse.display())));
    }

    let output_spectrum = plans.double.spectrum_of(&outcome.field);
    let output_end = PulseEnd {
        measures: PulseMeasurements::of(&outcome.field, &output_spectrum, &grid),
        spectral_edge_energy_fraction: spectral_edge_energy_fraction(&output_spectrum, &grid),
    };

    if let Some(path) = &args.save_field {
        let times = grid.times_ps();
        let frequencies = grid.frequencies_ghz();
        let order: Vec<usize> = (0..grid.samples).map(|i| grid.shifted_index(i)).collect();
        let centerd_f: Vec<f64> = order.iter().map(|&k| frequencies[k]).collect();
        let centerd_p: Vec<f64> = order
            .iter()
            .map(|&k| output_spectrum[k].norm_sqr())
            .collect();
        let mut set = OutputSet::new();
        set.protect_input(&args.pulse);
        set.add(path, field_csv(&times, &outcome.field).into_bytes());
        if !field_to_stdout {
            set.add(
                &spectrum_path(path),
                spectrum_csv(&centerd_f, &centerd_p).into_bytes(),
            );
        }
        set.commit().map_err(|e| Failure::Run(e.to_string()))?;
    }

    let mut charts = Vec::new();
    if let (Some(dir), Some(input), Some(snapshots)) = (&args.plot.plot, &input_copy, &snapshots) {
        let figures = PulseFigures::from_run(
            &grid,
            input,
            &input_spectrum,
            &outcome.field,
            &output_spectrum,
            Some(snapshots),
        );
        let title = args.pulse.display().to_string();
        charts = write_propagation_charts(&figures, &title, dir, args.plot.format(), args.plot_db)
            .map_err(|e| Failure::Run(e.to_string()))?;
    }

    let floor_us = plans.double.fft_pair_floor_us(&outcome.field);
    let report = PropagationReport::new(
        &grid,
        (input_end, output_end),
        &outcome,
        length_km,
        elapsed_ms,
    )
    .with_floor(floor_us)
    .in_precision(setup.precision);
    if args.json {
        return print_json(&report);
    }
    if field_to_stdout {
        // stdout carries the field CSV; the summary would corrupt it.
        for w in &report.warnings {
            eprintln!("warning: {w}");
        }
        return Ok(());
    }
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    sayln!("fibra propagate — {}", args.pulse.display());
    sayln!(
        "{} sections, {:.3} km; grid {} samples × {:.4} ps = {:.1} ps",
        setup.sections.len(),
        length_km,
        grid.samples,
        grid.dt_ps,
        grid.window_ps()
    );
    sayln!("\n{:<22} {:>14} {:>14}", "", "input", "output");
    let rows: [(&str, f64, f64); 6] = [
        (
            "energy (pJ)",
            report.input.energy_pj,
            report.output.energy_pj,
        ),
        (
            "peak power (W)",
            report.input.peak_power_w,
            report.output.peak_power_w,
        ),
        ("FWHM (ps)", report.input.fwhm_ps, report.output.fwhm_ps),
        (
            "RMS width (ps)",
            report.input.rms_width_ps,
            report.output.rms_width_ps,
        ),
        (
            "centroid (ps)",
            report.input.centroid_ps,
            report.output.centroid_ps,
        ),
        (
            "RMS bandwidth (GHz)",
            report.input.rms_bandwidth_ghz,
            report.output.rms_bandwidth_ghz,
        ),
    ];
    for (label, a, b) in rows {
        sayln!("{label:<22} {a:>14.6} {b:>14.6}");
    }
    sayln!(
        "\nnonlinear phase γ·P0·Leff: {:.4} rad; {} steps ({} rejected), {} FFTs, solver time {:.1} ms",
        report.nonlinear_phase_rad, report.steps, report.rejected_steps, report.fft_count, report.elapsed_ms
    );
    if report.precision == Precision::F32 {
        sayln!("precision f32 (fields, spectra and FFTs; linear operators and measurements f64)");
    }
    if let Some(ratio) = report.step_over_floor {
        sayln!(
            "per step {:.1} µs = {ratio:.2} × the f64 FFT-pair floor measured after the run ({:.1} µs)",
            report.elapsed_ms * 1e3 / report.steps as f64,
            report.floor_us_per_fft_pair
        );
    }
    if let Some(path) = &args.save_field {
        sayln!(
            "field written to {} and {}",
            path.display(),
            spectrum_path(path).display()
        );
    }
    for chart in charts {
        sayln!("chart written to {}", chart.display());
    }
    Ok(())
}
