//! Direct detection as a receiver sees it (issue 16): unpolarised ASE, |Ex|² + |Ey|², the
//! threshold with the fewest errors. Anchors: the ideal pre-amplified receiver (Humblet &
//! Azizoglu 1991, computed in `fibra::receiver::preamplified_ber`), and fibra's own full chain.

use fibra::budget::{Link, Span, WdmGrid};
use fibra::fiber::builtin_fiber;
use fibra::propagation::{PmdSections, Precision, StepControl};
use fibra::receiver::{
    add_white_noise, best_threshold, noise_variance_for_osnr, photons_per_one_at_osnr,
    preamplified_ber,
};
use fibra::signal::{random_bits, seeded_rng, stream_rng, Complex, Modulation, Stream};
use fibra::system::{simulate, ReceiverDsp, System};

const RS_HZ: f64 = 10e9;

/// Counted BER of an ideal pre-amplified receiver built from fibra's pieces: NRZ at mean power
/// 1 W (a 1 is √2 over the whole bit), fibra's noise loading (the OSNR's PSD, half in each
/// polarisation), a filter matched to one bit in each polarisation (integrate the field over
/// the bit), |x|² + |y|², the threshold with the fewest errors.
fn ideal_receiver_ber(osnr_db: f64, bits: usize, seed: u64) -> (f64, usize) {
    let sps = 2;
    let sent = random_bits(&mut seeded_rng(seed), bits);
    let variance = noise_variance_for_osnr(1.0, osnr_db, RS_HZ, sps) / 2.0;
    let mut decisions: Vec<(f64, u8)> = sent.iter().map(|&b| (0.0, b)).collect();
    let mut polarisations = Vec::new();
    for polarisation in 0..2 {
        let mut field: Vec<Complex> = sent
            .iter()
            .flat_map(|&b| {
                let amplitude = if polarisation == 0 && b == 1 {
                    std::f64::consts::SQRT_2
                } else {
                    0.0
                };
                std::iter::repeat_n(Complex::new(amplitude, 0.0), sps)
            })
            .collect();
        add_white_noise(
            &mut field,
            variance,
            &mut seeded_rng(seed + 1 + polarisation),
        );
        polarisations.push(field);
    }
    for (k, decision) in decisions.iter_mut().enumerate() {
        decision.0 = polarisations
            .iter()
            .map(|f| f[k * sps..(k + 1) * sps].iter().sum::<Complex>().norm_sqr())
            .sum();
    }
    let (errors, _) = best_threshold(&mut decisions);
    (errors as f64 / bits as f64, errors)
}

#[test]
fn an_ideal_preamplified_receiver_counts_what_humblet_and_azizoglu_predict() {
    for (osnr_db, bits) in [(5.0, 200_000), (6.0, 400_000), (7.0, 1_000_000)] {
        let (counted, errors) = ideal_receiver_ber(osnr_db, bits, 3);
        let (exact, _) = preamplified_ber(photons_per_one_at_osnr(osnr_db, RS_HZ), 2);
        println!(
            "OSNR {osnr_db} dB: counted {counted:.3e} ({errors} errors), closed form {exact:.3e}"
        );
        assert!(errors >= 400, "enough errors for 10 %: {errors}");
        assert!(
            (counted / exact - 1.0).abs() < 0.1,
            "OSNR {osnr_db} dB: {counted:e} vs {exact:e}"
        );
    }
}

/// 10 GBd OOK-NRZ back to back through `fibra simulate` with noise loading at `osnr_db`.
/// With `pmd_ps_per_sqrt_km`, the 1 km fibre is emulated by 20 birefringent sections.
fn back_to_back(
    osnr_db: f64,
    symbols: usize,
    seed: u64,
    pmd_ps_per_sqrt_km: Option<f64>,
) -> System {
    let mut span = Span::new(1.0, builtin_fiber("SSMF").unwrap());
    if let Some(pmd) = pmd_ps_per_sqrt_km {
        span.fiber.pmd_ps_per_sqrt_km = pmd;
    }
    System {
        link: Link::new(
            WdmGrid {
                channels: 1,
                spacing_ghz: 50.0,
                center_thz: 193.1,
                symbol_rate_gbaud: 10.0,
            },
            0.0,
            vec![span],
        ),
        modulation: Modulation::OokNrz,
        roll_off: 0.5,
        symbols,
        seed,
        prbs_order: None,
        samples_per_symbol: Some(16),
        receiver_channel: 0,
        noise_loading_osnr_db: Some(osnr_db),
        cd_compensation: false,
        dsp: ReceiverDsp::Ideal,
        linewidth_hz: 0.0,
        frequency_offset_hz: 0.0,
        step: StepControl::Fixed { step_km: 1.0 },
        precision: Precision::F64,
        pmd_sections_per_span: pmd_ps_per_sqrt_km.map(|_| 20),
    }
}

