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
pub use report::{CutReport, LinkSummary, NetworkReport, PairReport, PathReport};

use crate::budget::{Span, WdmGrid};
use crate::design::{DesignError, DesignResult};
use crate::transceiver::TransceiverRequirements;

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
    /// Whether the node can host a regenerator (`kind = node`; a `junction` only passes light).
    pub can_regenerate: bool,
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
            .map(|name| Node {
                name: name.to_string(),
                lat_deg: 0.0,
                lon_deg: 0.0,
                alt_m: 0.0,
                can_regenerate: true,
            })
            .collect(),
        links: Vec::new(),
        grid: WdmGrid {
            channels: 1,
            spacing_ghz: 50.0,
            center_thz: 193.1,
            symbol_rate_gbaud: 32.0,
        },
        launch_power_dbm: 0.0,
        transceivers: Vec::new(),
    }
}
