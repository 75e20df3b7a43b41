//! The designed chain the budget walks: a WDM grid, spans with their amplifiers, a transceiver.

use super::egn::NliModel;
use crate::amplifier::{Edfa, DEFAULT_MAX_GAIN_DB};
use crate::chain::{Connector, Element, Fiber, Fused, Roadm};
use crate::fiber::FiberParams;
use crate::transceiver::TransceiverRequirements;
use crate::units;

/// A comb of identical WDM channels centred on `center_thz`.
#[derive(Debug, Clone, PartialEq)]
pub struct WdmGrid {
    /// Number of channels (≥ 1).
    pub channels: usize,
    /// Channel spacing, GHz.
    pub spacing_ghz: f64,
    /// Centre of the comb, THz (for an even count it falls between the two middle channels).
    pub center_thz: f64,
    /// Symbol rate of every channel, GBd; the signal bandwidth in which SNRs are quoted.
    pub symbol_rate_gbaud: f64,
}

impl WdmGrid {
    /// Channel frequencies in increasing order, Hz: `f_i = f_c + (i − (n−1)/2)·Δf`.
    pub fn frequencies_hz(&self) -> Vec<f64> {
        let half = (self.channels as f64 - 1.0) / 2.0;
        (0..self.channels)
            .map(|i| {
                units::thz_to_hz(self.center_thz)
                    + (i as f64 - half) * units::ghz_to_hz(self.spacing_ghz)
            })
            .collect()
    }

    /// Index of the reported centre channel: `floor(channels / 2)`, 0-based (as GNPy).
    pub fn center_index(&self) -> usize {
        self.channels / 2
    }

    /// The same band (`channels × spacing` around the same centre) filled with channels of another
    /// symbol rate and spacing.
    pub fn filled_with(&self, symbol_rate_gbaud: f64, spacing_ghz: f64) -> WdmGrid {
        let band_ghz = self.channels as f64 * self.spacing_ghz;
        WdmGrid {
            channels: ((band_ghz / spacing_ghz + 1e-9).floor() as usize).max(1),
            spacing_ghz,
            center_thz: self.center_thz,
            symbol_rate_gbaud,
        }
    }

    /// Symbol rate in Hz (= the signal bandwidth).
    pub fn symbol_rate_hz(&self) -> f64 {
        units::ghz_to_hz(self.symbol_rate_gbaud)
    }
}

/// Splices inside a fibre of `length_km` made of reels of `splice_spacing_km`:
/// `ceil(L / spacing) − 1` (the ends are connectors, not splices).
pub fn splice_count(length_km: f64, splice_spacing_km: f64) -> usize {
    if splice_spacing_km <= 0.0 || length_km <= 0.0 {
        return 0;
    }
    let reels = (length_km / splice_spacing_km - 1e-9).ceil();
    (reels as usize).saturating_sub(1)
}

/// A ROADM degree with the booster after it (GNPy's Roadm → Edfa booster).
#[derive(Debug, Clone, PartialEq)]
pub struct RoadmStage {
    /// The ROADM.
    pub roadm: Roadm,
    /// The booster amplifier after it (`None`: the ROADM feeds the next element directly).
    pub booster: Option<Edfa>,
}

impl RoadmStage {
    /// The stage as chain elements: the ROADM, then its booster.
    pub fn elements(&self) -> impl Iterator<Item = Element> + '_ {
        std::iter::once(Element::Roadm(self.roadm)).chain(self.booster.clone().map(Element::Edfa))
    }
}

/// How a span ends, beyond its EDFA's numbers: GNPy-designed paths have spans joined by splices
/// without an amplifier, saturating amplifiers and ROADMs between spans.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpanEnd {
    /// No EDFA closes the span: its losses carry into the next span (a splice point between two
    /// fibre sections, GNPy's `Fused` between fibres).
    pub unamplified: bool,
    /// The EDFA's gain drops so that its total output stays at `amplifier_max_output_dbm`
    /// (GNPy's EDFA) instead of a warning.
    pub amplifier_saturates: bool,
    /// A ROADM (and its booster) after the span's EDFA.
    pub roadm: Option<RoadmStage>,
}

