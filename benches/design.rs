//! Amplifier placement on a 13,000 km route with a candidate site every 1 km (13,001 sites),
//! then the budget of the designed chain (96 channels): `fibra design`'s whole core.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use fibra::design::{design_route, place_amplifiers};

const ROUTE: &str = "[signal]\nchannels = 96\nspacing_ghz = 50\ncenter_thz = 193.725\nsymbol_rate_gbaud = 32\nlaunch_power_dbm = 0\n\
    [defaults]\nconnector_in_db = 0.5\nconnector_out_db = 0.5\nsplice_loss_db = 0.1\naging_margin_db = 3\nattenuation_db_per_km = 0.22\n\
    [constraints]\nmax_span_loss_db = 28\nmax_span_km = 120\nsite_spacing_km = 1\n\
    [[site]]\nname = \"start\"\nkm = 0\nkind = \"terminal\"\n[[site]]\nname = \"end\"\nkm = 13000\nkind = \"terminal\"\n\
    [[section]]\nfrom_km = 4000\nto_km = 4600\nfiber = \"NZDSF\"\n";

fn design(c: &mut Criterion) {
    let route = fibra::io::parse_route(ROUTE).expect("valid route");
    assert_eq!(route.sites.len(), 13_001);
    let mut group = c.benchmark_group("design_13000km_1km_sites");
    group.sample_size(10);
    group.bench_function("placement", |b| {
        b.iter(|| place_amplifiers(black_box(&route), 0, 13_000).unwrap())
    });
    group.bench_function("placement+budget", |b| {
        b.iter(|| design_route(black_box(&route)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, design);
criterion_main!(benches);
