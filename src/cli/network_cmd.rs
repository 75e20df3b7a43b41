//! `fibra network NETWORK.toml`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use fibra::atomic_write::{refuse_input, OutputSet};
use fibra::budget::BudgetReport;
use fibra::display::quote_user_text;
use fibra::io::network_file::{read_network, NetworkInput};
use fibra::network::{Network, NetworkPlanner, PairOutcome, PairSummary, PathObjective};
use fibra::resources::ResourceBudget;
use serde::Serialize;

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
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Serialize)]
struct LinkRow {
    a: String,
    b: String,
    route_km: f64,
    spans: usize,
    amplifiers: usize,
    worst_gsnr_db: Option<f64>,
    margin_db: Option<f64>,
    feasible: bool,
    terrain: String,
    corridors: Vec<String>,
    error: Option<String>,
}

#[derive(Serialize)]
struct PathJson {
    from: String,
    to: String,
    reachable: bool,
    connected: bool,
    path: Vec<String>,
    length_km: Option<f64>,
    regenerators: Vec<String>,
    worst_margin_db: Option<f64>,
    sections: Vec<BudgetReport>,
}

#[derive(Serialize)]
struct PairJson {
    a: String,
    b: String,
    connected: bool,
    reachable: bool,
    length_km: Option<f64>,
    regenerators: Option<usize>,
    worst_margin_db: Option<f64>,
}

#[derive(Serialize)]
struct CutJson {
    cut_links: Vec<String>,
    lost_connectivity: Vec<PairJson>,
    more_regenerators: Vec<PairJson>,
    longer: Vec<PairJson>,
}

#[derive(Serialize)]
struct NetworkJson {
    name: Option<String>,
    transceiver: String,
    excluded_links: Vec<String>,
    links: Vec<LinkRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<PathJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pairs: Option<Vec<PairJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cut: Option<CutJson>,
}

fn link_rows(network: &Network) -> Vec<LinkRow> {
    network
        .links
        .iter()
        .map(|l| {
            let (a, b) = (
                network.nodes[l.a].name.clone(),
                network.nodes[l.b].name.clone(),
            );
            match &l.design {
                Ok(d) => LinkRow {
                    a,
                    b,
                    route_km: l.route_km,
                    spans: d.spans.len(),
                    amplifiers: d.amplifiers + d.regenerators,
                    worst_gsnr_db: d
                        .sections
                        .iter()
                        .map(|s| s.budget.summary.worst_gsnr_db)
                        .min_by(f64::total_cmp),
                    margin_db: d
                        .sections
                        .iter()
                        .filter_map(|s| s.budget.summary.osnr_margin_db)
                        .min_by(f64::total_cmp),
                    feasible: d.regenerators == 0
                        && d.sections.iter().all(|s| s.budget.summary.feasible),
                    terrain: l.terrain.clone(),
                    corridors: l.corridors.clone(),
                    error: None,
                },
                Err(e) => LinkRow {
                    a,
                    b,
                    route_km: l.route_km,
                    spans: 0,
                    amplifiers: 0,
                    worst_gsnr_db: None,
                    margin_db: None,
                    feasible: false,
                    terrain: l.terrain.clone(),
                    corridors: l.corridors.clone(),
                    error: Some(e.clone()),
                },
            }
        })
        .collect()
}

fn pair_json(network: &Network, a: usize, b: usize, outcome: &PairSummary) -> PairJson {
    let (a, b) = (network.nodes[a].name.clone(), network.nodes[b].name.clone());
    match *outcome {
        PairSummary::Path {
            length_km,
            regenerators,
            worst_margin_db,
        } => PairJson {
            a,
            b,
            connected: true,
            reachable: true,
            length_km: Some(length_km),
            regenerators: Some(regenerators),
            worst_margin_db,
        },
        PairSummary::Disconnected => PairJson {
            a,
            b,
            connected: false,
            reachable: false,
            length_km: None,
            regenerators: None,
            worst_margin_db: None,
        },
        PairSummary::Unreachable => PairJson {
            a,
            b,
            connected: true,
            reachable: false,
            length_km: None,
            regenerators: None,
            worst_margin_db: None,
        },
    }
}

