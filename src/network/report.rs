//! The documents `fibra network` prints (`--json`), as typed values: link summaries, one path,
//! all pairs, and the impact of cuts.

use serde::Serialize;

use super::{CutSummary, Network, PairSummary};
use crate::budget::BudgetReport;

/// One designed link at the default transceiver.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkSummary {
    /// First node.
    pub a: String,
    /// Second node.
    pub b: String,
    /// Route length, km.
    pub route_km: f64,
    /// Spans.
    pub spans: usize,
    /// In-line amplifiers and regenerators.
    pub amplifiers: usize,
    /// Worst channel's GSNR over its sections, dB.
    pub worst_gsnr_db: Option<f64>,
    /// Smallest OSNR margin over its sections, dB.
    pub margin_db: Option<f64>,
    /// Transparent end to end and feasible.
    pub feasible: bool,
    /// Terrain class.
    pub terrain: String,
    /// Shared-corridor tags.
    pub corridors: Vec<String>,
    /// Why the link could not be designed.
    pub error: Option<String>,
}

/// The outcome for one pair of nodes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairReport {
    /// First node.
    pub a: String,
    /// Second node.
    pub b: String,
    /// A route exists over the links in service.
    pub connected: bool,
    /// A feasible path (with regenerators at nodes) exists.
    pub reachable: bool,
    /// Path length, km.
    pub length_km: Option<f64>,
    /// Regenerators on the path.
    pub regenerators: Option<usize>,
    /// Smallest OSNR margin over the path's sections, dB.
    pub worst_margin_db: Option<f64>,
}

/// The best path between two nodes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathReport {
    /// Start node.
    pub from: String,
    /// End node.
    pub to: String,
    /// A feasible path exists.
    pub reachable: bool,
    /// A route exists.
    pub connected: bool,
    /// Nodes in order.
    pub path: Vec<String>,
    /// Length, km.
    pub length_km: Option<f64>,
    /// Nodes hosting a regenerator.
    pub regenerators: Vec<String>,
    /// Smallest OSNR margin over its sections, dB.
    pub worst_margin_db: Option<f64>,
    /// Budget of each transparent section.
    pub sections: Vec<BudgetReport>,
}

/// What taking links out of service does to the pairs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutReport {
    /// The links taken out, `A-B`.
    pub cut_links: Vec<String>,
    /// Pairs with a path before and none after.
    pub lost_connectivity: Vec<PairReport>,
    /// Pairs whose path needs more regenerators.
    pub more_regenerators: Vec<PairReport>,
    /// Pairs whose path is longer (same regenerators or fewer).
    pub longer: Vec<PairReport>,
}

/// The whole `fibra network` document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkReport {
    /// Network name.
    pub name: Option<String>,
    /// Transceiver the paths are planned for.
    pub transceiver: String,
    /// The NLI model of the paths' budgets: `gn` or `egn`.
    pub nli_model: &'static str,
    /// The format the EGN correction assumes for the paths (`null` under GN).
    pub modulation: Option<crate::budget::SignalFormat>,
    /// Links left out (hypothetical).
    pub excluded_links: Vec<String>,
    /// Counts and lengths of the network as planned.
    pub totals: NetworkTotals,
    /// Every link.
    pub links: Vec<LinkSummary>,
    /// `--path A B`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<PathReport>,
    /// `--all-pairs`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pairs: Option<Vec<PairReport>>,
    /// `--cut`, `--cut-corridor`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cut: Option<CutReport>,
    /// `--all-cuts`: every single cut, worst first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all_cuts: Option<Vec<CutSummary>>,
}

