//! `fibra batch merge`: shard directories of one sweep into one, every scenario exactly once, in
//! scenario order. The inputs are only read (read-only shards merge; a shard's torn last line
//! stays where it is and its scenario counts as missing). Each JSON Lines row is copied byte for
//! byte, the CSV is rendered from it exactly, so a merge equals the unsharded run (rows sorted by
//! scenario).

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::results::Manifest;
use super::rows::{
    csv_line, csv_of_object, describe_at, for_each_row, row_index, CorruptRow, Staged,
};
use super::sweep::MAX_SCENARIOS;

/// Why shards could not be merged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    /// A shard's manifest is missing, unreadable or not sane.
    #[error("{}: {reason}", path.display())]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Shards of different sweeps.
    #[error("{} is not a shard of the same sweep as {}: {reason}", dir.display(), first.display())]
    OtherSweep {
        /// The odd shard.
        dir: PathBuf,
        /// The first shard.
        first: PathBuf,
        /// What differs.
        reason: String,
    },
    /// A row that does not belong.
    #[error(transparent)]
    Corrupt(#[from] CorruptRow),
    /// Scenarios without a row, or with more than one.
    #[error("{}", describe_gaps(*total, missing, duplicated))]
    Incomplete {
        /// Scenarios in the sweep.
        total: u64,
        /// Scenario indices without a row (the first 20) and their count.
        missing: (Vec<u64>, u64),
        /// Scenario indices with more than one row (the first 20) and their count.
        duplicated: (Vec<u64>, u64),
    },
    /// The output would replace an input.
    #[error("{}: the merged output cannot go into one of the shards it merges", out.display())]
    OutIsInput {
        /// The output directory.
        out: PathBuf,
    },
    /// Reading or writing failed.
    #[error("{0}")]
    Io(String),
}

impl From<std::io::Error> for MergeError {
    fn from(e: std::io::Error) -> Self {
        MergeError::Io(crate::display::describe_io_error(&e))
    }
}

fn describe_gaps(total: u64, missing: &(Vec<u64>, u64), duplicated: &(Vec<u64>, u64)) -> String {
    let list = |(shown, count): &(Vec<u64>, u64)| {
        let mut text: Vec<String> = shown.iter().map(u64::to_string).collect();
        if *count > shown.len() as u64 {
            text.push("…".into());
        }
        text.join(", ")
    };
    let mut parts = Vec::new();
    if missing.1 > 0 {
        parts.push(format!(
            "{} of {total} scenarios missing (scenario {})",
            missing.1,
            list(missing)
        ));
    }
    if duplicated.1 > 0 {
        parts.push(format!(
            "{} scenarios appear more than once (scenario {})",
            duplicated.1,
            list(duplicated)
        ));
    }
    parts.join("; ")
}

/// An I/O error at `path`, in words.
fn io_at(path: &Path) -> impl Fn(std::io::Error) -> MergeError + '_ {
    move |e| MergeError::Io(describe_at(path, &e))
}

fn read_manifest(dir: &Path) -> Result<Manifest, MergeError> {
    let path = dir.join("manifest.json");
    let bad = |reason: String| MergeError::Manifest {
        path: path.clone(),
        reason,
    };
    let text =
        std::fs::read_to_string(&path).map_err(|e| bad(crate::display::describe_io_error(&e)))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| bad(format!("not a manifest fibra writes: {e}")))?;
    if manifest.total == 0 || manifest.total > MAX_SCENARIOS as u64 {
        return Err(bad(format!(
            "total = {}: a sweep has 1 to {MAX_SCENARIOS} scenarios",
            manifest.total
        )));
    }
    Ok(manifest)
}

/// Where a row is: its shard and byte offset (`u64::MAX`: no row yet).
const NO_ROW: (u32, u64) = (u32::MAX, u64::MAX);

