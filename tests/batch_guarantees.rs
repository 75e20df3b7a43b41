//! `fibra batch`'s guarantees, each a regression test of a fault once seen: exact merge and
//! resume, error rows instead of lost batches, checked counts and flat memory, the lock on
//! `--out`, the sweep fingerprint, unique ids, whole rows on a full disk, a read-only merge that
//! checks its manifests, paths resolved up front.

mod common;

use std::collections::BTreeSet;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{expect_exit, fibra};

/// The bundled Lima–Huancayo sweep (241 scenarios).
fn bundled_sweep() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sweeps/lima-huancayo-sweep.toml")
}

fn batch(args: &[&str], sweep: &Path, out: &Path) -> Output {
    fibra()
        .args(["batch", "--quiet"])
        .args(args)
        .arg(sweep)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// The result files with rows sorted by scenario index: (JSON Lines, CSV, manifest).
fn sorted_results(dir: &Path) -> (String, String, String) {
    let index_of_json = |l: &&str| {
        serde_json::from_str::<serde_json::Value>(l).unwrap()["scenario"]
            .as_u64()
            .unwrap()
    };
    let jsonl = std::fs::read_to_string(dir.join("results.jsonl")).unwrap();
    let mut lines: Vec<&str> = jsonl.lines().collect();
    lines.sort_by_key(index_of_json);
    let csv = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    let mut rows: Vec<&str> = csv.lines().skip(1).collect();
    rows.sort_by_key(|l| l.split(',').next().unwrap().parse::<u64>().unwrap());
    let header = csv.lines().next().unwrap();
    (
        lines.iter().map(|l| format!("{l}\n")).collect(),
        std::iter::once(header)
            .chain(rows)
            .map(|l| format!("{l}\n"))
            .collect(),
        std::fs::read_to_string(dir.join("manifest.json")).unwrap(),
    )
}

fn file_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn merged_shards_equal_the_unsharded_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    expect_exit(&batch(&["--jobs", "2"], &bundled_sweep(), &whole), 0);
    let expected = sorted_results(&whole);
    assert_eq!(expected.0.lines().count(), 241);
    for shards in [2, 3, 7] {
        let dirs: Vec<PathBuf> = (1..=shards)
            .map(|i| {
                let d = dir.path().join(format!("s{shards}-{i}"));
                let shard = format!("{i}/{shards}");
                expect_exit(&batch(&["--shard", &shard], &bundled_sweep(), &d), 0);
                d
            })
            .collect();
        let merged = dir.path().join(format!("merged-{shards}"));
        let out = fibra()
            .args(["batch", "merge"])
            .args(&dirs)
            .arg("--out")
            .arg(&merged)
            .output()
            .unwrap();
        expect_exit(&out, 0);
        // The merge writes rows in scenario order: its files as they are equal the sorted run.
        let got = (
            std::fs::read_to_string(merged.join("results.jsonl")).unwrap(),
            std::fs::read_to_string(merged.join("results.csv")).unwrap(),
            std::fs::read_to_string(merged.join("manifest.json")).unwrap(),
        );
        assert!(got.0 == expected.0, "{shards} shards: JSON Lines differ");
        assert!(got.1 == expected.1, "{shards} shards: CSV differs");
        assert_eq!(got.2, expected.2, "{shards} shards: manifest differs");
    }
}

#[test]
fn a_full_disk_leaves_whole_rows_and_resume_completes_the_run_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    expect_exit(&batch(&[], &bundled_sweep(), &whole), 0);
    // A file-size limit of 40 kB makes every write past it fail (EFBIG, or a short write up to
    // the limit): a disk that fills up mid-run, for this process only.
    let full = dir.path().join("full");
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("fibra"));
    command
        .args(["batch", "--quiet", "--jobs", "2"])
        .arg(bundled_sweep())
        .arg("--out")
        .arg(&full);
    // SAFETY: only async-signal-safe calls (setrlimit, signal) between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 40_000,
                rlim_max: 40_000,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &limit);
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let out = command.output().unwrap();
    let stderr = expect_exit(&out, 1);
    assert!(stderr.contains("could not write"), "{stderr}");
    let jsonl = std::fs::read_to_string(full.join("results.jsonl")).unwrap();
    assert!(jsonl.ends_with('\n'), "the record ends with a whole row");
    let rows = jsonl.lines().count();
    assert!(
        rows > 10 && rows < 241,
        "{rows} rows before the disk filled"
    );
    for line in jsonl.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("every row whole");
    }
    let csv = std::fs::read_to_string(full.join("results.csv")).unwrap();
    assert_eq!(csv.lines().count(), rows + 1, "CSV and JSON Lines agree");
    // Space again: --resume runs exactly the rest.
    let out = batch(&["--resume"], &bundled_sweep(), &full);
    expect_exit(&out, 0);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&format!("{} run now", 241 - rows)),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(sorted_results(&full) == sorted_results(&whole));
}

