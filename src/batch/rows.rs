//! Result rows on disk: the JSON Lines record and its CSV rendering, whole lines only (a torn
//! last line is never read as a row), and files staged beside their target and renamed into place.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value as Json};

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

/// An I/O error at `path`, in words: `path: no space left on device`.
pub(super) fn describe_at(path: &Path, e: &std::io::Error) -> String {
    format!(
        "{}: {}",
        path.display(),
        crate::display::describe_io_error(e)
    )
}

/// The CSV header: scenario, id, the swept paths, the result columns, error.
pub(super) fn header(parameters: &[String], columns: &[&str]) -> Vec<String> {
    let mut h = vec!["scenario".to_string(), "id".to_string()];
    h.extend(parameters.iter().cloned());
    h.extend(columns.iter().map(|c| c.to_string()));
    h.push("error".to_string());
    h
}

/// One CSV record, quoted as needed, with its line end.
pub(super) fn csv_line(fields: &[String]) -> String {
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
pub(super) fn row_object(row: &Row, parameters: &[String], columns: &[&str]) -> Map<String, Json> {
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

/// The CSV record of a row object under `header`. Floats print as they were parsed (serde_json
/// with `float_roundtrip` reads them exactly; they are written shortest-round-trip), so a CSV
/// rebuilt from the JSON Lines equals the one written at run time byte for byte.
pub(super) fn csv_of_object(object: &Map<String, Json>, header: &[String]) -> String {
    csv_line(
        &header
            .iter()
            .map(|h| object.get(h).map_or(String::new(), cell))
            .collect::<Vec<_>>(),
    )
}

/// One complete line of a JSON Lines file: its number (1-based), its text without the line end,
/// and its parsed object.
pub(super) struct RowLine {
    pub number: usize,
    /// Byte offset of the line's start in the file.
    pub offset: u64,
    pub text: String,
    pub object: Map<String, Json>,
}

/// A line that is not a row object.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}, line {line}: {reason}", path.display())]
pub struct CorruptRow {
    /// The file.
    pub path: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// The length of the whole lines at the start of `file`: up to and including its last `\n`
/// (read backwards in blocks, so a large file is not read whole).
pub(super) fn complete_length(file: &mut File) -> std::io::Result<u64> {
    let mut end = file.metadata()?.len();
    let mut block = vec![0u8; 64 * 1024];
    while end > 0 {
        let start = end.saturating_sub(block.len() as u64);
        let chunk = &mut block[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(chunk)?;
        if let Some(p) = chunk.iter().rposition(|&b| b == b'\n') {
            return Ok(start + p as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

/// Calls `each` on every complete line of the JSON Lines file at `path`, in order, streaming;
/// a partial last line (a run killed mid-write) is not read. Returns the length of the complete
/// lines and the file's length. A missing file has no lines.
pub(super) fn for_each_row<E: From<CorruptRow> + From<std::io::Error>>(
    path: &Path,
    mut each: impl FnMut(RowLine) -> Result<(), E>,
) -> Result<(u64, u64), E> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((0, 0)),
        Err(e) => return Err(e.into()),
    };
    let length = file.metadata()?.len();
    let complete = complete_length(&mut file)?;
    file.seek(SeekFrom::Start(0))?;
    let mut reader = BufReader::new(file.take(complete));
    let mut buffer = Vec::new();
    let (mut number, mut offset) = (0, 0u64);
    loop {
        buffer.clear();
        let read = reader.read_until(b'\n', &mut buffer)?;
        if read == 0 {
            break;
        }
        number += 1;
        let start = offset;
        offset += read as u64;
        let corrupt = |reason: &str| CorruptRow {
            path: path.to_path_buf(),
            line: number,
            reason: reason.into(),
        };
        let text = std::str::from_utf8(&buffer)
            .map_err(|_| corrupt("not UTF-8"))?
            .trim_end_matches('\n');
        if text.trim().is_empty() {
            continue;
        }
        let object = match serde_json::from_str::<Json>(text) {
            Ok(Json::Object(o)) => o,
            _ => return Err(corrupt("not a JSON object").into()),
        };
        each(RowLine {
            number,
            offset: start,
            text: text.to_string(),
            object,
        })?;
    }
    Ok((complete, length))
}

/// The scenario index of a row object.
pub(super) fn row_index(row: &RowLine, path: &Path) -> Result<usize, CorruptRow> {
    row.object
        .get("scenario")
        .and_then(Json::as_u64)
        .and_then(|i| usize::try_from(i).ok())
        .ok_or_else(|| CorruptRow {
            path: path.to_path_buf(),
            line: row.number,
            reason: "no scenario index".into(),
        })
}

/// A file written beside its target and renamed over it when complete; removed if dropped
/// before [`Staged::commit`].
pub(super) struct Staged {
    temporary: PathBuf,
    target: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl Staged {
    pub fn create(target: &Path) -> std::io::Result<Self> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temporary = target.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let writer = BufWriter::new(File::create(&temporary)?);
        Ok(Self {
            temporary,
            target: target.to_path_buf(),
            writer: Some(writer),
        })
    }

    pub fn write(&mut self, text: &str) -> std::io::Result<()> {
        self.writer
            .as_mut()
            .expect("open until committed")
            .write_all(text.as_bytes())
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> std::io::Result<()> {
        let writer = self.writer.take().expect("open until committed");
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&self.temporary, &self.target)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.writer.is_some() {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}
