//! `fibra gnpy path|matrix|export`: GNPy 3.0.1 networks designed and propagated as GNPy does,
//! and fibra links as GNPy files.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand};
use fibra::atomic_write::OutputSet;
use fibra::budget::NliCache;
use fibra::gnpy::{
    all_pairs, constrained_path, design_network, find_transceiver, path_as_link, propagate_path,
    ChannelResult, DesignedNetwork, Equipment, NodeKind, PathResult, MAX_CANDIDATE_PATHS,
    MAX_PAIRS,
};
use fibra::io::gnpy_export::{export_link, to_gnpy_json};
use fibra::io::gnpy_import::{read_equipment, read_topology};
use fibra::io::link_writer::link_to_toml_by;
use fibra::plot::{write_budget_charts, RouteSegment};

use super::plot_args::PlotArgs;
use super::{print_json, progress, Failure};

/// The GNPy interoperability commands.
#[derive(Args)]
pub struct GnpyArgs {
    #[command(subcommand)]
    pub command: GnpyCommand,
}

/// What to do with GNPy files.
#[derive(Subcommand)]
pub enum GnpyCommand {
    /// Design a GNPy network as GNPy 3.0.1 does and propagate the path between two transceivers
    /// (what `gnpy-transmission-example` computes).
    Path(PathArgs),
    /// Design a GNPy network once and propagate the path of every ordered pair of transceivers.
    Matrix(MatrixArgs),
    /// Write a LINK.toml as GNPy topology and equipment files (DIR/topology.json,
    /// DIR/eqpt_config.json) for `gnpy-transmission-example`.
    Export(ExportArgs),
}

/// The network files and the reference power.
#[derive(Args)]
pub struct NetworkArgs {
    /// GNPy topology (legacy JSON).
    pub topology: PathBuf,
    /// GNPy equipment library (eqpt_config.json).
    #[arg(long)]
    pub equipment: PathBuf,
    /// Reference power per channel into the spans, dBm (GNPy's `-po`; default SI.power_dbm).
    #[arg(long, allow_negative_numbers = true)]
    pub power_dbm: Option<f64>,
    /// Design in gain mode whatever the equipment's `Span.power_mode` says (the topology's
    /// `gain_target`s are kept).
    #[arg(long)]
    pub gain_mode: bool,
}

/// `fibra gnpy path`.
#[derive(Args)]
pub struct PathArgs {
    #[command(flatten)]
    pub network: NetworkArgs,
    /// Source: a transceiver uid, or a city with exactly one transceiver.
    #[arg(long)]
    pub from: String,
    /// Destination: a transceiver uid, or a city with exactly one transceiver.
    #[arg(long)]
    pub to: String,
    /// ROADMs the path must pass, in order (repeat the flag; GNPy's `-p "A|B"`).
    #[arg(long)]
    pub through: Vec<String>,
    /// Print one JSON document instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Write the designed path as a LINK.toml that `fibra budget` reproduces.
    #[arg(long, value_name = "OUT.toml")]
    pub emit_link: Option<PathBuf>,
    #[command(flatten)]
    pub plot: PlotArgs,
}

