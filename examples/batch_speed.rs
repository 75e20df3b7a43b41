//! Batch throughput: 20,000 budget scenarios of a 10-span, 96-channel link (launch power × noise
//! figure × one span's length, 50 × 20 × 20), run through the batch engine with result files, at
//! 1 and 2 worker threads: `cargo run --release --example batch_speed`.

use std::time::Instant;

use fibra::batch::{read_sweep, ResultStore, Resume, Selection};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("fibra-batch-speed-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let spans: String = (0..10).map(|_| "[[span]]\nlength_km = 80\n").collect();
    std::fs::write(
        dir.join("link.toml"),
        format!("[signal]\nchannels = 96\nspacing_ghz = 50\ncenter_thz = 193.725\nsymbol_rate_gbaud = 32\nlaunch_power_dbm = 0\n[transceiver]\nrequired_osnr_db = 12\n{spans}"),
    )?;
    std::fs::write(
        dir.join("sweep.toml"),
        "base = \"link.toml\"\n[vary]\n\"signal.launch_power_dbm\" = { from = -5.0, to = 4.8, step = 0.2 }\n\
         \"defaults.amplifier_nf_db\" = { from = 4.0, to = 5.9, step = 0.1 }\n\
         \"span[3].length_km\" = { from = 60.0, to = 98.0, step = 2.0 }\n",
    )?;
    let sweep = read_sweep(&dir.join("sweep.toml"))?;
    println!(
        "{} scenarios (launch power × NF × span length), 10 spans × 96 channels each",
        sweep.len()
    );
    let mut rates = Vec::new();
    for jobs in [1usize, 2] {
        let out = dir.join(format!("out-{jobs}"));
        let (store, opened) = ResultStore::open(&out, &sweep, None, Resume::default())?;
        let selection = Selection {
            shard: None,
            done: &opened.done,
        };
        let start = Instant::now();
        fibra::batch::run(
            &sweep,
            selection,
            Some(jobs),
            (store, &out),
            &Default::default(),
            &|| {},
        )?;
        let rate = sweep.len() as f64 / start.elapsed().as_secs_f64();
        println!("--jobs {jobs}: {rate:.0} scenarios/s");
        rates.push(rate);
    }
    println!("scaling 1 -> 2 jobs: {:.2}x", rates[1] / rates[0]);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
