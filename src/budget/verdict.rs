//! Margins against the transceiver and the verdict.

use super::link::Link;
use super::report::{ChannelReport, SpanReport, Summary};

/// Builds the summary: centre-channel headline numbers, worst channel, margins and the limits that
/// fail. `osnr_margin_db = (worst GSNR in 0.1 nm) − required OSNR − system margin`.
pub(super) fn judge(
    link: &Link,
    spans: &[SpanReport],
    channels: &[ChannelReport],
    pmd_ps: f64,
    warnings: Vec<String>,
) -> Summary {
    let centre = &channels[link.grid.centre_index()];
    let last_span = spans.last().expect("a link has at least one span");
    let worst = channels
        .iter()
        .min_by(|a, b| a.gsnr_db.total_cmp(&b.gsnr_db))
        .expect("a link has at least one channel");
    let trx = &link.transceiver;

    let osnr_margin_db = trx
        .required_osnr_db
        .map(|required| worst.gsnr_01nm_db - required - trx.system_margin_db);
    let worst_cd_ps_nm = channels
        .iter()
        .map(|c| c.cd_ps_nm.abs())
        .fold(0.0, f64::max);
    let weakest_rx_dbm = channels
        .iter()
        .map(|c| c.power_dbm)
        .fold(f64::INFINITY, f64::min);

    let mut limits = Vec::new();
    if osnr_margin_db.is_some_and(|m| m < 0.0) {
        limits.push("osnr".to_string());
    }
    if trx
        .cd_tolerance_ps_nm
        .is_some_and(|tol| worst_cd_ps_nm > tol)
    {
        limits.push("cd".to_string());
    }
    if trx.pmd_tolerance_ps.is_some_and(|tol| pmd_ps > tol) {
        limits.push("pmd".to_string());
    }
    if trx
        .rx_sensitivity_dbm
        .is_some_and(|min| weakest_rx_dbm < min)
    {
        limits.push("rx_power".to_string());
    }

    Summary {
        length_km: link.length_km(),
        spans: spans.len(),
        cd_ps_nm: centre.cd_ps_nm,
        pmd_ps,
        rx_power_dbm: centre.power_dbm,
        osnr_ase_db: centre.osnr_ase_db,
        snr_nli_db: centre.snr_nli_db,
        gsnr_db: centre.gsnr_db,
        line_gsnr_db: last_span.gsnr_db,
        worst_gsnr_db: worst.gsnr_db,
        worst_channel_thz: worst.frequency_thz,
        osnr_margin_db,
        feasible: limits.is_empty(),
        limits,
        warnings,
    }
}
