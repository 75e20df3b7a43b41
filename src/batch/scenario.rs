//! Running one scenario: the base file with the scenario's values, through the budget, the
//! design, the network design or the waveform simulation.

use serde::Serialize;
use serde_json::Value as Json;

use super::rows::Row;
use super::sweep::{set_path, BaseKind, Scenario, Sweep};
use crate::budget::{BudgetPlan, NliCache};
use crate::design::design_route;
use crate::resources::ResourceBudget;
use crate::system::simulate;

/// The result columns of each kind of base file, in order.
pub fn result_columns(kind: BaseKind) -> &'static [&'static str] {
    match kind {
        BaseKind::Link => &[
            "feasible",
            "worst_gsnr_db",
            "osnr_margin_db",
            "gsnr_db",
            "osnr_ase_db",
            "snr_nli_db",
            "rx_power_dbm",
            "cd_ps_nm",
            "pmd_ps",
            "limits",
        ],
        BaseKind::Route => &[
            "feasible",
            "amplifiers",
            "regenerators",
            "spans",
            "sum_linear_span_loss",
            "worst_gsnr_db",
            "osnr_margin_db",
        ],
        BaseKind::Network => &[
            "feasible",
            "links",
            "infeasible_links",
            "amplifiers",
            "worst_gsnr_db",
            "osnr_margin_db",
        ],
        BaseKind::System => &[
            "snr_db",
            "q_db",
            "ber",
            "ber_estimate",
            "bits",
            "worst_snr_db",
            "gsnr_budget_db",
            "dgd_ps",
        ],
    }
}

/// The result of one scenario of a LINK.toml sweep (the columns of [`result_columns`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkOutcome {
    /// The budget's verdict.
    pub feasible: bool,
    /// Worst channel's GSNR, dB.
    pub worst_gsnr_db: f64,
    /// OSNR margin, dB.
    pub osnr_margin_db: Option<f64>,
    /// Center channel's GSNR, dB.
    pub gsnr_db: f64,
    /// Center channel's OSNR (ASE, 0.1 nm), dB.
    pub osnr_ase_db: f64,
    /// Center channel's SNR from NLI, dB.
    pub snr_nli_db: f64,
    /// Received power per channel, dBm.
    pub rx_power_dbm: f64,
    /// Accumulated CD, ps/nm.
    pub cd_ps_nm: f64,
    /// Mean DGD, ps.
    pub pmd_ps: f64,
    /// The limits that fail, `|`-separated.
    pub limits: String,
}

/// The result of one scenario of a ROUTE.toml sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteOutcome {
    /// Every transparent section feasible.
    pub feasible: bool,
    /// In-line amplifiers.
    pub amplifiers: usize,
    /// Regenerators.
    pub regenerators: usize,
    /// Spans.
    pub spans: usize,
    /// `Σ 10^(loss_dB/10)` over the spans.
    pub sum_linear_span_loss: f64,
    /// Worst GSNR over the sections, dB.
    pub worst_gsnr_db: Option<f64>,
    /// Smallest OSNR margin over the sections, dB.
    pub osnr_margin_db: Option<f64>,
}

/// The result of one scenario of a NETWORK.toml sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkOutcome {
    /// Every link transparent.
    pub feasible: bool,
    /// Links.
    pub links: usize,
    /// Links that are not designed, or need a regenerator.
    pub infeasible_links: usize,
    /// In-line amplifiers over every link.
    pub amplifiers: usize,
    /// Worst GSNR over every link, dB.
    pub worst_gsnr_db: Option<f64>,
    /// Smallest OSNR margin over every link, dB.
    pub osnr_margin_db: Option<f64>,
}

/// The result of one scenario of a SYSTEM.toml sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemOutcome {
    /// Received channel's SNR, dB (coherent).
    pub snr_db: Option<f64>,
    /// Received channel's Q, dB (direct detection).
    pub q_db: Option<f64>,
    /// Counted BER.
    pub ber: f64,
    /// Estimated BER.
    pub ber_estimate: f64,
    /// Bits compared.
    pub bits: usize,
    /// Worst SNR over the channels, dB.
    pub worst_snr_db: Option<f64>,
    /// The budget's GSNR of the received channel, dB.
    pub gsnr_budget_db: Option<f64>,
    /// DGD the adaptive equaliser undid, ps.
    pub dgd_ps: Option<f64>,
}

