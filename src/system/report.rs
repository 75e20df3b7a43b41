//! The `fibra simulate --json` document as a typed value.

use serde::Serialize;

use super::{ReceiverDsp, SimulationOutcome, System};
use crate::budget::{BudgetPlan, BudgetReport, NliModel, SignalFormat};
use crate::propagation::Precision;
use crate::signal::Modulation;

/// What was measured on one channel (and, with a budget, what the budget predicts for it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelResult {
    /// Channel frequency, THz.
    pub frequency_thz: f64,
    /// Measured SNR per symbol, dB (coherent).
    pub snr_db: Option<f64>,
    /// Q factor, dB (direct detection).
    pub q_db: Option<f64>,
    /// Counted BER.
    pub ber: f64,
    /// BER expected from the measured SNR or Q.
    pub ber_estimate: f64,
    /// Bits compared.
    pub bits: usize,
    /// Bit errors.
    pub errors: usize,
    /// RMS EVM, % (coherent).
    pub evm_percent: Option<f64>,
    /// OSNR (0.1 nm) read off the received optical spectrum (interpolation method).
    pub osnr_osa_db: Option<f64>,
    /// The budget's GSNR of the channel under the system's `nli_model` (with a budget).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gsnr_budget_db: Option<f64>,
    /// The GN budget's GSNR of the channel (with a budget).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gsnr_gn_db: Option<f64>,
    /// The EGN budget's GSNR of the channel (with a budget, coherent formats).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gsnr_egn_db: Option<f64>,
    /// The budget's OSNR (ASE only) of the channel (with a budget).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub osnr_budget_db: Option<f64>,
    /// DGD undone by the adaptive equaliser (blind receiver only), ps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dgd_ps: Option<f64>,
    /// Carrier frequency offset the blind receiver estimated and removed, MHz.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency_offset_mhz: Option<f64>,
}

/// The budgets a simulation is compared with: under the system's own NLI model, under GN, and
/// under EGN for the system's format (coherent formats only).
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetComparison {
    /// The budget under the system's `nli_model`.
    pub model: BudgetReport,
    /// The GN budget.
    pub gn: BudgetReport,
    /// The EGN budget (`None` for direct-detected formats).
    pub egn: Option<BudgetReport>,
}

impl BudgetComparison {
    /// The budgets of `system`'s link (`None` without spans).
    pub fn of(system: &System) -> Option<Self> {
        if system.link.spans.is_empty() {
            return None;
        }
        let under = |nli_model: NliModel| {
            let mut link = system.link.clone();
            link.nli_model = nli_model;
            BudgetPlan::new(&link).run()
        };
        let format = match system.modulation {
            Modulation::DpQpsk => Some(SignalFormat::DpQpsk),
            Modulation::Dp16Qam => Some(SignalFormat::Dp16Qam),
            Modulation::Dp64Qam => Some(SignalFormat::Dp64Qam),
            Modulation::OokNrz | Modulation::OokRz => None,
        };
        let gn = under(NliModel::Gn);
        let egn = format.map(|f| under(NliModel::Egn(f)));
        // The system's own model is one of the two (a file's EGN format is its modulation); a
        // link built in code with another format is budgeted on its own.
        let model = match (system.link.nli_model, &egn) {
            (NliModel::Gn, _) => gn.clone(),
            (NliModel::Egn(f), Some(e)) if Some(f) == format => e.clone(),
            (other, _) => under(other),
        };
        Some(Self { model, gn, egn })
    }
}

/// A simulation's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimulationReport {
    /// Every channel in frequency order.
    pub channels: Vec<ChannelResult>,
    /// The receiver's channel.
    pub received: ChannelResult,
    /// `ideal` or `adaptive`.
    pub receiver_dsp: &'static str,
    /// Samples of the field.
    pub samples: usize,
    /// Split steps taken.
    pub steps: usize,
    /// FFTs run by the propagation.
    pub fft_count: u64,
    /// Wall time of the whole run, ms.
    pub elapsed_ms: f64,
    /// Wall time of the propagation, ms.
    pub propagation_ms: f64,
    /// Wall time of the propagation's FFTs, ms.
    pub fft_ms: f64,
    /// The precision the fields propagated in (`"f64"` or `"f32"`).
    pub precision: Precision,
}

impl SimulationReport {
    /// The report of `outcome` of `system`, compared with `budget` when given; `elapsed_ms` is
    /// the caller's wall time of the whole run. Non-finite figures are `None`.
    pub fn new(
        system: &System,
        outcome: &SimulationOutcome,
        budget: Option<&BudgetComparison>,
        elapsed_ms: f64,
    ) -> Self {
        let finite = |v: Option<f64>| v.filter(|v| v.is_finite());
        let channels: Vec<ChannelResult> = outcome
            .channels
            .iter()
            .enumerate()
            .map(|(c, (f, m))| ChannelResult {
                frequency_thz: *f,
                snr_db: finite(m.snr_db),
                q_db: finite(m.q_db),
                ber: m.ber,
                ber_estimate: m.ber_estimate,
                bits: m.bits,
                errors: m.errors,
                osnr_osa_db: outcome.osnr_osa_db[c],
                gsnr_budget_db: budget.map(|b| b.model.channels[c].gsnr_db),
                gsnr_gn_db: budget.map(|b| b.gn.channels[c].gsnr_db),
                gsnr_egn_db: budget.and_then(|b| b.egn.as_ref().map(|e| e.channels[c].gsnr_db)),
                osnr_budget_db: budget.map(|b| b.model.channels[c].osnr_ase_db),
                evm_percent: finite(m.evm_percent),
                dgd_ps: m.dgd_estimate_ps,
                frequency_offset_mhz: m.frequency_offset_estimate_hz.map(crate::units::hz_to_mhz),
            })
            .collect();
        Self {
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
            precision: system.precision,
        }
    }
}
