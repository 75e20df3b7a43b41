//! The field actions of the element chain: the waveform simulation walks the same chain as the
//! budget ([`crate::chain`]), applying each element to the sampled two-polarisation field.

use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

use super::SimulationError;
use crate::amplifier::Edfa;
use crate::chain::{Element, Fiber};
use crate::fiber::FiberParams;
use crate::propagation::{FiberSection, PmdSections, PrecisionPlans, StepControl};
use crate::signal::{stream_rng, Complex, Stream};
use crate::units;

/// The state of the waveform walk between elements.
pub(super) struct FieldWalk {
    /// Both polarisations of the field, time domain.
    pub fields: [Vec<Complex>; 2],
    /// The split-step plans (FFT plans, buffers) shared by every fibre, in the system's
    /// precision; the PMD sections' transforms use the f64 plan.
    pub plans: PrecisionPlans,
    /// Step rule of every fibre.
    pub step: StepControl,
    /// Birefringent sections per fibre (`None`: no PMD).
    pub pmd_sections: Option<usize>,
    /// Seed of the PMD sections (the span index is mixed in).
    pub seed: u64,
    /// Frequency the field is centred on, Hz.
    pub center_hz: f64,
    /// Sampling rate, Hz (the bandwidth of white ASE).
    pub sample_rate_hz: f64,
    /// Most split steps the whole walk may take.
    pub max_steps: usize,
    /// Noise of the amplifiers.
    pub noise_rng: ChaCha8Rng,
    /// Split steps taken (accepted and rejected).
    pub steps: usize,
    /// FFTs run.
    pub fft_count: u64,
    /// Accumulated β2·L and β3·L at the centre frequency (for the receiver's CD compensation).
    pub beta2_l: f64,
    /// See `beta2_l`.
    pub beta3_l: f64,
    /// Fibre length propagated so far, km.
    pub done_km: f64,
    /// Index of the current span (amplifiers passed).
    pub span: usize,
}

impl FieldWalk {
    /// Applies one element; `progress` gets the fibre length done so far, km.
    pub fn apply(
        &mut self,
        element: &Element,
        progress: &mut dyn FnMut(f64),
    ) -> Result<(), SimulationError> {
        match element {
            Element::Connector(c) => self.attenuate(c.loss_db),
            Element::Fused(f) => self.attenuate(f.loss_db),
            Element::Fiber(fiber) => self.propagate(fiber, progress)?,
            Element::Edfa(edfa) => self.amplify(edfa)?,
            Element::Roadm(_) => {
                return Err(SimulationError::Unsupported {
                    span: self.span,
                    element: "ROADM",
                })
            }
        }
        Ok(())
    }

    /// Field action of a lumped loss: every sample × `10^(−loss/20)`.
    fn attenuate(&mut self, loss_db: f64) {
        let f = units::db_to_linear(-loss_db).sqrt();
        self.fields.iter_mut().flatten().for_each(|a| *a *= f);
    }

    /// Field action of a fibre: the Manakov split step; with PMD the fibre is cut into equal
    /// pieces, each followed by one birefringent section (the coarse-step method interleaved with
    /// the Kerr effect).
    fn propagate(
        &mut self,
        fiber: &Fiber,
        progress: &mut dyn FnMut(f64),
    ) -> Result<(), SimulationError> {
        let pmd = self.pmd_sections.map(|sections| {
            PmdSections::new(
                fiber.length_km,
                fiber.params.pmd_ps_per_sqrt_km,
                sections,
                &mut stream_rng(self.seed, Stream::PmdSections { span: self.span }),
            )
        });
        let pieces = pmd.as_ref().map_or(1, PmdSections::len);
        let piece = FiberSection {
            length_km: fiber.length_km / pieces as f64,
            alpha_db_per_km: fiber.params.attenuation_db_per_km,
            beta2_ps2_per_km: fiber.params.beta2_ps2_per_km_at(self.center_hz),
            beta3_ps3_per_km: beta3_ps3_per_km(&fiber.params, self.center_hz),
            gamma_per_w_km: fiber.params.gamma_per_w_km_at(self.center_hz),
            amplifier_after: false,
        };
        self.beta2_l += piece.beta2_ps2_per_km * fiber.length_km;
        self.beta3_l += piece.beta3_ps3_per_km * fiber.length_km;
        let [x, y] = &mut self.fields;
        for p in 0..pieces {
            let limit = self.max_steps.saturating_sub(self.steps);
            let done_km = self.done_km;
            let mut piece_progress = |f| progress(done_km + f * piece.length_km);
            self.plans.set_step_limit(limit);
            let outcome =
                self.plans
                    .propagate_manakov(&piece, (x, y), self.step, &mut piece_progress);
            if let Some(stop) = outcome.stopped {
                return Err(SimulationError::Stopped {
                    span: self.span,
                    stop,
                });
            }
            self.steps += outcome.steps + outcome.rejected_steps;
            self.fft_count += outcome.fft_count;
            self.done_km += piece.length_km;
            if let Some(pmd) = &pmd {
                self.plans.double.forward_pair(x, y, None);
                pmd.apply_section(p, x, y, self.plans.double.omega_rad_per_ps());
                self.plans.double.inverse_pair(x, y, None);
                let inv_n = 1.0 / x.len() as f64;
                x.iter_mut().chain(y.iter_mut()).for_each(|a| *a *= inv_n);
                self.fft_count += 4;
            }
        }
        Ok(())
    }

    /// Field action of an EDFA: gain, then ASE of PSD `NF·h·f·G` over both polarisations (half
    /// in each), white over the simulated bandwidth: variance per sample `NF·h·f·G·fs/2`. It
    /// closes a span.
    fn amplify(&mut self, edfa: &Edfa) -> Result<(), SimulationError> {
        self.attenuate(-edfa.gain_db);
        let variance = edfa.ase_power_w(self.center_hz, self.sample_rate_hz) / 2.0;
        // The gain is at most amplifier_max_gain_db (checked before the run), so the variance
        // is finite; should it not be, the amplifier is the reason.
        let Ok(normal) = Normal::new(0.0, (variance / 2.0).sqrt()) else {
            return Err(SimulationError::Gain {
                span: self.span,
                gain_db: edfa.gain_db,
                max_gain_db: edfa.max_gain_db,
            });
        };
        for a in self.fields.iter_mut().flatten() {
            *a += Complex::new(
                normal.sample(&mut self.noise_rng),
                normal.sample(&mut self.noise_rng),
            );
        }
        self.span += 1;
        Ok(())
    }
}

/// β3 (ps³/km) at `f_hz` from the fibre's β2(f) by a central difference (consistent with D and
/// slope).
fn beta3_ps3_per_km(fiber: &FiberParams, f_hz: f64) -> f64 {
    let df_hz = 1e11;
    let dw_rad_per_ps = units::hz_to_rad_per_ps(df_hz);
    (fiber.beta2_ps2_per_km_at(f_hz + df_hz) - fiber.beta2_ps2_per_km_at(f_hz - df_hz))
        / (2.0 * dw_rad_per_ps)
}
