//! The budget walk: plan once (NLI coefficients per distinct span), run for any launch power.

use super::egn::{egn_coherent_coefficients, EgnCoefficients, FiberInWalk, NliModel};
use super::link::{Link, Span};
use super::nli::{effective_length_m, gn_nli_coefficients, NliCoefficients};
use super::report::{BudgetReport, ChannelReport, SpanReport};
use super::verdict::judge;
use crate::amplifier::Edfa;
use std::sync::Arc;

use super::link::WdmGrid;
use crate::chain::{Element, Fiber, Roadm};
use crate::fiber::FiberParams;
use crate::units;

/// Memory the η matrices of one plan may hold, bytes (channels² × 8 bytes each). Past it the
/// matrices are computed span by span as the walk needs them (same numbers, more time), so a link
/// of 2,000 channels over 200 different fibres needs 32 MB, not 6.4 GB.
pub const NLI_CACHE_BYTES: f64 = 512.0 * 1024.0 * 1024.0;

/// The NLI coefficients of one fibre type on one grid: the GN η matrix and, for the EGN model,
/// the coherent correction's matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct FiberNli {
    /// The GN model's η matrix.
    pub gn: NliCoefficients,
    /// The EGN coherent matrix (`None` under the GN model or for a Gaussian format).
    pub egn: Option<EgnCoefficients>,
}

impl FiberNli {
    /// The coefficients `model` needs for `fiber` on `grid`.
    pub fn new(fiber: &FiberParams, grid: &WdmGrid, model: NliModel) -> Self {
        Self {
            gn: gn_nli_coefficients(fiber, grid),
            egn: needs_egn_matrix(model).then(|| egn_coherent_coefficients(fiber, grid)),
        }
    }
}

/// True when `model` corrects the GN model (EGN with a non-Gaussian format).
fn needs_egn_matrix(model: NliModel) -> bool {
    model
        .format()
        .is_some_and(|format| format.excess_kurtosis() != 0.0)
}

/// Bytes of the matrices `model` needs per fibre on `grid`: channels² × 8 each.
fn matrices_bytes(grid: &WdmGrid, model: NliModel) -> f64 {
    let matrices = if needs_egn_matrix(model) { 2.0 } else { 1.0 };
    matrices * (grid.channels as f64).powi(2) * 8.0
}

/// A link prepared for budgeting: its element chain, and the GN-model coefficients computed once
/// per distinct fibre (fibres that agree in every parameter the NLI depends on share them, scaled
/// by their own L_eff²), so the walk itself is O(fibres × channels²) multiply-adds.
#[derive(Debug, Clone)]
pub struct BudgetPlan {
    link: Link,
    /// The chain the budget walks.
    elements: Vec<Element>,
    /// Index into `coefficients` for each fibre of the chain, in order (empty when they are
    /// computed fibre by fibre).
    fiber_coefficients: Vec<usize>,
    /// Effective length of each fibre of the chain, m.
    fiber_effective_length_m: Vec<f64>,
    coefficients: Vec<Arc<FiberNli>>,
    frequencies_hz: Vec<f64>,
}

/// η matrices shared between budget plans (a network's many transparent sections, a design's
/// candidate sections): one per fibre as the NLI sees it (attenuation, dispersion, slope, effective area, β2
/// model) and grid, kept while
/// they fit in [`NLI_CACHE_BYTES`]; past it a matrix is computed for the plan that asks and not
/// kept.
#[derive(Debug, Clone)]
pub struct NliCache {
    entries: Vec<(FiberParams, WdmGrid, bool, Arc<FiberNli>)>,
    bytes: f64,
    capacity_bytes: f64,
}

impl Default for NliCache {
    fn default() -> Self {
        Self::with_capacity_bytes(NLI_CACHE_BYTES)
    }
}