/// One span: a fibre with its lumped losses, followed by an EDFA.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Fibre length, km.
    pub length_km: f64,
    /// The fibre, with any per-span overrides already applied.
    pub fiber: FiberParams,
    /// Input connector loss, dB (before the fibre; the launch power is measured before it).
    pub connector_in_db: f64,
    /// Output connector loss, dB.
    pub connector_out_db: f64,
    /// Loss per splice, dB.
    pub splice_loss_db: f64,
    /// Distance between splices (cable reel length), km.
    pub splice_spacing_km: f64,
    /// Aging / repair margin, dB.
    pub aging_margin_db: f64,
    /// Any other loss (patch panels, extra connectors), dB.
    pub extra_loss_db: f64,
    /// Noise figure of the EDFA after the span, dB.
    pub amplifier_nf_db: f64,
    /// Gain of the EDFA after the span, dB; `None` = exactly the span loss.
    pub amplifier_gain_db: Option<f64>,
    /// Maximum total output power of that EDFA, dBm.
    pub amplifier_max_output_dbm: Option<f64>,
    /// The most gain that EDFA can deliver, dB (a span needing more makes the link infeasible).
    pub amplifier_max_gain_db: f64,
    /// How the span ends (an EDFA by default).
    pub end: SpanEnd,
}

impl Span {
    /// A span of `length_km` of `fiber` with no lumped losses, 4 km cable reels and an EDFA of
    /// 5 dB noise figure whose gain equals the span loss (the defaults of a LINK.toml span).
    pub fn new(length_km: f64, fiber: FiberParams) -> Self {
        Self {
            length_km,
            fiber,
            connector_in_db: 0.0,
            connector_out_db: 0.0,
            splice_loss_db: 0.0,
            splice_spacing_km: 4.0,
            aging_margin_db: 0.0,
            extra_loss_db: 0.0,
            amplifier_nf_db: 5.0,
            amplifier_gain_db: None,
            amplifier_max_output_dbm: None,
            amplifier_max_gain_db: DEFAULT_MAX_GAIN_DB,
            end: SpanEnd::default(),
        }
    }

    /// The EDFA after the span, with its gain resolved.
    pub fn edfa(&self) -> Edfa {
        Edfa {
            gain_db: self.gain_db(),
            max_gain_db: self.amplifier_max_gain_db,
            noise_figure_db: self.amplifier_nf_db,
            max_output_power_dbm: self.amplifier_max_output_dbm,
            nf_model: None,
            output_saturates: self.end.amplifier_saturates,
        }
    }

    /// Number of splices inside the span: one between consecutive cable reels of
    /// `splice_spacing_km`, i.e. `ceil(L / spacing) − 1` (the ends are connectors, not splices).
    pub fn splice_count(&self) -> usize {
        splice_count(self.length_km, self.splice_spacing_km)
    }

    /// Fibre attenuation alone, dB: `α_dB·L`.
    pub fn fiber_loss_db(&self) -> f64 {
        self.fiber_element().loss_db()
    }

    /// The span's fibre as a chain element.
    pub fn fiber_element(&self) -> Fiber {
        Fiber {
            length_km: self.length_km,
            params: self.fiber.clone(),
        }
    }

    /// The lumped losses inside the span other than its connectors, dB:
    /// `splices·splice_loss + aging_margin + extra_loss`.
    pub fn fused_loss_db(&self) -> f64 {
        self.splice_count() as f64 * self.splice_loss_db + self.aging_margin_db + self.extra_loss_db
    }

    /// The span as a chain: `Connector(in) → Fiber → Fused → Connector(out) → Edfa` (no EDFA
    /// when unamplified), then its ROADM stage if any.
    pub fn elements(&self) -> Vec<Element> {
        let mut elements = vec![
            Element::Connector(Connector {
                loss_db: self.connector_in_db,
            }),
            Element::Fiber(self.fiber_element()),
            Element::Fused(Fused {
                loss_db: self.fused_loss_db(),
            }),
            Element::Connector(Connector {
                loss_db: self.connector_out_db,
            }),
        ];
        if !self.end.unamplified {
            elements.push(Element::Edfa(self.edfa()));
        }
        if let Some(stage) = &self.end.roadm {
            elements.extend(stage.elements());
        }
        elements
    }

