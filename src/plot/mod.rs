//! Charts from reports, with plotters and an embedded font (DejaVu Sans, no system libraries).
//! PNG or SVG is chosen by the file extension; every chart is 1200 × 800, with axis titles and
//! units, a title naming the input, and a legend when there is more than one series. Chart
//! functions take finished results and never recompute physics.

mod budget_charts;
mod canvas;
mod network_map;
mod propagation_charts;
mod signal_charts;

pub use budget_charts::{
    channels_chart, dispersion_chart, launch_sweep_chart, osnr_chart, power_chart,
    write_budget_charts, RouteSegment,
};
pub use canvas::{PlotError, PlotFormat, HEIGHT, WIDTH};
pub use network_map::{write_network_map, NetworkMap};
pub use propagation_charts::{
    evolution_map_chart, pulse_power_chart, spectra_chart, spectral_evolution_map_chart,
    write_propagation_charts, PulseFigures,
};
pub use signal_charts::{
    constellation_chart, eye_chart, optical_spectrum_chart, write_simulation_charts,
};
