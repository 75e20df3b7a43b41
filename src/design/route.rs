//! A route: ordered candidate sites, fibre sections and constraints.

use crate::budget::{splice_count, NliModel, Span, WdmGrid};
use crate::fiber::FiberParams;
use crate::transceiver::TransceiverRequirements;

/// What a candidate site may host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteKind {
    /// An end of the route (transceivers).
    Terminal,
    /// A node: may host an amplifier or a regenerator.
    Node,
    /// A hut: may host an amplifier only.
    Hut,
}

/// A candidate site along the route.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// Name.
    pub name: String,
    /// Position along the route, km from its start.
    pub km: f64,
    /// What it may host.
    pub kind: SiteKind,
}

/// A stretch of the route with its own fibre and/or a lumped extra loss at its start.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteStretch {
    /// Start, km.
    pub from_km: f64,
    /// End, km.
    pub to_km: f64,
    /// Fibre on this stretch.
    pub fiber: FiberParams,
    /// Lumped loss located at `from_km` (it belongs to the span with `from ≤ from_km < to`), dB.
    pub extra_loss_db: f64,
}

/// Hard constraints on every span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Constraints {
    /// Largest span loss, dB.
    pub max_span_loss_db: f64,
    /// Smallest span loss, dB.
    pub min_span_loss_db: Option<f64>,
    /// Longest span, km.
    pub max_span_km: Option<f64>,
}

impl Constraints {
    /// Spans of at most `max_span_loss_db`, no lower bound on loss, no length limit.
    pub fn max_loss(max_span_loss_db: f64) -> Self {
        Self {
            max_span_loss_db,
            min_span_loss_db: None,
            max_span_km: None,
        }
    }
}

/// Most candidate sites the regular huts of a route (or of every link of a network together) may
/// number: the placement holds a few hundred bytes per site and evaluates each against the sites
/// within one span, so 10⁶ sites is about 0.3 GB and seconds of work; a finer spacing on a longer
/// route is refused before a site is made.
pub const MAX_CANDIDATE_SITES: f64 = 1e6;

/// A route to design.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Name.
    pub name: Option<String>,
    /// The WDM comb.
    pub grid: WdmGrid,
    /// Per-channel launch power, dBm.
    pub launch_power_dbm: f64,
    /// How the budget models nonlinear interference.
    pub nli_model: NliModel,
    /// Requirements each transparent section must meet.
    pub transceiver: TransceiverRequirements,
    /// Span parameters every designed span starts from (its `length_km` is unused; its fibre is
    /// the fibre outside any [`RouteStretch`]).
    pub template: Span,
    /// Candidate sites in route order; the first and last are the terminals.
    pub sites: Vec<Site>,
    /// Stretches with other fibre, sorted and non-overlapping.
    pub stretches: Vec<RouteStretch>,
    /// Span constraints.
    pub constraints: Constraints,
}

impl Route {
    /// The fibre pieces between `from_km` and `to_km`: `(length_km, fibre)` in order.
    pub(crate) fn fiber_pieces(&self, from_km: f64, to_km: f64) -> Vec<(f64, &FiberParams)> {
        let mut pieces = Vec::new();
        let mut position = from_km;
        for section in &self.stretches {
            if section.to_km <= position || section.from_km >= to_km {
                continue;
            }
            if section.from_km > position {
                pieces.push((section.from_km - position, &self.template.fiber));
                position = section.from_km;
            }
            let end = section.to_km.min(to_km);
            pieces.push((end - position, &section.fiber));
            position = end;
        }
        if to_km > position {
            pieces.push((to_km - position, &self.template.fiber));
        }
        pieces
    }

    /// Lumped section losses located in `[from_km, to_km)`, dB.
    pub(crate) fn lumped_loss_db(&self, from_km: f64, to_km: f64) -> f64 {
        self.stretches
            .iter()
            .filter(|s| s.from_km >= from_km && s.from_km < to_km)
            .map(|s| s.extra_loss_db)
            .sum()
    }

    /// The largest span loss a placement may use, dB: `max_span_loss_db`, and, when the amplifiers'
    /// gain follows the span loss (no fixed `amplifier_gain_db`), no more than the gain they can
    /// deliver (`amplifier_max_gain_db`) — a span beyond it could never be feasible.
    pub fn max_span_loss_db(&self) -> f64 {
        match self.template.amplifier_gain_db {
            None => self
                .constraints
                .max_span_loss_db
                .min(self.template.amplifier_max_gain_db),
            Some(_) => self.constraints.max_span_loss_db,
        }
    }

    /// The budget span between two positions: the template with the fibre of the stretch. A span
    /// over several fibres gets length-weighted attenuation, D and slope (exact total loss and CD),
    /// `√(Σ PMD_i²·L_i / L)` (exact PMD) and the first piece's effective area (most NLI is
    /// generated in the first effective length).
    pub fn span_between(&self, from_km: f64, to_km: f64) -> Span {
        let pieces = self.fiber_pieces(from_km, to_km);
        let length_km = to_km - from_km;
        let weighted = |f: &dyn Fn(&FiberParams) -> f64| {
            pieces.iter().map(|(l, p)| l * f(p)).sum::<f64>() / length_km
        };
        let Some(&(_, first)) = pieces.first() else {
            // A zero-length stretch: the template's fibre.
            return Span {
                length_km,
                extra_loss_db: self.template.extra_loss_db + self.lumped_loss_db(from_km, to_km),
                ..self.template.clone()
            };
        };
        let fiber = if pieces.iter().all(|(_, p)| *p == first) {
            first.clone()
        } else {
            FiberParams {
                attenuation_db_per_km: weighted(&|p| p.attenuation_db_per_km),
                dispersion_ps_nm_km: weighted(&|p| p.dispersion_ps_nm_km),
                dispersion_slope_ps_nm2_km: weighted(&|p| p.dispersion_slope_ps_nm2_km),
                effective_area_um2: first.effective_area_um2,
                pmd_ps_per_sqrt_km: weighted(&|p| p.pmd_ps_per_sqrt_km * p.pmd_ps_per_sqrt_km)
                    .sqrt(),
                constant_beta2: first.constant_beta2,
            }
        };
        Span {
            length_km,
            fiber,
            extra_loss_db: self.template.extra_loss_db + self.lumped_loss_db(from_km, to_km),
            ..self.template.clone()
        }
    }

    /// Span loss between two positions, dB (the budget's loss model; equals
    /// `span_between(from, to).loss_db()` up to round-off).
    pub fn span_loss_db(&self, from_km: f64, to_km: f64) -> f64 {
        let t = &self.template;
        let fiber: f64 = self
            .fiber_pieces(from_km, to_km)
            .iter()
            .map(|(l, p)| l * p.attenuation_db_per_km)
            .sum();
        t.connector_in_db
            + fiber
            + splice_count(to_km - from_km, t.splice_spacing_km) as f64 * t.splice_loss_db
            + t.connector_out_db
            + t.aging_margin_db
            + t.extra_loss_db
            + self.lumped_loss_db(from_km, to_km)
    }
}
