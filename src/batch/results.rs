//! Result files: `results.jsonl` (the record) and `results.csv`, appended one whole row at a
//! time and synced; `manifest.json` describes the sweep; resume and merge.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value as Json};

use super::scenario::result_columns;
use super::sweep::{Shard, Sweep};

/// One scenario's result row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Scenario index in the full sweep.
    pub index: usize,
    /// Stable scenario id.
    pub id: String,
    /// The swept values, in the sweep's parameter order (null when a case does not set one).
    pub parameters: Vec<Json>,
    /// The result columns, or the error.
    pub result: Result<Vec<Json>, String>,
}

/// The open result files of a run.
pub struct ResultStore {
    jsonl: File,
    csv: File,
    parameters: Vec<String>,
    columns: Vec<&'static str>,
    last_sync: std::time::Instant,
}

/// Longest time between two syncs to disk (group commit): a killed process loses no row it
/// wrote (the kernel has it); a power failure loses at most this much work.
const SYNC_INTERVAL: std::time::Duration = std::time::Duration::from_millis(200);

fn io_error(path: &Path, e: std::io::Error) -> String {
    format!("{}: {e}", path.display())
}

fn header(parameters: &[String], columns: &[&str]) -> Vec<String> {
    let mut h = vec!["scenario".to_string(), "id".to_string()];
    h.extend(parameters.iter().cloned());
    h.extend(columns.iter().map(|c| c.to_string()));
    h.push("error".to_string());
    h
}

fn csv_line(fields: &[String]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    writer.write_record(fields).expect("writing to memory");
    String::from_utf8(writer.into_inner().expect("flush to memory")).expect("utf-8 fields")
}

fn cell(value: &Json) -> String {
    match value {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The JSON object of a row, flat: scenario, id, each parameter, each result column, error.
fn row_object(row: &Row, parameters: &[String], columns: &[&str]) -> Map<String, Json> {
    let mut object = Map::new();
    object.insert("scenario".into(), json!(row.index));
    object.insert("id".into(), json!(row.id));
    for (name, value) in parameters.iter().zip(&row.parameters) {
        object.insert(name.clone(), value.clone());
    }
    match &row.result {
        Ok(values) => {
            for (name, value) in columns.iter().zip(values) {
                object.insert(name.to_string(), value.clone());
            }
            object.insert("error".into(), Json::Null);
        }
        Err(e) => {
            for name in columns {
                object.insert(name.to_string(), Json::Null);
            }
            object.insert("error".into(), json!(e));
        }
    }
    object
}

fn csv_of_object(object: &Map<String, Json>, header: &[String]) -> String {
    csv_line(
        &header
            .iter()
            .map(|h| object.get(h).map_or(String::new(), cell))
            .collect::<Vec<_>>(),
    )
}

/// Reads the complete rows of a `results.jsonl`, truncating a trailing partial line (a run
/// killed mid-write) so that the file holds whole rows only.
fn read_rows(path: &Path) -> Result<Vec<Map<String, Json>>, String> {
    let Ok(bytes) = std::fs::read(path) else {
        return Ok(Vec::new());
    };
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    if complete < bytes.len() {
        let file = OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| io_error(path, e))?;
        file.set_len(complete as u64)
            .map_err(|e| io_error(path, e))?;
        file.sync_all().map_err(|e| io_error(path, e))?;
    }
    String::from_utf8_lossy(&bytes[..complete])
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match serde_json::from_str::<Json>(l) {
            Ok(Json::Object(o)) => Ok(o),
            _ => Err(format!(
                "{}: a line is not a JSON object: {l}",
                path.display()
            )),
        })
        .collect()
}

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
    /// The directory or its files cannot be read or written.
    #[error("{0}")]
    Io(String),
}

