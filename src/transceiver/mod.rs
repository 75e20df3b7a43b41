//! Transceiver requirements against which a link budget is judged.

/// What the transceiver at the end of a transparent section needs; every criterion is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TransceiverRequirements {
    /// Back-to-back required OSNR in 0.1 nm, dB.
    pub required_osnr_db: Option<f64>,
    /// Extra margin demanded on top of the required OSNR, dB.
    pub system_margin_db: f64,
    /// Transmitter OSNR in 0.1 nm, dB (`None` = ideal transmitter).
    pub tx_osnr_db: Option<f64>,
    /// Minimum received per-channel power, dBm.
    pub rx_sensitivity_dbm: Option<f64>,
    /// Largest accumulated |CD| the receiver compensates, ps/nm.
    pub cd_tolerance_ps_nm: Option<f64>,
    /// Largest mean DGD the receiver tolerates, ps.
    pub pmd_tolerance_ps: Option<f64>,
}
