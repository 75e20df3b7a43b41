//! Waveform-level simulation of a WDM link: transmit a comb, propagate it span by span (Manakov
//! split step, lumped losses, EDFAs adding ASE) by walking the link's element chain
//! ([`crate::chain`], the budget's own), detect the channels coherently or directly.

mod field_walk;
mod report;

pub use report::{BudgetComparison, ChannelResult, SimulationReport};

use crate::budget::Link;
use crate::display::format_number;
use crate::propagation::{Precision, PrecisionPlans, StepControl, Stop};
use crate::receiver::{
    add_laser_phase_noise, add_white_noise, compensate_dispersion, demodulate, demodulate_blind,
    noise_variance_for_osnr, select_channel, shift_frequency, BlindDsp, ChannelMeasurement,
};
use crate::receiver::{decide_ook, photodetect};
use crate::resources::{ResourceBudget, ResourceError};
use crate::signal::{
    rrc_filter, stream_rng, transmit_comb, CombSpec, Complex, Modulation, OpticalSpectrum, Stream,
    TimeGrid,
};
use crate::units;
use field_walk::FieldWalk;

/// The coherent receiver's DSP.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReceiverDsp {
    /// Data-aided least-squares 2×2 (ideal polarisation demultiplexing and carrier recovery; one
    /// tap, a static channel).
    Ideal,
    /// A modem's blind chain: adaptive T/2 butterfly (CMA, then RDE for 16-QAM), carrier
    /// frequency-offset estimation and blind phase search, ambiguities resolved by a known header.
    Adaptive(BlindDsp),
}

/// A system to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct System {
    /// The link (grid, launch power, spans, transceiver) — the budget's own description.
    pub link: Link,
    /// Modulation format.
    pub modulation: Modulation,
    /// RRC roll-off.
    pub roll_off: f64,
    /// Symbols per channel.
    pub symbols: usize,
    /// Seed of bits and noise.
    pub seed: u64,
    /// Send PRBS(2^order − 1) instead of random bits.
    pub prbs_order: Option<u32>,
    /// Samples per symbol (`None`: chosen to cover the comb).
    pub samples_per_symbol: Option<usize>,
    /// Received channel (frequency order).
    pub receiver_channel: usize,
    /// Add white noise at the receiver to this OSNR (0.1 nm), dB.
    pub noise_loading_osnr_db: Option<f64>,
    /// Compensate the accumulated dispersion in the receiver.
    pub cd_compensation: bool,
    /// Coherent receiver DSP.
    pub dsp: ReceiverDsp,
    /// Combined transmitter + local-oscillator laser linewidth, Hz (0: ideal lasers).
    pub linewidth_hz: f64,
    /// Local-oscillator offset from the carrier, Hz (blind receiver).
    pub frequency_offset_hz: f64,
    /// Step rule.
    pub step: StepControl,
    /// The precision the fields propagate in (`[propagation] precision`).
    pub precision: Precision,
    /// PMD emulation: birefringent sections per span (`None` = no PMD).
    pub pmd_sections_per_span: Option<usize>,
}

/// The simulation's results.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulationOutcome {
    /// Every channel, in frequency order: (frequency THz, measurement).
    pub channels: Vec<(f64, ChannelMeasurement)>,
    /// Samples of the field.
    pub samples: usize,
    /// Split steps taken (all spans).
    pub steps: usize,
    /// FFTs run by the propagation.
    pub fft_count: u64,
    /// Wall time of the propagation (transmitter and receivers excluded).
    pub propagation_time: std::time::Duration,
    /// Wall time of the propagation's FFTs.
    pub fft_time: std::time::Duration,
    /// Optical spectrum of the launched comb (resolution [`SPECTRUM_RESOLUTION_GHZ`]).
    pub launched_spectrum: OpticalSpectrum,
    /// Optical spectrum arriving at the receiver (after the last amplifier, ASE included).
    pub received_spectrum: OpticalSpectrum,
    /// OSNR (0.1 nm) of each channel read off `received_spectrum` by the interpolation method
    /// (`None` where the floor beside a channel is outside the simulated band).
    pub osnr_osa_db: Vec<Option<f64>>,
}

/// Resolution bandwidth of the reported optical spectra, GHz (0.02 nm: a high-resolution OSA).
pub const SPECTRUM_RESOLUTION_GHZ: f64 = 2.5;

