//! A GNPy equipment library (`eqpt_config.json`) as fibra holds it: the spectrum (`SI`), the span
//! design rules (`Span`), fibre types, amplifier types and ROADM types (GNPy 3.0.1,
//! `gnpy/tools/json_io.py`; field-by-field reading in `reference/gnpy/README.md`).

use crate::amplifier::NfModel;
use std::collections::BTreeMap;

/// The spectrum every path carries (`SI`): `n = floor((f_max − f_min)/spacing) + 1` channels at
/// `f_min + i·spacing`.
#[derive(Debug, Clone, PartialEq)]
pub struct Spectrum {
    /// Lowest channel frequency, Hz.
    pub f_min_hz: f64,
    /// Highest frequency, Hz.
    pub f_max_hz: f64,
    /// Symbol rate, Bd.
    pub baud_rate_hz: f64,
    /// Channel spacing (= slot width), Hz.
    pub spacing_hz: f64,
    /// Reference power per channel into the spans, dBm (GNPy's `-po` overrides it).
    pub power_dbm: f64,
    /// What a transceiver launches per channel, dBm (`None`: the reference power).
    pub tx_power_dbm: Option<f64>,
    /// The transmitter's OSNR in 0.1 nm, dB.
    pub tx_osnr_db: f64,
    /// Design with the SI channel count (else the design band's; the same band here).
    pub use_si_channel_count_for_design: bool,
}

impl Spectrum {
    /// GNPy's `automatic_nch`: `floor((f_max − f_min)/spacing) + 1`.
    pub fn channel_count(&self) -> usize {
        ((self.f_max_hz - self.f_min_hz) / self.spacing_hz).floor() as usize + 1
    }

    /// The channel frequencies, Hz.
    pub fn frequencies_hz(&self) -> Vec<f64> {
        (0..self.channel_count())
            .map(|i| self.f_min_hz + i as f64 * self.spacing_hz)
            .collect()
    }
}

/// The span design rules (`Span`).
#[derive(Debug, Clone, PartialEq)]
pub struct SpanRules {
    /// Power mode (amplifier outputs from Δp) or gain mode (topology gains kept).
    pub power_mode: bool,
    /// Δp range `[low, high, step]`, dB (required when an amplifier has to be designed).
    pub delta_power_range_db: Option<[f64; 3]>,
    /// Fibres of this length or longer are split, km.
    pub max_length_km: f64,
    /// Spans below this loss are padded at their input, dB.
    pub padding_db: f64,
    /// End-of-life margin added to the output connector of a span's last fibre, dB.
    pub eol_db: f64,
    /// Default input connector loss, dB.
    pub con_in_db: f64,
    /// Default output connector loss, dB.
    pub con_out_db: f64,
    /// Span loss at which Δp = 0, dB.
    pub span_loss_ref_db: f64,
    /// dB of Δp per dB of span loss.
    pub power_slope: f64,
    /// Gain an amplifier may give above its flat maximum, dB.
    pub target_extended_gain_db: f64,
    /// Raman (hybrid) amplifiers only after fibre below this attenuation, dB/km.
    pub max_fiber_lineic_loss_for_raman_db_per_km: f64,
    /// Output VOA margin, dB.
    pub voa_margin_db: f64,
    /// Output VOA step, dB.
    pub voa_step_db: f64,
}

/// A fibre type of the library.
#[derive(Debug, Clone, PartialEq)]
pub struct FiberType {
    /// Dispersion at 1550 nm, ps/(nm·km).
    pub dispersion_ps_nm_km: f64,
    /// Effective area, µm².
    pub effective_area_um2: f64,
    /// PMD coefficient, ps/√km.
    pub pmd_ps_per_sqrt_km: f64,
}

/// An amplifier type of the library.
#[derive(Debug, Clone, PartialEq)]
pub struct AmplifierType {
    /// `type_variety`.
    pub name: String,
    /// `type_def` as a noise model.
    pub nf_model: NfModel,
    /// Flat-gain maximum, dB.
    pub gain_flatmax_db: f64,
    /// Minimum gain before padding, dB.
    pub gain_min_db: f64,
    /// Maximum total output power, dBm.
    pub p_max_dbm: f64,
    /// Lowest frequency of its band, Hz.
    pub f_min_hz: f64,
    /// Highest frequency of its band, Hz.
    pub f_max_hz: f64,
    /// Auto-design may choose it.
    pub allowed_for_design: bool,
    /// A hybrid Raman type (chosen only after low-loss fibre).
    pub raman: bool,
    /// Auto-design sets an output VOA.
    pub out_voa_auto: bool,
    /// PMD, ps.
    pub pmd_ps: f64,
}

/// Which amplifier types a ROADM allows at its degrees.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Restrictions {
    /// Types allowed as pre-amplifiers.
    pub preamp_variety_list: Vec<String>,
    /// Types allowed as boosters.
    pub booster_variety_list: Vec<String>,
}

/// A ROADM type of the library.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadmType {
    /// Output power per channel, dBm.
    pub target_pch_out_dbm: f64,
    /// OSNR of an add or a drop path together, 0.1 nm, dB (each adds `+ 10·log10 2`).
    pub add_drop_osnr_db: f64,
    /// PMD, ps.
    pub pmd_ps: f64,
    /// Amplifier restrictions.
    pub restrictions: Restrictions,
}

/// A GNPy equipment library.
#[derive(Debug, Clone, PartialEq)]
pub struct Equipment {
    /// The spectrum (`SI` default entry).
    pub spectrum: Spectrum,
    /// The span rules (`Span` default entry).
    pub span: SpanRules,
    /// Fibre types by `type_variety`.
    pub fibers: BTreeMap<String, FiberType>,
    /// Amplifier types in library order.
    pub amplifiers: Vec<AmplifierType>,
    /// ROADM types by `type_variety` (`"default"` for the entry without one).
    pub roadms: BTreeMap<String, RoadmType>,
    /// Library amplifiers fibra does not model, by name, with their `type_def`
    /// (`advanced_model`, `multi_band`): refused when a topology uses them.
    pub unsupported_amplifiers: BTreeMap<String, String>,
    /// Library ROADM types fibra does not model, by name, with the reason (PSD equalisation,
    /// path impairments): refused when a topology uses them.
    pub unsupported_roadms: BTreeMap<String, String>,
}

impl Equipment {
    /// The amplifier type named `name`.
    pub fn amplifier(&self, name: &str) -> Option<&AmplifierType> {
        self.amplifiers.iter().find(|a| a.name == name)
    }
}
