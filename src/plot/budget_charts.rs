//! Charts of link budgets and designed routes.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::canvas::{
    cartesian, draw_legend, draw_marked_line, draw_mesh, padded_range, save, Chart, ChartSet,
    PlotError, PlotFormat, PALETTE,
};
use crate::budget::BudgetReport;

/// One transparent section of a route and where it starts along the route.
#[derive(Debug, Clone, Copy)]
pub struct RouteSegment<'a> {
    /// Route position of the section's first site, km.
    pub offset_km: f64,
    /// The section's budget.
    pub report: &'a BudgetReport,
}

fn check(segments: &[RouteSegment], what: &'static str) -> Result<(), PlotError> {
    if segments.is_empty() || segments.iter().any(|s| s.report.spans.is_empty()) {
        return Err(PlotError::Empty(what));
    }
    Ok(())
}

/// Span ends along the route: (km, span report) for every span of every segment.
fn span_ends<'a>(
    segments: &'a [RouteSegment<'a>],
) -> impl Iterator<Item = (f64, &'a crate::budget::SpanReport)> + 'a {
    segments.iter().flat_map(|segment| {
        let mut km = segment.offset_km;
        segment.report.spans.iter().map(move |span| {
            km += span.length_km;
            (km, span)
        })
    })
}

/// Route positions of regenerators (where one segment ends and the next begins).
fn regenerator_kms(segments: &[RouteSegment]) -> Vec<f64> {
    segments.iter().skip(1).map(|s| s.offset_km).collect()
}

struct PowerChart<'a> {
    segments: &'a [RouteSegment<'a>],
    title: String,
}

impl Chart for PowerChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        // Signal power of the centre channel: the launch power at each span input, the span loss
        // along the span, the amplifier gain at its end.
        let mut signal = Vec::new();
        let mut amplifiers = Vec::new();
        let mut totals = Vec::new();
        for segment in self.segments {
            let mut km = segment.offset_km;
            for span in &segment.report.spans {
                signal.push((km, span.launch_power_dbm));
                km += span.length_km;
                signal.push((km, span.launch_power_dbm - span.loss_db));
                signal.push((km, span.output_power_dbm));
                amplifiers.push((km, span.output_power_dbm));
                totals.push((km, span.amplifier_total_output_dbm));
            }
        }
        let x = padded_range(signal.iter().map(|p| p.0), 0.02);
        // Headroom above the amplifier outputs for the legend.
        let y = padded_range(signal.iter().chain(&totals).map(|p| p.1), 0.05);
        let y = y.start..(y.end + 0.45 * (y.end - y.start));
        let mut chart = cartesian(area, &self.title, x, y, 90)?;
        draw_mesh(&mut chart, "Distance along the route (km)", "Power (dBm)")?;
        let blue = PALETTE[0];
        chart
            .draw_series(LineSeries::new(signal, blue.stroke_width(3)))
            .map_err(|e| e.to_string())?
            .label("centre-channel signal power (dBm/ch)")
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], blue.stroke_width(3))
            });
        let orange = PALETTE[1];
        chart
            .draw_series(
                totals
                    .iter()
                    .map(|&p| TriangleMarker::new(p, 9, orange.filled())),
            )
            .map_err(|e| e.to_string())?
            .label("amplifier total output (dBm, all channels)")
            .legend(move |(x, y)| TriangleMarker::new((x + 12, y), 8, orange.filled()));
        let green = PALETTE[2];
        chart
            .draw_series(
                amplifiers
                    .iter()
                    .map(|&p| Circle::new(p, 6, green.filled())),
            )
            .map_err(|e| e.to_string())?
            .label("amplifier sites")
            .legend(move |(x, y)| Circle::new((x + 12, y), 6, green.filled()));
        draw_regenerators(&mut chart, self.segments)?;
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}

/// Vertical dashed lines at regenerators.
fn draw_regenerators<DB: DrawingBackend>(
    chart: &mut super::canvas::Context<'_, DB>,
    segments: &[RouteSegment],
) -> Result<(), String> {
    let regens = regenerator_kms(segments);
    if regens.is_empty() {
        return Ok(());
    }
    let y = chart.y_range();
    let red = RGBColor(200, 30, 30);
    for (k, km) in regens.iter().enumerate() {
        let series = chart
            .draw_series(DashedLineSeries::new(
                vec![(*km, y.start), (*km, y.end)],
                10,
                6,
                red.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?;
        if k == 0 {
            series.label("regenerator").legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], red.stroke_width(2))
            });
        }
    }
    Ok(())
}

struct OsnrChart<'a> {
    segments: &'a [RouteSegment<'a>],
    title: String,
}

