//! A fibra link as GNPy 3.0.1 files: `topology.json` (legacy format) and `eqpt_config.json`,
//! so that `gnpy-transmission-example topology.json trx_source trx_destination -e
//! eqpt_config.json` propagates the same chain. The keys, ranges and defaults are GNPy 3.0.1's
//! (`gnpy/tools/json_io.py`, its YANG models `gnpy-eqpt-config` and `gnpy-network-topology`);
//! `scripts/gnpy-crosscheck.sh` runs GNPy on the exported bundled links.
//!
//! The mapping, element by element (GNPy auto-design is switched off by the equipment's `Span`:
//! gain mode, no padding, no splitting below 1,000 km (GNPy's largest `max_length`; a span of
//! exactly 1,000 km would be split), no EOL or default connectors):
//!
//! * each span → `Fiber` (`length` km, `loss_coef` dB/km, `con_in` = the input connector,
//!   `con_out` = the output connector, `att_in` 0, `pmd_coef` s/√m) → `Fused` (`loss` = splices +
//!   aging margin + extra loss; a Fused after a fibre stops GNPy from padding it) → `Edfa`
//!   (`gain_target` = the span's gain, a `fixed_gain` type whose `nf0` is the span's NF and whose
//!   `gain_min` is 0, so no NF padding, and whose `p_max` is far above any total output, so no
//!   clipping; fibra only warns above `amplifier_max_output_dbm`);
//! * the fibre library: one entry per distinct fibre (`dispersion` s/m², `effective_area` m²,
//!   `pmd_coef`); unless `constant_beta2` (GNPy's own model without a slope, where the two agree to
//!   the last digit of the GN model) each fibre element also carries `dispersion` and
//!   `dispersion_slope` (s/m³), which GNPy reads per element only;
//! * `SI`: the grid (`f_max` half a spacing beyond the last channel, so GNPy's
//!   `floor((f_max − f_min)/spacing) + 1` is the channel count whatever the rounding), the launch
//!   power as `power_dbm` (no `tx_power_dbm`: the transceiver launches the reference power), the
//!   transceiver's `tx_osnr` (100 dB when fibra has none: 10⁻¹⁰ of noise).
//!
//! The NLI is GNPy's own closed-form GN model on both sides; an EGN link is exported as is (GNPy
//! has no EGN) and the export says so.

use serde_json::{json, Value};

use crate::budget::{Link, Span};
use crate::fiber::FiberParams;
use crate::units;

/// The two GNPy documents of one link.
#[derive(Debug, Clone, PartialEq)]
pub struct GnpyFiles {
    /// `topology.json`.
    pub topology: Value,
    /// `eqpt_config.json`.
    pub equipment: Value,
    /// Uid of the source transceiver.
    pub source: String,
    /// Uid of the destination transceiver.
    pub destination: String,
    /// Where GNPy will not compute the same chain (one sentence each).
    pub warnings: Vec<String>,
}

/// `p_max` of the exported amplifiers, dBm: above any total output a link can have.
const P_MAX_DBM: f64 = 60.0;

/// The transmitter OSNR exported when the link has none, dB (0.1 nm).
const NO_TX_NOISE_OSNR_DB: f64 = 100.0;

/// ps/(nm·km) → s/m².
fn dispersion_s_per_m2(d_ps_nm_km: f64) -> f64 {
    d_ps_nm_km * 1e-6
}

/// ps/(nm²·km) → s/m³.
fn slope_s_per_m3(s_ps_nm2_km: f64) -> f64 {
    s_ps_nm2_km * 1e3
}

/// ps/√km → s/√m.
fn pmd_s_per_sqrt_m(pmd_ps_sqrt_km: f64) -> f64 {
    pmd_ps_sqrt_km * 1e-12 / 1000f64.sqrt()
}

/// Index of `item` in `distinct` (added if new).
fn slot<T: PartialEq + Clone>(distinct: &mut Vec<T>, item: &T) -> usize {
    match distinct.iter().position(|d| d == item) {
        Some(i) => i,
        None => {
            distinct.push(item.clone());
            distinct.len() - 1
        }
    }
}

/// The fibre library entry of `fiber`.
fn fiber_type(name: &str, fiber: &FiberParams) -> Value {
    json!({
        "type_variety": name,
        "dispersion": dispersion_s_per_m2(fiber.dispersion_ps_nm_km),
        "effective_area": units::um2_to_m2(fiber.effective_area_um2),
        "pmd_coef": pmd_s_per_sqrt_m(fiber.pmd_ps_per_sqrt_km),
    })
}

/// A topology element at `index` along a straight line (GNPy needs a location for plots only).
fn located(mut element: Value, index: usize, city: Option<&str>) -> Value {
    let mut location = json!({
        "region": "",
        "latitude": 0.0,
        "longitude": index as f64 * 0.01,
    });
    if let Some(city) = city {
        location["city"] = json!(city);
    }
    element["metadata"] = json!({ "location": location });
    element
}

