//! Transceiver look-up and the all-pairs matrix of a designed GNPy network.

use super::design::DesignedNetwork;
use super::equipment::Equipment;
use super::path::{path_in_tree, shortest_tree};
use super::propagate::{propagate_path, PathError};
use crate::budget::NliCache;
use rayon::prelude::*;
use std::collections::HashSet;

/// A transceiver named by uid, or by the city of exactly one transceiver; otherwise the
/// candidates (every transceiver uid that matches the name as a city, or all of them).
pub fn find_transceiver(net: &DesignedNetwork, name: &str) -> Result<usize, Vec<String>> {
    let transceivers = net.transceivers();
    if let Some(&i) = transceivers
        .iter()
        .find(|&&i| net.nodes[i].node.uid == name)
    {
        return Ok(i);
    }
    let in_city: Vec<usize> = transceivers
        .iter()
        .copied()
        .filter(|&i| net.nodes[i].node.city.as_deref() == Some(name))
        .collect();
    match in_city.as_slice() {
        [one] => Ok(*one),
        [] => Err(transceivers
            .iter()
            .map(|&i| net.nodes[i].node.uid.clone())
            .collect()),
        many => Err(many
            .iter()
            .map(|&i| net.nodes[i].node.uid.clone())
            .collect()),
    }
}

/// One ordered pair of the matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixRow {
    /// Source transceiver uid.
    pub source: String,
    /// Destination transceiver uid.
    pub destination: String,
    /// The path's fibre length, km, its amplifiers, and its centre channel's GSNR (0.1 nm, with
    /// the transceiver terms) and OSNR (0.1 nm, line); `None` when no path exists.
    pub result: Option<Result<(f64, usize, f64, f64), PathError>>,
}

/// The most ordered pairs a matrix may have (1,001 transceivers): its rows stay in memory.
pub const MAX_PAIRS: usize = 1_000_000;

/// The GNPy path of every ordered pair of transceivers, propagated; `progress` is called once
/// per source done. Sources run in parallel, each thread with its own NLI matrices. The caller
/// checks the count against [`MAX_PAIRS`].
pub fn all_pairs(
    net: &DesignedNetwork,
    equipment: &Equipment,
    progress: &(dyn Fn() + Sync),
) -> Vec<MatrixRow> {
    let transceivers = net.transceivers();
    transceivers
        .par_iter()
        .map_init(NliCache::new, |cache, &source| {
            let (prev, _) = shortest_tree(net, source, &HashSet::new(), &HashSet::new());
            let rows: Vec<MatrixRow> = transceivers
                .iter()
                .filter(|&&d| d != source)
                .map(|&destination| {
                    let result = path_in_tree(&prev, source, destination).map(|path| {
                        propagate_path(net, &path, equipment, cache).map(|r| {
                            (
                                r.design.length_km,
                                r.design.amplifiers,
                                r.centre.gsnr_01nm_incl_trx_db,
                                r.centre.osnr_ase_01nm_db,
                            )
                        })
                    });
                    MatrixRow {
                        source: net.nodes[source].node.uid.clone(),
                        destination: net.nodes[destination].node.uid.clone(),
                        result,
                    }
                })
                .collect();
            progress();
            rows
        })
        .flatten()
        .collect()
}
