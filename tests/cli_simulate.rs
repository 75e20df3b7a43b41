//! `fibra simulate`: JSON contract and bad input.

mod common;

use common::{assert_rejected, fibra, json_of, write};

const SYSTEM: &str = "[signal]\nchannels = 3\nspacing_ghz = 50\ncenter_thz = 193.1\nsymbol_rate_gbaud = 32\nlaunch_power_dbm = -5\n\
    modulation = \"dp-16qam\"\nsymbols = 1024\nseed = 3\n[receiver]\nchannel = 1\nnoise_loading_osnr_db = 22.0\n\
    [propagation]\nstep_km = 10.0\npmd = true\npmd_sections_per_span = 10\n[[span]]\nlength_km = 80\n";

/// Writes `text` as `system.toml` in `dir` and returns `fibra simulate --json` of it (exit 0
/// asserted).
fn simulate_json(dir: &std::path::Path, text: &str) -> serde_json::Value {
    let path = write(dir, "system.toml", text);
    json_of(
        &fibra()
            .args(["simulate", "--json"])
            .arg(&path)
            .output()
            .unwrap(),
    )
}

#[test]
fn json_contract_and_compare_budget() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "system.toml", SYSTEM);
    let charts = dir.path().join("charts");
    let doc = json_of(
        &fibra()
            .args(["simulate", "--json", "--compare-budget", "--plot"])
            .arg(&charts)
            .arg(&path)
            .output()
            .unwrap(),
    );
    let channels = doc["channels"].as_array().unwrap();
    assert_eq!(channels.len(), 3);
    for key in [
        "frequency_thz",
        "snr_db",
        "ber",
        "ber_estimate",
        "bits",
        "gsnr_budget_db",
    ] {
        assert!(channels[0][key].is_number(), "channels[].{key}");
    }
    assert!(channels[0]["q_db"].is_null(), "q_db is for OOK");
    assert_eq!(
        doc["received"]["frequency_thz"],
        channels[1]["frequency_thz"]
    );
    for key in ["samples", "steps", "elapsed_ms"] {
        assert!(doc[key].is_number(), "{key}");
    }
    // Noise loading dominates: the measured SNR is close to OSNR·12.5/32 (22 − 4.08 dB), a little
    // lower for the line's own ASE.
    let snr = doc["received"]["snr_db"].as_f64().unwrap();
    assert!(snr < 17.92 + 0.1 && snr > 17.92 - 0.6, "{snr}");
    assert!(charts.join("constellation.png").exists());
    assert!(charts.join("spectrum.png").exists());
}

#[test]
fn bad_system_input_exits_2_naming_the_key() {
    let cases = [
        (
            SYSTEM.replace("dp-16qam", "dp-256qam"),
            "signal.modulation",
            "unknown modulation",
        ),
        (
            SYSTEM
                .replace("dp-16qam", "dp-64qam")
                .replace("channel = 1", "channel = 1\nequalizer = \"adaptive\""),
            "receiver.equalizer",
            "not available for dp-64qam",
        ),
        (
            SYSTEM.replace("symbols = 1024", "symbols = 16"),
            "signal.symbols",
            "from 64",
        ),
        (
            SYSTEM.replace("seed = 3", "seed = 3\nsamples_per_symbol = 2"),
            "signal.samples_per_symbol",
            "below the comb",
        ),
        (
            SYSTEM.replace("step_km = 10.0", "step_km = 10.0\ntolerance = 1e-5"),
            "propagation",
            "give one of step_km, max_phase_rad, tolerance",
        ),
        (
            SYSTEM.replace("step_km = 10.0", "step_km = 10.0\ninitial_step_km = 0.1"),
            "propagation.initial_step_km",
            "only used with tolerance",
        ),
        (
            SYSTEM.replace("step_km = 10.0", "tolerance = 2.0"),
            "propagation.tolerance",
            "> 0 and ≤ 1",
        ),
        (
            SYSTEM.replace(
                "channel = 1",
                "channel = 1\nequalizer = \"adaptive\"\ncpr_test_phases = 2",
            ),
            "receiver.cpr_test_phases",
            "from 4",
        ),
        (
            SYSTEM.replace("channel = 1", "channel = 1\nequalizer_taps = 11"),
            "receiver.equalizer_taps",
            "only used with equalizer = \"adaptive\"",
        ),
        (
            SYSTEM.replace("channel = 1", "channel = 1\nfrequency_offset_mhz = 100"),
            "receiver.frequency_offset_mhz",
            "needs equalizer = \"adaptive\"",
        ),
        (
            SYSTEM.replace(
                "channel = 1",
                "channel = 1\nequalizer = \"adaptive\"\nfrequency_offset_mhz = 4500",
            ),
            "receiver.frequency_offset_mhz",
            "≤ 4000 MHz",
        ),
        (
            SYSTEM.replace("seed = 3", "seed = 3\nprbs_order = 8"),
            "signal.prbs_order",
            "allowed: 7, 9, 11, 15, 23, 31",
        ),
        (
            SYSTEM.replace("channel = 1", "channel = 3"),
            "receiver.channel",
            "out of range",
        ),
        (
            SYSTEM.replace("channel = 1", "channel = 1\nequalizer = \"lms\""),
            "receiver.equalizer",
            "allowed: ideal, adaptive",
        ),
        (
            SYSTEM.replace(
                "channel = 1",
                "channel = 1\nequalizer = \"adaptive\"\nequalizer_taps = 14",
            ),
            "receiver.equalizer_taps",
            "must be odd",
        ),
        (
            SYSTEM.replace("channel = 1", "channel = 1\nlinewidth_khz = 100"),
            "receiver.linewidth_khz",
            "needs equalizer = \"adaptive\"",
        ),
        (
            SYSTEM.replace(
                "channel = 1",
                "channel = 1\nequalizer = \"adaptive\"\nlinewidth_khz = -1",
            ),
            "receiver.linewidth_khz",
            "≥ 0 and ≤ 10000 kHz",
        ),
        (
            SYSTEM
                .replace("dp-16qam", "ook-nrz")
                .replace("channel = 1", "channel = 1\nequalizer = \"adaptive\""),
            "receiver.equalizer",
            "only for the coherent formats",
        ),
    ];
    assert_rejected("simulate", "bad.toml", &cases);
}