/// `fibra gnpy matrix`.
#[derive(Args)]
pub struct MatrixArgs {
    #[command(flatten)]
    pub network: NetworkArgs,
    /// CSV file to write, one row per ordered pair.
    #[arg(long)]
    pub out: PathBuf,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    pub json: bool,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// `fibra gnpy export`.
#[derive(Args)]
pub struct ExportArgs {
    /// The link description (LINK.toml).
    pub link: PathBuf,
    /// Directory to write topology.json and eqpt_config.json into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
}

/// Runs the command.
pub fn run(args: &GnpyArgs) -> Result<(), Failure> {
    match &args.command {
        GnpyCommand::Path(path) => run_path(path),
        GnpyCommand::Matrix(matrix) => run_matrix(matrix),
        GnpyCommand::Export(export) => run_export(export),
    }
}

/// Reads and designs the network.
fn designed(args: &NetworkArgs) -> Result<(DesignedNetwork, Equipment), Failure> {
    let mut equipment = read_equipment(&args.equipment)?;
    if args.gain_mode {
        equipment.span.power_mode = false;
    }
    let topology = read_topology(&args.topology, &equipment)?;
    let power = match args.power_dbm {
        Some(p) if !(-60.0..=30.0).contains(&p) => {
            return Err(Failure::BadInput(format!(
                "--power-dbm: {p} is outside the allowed range [-60, 30] dBm"
            )))
        }
        Some(p) => p,
        None => equipment.spectrum.power_dbm,
    };
    let net = design_network(&topology, &equipment, power)
        .map_err(|e| Failure::BadInput(format!("{}: {e}", args.topology.display())))?;
    Ok((net, equipment))
}

fn endpoint(
    net: &DesignedNetwork,
    flag: &str,
    name: &str,
    topology: &Path,
) -> Result<usize, Failure> {
    find_transceiver(net, name).map_err(|candidates| {
        Failure::BadInput(format!(
            "{}: {flag} \"{name}\" is not a transceiver uid nor the city of exactly one transceiver; candidates: {}",
            topology.display(),
            candidates.join(", ")
        ))
    })
}

fn run_path(args: &PathArgs) -> Result<(), Failure> {
    let start = Instant::now();
    let (net, equipment) = designed(&args.network)?;
    let topology = &args.network.topology;
    let source = endpoint(&net, "--from", &args.from, topology)?;
    let destination = endpoint(&net, "--to", &args.to, topology)?;
    let mut through = Vec::new();
    for name in &args.through {
        let found = net
            .indices()
            .into_iter()
            .find(|&i| net.nodes[i].node.uid == *name && matches!(net.kind(i), NodeKind::Roadm(_)));
        through.push(found.ok_or_else(|| {
            Failure::BadInput(format!(
                "{}: --through \"{name}\" is not a ROADM uid",
                topology.display()
            ))
        })?);
    }
    let path = constrained_path(&net, source, destination, &through).ok_or_else(|| {
        Failure::Run(format!(
            "{}: no path from {} to {}{}",
            topology.display(),
            args.from,
            args.to,
            if through.is_empty() {
                String::new()
            } else {
                format!(" through {}", args.through.join(", "))
            }
        ))
    })?;
    if !path.shortest {
        eprintln!(
            "warning: no path through {} among the shortest candidates searched (at most {MAX_CANDIDATE_PATHS}); this one joins the segments, each avoiding the elements before it (not proven the shortest)",
            args.through.join(", ")
        );
    }
    let result = propagate_path(&net, &path.elements, &equipment, &mut NliCache::new())
        .map_err(|e| Failure::BadInput(format!("{}: {e}", topology.display())))?;
    let elapsed_ms = start.elapsed().as_secs_f64() * 1e3;
    for warning in &net.warnings {
        eprintln!("warning: {warning}");
    }
    let title = format!("{} → {}", result.source, result.destination);
    let mut written = Vec::new();
    if let Some(dir) = &args.plot.plot {
        let segments = [RouteSegment {
            offset_km: 0.0,
            report: &result.budget,
        }];
        written = write_budget_charts(&segments, &title, dir, args.plot.format())
            .map_err(|e| Failure::Run(e.to_string()))?;
    }
    if let Some(out) = &args.emit_link {
        let link = path_as_link(&net, &path.elements, &equipment, &result).map_err(|e| {
            Failure::Run(format!(
                "--emit-link: the path cannot be written as a LINK.toml: {e}"
            ))
        })?;
        let mut set = OutputSet::new();
        set.protect_input(topology);
        set.protect_input(&args.network.equipment);
        set.add(
            out,
            link_to_toml_by(&link, "fibra gnpy path --emit-link").into_bytes(),
        );
        set.commit().map_err(|e| Failure::Run(e.to_string()))?;
        written.push(out.clone());
    }
    if args.json {
        #[derive(serde::Serialize)]
        struct Doc<'a> {
            #[serde(flatten)]
            result: &'a PathResult,
            elapsed_ms: f64,
        }
        return print_json(&Doc {
            result: &result,
            elapsed_ms,
        });
    }
    print_path(&result)?;
    for file in written {
        sayln!("wrote {}", file.display());
    }
    Ok(())
}

