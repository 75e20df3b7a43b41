//! Margins against the transceiver and the verdict.
//!
//! The verdict is built so that it cannot lie: a link is feasible only when every reported figure
//! is finite, every amplifier is asked for a gain it can deliver, the GN model is inside its
//! validity in every span and every criterion the transceiver gives is met. Comparisons are
//! written so that a NaN fails them (`!at_least(margin, 0)`, never `margin < 0`).

use super::link::Link;
use super::report::{ChannelReport, Limit, SpanReport, Summary};
use crate::display::format_number;

/// Above this ratio of generated NLI to in-band power in one span the GN model, a first-order
/// perturbation of the linear solution, is outside its validity (at x = 1 the "perturbation" is
/// as large as the field it perturbs).
pub const NLI_MODEL_LIMIT: f64 = 1.0;

/// The limits found so far, with their reasons.
#[derive(Default)]
struct Findings {
    limits: Vec<Limit>,
    reasons: Vec<String>,
}

impl Findings {
    fn add(&mut self, limit: Limit, reason: String) {
        self.limits.push(limit);
        self.reasons.push(reason);
    }
}

/// `value ≤ max`, false for NaN: a criterion holds only on a real number.
fn at_most(value: f64, max: f64) -> bool {
    value <= max
}

/// `value ≥ min`, false for NaN.
fn at_least(value: f64, min: f64) -> bool {
    value >= min
}

/// `value < max`, false for NaN.
fn below(value: f64, max: f64) -> bool {
    value < max
}

/// The largest of `values`, NaN-propagating (a NaN anywhere gives NaN).
fn max_nan_aware(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(f64::NEG_INFINITY, |acc, v| {
        if acc.is_nan() || v.is_nan() {
            f64::NAN
        } else {
            acc.max(v)
        }
    })
}

/// The smallest of `values`, NaN-propagating.
fn min_nan_aware(values: impl Iterator<Item = f64>) -> f64 {
    -max_nan_aware(values.map(|v| -v))
}

/// Names of every reported figure that is not finite (the verdict quotes the first four). Along
/// the line an SNR of +∞ is allowed: no noise yet (a noiseless booster after a ROADM at the
/// transmitter); at the receiver every figure must be finite.
fn non_finite_figures(spans: &[SpanReport], channels: &[ChannelReport]) -> Vec<String> {
    let mut names = Vec::new();
    for s in spans {
        let figures = [
            ("launch_power_dbm", s.launch_power_dbm, false),
            ("output_power_dbm", s.output_power_dbm, false),
            (
                "amplifier_total_output_dbm",
                s.amplifier_total_output_dbm,
                false,
            ),
            ("osnr_ase_db", s.osnr_ase_db, true),
            ("snr_nli_db", s.snr_nli_db, true),
            ("gsnr_db", s.gsnr_db, true),
            ("cd_ps_nm", s.cd_ps_nm, false),
            ("pmd_ps", s.pmd_ps, false),
        ];
        for (name, value, noise_free_allowed) in figures {
            let noise_free = noise_free_allowed && value == f64::INFINITY;
            if !value.is_finite() && !noise_free {
                names.push(format!("spans[{}].{name}", s.index));
            }
        }
    }
    for (i, c) in channels.iter().enumerate() {
        let figures = [
            ("power_dbm", c.power_dbm),
            ("osnr_ase_db", c.osnr_ase_db),
            ("snr_nli_db", c.snr_nli_db),
            ("gsnr_db", c.gsnr_db),
            ("gsnr_01nm_db", c.gsnr_01nm_db),
            ("cd_ps_nm", c.cd_ps_nm),
        ];
        for (name, value) in figures {
            if !value.is_finite() {
                names.push(format!("channels[{i}].{name}"));
            }
        }
    }
    names
}

