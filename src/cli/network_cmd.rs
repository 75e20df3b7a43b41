//! `fibra network NETWORK.toml`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use fibra::atomic_write::{refuse_input, OutputSet};
use fibra::display::quote_user_text;
use fibra::io::geojson_file::network_geojson;
use fibra::io::network_file::{read_network_with, NetworkInput};
use fibra::io::output::pair_matrix_csv;
use fibra::network::{
    NetworkPlanner, NetworkReport, PairOutcome, PairSummary, PathObjective, PathReport,
};
use fibra::plot::{write_network_map, NetworkMap, PlotFormat};
use fibra::resources::ResourceBudget;

use super::{budget_table, print_json, progress, Failure};

/// What a path minimises first.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ObjectiveArg {
    /// Shortest route, then fewest regenerators.
    Km,
    /// Fewest regenerators, then shortest route.
    Regenerators,
}

/// Arguments of `fibra network`.
#[derive(Args)]
pub struct NetworkArgs {
    /// The network description (NETWORK.toml).
    pub network: PathBuf,
    /// Print exactly one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
    /// Best path between two nodes, with regenerators where needed.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub path: Option<Vec<String>>,
    /// Paths between every pair of nodes.
    #[arg(long)]
    pub all_pairs: bool,
    /// With --all-pairs: write the regenerator / worst-margin matrix to this CSV file.
    #[arg(long, value_name = "FILE.csv", requires = "all_pairs")]
    pub matrix: Option<PathBuf>,
    /// Transceiver type (default: the file's default_transceiver).
    #[arg(long)]
    pub transceiver: Option<String>,
    /// Path objective.
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Km)]
    pub objective: ObjectiveArg,
    /// Take a link out of service (`A-B`); repeatable. Reports the pairs it affects.
    #[arg(long, value_name = "A-B")]
    pub cut: Vec<String>,
    /// Take every link of a shared corridor out of service; repeatable.
    #[arg(long, value_name = "TAG")]
    pub cut_corridor: Vec<String>,
    /// Every single cut in turn (each corridor tag, each untagged link): a table of what it
    /// disconnects or degrades, worst first.
    #[arg(long)]
    pub all_cuts: bool,
    /// Keep the links marked `hypothetical` (as `include_hypothetical = true` in the file).
    #[arg(long)]
    pub include_hypothetical: bool,
    /// Write the designed network as GeoJSON (RFC 7946): nodes as points, links as lines
    /// through their waypoints with their summaries as properties.
    #[arg(long, value_name = "FILE.geojson")]
    pub geojson: Option<PathBuf>,
    /// Draw the network on a map of Peru (PNG or SVG by extension): links coloured by their
    /// worst margin, the `--path` highlighted, `--cut` links crossed out.
    #[arg(long, value_name = "FILE.png|svg")]
    pub map: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Every pair (a < b) with its outcome, with a progress bar.
fn all_pairs(
    planner: &NetworkPlanner,
    n: usize,
    objective: PathObjective,
    quiet: bool,
    label: &str,
) -> Vec<(usize, usize, PairSummary)> {
    let bar = progress::bar(n as u64, label, quiet);
    let pairs = planner.all_pairs(objective, &|| bar.inc(1));
    bar.finish_and_clear();
    pairs
}

