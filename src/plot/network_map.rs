//! The map of a designed network: Peru's outline, links along their waypoints coloured by their
//! worst OSNR margin (hypothetical links dashed), nodes shaped by kind and sized by population, a
//! path and its regenerators, cuts and the places they cut off highlighted, a colour bar, a
//! legend and a scale bar.
//! Equirectangular projection scaled by cos(latitude): x = lon·cos(φ0), y = lat, so one unit is
//! 111.32 km in both directions around the map's middle latitude φ0.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::canvas::{save, Chart, PlotError, FONT, HEIGHT, WIDTH};
use crate::network::{LinkSummary, Network, Node, NodeKind};

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
    /// Regenerator nodes of that path.
    pub regenerators: Vec<usize>,
    /// Links out of service (crossed out).
    pub cut: Vec<usize>,
    /// Nodes the cut separates from the main network (ringed in red).
    pub cut_off: Vec<usize>,
}

/// Above this many nodes only regional capitals, international nodes and the nodes of a path or
/// a cut are labelled (the rest stay readable as markers).
const LABEL_ALL_BELOW: usize = 40;

/// Marker radius of a node, px: by population (area ∝ people: 3 px at 10,000, 14 px from 4.5
/// million), 5 px when unknown, 3 px for a junction.
fn marker_radius(node: &Node) -> i32 {
    if node.kind == NodeKind::Junction {
        return 3;
    }
    match node.population {
        Some(p) if p > 0.0 => (2.5 + 5.4 * (p / 1e6).sqrt()).clamp(3.0, 14.0).round() as i32,
        _ => 5,
    }
}

