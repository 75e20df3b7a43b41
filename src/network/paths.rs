//! Paths through the network with regenerators at nodes.
//!
//! For one transceiver and one set of links in service: the shortest-km route between every two
//! nodes is a candidate transparent section; its spans are concatenated and budgeted, and it is
//! an edge of the *reach graph* when the budget is feasible. A path request is a shortest path in
//! the reach graph, lexicographic in (km, regenerators) or (regenerators, km); every intermediate
//! section end is a regenerator.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use super::{Network, TransceiverType};
use crate::budget::{BudgetPlan, BudgetReport, Link, NliCache, Span, WdmGrid};

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
struct ShortestRoutes {
    km: Vec<f64>,
    previous: Vec<Option<(usize, usize)>>,
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

/// Path computations for one transceiver over the links in service.
pub struct NetworkPlanner<'a> {
    network: &'a Network,
    transceiver: TransceiverType,
    in_service: Vec<bool>,
    routes: Vec<ShortestRoutes>,
    /// Whether the transparent section (u, v) along the shortest route is feasible, and then its
    /// worst OSNR margin (a few bytes per pair: the reports themselves are not kept).
    sections: HashMap<(usize, usize), Option<Option<f64>>>,
    /// The η matrices of the network's fibres, computed once for every section's budget.
    nli: RefCell<NliCache>,
}

impl<'a> NetworkPlanner<'a> {
    /// A planner over the links with `in_service[k]` true.
    pub fn new(network: &'a Network, transceiver: TransceiverType, in_service: Vec<bool>) -> Self {
        let routes = (0..network.nodes.len())
            .map(|s| shortest_routes(network, &in_service, s))
            .collect();
        Self {
            network,
            transceiver,
            in_service,
            routes,
            sections: HashMap::new(),
            nli: RefCell::new(NliCache::new()),
        }
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
        let mut spans = Vec::new();
        for (step, &k) in links.iter().enumerate() {
            let link = &self.network.links[k];
            let mut link_spans = link.spans();
            if link.a != nodes[step] {
                link_spans.reverse();
                for span in &mut link_spans {
                    std::mem::swap(&mut span.connector_in_db, &mut span.connector_out_db);
                }
            }
            spans.extend(link_spans);
        }
        spans
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
        };
        Some(BudgetPlan::with_cache(&link, &mut self.nli.borrow_mut()).run())
    }

    /// `Some(worst margin)` when the section (from, to) is feasible.
    fn feasible_section(&mut self, from: usize, to: usize) -> Option<Option<f64>> {
        if let Some(cached) = self.sections.get(&(from, to)) {
            return *cached;
        }
        let result = self
            .section_budget(from, to)
            .filter(|report| report.summary.feasible)
            .map(|report| report.summary.osnr_margin_db);
        self.sections.insert((from, to), result);
        result
    }

    /// The budget of every transparent section of `path`, in order.
    pub fn section_budgets(&self, path: &PathResult) -> Vec<BudgetReport> {
        path.section_ends
            .iter()
            .filter_map(|&(a, b)| self.section_budget(a, b))
            .collect()
    }

    /// The best path from `from` to every node (the reach graph searched from `from`).
    pub fn paths_from(&mut self, from: usize, objective: PathObjective) -> Vec<PairOutcome> {
        let n = self.network.nodes.len();
        let mut best: Vec<Option<((f64, f64), usize)>> = vec![None; n];
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
            if node != from && !self.network.nodes[node].can_regenerate {
                continue;
            }
            for next in 0..n {
                if next == node || done[next] || !self.route_km(node, next).is_finite() {
                    continue;
                }
                if self.feasible_section(node, next).is_none() {
                    continue;
                }
                let km = self.route_km(node, next);
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
                    margins.push(
                        self.sections
                            .get(&(pair[0], pair[1]))
                            .copied()
                            .flatten()
                            .flatten(),
                    );
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
    pub fn path(&mut self, from: usize, to: usize, objective: PathObjective) -> PairOutcome {
        self.paths_from(from, objective).swap_remove(to)
    }

    /// Every pair `(a, b)` with `a < b`, in that order, with its summary; `progress` is called
    /// once per start node.
    pub fn all_pairs(
        &mut self,
        objective: PathObjective,
        progress: &mut dyn FnMut(),
    ) -> Vec<(usize, usize, PairSummary)> {
        let n = self.network.nodes.len();
        let mut out = Vec::new();
        for a in 0..n {
            let outcomes = self.paths_from(a, objective);
            for (b, outcome) in outcomes.iter().enumerate().skip(a + 1) {
                out.push((a, b, PairSummary::from(outcome)));
            }
            progress();
        }
        out
    }
}

fn shortest_routes(network: &Network, in_service: &[bool], source: usize) -> ShortestRoutes {
    let n = network.nodes.len();
    let mut km = vec![f64::INFINITY; n];
    let mut previous = vec![None; n];
    km[source] = 0.0;
    let mut heap = BinaryHeap::new();
    heap.push(Entry {
        cost: (0.0, 0.0),
        node: source,
    });
    while let Some(Entry { cost, node }) = heap.pop() {
        if cost.0 > km[node] {
            continue;
        }
        for (k, link) in network.links.iter().enumerate() {
            if !in_service[k] {
                continue;
            }
            let next = if link.a == node {
                link.b
            } else if link.b == node {
                link.a
            } else {
                continue;
            };
            let candidate = km[node] + link.route_km;
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
    ShortestRoutes { km, previous }
}