fn counted(system: &System) -> (f64, f64, usize) {
    let outcome = simulate(system, &Default::default(), &mut |_| {}).unwrap();
    let m = &outcome.channels[0].1;
    (m.ber, m.ber_estimate, m.errors)
}

#[test]
fn the_full_chain_needs_the_ideal_osnr_within_its_statistics_for_1e_minus_3() {
    // The ideal receiver's OSNR for 1e-3 (M = 2), by bisection on the closed form.
    let (mut lo, mut hi) = (0.0, 15.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if preamplified_ber(photons_per_one_at_osnr(mid, RS_HZ), 2).0 > 1e-3 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let ideal_db = 0.5 * (lo + hi);
    // fibra's chain: counted BER on a 0.25 dB grid, the crossing of 1e-3 interpolated in log BER.
    let grid: Vec<f64> = (0..=6).map(|k| ideal_db - 0.5 + 0.25 * k as f64).collect();
    let bers: Vec<f64> = grid
        .iter()
        .map(|&osnr| counted(&back_to_back(osnr, 1 << 18, 11, None)).0)
        .collect();
    let k = bers
        .windows(2)
        .position(|w| w[0] > 1e-3 && w[1] <= 1e-3)
        .unwrap_or_else(|| panic!("1e-3 not crossed on {grid:?}: {bers:?}"));
    let fraction = (bers[k].log10() + 3.0) / (bers[k].log10() - bers[k + 1].log10());
    let required_db = grid[k] + 0.25 * fraction;
    println!("1e-3: ideal {ideal_db:.2} dB, fibra's receiver {required_db:.2} dB; {bers:?}");
    // fibra's optical filter is matched to the RRC pulse, a single-mode filter in each
    // polarisation: the chain is the ideal receiver but for its electrical filter, and comes out
    // at the ideal OSNR within the count's statistics (±0.05 dB at 1e-3 with 2^18 bits) and the
    // optimism of choosing instant and threshold on the counted bits (0.05–0.1 dB: trained on one
    // half of the bits and counted on the other, the chain measures 1.04e-3 at the ideal 7.05 dB).
    assert!(required_db > ideal_db - 0.2, "{required_db} vs {ideal_db}");
    assert!(required_db - ideal_db < 1.0, "{required_db} vs {ideal_db}");
}

#[test]
fn the_counted_ber_and_its_estimate_agree_within_a_factor_of_two() {
    let (ber, estimate, errors) = counted(&back_to_back(7.0, 1 << 17, 5, None));
    println!("OSNR 7 dB: counted {ber:.3e} ({errors} errors), estimate {estimate:.3e}");
    assert!(errors >= 100, "{errors}");
    assert!(
        estimate / ber < 2.0 && ber / estimate < 2.0,
        "{ber} vs {estimate}"
    );
}

#[test]
fn power_coupled_into_y_by_pmd_is_still_detected() {
    // A seed whose PMD sections send about half of x into y (3 ps mean DGD: 0.03 of a bit, no
    // ISI to speak of), found from the same stream the simulation draws.
    let into_y = |seed: u64| {
        let mut rng = stream_rng(seed, Stream::PmdSections { span: 0 });
        PmdSections::new(1.0, 3.0, 20, &mut rng).jones_matrix(0.0)[(1, 0)].norm_sqr()
    };
    let seed = (1..200)
        .find(|&s| (into_y(s) - 0.5).abs() < 0.05)
        .expect("a seed that splits the power");
    let (without, _, errors) = counted(&back_to_back(7.0, 1 << 17, seed, None));
    let (with, _, _) = counted(&back_to_back(7.0, 1 << 17, seed, Some(3.0)));
    println!(
        "OSNR 7 dB: BER {without:.3e} without PMD ({errors} errors), {with:.3e} with {:.0} % of the power in y",
        100.0 * into_y(seed)
    );
    assert!(errors >= 100);
    // The same bits and noise; had y been dropped, half the signal would be lost (≈ 3 dB).
    assert!(
        with / without < 1.25 && without / with < 1.25,
        "{with} vs {without}"
    );
}
