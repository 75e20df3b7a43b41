//! Agreement with GNPy 3.0.1 on every channel of the open reference cases (tests/data/gnpy).
//!
//! Tolerances (the link-budget issue): OSNR 0.05 dB, SNR_NLI 0.2 dB, GSNR 0.1 dB, received power
//! 0.1 dB, CD 0.1 %, PMD 1 %.

use std::path::Path;

use fibra::budget::{optimize_launch, BudgetPlan, BudgetReport, LaunchSweepRange};

struct GnpyChannel {
    frequency_thz: f64,
    rx_signal_dbm: f64,
    osnr_ase_db: f64,
    snr_nli_db: f64,
    gsnr_db: f64,
    gsnr_01nm_incl_tx_db: f64,
    cd_ps_nm: f64,
    pmd_ps: f64,
}

fn read_reference(name: &str) -> Vec<GnpyChannel> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/gnpy")
        .join(name);
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: Vec<f64> = line.split(',').map(|x| x.trim().parse().unwrap()).collect();
            GnpyChannel {
                frequency_thz: v[0],
                rx_signal_dbm: v[1],
                osnr_ase_db: v[2],
                snr_nli_db: v[3],
                gsnr_db: v[4],
                gsnr_01nm_incl_tx_db: v[5],
                cd_ps_nm: v[6],
                pmd_ps: v[7],
            }
        })
        .collect()
}

fn budget(case: &str, tx_osnr_db: Option<f64>) -> BudgetReport {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/gnpy")
        .join(case);
    let mut link = fibra::io::read_link(&path).unwrap();
    link.transceiver.tx_osnr_db = tx_osnr_db;
    BudgetPlan::new(&link).run()
}

/// Compares every channel and returns the largest deviations (for the record in the test output).
fn compare(case: &str, csv: &str) {
    let reference = read_reference(csv);
    let line = budget(case, None);
    let with_tx = budget(case, Some(40.0));
    assert_eq!(line.channels.len(), reference.len());
    let mut worst = [0.0f64; 5];
    for ((ours, ours_tx), gnpy) in line.channels.iter().zip(&with_tx.channels).zip(&reference) {
        assert!((ours.frequency_thz - gnpy.frequency_thz).abs() < 1e-9);
        let deviations = [
            (ours.osnr_ase_db - gnpy.osnr_ase_db).abs(),
            (ours.snr_nli_db - gnpy.snr_nli_db).abs(),
            (ours.gsnr_db - gnpy.gsnr_db).abs(),
            (ours.power_dbm - gnpy.rx_signal_dbm).abs(),
            (ours_tx.gsnr_01nm_db - gnpy.gsnr_01nm_incl_tx_db).abs(),
        ];
        for (w, d) in worst.iter_mut().zip(deviations) {
            *w = w.max(d);
        }
        let at = gnpy.frequency_thz;
        assert!(
            deviations[0] <= 0.05,
            "{case} {at} THz OSNR {} vs {}",
            ours.osnr_ase_db,
            gnpy.osnr_ase_db
        );
        assert!(
            deviations[1] <= 0.2,
            "{case} {at} THz SNR_NLI {} vs {}",
            ours.snr_nli_db,
            gnpy.snr_nli_db
        );
        assert!(
            deviations[2] <= 0.1,
            "{case} {at} THz GSNR {} vs {}",
            ours.gsnr_db,
            gnpy.gsnr_db
        );
        assert!(
            deviations[3] <= 0.1,
            "{case} {at} THz rx power {} vs {}",
            ours.power_dbm,
            gnpy.rx_signal_dbm
        );
        assert!(
            deviations[4] <= 0.1,
            "{case} {at} THz GSNR incl. tx {} vs {}",
            ours_tx.gsnr_01nm_db,
            gnpy.gsnr_01nm_incl_tx_db
        );
        assert!(
            (ours.cd_ps_nm / gnpy.cd_ps_nm - 1.0).abs() <= 1e-3,
            "{case} {at} THz CD {}",
            ours.cd_ps_nm
        );
    }
    let pmd = line.summary.pmd_ps;
    assert!(
        (pmd / reference[0].pmd_ps - 1.0).abs() <= 0.01,
        "{case} PMD {pmd}"
    );
    println!(
        "{case}: max |Δ| OSNR {:.4} dB, SNR_NLI {:.4} dB, GSNR {:.4} dB, rx power {:.4} dB, GSNR incl. tx {:.4} dB",
        worst[0], worst[1], worst[2], worst[3], worst[4]
    );
}