#[test]
fn a_torn_last_row_is_cut_on_resume_and_the_result_is_exact() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    expect_exit(&batch(&[], &bundled_sweep(), &whole), 0);
    let torn = dir.path().join("torn");
    expect_exit(&batch(&["--shard", "1/1"], &bundled_sweep(), &torn), 0);
    // Keep 100 rows and half of the 101st, as a kill mid-write would leave them.
    let jsonl = std::fs::read_to_string(torn.join("results.jsonl")).unwrap();
    let kept: String = jsonl.lines().take(100).map(|l| format!("{l}\n")).collect();
    let half = &jsonl.lines().nth(100).unwrap()[..40];
    std::fs::write(torn.join("results.jsonl"), format!("{kept}{half}")).unwrap();
    let out = batch(&["--resume", "--shard", "1/1"], &bundled_sweep(), &torn);
    let stderr = expect_exit(&out, 0);
    assert!(stderr.contains("torn last row (40 bytes)"), "{stderr}");
    assert_eq!(sorted_results(&torn).0, sorted_results(&whole).0);
    assert_eq!(sorted_results(&torn).1, sorted_results(&whole).1);
}

#[test]
fn error_rows_stay_unless_retried_and_name_the_base_file() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = link_sweep(
        dir.path(),
        "\"span[0].length_km\" = [80.0, -5.0, 90.0, -1.0]\n",
    );
    let out_dir = dir.path().join("o");
    let out = batch(&[], &sweep, &out_dir);
    expect_exit(&out, 1);
    let jsonl = std::fs::read_to_string(out_dir.join("results.jsonl")).unwrap();
    let errors: Vec<String> = jsonl
        .lines()
        .filter_map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["error"]
                .as_str()
                .map(str::to_string)
        })
        .collect();
    assert_eq!(errors.len(), 2);
    for e in &errors {
        assert!(e.contains("link.toml") && !e.contains("<input>"), "{e}");
    }
    // --resume retries nothing: every scenario has a row.
    let out = batch(&["--resume"], &sweep, &out_dir);
    expect_exit(&out, 1);
    assert!(String::from_utf8_lossy(&out.stdout).contains("(0 run now, 4 already there)"));
    // --retry-errors runs the two error rows again, replacing them (still errors: the value is bad).
    let out = batch(&["--resume", "--retry-errors"], &sweep, &out_dir);
    expect_exit(&out, 1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("(2 run now, 2 already there, 2 error rows retried)"),
        "{stdout}"
    );
    let indices: Vec<u64> = std::fs::read_to_string(out_dir.join("results.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["scenario"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(indices.len(), 4);
    assert_eq!(indices.iter().collect::<BTreeSet<_>>().len(), 4);
    let csv = std::fs::read_to_string(out_dir.join("results.csv")).unwrap();
    assert_eq!(csv.lines().count(), 5);
}

/// LINK.toml and a sweep of it with `vary` (the lines of its `[vary]` table) in `dir`.
fn link_sweep(dir: &Path, vary: &str) -> PathBuf {
    common::write(dir, "link.toml", LINK);
    common::write(
        dir,
        "sweep.toml",
        &format!("base = \"link.toml\"\n[vary]\n{vary}"),
    )
}

const LINK: &str = "[signal]\nchannels = 8\nspacing_ghz = 50\ncenter_thz = 193.1\nsymbol_rate_gbaud = 32\nlaunch_power_dbm = 0\n\
    [transceiver]\nrequired_osnr_db = 12\n[[span]]\nlength_km = 80\n[[span]]\nlength_km = 90\n";

#[test]
fn counts_beyond_the_limits_are_exit_2_with_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "link.toml", LINK);
    let cases = [
        (
            "\"signal.launch_power_dbm\" = { from = 0, to = 1, step = 5e-324 }",
            "more values than a number can count: at most 1000000",
        ),
        (
            "\"signal.launch_power_dbm\" = { from = -1.7e308, to = 1.7e308, step = 1.0 }",
            "more values than a number can count",
        ),
        (
            "\"signal.launch_power_dbm\" = { from = 0, to = 2e6, step = 1 }",
            "2000001 values: at most 1000000",
        ),
        (
            "\"signal.launch_power_dbm\" = { from = 1e17, to = 1.0000000000001e17, step = 1 }",
            "too small for values near",
        ),
    ];
    // A dry run of `[vary]` must be refused (exit 2, one line): its stderr.
    let refused = |vary: &str| -> String {
        let sweep = common::write(
            dir.path(),
            "sweep.toml",
            &format!("base = \"link.toml\"\n[vary]\n{vary}\n"),
        );
        let out = fibra()
            .args(["batch", "--dry-run"])
            .arg(&sweep)
            .output()
            .unwrap();
        let stderr = expect_exit(&out, 2);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        stderr
    };
    for (vary, expected) in cases {
        let stderr = refused(vary);
        assert!(stderr.contains(expected), "{vary}: {stderr}");
    }
    // Four axes of 65,536 values: 1.8e19 scenarios, which wrapped to 0 in 64-bit arithmetic.
    let axes: String = [
        "signal.launch_power_dbm",
        "span[0].length_km",
        "span[1].length_km",
        "defaults.amplifier_nf_db",
    ]
    .iter()
    .map(|k| format!("\"{k}\" = {{ from = 0, to = 65535, step = 1 }}\n"))
    .collect();
    let stderr = refused(&axes);
    assert!(
        stderr.contains("65536 × 65536 × 65536 × 65536 values make 1.84e19 scenarios")
            && stderr.contains("at most 10000000"),
        "{stderr}"
    );
}

