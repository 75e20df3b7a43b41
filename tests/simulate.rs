//! Waveform simulation against the budget: with ASE only, the SNR measured on the received
//! waveform equals the budget's OSNR-derived SNR (the noise is the budget's NF·h·f·G per unit
//! bandwidth, both polarisations).

use fibra::budget::{BudgetPlan, Link, Span, WdmGrid};
use fibra::fiber::builtin_fiber;
use fibra::propagation::{Precision, StepControl};
use fibra::receiver::BlindDsp;
use fibra::signal::Modulation;
use fibra::system::{simulate, ReceiverDsp, System};

fn system(launch_power_dbm: f64, spans: usize, cd_compensation: bool) -> System {
    let span = Span::new(100.0, builtin_fiber("SSMF").unwrap());
    System {
        link: Link {
            name: None,
            grid: WdmGrid {
                channels: 3,
                spacing_ghz: 50.0,
                center_thz: 193.1,
                symbol_rate_gbaud: 32.0,
            },
            launch_power_dbm,
            spans: vec![span; spans],
            transceiver: Default::default(),
            nli_model: Default::default(),
            start_roadm: None,
        },
        modulation: Modulation::DpQpsk,
        roll_off: 0.1,
        symbols: 4096,
        seed: 7,
        prbs_order: None,
        samples_per_symbol: None,
        receiver_channel: 1,
        noise_loading_osnr_db: None,
        cd_compensation,
        dsp: ReceiverDsp::Ideal,
        linewidth_hz: 0.0,
        frequency_offset_hz: 0.0,
        step: StepControl::Fixed { step_km: 5.0 },
        precision: Precision::F64,
        pmd_sections_per_span: None,
    }
}

#[test]
fn ase_only_snr_matches_the_budget_osnr_within_0_3_db() {
    // 10 × 100 km at −8 dBm/ch: NLI is > 25 dB below the ASE (SNR_NLI from the budget checks it).
    let sys = system(-8.0, 10, true);
    let budget = BudgetPlan::new(&sys.link).run();
    let outcome = simulate(&sys, &Default::default(), &mut |_| {}).unwrap();
    for ((f, measured), expected) in outcome.channels.iter().zip(&budget.channels) {
        assert!((f - expected.frequency_thz).abs() < 1e-6);
        assert!(
            expected.snr_nli_db - expected.gsnr_db > 20.0,
            "NLI negligible"
        );
        let snr_from_osnr = expected.osnr_ase_db - 10.0 * (32.0f64 / 12.5).log10();
        // The OSNR read off the received spectrum as an OSA would (interpolated floor).
        let osa = outcome.osnr_osa_db[outcome.channels.iter().position(|(g, _)| g == f).unwrap()]
            .expect("the floor beside every channel is inside the simulated band");
        println!(
            "{f:.3} THz: OSA OSNR {osa:.2} dB, budget OSNR {:.2} dB",
            expected.osnr_ase_db
        );
        assert!(
            (osa - expected.osnr_ase_db).abs() < 0.3,
            "{osa} vs {}",
            expected.osnr_ase_db
        );
        println!(
            "{f:.3} THz: measured SNR {:.2} dB, budget OSNR-derived SNR {snr_from_osnr:.2} dB",
            measured.snr_db.unwrap()
        );
        assert!(
            (measured.snr_db.unwrap() - snr_from_osnr).abs() < 0.3,
            "{} vs {snr_from_osnr}",
            measured.snr_db.unwrap()
        );
    }
}

