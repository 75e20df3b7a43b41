//! Writing output files whole or not at all — shared by the file formats (`io`), the charts
//! (`plot`) and the batch result files (`batch`), which are peers above the core.

use std::io::Write;
use std::path::Path;

/// Writes `contents` to `path` atomically: into a temporary file beside it, flushed and synced,
/// then renamed over the target, so a reader never sees a half-written file.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}
