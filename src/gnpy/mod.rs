//! GNPy networks: a topology and an equipment library (GNPy 3.0.1's legacy JSON, read by
//! [`crate::io::gnpy_import`]), auto-designed as GNPy designs them ([`design_network`]), the path
//! GNPy would take ([`constrained_path`]) and its propagation through fibra's element chain
//! ([`propagate_path`]), with GNPy's conventions.

mod as_link;
mod design;
mod equipment;
mod matrix;
mod path;
mod propagate;
mod topology;

pub use as_link::path_as_link;
pub use design::{
    design_network, AmplifierDesign, DesignError, DesignedNetwork, DesignedNode, MAX_FIBER_PIECES,
};
pub use equipment::{
    AmplifierType, Equipment, FiberType, Restrictions, RoadmType, SpanRules, Spectrum,
};
pub use matrix::{all_pairs, find_transceiver, MatrixRow, MAX_PAIRS};
pub use path::{constrained_path, path_in_tree, shortest_tree, FoundPath, MAX_CANDIDATE_PATHS};
pub use propagate::{
    propagate_path, AmplifierRole, ChannelResult, PathDesign, PathElement, PathError, PathResult,
};
pub use topology::{EdfaNode, FiberNode, Node, NodeKind, RoadmNode, Topology};
