//! Reading an input file whole, with a size cap checked while reading (so `/dev/zero`, a FIFO or
//! a huge file is refused after 64 MiB, never read into unbounded memory).

use std::io::Read;
use std::path::Path;

use super::error::InputError;
use crate::display::describe_io_error;

/// The largest input file fibra reads, bytes (64 MiB: the biggest real inputs, a continental
/// network's CSVs, are a few MB).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads `path` whole; a failure (missing, unreadable, a directory, over [`MAX_INPUT_BYTES`])
/// names the file and says what went wrong in words.
pub fn read_input_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    let name = path.display().to_string();
    let fail = |message: String| InputError::at("", message).in_file(&name);
    let file = std::fs::File::open(path)
        .map_err(|e| fail(format!("cannot read the file: {}", describe_io_error(&e))))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot read the file: {}", describe_io_error(&e))))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(fail(format!(
            "the file is larger than the {} MiB an input may have",
            MAX_INPUT_BYTES / (1024 * 1024)
        )));
    }
    Ok(bytes)
}

/// Reads `path` as UTF-8 text (see [`read_input_bytes`]).
pub fn read_input_text(path: &Path) -> Result<String, InputError> {
    let bytes = read_input_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| {
        InputError::at(
            "",
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
        .in_file(path.display().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_zero_is_refused_after_the_cap() {
        let error = read_input_bytes(Path::new("/dev/zero")).unwrap_err();
        assert!(error.message.contains("64 MiB"), "{error}");
    }

    #[test]
    fn a_directory_and_a_missing_file_are_named_in_words() {
        let e = read_input_text(Path::new("/")).unwrap_err();
        assert!(e.to_string().contains("directory"), "{e}");
        let e = read_input_text(Path::new("/no/such/file.toml")).unwrap_err();
        assert!(e.to_string().contains("no such file"), "{e}");
    }
}
