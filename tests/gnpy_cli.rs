//! `fibra gnpy path` and `fibra gnpy matrix` from the command line: the JSON contract, endpoints
//! by city, `--through`, the matrix file against single paths, and bad input (exit 2 with one
//! line naming the file, the element and the key; exit 1 when no path exists).

mod common;

use std::path::{Path, PathBuf};

use common::{expect_exit, fibra, json_of};
use serde_json::Value;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/gnpy")
        .join(name)
}

fn path(topology: &str, args: &[&str]) -> std::process::Output {
    fibra()
        .args(["gnpy", "path"])
        .arg(example(topology))
        .arg("--equipment")
        .arg(example("eqpt_config.json"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_path_json_has_every_contract_key() {
    let doc = json_of(&path(
        "fused_roadm_example_network.json",
        &["--from", "trx Site_A", "--to", "trx Site_C", "--json"],
    ));
    for key in [
        "source",
        "destination",
        "elements",
        "design",
        "channels",
        "centre",
        "average",
        "cd_ps_nm",
        "pmd_ps",
        "elapsed_ms",
    ] {
        assert!(doc.get(key).is_some(), "{key}");
    }
    for key in ["fibers", "amplified_spans", "amplifiers", "length_km"] {
        assert!(doc["design"][key].is_number(), "design.{key}");
    }
    // Fibre 40 km + Fused 0.5 dB + fibre 50 km between a booster and a preamp: one span.
    assert_eq!(doc["design"]["fibers"], 2);
    assert_eq!(doc["design"]["amplified_spans"], 1);
    assert_eq!(doc["design"]["amplifiers"], 2);
    let channels = doc["channels"].as_array().unwrap();
    assert_eq!(channels.len(), 76);
    for key in [
        "frequency_thz",
        "signal_dbm",
        "osnr_ase_01nm_db",
        "snr_nli_db",
        "gsnr_db",
        "gsnr_01nm_db",
        "osnr_ase_01nm_incl_trx_db",
        "gsnr_incl_trx_db",
        "gsnr_01nm_incl_trx_db",
    ] {
        assert!(channels[0][key].is_number(), "channels[].{key}");
        assert!(
            doc["centre"][key].is_number() && doc["average"][key].is_number(),
            "{key}"
        );
    }
    assert_eq!(doc["centre"], channels[38]);
    let mean = channels
        .iter()
        .map(|c| c["gsnr_db"].as_f64().unwrap())
        .sum::<f64>()
        / 76.0;
    assert!((doc["average"]["gsnr_db"].as_f64().unwrap() - mean).abs() < 1e-9);
    // The 0.1 nm GSNR is the signal-bandwidth one plus 10·log10(32 GBd / 12.5 GHz).
    let c = &doc["centre"];
    let rebandwidth = 10.0 * (32.0f64 / 12.5).log10();
    assert!(
        (c["gsnr_01nm_db"].as_f64().unwrap() - c["gsnr_db"].as_f64().unwrap() - rebandwidth).abs()
            < 1e-9
    );
    let kinds: Vec<&str> = doc["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "Transceiver",
            "Roadm",
            "Edfa",
            "Fiber",
            "Fused",
            "Fiber",
            "Edfa",
            "Roadm",
            "Transceiver"
        ]
    );
    let booster = &doc["elements"][2];
    assert_eq!(booster["role"], "booster");
    assert_eq!(booster["added_by_design"], true);
    for key in ["type_variety", "gain_db", "nf_db", "delta_p_db"] {
        assert!(booster.get(key).is_some(), "Edfa {key}");
    }
    let fiber = &doc["elements"][3];
    for key in ["length_km", "loss_db", "att_in_db"] {
        assert!(fiber[key].is_number(), "Fiber {key}");
    }
    assert_eq!(fiber["split_from"], Value::Null);
    assert_eq!(doc["elements"][4]["loss_db"], 0.5);
    let roadm = &doc["elements"][1];
    assert_eq!(roadm["target_pch_out_dbm"], -20.0);
    assert_eq!(roadm["add_drop_osnr_db"], 38.0);
}

#[test]
fn endpoints_by_city_and_through_roadms() {
    // "Lannion_CAS" is the city of one transceiver.
    let by_uid = json_of(&path(
        "meshTopologyExampleV2.json",
        &[
            "--from",
            "trx Lannion_CAS",
            "--to",
            "trx Lorient_KMA",
            "--json",
        ],
    ));
    let by_city = json_of(&path(
        "meshTopologyExampleV2.json",
        &["--from", "Lannion_CAS", "--to", "trx Lorient_KMA", "--json"],
    ));
    assert_eq!(by_uid["channels"], by_city["channels"]);
    let roadms = |doc: &Value| -> Vec<String> {
        doc["elements"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] == "Roadm")
            .map(|e| e["uid"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(roadms(&by_uid), ["roadm Lannion_CAS", "roadm Lorient_KMA"]);
    // Through Rennes, GNPy (`-p "roadm Rennes_STA"`) goes Lannion → Rennes → Vannes → Lorient and
    // prints an average GSNR of 23.55 dB (0.1 nm) and OSNR 25.17 dB.
    let through = json_of(&path(
        "meshTopologyExampleV2.json",
        &[
            "--from",
            "trx Lannion_CAS",
            "--to",
            "trx Lorient_KMA",
            "--through",
            "roadm Rennes_STA",
            "--json",
        ],
    ));
    assert_eq!(
        roadms(&through),
        [
            "roadm Lannion_CAS",
            "roadm Rennes_STA",
            "roadm Vannes_KBE",
            "roadm Lorient_KMA"
        ]
    );
    let average = &through["average"];
    assert!((average["gsnr_01nm_incl_trx_db"].as_f64().unwrap() - 23.55).abs() < 0.005);
    assert!((average["osnr_ase_01nm_incl_trx_db"].as_f64().unwrap() - 25.17).abs() < 0.005);
}

#[test]
fn the_matrix_rows_are_the_single_paths() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.csv");
    let run = fibra()
        .args(["gnpy", "matrix"])
        .arg(example("meshTopologyExampleV2.json"))
        .arg("--equipment")
        .arg(example("eqpt_config.json"))
        .arg("--out")
        .arg(&out)
        .arg("--json")
        .output()
        .unwrap();
    let summary = json_of(&run);
    assert_eq!(summary["pairs"], 20);
    assert_eq!(summary["unreachable"], 0);
    let csv = std::fs::read_to_string(&out).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "source,destination,length_km,amplifiers,gsnr_01nm_incl_trx_db,osnr_ase_01nm_db"
    );
    let rows: Vec<Vec<String>> = lines
        .map(|l| {
            l.split(',')
                .map(|f| f.trim_matches('"').to_string())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 20);
    for row in rows.iter().step_by(7) {
        let doc = json_of(&path(
            "meshTopologyExampleV2.json",
            &["--from", &row[0], "--to", &row[1], "--json"],
        ));
        let gsnr: f64 = row[4].parse().unwrap();
        assert!((gsnr - doc["centre"]["gsnr_01nm_incl_trx_db"].as_f64().unwrap()).abs() < 1e-4);
        assert_eq!(row[3], doc["design"]["amplifiers"].to_string());
    }
}

#[test]
fn bad_networks_are_refused_naming_the_file_element_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let base: Value = serde_json::from_str(
        &std::fs::read_to_string(example("edfa_example_network.json")).unwrap(),
    )
    .unwrap();
    let edit = |name: &str, change: &dyn Fn(&mut Value)| -> PathBuf {
        let mut doc = base.clone();
        change(&mut doc);
        let file = dir.path().join(name);
        std::fs::write(&file, doc.to_string()).unwrap();
        file
    };
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            edit("dangling.json", &|d| {
                d["connections"]
                    .as_array_mut()
                    .unwrap()
                    .push(serde_json::json!({"from_node": "Edfa1", "to_node": "nowhere"}))
            }),
            "connections[3].to_node: \"nowhere\" is not an element",
        ),
        (
            edit("variety.json", &|d| {
                d["elements"][2]["type_variety"] = "no_such_amp".into()
            }),
            "elements[\"Edfa1\"].type_variety: \"no_such_amp\" is not in the equipment library",
        ),
        (
            edit("loss.json", &|d| {
                d["elements"][1]["params"]
                    .as_object_mut()
                    .unwrap()
                    .remove("loss_coef");
            }),
            "elements[\"Span1\"].params.loss_coef: is required",
        ),
        (
            edit("raman.json", &|d| {
                d["elements"][1]["type"] = "RamanFiber".into()
            }),
            "elements[\"Span1\"].type: RamanFiber is not supported",
        ),
        (
            edit("unknown.json", &|d| {
                d["elements"][1]["type"] = "Splitter".into()
            }),
            "elements[\"Span1\"].type: unknown element type \"Splitter\"",
        ),
        (
            edit("length.json", &|d| {
                d["elements"][1]["params"]["length"] = (-5.0).into()
            }),
            "elements[\"Span1\"].params.length: -5 is outside the allowed range",
        ),
        (
            edit("two-ways.json", &|d| {
                d["connections"]
                    .as_array_mut()
                    .unwrap()
                    .push(serde_json::json!({"from_node": "Span1", "to_node": "Site_A"}))
            }),
            "element \"Span1\": a Fiber has 2 outgoing connections",
        ),
    ];
    let malformed = dir.path().join("malformed.json");
    std::fs::write(&malformed, "{\"elements\": [").unwrap();
    for (file, fragment) in cases
        .iter()
        .map(|(f, m)| (f.clone(), *m))
        .chain([(malformed.clone(), "not valid JSON")])
    {
        let out = fibra()
            .args(["gnpy", "path"])
            .arg(&file)
            .arg("--equipment")
            .arg(example("eqpt_config.json"))
            .args(["--from", "Site_A", "--to", "Site_B"])
            .output()
            .unwrap();
        let stderr = expect_exit(&out, 2);
        assert!(out.stdout.is_empty());
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains(file.file_name().unwrap().to_str().unwrap()),
            "{stderr}"
        );
        assert!(stderr.contains(fragment), "{stderr}");
    }
    // An unknown endpoint lists the candidates; an unreachable one is exit 1.
    let stderr = expect_exit(
        &path(
            "edfa_example_network.json",
            &["--from", "Lima", "--to", "Site_B"],
        ),
        2,
    );
    assert!(
        stderr.contains("--from \"Lima\"") && stderr.contains("candidates: Site_A, Site_B"),
        "{stderr}"
    );
    let stderr = expect_exit(
        &path(
            "edfa_example_network.json",
            &["--from", "Site_B", "--to", "Site_A"],
        ),
        1,
    );
    assert!(stderr.contains("no path from Site_B to Site_A"), "{stderr}");
    // An equipment library without the amplifier fit GNPy needs.
    let eqpt = dir.path().join("eqpt.json");
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(example("eqpt_config.json")).unwrap())
            .unwrap();
    doc["Edfa"][10]["nf_min"] = 3.0.into();
    std::fs::write(&eqpt, doc.to_string()).unwrap();
    let out = fibra()
        .args(["gnpy", "path"])
        .arg(example("edfa_example_network.json"))
        .arg("--equipment")
        .arg(&eqpt)
        .args(["--from", "Site_A", "--to", "Site_B"])
        .output()
        .unwrap();
    let stderr = expect_exit(&out, 2);
    assert!(
        stderr.contains("eqpt.json") && stderr.contains("Edfa[10].nf_min"),
        "{stderr}"
    );
}