/// Merges the shard directories `dirs` into `out` (created if needed; its result files are
/// replaced whole). Returns the number of scenarios.
pub fn merge_results(dirs: &[PathBuf], out: &Path) -> Result<u64, MergeError> {
    let first_dir = dirs
        .first()
        .ok_or(MergeError::Io("nothing to merge".into()))?;
    let manifest = read_manifest(first_dir)?;
    let out_canonical = std::fs::canonicalize(out).ok();
    for (i, dir) in dirs.iter().enumerate() {
        if out_canonical.is_some() && std::fs::canonicalize(dir).ok() == out_canonical {
            return Err(MergeError::OutIsInput {
                out: out.to_path_buf(),
            });
        }
        if i == 0 {
            continue; // the manifest the others are compared with
        }
        let theirs = read_manifest(dir)?;
        let differs = if theirs.fingerprint != manifest.fingerprint {
            Some(format!(
                "fingerprint {} against {}",
                theirs.fingerprint, manifest.fingerprint
            ))
        } else if theirs.total != manifest.total
            || theirs.columns != manifest.columns
            || theirs.kind != manifest.kind
        {
            Some("its total, kind or columns differ".into())
        } else {
            None
        };
        if let Some(reason) = differs {
            return Err(MergeError::OtherSweep {
                dir: dir.clone(),
                first: first_dir.clone(),
                reason,
            });
        }
    }

    // Pass 1: where each scenario's row is (memory: 16 bytes per scenario, not the rows).
    let total = manifest.total as usize;
    let mut place = vec![NO_ROW; total];
    let mut duplicated = (Vec::new(), 0u64);
    for (shard, dir) in dirs.iter().enumerate() {
        let path = dir.join("results.jsonl");
        for_each_row(&path, |row| -> Result<(), MergeError> {
            let index = row_index(&row, &path)?;
            let slot = place.get_mut(index).ok_or_else(|| CorruptRow {
                path: path.clone(),
                line: row.number,
                reason: format!("scenario {index} is beyond the sweep's {total} scenarios"),
            })?;
            if *slot != NO_ROW {
                duplicated.1 += 1;
                if duplicated.0.len() < 20 {
                    duplicated.0.push(index as u64);
                }
            }
            *slot = (shard as u32, row.offset);
            Ok(())
        })?;
    }
    let missing_count = place.iter().filter(|p| **p == NO_ROW).count() as u64;
    if missing_count > 0 || duplicated.1 > 0 {
        let missing = place
            .iter()
            .enumerate()
            .filter(|(_, p)| **p == NO_ROW)
            .map(|(i, _)| i as u64)
            .take(20)
            .collect();
        duplicated.0.sort_unstable();
        return Err(MergeError::Incomplete {
            total: manifest.total,
            missing: (missing, missing_count),
            duplicated,
        });
    }

    // Pass 2: the rows in scenario order, each read at its offset.
    std::fs::create_dir_all(out).map_err(io_at(out))?;
    let files: Vec<File> = dirs
        .iter()
        .map(|d| {
            let path = d.join("results.jsonl");
            File::open(&path).map_err(io_at(&path))
        })
        .collect::<Result<_, _>>()?;
    let (jsonl_path, csv_path) = (out.join("results.jsonl"), out.join("results.csv"));
    let mut jsonl = Staged::create(&jsonl_path).map_err(io_at(&jsonl_path))?;
    let mut csv = Staged::create(&csv_path).map_err(io_at(&csv_path))?;
    csv.write(&csv_line(&manifest.columns))
        .map_err(io_at(&csv_path))?;
    let mut buffer = Vec::with_capacity(4096);
    for (index, &(shard, offset)) in place.iter().enumerate() {
        let line = read_line_at(&files[shard as usize], offset, &mut buffer)?;
        let object = match serde_json::from_str(line) {
            Ok(serde_json::Value::Object(o)) => o,
            _ => {
                return Err(MergeError::Io(format!(
                    "{}: scenario {index} changed while merging",
                    dirs[shard as usize].display()
                )))
            }
        };
        jsonl
            .write(line)
            .and_then(|()| jsonl.write("\n"))
            .map_err(io_at(&jsonl_path))?;
        csv.write(&csv_of_object(&object, &manifest.columns))
            .map_err(io_at(&csv_path))?;
    }
    let merged = Manifest {
        shard: None,
        ..manifest
    };
    jsonl.commit().map_err(io_at(&jsonl_path))?;
    csv.commit().map_err(io_at(&csv_path))?;
    crate::atomic_write::write_atomically(
        &out.join("manifest.json"),
        serde_json::to_string_pretty(&merged)
            .expect("a manifest is JSON")
            .as_bytes(),
    )
    .map_err(|e| MergeError::Io(e.to_string()))?;
    Ok(merged.total)
}

/// The line starting at `offset` in `file`, without its `\n`.
fn read_line_at<'a>(
    file: &File,
    offset: u64,
    buffer: &'a mut Vec<u8>,
) -> Result<&'a str, MergeError> {
    buffer.clear();
    let mut chunk = [0u8; 4096];
    loop {
        let n = file.read_at(&mut chunk, offset + buffer.len() as u64)?;
        if n == 0 {
            return Err(MergeError::Io("a shard's file shrank while merging".into()));
        }
        if let Some(p) = chunk[..n].iter().position(|&b| b == b'\n') {
            buffer.extend_from_slice(&chunk[..p]);
            break;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    std::str::from_utf8(buffer).map_err(|_| MergeError::Io("a row is not UTF-8".into()))
}
