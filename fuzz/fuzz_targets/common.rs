//! Shared by the fuzz targets: a small resource budget, so that what parses is also run, within
//! libFuzzer's `-rss_limit_mb=2048 -timeout=10`.

use fibra::resources::ResourceBudget;

/// 16 MiB and 1,500 steps: a waveform of about 40,000 samples (a few thousand symbols) over a
/// few spans, so that one run stays well inside the 10 s timeout; larger inputs are refused by
/// the same checks the commands make against their default budget.
#[allow(dead_code)]
pub fn small_budget() -> ResourceBudget {
    ResourceBudget {
        max_memory_bytes: 16.0 * 1024.0 * 1024.0,
        max_steps: 1_500,
    }
}

/// Splits the input into `parts` files at the separator line `----` (missing parts are empty).
#[allow(dead_code)]
pub fn split_files(text: &str, parts: usize) -> Vec<String> {
    let mut out: Vec<String> = text.split("\n----\n").map(str::to_string).collect();
    out.resize(parts, String::new());
    out
}
