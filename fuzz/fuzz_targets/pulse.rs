//! PULSE.toml: parse, then propagate within a small budget what parses (the checks of `fibra
//! propagate`: memory and steps before running, the plan's step limit while running), in the
//! precision the file asks for.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;

use fibra::propagation::{propagation_memory_bytes, propagation_steps, PrecisionPlans};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(setup) = fibra::io::parse_pulse_setup(text, std::path::Path::new("/nonexistent")) else {
        return;
    };
    let budget = common::small_budget();
    let memory = propagation_memory_bytes(setup.grid.samples, setup.control, None, false);
    if budget.check_memory(memory, "grid.samples").is_err() {
        return;
    }
    let input = setup.shape.sample(&setup.grid, setup.peak_power_w);
    let peak = fibra::signal::peak_power_w(&input);
    if let Some(steps) = propagation_steps(&setup.sections, setup.control, peak, f64::INFINITY) {
        if budget.check_steps(steps, "solver").is_err() {
            return;
        }
    }
    // In the file's precision (f64 or f32), as `fibra propagate` runs it.
    let mut plans = PrecisionPlans::new(setup.grid, setup.precision);
    plans.set_step_limit(budget.max_steps);
    let outcome = plans.propagate(&setup.sections, input, setup.control, &mut |_| {}, None);
    if outcome.stopped.is_none() {
        assert_eq!(outcome.field.len(), setup.grid.samples);
    }
});
