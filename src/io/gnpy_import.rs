//! Reading GNPy 3.0.1 files: a network topology (legacy JSON: `elements` and `connections`) and
//! an equipment library (`eqpt_config.json`), with GNPy's defaults (`gnpy/tools/json_io.py`,
//! `gnpy/core/parameters.py`) and errors that name the file, the element uid and the key.
//!
//! Read: `SI` (one entry), `Span`, `Fiber`, `Roadm` (`target_pch_out_db` equalisation),
//! `Edfa` with `type_def` `fixed_gain`, `variable_gain`, `dual_stage`, `openroadm`,
//! `openroadm_preamp`, `openroadm_booster`; elements `Transceiver`, `Roadm`, `Fused`, `Fiber`
//! (scalar `loss_coef`), `Edfa`. Refused with an error naming the element and key (out of
//! scope): YANG-format files, `RamanFiber`, `Multiband_amplifier`, `advanced_model` and
//! `multi_band` amplifiers (their library entries are kept aside and refused only when used),
//! PSD ROADM equalisation, ROADM path impairments, frequency-dependent fibre data, lumped losses,
//! a dispersion slope, a power sweep (`SI.power_range_db` with more than one point). GNPy's own
//! `CORONET_CONUS_Topology.json` has a top-level `metadata` list that GNPy refuses; it is ignored
//! here.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::InputError;
use crate::amplifier::{variable_gain_fit, NfKind, NfModel, NfStage};
use crate::gnpy::{
    AmplifierType, EdfaNode, Equipment, FiberNode, FiberType, Node, NodeKind, Restrictions,
    RoadmNode, RoadmType, SpanRules, Spectrum, Topology,
};
use crate::units;

/// Kerr coefficient GNPy uses to turn a fibre's `gamma` into an effective area, m²/W.
const GNPY_N2_M2_PER_W: f64 = 2.6e-20;
/// GNPy's default amplifier band, Hz (`DEFAULT_EDFA_CONFIG`).
const DEFAULT_AMPLIFIER_BAND_HZ: (f64, f64) = (191.275e12, 196.125e12);

fn err(key: impl Into<String>, message: impl Into<String>) -> InputError {
    InputError::at(key, message)
}

/// A JSON object with the key path that leads to it, for error messages.
struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    fn of(value: &'a Value, path: impl Into<String>) -> Result<Self, InputError> {
        let path = path.into();
        match value.as_object() {
            Some(map) => Ok(Self { map, path }),
            None => Err(err(path, "must be a JSON object")),
        }
    }

    fn key(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn f64_opt(&self, key: &str) -> Result<Option<f64>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.as_f64() {
                Some(x) if x.is_finite() => Ok(Some(x)),
                _ => Err(err(
                    self.key(key),
                    format!("must be a finite number, got {v}"),
                )),
            },
        }
    }

    fn f64_or(&self, key: &str, default: f64) -> Result<f64, InputError> {
        Ok(self.f64_opt(key)?.unwrap_or(default))
    }

    fn f64_req(&self, key: &str) -> Result<f64, InputError> {
        self.f64_opt(key)?
            .ok_or_else(|| err(self.key(key), "is required (a number)"))
    }

    fn in_range(&self, key: &str, value: f64, lo: f64, hi: f64) -> Result<f64, InputError> {
        if (lo..=hi).contains(&value) {
            Ok(value)
        } else {
            Err(err(
                self.key(key),
                format!("{value} is outside the allowed range [{lo}, {hi}]"),
            ))
        }
    }

    fn bool_or(&self, key: &str, default: bool) -> Result<bool, InputError> {
        match self.get(key) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(v) => Err(err(
                self.key(key),
                format!("must be true or false, got {v}"),
            )),
        }
    }

    fn str_opt(&self, key: &str) -> Result<Option<&'a str>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(err(self.key(key), format!("must be a string, got {v}"))),
        }
    }

    fn str_list(&self, key: &str) -> Result<Vec<String>, InputError> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| err(self.key(key), "must be a list of strings"))
                })
                .collect(),
            Some(_) => Err(err(self.key(key), "must be a list of strings")),
        }
    }

    fn list(&self, key: &str) -> Result<&'a [Value], InputError> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(_) => Err(err(self.key(key), "must be a list")),
        }
    }

    /// A list of finite numbers (`None` when absent).
    fn numbers(&self, key: &str) -> Result<Option<Vec<f64>>, InputError> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let not_numbers = || {
            err(
                self.key(key),
                format!("must be a list of finite numbers, got {v}"),
            )
        };
        v.as_array()
            .ok_or_else(not_numbers)?
            .iter()
            .map(|x| x.as_f64().filter(|x| x.is_finite()).ok_or_else(not_numbers))
            .collect::<Result<Vec<f64>, _>>()
            .map(Some)
    }

    fn child(&self, key: &str) -> Result<Option<Obj<'a>>, InputError> {
        self.get(key).map(|v| Obj::of(v, self.key(key))).transpose()
    }
}

