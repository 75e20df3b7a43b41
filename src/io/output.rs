//! Output file contents (written whole with [`crate::atomic_write::write_atomically`]): the
//! propagated field and its spectrum, the network's pair matrix, as CSV by the `csv` crate
//! (RFC 4180 quoting of names with commas, quotes or line breaks).

use std::collections::BTreeMap;

use crate::network::{Network, PairSummary};

/// A CSV document of `header` and `rows` (cells already formatted).
fn csv_document<R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = Vec<C>>,
    C: AsRef<[u8]>,
{
    // Flexible rows and an in-memory sink: the writer has no way to fail (its only errors are
    // the sink's I/O errors and, when not flexible, a row of another width).
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let write = || -> csv::Result<Vec<u8>> {
        writer.write_record(header)?;
        for row in rows {
            writer.write_record(row)?;
        }
        writer
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))
    };
    let bytes = write().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The output field as CSV: `time_ps,power_w,phase_rad`.
pub fn field_csv(times_ps: &[f64], field: &[crate::signal::Complex]) -> String {
    csv_document(
        &["time_ps", "power_w", "phase_rad"],
        times_ps.iter().zip(field).map(|(t, a)| {
            vec![
                t.to_string(),
                format!("{:e}", a.norm_sqr()),
                a.arg().to_string(),
            ]
        }),
    )
}

/// The all-pairs matrix of `fibra network --matrix`: one row and one column per node, each
/// cell `regenerators / worst margin dB` (`-` without a margin), `disconnected`, `unreachable`,
/// or empty on the diagonal.
pub fn pair_matrix_csv(network: &Network, pairs: &[(usize, usize, PairSummary)]) -> String {
    let mut cells: BTreeMap<(usize, usize), String> = BTreeMap::new();
    for (a, b, outcome) in pairs {
        let cell = match *outcome {
            PairSummary::Path {
                regenerators,
                worst_margin_db,
                ..
            } => format!(
                "{regenerators} / {}",
                worst_margin_db.map_or("-".into(), |m| format!("{m:.2}"))
            ),
            PairSummary::Disconnected => "disconnected".into(),
            PairSummary::Unreachable => "unreachable".into(),
        };
        cells.insert((*a, *b), cell.clone());
        cells.insert((*b, *a), cell);
    }
    let mut header = vec!["regenerators / worst margin dB"];
    header.extend(network.nodes.iter().map(|n| n.name.as_str()));
    let n = network.nodes.len();
    csv_document(
        &header,
        (0..n).map(|i| {
            let mut row = vec![network.nodes[i].name.clone()];
            row.extend((0..n).map(|j| cells.get(&(i, j)).cloned().unwrap_or_default()));
            row
        }),
    )
}

/// A spectrum as CSV, `frequency_ghz,power_db`, in increasing frequency, power in dB relative to
/// the spectral peak. `frequencies_ghz` and `power` are in the same (centred) order.
pub fn spectrum_csv(frequencies_ghz: &[f64], power: &[f64]) -> String {
    let peak = power.iter().cloned().fold(0.0, f64::max);
    csv_document(
        &["frequency_ghz", "power_db"],
        frequencies_ghz.iter().zip(power).map(|(f, p)| {
            let db = if *p > 0.0 && peak > 0.0 {
                10.0 * (p / peak).log10()
            } else {
                -400.0
            };
            vec![f.to_string(), format!("{db:.6}")]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pair_matrix_quotes_names_and_mirrors_cells() {
        let network = crate::network::nodes_only(&["Lima", "Ica, \"sur\""]);
        let pairs = [(
            0,
            1,
            PairSummary::Path {
                length_km: 300.0,
                regenerators: 1,
                worst_margin_db: Some(2.345),
            },
        )];
        let text = pair_matrix_csv(&network, &pairs);
        assert_eq!(
            text,
            "regenerators / worst margin dB,Lima,\"Ica, \"\"sur\"\"\"\n\
             Lima,,1 / 2.35\n\
             \"Ica, \"\"sur\"\"\",1 / 2.35,\n"
        );
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap().get(2), Some("Ica, \"sur\""));
    }
}
