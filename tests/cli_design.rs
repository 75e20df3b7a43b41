//! `fibra design` end to end: examples, JSON contract, the --emit-link round trip, bad input.

mod common;

use common::{assert_rejected, expect_exit, fibra};
use std::path::{Path, PathBuf};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/routes")
        .join(name)
}

fn json(args: &[&str], file: &Path) -> serde_json::Value {
    let out = fibra().args(args).arg(file).output().unwrap();
    expect_exit(&out, 0);
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn json_contract_and_emit_link_round_trip() {
    for name in ["lima-huancayo.toml", "tumbes-lima-200g.toml"] {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("designed.toml");
        let doc = json(
            &["design", "--json", "--emit-link", base.to_str().unwrap()],
            &example(name),
        );
        let sites = doc["sites"].as_array().unwrap();
        for site in sites {
            assert!(site["name"].is_string() && site["km"].is_number());
            assert!(
                ["terminal", "amplifier", "regenerator"].contains(&site["role"].as_str().unwrap())
            );
        }
        let amplifiers = sites.iter().filter(|s| s["role"] == "amplifier").count();
        let regenerators = sites.iter().filter(|s| s["role"] == "regenerator").count();
        assert_eq!(doc["amplifiers"], amplifiers);
        assert_eq!(doc["regenerators"], regenerators);
        let spans = doc["spans"].as_array().unwrap();
        let sum: f64 = spans
            .iter()
            .map(|s| 10f64.powf(s["loss_db"].as_f64().unwrap() / 10.0))
            .sum();
        assert!((doc["sum_linear_span_loss"].as_f64().unwrap() / sum - 1.0).abs() < 1e-12);
        for span in spans {
            assert!(
                span["from"].is_string() && span["to"].is_string() && span["length_km"].is_number()
            );
        }
        let sections = doc["sections"].as_array().unwrap();
        assert_eq!(sections.len(), regenerators + 1);
        let emitted: Vec<String> = doc["emitted_links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        assert_eq!(emitted.len(), sections.len());
        for (section, path) in sections.iter().zip(&emitted) {
            // Budgeting the emitted LINK.toml gives the same document.
            let again = json(&["budget", "--json"], Path::new(path));
            assert_eq!(&again, section, "{name}: {path}");
        }
    }
}

#[test]
fn infeasible_route_exits_1_naming_the_stretch() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gap.toml");
    let text = std::fs::read_to_string(example("lima-huancayo.toml"))
        .unwrap()
        .replace("max_span_km = 120.0", "max_span_km = 30.0");
    std::fs::write(&path, text).unwrap();
    let out = fibra().arg("design").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("Lima (km 0) – Chosica (km 38.5)"),
        "{stderr}"
    );
}

#[test]
fn bad_route_input_exits_2_naming_the_key() {
    let base = "[signal]\nchannels = 4\nspacing_ghz = 50\ncenter_thz = 193.1\nsymbol_rate_gbaud = 32\nlaunch_power_dbm = 0\n\
                [constraints]\nmax_span_loss_db = 25\n";
    let sites = "[[site]]\nname = \"A\"\nkm = 0\nkind = \"terminal\"\n[[site]]\nname = \"B\"\nkm = 50\nkind = \"hut\"\n[[site]]\nname = \"C\"\nkm = 100\nkind = \"terminal\"\n";
    let cases: Vec<(String, &str, &str)> = vec![
        (
            format!("{base}{}", sites.replace("km = 50", "km = 150")),
            "site[2].km",
            "route order",
        ),
        (
            format!("{base}{}", sites.replace("km = 50", "km = 0")),
            "site[1].km",
            "distinct",
        ),
        (
            format!("length_km = 80\n{base}{sites}"),
            "site[2].km",
            "beyond the route end",
        ),
        (
            format!(
                "{base}{}",
                sites.replace("kind = \"hut\"", "kind = \"shelter\"")
            ),
            "site[1].kind",
            "unknown kind `shelter`",
        ),
        (
            base.replace("max_span_loss_db = 25", "max_span_loss_db = -25") + sites,
            "constraints.max_span_loss_db",
            "> 0",
        ),
        (
            base.replace(
                "max_span_loss_db = 25",
                "max_span_loss_db = 25\nmax_span_km = -1",
            ) + sites,
            "constraints.max_span_km",
            "> 0",
        ),
        (
            format!("{base}{sites}[[section]]\nfrom_km = 60\nto_km = 40\nfiber = \"NZDSF\"\n"),
            "section[0].to_km",
            "greater than from_km",
        ),
        (
            format!("{base}{sites}[[section]]\nfrom_km = 60\nto_km = 140\n"),
            "section[0].to_km",
            "outside the route",
        ),
        (
            format!("{base}{sites}[[section]]\nfrom_km = 10\nto_km = 40\nfiber = \"XX\"\n"),
            "section[0].fiber",
            "unknown fibre type",
        ),
    ];
    assert_rejected("design", "route.toml", &cases);
}

#[test]
fn two_terminals_only_get_candidate_sites_every_site_spacing() {
    let text = "[signal]\nchannels = 4\nspacing_ghz = 50\ncenter_thz = 193.1\nsymbol_rate_gbaud = 32\nlaunch_power_dbm = 0\n\
                [constraints]\nmax_span_loss_db = 22\nsite_spacing_km = 5\n\
                [[site]]\nname = \"A\"\nkm = 0\nkind = \"terminal\"\n[[site]]\nname = \"B\"\nkm = 300\nkind = \"terminal\"\n";
    let route = fibra::io::parse_route(text).unwrap();
    assert_eq!(route.sites.len(), 61);
    let design = fibra::design::design_route(&route).unwrap();
    // 22 dB at 0.2 dB/km (no other loss) = 110 km per span: 300 km needs 3 spans -> 2 amplifiers,
    // and equal 100 km spans minimise Σ linear loss.
    assert_eq!(design.amplifiers, 2);
    let lengths: Vec<f64> = design.spans.iter().map(|s| s.length_km).collect();
    assert_eq!(lengths, [100.0, 100.0, 100.0]);
}
