//! SWEEP.toml: the base file, `[vary]` and `[[case]]`, expanded into scenarios.

use std::path::{Path, PathBuf};

use toml::{Table, Value};

use crate::display::quote_user_text;
use crate::io::{parse_document, read_input_text, InputError};

/// What the base file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseKind {
    /// A LINK.toml (budget).
    Link,
    /// A ROUTE.toml (design).
    Route,
    /// A NETWORK.toml (every link designed).
    Network,
    /// A SYSTEM.toml (waveform simulation, with the budget of the same link beside it).
    System,
}

/// One scenario: values for some parameter paths.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Position in the full sweep (0-based).
    pub index: usize,
    /// Stable identifier: FNV-1a 64 of the canonical `path=value` list, hex.
    pub id: String,
    /// Parameter path and value.
    pub assignments: Vec<(String, Value)>,
}

/// A whole sweep.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The base file.
    pub base_path: PathBuf,
    /// Its parsed content.
    pub base: Table,
    /// Its kind.
    pub kind: BaseKind,
    /// Every parameter path that any scenario sets, in column order.
    pub parameters: Vec<String>,
    /// All scenarios, in order.
    pub scenarios: Vec<Scenario>,
}

/// `--shard I/N`: the I-th (1-based) of N disjoint slices (scenario index mod N = I − 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based shard number.
    pub index: usize,
    /// Number of shards.
    pub count: usize,
}

impl Shard {
    /// Whether scenario `index` belongs to this shard.
    pub fn contains(&self, index: usize) -> bool {
        index % self.count == self.index - 1
    }
}

/// Parses `I/N` with 1 ≤ I ≤ N.
pub fn parse_shard(text: &str) -> Result<Shard, InputError> {
    let bad = || {
        InputError::at(
            "--shard",
            format!(
                "`{}`: expected I/N with 1 ≤ I ≤ N (e.g. 2/8)",
                quote_user_text(text)
            ),
        )
    };
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let (index, count): (usize, usize) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if index == 0 || count == 0 || index > count {
        return Err(bad());
    }
    Ok(Shard { index, count })
}

/// One step of a parameter path: a key, optionally indexed (`span[2]`).
fn steps(path: &str) -> Option<Vec<(&str, Option<usize>)>> {
    path.split('.')
        .map(|part| match part.split_once('[') {
            Some((key, rest)) => {
                let index = rest.strip_suffix(']')?.parse().ok()?;
                Some((key, Some(index)))
            }
            None => Some((part, None)),
        })
        .collect()
}

/// Sets `path` to `value` in `table`; `None` when the path does not lead to a settable key
/// (missing array entry, a value where a table is needed).
pub(crate) fn set_path(table: &mut Table, path: &str, value: Value) -> Option<()> {
    let steps = steps(path)?;
    let (last, parents) = steps.split_last()?;
    let mut current = table;
    for (key, index) in parents {
        let entry = current
            .entry(key.to_string())
            .or_insert_with(|| Value::Table(Table::new()));
        current = match (entry, index) {
            (Value::Table(t), None) => t,
            (Value::Array(items), Some(i)) => match items.get_mut(*i)? {
                Value::Table(t) => t,
                _ => return None,
            },
            _ => return None,
        };
    }
    match last {
        (key, None) => {
            current.insert(key.to_string(), value);
        }
        (key, Some(i)) => match current.get_mut(*key)? {
            Value::Array(items) => *items.get_mut(*i)? = value,
            _ => return None,
        },
    }
    Some(())
}

fn kind_of(base: &Table) -> BaseKind {
    let modulation = base
        .get("signal")
        .and_then(Value::as_table)
        .is_some_and(|signal| signal.contains_key("modulation"));
    if base.contains_key("nodes") || base.contains_key("links") {
        BaseKind::Network
    } else if modulation || base.contains_key("receiver") || base.contains_key("propagation") {
        BaseKind::System
    } else if base.contains_key("site") || base.contains_key("constraints") {
        BaseKind::Route
    } else {
        BaseKind::Link
    }
}

