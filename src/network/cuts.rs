//! Every single cut of a network: each shared corridor (all the links tagged with it) and each
//! untagged link, taken out in turn, with what it disconnects or degrades.

use rayon::prelude::*;
use serde::Serialize;

use super::paths::{upper_pairs, Search};
use super::{Network, NetworkPlanner, PairSummary, PathObjective};

/// What one cut does to the pairs of nodes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutSummary {
    /// The corridor tag, or the link `A-B` for an untagged link.
    pub cut: String,
    /// The links it takes out, `A-B`.
    pub links: Vec<String>,
    /// Pairs with a path before and none after.
    pub lost_connectivity: usize,
    /// Pairs whose path needs more regenerators.
    pub more_regenerators: usize,
    /// Pairs whose path is longer.
    pub longer: usize,
    /// Nodes left with no path to any other node.
    pub isolated: Vec<String>,
    /// Nodes cut off from the main network (the part that keeps the most population, or the
    /// most nodes when populations are not known) that were connected to it before.
    pub cut_off: Vec<String>,
    /// Population of the nodes cut off (0 when not known).
    pub population_cut_off: f64,
}

impl Network {
    /// The single cuts: every corridor tag (its links together), then every link without a tag,
    /// as (name, link indices).
    pub fn single_cuts(&self) -> Vec<(String, Vec<usize>)> {
        let mut tags: Vec<&String> = self.links.iter().flat_map(|l| &l.corridors).collect();
        tags.sort();
        tags.dedup();
        let mut cuts: Vec<(String, Vec<usize>)> = tags
            .into_iter()
            .map(|tag| (tag.clone(), self.links_in_corridor(tag)))
            .collect();
        cuts.extend(
            (0..self.links.len())
                .filter(|&k| self.links[k].corridors.is_empty())
                .map(|k| (self.links[k].label(&self.nodes), vec![k])),
        );
        cuts
    }