impl NliCache {
    /// An empty cache that keeps matrices up to [`NLI_CACHE_BYTES`].
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty cache that keeps matrices up to `capacity_bytes` (past it, matrices are
    /// computed for the plan that asks and not kept).
    pub fn with_capacity_bytes(capacity_bytes: f64) -> Self {
        Self {
            entries: Vec::new(),
            bytes: 0.0,
            capacity_bytes,
        }
    }

    /// The matrices of `fiber` on `grid` under `model`: the cached ones, or computed (and kept
    /// if they fit).
    pub fn coefficients(
        &mut self,
        fiber: &FiberParams,
        grid: &WdmGrid,
        model: NliModel,
    ) -> Arc<FiberNli> {
        let egn = needs_egn_matrix(model);
        if let Some((_, _, _, found)) = self
            .entries
            .iter()
            .find(|(f, g, e, _)| *e == egn && g == grid && same_nli(f, fiber))
        {
            return Arc::clone(found);
        }
        let computed = Arc::new(FiberNli::new(fiber, grid, model));
        let bytes = matrices_bytes(grid, model);
        if self.bytes + bytes <= self.capacity_bytes {
            self.bytes += bytes;
            self.entries
                .push((fiber.clone(), grid.clone(), egn, Arc::clone(&computed)));
        }
        computed
    }

    /// Matrices held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no matrix is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// True when two fibres generate the same NLI on the same grid: attenuation, dispersion, slope,
/// effective area and the β2 model agree (PMD does not enter the GN model).
fn same_nli(a: &FiberParams, b: &FiberParams) -> bool {
    a.attenuation_db_per_km == b.attenuation_db_per_km
        && a.dispersion_ps_nm_km == b.dispersion_ps_nm_km
        && a.dispersion_slope_ps_nm2_km == b.dispersion_slope_ps_nm2_km
        && a.effective_area_um2 == b.effective_area_um2
        && a.constant_beta2 == b.constant_beta2
}

/// Bytes of the matrices of one fibre of `link`: channels² × 8 per matrix.
fn eta_matrix_bytes(link: &Link) -> f64 {
    matrices_bytes(&link.grid, link.nli_model)
}

/// Per-channel powers in the signal bandwidth, W.
#[derive(Debug, Clone)]
struct ChannelPowers {
    signal_w: Vec<f64>,
    ase_w: Vec<f64>,
    nli_w: Vec<f64>,
}

impl ChannelPowers {
    fn scale(&mut self, factor: f64) {
        for v in self
            .signal_w
            .iter_mut()
            .chain(&mut self.ase_w)
            .chain(&mut self.nli_w)
        {
            *v *= factor;
        }
    }

    fn total_w(&self, i: usize) -> f64 {
        self.signal_w[i] + self.ase_w[i] + self.nli_w[i]
    }
}

/// The state of the budget walk between elements.
#[derive(Debug, Clone)]
struct BudgetWalk {
    powers: ChannelPowers,
    /// Passive losses met since the last active element, dB: they are applied as one factor
    /// with the next fibre's input or amplifier's gain, so that a span far beyond any real loss
    /// cannot turn into 0 · ∞.
    pending_loss_db: f64,
    /// Passive losses of the current span, dB.
    span_loss_db: f64,
    /// Centre-channel power entering the current span, dBm (`None` before its first element).
    span_launch_dbm: Option<f64>,
    generated_nli_w: Vec<f64>,
    in_band_w: Vec<f64>,
    cd_ps_nm: Vec<f64>,
    pmd_squared_ps2: f64,
    length_km: f64,
    span_reports: Vec<SpanReport>,
    warnings: Vec<String>,
    /// Per fibre: the largest `P_NLI / P_in-band` over the channels.
    nli_ratios: Vec<f64>,
}

impl BudgetWalk {
    /// The walk before the first element: `n` channels launched at `launch_power_dbm`.
    fn start(n: usize, launch_power_dbm: f64, spans: usize) -> Self {
        BudgetWalk {
            powers: ChannelPowers {
                signal_w: vec![units::dbm_to_watt(launch_power_dbm); n],
                ase_w: vec![0.0; n],
                nli_w: vec![0.0; n],
            },
            pending_loss_db: 0.0,
            span_loss_db: 0.0,
            span_launch_dbm: None,
            generated_nli_w: vec![0.0; n],
            in_band_w: vec![0.0; n],
            cd_ps_nm: vec![0.0; n],
            pmd_squared_ps2: 0.0,
            length_km: 0.0,
            span_reports: Vec::with_capacity(spans),
            warnings: Vec::new(),
            nli_ratios: Vec::with_capacity(spans),
        }
    }

    /// Notes the launch power of a span at its first element.
    fn enter(&mut self, center: usize) {
        if self.span_launch_dbm.is_none() {
            self.span_launch_dbm = Some(units::watt_to_dbm(self.powers.signal_w[center]));
        }
    }

    /// Budget action of a passive lumped loss (connector, splices).
    fn lose(&mut self, loss_db: f64) {
        self.pending_loss_db += loss_db;
        self.span_loss_db += loss_db;
    }
}

impl BudgetPlan {
    /// Prepares `link` (a link without spans or channels gives a report that is not feasible).
    pub fn new(link: &Link) -> Self {
        Self::with_nli_cache_bytes(link, NLI_CACHE_BYTES)
    }

    /// Peak memory of planning and running `link`'s budget, bytes: the cached η matrices (at most
    /// [`NLI_CACHE_BYTES`], or one matrix computed per span), 8 B per channel pair, the
    /// per-span and per-channel reports (about 200 B each), and under EGN one self-channel
    /// integration's table.
    pub fn memory_estimate_bytes(link: &Link) -> f64 {
        let matrix_bytes = eta_matrix_bytes(link);
        let matrices =
            (link.spans.len() as f64 * matrix_bytes).min(NLI_CACHE_BYTES.max(matrix_bytes));
        let integration = if needs_egn_matrix(link.nli_model) {
            super::self_channel::INTEGRATION_BYTES
        } else {
            0.0
        };
        matrices + integration + 200.0 * (link.spans.len() + link.grid.channels) as f64
    }

    /// A plan of an explicit element chain (ROADMs, boosters, several fibres between
    /// amplifiers: a GNPy path) on `link`'s grid, launch power, transceiver and NLI model;
    /// `link`'s own spans are not walked. The η matrices come from `cache`.
    pub fn for_chain(link: &Link, elements: Vec<Element>, cache: &mut NliCache) -> Self {
        let mut plan = Self::build_from(link, elements, |distinct| {
            (distinct as f64 * eta_matrix_bytes(link) <= NLI_CACHE_BYTES).then_some(
                |fiber: &FiberParams| cache.coefficients(fiber, &link.grid, link.nli_model),
            )
        });
        plan.link.spans.clear();
        plan
    }

    /// [`BudgetPlan::new`] with another limit on the memory of the cached η matrices, bytes.
    pub fn with_nli_cache_bytes(link: &Link, nli_cache_bytes: f64) -> Self {
        Self::build(link, |distinct| {
            (distinct as f64 * eta_matrix_bytes(link) <= nli_cache_bytes).then_some(
                |fiber: &FiberParams| Arc::new(FiberNli::new(fiber, &link.grid, link.nli_model)),
            )
        })
    }

    /// [`BudgetPlan::new`] taking the η matrices from `cache` (and adding those it lacks), so
    /// that many plans over the same fibres compute each matrix once.
    pub fn with_cache(link: &Link, cache: &mut NliCache) -> Self {
        Self::build(link, |distinct| {
            (distinct as f64 * eta_matrix_bytes(link) <= NLI_CACHE_BYTES).then_some(
                |fiber: &FiberParams| cache.coefficients(fiber, &link.grid, link.nli_model),
            )
        })
    }

    /// The plan, with the η matrix of each distinct fibre from the source `source(distinct)`
    /// gives for that many distinct fibres (`None`: too many to hold, computed fibre by fibre
    /// during the walk).
    fn build<S: FnMut(&FiberParams) -> Arc<FiberNli>>(
        link: &Link,
        source: impl FnOnce(usize) -> Option<S>,
    ) -> Self {
        Self::build_from(link, link.elements(), source)
    }

    /// [`BudgetPlan::build`] of an explicit chain.
    fn build_from<S: FnMut(&FiberParams) -> Arc<FiberNli>>(
        link: &Link,
        elements: Vec<Element>,
        source: impl FnOnce(usize) -> Option<S>,
    ) -> Self {
        let fibers: Vec<&Fiber> = elements
            .iter()
            .filter_map(|e| match e {
                Element::Fiber(f) => Some(f),
                _ => None,
            })
            .collect();
        let mut representative: Vec<usize> = Vec::new();
        let mut fiber_coefficients = Vec::with_capacity(fibers.len());
        for (index, fiber) in fibers.iter().enumerate() {
            let existing = representative
                .iter()
                .position(|&r| same_nli(&fibers[r].params, &fiber.params));
            let slot = existing.unwrap_or_else(|| {
                representative.push(index);
                representative.len() - 1
            });
            fiber_coefficients.push(slot);
        }
        let coefficients = match source(representative.len()) {
            Some(mut matrix_of) => representative
                .iter()
                .map(|&r| matrix_of(&fibers[r].params))
                .collect(),
            None => {
                fiber_coefficients.clear();
                Vec::new()
            }
        };
        let fiber_effective_length_m = fibers.iter().map(|f| effective_length_m(f)).collect();
        Self {
            link: link.clone(),
            fiber_effective_length_m,
            fiber_coefficients,
            coefficients,
            frequencies_hz: link.grid.frequencies_hz(),
            elements,
        }
    }

    /// The link this plan budgets.
    pub fn link(&self) -> &Link {
        &self.link
    }

    /// Runs the budget at the link's own launch power.
    pub fn run(&self) -> BudgetReport {
        self.run_at(self.link.launch_power_dbm)
    }

    /// Runs the budget with every channel launched at `launch_power_dbm` into the first span.
    pub fn run_at(&self, launch_power_dbm: f64) -> BudgetReport {
        let link = &self.link;
        let n = self.frequencies_hz.len();

        if n == 0 {
            // No channel to budget: the verdict says so (`non_finite`), nothing is indexed.
            let summary = judge(link, &[], &[], &[], 0.0, Vec::new());
            return BudgetReport {
                name: link.name.clone(),
                launch_power_dbm,
                spans: Vec::new(),
                channels: Vec::new(),
                summary,
                launch_sweep: None,
                optimum_launch_power_dbm: None,
            };
        }
        let mut walk = BudgetWalk::start(n, launch_power_dbm, link.spans.len());
        let rules = WalkRules::new(&self.frequencies_hz, link);
        let mut fibers = self
            .fiber_coefficients
            .iter()
            .map(|&slot| &*self.coefficients[slot])
            .zip(&self.fiber_effective_length_m);
        for element in &self.elements {
            match element {
                Element::Fiber(fiber) => match fibers.next() {
                    Some((coefficients, &leff_m)) => {
                        rules.step_fiber(&mut walk, fiber, coefficients, leff_m)
                    }
                    None => {
                        // Too many distinct fibres to hold their matrices: one at a time.
                        let coefficients = FiberNli::new(&fiber.params, &link.grid, link.nli_model);
                        let leff_m = effective_length_m(fiber);
                        rules.step_fiber(&mut walk, fiber, &coefficients, leff_m)
                    }
                },
                other => rules.step(&mut walk, other),
            }
        }
        rules.finish(link, launch_power_dbm, walk)
    }
}

/// `10·log10(R_s / 12.5 GHz)`: from the signal bandwidth to the OSNR reference bandwidth, dB.
fn osnr_bandwidth_gain_db(grid: &WdmGrid) -> f64 {
    units::linear_to_db(grid.symbol_rate_hz() / units::OSNR_REFERENCE_BANDWIDTH_HZ)
}

/// A budget walked span by span: the report of every prefix of a span sequence for the cost of
/// walking the sequence once (a network's transparent sections from one node along its
/// shortest-route tree, cloned where the tree branches). Each report equals, bit for bit, the
/// [`BudgetPlan`] report of a link with the spans pushed so far (the same actions on the same
/// numbers in the same order; the η matrices come from the same [`NliCache`]).
#[derive(Debug, Clone)]
pub struct SpanWalk {
    link: Link,
    frequencies_hz: Arc<Vec<f64>>,
    walk: BudgetWalk,
}

impl SpanWalk {
    /// A walk of `link`'s grid, launch power and transceiver, before any span (`link`'s own
    /// spans are not walked).
    pub fn new(link: &Link) -> Self {
        let frequencies_hz = Arc::new(link.grid.frequencies_hz());
        let walk = BudgetWalk::start(frequencies_hz.len(), link.launch_power_dbm, 0);
        Self {
            link: Link {
                spans: Vec::new(),
                ..link.clone()
            },
            frequencies_hz,
            walk,
        }
    }

    /// Walks one more span, its fibre's η matrix from `cache`.
    pub fn push(&mut self, span: &Span, cache: &mut NliCache) {
        let rules = WalkRules::new(&self.frequencies_hz, &self.link);
        for element in span.elements() {
            match &element {
                Element::Fiber(fiber) => {
                    let coefficients =
                        cache.coefficients(&fiber.params, &self.link.grid, self.link.nli_model);
                    rules.step_fiber(
                        &mut self.walk,
                        fiber,
                        &coefficients,
                        effective_length_m(fiber),
                    );
                }
                other => rules.step(&mut self.walk, other),
            }
        }
        self.link.spans.push(span.clone());
    }

    /// The budget of the spans walked so far.
    pub fn report(&self) -> BudgetReport {
        if self.frequencies_hz.is_empty() {
            return BudgetPlan::new(&self.link).run();
        }
        WalkRules::new(&self.frequencies_hz, &self.link).finish(
            &self.link,
            self.link.launch_power_dbm,
            self.walk.clone(),
        )
    }
}

/// What the walk's actions need besides the walk: the channel frequencies, the grid, the NLI
/// model and the OSNR reference-bandwidth correction.
struct WalkRules<'a> {
    frequencies_hz: &'a [f64],
    grid: &'a WdmGrid,
    nli_model: NliModel,
    osnr_bandwidth_gain_db: f64,
}

impl<'a> WalkRules<'a> {
    fn new(frequencies_hz: &'a [f64], link: &'a Link) -> Self {
        Self {
            frequencies_hz,
            grid: &link.grid,
            nli_model: link.nli_model,
            osnr_bandwidth_gain_db: osnr_bandwidth_gain_db(&link.grid),
        }
    }