/// Direct detection of one OOK channel: optical RRC filter (with the transmitter's RRC a
/// raised-cosine channel), photodiode, electrical Gaussian low-pass of bandwidth 0.75·Rs, decision
/// at the best instant and threshold.
fn detect_ook(
    received: &mut [Vec<Complex>],
    sent: &[Complex],
    sps: usize,
    roll_off: f64,
    rs_hz: f64,
) -> ChannelMeasurement {
    for r in received.iter_mut() {
        rrc_filter(r, sps, roll_off);
    }
    let bits: Vec<u8> = sent.iter().map(|s| u8::from(s.re > 0.5)).collect();
    let current = photodetect(received, rs_hz * sps as f64, 0.75 * rs_hz);
    let m = decide_ook(&current, &bits, sps);
    ChannelMeasurement {
        snr_db: None,
        evm_percent: None,
        bits: m.bits,
        errors: m.errors,
        ber: m.ber,
        ber_estimate: m.ber_estimate,
        q_db: Some(m.q_db),
        constellation: Vec::new(),
        eye: m.eye,
        dgd_estimate_ps: None,
        frequency_offset_estimate_hz: None,
    }
}

/// Why a simulation was refused or stopped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimulationError {
    /// The input needs more memory or steps than the budget allows (refused before running).
    #[error(transparent)]
    Resources(#[from] ResourceError),
    /// A span needs more gain than its amplifier has: there is no waveform to simulate.
    #[error("span[{span}]: needs {} dB of amplifier gain, above amplifier_max_gain_db = {} dB (`fibra budget` reports such a link as not feasible)", format_number(*gain_db, 2), format_number(*max_gain_db, 2))]
    Gain {
        /// 0-based span index.
        span: usize,
        /// Gain the span needs, dB.
        gain_db: f64,
        /// The amplifier's maximum, dB.
        max_gain_db: f64,
    },
    /// The chain holds an element the waveform simulation has no field action for.
    #[error("span[{span}]: a {element} has no field action in the waveform simulation (it is budgeted only)")]
    Unsupported {
        /// 0-based span index.
        span: usize,
        /// The element.
        element: &'static str,
    },
    /// The split step stopped (step budget or step floor).
    #[error("span[{span}]: {stop}")]
    Stopped {
        /// 0-based span index.
        span: usize,
        /// Why.
        stop: Stop,
    },
}

/// Bytes per sample of the field grid a simulation holds at its peak: the transmitted comb and
/// the propagating field (two polarisations, complex f64), the plan's buffers, the receiver's
/// copies of the selected channel; measured as the peak resident memory of `fibra simulate` (40 ×
/// 32 GBd channels, 8,192 symbols, 639,000 samples: 206 MB, 322 B/sample; 5 channels, 65,536
/// symbols: 290 B/sample) and rounded up.
const SIMULATION_BYTES_PER_SAMPLE: f64 = 400.0;
/// The local-error method's extra copies (coarse and fine fields of both polarisations) and its
/// cache of linear operators, bytes per sample.
const LOCAL_ERROR_BYTES_PER_SAMPLE: f64 = 4.0 * 16.0 + 48.0 * 16.0;

impl System {
    /// Samples per symbol the simulation will use (the given value, else enough to cover the
    /// comb; at least 16 for direct detection's eye), as a real number so that an absurd input
    /// cannot overflow.
    pub fn samples_per_symbol_estimate(&self) -> f64 {
        if let Some(sps) = self.samples_per_symbol {
            return sps as f64;
        }
        let grid = &self.link.grid;
        let bandwidth_hz = (grid.channels as f64 - 1.0) * units::ghz_to_hz(grid.spacing_ghz)
            + grid.symbol_rate_hz();
        let sps = (1.25 * bandwidth_hz / grid.symbol_rate_hz())
            .ceil()
            .max(2.0);
        if self.modulation.is_ook() {
            sps.max(16.0)
        } else {
            sps
        }
    }

    /// Samples of the simulated field: symbols × samples per symbol.
    pub fn samples_estimate(&self) -> f64 {
        self.symbols as f64 * self.samples_per_symbol_estimate()
    }

    /// Peak memory of the simulation, bytes.
    pub fn memory_estimate_bytes(&self) -> f64 {
        let per_sample = SIMULATION_BYTES_PER_SAMPLE
            + match self.step {
                StepControl::LocalError { .. } => LOCAL_ERROR_BYTES_PER_SAMPLE,
                _ => 0.0,
            };
        self.samples_estimate() * per_sample
    }

