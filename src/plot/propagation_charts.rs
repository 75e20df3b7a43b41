//! Charts of a pulse propagation: power in time, spectra, and evolution maps along the fibre.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::colors::colormaps::ViridisRGB;

use crate::propagation::Snapshots;
use crate::signal::{Complex, TimeGrid};

use super::canvas::{
    cartesian, draw_legend, draw_mesh, padded_range, save, Chart, ChartSet, PlotError, PlotFormat,
    FONT, PALETTE,
};

/// What the propagation charts show; filled by the caller from the solver's results.
#[derive(Debug, Clone, Default)]
pub struct PulseFigures {
    /// Sample times, ps, increasing.
    pub times_ps: Vec<f64>,
    /// |A|² at the input, W.
    pub input_power_w: Vec<f64>,
    /// |A|² at the output, W.
    pub output_power_w: Vec<f64>,
    /// Frequency offsets from the carrier, GHz, increasing (centred order).
    pub frequencies_ghz: Vec<f64>,
    /// Input power spectrum (linear, centred order).
    pub input_spectrum: Vec<f64>,
    /// Output power spectrum (linear, same scale, centred order).
    pub output_spectrum: Vec<f64>,
    /// Snapshot positions, km.
    pub snapshot_z_km: Vec<f64>,
    /// |A|² at each snapshot, W, time order.
    pub snapshot_power_w: Vec<Vec<f64>>,
    /// Power spectrum at each snapshot, centred order.
    pub snapshot_spectrum: Vec<Vec<f64>>,
}

impl PulseFigures {
    /// Collects the figures' data from a propagation: the grid, the input and output fields and
    /// their spectra (rustfft order), and the snapshots taken along the way.
    pub fn from_run(
        grid: &TimeGrid,
        input: &[Complex],
        input_spectrum: &[Complex],
        output: &[Complex],
        output_spectrum: &[Complex],
        snapshots: Option<&Snapshots>,
    ) -> Self {
        let order: Vec<usize> = (0..grid.samples).map(|i| grid.shifted_index(i)).collect();
        let centerd = |values: &[f64]| -> Vec<f64> { order.iter().map(|&k| values[k]).collect() };
        let power =
            |field: &[Complex]| -> Vec<f64> { field.iter().map(|a| a.norm_sqr()).collect() };
        Self {
            times_ps: grid.times_ps(),
            input_power_w: power(input),
            output_power_w: power(output),
            frequencies_ghz: centerd(&grid.frequencies_ghz()),
            input_spectrum: centerd(&power(input_spectrum)),
            output_spectrum: centerd(&power(output_spectrum)),
            snapshot_z_km: snapshots.map(|s| s.z_km.clone()).unwrap_or_default(),
            snapshot_power_w: snapshots.map(|s| s.power_w.clone()).unwrap_or_default(),
            snapshot_spectrum: snapshots
                .map(|s| s.spectrum.iter().map(|row| centerd(row)).collect())
                .unwrap_or_default(),
        }
    }
}

/// Index range where any of `series` exceeds `fraction` of the overall maximum, widened by 15 %.
fn support(series: &[&[f64]], fraction: f64) -> std::ops::Range<usize> {
    let n = series.iter().map(|s| s.len()).min().unwrap_or(0);
    let peaks: Vec<f64> = series
        .iter()
        .map(|s| s.iter().cloned().fold(0.0, f64::max))
        .collect();
    let above = |i: usize| {
        series
            .iter()
            .zip(&peaks)
            .any(|(s, peak)| s[i] > fraction * peak)
    };
    let (Some(first), Some(last)) = ((0..n).find(|&i| above(i)), (0..n).rev().find(|&i| above(i)))
    else {
        return 0..n;
    };
    let margin = ((last - first) as f64 * 0.15).ceil() as usize + 2;
    first.saturating_sub(margin)..(last + margin + 1).min(n)
}

struct PowerChart<'a> {
    fig: &'a PulseFigures,
    title: String,
    db: bool,
}

