//! Golden files: the text and JSON output of every command on the bundled examples, line by line
//! (`insta` snapshots in `tests/snapshots/`). They pin the output contract through refactors.
//!
//! What is normalised, and why: wall times (`*_ms` keys, "… ms" in text, the FFT-pair floor and
//! the step time against it) vary from run to run;
//! floats in JSON are rounded to 9 significant digits and magnitudes below 1e-9 written as 0, so
//! that a refactor may reorder floating-point operations (a change in the last bits) but not
//! change a figure; text tables already round. Batch rows are sorted by scenario (they are
//! written in completion order). To update after an intended change: `cargo insta review`, or
//! `INSTA_UPDATE=always cargo test --release --test golden` and read the diff.

mod common;

use common::fibra;
use regex::Regex;
use serde_json::Value;

/// Runs `fibra args…` from the crate root, expects success and returns stdout.
fn stdout_of(args: &[&str]) -> String {
    let out = fibra()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .arg("--quiet")
        .output()
        .unwrap();
    common::expect_exit(&out, 0);
    String::from_utf8(out.stdout).unwrap()
}

/// `stdout_of` for commands without `--quiet` (budget, design).
fn stdout_plain(args: &[&str]) -> String {
    let out = fibra()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    common::expect_exit(&out, 0);
    String::from_utf8(out.stdout).unwrap()
}

/// Rounds every float to 9 significant digits (0 below 1e-9) and drops wall-time keys.
fn normalise(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|key, _| {
                !key.ends_with("_ms") && key != "floor_us_per_fft_pair" && key != "step_over_floor"
            });
            map.values_mut().for_each(normalise);
        }
        Value::Array(items) => items.iter_mut().for_each(normalise),
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap();
            let rounded = if x.abs() < 1e-9 {
                0.0
            } else {
                format!("{x:.8e}").parse::<f64>().unwrap()
            };
            *value = serde_json::json!(rounded);
        }
        _ => {}
    }
}

/// The JSON document on stdout, normalised and pretty-printed.
fn json_snapshot(text: &str) -> String {
    let mut value: Value = serde_json::from_str(text).unwrap();
    normalise(&mut value);
    serde_json::to_string_pretty(&value).unwrap()
}

/// Text output with wall times replaced by `<time>`.
fn text_snapshot(text: &str) -> String {
    let times = Regex::new(r"\b\d+(\.\d+)? (ms|s)\b").unwrap();
    let shares = Regex::new(r"\b\d+ % of it").unwrap();
    let per_step = Regex::new(r"(?m)^per step .*$").unwrap();
    let text = times.replace_all(text, "<time>");
    let text = per_step.replace_all(&text, "per step <time> against the FFT-pair floor");
    shares.replace_all(&text, "<share> % of it").into_owned()
}

#[test]
fn budget_text_and_json() {
    for (name, file) in [
        ("andes", "examples/links/andes-lima-huancayo.toml"),
        ("line_10x80", "examples/links/line-10x80.toml"),
        ("single_span", "examples/links/single-span.toml"),
    ] {
        insta::assert_snapshot!(
            format!("budget_{name}_text"),
            text_snapshot(&stdout_plain(&["budget", file]))
        );
        insta::assert_snapshot!(
            format!("budget_{name}_json"),
            json_snapshot(&stdout_plain(&["budget", file, "--json"]))
        );
    }
    let sweep = ["budget", "examples/links/andes-lima-huancayo.toml"];
    insta::assert_snapshot!(
        "budget_andes_optimize_text",
        text_snapshot(&stdout_plain(&[sweep[0], sweep[1], "--optimize-launch"]))
    );
    insta::assert_snapshot!(
        "budget_andes_optimize_json",
        json_snapshot(&stdout_plain(&[
            sweep[0],
            sweep[1],
            "--optimize-launch",
            "--json"
        ]))
    );
}

#[test]
fn design_text_and_json() {
    for (name, file) in [
        ("lima_huancayo", "examples/routes/lima-huancayo.toml"),
        ("tumbes_lima", "examples/routes/tumbes-lima-200g.toml"),
    ] {
        insta::assert_snapshot!(
            format!("design_{name}_text"),
            text_snapshot(&stdout_plain(&["design", file]))
        );
        insta::assert_snapshot!(
            format!("design_{name}_json"),
            json_snapshot(&stdout_plain(&["design", file, "--json"]))
        );
    }
}