    /// Split steps of the whole link: exact for fixed steps, a lower bound (one step per fibre
    /// piece) for the adaptive rules, whose runs the step budget also bounds as they go; each PMD
    /// section costs as much as two steps (two FFT pairs).
    pub fn steps_estimate(&self) -> f64 {
        let pieces = self.pmd_sections_per_span.unwrap_or(1) as f64;
        let pmd_work = if self.pmd_sections_per_span.is_some() {
            2.0 * pieces
        } else {
            0.0
        };
        self.link
            .spans
            .iter()
            .map(|s| {
                let steps = match self.step {
                    StepControl::Fixed { step_km } => {
                        pieces * (s.length_km / pieces / step_km).ceil().max(1.0)
                    }
                    _ => pieces,
                };
                steps + pmd_work
            })
            .sum()
    }

    /// Checks the input against `budget` and the amplifiers' gain before anything is allocated.
    pub fn check(&self, budget: &ResourceBudget) -> Result<(), SimulationError> {
        let grid = &self.link.grid;
        budget.check_memory(
            self.memory_estimate_bytes(),
            format!(
                "signal.symbols = {} × {} samples per symbol (channels = {}, spacing_ghz = {}, symbol_rate_gbaud = {})",
                self.symbols,
                format_number(self.samples_per_symbol_estimate(), 0),
                grid.channels,
                format_number(grid.spacing_ghz, 3),
                format_number(grid.symbol_rate_gbaud, 3)
            ),
        )?;
        budget.check_steps(
            self.steps_estimate(),
            "propagation (step_km, pmd_sections_per_span) over every span",
        )?;
        for (index, span) in self.link.spans.iter().enumerate() {
            let edfa = span.edfa();
            let achievable = edfa.gain_db <= edfa.max_gain_db;
            if !achievable {
                return Err(SimulationError::Gain {
                    span: index,
                    gain_db: edfa.gain_db,
                    max_gain_db: edfa.max_gain_db,
                });
            }
        }
        Ok(())
    }
}

/// Runs the simulation within `budget` (checked first, see [`System::check`]; the step budget
/// also bounds the run as it goes). `progress` gets the fraction of the link propagated.
///
/// The split step splits the work on the two polarisations over two threads (rayon). Called from
/// outside rayon's pool, the run is moved onto one of its workers first (`rayon::join` runs both
/// closures in the pool), so those hand-offs stay between workers instead of waking the caller.
pub fn simulate(
    system: &System,
    budget: &ResourceBudget,
    progress: &mut (dyn FnMut(f64) + Send),
) -> Result<SimulationOutcome, SimulationError> {
    system.check(budget)?;
    if rayon::current_thread_index().is_some() {
        return run(system, budget, progress);
    }
    rayon::join(|| run(system, budget, progress), || ()).0
}

