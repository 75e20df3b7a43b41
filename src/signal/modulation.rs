//! Bits and symbols: PRBS and seeded random bits, Gray-mapped QPSK and 16-QAM.

use rand::Rng;

use super::Complex;

/// Modulation formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modulation {
    /// On-off keying, non-return-to-zero, one polarisation.
    OokNrz,
    /// On-off keying, return-to-zero (50 % duty cycle, pulse carver), one polarisation.
    OokRz,
    /// Dual-polarisation QPSK, Gray mapped.
    DpQpsk,
    /// Dual-polarisation 16-QAM, Gray mapped.
    Dp16Qam,
}

impl Modulation {
    /// Bits carried by one symbol in one polarisation.
    pub fn bits_per_symbol(self) -> usize {
        match self {
            Modulation::OokNrz | Modulation::OokRz => 1,
            Modulation::DpQpsk => 2,
            Modulation::Dp16Qam => 4,
        }
    }

    /// Whether the format is on-off keying (direct detection).
    pub fn is_ook(self) -> bool {
        matches!(self, Modulation::OokNrz | Modulation::OokRz)
    }

    /// Number of polarisations used.
    pub fn polarisations(self) -> usize {
        match self {
            Modulation::OokNrz | Modulation::OokRz => 1,
            _ => 2,
        }
    }

    /// Maps `bits_per_symbol` bits to a symbol of unit mean energy (coherent formats) or to the
    /// field amplitude 0/√2 (OOK, unit mean power).
    ///
    /// QPSK: `((1 − 2b0) + i(1 − 2b1))/√2`. 16-QAM: each quadrature maps two bits with the Gray
    /// code 00 → −3, 01 → −1, 11 → +1, 10 → +3, scaled by 1/√10.
    pub fn map(self, bits: &[u8]) -> Complex {
        match self {
            Modulation::OokNrz | Modulation::OokRz => {
                Complex::new(f64::from(bits[0]) * std::f64::consts::SQRT_2, 0.0)
            }
            Modulation::DpQpsk => {
                Complex::new(
                    1.0 - 2.0 * f64::from(bits[0]),
                    1.0 - 2.0 * f64::from(bits[1]),
                ) / std::f64::consts::SQRT_2
            }
            Modulation::Dp16Qam => {
                Complex::new(gray_pam4(bits[0], bits[1]), gray_pam4(bits[2], bits[3]))
                    / 10f64.sqrt()
            }
        }
    }

    /// Hard decision: the bits of the nearest constellation point.
    pub fn demap(self, symbol: Complex, bits: &mut [u8]) {
        match self {
            Modulation::OokNrz | Modulation::OokRz => {
                bits[0] = u8::from(symbol.re > std::f64::consts::FRAC_1_SQRT_2)
            }
            Modulation::DpQpsk => {
                bits[0] = u8::from(symbol.re < 0.0);
                bits[1] = u8::from(symbol.im < 0.0);
            }
            Modulation::Dp16Qam => {
                let scale = 10f64.sqrt();
                (bits[0], bits[1]) = gray_pam4_decide(symbol.re * scale);
                (bits[2], bits[3]) = gray_pam4_decide(symbol.im * scale);
            }
        }
    }

    /// Every point of the constellation (in the order of the bit words 0, 1, …).
    pub fn constellation(self) -> Vec<Complex> {
        let k = self.bits_per_symbol();
        (0..1usize << k)
            .map(|word| {
                let bits: Vec<u8> = (0..k).map(|b| ((word >> b) & 1) as u8).collect();
                self.map(&bits)
            })
            .collect()
    }

    /// Hard decision: the nearest constellation point (coherent formats).
    pub fn decide(self, symbol: Complex) -> Complex {
        let mut bits = [0u8; 4];
        let k = self.bits_per_symbol();
        self.demap(symbol, &mut bits[..k]);
        self.map(&bits[..k])
    }
}

fn gray_pam4(b0: u8, b1: u8) -> f64 {
    match (b0, b1) {
        (0, 0) => -3.0,
        (0, 1) => -1.0,
        (1, 1) => 1.0,
        _ => 3.0,
    }
}

