//! # fibra — optical link budgets and pulse propagation for long-haul fibre routes
//!
//! Layers (imports point down only): the binary (`src/main.rs`, its `cli` module) sits on
//! [`batch`] (scenario sweeps; it reads and validates base files per scenario, so it sits above
//! [`io`]), [`io`] (file formats and validation) and [`plot`] (charts), which share
//! [`atomic_write`]. The core below knows nothing of files, terminals or plots: [`system`]
//! (waveform simulation of a link) over [`receiver`], [`propagation`] (split-step solvers) and
//! [`signal`]; [`network`] over [`design`] (amplifier and regenerator placement) over [`budget`]
//! (a designed chain of spans), built from the component models [`fiber`], [`amplifier`] and
//! [`transceiver`]; [`units`] holds every unit conversion and constant.
//!
//! ## Physics conventions
//! - Power in W (dBm at the edges), length in km, β2 in ps²/km, γ in 1/(W·km), α in 1/km of power
//!   (`α = ln(10)/10 · α_dB`).
//! - `D = −2πc·β2/λ²`; dispersion is specified at 1550 nm with a slope, `D(λ) = D0 + S·(λ − 1550)`.
//! - OSNR is quoted in 0.1 nm = 12.5 GHz; SNR_NLI and GSNR in the signal bandwidth (symbol rate).
//! - ASE of an EDFA referred to its output, in bandwidth B: `P_ase = NF·h·f·G·B`.
//! - NLI: closed-form incoherent GN model (Poggiolini 2012, arXiv:1209.0394 eq. 120), per span at
//!   the fibre input, driven by each channel's total in-band power, as a power transfer out of
//!   signal and noise (GNPy's bookkeeping); spans add incoherently.
//! - `1/GSNR = Σ 1/GSNR_i` (+ the transmitter term).

pub mod amplifier;
pub mod atomic_write;
pub mod batch;
pub mod budget;
pub mod chain;
pub mod design;
pub mod display;
pub mod fiber;
pub mod io;
pub mod network;
pub mod plot;
pub mod propagation;
pub mod receiver;
pub mod resources;
pub mod signal;
pub mod system;
pub mod transceiver;
pub mod units;
