//! A speed guard that does not depend on the machine: the split step's cost is the FFT pair plus
//! two passes, and it stays so only if a step runs exactly two FFTs and allocates nothing. Counted
//! here: doubling the steps of a fixed-step propagation adds exactly two FFTs per step and not one
//! allocation (a counting global allocator, this test binary only, counting per thread so that the
//! tests running beside each other do not mix their counts).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use fibra::propagation::{propagate, FiberSection, SsfmPlan, StepControl};
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
fn run(plan: &mut SsfmPlan, steps: usize) -> (u64, usize) {
    let grid = *plan.grid();
    let field: Vec<Complex> = grid
        .times_ps()
        .iter()
        .map(|t| Complex::new((-(t / 10.0).powi(2) / 2.0).exp() * 0.1, 0.0))
        .collect();
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

#[test]
fn a_split_step_runs_two_ffts_and_allocates_nothing() {
    let mut plan = SsfmPlan::new(TimeGrid::from_window(1 << 12, 400.0));
    run(&mut plan, 4); // warm-up: operator caches, lazily sized buffers
    let (ffts_short, allocs_short) = run(&mut plan, 50);
    let (ffts_long, allocs_long) = run(&mut plan, 100);
    assert_eq!(ffts_long - ffts_short, 2 * 50, "two FFTs per step");
    assert_eq!(
        allocs_long,
        allocs_short,
        "the 50 extra steps allocated {} times",
        allocs_long as i64 - allocs_short as i64
    );
}

/// (FFTs, allocations) of a fixed-step Manakov propagation of `steps` steps of 0.5 km.
fn run_manakov(plan: &mut SsfmPlan, steps: usize) -> (u64, usize) {
    let grid = *plan.grid();
    let pulse: Vec<Complex> = grid
        .times_ps()
        .iter()
        .map(|t| Complex::new((-(t / 10.0).powi(2) / 2.0).exp() * 0.07, 0.0))
        .collect();
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

#[test]
fn a_manakov_step_runs_four_ffts_and_allocates_nothing() {
    let mut plan = SsfmPlan::new(TimeGrid::from_window(1 << 12, 400.0));
    run_manakov(&mut plan, 4);
    let (ffts_short, allocs_short) = run_manakov(&mut plan, 50);
    let (ffts_long, allocs_long) = run_manakov(&mut plan, 100);
    assert_eq!(ffts_long - ffts_short, 4 * 50, "two FFT pairs per step");
    assert_eq!(allocs_long, allocs_short, "allocations grew with the steps");
}
