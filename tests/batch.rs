//! `fibra batch`: sizes, shards and merge, resume after a kill, error rows, bad input.

mod common;

use common::{expect_exit, fibra};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const LINK: &str = "[signal]\nchannels = 8\nspacing_ghz = 50\ncenter_thz = 193.1\nsymbol_rate_gbaud = 32\nlaunch_power_dbm = 0\n\
    [transceiver]\nrequired_osnr_db = 12\n[[span]]\nlength_km = 80\n[[span]]\nlength_km = 90\n[[span]]\nlength_km = 70\n";

fn setup(dir: &Path, vary: &str) -> PathBuf {
    std::fs::write(dir.join("link.toml"), LINK).unwrap();
    let sweep = dir.join("sweep.toml");
    std::fs::write(&sweep, format!("base = \"link.toml\"\n[vary]\n{vary}")).unwrap();
    sweep
}

/// `fibra batch --quiet SWEEP --out DIR`.
fn run_batch(sweep: &Path, out_dir: &Path) -> std::process::Output {
    fibra()
        .args(["batch", "--quiet"])
        .arg(sweep)
        .arg("--out")
        .arg(out_dir)
        .output()
        .unwrap()
}

/// (scenario, id) of every row in a results directory.
fn rows(dir: &Path) -> Vec<(u64, String)> {
    common::result_rows(dir)
}

const VARY: &str = "\"signal.launch_power_dbm\" = { from = -2.0, to = 2.0, step = 0.5 }\n\"span[1].length_km\" = [60.0, 100.0, 120.0]\n\"defaults.amplifier_nf_db\" = [4.5, 5.5]\n";

