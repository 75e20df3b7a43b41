//! A speed guard that does not depend on the machine: the split step's cost is the FFT pair plus
//! two passes, and it stays so only if a step runs exactly two FFTs and allocates nothing. Counted
//! here: doubling the steps of a fixed-step propagation adds exactly two FFTs per step and not one
//! allocation (a counting global allocator, this test binary only, counting per thread so that the
//! tests running beside each other do not mix their counts) — on the whole-array transforms and on
//! the four-step plan of f64 grids of 2^13…2^16 samples.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use fibra::propagation::{narrow, propagate, ComplexOf, FiberSection, Real, SsfmPlan, StepControl};
use fibra::signal::{Complex, TimeGrid};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

/// Allocations made by this thread so far.
fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

fn count() {
    // `try_with`: nothing to count while the thread is being torn down.
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn section(length_km: f64) -> FiberSection {
    FiberSection {
        length_km,
        alpha_db_per_km: 0.2,
        beta2_ps2_per_km: -21.7,
        beta3_ps3_per_km: 0.1,
        gamma_per_w_km: 1.3,
        amplifier_after: false,
    }
}

/// (FFTs, allocations) of a fixed-step propagation of `steps` steps of 0.5 km.
fn run<R: Real>(plan: &mut SsfmPlan<R>, steps: usize) -> (u64, usize) {
    let grid = *plan.grid();
    let field: Vec<ComplexOf<R>> = narrow(&pulse(&grid, 0.1));
    let sections = [section(0.5 * steps as f64)];
    let before = allocations();
    let outcome = propagate(
        plan,
        &sections,
        field,
        StepControl::Fixed { step_km: 0.5 },
        &mut |_| {},
        None,
    );
    let allocations = allocations() - before;
    assert_eq!(outcome.steps, steps);
    (outcome.fft_count, allocations)
}

/// A 10 ps Gaussian of peak amplitude `amplitude` √W.
fn pulse(grid: &TimeGrid, amplitude: f64) -> Vec<Complex> {
    grid.times_ps()
        .iter()
        .map(|t| Complex::new((-(t / 10.0).powi(2) / 2.0).exp() * amplitude, 0.0))
        .collect()
}

/// Two FFTs per step and no allocation per step, in precision `R`, on `samples` points.
fn check_step<R: Real>(samples: usize) {
    let mut plan = SsfmPlan::<R>::in_precision(TimeGrid::from_window(samples, 400.0));
    run(&mut plan, 4); // warm-up: operator caches, lazily sized buffers
    let (ffts_short, allocs_short) = run(&mut plan, 50);
    let (ffts_long, allocs_long) = run(&mut plan, 100);
    assert_eq!(
        ffts_long - ffts_short,
        2 * 50,
        "{}: two FFTs per step",
        R::NAME
    );
    assert_eq!(
        allocs_long,
        allocs_short,
        "{}: the 50 extra steps allocated {} times",
        R::NAME,
        allocs_long as i64 - allocs_short as i64
    );
}

#[test]
fn a_split_step_runs_two_ffts_and_allocates_nothing() {
    check_step::<f64>(1 << 12);
    check_step::<f32>(1 << 12);
    // 2^14 in f64 runs on the four-step plan (its fused passes count as the pair they replace).
    check_step::<f64>(1 << 14);
    check_step::<f32>(1 << 14);
}

/// (FFTs, allocations) of a fixed-step Manakov propagation of `steps` steps of 0.5 km.
fn run_manakov<R: Real>(plan: &mut SsfmPlan<R>, steps: usize) -> (u64, usize) {
    let grid = *plan.grid();
    let pulse: Vec<ComplexOf<R>> = narrow(&pulse(&grid, 0.07));
    let (mut x, mut y) = (pulse.clone(), pulse);
    let before = allocations();
    let outcome = fibra::propagation::propagate_manakov(
        plan,
        &section(0.5 * steps as f64),
        &mut x,
        &mut y,
        StepControl::Fixed { step_km: 0.5 },
        &mut |_| {},
    );
    let allocations = allocations() - before;
    assert_eq!(outcome.steps, steps);
    (outcome.fft_count, allocations)
}

/// Four FFTs per Manakov step and no allocation per step, in precision `R`, on `samples` points.
fn check_manakov_step<R: Real>(samples: usize) {
    let mut plan = SsfmPlan::<R>::in_precision(TimeGrid::from_window(samples, 400.0));
    run_manakov(&mut plan, 4);
    let (ffts_short, allocs_short) = run_manakov(&mut plan, 50);
    let (ffts_long, allocs_long) = run_manakov(&mut plan, 100);
    assert_eq!(
        ffts_long - ffts_short,
        4 * 50,
        "{}: two FFT pairs per step",
        R::NAME
    );
    assert_eq!(
        allocs_long,
        allocs_short,
        "{}: allocations grew with the steps",
        R::NAME
    );
}

#[test]
fn a_manakov_step_runs_four_ffts_and_allocates_nothing() {
    check_manakov_step::<f64>(1 << 12);
    check_manakov_step::<f32>(1 << 12);
    // At 2^16 the four-step plan puts the two polarisations on two threads (rayon::join). Joined from
    // outside a pool, rayon queues each job in a list that allocates a block every few dozen
    // jobs (its bookkeeping, not the step's); inside a one-thread pool the joins run in place
    // and every allocation would be the step's own, on this thread.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");
    check_manakov_step::<f64>(1 << 14);
    pool.install(|| check_manakov_step::<f64>(1 << 16));
}
