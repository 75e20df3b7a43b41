//! fibra's Manakov propagation beside OptiCommPy's: 2^16 samples (a 5-channel 32 GBd DP-QPSK comb
//! at 16 samples per symbol), 10 × 80 km of SSMF, fixed 1 km steps (800), ideal amplifiers — the
//! setting `reference/opticommpy/manakov_timing.py` timed with OptiCommPy 0.11.0's `manakovSSF`
//! (stored in `reference/opticommpy/manakov_timing.jsonl`). Prints both and the ratio:
//! `cargo run --release --example manakov_speed`.

use std::time::Instant;

use fibra::propagation::{propagate_manakov, FiberSection, SsfmPlan, StepControl};
use fibra::signal::{Complex, TimeGrid};

const STORED: &str = include_str!("../reference/opticommpy/manakov_timing.jsonl");

fn main() {
    let n = 1 << 16;
    let fs_hz = 16.0 * 32e9;
    let grid = TimeGrid::from_window(n, n as f64 / fs_hz * 1e12);
    // The comb: QPSK symbols (a fixed xorshift sequence), 0 dBm per channel per both polarisations.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut bit = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        if state & 1 == 0 {
            1.0
        } else {
            -1.0
        }
    };
    let amplitude = (1e-3f64 / 2.0).sqrt();
    let mut x = vec![Complex::new(0.0, 0.0); n];
    let mut y = vec![Complex::new(0.0, 0.0); n];
    for k in -2i32..=2 {
        let symbols: Vec<(Complex, Complex)> = (0..n / 16)
            .map(|_| {
                (
                    Complex::new(bit(), bit()) * amplitude,
                    Complex::new(bit(), bit()) * amplitude,
                )
            })
            .collect();
        for j in 0..n {
            let carrier = Complex::from_polar(
                1.0,
                2.0 * std::f64::consts::PI * k as f64 * 50e9 * j as f64 / fs_hz,
            );
            x[j] += symbols[j / 16].0 * carrier;
            y[j] += symbols[j / 16].1 * carrier;
        }
    }
    let section = FiberSection {
        length_km: 80.0,
        alpha_db_per_km: 0.2,
        beta2_ps2_per_km: -20.39, // D = 16 ps/(nm·km) at 1550 nm
        beta3_ps3_per_km: 0.0,
        gamma_per_w_km: 1.3,
        amplifier_after: true,
    };
    let mut plan = SsfmPlan::new(grid);
    let start = Instant::now();
    let mut steps = 0;
    for _ in 0..10 {
        let outcome = propagate_manakov(
            &mut plan,
            &section,
            &mut x,
            &mut y,
            StepControl::Fixed { step_km: 1.0 },
            &mut |_| {},
        );
        steps += outcome.steps;
    }
    let fibra_us = start.elapsed().as_secs_f64() * 1e6 / steps as f64;
    let floor_us = plan.fft_pair_floor_us(&x);
    println!(
        "fibra: {steps} steps, {fibra_us:.0} µs per Manakov step ({:.2} × two FFT pairs of {floor_us:.0} µs)",
        fibra_us / (2.0 * floor_us)
    );
    for line in STORED.lines() {
        let field = |key: &str| -> Option<&str> {
            let rest = &line[line.find(&format!("\"{key}\": "))? + key.len() + 4..];
            rest.split([',', '}']).next()
        };
        if let (Some(iterations), Some(us)) = (field("max_iter"), field("us_per_step")) {
            let us: f64 = us.trim().parse().unwrap_or(f64::NAN);
            println!(
                "OptiCommPy 0.11.0 manakovSSF (maxIter {iterations}): {us:.0} µs per step — fibra is {:.1}× faster",
                us / fibra_us
            );
        }
    }
}