#[test]
fn a_sweep_of_known_size_gives_that_many_rows_and_shards_merge_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = setup(dir.path(), VARY);
    let all = dir.path().join("all");
    let out = fibra()
        .args(["batch", "--quiet", "--jobs", "2"])
        .arg(&sweep)
        .arg("--out")
        .arg(&all)
        .output()
        .unwrap();
    expect_exit(&out, 0);
    let expected = 9 * 3 * 2;
    let whole = rows(&all);
    assert_eq!(whole.len(), expected);
    let csv = std::fs::read_to_string(all.join("results.csv")).unwrap();
    assert_eq!(csv.lines().count(), expected + 1);
    assert!(csv.lines().next().unwrap().starts_with(
        "scenario,id,defaults.amplifier_nf_db,signal.launch_power_dbm,span[1].length_km,feasible"
    ));

    let mut shard_dirs = Vec::new();
    for i in 1..=3 {
        let d = dir.path().join(format!("shard{i}"));
        let out = fibra()
            .args(["batch", "--quiet", "--shard", &format!("{i}/3")])
            .arg(&sweep)
            .arg("--out")
            .arg(&d)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        shard_dirs.push(d);
    }
    let union: BTreeSet<(u64, String)> = shard_dirs.iter().flat_map(|d| rows(d)).collect();
    assert_eq!(union.len(), expected, "shards are disjoint and complete");
    assert_eq!(union, whole.iter().cloned().collect::<BTreeSet<_>>());
    let merged = dir.path().join("merged");
    let out = fibra()
        .args(["batch", "merge"])
        .args(&shard_dirs)
        .arg("--out")
        .arg(&merged)
        .output()
        .unwrap();
    expect_exit(&out, 0);
    assert_eq!(rows(&merged).len(), expected);
    // A missing shard is detected.
    let out = fibra()
        .args(["batch", "merge"])
        .args(&shard_dirs[..2])
        .arg("--out")
        .arg(dir.path().join("bad"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing"));
    // A duplicated shard is detected.
    let out = fibra()
        .args(["batch", "merge"])
        .arg(&shard_dirs[0])
        .args(&shard_dirs)
        .arg("--out")
        .arg(dir.path().join("bad2"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("more than once"));
}

#[test]
fn resume_after_a_killed_run_completes_every_scenario_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    // Enough scenarios (96-channel, 20-span design work each) that the run is still going when killed.
    let link: String = std::iter::once("[signal]\nchannels = 96\nspacing_ghz = 50\ncenter_thz = 193.725\nsymbol_rate_gbaud = 32\nlaunch_power_dbm = 0\n".to_string())
        .chain((0..20).map(|k| format!("[[span]]\nlength_km = {}\n", 70 + k)))
        .collect();
    std::fs::write(dir.path().join("link.toml"), link).unwrap();
    let sweep = dir.path().join("sweep.toml");
    std::fs::write(&sweep, "base = \"link.toml\"\n[vary]\n\"signal.launch_power_dbm\" = { from = -5.0, to = 5.0, step = 0.01 }\n\"span[0].length_km\" = [60.0, 61.0, 62.0]\n\"span[1].fiber\" = [\"SSMF\", \"LAF\", \"NZDSF\"]\n").unwrap();
    let out_dir = dir.path().join("out");
    let binary = assert_cmd::cargo::cargo_bin("fibra");
    let mut child = std::process::Command::new(&binary)
        .args(["batch", "--quiet", "--jobs", "2"])
        .arg(&sweep)
        .arg("--out")
        .arg(&out_dir)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let jsonl = out_dir.join("results.jsonl");
    let start = std::time::Instant::now();
    while std::fs::metadata(&jsonl).map_or(0, |m| m.len()) < 20_000
        && start.elapsed().as_secs() < 60
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = rows(&out_dir).len();
    assert!(before > 0 && before < 9009, "killed midway: {before} rows");
    let out = fibra()
        .args(["batch", "--quiet", "--resume"])
        .arg(&sweep)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    expect_exit(&out, 0);
    let after = rows(&out_dir);
    assert_eq!(after.len(), 1001 * 9);
    let indices: BTreeSet<u64> = after.iter().map(|r| r.0).collect();
    assert_eq!(indices.len(), 1001 * 9, "every scenario exactly once");
    let csv = std::fs::read_to_string(out_dir.join("results.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1001 * 9 + 1);
    // Without --resume an existing DIR is refused.
    let out = run_batch(&sweep, &out_dir);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_invalid_value_is_an_error_row_and_the_others_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = setup(
        dir.path(),
        "\"span[0].length_km\" = [80.0, -5.0, 90.0]\n\"defaults.fiber\" = [\"SSMF\", \"NOPE\"]\n",
    );
    let out_dir = dir.path().join("out");
    let out = run_batch(&sweep, &out_dir);
    assert_eq!(
        out.status.code(),
        Some(1),
        "failed scenarios make the exit code 1"
    );
    let text = std::fs::read_to_string(out_dir.join("results.jsonl")).unwrap();
    let docs: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 6);
    let errors: Vec<&serde_json::Value> = docs.iter().filter(|d| !d["error"].is_null()).collect();
    assert_eq!(
        errors.len(),
        4,
        "length -5 (2 rows) and fibre NOPE (3 rows), one row with both"
    );
    assert!(errors
        .iter()
        .any(|d| d["error"].as_str().unwrap().contains("span[0].length_km")));
    assert!(docs
        .iter()
        .filter(|d| d["error"].is_null())
        .all(|d| d["worst_gsnr_db"].is_number()));
}

#[test]
fn bad_sweeps_exit_2_naming_the_key() {
    let cases = [
        (
            "\"signal.lanch_power_dbm\" = [0.0]\n",
            "signal.lanch_power_dbm",
            "unknown parameter path",
        ),
        (
            "\"span[7].length_km\" = [80.0]\n",
            "span[7].length_km",
            "unknown parameter path",
        ),
        (
            "\"signal.launch_power_dbm\" = []\n",
            "signal.launch_power_dbm",
            "empty",
        ),
        (
            "\"signal.launch_power_dbm\" = { from = 0.0, to = 2.0, step = 0.0 }\n",
            "step",
            "non-zero",
        ),
        (
            "\"signal.launch_power_dbm\" = { from = 0.0, to = 2.0, step = -0.5 }\n",
            "step",
            "sign",
        ),
    ];
    for (vary, key, message) in cases {
        let dir = tempfile::tempdir().unwrap();
        let sweep = setup(dir.path(), vary);
        let out = fibra()
            .args(["batch"])
            .arg(&sweep)
            .arg("--out")
            .arg(dir.path().join("o"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{vary}: {stderr}");
        assert!(
            stderr.contains("sweep.toml") && stderr.contains(key) && stderr.contains(message),
            "{key}: {stderr}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let sweep = setup(dir.path(), VARY);
    for shard in ["0/4", "5/4", "x"] {
        let out = fibra()
            .args(["batch", "--shard", shard])
            .arg(&sweep)
            .arg("--out")
            .arg(dir.path().join("o"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{shard}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--shard"));
    }
}

#[test]
fn the_bundled_sweep_has_at_least_200_scenarios() {
    let sweep =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sweeps/lima-huancayo-sweep.toml");
    let sweep = fibra::batch::read_sweep(&sweep).unwrap();
    assert!(sweep.len() >= 200);
}

#[test]
fn a_system_base_runs_the_waveform_simulation_per_scenario() {
    // Back to back DP-QPSK with noise loading swept: the measured SNR follows the loaded OSNR
    // (SNR = OSNR·12.5/32, within 0.3 dB), an error row for an impossible value, the rest go on.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("system.toml"),
        "[signal]\nchannels = 1\nspacing_ghz = 50\ncenter_thz = 193.1\nsymbol_rate_gbaud = 32\nlaunch_power_dbm = 0\n\
         modulation = \"dp-qpsk\"\nsymbols = 2048\n[receiver]\nnoise_loading_osnr_db = 15.0\n",
    )
    .unwrap();
    let sweep = dir.path().join("sweep.toml");
    std::fs::write(
        &sweep,
        "base = \"system.toml\"\n[vary]\n\"receiver.noise_loading_osnr_db\" = [12.0, 16.0, 20.0, 99.0]\n",
    )
    .unwrap();
    let out_dir = dir.path().join("o");
    let out = run_batch(&sweep, &out_dir);
    expect_exit(&out, 1);
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(out_dir.join("results.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    for line in &lines {
        let osnr = line["receiver.noise_loading_osnr_db"].as_f64().unwrap();
        if osnr > 80.0 {
            assert!(
                line["error"]
                    .as_str()
                    .unwrap()
                    .contains("noise_loading_osnr_db"),
                "{line}"
            );
            continue;
        }
        let snr = line["snr_db"].as_f64().unwrap();
        let expected = osnr + 10.0 * (12.5f64 / 32.0).log10();
        assert!((snr - expected).abs() < 0.3, "{osnr} dB OSNR: SNR {snr}");
        assert!(line["gsnr_budget_db"].is_null(), "no spans, no budget");
        assert!(line["ber"].is_number() && line["bits"].as_u64() == Some(8192));
    }
}

/// `--summary`: per parameter, the number of values and the spread of the worst margin over them,
/// as recomputed here from results.jsonl.
#[test]
fn the_summary_gives_each_parameters_spread_of_worst_margins() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = setup(dir.path(), VARY);
    let out_dir = dir.path().join("out");
    let out = fibra()
        .args(["batch", "--quiet", "--summary"])
        .arg(&sweep)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(out_dir.join("results.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for (parameter, values) in [
        ("signal.launch_power_dbm", 9),
        ("span[1].length_km", 3),
        ("defaults.amplifier_nf_db", 2),
    ] {
        let mut worst: Vec<(String, f64)> = Vec::new();
        for row in &rows {
            let key = row[parameter].to_string();
            let margin = row["osnr_margin_db"].as_f64().unwrap();
            match worst.iter_mut().find(|(k, _)| *k == key) {
                Some((_, w)) => *w = w.min(margin),
                None => worst.push((key, margin)),
            }
        }
        let lo = worst.iter().map(|w| w.1).fold(f64::INFINITY, f64::min);
        let hi = worst.iter().map(|w| w.1).fold(f64::NEG_INFINITY, f64::max);
        let line = text
            .lines()
            .find(|l| l.starts_with(parameter))
            .unwrap_or_else(|| panic!("{parameter} missing from:\n{text}"));
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[1], values.to_string(), "{line}");
        assert_eq!(fields[2], format!("{lo:.2}"), "{line}");
        assert_eq!(fields[3], format!("{hi:.2}"), "{line}");
        assert_eq!(fields[4], format!("{:.2}", hi - lo), "{line}");
    }
}