#[test]
fn network_text_json_matrix_and_cut() {
    let file = "examples/peru/trunk-only.toml";
    insta::assert_snapshot!(
        "network_path_text",
        text_snapshot(&stdout_of(&["network", file, "--path", "Lima", "Cusco"]))
    );
    insta::assert_snapshot!(
        "network_path_json",
        json_snapshot(&stdout_of(&[
            "network", file, "--path", "Lima", "Cusco", "--json"
        ]))
    );
    let dir = tempfile::tempdir().unwrap();
    let matrix = dir.path().join("matrix.csv");
    let matrix_arg = matrix.to_str().unwrap();
    insta::assert_snapshot!(
        "network_all_pairs_json",
        json_snapshot(&stdout_of(&[
            "network",
            file,
            "--all-pairs",
            "--matrix",
            matrix_arg,
            "--json"
        ]))
    );
    insta::assert_snapshot!(
        "network_all_pairs_matrix_csv",
        std::fs::read_to_string(&matrix).unwrap()
    );
    insta::assert_snapshot!(
        "network_cut_text",
        text_snapshot(&stdout_of(&["network", file, "--cut", "Lima-Huancayo"]))
    );
    insta::assert_snapshot!(
        "network_cut_json",
        json_snapshot(&stdout_of(&[
            "network",
            file,
            "--cut",
            "Lima-Huancayo",
            "--json"
        ]))
    );
}

#[test]
fn propagate_text_and_json() {
    for (name, file) in [
        ("soliton", "examples/pulses/soliton.toml"),
        ("span_80km", "examples/pulses/span-80km.toml"),
        ("three_spans", "examples/pulses/three-spans.toml"),
    ] {
        insta::assert_snapshot!(
            format!("propagate_{name}_text"),
            text_snapshot(&stdout_of(&["propagate", file]))
        );
        insta::assert_snapshot!(
            format!("propagate_{name}_json"),
            json_snapshot(&stdout_of(&["propagate", file, "--json"]))
        );
    }
}

#[test]
fn simulate_text_and_json() {
    for (name, file) in [
        ("ook_10g", "examples/systems/ook-10g-nrz.toml"),
        (
            "lima_huancayo_100g",
            "examples/systems/lima-huancayo-100g.toml",
        ),
    ] {
        insta::assert_snapshot!(
            format!("simulate_{name}_text"),
            text_snapshot(&stdout_of(&["simulate", file, "--compare-budget"]))
        );
        insta::assert_snapshot!(
            format!("simulate_{name}_json"),
            json_snapshot(&stdout_of(&[
                "simulate",
                file,
                "--compare-budget",
                "--json"
            ]))
        );
    }
}

#[test]
fn batch_results_and_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let summary = stdout_of(&[
        "batch",
        "examples/sweeps/lima-huancayo-sweep.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    insta::assert_snapshot!(
        "batch_lima_huancayo_summary",
        summary.replace(out.to_str().unwrap(), "<out>")
    );
    insta::assert_snapshot!(
        "batch_lima_huancayo_manifest",
        json_snapshot(&std::fs::read_to_string(out.join("manifest.json")).unwrap())
    );
    let mut rows: Vec<Value> = std::fs::read_to_string(out.join("results.jsonl"))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    rows.sort_by_key(|row| row["scenario"].as_u64());
    let rows: Vec<String> = rows
        .into_iter()
        .map(|mut row| {
            normalise(&mut row);
            row.to_string()
        })
        .collect();
    insta::assert_snapshot!("batch_lima_huancayo_rows", rows.join("\n"));
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    let mut lines: Vec<&str> = csv.lines().collect();
    let header = lines.remove(0);
    assert_eq!(
        lines.len(),
        rows.len(),
        "results.csv and results.jsonl hold the same rows"
    );
    insta::assert_snapshot!("batch_lima_huancayo_csv_header", header);
}
