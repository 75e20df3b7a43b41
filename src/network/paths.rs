//! Paths through the network with regenerators at nodes.
//!
//! For one transceiver and one set of links in service: the shortest-km route between every two
//! nodes is a candidate transparent section; its spans are concatenated and budgeted, and it is
//! an edge of the *reach graph* when the budget is feasible. A path request is a shortest path in
//! the reach graph, lexicographic in (km, regenerators) or (regenerators, km); every intermediate
//! section end is a regenerator.
//!
//! Cost: the sections from one node are the prefixes of its shortest-route tree, so they are
//! budgeted by one walk down the tree ([`SpanWalk`], cloned where the tree branches): every span
//! once per source node, not once per pair; the sources run in parallel. A cut reuses the intact
//! network's sections wherever the route did not change.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Mutex;

use rayon::prelude::*;

use super::{Network, TransceiverType};
use crate::budget::{BudgetPlan, BudgetReport, Link, NliCache, Span, SpanWalk, WdmGrid};

/// What a path request minimises first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathObjective {
    /// Shortest route length, then fewest regenerators.
    Km,
    /// Fewest regenerators, then shortest route length.
    Regenerators,
}

/// A feasible path with its regenerators.
#[derive(Debug, Clone, PartialEq)]
pub struct PathResult {
    /// Node indices in order, both ends included.
    pub nodes: Vec<usize>,
    /// Route length, km.
    pub length_km: f64,
    /// Regenerator node indices, in order.
    pub regenerators: Vec<usize>,
    /// The end nodes of each transparent section, in order (their budgets:
    /// [`NetworkPlanner::section_budgets`]).
    pub section_ends: Vec<(usize, usize)>,
    /// Smallest OSNR margin over the sections, dB (`None` without a required OSNR).
    pub worst_margin_db: Option<f64>,
}

/// The few numbers all-pairs and cut analyses keep per pair (O(1) memory, not the path).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PairSummary {
    /// A feasible path.
    Path {
        /// Route length, km.
        length_km: f64,
        /// Regenerators on it.
        regenerators: usize,
        /// Smallest OSNR margin over its sections, dB.
        worst_margin_db: Option<f64>,
    },
    /// No route at all.
    Disconnected,
    /// Connected, but no regenerator placement closes every section.
    Unreachable,
}

impl From<&PairOutcome> for PairSummary {
    fn from(outcome: &PairOutcome) -> Self {
        match outcome {
            PairOutcome::Path(p) => PairSummary::Path {
                length_km: p.length_km,
                regenerators: p.regenerators.len(),
                worst_margin_db: p.worst_margin_db,
            },
            PairOutcome::Disconnected => PairSummary::Disconnected,
            PairOutcome::Unreachable => PairSummary::Unreachable,
        }
    }
}

/// The answer to a path request.
#[derive(Debug, Clone, PartialEq)]
pub enum PairOutcome {
    /// A feasible path.
    Path(PathResult),
    /// No route at all between the two nodes in the links in service.
    Disconnected,
    /// Connected, but no placement of regenerators at nodes closes every section.
    Unreachable,
}

/// Shortest-km routes from one node: distance and the (node, link) predecessor of every node.
/// The shortest routes from one node: km to every node, the (node, link) each is reached from,
/// and the nodes in the order they were settled (parents before children).
#[derive(Debug, Clone)]
struct ShortestRoutes {
    km: Vec<f64>,
    previous: Vec<Option<(usize, usize)>>,
    order: Vec<usize>,
}

#[derive(PartialEq)]
struct Entry {
    cost: (f64, f64),
    node: usize,
}

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Min-heap on the lexicographic cost.
        other
            .cost
            .0
            .total_cmp(&self.cost.0)
            .then(other.cost.1.total_cmp(&self.cost.1))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A reach-graph search from one node: for every node, its best cost (in the objective's order)
/// and the section end it is reached from (`None`: not reached).
pub(super) type Search = Vec<Option<((f64, f64), usize)>>;

/// A section's verdict: `Some(worst OSNR margin)` when feasible, `None` when not (or a link on
/// its route has no design, or there is no route).
type Section = Option<Option<f64>>;

/// Path computations for one transceiver over the links in service.
pub struct NetworkPlanner<'a> {
    network: &'a Network,
    transceiver: TransceiverType,
    in_service: Vec<bool>,
    routes: Vec<ShortestRoutes>,
    /// `sections[u·n + v]`: the section from u to v along the shortest route (a few bytes per
    /// pair: the reports themselves are not kept).
    sections: Vec<Section>,
    /// For each node, the feasible sections from it: (far end, route km).
    reach: Vec<Vec<(usize, f64)>>,
    /// Whether a cut changed the shortest route of any pair still connected
    /// ([`NetworkPlanner::after_cut`]; false for the intact network).
    rerouted_any: bool,
    /// The η matrices of the network's fibres, shared by every section's budget.
    nli: Mutex<NliCache>,
}