/// The GNPy files of `link`.
pub fn export_link(link: &Link) -> Result<GnpyFiles, String> {
    if link.start_roadm.is_some() {
        return Err(
            "start_roadm: links with ROADMs are not exported (the export covers ROADM-less links)"
                .into(),
        );
    }
    for (i, span) in link.spans.iter().enumerate() {
        if span.end.roadm.is_some() {
            return Err(format!("span[{i}].roadm: links with ROADMs are not exported (the export covers ROADM-less links)"));
        }
        if span.end.unamplified {
            return Err(format!(
                "span[{i}].amplifier: spans without an amplifier are not exported"
            ));
        }
        if span.end.amplifier_saturates {
            return Err(format!(
                "span[{i}].amplifier_saturates: saturating amplifiers are not exported"
            ));
        }
    }
    let source = "trx_source".to_string();
    let destination = "trx_destination".to_string();
    let mut fibers: Vec<FiberParams> = Vec::new();
    let mut noise_figures: Vec<f64> = Vec::new();
    let mut elements = vec![located(
        json!({ "uid": source, "type": "Transceiver" }),
        0,
        Some("source"),
    )];
    for (i, span) in link.spans.iter().enumerate() {
        let fiber = slot(&mut fibers, &span.fiber);
        let amplifier = slot(&mut noise_figures, &span.amplifier_nf_db);
        elements.extend(span_elements(i, span, fiber, amplifier));
    }
    elements.push(located(
        json!({ "uid": destination, "type": "Transceiver" }),
        3 * link.spans.len() + 1,
        Some("destination"),
    ));
    let connections: Vec<Value> = elements
        .windows(2)
        .map(|pair| json!({ "from_node": pair[0]["uid"], "to_node": pair[1]["uid"] }))
        .collect();
    let topology = json!({
        "network_name": link.name.clone().unwrap_or_else(|| "fibra link".to_string()),
        "elements": elements,
        "connections": connections,
    });
    let equipment = equipment(link, &fibers, &noise_figures);
    Ok(GnpyFiles {
        topology,
        equipment,
        source,
        destination,
        warnings: differences(link),
    })
}

/// GNPy's largest `Span.max_length`, km: it splits a fibre of this length or more.
const GNPY_MAX_LENGTH_KM: f64 = 1000.0;

/// Where GNPy will not propagate the exported chain as fibra budgets it.
fn differences(link: &Link) -> Vec<String> {
    let mut warnings = Vec::new();
    if let Some(format) = link.nli_model.format() {
        warnings.push(format!(
            "the link asks for the EGN model ({}); GNPy computes the GN model",
            format.name()
        ));
    }
    for (i, span) in link.spans.iter().enumerate() {
        if span.length_km >= GNPY_MAX_LENGTH_KM {
            warnings.push(format!(
                "span[{i}] is {} km: GNPy splits fibres of {GNPY_MAX_LENGTH_KM} km or more",
                span.length_km
            ));
        }
    }
    let total_launch_dbm =
        link.launch_power_dbm + units::linear_to_db(link.grid.channels.max(1) as f64);
    if total_launch_dbm + 3.0 > P_MAX_DBM {
        warnings.push(format!(
            "the comb carries {total_launch_dbm:.1} dBm in all: GNPy clips amplifier outputs at p_max = {P_MAX_DBM} dBm (its largest)"
        ));
    }
    warnings
}

/// Fiber → Fused → Edfa of span `i`, with its fibre and amplifier library indices.
fn span_elements(i: usize, span: &Span, fiber: usize, amplifier: usize) -> [Value; 3] {
    let base = 3 * i + 1;
    let mut params = json!({
        "length": span.length_km,
        "length_units": "km",
        "loss_coef": span.fiber.attenuation_db_per_km,
        "att_in": 0.0,
        "con_in": span.connector_in_db,
        "con_out": span.connector_out_db,
        "pmd_coef": pmd_s_per_sqrt_m(span.fiber.pmd_ps_per_sqrt_km),
    });
    if !span.fiber.constant_beta2 {
        // GNPy takes a slope per element only (the library has none).
        params["dispersion"] = json!(dispersion_s_per_m2(span.fiber.dispersion_ps_nm_km));
        params["dispersion_slope"] = json!(slope_s_per_m3(span.fiber.dispersion_slope_ps_nm2_km));
    }
    [
        located(
            json!({
                "uid": format!("span{i}"),
                "type": "Fiber",
                "type_variety": format!("fibra-fiber-{fiber}"),
                "params": params,
            }),
            base,
            None,
        ),
        located(
            json!({
                "uid": format!("span{i}-losses"),
                "type": "Fused",
                "params": { "loss": span.fused_loss_db() },
            }),
            base + 1,
            None,
        ),
        located(
            json!({
                "uid": format!("amp{i}"),
                "type": "Edfa",
                "type_variety": format!("fibra-edfa-{amplifier}"),
                "operational": {
                    "gain_target": span.gain_db(),
                    "tilt_target": 0.0,
                    "out_voa": 0.0,
                },
            }),
            base + 2,
            None,
        ),
    ]
}

