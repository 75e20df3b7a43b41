//! What a budget run produces. Field names are the `--json` contract (see the README).

use serde::Serialize;

use super::egn::SignalFormat;
use super::launch::LaunchSweepPoint;

// Every `f64` figure below is finite in a well-posed link. A figure that leaves the range of
// finite numbers (a signal depleted to nothing, an amplifier gain beyond 10^308) is written as
// JSON `null` and the summary's verdict is then not feasible, with `non_finite` among its limits.

/// Per-span values for the centre channel, cumulative at the span's end (after its amplifier).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanReport {
    /// 0-based span index.
    pub index: usize,
    /// Fibre length, km.
    pub length_km: f64,
    /// Total span loss (connectors, fibre, splices, aging, extra), dB.
    pub loss_db: f64,
    /// Gain of the amplifier after the span, dB (at its operating point: a saturating amplifier
    /// may give less than set).
    pub gain_db: f64,
    /// Noise figure the amplifier ran at, dB (−∞ for a noiseless one; not in the JSON, whose
    /// numbers are finite).
    #[serde(skip)]
    pub noise_figure_db: f64,
    /// Centre-channel signal power at the span input, before the input connector, dBm.
    pub launch_power_dbm: f64,
    /// Centre-channel signal power after the span's amplifier, dBm.
    pub output_power_dbm: f64,
    /// Total power of all channels (signal + ASE + NLI) after the amplifier, dBm.
    pub amplifier_total_output_dbm: f64,
    /// Accumulated chromatic dispersion, ps/nm.
    pub cd_ps_nm: f64,
    /// Accumulated mean DGD, ps.
    pub pmd_ps: f64,
    /// ASE-limited OSNR in 0.1 nm, dB.
    pub osnr_ase_db: f64,
    /// SNR against NLI alone in the signal bandwidth, dB.
    pub snr_nli_db: f64,
    /// Line GSNR (ASE + NLI, no transceiver term) in the signal bandwidth, dB.
    pub gsnr_db: f64,
}

/// One channel at the receiver (after the last amplifier).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelReport {
    /// Channel centre frequency, THz.
    pub frequency_thz: f64,
    /// Vacuum wavelength, nm.
    pub wavelength_nm: f64,
    /// Signal power, dBm.
    pub power_dbm: f64,
    /// OSNR from line ASE only, in 0.1 nm (12.5 GHz), dB.
    pub osnr_ase_db: f64,
    /// Signal to NLI ratio in the signal bandwidth, dB.
    pub snr_nli_db: f64,
    /// GSNR in the signal bandwidth, dB (includes the transmitter OSNR when given).
    pub gsnr_db: f64,
    /// The same GSNR expressed in 0.1 nm, dB.
    pub gsnr_01nm_db: f64,
    /// Accumulated chromatic dispersion of this channel, ps/nm.
    pub cd_ps_nm: f64,
}

/// A criterion the link fails. Serialised as its snake_case name (the `limits` contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Worst-channel GSNR (0.1 nm) below the required OSNR plus the system margin.
    Osnr,
    /// Accumulated chromatic dispersion above the transceiver's tolerance.
    Cd,
    /// Mean DGD above the transceiver's tolerance.
    Pmd,
    /// Received power below the receiver's sensitivity.
    RxPower,
    /// A span needs more gain than its amplifier can deliver (`amplifier_max_gain_db`).
    Gain,
    /// The nonlinear interference of a span reaches the in-band power: the GN model, a
    /// first-order perturbation, no longer describes the link.
    NliModel,
    /// A figure left the range of finite numbers (reported as `null`): no verdict can rest on it.
    NonFinite,
}

impl Limit {
    /// Whether a link failing this limit fails it with any spans appended: the worst GSNR only
    /// falls (noise accumulates), the DGD only grows (DGD² adds), and a span over its gain or
    /// beyond the GN model's validity stays in the chain. Chromatic dispersion can be undone
    /// (compensating fibre) and the received power depends on the last span only: not these.
    pub fn holds_for_extensions(self) -> bool {
        matches!(
            self,
            Limit::Osnr | Limit::Pmd | Limit::Gain | Limit::NliModel
        )
    }

    /// The contract name (`osnr`, `cd`, `pmd`, `rx_power`, `gain`, `nli_model`, `non_finite`).
    pub fn name(self) -> &'static str {
        match self {
            Limit::Osnr => "osnr",
            Limit::Cd => "cd",
            Limit::Pmd => "pmd",
            Limit::RxPower => "rx_power",
            Limit::Gain => "gain",
            Limit::NliModel => "nli_model",
            Limit::NonFinite => "non_finite",
        }
    }
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The headline numbers and the verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Total fibre length, km.
    pub length_km: f64,
    /// Number of spans.
    pub spans: usize,
    /// Accumulated CD of the centre channel, ps/nm.
    pub cd_ps_nm: f64,
    /// Accumulated mean DGD, ps.
    pub pmd_ps: f64,
    /// Received signal power of the centre channel, dBm.
    pub rx_power_dbm: f64,
    /// Centre channel OSNR (line ASE, 0.1 nm), dB.
    pub osnr_ase_db: f64,
    /// Centre channel SNR_NLI (signal bandwidth), dB.
    pub snr_nli_db: f64,
    /// Centre channel GSNR (signal bandwidth, with the transmitter OSNR when given), dB.
    pub gsnr_db: f64,
    /// Centre channel line-only GSNR (signal bandwidth), dB.
    pub line_gsnr_db: f64,
    /// Worst channel's GSNR (signal bandwidth, with the transmitter OSNR when given), dB.
    pub worst_gsnr_db: f64,
    /// Frequency of the worst channel, THz.
    pub worst_channel_thz: f64,
    /// Worst GSNR in 0.1 nm minus required OSNR minus system margin, dB (`null` without a required OSNR).
    pub osnr_margin_db: Option<f64>,
    /// True only when every figure is finite, every amplifier within its gain, the GN model within
    /// its validity and every given criterion met.
    pub feasible: bool,
    /// Every failed criterion: `osnr`, `cd`, `pmd`, `rx_power`, `gain`, `nli_model`, `non_finite`.
    pub limits: Vec<Limit>,
    /// One sentence per entry of `limits`, in the same order: what fails, by how much, where.
    pub reasons: Vec<String>,
    /// Non-fatal findings (e.g. an amplifier above its maximum output power).
    pub warnings: Vec<String>,
    /// The NLI model the figures come from: `gn` or `egn`.
    pub nli_model: &'static str,
    /// The modulation format of the EGN correction (`null` under the GN model).
    pub modulation: Option<SignalFormat>,
}

/// A whole budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetReport {
    /// Link name, if given.
    pub name: Option<String>,
    /// Per-channel launch power used, dBm.
    pub launch_power_dbm: f64,
    /// Per-span values (centre channel).
    pub spans: Vec<SpanReport>,
    /// Per-channel values at the receiver, in frequency order.
    pub channels: Vec<ChannelReport>,
    /// Headline numbers and verdict.
    pub summary: Summary,
    /// The launch-power sweep, when requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_sweep: Option<Vec<LaunchSweepPoint>>,
    /// The optimum launch power on the sweep, rounded to 0.1 dB, when requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optimum_launch_power_dbm: Option<f64>,
}
