//! Fixed-step split steps on a four-step factorisation of the FFT, with the Kerr rotation and the
//! linear multiply done inside the transforms' own passes over the field.
//!
//! **The factorisation** (Bailey, "FFTs in external or hierarchical memory", J. Supercomputing
//! 4(1), 1990; Van Loan, *Computational Frameworks for the FFT*, 1992, §3.3). With `N = N1·N2`, a
//! sample index `n = N2·n1 + n2` and a frequency index `k = k1 + N1·k2`, the field held as the
//! row-major `N1 × N2` matrix `x[n1][n2]`,
//!
//! `X[k1 + N1·k2] = Σ_{n2} W_{N2}^{n2·k2} · W_N^{n2·k1} · Σ_{n1} x[n1][n2]·W_{N1}^{n1·k1}`
//!
//! (`W_M = e^{−2πi/M}`): length-N1 transforms down the columns, the twiddle `W_N^{n2·k1}`, then
//! length-N2 transforms along the rows leave `X[k1 + N1·k2]` at row k1, column k2 — the spectrum
//! in a *transposed order*. A split step never needs the natural order: its linear operator is
//! diagonal, so it is applied in the same transposed order, and the inverse transform runs the
//! three stages backwards (rows, conjugate twiddle, columns) from that order.
//!
//! **The step** `A ← IFFT·N(A)·FFT·D̂` then takes two passes over the field instead of the
//! whole-array transforms' several plus two:
//! - *row pass*: per block of rows (in L1) the forward row transforms, the operator, the inverse
//!   row transforms;
//! - *column pass*: per group of [`GROUP`] columns, gathered into a contiguous block with the
//!   conjugate twiddle, the inverse column transforms (→ time domain), the Kerr rotation with
//!   `1/N` ([`Real::kerr`]), the forward column transforms, and the block scattered back with the
//!   twiddle.
//!
//! The small transforms are rustfft's; the gather and scatter are AVX2 2 × 2 block transposes
//! where the CPU has them (`four_step_x86`). The arithmetic is the same as the whole-array
//! transforms' up to round-off (tested: 1e-15 relative after 100 steps). Used for f64 fields of
//! 2^13 to 2^16 samples in fixed-step runs without snapshots, where it measured faster than the
//! whole-array step on this project's machine (README); everything else keeps the
//! whole-array path.

use std::sync::Arc;

use rustfft::Fft;

use super::real::{ComplexOf, Real};
use super::section::FiberSection;
use super::solver::{LinearOperators, StepTally};
use super::step_control::Stop;
use crate::signal::Complex;

/// Columns gathered per block of the column pass in f64 (`GROUP·N1` samples: 8 KB at N1 = 64,
/// 32 KB at N1 = 256); f32 takes twice as many (the same bytes per row). Measured at 2^13…2^16
/// against 16 (and 4 at 2^16) in f64: 8 was as fast or faster at every size; in f32 16 against 8:
/// 0.50–0.52 against 0.58–0.60 × the f64 FFT pair at 2^14.
pub(super) const GROUP: usize = 8;

/// The most bytes the gathered blocks of all fields hold together (32 KB, the L1 data cache of
/// current x86 cores): two f64 Manakov fields at N1 = 256 take groups of 4 columns, not 8 (1.24 →
/// 1.04 × two FFT pairs at 2^16, measured).
const BLOCK_BYTES: usize = 32 * 1024;

/// Rows per block of the row pass (`ROW_BLOCK·N2` samples: 8 KB at N2 = 128, 16 KB at 256);
/// measured against 2 and 8.
const ROW_BLOCK: usize = 4;

/// Fields from this many samples have their two polarisations' passes on two threads.
const PARALLEL_SAMPLES: usize = 1 << 16;

/// Smallest and largest `log2 N` the four-step path takes.
const LOG2_RANGE: std::ops::RangeInclusive<u32> = 13..=16;

/// The four-step plan of one grid.
pub(super) struct FourStep<R: Real> {
    rows: usize,
    columns: usize,
    column_forward: Arc<dyn Fft<R>>,
    column_inverse: Arc<dyn Fft<R>>,
    row_forward: Arc<dyn Fft<R>>,
    row_inverse: Arc<dyn Fft<R>>,
    /// `W_N^{k1·n2}` at `k1·N2 + n2` (computed in f64, rounded to the precision).
    twiddles: Vec<ComplexOf<R>>,
    /// The full-step operator in transposed order (f64 in either precision, as the whole-array
    /// path keeps it), and the reordering buffer.
    operator: Vec<Complex>,
    reorder: Vec<ComplexOf<R>>,
    /// What each of the (up to) two threads of a Manakov pass works in.
    workers: [Worker<R>; 2],
}

