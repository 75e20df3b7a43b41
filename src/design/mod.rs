//! Amplifier and regenerator placement along a route: a route with candidate sites becomes a chain
//! of designed spans (one or more transparent sections) that the budget can walk.
//!
//! - Amplifiers: an exact dynamic program over the candidate sites. Every span must satisfy the hard
//!   constraints (loss ≤ max, ≥ min, length ≤ max); the objective is lexicographic: fewest in-line
//!   amplifiers, then the smallest `Σ 10^(loss_dB/10)` (for identical EDFAs whose gain equals the span
//!   loss, the ASE of a span is ∝ its linear loss, so this maximises the end-to-end OSNR).
//! - Regenerators: when the transparent design fails the transceiver's criteria, OEO regenerators
//!   go to `node` sites, fewest first (then fewest amplifiers, then smallest summed linear loss), by a
//!   shortest-path search over the node sites where an edge is a transparent section whose budget
//!   is feasible.

mod placement;
mod regeneration;
mod report;
mod route;
mod sites;

pub use placement::{place_amplifiers, Placement};
pub use regeneration::{
    design_route, ChosenSite, DesignError, DesignResult, DesignedSection, DesignedSpan, SiteRole,
};
pub use report::DesignReport;
pub use route::{Constraints, Route, RouteStretch, Site, SiteKind, MAX_CANDIDATE_SITES};
pub use sites::{link_sites, terrain_stretches, TerrainStretch, Waypoint};
