//! A propagated GNPy path written as a fibra link (spans, ROADM stages, boosters), so that
//! `fibra budget` reproduces it and it can go on into `batch`, `simulate` and the plots.
//!
//! Mapping: each fibre opens a span (`connector_in` = its `con_in + att_in` plus any splice loss
//! before it, `connector_out` = its `con_out`, splices after it = `extra_loss`); a fibre that
//! follows another without an amplifier closes the span before as `amplifier = false`; an
//! amplifier closes the span with the gain and NF it ran at (GNPy's NF depends on the
//! operating point, so the run's value is written) and saturates at its `p_max`; a ROADM
//! becomes the `roadm` stage of the span before it (the first one `start_roadm`) with the
//! booster after it; the transmitter OSNR and the add/drop OSNRs are combined into
//! `tx_osnr_db`, so that the budget's `gsnr_db` is GNPy's GSNR with the transceivers.

use super::design::DesignedNetwork;
use super::equipment::Equipment;
use super::propagate::PathResult;
use super::topology::NodeKind;
use crate::amplifier::Edfa;
use crate::budget::{Link, RoadmStage, Span, SpanEnd};
use crate::chain::Roadm;
use crate::units;

/// The most gain a written amplifier may be given, dB (LINK.toml's range).
const MAX_GAIN_DB: f64 = 60.0;

