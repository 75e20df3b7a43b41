//! The cases of the EGN check (issue 19): a comb of identical 32 GBd channels on 50 GHz over
//! spans of 80 km SSMF with NF 5 dB amplifiers, received by the ideal coherent receiver, launched
//! at the EGN budget's optimum or 3 dB above it. Shared by `examples/egn_vs_waveform.rs` (every
//! case, the README table) and `tests/egn_waveform.rs` (the fast subset).

use fibra::budget::{optimize_launch, BudgetPlan, LaunchSweepRange};
use fibra::io::parse_system;
use fibra::resources::ResourceBudget;
use fibra::system::{simulate, BudgetComparison};

/// One case.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// `dp-qpsk`, `dp-16qam` or `dp-64qam`.
    pub modulation: &'static str,
    /// Channels on 50 GHz.
    pub channels: usize,
    /// Spans of 80 km.
    pub spans: usize,
    /// Launch power above the EGN optimum, dB.
    pub above_optimum_db: f64,
}

/// What one case gave on its centre channel.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    /// Launch power per channel, dBm.
    pub launch_dbm: f64,
    /// SNR measured on the waveform, dB.
    pub measured_db: f64,
    /// The GN budget's GSNR, dB.
    pub gn_db: f64,
    /// The EGN budget's GSNR, dB.
    pub egn_db: f64,
}

/// The SYSTEM.toml of `case` at `launch_dbm` with `symbols` symbols (EGN budget).
pub fn system_toml(case: Case, launch_dbm: f64, symbols: usize) -> String {
    let mut text = format!(
        "[signal]\nchannels = {}\nspacing_ghz = 50.0\ncenter_thz = 193.1\nsymbol_rate_gbaud = 32.0\n\
         launch_power_dbm = {launch_dbm}\nmodulation = \"{}\"\nnli_model = \"egn\"\nroll_off = 0.1\n\
         symbols = {symbols}\nseed = 7\n\n[defaults]\nfiber = \"SSMF\"\namplifier_nf_db = 5.0\n\n\
         [receiver]\nchannel = {}\ncd_compensation = true\n\n[propagation]\nmax_phase_rad = 0.005\n",
        case.channels,
        case.modulation,
        case.channels / 2
    );
    for _ in 0..case.spans {
        text.push_str("\n[[span]]\nlength_km = 80.0\n");
    }
    text
}

/// Runs `case` with `symbols` symbols.
pub fn run(case: Case, symbols: usize) -> Outcome {
    let probe = parse_system(&system_toml(case, 0.0, symbols)).expect("a valid case");
    let sweep = optimize_launch(
        &BudgetPlan::new(&probe.link),
        LaunchSweepRange {
            min_dbm: -6.0,
            max_dbm: 8.0,
            step_db: 0.5,
        },
    );
    let launch_dbm = sweep.optimum_launch_power_dbm + case.above_optimum_db;
    let system = parse_system(&system_toml(case, launch_dbm, symbols)).expect("a valid case");
    let outcome = simulate(&system, &ResourceBudget::default(), &mut |_| {}).expect("it runs");
    let budgets = BudgetComparison::of(&system).expect("spans");
    let center = system.receiver_channel;
    Outcome {
        launch_dbm,
        measured_db: outcome.channels[center].1.snr_db.expect("coherent"),
        gn_db: budgets.gn.channels[center].gsnr_db,
        egn_db: budgets.egn.expect("coherent").channels[center].gsnr_db,
    }
}
