//! `fibra propagate` end to end: the JSON contract, the saved field, bad input.

mod common;

use common::{fibra, json_of, write};
use std::path::Path;

const GOOD: &str = "[grid]\nsamples = 2048\nwindow_ps = 400.0\n\
    [pulse]\nshape = \"gaussian\"\nt0_ps = 10.0\npeak_power_w = 0.01\nchirp = 0.0\n\
    [fiber]\nlength_km = 10.0\nalpha_db_per_km = 0.2\nbeta2_ps2_per_km = -21.7\nbeta3_ps3_per_km = 0.0\ngamma_per_w_km = 1.3\n\
    [solver]\nstep_km = 0.1\n";

#[test]
fn bundled_pulse_examples_run() {
    for name in ["soliton.toml", "span-80km.toml", "three-spans.toml"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/pulses")
            .join(name);
        let out = fibra()
            .args(["propagate", "--quiet"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{name} warns: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn json_has_the_contract_keys_and_the_saved_field_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let pulse = write(dir.path(), "pulse.toml", GOOD);
    let saved = dir.path().join("out.csv");
    let out = fibra()
        .args(["propagate", "--json", "--save-field"])
        .arg(&saved)
        .arg(&pulse)
        .output()
        .unwrap();
    let doc = json_of(&out);
    for side in ["input", "output"] {
        for key in [
            "energy_pj",
            "peak_power_w",
            "fwhm_ps",
            "rms_width_ps",
            "centroid_ps",
            "rms_bandwidth_ghz",
        ] {
            assert!(doc[side][key].is_number(), "{side}.{key}");
        }
    }
    for key in [
        "steps",
        "fft_count",
        "length_km",
        "nonlinear_phase_rad",
        "elapsed_ms",
        "samples",
    ] {
        assert!(doc[key].is_number(), "{key}");
    }
    assert_eq!(doc["steps"], 100);
    assert_eq!(
        doc["fft_count"], 202,
        "one FFT pair per step plus one forward and one inverse"
    );
    assert_eq!(doc["samples"], 2048);
    // Energy decays as 10^(-0.2·10/10).
    let ratio =
        doc["output"]["energy_pj"].as_f64().unwrap() / doc["input"]["energy_pj"].as_f64().unwrap();
    assert!((ratio - 10f64.powf(-0.2)).abs() < 1e-12);
    // γ·P0·Leff with Leff = (1 − e^{−αL})/α.
    let alpha = 0.2 * std::f64::consts::LN_10 / 10.0;
    let expected = 1.3 * 0.01 * (1.0 - (-alpha * 10.0f64).exp()) / alpha;
    assert!((doc["nonlinear_phase_rad"].as_f64().unwrap() - expected).abs() < 1e-12);

    let field = std::fs::read_to_string(&saved).unwrap();
    assert!(field.starts_with("time_ps,power_w,phase_rad\n"));
    assert_eq!(field.lines().count(), 2049);
    let spectrum = std::fs::read_to_string(dir.path().join("out.spectrum.csv")).unwrap();
    assert!(spectrum.starts_with("frequency_ghz,power_db\n"));
    assert_eq!(spectrum.lines().count(), 2049);

    // The saved field is a valid `shape = "csv"` input: propagating 0 more km of fibre keeps it.
    let replay = GOOD
        .replace(
            "shape = \"gaussian\"\nt0_ps = 10.0\npeak_power_w = 0.01\nchirp = 0.0\n",
            "shape = \"csv\"\nfile = \"out.csv\"\n",
        )
        .replace("length_km = 10.0", "length_km = 1e-9")
        .replace("step_km = 0.1", "step_km = 1e-9");
    let replay_path = write(dir.path(), "replay.toml", &replay);
    let out = fibra()
        .args(["propagate", "--json"])
        .arg(&replay_path)
        .output()
        .unwrap();
    let again = json_of(&out);
    let e1 = doc["output"]["energy_pj"].as_f64().unwrap();
    let e2 = again["input"]["energy_pj"].as_f64().unwrap();
    assert!((e1 / e2 - 1.0).abs() < 1e-9, "{e1} vs {e2}");
}

#[test]
fn bad_pulse_input_exits_2_naming_the_key() {
    let cases: Vec<(String, &str, &str)> = vec![
        (
            GOOD.replace("samples = 2048", "samples = 8"),
            "grid.samples",
            "integer from 16",
        ),
        (
            GOOD.replace("window_ps = 400.0", "window_ps = -1.0"),
            "grid.window_ps",
            "> 0",
        ),
        (
            GOOD.replace("t0_ps = 10.0", "t0_ps = nan"),
            "pulse.t0_ps",
            "finite",
        ),
        (
            GOOD.replace("alpha_db_per_km = 0.2", "alpha_db_per_km = -0.2"),
            "fiber.alpha_db_per_km",
            "≥ 0",
        ),
        (
            GOOD.replace("step_km = 0.1", "step_km = 20.0"),
            "solver.step_km",
            "longer than the shortest fibre section",
        ),
        (
            GOOD.replace("shape = \"gaussian\"", "shape = \"lorentzian\""),
            "pulse.shape",
            "unknown shape `lorentzian`",
        ),
        (
            GOOD.replace(
                "peak_power_w = 0.01",
                "peak_power_w = 0.01\nsoliton_order = 1.0",
            ),
            "pulse.soliton_order",
            "not both",
        ),
        (
            GOOD.replace("step_km = 0.1", "step_km = 0.1\ntolerance = 1e-5"),
            "solver",
            "exactly one",
        ),
        (
            GOOD.replace("gamma_per_w_km = 1.3\n", ""),
            "fiber.gamma_per_w_km",
            "missing",
        ),
        (GOOD.replace("[fiber]", "[fibre]"), "fibre", "unknown key"),
        (
            GOOD.replace(
                "shape = \"gaussian\"",
                "shape = \"csv\"\nfile = \"nope.csv\"",
            )
            .replace("t0_ps = 10.0\n", "")
            .replace("chirp = 0.0\n", ""),
            "nope.csv",
            "cannot read",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (text, key, fragment) in cases {
        let path = write(dir.path(), "bad.toml", &text);
        let out = fibra().arg("propagate").arg(&path).output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{key}: {stderr}");
        assert!(
            stderr.contains(key) && stderr.contains(fragment),
            "{key}/{fragment}: {stderr}"
        );
        assert!(
            stderr.contains(".toml") || stderr.contains(".csv"),
            "file named: {stderr}"
        );
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_window_too_short_and_a_grid_too_coarse_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let narrow = write(
        dir.path(),
        "narrow.toml",
        &GOOD
            .replace("window_ps = 400.0", "window_ps = 60.0")
            .replace("samples = 2048", "samples = 512"),
    );
    let out = fibra()
        .args(["propagate", "--json"])
        .arg(&narrow)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings = doc["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("grid.window_ps")),
        "{warnings:?}"
    );

    let coarse = write(
        dir.path(),
        "coarse.toml",
        &GOOD.replace("samples = 2048", "samples = 32"),
    );
    let out = fibra()
        .args(["propagate", "--json"])
        .arg(&coarse)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings = doc["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("grid.samples")),
        "{warnings:?}"
    );
}
