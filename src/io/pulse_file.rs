//! PULSE.toml: a pulse, a grid, a chain of fibre sections and a step rule for `fibra propagate`.

use std::path::{Path, PathBuf};

use super::error::InputError;
use super::input_file::read_input_text;
use super::step_rule::{read_precision, read_step_control, STEP_RULE_KEYS};
use super::toml_access::{parse_document, Range, Section};
use crate::display::{format_value, quote_user_text};
use crate::propagation::{FiberSection, Precision, StepControl};
use crate::signal::{Complex, PulseShape, SampledField, TimeGrid};
use crate::units;

/// Everything `fibra propagate` needs, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct PulseSetup {
    /// The sampling grid.
    pub grid: TimeGrid,
    /// The input pulse shape.
    pub shape: PulseShape,
    /// Peak power applied to the shape, W (`None` keeps a sampled field as it is).
    pub peak_power_w: Option<f64>,
    /// Fibre sections in order.
    pub sections: Vec<FiberSection>,
    /// Step rule.
    pub control: StepControl,
    /// The precision the field propagates in (`[solver] precision`).
    pub precision: Precision,
    /// Field snapshots along the fibre for the evolution maps (`[output] snapshots`); `None` when
    /// not given (the plots then use 64).
    pub snapshots: Option<usize>,
}

const LENGTH: Range = Range::above(0.0, 1e5, "km");
const ALPHA: Range = Range::closed(0.0, 10.0, "dB/km");
const BETA2: Range = Range::closed(-1e4, 1e4, "ps²/km");
const BETA3: Range = Range::closed(-1e3, 1e3, "ps³/km");
const GAMMA: Range = Range::closed(0.0, 1e4, "1/(W km)");
const DISPERSION: Range = Range::closed(-1e3, 1e3, "ps/(nm km)");
const WAVELENGTH: Range = Range::closed(800.0, 2500.0, "nm");

/// Reads and validates a PULSE.toml file (a `csv` pulse file is read relative to it).
pub fn read_pulse_setup(path: &Path) -> Result<PulseSetup, InputError> {
    let file = path.display().to_string();
    let text = read_input_text(path)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse_pulse_setup(&text, &base).map_err(|e| {
        if e.file.is_empty() {
            e.in_file(&file)
        } else {
            e
        }
    })
}

/// Parses PULSE.toml text; `base_dir` resolves a relative `pulse.file`.
pub fn parse_pulse_setup(text: &str, base_dir: &Path) -> Result<PulseSetup, InputError> {
    let document = parse_document(text)?;
    let root = Section::new(&document, "");
    root.deny_unknown(&["grid", "pulse", "fiber", "solver", "output"])?;

    let grid_table = root
        .table("grid")?
        .ok_or_else(|| InputError::at("grid", "missing table [grid] (samples, window_ps)"))?;
    let grid_section = Section::new(grid_table, "grid");
    grid_section.deny_unknown(&["samples", "window_ps"])?;
    let samples = grid_section.required_integer("samples", 16, 1 << 26)? as usize;
    let window_ps = grid_section.required_number("window_ps", Range::above(0.0, 1e9, "ps"))?;
    let grid = TimeGrid::from_window(samples, window_ps);

    let sections = read_sections(&root)?;
    let (shape, peak_power_w) = read_pulse(&root, &sections[0], base_dir)?;
    let (control, precision) = read_solver(&root, &sections)?;
    let snapshots = match root.table("output")? {
        Some(table) => {
            let output = Section::new(table, "output");
            output.deny_unknown(&["snapshots"])?;
            output.integer("snapshots", 1, 4096)?.map(|n| n as usize)
        }
        None => None,
    };
    Ok(PulseSetup {
        grid,
        shape,
        peak_power_w,
        sections,
        control,
        precision,
        snapshots,
    })
}

fn read_sections(root: &Section) -> Result<Vec<FiberSection>, InputError> {
    let tables: Vec<(&toml::Table, String)> = match document_fiber(root)? {
        FiberEntry::One(table) => vec![(table, "fiber".to_string())],
        FiberEntry::Many(tables) => tables
            .into_iter()
            .enumerate()
            .map(|(i, t)| (t, format!("fiber[{i}]")))
            .collect(),
    };
    if tables.is_empty() {
        return Err(InputError::at(
            "fiber",
            "at least one fibre section is required",
        ));
    }
    tables
        .iter()
        .map(|(table, path)| read_section(Section::new(table, path)))
        .collect()
}

