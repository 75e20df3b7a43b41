//! SWEEP.toml: the base file, `[vary]` and `[[case]]`; scenario `index` made on demand.

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

/// Most values one `{ from, to, step }` range may produce.
pub const MAX_RANGE_VALUES: usize = 1_000_000;

/// Most scenarios one sweep may hold (grid and cases together).
pub const MAX_SCENARIOS: usize = 10_000_000;

/// One scenario: values for some parameter paths.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Position in the full sweep (0-based).
    pub index: usize,
    /// Stable identifier: FNV-1a 64 of the canonical `path=value` list, hex; the second and later
    /// of several scenarios with equal settings add their rank among them (`;#k`) to the hashed
    /// text, so every scenario's id is unique.
    pub id: String,
    /// Parameter path and value.
    pub assignments: Vec<(String, Value)>,
}

impl Scenario {
    /// `path = value, …` in the order of the assignments.
    pub fn settings(&self) -> String {
        let pairs: Vec<String> = self
            .assignments
            .iter()
            .map(|(p, v)| format!("{p} = {}", value_text(v)))
            .collect();
        pairs.join(", ")
    }
}

/// A value's TOML text, as the `toml` crate writes it (`1.0`, `-0.0`, `0.001`, `"SSMF"`);
/// floats and integers without going through a TOML document, which is slow.
fn value_text(value: &Value) -> String {
    match value {
        Value::Float(f) if f.is_finite() => {
            if *f == 0.0 {
                if f.is_sign_negative() { "-0.0" } else { "0.0" }.to_string()
            } else if f % 1.0 == 0.0 {
                format!("{f}.0")
            } else {
                format!("{f}")
            }
        }
        Value::Integer(i) => i.to_string(),
        other => other.to_string(),
    }
}

/// The values of one `[vary]` axis: a list from the file, or a range generated on demand (so a
/// sweep's memory does not grow with its scenario count).
#[derive(Debug, Clone, PartialEq)]
enum Axis {
    /// Listed values, their texts, and each one's (rank among equal values before it, count of
    /// equal values).
    List(Vec<Value>, Vec<String>, Vec<(usize, usize)>),
    /// `from + k·step` for k in 0..count (distinct values: checked when read).
    Range { from: f64, step: f64, count: usize },
}

impl Axis {
    fn list(values: Vec<Value>) -> Self {
        let texts: Vec<String> = values.iter().map(value_text).collect();
        let multiplicity = texts
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let rank = texts[..k].iter().filter(|u| *u == t).count();
                (rank, texts.iter().filter(|u| *u == t).count())
            })
            .collect();
        Axis::List(values, texts, multiplicity)
    }

    fn len(&self) -> usize {
        match self {
            Axis::List(values, _, _) => values.len(),
            Axis::Range { count, .. } => *count,
        }
    }

    fn value(&self, k: usize) -> Value {
        match self {
            Axis::List(values, _, _) => values[k].clone(),
            Axis::Range { from, step, .. } => Value::Float(from + k as f64 * step),
        }
    }

    /// (rank of value `k` among the equal values before it, how many values equal it).
    fn multiplicity(&self, k: usize) -> (usize, usize) {
        match self {
            Axis::List(_, _, multiplicity) => multiplicity[k],
            Axis::Range { .. } => (0, 1),
        }
    }

    fn text(&self, k: usize) -> String {
        match self {
            Axis::List(_, texts, _) => texts[k].clone(),
            Axis::Range { .. } => value_text(&self.value(k)),
        }
    }

    /// How many of the axis' values have the text `text` (a range's values are distinct: 0 or 1,
    /// found from the value itself, not by listing the range).
    fn count_equal(&self, text: &str) -> usize {
        match self {
            Axis::List(_, texts, _) => texts.iter().filter(|t| *t == text).count(),
            Axis::Range { from, step, count } => {
                let Ok(value) = text.parse::<f64>() else {
                    return 0;
                };
                let k = ((value - from) / step).round();
                let near = (0.0..*count as f64).contains(&k);
                usize::from(near && self.text(k as usize) == text)
            }
        }
    }
}

