//! Sensitivity summary: how much each swept parameter moves the worst margin.

use serde_json::Value as Json;

use super::rows::Row;

/// For one parameter: the worst margin over all other parameters, for each of its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// Parameter path.
    pub parameter: String,
    /// (value, worst margin over the rows with that value), in first-seen order.
    pub worst_by_value: Vec<(String, f64)>,
    /// max − min of those worst margins, dB.
    pub range_db: f64,
}

/// The margin a row is judged by: `osnr_margin_db` when present, else `worst_gsnr_db`; for a
/// simulation `worst_snr_db` (coherent) or `q_db` (OOK).
fn margin(row: &Row, columns: &[&str]) -> Option<f64> {
    let values = row.result.as_ref().ok()?;
    let get = |name: &str| {
        columns
            .iter()
            .position(|c| *c == name)
            .and_then(|i| values[i].as_f64())
    };
    ["osnr_margin_db", "worst_gsnr_db", "worst_snr_db", "q_db"]
        .iter()
        .find_map(|name| get(name))
}

/// The sensitivity of the worst margin to each parameter (rows that failed are left out).
pub fn sensitivity(parameters: &[String], columns: &[&str], rows: &[Row]) -> Vec<Sensitivity> {
    parameters
        .iter()
        .enumerate()
        .map(|(p, parameter)| {
            let mut worst_by_value: Vec<(String, f64)> = Vec::new();
            for row in rows {
                let (Some(m), value) = (margin(row, columns), &row.parameters[p]) else {
                    continue;
                };
                if value == &Json::Null {
                    continue;
                }
                let key = value.to_string();
                match worst_by_value.iter_mut().find(|(v, _)| *v == key) {
                    Some((_, worst)) => *worst = worst.min(m),
                    None => worst_by_value.push((key, m)),
                }
            }
            let (lo, hi) = worst_by_value
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (_, m)| {
                    (lo.min(*m), hi.max(*m))
                });
            let range_db = if worst_by_value.is_empty() {
                0.0
            } else {
                hi - lo
            };
            Sensitivity {
                parameter: parameter.clone(),
                worst_by_value,
                range_db,
            }
        })
        .collect()
}
