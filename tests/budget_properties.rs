//! Physical invariants of the budget, by property testing.

use fibra::budget::{BudgetPlan, Link, Span, WdmGrid};
use fibra::fiber::builtin_fiber;
use proptest::prelude::*;

fn span(length_km: f64, connector_db: f64, nf_db: f64) -> Span {
    Span {
        length_km,
        fiber: builtin_fiber("SSMF").unwrap(),
        connector_in_db: connector_db,
        connector_out_db: connector_db,
        splice_loss_db: 0.05,
        splice_spacing_km: 4.0,
        aging_margin_db: 0.5,
        extra_loss_db: 0.0,
        amplifier_nf_db: nf_db,
        amplifier_gain_db: None,
        amplifier_max_output_dbm: None,
        amplifier_max_gain_db: fibra::amplifier::DEFAULT_MAX_GAIN_DB,
        end: Default::default(),
    }
}

fn link(spans: Vec<Span>, launch_power_dbm: f64) -> Link {
    Link {
        name: None,
        grid: WdmGrid {
            channels: 5,
            spacing_ghz: 50.0,
            center_thz: 193.1,
            symbol_rate_gbaud: 32.0,
        },
        launch_power_dbm,
        spans,
        transceiver: Default::default(),
        nli_model: Default::default(),
        start_roadm: None,
    }
}

fn span_strategy() -> impl Strategy<Value = Span> {
    (10.0..150.0f64, 0.0..1.0f64, 4.0..7.0f64).prop_map(|(l, c, nf)| span(l, c, nf))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Adding a span never raises the OSNR (ASE only adds) nor the GSNR.
    #[test]
    fn adding_a_span_never_raises_osnr(spans in prop::collection::vec(span_strategy(), 1..8), extra in span_strategy(), launch in -5.0..5.0f64) {
        let before = BudgetPlan::new(&link(spans.clone(), launch)).run().summary;
        let mut longer = spans;
        longer.push(extra);
        let after = BudgetPlan::new(&link(longer, launch)).run().summary;
        prop_assert!(after.osnr_ase_db <= before.osnr_ase_db + 1e-9);
        prop_assert!(after.gsnr_db <= before.gsnr_db + 1e-9);
    }

    /// Span loss is the sum of its parts, and fibre loss is additive in length.
    #[test]
    fn loss_is_additive(a in 1.0..200.0f64, b in 1.0..200.0f64, con in 0.0..2.0f64, aging in 0.0..3.0f64, extra in 0.0..2.0f64) {
        let mut s = span(a, con, 5.0);
        s.splice_loss_db = 0.0;
        s.aging_margin_db = aging;
        s.extra_loss_db = extra;
        let mut t = s.clone();
        t.length_km = b;
        let mut joined = s.clone();
        joined.length_km = a + b;
        let fixed = 2.0 * con + aging + extra;
        prop_assert!((s.loss_db() - (0.2 * a + fixed)).abs() < 1e-9);
        prop_assert!(((joined.loss_db() - fixed) - ((s.loss_db() - fixed) + (t.loss_db() - fixed))).abs() < 1e-9);
    }

    /// Without nonlinearity (a launch power so low that NLI is 1e-12 of the signal), the OSNR does
    /// not depend on the order of the spans: ASE powers add, each scaled by the same net gain.
    #[test]
    fn ase_only_results_do_not_depend_on_span_order(spans in prop::collection::vec(span_strategy(), 2..7), seed in any::<u64>()) {
        let forward = BudgetPlan::new(&link(spans.clone(), -35.0)).run().summary;
        let mut shuffled = spans;
        let n = shuffled.len();
        shuffled.rotate_left((seed as usize) % n);
        shuffled.reverse();
        let permuted = BudgetPlan::new(&link(shuffled, -35.0)).run().summary;
        prop_assert!((forward.osnr_ase_db - permuted.osnr_ase_db).abs() < 1e-4, "{} vs {}", forward.osnr_ase_db, permuted.osnr_ase_db);
        prop_assert!((forward.cd_ps_nm - permuted.cd_ps_nm).abs() < 1e-6);
        prop_assert!((forward.pmd_ps - permuted.pmd_ps).abs() < 1e-9);
    }
}

#[test]
fn n_identical_spans_lose_10_log10_n_of_osnr() {
    // ASE of N identical spans adds linearly: OSNR_N = OSNR_1 − 10·log10(N). At -20 dBm/ch the
    // residual NLI (driven by signal + accumulated ASE, GNPy's bookkeeping) moves this by < 2e-5 dB.
    let one = BudgetPlan::new(&link(vec![span(80.0, 0.3, 5.0)], -20.0))
        .run()
        .summary
        .osnr_ase_db;
    for n in [2usize, 5, 10, 40] {
        let many = BudgetPlan::new(&link(vec![span(80.0, 0.3, 5.0); n], -20.0))
            .run()
            .summary
            .osnr_ase_db;
        assert!(
            (one - many - 10.0 * (n as f64).log10()).abs() < 1e-4,
            "{n}: {one} {many}"
        );
    }
}

