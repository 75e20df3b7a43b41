//! `fibra design ROUTE.toml`.

use std::path::{Path, PathBuf};

use clap::Args;
use fibra::atomic_write::{refuse_input, OutputSet};
use fibra::budget::NLI_CACHE_BYTES;
use fibra::design::{design_route, DesignResult};
use fibra::io::link_writer::link_to_toml;
use fibra::plot::{write_budget_charts, RouteSegment};
use fibra::resources::ResourceBudget;

use super::plot_args::PlotArgs;
use super::{budget_table, print_json, Failure};

/// Arguments of `fibra design`.
#[derive(Args)]
pub struct DesignArgs {
    /// The route with its candidate sites (ROUTE.toml).
    pub route: PathBuf,
    /// Print exactly one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
    /// Write the designed link(s) as LINK.toml: OUT.toml for one transparent section,
    /// OUT.1.toml, OUT.2.toml … for several.
    #[arg(long, value_name = "OUT.toml")]
    pub emit_link: Option<PathBuf>,
    #[command(flatten)]
    pub plot: PlotArgs,
}

/// Where section `k` of `count` is written.
fn emit_path(base: &Path, k: usize, count: usize) -> PathBuf {
    if count == 1 {
        return base.to_path_buf();
    }
    let stem = base
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    base.with_file_name(format!("{stem}.{}.toml", k + 1))
}

/// Files an earlier `--emit-link` with this base may have left: the base itself and
/// `{stem}.{K}.toml` beside it.
fn stale_sections(base: &Path) -> Vec<PathBuf> {
    let stem = base
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = base
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut stale = vec![base.to_path_buf()];
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let section = name
                .strip_prefix(&format!("{stem}."))
                .and_then(|rest| rest.strip_suffix(".toml"))
                .is_some_and(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()));
            if section {
                stale.push(base.with_file_name(name));
            }
        }
    }
    stale
}

/// Runs the command.
pub fn run(args: &DesignArgs, budget: &ResourceBudget) -> Result<(), Failure> {
    if let Some(base) = &args.emit_link {
        refuse_input(base, &[&args.route]).map_err(|e| Failure::BadInput(e.to_string()))?;
    }
    let route = fibra::io::read_route(&args.route)?;
    // The placement keeps about 300 B per candidate site; each section's budget as `budget`'s.
    let grid_channels = route.grid.channels as f64;
    budget.check_memory(
        300.0 * route.sites.len() as f64
            + (grid_channels * grid_channels * 8.0).min(NLI_CACHE_BYTES) * 2.0,
        format!(
            "{}: {} candidate sites (constraints.site_spacing_km), signal.channels = {}",
            args.route.display(),
            route.sites.len(),
            route.grid.channels
        ),
    )?;
    let design =
        design_route(&route).map_err(|e| Failure::Run(format!("{}: {e}", args.route.display())))?;
    let mut emitted = Vec::new();
    if let Some(base) = &args.emit_link {
        let mut set = OutputSet::new();
        set.protect_input(&args.route);
        for (k, section) in design.sections.iter().enumerate() {
            let path = emit_path(base, k, design.sections.len());
            set.add(&path, link_to_toml(&section.link).into_bytes());
        }
        for stale in stale_sections(base) {
            set.remove_stale(&stale);
        }
        for path in set.commit().map_err(|e| Failure::Run(e.to_string()))? {
            emitted.push(path.display().to_string());
        }
    }
    let mut charts = Vec::new();
    if let Some(dir) = &args.plot.plot {
        let segments: Vec<RouteSegment> = design
            .sections
            .iter()
            .map(|s| RouteSegment {
                offset_km: s.spans.first().map_or(0.0, |span| span.from_km),
                report: &s.budget,
            })
            .collect();
        let title = args.route.display().to_string();
        charts = write_budget_charts(&segments, &title, dir, args.plot.format())
            .map_err(|e| Failure::Run(e.to_string()))?;
    }
    if args.json {
        return print_json(&design.report(route.name.as_deref(), emitted));
    }
    say!(
        "{}",
        render(
            &args.route.display().to_string(),
            route.name.as_deref(),
            &design
        )
    );
    for path in emitted {
        sayln!("designed link written to {path}");
    }
    for chart in charts {
        sayln!("chart written to {}", chart.display());
    }
    Ok(())
}

fn render(source: &str, name: Option<&str>, design: &DesignResult) -> String {
    let mut out = format!(
        "fibra design — {} ({source})\n{} in-line amplifiers, {} regenerators, {} spans, Σ linear span loss {:.1}\n\n",
        name.unwrap_or("(unnamed route)"),
        design.amplifiers,
        design.regenerators,
        design.spans.len(),
        design.sum_linear_span_loss
    );
    out.push_str(&format!("{:<28} {:>10}  {}\n", "site", "km", "role"));
    for site in &design.sites {
        let role = serde_json::to_value(site.role)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        out.push_str(&format!("{:<28} {:>10.2}  {role}\n", site.name, site.km));
    }
    out.push_str(&format!(
        "\n{:<28} {:<28} {:>10} {:>9}\n",
        "span from", "to", "km", "loss dB"
    ));
    for span in &design.spans {
        out.push_str(&format!(
            "{:<28} {:<28} {:>10.2} {:>9.2}\n",
            span.from, span.to, span.length_km, span.loss_db
        ));
    }
    for (k, section) in design.sections.iter().enumerate() {
        out.push_str(&format!(
            "\n── transparent section {} of {} ──\n",
            k + 1,
            design.sections.len()
        ));
        out.push_str(&budget_table::render(source, &section.budget));
    }
    out
}
