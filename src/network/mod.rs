//! A backbone network: nodes, designed links, transparent reach, regenerator placement on paths,
//! and resilience to cuts. Pure: built from already-validated data.

mod cuts;
mod geo;
mod paths;
mod plan;
mod report;

pub use cuts::CutSummary;
pub use geo::haversine_km;
pub use paths::{NetworkPlanner, PairOutcome, PairSummary, PathObjective, PathResult};
pub use plan::{LinkPlan, NetworkPlan, TerrainClass};
pub use report::{CutReport, LinkSummary, NetworkReport, NetworkTotals, PairReport, PathReport};

use crate::budget::{NliModel, SignalFormat, Span, WdmGrid};
use crate::design::{DesignError, DesignResult};
use crate::transceiver::TransceiverRequirements;

/// What a node is. Every kind but `Junction` can add/drop traffic and host a regenerator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    /// A node, nothing more said (the default).
    Node,
    /// A regional (department) capital.
    RegionalCapital,
    /// A provincial capital.
    ProvincialCapital,
    /// An international node (a border crossing) that is not a capital.
    International,
    /// A point where corridors meet: light passes, nothing is added, dropped or regenerated.
    Junction,
}

impl NodeKind {
    /// Every kind, in the order of their names in files.
    pub const ALL: [NodeKind; 5] = [
        NodeKind::Node,
        NodeKind::RegionalCapital,
        NodeKind::ProvincialCapital,
        NodeKind::International,
        NodeKind::Junction,
    ];

    /// The name in files (`kind` column, JSON, GeoJSON).
    pub fn name(self) -> &'static str {
        match self {
            NodeKind::Node => "node",
            NodeKind::RegionalCapital => "regional_capital",
            NodeKind::ProvincialCapital => "provincial_capital",
            NodeKind::International => "international",
            NodeKind::Junction => "junction",
        }
    }

    /// The kind called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether a node of this kind can host a regenerator.
    pub fn can_regenerate(self) -> bool {
        self != NodeKind::Junction
    }

    /// Whether the node is a capital (regional or provincial).
    pub fn is_capital(self) -> bool {
        matches!(
            self,
            NodeKind::RegionalCapital | NodeKind::ProvincialCapital
        )
    }
}

/// A network node (a place that can host a regenerator or add/drop traffic).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Name.
    pub name: String,
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Altitude, m.
    pub alt_m: f64,
    /// What the node is.
    pub kind: NodeKind,
    /// The population it serves (e.g. its province's), if known.
    pub population: Option<f64>,
    /// Its official code (INEI ubigeo for Peru), if known.
    pub code: Option<String>,
    /// A border crossing (an international node), whatever its kind.
    pub international: bool,
}

impl Node {
    /// A plain node (kind `node`) with no population, code or border.
    pub fn at(name: &str, lat_deg: f64, lon_deg: f64, alt_m: f64) -> Self {
        Self {
            name: name.to_string(),
            lat_deg,
            lon_deg,
            alt_m,
            kind: NodeKind::Node,
            population: None,
            code: None,
            international: false,
        }
    }

    /// Whether the node can host a regenerator (a junction only passes light).
    pub fn can_regenerate(&self) -> bool {
        self.kind.can_regenerate()
    }
}

/// A designed link between two nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkLink {
    /// Index of the first node.
    pub a: usize,
    /// Index of the second node.
    pub b: usize,
    /// Route length, km.
    pub route_km: f64,
    /// Terrain description.
    pub terrain: String,
    /// Shared-corridor tags (links with a common tag share a duct: one cut takes all down).
    pub corridors: Vec<String>,
    /// A hypothetical link, included for comparison (`include_hypothetical`).
    pub hypothetical: bool,
    /// Where the link runs, `(lat, lon)` in degrees from `a` to `b`.
    pub trace_deg: Vec<(f64, f64)>,
    /// The link's design (amplifiers placed on its candidate sites) and budget at the default
    /// transceiver, or why it could not be designed.
    pub design: Result<DesignResult, DesignError>,
}

impl NetworkLink {
    /// The designed spans from `a` to `b` (one transparent chain; regenerators of the per-link
    /// design are ignored: paths place their own at nodes).
    pub fn spans(&self) -> Vec<Span> {
        match &self.design {
            Ok(design) => design
                .sections
                .iter()
                .flat_map(|s| s.link.spans.clone())
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// A readable name, `A–B`.
    pub fn label(&self, nodes: &[Node]) -> String {
        format!("{}-{}", nodes[self.a].name, nodes[self.b].name)
    }
}

/// A transceiver type of the catalogue: its requirements and its signal.
#[derive(Debug, Clone, PartialEq)]
pub struct TransceiverType {
    /// Requirements at the receiver.
    pub requirements: TransceiverRequirements,
    /// Symbol rate, GBd.
    pub symbol_rate_gbaud: f64,
    /// Channel spacing it needs, GHz.
    pub spacing_ghz: f64,
    /// Its modulation format for the EGN model (`None`: the `[signal]` one).
    pub modulation: Option<SignalFormat>,
}

impl TransceiverType {
    /// The NLI model of a path lit by this transceiver in a network modelled by `network_model`:
    /// GN stays GN; EGN corrects for this transceiver's format (or the network's).
    pub fn nli_model(&self, network_model: NliModel) -> NliModel {
        match network_model {
            NliModel::Gn => NliModel::Gn,
            NliModel::Egn(format) => NliModel::Egn(self.modulation.unwrap_or(format)),
        }
    }
}

/// A whole network.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// Name.
    pub name: Option<String>,
    /// Nodes.
    pub nodes: Vec<Node>,
    /// Links (excluded links are not here).
    pub links: Vec<NetworkLink>,
    /// The grid of `[signal]` (the band the transceivers' combs fill).
    pub grid: WdmGrid,
    /// Per-channel launch power, dBm.
    pub launch_power_dbm: f64,
    /// How the budget models nonlinear interference.
    pub nli_model: NliModel,
    /// Transceiver catalogue, by name.
    pub transceivers: Vec<(String, TransceiverType)>,
}

impl Network {
    /// Index of the node called `name`.
    pub fn node_index(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }

    /// The transceiver called `name`.
    pub fn transceiver(&self, name: &str) -> Option<&TransceiverType> {
        self.transceivers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t)
    }
}

/// A network of the named nodes and no links (for tests of names and pair bookkeeping).
#[cfg(test)]
pub(crate) fn nodes_only(names: &[&str]) -> Network {
    Network {
        name: None,
        nodes: names
            .iter()
            .map(|name| Node::at(name, 0.0, 0.0, 0.0))
            .collect(),
        links: Vec::new(),
        grid: WdmGrid {
            channels: 1,
            spacing_ghz: 50.0,
            center_thz: 193.1,
            symbol_rate_gbaud: 32.0,
        },
        launch_power_dbm: 0.0,
        nli_model: NliModel::Gn,
        transceivers: Vec::new(),
    }
}