/// One thread's buffers: the gathered column group (one block per polarisation) and the
/// transforms' scratch.
struct Worker<R: Real> {
    blocks: [Vec<ComplexOf<R>>; 2],
    scratch: Vec<ComplexOf<R>>,
}

/// A field handed to the column pass's threads as a pointer: each thread gathers and scatters its
/// own columns only.
struct FieldPointer<R: Real>(*mut ComplexOf<R>);

impl<R: Real> Clone for FieldPointer<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Real> Copy for FieldPointer<R> {}

// SAFETY: a `FieldPointer` is only dereferenced by `column_range`, and the threads of one pass
// get disjoint column ranges of fields that outlive the pass.
unsafe impl<R: Real> Send for FieldPointer<R> {}
// SAFETY: as above.
unsafe impl<R: Real> Sync for FieldPointer<R> {}

impl<R: Real> FourStep<R> {
    /// The plan for `samples` (`None` outside 2^13…2^16 or not a power of two).
    pub(super) fn new(samples: usize) -> Option<Self> {
        if !Self::applies(samples) {
            return None;
        }
        let rows = 1usize << (samples.trailing_zeros() / 2);
        let columns = samples / rows;
        let plans = [
            crate::signal::fft_plans::forward::<R>(rows),
            crate::signal::fft_plans::inverse::<R>(rows),
            crate::signal::fft_plans::forward::<R>(columns),
            crate::signal::fft_plans::inverse::<R>(columns),
        ];
        let scratch_len = plans
            .iter()
            .map(|p| p.get_inplace_scratch_len())
            .max()
            .unwrap_or(0);
        let [column_forward, column_inverse, row_forward, row_inverse] = plans;
        let twiddles = (0..rows)
            .flat_map(|k1| {
                (0..columns).map(move |n2| {
                    let turns = ((k1 * n2) % samples) as f64 / samples as f64;
                    let w = Complex::from_polar(1.0, -2.0 * std::f64::consts::PI * turns);
                    ComplexOf::new(R::of(w.re), R::of(w.im))
                })
            })
            .collect();
        Some(Self {
            rows,
            columns,
            column_forward,
            column_inverse,
            row_forward,
            row_inverse,
            twiddles,
            operator: vec![Complex::default(); samples],
            reorder: vec![ComplexOf::default(); samples],
            workers: std::array::from_fn(|_| Worker {
                blocks: std::array::from_fn(|_| vec![ComplexOf::default(); 2 * GROUP * rows]),
                scratch: vec![ComplexOf::default(); scratch_len],
            }),
        })
    }

    /// Whether a grid of `samples` gets a four-step plan (a power of two in 2^13…2^16).
    pub(super) fn applies(samples: usize) -> bool {
        samples.is_power_of_two() && LOG2_RANGE.contains(&samples.trailing_zeros())
    }

    /// Memory the plan holds, bytes per sample (twiddles, operator, reordering buffer).
    pub(super) const BYTES_PER_SAMPLE: usize = 3 * std::mem::size_of::<Complex>();

    /// `spectrum` (natural FFT order) into the transposed order, in place.
    pub(super) fn transpose_in(&mut self, spectrum: &mut [ComplexOf<R>]) {
        self.reorder.copy_from_slice(spectrum);
        into_transposed_order(&self.reorder, spectrum, self.rows, self.columns);
    }

    /// The transposed order back to natural FFT order, in place.
    pub(super) fn transpose_out(&mut self, spectrum: &mut [ComplexOf<R>]) {
        self.reorder.copy_from_slice(spectrum);
        for k1 in 0..self.rows {
            for k2 in 0..self.columns {
                spectrum[k1 + self.rows * k2] = self.reorder[k1 * self.columns + k2];
            }
        }
    }

    /// Sets the full-step operator (natural FFT order), kept in transposed order.
    pub(super) fn set_operator(&mut self, op: &[Complex]) {
        into_transposed_order(op, &mut self.operator, self.rows, self.columns);
    }