/// Every pair (a < b) with its outcome.
fn all_pairs(
    planner: &mut NetworkPlanner,
    n: usize,
    objective: PathObjective,
    quiet: bool,
    label: &str,
) -> Vec<(usize, usize, PairSummary)> {
    let bar = progress::bar(n as u64, label, quiet);
    let mut out = Vec::new();
    for a in 0..n {
        let outcomes = planner.paths_from(a, objective);
        for (b, outcome) in outcomes.iter().enumerate().skip(a + 1) {
            out.push((a, b, PairSummary::from(outcome)));
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    out
}

fn matrix_csv(network: &Network, pairs: &[(usize, usize, PairSummary)]) -> String {
    let n = network.nodes.len();
    let mut cells: BTreeMap<(usize, usize), String> = BTreeMap::new();
    for (a, b, outcome) in pairs {
        let cell = match *outcome {
            PairSummary::Path {
                regenerators,
                worst_margin_db,
                ..
            } => format!(
                "{regenerators} / {}",
                worst_margin_db.map_or("-".into(), |m| format!("{m:.2}"))
            ),
            PairSummary::Disconnected => "disconnected".into(),
            PairSummary::Unreachable => "unreachable".into(),
        };
        cells.insert((*a, *b), cell.clone());
        cells.insert((*b, *a), cell);
    }
    let quote = |s: &str| {
        if s.contains(',') {
            format!("\"{s}\"")
        } else {
            s.to_string()
        }
    };
    let mut out = String::from("regenerators / worst margin dB");
    for node in &network.nodes {
        out.push(',');
        out.push_str(&quote(&node.name));
    }
    out.push('\n');
    for i in 0..n {
        out.push_str(&quote(&network.nodes[i].name));
        for j in 0..n {
            out.push(',');
            out.push_str(cells.get(&(i, j)).map_or("", String::as_str));
        }
        out.push('\n');
    }
    out
}

/// Runs the command.
pub fn run(args: &NetworkArgs, budget: &ResourceBudget) -> Result<(), Failure> {
    let NetworkInput {
        network,
        default_transceiver,
        excluded,
        files: input_files,
    } = read_network(&args.network)?;
    if let Some(matrix) = &args.matrix {
        let inputs: Vec<&std::path::Path> = input_files.iter().map(|p| p.as_path()).collect();
        refuse_input(matrix, &inputs).map_err(|e| Failure::BadInput(e.to_string()))?;
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
        let k = network
            .links
            .iter()
            .position(|l| {
                let (a, b) = (&network.nodes[l.a].name, &network.nodes[l.b].name);
                spec == &format!("{a}-{b}") || spec == &format!("{b}-{a}")
            })
            .ok_or_else(|| {
                Failure::BadInput(format!(
                    "--cut: no link `{}` in {file} (write A-B with node names)",
                    quote_user_text(spec)
                ))
            })?;
        in_service[k] = false;
        cut_links.push(network.links[k].label(&network.nodes));
    }
    for tag in &args.cut_corridor {
        let hits: Vec<usize> = (0..network.links.len())
            .filter(|&k| network.links[k].corridors.iter().any(|c| c == tag))
            .collect();
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

    let mut planner = NetworkPlanner::new(&network, transceiver.clone(), in_service.clone());
    let mut doc = NetworkJson {
        name: network.name.clone(),
        transceiver: trx_name.clone(),
        excluded_links: excluded,
        links: link_rows(&network),
        path: None,
        pairs: None,
        cut: None,
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
            PairOutcome::Path(p) => PathJson {
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
                PathJson {
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
        let pairs = all_pairs(
            &mut planner,
            n,
            objective,
            args.quiet || args.json,
            "all pairs",
        );
        if let Some(path) = &args.matrix {
            let mut set = OutputSet::new();
            for input in &input_files {
                set.protect_input(input);
            }
            set.add(path, matrix_csv(&network, &pairs).into_bytes());
            set.commit().map_err(|e| Failure::Run(e.to_string()))?;
        }
        if cutting {
            let mut baseline_planner =
                NetworkPlanner::new(&network, transceiver, vec![true; network.links.len()]);
            let baseline = all_pairs(
                &mut baseline_planner,
                n,
                objective,
                args.quiet || args.json,
                "intact network",
            );
            let mut cut = CutJson {
                cut_links,
                lost_connectivity: Vec::new(),
                more_regenerators: Vec::new(),
                longer: Vec::new(),
            };
            for ((a, b, before), (_, _, after)) in baseline.iter().zip(&pairs) {
                let row = pair_json(&network, *a, *b, after);
                match (before, after) {
                    (
                        PairSummary::Path { .. },
                        PairSummary::Disconnected | PairSummary::Unreachable,
                    ) => cut.lost_connectivity.push(row),
                    (
                        PairSummary::Path {
                            regenerators: p, ..
                        },
                        PairSummary::Path {
                            regenerators: q, ..
                        },
                    ) if q > p => cut.more_regenerators.push(row),
                    (
                        PairSummary::Path { length_km: p, .. },
                        PairSummary::Path { length_km: q, .. },
                    ) if *q > *p + 1e-6 => cut.longer.push(row),
                    _ => {}
                }
            }
            doc.cut = Some(cut);
        }
        if args.all_pairs {
            doc.pairs = Some(
                pairs
                    .iter()
                    .map(|(a, b, o)| pair_json(&network, *a, *b, o))
                    .collect(),
            );
        }
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

fn render(file: &str, doc: &NetworkJson) -> String {
    let mut out = format!(
        "fibra network — {} ({file}), transceiver {}\n",
        doc.name.as_deref().unwrap_or("(unnamed)"),
        doc.transceiver
    );
    if !doc.excluded_links.is_empty() {
        out.push_str(&format!(
            "excluded (hypothetical): {}\n",
            doc.excluded_links.join(", ")
        ));
    }
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
