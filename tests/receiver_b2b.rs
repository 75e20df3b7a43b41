//! Coherent back-to-back and linear-link checks of the transmitter and receiver (signal-level
//! simulation foundations): counted BER against the closed forms for Gray-coded QPSK, 16-QAM and 64-QAM
//! in AWGN at the SNR that the loaded OSNR implies, and dispersion compensation after a 1,000 km
//! linear link.

use fibra::propagation::{propagate, FiberSection, SsfmPlan, StepControl};
use fibra::receiver::{
    add_white_noise, ber_from_snr, compensate_dispersion, demodulate, noise_variance_for_osnr,
};
use fibra::signal::{random_bits, shape_symbols, Complex, Modulation, TimeGrid};

const SPS: usize = 4;
const ROLL_OFF: f64 = 0.1;
const RS_HZ: f64 = 32e9;

/// Two polarisations of independently seeded, RRC-shaped symbols.
fn transmit(modulation: Modulation, symbols: usize) -> (Vec<Vec<Complex>>, Vec<Vec<Complex>>) {
    let k = modulation.bits_per_symbol();
    let mut sent = Vec::new();
    let mut fields = Vec::new();
    for pol in 0..2u64 {
        let bits = random_bits(&mut fibra::signal::seeded_rng(17 + pol), symbols * k);
        let s: Vec<Complex> = bits.chunks(k).map(|b| modulation.map(b)).collect();
        fields.push(shape_symbols(&s, SPS, ROLL_OFF));
        sent.push(s);
    }
    (sent, fields)
}

/// Loads noise to `osnr_db` and demodulates; returns (SNR expected, measurement).
fn back_to_back(
    modulation: Modulation,
    symbols: usize,
    osnr_db: f64,
) -> (f64, fibra::receiver::ChannelMeasurement) {
    let (sent, mut fields) = transmit(modulation, symbols);
    for (pol, field) in fields.iter_mut().enumerate() {
        let power = field.iter().map(|a| a.norm_sqr()).sum::<f64>() / field.len() as f64;
        add_white_noise(
            field,
            noise_variance_for_osnr(power, osnr_db, RS_HZ, SPS),
            &mut fibra::signal::seeded_rng(99 + pol as u64),
        );
    }
    let snr = 10f64.powf(osnr_db / 10.0) * 12.5e9 / RS_HZ;
    (
        snr,
        demodulate(&mut fields, &sent, modulation, SPS, ROLL_OFF),
    )
}

/// |counted − closed form| within 4 standard deviations of a binomial count.
fn check_ber(label: &str, counted: f64, expected: f64, bits: usize) {
    let sigma = (expected * (1.0 - expected) / bits as f64).sqrt();
    println!(
        "{label}: counted BER {counted:.4e}, closed form {expected:.4e}, 4σ = {:.2e}",
        4.0 * sigma
    );
    assert!(
        (counted - expected).abs() <= 4.0 * sigma,
        "{label}: {counted} vs {expected}"
    );
}

#[test]
fn dp_qpsk_back_to_back_ber_matches_the_closed_form() {
    // OSNR 12.1 dB in 0.1 nm -> SNR = OSNR·12.5/32 ≈ 8.0 dB -> BER ≈ 6e-3.
    let (snr, m) = back_to_back(Modulation::DpQpsk, 1 << 16, 12.1);
    assert!(
        (m.snr_db.unwrap() - 10.0 * snr.log10()).abs() < 0.1,
        "measured SNR {} dB",
        m.snr_db.unwrap()
    );
    check_ber(
        "DP-QPSK",
        m.ber,
        ber_from_snr(Modulation::DpQpsk, snr),
        m.bits,
    );
}

#[test]
fn dp_16qam_back_to_back_ber_matches_the_closed_form() {
    // OSNR 19.1 dB -> SNR ≈ 15.0 dB -> BER ≈ 4.5e-3.
    let (snr, m) = back_to_back(Modulation::Dp16Qam, 1 << 16, 19.1);
    assert!(
        (m.snr_db.unwrap() - 10.0 * snr.log10()).abs() < 0.1,
        "measured SNR {} dB",
        m.snr_db.unwrap()
    );
    check_ber(
        "DP-16QAM",
        m.ber,
        ber_from_snr(Modulation::Dp16Qam, snr),
        m.bits,
    );
}

#[test]
fn dp_64qam_back_to_back_ber_matches_the_closed_form() {
    // OSNR 25.1 dB -> SNR ≈ 21.0 dB -> BER ≈ 4e-3 (Cho & Yoon's Gray-coded 64-QAM).
    let (snr, m) = back_to_back(Modulation::Dp64Qam, 1 << 16, 25.1);
    assert!(
        (m.snr_db.unwrap() - 10.0 * snr.log10()).abs() < 0.1,
        "measured SNR {} dB",
        m.snr_db.unwrap()
    );
    check_ber(
        "DP-64QAM",
        m.ber,
        ber_from_snr(Modulation::Dp64Qam, snr),
        m.bits,
    );
}

#[test]
fn a_linear_1000_km_link_with_dispersion_compensation_equals_back_to_back() {
    let symbols = 1 << 12;
    let (sent, fields) = transmit(Modulation::DpQpsk, symbols);
    let dt_ps = 1e12 / (RS_HZ * SPS as f64);
    let grid = TimeGrid {
        samples: symbols * SPS,
        dt_ps,
    };
    let fiber = [FiberSection {
        length_km: 1000.0,
        alpha_db_per_km: 0.0,
        beta2_ps2_per_km: -21.7,
        beta3_ps3_per_km: 0.0,
        gamma_per_w_km: 0.0,
        amplifier_after: false,
    }];
    let mut plan = SsfmPlan::new(grid);
    let mut received: Vec<Vec<Complex>> = fields
        .iter()
        .map(|f| {
            propagate(
                &mut plan,
                &fiber,
                f.clone(),
                StepControl::Fixed { step_km: 1000.0 },
                &mut |_| {},
                None,
            )
            .field
        })
        .collect();
    // 1,000 km of dispersion spreads a symbol over thousands of symbols: without compensation the
    // eye is closed.
    let mut uncompensated = received.clone();
    let closed = demodulate(&mut uncompensated, &sent, Modulation::DpQpsk, SPS, ROLL_OFF);
    assert!(closed.ber > 0.1, "uncompensated BER {}", closed.ber);
    for field in &mut received {
        compensate_dispersion(field, dt_ps, -21.7 * 1000.0, 0.0, 0.0);
    }
    for (rx, tx) in received.iter().zip(&fields) {
        let error = rx
            .iter()
            .zip(tx)
            .map(|(a, b)| (a - b).norm())
            .fold(0.0, f64::max);
        assert!(
            error < 1e-9,
            "CD + compensation is an all-pass identity: {error}"
        );
    }
    let m = demodulate(&mut received, &sent, Modulation::DpQpsk, SPS, ROLL_OFF);
    assert_eq!(m.errors, 0);
    assert!(
        m.snr_db.unwrap() > 100.0,
        "noiseless: {} dB",
        m.snr_db.unwrap()
    );
}
