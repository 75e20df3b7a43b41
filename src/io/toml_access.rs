//! Typed, path-aware access to a parsed TOML table: every getter names the full key path in its
//! error, numbers must be finite, and unknown keys are rejected with the list of allowed ones.

use std::path::Path;

use super::error::InputError;
use super::input_file::read_input_text;
use crate::display::format_value;
use toml::{Table, Value};

/// Reads, parses and validates a TOML input file with `from_table`; every error names the file.
pub fn read_toml_file<T>(
    path: &Path,
    from_table: impl FnOnce(&Table) -> Result<T, InputError>,
) -> Result<T, InputError> {
    let text = read_input_text(path)?;
    parse_document(&text)
        .and_then(|document| from_table(&document))
        .map_err(|e| e.in_file(path.display().to_string()))
}

/// Parses TOML text into a table; a syntax error becomes one line with its line and column.
pub fn parse_document(text: &str) -> Result<Table, InputError> {
    text.parse::<Table>().map_err(|e| {
        let location = e
            .span()
            .map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("line {line}, column {column}: ")
            })
            .unwrap_or_default();
        let mut message = e.message().replace('\n', " ");
        if message.trim().is_empty() {
            // toml gives no words for some lexical errors (a lone carriage return, a stray
            // control character): name what is at the error position instead.
            let at = e
                .span()
                .and_then(|span| text.get(span.start..).and_then(|t| t.chars().next()));
            message = match at {
                Some('\r') => "a carriage return not followed by a line feed".to_string(),
                Some(c) => format!("unexpected character {:?}", c),
                None => "unexpected end of the file".to_string(),
            };
        }
        InputError::at("", format!("not valid TOML: {location}{message}"))
    })
}

/// Joins a parent path and a key: `span[2]` + `length_km` -> `span[2].length_km`.
pub(crate) fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// A view of one table at `path`.
#[derive(Clone, Copy)]
pub(crate) struct Section<'a> {
    pub table: &'a Table,
    pub path: &'a str,
}

/// An allowed numeric range, with its unit for messages.
#[derive(Clone, Copy)]
pub(crate) struct Range {
    pub min: f64,
    pub min_inclusive: bool,
    pub max: f64,
    pub unit: &'static str,
}

impl Range {
    /// `min ≤ x ≤ max`.
    pub const fn closed(min: f64, max: f64, unit: &'static str) -> Self {
        Self {
            min,
            min_inclusive: true,
            max,
            unit,
        }
    }

    /// `min < x ≤ max`.
    pub const fn above(min: f64, max: f64, unit: &'static str) -> Self {
        Self {
            min,
            min_inclusive: false,
            max,
            unit,
        }
    }

    fn contains(&self, x: f64) -> bool {
        let low_ok = if self.min_inclusive {
            x >= self.min
        } else {
            x > self.min
        };
        low_ok && x <= self.max
    }

    fn describe(&self) -> String {
        let op = if self.min_inclusive { "≥" } else { ">" };
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        format!(
            "a finite number {op} {} and ≤ {}{unit}",
            format_value(self.min),
            format_value(self.max)
        )
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a float",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "an array",
        Value::Table(_) => "a table",
    }
}

impl<'a> Section<'a> {
    pub fn new(table: &'a Table, path: &'a str) -> Self {
        Self { table, path }
    }

    /// The section's own path (`solver`, `span[2]`).
    pub fn path(&self) -> &str {
        self.path
    }

    pub fn key_path(&self, key: &str) -> String {
        join(self.path, key)
    }

    /// Rejects any key not in `allowed` (typos must not be silently ignored).
    pub fn deny_unknown(&self, allowed: &[&str]) -> Result<(), InputError> {
        for key in self.table.keys() {
            if !allowed.contains(&key.as_str()) {
                return Err(InputError::at(
                    self.key_path(key),
                    format!("unknown key (allowed here: {})", allowed.join(", ")),
                ));
            }
        }
        Ok(())
    }

    /// An optional number within `range` (integers are accepted where floats are expected).
    pub fn number(&self, key: &str, range: Range) -> Result<Option<f64>, InputError> {
        let Some(value) = self.table.get(key) else {
            return Ok(None);
        };
        let x = match value {
            Value::Float(x) => *x,
            Value::Integer(i) => *i as f64,
            other => {
                return Err(InputError::at(
                    self.key_path(key),
                    format!("must be {} (got {})", range.describe(), type_name(other)),
                ))
            }
        };
        if !x.is_finite() || !range.contains(x) {
            return Err(InputError::at(
                self.key_path(key),
                format!("must be {} (got {})", range.describe(), format_value(x)),
            ));
        }
        Ok(Some(x))
    }

    /// A required number within `range`.
    pub fn required_number(&self, key: &str, range: Range) -> Result<f64, InputError> {
        self.number(key, range)?.ok_or_else(|| {
            InputError::at(
                self.key_path(key),
                format!("missing (required: {})", range.describe()),
            )
        })
    }

    /// An optional integer in `[min, max]`.
    pub fn integer(&self, key: &str, min: i64, max: i64) -> Result<Option<i64>, InputError> {
        let Some(value) = self.table.get(key) else {
            return Ok(None);
        };
        match value {
            Value::Integer(i) if (min..=max).contains(i) => Ok(Some(*i)),
            Value::Integer(i) => Err(InputError::at(
                self.key_path(key),
                format!("must be an integer from {min} to {max} (got {i})"),
            )),
            other => Err(InputError::at(
                self.key_path(key),
                format!(
                    "must be an integer from {min} to {max} (got {})",
                    type_name(other)
                ),
            )),
        }
    }

    /// A required integer in `[min, max]`.
    pub fn required_integer(&self, key: &str, min: i64, max: i64) -> Result<i64, InputError> {
        self.integer(key, min, max)?.ok_or_else(|| {
            InputError::at(
                self.key_path(key),
                format!("missing (required: an integer from {min} to {max})"),
            )
        })
    }

    /// An optional string.
    pub fn string(&self, key: &str) -> Result<Option<&'a str>, InputError> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(other) => Err(InputError::at(
                self.key_path(key),
                format!("must be a string (got {})", type_name(other)),
            )),
        }
    }

    /// An optional boolean.
    pub fn boolean(&self, key: &str) -> Result<Option<bool>, InputError> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::Boolean(b)) => Ok(Some(*b)),
            Some(other) => Err(InputError::at(
                self.key_path(key),
                format!("must be true or false (got {})", type_name(other)),
            )),
        }
    }

    /// An optional sub-table.
    pub fn table(&self, key: &str) -> Result<Option<&'a Table>, InputError> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::Table(t)) => Ok(Some(t)),
            Some(other) => Err(InputError::at(
                self.key_path(key),
                format!("must be a table (got {})", type_name(other)),
            )),
        }
    }

    /// An optional array of tables (`[[key]]`).
    pub fn array_of_tables(&self, key: &str) -> Result<Option<Vec<&'a Table>>, InputError> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::Table(t) => Ok(t),
                    other => Err(InputError::at(
                        format!("{}[{i}]", self.key_path(key)),
                        format!("must be a table (got {})", type_name(other)),
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(other) => Err(InputError::at(
                self.key_path(key),
                format!(
                    "must be an array of tables, [[{key}]] (got {})",
                    type_name(other)
                ),
            )),
        }
    }
}
