//! `--plot DIR` and `--plot-format` shared by the commands that draw charts.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use fibra::plot::PlotFormat;

/// Chart file format on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    /// PNG bitmaps.
    Png,
    /// SVG vector graphics.
    Svg,
}

/// Plot options.
#[derive(Args)]
pub struct PlotArgs {
    /// Write the charts into this directory (created if needed).
    #[arg(long, value_name = "DIR")]
    pub plot: Option<PathBuf>,
    /// Chart format (with --plot).
    #[arg(long, value_enum, default_value_t = FormatArg::Png, requires = "plot")]
    pub plot_format: FormatArg,
}

impl PlotArgs {
    /// The chosen format.
    pub fn format(&self) -> PlotFormat {
        match self.plot_format {
            FormatArg::Png => PlotFormat::Png,
            FormatArg::Svg => PlotFormat::Svg,
        }
    }
}
