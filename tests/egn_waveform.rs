//! The EGN budget against fibra's own waveforms, the fast subset of
//! `examples/egn_vs_waveform.rs` (issue 19, check c): 5 × 32 GBd DP-QPSK on 50 GHz over 5 and 20
//! spans of 80 km at the EGN optimum launch and 3 dB above it, centre channel, ideal receiver,
//! 4,096 symbols (±0.05 dB of estimation noise). The EGN GSNR must be within 0.3 dB of the
//! measured SNR and closer to it than the GN one. (The full table, 16-QAM, 64-QAM and 9 channels
//! too, is in the README.)

#[path = "../examples/egn_cases/mod.rs"]
mod egn_cases;

use egn_cases::{run, Case};

#[test]
fn egn_gsnr_is_within_0_3_db_of_the_waveform_at_and_above_the_optimum() {
    for (spans, above_optimum_db) in [(5, 0.0), (5, 3.0), (20, 0.0), (20, 3.0)] {
        let o = run(
            Case {
                modulation: "dp-qpsk",
                channels: 5,
                spans,
                above_optimum_db,
            },
            4096,
        );
        let egn_error = o.measured_db - o.egn_db;
        let gn_error = o.measured_db - o.gn_db;
        assert!(
            egn_error.abs() <= 0.3 && egn_error.abs() < gn_error.abs(),
            "{spans} spans at {:.1} dBm: measured {:.2} dB, EGN {:.2} dB, GN {:.2} dB",
            o.launch_dbm,
            o.measured_db,
            o.egn_db,
            o.gn_db
        );
    }
}