#[test]
fn ten_million_scenarios_stream_in_flat_memory() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "link.toml", LINK);
    let axes: String = [
        "signal.launch_power_dbm",
        "span[0].length_km",
        "span[1].length_km",
        "defaults.amplifier_nf_db",
        "defaults.aging_margin_db",
        "span[0].attenuation_db_per_km",
        "transceiver.required_osnr_db",
    ]
    .iter()
    .map(|k| format!("\"{k}\" = {{ from = 1, to = 10, step = 1 }}\n"))
    .collect();
    let sweep = common::write(
        dir.path(),
        "sweep.toml",
        &format!("base = \"link.toml\"\n[vary]\n{axes}"),
    );
    // A quarter of the 10^7 listed (2.5 million lines, ~10 s): the whole sweep is behind it
    // (the old expansion held all 10^7 scenarios before the shard was picked: 4 GB).
    // Reaped by wait4 below, which also gives this child's peak memory.
    #[allow(clippy::zombie_processes)]
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("fibra"))
        .args(["batch", "--dry-run", "--shard", "4/4"])
        .arg(&sweep)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut stdout = child.stdout.unwrap();
    let mut head = [0u8; 80];
    std::io::Read::read_exact(&mut stdout, &mut head).unwrap();
    assert!(
        String::from_utf8_lossy(&head).starts_with("10000000 scenarios (2500000 in this shard)")
    );
    let lines = std::io::copy(&mut stdout, &mut std::io::sink()).unwrap();
    assert!(lines > 100_000_000, "{lines} bytes listed");
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for this child only.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    assert_eq!(status, 0);
    let peak_mb = usage.ru_maxrss as f64 / 1024.0;
    assert!(peak_mb < 200.0, "peak {peak_mb:.0} MB");
}