#[test]
fn dp_64qam_ase_only_snr_matches_the_budget_and_its_ber_the_closed_form() {
    // The same 10 × 100 km line at −8 dBm/ch, DP-64QAM on every channel: the received channel's
    // SNR is the budget's OSNR-derived one within 0.3 dB, and its counted BER is Cho & Yoon's at
    // the measured SNR within 4 binomial standard deviations.
    let mut sys = system(-8.0, 10, true);
    sys.modulation = Modulation::Dp64Qam;
    sys.symbols = 16384;
    let budget = BudgetPlan::new(&sys.link).run();
    let outcome = simulate(&sys, &Default::default(), &mut |_| {}).unwrap();
    let expected = &budget.channels[1];
    let snr_from_osnr = expected.osnr_ase_db - 10.0 * (32.0f64 / 12.5).log10();
    let measured = &outcome.channels[1].1;
    let snr_db = measured.snr_db.unwrap();
    println!("DP-64QAM: measured SNR {snr_db:.2} dB, budget {snr_from_osnr:.2} dB, BER {:.3e} (closed form {:.3e})", measured.ber, measured.ber_estimate);
    assert!(
        (snr_db - snr_from_osnr).abs() < 0.3,
        "{snr_db} vs {snr_from_osnr}"
    );
    let sigma = (measured.ber_estimate / measured.bits as f64).sqrt();
    assert!(
        measured.errors > 100,
        "enough errors to compare: {}",
        measured.errors
    );
    assert!(
        (measured.ber - measured.ber_estimate).abs() < 4.0 * sigma,
        "{} vs {}",
        measured.ber,
        measured.ber_estimate
    );
}

#[test]
fn without_dispersion_compensation_1000_km_closes_the_eye() {
    let open = simulate(&system(-8.0, 10, true), &Default::default(), &mut |_| {}).unwrap();
    let closed = simulate(&system(-8.0, 10, false), &Default::default(), &mut |_| {}).unwrap();
    assert!(open.channels[1].1.ber < 1e-3, "{}", open.channels[1].1.ber);
    assert!(
        closed.channels[1].1.ber > 0.1,
        "{}",
        closed.channels[1].1.ber
    );
}

#[test]
fn pmd_emulation_runs_and_a_small_dgd_costs_little() {
    // 10 × 100 km at 0.04 ps/√km: mean DGD 1.3 ps against 31 ps symbols; the static 2×2 receiver
    // loses little.
    let mut sys = system(-8.0, 10, true);
    let without = simulate(&sys, &Default::default(), &mut |_| {})
        .unwrap()
        .channels[1]
        .1
        .snr_db
        .unwrap();
    sys.pmd_sections_per_span = Some(20);
    let with = simulate(&sys, &Default::default(), &mut |_| {})
        .unwrap()
        .channels[1]
        .1
        .snr_db
        .unwrap();
    println!("SNR without PMD {without:.2} dB, with {with:.2} dB");
    assert!(
        with < without + 0.2 && with > without - 0.5,
        "{with} vs {without}"
    );
}

#[test]
fn with_half_a_symbol_of_mean_dgd_the_adaptive_receiver_recovers_what_the_ideal_one_loses() {
    // 10 × 100 km at 0.5 ps/√km: mean DGD 15.8 ps, half a 32 GBd symbol. The single-tap
    // data-aided receiver cannot undo a frequency-dependent Jones matrix; the T/2 butterfly can.
    let mut sys = system(-8.0, 10, true);
    let reference = simulate(&sys, &Default::default(), &mut |_| {})
        .unwrap()
        .channels[1]
        .1
        .snr_db
        .unwrap();
    for span in &mut sys.link.spans {
        span.fiber.pmd_ps_per_sqrt_km = 0.5;
    }
    sys.pmd_sections_per_span = Some(20);
    let ideal = simulate(&sys, &Default::default(), &mut |_| {})
        .unwrap()
        .channels[1]
        .1
        .snr_db
        .unwrap();
    sys.dsp = ReceiverDsp::Adaptive(BlindDsp::default());
    sys.linewidth_hz = 100e3;
    let adaptive = simulate(&sys, &Default::default(), &mut |_| {})
        .unwrap()
        .channels[1]
        .1
        .snr_db
        .unwrap();
    println!("no PMD {reference:.2} dB; 15.8 ps mean DGD: ideal single tap {ideal:.2} dB, adaptive with 100 kHz lasers {adaptive:.2} dB");
    assert!(ideal < reference - 1.0, "{ideal} vs {reference}");
    assert!(
        (adaptive - reference).abs() < 0.3,
        "{adaptive} vs {reference}"
    );
}