/// `result` (the propagation of `path` on `net`) as a link; `Err` names the element that
/// LINK.toml cannot express.
pub fn path_as_link(
    net: &DesignedNetwork,
    path: &[usize],
    equipment: &Equipment,
    result: &PathResult,
) -> Result<Link, String> {
    let mut spans: Vec<Span> = Vec::new();
    let mut open: Option<Span> = None;
    let mut start_roadm: Option<RoadmStage> = None;
    let mut pending_stage: Option<RoadmStage> = None;
    let mut lumped_before_db = 0.0;
    // The amplifiers' operating points, in chain order.
    let mut operating = result.budget.spans.iter();
    let mut after_roadm = false;
    for (k, &i) in path.iter().enumerate() {
        let node = &net.nodes[i].node;
        match &node.kind {
            NodeKind::Transceiver => {}
            NodeKind::Roadm(r) => {
                let target = path.get(k + 1).map_or(r.target_pch_out_dbm, |&j| {
                    r.degree_target_dbm(&net.nodes[j].node.uid)
                });
                if lumped_before_db > 0.0 {
                    return Err(format!(
                        "ROADM \"{}\" follows a splice that follows no fibre",
                        node.uid
                    ));
                }
                let stage = RoadmStage {
                    roadm: Roadm {
                        target_power_dbm: target,
                        pmd_ps: r.pmd_ps,
                    },
                    booster: None,
                };
                if let Some(mut span) = open.take() {
                    span.end.unamplified = true;
                    spans.push(span);
                }
                if let Some(stage_before) = pending_stage.take() {
                    attach(&mut spans, &mut start_roadm, stage_before, &node.uid)?;
                }
                pending_stage = Some(stage);
                after_roadm = true;
                continue;
            }
            NodeKind::Fused { loss_db } => match &mut open {
                Some(span) => span.extra_loss_db += loss_db,
                None => lumped_before_db += loss_db,
            },
            NodeKind::Fiber(f) => {
                if let Some(mut span) = open.take() {
                    span.end.unamplified = true;
                    spans.push(span);
                }
                if let Some(stage) = pending_stage.take() {
                    attach(&mut spans, &mut start_roadm, stage, &node.uid)?;
                }
                let mut span = Span::new(f.length_km, f.params());
                span.connector_in_db = f.con_in_db.unwrap_or(0.0) + f.att_in_db + lumped_before_db;
                span.connector_out_db = f.con_out_db.unwrap_or(0.0);
                lumped_before_db = 0.0;
                open = Some(span);
            }
            NodeKind::Edfa(_) => {
                let ran = operating.next().ok_or_else(|| {
                    format!("amplifier \"{}\" is missing from the budget", node.uid)
                })?;
                let design = net.nodes[i]
                    .amplifier
                    .as_ref()
                    .ok_or_else(|| format!("amplifier \"{}\" is not designed", node.uid))?;
                let amp = equipment.amplifier(&design.type_variety).ok_or_else(|| {
                    format!(
                        "amplifier type \"{}\" is not in the library",
                        design.type_variety
                    )
                })?;
                if design.in_voa_db != 0.0 || design.out_voa_db != 0.0 {
                    return Err(format!(
                        "amplifier \"{}\" has a VOA, which LINK.toml cannot express",
                        node.uid
                    ));
                }
                if !(0.0..=MAX_GAIN_DB).contains(&ran.gain_db) {
                    return Err(format!(
                        "amplifier \"{}\" runs at {:.2} dB of gain, outside LINK.toml's 0–60 dB",
                        node.uid, ran.gain_db
                    ));
                }
                let edfa = Edfa {
                    gain_db: ran.gain_db,
                    max_gain_db: MAX_GAIN_DB,
                    noise_figure_db: ran.noise_figure_db,
                    max_output_power_dbm: Some(amp.p_max_dbm),
                    nf_model: None,
                    output_saturates: true,
                };
                if after_roadm {
                    let stage = pending_stage.as_mut().expect("a ROADM before");
                    stage.booster = Some(edfa);
                    after_roadm = false;
                    continue;
                }
                let Some(mut span) = open.take() else {
                    return Err(format!("amplifier \"{}\" has no fibre before it", node.uid));
                };
                if !ran.noise_figure_db.is_finite() {
                    return Err(format!("in-line amplifier \"{}\" is noiseless, which LINK.toml's spans cannot express", node.uid));
                }
                span.amplifier_gain_db = Some(ran.gain_db);
                span.amplifier_nf_db = ran.noise_figure_db;
                span.amplifier_max_output_dbm = Some(amp.p_max_dbm);
                span.amplifier_max_gain_db = MAX_GAIN_DB;
                span.end = SpanEnd {
                    unamplified: false,
                    amplifier_saturates: true,
                    roadm: None,
                };
                spans.push(span);
            }
        }
        after_roadm = false;
    }
    if let Some(span) = open.take() {
        let mut span = span;
        span.end.unamplified = true;
        spans.push(span);
    }
    if let Some(stage) = pending_stage.take() {
        let uid = &net.nodes[*path.last().expect("a path")].node.uid;
        attach(&mut spans, &mut start_roadm, stage, uid)?;
    }
    if spans.is_empty() {
        return Err("the path has no fibre".to_string());
    }
    let mut link = Link::new(
        grid_of(result, equipment),
        result.budget.launch_power_dbm,
        spans,
    );
    link.name = Some(format!(
        "{} → {} (GNPy path)",
        result.source, result.destination
    ));
    link.start_roadm = start_roadm;
    link.transceiver.tx_osnr_db = Some(result.transceiver_osnr_01nm_db);
    Ok(link)
}

/// The grid the path propagated.
fn grid_of(result: &PathResult, equipment: &Equipment) -> crate::budget::WdmGrid {
    let first = result.channels.first().map_or(0.0, |c| c.frequency_thz);
    let last = result.channels.last().map_or(0.0, |c| c.frequency_thz);
    crate::budget::WdmGrid {
        channels: result.channels.len(),
        spacing_ghz: units::hz_to_ghz(equipment.spectrum.spacing_hz),
        center_thz: (first + last) / 2.0,
        symbol_rate_gbaud: units::hz_to_ghz(equipment.spectrum.baud_rate_hz),
    }
}

/// Puts a ROADM stage after the last span, or at the start when there is none yet.
fn attach(
    spans: &mut [Span],
    start: &mut Option<RoadmStage>,
    stage: RoadmStage,
    uid: &str,
) -> Result<(), String> {
    match spans.last_mut() {
        Some(span) if span.end.roadm.is_none() => {
            span.end.roadm = Some(stage);
            Ok(())
        }
        Some(_) => Err(format!("two ROADMs in a row before \"{uid}\"")),
        None if start.is_none() => {
            *start = Some(stage);
            Ok(())
        }
        None => Err(format!("two ROADMs in a row before \"{uid}\"")),
    }
}