#[test]
fn nli_grows_as_the_cube_of_launch_power() {
    // GN model: P_NLI ∝ P³, so SNR_NLI falls 2 dB per dB of launch power (one span: no ASE yet
    // drives the NLI, and the power transfer is 1e-5 of the signal here).
    let plan = BudgetPlan::new(&link(vec![span(80.0, 0.0, 5.0)], 0.0));
    let low = plan.run_at(-10.0).summary.snr_nli_db;
    let high = plan.run_at(-7.0).summary.snr_nli_db;
    assert!(((low - high) - 6.0).abs() < 1e-3, "{low} {high}");
}

/// A span of `loss_db` total loss (fibre attenuation chosen to give it over `length_km`), with an
/// amplifier gain either unset (= the loss) or set anywhere in 0–60 dB.
fn lossy_span(length_km: f64, loss_db: f64, gain_db: Option<f64>) -> Span {
    let mut s = span(length_km, 0.0, 5.0);
    s.splice_loss_db = 0.0;
    s.aging_margin_db = 0.0;
    s.fiber.attenuation_db_per_km = loss_db / length_km;
    s.amplifier_gain_db = gain_db;
    s
}

fn every_figure_is_finite(report: &fibra::budget::BudgetReport) -> bool {
    let s = &report.summary;
    let summary = [
        s.cd_ps_nm,
        s.pmd_ps,
        s.rx_power_dbm,
        s.osnr_ase_db,
        s.snr_nli_db,
        s.gsnr_db,
        s.line_gsnr_db,
        s.worst_gsnr_db,
        s.worst_channel_thz,
    ];
    let spans = report.spans.iter().flat_map(|p| {
        [
            p.launch_power_dbm,
            p.output_power_dbm,
            p.amplifier_total_output_dbm,
            p.osnr_ase_db,
            p.snr_nli_db,
            p.gsnr_db,
        ]
    });
    let channels = report.channels.iter().flat_map(|c| {
        [
            c.power_dbm,
            c.osnr_ase_db,
            c.snr_nli_db,
            c.gsnr_db,
            c.gsnr_01nm_db,
        ]
    });
    summary
        .into_iter()
        .chain(spans)
        .chain(channels)
        .chain(s.osnr_margin_db)
        .all(f64::is_finite)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The verdict cannot lie: for random spans of 0–200 dB loss with any gain, a FEASIBLE link has
    /// every figure finite, every amplifier within its maximum gain and every margin ≥ 0; a link
    /// that is not feasible says why, one reason per limit.
    #[test]
    fn a_feasible_verdict_has_finite_figures_and_non_negative_margins(
        spans in prop::collection::vec(
            (1.0..150.0f64, 0.0..200.0f64, prop::option::of(0.0..60.0f64)),
            1..12,
        ),
        launch in -40.0..30.0f64,
        required in 0.0..30.0f64,
        sensitivity in -80.0..0.0f64,
    ) {
        let mut l = link(
            spans.iter().map(|&(len, loss, gain)| lossy_span(len, loss, gain)).collect(),
            launch,
        );
        l.transceiver.required_osnr_db = Some(required);
        l.transceiver.rx_sensitivity_dbm = Some(sensitivity);
        let report = BudgetPlan::new(&l).run();
        let s = &report.summary;
        prop_assert_eq!(s.limits.len(), s.reasons.len());
        prop_assert_eq!(s.feasible, s.limits.is_empty());
        if s.feasible {
            prop_assert!(every_figure_is_finite(&report), "{:?}", s);
            prop_assert!(s.osnr_margin_db.unwrap() >= 0.0);
            prop_assert!(report.channels.iter().all(|c| c.power_dbm >= sensitivity));
            prop_assert!(l.spans.iter().all(|sp| sp.gain_db() <= sp.amplifier_max_gain_db));
        }
        // No figure is ever NaN, whatever the input: powers may be tiny or huge, never undefined.
        prop_assert!(report.channels.iter().all(|c| !c.gsnr_db.is_nan() && !c.power_dbm.is_nan()));
    }
}