    /// Whether a pass over K fields splits over two threads: two polarisations of at least
    /// [`PARALLEL_SAMPLES`]. Below it the threads' hand-off per pass (two per step) costs more
    /// than it saves: at 2^14 the Manakov step measured 1.02–1.04 × two FFT pairs on one thread
    /// and 1.07–1.21 on two; at 2^16 1.04–1.06 on one and 0.83–0.89 on two.
    fn parallel<const K: usize>(&self) -> bool {
        K == 2 && self.rows * self.columns >= PARALLEL_SAMPLES
    }

    /// The row pass over each field: per block of rows, the forward row transforms (if
    /// `forward`), the operator (if `multiply`), the inverse row transforms (if `inverse`). Two
    /// polarisations go to two threads.
    pub(super) fn row_pass<const K: usize>(
        &mut self,
        fields: &mut [&mut [ComplexOf<R>]; K],
        forward: bool,
        multiply: bool,
        inverse: bool,
    ) {
        let parallel = self.parallel::<K>();
        let chunk = ROW_BLOCK * self.columns;
        let (row_forward, row_inverse) = (&*self.row_forward, &*self.row_inverse);
        let operator = &self.operator;
        let rows_of = |field: &mut [ComplexOf<R>], scratch: &mut [ComplexOf<R>]| {
            for (rows, op) in field.chunks_mut(chunk).zip(operator.chunks(chunk)) {
                if forward {
                    row_forward.process_with_scratch(rows, scratch);
                }
                if multiply {
                    R::multiply(rows, op);
                }
                if inverse {
                    row_inverse.process_with_scratch(rows, scratch);
                }
            }
        };
        let [first, second] = &mut self.workers;
        match fields.as_mut_slice() {
            [x, y] if parallel => {
                rayon::join(
                    || rows_of(x, &mut first.scratch),
                    || rows_of(y, &mut second.scratch),
                );
            }
            all => all.iter_mut().for_each(|f| rows_of(f, &mut first.scratch)),
        }
    }

    /// The column pass over K fields sharing one Kerr phase (K = 1, or 2 for Manakov): per group
    /// of columns, each field gathered with the conjugate twiddle and inverse-transformed down its
    /// columns, the Kerr rotation `A_k ← A_k·scale·exp(i·γh·Σ|A_k·scale|²)` ([`Real::kerr`]; the
    /// Manakov 8/9 is in `gamma_h`), each forward-transformed and scattered back with the twiddle.
    /// Two polarisations of at least 2^16 samples split the columns over two threads. Returns the
    /// peak of `Σ|A_k·scale|²` (W).
    pub(super) fn column_pass<const K: usize>(
        &mut self,
        fields: &mut [&mut [ComplexOf<R>]; K],
        scale: f64,
        gamma_h: f64,
    ) -> f64 {
        for field in fields.iter() {
            assert_eq!(
                field.len(),
                self.rows * self.columns,
                "a field of the plan's grid"
            );
        }
        let sample_bytes = std::mem::size_of::<ComplexOf<R>>();
        let group = (GROUP * 16 / sample_bytes)
            .min(BLOCK_BYTES / (K * self.rows * sample_bytes))
            .max(4);
        let pointers: [FieldPointer<R>; K] =
            std::array::from_fn(|k| FieldPointer(fields[k].as_mut_ptr()));
        let parallel = self.parallel::<K>();
        let plan = ColumnPlan {
            rows: self.rows,
            columns: self.columns,
            group,
            column_forward: &*self.column_forward,
            column_inverse: &*self.column_inverse,
            twiddles: &self.twiddles,
            scale,
            gamma_h,
        };
        let [first, second] = &mut self.workers;
        // SAFETY: every pointer addresses a live field of rows·columns samples (asserted above),
        // borrowed mutably for this call; the two threads take disjoint column ranges.
        unsafe {
            if parallel {
                let middle = (self.columns / group / 2) * group;
                let (a, b) = rayon::join(
                    || plan.columns_in(&pointers, first, 0..middle),
                    || plan.columns_in(&pointers, second, middle..plan.columns),
                );
                a.max(b)
            } else {
                plan.columns_in(&pointers, first, 0..plan.columns)
            }
        }
    }

