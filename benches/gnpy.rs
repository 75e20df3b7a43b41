//! GNPy's example networks: design of the whole network, the longest CORONET Global path
//! (Billings → Singapore, 25,208 km, 296 amplifiers: design + path + propagation, as one
//! `gnpy-transmission-example` run does after loading), and the CORONET CONUS matrix (75
//! transceivers, 5,550 ordered pairs, designed once). The floor, in the same run: one 76-channel
//! budget of a 10-span link. When `.venv-gnpy` exists (`scripts/gnpy-crosscheck.sh` makes it),
//! GNPy 3.0.1 itself is timed on the same paths (`scripts/gnpy_timing.py`, in process, start-up
//! excluded) and the ratios are printed.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use fibra::budget::{BudgetPlan, NliCache};
use fibra::gnpy::{all_pairs, constrained_path, design_network, find_transceiver, propagate_path};
use fibra::io::gnpy_import::{read_equipment, read_topology};

fn example(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/gnpy")
        .join(name)
}

/// GNPy's time to design and propagate one path, s (`None` without the venv).
fn gnpy_seconds(topology: &str, source: &str, destination: &str) -> Option<f64> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join(".venv-gnpy/bin/python");
    if !python.exists() {
        return None;
    }
    let out = Command::new(python)
        .arg(root.join("scripts/gnpy_timing.py"))
        .arg(example(topology))
        .arg(example("eqpt_config.json"))
        .args([source, destination])
        .output()
        .ok()?;
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    doc["design_and_propagate_s"].as_f64()
}

fn path_seconds(topology: &str, source: &str, destination: &str) -> f64 {
    let equipment = read_equipment(&example("eqpt_config.json")).unwrap();
    let topology = read_topology(&example(topology), &equipment).unwrap();
    let start = Instant::now();
    let net = design_network(&topology, &equipment, equipment.spectrum.power_dbm).unwrap();
    let (s, d) = (
        find_transceiver(&net, source).unwrap(),
        find_transceiver(&net, destination).unwrap(),
    );
    let path = constrained_path(&net, s, d, &[]).unwrap().elements;
    propagate_path(&net, &path, &equipment, &mut NliCache::new()).unwrap();
    start.elapsed().as_secs_f64()
}

fn gnpy(c: &mut Criterion) {
    let mut group = c.benchmark_group("gnpy");
    group.sample_size(10);
    let equipment = read_equipment(&example("eqpt_config.json")).unwrap();
    let link = fibra::Link::new(
        fibra::WdmGrid {
            channels: 76,
            spacing_ghz: 50.0,
            center_thz: 193.225,
            symbol_rate_gbaud: 32.0,
        },
        0.0,
        vec![fibra::Span::new(80.0, fibra::fiber::builtin_fiber("SSMF").unwrap()); 10],
    );
    group.bench_function("floor: one 76-channel 10-span budget", |b| {
        b.iter(|| BudgetPlan::new(&link).run().summary.feasible)
    });
    let global = read_topology(&example("CORONET_Global_Topology.json"), &equipment).unwrap();
    group.bench_function("global: design the whole network", |b| {
        b.iter(|| {
            design_network(&global, &equipment, 0.0)
                .unwrap()
                .nodes
                .len()
        })
    });
    group.bench_function(
        "global: Billings → Singapore, design + path + propagation",
        |b| {
            b.iter(|| {
                path_seconds(
                    "CORONET_Global_Topology.json",
                    "trx Billings",
                    "trx Singapore",
                )
            })
        },
    );
    let conus = read_topology(&example("CORONET_CONUS_Topology.json"), &equipment).unwrap();
    group.bench_function("conus: matrix of 5,550 pairs, design included", |b| {
        b.iter(|| {
            let net = design_network(&conus, &equipment, 0.0).unwrap();
            all_pairs(&net, &equipment, &|| {}).len()
        })
    });
    group.finish();

    /// Median of `n` runs of `f`, s.
    fn median(n: usize, mut f: impl FnMut() -> f64) -> f64 {
        let mut times: Vec<f64> = (0..n).map(|_| f()).collect();
        times.sort_by(f64::total_cmp);
        times[n / 2]
    }
    for (topology, source, destination, what) in [
        (
            "CORONET_Global_Topology.json",
            "trx Billings",
            "trx Singapore",
            "Global longest path",
        ),
        (
            "CORONET_CONUS_Topology.json",
            "trx Miami",
            "trx Seattle",
            "CONUS longest path",
        ),
    ] {
        let fibra_s = median(11, || path_seconds(topology, source, destination));
        match gnpy_seconds(topology, source, destination) {
            Some(gnpy_s) => println!(
                "{what}: GNPy 3.0.1 {gnpy_s:.3} s, fibra {:.4} s: fibra is {:.0}× faster",
                fibra_s,
                gnpy_s / fibra_s
            ),
            None => println!("{what}: fibra {fibra_s:.4} s (no .venv-gnpy: GNPy not timed)"),
        }
    }
    let conus = read_topology(&example("CORONET_CONUS_Topology.json"), &equipment).unwrap();
    let mut pairs = 0;
    let matrix_s = median(5, || {
        let start = Instant::now();
        let net = design_network(&conus, &equipment, 0.0).unwrap();
        pairs = all_pairs(&net, &equipment, &|| {}).len();
        start.elapsed().as_secs_f64()
    });
    if let Some(gnpy_s) = gnpy_seconds("CORONET_CONUS_Topology.json", "trx Miami", "trx Seattle") {
        println!(
            "CONUS matrix ({pairs} pairs) {matrix_s:.3} s = {:.2}× GNPy's one longest path ({gnpy_s:.3} s)",
            matrix_s / gnpy_s
        );
    } else {
        println!("CONUS matrix ({pairs} pairs) {matrix_s:.3} s");
    }
}

criterion_group!(benches, gnpy);
criterion_main!(benches);
