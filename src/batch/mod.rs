//! Batch sweeps: a base LINK/ROUTE/NETWORK file, parameters varied over a Cartesian product plus
//! explicit cases; scenarios run in parallel (rayon), one result row each, appended atomically to
//! CSV and JSON Lines files so that an interrupted run can resume; deterministic shards and merge.

mod results;
mod run;
mod scenario;
mod summary;
mod sweep;

pub use results::{merge_results, read_results, ResultStore, Row, StoreError};
pub use run::{run, BatchError};
pub use scenario::{
    evaluate, result_columns, run_scenario, LinkOutcome, NetworkOutcome, RouteOutcome,
    ScenarioOutcome, SystemOutcome,
};
pub use summary::{sensitivity, Sensitivity};
pub use sweep::{parse_shard, read_sweep, BaseKind, Scenario, Shard, Sweep};
