//! Propagation of a designed GNPy path through fibra's element chain and budget engine, with
//! GNPy's conventions (`gnpy/topology/request.py` `propagate`, `gnpy/core/elements.py`): every
//! channel launched at the transceiver power; a fibre attenuates `con_in + att_in` before its
//! NLI, then `α·L`, then `con_out`; an amplifier applies its input VOA, its gain limited by
//! `p_max` at the actual input and its NF at that operating point, then its output VOA; a ROADM
//! takes every channel to `min(P, degree target)`. At the receiver the line-only values, and
//! with the transceiver terms as GNPy prints them: `tx_osnr` and, at an add and a drop ROADM,
//! `add_drop_osnr + 10·log10 2` each (0.1 nm), `SNR_tot = −10·log10(Σ 10^(−SNR_i/10))`.

use super::design::DesignedNetwork;
use super::equipment::Equipment;
use super::topology::NodeKind;
use crate::amplifier::Edfa;
use crate::budget::{BudgetPlan, BudgetReport, Link, NliCache, WdmGrid};
use crate::chain::{Connector, Element, Fiber, Fused, Roadm};
use crate::units;
use serde::Serialize;

/// The role of an amplifier on a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AmplifierRole {
    /// Right after a ROADM or a transceiver.
    Booster,
    /// Right before a ROADM or a transceiver.
    Preamp,
    /// Between two spans.
    Inline,
}

/// One element of a propagated path, as designed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathElement {
    /// Unique id.
    pub uid: String,
    /// GNPy's element type.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Inserted by the auto-design.
    pub added_by_design: bool,
    /// Fibre: length, km.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length_km: Option<f64>,
    /// Fibre: total loss with connectors and padding; Fused: its loss, dB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss_db: Option<f64>,
    /// Fibre: input padding, dB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub att_in_db: Option<f64>,
    /// Fibre: the uid of the fibre it was split from (null when not split).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split_from: Option<Option<String>>,
    /// Amplifier: its role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<AmplifierRole>,
    /// Amplifier: its type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_variety: Option<String>,
    /// Amplifier: gain, dB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gain_db: Option<f64>,
    /// Amplifier: NF at the designed gain and input, dB (null when noiseless).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nf_db: Option<Option<f64>>,
    /// Amplifier: Δp, dB (null in gain mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta_p_db: Option<Option<f64>>,
    /// ROADM: the degree's output target per channel, dBm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_pch_out_dbm: Option<f64>,
    /// ROADM: add/drop OSNR, dB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_drop_osnr_db: Option<f64>,
}

impl PathElement {
    fn new(uid: &str, kind: &'static str, added_by_design: bool) -> Self {
        Self {
            uid: uid.to_string(),
            kind,
            added_by_design,
            length_km: None,
            loss_db: None,
            att_in_db: None,
            split_from: None,
            role: None,
            type_variety: None,
            gain_db: None,
            nf_db: None,
            delta_p_db: None,
            target_pch_out_dbm: None,
            add_drop_osnr_db: None,
        }
    }
}

/// One channel at the receiver.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChannelResult {
    /// Frequency, THz.
    pub frequency_thz: f64,
    /// Signal power, dBm.
    pub signal_dbm: f64,
    /// OSNR of the line's ASE, 0.1 nm, dB.
    pub osnr_ase_01nm_db: f64,
    /// SNR of the line's NLI, signal bandwidth, dB.
    pub snr_nli_db: f64,
    /// GSNR of the line, signal bandwidth, dB.
    pub gsnr_db: f64,
    /// GSNR of the line, 0.1 nm, dB.
    pub gsnr_01nm_db: f64,
    /// OSNR with the transceiver terms, 0.1 nm, dB.
    pub osnr_ase_01nm_incl_trx_db: f64,
    /// GSNR with the transceiver terms, signal bandwidth, dB.
    pub gsnr_incl_trx_db: f64,
    /// GSNR with the transceiver terms, 0.1 nm, dB.
    pub gsnr_01nm_incl_trx_db: f64,
}

/// What the design put on the path.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PathDesign {
    /// Fibres (after splitting).
    pub fibers: usize,
    /// Spans closed by an amplifier.
    pub amplified_spans: usize,
    /// Amplifiers.
    pub amplifiers: usize,
    /// Fibre length, km.
    pub length_km: f64,
}