impl Chart for OsnrChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        // One piece per transparent section: a regenerator starts the noise afresh.
        let pieces = |value: fn(&crate::budget::SpanReport) -> f64| -> Vec<Vec<(f64, f64)>> {
            self.segments
                .iter()
                .map(|segment| {
                    span_ends(std::slice::from_ref(segment))
                        .map(|(km, s)| (km, value(s)))
                        .collect()
                })
                .collect()
        };
        let osnr = pieces(|s| s.osnr_ase_db);
        let nli = pieces(|s| s.snr_nli_db);
        let gsnr = pieces(|s| s.gsnr_db);
        let all = || osnr.iter().chain(&nli).chain(&gsnr).flatten();
        let x = padded_range(std::iter::once(0.0).chain(all().map(|p| p.0)), 0.02);
        let y = padded_range(all().map(|p| p.1), 0.1);
        let y = y.start..(y.end + 0.3 * (y.end - y.start)); // headroom for the legend
        let mut chart = cartesian(area, &self.title, x, y, 90)?;
        draw_mesh(
            &mut chart,
            "Distance along the route (km)",
            "Centre channel (dB)",
        )?;
        draw_marked_line(&mut chart, "OSNR, ASE only (0.1 nm)", &osnr, PALETTE[0], 5)?;
        draw_marked_line(
            &mut chart,
            "SNR NLI (signal bandwidth)",
            &nli,
            PALETTE[2],
            5,
        )?;
        draw_marked_line(
            &mut chart,
            "GSNR, line (signal bandwidth)",
            &gsnr,
            PALETTE[1],
            5,
        )?;
        draw_regenerators(&mut chart, self.segments)?;
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}

struct DispersionChart<'a> {
    segments: &'a [RouteSegment<'a>],
    title: String,
}

impl Chart for DispersionChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let mut cd = Vec::new();
        for segment in self.segments {
            cd.push((segment.offset_km, 0.0));
            let mut km = segment.offset_km;
            for span in &segment.report.spans {
                km += span.length_km;
                cd.push((km, span.cd_ps_nm));
            }
        }
        let x = padded_range(cd.iter().map(|p| p.0), 0.02);
        let y = padded_range(cd.iter().map(|p| p.1).chain(std::iter::once(0.0)), 0.08);
        let mut chart = cartesian(area, &self.title, x, y, 110)?;
        draw_mesh(
            &mut chart,
            "Distance along the route (km)",
            "Accumulated chromatic dispersion (ps/nm)",
        )?;
        let blue = PALETTE[0];
        for segment_points in split_at_resets(&cd) {
            chart
                .draw_series(LineSeries::new(segment_points, blue.stroke_width(3)))
                .map_err(|e| e.to_string())?;
        }
        chart
            .draw_series(cd.iter().map(|&p| Circle::new(p, 5, blue.filled())))
            .map_err(|e| e.to_string())?
            .label("centre channel, at each amplifier")
            .legend(move |(x, y)| Circle::new((x + 12, y), 5, blue.filled()));
        draw_regenerators(&mut chart, self.segments)?;
        draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)
    }
}

/// Splits a polyline where the value drops back to zero (a regenerator resets the CD).
fn split_at_resets(points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut parts: Vec<Vec<(f64, f64)>> = Vec::new();
    for &p in points {
        if p.1 == 0.0 || parts.is_empty() {
            parts.push(Vec::new());
        }
        parts.last_mut().expect("just pushed").push(p);
    }
    parts
}

struct ChannelsChart<'a> {
    report: &'a BudgetReport,
    title: String,
}

impl Chart for ChannelsChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let ch = &self.report.channels;
        let osnr: Vec<(f64, f64)> = ch
            .iter()
            .map(|c| (c.frequency_thz, c.osnr_ase_db))
            .collect();
        let gsnr: Vec<(f64, f64)> = ch.iter().map(|c| (c.frequency_thz, c.gsnr_db)).collect();
        let gsnr01: Vec<(f64, f64)> = ch
            .iter()
            .map(|c| (c.frequency_thz, c.gsnr_01nm_db))
            .collect();
        let x = padded_range(osnr.iter().map(|p| p.0), 0.03);
        let y = padded_range(osnr.iter().chain(&gsnr).chain(&gsnr01).map(|p| p.1), 0.15);
        let mut chart = cartesian(area, &self.title, x, y, 90)?;
        draw_mesh(
            &mut chart,
            "Channel frequency (THz)",
            "At the receiver (dB)",
        )?;
        draw_marked_line(
            &mut chart,
            "OSNR, line ASE (0.1 nm)",
            &[osnr],
            PALETTE[0],
            3,
        )?;
        draw_marked_line(&mut chart, "GSNR (0.1 nm)", &[gsnr01], PALETTE[2], 3)?;
        draw_marked_line(
            &mut chart,
            "GSNR (signal bandwidth)",
            &[gsnr],
            PALETTE[1],
            3,
        )?;
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight)
    }
}

struct LaunchSweepChart<'a> {
    report: &'a BudgetReport,
    title: String,
}

