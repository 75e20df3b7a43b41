//! Human-readable budget: a per-span table with units in the headers and a summary.

use std::fmt::Write;

use fibra::budget::BudgetReport;

/// A figure with two decimals, or "—" when it is not finite (JSON `null`; the verdict then says
/// why).
pub fn db(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.2}")
    } else {
        "—".to_string()
    }
}

/// Renders the report as aligned text.
pub fn render(source: &str, report: &BudgetReport) -> String {
    let mut out = String::new();
    let name = report.name.as_deref().unwrap_or("(unnamed link)");
    let s = &report.summary;
    let _ = writeln!(out, "fibra budget — {name} ({source})");
    let _ = writeln!(
        out,
        "{} channels, launch {:.2} dBm/ch, {} spans, {:.1} km\n",
        report.channels.len(),
        report.launch_power_dbm,
        s.spans,
        s.length_km
    );
    let _ = writeln!(
        out,
        "{:>4} {:>9} {:>9} {:>9} {:>11} {:>10} {:>9} {:>8} {:>10} {:>10} {:>9}",
        "span",
        "length",
        "loss",
        "gain",
        "launch",
        "out total",
        "CD",
        "PMD",
        "OSNR 0.1nm",
        "SNR NLI",
        "GSNR"
    );
    let _ = writeln!(
        out,
        "{:>4} {:>9} {:>9} {:>9} {:>11} {:>10} {:>9} {:>8} {:>10} {:>10} {:>9}",
        "#", "km", "dB", "dB", "dBm/ch", "dBm", "ps/nm", "ps", "dB", "dB", "dB"
    );
    for span in &report.spans {
        let _ = writeln!(
            out,
            "{:>4} {:>9.2} {:>9.2} {:>9.2} {:>11} {:>10} {:>9.0} {:>8.3} {:>10} {:>10} {:>9}",
            span.index,
            span.length_km,
            span.loss_db,
            span.gain_db,
            db(span.launch_power_dbm),
            db(span.amplifier_total_output_dbm),
            span.cd_ps_nm,
            span.pmd_ps,
            db(span.osnr_ase_db),
            db(span.snr_nli_db),
            db(span.gsnr_db)
        );
    }
    let _ = writeln!(
        out,
        "\nCentre channel ({:.4} THz) at the receiver:",
        report.channels[report.channels.len() / 2].frequency_thz
    );
    let rows = [
        ("received power", format!("{} dBm", db(s.rx_power_dbm))),
        ("OSNR (ASE, 0.1 nm)", format!("{} dB", db(s.osnr_ase_db))),
        ("SNR NLI (signal bw)", format!("{} dB", db(s.snr_nli_db))),
        ("GSNR (signal bw)", format!("{} dB", db(s.gsnr_db))),
        ("NLI model", nli_model_text(s)),
        ("accumulated CD", format!("{:.1} ps/nm", s.cd_ps_nm)),
        ("PMD (mean DGD)", format!("{:.3} ps", s.pmd_ps)),
        (
            "worst GSNR",
            format!(
                "{} dB at {:.4} THz",
                db(s.worst_gsnr_db),
                s.worst_channel_thz
            ),
        ),
        (
            "OSNR margin",
            s.osnr_margin_db
                .map_or("n/a (no required_osnr_db)".to_string(), |m| {
                    format!("{} dB", db(m))
                }),
        ),
    ];
    for (label, value) in rows {
        let _ = writeln!(out, "  {label:<22} {value}");
    }
    if let (Some(sweep), Some(optimum)) = (&report.launch_sweep, report.optimum_launch_power_dbm) {
        let _ = writeln!(out, "\nLaunch-power sweep (centre channel GSNR):");
        for p in sweep {
            let _ = writeln!(
                out,
                "  {:>7.2} dBm  {:>7} dB",
                p.launch_power_dbm,
                db(p.gsnr_db)
            );
        }
        let _ = writeln!(out, "  optimum launch power: {optimum:.1} dBm/ch");
    }
    for w in &s.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    let verdict = if s.feasible {
        "FEASIBLE".to_string()
    } else {
        let names: Vec<&str> = s.limits.iter().map(|l| l.name()).collect();
        format!("NOT FEASIBLE — limited by: {}", names.join(", "))
    };
    let _ = writeln!(out, "\nVerdict: {verdict}");
    for reason in &s.reasons {
        let _ = writeln!(out, "  - {reason}");
    }
    out
}

/// `GN`, or `EGN (dp-qpsk, Φ = -1.000)`.
fn nli_model_text(summary: &fibra::budget::Summary) -> String {
    match summary.modulation {
        Some(format) => format!(
            "EGN ({}, Φ = {:.3})",
            format.name(),
            format.excess_kurtosis()
        ),
        None => summary.nli_model.to_uppercase(),
    }
}
