//! Sensitivity summary: how much each swept parameter moves the worst margin.

use std::collections::HashMap;

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

/// The sensitivity of the worst margin to each parameter, tallied row by row (rows that failed are
/// left out): memory grows with the number of distinct values of each parameter (bounded by the
/// sweep's axes and cases), not with the number of rows, and each row costs O(parameters).
#[derive(Debug, Clone)]
pub struct SensitivityTally<'a> {
    parameters: &'a [String],
    columns: &'a [&'a str],
    /// Per parameter.
    values: Vec<ValueTally>,
}

/// The worst margin of each value of one parameter.
#[derive(Debug, Clone, Default)]
struct ValueTally {
    /// (value, worst margin) in first-seen order.
    worst: Vec<(String, f64)>,
    /// Where each value is in `worst`.
    position: HashMap<String, usize>,
}

impl<'a> SensitivityTally<'a> {
    /// An empty tally of `parameters` over rows whose result columns are `columns`.
    pub fn new(parameters: &'a [String], columns: &'a [&'a str]) -> Self {
        Self {
            parameters,
            columns,
            values: vec![ValueTally::default(); parameters.len()],
        }
    }

    /// Counts one row.
    pub fn add(&mut self, row: &Row) {
        let Some(m) = margin(row, self.columns) else {
            return;
        };
        for (tally, value) in self.values.iter_mut().zip(&row.parameters) {
            if value == &Json::Null {
                continue;
            }
            let key = value.to_string();
            match tally.position.get(&key) {
                Some(&i) => tally.worst[i].1 = tally.worst[i].1.min(m),
                None => {
                    tally.position.insert(key.clone(), tally.worst.len());
                    tally.worst.push((key, m));
                }
            }
        }
    }

    /// The sensitivity of each parameter, in the order of `parameters`.
    pub fn finish(self) -> Vec<Sensitivity> {
        self.parameters
            .iter()
            .zip(self.values)
            .map(|(parameter, ValueTally { worst, .. })| {
                let worst_by_value = worst;
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(index: usize, values: [f64; 2], margin: Option<f64>) -> Row {
        Row {
            index,
            id: String::new(),
            parameters: values.iter().map(|v| Json::from(*v)).collect(),
            result: match margin {
                Some(m) => Ok(vec![Json::from(m)]),
                None => Err("failed".to_string()),
            },
        }
    }

    #[test]
    fn each_value_keeps_its_worst_margin_and_failed_rows_are_left_out() {
        let parameters = vec!["a".to_string(), "b".to_string()];
        let columns = ["osnr_margin_db"];
        let mut tally = SensitivityTally::new(&parameters, &columns);
        for r in [
            row(0, [1.0, 10.0], Some(3.0)),
            row(1, [1.0, 20.0], Some(1.0)),
            row(2, [2.0, 10.0], Some(5.0)),
            row(3, [2.0, 20.0], Some(4.0)),
            row(4, [3.0, 20.0], None),
        ] {
            tally.add(&r);
        }
        let s = tally.finish();
        assert_eq!(
            s[0].worst_by_value,
            vec![("1.0".to_string(), 1.0), ("2.0".to_string(), 4.0)]
        );
        assert_eq!(s[0].range_db, 3.0);
        assert_eq!(
            s[1].worst_by_value,
            vec![("10.0".to_string(), 3.0), ("20.0".to_string(), 1.0)]
        );
        assert_eq!(s[1].range_db, 2.0);
    }
}