/// A whole sweep: the base document and the rule that makes scenario `index` (grid points in
/// row-major order, last axis fastest, then the explicit cases). Scenarios are made on demand.
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
    /// Identifies the sweep and its base (FNV-1a 64 of their canonical TOML, hex): a result
    /// directory is resumed, and shards are merged, only under the same fingerprint.
    pub fingerprint: String,
    axes: Vec<(String, Axis)>,
    /// The axes in the order of their `path=` text (the canonical order of a grid point).
    canonical_order: Vec<usize>,
    cases: Vec<Vec<(String, Value)>>,
    /// For each case: how many scenarios before it have equal settings.
    case_rank: Vec<usize>,
    grid: usize,
}

impl Sweep {
    /// Number of scenarios.
    pub fn len(&self) -> usize {
        self.grid + self.cases.len()
    }

    /// Whether the sweep has no scenario (never, once read).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Scenario `index`, or `None` past the end.
    pub fn scenario(&self, index: usize) -> Option<Scenario> {
        let (assignments, id) = if index < self.grid {
            let mut rest = index;
            let mut digits = vec![0; self.axes.len()];
            for (slot, (_, axis)) in self.axes.iter().enumerate().rev() {
                digits[slot] = rest % axis.len();
                rest /= axis.len();
            }
            // Rank among equal grid points, in index order: the ranks per axis in mixed radix.
            let rank = self
                .axes
                .iter()
                .zip(&digits)
                .fold(0, |acc, ((_, axis), &d)| {
                    let (r, n) = axis.multiplicity(d);
                    acc * n + r
                });
            let assignments = self
                .axes
                .iter()
                .zip(&digits)
                .map(|((key, axis), &d)| (key.clone(), axis.value(d)))
                .collect();
            let pairs: Vec<String> = self
                .canonical_order
                .iter()
                .map(|&a| format!("{}={}", self.axes[a].0, self.axes[a].1.text(digits[a])))
                .collect();
            (assignments, hashed_id(pairs.join(";"), rank))
        } else {
            let c = index - self.grid;
            let case = self.cases.get(c)?;
            (case.clone(), hashed_id(canonical(case), self.case_rank[c]))
        };
        Some(Scenario {
            index,
            id,
            assignments,
        })
    }

    /// The scenarios of `shard` (all without one), in index order.
    pub fn scenarios(&self, shard: Option<Shard>) -> impl Iterator<Item = Scenario> + '_ {
        let (first, step) = shard.map_or((0, 1), |s| (s.index - 1, s.count));
        (first..self.len())
            .step_by(step)
            .filter_map(|index| self.scenario(index))
    }
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

/// `[signal]` keys only a SYSTEM.toml has.
const SYSTEM_SIGNAL_KEYS: [&str; 5] = [
    "roll_off",
    "symbols",
    "seed",
    "prbs_order",
    "samples_per_symbol",
];

/// The kind of a base file from its keys: a NETWORK has `nodes`/`links`; a SYSTEM has
/// `[receiver]`, `[propagation]` or `signal.modulation`; a ROUTE has `[[site]]`/`[constraints]`;
/// otherwise a LINK. `None` when it cannot be told: `signal.modulation` with `signal.nli_model`
/// (the budget formats' EGN keys) and nothing else of a SYSTEM.
fn kind_of(base: &Table) -> Option<BaseKind> {
    let signal = base.get("signal").and_then(Value::as_table);
    let has = |key: &str| signal.is_some_and(|s| s.contains_key(key));
    let system_only = base.contains_key("receiver")
        || base.contains_key("propagation")
        || SYSTEM_SIGNAL_KEYS.iter().any(|key| has(key));
    if base.contains_key("nodes") || base.contains_key("links") {
        Some(BaseKind::Network)
    } else if system_only {
        Some(BaseKind::System)
    } else if has("modulation") {
        (!has("nli_model")).then_some(BaseKind::System)
    } else if base.contains_key("site") || base.contains_key("constraints") {
        Some(BaseKind::Route)
    } else {
        Some(BaseKind::Link)
    }
}