#[test]
fn a_live_lock_refuses_the_run_and_a_dead_runs_lock_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = link_sweep(dir.path(), "\"signal.launch_power_dbm\" = [0.0, 1.0]\n");
    let out_dir = dir.path().join("o");
    std::fs::create_dir(&out_dir).unwrap();
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    // This test process is alive: its lock refuses the run (exit 2), and nothing is written.
    let lock = out_dir.join("fibra.lock");
    std::fs::write(
        &lock,
        format!("pid={}\nhost={}\n", std::process::id(), host.trim()),
    )
    .unwrap();
    let stderr = expect_exit(&batch(&[], &sweep, &out_dir), 2);
    assert!(
        stderr.contains("in use by another fibra run")
            && stderr.contains(&format!("pid {}", std::process::id())),
        "{stderr}"
    );
    assert!(!out_dir.join("results.jsonl").exists());
    // A process that has exited: its lock is taken over and said so; the lock goes at the end.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    std::fs::write(&lock, format!("pid={dead}\nhost={}\n", host.trim())).unwrap();
    let out = batch(&[], &sweep, &out_dir);
    let stderr = expect_exit(&out, 0);
    assert!(
        stderr.contains("took over the lock") && stderr.contains(&format!("pid {dead}")),
        "{stderr}"
    );
    assert!(!lock.exists());
    // Two runs at once into one directory: one of them is refused (or waits for nothing).
    let slow_sweep = common::write(
        dir.path(),
        "slow.toml",
        "base = \"link.toml\"\n[vary]\n\"signal.launch_power_dbm\" = { from = -5, to = 5, step = 0.0001 }\n",
    );
    let both = dir.path().join("both");
    let first = std::process::Command::new(assert_cmd::cargo::cargo_bin("fibra"))
        .args(["batch", "--quiet", "--jobs", "1"])
        .arg(&slow_sweep)
        .arg("--out")
        .arg(&both)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    while !both.join("fibra.lock").exists() {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let second = batch(&["--resume"], &slow_sweep, &both);
    let mut first = first;
    first.kill().unwrap();
    first.wait().unwrap();
    let stderr = expect_exit(&second, 2);
    assert!(stderr.contains("in use by another fibra run"), "{stderr}");
}

#[test]
fn resume_refuses_another_sweep_base_or_shard() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = link_sweep(dir.path(), "\"signal.launch_power_dbm\" = [0.0, 1.0]\n");
    let out_dir = dir.path().join("o");
    expect_exit(&batch(&[], &sweep, &out_dir), 0);
    let before = file_bytes(&out_dir);
    let other = common::write(
        dir.path(),
        "other.toml",
        "base = \"link.toml\"\n[vary]\n\"signal.launch_power_dbm\" = [0.0, 1.0, 2.0]\n",
    );
    let stderr = expect_exit(&batch(&["--resume"], &other, &out_dir), 2);
    assert!(stderr.contains("another sweep or base file"), "{stderr}");
    let stderr = expect_exit(&batch(&["--resume", "--shard", "1/2"], &sweep, &out_dir), 2);
    assert!(
        stderr.contains("results are of the whole sweep"),
        "{stderr}"
    );
    // The base file changed under the same sweep.
    common::write(
        dir.path(),
        "link.toml",
        &LINK.replace("length_km = 90", "length_km = 95"),
    );
    let stderr = expect_exit(&batch(&["--resume"], &sweep, &out_dir), 2);
    assert!(stderr.contains("another sweep or base file"), "{stderr}");
    assert_eq!(
        file_bytes(&out_dir),
        before,
        "a refused run changes nothing"
    );
}

#[test]
fn identical_settings_get_distinct_ids_and_a_resume_completes_them() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "link.toml", LINK);
    let sweep = common::write(
        dir.path(),
        "sweep.toml",
        "base = \"link.toml\"\n[vary]\n\"signal.launch_power_dbm\" = [1.0, 1.0, 2.0]\n\
         [[case]]\n\"signal.launch_power_dbm\" = 2.0\n[[case]]\n\"signal.launch_power_dbm\" = 2.0\n",
    );
    let out_dir = dir.path().join("o");
    expect_exit(&batch(&[], &sweep, &out_dir), 0);
    let ids = common::result_rows;
    let all = ids(&out_dir);
    assert_eq!(all.len(), 5);
    assert_eq!(all.iter().map(|r| &r.1).collect::<BTreeSet<_>>().len(), 5);
    // Keep only the first row (a kill), resume: the other four run, each once.
    let jsonl = std::fs::read_to_string(out_dir.join("results.jsonl")).unwrap();
    std::fs::write(
        out_dir.join("results.jsonl"),
        format!("{}\n", jsonl.lines().next().unwrap()),
    )
    .unwrap();
    expect_exit(&batch(&["--resume"], &sweep, &out_dir), 0);
    let mut resumed = ids(&out_dir);
    let mut all = all;
    resumed.sort();
    all.sort();
    assert_eq!(resumed, all);
}