/// Fill colour of a node's marker by kind.
fn kind_colour(kind: NodeKind) -> RGBColor {
    match kind {
        NodeKind::RegionalCapital => RGBColor(20, 20, 20),
        NodeKind::ProvincialCapital => RGBColor(90, 90, 90),
        NodeKind::International => RGBColor(120, 40, 140),
        NodeKind::Junction => RGBColor(160, 160, 160),
        NodeKind::Node => BLACK,
    }
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
            if self.network.links[k].hypothetical {
                chart
                    .draw_series(DashedLineSeries::new(
                        trace(k),
                        8,
                        6,
                        colour.stroke_width(3),
                    ))
                    .map_err(|e| e.to_string())?;
            } else {
                chart
                    .draw_series(LineSeries::new(trace(k), colour.stroke_width(4)))
                    .map_err(|e| e.to_string())?;
            }
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
        let many = self.network.nodes.len() > LABEL_ALL_BELOW;
        let highlighted = |v: usize| {
            self.path.first() == Some(&v)
                || self.path.last() == Some(&v)
                || self.regenerators.contains(&v)
                || self.cut_off.contains(&v)
        };
        // Larger markers first, so small ones stay visible on top.
        let mut order: Vec<usize> = (0..self.network.nodes.len()).collect();
        order.sort_by_key(|&v| std::cmp::Reverse(marker_radius(&self.network.nodes[v])));
        for &v in &order {
            let node = &self.network.nodes[v];
            let at = project(node.lat_deg, node.lon_deg);
            let r = marker_radius(node);
            let colour = kind_colour(node.kind);
            let marker: DynElement<DB, (f64, f64)> =
                if node.kind == NodeKind::International || node.international {
                    TriangleMarker::new(at, r + 2, colour.filled()).into_dyn()
                } else if node.kind == NodeKind::Junction {
                    Circle::new(at, r, colour.stroke_width(2)).into_dyn()
                } else {
                    Circle::new(at, r, colour.filled()).into_dyn()
                };
            chart
                .draw_series(std::iter::once(marker))
                .map_err(|e| e.to_string())?;
            if self.regenerators.contains(&v) {
                chart
                    .draw_series(std::iter::once(Circle::new(
                        at,
                        r + 5,
                        RGBColor(0, 90, 200).stroke_width(3),
                    )))
                    .map_err(|e| e.to_string())?;
            }
            if self.cut_off.contains(&v) {
                chart
                    .draw_series(std::iter::once(Circle::new(
                        at,
                        r + 4,
                        RGBColor(200, 0, 0).stroke_width(2),
                    )))
                    .map_err(|e| e.to_string())?;
            }
        }
        // Labels, most important first (path and cut nodes, then by population), each to the
        // right of its marker or else to its left, skipped where it would cover another label.
        let mut labelled: Vec<usize> = (0..self.network.nodes.len())
            .filter(|&v| {
                !many
                    || highlighted(v)
                    || matches!(
                        self.network.nodes[v].kind,
                        NodeKind::RegionalCapital | NodeKind::International
                    )
                    || self.network.nodes[v].international
            })
            .collect();
        labelled.sort_by(|&x, &y| {
            let key = |v: usize| {
                (
                    highlighted(v),
                    self.network.nodes[v].population.unwrap_or(0.0),
                )
            };
            let (kx, ky) = (key(x), key(y));
            ky.0.cmp(&kx.0).then(ky.1.total_cmp(&kx.1))
        });
        let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
        for v in labelled {
            let node = &self.network.nodes[v];
            let size = if node.kind == NodeKind::RegionalCapital || !many {
                14
            } else {
                12
            };
            let (px, py) = chart.backend_coord(&project(node.lat_deg, node.lon_deg));
            let r = marker_radius(node) + 3;
            let width = (node.name.chars().count() as f64 * f64::from(size) * 0.58) as i32;
            // Right of the marker, above, below, left.
            let candidates = [
                (px + r, py - size / 2 - 2),
                (px - width / 2, py - r - size - 2),
                (px - width / 2, py + r),
                (px - r - width, py - size / 2 - 2),
            ];
            let free = candidates.into_iter().find(|&(x, y)| {
                placed
                    .iter()
                    .all(|&(a, b, c, d)| x + width < a || x > c || y + size < b || y > d)
            });
            // A small network names every node (to the right when nothing is free); a large one
            // leaves out a label that would cover another.
            let Some((x, y)) = free.or((!many).then_some(candidates[0])) else {
                continue;
            };
            placed.push((x, y, x + width, y + size));
            map_area
                .draw(&Text::new(
                    node.name.clone(),
                    (x, y),
                    (FONT, size).into_font().color(&RGBColor(30, 30, 30)),
                ))
                .map_err(err)?;
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
            let y = 545 + 22 * i as i32;
            side.draw(&Rectangle::new([(10, y), (40, y + 8)], colour.filled()))
                .map_err(err)?;
            side.draw(&Text::new(*label, (48, y - 5), (FONT, 15).into_font()))
                .map_err(err)?;
        }
        for x in [10, 24] {
            side.draw(&Rectangle::new(
                [(x, 591), (x + 10, 595)],
                RGBColor(120, 120, 120).filled(),
            ))
            .map_err(err)?;
        }
        side.draw(&Text::new(
            "hypothetical",
            (48, 584),
            (FONT, 15).into_font(),
        ))
        .map_err(err)?;
        side.draw(&Text::new("X  cut link", (14, 606), (FONT, 15).into_font()))
            .map_err(err)?;
        let kinds = [
            (NodeKind::RegionalCapital, "regional capital"),
            (NodeKind::ProvincialCapital, "provincial capital"),
            (NodeKind::International, "international"),
            (NodeKind::Junction, "junction"),
        ];
        for (i, (kind, label)) in kinds.iter().enumerate() {
            let y = 642 + 22 * i as i32;
            let colour = kind_colour(*kind);
            match kind {
                NodeKind::International => {
                    side.draw(&TriangleMarker::new((25, y), 7, colour.filled()))
                }
                NodeKind::Junction => side.draw(&Circle::new((25, y), 4, colour.stroke_width(2))),
                _ => side.draw(&Circle::new((25, y), 6, colour.filled())),
            }
            .map_err(err)?;
            side.draw(&Text::new(*label, (48, y - 8), (FONT, 15).into_font()))
                .map_err(err)?;
        }
        let y = 642 + 22 * kinds.len() as i32 - 4;
        side.draw(&Text::new(
            "size: population",
            (10, y),
            (FONT, 15).into_font(),
        ))
        .map_err(err)?;
        side.draw(&Circle::new(
            (20, y + 30),
            8,
            RGBColor(0, 90, 200).stroke_width(3),
        ))
        .map_err(err)?;
        side.draw(&Text::new(
            "regenerator",
            (48, y + 22),
            (FONT, 15).into_font(),
        ))
        .map_err(err)?;
        side.draw(&Circle::new(
            (20, y + 52),
            8,
            RGBColor(200, 0, 0).stroke_width(2),
        ))
        .map_err(err)?;
        side.draw(&Text::new("cut off", (48, y + 44), (FONT, 15).into_font()))
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
