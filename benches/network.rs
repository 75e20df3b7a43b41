//! The Peru backbone: reading and designing every link, and all-pairs paths for 100G.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use fibra::io::network_file::read_network;
use fibra::network::{NetworkPlanner, PathObjective};

fn network(c: &mut Criterion) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/peru/network.toml");
    let mut group = c.benchmark_group("peru");
    group.sample_size(10);
    group.bench_function("read+design all links", |b| {
        b.iter(|| read_network(&file).unwrap().plan.design_links())
    });
    let network = read_network(&file).unwrap().plan.design_links();
    let trx = network.transceiver("100G-DP-QPSK").unwrap().clone();
    let n = network.nodes.len();
    group.bench_function("all-pairs paths 100G", |b| {
        b.iter(|| {
            let mut planner =
                NetworkPlanner::new(&network, trx.clone(), vec![true; network.links.len()]);
            (0..n)
                .map(|a| planner.paths_from(a, PathObjective::Km).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, network);
criterion_main!(benches);