impl<'a> NetworkPlanner<'a> {
    /// A planner over the links with `in_service[k]` true: every section budgeted.
    pub fn new(network: &'a Network, transceiver: TransceiverType, in_service: Vec<bool>) -> Self {
        let mut planner = Self::routed(network, transceiver, in_service);
        let cache = planner.warm_cache();
        let n = network.nodes.len();
        let rows: Vec<Vec<Section>> = (0..n)
            .into_par_iter()
            .map_init(
                || cache.clone(),
                |cache, u| planner.section_row(u, None, cache),
            )
            .collect();
        planner.set_sections(rows);
        planner.nli = Mutex::new(cache);
        planner
    }

    /// [`NetworkPlanner::new`] for the links with `in_service[k]` true, reusing the sections of
    /// `intact` (the same network and transceiver with more links in service) whose shortest
    /// route is unchanged: only rerouted sections are budgeted again.
    pub fn after_cut(intact: &NetworkPlanner<'a>, in_service: Vec<bool>) -> Self {
        let mut planner = Self::routed(intact.network, intact.transceiver.clone(), in_service);
        let cache = intact.cache();
        let n = planner.network.nodes.len();
        let rows: Vec<(Vec<Section>, bool)> = (0..n)
            .into_par_iter()
            .map_init(
                || cache.clone(),
                |cache, u| {
                    let changed = planner.rerouted(u, &intact.routes[u]);
                    let mut row = planner.section_row(u, Some(&changed), cache);
                    for v in 0..n {
                        if !changed[v] && planner.routes[u].km[v].is_finite() {
                            row[v] = intact.sections[u * n + v];
                        }
                    }
                    (row, changed.contains(&true))
                },
            )
            .collect();
        planner.rerouted_any = rows.iter().any(|(_, changed)| *changed);
        planner.set_sections(rows.into_iter().map(|(row, _)| row).collect());
        planner.nli = Mutex::new(cache);
        planner
    }

    /// Keeps the section table (rows by start node) and the reach lists drawn from it.
    fn set_sections(&mut self, rows: Vec<Vec<Section>>) {
        self.reach = rows
            .iter()
            .enumerate()
            .map(|(u, row)| {
                row.iter()
                    .enumerate()
                    .filter(|&(v, section)| v != u && section.is_some())
                    .map(|(v, _)| (v, self.routes[u].km[v]))
                    .collect()
            })
            .collect();
        self.sections = rows.into_iter().flatten().collect();
    }

    /// The planner with its shortest routes, before any section is budgeted.
    fn routed(network: &'a Network, transceiver: TransceiverType, in_service: Vec<bool>) -> Self {
        let n = network.nodes.len();
        let mut adjacent: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
        for (k, link) in network.links.iter().enumerate() {
            if in_service[k] {
                adjacent[link.a].push((link.b, k));
                adjacent[link.b].push((link.a, k));
            }
        }
        let routes = (0..n)
            .into_par_iter()
            .map(|s| shortest_routes(network, &adjacent, s))
            .collect();
        Self {
            network,
            transceiver,
            in_service,
            routes,
            sections: Vec::new(),
            reach: Vec::new(),
            rerouted_any: false,
            nli: Mutex::new(NliCache::new()),
        }
    }

    /// A cache holding the η matrix of every fibre of the links in service (computed once, then
    /// shared read-only by the parallel walks).
    fn warm_cache(&self) -> NliCache {
        let mut cache = NliCache::new();
        let grid = self.grid();
        for (k, link) in self.network.links.iter().enumerate() {
            if self.in_service[k] {
                for span in link.spans() {
                    cache.coefficients(
                        &span.fiber,
                        &grid,
                        self.transceiver.nli_model(self.network.nli_model),
                    );
                }
            }
        }
        cache
    }

