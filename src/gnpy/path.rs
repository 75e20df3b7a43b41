//! The path GNPy propagates (`gnpy/topology/request.py` `compute_constrained_path`): the
//! shortest by the weights `network_from_json` gives the connections — the length in metres of
//! the element a connection leaves if it is a fibre, else 0.01 — among the simple paths that pass
//! the required ROADMs in order (Yen's k-shortest simple paths, as networkx's
//! `shortest_simple_paths`).

use super::design::DesignedNetwork;
use super::topology::NodeKind;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};

/// How many candidate paths are examined for a `--through` constraint before giving up.
pub const MAX_CANDIDATE_PATHS: usize = 100;

/// Element visits Yen's search may cost (about a second here); beyond it the greedy path is taken.
const YEN_WORK_LIMIT: f64 = 1e9;

/// The weight of the connection leaving element `i`.
fn weight(net: &DesignedNetwork, i: usize) -> f64 {
    match net.kind(i) {
        NodeKind::Fiber(f) => f.length_km * 1e3,
        _ => 0.01,
    }
}

#[derive(PartialEq)]
struct Entry(f64, usize);
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

/// Shortest paths from `source` to every element (Dijkstra), avoiding `banned_nodes` and
/// `banned_edges`: the predecessor of each element on its shortest path and its distance.
pub fn shortest_tree(
    net: &DesignedNetwork,
    source: usize,
    banned_nodes: &HashSet<usize>,
    banned_edges: &HashSet<(usize, usize)>,
) -> (Vec<Option<usize>>, Vec<f64>) {
    let n = net.nodes.len();
    let mut dist = vec![f64::INFINITY; n];
    let mut prev = vec![None; n];
    let mut heap = BinaryHeap::new();
    dist[source] = 0.0;
    heap.push(Entry(0.0, source));
    while let Some(Entry(d, u)) = heap.pop() {
        if d > dist[u] {
            continue;
        }
        let w = weight(net, u);
        for &v in net.successors(u) {
            if banned_nodes.contains(&v) || banned_edges.contains(&(u, v)) {
                continue;
            }
            let nd = d + w;
            if nd < dist[v] {
                dist[v] = nd;
                prev[v] = Some(u);
                heap.push(Entry(nd, v));
            }
        }
    }
    (prev, dist)
}

/// The path to `target` in a shortest-path tree, source first.
pub fn path_in_tree(prev: &[Option<usize>], source: usize, target: usize) -> Option<Vec<usize>> {
    let mut path = vec![target];
    let mut node = target;
    while node != source {
        node = prev[node]?;
        path.push(node);
    }
    path.reverse();
    Some(path)
}

fn cost(net: &DesignedNetwork, path: &[usize]) -> f64 {
    path[..path.len() - 1].iter().map(|&i| weight(net, i)).sum()
}

fn shortest(
    net: &DesignedNetwork,
    source: usize,
    target: usize,
    banned_nodes: &HashSet<usize>,
    banned_edges: &HashSet<(usize, usize)>,
) -> Option<Vec<usize>> {
    let (prev, _) = shortest_tree(net, source, banned_nodes, banned_edges);
    path_in_tree(&prev, source, target)
}

/// True when `path` passes every element of `through` in that order.
fn passes_in_order(path: &[usize], through: &[usize]) -> bool {
    let mut rest = path.iter();
    through.iter().all(|t| rest.any(|p| p == t))
}

/// A path and whether it is proven the shortest simple path that meets the constraint.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundPath {
    /// Element indices, source first.
    pub elements: Vec<usize>,
    /// False when the search gave up on proving it (a greedy path through the required
    /// elements, each segment avoiding the elements of the ones before).
    pub shortest: bool,
}

/// The shortest simple path from `source` to `target` that passes `through` in order: the
/// shortest path if it does, else the shortest paths between the required elements joined if
/// that is simple, else the first of Yen's k-shortest simple paths that does among the first
/// [`MAX_CANDIDATE_PATHS`]; failing that, segment by segment, each avoiding the elements of the
/// segments before (not proven shortest). `None` when no path passes them.
pub fn constrained_path(
    net: &DesignedNetwork,
    source: usize,
    target: usize,
    through: &[usize],
) -> Option<FoundPath> {
    if let Some(elements) = shortest_constrained(net, source, target, through) {
        return Some(FoundPath {
            elements,
            shortest: true,
        });
    }
    let mut walk = vec![source];
    let mut used: HashSet<usize> = walk.iter().copied().collect();
    let ends: Vec<usize> = through.iter().copied().chain([target]).collect();
    for (k, &b) in ends.iter().enumerate() {
        let a = *walk.last().expect("a start");
        let mut banned = used.clone();
        banned.remove(&a);
        banned.extend(ends[k + 1..].iter().copied());
        let segment = shortest(net, a, b, &banned, &HashSet::new())?;
        used.extend(segment.iter().copied());
        walk.extend_from_slice(&segment[1..]);
    }
    Some(FoundPath {
        elements: walk,
        shortest: false,
    })
}

fn shortest_constrained(
    net: &DesignedNetwork,
    source: usize,
    target: usize,
    through: &[usize],
) -> Option<Vec<usize>> {
    let none = HashSet::new();
    let first = shortest(net, source, target, &none, &HashSet::new())?;
    if passes_in_order(&first, through) {
        return Some(first);
    }
    // The shortest walk through the required elements in order is the concatenation of the
    // shortest paths between them; when it is simple no simple path can be shorter.
    let mut walk = vec![source];
    for (&a, &b) in std::iter::once(&source)
        .chain(through)
        .zip(through.iter().chain(std::iter::once(&target)))
    {
        let segment = shortest(net, a, b, &none, &HashSet::new())?;
        walk.extend_from_slice(&segment[1..]);
    }
    let distinct: HashSet<usize> = walk.iter().copied().collect();
    if distinct.len() == walk.len() {
        return Some(walk);
    }
    // Yen's algorithm, when its work (a Dijkstra per element of each candidate) stays bounded.
    let work = (first.len() * net.nodes.len()) as f64 * MAX_CANDIDATE_PATHS as f64;
    if work > YEN_WORK_LIMIT {
        return None;
    }
    let mut found: Vec<Vec<usize>> = vec![first];
    let mut candidates: Vec<(f64, Vec<usize>)> = Vec::new();
    while found.len() < MAX_CANDIDATE_PATHS {
        let last = found.last().expect("one path").clone();
        for k in 0..last.len() - 1 {
            let spur = last[k];
            let root = &last[..=k];
            let mut banned_edges = HashSet::new();
            for p in &found {
                if p.len() > k && p[..=k] == *root {
                    banned_edges.insert((p[k], p[k + 1]));
                }
            }
            let banned_nodes: HashSet<usize> = root[..k].iter().copied().collect();
            if let Some(spur_path) = shortest(net, spur, target, &banned_nodes, &banned_edges) {
                let mut total = root[..k].to_vec();
                total.extend(spur_path);
                if !candidates.iter().any(|(_, c)| *c == total) && !found.contains(&total) {
                    candidates.push((cost(net, &total), total));
                }
            }
        }
        if candidates.is_empty() {
            return None;
        }
        let best = (0..candidates.len())
            .min_by(|&a, &b| candidates[a].0.total_cmp(&candidates[b].0))
            .expect("a candidate");
        let (_, path) = candidates.swap_remove(best);
        if passes_in_order(&path, through) {
            return Some(path);
        }
        found.push(path);
    }
    None
}