impl Chart for PowerChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let f = self.fig;
        let range = support(
            &[&f.input_power_w, &f.output_power_w],
            if self.db { 1e-6 } else { 1e-3 },
        );
        let to_y = |p: f64| {
            if self.db {
                10.0 * (p.max(1e-30) / 1e-3).log10()
            } else {
                p
            }
        };
        let series = |values: &[f64]| -> Vec<(f64, f64)> {
            range
                .clone()
                .map(|i| (f.times_ps[i], to_y(values[i])))
                .collect()
        };
        let input = series(&f.input_power_w);
        let output = series(&f.output_power_w);
        let x = padded_range(input.iter().map(|p| p.0), 0.0);
        let y = if self.db {
            let top = input
                .iter()
                .chain(&output)
                .map(|p| p.1)
                .fold(f64::NEG_INFINITY, f64::max);
            (top - 60.0)..(top + 5.0)
        } else {
            let top = input.iter().chain(&output).map(|p| p.1).fold(0.0, f64::max);
            0.0..(top * 1.08).max(1e-30)
        };
        let input_top = input.iter().map(|p| p.1).fold(0.0, f64::max);
        let output_top = output.iter().map(|p| p.1).fold(0.0, f64::max);
        if !self.db && (output_top < 0.3 * input_top || input_top < 0.3 * output_top) {
            return draw_on_two_axes(
                area,
                &self.title,
                x,
                (input, input_top),
                (output, output_top),
            );
        }
        let mut chart = cartesian(area, &self.title, x, y, 100)?;
        draw_mesh(
            &mut chart,
            "Time T, retarded frame (ps)",
            if self.db {
                "Power (dBm)"
            } else {
                "Power |A|² (W)"
            },
        )?;
        for (label, points, color) in [("input", input, PALETTE[0]), ("output", output, PALETTE[1])]
        {
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(3)))
                .map_err(|e| e.to_string())?
                .label(label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
                });
        }
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}

/// Input on the left axis and output on the right, when their peaks differ too much to share one
/// linear axis (e.g. after a span's loss).
fn draw_on_two_axes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    x: std::ops::Range<f64>,
    (input, input_top): (Vec<(f64, f64)>, f64),
    (output, output_top): (Vec<(f64, f64)>, f64),
) -> Result<(), String> {
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 28))
        .margin(24)
        .x_label_area_size(70)
        .y_label_area_size(100)
        .right_y_label_area_size(110)
        .build_cartesian_2d(x.clone(), 0.0..(input_top * 1.08).max(1e-30))
        .map_err(|e| e.to_string())?
        .set_secondary_coord(x, 0.0..(output_top * 1.08).max(1e-30));
    draw_mesh(
        &mut chart,
        "Time T, retarded frame (ps)",
        "Input power |A|² (W)",
    )?;
    chart
        .configure_secondary_axes()
        .y_desc("Output power |A|² (W)")
        .axis_desc_style((FONT, 22))
        .label_style((FONT, 17))
        .draw()
        .map_err(|e| e.to_string())?;
    let (blue, orange) = (PALETTE[0], PALETTE[1]);
    chart
        .draw_series(LineSeries::new(input, blue.stroke_width(3)))
        .map_err(|e| e.to_string())?
        .label("input (left axis)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], blue.stroke_width(3)));
    chart
        .draw_secondary_series(LineSeries::new(output, orange.stroke_width(3)))
        .map_err(|e| e.to_string())?
        .label("output (right axis)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], orange.stroke_width(3)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(160, 160, 160))
        .label_font((FONT, 18))
        .draw()
        .map_err(|e| e.to_string())
}

struct SpectraChart<'a> {
    fig: &'a PulseFigures,
    title: String,
}

impl Chart for SpectraChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let f = self.fig;
        let range = support(&[&f.input_spectrum, &f.output_spectrum], 1e-6);
        let reference = f
            .input_spectrum
            .iter()
            .chain(&f.output_spectrum)
            .cloned()
            .fold(0.0, f64::max)
            .max(1e-300);
        let series = |values: &[f64]| -> Vec<(f64, f64)> {
            range
                .clone()
                .map(|i| {
                    (
                        f.frequencies_ghz[i],
                        10.0 * (values[i].max(1e-300) / reference).log10(),
                    )
                })
                .collect()
        };
        let input = series(&f.input_spectrum);
        let output = series(&f.output_spectrum);
        let x = padded_range(input.iter().map(|p| p.0), 0.0);
        let mut chart = cartesian(area, &self.title, x, -70.0..5.0, 90)?;
        draw_mesh(
            &mut chart,
            "Frequency offset from the carrier (GHz)",
            "Power spectral density (dB, rel. to peak)",
        )?;
        for (label, points, color) in [("input", input, PALETTE[0]), ("output", output, PALETTE[1])]
        {
            chart
                .draw_series(LineSeries::new(
                    points.into_iter().map(|(x, y)| (x, y.max(-70.0))),
                    color.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?
                .label(label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
                });
        }
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}