    /// Total span loss, dB, the sum of its passive elements' losses in chain order:
    /// `connector_in + α_dB·L + (splices·splice_loss + aging_margin + extra_loss) + connector_out`.
    pub fn loss_db(&self) -> f64 {
        self.connector_in_db + self.fiber_loss_db() + self.fused_loss_db() + self.connector_out_db
    }

    /// Gain of the amplifier after the span, dB (the span loss unless set).
    pub fn gain_db(&self) -> f64 {
        self.amplifier_gain_db.unwrap_or_else(|| self.loss_db())
    }
}

/// A designed transparent link: grid, launch power, spans, transceiver.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Free-text name.
    pub name: Option<String>,
    /// The WDM comb.
    pub grid: WdmGrid,
    /// Per-channel launch power at the first span input (before its input connector), dBm.
    pub launch_power_dbm: f64,
    /// Spans in order (≥ 1).
    pub spans: Vec<Span>,
    /// Requirements the receiver end must meet.
    pub transceiver: TransceiverRequirements,
    /// How nonlinear interference is modelled (GN unless set).
    pub nli_model: NliModel,
    /// A ROADM (and booster) between the transmitter and the first span: the launch power is
    /// then the transmitter's, into the ROADM.
    pub start_roadm: Option<RoadmStage>,
}

impl Link {
    /// An unnamed link of `spans` on `grid`, every channel launched at `launch_power_dbm`, with
    /// no transceiver requirements (set `transceiver` to judge margins).
    pub fn new(grid: WdmGrid, launch_power_dbm: f64, spans: Vec<Span>) -> Self {
        Self {
            name: None,
            grid,
            launch_power_dbm,
            spans,
            transceiver: TransceiverRequirements::default(),
            nli_model: NliModel::Gn,
            start_roadm: None,
        }
    }

    /// Total fibre length, km.
    pub fn length_km(&self) -> f64 {
        self.spans.iter().map(|s| s.length_km).sum()
    }

    /// The designed link as one element chain: the start ROADM stage if any, then span after
    /// span.
    pub fn elements(&self) -> Vec<Element> {
        self.start_roadm
            .iter()
            .flat_map(RoadmStage::elements)
            .chain(self.spans.iter().flat_map(Span::elements))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fiber::builtin_fiber;

    fn span(length_km: f64) -> Span {
        Span {
            length_km,
            fiber: builtin_fiber("SSMF").unwrap(),
            connector_in_db: 0.5,
            connector_out_db: 0.5,
            splice_loss_db: 0.05,
            splice_spacing_km: 4.0,
            aging_margin_db: 1.0,
            extra_loss_db: 0.2,
            amplifier_nf_db: 5.0,
            amplifier_gain_db: None,
            amplifier_max_output_dbm: None,
            amplifier_max_gain_db: DEFAULT_MAX_GAIN_DB,
            end: SpanEnd::default(),
        }
    }

    #[test]
    fn span_loss_adds_every_term() {
        let s = span(80.0);
        // 80 km / 4 km = 20 reels -> 19 splices.
        assert_eq!(s.splice_count(), 19);
        let expected = 0.5 + 16.0 + 19.0 * 0.05 + 0.5 + 1.0 + 0.2;
        let elements: f64 = s.elements().iter().filter_map(Element::loss_db).sum();
        assert!((elements - expected).abs() < 1e-12);
        assert!((s.loss_db() - expected).abs() < 1e-12);
        assert!((s.gain_db() - expected).abs() < 1e-12);
        assert_eq!(span(81.0).splice_count(), 20);
        assert_eq!(span(3.0).splice_count(), 0);
    }

    #[test]
    fn grid_is_centerd_and_ordered() {
        let grid = WdmGrid {
            channels: 96,
            spacing_ghz: 50.0,
            center_thz: 193.725,
            symbol_rate_gbaud: 32.0,
        };
        let f = grid.frequencies_hz();
        assert!((f[0] - 191.35e12).abs() < 1.0);
        assert!((f[95] - 196.10e12).abs() < 1.0);
        assert!((f[grid.center_index()] - 193.75e12).abs() < 1.0);
    }
}
