//! The batch executor: the scenarios of a shard that have no row yet, made on demand and run in
//! parallel on a pool of `jobs` threads, each row appended to the result store as soon as it is
//! known. A scenario that fails — an error or a panic — is its own error row; the batch goes on.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

use rayon::prelude::*;

use super::results::{DoneSet, ResultStore};
use super::rows::Row;
use super::scenario::{parameter_values, run_scenario};
use super::sweep::{Scenario, Shard, Sweep};
use crate::resources::ResourceBudget;

/// Why a batch run did not complete.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// The worker pool could not start.
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    /// Rows could not be written.
    #[error("{}: could not write {rows} result rows ({reason}); the files hold whole rows only: run again with --resume", dir.display())]
    Rows {
        /// The result directory.
        dir: PathBuf,
        /// Rows lost.
        rows: usize,
        /// The first write error, in words.
        reason: String,
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

/// Which scenarios a run takes: those of `shard` (all without one) that are not `done`.
#[derive(Debug, Clone, Copy)]
pub struct Selection<'a> {
    /// The shard, if any.
    pub shard: Option<Shard>,
    /// Scenarios that already have a row.
    pub done: &'a DoneSet,
}

impl Selection<'_> {
    /// Whether scenario `index` runs.
    pub fn contains(&self, index: usize) -> bool {
        self.shard.is_none_or(|s| s.contains(index)) && !self.done.contains(index)
    }

    /// How many scenarios of `sweep` run.
    pub fn count(&self, sweep: &Sweep) -> usize {
        let in_shard = match self.shard {
            None => sweep.len(),
            Some(s) => sweep.len().saturating_sub(s.index - 1).div_ceil(s.count),
        };
        in_shard - self.done.len()
    }
}

thread_local! {
    /// Inside a scenario: where its panic happened, filled by the panic hook.
    static PANIC_SITE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that, on a thread running a scenario, records the panic's
/// message and location for the error row instead of printing it; other panics print as before.
fn install_scenario_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let recorded = PANIC_SITE.with(|site| {
                let mut site = site.borrow_mut();
                site.as_mut().map(|slot| {
                    let message = info
                        .payload()
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| info.payload().downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "no message".into());
                    let location = info
                        .location()
                        .map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
                    *slot = format!("{message}{location}");
                })
            });
            if recorded.is_none() {
                previous(info);
            }
        }));
    });
}

/// Runs one scenario behind `catch_unwind`: a panic becomes the row's error, in one line.
pub fn run_isolated(sweep: &Sweep, scenario: &Scenario, budget: &ResourceBudget) -> Row {
    isolated(|| run_scenario(sweep, scenario, budget)).unwrap_or_else(|why| Row {
        index: scenario.index,
        id: scenario.id.clone(),
        parameters: parameter_values(sweep, scenario),
        result: Err(why),
    })
}

/// `work()`, or the one-line reason it panicked (message and location).
fn isolated<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    install_scenario_panic_hook();
    PANIC_SITE.with(|site| *site.borrow_mut() = Some(String::new()));
    let outcome = catch_unwind(AssertUnwindSafe(work));
    let site = PANIC_SITE.with(|site| site.borrow_mut().take().unwrap_or_default());
    outcome.map_err(|_| {
        format!(
            "internal error: fibra panicked ({}); please report it with this scenario",
            site.replace('\n', " ")
        )
    })
}

/// Runs the `selection` of `sweep` on `jobs` threads (`None`: one per core) within `budget`,
/// appending each row to `store` (in `dir`) as it completes and calling `progress` after each.
/// A failed scenario is a row with its error, not a failed run.
pub fn run(
    sweep: &Sweep,
    selection: Selection,
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
    let first_error = Mutex::new(None::<String>);
    pool.install(|| {
        (0..sweep.len())
            .into_par_iter()
            .filter(|&index| selection.contains(index))
            .filter_map(|index| sweep.scenario(index))
            .for_each(|scenario| {
                let row = run_isolated(sweep, &scenario, budget);
                // A poisoned lock (a panic while appending) counts as a lost row, never a panic.
                let appended = match store.lock() {
                    Ok(mut s) => s
                        .append(&row)
                        .map_err(|e| crate::display::describe_io_error(&e)),
                    Err(_) => Err("a writer failed".into()),
                };
                if let Err(reason) = appended {
                    write_errors.fetch_add(1, Ordering::Relaxed);
                    if let Ok(mut first) = first_error.lock() {
                        first.get_or_insert(reason);
                    }
                }
                progress();
            })
    });
    let reason = || {
        first_error
            .lock()
            .ok()
            .and_then(|f| f.clone())
            .unwrap_or_default()
    };
    let store = store.into_inner().map_err(|_| BatchError::Rows {
        dir: dir.to_path_buf(),
        rows: write_errors.load(Ordering::Relaxed).max(1),
        reason: reason(),
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
            reason: reason(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_one_line_reason_and_later_work_runs() {
        let failed = isolated(|| -> u32 { panic!("span {} has\nno length", 3) }).unwrap_err();
        assert!(failed.contains("span 3 has no length"), "{failed}");
        assert!(failed.contains("src/batch/run.rs:"), "{failed}");
        assert!(!failed.contains('\n'));
        // The thread is usable again and a normal result passes through.
        assert_eq!(isolated(|| 7), Ok(7));
        // Outside a scenario, a panic is not swallowed by the hook's slot.
        assert!(PANIC_SITE.with(|s| s.borrow().is_none()));
    }
}
