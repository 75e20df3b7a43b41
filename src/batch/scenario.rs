//! Running one scenario: the base file with the scenario's values, through the budget, the
//! design, the network design or the waveform simulation.

use serde_json::{json, Value as Json};

use super::results::Row;
use super::sweep::{set_path, BaseKind, Scenario, Sweep};
use crate::budget::BudgetPlan;
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

fn min(values: impl Iterator<Item = f64>) -> Json {
    values
        .min_by(f64::total_cmp)
        .map_or(Json::Null, |v| json!(v))
}

fn evaluate(
    sweep: &Sweep,
    scenario: &Scenario,
    budget: &ResourceBudget,
) -> Result<Vec<Json>, String> {
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
    let row = match sweep.kind {
        BaseKind::Link => {
            let link = crate::io::link_from_table(&document).map_err(|e| e.to_string())?;
            let s = BudgetPlan::new(&link).run().summary;
            vec![
                json!(s.feasible),
                json!(s.worst_gsnr_db),
                s.osnr_margin_db.map_or(Json::Null, |m| json!(m)),
                json!(s.gsnr_db),
                json!(s.osnr_ase_db),
                json!(s.snr_nli_db),
                json!(s.rx_power_dbm),
                json!(s.cd_ps_nm),
                json!(s.pmd_ps),
                json!(s
                    .limits
                    .iter()
                    .map(|l| l.name())
                    .collect::<Vec<_>>()
                    .join("|")),
            ]
        }
        BaseKind::Route => {
            let route = crate::io::route_from_table(&document).map_err(|e| e.to_string())?;
            let d = design_route(&route).map_err(|e| e.to_string())?;
            vec![
                json!(d.sections.iter().all(|s| s.budget.summary.feasible)),
                json!(d.amplifiers),
                json!(d.regenerators),
                json!(d.spans.len()),
                json!(d.sum_linear_span_loss),
                min(d.worst_gsnr_db().into_iter()),
                min(d
                    .sections
                    .iter()
                    .filter_map(|s| s.budget.summary.osnr_margin_db)),
            ]
        }
        BaseKind::System => {
            let system = crate::io::system_from_table(&document).map_err(|e| e.to_string())?;
            let outcome = simulate(&system, budget, &mut |_| {}).map_err(|e| e.to_string())?;
            let (_, received) = &outcome.channels[system.receiver_channel];
            let finite =
                |v: Option<f64>| v.filter(|v| v.is_finite()).map_or(Json::Null, |v| json!(v));
            let budget =
                (!system.link.spans.is_empty()).then(|| BudgetPlan::new(&system.link).run());
            vec![
                finite(received.snr_db),
                received.q_db.map_or(Json::Null, |q| json!(q)),
                json!(received.ber),
                json!(received.ber_estimate),
                json!(received.bits),
                min(outcome
                    .channels
                    .iter()
                    .filter_map(|(_, m)| m.snr_db)
                    .filter(|v| v.is_finite())),
                budget.map_or(Json::Null, |b| {
                    json!(b.channels[system.receiver_channel].gsnr_db)
                }),
                received.dgd_estimate_ps.map_or(Json::Null, |d| json!(d)),
            ]
        }
        BaseKind::Network => {
            let input = crate::io::network_file::network_from_table(&document, &base_dir)
                .map_err(|e| e.to_string())?;
            let network = input.plan.design_links();
            let designs: Vec<_> = network
                .links
                .iter()
                .filter_map(|l| l.design.as_ref().ok())
                .collect();
            let infeasible =
                network.links.len() - designs.iter().filter(|d| d.regenerators == 0).count();
            vec![
                json!(infeasible == 0),
                json!(network.links.len()),
                json!(infeasible),
                json!(designs.iter().map(|d| d.amplifiers).sum::<usize>()),
                min(designs.iter().filter_map(|d| d.worst_gsnr_db())),
                min(designs.iter().filter_map(|d| d.worst_margin_db())),
            ]
        }
    };
    Ok(row)
}

/// Runs one scenario within `budget`; a failure (bad value, infeasible route, a simulation over
/// the budget) becomes the row's error.
pub fn run_scenario(sweep: &Sweep, scenario: &Scenario, budget: &ResourceBudget) -> Row {
    let parameters = sweep
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
        .collect();
    Row {
        index: scenario.index,
        id: scenario.id.clone(),
        parameters,
        result: evaluate(sweep, scenario, budget),
    }
}
