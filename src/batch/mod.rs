//! Batch sweeps: a base LINK/ROUTE/NETWORK/SYSTEM file, parameters varied over a Cartesian
//! product plus explicit cases; scenarios made on demand and run in parallel (rayon), one result
//! row each, appended whole to CSV and JSON Lines files under an exclusive lock so that an
//! interrupted run resumes; a scenario that fails or panics is its own error row; deterministic
//! shards and an exact merge.

mod lock;
mod merge;
mod results;
mod rows;
mod run;
mod scenario;
mod summary;
mod sweep;

pub use lock::{DirLock, LockError, LockHolder, LOCK_FILE};
pub use merge::{merge_results, MergeError};
pub use results::{
    for_each_result, tally_results, DoneSet, Manifest, Opened, ResultStore, Resume, StoreError,
    Tally,
};
pub use rows::{CorruptRow, Row};
pub use run::{run, run_isolated, BatchError, Selection};
pub use scenario::{
    evaluate, parameter_values, result_columns, run_scenario, LinkOutcome, NetworkOutcome,
    RouteOutcome, ScenarioOutcome, SystemOutcome,
};
pub use summary::{Sensitivity, SensitivityTally};
pub use sweep::{
    parse_shard, read_sweep, BaseKind, Scenario, Shard, Sweep, MAX_RANGE_VALUES, MAX_SCENARIOS,
};
