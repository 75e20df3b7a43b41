//! `fibra network`: a synthetic network with a hand-computed answer, the bundled Peru backbone,
//! and CSV errors.

mod common;

use common::fibra;
use std::path::{Path, PathBuf};

/// Line A–B–C–D (120, 100, 80 km) and a second route A–E–D (130 + 130 km) whose two links share a
/// duct. Fibre SSMF with zero slope: CD = 16.7 ps/(nm·km) × L. The transceiver tolerates
/// 4,000 ps/nm, i.e. 239.5 km transparent, and has no OSNR requirement, so by hand:
/// A→D shortest is A–E–D, 260 km (4,342 ps/nm > 4,000): one regenerator, at E.
/// With A–E cut: A–B–C–D, 300 km, one regenerator (B: 120 + 180 km, or C: 220 + 80 km).
fn synthetic(dir: &Path) -> PathBuf {
    std::fs::write(dir.join("nodes.csv"), "name,lat,lon,alt_m\nA,-12.0,-77.0,100\nB,-12.5,-76.5,200\nC,-13.0,-76.0,300\nD,-13.5,-75.5,400\nE,-12.2,-75.8,500\n").unwrap();
    std::fs::write(
        dir.join("links.csv"),
        "a,b,route_km,terrain,corridors\nA,B,120,coast,\nB,C,100,coast,\nC,D,80,coast,\nA,E,130,andes,east\nE,D,130,andes,east\n",
    )
    .unwrap();
    let toml = "name = \"synthetic\"\nnodes = \"nodes.csv\"\nlinks = \"links.csv\"\ndefault_transceiver = \"CD-LIMITED\"\n\
        [signal]\nchannels = 8\nspacing_ghz = 50\ncenter_thz = 193.1\nsymbol_rate_gbaud = 32\nlaunch_power_dbm = 0\n\
        [defaults]\ndispersion_slope_ps_nm2_km = 0.0\n\
        [constraints]\nmax_span_loss_db = 22\nsite_spacing_km = 10\n\
        [transceivers.CD-LIMITED]\nrequired_osnr_db = 0\nsystem_margin_db = 0\ncd_tolerance_ps_nm = 4000\npmd_tolerance_ps = 100\nsymbol_rate_gbaud = 32\nspacing_ghz = 50\n";
    let path = dir.join("network.toml");
    std::fs::write(&path, toml).unwrap();
    path
}

fn json(args: &[&str], file: &Path) -> (Option<i32>, serde_json::Value) {
    let out = fibra().args(args).arg(file).output().unwrap();
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), doc)
}