    /// Walks a passive element or an amplifier.
    fn step(&self, walk: &mut BudgetWalk, element: &Element) {
        walk.enter(self.grid.center_index());
        match element {
            Element::Connector(c) => walk.lose(c.loss_db),
            Element::Fused(f) => walk.lose(f.loss_db),
            Element::Fiber(_) => unreachable!("fibres go through step_fiber"),
            Element::Edfa(edfa) => self.edfa_action(walk, edfa),
            Element::Roadm(roadm) => self.roadm_action(walk, roadm),
        }
    }

    /// Walks a fibre with its η matrix and effective length.
    fn step_fiber(
        &self,
        walk: &mut BudgetWalk,
        fiber: &Fiber,
        coefficients: &FiberNli,
        effective_length_m: f64,
    ) {
        walk.enter(self.grid.center_index());
        self.fiber_action(walk, fiber, coefficients, effective_length_m);
    }

    /// The report of everything walked: each channel's GSNR with the transmitter's noise, and
    /// the verdict of `link` (whose spans are the ones walked).
    fn finish(&self, link: &Link, launch_power_dbm: f64, walk: BudgetWalk) -> BudgetReport {
        let n = self.frequencies_hz.len();
        let osnr_bandwidth_gain_db = self.osnr_bandwidth_gain_db;
        let BudgetWalk {
            powers,
            cd_ps_nm,
            pmd_squared_ps2,
            span_reports,
            warnings,
            nli_ratios,
            ..
        } = walk;

        // Transmitter noise, referred to the signal bandwidth: 1/SNR_tx = 1/OSNR_tx · (Rs / 12.5 GHz).
        let tx_noise_to_signal = link.transceiver.tx_osnr_db.map_or(0.0, |osnr_db| {
            units::db_to_linear(-(osnr_db - osnr_bandwidth_gain_db))
        });
        let channels: Vec<ChannelReport> = (0..n)
            .map(|i| {
                let s = powers.signal_w[i];
                let noise_to_signal = (powers.ase_w[i] + powers.nli_w[i]) / s + tx_noise_to_signal;
                let gsnr_db = -units::linear_to_db(noise_to_signal);
                ChannelReport {
                    frequency_thz: units::hz_to_thz(self.frequencies_hz[i]),
                    wavelength_nm: units::frequency_hz_to_wavelength_nm(self.frequencies_hz[i]),
                    power_dbm: units::watt_to_dbm(s),
                    osnr_ase_db: units::linear_to_db(s / powers.ase_w[i]) + osnr_bandwidth_gain_db,
                    snr_nli_db: units::linear_to_db(s / powers.nli_w[i]),
                    gsnr_db,
                    gsnr_01nm_db: gsnr_db + osnr_bandwidth_gain_db,
                    cd_ps_nm: cd_ps_nm[i],
                }
            })
            .collect();

        let summary = judge(
            link,
            &span_reports,
            &channels,
            &nli_ratios,
            pmd_squared_ps2.sqrt(),
            warnings,
        );
        BudgetReport {
            name: link.name.clone(),
            launch_power_dbm,
            spans: span_reports,
            channels,
            summary,
            launch_sweep: None,
            optimum_launch_power_dbm: None,
        }
    }
}

impl WalkRules<'_> {
    /// Budget action of a fibre: the NLI generated at its input, driven by each channel's total
    /// in-band power, as a power transfer out of signal and noise (GNPy's bookkeeping); then its
    /// attenuation (applied with the next gain), CD and PMD.
    fn fiber_action(
        &self,
        walk: &mut BudgetWalk,
        fiber: &Fiber,
        coefficients: &FiberNli,
        effective_length_m: f64,
    ) {
        walk.powers
            .scale(units::db_to_linear(-walk.pending_loss_db));
        walk.pending_loss_db = 0.0;
        let n = walk.in_band_w.len();
        for (i, p) in walk.in_band_w.iter_mut().enumerate() {
            *p = walk.powers.total_w(i);
        }
        coefficients.gn.nli_power_w(
            &walk.in_band_w,
            effective_length_m,
            &mut walk.generated_nli_w,
        );
        if let (Some(egn), Some(format)) = (&coefficients.egn, self.nli_model.format()) {
            let index = walk.nli_ratios.len();
            let in_walk = FiberInWalk {
                index,
                effective_length_m,
                length_m: units::km_to_m(fiber.length_km),
            };
            if egn.correct(
                &coefficients.gn,
                format,
                in_walk,
                &walk.in_band_w,
                &mut walk.generated_nli_w,
            ) {
                walk.warnings.push(format!(
                    "span {index}: the EGN correction was limited to the span's cross-channel NLI (a short or low-dispersion span, outside the closed form's validity; the result is conservative)"
                ));
            }
        }
        let mut fiber_nli_ratio: f64 = 0.0;
        let powers = &mut walk.powers;
        for i in 0..n {
            let ratio = nli_to_in_band_ratio(walk.generated_nli_w[i], walk.in_band_w[i]);
            fiber_nli_ratio = fiber_nli_ratio.max(ratio);
            let (keep, transferred) = nli_power_transfer(ratio);
            powers.signal_w[i] *= keep;
            powers.ase_w[i] *= keep;
            powers.nli_w[i] = powers.nli_w[i] * keep + walk.in_band_w[i] * transferred;
        }
        walk.nli_ratios.push(fiber_nli_ratio);
        walk.lose(fiber.loss_db());
        for (cd, &f) in walk.cd_ps_nm.iter_mut().zip(self.frequencies_hz) {
            *cd += fiber.dispersion_ps_nm_at(f);
        }
        walk.pmd_squared_ps2 += fiber.pmd_squared_ps2();
        walk.length_km += fiber.length_km;
    }

