//! The map of a designed network: Peru's outline, links along their waypoints coloured by their
//! worst OSNR margin, nodes by kind, a path and cuts highlighted, a colour bar and a scale bar.
//! Equirectangular projection scaled by cos(latitude): x = lon·cos(φ0), y = lat, so one unit is
//! 111.32 km in both directions around the map's middle latitude φ0.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::canvas::{save, Chart, PlotError, FONT, HEIGHT, WIDTH};
use crate::network::{LinkSummary, Network};

/// Peru's border (Natural Earth 1:50m, simplified; `assets/maps/README.md`).
const PERU_OUTLINE: &str = include_str!("../../assets/maps/peru-outline.csv");

/// Kilometres per degree of latitude (and of projected longitude).
const KM_PER_DEGREE: f64 = 111.32;

/// Margins over which link colours run from red to green, dB.
const MARGIN_SCALE_DB: (f64, f64) = (0.0, 10.0);

/// What to draw.
pub struct NetworkMap<'a> {
    /// The designed network.
    pub network: &'a Network,
    /// One summary per link of `network`, in order.
    pub links: &'a [LinkSummary],
    /// Title.
    pub title: String,
    /// Nodes of a path to highlight, in order.
    pub path: Vec<usize>,
    /// Links out of service (crossed out).
    pub cut: Vec<usize>,
}

/// Writes the map to `path` (PNG or SVG by extension).
pub fn write_network_map(map: &NetworkMap, path: &Path) -> Result<(), PlotError> {
    save(map, path)
}

/// The outline's points, `(lon, lat)`.
fn outline() -> Vec<(f64, f64)> {
    PERU_OUTLINE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("lon"))
        .filter_map(|l| {
            let (lon, lat) = l.split_once(',')?;
            Some((lon.trim().parse().ok()?, lat.trim().parse().ok()?))
        })
        .collect()
}

/// Colour of a margin: red at or below the scale's bottom (and for an infeasible link), through
/// orange and yellow to green at its top.
fn margin_colour(margin_db: Option<f64>, feasible: bool) -> RGBColor {
    let Some(m) = margin_db.filter(|_| feasible) else {
        return RGBColor(200, 0, 0);
    };
    let (lo, hi) = MARGIN_SCALE_DB;
    let t = ((m - lo) / (hi - lo)).clamp(0.0, 1.0);
    // Red (215, 48, 39) → yellow (254, 224, 139) → green (26, 152, 80).
    let mix = |a: f64, b: f64, u: f64| (a + (b - a) * u).round() as u8;
    if t < 0.5 {
        let u = t / 0.5;
        RGBColor(
            mix(215.0, 254.0, u),
            mix(48.0, 224.0, u),
            mix(39.0, 139.0, u),
        )
    } else {
        let u = (t - 0.5) / 0.5;
        RGBColor(
            mix(254.0, 26.0, u),
            mix(224.0, 152.0, u),
            mix(139.0, 80.0, u),
        )
    }
}