/// A colour map of `rows` (one per snapshot) over `axis`, in dB relative to the overall peak,
/// clipped at `-range_db`; binned to at most `MAX_COLUMNS` columns.
struct MapChart<'a> {
    axis: &'a [f64],
    rows: &'a [Vec<f64>],
    z_km: &'a [f64],
    title: String,
    x_desc: &'static str,
    range_db: f64,
    support_fraction: f64,
    /// Normalise every row to its own peak (shape evolution) instead of the overall peak.
    per_row: bool,
}

const MAX_COLUMNS: usize = 300;

impl Chart for MapChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let refs: Vec<&[f64]> = self.rows.iter().map(Vec::as_slice).collect();
        let range = support(&refs, self.support_fraction);
        let peak = self
            .rows
            .iter()
            .flat_map(|r| r[range.clone()].iter())
            .cloned()
            .fold(0.0, f64::max)
            .max(1e-300);
        let columns = (range.end - range.start).clamp(1, MAX_COLUMNS);
        let per_column = (range.end - range.start) as f64 / columns as f64;
        let (main, bar) = area.split_horizontally(WIDTH_MAIN);
        let x0 = self.axis[range.start];
        let x1 = self.axis[range.end - 1].max(x0 + 1e-12);
        let z_max = self.z_km.last().copied().unwrap_or(1.0).max(1e-12);
        let mut chart = cartesian(&main, &self.title, x0..x1, 0.0..z_max, 90)?;
        // Each snapshot row covers from its z to the next one's.
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(self.x_desc)
            .y_desc("Distance z (km)")
            .axis_desc_style((FONT, 22))
            .label_style((FONT, 17))
            .draw()
            .map_err(|e| e.to_string())?;
        let mut cells = Vec::with_capacity(columns * self.rows.len());
        for (k, row) in self.rows.iter().enumerate() {
            let reference = if self.per_row {
                row[range.clone()]
                    .iter()
                    .cloned()
                    .fold(0.0, f64::max)
                    .max(1e-300)
            } else {
                peak
            };
            let z_low = self.z_km[k];
            let z_high = self.z_km.get(k + 1).copied().unwrap_or(z_max).max(z_low);
            if z_high <= z_low && k + 1 < self.rows.len() {
                continue;
            }
            for c in 0..columns {
                let a = range.start + (c as f64 * per_column) as usize;
                let b = (range.start + ((c + 1) as f64 * per_column) as usize)
                    .max(a + 1)
                    .min(range.end);
                let value = row[a..b].iter().cloned().fold(0.0, f64::max);
                let db = 10.0 * (value.max(1e-300) / reference).log10();
                let level = ((db + self.range_db) / self.range_db).clamp(0.0, 1.0);
                let colour: RGBColor = ViridisRGB.get_color(level as f32);
                let xa = self.axis[a];
                let xb = self.axis[(b).min(range.end - 1)].max(xa);
                cells.push(Rectangle::new(
                    [
                        (xa, z_low),
                        (
                            xb + (x1 - x0) / columns as f64 * 0.01,
                            z_high.max(z_low + z_max * 1e-3),
                        ),
                    ],
                    colour.filled(),
                ));
            }
        }
        chart.draw_series(cells).map_err(|e| e.to_string())?;
        // Colour bar, labelled in dB.
        let mut scale = ChartBuilder::on(&bar)
            .caption(
                if self.per_row {
                    "dB (rel. to each row's peak)"
                } else {
                    "dB (rel. to peak)"
                },
                (FONT, 15),
            )
            .margin_top(40)
            .margin_bottom(94)
            .margin_right(60)
            .y_label_area_size(50)
            .build_cartesian_2d(0.0..1.0, -self.range_db..0.0)
            .map_err(|e| e.to_string())?;
        let steps = 100;
        scale
            .draw_series((0..steps).map(|k| {
                let lo = -self.range_db + self.range_db * k as f64 / steps as f64;
                let hi = -self.range_db + self.range_db * (k + 1) as f64 / steps as f64;
                Rectangle::new(
                    [(0.0, lo), (1.0, hi)],
                    ViridisRGB.get_color(k as f32 / steps as f32).filled(),
                )
            }))
            .map_err(|e| e.to_string())?;
        scale
            .configure_mesh()
            .disable_x_mesh()
            .disable_y_mesh()
            .disable_x_axis()
            .label_style((FONT, 15))
            .draw()
            .map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// Width of the map itself; the colour bar takes the rest.