impl ResultStore {
    /// Opens DIR for a run. Without `resume`, DIR must not hold results yet. With it, the rows
    /// already there are kept (a partial last line is dropped), the CSV is rebuilt from them, and
    /// their scenario ids are returned.
    pub fn open(
        dir: &Path,
        sweep: &Sweep,
        shard: Option<Shard>,
        resume: bool,
    ) -> Result<(Self, Vec<String>), StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io(io_error(dir, e)))?;
        let jsonl_path = dir.join("results.jsonl");
        let csv_path = dir.join("results.csv");
        if !resume && jsonl_path.exists() {
            return Err(StoreError::AlreadyHoldsResults {
                dir: dir.to_path_buf(),
            });
        }
        let columns = result_columns(sweep.kind).to_vec();
        let header = header(&sweep.parameters, &columns);
        let existing = read_rows(&jsonl_path).map_err(StoreError::Io)?;
        let done: Vec<String> = existing
            .iter()
            .filter_map(|o| o.get("id").and_then(Json::as_str).map(str::to_string))
            .collect();
        let mut csv_text = csv_line(&header);
        for object in &existing {
            csv_text.push_str(&csv_of_object(object, &header));
        }
        crate::atomic_write::write_atomically(&csv_path, csv_text.as_bytes())
            .map_err(|e| StoreError::Io(e.to_string()))?;
        let manifest = json!({
            "sweep_base": sweep.base_path.display().to_string(),
            "kind": format!("{:?}", sweep.kind),
            "total": sweep.scenarios.len(),
            "shard": shard.map(|s| format!("{}/{}", s.index, s.count)),
            "parameters": sweep.parameters,
            "columns": header,
        });
        let manifest_path = dir.join("manifest.json");
        crate::atomic_write::write_atomically(
            &manifest_path,
            serde_json::to_string_pretty(&manifest)
                .expect("json")
                .as_bytes(),
        )
        .map_err(|e| StoreError::Io(e.to_string()))?;
        let open = |p: &PathBuf| {
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .map_err(|e| StoreError::Io(io_error(p, e)))
        };
        let store = Self {
            jsonl: open(&jsonl_path)?,
            csv: open(&csv_path)?,
            parameters: sweep.parameters.clone(),
            columns,
            last_sync: std::time::Instant::now(),
        };
        Ok((store, done))
    }

    /// Appends one whole row to both files, each with a single `write`; syncs them to disk at
    /// most every `SYNC_INTERVAL` (0.2 s) (and in [`ResultStore::finish`]).
    pub fn append(&mut self, row: &Row) -> std::io::Result<()> {
        let object = row_object(row, &self.parameters, &self.columns);
        let header = header(&self.parameters, &self.columns);
        let line = format!("{}\n", Json::Object(object.clone()));
        self.jsonl.write_all(line.as_bytes())?;
        self.csv
            .write_all(csv_of_object(&object, &header).as_bytes())?;
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

    /// Syncs everything written to disk.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.sync()
    }
}

/// Merges shard directories into `out`: same sweep, every scenario exactly once.
pub fn merge_results(dirs: &[PathBuf], out: &Path) -> Result<usize, String> {
    let mut manifest: Option<Json> = None;
    let mut rows: BTreeMap<u64, Map<String, Json>> = BTreeMap::new();
    for dir in dirs {
        let path = dir.join("manifest.json");
        let text = std::fs::read_to_string(&path).map_err(|e| io_error(&path, e))?;
        let m: Json =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(first) = &manifest {
            if first["total"] != m["total"]
                || first["parameters"] != m["parameters"]
                || first["kind"] != m["kind"]
            {
                return Err(format!(
                    "{}: not a shard of the same sweep as {}",
                    dir.display(),
                    dirs[0].display()
                ));
            }
        } else {
            manifest = Some(m);
        }
        for object in read_rows(&dir.join("results.jsonl"))? {
            let index = object
                .get("scenario")
                .and_then(Json::as_u64)
                .ok_or_else(|| format!("{}: a row without a scenario index", dir.display()))?;
            if rows.insert(index, object).is_some() {
                return Err(format!(
                    "scenario {index} appears more than once (in {})",
                    dir.display()
                ));
            }
        }
    }
    let manifest = manifest.ok_or("nothing to merge")?;
    let total = manifest["total"].as_u64().unwrap_or(0);
    let missing: Vec<u64> = (0..total).filter(|i| !rows.contains_key(i)).collect();
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(10).map(u64::to_string).collect();
        return Err(format!(
            "{} of {total} scenarios missing (e.g. {})",
            missing.len(),
            shown.join(", ")
        ));
    }
    std::fs::create_dir_all(out).map_err(|e| io_error(out, e))?;
    let header: Vec<String> = manifest["columns"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut jsonl = String::new();
    let mut csv_text = csv_line(&header);
    for object in rows.values() {
        jsonl.push_str(&format!("{}\n", Json::Object(object.clone())));
        csv_text.push_str(&csv_of_object(object, &header));
    }
    let mut merged = manifest.clone();
    merged["shard"] = Json::Null;
    for (name, content) in [
        ("results.jsonl", jsonl),
        ("results.csv", csv_text),
        (
            "manifest.json",
            serde_json::to_string_pretty(&merged).expect("json"),
        ),
    ] {
        let path = out.join(name);
        crate::atomic_write::write_atomically(&path, content.as_bytes())
            .map_err(|e| e.to_string())?;
    }
    Ok(rows.len())
}

/// Reads back the rows of a results directory for `sweep` (e.g. for the sensitivity summary).
pub fn read_results(dir: &Path, sweep: &Sweep) -> Result<Vec<Row>, String> {
    let columns = result_columns(sweep.kind);
    read_rows(&dir.join("results.jsonl"))?
        .into_iter()
        .map(|o| {
            let index = o.get("scenario").and_then(Json::as_u64).unwrap_or(0) as usize;
            let id = o.get("id").and_then(Json::as_str).unwrap_or("").to_string();
            let parameters = sweep
                .parameters
                .iter()
                .map(|p| o.get(p).cloned().unwrap_or(Json::Null))
                .collect();
            let result = match o.get("error") {
                Some(Json::String(e)) => Err(e.clone()),
                _ => Ok(columns
                    .iter()
                    .map(|c| o.get(*c).cloned().unwrap_or(Json::Null))
                    .collect()),
            };
            Ok(Row {
                index,
                id,
                parameters,
                result,
            })
        })
        .collect()
}
