//! LINK.toml: a designed chain of spans. Its tables (`[signal]`, `[transceiver]`, `[defaults]`,
//! `[fiber_types.*]`) are shared with the other input files, so their readers are public here.

use std::collections::BTreeMap;
use std::path::Path;

use super::error::InputError;
use super::toml_access::{parse_document, read_toml_file, Range, Section};
use crate::amplifier::Edfa;
use crate::amplifier::DEFAULT_MAX_GAIN_DB;
use crate::budget::{Link, NliModel, RoadmStage, SignalFormat, Span, SpanEnd, WdmGrid};
use crate::chain::Roadm;
use crate::display::{format_value, quote_user_text};
use crate::fiber::{builtin_fiber, FiberParams, StepIndexEffectiveArea, BUILTIN_FIBER_NAMES};
use crate::transceiver::TransceiverRequirements;

/// Keys a `[[span]]` (or `[defaults]`, but for `amplifier` and `roadm`) may hold.
pub const SPAN_KEYS: [&str; 21] = [
    "amplifier",
    "amplifier_saturates",
    "roadm",
    "length_km",
    "fiber",
    "connector_in_db",
    "connector_out_db",
    "splice_loss_db",
    "splice_spacing_km",
    "aging_margin_db",
    "extra_loss_db",
    "amplifier_nf_db",
    "amplifier_gain_db",
    "amplifier_max_output_dbm",
    "amplifier_max_gain_db",
    "attenuation_db_per_km",
    "dispersion_ps_nm_km",
    "dispersion_slope_ps_nm2_km",
    "pmd_ps_per_sqrt_km",
    "effective_area_um2",
    "constant_beta2",
];

const FIBER_KEYS: [&str; 7] = [
    "base",
    "attenuation_db_per_km",
    "dispersion_ps_nm_km",
    "dispersion_slope_ps_nm2_km",
    "effective_area_um2",
    "pmd_ps_per_sqrt_km",
    "constant_beta2",
];

/// Keys that describe the fibre of a stretch (a ROUTE.toml `[[section]]`, a NETWORK.toml
/// `[terrain.*]`), plus its lumped `extra_loss_db`.
pub(crate) const STRETCH_KEYS: [&str; 8] = [
    "fiber",
    "attenuation_db_per_km",
    "dispersion_ps_nm_km",
    "dispersion_slope_ps_nm2_km",
    "pmd_ps_per_sqrt_km",
    "effective_area_um2",
    "constant_beta2",
    "extra_loss_db",
];

/// Allowed ranges, one place.
pub(crate) mod limits {
    use super::Range;
    pub const LENGTH: Range = Range::above(0.0, 1000.0, "km");
    pub const LOSS: Range = Range::closed(0.0, 60.0, "dB");
    pub const SPLICE_SPACING: Range = Range::above(0.0, 1000.0, "km");
    /// Below 0 dB: the effective NF of a distributed-Raman hybrid (GNPy's dual-stage types);
    /// above 20 dB: an amplifier padded far below its minimum gain.
    pub const NOISE_FIGURE: Range = Range::closed(-10.0, 40.0, "dB");
    pub const GAIN: Range = Range::closed(0.0, 60.0, "dB");
    pub const OUTPUT_POWER: Range = Range::closed(-20.0, 40.0, "dBm");
    pub const ATTENUATION: Range = Range::above(0.0, 10.0, "dB/km");
    pub const DISPERSION: Range = Range::closed(-100.0, 100.0, "ps/(nm km)");
    pub const SLOPE: Range = Range::closed(-1.0, 1.0, "ps/(nm² km)");
    pub const PMD: Range = Range::closed(0.0, 10.0, "ps/√km");
    pub const EFFECTIVE_AREA: Range = Range::closed(10.0, 300.0, "µm²");
    pub const SPACING: Range = Range::above(0.0, 10_000.0, "GHz");
    pub const CENTER: Range = Range::closed(150.0, 250.0, "THz");
    pub const SYMBOL_RATE: Range = Range::above(0.0, 1000.0, "GBd");
    pub const LAUNCH: Range = Range::closed(-40.0, 30.0, "dBm");
    pub const OSNR: Range = Range::closed(0.0, 80.0, "dB");
    pub const MARGIN: Range = Range::closed(0.0, 50.0, "dB");
    pub const SENSITIVITY: Range = Range::closed(-80.0, 30.0, "dBm");
    pub const CD_TOLERANCE: Range = Range::above(0.0, 1e7, "ps/nm");
    pub const PMD_TOLERANCE: Range = Range::above(0.0, 1e4, "ps");
    pub const PMD_TOLERANCE_OR_ZERO: Range = Range::closed(0.0, 1e4, "ps");
    pub const MAX_CHANNELS: i64 = 2000;
}