/// Runs the command.
pub fn run(args: &NetworkArgs, budget: &ResourceBudget) -> Result<(), Failure> {
    let NetworkInput {
        plan,
        excluded,
        files: input_files,
    } = read_network_with(&args.network, args.include_hypothetical)?;
    let network = plan.design_links();
    let default_transceiver = plan.default_transceiver;
    let inputs: Vec<&std::path::Path> = input_files.iter().map(|p| p.as_path()).collect();
    if let Some(map) = &args.map {
        // A wrong extension is a usage error, found before any work.
        PlotFormat::of(map).map_err(|e| Failure::BadInput(e.to_string()))?;
    }
    for output in args.matrix.iter().chain(&args.geojson).chain(&args.map) {
        refuse_input(output, &inputs).map_err(|e| Failure::BadInput(e.to_string()))?;
    }
    let file = args.network.display().to_string();
    // Shortest-route tables, the section cache and one summary per pair: about 200 B per pair.
    let nodes = network.nodes.len() as f64;
    budget.check_memory(
        200.0 * nodes * nodes,
        format!("{file}: {} nodes (nodes file)", network.nodes.len()),
    )?;
    let trx_name = args.transceiver.clone().unwrap_or(default_transceiver);
    let transceiver = network.transceiver(&trx_name).cloned().ok_or_else(|| {
        let known: Vec<&str> = network
            .transceivers
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        Failure::BadInput(format!(
            "--transceiver: unknown transceiver `{}` (known: {})",
            quote_user_text(&trx_name),
            known.join(", ")
        ))
    })?;
    let objective = match args.objective {
        ObjectiveArg::Km => PathObjective::Km,
        ObjectiveArg::Regenerators => PathObjective::Regenerators,
    };
    let node = |name: &str| {
        network.node_index(name).ok_or_else(|| {
            Failure::BadInput(format!(
                "--path: unknown node `{}` in {file}",
                quote_user_text(name)
            ))
        })
    };

    // Links taken out by --cut / --cut-corridor.
    let mut in_service = vec![true; network.links.len()];
    let mut cut_links = Vec::new();
    for spec in &args.cut {
        let k = network.link_named(spec).ok_or_else(|| {
            Failure::BadInput(format!(
                "--cut: no link `{}` in {file} (write A-B with node names)",
                quote_user_text(spec)
            ))
        })?;
        in_service[k] = false;
        cut_links.push(network.links[k].label(&network.nodes));
    }
    for tag in &args.cut_corridor {
        let hits = network.links_in_corridor(tag);
        if hits.is_empty() {
            return Err(Failure::BadInput(format!(
                "--cut-corridor: no link of {file} is tagged `{}`",
                quote_user_text(tag)
            )));
        }
        for k in hits {
            in_service[k] = false;
            cut_links.push(network.links[k].label(&network.nodes));
        }
    }
    let cutting = !cut_links.is_empty();

    let planner = NetworkPlanner::new(&network, transceiver.clone(), in_service.clone());
    let mut doc = NetworkReport {
        name: network.name.clone(),
        transceiver: trx_name.clone(),
        nli_model: transceiver.nli_model(network.nli_model).name(),
        modulation: transceiver.nli_model(network.nli_model).format(),
        excluded_links: excluded,
        totals: network.totals(),
        links: network.link_summaries(),
        path: None,
        pairs: None,
        cut: None,
        all_cuts: None,
    };
    let mut exit_failure = None;

    if let Some(ends) = &args.path {
        let (a, b) = (node(&ends[0])?, node(&ends[1])?);
        let outcome = planner.path(a, b, objective);
        let names = |v: &[usize]| {
            v.iter()
                .map(|&i| network.nodes[i].name.clone())
                .collect::<Vec<_>>()
        };
        doc.path = Some(match &outcome {
            PairOutcome::Path(p) => PathReport {
                from: ends[0].clone(),
                to: ends[1].clone(),
                reachable: true,
                connected: true,
                path: names(&p.nodes),
                length_km: Some(p.length_km),
                regenerators: names(&p.regenerators),
                worst_margin_db: p.worst_margin_db,
                sections: planner.section_budgets(p),
            },
            other => {
                let connected = matches!(other, PairOutcome::Unreachable);
                exit_failure = Some(if connected {
                    format!("{} and {} are connected, but no placement of regenerators at nodes closes every section for {trx_name}", ends[0], ends[1])
                } else {
                    format!(
                        "{} and {} are not connected by the links in service",
                        ends[0], ends[1]
                    )
                });
                PathReport {
                    from: ends[0].clone(),
                    to: ends[1].clone(),
                    reachable: false,
                    connected,
                    path: Vec::new(),
                    length_km: None,
                    regenerators: Vec::new(),
                    worst_margin_db: None,
                    sections: Vec::new(),
                }
            }
        });
    }

    let n = network.nodes.len();
    if args.all_pairs || cutting {
        let pairs = all_pairs(&planner, n, objective, args.quiet || args.json, "all pairs");
        if let Some(path) = &args.matrix {
            let mut set = OutputSet::new();
            for input in &input_files {
                set.protect_input(input);
            }
            set.add(path, pair_matrix_csv(&network, &pairs).into_bytes());
            set.commit().map_err(|e| Failure::Run(e.to_string()))?;
        }
        if cutting {
            let baseline_planner = NetworkPlanner::new(
                &network,
                transceiver.clone(),
                vec![true; network.links.len()],
            );
            let baseline = all_pairs(
                &baseline_planner,
                n,
                objective,
                args.quiet || args.json,
                "intact network",
            );
            let cut = network.cut_impact(cut_links, &baseline, &pairs);
            doc.cut = Some(cut);
        }
        if args.all_pairs {
            doc.pairs = Some(
                pairs
                    .iter()
                    .map(|(a, b, o)| network.pair_report(*a, *b, o))
                    .collect(),
            );
        }
    }

    if args.all_cuts {
        let intact = NetworkPlanner::new(
            &network,
            transceiver.clone(),
            vec![true; network.links.len()],
        );
        let quiet = args.quiet || args.json;
        let baseline = all_pairs(&intact, n, objective, quiet, "intact network");
        let cuts = network.single_cuts().len();
        let bar = progress::bar(cuts as u64, "single cuts", quiet);
        doc.all_cuts = Some(network.all_single_cuts(&intact, objective, &baseline, &|| bar.inc(1)));
        bar.finish_and_clear();
    }
    if let Some(file) = &args.map {
        let node_index = |name: &String| network.node_index(name);
        let map = NetworkMap {
            network: &network,
            links: &doc.links,
            title: format!(
                "{} — {}",
                network.name.as_deref().unwrap_or("network"),
                doc.transceiver
            ),
            path: doc
                .path
                .as_ref()
                .map(|p| p.path.iter().filter_map(node_index).collect())
                .unwrap_or_default(),
            regenerators: doc
                .path
                .as_ref()
                .map(|p| p.regenerators.iter().filter_map(node_index).collect())
                .unwrap_or_default(),
            cut: (0..network.links.len())
                .filter(|&k| !in_service[k])
                .collect(),
            cut_off: network.cut_off(&in_service),
        };
        write_network_map(&map, file).map_err(|e| Failure::Run(e.to_string()))?;
    }
    if let Some(path) = &args.geojson {
        let mut set = OutputSet::new();
        for input in &input_files {
            set.protect_input(input);
        }
        set.add(path, network_geojson(&network, &doc.links).into_bytes());
        set.commit().map_err(|e| Failure::Run(e.to_string()))?;
    }
    if args.json {
        print_json(&doc)?;
    } else {
        say!("{}", render(&file, &doc));
    }
    match exit_failure {
        Some(message) => Err(Failure::Run(message)),
        None => Ok(()),
    }
}

