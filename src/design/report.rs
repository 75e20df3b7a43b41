//! The `fibra design --json` document as a typed value.

use serde::Serialize;

use super::{ChosenSite, DesignResult, DesignedSpan};
use crate::budget::BudgetReport;

/// A route's design: its sites, spans and the budget of each transparent section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesignReport<'a> {
    /// Route name.
    pub name: Option<&'a str>,
    /// In-line amplifiers.
    pub amplifiers: usize,
    /// Regenerators.
    pub regenerators: usize,
    /// Chosen sites in order.
    pub sites: &'a [ChosenSite],
    /// Every span in order.
    pub spans: &'a [DesignedSpan],
    /// `Σ 10^(loss_dB/10)` over all spans.
    pub sum_linear_span_loss: f64,
    /// Budget of each transparent section.
    pub sections: Vec<&'a BudgetReport>,
    /// LINK.toml files written for the sections (`--emit-link`).
    pub emitted_links: Vec<String>,
}

impl DesignResult {
    /// The report of this design of the route `name`, naming the link files written for it.
    pub fn report<'a>(
        &'a self,
        name: Option<&'a str>,
        emitted_links: Vec<String>,
    ) -> DesignReport<'a> {
        DesignReport {
            name,
            amplifiers: self.amplifiers,
            regenerators: self.regenerators,
            sites: &self.sites,
            spans: &self.spans,
            sum_linear_span_loss: self.sum_linear_span_loss,
            sections: self.sections.iter().map(|s| &s.budget).collect(),
            emitted_links,
        }
    }
}