/// The result of one scenario, by kind of base file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ScenarioOutcome {
    /// LINK.toml.
    Link(LinkOutcome),
    /// ROUTE.toml.
    Route(RouteOutcome),
    /// NETWORK.toml.
    Network(NetworkOutcome),
    /// SYSTEM.toml.
    System(SystemOutcome),
}

impl ScenarioOutcome {
    /// The row's values in the order of `columns` (null where a figure is absent or not finite).
    pub fn values(&self, columns: &[&str]) -> Vec<Json> {
        let object = serde_json::to_value(self).unwrap_or(Json::Null);
        columns
            .iter()
            .map(|c| object.get(*c).cloned().unwrap_or(Json::Null))
            .collect()
    }
}

/// η matrices each batch worker thread keeps between its scenarios (a sweep that does not vary
/// the fibre computes them once per thread, not once per scenario): at most 64 MiB per thread.
const WORKER_NLI_CACHE_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

thread_local! {
    static WORKER_NLI_CACHE: std::cell::RefCell<NliCache> =
        std::cell::RefCell::new(NliCache::with_capacity_bytes(WORKER_NLI_CACHE_BYTES));
}

/// The smallest value, if any (a −∞ or NaN stays, and is written as null: a worst figure that
/// is not a number is not replaced by a better one).
fn min(values: impl Iterator<Item = f64>) -> Option<f64> {
    values.min_by(f64::total_cmp)
}

/// Runs one scenario: the base document with its values, through the budget, the design, the
/// network design or the simulation.
pub fn evaluate(
    sweep: &Sweep,
    scenario: &Scenario,
    budget: &ResourceBudget,
) -> Result<ScenarioOutcome, String> {
    let mut document = sweep.base.clone();
    for (path, value) in &scenario.assignments {
        set_path(&mut document, path, value.clone())
            .ok_or_else(|| format!("{path}: cannot be set in the base file"))?;
    }
    let base_dir = sweep
        .base_path
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    // The readers' errors name the base file (they know only the document).
    let in_base = |e: crate::io::InputError| {
        if e.file.is_empty() {
            e.in_file(sweep.base_path.display().to_string())
        } else {
            e
        }
        .to_string()
    };
    Ok(match sweep.kind {
        BaseKind::Link => {
            let link = crate::io::link_from_table(&document).map_err(in_base)?;
            let s = WORKER_NLI_CACHE
                .with(|cache| BudgetPlan::with_cache(&link, &mut cache.borrow_mut()).run())
                .summary;
            ScenarioOutcome::Link(LinkOutcome {
                feasible: s.feasible,
                worst_gsnr_db: s.worst_gsnr_db,
                osnr_margin_db: s.osnr_margin_db,
                gsnr_db: s.gsnr_db,
                osnr_ase_db: s.osnr_ase_db,
                snr_nli_db: s.snr_nli_db,
                rx_power_dbm: s.rx_power_dbm,
                cd_ps_nm: s.cd_ps_nm,
                pmd_ps: s.pmd_ps,
                limits: s
                    .limits
                    .iter()
                    .map(|l| l.name())
                    .collect::<Vec<_>>()
                    .join("|"),
            })
        }
        BaseKind::Route => {
            let route = crate::io::route_from_table(&document).map_err(in_base)?;
            let d = design_route(&route).map_err(|e| e.to_string())?;
            ScenarioOutcome::Route(RouteOutcome {
                feasible: d.sections.iter().all(|s| s.budget.summary.feasible),
                amplifiers: d.amplifiers,
                regenerators: d.regenerators,
                spans: d.spans.len(),
                sum_linear_span_loss: d.sum_linear_span_loss,
                worst_gsnr_db: d.worst_gsnr_db(),
                osnr_margin_db: d.worst_margin_db(),
            })
        }
        BaseKind::System => {
            let system = crate::io::system_from_table(&document).map_err(in_base)?;
            let outcome = simulate(&system, budget, &mut |_| {}).map_err(|e| e.to_string())?;
            let (_, received) = &outcome.channels[system.receiver_channel];
            let link_budget =
                (!system.link.spans.is_empty()).then(|| BudgetPlan::new(&system.link).run());
            ScenarioOutcome::System(SystemOutcome {
                snr_db: received.snr_db.filter(|v| v.is_finite()),
                q_db: received.q_db,
                ber: received.ber,
                ber_estimate: received.ber_estimate,
                bits: received.bits,
                worst_snr_db: min(outcome
                    .channels
                    .iter()
                    .filter_map(|(_, m)| m.snr_db)
                    .filter(|v| v.is_finite())),
                gsnr_budget_db: link_budget.map(|b| b.channels[system.receiver_channel].gsnr_db),
                dgd_ps: received.dgd_estimate_ps,
            })
        }
        BaseKind::Network => {
            let input = crate::io::network_file::network_from_table(&document, &base_dir)
                .map_err(in_base)?;
            let network = input.plan.design_links();
            let designs: Vec<_> = network
                .links
                .iter()
                .filter_map(|l| l.design.as_ref().ok())
                .collect();
            let infeasible =
                network.links.len() - designs.iter().filter(|d| d.regenerators == 0).count();
            ScenarioOutcome::Network(NetworkOutcome {
                feasible: infeasible == 0,
                links: network.links.len(),
                infeasible_links: infeasible,
                amplifiers: designs.iter().map(|d| d.amplifiers).sum(),
                worst_gsnr_db: min(designs.iter().filter_map(|d| d.worst_gsnr_db())),
                osnr_margin_db: min(designs.iter().filter_map(|d| d.worst_margin_db())),
            })
        }
    })
}

