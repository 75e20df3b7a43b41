//! `fibra budget` end to end: examples run, the JSON contract holds, bad input exits 2 with the
//! file and key named.

mod common;

use common::fibra;
use std::path::{Path, PathBuf};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/links")
        .join(name)
}

#[test]
fn every_bundled_link_example_runs() {
    for name in [
        "single-span.toml",
        "line-10x80.toml",
        "andes-lima-huancayo.toml",
    ] {
        let out = fibra().arg("budget").arg(example(name)).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Verdict:"), "{name}");
        assert!(text.contains("OSNR 0.1nm"));
    }
}

#[test]
fn json_output_is_one_document_with_the_contract_keys() {
    let out = fibra()
        .args(["budget", "--json", "--optimize-launch"])
        .arg(example("line-10x80.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("exactly one JSON document");
    let spans = doc["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 10);
    for key in [
        "index",
        "length_km",
        "loss_db",
        "gain_db",
        "launch_power_dbm",
        "cd_ps_nm",
        "pmd_ps",
        "osnr_ase_db",
        "gsnr_db",
    ] {
        assert!(spans[3][key].is_number(), "spans[].{key}");
    }
    let channels = doc["channels"].as_array().unwrap();
    assert_eq!(channels.len(), 96);
    for key in [
        "frequency_thz",
        "power_dbm",
        "osnr_ase_db",
        "snr_nli_db",
        "gsnr_db",
    ] {
        assert!(channels[0][key].is_number(), "channels[].{key}");
    }
    let summary = &doc["summary"];
    for key in [
        "length_km",
        "cd_ps_nm",
        "pmd_ps",
        "rx_power_dbm",
        "osnr_ase_db",
        "snr_nli_db",
        "gsnr_db",
        "worst_gsnr_db",
        "osnr_margin_db",
    ] {
        assert!(summary[key].is_number(), "summary.{key}");
    }
    assert_eq!(summary["spans"], 10);
    assert!(summary["feasible"].is_boolean());
    assert!(summary["limits"].is_array());
    // Span losses: 0.25 + 16 + 19 × 0.03 + 0.25 + 1.0 (aging) = 18.07 dB; the gain compensates it.
    assert!((spans[0]["loss_db"].as_f64().unwrap() - 18.07).abs() < 1e-9);
    assert!((spans[0]["gain_db"].as_f64().unwrap() - 18.07).abs() < 1e-9);
    let sweep = doc["launch_sweep"].as_array().unwrap();
    assert!(sweep.len() > 10);
    assert!(sweep[0]["launch_power_dbm"].is_number() && sweep[0]["gsnr_db"].is_number());
    let optimum = doc["optimum_launch_power_dbm"].as_f64().unwrap();
    assert!(
        (optimum * 10.0 - (optimum * 10.0).round()).abs() < 1e-9,
        "rounded to 0.1 dB"
    );
}

#[test]
fn infeasible_link_names_its_limits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.toml");
    let mut text = String::from(
        "[signal]\nchannels = 8\nspacing_ghz = 50\ncenter_thz = 193.1\nsymbol_rate_gbaud = 32\nlaunch_power_dbm = 0\n\
         [transceiver]\nrequired_osnr_db = 20\ncd_tolerance_ps_nm = 1000\npmd_tolerance_ps = 0.5\nrx_sensitivity_dbm = 5\n",
    );
    for _ in 0..30 {
        text.push_str("[[span]]\nlength_km = 100\n");
    }
    std::fs::write(&path, text).unwrap();
    let out = fibra()
        .args(["budget", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "a computed verdict is a successful run"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["feasible"], false);
    let limits: Vec<&str> = doc["summary"]["limits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(limits, ["osnr", "cd", "pmd", "rx_power"]);
}

/// Writes `text` to a file, runs `fibra budget` on it and returns (exit code, stderr).
fn run_bad(text: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, text).unwrap();
    let out = fibra().arg("budget").arg(&path).output().unwrap();
    assert!(out.stdout.is_empty(), "no output on bad input");
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

const SIGNAL: &str = "[signal]\nchannels = 4\nspacing_ghz = 50\ncenter_thz = 193.1\nsymbol_rate_gbaud = 32\nlaunch_power_dbm = 0\n";

#[test]
fn bad_input_exits_2_naming_file_key_and_allowed_range() {
    let cases: Vec<(String, &str, &str)> = vec![
        ("[[span]]\nlength_km = 80\n".into(), "signal", "missing table [signal]"),
        (format!("{SIGNAL}[[span]]\nlength_km = -5\n"), "span[0].length_km", "> 0"),
        (format!("{SIGNAL}[[span]]\nlength_km = 80\n[[span]]\nlength_km = 0\n"), "span[1].length_km", "> 0"),
        (format!("{SIGNAL}[[span]]\nlength_km = nan\n"), "span[0].length_km", "finite"),
        (format!("{SIGNAL}[[span]]\nlength_km = inf\n"), "span[0].length_km", "finite"),
        (format!("{SIGNAL}[[span]]\nlength_km = 80\nfiber = \"SMF28\"\n"), "span[0].fiber", "unknown fibre type `SMF28` (known: LAF, NZDSF, SSMF)"),
        (format!("{SIGNAL}[defaults]\nfiber = \"XX\"\n[[span]]\nlength_km = 80\n"), "defaults.fiber", "unknown fibre type"),
        (format!("{SIGNAL}[[span]]\nlenght_km = 80\n"), "span[0].lenght_km", "unknown key"),
        (format!("{SIGNAL}[defaults]\nconector_in_db = 0.5\n[[span]]\nlength_km = 80\n"), "defaults.conector_in_db", "unknown key"),
        (SIGNAL.replace("channels = 4", "channels = 0") + "[[span]]\nlength_km = 80\n", "signal.channels", "integer from 1"),
        (SIGNAL.replace("spacing_ghz = 50", "spacing_ghz = 25") + "[[span]]\nlength_km = 80\n", "signal.spacing_ghz", "symbol_rate_gbaud"),
        ("this is [not toml".into(), "", "not valid TOML: line 1"),
        (SIGNAL.to_string(), "span", "at least one [[span]]"),
        (format!("{SIGNAL}[[span]]\nlength_km = \"80\"\n"), "span[0].length_km", "got a string"),
        (format!("{SIGNAL}[transceiver]\nrequired_osnr_db = -3\n[[span]]\nlength_km = 80\n"), "transceiver.required_osnr_db", "≥ 0"),
        (format!("{SIGNAL}[fiber_types.Mine]\nattenuation_db_per_km = 0.19\n[[span]]\nlength_km = 80\n"), "fiber_types.Mine.dispersion_ps_nm_km", "missing"),
    ];
    for (text, key, fragment) in cases {
        let (code, stderr) = run_bad(&text);
        assert_eq!(code, Some(2), "{key}: {stderr}");
        assert!(stderr.contains("bad.toml"), "file named: {stderr}");
        assert!(stderr.contains(key), "key {key} named: {stderr}");
        assert!(stderr.contains(fragment), "'{fragment}' in: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
        assert!(!stderr.contains("panicked"));
    }
}

#[test]
fn missing_file_exits_2() {
    let out = fibra()
        .args(["budget", "no/such/link.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("no/such/link.toml") && stderr.contains("cannot read"),
        "{stderr}"
    );
}

#[test]
fn user_fiber_types_and_per_span_overrides_are_used() {
    let text = format!(
        "{SIGNAL}[fiber_types.Mine]\nbase = \"SSMF\"\nattenuation_db_per_km = 0.25\n\
         [[span]]\nlength_km = 100\nfiber = \"Mine\"\n[[span]]\nlength_km = 100\nattenuation_db_per_km = 0.3\n"
    );
    let link = fibra::io::parse_link(&text).unwrap();
    assert!((link.spans[0].loss_db() - 25.0).abs() < 1e-12);
    assert!((link.spans[1].loss_db() - 30.0).abs() < 1e-12);
    assert_eq!(link.spans[0].fiber.effective_area_um2, 83.0);
}