    /// `steps` equal merged steps of `h` km over `section` on K fields (natural-order spectra in
    /// and out), as [`super::solver::run_merged`] takes them: the half operator, then per step
    /// the inverse transform, the Kerr rotation with `1/N` (coefficient `kerr_factor·γ·h`), the
    /// forward transform and the full operator — the last step's the half — here as one column
    /// pass and one row pass per step. Stops early when the tally reaches `step_limit`.
    /// `progress` gets the section-local z after every step. Returns the transforms' worth done
    /// (two per step and field).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn run_equal_steps<const K: usize>(
        &mut self,
        mut fields: [&mut [ComplexOf<R>]; K],
        ops: &mut LinearOperators,
        section: &FiberSection,
        (steps, h, kerr_factor): (usize, f64, f64),
        tally: &mut StepTally,
        step_limit: usize,
        progress: &mut dyn FnMut(f64),
    ) -> u64 {
        let gamma_h = kerr_factor * section.gamma_per_w_km * h;
        let inv_n = 1.0 / (self.rows * self.columns) as f64;
        for field in fields.iter_mut() {
            R::multiply(field, ops.get(0.5 * h));
            self.transpose_in(field);
        }
        self.set_operator(ops.get(h));
        self.row_pass(&mut fields, false, false, true);
        let mut done = 0;
        for index in 0..steps {
            let peak = self.column_pass(&mut fields, inv_n, gamma_h);
            tally.max_nonlinear_phase_rad += gamma_h * peak;
            tally.steps += 1;
            done += 1;
            let last = index + 1 == steps;
            let z = if last {
                section.length_km
            } else {
                (index + 1) as f64 * h
            };
            let limit_reached = !last && tally.steps + tally.rejected_steps >= step_limit;
            if last || limit_reached {
                self.row_pass(&mut fields, true, false, false);
                for field in fields.iter_mut() {
                    self.transpose_out(field);
                    R::multiply(field, ops.get(0.5 * h));
                }
                progress(z);
                if limit_reached {
                    tally.stopped = Some(Stop::StepLimit {
                        steps: tally.steps + tally.rejected_steps,
                        z_km: z,
                    });
                }
                break;
            }
            self.row_pass(&mut fields, true, true, true);
            progress(z);
        }
        2 * K as u64 * done
    }
}

/// What the column pass's threads share.
struct ColumnPlan<'a, R: Real> {
    rows: usize,
    columns: usize,
    group: usize,
    column_forward: &'a dyn Fft<R>,
    column_inverse: &'a dyn Fft<R>,
    twiddles: &'a [ComplexOf<R>],
    scale: f64,
    gamma_h: f64,
}

impl<R: Real> ColumnPlan<'_, R> {
    /// The column pass on the columns `range` (a multiple of the group size wide, or reaching
    /// the last column) of the K fields; returns their peak power.
    ///
    /// # Safety
    /// Every pointer addresses `rows·columns` samples that nothing else reads or writes in
    /// `range`'s columns during the call.
    unsafe fn columns_in<const K: usize>(
        &self,
        fields: &[FieldPointer<R>; K],
        worker: &mut Worker<R>,
        range: std::ops::Range<usize>,
    ) -> f64 {
        let mut peak = 0.0f64;
        for first in range.clone().step_by(self.group) {
            let shape = Shape {
                rows: self.rows,
                columns: self.columns,
                first,
                group: self.group.min(range.end - first),
            };
            let len = shape.group * self.rows;
            for (field, block) in fields.iter().zip(worker.blocks.iter_mut()) {
                let block = &mut block[..len];
                R::gather(field.0, self.twiddles, block, shape);
                self.column_inverse
                    .process_with_scratch(block, &mut worker.scratch);
            }
            let [x, y] = &mut worker.blocks;
            let (x, y) = (&mut x[..len], &mut y[..len]);
            peak = peak.max(if K == 2 {
                R::kerr([x, y], self.scale, self.gamma_h)
            } else {
                R::kerr([x], self.scale, self.gamma_h)
            });
            for (field, block) in fields.iter().zip(worker.blocks.iter_mut()) {
                let block = &mut block[..len];
                self.column_forward
                    .process_with_scratch(block, &mut worker.scratch);
                R::scatter(block, self.twiddles, field.0, shape);
            }
        }
        peak
    }
}

/// `transposed[k1·columns + k2] = natural[k1 + rows·k2]`: a spectrum (or operator) from natural
/// FFT order into the four-step order.
fn into_transposed_order<T: Copy>(
    natural: &[T],
    transposed: &mut [T],
    rows: usize,
    columns: usize,
) {
    for k1 in 0..rows {
        for k2 in 0..columns {
            transposed[k1 * columns + k2] = natural[k1 + rows * k2];
        }
    }
}