const WIDTH_MAIN: u32 = super::canvas::WIDTH - 150;

fn check(fig: &PulseFigures) -> Result<(), PlotError> {
    if fig.times_ps.is_empty()
        || fig.input_power_w.len() != fig.times_ps.len()
        || fig.output_power_w.len() != fig.times_ps.len()
    {
        return Err(PlotError::Empty("the pulse"));
    }
    Ok(())
}

fn check_snapshots(fig: &PulseFigures) -> Result<(), PlotError> {
    if fig.snapshot_z_km.is_empty() || fig.snapshot_power_w.len() != fig.snapshot_z_km.len() {
        return Err(PlotError::Empty("the evolution map (no snapshots)"));
    }
    Ok(())
}

/// Input and output power against time (linear in W, or in dBm when `db`).
pub fn pulse_power_chart(
    fig: &PulseFigures,
    title: &str,
    path: &Path,
    db: bool,
) -> Result<(), PlotError> {
    check(fig)?;
    save(
        &PowerChart {
            fig,
            title: format!("Pulse power — {title}"),
            db,
        },
        path,
    )
}

/// Input and output spectra in dB.
pub fn spectra_chart(fig: &PulseFigures, title: &str, path: &Path) -> Result<(), PlotError> {
    if fig.frequencies_ghz.is_empty() || fig.input_spectrum.len() != fig.frequencies_ghz.len() {
        return Err(PlotError::Empty("the spectrum"));
    }
    save(
        &SpectraChart {
            fig,
            title: format!("Spectra — {title}"),
        },
        path,
    )
}

/// |A(T)|² over time and distance, from the snapshots.
pub fn evolution_map_chart(fig: &PulseFigures, title: &str, path: &Path) -> Result<(), PlotError> {
    check_snapshots(fig)?;
    save(
        &MapChart {
            axis: &fig.times_ps,
            rows: &fig.snapshot_power_w,
            z_km: &fig.snapshot_z_km,
            title: format!("Temporal evolution |A(T, z)|² — {title}"),
            x_desc: "Time T (ps)",
            range_db: 40.0,
            support_fraction: 1e-4,
            per_row: false,
        },
        path,
    )
}

/// The power spectrum over frequency and distance, from the snapshots.
pub fn spectral_evolution_map_chart(
    fig: &PulseFigures,
    title: &str,
    path: &Path,
) -> Result<(), PlotError> {
    check_snapshots(fig)?;
    if fig.snapshot_spectrum.len() != fig.snapshot_z_km.len() {
        return Err(PlotError::Empty(
            "the spectral evolution map (no snapshots)",
        ));
    }
    save(
        &MapChart {
            axis: &fig.frequencies_ghz,
            rows: &fig.snapshot_spectrum,
            z_km: &fig.snapshot_z_km,
            title: format!("Spectral evolution — {title}"),
            x_desc: "Frequency offset (GHz)",
            range_db: 50.0,
            support_fraction: 1e-5,
            per_row: true,
        },
        path,
    )
}

/// Writes the propagation charts into `dir`: `pulse-power`, `pulse-power-db` (when `db`),
/// `spectra`, and, with snapshots, `evolution` and `spectral-evolution`.
pub fn write_propagation_charts(
    fig: &PulseFigures,
    title: &str,
    dir: &Path,
    format: PlotFormat,
    db: bool,
) -> Result<Vec<PathBuf>, PlotError> {
    let mut set = ChartSet::new(dir, format)?;
    pulse_power_chart(fig, title, &set.path("pulse-power"), false)?;
    if db {
        pulse_power_chart(fig, title, &set.path("pulse-power-db"), true)?;
    }
    spectra_chart(fig, title, &set.path("spectra"))?;
    if !fig.snapshot_z_km.is_empty() {
        evolution_map_chart(fig, title, &set.path("evolution"))?;
        spectral_evolution_map_chart(fig, title, &set.path("spectral-evolution"))?;
    }
    set.commit(|stem| {
        [
            "pulse-power",
            "pulse-power-db",
            "spectra",
            "evolution",
            "spectral-evolution",
        ]
        .contains(&stem)
    })
}