/// The library entry of a list that is the default: no `type_variety` (or `"default"`), else the
/// first.
fn default_entry(entries: &[Value]) -> Option<(usize, &Value)> {
    entries
        .iter()
        .enumerate()
        .find(|(_, e)| {
            e.get("type_variety")
                .and_then(Value::as_str)
                .is_none_or(|t| t == "default")
        })
        .or_else(|| entries.iter().enumerate().next())
}

fn parse_json(text: &str) -> Result<Value, InputError> {
    serde_json::from_str(text).map_err(|e| err("", format!("not valid JSON: {e}")))
}

fn spectrum(si: &Obj) -> Result<Spectrum, InputError> {
    if let Some(values) = si.numbers("power_range_db")? {
        if values.len() != 3 {
            return Err(err(
                si.key("power_range_db"),
                "must be [start, stop, step] (dB)",
            ));
        }
        if values[0] != values[1] {
            return Err(err(
                si.key("power_range_db"),
                "a power sweep (start ≠ stop) is not supported: give one power (start = stop) and sweep with --power-dbm or `fibra batch`",
            ));
        }
    }
    let f_min_hz = si.f64_or("f_min", 191.35e12)?;
    let f_max_hz = si.f64_or("f_max", 196.1e12)?;
    si.in_range("f_min", f_min_hz, 150e12, 250e12)?;
    si.in_range("f_max", f_max_hz, f_min_hz, 250e12)?;
    let spacing_hz = si.f64_or("spacing", 50e9)?;
    si.in_range("spacing", spacing_hz, 1e9, 1e12)?;
    let baud_rate_hz = si.f64_or("baud_rate", 32e9)?;
    si.in_range("baud_rate", baud_rate_hz, 1e8, spacing_hz)?;
    let channels = ((f_max_hz - f_min_hz) / spacing_hz).floor() + 1.0;
    if channels > 2000.0 {
        return Err(err(
            si.key("spacing"),
            format!("{channels} channels between f_min and f_max; at most 2000 are allowed"),
        ));
    }
    let power_dbm = si.f64_or("power_dbm", 0.0)?;
    si.in_range("power_dbm", power_dbm, -60.0, 30.0)?;
    let tx_power_dbm = si.f64_opt("tx_power_dbm")?;
    if let Some(p) = tx_power_dbm {
        si.in_range("tx_power_dbm", p, -60.0, 30.0)?;
    }
    let tx_osnr_db = si.f64_or("tx_osnr", 45.0)?;
    si.in_range("tx_osnr", tx_osnr_db, 0.0, 200.0)?;
    Ok(Spectrum {
        f_min_hz,
        f_max_hz,
        baud_rate_hz,
        spacing_hz,
        power_dbm,
        tx_power_dbm,
        tx_osnr_db,
        use_si_channel_count_for_design: si.bool_or("use_si_channel_count_for_design", false)?,
    })
}

