//! Every single cut of a network: each shared corridor (all the links tagged with it) and each
//! untagged link, taken out in turn, with what it disconnects or degrades.

use rayon::prelude::*;
use serde::Serialize;

use super::{Network, NetworkPlanner, PairSummary, PathObjective, TransceiverType};

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

    /// Every single cut ([`Network::single_cuts`]) against `baseline` (the intact network's
    /// [`NetworkPlanner::all_pairs`] for `transceiver` and `objective`), on rayon's pool,
    /// ranked by the pairs that lose connectivity, then those needing more regenerators, then
    /// those on a longer route. `progress` is called once per cut.
    pub fn all_single_cuts(
        &self,
        transceiver: &TransceiverType,
        objective: PathObjective,
        baseline: &[(usize, usize, PairSummary)],
        progress: &(dyn Fn() + Sync),
    ) -> Vec<CutSummary> {
        let mut summaries: Vec<CutSummary> = self
            .single_cuts()
            .into_par_iter()
            .map(|(name, cut)| {
                let mut in_service = vec![true; self.links.len()];
                cut.iter().for_each(|&k| in_service[k] = false);
                let mut planner = NetworkPlanner::new(self, transceiver.clone(), in_service);
                let pairs = planner.all_pairs(objective, &mut || {});
                let labels = cut
                    .iter()
                    .map(|&k| self.links[k].label(&self.nodes))
                    .collect();
                let report = self.cut_impact(labels, baseline, &pairs);
                let isolated = (0..self.nodes.len())
                    .filter(|&n| {
                        pairs
                            .iter()
                            .filter(|(a, b, _)| *a == n || *b == n)
                            .all(|(_, _, p)| !matches!(p, PairSummary::Path { .. }))
                    })
                    .filter(|&n| {
                        // Only nodes that had a path before (not those never connected).
                        baseline.iter().any(|(a, b, p)| {
                            (*a == n || *b == n) && matches!(p, PairSummary::Path { .. })
                        })
                    })
                    .map(|n| self.nodes[n].name.clone())
                    .collect();
                progress();
                CutSummary {
                    cut: name,
                    links: report.cut_links,
                    lost_connectivity: report.lost_connectivity.len(),
                    more_regenerators: report.more_regenerators.len(),
                    longer: report.longer.len(),
                    isolated,
                }
            })
            .collect();
        summaries.sort_by(|x, y| {
            (y.lost_connectivity, y.more_regenerators, y.longer)
                .cmp(&(x.lost_connectivity, x.more_regenerators, x.longer))
                .then_with(|| x.cut.cmp(&y.cut))
        });
        summaries
    }
}