/// The kind named by SWEEP.toml's `kind`.
fn kind_named(name: &str) -> Option<BaseKind> {
    match name {
        "link" => Some(BaseKind::Link),
        "route" => Some(BaseKind::Route),
        "network" => Some(BaseKind::Network),
        "system" => Some(BaseKind::System),
        _ => None,
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
fn axis_of(key: &str, value: &Value) -> Result<Axis, InputError> {
    let at = format!("vary.\"{key}\"");
    match value {
        Value::Array(items) if items.is_empty() => {
            Err(InputError::at(at, "an empty list: give at least one value"))
        }
        Value::Array(items) => Ok(Axis::list(items.clone())),
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
                return Err(InputError::at(format!("{at}.step"), format!("a step of {step:?} never goes from {from:?} to {to:?}: it must be non-zero with the sign of to − from")));
            }
            // In floating point first: (to − from)/step can be ∞ or beyond any integer.
            let values = ((to - from) / step + 1e-9).floor() + 1.0;
            // NaN (∞ − ∞) and ∞ are refused with the too-large counts.
            if values.is_nan() || values > MAX_RANGE_VALUES as f64 {
                let count = if values.is_finite() {
                    format!("{values:.0} values")
                } else {
                    "more values than a number can count".into()
                };
                return Err(InputError::at(
                    format!("{at}.step"),
                    format!(
                        "from {from:?} to {to:?} in steps of {step:?} is {count}: at most {MAX_RANGE_VALUES}"
                    ),
                ));
            }
            let axis = Axis::Range {
                from,
                step,
                count: values as usize,
            };
            // from + k·step is monotone in k; a step below the spacing of floats near `from`
            // would give equal values (two scenarios the same).
            if let Some(k) = (1..axis.len()).find(|&k| axis.value(k) == axis.value(k - 1)) {
                return Err(InputError::at(
                    format!("{at}.step"),
                    format!(
                        "a step of {step:?} is too small for values near {:?}: values {} and {k} are equal",
                        from + k as f64 * step,
                        k - 1
                    ),
                ));
            }
            Ok(axis)
        }
        _ => Err(InputError::at(
            at,
            "must be a list of values or a range { from, to, step }",
        )),
    }
}

/// FNV-1a, 64 bit (a stable hash for scenario identifiers and sweep fingerprints).
fn fnv1a(text: &str) -> u64 {
    fnv1a_bytes(text.as_bytes())
}

