//! The EGN budget (issue 19): what it must equal, what it must never do, and its input checks.

use fibra::budget::{BudgetPlan, BudgetReport, Link, NliModel, SignalFormat};
use fibra::io::{parse_link, read_link};
use std::path::Path;
use std::process::Command;

fn bundled() -> Link {
    read_link(Path::new("examples/links/andes-lima-huancayo.toml")).unwrap()
}

fn budget(link: &Link, model: NliModel) -> BudgetReport {
    let mut link = link.clone();
    link.nli_model = model;
    BudgetPlan::new(&link).run()
}

/// A Gaussian signal is what the GN model assumes: EGN for it is GN, to the bit.
#[test]
fn gaussian_egn_equals_gn_exactly() {
    let link = bundled();
    let gn = budget(&link, NliModel::Gn);
    let egn = budget(&link, NliModel::Egn(SignalFormat::Gaussian));
    assert_eq!(gn.channels, egn.channels);
    assert_eq!(gn.spans, egn.spans);
    assert_eq!(egn.summary.nli_model, "egn");
    assert_eq!(gn.summary.nli_model, "gn");
}

/// The smaller the constellation's kurtosis, the less NLI: QPSK < 16-QAM < 64-QAM < Gaussian, on
/// every channel; ASE is untouched.
#[test]
fn less_nli_the_further_from_gaussian() {
    let link = bundled();
    let reports: Vec<BudgetReport> = [
        SignalFormat::DpQpsk,
        SignalFormat::Dp16Qam,
        SignalFormat::Dp64Qam,
        SignalFormat::Gaussian,
    ]
    .into_iter()
    .map(|f| budget(&link, NliModel::Egn(f)))
    .collect();
    for pair in reports.windows(2) {
        for (a, b) in pair[0].channels.iter().zip(&pair[1].channels) {
            assert!(a.snr_nli_db > b.snr_nli_db + 0.05, "{a:?} {b:?}");
            assert!((a.osnr_ase_db - b.osnr_ase_db).abs() < 0.01);
        }
    }
}

/// One channel alone on a uniform link gets the numerical EGN self-channel integral of the whole
/// link, `γ²·P³·(D + Φ(E+F) + ΨG)` for n spans, added by the walk span by span: relative to the GN
/// model's `n·η·P³` to 0.05 dB (the effect is −1.2 dB over 5 spans, +1.5 dB over 40; the exact
/// span-by-span sum at constant power is a unit test of `budget::egn`). Not closer here: the
/// in-band power that drives each span's NLI grows with the ASE along the link, and the coherent
/// increments weight the later spans more than `n·η` does (0.03 dB over 40 spans at −3 dBm). For QPSK it is below the GN
/// model's incoherent sum over 5 spans, and above it over 40 (coherent accumulation).
#[test]
fn a_single_channel_gets_the_self_channel_integral_of_its_link() {
    use fibra::budget::{SelfChannelTerms, UniformSpans};
    use fibra::units;
    for (spans, below_gn) in [(5usize, true), (40, false)] {
        let mut text = String::from(
            "name = \"uniform\"\n[signal]\nchannels = 1\nspacing_ghz = 50.0\ncenter_thz = 193.1\nsymbol_rate_gbaud = 32.0\nlaunch_power_dbm = -3.0\n[defaults]\nfiber = \"SSMF\"\namplifier_nf_db = 5.0\n",
        );
        for _ in 0..spans {
            text.push_str("[[span]]\nlength_km = 80.0\n");
        }
        let link = parse_link(&text).unwrap();
        let gn = budget(&link, NliModel::Gn);
        let egn = budget(&link, NliModel::Egn(SignalFormat::DpQpsk));
        let fiber = &link.spans[0].fiber;
        let f = 193.1e12;
        let terms = SelfChannelTerms::integrate(
            UniformSpans {
                alpha_per_m: units::per_km_to_per_m(fiber.alpha_per_km()),
                beta2_s2_per_m: units::ps2_per_km_to_s2_per_m(fiber.beta2_ps2_per_km_at(f)),
                length_m: 80e3,
                spans,
            },
            32e9,
        );
        let gamma = units::per_km_to_per_m(fiber.gamma_per_w_km_at(f));
        let leff = units::km_to_m(fibra::fiber::effective_length_km(
            fiber.alpha_per_km(),
            80.0,
        ));
        let eta_gn = fibra::budget::gn_nli_coefficients(fiber, &link.grid).eta_per_w2(0, 0, leff);
        let expected_db =
            10.0 * (gamma * gamma * terms.combined_m2(-1.0, 4.0) / (spans as f64 * eta_gn)).log10();
        let got_db = gn.channels[0].snr_nli_db - egn.channels[0].snr_nli_db;
        assert!(
            (got_db - expected_db).abs() < 0.05,
            "{spans}: {got_db} vs {expected_db}"
        );
        assert_eq!(
            egn.channels[0].snr_nli_db > gn.channels[0].snr_nli_db,
            below_gn,
            "{spans}"
        );
    }
}

