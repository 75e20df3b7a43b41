//! `fibra gnpy export` (issue 14): the exported files describe the link element by element, and
//! GNPy 3.0.1's numbers on them (stored in reference/gnpy/export/ by scripts/gnpy-crosscheck.sh,
//! which `.ci/run` reruns against the real GNPy) agree with `fibra budget` within 0.01 dB on every
//! channel.

use std::path::Path;
use std::process::Command;

use fibra::budget::BudgetPlan;
use fibra::io::gnpy_export::{export_link, to_gnpy_json};
use fibra::io::read_link;
use serde_json::Value;

const LINKS: [&str; 3] = ["andes-lima-huancayo", "line-10x80", "single-span"];

#[test]
fn gnpy_on_the_exported_links_agrees_with_the_budget_within_0_01_db() {
    for name in LINKS {
        let link = read_link(Path::new(&format!("examples/links/{name}.toml"))).unwrap();
        let report = BudgetPlan::new(&link).run();
        let stored: Value = serde_json::from_str(
            &std::fs::read_to_string(format!("reference/gnpy/export/{name}.json")).unwrap(),
        )
        .unwrap();
        let gnpy = stored["channels"].as_array().unwrap();
        assert_eq!(gnpy.len(), report.channels.len(), "{name}");
        for (i, (g, f)) in gnpy.iter().zip(&report.channels).enumerate() {
            for (gnpy_key, ours) in [
                ("gsnr_incl_trx_db", f.gsnr_db),
                ("osnr_ase_01nm_db", f.osnr_ase_db),
                ("snr_nli_db", f.snr_nli_db),
            ] {
                let theirs = g[gnpy_key].as_f64().unwrap();
                assert!(
                    (theirs - ours).abs() <= 0.01,
                    "{name} channel {i} {gnpy_key}: GNPy {theirs}, fibra {ours}"
                );
            }
        }
    }
}

#[test]
fn the_export_is_the_chain_span_by_span() {
    let link = read_link(Path::new("examples/links/andes-lima-huancayo.toml")).unwrap();
    let files = export_link(&link).unwrap();
    let elements = files.topology["elements"].as_array().unwrap();
    assert_eq!(elements.len(), 3 * link.spans.len() + 2);
    assert_eq!(elements[0]["uid"], files.source.as_str());
    assert_eq!(elements.last().unwrap()["uid"], files.destination.as_str());
    for (i, span) in link.spans.iter().enumerate() {
        let fiber = &elements[3 * i + 1];
        let fused = &elements[3 * i + 2];
        let edfa = &elements[3 * i + 3];
        assert_eq!(fiber["type"], "Fiber");
        assert_eq!(fiber["params"]["length"].as_f64(), Some(span.length_km));
        assert_eq!(
            fiber["params"]["con_in"].as_f64(),
            Some(span.connector_in_db)
        );
        assert_eq!(fused["params"]["loss"].as_f64(), Some(span.fused_loss_db()));
        assert_eq!(
            edfa["operational"]["gain_target"].as_f64(),
            Some(span.gain_db())
        );
        // GNPy's span loss is the fibra span loss, element by element.
        let loss = fiber["params"]["loss_coef"].as_f64().unwrap() * span.length_km
            + span.connector_in_db
            + span.connector_out_db
            + span.fused_loss_db();
        assert!((loss - span.loss_db()).abs() < 1e-9);
    }
    let connections = files.topology["connections"].as_array().unwrap();
    assert_eq!(connections.len(), elements.len() - 1);
    // GNPy counts floor((f_max − f_min)/spacing) + 1 channels.
    let si = &files.equipment["SI"][0];
    let count = ((si["f_max"].as_f64().unwrap() - si["f_min"].as_f64().unwrap())
        / si["spacing"].as_f64().unwrap())
    .floor() as usize
        + 1;
    assert_eq!(count, link.grid.channels);
    assert_eq!(si["power_dbm"].as_f64(), Some(link.launch_power_dbm));
    // The writer keeps every value and puts the YANG list keys first.
    let text = to_gnpy_json(&files.equipment);
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        files.equipment
    );
    assert!(files.warnings.is_empty(), "{:?}", files.warnings);
    let mut far = link.clone();
    far.spans[0].length_km = 1000.0;
    far.nli_model = fibra::budget::NliModel::Egn(fibra::budget::SignalFormat::DpQpsk);
    let warnings = export_link(&far).unwrap().warnings;
    assert!(warnings.iter().any(|w| w.contains("span[0] is 1000 km")));
    assert!(warnings.iter().any(|w| w.contains("EGN")));
    let edfa = text.find("\"Edfa\"").unwrap();
    assert!(text[edfa..].find("\"type_variety\"") < text[edfa..].find("\"f_max\""));
}

#[test]
fn the_command_writes_both_files_and_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_fibra"))
        .args(["gnpy", "export", "examples/links/single-span.toml", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    for file in ["topology.json", "eqpt_config.json"] {
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        serde_json::from_str::<Value>(&text).unwrap();
    }
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[signal]\nchannels = 0\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_fibra"))
        .args(["gnpy", "export"])
        .arg(&bad)
        .arg("--out")
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.toml"));
    // An --out that is a file is bad usage, named.
    let out = Command::new(env!("CARGO_BIN_EXE_fibra"))
        .args(["gnpy", "export", "examples/links/single-span.toml", "--out"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out"));
}
