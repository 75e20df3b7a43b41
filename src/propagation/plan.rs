//! The plan: FFTs for one grid, frequency axis, buffers, FFT counter.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rustfft::Fft;

use super::four_step::FourStep;
use super::real::{ComplexOf, Real};
use super::step_control::DEFAULT_STEP_LIMIT;
use crate::signal::Complex;
use crate::signal::TimeGrid;

/// Arrays at least this long have the work on the two polarisations (transforms, Kerr step) split
/// over two threads; below it the hand-off costs more than it saves.
pub const PARALLEL_SAMPLES: usize = 8192;

/// Runs the two polarisations' jobs on two threads (rayon) when `parallel`, else one after the
/// other.
pub(super) fn both<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if parallel {
        rayon::join(a, b)
    } else {
        (a(), b())
    }
}

/// Everything a propagation on one grid needs, prepared once: rustfft forward/inverse plans and
/// their scratch, the angular-frequency axis and the working buffers of the adaptive method, in
/// the precision `R` the field propagates in (f64 by default, f32 on request).
/// Running a step allocates nothing.
pub struct SsfmPlan<R: Real = f64> {
    grid: TimeGrid,
    forward: Arc<dyn Fft<R>>,
    inverse: Arc<dyn Fft<R>>,
    scratch: Vec<ComplexOf<R>>,
    /// Scratch of the second transform of a pair run in parallel.
    scratch_pair: Vec<ComplexOf<R>>,
    omega_rad_per_ps: Vec<f64>,
    pub(super) coarse: Vec<ComplexOf<R>>,
    pub(super) fine: Vec<ComplexOf<R>>,
    pub(super) observe: Vec<ComplexOf<R>>,
    fft_count: u64,
    fft_time: Duration,
    step_limit: usize,
    /// The four-step plan of fixed-step runs at 2^13…2^16 samples (taken out while it runs).
    pub(super) four_step: Option<FourStep<R>>,
}

impl SsfmPlan<f64> {
    /// Plans the f64 FFTs for `grid` (any N; rustfft picks mixed-radix, Rader or Bluestein as
    /// needed).
    pub fn new(grid: TimeGrid) -> Self {
        Self::in_precision(grid)
    }
}

impl<R: Real> SsfmPlan<R> {
    /// Plans the FFTs for `grid` in precision `R`.
    pub fn in_precision(grid: TimeGrid) -> Self {
        let forward = crate::signal::fft_plans::forward(grid.samples);
        let inverse = crate::signal::fft_plans::inverse(grid.samples);
        let scratch_len = forward
            .get_inplace_scratch_len()
            .max(inverse.get_inplace_scratch_len());
        Self {
            grid,
            forward,
            inverse,
            scratch: vec![ComplexOf::default(); scratch_len],
            scratch_pair: vec![ComplexOf::default(); scratch_len],
            omega_rad_per_ps: grid.angular_frequencies_rad_per_ps(),
            // The local-error method's and the snapshots' buffers are sized on first use (once per
            // plan, never per step): a fixed-step run does not pay 48 bytes per sample for them.
            coarse: Vec::new(),
            fine: Vec::new(),
            observe: Vec::new(),
            fft_count: 0,
            fft_time: Duration::ZERO,
            step_limit: DEFAULT_STEP_LIMIT,
            four_step: FourStep::new(grid.samples),
        }
    }

    /// Most steps (accepted and rejected) one propagation with this plan may take; past it the
    /// propagation stops with [`Stop::StepLimit`](super::Stop::StepLimit).
    pub fn set_step_limit(&mut self, steps: usize) {
        self.step_limit = steps;
    }

    /// The step budget of one propagation.
    pub fn step_limit(&self) -> usize {
        self.step_limit
    }

    /// `buffer` sized to the grid (allocated on its first use, kept after).
    pub(super) fn sized(&self, mut buffer: Vec<ComplexOf<R>>) -> Vec<ComplexOf<R>> {
        buffer.resize(self.grid.samples, ComplexOf::default());
        buffer
    }

    /// The grid this plan was made for.
    pub fn grid(&self) -> &TimeGrid {
        &self.grid
    }

    /// Angular frequencies in FFT order, rad/ps.
    pub fn omega_rad_per_ps(&self) -> &[f64] {
        &self.omega_rad_per_ps
    }

