//! Hostile inputs (issue 12): every case once panicked, ran out of memory, never ended, lied in
//! its verdict or replaced what was at its output. Each asserts the exit code, a one-line
//! message naming the key, and that no file is left behind. Inputs: `tests/data/hostile/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fibra() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fibra"))
}

fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/hostile")
        .join(name)
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// Runs `fibra args…` in an empty directory; returns the output and the files left in it.
fn run_in_empty_dir(args: &[&str]) -> (Output, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let output = fibra()
        .args(args)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    (output, left)
}

/// The command fails with `code`, one line on stderr containing every fragment, nothing on
/// stdout, and no file left behind.
fn refused(args: &[&str], code: i32, fragments: &[&str]) {
    let (output, left) = run_in_empty_dir(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    for fragment in fragments {
        assert!(
            stderr.contains(fragment),
            "{args:?}: `{fragment}` not in {stderr}"
        );
    }
    assert!(output.stdout.is_empty(), "{args:?}: stdout not empty");
    assert!(left.is_empty(), "{args:?} left {left:?}");
}

fn path_arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn an_impossible_link_is_never_feasible_and_has_no_nan() {
    let link = hostile("impossible-link-was-feasible.toml");
    let (output, _) = run_in_empty_dir(&["budget", path_arg(&link)]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Verdict: NOT FEASIBLE"), "{text}");
    assert!(
        text.contains("gain") && text.contains("amplifier_max_gain_db"),
        "{text}"
    );
    assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");

    let (output, _) = run_in_empty_dir(&["budget", path_arg(&link), "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let summary = &json["summary"];
    assert_eq!(summary["feasible"], false);
    let limits: Vec<&str> = summary["limits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        limits.contains(&"gain") && limits.contains(&"osnr"),
        "{limits:?}"
    );
    assert_eq!(
        summary["reasons"].as_array().unwrap().len(),
        limits.len(),
        "one reason per limit"
    );
    for key in ["rx_power_dbm", "osnr_ase_db", "gsnr_db", "osnr_margin_db"] {
        assert!(summary[key].is_f64(), "{key} is {}", summary[key]);
    }

    // The launch sweep gives an optimum inside the range, with finite GSNRs.
    let (output, _) = run_in_empty_dir(&["budget", path_arg(&link), "--json", "--optimize-launch"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for point in json["launch_sweep"].as_array().unwrap() {
        assert!(point["gsnr_db"].is_f64(), "{point}");
    }
}

#[test]
fn malformed_files_are_named_in_one_line() {
    refused(
        &["budget", path_arg(&hostile("lone-cr.toml"))],
        2,
        &["lone-cr.toml", "carriage return"],
    );
    refused(&["budget", "/dev/zero"], 2, &["/dev/zero", "64 MiB"]);
    // Control characters in a key are escaped, never sent to the terminal.
    let (output, _) = run_in_empty_dir(&["budget", path_arg(&hostile("control-characters.toml"))]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    // A huge number is printed short.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.toml");
    std::fs::write(
        &big,
        "[signal]\nchannels = 1\nspacing_ghz = 50.0\ncenter_thz = 193.1\nsymbol_rate_gbaud = 32.0\nlaunch_power_dbm = 1e308\n[[span]]\nlength_km = 80\n",
    )
    .unwrap();
    refused(
        &["budget", path_arg(&big)],
        2,
        &["signal.launch_power_dbm", "(got 1e308)"],
    );
}

#[test]
fn text_output_to_a_full_disk_is_a_failed_run() {
    let output = fibra()
        .arg("budget")
        .arg(example("links/single-span.toml"))
        .stdout(Stdio::from(std::fs::File::create("/dev/full").unwrap()))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no space left on device"), "{stderr}");
}

#[test]
fn flags_without_their_main_flag_are_usage_errors() {
    let link = example("links/single-span.toml");
    let network = example("peru/trunk-only.toml");
    let pulse = example("pulses/soliton.toml");
    for args in [
        vec!["budget", path_arg(&link), "--launch-min-dbm", "-3"],
        vec!["budget", path_arg(&link), "--plot-format", "svg"],
        vec!["network", path_arg(&network), "--matrix", "m.csv"],
        vec!["propagate", path_arg(&pulse), "--plot-db"],
    ] {
        let (output, left) = run_in_empty_dir(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(left.is_empty());
    }
}

#[test]
fn two_nodes_at_one_place_are_refused_not_a_panic() {
    refused(
        &["network", path_arg(&hostile("same-place/network.toml"))],
        2,
        &["links.csv", "Lima", "Callao", "route_km"],
    );
}

#[test]
fn simulations_beyond_the_hardware_or_the_budget_are_refused() {
    refused(
        &["simulate", path_arg(&hostile("simulate-4000-db-span.toml"))],
        2,
        &["span[0]", "4000 dB", "amplifier_max_gain_db"],
    );
    refused(
        &[
            "simulate",
            path_arg(&hostile("simulate-tiny-symbol-rate.toml")),
        ],
        2,
        &["symbol_rate_gbaud", "memory", "--max-memory-gb"],
    );
    refused(
        &["simulate", path_arg(&hostile("simulate-4m-symbols.toml"))],
        2,
        &["signal.symbols = 4194304", "GiB"],
    );
}

#[test]
fn propagations_beyond_the_budget_are_refused_or_stopped() {
    refused(
        &[
            "propagate",
            path_arg(&hostile("propagate-2e26-samples.toml")),
        ],
        2,
        &["grid.samples = 67108864", "GiB"],
    );
    refused(
        &[
            "propagate",
            path_arg(&hostile("propagate-4096-snapshots.toml")),
            "--plot",
            "charts",
        ],
        2,
        &["output.snapshots", "GiB"],
    );
    refused(
        &["propagate", path_arg(&hostile("propagate-tiny-step.toml"))],
        2,
        &["step_km", "split steps", "--max-steps"],
    );
    refused(
        &["propagate", path_arg(&hostile("propagate-tiny-phase.toml"))],
        2,
        &["max_phase_rad", "split steps"],
    );
    refused(
        &[
            "propagate",
            path_arg(&hostile("propagate-tiny-tolerance.toml")),
            "--quiet",
        ],
        1,
        &["tolerance", "floor"],
    );
    // The step budget bounds an adaptive run as it goes: 50 steps are not enough here.
    let dir = tempfile::tempdir().unwrap();
    let adaptive = dir.path().join("adaptive.toml");
    let text = std::fs::read_to_string(example("pulses/span-80km.toml")).unwrap();
    std::fs::write(
        &adaptive,
        text.replace("max_phase_rad = 0.005", "tolerance = 1e-6"),
    )
    .unwrap();
    refused(
        &[
            "propagate",
            path_arg(&adaptive),
            "--quiet",
            "--max-steps",
            "50",
        ],
        1,
        &["stopped after 50 steps", "--max-steps"],
    );
}

#[test]
fn designs_and_networks_beyond_the_budget_are_refused() {
    refused(
        &["design", path_arg(&hostile("design-1e8-sites.toml"))],
        2,
        &["constraints.site_spacing_km", "1e8 candidate sites"],
    );
    refused(
        &[
            "network",
            path_arg(&hostile("chain-300/network.toml")),
            "--all-pairs",
            "--max-memory-gb",
            "0.01",
        ],
        2,
        &["300 nodes", "--max-memory-gb"],
    );
    refused(
        &[
            "budget",
            path_arg(&hostile("budget-2000-channels-200-fibres.toml")),
            "--max-memory-gb",
            "0.1",
        ],
        2,
        &["signal.channels = 2000", "MiB"],
    );
    // The environment variable is read too, and checked.
    let (output, _) = {
        let dir = tempfile::tempdir().unwrap();
        let out = fibra()
            .args(["budget", path_arg(&example("links/single-span.toml"))])
            .env("FIBRA_MAX_MEMORY_GB", "lots")
            .current_dir(dir.path())
            .output()
            .unwrap();
        (out, ())
    };
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("FIBRA_MAX_MEMORY_GB"));
}

#[test]
fn outputs_never_replace_an_input_a_link_or_a_device() {
    let dir = tempfile::tempdir().unwrap();
    let route = dir.path().join("route.toml");
    std::fs::copy(example("routes/lima-huancayo.toml"), &route).unwrap();
    let before = std::fs::read(&route).unwrap();
    let output = fibra()
        .args(["design", path_arg(&route), "--emit-link", path_arg(&route)])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("input of this run"));
    assert_eq!(std::fs::read(&route).unwrap(), before);

    // A symlink stays a symlink; the file it points to gets the field.
    let real = dir.path().join("real.csv");
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let output = fibra()
        .args([
            "propagate",
            path_arg(&example("pulses/soliton.toml")),
            "--quiet",
            "--save-field",
            path_arg(&link),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&real)
        .unwrap()
        .starts_with("time_ps,power_w,phase_rad"));

    // `-` streams the field to stdout; /dev/null stays a device.
    let output = fibra()
        .args([
            "propagate",
            path_arg(&example("pulses/soliton.toml")),
            "--save-field",
            "-",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("time_ps,power_w,phase_rad"));
    let output = fibra()
        .args([
            "network",
            path_arg(&example("peru/trunk-only.toml")),
            "--all-pairs",
            "--quiet",
            "--matrix",
            "/dev/null",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());

    // Stale sections of an earlier --emit-link go; a single section is written alone.
    let out = dir.path().join("out.toml");
    let output = fibra()
        .args([
            "design",
            path_arg(&example("routes/tumbes-lima-200g.toml")),
            "--emit-link",
            path_arg(&out),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(dir.path().join("out.2.toml").exists());
    let output = fibra()
        .args(["design", path_arg(&route), "--emit-link", path_arg(&out)])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(out.exists());
    assert!(!dir.path().join("out.1.toml").exists() && !dir.path().join("out.2.toml").exists());
}

#[test]
fn a_failed_chart_leaves_nothing_and_says_why_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-dir");
    std::fs::write(&blocker, "a file").unwrap();
    let charts = blocker.join("charts");
    let output = fibra()
        .args([
            "budget",
            path_arg(&example("links/single-span.toml")),
            "--plot",
            path_arg(&charts),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot write chart") && stderr.contains("not a directory"),
        "{stderr}"
    );
    assert!(!stderr.contains("Os {"), "{stderr}");
}

#[test]
fn sweeps_whose_counts_overflow_are_refused_even_in_a_dry_run() {
    for (file, key) in [
        (
            "sweeps/denormal-step.toml",
            "vary.\"signal.launch_power_dbm\".step",
        ),
        (
            "sweeps/whole-range.toml",
            "vary.\"signal.launch_power_dbm\".step",
        ),
        ("sweeps/four-big-axes.toml", "1.84e19 scenarios"),
    ] {
        refused(&["batch", path_arg(&hostile(file)), "--dry-run"], 2, &[key]);
    }
}

#[test]
fn long_user_strings_are_shortened_in_messages() {
    let long = "X".repeat(100_000);
    let network = example("peru/trunk-only.toml");
    let (output, _) = run_in_empty_dir(&["network", path_arg(&network), "--path", &long, "Lima"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr.contains('…') && stderr.chars().count() < 400,
        "{} chars",
        stderr.len()
    );
}

#[test]
fn a_launch_optimum_at_the_edge_of_the_sweep_is_flagged() {
    let link = hostile("impossible-link-was-feasible.toml");
    let (output, _) = run_in_empty_dir(&["budget", path_arg(&link), "--json", "--optimize-launch"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let warnings = json["summary"]["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("edge of its range")),
        "{warnings:?}"
    );
    let (output, _) = run_in_empty_dir(&[
        "budget",
        path_arg(&example("links/andes-lima-huancayo.toml")),
        "--json",
        "--optimize-launch",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["summary"]["warnings"].as_array().unwrap().is_empty());
}

#[test]
fn a_simulation_sweep_with_impossible_spans_gives_error_rows_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = fibra()
        .args([
            "batch",
            path_arg(&hostile("system-sweep/sweep.toml")),
            "--quiet",
            "--jobs",
            "1",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 4, "{csv}");
    assert_eq!(
        rows.iter()
            .filter(|r| r.contains("amplifier_max_gain_db"))
            .count(),
        3,
        "{csv}"
    );
}

#[test]
fn f32_is_refused_where_its_round_off_would_dominate() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(example("pulses/span-80km.toml")).unwrap();
    let write = |name: &str, solver: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text.replace("max_phase_rad = 0.005", solver)).unwrap();
        path
    };
    let tight = write("tight.toml", "tolerance = 1e-6\nprecision = \"f32\"");
    refused(
        &["propagate", path_arg(&tight)],
        2,
        &["solver.tolerance", "1e-6", "f32", "1e-5"],
    );
    let unknown = write("f16.toml", "step_km = 1.0\nprecision = \"f16\"");
    refused(
        &["propagate", path_arg(&unknown)],
        2,
        &["solver.precision", "\"f16\"", "f64", "f32"],
    );
    let number = write("number.toml", "step_km = 1.0\nprecision = 32");
    refused(
        &["propagate", path_arg(&number)],
        2,
        &["solver.precision", "string"],
    );
    let system = std::fs::read_to_string(example("systems/wdm-5x32gbd.toml")).unwrap();
    let path = dir.path().join("system.toml");
    let f32_tolerance = "tolerance = 1e-7\nprecision = \"f32\"";
    std::fs::write(
        &path,
        system.replace("max_phase_rad = 0.005", f32_tolerance),
    )
    .unwrap();
    refused(
        &["simulate", path_arg(&path)],
        2,
        &["propagation.tolerance", "f32"],
    );
}