/// Short spans leave the closed form's validity: the correction is limited there, with a warning,
/// and the EGN GSNR is finite, not below the GN one (QPSK over short spans), and not above the
/// channel's own self-channel NLI under EGN.
#[test]
fn short_spans_are_limited_and_said_so() {
    let text = std::fs::read_to_string("examples/links/andes-lima-huancayo.toml")
        .unwrap()
        .replace("launch_power_dbm = 1.0", "launch_power_dbm = 4.0");
    let mut link = parse_link(&text).unwrap();
    for span in &mut link.spans {
        span.length_km = 8.0;
    }
    let gn = budget(&link, NliModel::Gn);
    let egn = budget(&link, NliModel::Egn(SignalFormat::DpQpsk));
    assert!(egn
        .summary
        .warnings
        .iter()
        .any(|w| w.contains("EGN correction was limited")));
    let mut alone = link.clone();
    alone.grid.channels = 1;
    let sci_only = budget(&alone, NliModel::Egn(SignalFormat::DpQpsk));
    for (g, e) in gn.channels.iter().zip(&egn.channels) {
        assert!(e.gsnr_db.is_finite() && e.snr_nli_db.is_finite());
        assert!(e.snr_nli_db >= g.snr_nli_db);
    }
    let center = link.grid.center_index();
    assert!(egn.channels[center].snr_nli_db <= sci_only.channels[0].snr_nli_db + 1e-9);
}

fn fibra(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_fibra"))
        .args(args)
        .output()
        .unwrap()
}