fn print_path(r: &PathResult) -> Result<(), Failure> {
    sayln!("{} → {}", r.source, r.destination);
    sayln!(
        "{:<60} {:>10} {:>9} {:>8} {:>7} {:>7}",
        "element",
        "type",
        "length",
        "loss/G",
        "NF",
        "Δp"
    );
    let num = |v: Option<f64>, unit: &str| v.map_or(String::new(), |x| format!("{x:.2}{unit}"));
    for e in &r.elements {
        let (value, nf, dp) = match e.kind {
            "Edfa" => (e.gain_db, e.nf_db.flatten(), e.delta_p_db.flatten()),
            "Roadm" => (e.target_pch_out_dbm, None, None),
            _ => (e.loss_db, None, None),
        };
        let name = if e.added_by_design {
            format!("{} +", e.uid)
        } else {
            e.uid.clone()
        };
        sayln!(
            "{:<60} {:>10} {:>9} {:>8} {:>7} {:>7}",
            name,
            e.kind,
            num(e.length_km, " km"),
            num(value, ""),
            num(nf, ""),
            num(dp, "")
        );
    }
    sayln!(
        "design: {} fibres, {} amplified spans, {} amplifiers, {:.2} km (+: added by the design)",
        r.design.fibers,
        r.design.amplified_spans,
        r.design.amplifiers,
        r.design.length_km
    );
    sayln!(
        "{:<38} {:>10} {:>10}",
        "receiver (with tx_osnr and add/drop)",
        "centre",
        "average"
    );
    type Value = fn(&ChannelResult) -> f64;
    let rows: [(&str, Value); 6] = [
        ("signal power (dBm)", |c| c.signal_dbm),
        ("OSNR ASE (0.1 nm, dB)", |c| c.osnr_ase_01nm_incl_trx_db),
        ("SNR NLI (signal bw, dB)", |c| c.snr_nli_db),
        ("GSNR (signal bw, dB)", |c| c.gsnr_incl_trx_db),
        ("GSNR (0.1 nm, dB)", |c| c.gsnr_01nm_incl_trx_db),
        ("line-only GSNR (signal bw, dB)", |c| c.gsnr_db),
    ];
    for (label, value) in rows {
        sayln!(
            "{label:<38} {:>10.2} {:>10.2}",
            value(&r.centre),
            value(&r.average)
        );
    }
    sayln!(
        "{} channels, centre {:.4} THz; CD {:.1} ps/nm, PMD {:.2} ps{}",
        r.channels.len(),
        r.centre.frequency_thz,
        r.cd_ps_nm,
        r.pmd_ps,
        if r.dropped_channels > 0 {
            format!(
                "; {} channels outside the amplifiers' band dropped",
                r.dropped_channels
            )
        } else {
            String::new()
        }
    );
    Ok(())
}

