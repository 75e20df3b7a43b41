mod egn_cases;
use egn_cases::{run, Case};
fn main() {
    for spans in [5, 20] {
        for above_optimum_db in [0.0, 3.0] {
            let o = run(
                Case {
                    modulation: "dp-64qam",
                    channels: 5,
                    spans,
                    above_optimum_db,
                },
                16384,
            );
            println!(
                "| dp-64qam | 5 | {spans} | {:.1} | {:.2} | {:.2} | {:.2} | {:+.2} | {:+.2} |",
                o.launch_dbm,
                o.measured_db,
                o.gn_db,
                o.egn_db,
                o.measured_db - o.gn_db,
                o.measured_db - o.egn_db
            );
        }
    }
}