impl Chart for LaunchSweepChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let sweep = self.report.launch_sweep.as_deref().unwrap_or_default();
        let points: Vec<(f64, f64)> = sweep
            .iter()
            .map(|p| (p.launch_power_dbm, p.gsnr_db))
            .collect();
        let x = padded_range(points.iter().map(|p| p.0), 0.03);
        let y = padded_range(points.iter().map(|p| p.1), 0.1);
        let mut chart = cartesian(area, &self.title, x, y.clone(), 90)?;
        draw_mesh(
            &mut chart,
            "Launch power per channel (dBm)",
            "Centre-channel GSNR, signal bandwidth (dB)",
        )?;
        let blue = PALETTE[0];
        chart
            .draw_series(LineSeries::new(
                points.iter().copied(),
                blue.stroke_width(3),
            ))
            .map_err(|e| e.to_string())?
            .label("GSNR vs launch power")
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], blue.stroke_width(3))
            });
        chart
            .draw_series(points.iter().map(|&p| Circle::new(p, 4, blue.filled())))
            .map_err(|e| e.to_string())?;
        if let Some(optimum) = self.report.optimum_launch_power_dbm {
            let red = RGBColor(200, 30, 30);
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(optimum, y.start), (optimum, y.end)],
                    10,
                    6,
                    red.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?
                .label(format!("optimum {optimum:.1} dBm/ch"))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], red.stroke_width(2))
                });
        }
        draw_legend(&mut chart, SeriesLabelPosition::LowerLeft)
    }
}

/// Per-channel power along the route (centre channel, amplifier sites and regenerators marked).
pub fn power_chart(segments: &[RouteSegment], title: &str, path: &Path) -> Result<(), PlotError> {
    check(segments, "the power profile")?;
    save(
        &PowerChart {
            segments,
            title: format!("Power along the route — {title}"),
        },
        path,
    )
}

/// OSNR, SNR_NLI and GSNR of the centre channel along the route.
pub fn osnr_chart(segments: &[RouteSegment], title: &str, path: &Path) -> Result<(), PlotError> {
    check(segments, "the OSNR profile")?;
    save(
        &OsnrChart {
            segments,
            title: format!("OSNR and GSNR along the route — {title}"),
        },
        path,
    )
}

/// Accumulated chromatic dispersion along the route.
pub fn dispersion_chart(
    segments: &[RouteSegment],
    title: &str,
    path: &Path,
) -> Result<(), PlotError> {
    check(segments, "the dispersion profile")?;
    save(
        &DispersionChart {
            segments,
            title: format!("Chromatic dispersion — {title}"),
        },
        path,
    )
}

/// OSNR and GSNR of every channel at the receiver.
pub fn channels_chart(report: &BudgetReport, title: &str, path: &Path) -> Result<(), PlotError> {
    if report.channels.is_empty() {
        return Err(PlotError::Empty("the channel plan"));
    }
    save(
        &ChannelsChart {
            report,
            title: format!("Per-channel OSNR and GSNR at the receiver — {title}"),
        },
        path,
    )
}

/// The launch-power sweep with its optimum.
pub fn launch_sweep_chart(
    report: &BudgetReport,
    title: &str,
    path: &Path,
) -> Result<(), PlotError> {
    if report.launch_sweep.as_ref().is_none_or(|s| s.is_empty()) {
        return Err(PlotError::Empty(
            "the launch-power sweep (run with --optimize-launch)",
        ));
    }
    save(
        &LaunchSweepChart {
            report,
            title: format!("Launch-power optimisation — {title}"),
        },
        path,
    )
}

/// Writes every budget chart into `dir` with stable names: `power`, `osnr`, `cd`, `channels`
/// (`channels-section-K` for K = 1, 2, … when there are several sections) and `launch-sweep`
/// (when a sweep ran, from the first section). Returns the files written.
pub fn write_budget_charts(
    segments: &[RouteSegment],
    title: &str,
    dir: &Path,
    format: PlotFormat,
) -> Result<Vec<PathBuf>, PlotError> {
    let mut set = ChartSet::new(dir, format)?;
    power_chart(segments, title, &set.path("power"))?;
    osnr_chart(segments, title, &set.path("osnr"))?;
    dispersion_chart(segments, title, &set.path("cd"))?;
    if segments.len() == 1 {
        channels_chart(segments[0].report, title, &set.path("channels"))?;
    } else {
        for (k, segment) in segments.iter().enumerate() {
            let name = format!("{title}, section {}", k + 1);
            channels_chart(
                segment.report,
                &name,
                &set.path(&format!("channels-section-{}", k + 1)),
            )?;
        }
    }
    if let Some(first) = segments.first() {
        if first.report.launch_sweep.is_some() {
            launch_sweep_chart(first.report, title, &set.path("launch-sweep"))?;
        }
    }
    set.commit(|stem| {
        ["power", "osnr", "cd", "channels", "launch-sweep"].contains(&stem)
            || stem
                .strip_prefix("channels-section-")
                .is_some_and(|k| k.parse::<usize>().is_ok())
    })
}