#[test]
fn an_emitted_link_is_the_path_in_fibra_budget() {
    // Every kind of path: no ROADM (edfa), ROADMs with splices between fibres (fused-roadm),
    // several ROADMs (mesh), 70 spans (CONUS), OpenROADM noiseless boosters (Sweden v5).
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "edfa_example_network.json",
            "eqpt_config.json",
            "Site_A",
            "Site_B",
        ),
        (
            "fused_roadm_example_network.json",
            "eqpt_config.json",
            "trx Site_A",
            "trx Site_C",
        ),
        (
            "meshTopologyExampleV2.json",
            "eqpt_config.json",
            "trx Brest_KLA",
            "trx Vannes_KBE",
        ),
        (
            "CORONET_CONUS_Topology.json",
            "eqpt_config.json",
            "trx Miami",
            "trx Seattle",
        ),
        (
            "Sweden_OpenROADMv5_example_network.json",
            "eqpt_config_openroadm_ver5.json",
            "trx_Malmö",
            "trx_Stockholm",
        ),
    ];
    let mut worst: f64 = 0.0;
    for (k, (topology, eqpt, from, to)) in cases.iter().enumerate() {
        let link = dir.path().join(format!("path{k}.toml"));
        let out = fibra()
            .args(["gnpy", "path"])
            .arg(example(topology))
            .arg("--equipment")
            .arg(example(eqpt))
            .args(["--from", from, "--to", to, "--json", "--emit-link"])
            .arg(&link)
            .output()
            .unwrap();
        let path = json_of(&out);
        let budget = json_of(
            &fibra()
                .arg("budget")
                .arg(&link)
                .arg("--json")
                .output()
                .unwrap(),
        );
        let (p, b) = (
            path["channels"].as_array().unwrap(),
            budget["channels"].as_array().unwrap(),
        );
        assert_eq!(p.len(), b.len(), "{topology}");
        for (pc, bc) in p.iter().zip(b) {
            for (pk, bk) in [
                ("gsnr_incl_trx_db", "gsnr_db"),
                ("osnr_ase_01nm_db", "osnr_ase_db"),
            ] {
                let d = (pc[pk].as_f64().unwrap() - bc[bk].as_f64().unwrap()).abs();
                worst = worst.max(d);
                assert!(
                    d <= 0.01,
                    "{topology} {pk}: path {}, budget {}",
                    pc[pk],
                    bc[bk]
                );
            }
        }
        assert_eq!(
            budget["summary"]["feasible"], true,
            "{topology}: {}",
            budget["summary"]
        );
    }
    println!("largest |gnpy path − fibra budget of the emitted link| {worst:.1e} dB");
}