/// Where a column group sits: the matrix is `rows × columns`, the group its columns
/// `first .. first + group`.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Rows of the matrix (the column transforms' length).
    pub rows: usize,
    /// Columns of the matrix (the row transforms' length).
    pub columns: usize,
    /// The group's first column.
    pub first: usize,
    /// Columns in the group.
    pub group: usize,
}

impl Shape {
    /// Debug-checks what the block moves assume: the group inside the matrix, `twiddles` one per
    /// sample, `block` room for the group.
    pub(super) fn debug_check(self, twiddles: usize, block: usize) {
        debug_assert!(self.first + self.group <= self.columns);
        debug_assert!(twiddles == self.rows * self.columns && block >= self.group * self.rows);
    }
}

/// The column pass's block moves in one precision: the sealed helper trait of [`Real`] (public in
/// this private module, so nothing outside can name or implement it).
pub trait ColumnMoves: Sized {
    /// `block[j·rows + r] = field[r·columns + first + j] · conj(twiddle)`, for the group's
    /// columns j.
    ///
    /// # Safety
    /// `field` addresses `rows·columns` samples, `first + group ≤ columns`, `block` holds
    /// `group·rows`, `twiddles` `rows·columns`.
    unsafe fn gather(
        field: *const ComplexOf<Self>,
        twiddles: &[ComplexOf<Self>],
        block: &mut [ComplexOf<Self>],
        shape: Shape,
    );

    /// `field[r·columns + first + j] = block[j·rows + r] · twiddle`, for the group's columns j.
    ///
    /// # Safety
    /// As [`ColumnMoves::gather`].
    unsafe fn scatter(
        block: &[ComplexOf<Self>],
        twiddles: &[ComplexOf<Self>],
        field: *mut ComplexOf<Self>,
        shape: Shape,
    );
}

/// Whether the AVX2 block moves apply: the CPU has them and the shape is a whole number of
/// 2-row × `columns`-column tiles.
fn vector_moves(shape: Shape, columns: usize) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        super::nonlinear::avx2_fma() && shape.rows % 2 == 0 && shape.group % columns == 0
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (shape, columns);
        false
    }
}

impl ColumnMoves for f64 {
    unsafe fn gather(
        field: *const Complex,
        twiddles: &[Complex],
        block: &mut [Complex],
        shape: Shape,
    ) {
        #[cfg(target_arch = "x86_64")]
        if vector_moves(shape, 2) {
            // SAFETY: AVX2 and FMA were detected, the shape tiles; the caller keeps every index
            // inside the field.
            unsafe { super::four_step_x86::gather(field, twiddles, block, shape) };
            return;
        }
        unsafe { gather_portable(field, twiddles, block, shape) };
    }

    unsafe fn scatter(block: &[Complex], twiddles: &[Complex], field: *mut Complex, shape: Shape) {
        #[cfg(target_arch = "x86_64")]
        if vector_moves(shape, 2) {
            // SAFETY: as in `gather`.
            unsafe { super::four_step_x86::scatter(block, twiddles, field, shape) };
            return;
        }
        unsafe { scatter_portable(block, twiddles, field, shape) };
    }
}

impl ColumnMoves for f32 {
    unsafe fn gather(
        field: *const ComplexOf<f32>,
        twiddles: &[ComplexOf<f32>],
        block: &mut [ComplexOf<f32>],
        shape: Shape,
    ) {
        #[cfg(target_arch = "x86_64")]
        if vector_moves(shape, 4) {
            // SAFETY: as for f64.
            unsafe { super::four_step_x86::gather_f32(field, twiddles, block, shape) };
            return;
        }
        unsafe { gather_portable(field, twiddles, block, shape) };
    }

    unsafe fn scatter(
        block: &[ComplexOf<f32>],
        twiddles: &[ComplexOf<f32>],
        field: *mut ComplexOf<f32>,
        shape: Shape,
    ) {
        #[cfg(target_arch = "x86_64")]
        if vector_moves(shape, 4) {
            // SAFETY: as for f64.
            unsafe { super::four_step_x86::scatter_f32(block, twiddles, field, shape) };
            return;
        }
        unsafe { scatter_portable(block, twiddles, field, shape) };
    }
}

