//! SYSTEM.toml: a link for waveform simulation — LINK.toml's tables (zero spans is back to back)
//! plus modulation keys in `[signal]`, `[receiver]` and `[propagation]`.

use crate::display::quote_user_text;
use std::path::Path;

use super::error::InputError;
use super::link_file::{read_shared_tables, read_span, ModulationKey, SharedTables};
use super::step_rule::{read_precision, read_step_control, STEP_RULE_KEYS};
use super::toml_access::{parse_document, read_toml_file, Range, Section};
use crate::budget::Link;
use crate::propagation::{Precision, StepControl};
use crate::receiver::{BlindDsp, CarrierRecoverySettings, EqualizerSettings};
use crate::signal::{samples_per_symbol_for, Modulation, PRBS_ORDERS};
use crate::system::{ReceiverDsp, System};

/// Step rule of `[propagation]` when it gives none: 0.5 km equal steps.
const DEFAULT_STEP: StepControl = StepControl::Fixed { step_km: 0.5 };

/// Reads and validates a SYSTEM.toml file.
pub fn read_system(path: &Path) -> Result<System, InputError> {
    read_toml_file(path, system_from_table)
}

/// Parses and validates SYSTEM.toml text.
pub fn parse_system(text: &str) -> Result<System, InputError> {
    system_from_table(&parse_document(text)?)
}

/// Validates a parsed SYSTEM.toml document.
pub fn system_from_table(document: &toml::Table) -> Result<System, InputError> {
    let root = Section::new(document, "");
    root.deny_unknown(&[
        "name",
        "signal",
        "transceiver",
        "defaults",
        "span",
        "fiber_types",
        "receiver",
        "propagation",
    ])?;
    let SharedTables {
        name,
        grid,
        launch_power_dbm,
        nli_model,
        transceiver,
        fibers,
        defaults,
    } = read_shared_tables(
        &root,
        &[
            "modulation",
            "roll_off",
            "symbols",
            "seed",
            "prbs_order",
            "samples_per_symbol",
        ],
        ModulationKey::System,
    )?;
    let spans = root
        .array_of_tables("span")?
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, table)| {
            let path = format!("span[{i}]");
            read_span(Section::new(table, &path), defaults, &fibers, &grid)
        })
        .collect::<Result<Vec<_>, _>>()?;

    let signal = Section::new(
        root.table("signal")?
            .expect("read_shared_tables requires [signal]"),
        "signal",
    );
    let modulation = match signal.string("modulation")?.unwrap_or("dp-qpsk") {
        "dp-qpsk" => Modulation::DpQpsk,
        "dp-16qam" => Modulation::Dp16Qam,
        "dp-64qam" => Modulation::Dp64Qam,
        "ook-nrz" => Modulation::OokNrz,
        "ook-rz" => Modulation::OokRz,
        other => {
            return Err(InputError::at(
                "signal.modulation",
                format!(
                "unknown modulation `{}` (allowed: ook-nrz, ook-rz, dp-qpsk, dp-16qam, dp-64qam)",
                quote_user_text(other)
            ),
            ))
        }
    };
    let roll_off = signal
        .number("roll_off", Range::above(0.0, 1.0, ""))?
        .unwrap_or(0.1);
    let symbols = signal.integer("symbols", 64, 1 << 22)?.unwrap_or(8192) as usize;
    let seed = signal.integer("seed", 0, i64::MAX)?.unwrap_or(1) as u64;
    let prbs_order = match signal.integer("prbs_order", 0, 64)? {
        Some(order) if PRBS_ORDERS.contains(&(order as u32)) => Some(order as u32),
        Some(order) => {
            return Err(InputError::at(
                "signal.prbs_order",
                format!("PRBS order {order} is not available (allowed: 7, 9, 11, 15, 23, 31)"),
            ))
        }
        None => None,
    };
    let needed = samples_per_symbol_for(
        grid.channels,
        crate::units::ghz_to_hz(grid.spacing_ghz),
        crate::units::ghz_to_hz(grid.symbol_rate_gbaud),
    );
    let samples_per_symbol = match signal.integer("samples_per_symbol", 2, 256)? {
        Some(sps) => {
            let comb_ghz = (grid.channels as f64 - 1.0) * grid.spacing_ghz + grid.symbol_rate_gbaud;
            let rate_ghz = sps as f64 * grid.symbol_rate_gbaud;
            if rate_ghz < comb_ghz {
                return Err(InputError::at(
                    "signal.samples_per_symbol",
                    format!("{sps} samples/symbol = {rate_ghz} GHz sampling, below the comb's {comb_ghz} GHz bandwidth (use ≥ {needed})"),
                ));
            }
            Some(sps as usize)
        }
        None => None,
    };

    let receiver = read_receiver(root.table("receiver")?, &grid, modulation)?;
    let mut pmd_sections = None;
    let mut precision = Precision::F64;
    let step = match root.table("propagation")? {
        Some(t) => {
            let p = Section::new(t, "propagation");
            let mut allowed = STEP_RULE_KEYS.to_vec();
            allowed.extend(["pmd", "pmd_sections_per_span"]);
            p.deny_unknown(&allowed)?;
            let sections = p.integer("pmd_sections_per_span", 1, 10_000)?;
            pmd_sections = match (p.boolean("pmd")?.unwrap_or(false), sections) {
                (true, s) => Some(s.unwrap_or(20) as usize),
                (false, Some(_)) => {
                    return Err(InputError::at(
                        "propagation.pmd_sections_per_span",
                        "only used with pmd = true",
                    ))
                }
                (false, None) => None,
            };
            let step = read_step_control(&p, (1e4, "the longest step allowed"), 0.1)?
                .unwrap_or(DEFAULT_STEP);
            precision = read_precision(&p, step)?;
            step
        }
        None => DEFAULT_STEP,
    };
    Ok(System {
        link: Link {
            name,
            grid,
            launch_power_dbm,
            spans,
            transceiver,
            nli_model,
            start_roadm: None,
        },
        modulation,
        roll_off,
        symbols,
        seed,
        prbs_order,
        samples_per_symbol,
        receiver_channel: receiver.channel,
        noise_loading_osnr_db: receiver.noise_loading_osnr_db,
        cd_compensation: receiver.cd_compensation,
        dsp: receiver.dsp,
        linewidth_hz: receiver.linewidth_hz,
        frequency_offset_hz: receiver.frequency_offset_hz,
        step,
        precision,
        pmd_sections_per_span: pmd_sections,
    })
}

