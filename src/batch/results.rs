//! A run's result directory: `results.jsonl` (the record) and `results.csv`, appended one whole
//! row at a time under an exclusive lock; `manifest.json` names the sweep (with its fingerprint);
//! resume.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::lock::{DirLock, LockError, LockHolder};
use super::rows::{
    csv_line, csv_of_object, describe_at, for_each_row, header, row_index, row_object, CorruptRow,
    Row, Staged,
};
use super::scenario::result_columns;
use super::sweep::{Shard, Sweep};

/// `manifest.json`: what a result directory holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The sweep's fingerprint ([`Sweep::fingerprint`]).
    pub fingerprint: String,
    /// The base file, as the sweep named it.
    pub sweep_base: String,
    /// The base file's kind.
    pub kind: String,
    /// Scenarios in the whole sweep.
    pub total: u64,
    /// `I/N` for a shard, null for a whole sweep or a merge.
    pub shard: Option<String>,
    /// Swept parameter paths.
    pub parameters: Vec<String>,
    /// The CSV columns.
    pub columns: Vec<String>,
}

impl Manifest {
    fn of(sweep: &Sweep, shard: Option<Shard>) -> Self {
        Self {
            fingerprint: sweep.fingerprint.clone(),
            sweep_base: sweep.base_path.display().to_string(),
            kind: format!("{:?}", sweep.kind),
            total: sweep.len() as u64,
            shard: shard.map(|s| format!("{}/{}", s.index, s.count)),
            parameters: sweep.parameters.clone(),
            columns: header(&sweep.parameters, result_columns(sweep.kind)),
        }
    }
}

/// The open result files of a run (and the directory's lock, released when the store is
/// dropped).
pub struct ResultStore {
    jsonl: File,
    csv: File,
    jsonl_length: u64,
    csv_length: u64,
    parameters: Vec<String>,
    columns: Vec<&'static str>,
    header: Vec<String>,
    last_sync: std::time::Instant,
    _lock: DirLock,
}

/// Longest time between two syncs to disk (group commit): a killed process loses no row it
/// wrote (the kernel has it); a power failure loses at most this much work.
const SYNC_INTERVAL: std::time::Duration = std::time::Duration::from_millis(200);

/// Why a result directory cannot be opened for a run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The directory holds results and the run was not asked to resume (a usage error).
    #[error("{} already holds results: use --resume to continue, or another --out", dir.display())]
    AlreadyHoldsResults {
        /// The directory.
        dir: PathBuf,
    },
    /// `--resume` into a directory of another sweep, base file or shard (a usage error).
    #[error("{}: {reason}; use another --out", dir.display())]
    OtherSweep {
        /// The directory.
        dir: PathBuf,
        /// What differs.
        reason: String,
    },
    /// Another run holds the directory (a usage error).
    #[error(transparent)]
    Locked(#[from] LockError),
    /// A row of the record is not one this sweep wrote.
    #[error(transparent)]
    Corrupt(#[from] CorruptRow),
    /// The directory or its files cannot be read or written.
    #[error("{0}")]
    Io(String),
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError::Io(crate::display::describe_io_error(&e))
    }
}

fn io_at(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |e| StoreError::Io(describe_at(path, &e))
}

/// Which scenarios already have a row: one bit per scenario index.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DoneSet {
    bits: Vec<u64>,
}

impl DoneSet {
    fn new(total: usize) -> Self {
        Self {
            bits: vec![0; total.div_ceil(64)],
        }
    }

    /// Marks `index`; false if it was marked already.
    fn insert(&mut self, index: usize) -> bool {
        let (word, bit) = (index / 64, 1u64 << (index % 64));
        let new = self.bits[word] & bit == 0;
        self.bits[word] |= bit;
        new
    }

    /// Whether scenario `index` has a row.
    pub fn contains(&self, index: usize) -> bool {
        self.bits
            .get(index / 64)
            .is_some_and(|w| w & (1 << (index % 64)) != 0)
    }

    /// Scenarios with a row.
    pub fn len(&self) -> usize {
        self.bits.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Whether no scenario has a row.
    pub fn is_empty(&self) -> bool {
        self.bits.iter().all(|&w| w == 0)
    }
}

/// How a run treats a directory that already has results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resume {
    /// Continue a run of the same sweep: only scenarios without a row run.
    pub resume: bool,
    /// With `resume`: error rows are removed and their scenarios run again.
    pub retry_errors: bool,
}

/// What opening a result directory found.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// Scenarios that already have a row (and are not run again).
    pub done: DoneSet,
    /// Error rows removed for `retry_errors`.
    pub retried: usize,
    /// Bytes of a torn last line cut off (a run killed mid-write).
    pub repaired_bytes: u64,
    /// The dead run whose lock was taken over.
    pub took_over: Option<LockHolder>,
}

