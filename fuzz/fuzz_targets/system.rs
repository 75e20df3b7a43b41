//! SYSTEM.toml: parse, then simulate within a small budget what parses.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(system) = fibra::io::parse_system(text) else { return };
    let _ = fibra::system::simulate(&system, &common::small_budget(), &mut |_| {});
});
