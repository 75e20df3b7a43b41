//! The one error type of the input layer.

use std::fmt;

use crate::display::{printable_message, quote_user_text};

/// Bad input: which file, which key (a path such as `span[3].length_km`), and what is allowed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct InputError {
    /// The file, as the user named it (empty when parsing a string).
    pub file: String,
    /// Key path inside the file (empty when the whole file is at fault).
    pub key: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl InputError {
    /// An error at `key` (the file is attached later by [`InputError::in_file`]).
    pub fn at(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: String::new(),
            key: key.into(),
            message: message.into(),
        }
    }

    /// Attaches the file name.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = file.into();
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = if self.file.is_empty() {
            "<input>".to_string()
        } else {
            quote_user_text(&self.file)
        };
        let message = printable_message(&self.message);
        if self.key.is_empty() {
            write!(f, "{file}: {message}")
        } else {
            write!(f, "{file}: {}: {message}", quote_user_text(&self.key))
        }
    }
}