impl Chart for NetworkMap<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        let border = outline();
        let lats = border
            .iter()
            .map(|p| p.1)
            .chain(self.network.nodes.iter().map(|n| n.lat_deg));
        let (lat_lo, lat_hi) = lats.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        let scale = (0.5 * (lat_lo + lat_hi)).to_radians().cos();
        let project = |lat: f64, lon: f64| (lon * scale, lat);
        let xs = border
            .iter()
            .map(|p| p.0 * scale)
            .chain(self.network.nodes.iter().map(|n| n.lon_deg * scale));
        let (x_lo, x_hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        // Equal units on both axes: widen the narrower range to the plot area's aspect.
        let (plot_w, plot_h) = (f64::from(WIDTH) - 260.0, f64::from(HEIGHT) - 120.0);
        let (mut x_range, mut y_range) = ((x_lo - 0.5, x_hi + 0.5), (lat_lo - 0.5, lat_hi + 0.5));
        let (w, h) = (x_range.1 - x_range.0, y_range.1 - y_range.0);
        if w / h < plot_w / plot_h {
            let extra = (h * plot_w / plot_h - w) / 2.0;
            x_range = (x_range.0 - extra, x_range.1 + extra);
        } else {
            let extra = (w * plot_h / plot_w - h) / 2.0;
            y_range = (y_range.0 - extra, y_range.1 + extra);
        }
        let (map_area, side) = area.split_horizontally(WIDTH - 220);
        let mut chart = ChartBuilder::on(&map_area)
            .caption(&self.title, (FONT, 26))
            .margin(20)
            .build_cartesian_2d(x_range.0..x_range.1, y_range.0..y_range.1)
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(std::iter::once(Polygon::new(
                border
                    .iter()
                    .map(|&(lon, lat)| project(lat, lon))
                    .collect::<Vec<_>>(),
                RGBColor(242, 240, 232).filled(),
            )))
            .map_err(|e| e.to_string())?;
        let mut ring: Vec<(f64, f64)> =
            border.iter().map(|&(lon, lat)| project(lat, lon)).collect();
        ring.extend(ring.first().copied());
        chart
            .draw_series(LineSeries::new(
                ring,
                RGBColor(150, 150, 150).stroke_width(1),
            ))
            .map_err(|e| e.to_string())?;
        let trace = |k: usize| -> Vec<(f64, f64)> {
            self.network.links[k]
                .trace_deg
                .iter()
                .map(|&(lat, lon)| project(lat, lon))
                .collect()
        };
        // The path under the links, wide.
        for pair in self.path.windows(2) {
            let on_path =
                self.network.links.iter().position(|l| {
                    (l.a, l.b) == (pair[0], pair[1]) || (l.b, l.a) == (pair[0], pair[1])
                });
            if let Some(k) = on_path {
                chart
                    .draw_series(LineSeries::new(
                        trace(k),
                        RGBColor(0, 90, 200).stroke_width(10),
                    ))
                    .map_err(|e| e.to_string())?;
            }
        }
        for (k, summary) in self.links.iter().enumerate().take(self.network.links.len()) {
            let colour = margin_colour(summary.margin_db, summary.feasible);
            chart
                .draw_series(LineSeries::new(trace(k), colour.stroke_width(4)))
                .map_err(|e| e.to_string())?;
        }
        for &k in &self.cut {
            let points = trace(k);
            let Some(&(x, y)) = points.get(points.len() / 2) else {
                continue;
            };
            let d = 0.25;
            for (a, b) in [
                ((x - d, y - d), (x + d, y + d)),
                ((x - d, y + d), (x + d, y - d)),
            ] {
                chart
                    .draw_series(LineSeries::new([a, b], BLACK.stroke_width(4)))
                    .map_err(|e| e.to_string())?;
            }
        }
        for node in &self.network.nodes {
            let at = project(node.lat_deg, node.lon_deg);
            let style = if node.can_regenerate() {
                BLACK.filled()
            } else {
                RGBColor(110, 110, 110).filled()
            };
            chart
                .draw_series(std::iter::once(Circle::new(at, 5, style)))
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(std::iter::once(Text::new(
                    node.name.clone(),
                    (at.0 + 0.25, at.1 + 0.2),
                    (FONT, 14).into_font().color(&RGBColor(40, 40, 40)),
                )))
                .map_err(|e| e.to_string())?;
        }
        // Scale bar: 200 km at the bottom left.
        let km = 200.0;
        let (x0, y0) = (x_range.0 + 0.6, y_range.0 + 0.6);
        let x1 = x0 + km / KM_PER_DEGREE;
        chart
            .draw_series(LineSeries::new([(x0, y0), (x1, y0)], BLACK.stroke_width(3)))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(std::iter::once(Text::new(
                format!("{km:.0} km"),
                (x0, y0 + 0.35),
                (FONT, 15).into_font(),
            )))
            .map_err(|e| e.to_string())?;
        // Colour bar of the margin, and the legend.
        let (lo, hi) = MARGIN_SCALE_DB;
        let (bar_top, bar_bottom, bar_left) = (120, 520, 40);
        side.draw(&Text::new(
            "worst OSNR margin",
            (10, 70),
            (FONT, 17).into_font(),
        ))
        .map_err(err)?;
        side.draw(&Text::new("dB", (10, 92), (FONT, 17).into_font()))
            .map_err(err)?;
        let steps = 100;
        for s in 0..steps {
            let v = hi - (hi - lo) * s as f64 / steps as f64;
            let y = bar_top + (bar_bottom - bar_top) * s / steps;
            let y_next = bar_top + (bar_bottom - bar_top) * (s + 1) / steps;
            side.draw(&Rectangle::new(
                [(bar_left, y), (bar_left + 30, y_next)],
                margin_colour(Some(v), true).filled(),
            ))
            .map_err(err)?;
        }
        for tick in 0..=5 {
            let v = lo + (hi - lo) * f64::from(tick) / 5.0;
            let y = bar_bottom - (bar_bottom - bar_top) * tick / 5;
            side.draw(&Text::new(
                format!("{v:.0}"),
                (bar_left + 38, y - 8),
                (FONT, 15).into_font(),
            ))
            .map_err(err)?;
        }
        let legend = [
            ("infeasible link", RGBColor(200, 0, 0)),
            ("path", RGBColor(0, 90, 200)),
        ];
        for (i, (label, colour)) in legend.iter().enumerate() {
            let y = 570 + 28 * i as i32;
            side.draw(&Rectangle::new([(10, y), (40, y + 8)], colour.filled()))
                .map_err(err)?;
            side.draw(&Text::new(*label, (48, y - 5), (FONT, 15).into_font()))
                .map_err(err)?;
        }
        side.draw(&Text::new("X  cut link", (14, 630), (FONT, 15).into_font()))
            .map_err(err)?;
        side.draw(&Circle::new((20, 664), 5, BLACK.filled()))
            .map_err(err)?;
        side.draw(&Text::new("node", (48, 656), (FONT, 15).into_font()))
            .map_err(err)?;
        side.draw(&Circle::new((20, 690), 5, RGBColor(110, 110, 110).filled()))
            .map_err(err)?;
        side.draw(&Text::new("junction", (48, 682), (FONT, 15).into_font()))
            .map_err(err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outline_is_peru_and_colours_run_red_to_green() {
        let border = outline();
        assert_eq!(border.len(), 258);
        assert!(border
            .iter()
            .all(|&(lon, lat)| (-81.4..=-68.6).contains(&lon) && (-18.4..=0.0).contains(&lat)));
        assert_eq!(margin_colour(Some(-1.0), true), RGBColor(215, 48, 39));
        assert_eq!(margin_colour(Some(5.0), true), RGBColor(254, 224, 139));
        assert_eq!(margin_colour(Some(12.0), true), RGBColor(26, 152, 80));
        assert_eq!(margin_colour(Some(12.0), false), RGBColor(200, 0, 0));
        assert_eq!(margin_colour(None, true), RGBColor(200, 0, 0));
    }
}