fn span_rules(span: &Obj) -> Result<SpanRules, InputError> {
    let delta_power_range_db = match span.numbers("delta_power_range_db")? {
        None => None,
        Some(values) => {
            if values.len() != 3 || values[0] > values[1] || values[2] < 0.0 {
                return Err(err(
                    span.key("delta_power_range_db"),
                    "must be [low, high, step] (dB) with low ≤ high and step ≥ 0",
                ));
            }
            Some([values[0], values[1], values[2]])
        }
    };
    let units_key = span.str_opt("length_units")?.unwrap_or("km");
    let max_length = span.f64_or("max_length", 150.0)?;
    let max_length_km = match units_key {
        "km" => max_length,
        "m" => units::m_to_km(max_length),
        other => {
            return Err(err(
                span.key("length_units"),
                format!("\"{other}\": allowed \"km\" or \"m\""),
            ))
        }
    };
    span.in_range("max_length", max_length_km, 1.0, 100_000.0)?;
    let padding_db = span.f64_or("padding", 10.0)?;
    span.in_range("padding", padding_db, 0.0, 60.0)?;
    let rule = |key: &str, default: f64, lo: f64, hi: f64| -> Result<f64, InputError> {
        let v = span.f64_or(key, default)?;
        span.in_range(key, v, lo, hi)
    };
    Ok(SpanRules {
        power_mode: span.bool_or("power_mode", true)?,
        delta_power_range_db,
        max_length_km,
        padding_db,
        eol_db: rule("EOL", 0.0, 0.0, 30.0)?,
        con_in_db: rule("con_in", 0.0, 0.0, 30.0)?,
        con_out_db: rule("con_out", 0.0, 0.0, 30.0)?,
        span_loss_ref_db: rule("span_loss_ref", 20.0, 0.0, 100.0)?,
        power_slope: rule("power_slope", 0.3, -10.0, 10.0)?,
        target_extended_gain_db: rule("target_extended_gain", 2.5, 0.0, 30.0)?,
        max_fiber_lineic_loss_for_raman_db_per_km: rule(
            "max_fiber_lineic_loss_for_raman",
            0.25,
            0.0,
            10.0,
        )?,
        voa_margin_db: rule("voa_margin", 1.0, 0.0, 30.0)?,
        voa_step_db: rule("voa_step", 0.5, 0.0, 30.0)?,
    })
}

/// What the library says of one amplifier entry, before dual stages are resolved.
enum AmpEntry {
    Stage(AmplifierType),
    Dual {
        base: AmplifierType,
        preamp: String,
        booster: String,
        key: String,
    },
}

fn amplifier_entry(e: &Obj, name: &str) -> Result<Result<AmpEntry, String>, InputError> {
    let type_def = e.str_opt("type_def")?.unwrap_or("variable_gain");
    let gain_min_db = e.f64_or("gain_min", 0.0)?;
    let gain_flatmax_db = e.f64_or("gain_flatmax", 0.0)?;
    let stage = |kind| NfStage {
        kind,
        gain_min_db,
        gain_flatmax_db,
    };
    let kind = match type_def {
        "fixed_gain" => NfKind::Fixed {
            nf0_db: e.f64_req("nf0")?,
        },
        "variable_gain" => {
            let nf_min = e.f64_req("nf_min")?;
            let nf_max = e.f64_req("nf_max")?;
            variable_gain_fit(gain_min_db, e.f64_req("gain_flatmax")?, nf_min, nf_max)
                .map_err(|m| err(e.key("nf_min"), m))?
        }
        "openroadm" => {
            let coef: Vec<f64> = e.numbers("nf_coef")?.unwrap_or_default();
            let nf_coef: [f64; 4] = coef.try_into().map_err(|_| {
                err(
                    e.key("nf_coef"),
                    "must be 4 numbers (a cubic, highest power first)",
                )
            })?;
            NfKind::OpenRoadm { nf_coef }
        }
        "openroadm_preamp" => NfKind::OpenRoadmPreamp,
        "openroadm_booster" => NfKind::Noiseless,
        "dual_stage" => NfKind::Noiseless,
        other => return Ok(Err(other.to_string())),
    };
    let (f_min_hz, f_max_hz) = (
        e.f64_or("f_min", DEFAULT_AMPLIFIER_BAND_HZ.0)?,
        e.f64_or("f_max", DEFAULT_AMPLIFIER_BAND_HZ.1)?,
    );
    let base = AmplifierType {
        name: name.to_string(),
        nf_model: NfModel::Single(stage(kind)),
        gain_flatmax_db,
        gain_min_db,
        p_max_dbm: e.f64_or("p_max", 0.0)?,
        f_min_hz,
        f_max_hz,
        allowed_for_design: e.bool_or("allowed_for_design", false)?,
        raman: e.bool_or("raman", false)?,
        out_voa_auto: e.bool_or("out_voa_auto", false)?,
        pmd_ps: units::s_to_ps(e.f64_or("pmd", 0.0)?),
    };
    if type_def == "dual_stage" {
        let need = |key: &str| {
            e.str_opt(key)?
                .map(str::to_string)
                .ok_or_else(|| err(e.key(key), "is required for a dual_stage amplifier"))
        };
        return Ok(Ok(AmpEntry::Dual {
            base,
            preamp: need("preamp_variety")?,
            booster: need("booster_variety")?,
            key: e.key("preamp_variety"),
        }));
    }
    if type_def != "openroadm_booster" && type_def != "openroadm_preamp" && type_def != "openroadm"
    {
        e.f64_req("p_max")?;
    }
    Ok(Ok(AmpEntry::Stage(base)))
}

