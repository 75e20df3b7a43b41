//! SWEEP.toml with its base LINK/ROUTE/SYSTEM file (two files separated by a `----` line, the
//! base named `base.toml`): read, then run the first scenarios.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let files = common::split_files(text, 2);
    let dir = std::env::temp_dir().join(format!("fibra-fuzz-sweep-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err()
        || std::fs::write(dir.join("sweep.toml"), &files[0]).is_err()
        || std::fs::write(dir.join("base.toml"), &files[1]).is_err()
    {
        return;
    }
    let result = fibra::batch::read_sweep(&dir.join("sweep.toml"));
    let _ = std::fs::remove_dir_all(&dir);
    let Ok(sweep) = result else { return };
    let budget = common::small_budget();
    for scenario in sweep.scenarios(None).take(2) {
        let _ = fibra::batch::run_scenario(&sweep, &scenario, &budget);
    }
});
