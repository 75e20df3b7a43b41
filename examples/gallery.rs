//! Regenerates the chart gallery in `plots/` from the bundled examples:
//! `cargo run --release --example gallery`.

use std::path::{Path, PathBuf};

use fibra::budget::{optimize_launch, BudgetPlan, LaunchSweepRange};
use fibra::design::design_route;
use fibra::plot::{
    write_budget_charts, write_propagation_charts, write_simulation_charts, PlotFormat,
    PulseFigures, RouteSegment,
};
use fibra::propagation::{propagate, Snapshots, SsfmPlan};
use fibra::system::simulate;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let plots = root().join("plots");

    // A 10 × 80 km line with its launch-power sweep.
    let name = "examples/links/line-10x80.toml";
    let link = fibra::io::read_link(&root().join(name))?;
    let plan = BudgetPlan::new(&link);
    let mut report = plan.run();
    let sweep = optimize_launch(
        &plan,
        LaunchSweepRange {
            min_dbm: -6.0,
            max_dbm: 6.0,
            step_db: 0.25,
        },
    );
    report.launch_sweep = Some(sweep.points);
    report.optimum_launch_power_dbm = Some(sweep.optimum_launch_power_dbm);
    let written = write_budget_charts(
        &[RouteSegment {
            offset_km: 0.0,
            report: &report,
        }],
        name,
        &plots.join("budget"),
        PlotFormat::Png,
    )?;

    // A designed coastal route with regenerators.
    let name = "examples/routes/tumbes-lima-200g.toml";
    let route = fibra::io::read_route(&root().join(name))?;
    let design = design_route(&route)?;
    let segments: Vec<RouteSegment> = design
        .sections
        .iter()
        .map(|s| RouteSegment {
            offset_km: s.spans[0].from_km,
            report: &s.budget,
        })
        .collect();
    let mut all = written;
    all.extend(write_budget_charts(
        &segments,
        name,
        &plots.join("design"),
        PlotFormat::Png,
    )?);

    // Pulse propagation: one span with SPM, and three amplified spans.
    for (name, dir) in [
        ("examples/pulses/span-80km.toml", "propagate-span"),
        ("examples/pulses/three-spans.toml", "propagate-three-spans"),
    ] {
        let setup = fibra::io::read_pulse_setup(&root().join(name))?;
        let input = setup.shape.sample(&setup.grid, setup.peak_power_w);
        let mut plan = SsfmPlan::new(setup.grid);
        let length_km: f64 = setup.sections.iter().map(|s| s.length_km).sum();
        let mut snapshots = Snapshots::evenly(length_km, setup.snapshots.unwrap_or(96));
        let outcome = propagate(
            &mut plan,
            &setup.sections,
            input.clone(),
            setup.control,
            &mut |_| {},
            Some(&mut snapshots),
        );
        let input_spectrum = plan.spectrum_of(&input);
        let output_spectrum = plan.spectrum_of(&outcome.field);
        let figures = PulseFigures::from_run(
            &setup.grid,
            &input,
            &input_spectrum,
            &outcome.field,
            &output_spectrum,
            Some(&snapshots),
        );
        all.extend(write_propagation_charts(
            &figures,
            name,
            &plots.join(dir),
            PlotFormat::Png,
            true,
        )?);
    }
    // Waveform simulation: DP-16QAM with the blind receiver over high-PMD fibre, and a 10G NRZ
    // access link.
    for (name, dir) in [
        (
            "examples/systems/dp16qam-pmd-blind.toml",
            "simulate-dp16qam",
        ),
        ("examples/systems/ook-10g-nrz.toml", "simulate-ook"),
    ] {
        let system = fibra::io::system_file::read_system(&root().join(name))?;
        let outcome = simulate(&system, &Default::default(), &mut |_| {}).unwrap();
        all.extend(write_simulation_charts(
            &outcome,
            system.receiver_channel,
            system.link.grid.center_thz,
            name,
            &plots.join(dir),
            PlotFormat::Png,
        )?);
    }
    // The grown Peru backbone on its map: 100G margins, the Tumbes–Tacna path and its
    // regenerators, the Cusco–Urcos cut and what it cuts off.
    let input = fibra::io::network_file::read_network(&root().join("examples/peru/network.toml"))?;
    let network = input.plan.design_links();
    let map_path = plots.join("network/map.png");
    std::fs::create_dir_all(plots.join("network"))?;
    let summaries = network.link_summaries();
    let node = |name: &str| network.node_index(name).expect("a Peru capital");
    let planner = fibra::network::NetworkPlanner::new(
        &network,
        network
            .transceiver("100G-DP-QPSK")
            .expect("built in")
            .clone(),
        vec![true; network.links.len()],
    );
    let (path, regenerators) = match planner.path(
        node("Tumbes"),
        node("Tacna"),
        fibra::network::PathObjective::Km,
    ) {
        fibra::network::PairOutcome::Path(p) => (p.nodes, p.regenerators),
        _ => (Vec::new(), Vec::new()),
    };
    let cut: Vec<usize> = network.link_named("Cusco-Urcos").into_iter().collect();
    let mut in_service = vec![true; network.links.len()];
    cut.iter().for_each(|&k| in_service[k] = false);
    fibra::plot::write_network_map(
        &fibra::plot::NetworkMap {
            network: &network,
            links: &summaries,
            title: "Peru backbone, 185 capitals, 100G: Tumbes – Tacna, Cusco – Urcos cut".into(),
            path,
            regenerators,
            cut,
            cut_off: network.cut_off(&in_service),
        },
        &map_path,
    )?;
    all.push(map_path);
    for path in all {
        println!("{}", path.strip_prefix(root()).unwrap_or(&path).display());
    }
    Ok(())
}