/// Reads and validates a LINK.toml file.
pub fn read_link(path: &Path) -> Result<Link, InputError> {
    read_toml_file(path, link_from_table)
}

/// Parses and validates LINK.toml text.
pub fn parse_link(text: &str) -> Result<Link, InputError> {
    link_from_table(&parse_document(text)?)
}

/// Validates a parsed LINK.toml document.
pub fn link_from_table(document: &toml::Table) -> Result<Link, InputError> {
    let root = Section::new(document, "");
    root.deny_unknown(&[
        "name",
        "signal",
        "transceiver",
        "defaults",
        "span",
        "fiber_types",
        "start_roadm",
    ])?;
    let SharedTables {
        name,
        grid,
        launch_power_dbm,
        nli_model,
        transceiver,
        fibers,
        defaults,
    } = read_shared_tables(&root, &[], ModulationKey::Required)?;
    let span_tables = root.array_of_tables("span")?.unwrap_or_default();
    if span_tables.is_empty() {
        return Err(InputError::at(
            "span",
            "at least one [[span]] table is required",
        ));
    }
    let spans = span_tables
        .iter()
        .enumerate()
        .map(|(i, table)| {
            let path = format!("span[{i}]");
            read_span(Section::new(table, &path), defaults, &fibers, &grid)
        })
        .collect::<Result<Vec<_>, _>>()?;
    for (i, pair) in spans.windows(2).enumerate() {
        if pair[0].end.unamplified
            && pair[1].amplifier_gain_db.is_none()
            && !pair[1].end.unamplified
        {
            return Err(InputError::at(
                format!("span[{}].amplifier_gain_db", i + 1),
                "missing: after a span with amplifier = false the gain must be given (its default, the span's own loss, would not cover the losses carried over)",
            ));
        }
    }
    let start_roadm = root
        .table("start_roadm")?
        .map(|t| read_roadm_stage(Section::new(t, "start_roadm")))
        .transpose()?;
    Ok(Link {
        name,
        grid,
        launch_power_dbm,
        spans,
        transceiver,
        nli_model,
        start_roadm,
    })
}

/// The tables LINK.toml, ROUTE.toml and NETWORK.toml share.
pub(crate) struct SharedTables<'a> {
    pub name: Option<String>,
    pub grid: WdmGrid,
    pub launch_power_dbm: f64,
    pub nli_model: NliModel,
    pub transceiver: TransceiverRequirements,
    pub fibers: FiberCatalogue,
    pub defaults: Option<Section<'a>>,
}

/// Reads `name`, `[signal]`, `[transceiver]`, `[fiber_types.*]` and `[defaults]`.
pub(crate) fn read_shared_tables<'a>(
    root: &Section<'a>,
    extra_signal_keys: &[&str],
    modulation: ModulationKey,
) -> Result<SharedTables<'a>, InputError> {
    let name = root.string("name")?.map(str::to_string);
    let SignalTable {
        grid,
        launch_power_dbm,
        nli_model,
    } = read_signal(root, extra_signal_keys, modulation)?;
    Ok(SharedTables {
        name,
        grid,
        launch_power_dbm,
        nli_model,
        transceiver: read_transceiver(root)?,
        fibers: read_fiber_types(root)?,
        defaults: read_defaults(root)?,
    })
}

/// What `[signal]` says to the budget.
pub(crate) struct SignalTable {
    pub grid: WdmGrid,
    pub launch_power_dbm: f64,
    pub nli_model: NliModel,
}