/// The simulation itself (see [`simulate`]).
fn run(
    system: &System,
    budget: &ResourceBudget,
    progress: &mut (dyn FnMut(f64) + Send),
) -> Result<SimulationOutcome, SimulationError> {
    let link = &system.link;
    let grid = &link.grid;
    let center_hz = units::thz_to_hz(grid.center_thz);
    let rs = grid.symbol_rate_hz();
    let comb = transmit_comb(&CombSpec {
        modulation: system.modulation,
        channels: grid.channels,
        spacing_hz: units::ghz_to_hz(grid.spacing_ghz),
        symbol_rate_hz: rs,
        roll_off: system.roll_off,
        symbols: system.symbols,
        seed: system.seed,
        prbs_order: system.prbs_order,
        channel_power_w: units::dbm_to_watt(link.launch_power_dbm),
        // Direct detection needs a finer time grid than the comb's bandwidth for its eye.
        samples_per_symbol: system.samples_per_symbol.or_else(|| {
            system.modulation.is_ook().then(|| {
                let spacing_hz = units::ghz_to_hz(grid.spacing_ghz);
                crate::signal::samples_per_symbol_for(grid.channels, spacing_hz, rs).max(16)
            })
        }),
    });
    let sps = comb.samples_per_symbol;
    let n = comb.fields[0].len();
    let time_grid = TimeGrid {
        samples: n,
        dt_ps: comb.dt_ps,
    };
    let fs_hz = rs * sps as f64;
    // Both polarisations (the second one empty for a single-polarisation format).
    let mut fields = [
        comb.fields[0].clone(),
        comb.fields
            .get(1)
            .cloned()
            .unwrap_or_else(|| vec![Complex::new(0.0, 0.0); n]),
    ];
    if let Some(osnr_db) = link.transceiver.tx_osnr_db {
        // Transmitter noise, as the budget counts it: white, PSD P_ch/(OSNR_tx·12.5 GHz), and
        // unpolarised (half in each polarisation, whatever the format), launched with the comb.
        let psd_w_per_hz = units::dbm_to_watt(link.launch_power_dbm)
            / (units::db_to_linear(osnr_db) * units::OSNR_REFERENCE_BANDWIDTH_HZ);
        let variance = psd_w_per_hz * fs_hz / 2.0;
        for (polarisation, field) in fields.iter_mut().enumerate() {
            let mut rng = stream_rng(system.seed, Stream::TransmitterNoise { polarisation });
            add_white_noise(field, variance, &mut rng);
        }
    }
    let total_km = link.length_km();
    let mut walk = FieldWalk {
        fields,
        plans: PrecisionPlans::new(time_grid, system.precision),
        step: system.step,
        pmd_sections: system.pmd_sections_per_span,
        seed: system.seed,
        center_hz,
        sample_rate_hz: fs_hz,
        max_steps: budget.max_steps,
        noise_rng: stream_rng(system.seed, Stream::AmplifierNoise),
        steps: 0,
        fft_count: 0,
        beta2_l: 0.0,
        beta3_l: 0.0,
        done_km: 0.0,
        span: 0,
    };
    let propagation_start = std::time::Instant::now();
    for element in link.elements() {
        walk.apply(&element, &mut |km| progress(km / total_km))?;
    }
    let FieldWalk {
        fields,
        plans,
        steps,
        fft_count,
        beta2_l,
        beta3_l,
        ..
    } = walk;
    let propagation_time = propagation_start.elapsed();
    let received_spectrum = OpticalSpectrum::of(&fields, &time_grid, SPECTRUM_RESOLUTION_GHZ);
    let channels = comb
        .offsets_hz
        .iter()
        .enumerate()
        .map(|(c, &offset)| {
            // Both polarisations: a coherent receiver is polarisation-diverse, and a photodiode
            // sees |Ex|² + |Ey|² (the ASE in y, and any signal PMD coupled there).
            let mut received: Vec<Vec<Complex>> = fields
                .iter()
                .map(|f| select_channel(f, offset, comb.dt_ps))
                .collect();
            if system.linewidth_hz > 0.0 {
                add_laser_phase_noise(
                    &mut received,
                    system.linewidth_hz,
                    fs_hz,
                    &mut stream_rng(system.seed, Stream::LaserPhaseNoise { channel: c }),
                );
            }
            if system.cd_compensation {
                for r in &mut received {
                    compensate_dispersion(r, comb.dt_ps, beta2_l, beta3_l, offset);
                }
            }
            if system.frequency_offset_hz != 0.0 {
                // After CD compensation: the delay β2L·2πΔf that a CD filter leaves on an offset
                // carrier is timing recovery's job, which is not modelled.
                for r in &mut received {
                    shift_frequency(r, system.frequency_offset_hz, fs_hz);
                }
            }
            if let Some(osnr_db) = system.noise_loading_osnr_db {
                // Unpolarised ASE: the PSD that sets the OSNR, half in each polarisation.
                let power_w = units::dbm_to_watt(link.launch_power_dbm);
                let variance = noise_variance_for_osnr(power_w, osnr_db, rs, sps) / 2.0;
                for (polarisation, r) in received.iter_mut().enumerate() {
                    let stream = Stream::NoiseLoading {
                        channel: c,
                        polarisation,
                    };
                    add_white_noise(r, variance, &mut stream_rng(system.seed, stream));
                }
            }
            let m = if system.modulation.is_ook() {
                detect_ook(&mut received, &comb.symbols[c][0], sps, system.roll_off, rs)
            } else {
                match &system.dsp {
                    ReceiverDsp::Ideal => demodulate(
                        &mut received,
                        &comb.symbols[c],
                        system.modulation,
                        sps,
                        system.roll_off,
                    ),
                    ReceiverDsp::Adaptive(dsp) => demodulate_blind(
                        &received,
                        &comb.symbols[c],
                        system.modulation,
                        sps,
                        system.roll_off,
                        units::rate_hz_to_period_ps(rs),
                        dsp,
                    ),
                }
            };
            (units::hz_to_thz(center_hz + offset), m)
        })
        .collect();
    Ok(SimulationOutcome {
        channels,
        samples: n,
        steps,
        fft_count,
        propagation_time,
        fft_time: plans.fft_time(),
        launched_spectrum: OpticalSpectrum::of(&comb.fields, &time_grid, SPECTRUM_RESOLUTION_GHZ),
        osnr_osa_db: comb
            .offsets_hz
            .iter()
            .map(|offset_hz| {
                // The spectrum's axis is the physical offset; the comb's offsets are physical too.
                received_spectrum.interpolated_osnr_db(
                    units::hz_to_ghz(*offset_hz),
                    grid.spacing_ghz,
                    (1.0 + system.roll_off) * grid.symbol_rate_gbaud,
                )
            })
            .collect(),
        received_spectrum,
    })
}
