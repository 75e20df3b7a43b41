//! GNPy 3.0.1's auto-design of a whole network (`gnpy/core/network.py`:
//! `add_missing_elements_in_network`, `add_missing_fiber_attributes`, `set_egress_amplifier`),
//! reproduced step by step so that a network designed here is the one GNPy designs:
//!
//! 1. fibres of `Span.max_length` or longer are split into `n` equal pieces near 90 km
//!    (`calculate_new_length`), named `{uid}_(k/n)`, every parameter copied;
//! 2. a pre-amplifier on every ROADM input coming from a fibre, a booster on every ROADM output
//!    going to a fibre, an in-line amplifier between two consecutive fibres;
//! 3. missing connector losses from the span rules, the end-of-life margin on the output
//!    connector of a fibre not followed by a splice (`Fused`); spans below `Span.padding` padded
//!    at the input of their first fibre;
//! 4. per OMS (from each ROADM degree and transceiver to the next ROADM or transceiver), every
//!    amplifier's Δp, gain and type: in power mode `Δp = clamp(round_half_even((L_next −
//!    L_ref)·slope / step)·step)` (0 before a ROADM) and `G = L_prev + Δp − Δp_prev + VOAs`; in
//!    gain mode the topology's gain; the type with the lowest NF among those the ROADM, the
//!    element or the library allow (`select_edfa`), with GNPy's power reduction when none
//!    reaches the target.

use super::equipment::{AmplifierType, Equipment};
use super::topology::{EdfaNode, FiberNode, Node, NodeKind, Topology};
use crate::units;

/// An amplifier as designed.
#[derive(Debug, Clone, PartialEq)]
pub struct AmplifierDesign {
    /// The amplifier type.
    pub type_variety: String,
    /// Gain, dB (GNPy's `effective_gain`, before the output VOA).
    pub gain_db: f64,
    /// Δp relative to the reference power, dB (`None` in gain mode).
    pub delta_p_db: Option<f64>,
    /// Output VOA, dB.
    pub out_voa_db: f64,
    /// Input VOA, dB.
    pub in_voa_db: f64,
    /// Target output per channel, dBm (rounded to 0.01 dB, as GNPy).
    pub target_pch_out_dbm: Option<f64>,
}

/// One element of the designed network.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignedNode {
    /// The element (fibres with their connectors and padding filled in).
    pub node: Node,
    /// Inserted by the design (a split piece or an amplifier).
    pub added_by_design: bool,
    /// For a piece of a split fibre: the original uid.
    pub split_from: Option<String>,
    /// For an amplifier: its design.
    pub amplifier: Option<AmplifierDesign>,
    /// For a fibre closing a span: the span loss the design used, dB.
    pub design_span_loss_db: Option<f64>,
}

/// A designed network: the elements and their directed connections.
#[derive(Debug, Clone)]
pub struct DesignedNetwork {
    /// The elements (the topology's, in place, then those the design added).
    pub nodes: Vec<DesignedNode>,
    succ: Vec<Vec<usize>>,
    pred: Vec<Vec<usize>>,
    removed: Vec<bool>,
    /// Reference power per channel used for the design, dBm.
    pub reference_power_dbm: f64,
    /// Warnings of the design (power reductions, amplifiers padded below their minimum gain).
    pub warnings: Vec<String>,
}

/// Why a network cannot be designed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}{message}", if uid.is_empty() { String::new() } else { format!("element \"{uid}\": ") })]
pub struct DesignError {
    /// The element.
    pub uid: String,
    /// What is wrong.
    pub message: String,
}

fn error(uid: &str, message: impl Into<String>) -> DesignError {
    DesignError {
        uid: uid.to_string(),
        message: message.into(),
    }
}

/// The most fibres a network may have after splitting (memory and time stay bounded: about
/// 1 kB and a few µs of design each).
pub const MAX_FIBER_PIECES: f64 = 1_000_000.0;

/// Python's `round()` to an integer: half to even.
fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

/// Python's `round(x, digits)` (half to even on the scaled value).
fn round_digits(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    round_half_even(x * scale) / scale
}