/// Reads `[signal]`: the WDM grid, the per-channel launch power and the NLI model (`nli_model`,
/// with `modulation` for `egn`). `extra_keys` are further keys the caller's format allows in the
/// table (read by the caller); `modulation` says what the file's `modulation` key is.
pub(crate) fn read_signal(
    root: &Section,
    extra_keys: &[&str],
    modulation: ModulationKey,
) -> Result<SignalTable, InputError> {
    let table = root
        .table("signal")?
        .ok_or_else(|| InputError::at("signal", "missing table [signal] (channels, spacing_ghz, center_thz, symbol_rate_gbaud, launch_power_dbm)"))?;
    let signal = Section::new(table, "signal");
    let mut allowed = vec![
        "channels",
        "spacing_ghz",
        "center_thz",
        "symbol_rate_gbaud",
        "launch_power_dbm",
        "nli_model",
        "modulation",
    ];
    allowed.extend_from_slice(extra_keys);
    signal.deny_unknown(&allowed)?;
    let channels = signal.required_integer("channels", 1, limits::MAX_CHANNELS)? as usize;
    let spacing_ghz = signal.required_number("spacing_ghz", limits::SPACING)?;
    let center_thz = signal.required_number("center_thz", limits::CENTER)?;
    let symbol_rate_gbaud = signal.required_number("symbol_rate_gbaud", limits::SYMBOL_RATE)?;
    let launch_power_dbm = signal.required_number("launch_power_dbm", limits::LAUNCH)?;
    if spacing_ghz < symbol_rate_gbaud {
        return Err(InputError::at(
            "signal.spacing_ghz",
            format!("must be ≥ symbol_rate_gbaud ({symbol_rate_gbaud} GBd) so channels do not overlap (got {})", format_value(spacing_ghz)),
        ));
    }
    let grid = WdmGrid {
        channels,
        spacing_ghz,
        center_thz,
        symbol_rate_gbaud,
    };
    let frequencies = grid.frequencies_hz();
    let lowest_thz = crate::units::hz_to_thz(frequencies[0]);
    let highest_thz = crate::units::hz_to_thz(frequencies[channels - 1]);
    if lowest_thz < limits::CENTER.min || highest_thz > limits::CENTER.max {
        return Err(InputError::at(
            "signal.channels",
            format!("the comb spans {lowest_thz:.3}–{highest_thz:.3} THz; it must lie within 150–250 THz"),
        ));
    }
    let nli_model = read_nli_model(&signal, modulation)?;
    Ok(SignalTable {
        grid,
        launch_power_dbm,
        nli_model,
    })
}

/// Where a file's `[signal] modulation` comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ModulationKey {
    /// A budget format ([`SignalFormat::NAMES`]), required with `egn` (LINK, ROUTE).
    Required,
    /// A budget format, this one when absent (NETWORK: `gaussian`, so that transceivers without
    /// a format of their own keep the GN numbers).
    Defaults(SignalFormat),
    /// The SYSTEM's own `modulation` (its reader checks the names; `dp-qpsk` when absent); `egn`
    /// needs a coherent one.
    System,
}

/// Reads `nli_model` (`gn` unless given) and, for `egn`, the `modulation` it corrects for.
fn read_nli_model(signal: &Section, rule: ModulationKey) -> Result<NliModel, InputError> {
    let formats = SignalFormat::NAMES.join(", ");
    let given = signal.string("modulation")?;
    let format = match (given, rule) {
        (Some(name), ModulationKey::System) => SignalFormat::from_name(name),
        (Some(name), _) => Some(SignalFormat::from_name(name).ok_or_else(|| {
            InputError::at(
                "signal.modulation",
                format!(
                    "unknown modulation `{}` (allowed: {formats})",
                    quote_user_text(name)
                ),
            )
        })?),
        (None, ModulationKey::Required) => None,
        (None, ModulationKey::Defaults(format)) => Some(format),
        (None, ModulationKey::System) => Some(SignalFormat::DpQpsk),
    };
    match signal.string("nli_model")?.unwrap_or("gn") {
        "gn" => Ok(NliModel::Gn),
        "egn" => match (format, given) {
            (Some(format), _) => Ok(NliModel::Egn(format)),
            (None, Some(name)) => Err(InputError::at(
                "signal.modulation",
                format!(
                    "nli_model = \"egn\" corrects for a coherent format ({formats}); `{}` is not one",
                    quote_user_text(name)
                ),
            )),
            (None, None) => Err(InputError::at(
                "signal.modulation",
                format!("nli_model = \"egn\" needs the modulation ({formats})"),
            )),
        },
        other => Err(InputError::at(
            "signal.nli_model",
            format!(
                "unknown NLI model `{}` (allowed: {})",
                quote_user_text(other),
                NliModel::NAMES.join(", ")
            ),
        )),
    }
}

