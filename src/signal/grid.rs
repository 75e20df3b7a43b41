//! The sampled time window and its frequency grid.

/// The signed frequency index of FFT bin `k` of `n` in rustfft's output order: `k` for the
/// first `⌈n/2⌉` bins, `k − n` above (the negative frequencies).
pub fn signed_bin(k: usize, n: usize) -> f64 {
    if k < n.div_ceil(2) {
        k as f64
    } else {
        k as f64 - n as f64
    }
}

/// `samples` points spaced `dt_ps` apart, centred on T = 0: `T_j = (j − ⌊N/2⌋)·dt`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeGrid {
    /// Number of samples N (any size; rustfft handles every N).
    pub samples: usize,
    /// Sample spacing, ps.
    pub dt_ps: f64,
}

impl TimeGrid {
    /// A grid of `samples` points over a total window of `window_ps` (dt = window / N).
    pub fn from_window(samples: usize, window_ps: f64) -> Self {
        Self {
            samples,
            dt_ps: window_ps / samples as f64,
        }
    }

    /// Total window, ps.
    pub fn window_ps(&self) -> f64 {
        self.dt_ps * self.samples as f64
    }

    /// Sample times, ps, in increasing order.
    pub fn times_ps(&self) -> Vec<f64> {
        let half = (self.samples / 2) as f64;
        (0..self.samples)
            .map(|j| (j as f64 - half) * self.dt_ps)
            .collect()
    }

    /// Angular frequency of FFT bin k, rad/ps: `ω_k = 2π·k/(N·dt)` for k < N/2, `2π·(k − N)/(N·dt)`
    /// above (rustfft output order). With rustfft's e^{−iωT} kernel, bin k holds Agrawal's
    /// Ã(−ω_k) (his transform uses e^{+iωT}).
    pub fn angular_frequencies_rad_per_ps(&self) -> Vec<f64> {
        let n = self.samples;
        let step = 2.0 * std::f64::consts::PI / (n as f64 * self.dt_ps);
        (0..n).map(|k| signed_bin(k, n) * step).collect()
    }

    /// Physical optical-frequency offset from the carrier of FFT bin k, GHz. In Agrawal's
    /// convention the field is `A(T)·e^{−iω0 t}`, so a component `e^{+iω_k T}` (what rustfft's bin k
    /// holds) oscillates at `ω0 − ω_k`: the offset is `−ω_k/2π` (1/ps = 1000 GHz).
    pub fn frequencies_ghz(&self) -> Vec<f64> {
        self.angular_frequencies_rad_per_ps()
            .into_iter()
            .map(|w| crate::units::rad_per_ps_to_ghz(-w))
            .collect()
    }

    /// The FFT-order index that lands at position `i` of the centred order, in which the physical
    /// frequency offsets ([`TimeGrid::frequencies_ghz`]) increase.
    pub fn shifted_index(&self, i: usize) -> usize {
        let n = self.samples;
        (n - 1 - i + n.div_ceil(2)) % n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifted_order_increases() {
        for n in [8usize, 9, 16, 17] {
            let grid = TimeGrid {
                samples: n,
                dt_ps: 0.5,
            };
            let f = grid.frequencies_ghz();
            let shifted: Vec<f64> = (0..n).map(|i| f[grid.shifted_index(i)]).collect();
            assert!(shifted.windows(2).all(|w| w[1] > w[0]), "{n}: {shifted:?}");
            assert_eq!(grid.times_ps()[n / 2], 0.0);
        }
    }
}