/// What the network holds: nodes by kind, links, route km, the capitals and people connected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkTotals {
    /// Nodes.
    pub nodes: usize,
    /// Nodes of each kind (`regional_capital`, `provincial_capital`, `international`,
    /// `junction`, `node`), only the kinds present.
    pub nodes_by_kind: std::collections::BTreeMap<String, usize>,
    /// Links in the network (hypothetical ones only when asked for).
    pub links: usize,
    /// Of those, hypothetical.
    pub hypothetical_links: usize,
    /// Σ route km of the links: each corridor stretch once when the links file holds every
    /// stretch once (de-duplicated), as the grown Peru network does.
    pub route_km: f64,
    /// Capitals (regional and provincial) on at least one link.
    pub capitals_connected: usize,
    /// Capitals with no link (e.g. reachable only by hypothetical links).
    pub capitals_unconnected: usize,
    /// Population of the nodes on at least one link (0 when not known).
    pub population_connected: f64,
}

impl Network {
    /// The network's totals.
    pub fn totals(&self) -> NetworkTotals {
        let mut linked = vec![false; self.nodes.len()];
        for link in &self.links {
            linked[link.a] = true;
            linked[link.b] = true;
        }
        let mut nodes_by_kind = std::collections::BTreeMap::new();
        for node in &self.nodes {
            *nodes_by_kind
                .entry(node.kind.name().to_string())
                .or_insert(0) += 1;
        }
        let capitals = |connected: bool| {
            self.nodes
                .iter()
                .zip(&linked)
                .filter(|(n, &l)| n.kind.is_capital() && l == connected)
                .count()
        };
        NetworkTotals {
            nodes: self.nodes.len(),
            nodes_by_kind,
            links: self.links.len(),
            hypothetical_links: self.links.iter().filter(|l| l.hypothetical).count(),
            route_km: self.links.iter().map(|l| l.route_km).sum(),
            capitals_connected: capitals(true),
            capitals_unconnected: capitals(false),
            population_connected: self
                .nodes
                .iter()
                .zip(&linked)
                .filter(|(_, &l)| l)
                .filter_map(|(n, _)| n.population)
                .sum(),
        }
    }

    /// One summary per link, in file order.
    pub fn link_summaries(&self) -> Vec<LinkSummary> {
        self.links
            .iter()
            .map(|l| {
                let (a, b) = (self.nodes[l.a].name.clone(), self.nodes[l.b].name.clone());
                let design = l.design.as_ref().ok();
                LinkSummary {
                    a,
                    b,
                    route_km: l.route_km,
                    spans: design.map_or(0, |d| d.spans.len()),
                    amplifiers: design.map_or(0, |d| d.amplifiers + d.regenerators),
                    worst_gsnr_db: design.and_then(|d| d.worst_gsnr_db()),
                    margin_db: design.and_then(|d| d.worst_margin_db()),
                    feasible: design.is_some_and(|d| d.transparent_and_feasible()),
                    terrain: l.terrain.clone(),
                    corridors: l.corridors.clone(),
                    error: l.design.as_ref().err().map(ToString::to_string),
                }
            })
            .collect()
    }

    /// The report of the pair `(a, b)` (node indices).
    pub fn pair_report(&self, a: usize, b: usize, outcome: &PairSummary) -> PairReport {
        let (a, b) = (self.nodes[a].name.clone(), self.nodes[b].name.clone());
        let (connected, reachable, length_km, regenerators, worst_margin_db) = match *outcome {
            PairSummary::Path {
                length_km,
                regenerators,
                worst_margin_db,
            } => (
                true,
                true,
                Some(length_km),
                Some(regenerators),
                worst_margin_db,
            ),
            PairSummary::Disconnected => (false, false, None, None, None),
            PairSummary::Unreachable => (true, false, None, None, None),
        };
        PairReport {
            a,
            b,
            connected,
            reachable,
            length_km,
            regenerators,
            worst_margin_db,
        }
    }

    /// Index of the link written `A-B` or `B-A` (node names).
    pub fn link_named(&self, label: &str) -> Option<usize> {
        self.links.iter().position(|l| {
            let (a, b) = (&self.nodes[l.a].name, &self.nodes[l.b].name);
            label == format!("{a}-{b}") || label == format!("{b}-{a}")
        })
    }

