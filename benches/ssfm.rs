//! SSFM step cost against its floor, in one run: for each N, (a) one forward + one inverse FFT
//! with the same rustfft plans (the floor) and (b) one split step (merged half steps: linear
//! multiply, inverse FFT, fused 1/N + Kerr rotation, forward FFT), and (c) one Manakov step (the
//! same on two polarisations sharing the Kerr phase) against two FFT pairs. Prints the ratios.

use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use fibra::propagation::{apply_kerr_phase, apply_manakov_kerr_phase, multiply_in_place, SsfmPlan};
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

fn linear_operator(plan: &SsfmPlan, h_km: f64) -> Vec<Complex> {
    let (beta2, alpha) = (-21.7, 0.2 / 4.342_944_819);
    plan.omega_rad_per_ps()
        .iter()
        .map(|&w| Complex::from_polar((-0.5 * alpha * h_km).exp(), 0.5 * beta2 * w * w * h_km))
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
        let floor = {
            group.bench_with_input(BenchmarkId::new("fft_pair_floor", n), &n, |b, _| {
                b.iter(|| {
                    plan.inverse(black_box(&mut bare));
                    plan.forward(black_box(&mut bare));
                })
            });
            time_per_iter(&mut plan, &mut bare, |plan, data| {
                plan.inverse(data);
                plan.forward(data);
            })
        };
        let step = {
            group.bench_with_input(BenchmarkId::new("ssfm_step", n), &n, |b, _| {
                b.iter(|| one_step(&mut plan, black_box(&mut data), &op, inv_n))
            });
            time_per_iter(&mut plan, &mut data, |plan, data| {
                one_step(plan, data, &op, inv_n)
            })
        };
        let mut pair = [data.clone(), data.clone()].concat();
        let manakov = {
            group.bench_with_input(BenchmarkId::new("manakov_step", n), &n, |b, _| {
                b.iter(|| manakov_step(&mut plan, black_box(&mut pair), &op, inv_n))
            });
            time_per_iter(&mut plan, &mut pair, |plan, data| {
                manakov_step(plan, data, &op, inv_n)
            })
        };
        results.push((n, floor, step, manakov));
    }
    group.finish();
    println!(
        "\n{:>8} {:>14} {:>14} {:>8} {:>17} {:>14}",
        "N", "FFT pair (µs)", "SSFM step (µs)", "ratio", "Manakov step (µs)", "ratio (÷ 2 pairs)"
    );
    for (n, floor, step, manakov) in results {
        println!(
            "{n:>8} {:>14.2} {:>14.2} {:>8.3} {:>17.2} {:>14.3}",
            floor * 1e6,
            step * 1e6,
            step / floor,
            manakov * 1e6,
            manakov / (2.0 * floor)
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

/// One merged split step: linear operator, inverse FFT, 1/N + Kerr, forward FFT.
fn one_step(plan: &mut SsfmPlan, data: &mut [Complex], op: &[Complex], inv_n: f64) {
    multiply_in_place(data, op);
    plan.inverse(data);
    apply_kerr_phase(data, inv_n, 1.3 * 0.1);
    plan.forward(data);
}

/// Median wall time per call over interleaved batches, for the ratio table (criterion's own
/// estimates are printed above it).
fn time_per_iter(
    plan: &mut SsfmPlan,
    data: &mut [Complex],
    mut f: impl FnMut(&mut SsfmPlan, &mut [Complex]),
) -> f64 {
    let n = data.len();
    let reps = (1usize << 22) / n;
    let mut samples: Vec<f64> = (0..15)
        .map(|_| {
            let start = std::time::Instant::now();
            for _ in 0..reps.max(1) {
                f(plan, data);
            }
            start.elapsed().as_secs_f64() / reps.max(1) as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

criterion_group!(benches, ssfm);
criterion_main!(benches);
