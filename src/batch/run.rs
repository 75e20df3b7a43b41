//! The batch executor: scenarios in parallel on a pool of `jobs` threads, each row appended to
//! the result store as soon as it is known.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use super::results::ResultStore;
use super::scenario::run_scenario;
use super::sweep::{Scenario, Sweep};
use crate::resources::ResourceBudget;

/// Why a batch run did not complete.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// The worker pool could not start.
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    /// Rows could not be written.
    #[error("{}: could not write {rows} result rows", dir.display())]
    Rows {
        /// The result directory.
        dir: PathBuf,
        /// Rows lost.
        rows: usize,
    },
    /// The result files could not be synced to disk.
    #[error("{}: cannot sync the results: {source}", dir.display())]
    Sync {
        /// The result directory.
        dir: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Runs `scenarios` of `sweep` on `jobs` threads (`None`: one per core) within `budget`,
/// appending each row to `store` (in `dir`) as it completes and calling `progress` after each.
/// A failed scenario is a row with its error, not a failed run.
pub fn run(
    sweep: &Sweep,
    scenarios: &[&Scenario],
    jobs: Option<usize>,
    (store, dir): (ResultStore, &std::path::Path),
    budget: &ResourceBudget,
    progress: &(dyn Fn() + Sync),
) -> Result<(), BatchError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .map_err(|e| BatchError::Threads(e.to_string()))?;
    let store = Mutex::new(store);
    let write_errors = AtomicUsize::new(0);
    pool.install(|| {
        scenarios.par_iter().for_each(|scenario| {
            let row = run_scenario(sweep, scenario, budget);
            // A poisoned lock (a panic while appending) counts as a lost row, never a panic here.
            let appended = store.lock().map(|mut s| s.append(&row).is_ok());
            if !matches!(appended, Ok(true)) {
                write_errors.fetch_add(1, Ordering::Relaxed);
            }
            progress();
        })
    });
    let store = store.into_inner().map_err(|_| BatchError::Rows {
        dir: dir.to_path_buf(),
        rows: write_errors.load(Ordering::Relaxed).max(1),
    })?;
    store.finish().map_err(|source| BatchError::Sync {
        dir: dir.to_path_buf(),
        source,
    })?;
    match write_errors.load(Ordering::Relaxed) {
        0 => Ok(()),
        rows => Err(BatchError::Rows {
            dir: dir.to_path_buf(),
            rows,
        }),
    }
}
