//! SSFM step cost against its floor, in one run: for each N, (a) one forward + one inverse FFT
//! with the same rustfft plans (the floor); (b) the solver's own fixed step — `propagate` over a
//! lossless section, per step as `(t(S steps) − t(1 step))/(S − 1)` so the per-section work
//! (first and last transform, operators) cancels; four-step fused passes at 2^13…2^16 — and,
//! beside it, (b') the whole-array step built from the public primitives (linear multiply,
//! inverse FFT, fused 1/N + Kerr rotation, forward FFT); (c) one Manakov step (the same on two
//! polarisations sharing the Kerr phase, the solver's own — `propagate_manakov`, timed the same
//! way — beside the whole-array step from primitives) against two FFT pairs, and (d) the solver's
//! f32 step (timed as (b)) against the f64 floor. Prints the ratios.

use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use fibra::propagation::{
    apply_kerr_phase, apply_manakov_kerr_phase, multiply_in_place, narrow, propagate,
    propagate_manakov, ComplexOf, FiberSection, Real, SsfmPlan, StepControl,
};
use fibra::signal::{Complex, PulseShape, TimeGrid};

const SIZES: [usize; 4] = [1 << 12, 1 << 14, 1 << 16, 1 << 18];

/// A seeded, realistic field: a Gaussian pulse train with a deterministic pseudo-random phase.
fn field(grid: &TimeGrid) -> Vec<Complex> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    PulseShape::Gaussian {
        t0_ps: 10.0,
        chirp: 0.0,
    }
    .sample(grid, Some(0.1))
    .into_iter()
    .map(|a| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        a + Complex::new((state % 1000) as f64 * 1e-6, 0.0)
    })
    .collect()
}

/// The dispersion operator of an `h_km` step, lossless: the benchmark repeats the step hundreds
/// of thousands of times, and with fibre loss the field would decay into subnormal numbers (slow
/// arithmetic no real span reaches: amplifiers restore the power every span).
fn linear_operator(plan: &SsfmPlan, h_km: f64) -> Vec<Complex> {
    let beta2 = -21.7;
    plan.omega_rad_per_ps()
        .iter()
        .map(|&w| Complex::from_polar(1.0, 0.5 * beta2 * w * w * h_km))
        .collect()
}

fn ssfm(c: &mut Criterion) {
    let mut group = c.benchmark_group("ssfm");
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    group.sample_size(20);
    let mut results = Vec::new();
    for &n in &SIZES {
        let grid = TimeGrid::from_window(n, 2000.0);
        let mut plan = SsfmPlan::new(grid);
        let op = linear_operator(&plan, 0.1);
        let mut data = plan.spectrum_of(&field(&grid));
        let inv_n = 1.0 / n as f64;

        // The floor runs bare (unnormalised) transforms on its own buffer: its values grow by N
        // per pair, which does not change the FFT's speed.
        let mut bare = data.clone();
        let mut pair = [data.clone(), data.clone()].concat();
        let mut single_plan = SsfmPlan::<f32>::in_precision(grid);
        let mut single = narrow::<f32>(&data);
        group.bench_with_input(BenchmarkId::new("fft_pair_floor", n), &n, |b, _| {
            b.iter(|| {
                plan.inverse(black_box(&mut bare));
                plan.forward(black_box(&mut bare));
            })
        });
        group.bench_with_input(BenchmarkId::new("ssfm_step", n), &n, |b, _| {
            b.iter(|| one_step(&mut plan, black_box(&mut data), &op, inv_n))
        });
        group.bench_with_input(BenchmarkId::new("manakov_step", n), &n, |b, _| {
            b.iter(|| manakov_step(&mut plan, black_box(&mut pair), &op, inv_n))
        });
        group.bench_with_input(BenchmarkId::new("f32_step", n), &n, |b, _| {
            b.iter(|| f32_step(&mut single_plan, black_box(&mut single), &op, inv_n))
        });
        let reps = ((1usize << 22) / n).max(1);
        let input = field(&grid);
        let solver_steps = ((1usize << 23) / n).max(16);
        let single_input = narrow::<f32>(&input);
        let rounds: Vec<[f64; 6]> = (0..15)
            .map(|_| {
                [
                    time_batch(reps, || {
                        plan.inverse(&mut bare);
                        plan.forward(&mut bare);
                    }),
                    time_batch(reps, || one_step(&mut plan, &mut data, &op, inv_n)),
                    time_batch(reps, || manakov_step(&mut plan, &mut pair, &op, inv_n)),
                    solver_step(&mut single_plan, &single_input, solver_steps),
                    solver_step(&mut plan, &input, solver_steps),
                    solver_manakov_step(&mut plan, &input, solver_steps / 2),
                ]
            })
            .collect();
        let floor = median(rounds.iter().map(|r| r[0]));
        let step = median(rounds.iter().map(|r| r[4]));
        let manakov = median(rounds.iter().map(|r| r[5]));
        let step_ratio = median(rounds.iter().map(|r| r[4] / r[0]));
        let whole_ratio = median(rounds.iter().map(|r| r[1] / r[0]));
        let manakov_ratio = median(rounds.iter().map(|r| r[5] / (2.0 * r[0])));
        let whole_manakov_ratio = median(rounds.iter().map(|r| r[2] / (2.0 * r[0])));
        let f32_ratio = median(rounds.iter().map(|r| r[3] / r[0]));
        results.push((
            n,
            floor,
            step,
            step_ratio,
            whole_ratio,
            manakov,
            manakov_ratio,
            whole_manakov_ratio,
            f32_ratio,
        ));
    }
    group.finish();
    println!(
        "\n{:>8} {:>14} {:>14} {:>8} {:>12} {:>17} {:>14} {:>12} {:>16}",
        "N",
        "FFT pair (µs)",
        "SSFM step (µs)",
        "ratio",
        "whole-array",
        "Manakov step (µs)",
        "ratio (÷ 2 pairs)",
        "whole-array",
        "f32 step ÷ f64 pair"
    );
    for (n, floor, step, step_ratio, whole, manakov, manakov_ratio, whole_manakov, f32_ratio) in
        results
    {
        println!(
            "{n:>8} {:>14.2} {:>14.2} {:>8.3} {:>12.3} {:>17.2} {:>14.3} {:>12.3} {:>16.3}",
            floor * 1e6,
            step * 1e6,
            step_ratio,
            whole,
            manakov * 1e6,
            manakov_ratio,
            whole_manakov,
            f32_ratio
        );
    }
}