    /// The main component of the links in service: for each node, whether it is in the
    /// connected part with the most population (the most nodes when none is known).
    pub fn main_component(&self, in_service: &[bool]) -> Vec<bool> {
        let n = self.nodes.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn root(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for (k, link) in self.links.iter().enumerate() {
            if in_service[k] {
                let (ra, rb) = (root(&mut parent, link.a), root(&mut parent, link.b));
                parent[ra] = rb;
            }
        }
        let roots: Vec<usize> = (0..n).map(|v| root(&mut parent, v)).collect();
        let mut weight = vec![(0.0f64, 0usize); n];
        for (v, &r) in roots.iter().enumerate() {
            weight[r].0 += self.nodes[v].population.unwrap_or(0.0);
            weight[r].1 += 1;
        }
        let main = (0..n)
            .max_by(|&x, &y| {
                weight[x]
                    .0
                    .total_cmp(&weight[y].0)
                    .then(weight[x].1.cmp(&weight[y].1))
                    .then(y.cmp(&x))
            })
            .unwrap_or(0);
        roots.iter().map(|&r| r == main).collect()
    }

    /// The nodes that taking the links not `in_service` out separates from the main network
    /// ([`Network::main_component`] of every link, then of the links in service).
    pub fn cut_off(&self, in_service: &[bool]) -> Vec<usize> {
        let before = self.main_component(&vec![true; self.links.len()]);
        let after = self.main_component(in_service);
        (0..self.nodes.len())
            .filter(|&v| before[v] && !after[v])
            .collect()
    }

    /// Every single cut ([`Network::single_cuts`]) of the links `intact` has in service, against
    /// `baseline` (`intact`'s [`NetworkPlanner::all_pairs`] for `objective`), on rayon's pool,
    /// each reusing the intact sections whose route it does not change; ranked by the
    /// population cut off, then the pairs that lose connectivity, those needing more
    /// regenerators, those on a longer route. `progress` is called once per cut.
    pub fn all_single_cuts(
        &self,
        intact: &NetworkPlanner,
        objective: PathObjective,
        baseline: &[(usize, usize, PairSummary)],
        progress: &(dyn Fn() + Sync),
    ) -> Vec<CutSummary> {
        let main_before = self.main_component(intact.in_service());
        let n = self.nodes.len();
        // The intact reach-graph searches: a cut that reroutes nothing (a bridge, a link no
        // shortest route uses) keeps every search whose best paths avoid the nodes it cuts off.
        let intact_best: Vec<Search> = (0..n)
            .into_par_iter()
            .map(|u| intact.search(u, objective))
            .collect();
        let mut summaries: Vec<CutSummary> = self
            .single_cuts()
            .into_par_iter()
            .filter(|(_, cut)| cut.iter().any(|&k| intact.in_service()[k]))
            .map(|(name, cut)| {
                let mut in_service = intact.in_service().to_vec();
                cut.iter().for_each(|&k| in_service[k] = false);
                let main_after = self.main_component(&in_service);
                let planner = NetworkPlanner::after_cut(intact, in_service);
                let pairs = if planner.rerouted_any() {
                    planner.all_pairs(objective, &|| {})
                } else {
                    pairs_reusing_searches(&planner, objective, &intact_best)
                };
                let labels = cut
                    .iter()
                    .map(|&k| self.links[k].label(&self.nodes))
                    .collect();
                let report = self.cut_impact(labels, baseline, &pairs);
                let mut has_path_after = vec![false; self.nodes.len()];
                let mut had_path_before = vec![false; self.nodes.len()];
                for ((a, b, before), (_, _, after)) in baseline.iter().zip(&pairs) {
                    if matches!(after, PairSummary::Path { .. }) {
                        has_path_after[*a] = true;
                        has_path_after[*b] = true;
                    }
                    if matches!(before, PairSummary::Path { .. }) {
                        had_path_before[*a] = true;
                        had_path_before[*b] = true;
                    }
                }
                let names = |keep: &dyn Fn(usize) -> bool| -> Vec<usize> {
                    (0..self.nodes.len()).filter(|&v| keep(v)).collect()
                };
                let isolated = names(&|v| had_path_before[v] && !has_path_after[v]);
                let cut_off = names(&|v| main_before[v] && !main_after[v]);
                progress();
                CutSummary {
                    cut: name,
                    links: report.cut_links,
                    lost_connectivity: report.lost_connectivity.len(),
                    more_regenerators: report.more_regenerators.len(),
                    longer: report.longer.len(),
                    isolated: isolated
                        .iter()
                        .map(|&v| self.nodes[v].name.clone())
                        .collect(),
                    population_cut_off: cut_off
                        .iter()
                        .map(|&v| self.nodes[v].population.unwrap_or(0.0))
                        .sum(),
                    cut_off: cut_off
                        .iter()
                        .map(|&v| self.nodes[v].name.clone())
                        .collect(),
                }
            })
            .collect();
        summaries.sort_by(|x, y| {
            y.population_cut_off
                .total_cmp(&x.population_cut_off)
                .then_with(|| {
                    (y.lost_connectivity, y.more_regenerators, y.longer).cmp(&(
                        x.lost_connectivity,
                        x.more_regenerators,
                        x.longer,
                    ))
                })
                .then_with(|| x.cut.cmp(&y.cut))
        });
        summaries
    }
}

/// All pairs (a < b) after a cut that changed no route between nodes still connected: the
/// sections among connected nodes are those of the intact network, so a start node's intact
/// search stands unless one of its best paths regenerates at a node the cut disconnected from it
/// (then it is searched again).
fn pairs_reusing_searches(
    planner: &NetworkPlanner,
    objective: PathObjective,
    intact_best: &[Search],
) -> Vec<(usize, usize, PairSummary)> {
    let n = intact_best.len();
    upper_pairs(n, |a| {
        let best = &intact_best[a];
        let connected = |v: usize| planner.route_km(a, v).is_finite();
        let through_cut_off = (0..n).any(|b| {
            if !connected(b) || best[b].is_none() {
                return false;
            }
            let mut at = b;
            while at != a {
                at = best[at].expect("reached").1;
                if !connected(at) {
                    return true;
                }
            }
            false
        });
        if through_cut_off {
            planner.summaries_of(a, objective, &planner.search(a, objective))
        } else {
            planner.summaries_of(a, objective, best)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_that_reroutes_nothing_reuses_the_intact_searches_exactly() {
        let file =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/peru/network.toml");
        let network = crate::io::network_file::read_network(&file)
            .unwrap()
            .plan
            .design_links();
        let trx = network.transceiver("200G-DP-16QAM").unwrap().clone();
        let all = vec![true; network.links.len()];
        let intact = NetworkPlanner::new(&network, trx.clone(), all.clone());
        let searches: Vec<Search> = (0..network.nodes.len())
            .map(|u| intact.search(u, PathObjective::Regenerators))
            .collect();
        // Spurs (bridges): nothing reroutes; the Lima-Callao link cuts off a capital.
        for label in ["Chachapoyas-Mendoza", "Callao-Lima", "Juli-Desaguadero"] {
            let k = network
                .link_named(label)
                .unwrap_or_else(|| panic!("{label}"));
            let mut in_service = all.clone();
            in_service[k] = false;
            let planner = NetworkPlanner::after_cut(&intact, in_service.clone());
            assert!(!planner.rerouted_any(), "{label}");
            let reused = pairs_reusing_searches(&planner, PathObjective::Regenerators, &searches);
            let fresh = NetworkPlanner::new(&network, trx.clone(), in_service)
                .all_pairs(PathObjective::Regenerators, &|| {});
            assert_eq!(reused, fresh, "{label}");
        }
    }
}
