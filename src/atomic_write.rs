//! Writing output files whole or not at all, respecting what is at the target — shared by the file
//! formats (`io`), the charts (`plot`) and the batch result files (`batch`), which are peers above
//! the core.
//!
//! - A regular file (or a new name) is written atomically: into a temporary file beside it,
//!   flushed and synced, then renamed over the target, so a reader never sees a half-written file.
//! - A symbolic link is followed: the file it points to is replaced, the link stays.
//! - A FIFO or a character device (`/dev/stdout`, `/dev/null`, a terminal) is streamed into as
//!   given, never replaced by a regular file; `-` is standard output.
//! - A directory, a socket or a block device is refused, and so is an input of the same run.
//! - A set of files ([`OutputSet`]) is all-or-nothing: every temporary file is written before any
//!   is renamed, and files the run owns but did not produce this time (stale siblings) are removed.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::display::{describe_io_error, quote_user_text};

/// An output that could not be written: the path as given and what went wrong, in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write {}: {reason}", quote_user_text(&path.display().to_string()))]
pub struct OutputError {
    /// The output as the user named it.
    pub path: PathBuf,
    /// What went wrong.
    pub reason: String,
}

impl OutputError {
    fn new(path: &Path, reason: impl Into<String>) -> Self {
        Self {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }

    fn io(path: &Path, e: &std::io::Error) -> Self {
        Self::new(path, describe_io_error(e))
    }
}

/// Where an output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// `-`.
    Stdout,
    /// A FIFO or character device, written in place.
    Stream(PathBuf),
    /// A regular file (existing or new), written atomically at this (link-resolved) path.
    File(PathBuf),
}

fn classify(path: &Path) -> Result<Target, OutputError> {
    if path.as_os_str() == "-" {
        return Ok(Target::Stdout);
    }
    let link = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Target::File(path.to_path_buf()))
        }
        Err(e) => return Err(OutputError::io(path, &e)),
    };
    let resolved = if link.file_type().is_symlink() {
        match std::fs::canonicalize(path) {
            Ok(target) => target,
            // A dangling link: create the file it names, keep the link.
            Err(_) => {
                let pointee = std::fs::read_link(path).map_err(|e| OutputError::io(path, &e))?;
                path.parent().unwrap_or(Path::new(".")).join(pointee)
            }
        }
    } else {
        path.to_path_buf()
    };
    let meta = match std::fs::metadata(&resolved) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Target::File(resolved)),
        Err(e) => return Err(OutputError::io(path, &e)),
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(Target::File(resolved));
    }
    if kind.is_dir() {
        return Err(OutputError::new(path, "it is a directory"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() || kind.is_char_device() {
            return Ok(Target::Stream(resolved));
        }
    }
    Err(OutputError::new(
        path,
        "it is neither a regular file, a FIFO nor a character device",
    ))
}

/// True when `a` and `b` name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        #[cfg(unix)]
        (Ok(x), Ok(y)) => {
            use std::os::unix::fs::MetadataExt;
            x.dev() == y.dev() && x.ino() == y.ino()
        }
        #[cfg(not(unix))]
        (Ok(_), Ok(_)) => std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok(),
        _ => false,
    }
}

/// Refuses an output that names one of the run's inputs (to check a flag before the run; the
/// commit of an [`OutputSet`] checks again).
pub fn refuse_input(output: &Path, inputs: &[&Path]) -> Result<(), OutputError> {
    match inputs.iter().find(|input| same_file(output, input)) {
        Some(input) => Err(OutputError::new(
            output,
            format!(
                "it is an input of this run ({}); refusing to overwrite it",
                quote_user_text(&input.display().to_string())
            ),
        )),
        None => Ok(()),
    }
}

/// Outputs of one run, written together or not at all.
#[derive(Debug, Default)]
pub struct OutputSet {
    files: Vec<(PathBuf, Vec<u8>)>,
    inputs: Vec<PathBuf>,
    stale: Vec<PathBuf>,
}