/// Reads the optional `[transceiver]` table.
pub(crate) fn read_transceiver(root: &Section) -> Result<TransceiverRequirements, InputError> {
    let Some(table) = root.table("transceiver")? else {
        return Ok(TransceiverRequirements::default());
    };
    let trx = Section::new(table, "transceiver");
    trx.deny_unknown(&[
        "required_osnr_db",
        "system_margin_db",
        "tx_osnr_db",
        "rx_sensitivity_dbm",
        "cd_tolerance_ps_nm",
        "pmd_tolerance_ps",
    ])?;
    Ok(TransceiverRequirements {
        required_osnr_db: trx.number("required_osnr_db", limits::OSNR)?,
        system_margin_db: trx
            .number("system_margin_db", limits::MARGIN)?
            .unwrap_or(0.0),
        tx_osnr_db: trx.number("tx_osnr_db", limits::OSNR)?,
        rx_sensitivity_dbm: trx.number("rx_sensitivity_dbm", limits::SENSITIVITY)?,
        cd_tolerance_ps_nm: trx.number("cd_tolerance_ps_nm", limits::CD_TOLERANCE)?,
        pmd_tolerance_ps: trx.number("pmd_tolerance_ps", limits::PMD_TOLERANCE)?,
    })
}

/// The fibre types a file can name: the built-in ones plus `[fiber_types.*]` (which may shadow a
/// built-in name, or derive from one with `base = "SSMF"`).
pub(crate) type FiberCatalogue = BTreeMap<String, FiberParams>;

/// Reads `[fiber_types.*]` on top of the built-in catalogue.
pub(crate) fn read_fiber_types(root: &Section) -> Result<FiberCatalogue, InputError> {
    let mut catalogue: FiberCatalogue = BUILTIN_FIBER_NAMES
        .iter()
        .map(|name| (name.to_string(), builtin_fiber(name).expect("built-in")))
        .collect();
    let Some(types) = root.table("fiber_types")? else {
        return Ok(catalogue);
    };
    for (name, value) in types {
        let path = format!("fiber_types.{name}");
        let toml::Value::Table(table) = value else {
            return Err(InputError::at(path, "must be a table of fibre parameters"));
        };
        let section = Section::new(table, &path);
        section.deny_unknown(&FIBER_KEYS)?;
        let base = match section.string("base")? {
            Some(base_name) => Some(catalogue.get(base_name).cloned().ok_or_else(|| {
                InputError::at(
                    section.key_path("base"),
                    format!(
                        "unknown fibre type `{}` (known: {})",
                        quote_user_text(base_name),
                        known_names(&catalogue)
                    ),
                )
            })?),
            None => None,
        };
        let field = |key: &str, range: Range, inherited: Option<f64>| -> Result<f64, InputError> {
            match (section.number(key, range)?, inherited) {
                (Some(v), _) | (None, Some(v)) => Ok(v),
                (None, None) => Err(InputError::at(
                    section.key_path(key),
                    "missing (required unless `base` names a fibre type to inherit from)",
                )),
            }
        };
        let params = FiberParams {
            attenuation_db_per_km: field(
                "attenuation_db_per_km",
                limits::ATTENUATION,
                base.as_ref().map(|b| b.attenuation_db_per_km),
            )?,
            dispersion_ps_nm_km: field(
                "dispersion_ps_nm_km",
                limits::DISPERSION,
                base.as_ref().map(|b| b.dispersion_ps_nm_km),
            )?,
            dispersion_slope_ps_nm2_km: field(
                "dispersion_slope_ps_nm2_km",
                limits::SLOPE,
                base.as_ref().map(|b| b.dispersion_slope_ps_nm2_km),
            )?,
            effective_area_um2: field(
                "effective_area_um2",
                limits::EFFECTIVE_AREA,
                base.as_ref().map(|b| b.effective_area_um2),
            )?,
            pmd_ps_per_sqrt_km: field(
                "pmd_ps_per_sqrt_km",
                limits::PMD,
                base.as_ref().map(|b| b.pmd_ps_per_sqrt_km),
            )?,
            constant_beta2: section
                .boolean("constant_beta2")?
                .unwrap_or_else(|| base.as_ref().is_some_and(|b| b.constant_beta2)),
        };
        check_constant_beta2(&params, &section.key_path("constant_beta2"))?;
        catalogue.insert(name.clone(), params);
    }
    Ok(catalogue)
}