/// A propagated path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathResult {
    /// Source transceiver uid.
    pub source: String,
    /// Destination transceiver uid.
    pub destination: String,
    /// The elements in propagation order.
    pub elements: Vec<PathElement>,
    /// Design summary.
    pub design: PathDesign,
    /// Every propagated channel, in frequency order.
    pub channels: Vec<ChannelResult>,
    /// The centre channel (index n/2 rounded down).
    pub centre: ChannelResult,
    /// Arithmetic mean of every value over the channels (dB values averaged, as GNPy prints).
    pub average: ChannelResult,
    /// Accumulated dispersion of the centre channel, ps/nm.
    pub cd_ps_nm: f64,
    /// PMD, ps.
    pub pmd_ps: f64,
    /// The transceiver terms combined, 0.1 nm, dB: `tx_osnr` and each add or drop ROADM's
    /// `add_drop_osnr + 10·log10 2`, as `−10·log10(Σ 10^(−OSNR_i/10))`.
    pub transceiver_osnr_01nm_db: f64,
    /// Channels of the spectrum outside an amplifier's band on the path, dropped.
    pub dropped_channels: usize,
    /// The budget of the path's chain (line only: no transceiver terms), one span row per
    /// amplifier, for plots and for writing the path as a LINK.toml.
    #[serde(skip)]
    pub budget: BudgetReport,
}

/// `snr_sum`: a line SNR in bandwidth `bw_hz` with extra noise of OSNR `added_01nm_db` (0.1 nm).
fn snr_sum(snr_db: f64, bw_hz: f64, added_01nm_db: f64) -> f64 {
    let added = added_01nm_db - units::linear_to_db(bw_hz / units::OSNR_REFERENCE_BANDWIDTH_HZ);
    -units::linear_to_db(units::db_to_linear(-snr_db) + units::db_to_linear(-added))
}

fn average(channels: &[ChannelResult]) -> ChannelResult {
    let n = channels.len() as f64;
    let mean = |f: fn(&ChannelResult) -> f64| channels.iter().map(f).sum::<f64>() / n;
    ChannelResult {
        frequency_thz: mean(|c| c.frequency_thz),
        signal_dbm: mean(|c| c.signal_dbm),
        osnr_ase_01nm_db: mean(|c| c.osnr_ase_01nm_db),
        snr_nli_db: mean(|c| c.snr_nli_db),
        gsnr_db: mean(|c| c.gsnr_db),
        gsnr_01nm_db: mean(|c| c.gsnr_01nm_db),
        osnr_ase_01nm_incl_trx_db: mean(|c| c.osnr_ase_01nm_incl_trx_db),
        gsnr_incl_trx_db: mean(|c| c.gsnr_incl_trx_db),
        gsnr_01nm_incl_trx_db: mean(|c| c.gsnr_01nm_incl_trx_db),
    }
}

/// The chain, the path's elements and the ROADM OSNR terms of a designed path (transceiver to
/// transceiver).
struct PathChain {
    elements: Vec<Element>,
    described: Vec<PathElement>,
    roadm_osnr_db: Vec<f64>,
    band_hz: Option<(f64, f64)>,
    design: PathDesign,
}

