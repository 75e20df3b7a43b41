//! Writing output files: whole or not at all.

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

/// The output field as CSV: `time_ps,power_w,phase_rad`.
pub fn field_csv(times_ps: &[f64], field: &[crate::signal::Complex]) -> String {
    let mut out = String::from("time_ps,power_w,phase_rad\n");
    for (t, a) in times_ps.iter().zip(field) {
        out.push_str(&format!("{t},{:e},{}\n", a.norm_sqr(), a.arg()));
    }
    out
}

/// A spectrum as CSV, `frequency_ghz,power_db`, in increasing frequency, power in dB relative to
/// the spectral peak. `frequencies_ghz` and `power` are in the same (centred) order.
pub fn spectrum_csv(frequencies_ghz: &[f64], power: &[f64]) -> String {
    let peak = power.iter().cloned().fold(0.0, f64::max);
    let mut out = String::from("frequency_ghz,power_db\n");
    for (f, p) in frequencies_ghz.iter().zip(power) {
        let db = if *p > 0.0 && peak > 0.0 {
            10.0 * (p / peak).log10()
        } else {
            -400.0
        };
        out.push_str(&format!("{f},{db:.6}\n"));
    }
    out
}