/// Appends `bytes` with a single `write`; on a short write or an error the file is cut back to
/// `length` (its size before), so it never ends in a torn row.
fn append_whole(file: &mut File, length: &mut u64, bytes: &[u8]) -> std::io::Result<()> {
    let outcome = match file.write(bytes) {
        Ok(n) if n == bytes.len() => {
            *length += n as u64;
            return Ok(());
        }
        Ok(n) => Err(std::io::Error::new(
            std::io::ErrorKind::WriteZero,
            format!("short write: {n} of {} bytes", bytes.len()),
        )),
        Err(e) => Err(e),
    };
    file.set_len(*length)?;
    outcome
}

impl ResultStore {
    /// Opens DIR for a run of `sweep` (or of one shard of it), taking its lock. Without
    /// `resume`, DIR must not hold results yet. With it, DIR must hold results of the same sweep
    /// and shard: a torn last line is cut off, rows are checked against the sweep (index and id),
    /// the CSV is rebuilt from the JSON Lines, and the scenarios that have a row are returned.
    pub fn open(
        dir: &Path,
        sweep: &Sweep,
        shard: Option<Shard>,
        resume: Resume,
    ) -> Result<(Self, Opened), StoreError> {
        std::fs::create_dir_all(dir).map_err(io_at(dir))?;
        let lock = DirLock::acquire(dir)?;
        let jsonl_path = dir.join("results.jsonl");
        let csv_path = dir.join("results.csv");
        let manifest_path = dir.join("manifest.json");
        let manifest = Manifest::of(sweep, shard);
        let has_results = jsonl_path.exists() || manifest_path.exists();
        if has_results && !resume.resume {
            return Err(StoreError::AlreadyHoldsResults {
                dir: dir.to_path_buf(),
            });
        }
        if has_results {
            check_same_sweep(dir, &manifest_path, &manifest)?;
        }
        let columns = result_columns(sweep.kind).to_vec();
        let mut opened = Opened {
            done: DoneSet::new(sweep.len()),
            retried: 0,
            repaired_bytes: 0,
            took_over: lock.took_over.clone(),
        };
        // The CSV (and, when retrying errors, the record) rebuilt from the rows kept.
        let mut csv_staged = Staged::create(&csv_path).map_err(io_at(&csv_path))?;
        csv_staged
            .write(&csv_line(&manifest.columns))
            .map_err(io_at(&csv_path))?;
        let mut jsonl_staged = match resume.retry_errors {
            true => Some(Staged::create(&jsonl_path).map_err(io_at(&jsonl_path))?),
            false => None,
        };
        let (complete, length) = for_each_row(&jsonl_path, |row| -> Result<(), StoreError> {
            let index = row_index(&row, &jsonl_path)?;
            let corrupt = |reason: String| CorruptRow {
                path: jsonl_path.clone(),
                line: row.number,
                reason,
            };
            let expected = sweep
                .scenario(index)
                .filter(|s| shard.is_none_or(|sh| sh.contains(s.index)))
                .ok_or_else(|| corrupt(format!("scenario {index} is not in this sweep")))?;
            if row.object.get("id").and_then(Json::as_str) != Some(expected.id.as_str()) {
                return Err(corrupt(format!(
                    "scenario {index} has another id than this sweep gives it ({})",
                    expected.id
                ))
                .into());
            }
            let failed = !matches!(row.object.get("error"), None | Some(Json::Null));
            if resume.retry_errors && failed {
                opened.retried += 1;
                return Ok(());
            }
            if !opened.done.insert(index) {
                return Err(corrupt(format!("scenario {index} has a second row")).into());
            }
            csv_staged
                .write(&csv_of_object(&row.object, &manifest.columns))
                .map_err(io_at(&csv_path))?;
            if let Some(staged) = jsonl_staged.as_mut() {
                staged
                    .write(&format!("{}\n", row.text))
                    .map_err(io_at(&jsonl_path))?;
            }
            Ok(())
        })?;
        if complete < length && jsonl_staged.is_none() {
            let file = OpenOptions::new()
                .write(true)
                .open(&jsonl_path)
                .map_err(io_at(&jsonl_path))?;
            file.set_len(complete).map_err(io_at(&jsonl_path))?;
            file.sync_all().map_err(io_at(&jsonl_path))?;
        }
        opened.repaired_bytes = length - complete;
        if let Some(staged) = jsonl_staged {
            staged.commit().map_err(io_at(&jsonl_path))?;
        }
        csv_staged.commit().map_err(io_at(&csv_path))?;
        crate::atomic_write::write_atomically(
            &manifest_path,
            serde_json::to_string_pretty(&manifest)
                .expect("a manifest is JSON")
                .as_bytes(),
        )
        .map_err(|e| StoreError::Io(e.to_string()))?;
        let open = |p: &PathBuf| {
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .map_err(io_at(p))
        };
        let (jsonl, csv) = (open(&jsonl_path)?, open(&csv_path)?);
        let store = Self {
            jsonl_length: jsonl.metadata().map_err(io_at(&jsonl_path))?.len(),
            csv_length: csv.metadata().map_err(io_at(&csv_path))?.len(),
            jsonl,
            csv,
            parameters: sweep.parameters.clone(),
            columns,
            header: manifest.columns,
            last_sync: std::time::Instant::now(),
            _lock: lock,
        };
        Ok((store, opened))
    }