    /// The floor a split step is measured against, µs: one inverse + one forward transform of
    /// a copy of `field` with this plan's transforms and scratch, the median of 9 timed batches
    /// (each about 2^20 samples' worth of pairs). Not counted in [`SsfmPlan::fft_count`].
    pub fn fft_pair_floor_us(&mut self, field: &[ComplexOf<R>]) -> f64 {
        let mut data = field.to_vec();
        let reps = ((1usize << 20) / data.len().max(1)).max(1);
        let mut batches: Vec<f64> = (0..9)
            .map(|_| {
                let start = Instant::now();
                for _ in 0..reps {
                    self.inverse
                        .process_with_scratch(&mut data, &mut self.scratch);
                    self.forward
                        .process_with_scratch(&mut data, &mut self.scratch);
                }
                start.elapsed().as_secs_f64() * 1e6 / reps as f64
            })
            .collect();
        batches.sort_by(f64::total_cmp);
        batches[batches.len() / 2]
    }

    /// In-place forward transform `Ã_k = Σ_j A_j e^{−2πi·jk/N}` (unnormalised).
    pub fn forward(&mut self, data: &mut [ComplexOf<R>]) {
        let start = Instant::now();
        self.forward.process_with_scratch(data, &mut self.scratch);
        self.fft_time += start.elapsed();
        self.fft_count += 1;
    }

    /// In-place inverse transform `A_j = Σ_k Ã_k e^{+2πi·jk/N}` (unnormalised: divide by N).
    pub fn inverse(&mut self, data: &mut [ComplexOf<R>]) {
        let start = Instant::now();
        self.inverse.process_with_scratch(data, &mut self.scratch);
        self.fft_time += start.elapsed();
        self.fft_count += 1;
    }

    /// Forward transforms of two arrays (the two polarisations), each then multiplied by `op`
    /// if given; on two threads (rayon) when the arrays are at least `PARALLEL_SAMPLES` (8192) long.
    /// Counted as two FFTs; the FFT wall time added is the longer of the two transforms.
    pub fn forward_pair(
        &mut self,
        x: &mut [ComplexOf<R>],
        y: &mut [ComplexOf<R>],
        op: Option<&[Complex]>,
    ) {
        let fft = Arc::clone(&self.forward);
        self.pair(fft.as_ref(), x, y, None, op);
    }

    /// Inverse transforms of two arrays, each first multiplied by `op` if given; otherwise as
    /// [`SsfmPlan::forward_pair`].
    pub fn inverse_pair(
        &mut self,
        x: &mut [ComplexOf<R>],
        y: &mut [ComplexOf<R>],
        op: Option<&[Complex]>,
    ) {
        let fft = Arc::clone(&self.inverse);
        self.pair(fft.as_ref(), x, y, op, None);
    }

    fn pair(
        &mut self,
        fft: &dyn Fft<R>,
        x: &mut [ComplexOf<R>],
        y: &mut [ComplexOf<R>],
        before: Option<&[Complex]>,
        after: Option<&[Complex]>,
    ) {
        let one = |data: &mut [ComplexOf<R>], scratch: &mut [ComplexOf<R>]| {
            if let Some(op) = before {
                R::multiply(data, op);
            }
            let start = Instant::now();
            fft.process_with_scratch(data, scratch);
            let elapsed = start.elapsed();
            if let Some(op) = after {
                R::multiply(data, op);
            }
            elapsed
        };
        let (scratch, scratch_pair) = (&mut self.scratch, &mut self.scratch_pair);
        let (tx, ty) = both(
            x.len() >= PARALLEL_SAMPLES,
            || one(x, scratch),
            || one(y, scratch_pair),
        );
        self.fft_time += tx.max(ty);
        self.fft_count += 2;
    }

    /// Inverse transform for observation (snapshots): not counted.
    pub(super) fn inverse_uncounted(&mut self, data: &mut [ComplexOf<R>]) {
        self.inverse.process_with_scratch(data, &mut self.scratch);
    }

    /// Counts `transforms` whole-array transforms' worth of work done by the four-step passes,
    /// which took `elapsed` in all (the Kerr and multiply fused into them included).
    pub(super) fn count_fused(&mut self, transforms: u64, elapsed: Duration) {
        self.fft_count += transforms;
        self.fft_time += elapsed;
    }

    /// Number of FFTs run so far.
    pub fn fft_count(&self) -> u64 {
        self.fft_count
    }

    /// Resets the FFT counter (and the FFT time).
    pub fn reset_fft_count(&mut self) {
        self.fft_count = 0;
        self.fft_time = Duration::ZERO;
    }

    /// Wall time spent in the counted FFTs so far (two clock reads per FFT, tens of ns against
    /// microseconds for the FFT itself).
    pub fn fft_time(&self) -> Duration {
        self.fft_time
    }

    /// The spectrum of `field` (forward transform of a copy; not counted, for measurements).
    pub fn spectrum_of(&mut self, field: &[ComplexOf<R>]) -> Vec<ComplexOf<R>> {
        let mut spectrum = field.to_vec();
        self.forward
            .process_with_scratch(&mut spectrum, &mut self.scratch);
        spectrum
    }
}