fn chain_of(net: &DesignedNetwork, path: &[usize], equipment: &Equipment) -> PathChain {
    let mut elements = Vec::new();
    let mut described = Vec::new();
    let mut roadm_osnr_db = Vec::new();
    let mut band_hz: Option<(f64, f64)> = None;
    let mut design = PathDesign {
        fibers: 0,
        amplified_spans: 0,
        amplifiers: 0,
        length_km: 0.0,
    };
    let mut span_open = false;
    let pref = net.reference_power_dbm;
    for (k, &i) in path.iter().enumerate() {
        let d = &net.nodes[i];
        let uid = d.node.uid.as_str();
        let mut e = PathElement::new(uid, d.node.kind.type_name(), d.added_by_design);
        let is_end = |j: Option<&usize>| {
            j.is_some_and(|&j| matches!(net.kind(j), NodeKind::Roadm(_) | NodeKind::Transceiver))
        };
        match &d.node.kind {
            NodeKind::Transceiver => {}
            NodeKind::Roadm(r) => {
                let next = path.get(k + 1).copied();
                let target = next.map_or(r.target_pch_out_dbm, |j| {
                    r.degree_target_dbm(&net.nodes[j].node.uid)
                });
                let add = k > 0 && matches!(net.kind(path[k - 1]), NodeKind::Transceiver);
                let drop = next.is_some_and(|j| matches!(net.kind(j), NodeKind::Transceiver));
                if add || drop {
                    roadm_osnr_db.push(r.add_drop_osnr_db + units::linear_to_db(2.0));
                }
                elements.push(Element::Roadm(Roadm {
                    target_power_dbm: target,
                    pmd_ps: r.pmd_ps,
                }));
                e.target_pch_out_dbm = Some(target);
                e.add_drop_osnr_db = Some(r.add_drop_osnr_db);
            }
            NodeKind::Fused { loss_db } => {
                elements.push(Element::Fused(Fused { loss_db: *loss_db }));
                e.loss_db = Some(*loss_db);
            }
            NodeKind::Fiber(f) => {
                let con_in = f.con_in_db.unwrap_or(0.0);
                let con_out = f.con_out_db.unwrap_or(0.0);
                elements.push(Element::Connector(Connector {
                    loss_db: con_in + f.att_in_db,
                }));
                elements.push(Element::Fiber(Fiber {
                    length_km: f.length_km,
                    params: f.params(),
                }));
                elements.push(Element::Connector(Connector { loss_db: con_out }));
                e.length_km = Some(f.length_km);
                e.loss_db = Some(f.loss_db_per_km * f.length_km + con_in + con_out + f.att_in_db);
                e.att_in_db = Some(f.att_in_db);
                e.split_from = Some(d.split_from.clone());
                design.fibers += 1;
                design.length_km += f.length_km;
                span_open = true;
            }
            NodeKind::Edfa(_) => {
                let a = d
                    .amplifier
                    .as_ref()
                    .expect("every amplifier of a designed network is designed");
                let amp = equipment
                    .amplifier(&a.type_variety)
                    .expect("designed amplifier types are in the library");
                let band = band_hz.unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
                band_hz = Some((band.0.max(amp.f_min_hz), band.1.min(amp.f_max_hz)));
                elements.push(Element::Connector(Connector {
                    loss_db: a.in_voa_db,
                }));
                elements.push(Element::Edfa(Edfa {
                    gain_db: a.gain_db,
                    max_gain_db: f64::INFINITY,
                    noise_figure_db: f64::NAN,
                    max_output_power_dbm: Some(amp.p_max_dbm),
                    nf_model: Some(amp.nf_model),
                    output_saturates: true,
                }));
                elements.push(Element::Connector(Connector {
                    loss_db: a.out_voa_db,
                }));
                let input_per_channel = pref + a.delta_p_db.unwrap_or(0.0) - a.gain_db;
                let nf = amp.nf_model.nf_db(
                    a.gain_db,
                    input_per_channel + units::linear_to_db(50e9 / equipment.spectrum.spacing_hz),
                );
                e.role = Some(if k > 0 && is_end(path.get(k - 1)) {
                    AmplifierRole::Booster
                } else if is_end(path.get(k + 1)) {
                    AmplifierRole::Preamp
                } else {
                    AmplifierRole::Inline
                });
                e.type_variety = Some(a.type_variety.clone());
                e.gain_db = Some(a.gain_db);
                e.nf_db = Some(nf.is_finite().then_some(nf));
                e.delta_p_db = Some(a.delta_p_db);
                design.amplifiers += 1;
                if span_open {
                    design.amplified_spans += 1;
                    span_open = false;
                }
            }
        }
        described.push(e);
    }
    PathChain {
        elements,
        described,
        roadm_osnr_db,
        band_hz,
        design,
    }
}