#[test]
fn merge_reads_only_and_checks_every_manifest_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = link_sweep(
        dir.path(),
        "\"signal.launch_power_dbm\" = { from = 0, to = 5, step = 1 }\n",
    );
    let shards: Vec<PathBuf> = (1..=2)
        .map(|i| {
            let d = dir.path().join(format!("s{i}"));
            expect_exit(&batch(&["--shard", &format!("{i}/2")], &sweep, &d), 0);
            d
        })
        .collect();
    // A torn last line in shard 2 (a killed writer), then both shards read-only.
    let torn = shards[1].join("results.jsonl");
    let mut text = std::fs::read(&torn).unwrap();
    text.extend_from_slice(b"{\"scenario\":1,\"id\":\"");
    std::fs::write(&torn, &text).unwrap();
    let mut permissions = std::fs::metadata(&torn).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o444);
    let before: Vec<_> = shards.iter().map(|d| file_bytes(d)).collect();
    for d in &shards {
        for (file, _) in file_bytes(d) {
            std::fs::set_permissions(&file, permissions.clone()).unwrap();
        }
    }
    let merge = |dirs: &[PathBuf], out: &Path| {
        fibra()
            .args(["batch", "merge"])
            .args(dirs)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap()
    };
    let merged = dir.path().join("m");
    expect_exit(&merge(&shards, &merged), 0);
    let after: Vec<_> = shards.iter().map(|d| file_bytes(d)).collect();
    assert!(after == before, "merge left its inputs as they were");
    assert_eq!(
        std::fs::read_to_string(merged.join("results.jsonl"))
            .unwrap()
            .lines()
            .count(),
        6
    );
    // Into one of its inputs: refused.
    let stderr = expect_exit(&merge(&shards, &shards[0]), 2);
    assert!(
        stderr.contains("cannot go into one of the shards"),
        "{stderr}"
    );

    // Manifests and rows that do not hold together, each on a copy.
    let copy_of = |name: &str, edit: &dyn Fn(&Path)| -> PathBuf {
        let d = dir.path().join(name);
        std::fs::create_dir(&d).unwrap();
        for f in ["manifest.json", "results.jsonl", "results.csv"] {
            std::fs::write(d.join(f), std::fs::read(shards[1].join(f)).unwrap()).unwrap();
        }
        edit(&d);
        d
    };
    let edit_manifest = |from: &'static str, to: &'static str| {
        move |d: &Path| {
            let m = std::fs::read_to_string(d.join("manifest.json")).unwrap();
            assert!(m.contains(from), "{m}");
            std::fs::write(d.join("manifest.json"), m.replace(from, to)).unwrap();
        }
    };
    let huge = copy_of("huge", &edit_manifest("\"total\": 6", "\"total\": 1e15"));
    let stderr = expect_exit(&merge(&[shards[0].clone(), huge], &merged), 1);
    assert!(stderr.contains("manifest.json"), "{stderr}");
    let bigger = copy_of("bigger", &edit_manifest("\"total\": 6", "\"total\": 7"));
    let stderr = expect_exit(&merge(&[shards[0].clone(), bigger], &merged), 1);
    assert!(stderr.contains("not a shard of the same sweep"), "{stderr}");
    let foreign = copy_of(
        "foreign",
        &edit_manifest("\"fingerprint\": \"", "\"fingerprint\": \"0"),
    );
    let stderr = expect_exit(&merge(&[shards[0].clone(), foreign], &merged), 1);
    assert!(stderr.contains("fingerprint"), "{stderr}");
    let beyond = copy_of("beyond", &|d: &Path| {
        let rows = std::fs::read_to_string(d.join("results.jsonl")).unwrap();
        // Rows are appended in completion order, so find scenario 1's row by its key.
        let line = rows
            .lines()
            .find(|l| l.contains("\"scenario\":1,"))
            .unwrap()
            .to_string();
        let moved = line.replacen("\"scenario\":1,", "\"scenario\":60,", 1);
        assert_ne!(line, moved);
        std::fs::write(d.join("results.jsonl"), rows.replacen(&line, &moved, 1)).unwrap();
    });
    let stderr = expect_exit(&merge(&[shards[0].clone(), beyond], &merged), 1);
    assert!(
        stderr.contains("scenario 60 is beyond the sweep's 6"),
        "{stderr}"
    );
    // Missing and duplicated scenarios are named by index.
    let stderr = expect_exit(&merge(&shards[..1], &merged), 1);
    assert!(
        stderr.contains("3 of 6 scenarios missing (scenario 1, 3, 5)"),
        "{stderr}"
    );
    let stderr = expect_exit(
        &merge(
            &[shards[0].clone(), shards[0].clone(), shards[1].clone()],
            &merged,
        ),
        1,
    );
    assert!(
        stderr.contains("3 scenarios appear more than once (scenario 0, 2, 4)"),
        "{stderr}"
    );
}

