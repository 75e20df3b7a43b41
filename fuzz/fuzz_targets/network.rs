//! NETWORK.toml with its nodes, links and segments CSVs (the input is the four files separated
//! by `----` lines): read, then every pair's path, as `--all-pairs` does.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;

use fibra::network::{NetworkPlanner, PathObjective};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let files = common::split_files(text, 4);
    let Ok(dir) = tempfile_dir() else { return };
    let names = ["network.toml", "nodes.csv", "links.csv", "segments.csv"];
    for (name, content) in names.iter().zip(&files) {
        if std::fs::write(dir.join(name), content).is_err() {
            return;
        }
    }
    let result = fibra::io::network_file::read_network(&dir.join("network.toml"));
    let _ = std::fs::remove_dir_all(&dir);
    let Ok(input) = result else { return };
    if input.plan.nodes.len() > 40 {
        return;
    }
    let network = input.plan.design_links();
    let Some(trx) = network.transceiver(&input.plan.default_transceiver).cloned() else { return };
    let planner = NetworkPlanner::new(&network, trx, vec![true; network.links.len()]);
    for a in 0..network.nodes.len() {
        let _ = planner.paths_from(a, PathObjective::Km);
    }
    let baseline = planner.all_pairs(PathObjective::Regenerators, &|| {});
    let _ = network.all_single_cuts(&planner, PathObjective::Regenerators, &baseline, &|| {});
});

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("fibra-fuzz-network-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