fn run_matrix(args: &MatrixArgs) -> Result<(), Failure> {
    let start = Instant::now();
    let (net, equipment) = designed(&args.network)?;
    let sources = net.transceivers().len();
    let pairs = sources.saturating_mul(sources.saturating_sub(1));
    if pairs > MAX_PAIRS {
        return Err(Failure::BadInput(format!(
            "{}: {sources} transceivers make {pairs} ordered pairs; a matrix holds at most {MAX_PAIRS} (run `fibra gnpy path` for the pairs you need)",
            args.network.topology.display()
        )));
    }
    let bar = progress::bar(sources as u64, "paths", args.quiet || args.json);
    let rows = all_pairs(&net, &equipment, &|| bar.inc(1));
    bar.finish_and_clear();
    let mut csv = String::from(
        "source,destination,length_km,amplifiers,gsnr_01nm_incl_trx_db,osnr_ase_01nm_db\n",
    );
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut unreachable = 0;
    let mut failed: Vec<String> = Vec::new();
    for row in &rows {
        let (source, destination) = (quote(&row.source), quote(&row.destination));
        match &row.result {
            Some(Ok((length, amps, gsnr, osnr))) => csv.push_str(&format!(
                "{source},{destination},{length:.3},{amps},{gsnr:.4},{osnr:.4}\n"
            )),
            other => {
                match other {
                    Some(Err(e)) => {
                        failed.push(format!("{} → {}: {e}", row.source, row.destination))
                    }
                    _ => unreachable += 1,
                }
                csv.push_str(&format!("{source},{destination},,,,\n"));
            }
        }
    }
    if let Some(first) = failed.first() {
        return Err(Failure::BadInput(format!(
            "{}: {} of {} pairs have no numbers (nothing written); first: {first}",
            args.network.equipment.display(),
            failed.len(),
            rows.len()
        )));
    }
    let mut set = OutputSet::new();
    set.protect_input(&args.network.topology);
    set.protect_input(&args.network.equipment);
    set.add(&args.out, csv.into_bytes());
    set.commit().map_err(|e| Failure::Run(e.to_string()))?;
    let elapsed_ms = start.elapsed().as_secs_f64() * 1e3;
    let worst = rows
        .iter()
        .filter_map(|r| match &r.result {
            Some(Ok(x)) => Some((x.2, r)),
            _ => None,
        })
        .min_by(|a, b| a.0.total_cmp(&b.0));
    if args.json {
        return print_json(&serde_json::json!({
            "transceivers": sources,
            "pairs": rows.len(),
            "unreachable": unreachable,
            "worst_gsnr_01nm_incl_trx_db": worst.map(|w| w.0),
            "worst_pair": worst.map(|w| [w.1.source.clone(), w.1.destination.clone()]),
            "out": args.out.display().to_string(),
            "elapsed_ms": elapsed_ms,
        }));
    }
    sayln!(
        "{} pairs of {} transceivers ({} unreachable) in {:.0} ms; wrote {}",
        rows.len(),
        sources,
        unreachable,
        elapsed_ms,
        args.out.display()
    );
    if let Some((gsnr, row)) = worst {
        sayln!(
            "worst: {} → {}, GSNR {gsnr:.2} dB (0.1 nm, with transceivers)",
            row.source,
            row.destination
        );
    }
    Ok(())
}

fn run_export(args: &ExportArgs) -> Result<(), Failure> {
    let link = fibra::io::read_link(&args.link)?;
    let files = export_link(&link)
        .map_err(|e| Failure::BadInput(format!("{}: {e}", args.link.display())))?;
    if args.out.exists() && !args.out.is_dir() {
        return Err(Failure::BadInput(format!(
            "--out: {} is a file; give a directory for topology.json and eqpt_config.json",
            args.out.display()
        )));
    }
    std::fs::create_dir_all(&args.out).map_err(|e| {
        Failure::Run(format!(
            "{}: cannot create the directory: {}",
            args.out.display(),
            fibra::io::describe_io_error(&e)
        ))
    })?;
    let pretty = |v: &serde_json::Value| to_gnpy_json(v).into_bytes();
    let mut set = OutputSet::new();
    set.protect_input(&args.link);
    set.add(&args.out.join("topology.json"), pretty(&files.topology));
    set.add(&args.out.join("eqpt_config.json"), pretty(&files.equipment));
    set.commit().map_err(|e| Failure::Run(e.to_string()))?;
    sayln!(
        "wrote {0}/topology.json and {0}/eqpt_config.json; run: gnpy-transmission-example {0}/topology.json {1} {2} -e {0}/eqpt_config.json",
        args.out.display(),
        files.source,
        files.destination
    );
    for warning in &files.warnings {
        sayln!("note: {warning}");
    }
    Ok(())
}