/// [`ColumnMoves::gather`] in plain Rust.
///
/// # Safety
/// As [`ColumnMoves::gather`].
pub(super) unsafe fn gather_portable<T: rustfft::num_traits::Float>(
    field: *const rustfft::num_complex::Complex<T>,
    twiddles: &[rustfft::num_complex::Complex<T>],
    block: &mut [rustfft::num_complex::Complex<T>],
    shape: Shape,
) {
    for r in 0..shape.rows {
        let at = r * shape.columns + shape.first;
        for j in 0..shape.group {
            block[j * shape.rows + r] = unsafe { *field.add(at + j) } * twiddles[at + j].conj();
        }
    }
}

/// [`ColumnMoves::scatter`] in plain Rust.
///
/// # Safety
/// As [`ColumnMoves::gather`].
pub(super) unsafe fn scatter_portable<T: rustfft::num_traits::Float>(
    block: &[rustfft::num_complex::Complex<T>],
    twiddles: &[rustfft::num_complex::Complex<T>],
    field: *mut rustfft::num_complex::Complex<T>,
    shape: Shape,
) {
    for r in 0..shape.rows {
        let at = r * shape.columns + shape.first;
        for j in 0..shape.group {
            unsafe { *field.add(at + j) = block[j * shape.rows + r] * twiddles[at + j] };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(n: usize) -> Vec<Complex> {
        (0..n)
            .map(|i| {
                let t = (i as f64 - n as f64 / 2.0) / (n as f64 / 20.0);
                Complex::new((-t * t).exp() * 0.3, 1e-3 * ((i * 7919) % 13) as f64)
            })
            .collect()
    }

    fn relative(a: &[Complex], b: &[Complex]) -> f64 {
        let d: f64 = a.iter().zip(b).map(|(x, y)| (x - y).norm_sqr()).sum();
        let n: f64 = a.iter().map(|x| x.norm_sqr()).sum();
        (d / n).sqrt()
    }

    #[test]
    fn only_powers_of_two_in_range() {
        assert!(FourStep::<f64>::new(1 << 12).is_none());
        assert!(FourStep::<f64>::new(3 << 13).is_none());
        assert!(FourStep::<f32>::new(1 << 17).is_none());
        let plan = FourStep::<f64>::new(1 << 13).expect("2^13");
        assert_eq!((plan.rows, plan.columns), (64, 128));
    }

    #[test]
    fn the_three_stages_are_the_whole_transform_in_transposed_order() {
        // Forward: column transforms + twiddle (column pass without Kerr = gather, inverse,
        // forward… is the identity; so build the forward from the stages directly).
        let n = 1 << 14;
        let mut plan = FourStep::<f64>::new(n).unwrap();
        let x = field(n);
        let mut expected = x.clone();
        crate::signal::fft_plans::forward::<f64>(n).process(&mut expected);
        // Forward by stages: columns (through the block), twiddle, rows.
        let mut staged = x.clone();
        let (rows, columns) = (plan.rows, plan.columns);
        for first in (0..columns).step_by(GROUP) {
            let shape = Shape {
                rows,
                columns,
                first,
                group: GROUP,
            };
            let block = &mut plan.workers[0].blocks[0];
            let ones = vec![Complex::new(1.0, 0.0); n];
            // SAFETY: `staged` holds rows·columns samples; the group is inside it.
            unsafe { gather_portable(staged.as_ptr(), &ones, block, shape) };
            plan.column_forward.process(block);
            unsafe { f64::scatter(block, &plan.twiddles, staged.as_mut_ptr(), shape) };
        }
        plan.row_pass(&mut [&mut staged[..]], true, false, false);
        plan.transpose_out(&mut staged);
        assert!(
            relative(&staged, &expected) < 1e-15,
            "{}",
            relative(&staged, &expected)
        );
    }

    /// The dispatched (vector) block moves against the portable ones in precision `R`, to
    /// `tolerance` relative, and a gather–scatter round trip of a doubled block.
    fn check_block_moves<R: Real>(tolerance: f64) {
        let n = 1 << 14;
        let plan = FourStep::<R>::new(n).unwrap();
        let x: Vec<ComplexOf<R>> = field(n)
            .iter()
            .map(|a| ComplexOf::new(R::of(a.re), R::of(a.im)))
            .collect();
        let wide = |v: &[ComplexOf<R>]| -> Vec<Complex> {
            v.iter()
                .map(|a| Complex::new(a.re.wide(), a.im.wide()))
                .collect()
        };
        let shape = Shape {
            rows: plan.rows,
            columns: plan.columns,
            first: 32,
            group: GROUP,
        };
        let mut fast = vec![ComplexOf::<R>::default(); GROUP * plan.rows];
        let mut slow = fast.clone();
        // SAFETY (here and below): the fields hold rows·columns samples; the group is inside.
        unsafe {
            R::gather(x.as_ptr(), &plan.twiddles, &mut fast, shape);
            gather_portable(x.as_ptr(), &plan.twiddles, &mut slow, shape);
        }
        assert!(
            relative(&wide(&fast), &wide(&slow)) < tolerance,
            "{}",
            R::NAME
        );
        // Scatter of a doubled block: the group's columns are 2·x (twiddle · conj = 1), the rest x.
        let two = R::of(2.0);
        fast.iter_mut().for_each(|a| *a = *a * two);
        slow.iter_mut().for_each(|a| *a = *a * two);
        let (mut a, mut b) = (x.clone(), x.clone());
        unsafe {
            R::scatter(&fast, &plan.twiddles, a.as_mut_ptr(), shape);
            scatter_portable(&slow, &plan.twiddles, b.as_mut_ptr(), shape);
        }
        let (a, b, x) = (wide(&a), wide(&b), wide(&x));
        assert!(relative(&a, &b) < tolerance, "{}", R::NAME);
        for (i, (got, was)) in a.iter().zip(&x).enumerate() {
            let column = i % plan.columns;
            let factor = if (32..32 + GROUP).contains(&column) {
                2.0
            } else {
                1.0
            };
            assert!(
                (got - was * factor).norm() <= 4.0 * tolerance * was.norm().max(1e-300),
                "{} {i}",
                R::NAME
            );
        }
    }

    #[test]
    fn the_vector_block_moves_equal_the_portable_ones() {
        check_block_moves::<f64>(1e-15);
        check_block_moves::<f32>(3e-7);
    }

    #[test]
    fn fixed_step_runs_equal_the_whole_array_path() {
        // The same 80 km span (β3 on, so the operator is not even in ω) with 400 fixed steps of a
        // 10 ps, 0.1 W Gaussian on 2^13 and 2^14 samples: once on the four-step plan, once on the
        // whole-array transforms (a snapshot request keeps the solver on them; one snapshot at the
        // end does not change the steps). Equal to round-off, the same FFT count, the same steps.
        use crate::propagation::{propagate, Snapshots, SsfmPlan, StepControl};
        use crate::signal::{PulseShape, TimeGrid};
        let mut span = crate::propagation::section::test_span_80km();
        span.beta3_ps3_per_km = 0.12;
        let spans = [span];
        let control = StepControl::Fixed { step_km: 0.2 };
        for samples in [1 << 13, 1 << 14] {
            let grid = TimeGrid::from_window(samples, 1000.0);
            let input = PulseShape::Gaussian {
                t0_ps: 10.0,
                chirp: 0.0,
            }
            .sample(&grid, Some(0.1));
            let mut plan = SsfmPlan::new(grid);
            assert!(plan.four_step.is_some());
            let fused = propagate(&mut plan, &spans, input.clone(), control, &mut |_| {}, None);
            let mut snapshots = Snapshots::evenly(spans[0].length_km, 1);
            let whole = propagate(
                &mut plan,
                &spans,
                input,
                control,
                &mut |_| {},
                Some(&mut snapshots),
            );
            assert_eq!(fused.steps, 400);
            assert_eq!(fused.steps, whole.steps);
            assert_eq!(fused.fft_count, whole.fft_count);
            assert!(
                (fused.max_nonlinear_phase_rad / whole.max_nonlinear_phase_rad - 1.0).abs() < 1e-12
            );
            let difference = relative(&fused.field, &whole.field);
            assert!(
                difference < 1e-13,
                "2^{}: {difference}",
                samples.trailing_zeros()
            );
        }
    }

    #[test]
    fn manakov_runs_equal_the_whole_array_path() {
        // Two polarisations (different pulses, so the shared Kerr phase matters) over the same
        // span with β3, 300 fixed steps: the four-step plan against the same plan
        // without it. Equal to round-off in both polarisations; the same FFT count.
        use crate::propagation::{propagate_manakov, SsfmPlan, StepControl};
        use crate::signal::{PulseShape, TimeGrid};
        let mut span = crate::propagation::section::test_span_80km();
        span.beta3_ps3_per_km = 0.12;
        // 2^16: the two polarisations' passes on two threads.
        for samples in [1 << 14, 1 << 16] {
            let grid = TimeGrid::from_window(samples, 1000.0);
            let pulse = |t0_ps: f64, peak_w: f64| {
                PulseShape::Gaussian { t0_ps, chirp: 0.3 }.sample(&grid, Some(peak_w))
            };
            let control = StepControl::Fixed {
                step_km: 80.0 / 300.0,
            };
            let mut outputs = Vec::new();
            for four_step in [true, false] {
                let mut plan = SsfmPlan::new(grid);
                if !four_step {
                    plan.four_step = None;
                }
                let (mut x, mut y) = (pulse(10.0, 0.1), pulse(6.0, 0.05));
                let outcome =
                    propagate_manakov(&mut plan, &span, &mut x, &mut y, control, &mut |_| {});
                assert_eq!(outcome.steps, 300);
                outputs.push((x, y, outcome.fft_count));
            }
            let ((x4, y4, ffts4), (x, y, ffts)) = (&outputs[0], &outputs[1]);
            assert_eq!(ffts4, ffts);
            assert!(relative(x4, x) < 1e-13, "x: {}", relative(x4, x));
            assert!(relative(y4, y) < 1e-13, "y: {}", relative(y4, y));
            assert!(
                relative(x, &pulse(10.0, 0.1)) > 1e-2,
                "the span changed the field"
            );
        }
    }

    #[test]
    fn f32_runs_equal_the_whole_array_path_to_f32_round_off() {
        // The scalar and Manakov f32 runs on the four-step plan against the same plan without
        // it: the same steps and FFT count, the fields equal to f32 round-off accumulated over
        // the steps (each path rounds differently: 8.2e-6 relative apart after 400 steps, for a
        // field the span changes by order one), and the four-step f32 no further from the f64
        // solution than the whole-array f32 is (2.1e-5 and 1.9e-5 from it).
        use crate::propagation::{narrow, propagate, propagate_manakov, SsfmPlan, StepControl};
        use crate::signal::{PulseShape, TimeGrid};
        let mut span = crate::propagation::section::test_span_80km();
        span.beta3_ps3_per_km = 0.12;
        let grid = TimeGrid::from_window(1 << 14, 1000.0);
        let input: Vec<ComplexOf<f32>> = narrow(
            &PulseShape::Gaussian {
                t0_ps: 10.0,
                chirp: 0.0,
            }
            .sample(&grid, Some(0.1)),
        );
        let control = StepControl::Fixed { step_km: 0.2 };
        let wide = |v: &[ComplexOf<f32>]| -> Vec<Complex> {
            v.iter()
                .map(|a| Complex::new(f64::from(a.re), f64::from(a.im)))
                .collect()
        };
        let mut scalar = Vec::new();
        let mut manakov = Vec::new();
        for four_step in [true, false] {
            let mut plan = SsfmPlan::<f32>::in_precision(grid);
            assert!(plan.four_step.is_some());
            if !four_step {
                plan.four_step = None;
            }
            let out = propagate(
                &mut plan,
                &[span.clone()],
                input.clone(),
                control,
                &mut |_| {},
                None,
            );
            assert_eq!(out.steps, 400);
            scalar.push((wide(&out.field), out.fft_count));
            let (mut x, mut y) = (input.clone(), input.clone());
            let out = propagate_manakov(&mut plan, &span, &mut x, &mut y, control, &mut |_| {});
            manakov.push((wide(&x), wide(&y), out.fft_count));
        }
        assert_eq!(scalar[0].1, scalar[1].1);
        assert_eq!(manakov[0].2, manakov[1].2);
        let d = relative(&scalar[0].0, &scalar[1].0);
        assert!(d < 3e-5, "scalar {d}");
        let mut reference_plan = SsfmPlan::new(grid);
        let reference = propagate(
            &mut reference_plan,
            &[span.clone()],
            wide(&input),
            control,
            &mut |_| {},
            None,
        )
        .field;
        let (four, whole) = (
            relative(&scalar[0].0, &reference),
            relative(&scalar[1].0, &reference),
        );
        assert!(four < 1.5 * whole && whole < 1e-4, "{four} vs {whole}");
        let (dx, dy) = (
            relative(&manakov[0].0, &manakov[1].0),
            relative(&manakov[0].1, &manakov[1].1),
        );
        assert!(dx < 3e-5 && dy < 3e-5, "Manakov {dx} {dy}");
        assert!(
            relative(&scalar[1].0, &wide(&input)) > 1e-2,
            "the span changed the field"
        );
    }
}