#[test]
fn synthetic_network_matches_the_hand_computed_answer() {
    let dir = tempfile::tempdir().unwrap();
    let file = synthetic(dir.path());
    let (code, doc) = json(&["network", "--json", "--path", "A", "D"], &file);
    assert_eq!(code, Some(0));
    let links = doc["links"].as_array().unwrap();
    assert_eq!(links.len(), 5);
    for key in [
        "a",
        "b",
        "route_km",
        "spans",
        "amplifiers",
        "worst_gsnr_db",
        "margin_db",
        "feasible",
    ] {
        assert!(!links[0][key].is_null(), "links[].{key}");
    }
    // 120 km at 0.2 dB/km = 24 dB > 22 dB: two spans, one amplifier.
    assert_eq!(links[0]["spans"], 2);
    assert_eq!(links[0]["amplifiers"], 1);
    let path = &doc["path"];
    assert_eq!(path["path"], serde_json::json!(["A", "E", "D"]));
    assert_eq!(path["length_km"], 260.0);
    assert_eq!(path["regenerators"], serde_json::json!(["E"]));
    let sections = path["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 2);
    assert!((sections[0]["summary"]["cd_ps_nm"].as_f64().unwrap() - 16.7 * 130.0).abs() < 1e-6);

    // Cut A–E: the route goes round by B and C, 300 km, still one regenerator.
    let (_, doc) = json(
        &["network", "--json", "--path", "A", "D", "--cut", "A-E"],
        &file,
    );
    assert_eq!(doc["path"]["path"], serde_json::json!(["A", "B", "C", "D"]));
    assert_eq!(doc["path"]["length_km"], 300.0);
    assert_eq!(doc["path"]["regenerators"].as_array().unwrap().len(), 1);
    let longer: Vec<(String, String)> = doc["cut"]["longer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["a"].as_str().unwrap().into(),
                p["b"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(longer.contains(&("A".into(), "D".into())), "{longer:?}");

    // A cut of the shared corridor takes both A–E and E–D: E is isolated.
    let (_, doc) = json(&["network", "--json", "--cut-corridor", "east"], &file);
    let cut = &doc["cut"];
    assert_eq!(cut["cut_links"], serde_json::json!(["A-E", "E-D"]));
    let lost: Vec<&str> = cut["lost_connectivity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["b"].as_str().unwrap())
        .collect();
    assert_eq!(lost, ["E", "E", "E", "E"]);

    // E as a junction (no regenerator there): the path must go round by B and C.
    std::fs::write(
        dir.path().join("nodes.csv"),
        "name,lat,lon,alt_m,kind\nA,-12.0,-77.0,100,node\nB,-12.5,-76.5,200,node\nC,-13.0,-76.0,300,node\nD,-13.5,-75.5,400,node\nE,-12.2,-75.8,500,junction\n",
    )
    .unwrap();
    let (_, doc) = json(&["network", "--json", "--path", "A", "D"], &file);
    assert_eq!(doc["path"]["length_km"], 300.0);
    assert_ne!(doc["path"]["regenerators"], serde_json::json!(["E"]));

    // A pair that cannot be joined: exit 1 with a clear answer.
    let out = fibra()
        .args(["network", "--path", "A", "E", "--cut-corridor", "east"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not connected"));
}

fn peru() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/peru/trunk-only.toml")
}

#[test]
fn peru_all_capitals_reachable_but_iquitos_and_corridor_cuts() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = dir.path().join("matrix.csv");
    let (code, doc) = json(
        &[
            "network",
            "--json",
            "--all-pairs",
            "--matrix",
            matrix.to_str().unwrap(),
        ],
        &peru(),
    );
    assert_eq!(code, Some(0));
    assert_eq!(
        doc["excluded_links"],
        serde_json::json!(["Moyobamba-Iquitos"])
    );
    assert_eq!(doc["links"].as_array().unwrap().len(), 30);
    let pairs = doc["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 25 * 24 / 2);
    for p in pairs {
        let iquitos = p["a"] == "Iquitos" || p["b"] == "Iquitos";
        assert_eq!(p["reachable"].as_bool().unwrap(), !iquitos, "{p}");
    }
    let csv = std::fs::read_to_string(&matrix).unwrap();
    assert_eq!(csv.lines().count(), 26);

    // Lima - Santa Anita is one duct for Lima-Cerro de Pasco and Lima-Huancayo.
    let (_, doc) = json(
        &[
            "network",
            "--json",
            "--cut-corridor",
            "Lima~Santa Anita (km 0)",
        ],
        &peru(),
    );
    assert_eq!(
        doc["cut"]["cut_links"],
        serde_json::json!(["Lima-Cerro de Pasco", "Lima-Huancayo"])
    );
}

#[test]
fn csv_errors_name_file_line_and_column() {
    let cases: [(&str, &str, &str, &str); 8] = [
        (
            "links.csv",
            "a,b,route_km,fiber\nA,B,120,G652\n",
            "links.csv: line 2, column 4 (fiber)",
            "unknown fibre type `G652`",
        ),
        (
            "nodes.csv",
            "name,lat,lon,kind\nA,-12,-77,node\nB,-12.5,-76.5,hub\n",
            "nodes.csv: line 3, column 4 (kind)",
            "unknown kind `hub`",
        ),
        (
            "links.csv",
            "a,b,route_km\nA,B,120\nA,Q,50\n",
            "links.csv: line 3, column 2 (b)",
            "unknown node `Q`",
        ),
        (
            "nodes.csv",
            "name,lat,lon\nA,-12,-77\nB,-12.5,-76.5\nA,-13,-76\n",
            "nodes.csv: line 4, column 1 (name)",
            "duplicate node `A`",
        ),
        (
            "nodes.csv",
            "name,lat,lon\nA,-12,-77\nB,-95,-76.5\n",
            "nodes.csv: line 3, column 2 (lat)",
            "from -90 to 90",
        ),
        (
            "links.csv",
            "a,route_km\nA,120\n",
            "links.csv: line 1",
            "missing column `b`",
        ),
        (
            "nodes.csv",
            "name,lat,lon,population\nA,-12,-77,1000\nB,-12.5,-76.5,-5\n",
            "nodes.csv: line 3, column 4 (population)",
            "from 0 to 1000000000",
        ),
        (
            "nodes.csv",
            "name,lat,lon,international\nA,-12,-77,yes\nB,-12.5,-76.5,maybe\n",
            "nodes.csv: line 3, column 4 (international)",
            "expected yes or no",
        ),
    ];
    for (file, text, location, message) in cases {
        let dir = tempfile::tempdir().unwrap();
        let network = synthetic(dir.path());
        std::fs::write(
            dir.path().join("nodes.csv"),
            "name,lat,lon\nA,-12,-77\nB,-12.5,-76.5\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("links.csv"), "a,b,route_km\nA,B,120\n").unwrap();
        std::fs::write(dir.path().join(file), text).unwrap();
        let out = fibra().arg("network").arg(&network).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(location) && stderr.contains(message),
            "{location} / {message}: {stderr}"
        );
    }
}

#[test]
fn the_geojson_parses_back_with_lines_from_node_to_node_in_lon_lat_order() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("peru.geojson");
    let network = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/peru/trunk-only.toml");
    let status = fibra()
        .arg("network")
        .arg(&network)
        .args(["--quiet", "--include-hypothetical", "--geojson"])
        .arg(&out)
        .output()
        .unwrap();
    common::expect_exit(&status, 0);
    let text = std::fs::read_to_string(&out).unwrap();
    let collection: geojson::FeatureCollection = text.parse().unwrap();
    let position = |p: &geojson::Position| (p[0], p[1]);
    let mut nodes = std::collections::HashMap::new();
    let mut lines = Vec::new();
    for feature in &collection.features {
        let properties = feature.properties.as_ref().unwrap();
        match &feature.geometry.as_ref().unwrap().value {
            geojson::GeometryValue::Point { coordinates } => {
                let name = properties["name"].as_str().unwrap().to_string();
                nodes.insert(name, position(coordinates));
            }
            geojson::GeometryValue::LineString { coordinates } => {
                lines.push((properties.clone(), coordinates.clone()));
            }
            other => panic!("unexpected geometry {other:?}"),
        }
    }
    // 25 capitals; 31 links with the hypothetical Moyobamba–Iquitos.
    assert_eq!((nodes.len(), lines.len()), (25, 31));
    for (properties, coordinates) in &lines {
        let (a, b) = (
            properties["a"].as_str().unwrap(),
            properties["b"].as_str().unwrap(),
        );
        assert_eq!(position(&coordinates[0]), nodes[a], "{a}-{b} starts at {a}");
        assert_eq!(
            position(coordinates.last().unwrap()),
            nodes[b],
            "{a}-{b} ends at {b}"
        );
        // RFC 7946 order: longitude first (Peru: 82–68° W, 0–19° S).
        for p in coordinates {
            let (lon, lat) = position(p);
            assert!(
                (-82.0..=-68.0).contains(&lon) && (-19.0..=0.0).contains(&lat),
                "{lon}, {lat}"
            );
        }
        assert!(properties["route_km"].as_f64().unwrap() > 0.0);
        assert!(properties.contains_key("margin_db") && properties.contains_key("feasible"));
    }
    // The links pass their waypoints: more points than two per link.
    let points: usize = lines.iter().map(|(_, c)| c.len()).sum();
    assert!(points > 3 * lines.len(), "{points} points");
}

#[test]
fn every_single_cut_is_listed_worst_first_and_a_leaf_cut_isolates_its_leaf() {
    let network = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/peru/trunk-only.toml");
    let out = fibra()
        .arg("network")
        .arg(&network)
        .args(["--all-cuts", "--json"])
        .output()
        .unwrap();
    let doc = common::json_of(&out);
    let cuts = doc["all_cuts"].as_array().unwrap();
    // 11 corridor tags + 14 untagged links of the 30 in service.
    assert_eq!(cuts.len(), 25);
    let key = |c: &serde_json::Value| {
        (
            c["lost_connectivity"].as_u64().unwrap(),
            c["more_regenerators"].as_u64().unwrap(),
            c["longer"].as_u64().unwrap(),
        )
    };
    assert!(
        cuts.windows(2).all(|w| key(&w[0]) >= key(&w[1])),
        "worst first"
    );
    // Puerto Maldonado hangs on one link: cutting it loses its pairs with the 23 other
    // connected capitals and leaves it isolated.
    let leaf = cuts
        .iter()
        .find(|c| c["cut"] == "Cusco-Puerto Maldonado")
        .unwrap();
    assert_eq!(leaf["lost_connectivity"], 23);
    assert_eq!(leaf["isolated"], serde_json::json!(["Puerto Maldonado"]));
    // A corridor cut takes every link tagged with it.
    let duct = cuts
        .iter()
        .find(|c| c["cut"] == "Lima~Santa Anita (km 0)")
        .unwrap();
    assert_eq!(duct["links"].as_array().unwrap().len(), 2);
}
