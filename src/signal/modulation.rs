//! Bits and symbols: PRBS and seeded random bits, Gray-mapped QPSK, 16-QAM and 64-QAM.

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
    /// Dual-polarisation 64-QAM, Gray mapped.
    Dp64Qam,
}

impl Modulation {
    /// Bits carried by one symbol in one polarisation.
    pub fn bits_per_symbol(self) -> usize {
        match self {
            Modulation::OokNrz | Modulation::OokRz => 1,
            Modulation::DpQpsk => 2,
            Modulation::Dp16Qam => 4,
            Modulation::Dp64Qam => 6,
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
    /// QPSK: `((1 − 2b0) + i(1 − 2b1))/√2`. Square M-QAM: each quadrature maps log2(√M) bits
    /// (first bit most significant) with the binary-reflected Gray code to the level `2j − (√M − 1)`
    /// of the index j whose Gray word they are — 16-QAM: 00 → −3, 01 → −1, 11 → +1, 10 → +3 —
    /// scaled by `1/√(2(M − 1)/3)` (1/√10 for 16-QAM, 1/√42 for 64-QAM).
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
            Modulation::Dp16Qam | Modulation::Dp64Qam => {
                let half = bits.len() / 2;
                Complex::new(gray_pam(&bits[..half]), gray_pam(&bits[half..])) / self.qam_scale()
            }
        }
    }

    /// `√(2(M − 1)/3)`: the RMS amplitude of square M-QAM on the odd-integer grid.
    fn qam_scale(self) -> f64 {
        let points = (1usize << self.bits_per_symbol()) as f64;
        (2.0 * (points - 1.0) / 3.0).sqrt()
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
            Modulation::Dp16Qam | Modulation::Dp64Qam => {
                let scale = self.qam_scale();
                let half = bits.len() / 2;
                let (re, im) = bits.split_at_mut(half);
                gray_pam_decide(symbol.re * scale, re);
                gray_pam_decide(symbol.im * scale, im);
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
        let mut bits = [0u8; 6];
        let k = self.bits_per_symbol();
        self.demap(symbol, &mut bits[..k]);
        self.map(&bits[..k])
    }
}

/// The PAM level `2j − (L − 1)` (L = 2^bits.len() levels) whose index j has the binary-reflected
/// Gray word `bits` (most significant first).
fn gray_pam(bits: &[u8]) -> f64 {
    let gray = bits
        .iter()
        .fold(0usize, |word, &b| (word << 1) | usize::from(b));
    // Inverse Gray code: j = g ⊕ (g >> 1) ⊕ (g >> 2) ⊕ …
    let mut index = gray;
    let mut shifted = gray >> 1;
    while shifted != 0 {
        index ^= shifted;
        shifted >>= 1;
    }
    let levels = 1usize << bits.len();
    (2 * index) as f64 - (levels - 1) as f64
}

/// The Gray word (most significant first, into `bits`) of the PAM level nearest to `x`.
fn gray_pam_decide(x: f64, bits: &mut [u8]) {
    let levels = 1usize << bits.len();
    let top = (levels - 1) as f64;
    // Levels are at 2j − top: the nearest index, clamped to the constellation.
    let index = ((x + top) / 2.0).round().clamp(0.0, top) as usize;
    let gray = index ^ (index >> 1);
    let n = bits.len();
    for (k, bit) in bits.iter_mut().enumerate() {
        *bit = ((gray >> (n - 1 - k)) & 1) as u8;
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
            Modulation::Dp64Qam,
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
        // 16-QAM's axis: 00 → −3, 01 → −1, 11 → +1, 10 → +3 (the mapping of earlier releases).
        for (bits, level) in [([0, 0], -3.0), ([0, 1], -1.0), ([1, 1], 1.0), ([1, 0], 3.0)] {
            assert_eq!(gray_pam(&bits), level);
        }
        // On every axis (4 and 8 levels) adjacent levels differ in exactly one bit.
        for width in [2usize, 3] {
            let mut by_level: Vec<(f64, usize)> = (0..1usize << width)
                .map(|word| {
                    let bits: Vec<u8> = (0..width)
                        .map(|k| ((word >> (width - 1 - k)) & 1) as u8)
                        .collect();
                    (gray_pam(&bits), word)
                })
                .collect();
            by_level.sort_by(|a, b| a.0.total_cmp(&b.0));
            let levels: Vec<f64> = by_level.iter().map(|l| l.0).collect();
            let expected: Vec<f64> = (0..1usize << width)
                .map(|j| (2 * j) as f64 - ((1usize << width) - 1) as f64)
                .collect();
            assert_eq!(levels, expected, "every level once");
            for pair in by_level.windows(2) {
                assert_eq!((pair[0].1 ^ pair[1].1).count_ones(), 1, "{pair:?}");
            }
        }
    }

    #[test]
    fn decisions_pick_the_nearest_level() {
        let mut bits = [0u8; 3];
        for (x, level) in [
            (-9.0, -7.0),
            (-4.2, -5.0),
            (-0.1, -1.0),
            (0.1, 1.0),
            (6.2, 7.0),
            (40.0, 7.0),
        ] {
            gray_pam_decide(x, &mut bits);
            assert_eq!(gray_pam(&bits), level, "{x}");
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
