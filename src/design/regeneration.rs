//! The whole design: amplifiers, and regenerators where a transparent section cannot close.

use std::fmt;

use serde::Serialize;

use super::placement::{place_amplifiers, Placement, PlacementError};
use super::route::{Route, SiteKind};
use crate::budget::{BudgetPlan, BudgetReport, Limit, Link, NliCache};

/// What a chosen site does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteRole {
    /// An end of the route.
    Terminal,
    /// An in-line amplifier.
    Amplifier,
    /// An OEO regenerator (a terminal of two transparent sections).
    Regenerator,
}

/// A chosen site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChosenSite {
    /// Site name.
    pub name: String,
    /// Position, km.
    pub km: f64,
    /// Its role.
    pub role: SiteRole,
}

/// A designed span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesignedSpan {
    /// Site at the span's start.
    pub from: String,
    /// Site at the span's end.
    pub to: String,
    /// Start, km.
    pub from_km: f64,
    /// End, km.
    pub to_km: f64,
    /// Length, km.
    pub length_km: f64,
    /// Span loss, dB.
    pub loss_db: f64,
}

/// One transparent section between two terminals/regenerators.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignedSection {
    /// The designed link the budget walks (and `--emit-link` writes).
    pub link: Link,
    /// Its spans.
    pub spans: Vec<DesignedSpan>,
    /// Its in-line amplifiers.
    pub amplifiers: usize,
    /// Its budget.
    pub budget: BudgetReport,
}

/// The design of a route.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignResult {
    /// In-line amplifiers (terminals' boosters/pre-amplifiers not counted).
    pub amplifiers: usize,
    /// Regenerators.
    pub regenerators: usize,
    /// Chosen sites in order.
    pub sites: Vec<ChosenSite>,
    /// All spans in order.
    pub spans: Vec<DesignedSpan>,
    /// `Σ 10^(loss_dB/10)` over all spans.
    pub sum_linear_span_loss: f64,
    /// Transparent sections in order.
    pub sections: Vec<DesignedSection>,
}

impl DesignResult {
    /// The worst channel's GSNR over every transparent section, dB (`None` without a section).
    pub fn worst_gsnr_db(&self) -> Option<f64> {
        self.sections
            .iter()
            .map(|s| s.budget.summary.worst_gsnr_db)
            .min_by(f64::total_cmp)
    }

    /// The smallest OSNR margin over the transparent sections, dB (`None` when no section has
    /// one: no OSNR requirement).
    pub fn worst_margin_db(&self) -> Option<f64> {
        self.sections
            .iter()
            .filter_map(|s| s.budget.summary.osnr_margin_db)
            .min_by(f64::total_cmp)
    }

    /// Transparent from end to end (no regenerator) and every section's budget feasible.
    pub fn transparent_and_feasible(&self) -> bool {
        self.regenerators == 0 && self.sections.iter().all(|s| s.budget.summary.feasible)
    }
}

/// Why a route cannot be designed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DesignError {
    /// Two consecutive candidate sites are too far apart.
    Stretch {
        from: String,
        from_km: f64,
        to: String,
        to_km: f64,
        loss_db: f64,
        length_km: f64,
        max_loss_db: f64,
    },
    /// No chain of spans satisfies the constraints between two sites.
    NoChain { from: String, to: String },
    /// Regenerators at node sites cannot make every section feasible.
    Regeneration {
        from: String,
        from_km: f64,
        limits: Vec<Limit>,
    },
}

