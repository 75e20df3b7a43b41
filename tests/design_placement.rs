//! The amplifier-placement dynamic program against exhaustive search, and the regenerator logic on
//! hand-checkable routes.

use fibra::budget::{Span, WdmGrid};
use fibra::design::{
    design_route, place_amplifiers, Constraints, DesignError, Route, RouteStretch, Site, SiteKind,
    SiteRole,
};
use fibra::fiber::builtin_fiber;
use fibra::transceiver::TransceiverRequirements;
use proptest::prelude::*;

fn template() -> Span {
    Span {
        length_km: 0.0,
        fiber: builtin_fiber("SSMF").unwrap(),
        connector_in_db: 0.5,
        connector_out_db: 0.5,
        splice_loss_db: 0.1,
        splice_spacing_km: 4.0,
        aging_margin_db: 1.0,
        extra_loss_db: 0.0,
        amplifier_nf_db: 5.0,
        amplifier_gain_db: None,
        amplifier_max_output_dbm: None,
        amplifier_max_gain_db: fibra::amplifier::DEFAULT_MAX_GAIN_DB,
        end: Default::default(),
    }
}

fn route(
    kms: &[f64],
    kinds: &[SiteKind],
    constraints: Constraints,
    sections: Vec<RouteStretch>,
) -> Route {
    Route {
        name: None,
        grid: WdmGrid {
            channels: 4,
            spacing_ghz: 50.0,
            center_thz: 193.1,
            symbol_rate_gbaud: 32.0,
        },
        launch_power_dbm: 0.0,
        nli_model: Default::default(),
        transceiver: TransceiverRequirements::default(),
        template: template(),
        sites: kms
            .iter()
            .zip(kinds)
            .enumerate()
            .map(|(i, (&km, &kind))| Site {
                name: format!("s{i}"),
                km,
                kind,
            })
            .collect(),
        stretches: sections,
        constraints,
    }
}

/// Every subset of intermediate sites; the lexicographic best (amplifiers, Σ linear loss).
fn exhaustive(route: &Route) -> Option<(usize, f64)> {
    let n = route.sites.len();
    let inner = n - 2;
    let c = route.constraints;
    let mut best: Option<(usize, f64)> = None;
    for mask in 0u32..(1 << inner) {
        let mut chosen = vec![0];
        chosen.extend((0..inner).filter(|k| mask & (1 << k) != 0).map(|k| k + 1));
        chosen.push(n - 1);
        let mut sum = 0.0;
        let mut ok = true;
        for pair in chosen.windows(2) {
            let (a, b) = (route.sites[pair[0]].km, route.sites[pair[1]].km);
            let loss = route.span_between(a, b).loss_db();
            if loss > c.max_span_loss_db
                || c.min_span_loss_db.is_some_and(|m| loss < m)
                || c.max_span_km.is_some_and(|m| b - a > m)
            {
                ok = false;
                break;
            }
            sum += 10f64.powf(loss / 10.0);
        }
        if ok {
            let candidate = (chosen.len() - 2, sum);
            if best
                .is_none_or(|(bc, bs)| candidate.0 < bc || (candidate.0 == bc && candidate.1 < bs))
            {
                best = Some(candidate);
            }
        }
    }
    best
}