/// `eqpt_config.json` for `link` with its distinct fibres and noise figures.
fn equipment(link: &Link, fibers: &[FiberParams], noise_figures: &[f64]) -> Value {
    let frequencies_hz = link.grid.frequencies_hz();
    let spacing_hz = units::ghz_to_hz(link.grid.spacing_ghz);
    let first_hz = frequencies_hz.first().copied().unwrap_or(0.0);
    let last_hz = frequencies_hz.last().copied().unwrap_or(0.0);
    let max_gain_db = link.spans.iter().map(Span::gain_db).fold(0.0f64, f64::max);
    let amplifiers: Vec<Value> = noise_figures
        .iter()
        .enumerate()
        .map(|(k, nf_db)| {
            json!({
                "type_variety": format!("fibra-edfa-{k}"),
                "type_def": "fixed_gain",
                "gain_flatmax": max_gain_db.max(1.0),
                "gain_min": 0.0,
                "p_max": P_MAX_DBM,
                "nf0": nf_db,
                "f_min": first_hz - spacing_hz,
                "f_max": last_hz + spacing_hz,
                "allowed_for_design": false,
            })
        })
        .collect();
    let fiber_types: Vec<Value> = fibers
        .iter()
        .enumerate()
        .map(|(k, f)| fiber_type(&format!("fibra-fiber-{k}"), f))
        .collect();
    let rate_hz = link.grid.symbol_rate_hz();
    json!({
        "Edfa": amplifiers,
        "Fiber": fiber_types,
        "RamanFiber": [],
        "Span": [{
            "power_mode": false,
            "delta_power_range_db": [0, 0, 0.5],
            "max_fiber_lineic_loss_for_raman": 0.25,
            "target_extended_gain": 2.5,
            "max_length": 1000,
            "length_units": "km",
            "max_loss": 60,
            "padding": 0,
            "EOL": 0,
            "con_in": 0,
            "con_out": 0,
        }],
        "Roadm": [{
            "target_pch_out_db": -20,
            "add_drop_osnr": 100,
            "pmd": 0,
            "pdl": 0,
            "restrictions": { "preamp_variety_list": [], "booster_variety_list": [] },
        }],
        "SI": [{
            "f_min": first_hz,
            "f_max": last_hz + 0.5 * spacing_hz,
            "baud_rate": rate_hz,
            "spacing": spacing_hz,
            "power_dbm": link.launch_power_dbm,
            "power_range_db": [0, 0, 1],
            "roll_off": 0.15,
            "tx_osnr": link.transceiver.tx_osnr_db.unwrap_or(NO_TX_NOISE_OSNR_DB),
            "sys_margins": 0,
        }],
        "Transceiver": [{
            "type_variety": "fibra-transceiver",
            "frequency": { "min": first_hz - spacing_hz, "max": last_hz + spacing_hz },
            "mode": [{
                "format": "fibra",
                "baud_rate": rate_hz,
                "OSNR": link.transceiver.required_osnr_db.unwrap_or(0.0),
                "bit_rate": rate_hz * 4.0,
                "roll_off": 0.15,
                "tx_osnr": link.transceiver.tx_osnr_db.unwrap_or(NO_TX_NOISE_OSNR_DB),
                "min_spacing": spacing_hz,
                "cost": 1,
            }],
        }],
    })
}

/// Keys written first in an object, in this order: libyang reads a YANG list's keys (`uid`,
/// `type_variety`, `format`) only before the other members.
const LEADING_KEYS: [&str; 4] = ["uid", "type", "type_variety", "format"];

/// `value` as indented JSON with `uid`, `type`, `type_variety` and `format` first in every object (then the rest in
/// alphabetical order) and a final newline.
pub fn to_gnpy_json(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, 0, &mut out);
    out.push('\n');
    out
}

fn write_value(value: &Value, depth: usize, out: &mut String) {
    let indent = |d: usize| "  ".repeat(d);
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| {
                LEADING_KEYS
                    .iter()
                    .position(|lead| lead == k)
                    .unwrap_or(LEADING_KEYS.len())
            });
            out.push_str("{\n");
            for (n, key) in keys.iter().enumerate() {
                out.push_str(&indent(depth + 1));
                out.push_str(&Value::String((*key).clone()).to_string());
                out.push_str(": ");
                write_value(&map[*key], depth + 1, out);
                out.push_str(if n + 1 < keys.len() { ",\n" } else { "\n" });
            }
            out.push_str(&indent(depth));
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (n, item) in items.iter().enumerate() {
                out.push_str(&indent(depth + 1));
                write_value(item, depth + 1, out);
                out.push_str(if n + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&indent(depth));
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}
