//! `fibra gnpy export LINK.toml --out DIR`: a fibra link as GNPy 3.0.1 files.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use fibra::atomic_write::OutputSet;
use fibra::io::gnpy_export::{export_link, to_gnpy_json};

use super::Failure;

/// The GNPy interoperability commands.
#[derive(Args)]
pub struct GnpyArgs {
    #[command(subcommand)]
    pub command: GnpyCommand,
}

/// What to do with GNPy files.
#[derive(Subcommand)]
pub enum GnpyCommand {
    /// Write a LINK.toml as GNPy topology and equipment files (DIR/topology.json,
    /// DIR/eqpt_config.json) for `gnpy-transmission-example`.
    Export(ExportArgs),
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
        GnpyCommand::Export(export) => run_export(export),
    }
}

fn run_export(args: &ExportArgs) -> Result<(), Failure> {
    let link = fibra::io::read_link(&args.link)?;
    let files = export_link(&link);
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