#[test]
fn paths_are_resolved_up_front_and_jobs_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "link.toml", LINK);
    for path in [
        "signal.a.b.c.d",
        "signal.launch_power_dbm.x",
        "span[9].length_km",
        "nowhere",
    ] {
        let sweep = common::write(
            dir.path(),
            "sweep.toml",
            &format!("base = \"link.toml\"\n[vary]\n\"{path}\" = [1.0]\n"),
        );
        let out_dir = dir.path().join("never");
        let stderr = expect_exit(&batch(&[], &sweep, &out_dir), 2);
        assert!(
            stderr.contains(&format!("unknown parameter path `{path}`")),
            "{stderr}"
        );
        assert!(
            !out_dir.exists(),
            "nothing is written before the paths resolve"
        );
    }
    let sweep = common::write(
        dir.path(),
        "sweep.toml",
        "base = \"link.toml\"\n[vary]\n\"signal.launch_power_dbm\" = [0.0, 1.0]\n",
    );
    let started = std::time::Instant::now();
    let out = batch(&["--jobs", "100000"], &sweep, &dir.path().join("jobs"));
    let stderr = expect_exit(&out, 0);
    assert!(
        stderr.contains("--jobs 100000 is more than 4 per core"),
        "{stderr}"
    );
    assert!(started.elapsed().as_secs() < 5);
}

#[test]
fn resume_refuses_a_network_base_whose_csv_files_changed() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "nodes.csv",
        "name,lat,lon\nA,-12.0,-77.0\nB,-12.5,-76.5\n",
    );
    common::write(dir.path(), "links.csv", "a,b,route_km\nA,B,120\n");
    common::write(
        dir.path(),
        "network.toml",
        "nodes = \"nodes.csv\"\nlinks = \"links.csv\"\n[signal]\nchannels = 8\nspacing_ghz = 50\n\
         center_thz = 193.1\nsymbol_rate_gbaud = 32\nlaunch_power_dbm = 0\n\
         [constraints]\nmax_span_loss_db = 22\nsite_spacing_km = 10\n",
    );
    let sweep = common::write(
        dir.path(),
        "sweep.toml",
        "base = \"network.toml\"\n[vary]\n\"signal.launch_power_dbm\" = [0.0, 1.0]\n",
    );
    let out_dir = dir.path().join("o");
    expect_exit(&batch(&[], &sweep, &out_dir), 0);
    expect_exit(&batch(&["--resume"], &sweep, &out_dir), 0);
    // The same NETWORK.toml, a longer link in its CSV: another base.
    common::write(dir.path(), "links.csv", "a,b,route_km\nA,B,150\n");
    let stderr = expect_exit(&batch(&["--resume"], &sweep, &out_dir), 2);
    assert!(stderr.contains("another sweep or base file"), "{stderr}");
}
