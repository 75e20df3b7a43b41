//! Helpers shared by the command-line tests: run the binary, check its exit code, read its JSON,
//! and check that bad input files are rejected with exit 2 and a one-line message naming the file,
//! the key and the allowed range. (Each test binary uses a subset of them.)
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The `fibra` binary under test.
pub fn fibra() -> Command {
    Command::cargo_bin("fibra").unwrap()
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Asserts the exit code (showing stderr if it differs) and returns stderr.
pub fn expect_exit(out: &Output, code: i32) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    stderr
}

/// Asserts success and parses stdout as one JSON document.
pub fn json_of(out: &Output) -> serde_json::Value {
    expect_exit(out, 0);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// For each `(file text, key, fragment)`: writes the text to `file_name`, runs
/// `fibra <subcommand> FILE` and asserts exit 2, nothing on stdout, and one line on stderr that
/// names the file, the key and contains the fragment.
pub fn assert_rejected(subcommand: &str, file_name: &str, cases: &[(String, &str, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    for (text, key, fragment) in cases {
        let path = write(dir.path(), file_name, text);
        let out = fibra().arg(subcommand).arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{key}: {stderr}");
        assert!(out.stdout.is_empty(), "{key}: no output on bad input");
        assert!(
            stderr.contains(file_name) && stderr.contains(key) && stderr.contains(fragment),
            "{key}/{fragment}: {stderr}"
        );
        assert_eq!(stderr.trim_end().lines().count(), 1, "{key}: {stderr}");
    }
}

/// (scenario, id) of every row of a batch results directory's `results.jsonl`, in file order.
pub fn result_rows(dir: &Path) -> Vec<(u64, String)> {
    std::fs::read_to_string(dir.join("results.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["scenario"].as_u64().unwrap(),
                v["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