impl fmt::Display for DesignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DesignError::Stretch { from, from_km, to, to_km, loss_db, length_km, max_loss_db } => write!(
                f,
                "infeasible route: the stretch {from} (km {from_km}) – {to} (km {to_km}), {length_km:.1} km, has {loss_db:.2} dB of span loss (at most {max_loss_db} dB: max_span_loss_db and amplifier_max_gain_db) or exceeds max_span_km; add a candidate site in between"
            ),
            DesignError::NoChain { from, to } => write!(
                f,
                "infeasible route: no chain of spans from {from} to {to} satisfies every constraint (check min_span_loss_db and max_span_km)"
            ),
            DesignError::Regeneration { from, from_km, limits } => write!(
                f,
                "infeasible route: no transparent section from {from} (km {from_km}) reaches another regeneration site (node) or the far terminal (limited by: {})",
                limits.iter().map(|l| l.name()).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

impl std::error::Error for DesignError {}

fn placement_error(route: &Route, e: PlacementError) -> DesignError {
    match e {
        PlacementError::Stretch {
            from,
            to,
            loss_db,
            length_km,
        } => DesignError::Stretch {
            from: route.sites[from].name.clone(),
            from_km: route.sites[from].km,
            to: route.sites[to].name.clone(),
            to_km: route.sites[to].km,
            loss_db,
            length_km,
            max_loss_db: route.max_span_loss_db(),
        },
        PlacementError::NoChain { from, to } => DesignError::NoChain {
            from: route.sites[from].name.clone(),
            to: route.sites[to].name.clone(),
        },
    }
}

/// The link of a placement, and its spans.
fn section_of(route: &Route, placement: &Placement) -> (Link, Vec<DesignedSpan>) {
    let mut spans = Vec::new();
    let mut designed = Vec::new();
    for pair in placement.sites.windows(2) {
        let (a, b) = (&route.sites[pair[0]], &route.sites[pair[1]]);
        let span = route.span_between(a.km, b.km);
        designed.push(DesignedSpan {
            from: a.name.clone(),
            to: b.name.clone(),
            from_km: a.km,
            to_km: b.km,
            length_km: span.length_km,
            loss_db: span.loss_db(),
        });
        spans.push(span);
    }
    let first = &route.sites[placement.sites[0]].name;
    let last = &route.sites[*placement.sites.last().expect("two sites")].name;
    let name = match &route.name {
        Some(n) => format!("{n}: {first} – {last}"),
        None => format!("{first} – {last}"),
    };
    let link = Link {
        name: Some(name),
        grid: route.grid.clone(),
        launch_power_dbm: route.launch_power_dbm,
        spans,
        transceiver: route.transceiver.clone(),
        nli_model: route.nli_model,
        start_roadm: None,
    };
    (link, designed)
}

/// The best way found to reach a regeneration candidate.
#[derive(Clone, Copy)]
struct Reach {
    regenerators: usize,
    amplifiers: usize,
    sum_linear_span_loss: f64,
    /// Index (into the candidate list) of the previous regeneration site.
    previous: usize,
    /// Index (into the evaluated sections) of the section that arrives here.
    section: usize,
}

impl Reach {
    fn beats(&self, other: &Reach) -> bool {
        (self.regenerators, self.amplifiers) < (other.regenerators, other.amplifiers)
            || ((self.regenerators, self.amplifiers) == (other.regenerators, other.amplifiers)
                && self.sum_linear_span_loss < other.sum_linear_span_loss)
    }
}

/// A designed and budgeted transparent section between two sites.
struct Candidate {
    placement: Placement,
    link: Link,
    spans: Vec<DesignedSpan>,
    budget: BudgetReport,
}

fn candidate(
    route: &Route,
    (from, to): (usize, usize),
    nli: &mut NliCache,
) -> Result<Candidate, DesignError> {
    let placement = place_amplifiers(route, from, to).map_err(|e| placement_error(route, e))?;
    let (link, spans) = section_of(route, &placement);
    let budget = BudgetPlan::with_cache(&link, nli).run();
    Ok(Candidate {
        placement,
        link,
        spans,
        budget,
    })
}

/// Designs `route`: amplifiers everywhere, regenerators (at `node` sites) only where needed.
pub fn design_route(route: &Route) -> Result<DesignResult, DesignError> {
    let last = route.sites.len() - 1;
    // The η matrices of the route's fibres, computed once for every candidate section.
    let mut nli = NliCache::new();
    let whole = candidate(route, (0, last), &mut nli)?;
    if whole.budget.summary.feasible {
        return Ok(assemble(route, vec![whole]));
    }
    // Regeneration: shortest path over the regeneration candidates, edges = feasible sections.
    let candidates: Vec<usize> = (0..=last)
        .filter(|&k| k == 0 || k == last || route.sites[k].kind == SiteKind::Node)
        .collect();
    let mut best: Vec<Option<Reach>> = vec![None; candidates.len()];
    let mut sections: Vec<Candidate> = Vec::new();
    best[0] = Some(Reach {
        regenerators: 0,
        amplifiers: 0,
        sum_linear_span_loss: 0.0,
        previous: 0,
        section: usize::MAX,
    });
    let mut furthest_failure: Option<(usize, Vec<Limit>)> = None;
    for (ai, &a) in candidates.iter().enumerate() {
        let Some(here) = best[ai] else { continue };
        for (bi, &b) in candidates.iter().enumerate().skip(ai + 1) {
            let section = match candidate(route, (a, b), &mut nli) {
                Ok(section) => section,
                Err(DesignError::NoChain { .. }) => continue,
                Err(e) => return Err(e),
            };
            let summary = &section.budget.summary;
            if !summary.feasible {
                if furthest_failure.as_ref().is_none_or(|(f, _)| a >= *f) {
                    furthest_failure = Some((a, summary.limits.clone()));
                }
                // CD and PMD only grow with distance: no later site can be reached from a.
                if summary
                    .limits
                    .iter()
                    .any(|l| matches!(l, Limit::Cd | Limit::Pmd))
                {
                    break;
                }
                continue;
            }
            let reach = Reach {
                regenerators: here.regenerators + usize::from(ai != 0),
                amplifiers: here.amplifiers + section.placement.amplifiers,
                sum_linear_span_loss: here.sum_linear_span_loss
                    + section.placement.sum_linear_span_loss,
                previous: ai,
                section: sections.len(),
            };
            if best[bi].is_none_or(|current| reach.beats(&current)) {
                sections.push(section);
                best[bi] = Some(reach);
            }
        }
    }
    if best[candidates.len() - 1].is_none() {
        let (from, limits) = furthest_failure.unwrap_or((0, whole.budget.summary.limits.clone()));
        return Err(DesignError::Regeneration {
            from: route.sites[from].name.clone(),
            from_km: route.sites[from].km,
            limits,
        });
    }
    let mut chain = Vec::new();
    let mut at = candidates.len() - 1;
    while at != 0 {
        let reach = best[at].expect("on the path");
        chain.push(reach.section);
        at = reach.previous;
    }
    chain.reverse();
    let mut slots: Vec<Option<Candidate>> = sections.into_iter().map(Some).collect();
    let chosen = chain
        .into_iter()
        .map(|k| slots[k].take().expect("each section used once"))
        .collect();
    Ok(assemble(route, chosen))
}

fn assemble(route: &Route, sections: Vec<Candidate>) -> DesignResult {
    let mut sites = Vec::new();
    let count = sections.len();
    for (k, section) in sections.iter().enumerate() {
        let indices = &section.placement.sites;
        for (position, &index) in indices.iter().enumerate() {
            let is_first = position == 0;
            let is_last = position + 1 == indices.len();
            if is_first && k > 0 {
                continue; // already added as the previous section's end
            }
            let role = if (is_first && k == 0) || (is_last && k + 1 == count) {
                SiteRole::Terminal
            } else if is_first || is_last {
                SiteRole::Regenerator
            } else {
                SiteRole::Amplifier
            };
            let site = &route.sites[index];
            sites.push(ChosenSite {
                name: site.name.clone(),
                km: site.km,
                role,
            });
        }
    }
    DesignResult {
        amplifiers: sections.iter().map(|s| s.placement.amplifiers).sum(),
        regenerators: count - 1,
        sites,
        spans: sections.iter().flat_map(|s| s.spans.clone()).collect(),
        sum_linear_span_loss: sections
            .iter()
            .map(|s| s.placement.sum_linear_span_loss)
            .sum(),
        sections: sections
            .into_iter()
            .map(|s| DesignedSection {
                link: s.link,
                spans: s.spans,
                amplifiers: s.placement.amplifiers,
                budget: s.budget,
            })
            .collect(),
    }
}