    /// Budget action of an EDFA: its gain (with the passive losses since the last active element,
    /// as one factor), its ASE `NF·h·f·G·B` in the signal bandwidth; it closes a span and reports
    /// it.
    fn edfa_action(&self, walk: &mut BudgetWalk, amplifier: &Edfa) {
        let osnr_bandwidth_gain_db = self.osnr_bandwidth_gain_db;
        let n = self.frequencies_hz.len();
        let center = self.grid.center_index();
        let symbol_rate_hz = self.grid.symbol_rate_hz();
        let operating;
        let amplifier = if amplifier.nf_model.is_some() || amplifier.output_saturates {
            let input_w: f64 = (0..n).map(|i| walk.powers.total_w(i)).sum::<f64>()
                * units::db_to_linear(-walk.pending_loss_db);
            operating = amplifier.at_operating_point(
                units::watt_to_dbm(input_w),
                n,
                units::ghz_to_hz(self.grid.spacing_ghz),
            );
            &operating
        } else {
            amplifier
        };
        walk.powers.scale(units::db_to_linear(
            amplifier.gain_db - walk.pending_loss_db,
        ));
        walk.pending_loss_db = 0.0;
        for (ase, &f) in walk.powers.ase_w.iter_mut().zip(self.frequencies_hz) {
            *ase += amplifier.ase_power_w(f, symbol_rate_hz);
        }
        let index = walk.span_reports.len();
        let total_output_dbm = units::watt_to_dbm((0..n).map(|i| walk.powers.total_w(i)).sum());
        if let Some(max_dbm) = amplifier.max_output_power_dbm {
            if total_output_dbm > max_dbm {
                walk.warnings.push(format!(
                    "amplifier after span {index}: total output {total_output_dbm:.2} dBm exceeds its maximum {max_dbm:.2} dBm"
                ));
            }
        }
        let s = walk.powers.signal_w[center];
        let ase = walk.powers.ase_w[center];
        let nli = walk.powers.nli_w[center];
        walk.span_reports.push(SpanReport {
            index,
            length_km: walk.length_km,
            loss_db: walk.span_loss_db,
            gain_db: amplifier.gain_db,
            noise_figure_db: amplifier.noise_figure_db,
            launch_power_dbm: walk.span_launch_dbm.take().unwrap_or(f64::NAN),
            output_power_dbm: units::watt_to_dbm(s),
            amplifier_total_output_dbm: total_output_dbm,
            cd_ps_nm: walk.cd_ps_nm[center],
            pmd_ps: walk.pmd_squared_ps2.sqrt(),
            osnr_ase_db: units::linear_to_db(s / ase) + osnr_bandwidth_gain_db,
            snr_nli_db: units::linear_to_db(s / nli),
            gsnr_db: units::linear_to_db(s / (ase + nli)),
        });
        walk.span_loss_db = 0.0;
        walk.length_km = 0.0;
    }
}