#[test]
fn s1_single_span_single_channel_matches_gnpy() {
    compare("S1.toml", "gnpy-S1-channels.csv");
}

#[test]
fn s2_ten_spans_96_channels_match_gnpy_on_every_channel() {
    compare("S2.toml", "gnpy-S2-channels.csv");
}

#[test]
fn s3_launch_sweep_matches_gnpy_and_finds_its_optimum() {
    // (launch dBm, OSNR, SNR_NLI, GSNR) of the S2 centre channel.
    let table = [
        (-3.0, 23.9395, 25.6716, 18.846),
        (-2.0, 24.9358, 23.6802, 19.0305),
        (-1.0, 25.9298, 21.6842, 18.7547),
        (0.0, 26.9204, 19.6826, 17.9695),
        (1.0, 27.9055, 17.6739, 16.7302),
        (2.0, 28.8819, 15.6552, 15.1561),
        (3.0, 29.8442, 13.6215, 13.364),
        (4.0, 30.7843, 11.5646, 11.4336),
    ];
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/gnpy/S2.toml");
    let link = fibra::io::read_link(&path).unwrap();
    let plan = BudgetPlan::new(&link);
    for (launch, osnr, snr_nli, gsnr) in table {
        let s = plan.run_at(launch).summary;
        assert!(
            (s.osnr_ase_db - osnr).abs() <= 0.05,
            "{launch} dBm: OSNR {} vs {osnr}",
            s.osnr_ase_db
        );
        assert!(
            (s.snr_nli_db - snr_nli).abs() <= 0.2,
            "{launch} dBm: SNR_NLI {} vs {snr_nli}",
            s.snr_nli_db
        );
        assert!(
            (s.gsnr_db - gsnr).abs() <= 0.1,
            "{launch} dBm: GSNR {} vs {gsnr}",
            s.gsnr_db
        );
    }
    // On GNPy's 1 dB grid the best launch power is -2 dBm.
    let sweep = optimize_launch(
        &plan,
        LaunchSweepRange {
            min_dbm: -3.0,
            max_dbm: 4.0,
            step_db: 1.0,
        },
    );
    let best = sweep
        .points
        .iter()
        .max_by(|a, b| a.gsnr_db.total_cmp(&b.gsnr_db))
        .unwrap();
    assert_eq!(best.launch_power_dbm, -2.0);
    // The refined optimum lies between the grid neighbours and beats them.
    let optimum = sweep.optimum_launch_power_dbm;
    assert!((-3.0..=-1.0).contains(&optimum), "optimum {optimum}");
    assert!(plan.run_at(optimum).summary.gsnr_db >= best.gsnr_db - 1e-9);
}

#[test]
fn gnpy_dispersion_model_reproduces_gnpy_to_a_hundredth_of_a_db() {
    // With `constant_beta2 = true` fibra uses GNPy's own dispersion model (β2 fixed at its 1550 nm
    // value for every channel); the remaining differences are round-off in GNPy's printed values.
    for (case, csv) in [
        ("S1.toml", "gnpy-S1-channels.csv"),
        ("S2.toml", "gnpy-S2-channels.csv"),
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/gnpy")
            .join(case);
        let mut link = fibra::io::read_link(&path).unwrap();
        for span in &mut link.spans {
            span.fiber.constant_beta2 = true;
        }
        let report = BudgetPlan::new(&link).run();
        for (ours, gnpy) in report.channels.iter().zip(read_reference(csv)) {
            let at = gnpy.frequency_thz;
            assert!(
                (ours.osnr_ase_db - gnpy.osnr_ase_db).abs() <= 0.01,
                "{case} {at}: OSNR"
            );
            assert!(
                (ours.snr_nli_db - gnpy.snr_nli_db).abs() <= 0.01,
                "{case} {at}: SNR_NLI {}",
                ours.snr_nli_db
            );
            assert!(
                (ours.gsnr_db - gnpy.gsnr_db).abs() <= 0.01,
                "{case} {at}: GSNR"
            );
            assert!(
                (ours.power_dbm - gnpy.rx_signal_dbm).abs() <= 0.01,
                "{case} {at}: power"
            );
            assert!(
                (ours.cd_ps_nm / gnpy.cd_ps_nm - 1.0).abs() <= 1e-6,
                "{case} {at}: CD"
            );
        }
    }
}