/// One merged Manakov step on `[x | y]` (the two polarisations stored one after the other).
fn manakov_step(plan: &mut SsfmPlan, data: &mut [Complex], op: &[Complex], inv_n: f64) {
    let (x, y) = data.split_at_mut(op.len());
    multiply_in_place(x, op);
    multiply_in_place(y, op);
    plan.inverse(x);
    plan.inverse(y);
    apply_manakov_kerr_phase(x, y, inv_n, 8.0 / 9.0 * 1.3 * 0.1);
    plan.forward(x);
    plan.forward(y);
}

/// One merged split step in f32 (the operator f64, as the solver has it).
fn f32_step(plan: &mut SsfmPlan<f32>, data: &mut [ComplexOf<f32>], op: &[Complex], inv_n: f64) {
    f32::multiply(data, op);
    plan.inverse(data);
    f32::kerr([&mut *data], inv_n, 1.3 * 0.1);
    plan.forward(data);
}

/// One merged split step: linear operator, inverse FFT, 1/N + Kerr, forward FFT.
fn one_step(plan: &mut SsfmPlan, data: &mut [Complex], op: &[Complex], inv_n: f64) {
    multiply_in_place(data, op);
    plan.inverse(data);
    apply_kerr_phase(data, inv_n, 1.3 * 0.1);
    plan.forward(data);
}

/// The solver's cost per fixed step, s: `propagate` of `input` over a lossless 0.1 km-step
/// section (β2 = −21.7 ps²/km, γ = 1.3 /W/km, as the other steps) of `steps` steps and of one
/// step, the difference divided by `steps − 1`.
fn solver_step<R: Real>(plan: &mut SsfmPlan<R>, input: &[ComplexOf<R>], steps: usize) -> f64 {
    let mut run = |count: usize| {
        let section = bench_section(count);
        let field = input.to_vec();
        time_batch(1, || {
            let control = StepControl::Fixed { step_km: 0.1 };
            black_box(propagate(
                plan,
                std::slice::from_ref(&section),
                field.clone(),
                control,
                &mut |_| {},
                None,
            ));
        })
    };
    (run(steps) - run(1)) / (steps - 1) as f64
}

/// The Manakov solver's cost per fixed step, s, measured as [`solver_step`]: both polarisations
/// carry `input` (scaled to share its power).
fn solver_manakov_step(plan: &mut SsfmPlan, input: &[Complex], steps: usize) -> f64 {
    let half: Vec<Complex> = input
        .iter()
        .map(|a| a * std::f64::consts::FRAC_1_SQRT_2)
        .collect();
    let mut run = |count: usize| {
        let section = bench_section(count);
        let (mut x, mut y) = (half.clone(), half.clone());
        time_batch(1, || {
            let control = StepControl::Fixed { step_km: 0.1 };
            black_box(propagate_manakov(
                plan,
                &section,
                &mut x,
                &mut y,
                control,
                &mut |_| {},
            ));
        })
    };
    (run(steps) - run(1)) / (steps - 1) as f64
}

/// The lossless section of `steps` steps of 0.1 km the solver rows time.
fn bench_section(steps: usize) -> FiberSection {
    FiberSection {
        length_km: 0.1 * steps as f64,
        alpha_db_per_km: 0.0,
        beta2_ps2_per_km: -21.7,
        beta3_ps3_per_km: 0.0,
        gamma_per_w_km: 1.3,
        amplifier_after: false,
    }
}

/// Wall time per call of `f` over a batch of `reps` calls, s.
fn time_batch(reps: usize, mut f: impl FnMut()) -> f64 {
    let start = std::time::Instant::now();
    for _ in 0..reps {
        f();
    }
    start.elapsed().as_secs_f64() / reps as f64
}

/// The median of `values`. The table's times are medians over 15 rounds, each round timing the
/// floor, the step and the Manakov step one after the other; its ratios are the medians of the
/// rounds' own ratios, so a drift of the machine's speed between rounds cancels.
fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

criterion_group!(benches, ssfm);
criterion_main!(benches);