/// The scenario's value of each swept parameter, in the sweep's column order (null where a case
/// does not set one).
pub fn parameter_values(sweep: &Sweep, scenario: &Scenario) -> Vec<Json> {
    sweep
        .parameters
        .iter()
        .map(|p| {
            scenario
                .assignments
                .iter()
                .find(|(k, _)| k == p)
                .map_or(Json::Null, |(_, v)| {
                    serde_json::to_value(v).unwrap_or(Json::Null)
                })
        })
        .collect()
}

/// Runs one scenario within `budget`; a failure (bad value, infeasible route, a simulation over
/// the budget) becomes the row's error.
pub fn run_scenario(sweep: &Sweep, scenario: &Scenario, budget: &ResourceBudget) -> Row {
    Row {
        index: scenario.index,
        id: scenario.id.clone(),
        parameters: parameter_values(sweep, scenario),
        result: evaluate(sweep, scenario, budget)
            .map(|outcome| outcome.values(result_columns(sweep.kind))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The serialised keys of an outcome, in order.
    fn keys(outcome: &ScenarioOutcome) -> Vec<String> {
        match serde_json::to_value(outcome).unwrap() {
            Json::Object(map) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn every_outcome_has_exactly_the_columns_of_its_kind() {
        let link = ScenarioOutcome::Link(LinkOutcome {
            feasible: true,
            worst_gsnr_db: f64::NAN,
            osnr_margin_db: None,
            gsnr_db: 1.0,
            osnr_ase_db: 2.0,
            snr_nli_db: 3.0,
            rx_power_dbm: 4.0,
            cd_ps_nm: 5.0,
            pmd_ps: 6.0,
            limits: "osnr".into(),
        });
        let route = ScenarioOutcome::Route(RouteOutcome {
            feasible: true,
            amplifiers: 1,
            regenerators: 0,
            spans: 2,
            sum_linear_span_loss: 3.0,
            worst_gsnr_db: None,
            osnr_margin_db: None,
        });
        let network = ScenarioOutcome::Network(NetworkOutcome {
            feasible: true,
            links: 1,
            infeasible_links: 0,
            amplifiers: 2,
            worst_gsnr_db: None,
            osnr_margin_db: None,
        });
        let system = ScenarioOutcome::System(SystemOutcome {
            snr_db: None,
            q_db: None,
            ber: 0.0,
            ber_estimate: 0.0,
            bits: 1,
            worst_snr_db: None,
            gsnr_budget_db: None,
            dgd_ps: None,
        });
        let sorted = |kind| {
            let mut columns: Vec<String> =
                result_columns(kind).iter().map(|c| c.to_string()).collect();
            columns.sort();
            columns
        };
        // serde_json's map is sorted, so compare as sets of names.
        assert_eq!(keys(&link), sorted(BaseKind::Link));
        assert_eq!(keys(&route), sorted(BaseKind::Route));
        assert_eq!(keys(&network), sorted(BaseKind::Network));
        assert_eq!(keys(&system), sorted(BaseKind::System));
        // A non-finite figure is null, an absent one too.
        let values = link.values(result_columns(BaseKind::Link));
        assert_eq!(values[1], Json::Null);
        assert_eq!(values[2], Json::Null);
        assert_eq!(values[9], Json::String("osnr".into()));
    }
}