#[test]
fn the_adaptive_step_rule_converges_to_fine_fixed_steps() {
    // Two 100 km spans at +6 dBm/ch (strong SPM/XPM): the received SNR with the local-error
    // method at tolerance 1e-5 equals the one with 50 m steps within 0.05 dB, while 25 km steps
    // are visibly wrong.
    let mut sys = system(6.0, 2, true);
    let mut snr = |step: StepControl| {
        sys.step = step;
        let outcome = simulate(&sys, &Default::default(), &mut |_| {}).unwrap();
        (outcome.channels[1].1.snr_db.unwrap(), outcome.fft_count)
    };
    let (fine, fine_ffts) = snr(StepControl::Fixed { step_km: 0.05 });
    let (adaptive, adaptive_ffts) = snr(StepControl::LocalError {
        tolerance: 1e-5,
        initial_step_km: 0.1,
    });
    let (coarse, _) = snr(StepControl::Fixed { step_km: 25.0 });
    println!("50 m steps {fine:.3} dB ({fine_ffts} FFTs); tolerance 1e-5 {adaptive:.3} dB ({adaptive_ffts} FFTs); 25 km steps {coarse:.3} dB");
    assert!((adaptive - fine).abs() < 0.05, "{adaptive} vs {fine}");
    assert!((coarse - fine).abs() > 0.2, "{coarse} vs {fine}");
}

#[test]
fn transmitter_noise_is_counted_as_the_budget_counts_it() {
    // The ASE-only link plus a transmitter OSNR of 20 dB (0.1 nm): the measured SNR of every
    // channel equals the budget's GSNR (ASE, negligible NLI and the transmitter term) within 0.3 dB.
    let mut sys = system(-8.0, 10, true);
    sys.link.transceiver.tx_osnr_db = Some(20.0);
    let budget = BudgetPlan::new(&sys.link).run();
    let outcome = simulate(&sys, &Default::default(), &mut |_| {}).unwrap();
    for ((f, measured), expected) in outcome.channels.iter().zip(&budget.channels) {
        println!(
            "{f:.3} THz: measured SNR {:.2} dB, budget GSNR {:.2} dB (ASE only {:.2} dB)",
            measured.snr_db.unwrap(),
            expected.gsnr_db,
            expected.osnr_ase_db - 10.0 * (32.0f64 / 12.5).log10()
        );
        assert!(
            (measured.snr_db.unwrap() - expected.gsnr_db).abs() < 0.3,
            "{} vs {}",
            measured.snr_db.unwrap(),
            expected.gsnr_db
        );
    }
}

/// The waveform simulation (Manakov, 3 × 32 GBd DP-QPSK over 10 × 100 km at +4 dBm, where the
/// NLI is a large part of the noise) in f32 measures the same SNR per channel as in f64: the same
/// seeds, so the noise is the same and the difference is f32's round-off alone: measured below
/// 1e-4 dB over 2,000 steps (16.1–16.3 dB), asserted to 0.01 dB.
#[test]
fn waveform_snr_is_the_same_in_f32() {
    let run = |precision| {
        let mut sys = system(4.0, 10, true);
        sys.step = StepControl::Fixed { step_km: 0.5 };
        sys.precision = precision;
        simulate(&sys, &Default::default(), &mut |_| {}).unwrap()
    };
    let (double, single) = (run(Precision::F64), run(Precision::F32));
    for ((f, a), (_, b)) in double.channels.iter().zip(&single.channels) {
        let (a, b) = (a.snr_db.unwrap(), b.snr_db.unwrap());
        println!("{f:.3} THz: SNR f64 {a:.4} dB, f32 {b:.4} dB");
        assert!((a - b).abs() <= 0.01, "{f} THz: {a} vs {b}");
    }
}