/// Reads an equipment library (`eqpt_config.json`).
pub fn parse_equipment(text: &str) -> Result<Equipment, InputError> {
    let doc = parse_json(text)?;
    let root = Obj::of(&doc, "")?;
    let si_list = root.list("SI")?;
    if si_list.len() > 1 {
        return Err(err(
            "SI",
            "several SI entries (multiband) are not supported",
        ));
    }
    let spectrum = match default_entry(si_list) {
        Some((i, v)) => spectrum(&Obj::of(v, format!("SI[{i}]"))?)?,
        None => spectrum(&Obj::of(&Value::Object(Map::new()), "SI")?)?,
    };
    let span = match default_entry(root.list("Span")?) {
        Some((i, v)) => span_rules(&Obj::of(v, format!("Span[{i}]"))?)?,
        None => span_rules(&Obj::of(&Value::Object(Map::new()), "Span")?)?,
    };
    let mut fibers = BTreeMap::new();
    for (i, v) in root.list("Fiber")?.iter().enumerate() {
        let e = Obj::of(v, format!("Fiber[{i}]"))?;
        let name = e
            .str_opt("type_variety")?
            .ok_or_else(|| err(e.key("type_variety"), "is required"))?;
        fibers.insert(name.to_string(), fiber_type(&e)?);
    }
    let mut roadms = BTreeMap::new();
    let mut unsupported_roadms = BTreeMap::new();
    for (i, v) in root.list("Roadm")?.iter().enumerate() {
        let e = Obj::of(v, format!("Roadm[{i}]"))?;
        let name = e.str_opt("type_variety")?.unwrap_or("default").to_string();
        match roadm_type(&e)? {
            Ok(r) => {
                roadms.entry(name).or_insert(r);
            }
            Err(why) => {
                unsupported_roadms.entry(name).or_insert(why);
            }
        }
    }
    let mut entries = Vec::new();
    let mut unsupported = BTreeMap::new();
    for (i, v) in root.list("Edfa")?.iter().enumerate() {
        let e = Obj::of(v, format!("Edfa[{i}]"))?;
        let name = e
            .str_opt("type_variety")?
            .ok_or_else(|| err(e.key("type_variety"), "is required"))?;
        match amplifier_entry(&e, name)? {
            Ok(entry) => entries.push(entry),
            Err(type_def) => {
                unsupported.insert(name.to_string(), type_def);
            }
        }
    }
    let stages: HashMap<String, AmplifierType> = entries
        .iter()
        .filter_map(|e| match e {
            AmpEntry::Stage(a) => Some((a.name.clone(), a.clone())),
            AmpEntry::Dual { .. } => None,
        })
        .collect();
    let mut amplifiers = Vec::new();
    for entry in entries {
        amplifiers.push(match entry {
            AmpEntry::Stage(a) => a,
            AmpEntry::Dual {
                base,
                preamp,
                booster,
                key,
            } => {
                let stage_of = |name: &str| {
                    stages.get(name).ok_or_else(|| {
                        err(
                            key.clone(),
                            format!("\"{name}\" is not a single-stage amplifier of the library"),
                        )
                    })
                };
                let (pre, boo) = (stage_of(&preamp)?, stage_of(&booster)?);
                let (NfModel::Single(p), NfModel::Single(b)) = (pre.nf_model, boo.nf_model) else {
                    unreachable!("single stages")
                };
                if base.gain_min_db < pre.gain_min_db {
                    return Err(err(
                        key,
                        format!(
                            "dual stage {} has a minimum gain below its preamplifier's",
                            base.name
                        ),
                    ));
                }
                AmplifierType {
                    nf_model: NfModel::DualStage {
                        preamp: p,
                        booster: b,
                    },
                    gain_flatmax_db: pre.gain_flatmax_db + boo.gain_flatmax_db,
                    p_max_dbm: boo.p_max_dbm,
                    ..base
                }
            }
        });
    }
    Ok(Equipment {
        spectrum,
        span,
        fibers,
        amplifiers,
        roadms,
        unsupported_amplifiers: unsupported,
        unsupported_roadms,
    })
}

