//! A small CSV reader that keeps line numbers, for errors that name file, line and column.

use crate::display::quote_user_text;
use std::path::Path;

use super::error::InputError;
use super::input_file::read_input_bytes;

/// A CSV file read whole: header and rows with their line numbers.
pub(crate) struct CsvTable {
    pub file: String,
    headers: Vec<String>,
    /// (line number, fields)
    pub rows: Vec<(u64, Vec<String>)>,
}

impl CsvTable {
    pub fn read(path: &Path) -> Result<Self, InputError> {
        let file = path.display().to_string();
        let bytes = read_input_bytes(path)?;
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(bytes.as_slice());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| InputError::at("line 1", e.to_string()).in_file(&file))?
            .iter()
            .map(str::to_string)
            .collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                InputError::at(format!("line {line}"), e.to_string()).in_file(&file)
            })?;
            let line = record.position().map_or(0, |p| p.line());
            rows.push((line, record.iter().map(str::to_string).collect()));
        }
        Ok(Self {
            file,
            headers,
            rows,
        })
    }

    /// Index of a column, or an error naming it when `required`.
    pub fn column(&self, name: &str, required: bool) -> Result<Option<usize>, InputError> {
        match self.headers.iter().position(|h| h == name) {
            Some(i) => Ok(Some(i)),
            None if required => Err(self.error(
                1,
                None,
                format!(
                    "missing column `{}` (header: {})",
                    quote_user_text(name),
                    self.headers.join(",")
                ),
            )),
            None => Ok(None),
        }
    }

    /// An error at a line and (1-based) column.
    pub fn error(
        &self,
        line: u64,
        column: Option<usize>,
        message: impl Into<String>,
    ) -> InputError {
        let key = match column {
            Some(c) => format!(
                "line {line}, column {} ({})",
                c + 1,
                self.headers.get(c).map_or("", String::as_str)
            ),
            None => format!("line {line}"),
        };
        InputError::at(key, message).in_file(&self.file)
    }

    /// A field as a finite number within `[min, max]`; empty fields are `None`.
    pub fn number(
        &self,
        line: u64,
        fields: &[String],
        column: Option<usize>,
        min: f64,
        max: f64,
    ) -> Result<Option<f64>, InputError> {
        let Some(c) = column else { return Ok(None) };
        let text = fields.get(c).map_or("", String::as_str);
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && (min..=max).contains(&v) => Ok(Some(v)),
            _ => Err(self.error(
                line,
                Some(c),
                format!(
                    "`{}` must be a number from {min} to {max}",
                    quote_user_text(text)
                ),
            )),
        }
    }

    /// A text field (empty = `None`).
    pub fn text<'a>(&self, fields: &'a [String], column: Option<usize>) -> Option<&'a str> {
        column
            .and_then(|c| fields.get(c))
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }
}
