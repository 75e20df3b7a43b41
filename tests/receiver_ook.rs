//! Direct-detection OOK: with Gaussian (thermal) receiver noise the Q factor predicts the counted
//! BER, BER = ½·erfc(Q/√2), within the statistics of the count.

use fibra::receiver::{decide_ook, photodetect};
use fibra::signal::{random_bits, rrc_filter, shape_symbols, Complex, Modulation};
use rand::SeedableRng;
use rand_distr::{Distribution, Normal};

#[test]
fn ook_q_factor_predicts_the_counted_ber() {
    let sps = 8;
    let rs = 10e9;
    let symbols = 1 << 17;
    let bits = random_bits(&mut fibra::signal::seeded_rng(4), symbols);
    let s: Vec<Complex> = bits.chunks(1).map(|b| Modulation::OokNrz.map(b)).collect();
    // Raised-cosine field (RRC twice): no intersymbol interference at the symbol instants.
    let mut field = shape_symbols(&s, sps, 0.5);
    rrc_filter(&mut field, sps, 0.5);
    let mut current = photodetect(&[field], rs * sps as f64, 2.0 * rs);
    // Thermal noise of the receiver: Gaussian, σ = 0.33 against a mark level of 2.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(21);
    let normal = Normal::new(0.0, 0.33).unwrap();
    current
        .iter_mut()
        .for_each(|c| *c += normal.sample(&mut rng));
    let m = decide_ook(&current, &bits, sps);
    let sigma = (m.ber_estimate / m.bits as f64).sqrt();
    println!(
        "Q = {:.3} ({:.2} dB): counted BER {:.4e}, ½erfc(Q/√2) = {:.4e} ± {:.1e}, instant {}",
        m.q,
        m.q_db,
        m.ber,
        m.ber_estimate,
        4.0 * sigma,
        m.instant
    );
    assert!(m.errors > 100, "enough errors to compare: {}", m.errors);
    assert!(
        (m.ber - m.ber_estimate).abs() < 4.0 * sigma,
        "{} vs {}",
        m.ber,
        m.ber_estimate
    );
    assert_eq!(m.instant, 0, "the eye is widest at the symbol centre");
    assert_eq!(m.eye.len(), symbols);
}
