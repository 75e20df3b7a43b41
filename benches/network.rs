//! The Peru backbone, trunk (25 regional capitals) and grown (185 provincial capitals): reading
//! and designing every link, all-pairs paths for 100G, and every single cut (grown network).
//! The floor, in the same run: one 96-channel budget of a 10-span section, the unit the all-pairs
//! analysis is made of.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use fibra::budget::BudgetPlan;
use fibra::io::network_file::read_network;
use fibra::network::{NetworkPlanner, PathObjective};

fn network(c: &mut Criterion) {
    let mut group = c.benchmark_group("peru");
    group.sample_size(10);
    let link = fibra::Link::new(
        fibra::WdmGrid {
            channels: 96,
            spacing_ghz: 50.0,
            center_thz: 193.725,
            symbol_rate_gbaud: 32.0,
        },
        0.0,
        vec![fibra::Span::new(80.0, fibra::fiber::builtin_fiber("SSMF").unwrap()); 10],
    );
    group.bench_function("floor: one 96-channel 10-span budget", |b| {
        b.iter(|| BudgetPlan::new(&link).run().summary.feasible)
    });
    for (label, file) in [("trunk", "trunk-only.toml"), ("grown", "network.toml")] {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/peru")
            .join(file);
        group.bench_function(format!("{label}: read+design all links"), |b| {
            b.iter(|| read_network(&file).unwrap().plan.design_links())
        });
        let network = read_network(&file).unwrap().plan.design_links();
        let trx = network.transceiver("100G-DP-QPSK").unwrap().clone();
        let all = vec![true; network.links.len()];
        group.bench_function(format!("{label}: all-pairs paths 100G"), |b| {
            b.iter(|| {
                NetworkPlanner::new(&network, trx.clone(), all.clone())
                    .all_pairs(PathObjective::Km, &|| {})
                    .len()
            })
        });
        if label == "grown" {
            let intact = NetworkPlanner::new(&network, trx.clone(), all.clone());
            let baseline = intact.all_pairs(PathObjective::Km, &|| {});
            group.bench_function(format!("{label}: every single cut 100G"), |b| {
                b.iter(|| {
                    network
                        .all_single_cuts(&intact, PathObjective::Km, &baseline, &|| {})
                        .len()
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, network);
criterion_main!(benches);
