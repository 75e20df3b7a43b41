//! Charts of a simulated link: the constellation (coherent) and the eye diagram (OOK) of the
//! received channel, and the optical spectra (launched and received comb).

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::canvas::PlotFormat;
use super::canvas::{
    cartesian, draw_legend, draw_mesh, padded_range, save, Chart, ChartSet, PlotError, PALETTE,
};
use crate::signal::{Complex, OpticalSpectrum};
use crate::system::SimulationOutcome;

/// At most this many points or traces are drawn (a readable chart, a small SVG).
const MAX_ITEMS: usize = 4000;

struct ConstellationChart<'a> {
    symbols: &'a [Complex],
    title: String,
}

impl Chart for ConstellationChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let extent = self
            .symbols
            .iter()
            .map(|s| s.re.abs().max(s.im.abs()))
            .fold(0.0, f64::max)
            .max(1e-12)
            * 1.1;
        let side = area.dim_in_pixel().1;
        let (square, _) = area.split_horizontally(side + 60);
        let mut chart = cartesian(&square, &self.title, -extent..extent, -extent..extent, 90)?;
        draw_mesh(
            &mut chart,
            "In-phase (normalised)",
            "Quadrature (normalised)",
        )?;
        let step = self.symbols.len().div_ceil(MAX_ITEMS).max(1);
        let colour = PALETTE[0].mix(0.5);
        chart
            .draw_series(
                self.symbols
                    .iter()
                    .step_by(step)
                    .map(|s| Circle::new((s.re, s.im), 2, colour.filled())),
            )
            .map_err(|e| e.to_string())?;
        Ok(())
    }
}

struct EyeChart<'a> {
    traces: &'a [Vec<f64>],
    title: String,
}

impl Chart for EyeChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let width = self.traces[0].len().max(2) - 1;
        let top = self
            .traces
            .iter()
            .flatten()
            .cloned()
            .fold(f64::NEG_INFINITY, f64::max);
        let bottom = self
            .traces
            .iter()
            .flatten()
            .cloned()
            .fold(f64::INFINITY, f64::min);
        let pad = 0.05 * (top - bottom).max(1e-12);
        let mut chart = cartesian(
            area,
            &self.title,
            -0.5..0.5,
            (bottom - pad)..(top + pad),
            110,
        )?;
        draw_mesh(
            &mut chart,
            "Time (symbol periods from the symbol centre)",
            "Photocurrent (A, responsivity 1 A/W)",
        )?;
        let step = self.traces.len().div_ceil(MAX_ITEMS / 8).max(1);
        let colour = PALETTE[0].mix(0.15);
        for trace in self.traces.iter().step_by(step) {
            let points = trace
                .iter()
                .enumerate()
                .map(|(j, v)| (j as f64 / width as f64 - 0.5, *v));
            chart
                .draw_series(LineSeries::new(points, colour.stroke_width(1)))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

/// Dynamic range shown below the strongest bin, dB.
const SPECTRUM_RANGE_DB: f64 = 50.0;

struct SpectrumChart<'a> {
    traces: &'a [(&'a str, &'a OpticalSpectrum)],
    center_thz: f64,
    title: String,
}

impl Chart for SpectrumChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let top = self
            .traces
            .iter()
            .flat_map(|(_, s)| s.power_dbm.iter().copied())
            .fold(f64::NEG_INFINITY, f64::max);
        let floor = top - SPECTRUM_RANGE_DB;
        let x = padded_range(
            self.traces
                .iter()
                .flat_map(|(_, s)| s.frequency_ghz.iter().copied()),
            0.0,
        );
        let mut chart = cartesian(area, &self.title, x, floor..top + 5.0, 90)?;
        let resolution = self.traces[0].1.resolution_ghz;
        draw_mesh(
            &mut chart,
            &format!("Frequency offset from {:.4} THz (GHz)", self.center_thz),
            &format!("Power (dBm per {resolution:.2} GHz)"),
        )?;
        for (i, (label, spectrum)) in self.traces.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let points = spectrum
                .frequency_ghz
                .iter()
                .zip(&spectrum.power_dbm)
                .map(|(f, p)| (*f, p.max(floor)));
            chart
                .draw_series(LineSeries::new(points, colour.stroke_width(2)))
                .map_err(|e| e.to_string())?
                .label(*label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3))
                });
        }
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}

/// Optical spectra as an optical spectrum analyser shows them (dBm per resolution bin, the last
/// 50 dB below the strongest bin), one line per `(label, spectrum)`.
pub fn optical_spectrum_chart(
    traces: &[(&str, &OpticalSpectrum)],
    center_thz: f64,
    title: &str,
    path: &Path,
) -> Result<(), PlotError> {
    if traces.is_empty() || traces.iter().any(|(_, s)| s.power_dbm.is_empty()) {
        return Err(PlotError::Empty("the optical spectrum"));
    }
    save(
        &SpectrumChart {
            traces,
            center_thz,
            title: format!("Optical spectrum — {title}"),
        },
        path,
    )
}

/// The received constellation (equalised symbols).
pub fn constellation_chart(symbols: &[Complex], title: &str, path: &Path) -> Result<(), PlotError> {
    if symbols.is_empty() {
        return Err(PlotError::Empty("the constellation"));
    }
    save(
        &ConstellationChart {
            symbols,
            title: format!("Constellation — {title}"),
        },
        path,
    )
}

/// The eye diagram of a direct-detected channel.
pub fn eye_chart(traces: &[Vec<f64>], title: &str, path: &Path) -> Result<(), PlotError> {
    if traces.is_empty() || traces[0].len() < 2 {
        return Err(PlotError::Empty("the eye diagram"));
    }
    save(
        &EyeChart {
            traces,
            title: format!("Eye diagram — {title}"),
        },
        path,
    )
}

/// Writes the charts of a simulation into `dir`: `constellation` (coherent) or `eye` (OOK) of the
/// channel at index `received`, and `spectrum` (launched and received comb). Returns the files
/// written.
pub fn write_simulation_charts(
    outcome: &SimulationOutcome,
    received: usize,
    center_thz: f64,
    title: &str,
    dir: &Path,
    format: PlotFormat,
) -> Result<Vec<PathBuf>, PlotError> {
    let Some((_, channel)) = outcome.channels.get(received) else {
        return Err(PlotError::Empty("the received channel"));
    };
    let mut set = ChartSet::new(dir, format)?;
    let channel_title = format!("{title}, channel {received}");
    if channel.eye.is_empty() {
        constellation_chart(
            &channel.constellation,
            &channel_title,
            &set.path("constellation"),
        )?;
    } else {
        eye_chart(&channel.eye, &channel_title, &set.path("eye"))?;
    }
    let path = set.path("spectrum");
    optical_spectrum_chart(
        &[
            ("launched", &outcome.launched_spectrum),
            ("received", &outcome.received_spectrum),
        ],
        center_thz,
        title,
        &path,
    )?;
    set.commit(|stem| ["constellation", "eye", "spectrum"].contains(&stem))
}