impl WalkRules<'_> {
    /// Budget action of a ROADM: the passive losses since the last active element, then every
    /// channel's whole power (signal + ASE + NLI) to `min(P, target)`; its PMD adds in
    /// quadrature.
    fn roadm_action(&self, walk: &mut BudgetWalk, roadm: &Roadm) {
        walk.powers
            .scale(units::db_to_linear(-walk.pending_loss_db));
        walk.pending_loss_db = 0.0;
        let target_w = units::dbm_to_watt(roadm.target_power_dbm);
        let powers = &mut walk.powers;
        for i in 0..powers.signal_w.len() {
            let total = powers.total_w(i);
            if total > target_w {
                let factor = target_w / total;
                powers.signal_w[i] *= factor;
                powers.ase_w[i] *= factor;
                powers.nli_w[i] *= factor;
            }
        }
        walk.pmd_squared_ps2 += roadm.pmd_ps * roadm.pmd_ps;
    }
}

/// `x = P_NLI / P_in-band` of one channel in one span (0 when the channel carries no power).
fn nli_to_in_band_ratio(generated_nli_w: f64, in_band_w: f64) -> f64 {
    if in_band_w > 0.0 {
        generated_nli_w / in_band_w
    } else {
        0.0
    }
}

/// Up to this `x = P_NLI / P_in-band` a span transfers exactly the GN model's NLI power.
const LITERAL_TRANSFER_LIMIT: f64 = 0.5;