fn restrictions(e: &Obj) -> Result<Restrictions, InputError> {
    Ok(match e.child("restrictions")? {
        None => Restrictions::default(),
        Some(r) => Restrictions {
            preamp_variety_list: r.str_list("preamp_variety_list")?,
            booster_variety_list: r.str_list("booster_variety_list")?,
        },
    })
}

fn roadm_type(e: &Obj) -> Result<Result<RoadmType, String>, InputError> {
    if !e.list("roadm-path-impairments")?.is_empty() {
        return Ok(Err("roadm-path-impairments are not supported".to_string()));
    }
    let Some(target) = e.f64_opt("target_pch_out_db")? else {
        if e.has("target_psd_out_mWperGHz") || e.has("target_out_mWperSlotWidth") {
            return Ok(Err("PSD equalisation (target_psd_out_mWperGHz, target_out_mWperSlotWidth) is not supported".to_string()));
        }
        return Err(err(
            e.key("target_pch_out_db"),
            "is required (dBm per channel)",
        ));
    };
    e.in_range("target_pch_out_db", target, -60.0, 30.0)?;
    let add_drop = e.f64_or("add_drop_osnr", 100.0)?;
    e.in_range("add_drop_osnr", add_drop, 0.0, 200.0)?;
    Ok(Ok(RoadmType {
        target_pch_out_dbm: target,
        add_drop_osnr_db: add_drop,
        pmd_ps: units::s_to_ps(e.f64_or("pmd", 0.0)?),
        restrictions: restrictions(e)?,
    }))
}

fn fiber_type(e: &Obj) -> Result<FiberType, InputError> {
    for key in [
        "dispersion_slope",
        "dispersion_per_frequency",
        "loss_coef_ripple",
    ] {
        if e.has(key) {
            return Err(err(
                e.key(key),
                "is not supported (GNPy's constant-β2 model only)",
            ));
        }
    }
    let dispersion = e.f64_or("dispersion", 1.67e-5)?;
    let effective_area = match (e.f64_opt("effective_area")?, e.f64_opt("gamma")?) {
        (Some(a), _) => a,
        (None, Some(g)) => {
            e.in_range("gamma", g, 1e-6, 1.0)?;
            2.0 * std::f64::consts::PI * GNPY_N2_M2_PER_W / (1550e-9 * g)
        }
        (None, None) => 83e-12,
    };
    e.in_range("effective_area", effective_area, 1e-12, 1e-9)?;
    let pmd = e.f64_or("pmd_coef", 0.0)?;
    Ok(FiberType {
        dispersion_ps_nm_km: units::dispersion_s_per_m2_to_ps_nm_km(e.in_range(
            "dispersion",
            dispersion,
            -1e-3,
            1e-3,
        )?),
        effective_area_um2: units::m2_to_um2(effective_area),
        pmd_ps_per_sqrt_km: units::pmd_s_per_sqrt_m_to_ps_per_sqrt_km(
            e.in_range("pmd_coef", pmd, 0.0, 1e-12)?,
        ),
    })
}