/// Propagates the spectrum of `equipment` along `path` (element indices of `net`, transceiver
/// to transceiver); `cache` shares the NLI matrices between paths.
pub fn propagate_path(
    net: &DesignedNetwork,
    path: &[usize],
    equipment: &Equipment,
    cache: &mut NliCache,
) -> Result<PathResult, PathError> {
    let spectrum = &equipment.spectrum;
    let chain = chain_of(net, path, equipment);
    let amplifiers: Vec<String> = chain
        .described
        .iter()
        .filter(|e| e.kind == "Edfa")
        .map(|e| e.uid.clone())
        .collect();
    let all = spectrum.frequencies_hz();
    let half_slot = spectrum.spacing_hz / 2.0;
    let kept: Vec<f64> = all
        .iter()
        .copied()
        .filter(|&f| {
            chain
                .band_hz
                .is_none_or(|(lo, hi)| f - half_slot >= lo && f + half_slot <= hi)
        })
        .collect();
    let launch_dbm = spectrum.tx_power_dbm.unwrap_or(net.reference_power_dbm);
    let (Some(&first), Some(&last)) = (kept.first(), kept.last()) else {
        return Err(PathError::NoChannel);
    };
    let grid = WdmGrid {
        channels: kept.len(),
        spacing_ghz: units::hz_to_ghz(spectrum.spacing_hz),
        center_thz: units::hz_to_thz((first + last) / 2.0),
        symbol_rate_gbaud: units::hz_to_ghz(spectrum.baud_rate_hz),
    };
    let link = Link::new(grid, launch_dbm, Vec::new());
    let report = BudgetPlan::for_chain(&link, chain.elements, cache).run();
    for (row, uid) in report.spans.iter().zip(&amplifiers) {
        let nf = row.noise_figure_db;
        // Above 300 dB the ASE power is no longer a number (10^30 overflows at 308).
        if nf.is_nan() || nf >= MAX_NOISE_FIGURE_DB {
            return Err(PathError::NoiseFigure {
                uid: uid.clone(),
                nf_db: nf,
                gain_db: row.gain_db,
            });
        }
    }
    if report
        .channels
        .iter()
        .any(|c| c.gsnr_db.is_nan() || c.osnr_ase_db.is_nan() || c.power_dbm.is_nan())
    {
        return Err(PathError::NotFinite);
    }
    let mut trx_terms: Vec<f64> = chain.roadm_osnr_db.clone();
    trx_terms.push(spectrum.tx_osnr_db);
    let added = -units::linear_to_db(trx_terms.iter().map(|x| units::db_to_linear(-x)).sum());
    let rs = spectrum.baud_rate_hz;
    let bw01 = units::OSNR_REFERENCE_BANDWIDTH_HZ;
    let channels: Vec<ChannelResult> = report
        .channels
        .iter()
        .map(|c| ChannelResult {
            frequency_thz: c.frequency_thz,
            signal_dbm: c.power_dbm,
            osnr_ase_01nm_db: c.osnr_ase_db,
            snr_nli_db: c.snr_nli_db,
            gsnr_db: c.gsnr_db,
            gsnr_01nm_db: c.gsnr_01nm_db,
            osnr_ase_01nm_incl_trx_db: snr_sum(c.osnr_ase_db, bw01, added),
            gsnr_incl_trx_db: snr_sum(c.gsnr_db, rs, added),
            gsnr_01nm_incl_trx_db: snr_sum(c.gsnr_01nm_db, bw01, added),
        })
        .collect();
    let centre = channels[channels.len() / 2];
    Ok(PathResult {
        source: net.nodes[path[0]].node.uid.clone(),
        destination: net.nodes[*path.last().expect("a path")].node.uid.clone(),
        elements: chain.described,
        design: chain.design,
        average: average(&channels),
        cd_ps_nm: report.channels[channels.len() / 2].cd_ps_nm,
        pmd_ps: report.summary.pmd_ps,
        transceiver_osnr_01nm_db: added,
        dropped_channels: all.len() - channels.len(),
        channels,
        centre,
        budget: report,
    })
}

/// Largest noise figure a library model may give at an operating point, dB.
const MAX_NOISE_FIGURE_DB: f64 = 300.0;

/// Why a path has no numbers.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PathError {
    /// No channel of the spectrum lies inside the band of every amplifier on the path (GNPy:
    /// "Defined propagation band does not match amplifiers band").
    #[error("no channel of the spectrum lies inside the band of every amplifier on the path")]
    NoChannel,
    /// An amplifier's noise-figure model leaves the numbers at its operating point (a library
    /// mask evaluated far outside its range).
    #[error("amplifier \"{uid}\": its noise-figure model gives {nf_db:.3e} dB at its operating point (gain {gain_db:.2} dB); check its library entry")]
    NoiseFigure {
        /// The amplifier.
        uid: String,
        /// The NF it gave, dB.
        nf_db: f64,
        /// The gain it ran at, dB.
        gain_db: f64,
    },
    /// A receiver figure is not a number.
    #[error("the receiver's figures are not numbers (a power or gain beyond any real link)")]
    NotFinite,
}
