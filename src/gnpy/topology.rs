//! A GNPy network topology (legacy JSON: `elements` + `connections`) as fibra holds it: a
//! directed graph whose nodes are GNPy's elements, library values already merged in (element
//! `params` win over the library entry, as `gnpy.core.utils.merge_amplifier_restrictions`).

use super::equipment::Restrictions;
use crate::fiber::FiberParams;
use std::collections::BTreeMap;

/// A fibre element.
#[derive(Debug, Clone, PartialEq)]
pub struct FiberNode {
    /// `type_variety`.
    pub type_variety: String,
    /// Length, km.
    pub length_km: f64,
    /// Attenuation, dB/km.
    pub loss_db_per_km: f64,
    /// Input connector loss, dB (`None`: the span rules' default).
    pub con_in_db: Option<f64>,
    /// Output connector loss, dB (`None`: the span rules' default).
    pub con_out_db: Option<f64>,
    /// Input attenuator (padding), dB.
    pub att_in_db: f64,
    /// Dispersion at 1550 nm, ps/(nm·km).
    pub dispersion_ps_nm_km: f64,
    /// Effective area, µm².
    pub effective_area_um2: f64,
    /// PMD coefficient, ps/√km.
    pub pmd_ps_per_sqrt_km: f64,
}

impl FiberNode {
    /// The fibre's parameters in fibra's terms, with GNPy's dispersion model (no slope, β2 the
    /// same at every channel).
    pub fn params(&self) -> FiberParams {
        FiberParams {
            attenuation_db_per_km: self.loss_db_per_km,
            dispersion_ps_nm_km: self.dispersion_ps_nm_km,
            dispersion_slope_ps_nm2_km: 0.0,
            effective_area_um2: self.effective_area_um2,
            pmd_ps_per_sqrt_km: self.pmd_ps_per_sqrt_km,
            constant_beta2: true,
        }
    }
}

/// An amplifier element as the topology gives it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EdfaNode {
    /// `type_variety` (`None`: chosen by auto-design).
    pub type_variety: Option<String>,
    /// `operational.gain_target`, dB.
    pub gain_target_db: Option<f64>,
    /// `operational.delta_p`, dB.
    pub delta_p_db: Option<f64>,
    /// `operational.out_voa`, dB.
    pub out_voa_db: Option<f64>,
    /// `operational.in_voa`, dB.
    pub in_voa_db: Option<f64>,
    /// Types auto-design may choose from (`variety_list`).
    pub variety_list: Vec<String>,
}

/// A ROADM element.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadmNode {
    /// Output power per channel, dBm.
    pub target_pch_out_dbm: f64,
    /// Per-degree targets, keyed by the uid of the element after the degree, dBm.
    pub per_degree_pch_out_dbm: BTreeMap<String, f64>,
    /// Add/drop OSNR, 0.1 nm, dB.
    pub add_drop_osnr_db: f64,
    /// PMD, ps.
    pub pmd_ps: f64,
    /// Amplifier restrictions.
    pub restrictions: Restrictions,
}

impl RoadmNode {
    /// The output power per channel of the degree towards the element `next_uid`, dBm: its
    /// per-degree target, else the ROADM's.
    pub fn degree_target_dbm(&self, next_uid: &str) -> f64 {
        self.per_degree_pch_out_dbm
            .get(next_uid)
            .copied()
            .unwrap_or(self.target_pch_out_dbm)
    }
}

/// What a node is.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A transceiver.
    Transceiver,
    /// A ROADM.
    Roadm(RoadmNode),
    /// Splices or a patch panel inside a span, dB.
    Fused {
        /// Loss, dB.
        loss_db: f64,
    },
    /// A fibre.
    Fiber(FiberNode),
    /// An amplifier.
    Edfa(EdfaNode),
}

impl NodeKind {
    /// GNPy's element type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            NodeKind::Transceiver => "Transceiver",
            NodeKind::Roadm(_) => "Roadm",
            NodeKind::Fused { .. } => "Fused",
            NodeKind::Fiber(_) => "Fiber",
            NodeKind::Edfa(_) => "Edfa",
        }
    }
}

/// One element of the network.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Unique id.
    pub uid: String,
    /// `metadata.location.city`, if any.
    pub city: Option<String>,
    /// What it is.
    pub kind: NodeKind,
}

/// A GNPy network: nodes and directed connections (indices into `nodes`, in file order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Topology {
    /// The elements, in file order.
    pub nodes: Vec<Node>,
    /// `(from, to)` node indices, in file order.
    pub connections: Vec<(usize, usize)>,
}