/// Reads a topology against `equipment`.
pub fn parse_topology(text: &str, equipment: &Equipment) -> Result<Topology, InputError> {
    let doc = parse_json(text)?;
    let root = Obj::of(&doc, "")?;
    if root
        .map
        .keys()
        .any(|k| k.starts_with("gnpy-network-topology:"))
    {
        return Err(err(
            "gnpy-network-topology:topology",
            "the YANG format is not supported: convert it to GNPy's legacy JSON (gnpy-convert-yang)",
        ));
    }
    if !root.has("elements") {
        return Err(err(
            "elements",
            "is required (the list of network elements)",
        ));
    }
    let mut topology = Topology::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, v) in root.list("elements")?.iter().enumerate() {
        let e = Obj::of(v, format!("elements[{i}]"))?;
        let uid = e
            .str_opt("uid")?
            .ok_or_else(|| err(e.key("uid"), "is required"))?
            .to_string();
        let e = Obj::of(v, format!("elements[\"{uid}\"]"))?;
        if index.contains_key(&uid) {
            return Err(err(e.key("uid"), "appears twice"));
        }
        let node = element(&e, &uid, equipment)?;
        index.insert(uid, topology.nodes.len());
        topology.nodes.push(node);
    }
    for (i, v) in root.list("connections")?.iter().enumerate() {
        let c = Obj::of(v, format!("connections[{i}]"))?;
        let end = |key: &str| -> Result<usize, InputError> {
            let uid = c
                .str_opt(key)?
                .ok_or_else(|| err(c.key(key), "is required (an element uid)"))?;
            index.get(uid).copied().ok_or_else(|| {
                err(
                    c.key(key),
                    format!("\"{uid}\" is not an element of the topology (a dangling connection)"),
                )
            })
        };
        topology
            .connections
            .push((end("from_node")?, end("to_node")?));
    }
    Ok(topology)
}

fn element(e: &Obj, uid: &str, equipment: &Equipment) -> Result<Node, InputError> {
    let kind_name = e
        .str_opt("type")?
        .ok_or_else(|| err(e.key("type"), "is required"))?;
    let city = e
        .child("metadata")?
        .map(|m| m.child("location"))
        .transpose()?
        .flatten()
        .map(|l| l.str_opt("city").map(|c| c.map(str::to_string)))
        .transpose()?
        .flatten();
    let params = e.child("params")?;
    let type_variety = e.str_opt("type_variety")?.filter(|t| !t.is_empty());
    let kind = match kind_name {
        "Transceiver" => NodeKind::Transceiver,
        "Fused" => {
            let loss_db = match &params {
                Some(p) => p.f64_or("loss", 1.0)?,
                None => 1.0,
            };
            let key = e.key("params.loss");
            if !(0.0..=100.0).contains(&loss_db) {
                return Err(err(
                    key,
                    format!("{loss_db} is outside the allowed range [0, 100] dB"),
                ));
            }
            NodeKind::Fused { loss_db }
        }
        "Fiber" => NodeKind::Fiber(fiber(e, type_variety, params, equipment)?),
        "Edfa" => NodeKind::Edfa(edfa(e, type_variety, equipment)?),
        "Roadm" => NodeKind::Roadm(roadm(e, type_variety, params, equipment)?),
        "RamanFiber" | "Multiband_amplifier" => {
            return Err(err(
                e.key("type"),
                format!("{kind_name} is not supported (Raman and multiband are out of scope)"),
            ))
        }
        other => {
            return Err(err(
                e.key("type"),
                format!(
                "unknown element type \"{other}\": allowed Transceiver, Roadm, Fused, Fiber, Edfa"
            ),
            ))
        }
    };
    Ok(Node {
        uid: uid.to_string(),
        city,
        kind,
    })
}

