//! # fibra — optical link budgets and pulse propagation for long-haul fibre routes
//!
//! Layers (imports point down only): the binary (`src/main.rs`, its `cli` module) parses
//! arguments, renders and picks exit codes. Below it: [`batch`] (scenario sweeps and their
//! executor [`batch::run`]; it reads and validates base files per scenario, so it sits above
//! [`io`]), [`io`] (file formats and validation; reading never designs) and [`plot`] (charts),
//! which share [`atomic_write`]. The core below knows nothing of files, terminals or plots:
//! [`network`] (paths, regenerators, cuts, [`network::NetworkPlan::design_links`]) over
//! [`design`] (hut sites, amplifier and regenerator placement) over [`budget`] and [`system`]
//! (the waveform simulation), which walk the same element [`chain`]; [`system`] sits on
//! [`receiver`], [`propagation`] (split-step solvers) and [`signal`]; the component models are
//! [`fiber`], [`amplifier`] and [`transceiver`]; [`units`] holds every unit conversion and
//! constant. Every `--json` document is a `Serialize` type of the core ([`BudgetReport`],
//! [`design::DesignReport`], [`network::NetworkReport`], [`PropagationReport`],
//! [`system::SimulationReport`]).
//!
//! ## Budget a link built in code
//!
//! ```
//! use fibra::{builtin_fiber, BudgetPlan, Link, Span, WdmGrid};
//!
//! let grid = WdmGrid { channels: 1, spacing_ghz: 50.0, center_thz: 193.1, symbol_rate_gbaud: 32.0 };
//! // Ten 80 km spans of SSMF (0.2 dB/km), each followed by a 5 dB-NF EDFA whose gain is the span loss.
//! let spans = vec![Span::new(80.0, builtin_fiber("SSMF").unwrap()); 10];
//! let report = BudgetPlan::new(&Link::new(grid, 0.0, spans)).run();
//! // The 58 dB rule: OSNR(0.1 nm) ≈ 58 + P_ch − NF − span loss − 10·log10(spans) = 27 dB.
//! assert!((report.summary.osnr_ase_db - 27.0).abs() < 0.1);
//! assert!(report.summary.feasible);
//! ```
//!
//! ## Design a route
//!
//! ```
//! use fibra::design::{design_route, Constraints, Route, Site, SiteKind};
//! use fibra::{builtin_fiber, Span, TransceiverRequirements, WdmGrid};
//!
//! // 480 km with a candidate hut every 40 km; spans of at most 25 dB (125 km of SSMF).
//! let sites = (0..=12)
//!     .map(|k| Site {
//!         name: format!("site {k}"),
//!         km: 40.0 * k as f64,
//!         kind: if k == 0 || k == 12 { SiteKind::Terminal } else { SiteKind::Hut },
//!     })
//!     .collect();
//! let route = Route {
//!     name: None,
//!     grid: WdmGrid { channels: 40, spacing_ghz: 100.0, center_thz: 193.1, symbol_rate_gbaud: 32.0 },
//!     launch_power_dbm: 0.0,
//!     nli_model: Default::default(),
//!     transceiver: TransceiverRequirements { required_osnr_db: Some(12.0), ..Default::default() },
//!     template: Span::new(0.0, builtin_fiber("SSMF").unwrap()),
//!     sites,
//!     stretches: Vec::new(),
//!     constraints: Constraints::max_loss(25.0),
//! };
//! let design = design_route(&route).unwrap();
//! // Fewest amplifiers: four 120 km spans, three in-line EDFAs, no regenerator.
//! assert_eq!((design.spans.len(), design.amplifiers, design.regenerators), (4, 3, 0));
//! ```
//!
//! ## Propagate a pulse
//!
//! ```
//! use fibra::propagation::{propagate, FiberSection, SsfmPlan, StepControl};
//! use fibra::signal::{Complex, TimeGrid};
//!
//! // A fundamental soliton, P0 = |β2|/(γ·T0²), keeps its shape over 10 dispersion lengths.
//! let (beta2, gamma, t0) = (-20.0, 1.3, 5.0);
//! let p0 = f64::abs(beta2) / (gamma * t0 * t0);
//! let fiber = FiberSection {
//!     length_km: 10.0 * t0 * t0 / f64::abs(beta2),
//!     alpha_db_per_km: 0.0,
//!     beta2_ps2_per_km: beta2,
//!     beta3_ps3_per_km: 0.0,
//!     gamma_per_w_km: gamma,
//!     amplifier_after: false,
//! };
//! let grid = TimeGrid::from_window(1024, 200.0);
//! let input: Vec<Complex> = grid
//!     .times_ps()
//!     .iter()
//!     .map(|t| Complex::new(p0.sqrt() / (t / t0).cosh(), 0.0))
//!     .collect();
//! let mut plan = SsfmPlan::new(grid);
//! let control = StepControl::LocalError { tolerance: 1e-6, initial_step_km: 0.01 };
//! let outcome = propagate(&mut plan, &[fiber], input, control, &mut |_| {}, None);
//! let peak_w = outcome.field.iter().map(|a| a.norm_sqr()).fold(0.0, f64::max);
//! assert!((peak_w / p0 - 1.0).abs() < 1e-3);
//! ```
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
pub mod gnpy;
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

pub use amplifier::Edfa;
pub use budget::{BudgetPlan, BudgetReport, Limit, Link, Span, Summary, WdmGrid};
pub use chain::{Connector, Element, Fiber, Fused};
pub use design::{design_route, DesignResult, Route};
pub use fiber::{builtin_fiber, FiberParams};
pub use network::{Network, NetworkPlan};
pub use propagation::{propagate, FiberSection, PropagationReport, SsfmPlan, StepControl};
pub use resources::ResourceBudget;
pub use signal::TimeGrid;
pub use system::{simulate, System};
pub use transceiver::TransceiverRequirements;