#[test]
fn the_adaptive_receiver_with_laser_phase_noise_measures_what_the_ideal_one_does() {
    // DP-16QAM with PMD and noise loading to 22 dB OSNR: the blind DSP chain with 100 kHz lasers
    // and a −1.2 GHz local-oscillator offset (CMA/RDE butterfly, fourth-power offset estimation,
    // blind phase search) lands within 0.5 dB of the data-aided receiver.
    let dir = tempfile::tempdir().unwrap();
    let run = |text: &str| simulate_json(dir.path(), text);
    let long = SYSTEM.replace("symbols = 1024", "symbols = 4096");
    let doc = run(&long);
    assert_eq!(doc["receiver_dsp"], "ideal");
    assert!(
        doc["received"]["dgd_ps"].is_null(),
        "the ideal receiver has no PMD monitor"
    );
    let ideal = doc["received"]["snr_db"].as_f64().unwrap();
    let doc = run(&long.replace(
        "channel = 1",
        "channel = 1\nequalizer = \"adaptive\"\nlinewidth_khz = 100\nfrequency_offset_mhz = -1200",
    ));
    assert_eq!(doc["receiver_dsp"], "adaptive");
    let offset = doc["received"]["frequency_offset_mhz"].as_f64().unwrap();
    assert!(
        (offset + 1200.0).abs() < 10.0,
        "estimated offset {offset} MHz"
    );
    // 80 km of SSMF at 0.04 ps/√km: a mean DGD of 0.36 ps.
    let dgd = doc["received"]["dgd_ps"].as_f64().unwrap();
    assert!(dgd > 0.0 && dgd < 5.0, "{dgd} ps");
    let adaptive = doc["received"]["snr_db"].as_f64().unwrap();
    println!("ideal {ideal:.2} dB, adaptive {adaptive:.2} dB");
    assert!(
        (ideal - adaptive).abs() < 0.5 && adaptive < ideal + 0.1,
        "{ideal} vs {adaptive}"
    );
}

#[test]
fn ook_nrz_is_direct_detected_with_a_q_factor() {
    let dir = tempfile::tempdir().unwrap();
    let nrz = "[signal]\nchannels = 1\nspacing_ghz = 50\ncenter_thz = 193.1\nsymbol_rate_gbaud = 10.0\nlaunch_power_dbm = 0\n\
         modulation = \"ook-nrz\"\nsymbols = 4096\n[receiver]\nnoise_loading_osnr_db = 14.0\n[propagation]\nstep_km = 1.0\n[[span]]\nlength_km = 40\n";
    let doc = simulate_json(dir.path(), nrz);
    let r = &doc["received"];
    assert!(r["q_db"].as_f64().unwrap() > 10.0, "{r}");
    assert!(r["snr_db"].is_null(), "SNR is for coherent formats");
    assert!(r["ber"].as_f64().unwrap() < 1e-2);
    // Return-to-zero: the same receiver on the carved pulses.
    let rz = nrz.replace("ook-nrz", "ook-rz");
    let doc = simulate_json(dir.path(), &rz);
    let q_random = doc["received"]["q_db"].as_f64().unwrap();
    assert!(q_random > 8.0, "{}", doc["received"]);
    // A PRBS 2^7 − 1 pattern instead of random bits: the same eye, within the Q estimate's
    // statistical spread.
    let doc = simulate_json(
        dir.path(),
        &rz.replace("symbols = 4096", "symbols = 4096\nprbs_order = 7"),
    );
    let q_prbs = doc["received"]["q_db"].as_f64().unwrap();
    println!("OOK-RZ Q: random bits {q_random:.2} dB, PRBS7 {q_prbs:.2} dB");
    assert!((q_prbs - q_random).abs() < 0.5, "{q_prbs} vs {q_random}");
}