fn known_names(catalogue: &FiberCatalogue) -> String {
    catalogue.keys().cloned().collect::<Vec<_>>().join(", ")
}

/// Reads the optional `[defaults]` table (any span key).
pub(crate) fn read_defaults<'a>(root: &Section<'a>) -> Result<Option<Section<'a>>, InputError> {
    let Some(table) = root.table("defaults")? else {
        return Ok(None);
    };
    let defaults = Section::new(table, "defaults");
    defaults.deny_unknown(&SPAN_KEYS)?;
    Ok(Some(defaults))
}

/// A span key looked up in the span first, then in `[defaults]`.
fn inherited_number(
    span: &Section,
    defaults: Option<Section>,
    key: &str,
    range: Range,
) -> Result<Option<f64>, InputError> {
    if let Some(v) = span.number(key, range)? {
        return Ok(Some(v));
    }
    match defaults {
        Some(d) => d.number(key, range),
        None => Ok(None),
    }
}

/// Reads one span (its own keys over `[defaults]` over the built-in defaults).
pub(crate) fn read_span(
    span: Section,
    defaults: Option<Section>,
    fibers: &FiberCatalogue,
    grid: &WdmGrid,
) -> Result<Span, InputError> {
    span.deny_unknown(&SPAN_KEYS)?;
    let length_km =
        inherited_number(&span, defaults, "length_km", limits::LENGTH)?.ok_or_else(|| {
            InputError::at(
                span.key_path("length_km"),
                "missing (required: a finite number > 0 and ≤ 1000 km)",
            )
        })?;
    span_parameters(span, defaults, fibers, grid, length_km)
}

/// Reads `[defaults]` as the template of designed spans (ROUTE.toml): every span key but
/// `length_km`, which the design decides.
pub(crate) fn read_span_template(
    defaults: Option<Section>,
    fibers: &FiberCatalogue,
    grid: &WdmGrid,
) -> Result<Span, InputError> {
    let empty = toml::Table::new();
    let section = defaults.unwrap_or(Section::new(&empty, "defaults"));
    if section.table.contains_key("length_km") {
        return Err(InputError::at(
            "defaults.length_km",
            "not used here: the design decides span lengths",
        ));
    }
    span_parameters(section, None, fibers, grid, 0.0)
}

