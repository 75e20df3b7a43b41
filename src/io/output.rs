//! Output file contents: the propagated field and its spectrum as CSV (written whole with
//! [`crate::atomic_write::write_atomically`]).

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
