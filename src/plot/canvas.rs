//! Output formats, the embedded font, atomic writing and shared styling.

use std::path::{Path, PathBuf};

use crate::atomic_write::{OutputError, OutputSet};
use crate::display::{describe_io_error, quote_user_text};
use std::sync::Once;

use image::ImageEncoder;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Chart width, pixels.
pub const WIDTH: u32 = 1200;
/// Chart height, pixels.
pub const HEIGHT: u32 = 800;

/// The font family name the charts use (registered from the embedded TTF).
pub(crate) const FONT: &str = "sans-serif";

/// Why a chart could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The file extension is neither `.png` nor `.svg`.
    #[error("{0}: unsupported chart format (use a .png or .svg file name)")]
    UnsupportedFormat(PathBuf),
    /// Nothing to draw.
    #[error("cannot draw {0}: the data series is empty")]
    Empty(&'static str),
    /// A drawing or encoding error.
    #[error("drawing {path}: {message}")]
    Draw { path: PathBuf, message: String },
    /// Writing the file failed.
    #[error("cannot write chart {}: {}", quote_user_text(&path.display().to_string()), describe_io_error(source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Moving the finished charts into place failed.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// Chart file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlotFormat {
    /// Portable Network Graphics (bitmap).
    Png,
    /// Scalable Vector Graphics.
    Svg,
}

impl PlotFormat {
    /// The format named by `path`'s extension.
    pub fn of(path: &Path) -> Result<Self, PlotError> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("png") => Ok(PlotFormat::Png),
            Some("svg") => Ok(PlotFormat::Svg),
            _ => Err(PlotError::UnsupportedFormat(path.to_path_buf())),
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            PlotFormat::Png => "png",
            PlotFormat::Svg => "svg",
        }
    }
}

static FONT_ONCE: Once = Once::new();

fn register_font() {
    FONT_ONCE.call_once(|| {
        let bytes: &'static [u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
        plotters::style::register_font(FONT, FontStyle::Normal, bytes)
            .unwrap_or_else(|_| panic!("the embedded DejaVu Sans font is a valid TTF"));
    });
}

/// A chart: something that draws itself on any plotters backend.
pub(crate) trait Chart {
    /// Draws on `area` (already white).
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

/// Draws `chart` into `path` (PNG or SVG by extension), atomically: rendered to a temporary file
/// beside the target, then renamed.
pub(crate) fn save(chart: &impl Chart, path: &Path) -> Result<(), PlotError> {
    register_font();
    let format = PlotFormat::of(path)?;
    let draw_error = |message: String| PlotError::Draw {
        path: shown_path(path),
        message,
    };
    match format {
        PlotFormat::Png => {
            // Rendered in memory and encoded here, so that a failed write is an I/O error in
            // words (plotters' own file output reports nested debug structures).
            let mut rgb = vec![0u8; WIDTH as usize * HEIGHT as usize * 3];
            {
                let root =
                    BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
                root.fill(&WHITE).map_err(|e| draw_error(e.to_string()))?;
                chart.draw(&root).map_err(draw_error)?;
                root.present().map_err(|e| draw_error(e.to_string()))?;
            }
            let mut png = Vec::new();
            image::codecs::png::PngEncoder::new(&mut png)
                .write_image(&rgb, WIDTH, HEIGHT, image::ColorType::Rgb8)
                .map_err(|e| draw_error(e.to_string()))?;
            crate::atomic_write::write_atomically(path, &png).map_err(|e| shown(e.into()))
        }
        PlotFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
                root.fill(&WHITE).map_err(|e| draw_error(e.to_string()))?;
                chart.draw(&root).map_err(draw_error)?;
                root.present().map_err(|e| draw_error(e.to_string()))?;
            }
            crate::atomic_write::write_atomically(path, svg.as_bytes()).map_err(|e| shown(e.into()))
        }
    }
}

/// Series colours, distinguishable and print-friendly (Okabe–Ito).
pub(crate) const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
];

