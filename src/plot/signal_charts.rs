//! Charts of a simulated channel: the constellation (coherent) and the eye diagram (OOK).

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::canvas::{cartesian, draw_mesh, save, Chart, PlotError, PALETTE};
use crate::signal::Complex;

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
