//! Link-budget speed: a 13,000 km backbone, 96 channels × 160 spans.
//!
//! `plan+run/distinct-spans`: every span a different length (the GN coefficients are computed for
//! each span, the worst case); `plan+run/identical-spans`: one coefficient matrix shared;
//! `run-only`: the walk alone on a prepared plan (what a launch-power sweep repeats).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use fibra::budget::{BudgetPlan, Link, Span, WdmGrid};
use fibra::fiber::builtin_fiber;

fn backbone(distinct: bool) -> Link {
    let spans = (0..160)
        .map(|i| Span {
            length_km: if distinct {
                60.0 + 0.25 * i as f64
            } else {
                81.25
            },
            fiber: builtin_fiber("SSMF").unwrap(),
            connector_in_db: 0.5,
            connector_out_db: 0.5,
            splice_loss_db: 0.05,
            splice_spacing_km: 4.0,
            aging_margin_db: 1.0,
            extra_loss_db: 0.0,
            amplifier_nf_db: 5.0,
            amplifier_gain_db: None,
            amplifier_max_output_dbm: None,
            amplifier_max_gain_db: fibra::amplifier::DEFAULT_MAX_GAIN_DB,
            end: Default::default(),
        })
        .collect();
    Link {
        name: None,
        grid: WdmGrid {
            channels: 96,
            spacing_ghz: 50.0,
            center_thz: 193.725,
            symbol_rate_gbaud: 32.0,
        },
        launch_power_dbm: 0.0,
        spans,
        transceiver: Default::default(),
        nli_model: Default::default(),
        start_roadm: None,
    }
}

fn budget(c: &mut Criterion) {
    let mut group = c.benchmark_group("budget_96ch_160spans");
    group.sample_size(20);
    let distinct = backbone(true);
    let identical = backbone(false);
    group.bench_function("plan+run/distinct-spans", |b| {
        b.iter(|| BudgetPlan::new(black_box(&distinct)).run())
    });
    group.bench_function("plan+run/identical-spans", |b| {
        b.iter(|| BudgetPlan::new(black_box(&identical)).run())
    });
    let plan = BudgetPlan::new(&distinct);
    group.bench_function("run-only", |b| b.iter(|| black_box(&plan).run()));
    group.finish();
}

criterion_group!(benches, budget);
criterion_main!(benches);