/// Checks a document against its kind's reader (links of a network are not designed here).
pub(crate) fn validate(
    kind: BaseKind,
    document: &Table,
    base_dir: &Path,
) -> Result<(), InputError> {
    match kind {
        BaseKind::Link => crate::io::link_from_table(document).map(|_| ()),
        BaseKind::Route => crate::io::route_from_table(document).map(|_| ()),
        BaseKind::System => crate::io::system_from_table(document).map(|_| ()),
        BaseKind::Network => {
            crate::io::network_file::network_from_table(document, base_dir).map(|_| ())
        }
    }
}

/// The values of one `[vary]` entry.
fn values_of(key: &str, value: &Value) -> Result<Vec<Value>, InputError> {
    let at = format!("vary.\"{key}\"");
    match value {
        Value::Array(items) if items.is_empty() => {
            Err(InputError::at(at, "an empty list: give at least one value"))
        }
        Value::Array(items) => Ok(items.clone()),
        Value::Table(range) => {
            let get = |k: &str| -> Result<f64, InputError> {
                match range.get(k) {
                    Some(Value::Float(x)) if x.is_finite() => Ok(*x),
                    Some(Value::Integer(i)) => Ok(*i as f64),
                    _ => Err(InputError::at(
                        format!("{at}.{k}"),
                        "missing or not a finite number (a range is { from, to, step })",
                    )),
                }
            };
            for k in range.keys() {
                if !["from", "to", "step"].contains(&k.as_str()) {
                    return Err(InputError::at(
                        format!("{at}.{k}"),
                        "unknown key (a range is { from, to, step })",
                    ));
                }
            }
            let (from, to, step) = (get("from")?, get("to")?, get("step")?);
            if step == 0.0 || (to - from) * step < 0.0 {
                return Err(InputError::at(format!("{at}.step"), format!("a step of {step} never goes from {from} to {to}: it must be non-zero with the sign of to − from")));
            }
            // In floating point first: (to − from)/step can be ∞ or beyond any integer.
            let values = ((to - from) / step + 1e-9).floor() + 1.0;
            let within = values <= 1_000_000.0;
            if !within {
                return Err(InputError::at(
                    format!("{at}.step"),
                    if values.is_finite() {
                        format!(
                            "{} values: at most 1,000,000",
                            crate::display::format_number(values, 0)
                        )
                    } else {
                        "more values than a number can count: at most 1,000,000".to_string()
                    },
                ));
            }
            Ok((0..values as usize)
                .map(|k| Value::Float(from + k as f64 * step))
                .collect())
        }
        _ => Err(InputError::at(
            at,
            "must be a list of values or a range { from, to, step }",
        )),
    }
}

/// FNV-1a, 64 bit (a stable hash for scenario identifiers).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

fn scenario_id(assignments: &[(String, Value)]) -> String {
    let mut canonical: Vec<String> = assignments
        .iter()
        .map(|(p, v)| format!("{p}={v}"))
        .collect();
    canonical.sort();
    format!("{:016x}", fnv1a(&canonical.join(";")))
}