/// GNPy's `round2float(x, step)`: the step rounded to 0.1; `round(round(x/step)·step, 1)`
/// (Python's half-to-even), or `x` to 0.01 for a step below 0.05.
fn round2float(x: f64, step: f64) -> f64 {
    let step = round_digits(step, 1);
    if step >= 0.01 {
        round_digits(round_half_even(x / step) * step, 1)
    } else {
        round_digits(x, 2)
    }
}

/// GNPy's `calculate_new_length`: the piece length, m, and count for a fibre of `length_m`.
fn split_length(length_m: f64, min_m: f64, max_m: f64, target_m: f64) -> (f64, usize) {
    if length_m < max_m {
        return (length_m, 1);
    }
    let n2 = (length_m / target_m).floor();
    let n1 = n2 + 1.0;
    let l1 = length_m / n1;
    let l2 = length_m / n2;
    let inside = |l: f64| min_m <= l && l <= max_m;
    let take_l2 = if inside(l1) != inside(l2) {
        inside(l2)
    } else {
        l2 - target_m <= target_m - l1 && l2 <= max_m
    };
    if take_l2 {
        (l2, n2 as usize)
    } else {
        (l1, n1 as usize)
    }
}

impl DesignedNetwork {
    fn new(topology: &Topology, reference_power_dbm: f64) -> Self {
        let n = topology.nodes.len();
        let mut net = Self {
            nodes: topology
                .nodes
                .iter()
                .map(|node| DesignedNode {
                    node: node.clone(),
                    added_by_design: false,
                    split_from: None,
                    amplifier: None,
                    design_span_loss_db: None,
                })
                .collect(),
            succ: vec![Vec::new(); n],
            pred: vec![Vec::new(); n],
            removed: vec![false; n],
            reference_power_dbm,
            warnings: Vec::new(),
        };
        for &(a, b) in &topology.connections {
            net.add_edge(a, b);
        }
        net
    }