/// FNV-1a, 64 bit, of bytes.
fn fnv1a_bytes(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The canonical text of a scenario's settings: `path=value` pairs, sorted, `;`-joined.
fn canonical(assignments: &[(String, Value)]) -> String {
    let mut pairs: Vec<String> = assignments
        .iter()
        .map(|(p, v)| format!("{p}={}", value_text(v)))
        .collect();
    pairs.sort();
    pairs.join(";")
}

/// The id of the `rank`-th (0-based) scenario with the canonical settings `text`.
fn hashed_id(text: String, rank: usize) -> String {
    let text = if rank == 0 {
        text
    } else {
        format!("{text};#{rank}")
    };
    format!("{:016x}", fnv1a(&text))
}

/// How many grid points have exactly the settings of `case` (same paths, equal values).
fn grid_points_equal_to(case: &[(String, Value)], axes: &[(String, Axis)]) -> usize {
    if case.len() != axes.len() {
        return 0;
    }
    axes.iter()
        .map(|(key, axis)| {
            case.iter()
                .find(|(k, _)| k == key)
                .map_or(0, |(_, v)| axis.count_equal(&v.to_string()))
        })
        .product()
}

/// Reads SWEEP.toml and checks it: the base file, every path against the base's format, the
/// counts. Scenarios are made on demand ([`Sweep::scenario`]).
pub fn read_sweep(path: &Path) -> Result<Sweep, InputError> {
    let file = path.display().to_string();
    let text = read_input_text(path)?;
    let document = parse_document(&text).map_err(|e| e.in_file(&file))?;
    for key in document.keys() {
        if !["base", "kind", "vary", "case"].contains(&key.as_str()) {
            return Err(InputError::at(
                key.clone(),
                "unknown key (allowed here: base, kind, vary, case)",
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
    let kind = match document.get("kind") {
        None => kind_of(&base).ok_or_else(|| {
            InputError::at(
                "kind",
                "the base has signal.modulation and signal.nli_model and nothing else of a SYSTEM: say which it is with kind = \"link\", \"route\", \"network\" or \"system\"",
            )
            .in_file(&file)
        })?,
        Some(Value::String(name)) => kind_named(name).ok_or_else(|| {
            InputError::at(
                "kind",
                format!(
                    "unknown kind `{}` (allowed: link, route, network, system)",
                    quote_user_text(name)
                ),
            )
            .in_file(&file)
        })?,
        Some(_) => {
            return Err(InputError::at("kind", "must be a string: link, route, network or system")
                .in_file(&file))
        }
    };
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

    let mut axes: Vec<(String, Axis)> = Vec::new();
    match document.get("vary") {
        None => {}
        Some(Value::Table(vary)) => {
            for (key, value) in vary {
                axes.push((
                    key.clone(),
                    axis_of(key, value).map_err(|e| e.in_file(&file))?,
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

    // Every parameter path, with the first value it takes, resolved against the base's format.
    let mut parameters: Vec<(String, Value, String)> = axes
        .iter()
        .map(|(k, axis)| (k.clone(), axis.value(0), format!("vary.\"{k}\"")))
        .collect();
    for (i, case) in cases.iter().enumerate() {
        for (k, v) in case {
            if !parameters.iter().any(|(p, _, _)| p == k) {
                parameters.push((k.clone(), v.clone(), format!("case[{i}].\"{k}\"")));
            }
        }
    }
    for (parameter, value, location) in &parameters {
        resolve_path(kind, &base, &base_parent, parameter, value.clone()).map_err(|why| {
            InputError::at(
                location,
                format!(
                    "unknown parameter path `{}` for this {kind:?} file: {why}",
                    quote_user_text(parameter)
                ),
            )
            .in_file(&file)
        })?;
    }

    // Counted with checked arithmetic: four axes of 65,536 values overflow a u64.
    let grid = if axes.is_empty() {
        0
    } else {
        axes.iter()
            .try_fold(1usize, |n, (_, axis)| n.checked_mul(axis.len()))
            .unwrap_or(usize::MAX)
    };
    let total = grid.saturating_add(cases.len());
    if total > MAX_SCENARIOS {
        let sizes: Vec<String> = axes.iter().map(|(_, a)| a.len().to_string()).collect();
        let product: f64 = axes.iter().map(|(_, a)| a.len() as f64).product();
        return Err(InputError::at(
            "vary",
            format!(
                "{} axes of {} values make {} scenarios (and {} cases): at most {MAX_SCENARIOS}",
                sizes.len(),
                sizes.join(" × "),
                crate::display::format_number(product, 0),
                cases.len(),
            ),
        )
        .in_file(&file));
    }
    let case_rank = cases
        .iter()
        .enumerate()
        .map(|(c, case)| {
            let text = canonical(case);
            grid_points_equal_to(case, &axes)
                + cases[..c]
                    .iter()
                    .filter(|earlier| canonical(earlier) == text)
                    .count()
        })
        .collect();
    // A NETWORK base reads CSV files beside it: their bytes are part of what a resume must match.
    let mut companions = String::new();
    if kind == BaseKind::Network {
        if let Ok(input) = crate::io::network_file::network_from_table(&base, &base_parent) {
            for file in &input.files {
                let bytes = std::fs::read(file).unwrap_or_default();
                companions.push_str(&format!(
                    "\n{}:{:016x}",
                    file.file_name().unwrap_or_default().to_string_lossy(),
                    fnv1a_bytes(&bytes)
                ));
            }
        }
    }
    let fingerprint = format!(
        "{:016x}",
        fnv1a(&format!(
            "{kind:?}\n{}\n----\n{}{companions}",
            toml::to_string(&base).unwrap_or_default(),
            toml::to_string(&document).unwrap_or_default()
        ))
    );
    // `p=` texts sort the same whatever the values: paths are distinct, so two pairs differ
    // within the shorter path or at its `=`.
    let mut canonical_order: Vec<usize> = (0..axes.len()).collect();
    canonical_order.sort_by_key(|&a| format!("{}=", axes[a].0));
    Ok(Sweep {
        base_path,
        base,
        kind,
        parameters: parameters.into_iter().map(|(p, _, _)| p).collect(),
        fingerprint,
        axes,
        canonical_order,
        cases,
        case_rank,
        grid,
    })
}

/// Checks that `parameter` names a key of the base file's format: set to `value` in a copy of
/// the base, the format's reader must not call it, or a table on its way, unknown.
fn resolve_path(
    kind: BaseKind,
    base: &Table,
    base_dir: &Path,
    parameter: &str,
    value: Value,
) -> Result<(), String> {
    let mut copy = base.clone();
    set_path(&mut copy, parameter, value)
        .ok_or("it does not lead to a settable key of the base file")?;
    match validate(kind, &copy, base_dir) {
        Err(e)
            if e.message.starts_with("unknown key")
                && (e.key == parameter
                    || parameter.starts_with(&format!("{}.", e.key))
                    || parameter.starts_with(&format!("{}[", e.key))) =>
        {
            Err(e.message)
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_text_is_what_toml_writes() {
        let values = [
            Value::Float(1.0),
            Value::Float(-0.0),
            Value::Float(0.0),
            Value::Float(0.1 + 0.2),
            Value::Float(-2.5e-7),
            Value::Float(1e300),
            Value::Float(123456789.125),
            Value::Integer(-4),
            Value::String("SSMF".into()),
            Value::Boolean(true),
        ];
        for v in &values {
            assert_eq!(value_text(v), v.to_string(), "{v:?}");
        }
    }

    #[test]
    fn equal_settings_get_distinct_ids_by_rank() {
        let axes = vec![(
            "a".to_string(),
            Axis::list(vec![
                Value::Float(1.0),
                Value::Float(1.0),
                Value::Float(2.0),
            ]),
        )];
        assert_eq!(axes[0].1.multiplicity(0), (0, 2));
        assert_eq!(axes[0].1.multiplicity(1), (1, 2));
        assert_eq!(axes[0].1.multiplicity(2), (0, 1));
        let case = vec![("a".to_string(), Value::Float(1.0))];
        assert_eq!(grid_points_equal_to(&case, &axes), 2);
        // A range: found from the value, text for text (0.30000000000000004 is not 0.3).
        let range = Axis::Range {
            from: 0.0,
            step: 0.1,
            count: 1_000_000,
        };
        assert_eq!(range.count_equal(&range.text(3)), 1);
        assert_eq!(range.count_equal(&range.text(999_999)), 1);
        assert_eq!(range.count_equal("0.35"), 0);
        assert_eq!(range.count_equal("-0.1"), 0);
        assert_eq!(range.count_equal("\"SSMF\""), 0);
        assert_ne!(hashed_id("a=1.0".into(), 0), hashed_id("a=1.0".into(), 1));
    }
}