/// The `[receiver]` table.
struct ReceiverKeys {
    channel: usize,
    noise_loading_osnr_db: Option<f64>,
    cd_compensation: bool,
    dsp: ReceiverDsp,
    linewidth_hz: f64,
    frequency_offset_hz: f64,
}

/// Keys of `[receiver]` that only a coherent receiver has.
const COHERENT_KEYS: [&str; 7] = [
    "equalizer",
    "equalizer_taps",
    "equalizer_step",
    "cpr_test_phases",
    "cpr_half_window_symbols",
    "linewidth_khz",
    "frequency_offset_mhz",
];

fn read_receiver(
    table: Option<&toml::Table>,
    grid: &crate::budget::WdmGrid,
    modulation: Modulation,
) -> Result<ReceiverKeys, InputError> {
    let Some(table) = table else {
        return Ok(ReceiverKeys {
            channel: grid.center_index(),
            noise_loading_osnr_db: None,
            cd_compensation: true,
            dsp: ReceiverDsp::Ideal,
            linewidth_hz: 0.0,
            frequency_offset_hz: 0.0,
        });
    };
    let r = Section::new(table, "receiver");
    let mut allowed = vec!["channel", "noise_loading_osnr_db", "cd_compensation"];
    allowed.extend(COHERENT_KEYS);
    r.deny_unknown(&allowed)?;
    if modulation.is_ook() {
        if let Some(key) = COHERENT_KEYS.iter().find(|k| table.contains_key(**k)) {
            return Err(InputError::at(
                format!("receiver.{key}"),
                "only for the coherent formats (dp-qpsk, dp-16qam, dp-64qam): OOK is direct-detected",
            ));
        }
    }
    let channel = match r.integer("channel", 0, i64::MAX)? {
        Some(c) if c as usize >= grid.channels => {
            return Err(InputError::at(
                "receiver.channel",
                format!(
                    "channel {c} out of range: the comb has channels 0 to {}",
                    grid.channels - 1
                ),
            ))
        }
        Some(c) => c as usize,
        None => grid.center_index(),
    };
    let adaptive = match r.string("equalizer")?.unwrap_or("ideal") {
        "ideal" => false,
        "adaptive" if modulation == Modulation::Dp64Qam => {
            return Err(InputError::at(
                "receiver.equalizer",
                "`adaptive` is not available for dp-64qam (its blind chain is validated for \
                 dp-qpsk and dp-16qam only); use `ideal`",
            ))
        }
        "adaptive" => true,
        other => {
            return Err(InputError::at(
                "receiver.equalizer",
                format!(
                    "unknown equalizer `{}` (allowed: ideal, adaptive)",
                    quote_user_text(other)
                ),
            ))
        }
    };
    let defaults = (
        EqualizerSettings::default(),
        CarrierRecoverySettings::default(),
    );
    let taps = r.integer("equalizer_taps", 1, 201)?;
    if let Some(t) = taps.filter(|t| t % 2 == 0) {
        return Err(InputError::at(
            "receiver.equalizer_taps",
            format!("{t} taps: must be odd (a centre tap), 1 to 201"),
        ));
    }
    let equalizer = EqualizerSettings {
        taps: taps.map_or(defaults.0.taps, |t| t as usize),
        step: r
            .number("equalizer_step", Range::above(0.0, 0.1, ""))?
            .unwrap_or(defaults.0.step),
    };
    let carrier = CarrierRecoverySettings {
        test_phases: r
            .integer("cpr_test_phases", 4, 256)?
            .map_or(defaults.1.test_phases, |v| v as usize),
        half_window_symbols: r
            .integer("cpr_half_window_symbols", 1, 4096)?
            .map_or(defaults.1.half_window_symbols, |v| v as usize),
    };
    let linewidth_khz = r
        .number("linewidth_khz", Range::closed(0.0, 10_000.0, "kHz"))?
        .unwrap_or(0.0);
    // The fourth-power estimator is unambiguous within ±Rs/8.
    let max_offset_mhz = crate::units::ghz_to_mhz(grid.symbol_rate_gbaud) / 8.0;
    let frequency_offset_mhz = r
        .number(
            "frequency_offset_mhz",
            Range::closed(-max_offset_mhz, max_offset_mhz, "MHz (±Rs/8)"),
        )?
        .unwrap_or(0.0);
    if !adaptive && frequency_offset_mhz != 0.0 {
        return Err(InputError::at(
            "receiver.frequency_offset_mhz",
            "a local-oscillator offset needs equalizer = \"adaptive\" (the ideal receiver estimates one static phase)",
        ));
    }
    if !adaptive {
        let tuning = [
            "equalizer_taps",
            "equalizer_step",
            "cpr_test_phases",
            "cpr_half_window_symbols",
        ];
        if let Some(key) = tuning.iter().find(|k| table.contains_key(**k)) {
            return Err(InputError::at(
                format!("receiver.{key}"),
                "only used with equalizer = \"adaptive\"",
            ));
        }
        if linewidth_khz > 0.0 {
            return Err(InputError::at(
                "receiver.linewidth_khz",
                "laser phase noise needs equalizer = \"adaptive\" (the ideal receiver estimates one static phase)",
            ));
        }
    }
    Ok(ReceiverKeys {
        channel,
        noise_loading_osnr_db: r
            .number("noise_loading_osnr_db", Range::closed(-10.0, 80.0, "dB"))?,
        cd_compensation: r.boolean("cd_compensation")?.unwrap_or(true),
        dsp: if adaptive {
            ReceiverDsp::Adaptive(BlindDsp { equalizer, carrier })
        } else {
            ReceiverDsp::Ideal
        },
        linewidth_hz: crate::units::khz_to_hz(linewidth_khz),
        frequency_offset_hz: crate::units::mhz_to_hz(frequency_offset_mhz),
    })
}