enum FiberEntry<'a> {
    One(&'a toml::Table),
    Many(Vec<&'a toml::Table>),
}

fn document_fiber<'a>(root: &Section<'a>) -> Result<FiberEntry<'a>, InputError> {
    match root.table.get("fiber") {
        None => Err(InputError::at(
            "fiber",
            "missing: a [fiber] table or [[fiber]] sections",
        )),
        Some(toml::Value::Table(t)) => Ok(FiberEntry::One(t)),
        Some(toml::Value::Array(_)) => Ok(FiberEntry::Many(
            root.array_of_tables("fiber")?.unwrap_or_default(),
        )),
        Some(_) => Err(InputError::at(
            "fiber",
            "must be a [fiber] table or [[fiber]] sections",
        )),
    }
}

fn read_section(s: Section) -> Result<FiberSection, InputError> {
    s.deny_unknown(&[
        "length_km",
        "alpha_db_per_km",
        "beta2_ps2_per_km",
        "dispersion_ps_nm_km",
        "wavelength_nm",
        "beta3_ps3_per_km",
        "gamma_per_w_km",
        "amplifier_after",
    ])?;
    let beta2 = s.number("beta2_ps2_per_km", BETA2)?;
    let dispersion = s.number("dispersion_ps_nm_km", DISPERSION)?;
    let wavelength = s.number("wavelength_nm", WAVELENGTH)?;
    let beta2_ps2_per_km = match (beta2, dispersion) {
        (Some(_), Some(_)) => {
            return Err(InputError::at(
                s.key_path("dispersion_ps_nm_km"),
                "give either beta2_ps2_per_km or dispersion_ps_nm_km, not both",
            ))
        }
        (Some(b2), None) => {
            if wavelength.is_some() {
                return Err(InputError::at(
                    s.key_path("wavelength_nm"),
                    "only used with dispersion_ps_nm_km",
                ));
            }
            b2
        }
        (None, Some(d)) => units::dispersion_to_beta2_ps2_per_km(
            d,
            wavelength.unwrap_or(units::REFERENCE_WAVELENGTH_NM),
        ),
        (None, None) => {
            return Err(InputError::at(
                s.key_path("beta2_ps2_per_km"),
                "missing (give beta2_ps2_per_km, or dispersion_ps_nm_km with wavelength_nm)",
            ))
        }
    };
    Ok(FiberSection {
        length_km: s.required_number("length_km", LENGTH)?,
        alpha_db_per_km: s.required_number("alpha_db_per_km", ALPHA)?,
        beta2_ps2_per_km,
        beta3_ps3_per_km: s.number("beta3_ps3_per_km", BETA3)?.unwrap_or(0.0),
        gamma_per_w_km: s.required_number("gamma_per_w_km", GAMMA)?,
        amplifier_after: s.boolean("amplifier_after")?.unwrap_or(false),
    })
}