    /// A copy of the planner's η cache.
    fn cache(&self) -> NliCache {
        self.nli
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Which nodes' shortest route from `u` differs from `before` (parents settle first, so a
    /// node whose parent's route changed has changed too).
    fn rerouted(&self, u: usize, before: &ShortestRoutes) -> Vec<bool> {
        let routes = &self.routes[u];
        let mut changed = vec![false; routes.km.len()];
        for &v in &routes.order {
            changed[v] = match routes.previous[v] {
                None => false,
                Some((p, k)) => before.previous[v] != Some((p, k)) || changed[p],
            };
        }
        changed
    }

    /// The sections from `u` to every node, by one walk down `u`'s shortest-route tree; with
    /// `only`, just the nodes it marks (the walk goes down only the branches that lead to them).
    fn section_row(&self, u: usize, only: Option<&[bool]>, cache: &mut NliCache) -> Vec<Section> {
        self.section_row_pruned(u, only, cache, true)
    }

    /// [`NetworkPlanner::section_row`]; with `prune`, a section that fails a limit no longer
    /// span can lift (the GSNR, the PMD, a span's gain or NLI: [`crate::budget::Limit::holds_for_extensions`])
    /// ends the walk down its branch, every section beyond it failing too.
    fn section_row_pruned(
        &self,
        u: usize,
        only: Option<&[bool]>,
        cache: &mut NliCache,
        prune: bool,
    ) -> Vec<Section> {
        let n = self.network.nodes.len();
        let routes = &self.routes[u];
        let mut children: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
        for v in 0..n {
            if let Some((p, k)) = routes.previous[v] {
                children[p].push((v, k));
            }
        }
        // Whether a node, or a node below it, is wanted.
        let mut wanted: Vec<bool> = (0..n).map(|v| only.is_none_or(|o| o[v])).collect();
        for &v in routes.order.iter().rev() {
            if let Some((p, _)) = routes.previous[v] {
                wanted[p] |= wanted[v];
            }
        }
        let mut row: Vec<Section> = vec![None; n];
        let base = Link {
            name: None,
            grid: self.grid(),
            launch_power_dbm: self.network.launch_power_dbm,
            spans: Vec::new(),
            transceiver: self.transceiver.requirements.clone(),
            nli_model: self.transceiver.nli_model(self.network.nli_model),
            start_roadm: None,
        };
        let mut stack = vec![(u, SpanWalk::new(&base))];
        while let Some((node, walk)) = stack.pop() {
            let next: Vec<&(usize, usize)> =
                children[node].iter().filter(|(c, _)| wanted[*c]).collect();
            let mut walk = Some(walk);
            for (i, &&(child, k)) in next.iter().enumerate() {
                let link = &self.network.links[k];
                if link.design.is_err() {
                    continue; // no design: this section and every one beyond it are out
                }
                let mut extended = if i + 1 == next.len() {
                    walk.take().expect("moved once, last")
                } else {
                    walk.clone().expect("kept for the other branches")
                };
                for span in oriented_spans(link, node) {
                    extended.push(&span, cache);
                }
                if only.is_none_or(|o| o[child]) {
                    let report = extended.report();
                    row[child] = report
                        .summary
                        .feasible
                        .then_some(report.summary.osnr_margin_db);
                    let hopeless = report
                        .summary
                        .limits
                        .iter()
                        .any(|l| l.holds_for_extensions());
                    if prune && hopeless {
                        continue; // every section beyond fails too: left None
                    }
                }
                stack.push((child, extended));
            }
        }
        row
    }

    /// The links in service.
    pub fn in_service(&self) -> &[bool] {
        &self.in_service
    }

    /// Length of the shortest route between two nodes, km (infinite when disconnected).
    pub fn route_km(&self, from: usize, to: usize) -> f64 {
        self.routes[from].km[to]
    }

    /// Nodes and links of the shortest route from `from` to `to`.
    fn route(&self, from: usize, to: usize) -> (Vec<usize>, Vec<usize>) {
        let mut nodes = vec![to];
        let mut links = Vec::new();
        let mut at = to;
        while let Some((previous, link)) = self.routes[from].previous[at] {
            nodes.push(previous);
            links.push(link);
            at = previous;
        }
        nodes.reverse();
        links.reverse();
        (nodes, links)
    }

    /// The WDM grid of this transceiver: its spacing and symbol rate over the `[signal]` band.
    fn grid(&self) -> WdmGrid {
        self.network.grid.filled_with(
            self.transceiver.symbol_rate_gbaud,
            self.transceiver.spacing_ghz,
        )
    }

    /// The concatenated spans of the shortest route from `from` to `to`.
    fn section_spans(&self, from: usize, to: usize) -> Vec<Span> {
        let (nodes, links) = self.route(from, to);
        links
            .iter()
            .zip(&nodes)
            .flat_map(|(&k, &at)| oriented_spans(&self.network.links[k], at))
            .collect()
    }

    /// The budget of the section (from, to) along the shortest route (`None` when a link on it
    /// has no design).
    fn section_budget(&self, from: usize, to: usize) -> Option<BudgetReport> {
        let spans = self.section_spans(from, to);
        let routed_links = self.route(from, to).1;
        let all_designed = routed_links
            .iter()
            .all(|&k| self.network.links[k].design.is_ok());
        if spans.is_empty() || !all_designed {
            return None;
        }
        let link = Link {
            name: Some(format!(
                "{} – {}",
                self.network.nodes[from].name, self.network.nodes[to].name
            )),
            grid: self.grid(),
            launch_power_dbm: self.network.launch_power_dbm,
            spans,
            transceiver: self.transceiver.requirements.clone(),
            nli_model: self.transceiver.nli_model(self.network.nli_model),
            start_roadm: None,
        };
        let mut cache = self
            .nli
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Some(BudgetPlan::with_cache(&link, &mut cache).run())
    }

    /// `Some(worst margin)` when the section (from, to) is feasible.
    fn feasible_section(&self, from: usize, to: usize) -> Section {
        self.sections[from * self.network.nodes.len() + to]
    }

    /// The budget of every transparent section of `path`, in order.
    pub fn section_budgets(&self, path: &PathResult) -> Vec<BudgetReport> {
        path.section_ends
            .iter()
            .filter_map(|&(a, b)| self.section_budget(a, b))
            .collect()
    }

    /// The reach graph searched from `from`: for every node, its best cost (in the objective's
    /// order) and the section end it is reached from.
    pub(super) fn search(&self, from: usize, objective: PathObjective) -> Search {
        let n = self.network.nodes.len();
        let mut best: Search = vec![None; n];
        best[from] = Some(((0.0, 0.0), from));
        let mut done = vec![false; n];
        let mut heap = BinaryHeap::new();
        heap.push(Entry {
            cost: (0.0, 0.0),
            node: from,
        });
        while let Some(Entry { cost, node }) = heap.pop() {
            if done[node] {
                continue;
            }
            done[node] = true;
            // A section can only start at the source or at a node that can regenerate.
            if node != from && !self.network.nodes[node].can_regenerate() {
                continue;
            }
            for &(next, km) in &self.reach[node] {
                if done[next] {
                    continue;
                }
                let regen = if node == from { 0.0 } else { 1.0 };
                let (regens, length) = match objective {
                    PathObjective::Km => (cost.1 + regen, cost.0 + km),
                    PathObjective::Regenerators => (cost.0 + regen, cost.1 + km),
                };
                let candidate = match objective {
                    PathObjective::Km => (length, regens),
                    PathObjective::Regenerators => (regens, length),
                };
                let better = best[next].is_none_or(|(c, _)| {
                    candidate.0 < c.0 || (candidate.0 == c.0 && candidate.1 < c.1)
                });
                if better {
                    best[next] = Some((candidate, node));
                    heap.push(Entry {
                        cost: candidate,
                        node: next,
                    });
                }
            }
        }
        best
    }

    /// The summary of the best path from `from` to every node, without building the paths.
    fn summaries_from(&self, from: usize, objective: PathObjective) -> Vec<PairSummary> {
        self.summaries_of(from, objective, &self.search(from, objective))
    }

    /// Whether the cut that made this planner changed the route of a pair still connected.
    pub(super) fn rerouted_any(&self) -> bool {
        self.rerouted_any
    }

    /// [`NetworkPlanner::summaries_from`] from an already searched reach graph (`best`).
    pub(super) fn summaries_of(
        &self,
        from: usize,
        objective: PathObjective,
        best: &[Option<((f64, f64), usize)>],
    ) -> Vec<PairSummary> {
        (0..self.network.nodes.len())
            .map(|to| {
                if to != from && !self.route_km(from, to).is_finite() {
                    return PairSummary::Disconnected;
                }
                let Some((cost, _)) = best[to] else {
                    return PairSummary::Unreachable;
                };
                let mut worst_margin_db: Option<f64> = None;
                let mut at = to;
                while at != from {
                    let previous = best[at].expect("reached").1;
                    if let Some(m) = self.feasible_section(previous, at).flatten() {
                        worst_margin_db = Some(worst_margin_db.map_or(m, |w| w.min(m)));
                    }
                    at = previous;
                }
                let (length_km, sections) = match objective {
                    PathObjective::Km => cost,
                    PathObjective::Regenerators => (cost.1, cost.0),
                };
                PairSummary::Path {
                    length_km,
                    regenerators: if to == from { 0 } else { sections as usize },
                    worst_margin_db,
                }
            })
            .collect()
    }

    /// The best path from `from` to every node (the reach graph searched from `from`).
    pub fn paths_from(&self, from: usize, objective: PathObjective) -> Vec<PairOutcome> {
        let n = self.network.nodes.len();
        let best = self.search(from, objective);
        (0..n)
            .map(|to| {
                if to == from {
                    return PairOutcome::Path(PathResult {
                        nodes: vec![from],
                        length_km: 0.0,
                        regenerators: Vec::new(),
                        section_ends: Vec::new(),
                        worst_margin_db: None,
                    });
                }
                if !self.route_km(from, to).is_finite() {
                    return PairOutcome::Disconnected;
                }
                if best[to].is_none() {
                    return PairOutcome::Unreachable;
                }
                let mut ends = vec![to];
                let mut at = to;
                while at != from {
                    at = best[at].expect("reached").1;
                    ends.push(at);
                }
                ends.reverse();
                let mut nodes = vec![from];
                let mut section_ends = Vec::new();
                let mut margins = Vec::new();
                let mut length_km = 0.0;
                for pair in ends.windows(2) {
                    nodes.extend(self.route(pair[0], pair[1]).0.into_iter().skip(1));
                    length_km += self.route_km(pair[0], pair[1]);
                    section_ends.push((pair[0], pair[1]));
                    // Every section on a found path was judged feasible (and cached) by the search.
                    margins.push(self.feasible_section(pair[0], pair[1]).flatten());
                }
                let worst_margin_db = margins.into_iter().flatten().min_by(f64::total_cmp);
                PairOutcome::Path(PathResult {
                    nodes,
                    length_km,
                    regenerators: ends[1..ends.len() - 1].to_vec(),
                    section_ends,
                    worst_margin_db,
                })
            })
            .collect()
    }

    /// The best path between two nodes.
    pub fn path(&self, from: usize, to: usize, objective: PathObjective) -> PairOutcome {
        self.paths_from(from, objective).swap_remove(to)
    }

    /// Every pair `(a, b)` with `a < b`, in that order, with its summary; the start nodes run
    /// in parallel and `progress` is called once per start node.
    pub fn all_pairs(
        &self,
        objective: PathObjective,
        progress: &(dyn Fn() + Sync),
    ) -> Vec<(usize, usize, PairSummary)> {
        upper_pairs(self.network.nodes.len(), |a| {
            let summaries = self.summaries_from(a, objective);
            progress();
            summaries
        })
    }
}

/// Every pair `(a, b)` with `a < b`, in that order, from `row(a)` (the summaries from `a` to every
/// node), the rows computed in parallel.
pub(super) fn upper_pairs(
    n: usize,
    row: impl Fn(usize) -> Vec<PairSummary> + Sync,
) -> Vec<(usize, usize, PairSummary)> {
    let rows: Vec<Vec<(usize, usize, PairSummary)>> = (0..n)
        .into_par_iter()
        .map(|a| {
            row(a)
                .into_iter()
                .enumerate()
                .skip(a + 1)
                .map(|(b, summary)| (a, b, summary))
                .collect()
        })
        .collect();
    rows.into_iter().flatten().collect()
}

/// The spans of `link` walked from node `at` (reversed, connectors swapped, from its `b` end).
fn oriented_spans(link: &super::NetworkLink, at: usize) -> Vec<Span> {
    let mut spans = link.spans();
    if link.a != at {
        spans.reverse();
        for span in &mut spans {
            std::mem::swap(&mut span.connector_in_db, &mut span.connector_out_db);
        }
    }
    spans
}

fn shortest_routes(
    network: &Network,
    adjacent: &[Vec<(usize, usize)>],
    source: usize,
) -> ShortestRoutes {
    let n = network.nodes.len();
    let mut km = vec![f64::INFINITY; n];
    let mut previous = vec![None; n];
    let mut order = Vec::with_capacity(n);
    let mut settled = vec![false; n];
    km[source] = 0.0;
    let mut heap = BinaryHeap::new();
    heap.push(Entry {
        cost: (0.0, 0.0),
        node: source,
    });
    while let Some(Entry { cost, node }) = heap.pop() {
        if cost.0 > km[node] || settled[node] {
            continue;
        }
        settled[node] = true;
        order.push(node);
        // Links in index order, as before: ties keep the same route.
        for &(next, k) in &adjacent[node] {
            let candidate = km[node] + network.links[k].route_km;
            if candidate < km[next] {
                km[next] = candidate;
                previous[next] = Some((node, k));
                heap.push(Entry {
                    cost: (candidate, 0.0),
                    node: next,
                });
            }
        }
    }
    ShortestRoutes {
        km,
        previous,
        order,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grown_peru() -> Network {
        let file =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/peru/network.toml");
        crate::io::network_file::read_network(&file)
            .unwrap()
            .plan
            .design_links()
    }

    #[test]
    fn tree_walk_sections_equal_full_budgets_and_pruning_changes_nothing() {
        let network = grown_peru();
        let trx = network.transceiver("100G-DP-QPSK").unwrap().clone();
        let planner = NetworkPlanner::new(&network, trx, vec![true; network.links.len()]);
        let n = network.nodes.len();
        let mut cache = planner.cache();
        let mut infeasible = 0;
        for u in (0..n).step_by(7) {
            let unpruned = planner.section_row_pruned(u, None, &mut cache, false);
            for (v, &walked) in unpruned.iter().enumerate() {
                // The pruned table (what the planner keeps) equals the unpruned walk…
                assert_eq!(planner.feasible_section(u, v), walked, "{u}->{v}");
                if v == u || !planner.route_km(u, v).is_finite() {
                    continue;
                }
                // …and the full budget of the concatenated spans, bit for bit.
                let full = planner
                    .section_budget(u, v)
                    .filter(|r| r.summary.feasible)
                    .map(|r| r.summary.osnr_margin_db);
                assert_eq!(walked, full, "{u}->{v}");
                infeasible += usize::from(full.is_none());
            }
        }
        assert!(
            infeasible > 100,
            "the sample has sections beyond reach: {infeasible}"
        );
    }

    #[test]
    fn a_cut_planner_equals_one_built_from_scratch() {
        let network = grown_peru();
        let trx = network.transceiver("100G-DP-QPSK").unwrap().clone();
        let all = vec![true; network.links.len()];
        let intact = NetworkPlanner::new(&network, trx.clone(), all.clone());
        // A ring link (reroutes) and a spur (cuts off), by name.
        for label in ["Lima-Huacho", "Chachapoyas-Mendoza", "Cusco-Anta"] {
            let k = network
                .link_named(label)
                .unwrap_or_else(|| panic!("{label}"));
            let mut in_service = all.clone();
            in_service[k] = false;
            let reused = NetworkPlanner::after_cut(&intact, in_service.clone());
            let fresh = NetworkPlanner::new(&network, trx.clone(), in_service);
            assert!(reused.sections == fresh.sections, "{label}: sections");
            assert_eq!(
                reused.all_pairs(PathObjective::Km, &|| {}),
                fresh.all_pairs(PathObjective::Km, &|| {}),
                "{label}: pairs"
            );
        }
    }
}