    /// A fibre, a splice or an amplifier is in a line: one connection in, one out (GNPy follows
    /// only the first of several and would leave the rest undesigned).
    fn check_line_elements(&self) -> Result<(), DesignError> {
        for i in self.live() {
            if self.is_terminal(i) {
                continue;
            }
            for (count, direction) in [
                (self.succ[i].len(), "outgoing"),
                (self.pred[i].len(), "incoming"),
            ] {
                if count > 1 {
                    return Err(error(
                        self.uid(i),
                        format!(
                            "a {} has {count} {direction} connections; only a ROADM or a transceiver may have more than one",
                            self.kind(i).type_name()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn add_edge(&mut self, a: usize, b: usize) {
        if !self.succ[a].contains(&b) {
            self.succ[a].push(b);
            self.pred[b].push(a);
        }
    }

    fn remove_edge(&mut self, a: usize, b: usize) {
        self.succ[a].retain(|&x| x != b);
        self.pred[b].retain(|&x| x != a);
    }

    fn add_node(&mut self, node: DesignedNode) -> usize {
        self.nodes.push(node);
        self.succ.push(Vec::new());
        self.pred.push(Vec::new());
        self.removed.push(false);
        self.nodes.len() - 1
    }

    fn live(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.nodes.len()).filter(|&i| !self.removed[i])
    }

    /// The elements that follow `i`, in connection order.
    pub fn successors(&self, i: usize) -> &[usize] {
        &self.succ[i]
    }

    /// Indices of the elements in the designed network.
    pub fn indices(&self) -> Vec<usize> {
        self.live().collect()
    }

    /// Indices of the transceivers, in element order.
    pub fn transceivers(&self) -> Vec<usize> {
        self.live()
            .filter(|&i| matches!(self.kind(i), NodeKind::Transceiver))
            .collect()
    }

    /// The kind of element `i`.
    pub fn kind(&self, i: usize) -> &NodeKind {
        &self.nodes[i].node.kind
    }

    fn uid(&self, i: usize) -> &str {
        &self.nodes[i].node.uid
    }

    fn next(&self, i: usize) -> Result<usize, DesignError> {
        self.succ[i].first().copied().ok_or_else(|| {
            error(
                self.uid(i),
                format!("{} has no outgoing connection", self.kind(i).type_name()),
            )
        })
    }

    fn prev(&self, i: usize) -> Result<usize, DesignError> {
        self.pred[i].first().copied().ok_or_else(|| {
            error(
                self.uid(i),
                format!("{} has no incoming connection", self.kind(i).type_name()),
            )
        })
    }

    fn fiber(&self, i: usize) -> Option<&FiberNode> {
        match self.kind(i) {
            NodeKind::Fiber(f) => Some(f),
            _ => None,
        }
    }

    fn is_fiber(&self, i: usize) -> bool {
        matches!(self.kind(i), NodeKind::Fiber(_))
    }

    fn is_fused(&self, i: usize) -> bool {
        matches!(self.kind(i), NodeKind::Fused { .. })
    }

    fn is_terminal(&self, i: usize) -> bool {
        matches!(self.kind(i), NodeKind::Roadm(_) | NodeKind::Transceiver)
    }

    /// GNPy's `loss` of a passive element, dB: a fibre's `α·L + con_in + con_out + att_in`, a
    /// splice's loss, 0 for the rest.
    fn loss_db(&self, i: usize) -> f64 {
        match self.kind(i) {
            NodeKind::Fiber(f) => {
                f.loss_db_per_km * f.length_km
                    + f.con_in_db.unwrap_or(0.0)
                    + f.con_out_db.unwrap_or(0.0)
                    + f.att_in_db
            }
            NodeKind::Fused { loss_db } => *loss_db,
            _ => 0.0,
        }
    }

    /// The fibres and splices joined to `i` through splices, going back
    /// (`prev_node_generator`).
    fn chain_before(&self, i: usize) -> Vec<usize> {
        self.joined_chain(i, &self.pred)
    }

    /// The same going forward (`next_node_generator`).
    fn chain_after(&self, i: usize) -> Vec<usize> {
        self.joined_chain(i, &self.succ)
    }

    /// From `i` along the first of `neighbours`, while a splice joins the two elements (a
    /// splice and a fibre or another splice).
    fn joined_chain(&self, i: usize, neighbours: &[Vec<usize>]) -> Vec<usize> {
        let mut out = Vec::new();
        let mut node = i;
        while let Some(&next) = neighbours[node].first() {
            let joined = (self.is_fused(next) && (self.is_fiber(node) || self.is_fused(node)))
                || ((self.is_fiber(next) || self.is_fused(next)) && self.is_fused(node));
            if !joined || out.contains(&next) || next == i {
                break;
            }
            out.push(next);
            node = next;
        }
        out
    }

    /// GNPy's `span_loss`: the loss of the span (fibres and splices between amplifiers) that
    /// holds `i`, dB; a fibre that closes a span keeps the value the padding step gave it.
    fn span_loss_db(&self, i: usize) -> f64 {
        if let Some(cached) = self.nodes[i].design_span_loss_db {
            return cached;
        }
        self.loss_db(i)
            + self
                .chain_before(i)
                .iter()
                .chain(&self.chain_after(i))
                .map(|&n| self.loss_db(n))
                .sum::<f64>()
    }

    fn split_fibers(&mut self, equipment: &Equipment) -> Result<(), DesignError> {
        let span = &equipment.span;
        let max_m = (span.max_length_km * 1e3).trunc();
        let min_m = ((span.padding_db / 0.2 * 1e3).trunc()).max(50_000.0);
        let target_m = min_m.max(max_m.min(90_000.0));
        let fibers: Vec<usize> = self.live().filter(|&i| self.is_fiber(i)).collect();
        let pieces: f64 = fibers
            .iter()
            .filter_map(|&i| self.fiber(i))
            .map(|f| split_length(f.length_km * 1e3, min_m, max_m, target_m).1 as f64)
            .sum();
        if pieces > MAX_FIBER_PIECES {
            return Err(error(
                "",
                format!(
                    "splitting at Span.max_length = {} km makes {pieces} fibres; at most {MAX_FIBER_PIECES} are designed (raise max_length or shorten the fibres)",
                    span.max_length_km
                ),
            ));
        }
        for i in fibers {
            let fiber = self.fiber(i).cloned().expect("a fibre");
            let (piece_m, count) = split_length(fiber.length_km * 1e3, min_m, max_m, target_m);
            if count == 1 {
                continue;
            }
            let next = self.next(i)?;
            let mut prev = self.prev(i)?;
            self.remove_edge(prev, i);
            self.remove_edge(i, next);
            self.removed[i] = true;
            let uid = self.uid(i).to_string();
            let city = self.nodes[i].node.city.clone();
            for k in 0..count {
                let piece = FiberNode {
                    length_km: piece_m / 1e3,
                    ..fiber.clone()
                };
                let index = self.add_node(DesignedNode {
                    node: Node {
                        uid: format!("{uid}_({}/{count})", k + 1),
                        city: city.clone(),
                        kind: NodeKind::Fiber(piece),
                    },
                    added_by_design: true,
                    split_from: Some(uid.clone()),
                    amplifier: None,
                    design_span_loss_db: None,
                });
                self.add_edge(prev, index);
                prev = index;
            }
            self.add_edge(prev, next);
        }
        Ok(())
    }

    fn insert_amplifier(&mut self, a: usize, b: usize, uid: String) {
        self.remove_edge(a, b);
        let city = self.nodes[a].node.city.clone();
        let amp = self.add_node(DesignedNode {
            node: Node {
                uid,
                city,
                kind: NodeKind::Edfa(EdfaNode::default()),
            },
            added_by_design: true,
            split_from: None,
            amplifier: None,
            design_span_loss_db: None,
        });
        self.add_edge(a, amp);
        self.add_edge(amp, b);
    }

    fn add_amplifiers(&mut self) -> Result<(), DesignError> {
        let roadms: Vec<usize> = self
            .live()
            .filter(|&i| matches!(self.kind(i), NodeKind::Roadm(_)))
            .collect();
        let passive_neighbour = |net: &Self, n: usize| {
            !matches!(
                net.kind(n),
                NodeKind::Transceiver | NodeKind::Fused { .. } | NodeKind::Edfa(_)
            )
        };
        for r in roadms {
            let before: Vec<usize> = self.pred[r]
                .iter()
                .copied()
                .filter(|&p| passive_neighbour(self, p))
                .collect();
            for p in before {
                let uid = format!("Edfa_preamp_{}_from_{}", self.uid(r), self.uid(p));
                self.insert_amplifier(p, r, uid);
            }
            let after: Vec<usize> = self.succ[r]
                .iter()
                .copied()
                .filter(|&n| passive_neighbour(self, n))
                .collect();
            for n in after {
                let uid = format!("Edfa_booster_{}_to_{}", self.uid(r), self.uid(n));
                self.insert_amplifier(r, n, uid);
            }
        }
        let fibers: Vec<usize> = self.live().filter(|&i| self.is_fiber(i)).collect();
        for f in fibers {
            let next = self.next(f)?;
            if self.is_fiber(next) {
                let uid = format!("Edfa_{}", self.uid(f));
                self.insert_amplifier(f, next, uid);
            }
        }
        Ok(())
    }

    fn fill_fibers(&mut self, equipment: &Equipment) -> Result<(), DesignError> {
        let span = &equipment.span;
        let fibers: Vec<usize> = self.live().filter(|&i| self.is_fiber(i)).collect();
        for &f in &fibers {
            let next_is_fused = self.is_fused(self.next(f)?);
            if let NodeKind::Fiber(fiber) = &mut self.nodes[f].node.kind {
                let con_in = fiber.con_in_db.unwrap_or(span.con_in_db);
                let mut con_out = fiber.con_out_db.unwrap_or(span.con_out_db);
                if !next_is_fused {
                    con_out += span.eol_db;
                }
                fiber.con_in_db = Some(con_in);
                fiber.con_out_db = Some(con_out);
            }
        }
        for &f in &fibers {
            if self.is_fused(self.next(f)?) {
                continue;
            }
            let loss = self.span_loss_db(f);
            self.nodes[f].design_span_loss_db = Some(loss);
            if loss < span.padding_db {
                let first = self.chain_before(f).last().copied().unwrap_or(f);
                if let NodeKind::Fiber(fiber) = &mut self.nodes[first].node.kind {
                    fiber.att_in_db += span.padding_db - loss;
                    let att_in = fiber.att_in_db;
                    self.nodes[f].design_span_loss_db = Some(loss + att_in);
                }
            }
        }
        Ok(())
    }

    /// GNPy's `target_power`: Δp of an amplifier whose output goes into `next`, dB.
    fn target_delta_p(&self, next: usize, equipment: &Equipment) -> Result<f64, DesignError> {
        if matches!(self.kind(next), NodeKind::Roadm(_)) {
            return Ok(0.0);
        }
        let span = &equipment.span;
        let [low, high, step] = span.delta_power_range_db.ok_or_else(|| {
            error(
                self.uid(next),
                "an amplifier before it has no delta_p and the equipment's Span has no delta_power_range_db",
            )
        })?;
        let dp = round2float(
            (self.span_loss_db(next) - span.span_loss_ref_db) * span.power_slope,
            step,
        );
        Ok(dp.max(low).min(high))
    }

    fn set_egress_amplifiers(
        &mut self,
        equipment: &Equipment,
        design_channels: usize,
    ) -> Result<(), DesignError> {
        let pref = self.reference_power_dbm;
        let pref_total = pref + units::linear_to_db(design_channels as f64);
        let starts: Vec<usize> = self
            .live()
            .filter(|&i| matches!(self.kind(i), NodeKind::Roadm(_)))
            .chain(self.transceivers())
            .collect();
        for start in starts {
            let degrees: Vec<usize> = self.succ[start]
                .iter()
                .copied()
                .filter(|&n| !matches!(self.kind(n), NodeKind::Transceiver))
                .collect();
            for first in degrees {
                let out_power = match self.kind(start) {
                    NodeKind::Roadm(r) => r.degree_target_dbm(self.uid(first)),
                    _ => equipment.spectrum.tx_power_dbm.unwrap_or(pref),
                };
                let mut prev_dp = out_power - pref;
                let mut prev_voa = 0.0;
                let mut prev = start;
                let mut node = first;
                let mut visited = Vec::new();
                while !self.is_terminal(node) {
                    let next = self.next(node)?;
                    if visited.contains(&node) {
                        return Err(error(
                            self.uid(node),
                            "loop in the network: the OMS comes back to this element",
                        ));
                    }
                    visited.push(node);
                    if matches!(self.kind(node), NodeKind::Edfa(_)) {
                        let (dp, voa) = self.set_one_amplifier(
                            node, prev, next, prev_voa, prev_dp, pref, pref_total, equipment,
                        )?;
                        prev_dp = dp;
                        prev_voa = voa;
                    }
                    prev = node;
                    node = next;
                }
            }
        }
        Ok(())
    }

    /// GNPy's `get_node_restrictions`: the types auto-design may choose for amplifier `node`.
    fn allowed_types<'e>(
        &self,
        node: &EdfaNode,
        prev: usize,
        next: usize,
        equipment: &'e Equipment,
    ) -> Vec<&'e AmplifierType> {
        let mut restrictions: &[String] = &node.variety_list;
        if restrictions.is_empty() {
            if let NodeKind::Roadm(r) = self.kind(prev) {
                restrictions = &r.restrictions.booster_variety_list;
            }
        }
        if restrictions.is_empty() {
            if let NodeKind::Roadm(r) = self.kind(next) {
                restrictions = &r.restrictions.preamp_variety_list;
            }
        }
        let band = (equipment.spectrum.f_min_hz, equipment.spectrum.f_max_hz);
        equipment
            .amplifiers
            .iter()
            .filter(|a| a.f_min_hz <= band.0 && a.f_max_hz >= band.1)
            .filter(|a| {
                restrictions.contains(&a.name) || (restrictions.is_empty() && a.allowed_for_design)
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn set_one_amplifier(
        &mut self,
        node: usize,
        prev: usize,
        next: usize,
        prev_voa: f64,
        prev_dp: f64,
        pref: f64,
        pref_total: f64,
        equipment: &Equipment,
    ) -> Result<(f64, f64), DesignError> {
        let span = &equipment.span;
        let NodeKind::Edfa(edfa) = self.kind(node).clone() else {
            unreachable!("called on amplifiers")
        };
        let uid = self.uid(node).to_string();
        // compute_gain_power_and_tilt_target
        let node_loss = self.span_loss_db(prev);
        let voa = edfa.out_voa_db.unwrap_or(0.0);
        let in_voa = edfa.in_voa_db.unwrap_or(0.0);
        let mut dp = match edfa.delta_p_db {
            Some(dp) => dp,
            None => self.target_delta_p(next, equipment)? + voa,
        };
        let mut gain = match edfa.gain_target_db {
            Some(g) if !span.power_mode => {
                dp = prev_dp - node_loss - prev_voa + g - in_voa;
                g
            }
            _ => node_loss + dp - prev_dp + prev_voa + in_voa,
        };
        let power_target = pref_total + dp;
        let raman_allowed = self
            .fiber(prev)
            .is_some_and(|f| f.loss_db_per_km < span.max_fiber_lineic_loss_for_raman_db_per_km);
        let amp_type = match &edfa.type_variety {
            None => {
                let candidates = self.allowed_types(&edfa, prev, next, equipment);
                if candidates.is_empty() {
                    return Err(error(&uid, "no amplifier type of the equipment library covers the spectrum and meets the restrictions"));
                }
                let (chosen, reduction) = select_amplifier(
                    &candidates,
                    gain,
                    power_target,
                    raman_allowed,
                    span.target_extended_gain_db,
                )
                .ok_or_else(|| {
                    error(
                        &uid,
                        "no amplifier type reaches the minimum gain (increase the span padding)",
                    )
                })?;
                if reduction < -0.5 {
                    self.warnings.push(format!(
                        "{uid}: no amplifier type reaches the target gain and power; a power reduction of {reduction:.2} dB is applied"
                    ));
                }
                dp += reduction;
                gain += reduction;
                chosen
            }
            Some(name) => {
                let amp = equipment.amplifier(name).ok_or_else(|| {
                    error(
                        &uid,
                        format!(
                            "type_variety \"{name}\" is not in the equipment library's Edfa list"
                        ),
                    )
                })?;
                let reduction = if span.power_mode {
                    (amp.p_max_dbm - (pref_total + dp)).min(0.0)
                } else {
                    let pout = pref_total + prev_dp - node_loss - prev_voa + gain;
                    (amp.p_max_dbm - pout).min(0.0)
                };
                dp += reduction;
                gain += reduction;
                amp
            }
        };
        if gain < amp_type.gain_min_db {
            self.warnings.push(format!(
                "{uid}: gain {gain:.2} dB is below the minimum {:.2} dB of {}; it is padded at its input",
                amp_type.gain_min_db, amp_type.name
            ));
        }
        let mut delta_p = span.power_mode.then_some(dp);
        // set_amplifier_voa
        let out_voa = match edfa.out_voa_db {
            Some(v) => v,
            None if span.power_mode && amp_type.out_voa_auto => {
                let v = (amp_type.p_max_dbm - power_target).min(amp_type.gain_flatmax_db - gain);
                let v = (round2float(v, span.voa_step_db) - span.voa_margin_db).max(0.0);
                delta_p = delta_p.map(|d| d + v);
                gain += v;
                v
            }
            None => 0.0,
        };
        let target_pch_out_dbm = match (delta_p, edfa.delta_p_db) {
            (Some(_), Some(user)) => Some(round_digits(user + pref, 2)),
            (Some(d), None) => Some(round_digits(d + pref, 2)),
            (None, _) => None,
        };
        self.nodes[node].amplifier = Some(AmplifierDesign {
            type_variety: amp_type.name.clone(),
            gain_db: gain,
            delta_p_db: delta_p,
            out_voa_db: out_voa,
            in_voa_db: in_voa,
            target_pch_out_dbm,
        });
        Ok((dp, voa))
    }
}

/// GNPy's `select_edfa` with `filter_edfa_list_based_on_targets`: among `candidates`, those with
/// enough gain range (`G + 3 − G_min > 0`; a Raman type, allowed only after low-loss fibre,
/// `G − G_min > 0`) and power (`min(P_in + G_flatmax + extended, P_max) − P_target > 0`, else
/// those within 0.3 dB of the best), the lowest NF at `G`; with the power reduction
/// `min(margin, 0)`. `None` when no type has the gain range and every candidate is Raman.
fn select_amplifier<'e>(
    candidates: &[&'e AmplifierType],
    gain_db: f64,
    power_target_dbm: f64,
    raman_allowed: bool,
    target_extended_gain_db: f64,
) -> Option<(&'e AmplifierType, f64)> {
    struct Option_<'e> {
        amp: &'e AmplifierType,
        power: f64,
        gain_min: f64,
        nf: f64,
    }
    let pin = power_target_dbm - gain_db;
    // edfa_nf: evaluated at 0 dBm total input over 88 channels of 50 GHz.
    let per_50ghz = -units::linear_to_db(88.0);
    let option = |amp: &'e AmplifierType, gain_min: f64| Option_ {
        amp,
        power: (pin + amp.gain_flatmax_db + target_extended_gain_db).min(amp.p_max_dbm)
            - power_target_dbm,
        gain_min,
        nf: amp.nf_model.nf_db(gain_db, per_50ghz),
    };
    let edfas: Vec<Option_> = candidates
        .iter()
        .filter(|a| !a.raman)
        .map(|a| option(a, gain_db + 3.0 - a.gain_min_db))
        .collect();
    let ramans: Vec<Option_> = if raman_allowed {
        candidates
            .iter()
            .filter(|a| a.raman)
            .map(|a| option(a, gain_db - a.gain_min_db))
            .collect()
    } else {
        Vec::new()
    };
    let all: Vec<&Option_> = edfas.iter().chain(&ramans).collect();
    let mut acceptable: Vec<&Option_> = all.iter().copied().filter(|o| o.gain_min > 0.0).collect();
    if acceptable.is_empty() {
        if edfas.is_empty() {
            return None;
        }
        acceptable = edfas.iter().collect();
    }
    let mut powered: Vec<&Option_> = acceptable
        .iter()
        .copied()
        .filter(|o| o.power > 0.0)
        .collect();
    if powered.is_empty() {
        let best = acceptable
            .iter()
            .map(|o| o.power)
            .fold(f64::NEG_INFINITY, f64::max);
        powered = acceptable
            .iter()
            .copied()
            .filter(|o| o.power - best > -0.3)
            .collect();
    }
    let mut chosen = powered[0];
    for o in &powered[1..] {
        if o.nf < chosen.nf {
            chosen = o;
        }
    }
    Some((chosen.amp, chosen.power.min(0.0)))
}

/// Designs `topology` as GNPy's `designed_network` does, with `reference_power_dbm` per channel
/// into the spans.
pub fn design_network(
    topology: &Topology,
    equipment: &Equipment,
    reference_power_dbm: f64,
) -> Result<DesignedNetwork, DesignError> {
    let mut net = DesignedNetwork::new(topology, reference_power_dbm);
    net.check_line_elements()?;
    net.split_fibers(equipment)?;
    net.add_amplifiers()?;
    net.fill_fibers(equipment)?;
    let channels = equipment.spectrum.channel_count();
    net.set_egress_amplifiers(equipment, channels)?;
    Ok(net)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fibres_split_as_gnpy() {
        // gnpy-interop.md: 700 km → 8 × 87.5 km; exactly 150 km is split; 149.9 km is kept.
        let split = |km: f64| split_length(km * 1e3, 50_000.0, 150_000.0, 90_000.0);
        assert_eq!(split(700.0), (87_500.0, 8));
        assert_eq!(split(149.9).1, 1);
        assert_eq!(split(150.0), (75_000.0, 2));
        assert_eq!(split(1221.0).1, 14);
    }

    #[test]
    fn python_rounding_is_half_to_even() {
        assert_eq!(round2float(123.25, 0.5), 123.0);
        assert_eq!(round2float(0.75, 0.5), 1.0);
        assert_eq!(round2float(-0.25, 0.5), -0.0);
        assert_eq!(round2float(1.2, 0.5), 1.0);
    }
}