fn with_signal_lines(lines: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string("examples/links/andes-lima-huancayo.toml")
        .unwrap()
        .replace(
            "launch_power_dbm = 1.0",
            &format!("launch_power_dbm = 1.0\n{lines}"),
        );
    let dir = tempfile::tempdir().unwrap().keep();
    let path = dir.join("link.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn bad_nli_settings_exit_2_naming_the_key() {
    for (lines, key, words) in [
        (
            "nli_model = \"ssfm\"",
            "signal.nli_model",
            "allowed: gn, egn",
        ),
        (
            "nli_model = \"egn\"",
            "signal.modulation",
            "needs the modulation",
        ),
        (
            "nli_model = \"egn\"\nmodulation = \"ook-nrz\"",
            "signal.modulation",
            "allowed: dp-qpsk, dp-16qam, dp-64qam, gaussian",
        ),
    ] {
        let path = with_signal_lines(lines);
        let out = fibra(&["budget", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{lines}: {stderr}");
        assert!(stderr.contains(key) && stderr.contains(words), "{stderr}");
    }
    // A SYSTEM with a direct-detected format cannot ask for the coherent correction.
    let system = std::fs::read_to_string("examples/systems/ook-10g-nrz.toml").unwrap();
    let system = system.replacen("[signal]\n", "[signal]\nnli_model = \"egn\"\n", 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("system.toml");
    std::fs::write(&path, system).unwrap();
    let out = fibra(&["simulate", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("signal.modulation") && stderr.contains("not one"),
        "{stderr}"
    );
}

#[test]
fn json_summary_names_the_model_and_the_format() {
    let path = with_signal_lines("nli_model = \"egn\"\nmodulation = \"dp-16qam\"");
    let out = fibra(&["budget", path.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["nli_model"], "egn");
    assert_eq!(doc["summary"]["modulation"], "dp-16qam");
    let out = fibra(&[
        "budget",
        "examples/links/andes-lima-huancayo.toml",
        "--json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["nli_model"], "gn");
    assert!(doc["summary"]["modulation"].is_null());
}

/// A LINK base with the EGN keys looks like a SYSTEM (`signal.modulation`): the sweep must say
/// which it is, and with `kind = "link"` the model itself can be swept.
#[test]
fn a_batch_sweeps_the_nli_model_of_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string("examples/links/andes-lima-huancayo.toml")
        .unwrap()
        .replace(
            "launch_power_dbm = 1.0",
            "launch_power_dbm = 1.0\nmodulation = \"dp-qpsk\"\nnli_model = \"gn\"",
        );
    std::fs::write(dir.path().join("base.toml"), base).unwrap();
    let vary = "[vary]\n\"signal.nli_model\" = [\"gn\", \"egn\"]\n";
    let ambiguous = dir.path().join("ambiguous.toml");
    std::fs::write(&ambiguous, format!("base = \"base.toml\"\n{vary}")).unwrap();
    let out = fibra(&["batch", ambiguous.to_str().unwrap(), "--dry-run"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("kind"), "{stderr}");

    let sweep = dir.path().join("sweep.toml");
    std::fs::write(
        &sweep,
        format!("base = \"base.toml\"\nkind = \"link\"\n{vary}"),
    )
    .unwrap();
    let results = dir.path().join("out");
    let out = fibra(&[
        "batch",
        sweep.to_str().unwrap(),
        "--out",
        results.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(results.join("results.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let gsnr = |model: &str| {
        rows.iter()
            .find(|r| r["signal.nli_model"] == model)
            .map(|r| r["gsnr_db"].as_f64().unwrap())
            .unwrap()
    };
    let link = bundled();
    assert_eq!(gsnr("gn"), budget(&link, NliModel::Gn).summary.gsnr_db);
    assert_eq!(
        gsnr("egn"),
        budget(&link, NliModel::Egn(SignalFormat::DpQpsk))
            .summary
            .gsnr_db
    );
}

/// In a network, each path is budgeted with the format of the transceiver that lights it.
#[test]
fn network_paths_take_their_transceivers_format() {
    use fibra::budget::NliModel;
    use fibra::network::TransceiverType;
    let qpsk = NliModel::Egn(SignalFormat::DpQpsk);
    let trx = |modulation| TransceiverType {
        requirements: Default::default(),
        symbol_rate_gbaud: 32.0,
        spacing_ghz: 50.0,
        modulation,
    };
    assert_eq!(
        trx(Some(SignalFormat::Dp16Qam)).nli_model(qpsk),
        NliModel::Egn(SignalFormat::Dp16Qam)
    );
    assert_eq!(trx(None).nli_model(qpsk), qpsk);
    assert_eq!(
        trx(Some(SignalFormat::Dp16Qam)).nli_model(NliModel::Gn),
        NliModel::Gn
    );
    // And the file says so: a bad name is exit 2 naming the key.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("examples/peru/network.toml").unwrap();
    let text = text.replace(
        "[signal]\n",
        "[signal]\nnli_model = \"egn\"\nmodulation = \"dp-qpsk\"\n",
    ) + "\n[transceivers.200G-DP-16QAM]\nmodulation = \"dp-32qam\"\n";
    for file in [
        "nodes.csv",
        "links.csv",
        "link_segments.csv",
        "waypoints.csv",
    ] {
        std::fs::copy(format!("examples/peru/{file}"), dir.path().join(file)).unwrap();
    }
    let path = dir.path().join("network.toml");
    std::fs::write(&path, text).unwrap();
    let out = fibra(&["network", path.to_str().unwrap(), "--quiet"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("transceivers.200G-DP-16QAM.modulation"),
        "{stderr}"
    );
    // Without the bad override, the report names the model and the path transceiver's format.
    let text = std::fs::read_to_string(&path).unwrap();
    // ... and `[signal] modulation` may be left out: transceivers without a format get Gaussian.
    let text = text.replace("modulation = \"dp-32qam\"\n", "").replace(
        "nli_model = \"egn\"\nmodulation = \"dp-qpsk\"\n",
        "nli_model = \"egn\"\n",
    );
    std::fs::write(&path, text).unwrap();
    let out = fibra(&[
        "network",
        path.to_str().unwrap(),
        "--quiet",
        "--json",
        "--transceiver",
        "200G-DP-16QAM",
        "--path",
        "Lima",
        "Huancayo",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["nli_model"], "egn");
    assert_eq!(doc["modulation"], "dp-16qam");
}

/// A designed route under EGN emits links that keep the model (`--emit-link` → `fibra budget`
/// reproduces the design's numbers).
#[test]
fn an_emitted_link_keeps_the_nli_model() {
    let dir = tempfile::tempdir().unwrap();
    let route = std::fs::read_to_string("examples/routes/lima-huancayo.toml")
        .unwrap()
        .replacen(
            "[signal]\n",
            "[signal]\nnli_model = \"egn\"\nmodulation = \"dp-16qam\"\n",
            1,
        );
    let path = dir.path().join("route.toml");
    std::fs::write(&path, route).unwrap();
    let emitted = dir.path().join("emitted.toml");
    let out = fibra(&[
        "design",
        path.to_str().unwrap(),
        "--json",
        "--emit-link",
        emitted.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let design: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let link = read_link(&emitted).unwrap();
    assert_eq!(link.nli_model, NliModel::Egn(SignalFormat::Dp16Qam));
    let budget = BudgetPlan::new(&link).run();
    let designed = &design["sections"][0]["summary"];
    assert_eq!(designed["nli_model"], "egn");
    let worst = designed["worst_gsnr_db"].as_f64().unwrap();
    assert!(
        (budget.summary.worst_gsnr_db - worst).abs() < 1e-6,
        "{worst} vs {}",
        budget.summary.worst_gsnr_db
    );
}
