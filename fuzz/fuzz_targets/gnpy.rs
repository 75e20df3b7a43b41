//! GNPy files: an equipment library and a topology (split at a `----` line), read, designed, and
//! the paths between the first transceivers propagated and written as a LINK.toml that must read
//! back; nothing may panic, every reported GSNR of a propagated path is a number.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;

use fibra::budget::NliCache;
use fibra::gnpy::{constrained_path, design_network, path_as_link, propagate_path, NodeKind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let files = common::split_files(text, 2);
    let Ok(equipment) = fibra::io::gnpy_import::parse_equipment(&files[0]) else { return };
    let Ok(topology) = fibra::io::gnpy_import::parse_topology(&files[1], &equipment) else { return };
    // Bounded work: a fibre of 40,000 km splits into 450 pieces; keep networks small.
    if topology.nodes.len() > 400 || equipment.spectrum.channel_count() > 200 {
        return;
    }
    let Ok(net) = design_network(&topology, &equipment, equipment.spectrum.power_dbm) else { return };
    if net.nodes.len() > 2000 {
        return;
    }
    let transceivers: Vec<usize> = net
        .indices()
        .into_iter()
        .filter(|&i| matches!(net.kind(i), NodeKind::Transceiver))
        .take(3)
        .collect();
    let mut cache = NliCache::new();
    for &a in &transceivers {
        for &b in &transceivers {
            if a == b {
                continue;
            }
            let Some(path) = constrained_path(&net, a, b, &[]) else { continue };
            let Ok(result) = propagate_path(&net, &path.elements, &equipment, &mut cache) else { continue };
            assert!(result.channels.iter().all(|c| !c.gsnr_db.is_nan()));
            if let Ok(link) = path_as_link(&net, &path.elements, &equipment, &result) {
                let text = fibra::io::link_writer::link_to_toml(&link);
                let _ = fibra::io::parse_link(&text);
            }
        }
    }
});