/// The NLI power transfer of one span for `x = P_NLI / P_in-band`: the factor `keep` that signal,
/// ASE and earlier NLI keep, and the fraction `transferred` of the in-band power that becomes new
/// NLI, with `keep + transferred = 1` (the in-band total is conserved).
///
/// Up to `x = 0.5` — every span inside the GN model's validity, where `x` is of order 10⁻³ —
/// `transferred = x`: the NLI power is the GN formula's `η·P³` exactly, GNPy 3.0.1's bookkeeping
/// (`SpectralInformation.add_nli`: signal and ASE × (1 − x)). GNPy lets `1 − x` go negative past
/// `x = 1` (a negative signal power); beyond 0.5 the transfer here continues as
/// `1 − 0.5·e^{−(x − 0.5)/0.5}`, which has the same value and slope at 0.5 and stays below 1,
/// so `keep` stays in (0, 1] for every x ≥ 0. (An earlier form, `keep = e^{−x}` everywhere,
/// transferred `1 − e^{−x}`: NLI low by the relative `x/2`, 0.013 dB of SNR_NLI on GNPy's mesh
/// example at +3 dBm.)
fn nli_power_transfer(ratio: f64) -> (f64, f64) {
    if ratio <= LITERAL_TRANSFER_LIMIT {
        (1.0 - ratio, ratio)
    } else {
        let keep = LITERAL_TRANSFER_LIMIT * LITERAL_TRANSFER_LIMIT / ratio;
        (keep, 1.0 - keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Span;

    #[test]
    fn the_nli_transfer_is_the_gn_power_then_saturates_smoothly() {
        for x in [0.0, 1e-3, 0.1, 0.5] {
            let (keep, transferred) = nli_power_transfer(x);
            assert_eq!(transferred, x);
            assert_eq!(keep + transferred, 1.0);
        }
        // Continuous with a continuous slope at 0.5, below 1 for any x.
        let (_, below) = nli_power_transfer(0.5);
        let (_, above) = nli_power_transfer(0.5 + 1e-9);
        assert!(((above - below) / 1e-9 - 1.0).abs() < 1e-6);
        for x in [0.6, 1.0, 10.0, 1e6, 1e300] {
            let (keep, transferred) = nli_power_transfer(x);
            assert!(keep > 0.0 && keep < 0.5, "{x}: {keep}");
            assert!((0.5..=1.0).contains(&transferred), "{x}");
        }
    }
    use crate::fiber::builtin_fiber;

    #[test]
    fn plans_sharing_a_cache_compute_each_matrix_once_and_budget_the_same() {
        let grid = WdmGrid {
            channels: 8,
            spacing_ghz: 50.0,
            center_thz: 193.1,
            symbol_rate_gbaud: 32.0,
        };
        let ssmf = builtin_fiber("SSMF").unwrap();
        let mut other = ssmf.clone();
        other.effective_area_um2 = 72.0;
        let mut spans = vec![Span::new(80.0, ssmf.clone()); 3];
        spans.push(Span::new(60.0, other));
        // The same fibre with another PMD: the same NLI, the same matrix.
        let mut pmd = ssmf;
        pmd.pmd_ps_per_sqrt_km = 0.5;
        spans.push(Span::new(70.0, pmd));
        let link = Link::new(grid, 1.0, spans);
        let mut cache = NliCache::new();
        let shared = BudgetPlan::with_cache(&link, &mut cache).run();
        assert_eq!(cache.len(), 2, "two distinct fibres as the NLI sees them");
        let again = BudgetPlan::with_cache(&link, &mut cache).run();
        assert_eq!(cache.len(), 2, "nothing recomputed");
        let alone = BudgetPlan::new(&link).run();
        assert_eq!(shared, alone);
        assert_eq!(again, alone);
    }
}
