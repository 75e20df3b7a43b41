//! fibra against GNPy 3.0.1 on GNPy's own example networks: for every stored case
//! (`reference/gnpy/networks/*.jsonl`, made by `scripts/gnpy-crosscheck.sh --regenerate`; the
//! cases are in `scripts/gnpy_network_cases.py`), the designed path must be GNPy's (the same
//! elements in the same order, the same amplifier types, gains and Δp within 0.01 dB, the same
//! padding) and every channel's line GSNR, OSNR (0.1 nm) and GSNR with the transceivers (0.1 nm)
//! within 0.01 dB of GNPy's (the issue asks 0.05, aims at 0.01; the largest deviations are printed).

use std::collections::HashSet;
use std::path::Path;

use fibra::budget::NliCache;
use fibra::gnpy::{constrained_path, design_network, find_transceiver, propagate_path};
use fibra::io::gnpy_import::{read_equipment, read_topology};
use serde_json::Value;

const GAIN_TOLERANCE_DB: f64 = 0.01;
const SNR_TOLERANCE_DB: f64 = 0.01;

fn f(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}"))
}

#[test]
fn every_stored_gnpy_case_is_designed_and_propagated_as_gnpy_does() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(dir.join("reference/gnpy/networks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let stored = files.len();
    let mut networks = HashSet::new();
    let mut worst = [0.0f64; 3];
    let mut cases = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines() {
            let case: Value = serde_json::from_str(line).unwrap();
            let name = format!(
                "{} {} → {}",
                file.file_name().unwrap().to_string_lossy(),
                case["source"],
                case["destination"]
            );
            let examples = dir.join("examples/gnpy");
            let mut equipment =
                read_equipment(&examples.join(case["equipment"].as_str().unwrap())).unwrap();
            if case["gain_mode"].as_bool().unwrap() {
                equipment.span.power_mode = false;
            }
            let topology = read_topology(
                &examples.join(case["topology"].as_str().unwrap()),
                &equipment,
            )
            .unwrap();
            networks.insert(case["topology"].as_str().unwrap().to_string());
            let power = case["power_dbm"]
                .as_f64()
                .unwrap_or(equipment.spectrum.power_dbm);
            let net = design_network(&topology, &equipment, power).unwrap();
            let source = find_transceiver(&net, case["source"].as_str().unwrap()).unwrap();
            let destination =
                find_transceiver(&net, case["destination"].as_str().unwrap()).unwrap();
            let path = constrained_path(&net, source, destination, &[]).map(|p| p.elements);
            if case["unreachable"].as_bool() == Some(true) {
                assert!(path.is_none(), "{name}: GNPy finds no path");
                cases += 1;
                continue;
            }
            let path = path.unwrap_or_else(|| panic!("{name}: no path"));
            let result = propagate_path(&net, &path, &equipment, &mut NliCache::new()).unwrap();
            // The designed path.
            let expected = case["elements"].as_array().unwrap();
            let uids: Vec<&str> = result.elements.iter().map(|e| e.uid.as_str()).collect();
            let gnpy_uids: Vec<&str> = expected
                .iter()
                .map(|e| e["uid"].as_str().unwrap())
                .collect();
            assert_eq!(uids, gnpy_uids, "{name}: the path's elements");
            for (mine, gnpy) in result.elements.iter().zip(expected) {
                assert_eq!(mine.kind, gnpy["type"].as_str().unwrap(), "{name}");
                match mine.kind {
                    "Edfa" => {
                        assert_eq!(
                            mine.type_variety.as_deref(),
                            gnpy["type_variety"].as_str(),
                            "{name}: {}",
                            mine.uid
                        );
                        let gain = mine.gain_db.unwrap();
                        assert!(
                            (gain - f(gnpy, "gain_db")).abs() <= GAIN_TOLERANCE_DB,
                            "{name}: {} gain {gain} vs GNPy {}",
                            mine.uid,
                            gnpy["gain_db"]
                        );
                        match (mine.delta_p_db.unwrap(), gnpy["delta_p_db"].as_f64()) {
                            (Some(a), Some(b)) => assert!(
                                (a - b).abs() <= GAIN_TOLERANCE_DB,
                                "{name}: {} Δp {a} vs {b}",
                                mine.uid
                            ),
                            (None, None) => {}
                            other => panic!("{name}: {} Δp {other:?}", mine.uid),
                        }
                    }
                    "Fiber" => {
                        for (key, value) in [
                            ("loss_db", mine.loss_db.unwrap()),
                            ("att_in_db", mine.att_in_db.unwrap()),
                            ("length_km", mine.length_km.unwrap()),
                        ] {
                            assert!(
                                (value - f(gnpy, key)).abs() <= GAIN_TOLERANCE_DB,
                                "{name}: {} {key} {value} vs GNPy {}",
                                mine.uid,
                                gnpy[key]
                            );
                        }
                    }
                    "Fused" => assert!((mine.loss_db.unwrap() - f(gnpy, "loss_db")).abs() < 1e-9),
                    _ => {}
                }
            }
            // The receiver, channel by channel (stored as one list per value).
            let channels = &case["channels"];
            let column = |key: &str| -> Vec<f64> {
                channels[key]
                    .as_array()
                    .unwrap_or_else(|| panic!("{name}: channels.{key}"))
                    .iter()
                    .map(|v| v.as_f64().unwrap())
                    .collect()
            };
            let count = column("gsnr_db").len();
            assert_eq!(result.channels.len(), count, "{name}: channel count");
            for (k, key) in ["gsnr_db", "osnr_ase_01nm_db", "gsnr_01nm_incl_trx_db"]
                .into_iter()
                .enumerate()
            {
                for (mine, gnpy) in result.channels.iter().zip(column(key)) {
                    let value = match key {
                        "gsnr_db" => mine.gsnr_db,
                        "osnr_ase_01nm_db" => mine.osnr_ase_01nm_db,
                        _ => mine.gsnr_01nm_incl_trx_db,
                    };
                    let d = (value - gnpy).abs();
                    worst[k] = worst[k].max(d);
                    assert!(
                        d <= SNR_TOLERANCE_DB,
                        "{name}: {key} at {} THz: fibra {value}, GNPy {gnpy}",
                        mine.frequency_thz
                    );
                }
            }
            cases += 1;
        }
    }
    println!(
        "{cases} paths: largest |fibra − GNPy| GSNR {:.1e} dB, OSNR {:.1e} dB, GSNR incl. transceivers {:.1e} dB",
        worst[0], worst[1], worst[2]
    );
    assert!(stored >= 21, "7 networks × 3 cases stored");
    assert_eq!(networks.len(), 7, "every example network has cases");
}
