//! The link budget: walk a designed chain of spans and amplifiers and compute, for every span and
//! every WDM channel, power, loss, chromatic dispersion, PMD, ASE, nonlinear interference (closed-form
//! GN model), OSNR, GSNR and the margins against a transceiver.
//!
//! Conventions (see the README): launch power is per channel at each span input, before the input
//! connector; a span's NLI is computed at the fibre input from each channel's total in-band power
//! (signal + ASE + NLI so far) and is a power transfer out of signal and noise (GNPy's bookkeeping);
//! ASE of an EDFA is `NF·h·f·G·B` referred to its output; noise adds in linear units.

mod egn;
mod engine;
mod launch;
mod link;
mod nli;
mod report;
mod self_channel;
mod verdict;

pub use egn::{egn_coherent_coefficients, EgnCoefficients, FiberInWalk, NliModel, SignalFormat};
pub use engine::{BudgetPlan, FiberNli, NliCache, SpanWalk, NLI_CACHE_BYTES};
pub use launch::{optimize_launch, LaunchSweep, LaunchSweepPoint, LaunchSweepRange};
pub use link::{splice_count, Link, RoadmStage, Span, SpanEnd, WdmGrid};
pub use nli::{effective_length_m, gn_nli_coefficients, NliCoefficients};
pub use report::{BudgetReport, ChannelReport, Limit, SpanReport, Summary};
pub use self_channel::{SelfChannelMemo, SelfChannelTerms, UniformSpans};
pub use verdict::NLI_MODEL_LIMIT;