/// Reads SWEEP.toml and expands it; the base file is read relative to it.
pub fn read_sweep(path: &Path) -> Result<Sweep, InputError> {
    let file = path.display().to_string();
    let text = read_input_text(path)?;
    let document = parse_document(&text).map_err(|e| e.in_file(&file))?;
    for key in document.keys() {
        if !["base", "vary", "case"].contains(&key.as_str()) {
            return Err(InputError::at(
                key.clone(),
                "unknown key (allowed here: base, vary, case)",
            )
            .in_file(&file));
        }
    }
    let base_name = match document.get("base") {
        Some(Value::String(s)) => s.clone(),
        _ => {
            return Err(InputError::at(
                "base",
                "missing: the LINK/ROUTE/NETWORK file to vary, relative to this file",
            )
            .in_file(&file))
        }
    };
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let base_path = base_dir.join(&base_name);
    let base_text = read_input_text(&base_path).map_err(|e| {
        InputError::at(
            "base",
            format!(
                "cannot read `{}`: {}",
                quote_user_text(&base_path.display().to_string()),
                e.message
            ),
        )
        .in_file(&file)
    })?;
    let base_file = base_path.display().to_string();
    let base = parse_document(&base_text).map_err(|e| e.in_file(&base_file))?;
    let kind = kind_of(&base);
    let base_parent = base_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    validate(kind, &base, &base_parent).map_err(|e| {
        if e.file.is_empty() {
            e.in_file(&base_file)
        } else {
            e
        }
    })?;

    let mut axes: Vec<(String, Vec<Value>)> = Vec::new();
    match document.get("vary") {
        None => {}
        Some(Value::Table(vary)) => {
            for (key, value) in vary {
                axes.push((
                    key.clone(),
                    values_of(key, value).map_err(|e| e.in_file(&file))?,
                ));
            }
        }
        Some(_) => {
            return Err(InputError::at("vary", "must be a table of parameter paths").in_file(&file))
        }
    }
    let mut cases: Vec<Vec<(String, Value)>> = Vec::new();
    match document.get("case") {
        None => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let Value::Table(t) = item else {
                    return Err(
                        InputError::at(format!("case[{i}]"), "must be a table").in_file(&file)
                    );
                };
                cases.push(t.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
            }
        }
        Some(_) => return Err(InputError::at("case", "must be [[case]] tables").in_file(&file)),
    }
    if axes.is_empty() && cases.is_empty() {
        return Err(InputError::at(
            "vary",
            "nothing to sweep: give [vary] entries or [[case]] tables",
        )
        .in_file(&file));
    }

    // Every parameter path must exist in the base file's format.
    let mut parameters: Vec<String> = axes.iter().map(|(k, _)| k.clone()).collect();
    for case in &cases {
        for (k, _) in case {
            if !parameters.contains(k) {
                parameters.push(k.clone());
            }
        }
    }
    for (i, parameter) in parameters.iter().enumerate() {
        let value = axes
            .iter()
            .find(|(k, _)| k == parameter)
            .map(|(_, v)| v[0].clone())
            .or_else(|| {
                cases
                    .iter()
                    .flatten()
                    .find(|(k, _)| k == parameter)
                    .map(|(_, v)| v.clone())
            })
            .expect("every parameter has a value");
        let location = if i < axes.len() {
            format!("vary.\"{parameter}\"")
        } else {
            format!("case: \"{parameter}\"")
        };
        let unknown = || {
            InputError::at(
                &location,
                format!(
                    "unknown parameter path `{}` for this {kind:?} file",
                    quote_user_text(parameter)
                ),
            )
            .in_file(&file)
        };
        let mut copy = base.clone();
        set_path(&mut copy, parameter, value).ok_or_else(unknown)?;
        if let Err(e) = validate(kind, &copy, &base_parent) {
            if e.key == *parameter && e.message.starts_with("unknown key") {
                return Err(unknown());
            }
        }
    }

    // Cartesian product (last axis fastest), then the explicit cases.
    let mut scenarios = Vec::new();
    // Counted in floating point: four axes of 65,536 values overflow a u64.
    let total_f: f64 = if axes.is_empty() {
        0.0
    } else {
        axes.iter().map(|(_, v)| v.len() as f64).product()
    };
    if total_f > 10_000_000.0 {
        return Err(InputError::at(
            "vary",
            format!(
                "{} scenarios: at most 10,000,000",
                crate::display::format_number(total_f, 0)
            ),
        )
        .in_file(&file));
    }
    let total = total_f as usize;
    for k in 0..total {
        let mut rest = k;
        let mut assignments = vec![(String::new(), Value::Boolean(false)); axes.len()];
        for (slot, (key, values)) in axes.iter().enumerate().rev() {
            assignments[slot] = (key.clone(), values[rest % values.len()].clone());
            rest /= values.len();
        }
        let id = scenario_id(&assignments);
        scenarios.push(Scenario {
            index: scenarios.len(),
            id,
            assignments,
        });
    }
    for case in cases {
        let id = scenario_id(&case);
        scenarios.push(Scenario {
            index: scenarios.len(),
            id,
            assignments: case,
        });
    }
    Ok(Sweep {
        base_path,
        base,
        kind,
        parameters,
        scenarios,
    })
}