/// A fibre: the type named by `fiber` (span, then defaults, then SSMF) with the per-span overrides.
pub(crate) fn read_fiber(
    span: &Section,
    defaults: Option<Section>,
    fibers: &FiberCatalogue,
    grid: &WdmGrid,
) -> Result<FiberParams, InputError> {
    let number = |key: &str, range: Range| inherited_number(span, defaults, key, range);
    let (fiber_name, fiber_key) = match span.string("fiber")? {
        Some(name) => (name, span.key_path("fiber")),
        None => match defaults.map(|d| d.string("fiber")).transpose()?.flatten() {
            Some(name) => (name, "defaults.fiber".to_string()),
            None => ("SSMF", span.key_path("fiber")),
        },
    };
    let mut fiber = fibers.get(fiber_name).cloned().ok_or_else(|| {
        InputError::at(
            &fiber_key,
            format!(
                "unknown fibre type `{}` (known: {})",
                quote_user_text(fiber_name),
                known_names(fibers)
            ),
        )
    })?;
    if let Some(v) = number("attenuation_db_per_km", limits::ATTENUATION)? {
        fiber.attenuation_db_per_km = v;
    }
    if let Some(v) = number("dispersion_ps_nm_km", limits::DISPERSION)? {
        fiber.dispersion_ps_nm_km = v;
    }
    if let Some(v) = number("dispersion_slope_ps_nm2_km", limits::SLOPE)? {
        fiber.dispersion_slope_ps_nm2_km = v;
    }
    if let Some(v) = number("pmd_ps_per_sqrt_km", limits::PMD)? {
        fiber.pmd_ps_per_sqrt_km = v;
    }
    if let Some(v) = number("effective_area_um2", limits::EFFECTIVE_AREA)? {
        fiber.effective_area_um2 = v;
    }
    let constant_beta2 = match span.boolean("constant_beta2")? {
        Some(v) => Some(v),
        None => defaults
            .map(|d| d.boolean("constant_beta2"))
            .transpose()?
            .flatten(),
    };
    if let Some(v) = constant_beta2 {
        fiber.constant_beta2 = v;
    }
    check_constant_beta2(&fiber, &span.key_path("constant_beta2"))?;
    check_effective_area_model(&fiber, grid, &span.key_path("effective_area_um2"))?;
    Ok(fiber)
}

fn span_parameters(
    span: Section,
    defaults: Option<Section>,
    fibers: &FiberCatalogue,
    grid: &WdmGrid,
    length_km: f64,
) -> Result<Span, InputError> {
    let number = |key: &str, range: Range| inherited_number(&span, defaults, key, range);
    if let Some(d) = defaults {
        for key in ["amplifier", "roadm"] {
            if d.table.contains_key(key) {
                return Err(InputError::at(
                    d.key_path(key),
                    "a [[span]] key only (it describes one span's end)",
                ));
            }
        }
    }
    let amplified = span.boolean("amplifier")?.unwrap_or(true);
    if !amplified {
        for key in [
            "amplifier_nf_db",
            "amplifier_gain_db",
            "amplifier_max_output_dbm",
            "amplifier_max_gain_db",
            "amplifier_saturates",
        ] {
            if span.table.contains_key(key) {
                return Err(InputError::at(
                    span.key_path(key),
                    "not used: this span has amplifier = false",
                ));
            }
        }
    }
    let saturates = match span.boolean("amplifier_saturates")? {
        Some(v) => v,
        None => defaults
            .map(|d| d.boolean("amplifier_saturates"))
            .transpose()?
            .flatten()
            .unwrap_or(false),
    };
    let roadm = span
        .table("roadm")?
        .map(|t| read_roadm_stage(Section::new(t, &span.key_path("roadm"))))
        .transpose()?;
    Ok(Span {
        length_km,
        fiber: read_fiber(&span, defaults, fibers, grid)?,
        connector_in_db: number("connector_in_db", limits::LOSS)?.unwrap_or(0.0),
        connector_out_db: number("connector_out_db", limits::LOSS)?.unwrap_or(0.0),
        splice_loss_db: number("splice_loss_db", limits::LOSS)?.unwrap_or(0.0),
        splice_spacing_km: number("splice_spacing_km", limits::SPLICE_SPACING)?.unwrap_or(4.0),
        aging_margin_db: number("aging_margin_db", limits::LOSS)?.unwrap_or(0.0),
        extra_loss_db: number("extra_loss_db", limits::LOSS)?.unwrap_or(0.0),
        amplifier_nf_db: number("amplifier_nf_db", limits::NOISE_FIGURE)?.unwrap_or(5.0),
        amplifier_gain_db: number("amplifier_gain_db", limits::GAIN)?,
        amplifier_max_output_dbm: number("amplifier_max_output_dbm", limits::OUTPUT_POWER)?,
        amplifier_max_gain_db: number("amplifier_max_gain_db", limits::GAIN)?
            .unwrap_or(DEFAULT_MAX_GAIN_DB),
        end: SpanEnd {
            unamplified: !amplified,
            amplifier_saturates: saturates && amplified,
            roadm,
        },
    })
}