    /// Indices of the links tagged with the corridor `tag`.
    pub fn links_in_corridor(&self, tag: &str) -> Vec<usize> {
        (0..self.links.len())
            .filter(|&k| self.links[k].corridors.iter().any(|c| c == tag))
            .collect()
    }

    /// The impact of cutting `cut_links`: every pair `(a, b, outcome)` of `after` (the network
    /// with the links out of service) against the same pair in `before` (intact), both in the
    /// same pair order. A pair loses connectivity when it had a path and has none; it needs more
    /// regenerators when its new path has more; it is longer when its new path is longer by more
    /// than 1 mm with no more regenerators.
    pub fn cut_impact(
        &self,
        cut_links: Vec<String>,
        before: &[(usize, usize, PairSummary)],
        after: &[(usize, usize, PairSummary)],
    ) -> CutReport {
        let mut cut = CutReport {
            cut_links,
            lost_connectivity: Vec::new(),
            more_regenerators: Vec::new(),
            longer: Vec::new(),
        };
        for ((a, b, before), (_, _, after)) in before.iter().zip(after) {
            let row = || self.pair_report(*a, *b, after);
            match (before, after) {
                (
                    PairSummary::Path { .. },
                    PairSummary::Disconnected | PairSummary::Unreachable,
                ) => cut.lost_connectivity.push(row()),
                (
                    PairSummary::Path {
                        regenerators: p, ..
                    },
                    PairSummary::Path {
                        regenerators: q, ..
                    },
                ) if q > p => cut.more_regenerators.push(row()),
                (
                    PairSummary::Path { length_km: p, .. },
                    PairSummary::Path { length_km: q, .. },
                ) if *q > *p + 1e-6 => cut.longer.push(row()),
                _ => {}
            }
        }
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three nodes, no links: enough for names and pair bookkeeping.
    fn three_nodes() -> Network {
        crate::network::nodes_only(&["Lima", "Ica, sur", "Cusco"])
    }

    fn path(length_km: f64, regenerators: usize) -> PairSummary {
        PairSummary::Path {
            length_km,
            regenerators,
            worst_margin_db: Some(3.0),
        }
    }

    #[test]
    fn a_cut_sorts_each_pair_by_what_it_lost() {
        let network = three_nodes();
        let before = [
            (0, 1, path(300.0, 0)),
            (0, 2, path(1000.0, 0)),
            (1, 2, path(700.0, 1)),
        ];
        let after = [
            (0, 1, PairSummary::Disconnected),
            (0, 2, path(1200.0, 1)),
            (1, 2, path(700.0 + 1e-9, 1)),
        ];
        let cut = network.cut_impact(vec!["Lima-Ica, sur".into()], &before, &after);
        assert_eq!(cut.lost_connectivity.len(), 1);
        assert_eq!(cut.lost_connectivity[0].b, "Ica, sur");
        assert!(!cut.lost_connectivity[0].connected);
        // More regenerators takes precedence over longer; a nanometre is not longer.
        assert_eq!(cut.more_regenerators.len(), 1);
        assert_eq!(cut.more_regenerators[0].regenerators, Some(1));
        assert!(cut.longer.is_empty());
    }

    #[test]
    fn a_pair_report_says_connected_and_reachable_apart() {
        let network = three_nodes();
        let unreachable = network.pair_report(0, 2, &PairSummary::Unreachable);
        assert!(unreachable.connected && !unreachable.reachable);
        assert_eq!(unreachable.length_km, None);
        let reached = network.pair_report(0, 2, &path(1000.0, 2));
        assert_eq!(
            (
                reached.length_km,
                reached.regenerators,
                reached.worst_margin_db
            ),
            (Some(1000.0), Some(2), Some(3.0))
        );
    }
}