/// A figure with two decimals; `-` when there is none, `—` when it is not finite.
fn opt(x: Option<f64>) -> String {
    x.map_or("-".into(), budget_table::db)
}

fn render(file: &str, doc: &NetworkReport) -> String {
    let model = doc
        .modulation
        .map_or(String::new(), |f| format!(", EGN model ({})", f.name()));
    let mut out = format!(
        "fibra network — {} ({file}), transceiver {}{model}\n",
        doc.name.as_deref().unwrap_or("(unnamed)"),
        doc.transceiver
    );
    if !doc.excluded_links.is_empty() {
        out.push_str(&format!(
            "excluded (hypothetical): {}\n",
            doc.excluded_links.join(", ")
        ));
    }
    out.push_str(&totals_line(&doc.totals));
    out.push_str(&format!(
        "\n{:<34} {:>9} {:>6} {:>6} {:>11} {:>9} {:>9}\n",
        "link", "route km", "spans", "amps", "worst GSNR", "margin", "feasible"
    ));
    for l in &doc.links {
        out.push_str(&format!(
            "{:<34} {:>9.1} {:>6} {:>6} {:>11} {:>9} {:>9}\n",
            format!("{} - {}", l.a, l.b),
            l.route_km,
            l.spans,
            l.amplifiers,
            opt(l.worst_gsnr_db),
            opt(l.margin_db),
            if l.feasible { "yes" } else { "no" }
        ));
    }
    if let Some(p) = &doc.path {
        out.push_str(&format!("\nPath {} → {}: ", p.from, p.to));
        if p.reachable {
            out.push_str(&format!(
                "{:.1} km via {}\n  regenerators: {}\n  worst margin: {} dB over {} transparent section(s)\n",
                p.length_km.unwrap_or(0.0),
                p.path.join(" → "),
                if p.regenerators.is_empty() { "none".into() } else { p.regenerators.join(", ") },
                opt(p.worst_margin_db),
                p.sections.len()
            ));
        } else {
            out.push_str(if p.connected {
                "no feasible regenerator placement\n"
            } else {
                "not connected\n"
            });
        }
    }
    if let Some(pairs) = &doc.pairs {
        let reachable = pairs.iter().filter(|p| p.reachable).count();
        let regens: usize = pairs.iter().filter_map(|p| p.regenerators).sum();
        out.push_str(&format!("\nAll pairs: {reachable} of {} reachable; {regens} regenerators in total over all pair paths\n", pairs.len()));
        for p in pairs.iter().filter(|p| !p.reachable) {
            out.push_str(&format!(
                "  {} - {}: {}\n",
                p.a,
                p.b,
                if p.connected {
                    "unreachable"
                } else {
                    "disconnected"
                }
            ));
        }
    }
    if let Some(cuts) = &doc.all_cuts {
        out.push_str(&format!(
            "\nEvery single cut ({}), worst first (population cut off, then pairs lost):\n{:<34} {:>6} {:>11} {:>8} {:>7} {:>12}  cut off from the main network\n",
            cuts.len(),
            "cut",
            "links",
            "lost pairs",
            "+regen",
            "longer",
            "population"
        ));
        for c in cuts {
            let mut names: Vec<String> = c.cut_off.iter().take(6).cloned().collect();
            if c.cut_off.len() > 6 {
                names.push(format!("+{} more", c.cut_off.len() - 6));
            }
            out.push_str(&format!(
                "{:<34} {:>6} {:>11} {:>8} {:>7} {:>12}  {}\n",
                c.cut,
                c.links.len(),
                c.lost_connectivity,
                c.more_regenerators,
                c.longer,
                fibra::display::group_thousands(c.population_cut_off.round() as u64),
                if names.is_empty() {
                    "-".to_string()
                } else {
                    names.join(", ")
                }
            ));
        }
    }
    if let Some(cut) = &doc.cut {
        out.push_str(&format!("\nCut: {}\n", cut.cut_links.join(", ")));
        out.push_str(&format!(
            "  pairs losing connectivity: {}\n",
            cut.lost_connectivity.len()
        ));
        for p in &cut.lost_connectivity {
            out.push_str(&format!("    {} - {}\n", p.a, p.b));
        }
        out.push_str(&format!(
            "  pairs needing more regenerators: {}\n",
            cut.more_regenerators.len()
        ));
        for p in &cut.more_regenerators {
            out.push_str(&format!(
                "    {} - {} ({} regenerators)\n",
                p.a,
                p.b,
                p.regenerators.unwrap_or(0)
            ));
        }
        out.push_str(&format!(
            "  pairs on a longer route: {}\n",
            cut.longer.len()
        ));
    }
    out
}

