//! A network as read, before any link is designed: nodes, links with the places they pass, and
//! the rules that turn a link into a route (hut spacing, terrain classes, span template).
//! [`NetworkPlan::design_links`] places every link's amplifiers.

use std::collections::BTreeMap;

use super::{Network, NetworkLink, Node, TransceiverType};
use crate::budget::{NliModel, Span, WdmGrid};
use crate::design::{
    design_route, link_sites, terrain_stretches, Constraints, Route, RouteStretch, Waypoint,
};
use crate::fiber::FiberParams;

/// The fibre and lumped loss of a terrain class.
#[derive(Debug, Clone, PartialEq)]
pub struct TerrainClass {
    /// Fibre laid in this terrain.
    pub fiber: FiberParams,
    /// Lumped extra loss at the start of each stretch of this terrain, dB.
    pub extra_loss_db: f64,
}

/// A link as read: its ends, route length, the places it passes.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkPlan {
    /// Index of the first node.
    pub a: usize,
    /// Index of the second node.
    pub b: usize,
    /// Route length, km.
    pub route_km: f64,
    /// Terrain class of the whole link (when it has no waypoints).
    pub terrain: String,
    /// Shared-corridor tags.
    pub corridors: Vec<String>,
    /// A hypothetical link (in the plan only when asked for: a comparison, not the network).
    pub hypothetical: bool,
    /// Fibre of the whole link, when the links file names one.
    pub fiber: Option<FiberParams>,
    /// Places along the link, sorted by km, the last at the far end (may be empty).
    pub waypoints: Vec<Waypoint>,
    /// Where the link runs, `(lat, lon)` in degrees from `a` to `b` through the waypoints whose
    /// positions are known.
    pub trace_deg: Vec<(f64, f64)>,
}

/// A network as read, before its links are designed.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkPlan {
    /// Name.
    pub name: Option<String>,
    /// Nodes.
    pub nodes: Vec<Node>,
    /// Links in service (hypothetical ones left out unless asked for).
    pub links: Vec<LinkPlan>,
    /// The grid of `[signal]`.
    pub grid: WdmGrid,
    /// Per-channel launch power, dBm.
    pub launch_power_dbm: f64,
    /// How the budget models nonlinear interference.
    pub nli_model: NliModel,
    /// Transceiver catalogue, by name.
    pub transceivers: Vec<(String, TransceiverType)>,
    /// Name of the default transceiver.
    pub default_transceiver: String,
    /// The transceiver links are designed for (the default one).
    pub design_transceiver: TransceiverType,
    /// Span parameters every designed span starts from.
    pub template: Span,
    /// Terrain classes by name.
    pub terrains: BTreeMap<String, TerrainClass>,
    /// Largest distance between candidate amplifier huts, km.
    pub hut_spacing_km: f64,
    /// Span constraints.
    pub constraints: Constraints,
}

impl NetworkPlan {
    /// The route of `link`: candidate sites ([`link_sites`]), a stretch of fibre per terrain
    /// class, the grid filled with the default transceiver's channels.
    pub fn link_route(&self, link: &LinkPlan) -> Route {
        let (a, b) = (&self.nodes[link.a].name, &self.nodes[link.b].name);
        let stretches = terrain_stretches(link.route_km, &link.waypoints, &link.terrain);
        let sites = link_sites((a, b), &stretches, &link.waypoints, self.hut_spacing_km);
        let fiber_stretches = stretches
            .iter()
            .filter_map(|s| {
                self.terrains.get(&s.terrain).map(|class| RouteStretch {
                    from_km: s.from_km,
                    to_km: s.to_km,
                    fiber: class.fiber.clone(),
                    extra_loss_db: class.extra_loss_db,
                })
            })
            .collect();
        let mut template = self.template.clone();
        if let Some(fiber) = &link.fiber {
            template.fiber = fiber.clone();
        }
        let transceiver = &self.design_transceiver;
        Route {
            name: Some(format!("{a}-{b}")),
            grid: self
                .grid
                .filled_with(transceiver.symbol_rate_gbaud, transceiver.spacing_ghz),
            launch_power_dbm: self.launch_power_dbm,
            nli_model: transceiver.nli_model(self.nli_model),
            transceiver: transceiver.requirements.clone(),
            template,
            sites,
            stretches: fiber_stretches,
            constraints: self.constraints,
        }
    }

    /// Designs every link (amplifiers on its candidate sites, budget at the default transceiver);
    /// a link that cannot be designed keeps the reason.
    pub fn design_links(&self) -> Network {
        let links = self
            .links
            .iter()
            .map(|link| NetworkLink {
                a: link.a,
                b: link.b,
                route_km: link.route_km,
                terrain: link.terrain.clone(),
                corridors: link.corridors.clone(),
                hypothetical: link.hypothetical,
                trace_deg: link.trace_deg.clone(),
                design: design_route(&self.link_route(link)),
            })
            .collect();
        Network {
            name: self.name.clone(),
            nodes: self.nodes.clone(),
            links,
            grid: self.grid.clone(),
            launch_power_dbm: self.launch_power_dbm,
            nli_model: self.nli_model,
            transceivers: self.transceivers.clone(),
        }
    }
}
