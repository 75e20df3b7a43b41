//! The EGN budget against fibra's own waveforms (issue 19, check c): DP-QPSK and DP-16QAM (and
//! DP-64QAM when asked), 5 and 9 channels, 5 and 20 spans of 80 km, at the EGN optimum launch and
//! 3 dB above it, centre channel, ideal receiver, 16,384 symbols. Prints the README table:
//! `cargo run --release --example egn_vs_waveform [-- FORMAT…]` (default `dp-qpsk dp-16qam`).

mod egn_cases;

use egn_cases::{run, Case};

fn main() {
    println!("| format | channels | spans | launch dBm/ch | measured SNR dB | GN GSNR dB | EGN GSNR dB | measured − GN dB | measured − EGN dB |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let asked: Vec<String> = std::env::args().skip(1).collect();
    let formats: Vec<&'static str> = ["dp-qpsk", "dp-16qam", "dp-64qam"]
        .into_iter()
        .filter(|f| {
            if asked.is_empty() {
                *f != "dp-64qam"
            } else {
                asked.iter().any(|a| a == f)
            }
        })
        .collect();
    for modulation in formats {
        for channels in [5, 9] {
            for spans in [5, 20] {
                for above_optimum_db in [0.0, 3.0] {
                    let o = run(
                        Case {
                            modulation,
                            channels,
                            spans,
                            above_optimum_db,
                        },
                        16384,
                    );
                    println!(
                        "| {modulation} | {channels} | {spans} | {:.1} | {:.2} | {:.2} | {:.2} | {:+.2} | {:+.2} |",
                        o.launch_dbm,
                        o.measured_db,
                        o.gn_db,
                        o.egn_db,
                        o.measured_db - o.gn_db,
                        o.measured_db - o.egn_db
                    );
                }
            }
        }
    }
}