#[test]
fn the_path_charts_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = path(
        "meshTopologyExampleV2.json",
        &[
            "--from",
            "trx Brest_KLA",
            "--to",
            "trx Vannes_KBE",
            "--plot",
        ],
    );
    // --plot needs its directory.
    expect_exit(&out, 2);
    let out = fibra()
        .args(["gnpy", "path"])
        .arg(example("meshTopologyExampleV2.json"))
        .arg("--equipment")
        .arg(example("eqpt_config.json"))
        .args([
            "--from",
            "trx Brest_KLA",
            "--to",
            "trx Vannes_KBE",
            "--plot",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    expect_exit(&out, 0);
    for chart in ["power.png", "osnr.png", "cd.png", "channels.png"] {
        let bytes = std::fs::read(dir.path().join(chart)).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
            "{chart}"
        );
    }
}

#[test]
fn link_files_with_roadms_and_unamplified_spans_are_checked() {
    let head = "[signal]\nchannels = 4\nspacing_ghz = 50.0\ncenter_thz = 193.1\nsymbol_rate_gbaud = 32.0\nlaunch_power_dbm = 0.0\n";
    let two = |first: &str, second: &str| {
        format!("{head}[[span]]\nlength_km = 40.0\n{first}\n[[span]]\nlength_km = 50.0\n{second}\n")
    };
    let cases = vec![
        (two("amplifier = false\namplifier_nf_db = 5.0", "amplifier_gain_db = 18.0"), "span[0].amplifier_nf_db", "amplifier = false"),
        (two("amplifier = false", ""), "span[1].amplifier_gain_db", "after a span with amplifier = false"),
        (two("roadm = { pmd_ps = 0.0 }", ""), "span[0].roadm.target_power_dbm", "missing"),
        (two("roadm = { target_power_dbm = -20.0, booster_gain_db = 20.0 }", ""), "span[0].roadm.booster_nf_db", "missing"),
        (two("roadm = { target_power_dbm = -20.0, booster_gain_db = 20.0, booster_nf_db = 5.0, booster_noiseless = true }", ""), "span[0].roadm.booster_nf_db", "not both"),
        (two("roadm = { target_power_dbm = -20.0, booster_nf_db = 5.0 }", ""), "span[0].roadm.booster_nf_db", "without booster_gain_db"),
        (two("roadm = { target_power_dbm = -20.0, booster_gain_db = 20.0, booster_nf_db = 5.0, booster_saturates = true }", ""), "span[0].roadm.booster_saturates", "booster_max_output_dbm"),
        (format!("{head}[defaults]\namplifier = false\n[[span]]\nlength_km = 40.0\n"), "defaults.amplifier", "a [[span]] key only"),
        (format!("{head}[start_roadm]\ntarget_power_dbm = 99.0\n[[span]]\nlength_km = 40.0\n"), "start_roadm.target_power_dbm", "99"),
    ];
    common::assert_rejected("budget", "link.toml", &cases);
    // A well-formed one: the ROADM after span 0 takes the channels to −20 dBm and a booster of
    // 20 dB restores 0 dBm; span 0's amplifier saturates at its limit.
    let dir = tempfile::tempdir().unwrap();
    let file = common::write(
        dir.path(),
        "ok.toml",
        &two(
            "amplifier_gain_db = 8.0\namplifier_max_output_dbm = 6.0\namplifier_saturates = true\nroadm = { target_power_dbm = -20.0, booster_gain_db = 20.0, booster_nf_db = 5.0 }",
            "",
        ),
    );
    let doc = json_of(
        &fibra()
            .arg("budget")
            .arg(&file)
            .arg("--json")
            .output()
            .unwrap(),
    );
    let spans = doc["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 3, "span 0, the booster, span 1");
    // 4 channels at 0 dBm (6.02 dBm in total) lose 8 dB: 8 dB of gain would give 6.02 dBm, above
    // the 6 dBm limit, so the amplifier gives 7.98 dB.
    assert!(
        (spans[0]["gain_db"].as_f64().unwrap() - (8.0 - (10.0 * 4f64.log10() - 6.0))).abs() < 0.01
    );
    assert!(
        (spans[1]["output_power_dbm"].as_f64().unwrap() - 0.0).abs() < 0.01,
        "{}",
        spans[1]
    );
}

#[test]
fn a_noise_model_beyond_numbers_is_refused_not_reported() {
    // An OpenROADM mask with an absurd coefficient gives NF ≈ 10^55 dB: no NaN may come out.
    let dir = tempfile::tempdir().unwrap();
    let mut doc: Value = serde_json::from_str(
        &std::fs::read_to_string(example("eqpt_config_openroadm_ver5.json")).unwrap(),
    )
    .unwrap();
    let amps = doc["Edfa"].as_array_mut().unwrap();
    for amp in amps.iter_mut() {
        if amp["type_def"] == "openroadm" {
            amp["nf_coef"][1] = (-6.25e52).into();
        }
    }
    let eqpt = dir.path().join("eqpt.json");
    std::fs::write(&eqpt, doc.to_string()).unwrap();
    let topology = example("Sweden_OpenROADMv5_example_network.json");
    let out = fibra()
        .args(["gnpy", "path"])
        .arg(&topology)
        .arg("--equipment")
        .arg(&eqpt)
        .args([
            "--from",
            "trx_Stockholm",
            "--to",
            "trx_Gothenburg",
            "--json",
        ])
        .output()
        .unwrap();
    let stderr = expect_exit(&out, 2);
    assert!(out.stdout.is_empty());
    assert!(stderr.contains("its noise-figure model gives"), "{stderr}");
    let csv = dir.path().join("m.csv");
    let out = fibra()
        .args(["gnpy", "matrix"])
        .arg(&topology)
        .arg("--equipment")
        .arg(&eqpt)
        .arg("--out")
        .arg(&csv)
        .output()
        .unwrap();
    let stderr = expect_exit(&out, 2);
    assert!(
        stderr.contains("pairs have no numbers (nothing written)"),
        "{stderr}"
    );
    assert!(!csv.exists());
}

#[test]
fn networks_beyond_the_bounds_are_refused_before_the_work() {
    // 2,500 fibres of 40,000 km would split into 1.1 million: refused, naming the rule.
    let dir = tempfile::tempdir().unwrap();
    let mut elements = vec![
        serde_json::json!({"uid": "A", "type": "Transceiver"}),
        serde_json::json!({"uid": "B", "type": "Transceiver"}),
    ];
    let mut connections = Vec::new();
    let mut previous = "A".to_string();
    for k in 0..2500 {
        let uid = format!("f{k}");
        elements.push(
            serde_json::json!({"uid": uid, "type": "Fiber", "type_variety": "SSMF",
            "params": {"length": 40000, "length_units": "km", "loss_coef": 0.2}}),
        );
        connections.push(serde_json::json!({"from_node": previous, "to_node": uid}));
        previous = uid;
    }
    connections.push(serde_json::json!({"from_node": previous, "to_node": "B"}));
    let topology = dir.path().join("long.json");
    std::fs::write(
        &topology,
        serde_json::json!({"elements": elements, "connections": connections}).to_string(),
    )
    .unwrap();
    let out = fibra()
        .args(["gnpy", "path"])
        .arg(&topology)
        .arg("--equipment")
        .arg(example("eqpt_config.json"))
        .args(["--from", "A", "--to", "B"])
        .output()
        .unwrap();
    let stderr = expect_exit(&out, 2);
    assert!(
        stderr.contains("long.json") && stderr.contains("makes 1110000 fibres; at most 1000000"),
        "{stderr}"
    );
}