fn read_pulse(
    root: &Section,
    first: &FiberSection,
    base_dir: &Path,
) -> Result<(PulseShape, Option<f64>), InputError> {
    let table = root
        .table("pulse")?
        .ok_or_else(|| InputError::at("pulse", "missing table [pulse]"))?;
    let p = Section::new(table, "pulse");
    p.deny_unknown(&[
        "shape",
        "t0_ps",
        "peak_power_w",
        "soliton_order",
        "chirp",
        "order",
        "file",
    ])?;
    let shape_name = p.string("shape")?.ok_or_else(|| {
        InputError::at(
            "pulse.shape",
            "missing (gaussian | sech | super-gaussian | csv)",
        )
    })?;
    let peak = p.number("peak_power_w", Range::above(0.0, 1e9, "W"))?;
    let order_n = p.number("soliton_order", Range::above(0.0, 1e3, ""))?;
    if peak.is_some() && order_n.is_some() {
        return Err(InputError::at(
            "pulse.soliton_order",
            "give either peak_power_w or soliton_order, not both",
        ));
    }
    let chirp = p
        .number("chirp", Range::closed(-1e4, 1e4, ""))?
        .unwrap_or(0.0);
    if shape_name == "csv" {
        for key in ["t0_ps", "order", "chirp", "soliton_order"] {
            if p.table.contains_key(key) {
                return Err(InputError::at(
                    p.key_path(key),
                    "not used with shape = \"csv\"",
                ));
            }
        }
        let file = p.string("file")?.ok_or_else(|| {
            InputError::at(
                "pulse.file",
                "missing (the CSV with time_ps, power_w, phase_rad)",
            )
        })?;
        let path: PathBuf = base_dir.join(file);
        return Ok((PulseShape::Sampled(read_field_csv(&path)?), peak));
    }
    if p.table.contains_key("file") {
        return Err(InputError::at(
            "pulse.file",
            "only used with shape = \"csv\"",
        ));
    }
    let t0_ps = p.required_number("t0_ps", Range::above(0.0, 1e9, "ps"))?;
    let order = p.integer("order", 1, 50)?;
    let shape = match shape_name {
        "gaussian" => PulseShape::Gaussian { t0_ps, chirp },
        "sech" => PulseShape::Sech { t0_ps, chirp },
        "super-gaussian" => PulseShape::SuperGaussian {
            t0_ps,
            chirp,
            order: order.unwrap_or(1) as u32,
        },
        other => {
            return Err(InputError::at(
                "pulse.shape",
                format!(
                    "unknown shape `{}` (allowed: gaussian, sech, super-gaussian, csv)",
                    quote_user_text(other)
                ),
            ))
        }
    };
    if order.is_some() && shape_name != "super-gaussian" {
        return Err(InputError::at(
            "pulse.order",
            "only used with shape = \"super-gaussian\"",
        ));
    }
    let peak_power_w = match (peak, order_n) {
        (Some(p0), None) => p0,
        (None, Some(n)) => {
            if first.beta2_ps2_per_km == 0.0 || first.gamma_per_w_km == 0.0 {
                return Err(InputError::at(
                    "pulse.soliton_order",
                    "needs a first fibre section with beta2 ≠ 0 and gamma > 0",
                ));
            }
            // P0 = N²·|β2|/(γ·T0²) (Agrawal eq. 5.2.3).
            n * n * first.beta2_ps2_per_km.abs() / (first.gamma_per_w_km * t0_ps * t0_ps)
        }
        _ => {
            return Err(InputError::at(
                "pulse.peak_power_w",
                "missing (give peak_power_w or soliton_order)",
            ))
        }
    };
    Ok((shape, Some(peak_power_w)))
}

fn read_solver(
    root: &Section,
    sections: &[FiberSection],
) -> Result<(StepControl, Precision), InputError> {
    let table = root.table("solver")?.ok_or_else(|| {
        InputError::at(
            "solver",
            "missing table [solver] (step_km, max_phase_rad or tolerance)",
        )
    })?;
    let s = Section::new(table, "solver");
    s.deny_unknown(&STEP_RULE_KEYS)?;
    let shortest = sections
        .iter()
        .map(|f| f.length_km)
        .fold(f64::INFINITY, f64::min);
    let control = read_step_control(
        &s,
        (shortest, "the shortest fibre section"),
        shortest / 100.0,
    )?
    .ok_or_else(|| {
        InputError::at(
            "solver",
            "give one of step_km, max_phase_rad, tolerance (exactly one)",
        )
    })?;
    Ok((control, read_precision(&s, control)?))
}

/// Reads a field CSV with the header `time_ps,power_w,phase_rad` (what `--save-field` writes).
pub fn read_field_csv(path: &Path) -> Result<SampledField, InputError> {
    let file = path.display().to_string();
    let fail =
        |line: u64, message: String| InputError::at(format!("line {line}"), message).in_file(&file);
    let bytes = super::input_file::read_input_bytes(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| fail(1, e.to_string()))?
        .clone();
    let expected = ["time_ps", "power_w", "phase_rad"];
    if headers.iter().collect::<Vec<_>>() != expected {
        return Err(fail(
            1,
            format!("the header must be `{}`", expected.join(",")),
        ));
    }
    let mut times_ps = Vec::new();
    let mut field = Vec::new();
    for record in reader.records() {
        let record =
            record.map_err(|e| fail(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        let mut values = [0.0; 3];
        for (i, value) in values.iter_mut().enumerate() {
            let text = record.get(i).unwrap_or("");
            *value = text
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    fail(
                        line,
                        format!(
                            "column {}: `{}` is not a finite number",
                            expected[i],
                            quote_user_text(text)
                        ),
                    )
                })?;
        }
        let [t, p, phi] = values;
        if p < 0.0 {
            return Err(fail(
                line,
                format!("power_w must be ≥ 0 (got {})", format_value(p)),
            ));
        }
        if times_ps.last().is_some_and(|&last| t <= last) {
            return Err(fail(
                line,
                format!(
                    "time_ps must increase (got {t} after {})",
                    times_ps.last().unwrap()
                ),
            ));
        }
        times_ps.push(t);
        field.push(Complex::from_polar(p.sqrt(), phi));
    }
    if times_ps.len() < 2 {
        return Err(InputError::at("", "the field CSV needs at least two rows").in_file(&file));
    }
    Ok(SampledField { times_ps, field })
}
