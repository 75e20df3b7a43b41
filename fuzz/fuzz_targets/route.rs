//! ROUTE.toml: parse, then design (amplifiers, regenerators) what parses.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(route) = fibra::io::parse_route(text) else { return };
    if route.sites.len() > 20_000 || route.grid.channels > 200 {
        return;
    }
    if let Ok(design) = fibra::design::design_route(&route) {
        for section in &design.sections {
            let s = &section.budget.summary;
            assert!(!s.feasible || s.gsnr_db.is_finite());
        }
    }
});