impl OutputSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Refuses to write over `path` (an input of the run).
    pub fn protect_input(&mut self, path: &Path) {
        self.inputs.push(path.to_path_buf());
    }

    /// Adds an output.
    pub fn add(&mut self, path: &Path, contents: Vec<u8>) {
        self.files.push((path.to_path_buf(), contents));
    }

    /// A file the run owns (an earlier run's output of the same kind) that this run does not
    /// produce: removed after a successful commit, if it is a regular file.
    pub fn remove_stale(&mut self, path: &Path) {
        self.stale.push(path.to_path_buf());
    }

    /// Writes every output: first all temporary files (nothing is replaced if one fails), then the
    /// renames, the stale removals and the streams. Returns the paths written, as given.
    pub fn commit(self) -> Result<Vec<PathBuf>, OutputError> {
        let mut targets = Vec::with_capacity(self.files.len());
        let inputs: Vec<&Path> = self.inputs.iter().map(PathBuf::as_path).collect();
        for (path, _) in &self.files {
            refuse_input(path, &inputs)?;
            targets.push(classify(path)?);
        }
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
        let staging = (|| {
            for ((path, contents), target) in self.files.iter().zip(&targets) {
                if let Target::File(resolved) = target {
                    let temporary = temporary_beside(resolved);
                    write_synced(&temporary, contents).map_err(|e| {
                        let _ = std::fs::remove_file(&temporary);
                        OutputError::io(path, &e)
                    })?;
                    staged.push((temporary, resolved.clone()));
                }
            }
            Ok(())
        })();
        if let Err(e) = staging {
            for (temporary, _) in &staged {
                let _ = std::fs::remove_file(temporary);
            }
            return Err(e);
        }
        for (k, (temporary, resolved)) in staged.iter().enumerate() {
            if let Err(e) = std::fs::rename(temporary, resolved) {
                for (rest, _) in &staged[k..] {
                    let _ = std::fs::remove_file(rest);
                }
                return Err(OutputError::io(resolved, &e));
            }
        }
        for path in &self.stale {
            let written = self.files.iter().any(|(p, _)| p == path);
            let is_file = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file());
            if !written && is_file {
                std::fs::remove_file(path).map_err(|e| OutputError::io(path, &e))?;
            }
        }
        for ((path, contents), target) in self.files.iter().zip(&targets) {
            match target {
                Target::Stdout => {
                    let mut out = std::io::stdout().lock();
                    out.write_all(contents)
                        .and_then(|()| out.flush())
                        .map_err(|e| OutputError::io(path, &e))?;
                }
                Target::Stream(resolved) => {
                    let mut stream = std::fs::OpenOptions::new()
                        .write(true)
                        .open(resolved)
                        .map_err(|e| OutputError::io(path, &e))?;
                    stream
                        .write_all(contents)
                        .and_then(|()| stream.flush())
                        .map_err(|e| OutputError::io(path, &e))?;
                }
                Target::File(_) => {}
            }
        }
        Ok(self.files.into_iter().map(|(path, _)| path).collect())
    }
}

fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn write_synced(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// Writes one output (see the module docs: atomic for a regular file, streamed into a FIFO or a
/// device, `-` for stdout).
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), OutputError> {
    let mut set = OutputSet::new();
    set.add(path, contents.to_vec());
    set.commit().map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_replaced_whole_and_inputs_are_protected() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("route.toml");
        std::fs::write(&input, "input").unwrap();
        let mut set = OutputSet::new();
        set.protect_input(&input);
        set.add(&dir.path().join("a.toml"), b"a".to_vec());
        set.add(&input, b"overwritten".to_vec());
        let e = set.commit().unwrap_err();
        assert!(e.reason.contains("input of this run"), "{e}");
        // Nothing was written: all or nothing.
        assert!(!dir.path().join("a.toml").exists());
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "input");
    }

    #[test]
    fn symlinks_stay_and_stale_siblings_go() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        let link = dir.path().join("link.csv");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let stale = dir.path().join("out.3.toml");
        std::fs::write(&stale, "stale").unwrap();
        let mut set = OutputSet::new();
        set.add(&link, b"new".to_vec());
        set.remove_stale(&stale);
        set.commit().unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert!(!stale.exists());
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2);
    }

    #[test]
    fn devices_are_streamed_not_replaced_and_directories_refused() {
        use std::os::unix::fs::FileTypeExt;
        write_atomically(Path::new("/dev/null"), b"x").unwrap();
        assert!(std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
        let e = write_atomically(Path::new("/dev/full"), b"x").unwrap_err();
        assert_eq!(e.reason, "no space left on device");
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomically(dir.path(), b"x").unwrap_err();
        assert_eq!(e.reason, "it is a directory");
    }
}