#[test]
fn the_issue_12_link_is_not_feasible_and_every_figure_is_finite() {
    // Two 9 km spans at 10 dB/km (90 dB each), 0 dBm, one channel, required OSNR 12 dB: the link
    // that used to come out FEASIBLE from NaN.
    let mut l = link(
        vec![lossy_span(9.0, 90.0, None), lossy_span(9.0, 90.0, None)],
        0.0,
    );
    l.grid.channels = 1;
    l.transceiver.required_osnr_db = Some(12.0);
    let report = BudgetPlan::new(&l).run();
    let s = &report.summary;
    assert!(!s.feasible);
    assert!(every_figure_is_finite(&report), "{s:?}");
    use fibra::budget::Limit;
    assert!(s.limits.contains(&Limit::Gain), "{:?}", s.limits);
    assert!(s.limits.contains(&Limit::Osnr), "{:?}", s.limits);
    // The first span's OSNR is the 58 dB rule: 58 + 0 dBm − 5 dB NF − 90 dB ≈ −37 dB.
    assert!((report.spans[0].osnr_ase_db - (57.95 - 5.0 - 90.0)).abs() < 0.1);
}

#[test]
fn eta_matrices_computed_per_span_give_the_cached_numbers() {
    // Three spans of three fibres (different attenuation and area), one with another PMD only
    // (which shares the first's η matrix): with no memory for cached matrices the walk computes
    // them span by span and must give the very same report.
    let mut spans = vec![
        span(80.0, 0.3, 5.0),
        span(90.0, 0.3, 5.0),
        span(70.0, 0.3, 5.0),
        span(60.0, 0.3, 5.0),
    ];
    spans[1].fiber.attenuation_db_per_km = 0.18;
    spans[2].fiber.effective_area_um2 = 110.0;
    spans[3].fiber.pmd_ps_per_sqrt_km = 0.3;
    let l = link(spans, 1.0);
    let cached = BudgetPlan::new(&l).run();
    let on_the_fly = BudgetPlan::with_nli_cache_bytes(&l, 0.0).run();
    assert_eq!(cached, on_the_fly);
}

#[test]
fn a_link_without_spans_or_channels_is_not_feasible_and_does_not_panic() {
    use fibra::budget::Limit;
    let empty = link(Vec::new(), 0.0);
    let s = BudgetPlan::new(&empty).run().summary;
    assert!(!s.feasible && s.limits.contains(&Limit::NonFinite), "{s:?}");
    let mut no_channels = link(vec![span(80.0, 0.3, 5.0)], 0.0);
    no_channels.grid.channels = 0;
    let s = BudgetPlan::new(&no_channels).run().summary;
    assert!(!s.feasible, "{s:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The EGN model on any link: every figure finite; the cross-channel correction only removes
    /// NLI (the centre channel's NLI beyond what it has alone is at most the GN model's); and no
    /// channel's NLI falls below its own self-channel NLI (short spans are limited, not driven
    /// below it). The self-channel NLI itself may exceed the GN model's: it accumulates coherently
    /// (the waveforms agree, README).
    #[test]
    fn egn_is_finite_and_corrects_only_the_cross_channel_nli_downwards(
        spans in prop::collection::vec(span_strategy(), 1..8),
        launch in -5.0..8.0f64,
        format in prop::sample::select(vec![
            fibra::budget::SignalFormat::DpQpsk,
            fibra::budget::SignalFormat::Dp16Qam,
            fibra::budget::SignalFormat::Dp64Qam,
        ]),
    ) {
        use fibra::budget::NliModel;
        let gn_link = link(spans, launch);
        let mut egn_link = gn_link.clone();
        egn_link.nli_model = NliModel::Egn(format);
        let egn = BudgetPlan::new(&egn_link).run();
        for e in &egn.channels {
            prop_assert!(e.snr_nli_db.is_finite() && e.gsnr_db.is_finite(), "{:?}", e);
        }
        let alone = |l: &fibra::budget::Link| {
            let mut one = l.clone();
            one.grid.channels = 1;
            BudgetPlan::new(&one).run().channels[0].snr_nli_db
        };
        // NLI relative to the signal, linear.
        let nli = |snr_db: f64| 10f64.powf(-snr_db / 10.0);
        let center = gn_link.grid.center_index();
        let gn_center = BudgetPlan::new(&gn_link).run().channels[center].snr_nli_db;
        let egn_cross = nli(egn.channels[center].snr_nli_db) - nli(alone(&egn_link));
        let gn_cross = nli(gn_center) - nli(alone(&gn_link));
        prop_assert!(egn_cross >= -1e-9 * nli(alone(&egn_link)), "{egn_cross} {gn_cross}");
        prop_assert!(egn_cross <= gn_cross * (1.0 + 1e-3), "{egn_cross} {gn_cross}");
    }
}
