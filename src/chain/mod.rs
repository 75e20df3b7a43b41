//! The element chain: a designed link as the sequence of elements its light passes through, in
//! the spirit of GNPy's elements. The link budget ([`crate::budget`]) and the waveform
//! simulation ([`crate::system`]) walk the same chain, each giving every element its action:
//!
//! | element | budget action (per-channel powers, ASE, NLI, CD, PMD) | field action (sampled field) |
//! |---|---|---|
//! | [`Connector`] | loss on every power | amplitude × 10^(−loss/20) |
//! | [`Fiber`] | GN-model NLI at its input, attenuation, CD, PMD | split step (Manakov), PMD sections |
//! | [`Fused`] | loss on every power | amplitude × 10^(−loss/20) |
//! | [`Edfa`] | gain, ASE `NF·h·f·G·B` | gain, white ASE of the same PSD |
//! | [`Roadm`] | each channel's whole power (signal + ASE + NLI) attenuated to `min(P, target)` | not modelled: a waveform simulation refuses it |
//!
//! A span of a LINK.toml ([`crate::budget::Span`]) is the chain
//! `Connector(in) → Fiber → Fused(splices, aging, extra) → Connector(out) → Edfa`; an EDFA closes
//! a span (the budget reports one row per EDFA). Chains with ROADMs, several fibres between
//! amplifiers and boosters come from GNPy networks ([`crate::gnpy`]) and are budgeted with
//! [`crate::budget::BudgetPlan::for_chain`].

use crate::amplifier::Edfa;
use crate::fiber::FiberParams;

/// A lumped loss at a fibre end (connector, patch cord), dB.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Connector {
    /// Insertion loss, dB (≥ 0).
    pub loss_db: f64,
}

/// A lumped loss inside a span that is not a connector: fusion splices between cable reels,
/// an aging/repair margin, patch panels; dB.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fused {
    /// Loss, dB (≥ 0).
    pub loss_db: f64,
}

/// A length of fibre.
#[derive(Debug, Clone, PartialEq)]
pub struct Fiber {
    /// Length, km.
    pub length_km: f64,
    /// The fibre's parameters (attenuation, dispersion, effective area, PMD).
    pub params: FiberParams,
}

impl Fiber {
    /// Attenuation of the whole length, dB: `α_dB·L`.
    pub fn loss_db(&self) -> f64 {
        self.params.attenuation_db_per_km * self.length_km
    }

    /// Effective length, km: `L_eff = (1 − e^{−αL})/α` (Agrawal, Nonlinear Fiber Optics, eq. 4.1.6).
    pub fn effective_length_km(&self) -> f64 {
        crate::fiber::effective_length_km(self.params.alpha_per_km(), self.length_km)
    }

    /// Accumulated chromatic dispersion at a channel frequency, ps/nm: `D(f)·L`.
    pub fn dispersion_ps_nm_at(&self, frequency_hz: f64) -> f64 {
        self.params.dispersion_ps_nm_km_at(frequency_hz) * self.length_km
    }

    /// Mean DGD squared that this fibre adds, ps²: `PMD²·L` (DGDs of cascaded fibres add in
    /// quadrature).
    pub fn pmd_squared_ps2(&self) -> f64 {
        self.params.pmd_ps_per_sqrt_km.powi(2) * self.length_km
    }
}

/// A ROADM degree as the budget sees it (GNPy's `Roadm.propagate` with no path impairments):
/// every channel leaves at `min(P_in, target)`, its signal, ASE and NLI scaled alike; it adds no
/// noise (the add/drop OSNR is a transceiver-end term).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Roadm {
    /// Output power per channel, dBm (the degree's equalisation target).
    pub target_power_dbm: f64,
    /// PMD of the ROADM, ps (adds in quadrature).
    pub pmd_ps: f64,
}

/// One element of a designed link.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Element {
    /// A connector.
    Connector(Connector),
    /// A fibre.
    Fiber(Fiber),
    /// Splices and other lumped losses.
    Fused(Fused),
    /// An in-line amplifier; it closes a span.
    Edfa(Edfa),
    /// A ROADM that equalises every channel to a target power.
    Roadm(Roadm),
}

impl Element {
    /// The loss of a passive element, dB (the fibre's attenuation for a fibre; `None` for an
    /// amplifier or a ROADM, whose loss depends on the power reaching it).
    pub fn loss_db(&self) -> Option<f64> {
        match self {
            Element::Connector(c) => Some(c.loss_db),
            Element::Fused(f) => Some(f.loss_db),
            Element::Fiber(f) => Some(f.loss_db()),
            Element::Edfa(_) | Element::Roadm(_) => None,
        }
    }
}