    /// Appends one whole row to both files, each with a single `write`; if either fails, both
    /// are cut back to their last whole row. Syncs them to disk at most every `SYNC_INTERVAL`
    /// (0.2 s) (and in [`ResultStore::finish`]).
    pub fn append(&mut self, row: &Row) -> std::io::Result<()> {
        let object = row_object(row, &self.parameters, &self.columns);
        let csv = csv_of_object(&object, &self.header);
        let line = format!("{}\n", Json::Object(object));
        let before = self.jsonl_length;
        append_whole(&mut self.jsonl, &mut self.jsonl_length, line.as_bytes())?;
        if let Err(e) = append_whole(&mut self.csv, &mut self.csv_length, csv.as_bytes()) {
            self.jsonl.set_len(before)?;
            self.jsonl_length = before;
            return Err(e);
        }
        if self.last_sync.elapsed() >= SYNC_INTERVAL {
            self.sync()?;
        }
        Ok(())
    }

    fn sync(&mut self) -> std::io::Result<()> {
        self.jsonl.sync_data()?;
        self.csv.sync_data()?;
        self.last_sync = std::time::Instant::now();
        Ok(())
    }

    /// Syncs everything written to disk and releases the directory.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.sync()
    }
}

/// `--resume` only into a directory of the same sweep, base and shard.
fn check_same_sweep(dir: &Path, path: &Path, ours: &Manifest) -> Result<(), StoreError> {
    let other = |reason: String| StoreError::OtherSweep {
        dir: dir.to_path_buf(),
        reason,
    };
    let text = std::fs::read_to_string(path)
        .map_err(|_| other("results without a readable manifest.json".into()))?;
    let theirs: Manifest = serde_json::from_str(&text)
        .map_err(|e| other(format!("manifest.json is not one fibra writes ({e})")))?;
    if theirs.fingerprint != ours.fingerprint {
        return Err(other(format!(
            "its results are of another sweep or base file (fingerprint {}, this sweep {})",
            theirs.fingerprint, ours.fingerprint
        )));
    }
    if theirs.shard != ours.shard {
        let name = |s: &Option<String>| s.clone().unwrap_or_else(|| "the whole sweep".into());
        return Err(other(format!(
            "its results are of {} (this run: {})",
            name(&theirs.shard),
            name(&ours.shard)
        )));
    }
    Ok(())
}

/// What a result directory holds: its rows and the failed ones (streamed, any size).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tally {
    /// Rows.
    pub rows: usize,
    /// Error rows.
    pub failed: usize,
    /// The first ten error rows: (scenario index, id, error).
    pub first_failures: Vec<(usize, String, String)>,
}

/// Counts the rows of a results directory.
pub fn tally_results(dir: &Path) -> Result<Tally, StoreError> {
    let path = dir.join("results.jsonl");
    let mut tally = Tally::default();
    for_each_row(&path, |row| -> Result<(), StoreError> {
        tally.rows += 1;
        if let Some(Json::String(e)) = row.object.get("error") {
            tally.failed += 1;
            if tally.first_failures.len() < 10 {
                let id = row.object.get("id").and_then(Json::as_str).unwrap_or("");
                tally
                    .first_failures
                    .push((row_index(&row, &path)?, id.to_string(), e.clone()));
            }
        }
        Ok(())
    })?;
    Ok(tally)
}

/// Reads back the rows of a results directory for `sweep` one at a time (e.g. for the
/// sensitivity summary), so that memory does not grow with their number.
pub fn for_each_result(
    dir: &Path,
    sweep: &Sweep,
    mut each: impl FnMut(Row),
) -> Result<(), StoreError> {
    let columns = result_columns(sweep.kind);
    let path = dir.join("results.jsonl");
    for_each_row(&path, |row| -> Result<(), StoreError> {
        let o = &row.object;
        each(Row {
            index: row_index(&row, &path)?,
            id: o.get("id").and_then(Json::as_str).unwrap_or("").to_string(),
            parameters: sweep
                .parameters
                .iter()
                .map(|p| o.get(p).cloned().unwrap_or(Json::Null))
                .collect(),
            result: match o.get("error") {
                Some(Json::String(e)) => Err(e.clone()),
                _ => Ok(columns
                    .iter()
                    .map(|c| o.get(*c).cloned().unwrap_or(Json::Null))
                    .collect()),
            },
        });
        Ok(())
    })
    .map(|_| ())
}
