//! The f32 path against the closed forms, beside f64 on the same cases (the numbers the README's
//! precision table gives; `cargo test --release --test precision_f32 -- --nocapture` prints
//! them). Tolerances for f32 are stated per case; f64's are those of `physics_cases.rs`.

use std::f64::consts::PI;

use fibra::propagation::{FiberSection, Precision, PrecisionPlans, SsfmPlan, StepControl};
use fibra::signal::{energy_pj, rms_bandwidth_ghz, rms_width_ps, Complex, PulseShape, TimeGrid};

const BETA2: f64 = -21.7;
const GAMMA: f64 = 1.3;

fn fiber(length_km: f64, alpha_db_per_km: f64, beta2: f64, gamma: f64) -> FiberSection {
    FiberSection {
        length_km,
        alpha_db_per_km,
        beta2_ps2_per_km: beta2,
        beta3_ps3_per_km: 0.0,
        gamma_per_w_km: gamma,
        amplifier_after: false,
    }
}

fn run(
    precision: Precision,
    grid: TimeGrid,
    input: &[Complex],
    section: FiberSection,
    control: StepControl,
) -> Vec<Complex> {
    let outcome = PrecisionPlans::new(grid, precision).propagate(
        &[section],
        input.to_vec(),
        control,
        &mut |_| {},
        None,
    );
    assert!(outcome.stopped.is_none());
    outcome.field
}

/// Largest `||A|² − |B|²|` over the window, relative to `p0`.
fn max_power_error(a: &[Complex], b: &[Complex], p0: f64) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x.norm_sqr() - y.norm_sqr()).abs())
        .fold(0.0, f64::max)
        / p0
}

/// The fundamental soliton (T0 = 10 ps, N = 4096, dt = 0.2 ps) over 5 z0 keeps its shape: the
/// largest power error (÷ P0) of each precision at two fixed steps. f64: the splitting error,
/// 2.5e-5 at h = z0/100 and 2.5e-7 at z0/1000. f32: its round-off, which adds up step by step
/// (the FFTs' round-off repeats nearly identically on a field that hardly changes) — 1.0e-4 after
/// 3,600 steps, 8.3e-4 after 36,000: a finer step makes f32 worse, not better.
#[test]
fn soliton_over_five_periods() {
    let grid = TimeGrid {
        samples: 4096,
        dt_ps: 0.2,
    };
    let t0 = 10.0;
    let p0 = BETA2.abs() / (GAMMA * t0 * t0);
    let z0_km = PI / 2.0 * t0 * t0 / BETA2.abs();
    let input = PulseShape::Sech {
        t0_ps: t0,
        chirp: 0.0,
    }
    .sample(&grid, Some(p0));
    let section = fiber(5.0 * z0_km, 0.0, BETA2, GAMMA);
    for (divisions, f32_limit) in [(100.0, 3e-4), (1000.0, 2e-3)] {
        let control = StepControl::Fixed {
            step_km: z0_km / divisions,
        };
        let error = |precision| {
            max_power_error(
                &run(precision, grid, &input, section.clone(), control),
                &input,
                p0,
            )
        };
        let (double, single) = (error(Precision::F64), error(Precision::F32));
        println!("soliton 5 z0, h = z0/{divisions}: f64 {double:.2e}, f32 {single:.2e}");
        assert!(single <= f32_limit, "f32 at z0/{divisions}: {single:e}");
        assert!(double <= 3e-4);
    }
}

/// Gaussian dispersive broadening (Agrawal eq. 3.2.20): the RMS-width ratio against the closed
/// form, f32 to 3e-7 (measured ≤ 7e-8; f64: 1e-9).
#[test]
fn gaussian_broadening() {
    let grid = TimeGrid {
        samples: 4096,
        dt_ps: 0.25,
    };
    let t0 = 10.0;
    let ld = t0 * t0 / BETA2.abs();
    for (chirp, z_over_ld) in [(0.0, 2.0), (2.0, 0.4), (-2.0, 2.0)] {
        let input = PulseShape::Gaussian { t0_ps: t0, chirp }.sample(&grid, Some(1e-3));
        let z = z_over_ld * ld;
        let exact = ((1.0 + chirp * BETA2 * z / (t0 * t0)).powi(2)
            + (BETA2 * z / (t0 * t0)).powi(2))
        .sqrt();
        let error = |precision| {
            let out = run(
                precision,
                grid,
                &input,
                fiber(z, 0.0, BETA2, 0.0),
                StepControl::Fixed { step_km: 1.0 },
            );
            (rms_width_ps(&out, &grid) / rms_width_ps(&input, &grid) / exact - 1.0).abs()
        };
        let (double, single) = (error(Precision::F64), error(Precision::F32));
        println!("Gaussian C = {chirp}, z = {z_over_ld} L_D: width error f64 {double:.1e}, f32 {single:.1e}");
        assert!(double < 1e-9);
        assert!(single < 3e-7, "f32: {single:e}");
    }
}

