//! Every random stream of a simulation from one user seed: a ChaCha8 key from the seed and one
//! ChaCha stream (the 64-bit nonce) per purpose, channel, polarisation and span, so that no two
//! streams can coincide for any channel count (distinct stream ids give distinct keystreams).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// What a random stream is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stream {
    /// Data bits of one channel and polarisation.
    Bits {
        /// Channel index.
        channel: usize,
        /// Polarisation (0 = x, 1 = y).
        polarisation: usize,
    },
    /// Transmitter noise (`tx_osnr_db`) on one polarisation of the launched comb.
    TransmitterNoise {
        /// Polarisation.
        polarisation: usize,
    },
    /// The amplifiers' ASE, drawn in order over the spans and both polarisations.
    AmplifierNoise,
    /// The birefringent sections of one span's fibre.
    PmdSections {
        /// Span index.
        span: usize,
    },
    /// Laser phase noise at one channel's receiver.
    LaserPhaseNoise {
        /// Channel index.
        channel: usize,
    },
    /// Noise loading at one channel's receiver, one polarisation.
    NoiseLoading {
        /// Channel index.
        channel: usize,
        /// Polarisation.
        polarisation: usize,
    },
}

impl Stream {
    /// The ChaCha stream id: the purpose in the top 8 bits, the index (channel or span, < 2⁵⁵)
    /// shifted left by one, and the polarisation (0 or 1) in the lowest bit.
    pub fn id(self) -> u64 {
        let (purpose, index, polarisation) = match self {
            Stream::Bits {
                channel,
                polarisation,
            } => (1, channel, polarisation),
            Stream::TransmitterNoise { polarisation } => (2, 0, polarisation),
            Stream::AmplifierNoise => (3, 0, 0),
            Stream::PmdSections { span } => (4, span, 0),
            Stream::LaserPhaseNoise { channel } => (5, channel, 0),
            Stream::NoiseLoading {
                channel,
                polarisation,
            } => (6, channel, polarisation),
        };
        (purpose << 56) | (((index as u64) & ((1 << 55) - 1)) << 1) | (polarisation as u64 & 1)
    }
}

/// The generator of `stream` under the user's `seed`.
pub fn stream_rng(seed: u64, stream: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream.id());
    rng
}

/// A generator from a bare seed (for tools and tests outside a simulation).
pub fn seeded_rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore;
    use std::collections::HashSet;

    #[test]
    fn no_two_streams_of_a_2000_channel_comb_coincide() {
        let channels = 2000;
        let spans = 1000;
        let mut streams = vec![Stream::AmplifierNoise];
        for polarisation in 0..2 {
            streams.push(Stream::TransmitterNoise { polarisation });
            for channel in 0..channels {
                streams.push(Stream::Bits {
                    channel,
                    polarisation,
                });
                streams.push(Stream::NoiseLoading {
                    channel,
                    polarisation,
                });
            }
        }
        streams.extend((0..channels).map(|channel| Stream::LaserPhaseNoise { channel }));
        streams.extend((0..spans).map(|span| Stream::PmdSections { span }));
        let ids: HashSet<u64> = streams.iter().map(|s| s.id()).collect();
        assert_eq!(ids.len(), streams.len(), "stream ids are distinct");
        // The first two 64-bit draws of every stream, under two seeds: no equal pair.
        for seed in [1, 501] {
            let firsts: HashSet<(u64, u64)> = streams
                .iter()
                .map(|&s| {
                    let mut rng = stream_rng(seed, s);
                    (rng.next_u64(), rng.next_u64())
                })
                .collect();
            assert_eq!(firsts.len(), streams.len(), "seed {seed}");
        }
    }
}