fn fiber(
    e: &Obj,
    type_variety: Option<&str>,
    params: Option<Obj>,
    equipment: &Equipment,
) -> Result<FiberNode, InputError> {
    let name = type_variety.ok_or_else(|| err(e.key("type_variety"), "is required for a Fiber"))?;
    let library = equipment.fibers.get(name).ok_or_else(|| {
        err(
            e.key("type_variety"),
            format!("\"{name}\" is not in the equipment library's Fiber list"),
        )
    })?;
    let p = params.ok_or_else(|| {
        err(
            e.key("params"),
            "is required for a Fiber (length, length_units, loss_coef)",
        )
    })?;
    for key in [
        "lumped_losses",
        "dispersion_slope",
        "dispersion_per_frequency",
    ] {
        if p.has(key) {
            return Err(err(p.key(key), "is not supported"));
        }
    }
    let length = p.f64_req("length")?;
    let length_km = match p
        .str_opt("length_units")?
        .ok_or_else(|| err(p.key("length_units"), "is required (\"km\" or \"m\")"))?
    {
        "km" => length,
        "m" => units::m_to_km(length),
        other => {
            return Err(err(
                p.key("length_units"),
                format!("\"{other}\": allowed \"km\" or \"m\""),
            ))
        }
    };
    p.in_range("length", length_km, 1e-3, 40_000.0)?;
    let loss = match p.get("loss_coef") {
        None => return Err(err(p.key("loss_coef"), "is required (dB/km)")),
        Some(Value::Object(_)) => {
            return Err(err(
                p.key("loss_coef"),
                "a frequency-dependent loss is not supported: give one number (dB/km)",
            ))
        }
        Some(_) => p.f64_req("loss_coef")?,
    };
    p.in_range("loss_coef", loss, 0.0, 10.0)?;
    let connector = |key: &str| -> Result<Option<f64>, InputError> {
        p.f64_opt(key)?
            .map(|v| p.in_range(key, v, 0.0, 30.0))
            .transpose()
    };
    let mut dispersion = library.dispersion_ps_nm_km;
    if let Some(d) = p.f64_opt("dispersion")? {
        dispersion =
            units::dispersion_s_per_m2_to_ps_nm_km(p.in_range("dispersion", d, -1e-3, 1e-3)?);
    }
    let mut area = library.effective_area_um2;
    if let Some(a) = p.f64_opt("effective_area")? {
        area = units::m2_to_um2(p.in_range("effective_area", a, 1e-12, 1e-9)?);
    }
    let mut pmd = library.pmd_ps_per_sqrt_km;
    if let Some(c) = p.f64_opt("pmd_coef")?.filter(|c| *c != 0.0) {
        pmd = units::pmd_s_per_sqrt_m_to_ps_per_sqrt_km(p.in_range("pmd_coef", c, 0.0, 1e-12)?);
    }
    Ok(FiberNode {
        type_variety: name.to_string(),
        length_km,
        loss_db_per_km: loss,
        con_in_db: connector("con_in")?,
        con_out_db: connector("con_out")?,
        att_in_db: connector("att_in")?.unwrap_or(0.0),
        dispersion_ps_nm_km: dispersion,
        effective_area_um2: area,
        pmd_ps_per_sqrt_km: pmd,
    })
}