/// Keys of a ROADM stage (`[[span]] roadm`, `[start_roadm]`).
const ROADM_KEYS: [&str; 7] = [
    "target_power_dbm",
    "pmd_ps",
    "booster_gain_db",
    "booster_nf_db",
    "booster_noiseless",
    "booster_max_output_dbm",
    "booster_saturates",
];

/// A ROADM and its booster: `target_power_dbm` (required), `pmd_ps`, and when `booster_gain_db`
/// is given, a booster of that gain with `booster_nf_db` (or `booster_noiseless = true`),
/// `booster_max_output_dbm` and `booster_saturates`.
pub(crate) fn read_roadm_stage(section: Section) -> Result<RoadmStage, InputError> {
    section.deny_unknown(&ROADM_KEYS)?;
    let roadm = Roadm {
        target_power_dbm: section.required_number("target_power_dbm", limits::LAUNCH)?,
        pmd_ps: section
            .number("pmd_ps", limits::PMD_TOLERANCE_OR_ZERO)?
            .unwrap_or(0.0),
    };
    let booster = match section.number("booster_gain_db", limits::GAIN)? {
        None => {
            for key in &ROADM_KEYS[3..] {
                if section.table.contains_key(*key) {
                    return Err(InputError::at(
                        section.key_path(key),
                        "not used without booster_gain_db (no booster)",
                    ));
                }
            }
            None
        }
        Some(gain_db) => {
            let noiseless = section.boolean("booster_noiseless")?.unwrap_or(false);
            let nf = section.number("booster_nf_db", limits::NOISE_FIGURE)?;
            let noise_figure_db =
                match (noiseless, nf) {
                    (true, None) => f64::NEG_INFINITY,
                    (false, Some(nf)) => nf,
                    (true, Some(_)) => {
                        return Err(InputError::at(
                            section.key_path("booster_nf_db"),
                            "give booster_nf_db or booster_noiseless = true, not both",
                        ))
                    }
                    (false, None) => return Err(InputError::at(
                        section.key_path("booster_nf_db"),
                        "missing (required with booster_gain_db, unless booster_noiseless = true)",
                    )),
                };
            let max_output = section.number("booster_max_output_dbm", limits::OUTPUT_POWER)?;
            let saturates = section.boolean("booster_saturates")?.unwrap_or(false);
            if saturates && max_output.is_none() {
                return Err(InputError::at(
                    section.key_path("booster_saturates"),
                    "needs booster_max_output_dbm (the output it saturates at)",
                ));
            }
            Some(Edfa {
                max_output_power_dbm: max_output,
                output_saturates: saturates,
                ..Edfa::new(gain_db, noise_figure_db)
            })
        }
    };
    Ok(RoadmStage { roadm, booster })
}

/// `constant_beta2` (GNPy's model without a slope) contradicts a non-zero slope.
fn check_constant_beta2(fiber: &FiberParams, key: &str) -> Result<(), InputError> {
    if fiber.constant_beta2 && fiber.dispersion_slope_ps_nm2_km != 0.0 {
        return Err(InputError::at(
            key,
            format!(
                "constant_beta2 = true needs dispersion_slope_ps_nm2_km = 0 (the fibre has {})",
                fiber.dispersion_slope_ps_nm2_km
            ),
        ));
    }
    Ok(())
}

/// The step-index Aeff(f) fit needs V > 1 (ln V > 0) at every channel; a very large area at
/// 1550 nm combined with a low-frequency band leaves that range.
fn check_effective_area_model(
    fiber: &FiberParams,
    grid: &WdmGrid,
    key: &str,
) -> Result<(), InputError> {
    let model = StepIndexEffectiveArea::fitted(fiber.effective_area_um2);
    let lowest_hz = grid.frequencies_hz()[0];
    let v = model.normalised_frequency_at(lowest_hz);
    if v.ln() < 0.05 {
        return Err(InputError::at(
            key,
            format!(
                "{} µm² is too large for the step-index Aeff(f) model at {:.3} THz (V = {v:.3}; needs ln V ≥ 0.05)",
                fiber.effective_area_um2,
                crate::units::hz_to_thz(lowest_hz)
            ),
        ));
    }
    Ok(())
}