/// The path a message names for a chart: the final one, not its staging copy.
fn shown_path(path: &Path) -> PathBuf {
    let staged = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d.to_string_lossy().starts_with(STAGING_PREFIX));
    match (
        staged,
        path.parent().and_then(Path::parent),
        path.file_name(),
    ) {
        (true, Some(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

/// An output error about a staged chart, naming the final chart.
fn shown(error: PlotError) -> PlotError {
    match error {
        PlotError::Output(mut e) => {
            e.path = shown_path(&e.path);
            PlotError::Output(e)
        }
        other => other,
    }
}

/// The name of a chart set's staging directory starts with this.
const STAGING_PREFIX: &str = ".fibra-charts-";

/// The charts of one command, written all-or-nothing: each is rendered into a staging directory
/// inside the chart directory, and only when all are drawn are they moved into place (see
/// [`crate::atomic_write::OutputSet`]); charts of the same family and format that an earlier run
/// left and this run does not draw are removed. Dropped without a commit, the staging goes.
pub(crate) struct ChartSet {
    dir: PathBuf,
    staging: PathBuf,
    ext: &'static str,
    names: Vec<String>,
}

impl ChartSet {
    /// Creates `dir` (and its parents) if needed, and a staging directory inside it.
    pub(crate) fn new(dir: &Path, format: PlotFormat) -> Result<Self, PlotError> {
        let io = |source| PlotError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let staging = dir.join(format!("{STAGING_PREFIX}{}", std::process::id()));
        std::fs::create_dir_all(&staging).map_err(io)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            staging,
            ext: format.extension(),
            names: Vec::new(),
        })
    }

    /// Where to draw the chart `name` (in the staging directory).
    pub(crate) fn path(&mut self, name: &str) -> PathBuf {
        self.names.push(name.to_string());
        self.staging.join(format!("{name}.{}", self.ext))
    }

    /// Moves every chart into the chart directory; removes the charts `owned` by this family
    /// (by stem) that were not drawn. Returns the charts written.
    pub(crate) fn commit(self, owned: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>, PlotError> {
        let mut set = OutputSet::new();
        for name in &self.names {
            let staged = self.staging.join(format!("{name}.{}", self.ext));
            let bytes = std::fs::read(&staged).map_err(|source| PlotError::Io {
                path: staged.clone(),
                source,
            })?;
            set.add(&self.dir.join(format!("{name}.{}", self.ext)), bytes);
        }
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
                let ext_matches = path.extension().is_some_and(|e| e == self.ext);
                if let (Some(stem), true) = (stem, ext_matches) {
                    if owned(&stem) && !self.names.contains(&stem) {
                        set.remove_stale(&path);
                    }
                }
            }
        }
        Ok(set.commit()?)
    }
}

impl Drop for ChartSet {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

/// `[min, max]` of the values with a relative padding, never empty.
pub(crate) fn padded_range(
    values: impl Iterator<Item = f64>,
    padding: f64,
) -> std::ops::Range<f64> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return 0.0..1.0;
    }
    let span = (hi - lo).max(1e-9 * lo.abs().max(1.0)).max(1e-12);
    let pad = if hi > lo {
        span * padding
    } else {
        0.5 * lo.abs().max(1.0)
    };
    (lo - pad)..(hi + pad)
}

/// Caption font.
fn caption_style() -> TextStyle<'static> {
    (FONT, 28).into_font().into()
}

/// Configures a mesh with axis titles and readable labels.
pub(crate) fn draw_mesh<DB: DrawingBackend, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    x_desc: &str,
    y_desc: &str,
) -> Result<(), String>
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style((FONT, 22))
        .label_style((FONT, 17))
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(210, 210, 210))
        .draw()
        .map_err(|e| e.to_string())
}

/// Draws the legend box.
pub(crate) fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(160, 160, 160))
        .label_font((FONT, 18))
        .draw()
        .map_err(|e| e.to_string())
}

use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::CoordTranslate;

/// A 2-D chart context with f64 axes.
pub(crate) type Context<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws a labelled line, in separate pieces (e.g. one per transparent section), with a marker at
/// every point.
pub(crate) fn draw_marked_line<DB: DrawingBackend>(
    chart: &mut Context<'_, DB>,
    label: &str,
    pieces: &[Vec<(f64, f64)>],
    color: RGBColor,
    marker_radius: i32,
) -> Result<(), String> {
    for (k, piece) in pieces.iter().enumerate() {
        let series = chart
            .draw_series(LineSeries::new(
                piece.iter().copied(),
                color.stroke_width(3),
            ))
            .map_err(|e| e.to_string())?;
        if k == 0 {
            series.label(label).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
            });
        }
        chart
            .draw_series(
                piece
                    .iter()
                    .map(|&p| Circle::new(p, marker_radius, color.filled())),
            )
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// A chart with a title and f64 axes, the margins and label areas every chart uses.
pub(crate) fn cartesian<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    y_label_area: u32,
) -> Result<Context<'a, DB>, String> {
    ChartBuilder::on(area)
        .caption(title, caption_style())
        .margin(24)
        .x_label_area_size(70)
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(x, y)
        .map_err(|e| e.to_string())
}