fn gray_pam4_decide(x: f64) -> (u8, u8) {
    if x < -2.0 {
        (0, 0)
    } else if x < 0.0 {
        (0, 1)
    } else if x < 2.0 {
        (1, 1)
    } else {
        (1, 0)
    }
}

/// `count` bits of the pseudo-random binary sequence PRBS(2^order − 1) (ITU-T O.150 polynomials:
/// x^7+x^6+1, x^9+x^5+1, x^11+x^9+1, x^15+x^14+1, x^23+x^18+1, x^31+x^28+1), from the all-ones state.
/// `None` for an unsupported order.
pub fn prbs(order: u32, count: usize) -> Option<Vec<u8>> {
    prbs_from(order, count, u32::MAX)
}

/// PRBS orders available (ITU-T O.150).
pub const PRBS_ORDERS: [u32; 6] = [7, 9, 11, 15, 23, 31];

/// As [`prbs`], from the register state `start` reduced to the register's `order` bits (a zero
/// state becomes all ones): another start state is the same sequence delayed, which is how the
/// channels and polarisations of a comb get decorrelated copies of one PRBS.
pub fn prbs_from(order: u32, count: usize, start: u32) -> Option<Vec<u8>> {
    let tap = match order {
        7 => 6,
        9 => 5,
        11 => 9,
        15 => 14,
        23 => 18,
        31 => 28,
        _ => return None,
    };
    let mask = (1u32 << order) - 1;
    let mut state = match start & mask {
        0 => mask,
        s => s,
    };
    Some(
        (0..count)
            .map(|_| {
                let bit = ((state >> (order - 1)) ^ (state >> (tap - 1))) & 1;
                state = ((state << 1) | bit) & ((1u32 << order) - 1);
                bit as u8
            })
            .collect(),
    )
}

/// `count` independent, equiprobable random bits from `rng`.
pub fn random_bits(rng: &mut impl Rng, count: usize) -> Vec<u8> {
    (0..count).map(|_| rng.gen_range(0..=1u8)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_round_trips_and_has_unit_energy() {
        for m in [
            Modulation::DpQpsk,
            Modulation::Dp16Qam,
            Modulation::OokNrz,
            Modulation::OokRz,
        ] {
            let k = m.bits_per_symbol();
            let mut energy = 0.0;
            for word in 0..(1 << k) {
                let bits: Vec<u8> = (0..k).map(|b| ((word >> b) & 1) as u8).collect();
                let symbol = m.map(&bits);
                energy += symbol.norm_sqr();
                let mut back = vec![0; k];
                m.demap(symbol, &mut back);
                assert_eq!(back, bits, "{m:?} {word}");
            }
            assert!((energy / (1 << k) as f64 - 1.0).abs() < 1e-12, "{m:?}");
        }
    }

    #[test]
    fn gray_neighbours_differ_in_one_bit() {
        // Adjacent 16-QAM levels on one axis differ in exactly one bit.
        let levels = [(0u8, 0u8), (0, 1), (1, 1), (1, 0)];
        for pair in levels.windows(2) {
            let d = (pair[0].0 ^ pair[1].0) + (pair[0].1 ^ pair[1].1);
            assert_eq!(d, 1);
        }
    }

    #[test]
    fn prbs_has_its_period_and_balance() {
        let bits = prbs(7, 254).unwrap();
        assert_eq!(bits[..127], bits[127..]);
        assert_eq!(
            bits[..127].iter().filter(|&&b| b == 1).count(),
            64,
            "2^(n-1) ones per period"
        );
        assert!(prbs(8, 10).is_none());
        // Another start state is a cyclic shift of the same sequence.
        let shifted = prbs_from(7, 127, 0x35).unwrap();
        let delay = (0..127)
            .find(|&d| (0..127).all(|i| shifted[i] == bits[(i + d) % 127]))
            .expect("a delayed copy");
        assert!(delay > 0);
    }
}