fn edfa(
    e: &Obj,
    type_variety: Option<&str>,
    equipment: &Equipment,
) -> Result<EdfaNode, InputError> {
    if let Some(name) = type_variety {
        if let Some(type_def) = equipment.unsupported_amplifiers.get(name) {
            return Err(err(
                e.key("type_variety"),
                format!("\"{name}\" is a {type_def} amplifier, which is not supported"),
            ));
        }
        if equipment.amplifier(name).is_none() {
            return Err(err(
                e.key("type_variety"),
                format!("\"{name}\" is not in the equipment library's Edfa list"),
            ));
        }
    }
    let op = e.child("operational")?;
    let value = |key: &str, lo: f64, hi: f64| -> Result<Option<f64>, InputError> {
        match &op {
            None => Ok(None),
            Some(o) => o
                .f64_opt(key)?
                .map(|v| o.in_range(key, v, lo, hi))
                .transpose(),
        }
    };
    if let Some(tilt) = value("tilt_target", -30.0, 30.0)? {
        if tilt != 0.0 {
            return Err(err(
                e.key("operational.tilt_target"),
                "a gain tilt is not supported (0 only)",
            ));
        }
    }
    Ok(EdfaNode {
        type_variety: type_variety.map(str::to_string),
        gain_target_db: value("gain_target", -10.0, 60.0)?,
        delta_p_db: value("delta_p", -30.0, 30.0)?,
        out_voa_db: value("out_voa", 0.0, 60.0)?,
        in_voa_db: value("in_voa", 0.0, 60.0)?,
        variety_list: e.str_list("variety_list")?,
    })
}

fn roadm(
    e: &Obj,
    type_variety: Option<&str>,
    params: Option<Obj>,
    equipment: &Equipment,
) -> Result<RoadmNode, InputError> {
    let name = type_variety.unwrap_or("default");
    if let Some(why) = equipment.unsupported_roadms.get(name) {
        return Err(err(
            e.key("type_variety"),
            format!("ROADM type \"{name}\": {why}"),
        ));
    }
    let library = equipment.roadms.get(name).ok_or_else(|| {
        err(
            e.key("type_variety"),
            format!("\"{name}\" is not in the equipment library's Roadm list"),
        )
    })?;
    let mut node = RoadmNode {
        target_pch_out_dbm: library.target_pch_out_dbm,
        per_degree_pch_out_dbm: BTreeMap::new(),
        add_drop_osnr_db: library.add_drop_osnr_db,
        pmd_ps: library.pmd_ps,
        restrictions: library.restrictions.clone(),
    };
    if let Some(p) = params {
        for key in [
            "target_psd_out_mWperGHz",
            "target_out_mWperSlotWidth",
            "per_degree_psd_out_mWperGHz",
            "per_degree_psd_out_mWperSlotWidth",
        ] {
            if p.has(key) {
                return Err(err(
                    p.key(key),
                    "PSD equalisation is not supported (target_pch_out_db only)",
                ));
            }
        }
        if let Some(t) = p.f64_opt("target_pch_out_db")? {
            node.target_pch_out_dbm = p.in_range("target_pch_out_db", t, -60.0, 30.0)?;
        }
        if let Some(degrees) = p.child("per_degree_pch_out_db")? {
            for (degree, v) in degrees.map {
                let t = v
                    .as_f64()
                    .filter(|t| t.is_finite())
                    .ok_or_else(|| err(degrees.key(degree), "must be a number (dBm)"))?;
                node.per_degree_pch_out_dbm
                    .insert(degree.clone(), degrees.in_range(degree, t, -60.0, 30.0)?);
            }
        }
        if let Some(r) = p.child("restrictions")? {
            let pre = r.str_list("preamp_variety_list")?;
            let boo = r.str_list("booster_variety_list")?;
            if !pre.is_empty() {
                node.restrictions.preamp_variety_list = pre;
            }
            if !boo.is_empty() {
                node.restrictions.booster_variety_list = boo;
            }
        }
        if let Some(a) = p.f64_opt("add_drop_osnr")? {
            node.add_drop_osnr_db = p.in_range("add_drop_osnr", a, 0.0, 200.0)?;
        }
    }
    Ok(node)
}

/// Reads an equipment library file.
pub fn read_equipment(path: &std::path::Path) -> Result<Equipment, InputError> {
    let text = super::read_input_text(path)?;
    parse_equipment(&text).map_err(|e| e.in_file(path.display().to_string()))
}

/// Reads a topology file against `equipment`.
pub fn read_topology(
    path: &std::path::Path,
    equipment: &Equipment,
) -> Result<Topology, InputError> {
    let text = super::read_input_text(path)?;
    parse_topology(&text, equipment).map_err(|e| e.in_file(path.display().to_string()))
}