fn route_strategy() -> impl Strategy<Value = Route> {
    (
        prop::collection::vec(5.0..60.0f64, 3..12),
        18.0..32.0f64,
        prop::option::of(3.0..12.0f64),
        prop::option::of(60.0..140.0f64),
        prop::option::of((0.1..0.9f64, 0.05..0.3f64, 0.0..3.0f64)),
    )
        .prop_map(|(gaps, max_loss, min_loss, max_km, section)| {
            let mut kms = vec![0.0];
            for g in gaps {
                let next = kms.last().unwrap() + g;
                kms.push((next * 10.0f64).round() / 10.0);
            }
            let total = *kms.last().unwrap();
            let kinds: Vec<SiteKind> = (0..kms.len())
                .map(|i| {
                    if i == 0 || i + 1 == kms.len() {
                        SiteKind::Terminal
                    } else {
                        SiteKind::Hut
                    }
                })
                .collect();
            let sections = section
                .map(|(start, width, extra)| {
                    let mut fiber = builtin_fiber("NZDSF").unwrap();
                    fiber.attenuation_db_per_km = 0.3;
                    let from_km = start * total;
                    vec![RouteStretch {
                        from_km,
                        to_km: (from_km + width * total).min(total),
                        fiber,
                        extra_loss_db: extra,
                    }]
                })
                .unwrap_or_default();
            let constraints = Constraints {
                max_span_loss_db: max_loss,
                min_span_loss_db: min_loss,
                max_span_km: max_km,
            };
            route(&kms, &kinds, constraints, sections)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn dynamic_program_matches_exhaustive_search(route in route_strategy()) {
        let last = route.sites.len() - 1;
        let dp = place_amplifiers(&route, 0, last);
        match exhaustive(&route) {
            None => prop_assert!(dp.is_err()),
            Some((amplifiers, sum)) => {
                let placement = dp.expect("exhaustive search found a placement");
                prop_assert_eq!(placement.amplifiers, amplifiers);
                prop_assert!((placement.sum_linear_span_loss / sum - 1.0).abs() < 1e-9);
                let c = route.constraints;
                for pair in placement.sites.windows(2) {
                    let (a, b) = (route.sites[pair[0]].km, route.sites[pair[1]].km);
                    let loss = route.span_between(a, b).loss_db();
                    prop_assert!(loss <= c.max_span_loss_db + 1e-9);
                    prop_assert!(c.min_span_loss_db.is_none_or(|m| loss >= m - 1e-9));
                    prop_assert!(c.max_span_km.is_none_or(|m| b - a <= m));
                }
            }
        }
    }
}

#[test]
fn a_stretch_too_long_is_named() {
    let constraints = Constraints {
        max_span_loss_db: 25.0,
        min_span_loss_db: None,
        max_span_km: None,
    };
    let r = route(
        &[0.0, 50.0, 200.0, 240.0],
        &[
            SiteKind::Terminal,
            SiteKind::Hut,
            SiteKind::Hut,
            SiteKind::Terminal,
        ],
        constraints,
        vec![],
    );
    let err = design_route(&r).unwrap_err();
    let DesignError::Stretch {
        from, to, loss_db, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!((from.as_str(), to.as_str()), ("s1", "s2"));
    // 0.5 + 0.5 + 150·0.2 + 37·0.1 + 1.0 = 35.7 dB
    assert!((loss_db - 35.7).abs() < 1e-9, "{loss_db}");
    assert!(err.to_string().contains("s1 (km 50) – s2 (km 200)"));
}

#[test]
fn regenerators_go_to_nodes_only_where_needed() {
    // 8 sites 80 km apart; an OSNR requirement that three spans meet and four do not.
    // Per span: 0.5 + 16 + 19·0.1 + 0.5 + 1 = 19.9 dB -> OSNR_1 ≈ 58 − 19.9 − 5 = 33.1 dB
    // (at −20 dBm/ch NLI is negligible); N spans: 33.1 − 10·log10 N: 3 → 28.3, 4 → 27.0.
    let kms: Vec<f64> = (0..8).map(|k| 80.0 * k as f64).collect();
    let mut kinds = vec![SiteKind::Hut; 8];
    kinds[0] = SiteKind::Terminal;
    kinds[7] = SiteKind::Terminal;
    kinds[3] = SiteKind::Node;
    kinds[4] = SiteKind::Node;
    let constraints = Constraints {
        max_span_loss_db: 25.0,
        min_span_loss_db: None,
        max_span_km: None,
    };
    let mut r = route(&kms, &kinds, constraints, vec![]);
    r.launch_power_dbm = -20.0;
    let transparent = design_route(&r).unwrap();
    assert_eq!(transparent.regenerators, 0);
    assert_eq!(transparent.amplifiers, 6);
    let seven_spans = transparent.sections[0].budget.summary.osnr_ase_db;
    let per_span = seven_spans + 10.0 * 7f64.log10();
    // Sections of at most 4 spans: one regenerator (s3: 3 + 4 spans, or s4: 4 + 3).
    r.transceiver.required_osnr_db = Some(per_span - 10.0 * 4.5f64.log10());
    let design = design_route(&r).unwrap();
    assert_eq!(design.regenerators, 1);
    let regen: Vec<&str> = design
        .sites
        .iter()
        .filter(|s| s.role == SiteRole::Regenerator)
        .map(|s| s.name.as_str())
        .collect();
    assert!(regen == ["s3"] || regen == ["s4"], "{regen:?}");
    assert_eq!(design.sections.len(), 2);
    assert!(design.sections.iter().all(|s| s.budget.summary.feasible));
    // Sections of at most 3 spans: both nodes (3 + 1 + 3 spans).
    r.transceiver.required_osnr_db = Some(per_span - 10.0 * 3.5f64.log10());
    let design = design_route(&r).unwrap();
    assert_eq!(design.regenerators, 2);
    let regen: Vec<&str> = design
        .sites
        .iter()
        .filter(|s| s.role == SiteRole::Regenerator)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(regen, ["s3", "s4"]);
    assert_eq!(design.spans.len(), 7);
    // With no node in reach, the route cannot be closed.
    r.sites[3].kind = SiteKind::Hut;
    r.sites[4].kind = SiteKind::Hut;
    assert!(matches!(
        design_route(&r),
        Err(DesignError::Regeneration { .. })
    ));
}

#[test]
fn placement_keeps_spans_within_the_amplifier_gain() {
    // max_span_loss_db = 60 dB allows spans the amplifiers cannot compensate (max gain 40 dB by
    // default; 25 dB here): the placement must keep every span at or below the amplifier's gain, so
    // the design stays feasible on gain.
    let mut route = fibra::io::parse_route(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/routes/lima-huancayo.toml"
        ))
        .unwrap(),
    )
    .unwrap();
    route.constraints.max_span_loss_db = 60.0;
    route.template.amplifier_max_gain_db = 25.0;
    let design = fibra::design::design_route(&route).unwrap();
    for section in &design.sections {
        for span in &section.link.spans {
            assert!(span.loss_db() <= 25.0 + 1e-9, "{}", span.loss_db());
        }
        assert!(!section
            .budget
            .summary
            .limits
            .contains(&fibra::budget::Limit::Gain));
    }
}
