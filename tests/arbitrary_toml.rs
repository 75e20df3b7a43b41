//! Arbitrary TOML through every reader and the computation behind it (issue 12): documents built
//! from the real keys with values anywhere in (and far outside) their ranges — huge, tiny,
//! negative, zero, NaN-like strings, wrong types — must give either a clear error or a result
//! whose verdict does not lie; never a panic. Deterministic (fixed seed), so it runs in the
//! normal suite; `fuzz/` has the open-ended version.

use fibra::budget::BudgetPlan;
use fibra::resources::ResourceBudget;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// Values that probe the edges: ordinary, zero, negative, huge, tiny, integers, strings, booleans.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        (-100.0..100.0f64).prop_map(|x| format!("{x}")),
        (0.0..2000.0f64).prop_map(|x| format!("{x}")),
        Just("0".to_string()),
        Just("0.0".to_string()),
        Just("-1.0".to_string()),
        Just("1e308".to_string()),
        Just("-1e308".to_string()),
        Just("1e-300".to_string()),
        Just("5e-324".to_string()),
        Just("nan".to_string()),
        Just("inf".to_string()),
        (0i64..5000).prop_map(|i| i.to_string()),
        Just("9223372036854775807".to_string()),
        Just("\"SSMF\"".to_string()),
        Just("\"dp-qpsk\"".to_string()),
        Just("\"ook-nrz\"".to_string()),
        Just("\"gaussian\"".to_string()),
        Just("\"\\u001b[31m\"".to_string()),
        Just("true".to_string()),
        Just("[1.0, 2.0]".to_string()),
    ]
}

/// A key with the strategy of its ordinary values; the document uses it most of the time and an
/// edge [`value`] otherwise.
type Key = (&'static str, fn() -> BoxedStrategy<String>);

fn number(lo: f64, hi: f64) -> BoxedStrategy<String> {
    (lo..hi).prop_map(|x| format!("{x}")).boxed()
}

fn integer(lo: i64, hi: i64) -> BoxedStrategy<String> {
    (lo..hi).prop_map(|i| i.to_string()).boxed()
}

const SIGNAL: &[Key] = &[
    ("channels", || integer(1, 9)),
    ("spacing_ghz", || number(37.5, 100.0)),
    ("center_thz", || number(191.0, 196.0)),
    ("symbol_rate_gbaud", || number(8.0, 34.0)),
    ("launch_power_dbm", || number(-10.0, 10.0)),
    ("modulation", || {
        prop_oneof![
            Just("\"dp-qpsk\"".to_string()),
            Just("\"dp-16qam\"".to_string()),
            Just("\"ook-nrz\"".to_string())
        ]
        .boxed()
    }),
    ("symbols", || integer(64, 512)),
];
const TRANSCEIVER: &[Key] = &[
    ("required_osnr_db", || number(5.0, 25.0)),
    ("rx_sensitivity_dbm", || number(-40.0, 0.0)),
    ("tx_osnr_db", || number(20.0, 45.0)),
    ("cd_tolerance_ps_nm", || number(1000.0, 100_000.0)),
];
const SPAN: &[Key] = &[
    ("length_km", || number(1.0, 150.0)),
    ("attenuation_db_per_km", || number(0.15, 0.35)),
    ("connector_in_db", || number(0.0, 1.0)),
    ("amplifier_gain_db", || number(0.0, 40.0)),
    ("amplifier_nf_db", || number(3.0, 8.0)),
    ("amplifier_max_gain_db", || number(20.0, 40.0)),
    ("dispersion_ps_nm_km", || number(-5.0, 20.0)),
    ("effective_area_um2", || number(50.0, 120.0)),
];
/// Keys only some documents have (absent otherwise).
const OPTIONAL_SPAN: &[&str] = &[
    "amplifier_gain_db",
    "amplifier_max_gain_db",
    "dispersion_ps_nm_km",
    "effective_area_um2",
    "connector_in_db",
];

fn table(keys: &'static [Key]) -> impl Strategy<Value = String> {
    let entries: Vec<BoxedStrategy<Option<String>>> = keys
        .iter()
        .map(|&(key, ordinary)| {
            let present = if OPTIONAL_SPAN.contains(&key) {
                0.4
            } else {
                0.97
            };
            prop::option::weighted(present, prop_oneof![9 => ordinary(), 1 => value().boxed()])
                .prop_map(move |v| v.map(|v| format!("{key} = {v}\n")))
                .boxed()
        })
        .collect();
    entries.prop_map(|lines| lines.into_iter().flatten().collect::<String>())
}

/// A document with a `[signal]`, a `[transceiver]` and some `[[span]]`s: mostly valid, with edge
/// values mixed in.
fn link_document() -> impl Strategy<Value = String> {
    (
        table(SIGNAL),
        table(TRANSCEIVER),
        prop::collection::vec(table(SPAN), 0..5),
    )
        .prop_map(|(signal, trx, spans)| {
            let mut doc = format!("[signal]\n{signal}\n[transceiver]\n{trx}\n");
            for span in spans {
                doc.push_str(&format!("[[span]]\n{span}\n"));
            }
            doc
        })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 1500,
        rng_seed: RngSeed::Fixed(12),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// LINK: an error, or a budget whose feasible verdict rests on finite figures.
    #[test]
    fn arbitrary_links_never_panic_or_lie(doc in link_document()) {
        // LINK.toml has no waveform keys.
        let doc: String = doc
            .lines()
            .filter(|l| !l.starts_with("modulation") && !l.starts_with("symbols"))
            .map(|l| format!("{l}\n"))
            .collect();
        if let Ok(link) = fibra::io::parse_link(&doc) {
            let report = BudgetPlan::new(&link).run();
            let s = &report.summary;
            prop_assert_eq!(s.limits.len(), s.reasons.len());
            if s.feasible {
                prop_assert!(s.gsnr_db.is_finite() && s.rx_power_dbm.is_finite(), "{doc}");
                prop_assert!(report.channels.iter().all(|c| c.gsnr_db.is_finite()), "{doc}");
            }
        }
    }

    /// SYSTEM: an error, a refusal by the budget, or a finished simulation; never a panic.
    #[test]
    fn arbitrary_systems_never_panic(doc in link_document()) {
        if let Ok(system) = fibra::io::parse_system(&doc) {
            let budget = ResourceBudget { max_memory_bytes: 8e6, max_steps: 200 };
            let _ = fibra::system::simulate(&system, &budget, &mut |_| {});
        }
    }
}