/// Pure SPM with loss over 80 km (N = 8192, dt = 0.1 ps, h = 0.1 km): the peak phase γ·P0·L_eff,
/// the intensity (only the loss changes it), the RMS spectral broadening √(1 + 4φ²/(3√3)) and the
/// energy e^{−αL}. Measured, f64 / f32 at the highest power: phase 1.2e-5 / 2.4e-5 rad (of
/// 14 rad), |A|² 4e-13 / 1.0e-4, broadening 9e-7 / 1.9e-5, energy 1e-13 / 1e-7 (f32's energy is
/// set to the loss law at the fibre's end).
#[test]
fn spm_phase_with_loss() {
    let grid = TimeGrid {
        samples: 8192,
        dt_ps: 0.1,
    };
    let section = fiber(80.0, 0.2, 0.0, GAMMA);
    let leff = section.effective_length_km();
    let loss = 10f64.powf(-0.2 * 80.0 / 10.0);
    let mut plan = SsfmPlan::new(grid);
    for p0 in [0.057078, 0.285391, 0.513704] {
        let input = PulseShape::Gaussian {
            t0_ps: 10.0,
            chirp: 0.0,
        }
        .sample(&grid, Some(p0));
        let phi_max = GAMMA * p0 * leff;
        let closed_broadening = (1.0 + 4.0 * phi_max * phi_max / (3.0 * 3f64.sqrt())).sqrt();
        for precision in [Precision::F64, Precision::F32] {
            let out = run(
                precision,
                grid,
                &input,
                section.clone(),
                StepControl::Fixed { step_km: 0.1 },
            );
            let center = grid.samples / 2;
            let phase_error = (out[center].arg() - phi_max.rem_euclid(2.0 * PI)).abs();
            let intensity_error = out
                .iter()
                .zip(&input)
                .map(|(o, i)| (o.norm_sqr() - i.norm_sqr() * loss).abs())
                .fold(0.0, f64::max)
                / (p0 * loss);
            let broadening = rms_bandwidth_ghz(&plan.spectrum_of(&out), &grid)
                / rms_bandwidth_ghz(&plan.spectrum_of(&input), &grid);
            let broadening_error = (broadening / closed_broadening - 1.0).abs();
            let energy_error =
                (energy_pj(&out, &grid) / energy_pj(&input, &grid) / loss - 1.0).abs();
            println!(
                "SPM P0 = {p0} W ({}): phase {phase_error:.1e} rad, |A|² {intensity_error:.1e}, \
                 broadening {broadening_error:.1e}, energy {energy_error:.1e}",
                precision.name()
            );
            let (phase, intensity, broadening, energy) = match precision {
                Precision::F64 => (1e-4, 1e-10, 1e-5, 1e-11),
                Precision::F32 => (1e-4, 3e-4, 5e-5, 1e-6),
            };
            assert!(phase_error < phase, "{precision:?} phase {phase_error:e}");
            assert!(
                intensity_error < intensity,
                "{precision:?} |A|² {intensity_error:e}"
            );
            assert!(
                broadening_error < broadening,
                "{precision:?} broadening {broadening_error:e}"
            );
            assert!(
                energy_error < energy,
                "{precision:?} energy {energy_error:e}"
            );
        }
    }
}

/// The waveform simulation (Manakov, 3 × 32 GBd DP-QPSK over 10 × 100 km at +4 dBm, where the
/// NLI is a large part of the noise) in f32 measures the same SNR per channel as in f64: the same
/// seeds, so the noise is the same and the difference is f32's round-off alone: measured below
/// 1e-4 dB over 2,000 steps (16.1–16.3 dB), asserted to 0.01 dB.
#[test]
fn waveform_snr_is_the_same_in_f32() {
    use fibra::budget::{Link, Span, WdmGrid};
    use fibra::fiber::builtin_fiber;
    use fibra::signal::Modulation;
    use fibra::system::{simulate, ReceiverDsp, System};
    let system = |precision| System {
        link: Link::new(
            WdmGrid {
                channels: 3,
                spacing_ghz: 50.0,
                center_thz: 193.1,
                symbol_rate_gbaud: 32.0,
            },
            4.0,
            vec![Span::new(100.0, builtin_fiber("SSMF").unwrap()); 10],
        ),
        modulation: Modulation::DpQpsk,
        roll_off: 0.1,
        symbols: 4096,
        seed: 7,
        prbs_order: None,
        samples_per_symbol: None,
        receiver_channel: 1,
        noise_loading_osnr_db: None,
        cd_compensation: true,
        dsp: ReceiverDsp::Ideal,
        linewidth_hz: 0.0,
        frequency_offset_hz: 0.0,
        step: StepControl::Fixed { step_km: 0.5 },
        precision,
        pmd_sections_per_span: None,
    };
    let run = |precision| simulate(&system(precision), &Default::default(), &mut |_| {}).unwrap();
    let (double, single) = (run(Precision::F64), run(Precision::F32));
    for ((f, a), (_, b)) in double.channels.iter().zip(&single.channels) {
        let (a, b) = (a.snr_db.unwrap(), b.snr_db.unwrap());
        println!("{f:.3} THz: SNR f64 {a:.4} dB, f32 {b:.4} dB");
        assert!((a - b).abs() <= 0.01, "{f} THz: {a} vs {b}");
    }
}