/// Builds the summary: centre-channel headline numbers, worst channel, margins and the limits that
/// fail. `osnr_margin_db = (worst GSNR in 0.1 nm) − required OSNR − system margin`.
///
/// `nli_ratios[k]` is the largest `P_NLI / P_in-band` of span k over the channels.
pub(super) fn judge(
    link: &Link,
    spans: &[SpanReport],
    channels: &[ChannelReport],
    nli_ratios: &[f64],
    pmd_ps: f64,
    warnings: Vec<String>,
) -> Summary {
    let mut findings = Findings::default();
    let center = channels.get(link.grid.center_index());
    let figure = |f: fn(&ChannelReport) -> f64| center.map_or(f64::NAN, f);
    // The worst channel: a NaN GSNR counts as the worst of all.
    let worst = channels.iter().min_by(|a, b| {
        let key = |c: &ChannelReport| {
            if c.gsnr_db.is_nan() {
                f64::NEG_INFINITY
            } else {
                c.gsnr_db
            }
        };
        key(a).total_cmp(&key(b))
    });
    let trx = &link.transceiver;

    let short_of_gain: Vec<(usize, f64, f64)> = link
        .spans
        .iter()
        .enumerate()
        .map(|(index, span)| (index, span.edfa()))
        .filter(|(_, edfa)| !at_most(edfa.gain_db, edfa.max_gain_db))
        .map(|(index, edfa)| (index, edfa.gain_db, edfa.max_gain_db))
        .collect();
    if let Some(&(first, gain_db, max_gain_db)) = short_of_gain.first() {
        let where_ = if short_of_gain.len() == 1 {
            format!("span {first} needs")
        } else {
            let listed: Vec<String> = short_of_gain
                .iter()
                .take(8)
                .map(|(i, _, _)| i.to_string())
                .collect();
            let more = if short_of_gain.len() > 8 { ", …" } else { "" };
            format!(
                "{} spans ({}{more}) need more gain than their amplifiers deliver; span {first} needs",
                short_of_gain.len(),
                listed.join(", ")
            )
        };
        findings.add(
            Limit::Gain,
            format!(
                "{where_} {} dB of amplifier gain, above the amplifier's maximum of {} dB (amplifier_max_gain_db)",
                format_number(gain_db, 2),
                format_number(max_gain_db, 2)
            ),
        );
    }
    if let Some((index, &ratio)) = nli_ratios
        .iter()
        .enumerate()
        .find(|(_, &r)| !below(r, NLI_MODEL_LIMIT))
    {
        findings.add(
            Limit::NliModel,
            format!(
                "span {index}: the GN model's nonlinear interference reaches {} times the in-band power; the model (a small perturbation) does not hold there",
                format_number(ratio, 3)
            ),
        );
    }

    let worst_gsnr_01nm_db = worst.map_or(f64::NAN, |w| w.gsnr_01nm_db);
    let osnr_margin_db = trx
        .required_osnr_db
        .map(|required| worst_gsnr_01nm_db - required - trx.system_margin_db);
    if let Some(margin) = osnr_margin_db {
        if !at_least(margin, 0.0) {
            findings.add(
                Limit::Osnr,
                format!(
                    "worst GSNR {} dB (0.1 nm) is below the required OSNR plus system margin",
                    format_number(worst_gsnr_01nm_db, 2)
                ),
            );
        }
    }
    let worst_cd_ps_nm = max_nan_aware(channels.iter().map(|c| c.cd_ps_nm.abs()));
    if let Some(tol) = trx.cd_tolerance_ps_nm {
        if !at_most(worst_cd_ps_nm, tol) {
            findings.add(
                Limit::Cd,
                format!(
                    "accumulated CD {} ps/nm exceeds the tolerance of {} ps/nm",
                    format_number(worst_cd_ps_nm, 1),
                    format_number(tol, 1)
                ),
            );
        }
    }
    if let Some(tol) = trx.pmd_tolerance_ps {
        if !at_most(pmd_ps, tol) {
            findings.add(
                Limit::Pmd,
                format!(
                    "mean DGD {} ps exceeds the tolerance of {} ps",
                    format_number(pmd_ps, 3),
                    format_number(tol, 3)
                ),
            );
        }
    }
    let weakest_rx_dbm = min_nan_aware(channels.iter().map(|c| c.power_dbm));
    if let Some(min) = trx.rx_sensitivity_dbm {
        if !at_least(weakest_rx_dbm, min) {
            findings.add(
                Limit::RxPower,
                format!(
                    "weakest received power {} dBm is below the sensitivity of {} dBm",
                    format_number(weakest_rx_dbm, 2),
                    format_number(min, 2)
                ),
            );
        }
    }
    let mut non_finite = non_finite_figures(spans, channels);
    if !pmd_ps.is_finite() {
        non_finite.push("pmd_ps".into());
    }
    if spans.is_empty() || channels.is_empty() {
        non_finite.push("the link has no spans or no channels".into());
    }
    if !non_finite.is_empty() {
        let shown = non_finite.len().min(4);
        let more = non_finite.len() - shown;
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        findings.add(
            Limit::NonFinite,
            format!(
                "not finite (reported as null): {}{tail}",
                non_finite[..shown].join(", ")
            ),
        );
    }

    let last_span_gsnr_db = spans.last().map_or(f64::NAN, |s| s.gsnr_db);
    Summary {
        length_km: link.length_km(),
        spans: spans.len(),
        cd_ps_nm: figure(|c| c.cd_ps_nm),
        pmd_ps,
        rx_power_dbm: figure(|c| c.power_dbm),
        osnr_ase_db: figure(|c| c.osnr_ase_db),
        snr_nli_db: figure(|c| c.snr_nli_db),
        gsnr_db: figure(|c| c.gsnr_db),
        line_gsnr_db: last_span_gsnr_db,
        worst_gsnr_db: worst.map_or(f64::NAN, |w| w.gsnr_db),
        worst_channel_thz: worst.map_or(f64::NAN, |w| w.frequency_thz),
        osnr_margin_db,
        feasible: findings.limits.is_empty(),
        limits: findings.limits,
        reasons: findings.reasons,
        warnings,
        nli_model: link.nli_model.name(),
        modulation: link.nli_model.format(),
    }
}