/// `totals: 202 nodes (24 regional capitals, …), 193 links, 15,101 route km; …`.
fn totals_line(t: &fibra::network::NetworkTotals) -> String {
    use fibra::network::NodeKind;
    let kinds: Vec<String> = NodeKind::ALL
        .iter()
        .filter_map(|kind| {
            let count = t.nodes_by_kind.get(kind.name())?;
            let plural = match kind {
                NodeKind::Node => "nodes",
                NodeKind::RegionalCapital => "regional capitals",
                NodeKind::ProvincialCapital => "provincial capitals",
                NodeKind::International => "international",
                NodeKind::Junction => "junctions",
            };
            Some(format!("{plural} {count}"))
        })
        .collect();
    let hypothetical = match t.hypothetical_links {
        0 => String::new(),
        h => format!(" ({h} hypothetical)"),
    };
    let mut line = format!(
        "totals: {} nodes ({}), {} links{hypothetical}, {} route km",
        t.nodes,
        kinds.join(", "),
        t.links,
        fibra::display::group_thousands(t.route_km.round() as u64)
    );
    if t.capitals_connected + t.capitals_unconnected > 0 {
        line.push_str(&format!(
            "; {} capitals connected, {} not",
            t.capitals_connected, t.capitals_unconnected
        ));
    }
    if t.population_connected > 0.0 {
        line.push_str(&format!(
            "; {:.2} million people in the provinces connected",
            t.population_connected / 1e6
        ));
    }
    line + "\n"
}
