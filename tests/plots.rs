//! Every chart renders as PNG and SVG: the file decodes, has the requested size, is not blank,
//! the SVG carries the axis titles as text; empty input is a clear error, a single point a picture.

mod common;

use std::collections::HashSet;
use std::path::Path;

use fibra::budget::{optimize_launch, BudgetPlan, BudgetReport, LaunchSweepRange};
use fibra::plot::{
    channels_chart, constellation_chart, dispersion_chart, evolution_map_chart, eye_chart,
    launch_sweep_chart, optical_spectrum_chart, osnr_chart, power_chart, pulse_power_chart,
    spectra_chart, spectral_evolution_map_chart, PlotError, PulseFigures, RouteSegment, HEIGHT,
    WIDTH,
};
use fibra::propagation::{propagate, FiberSection, Snapshots, SsfmPlan, StepControl};
use fibra::signal::{Complex, OpticalSpectrum, PulseShape, TimeGrid};

use common::{expect_exit, fibra};

fn budget(spans: usize) -> BudgetReport {
    let mut text = String::from(
        "[signal]\nchannels = 16\nspacing_ghz = 50\ncenter_thz = 193.1\nsymbol_rate_gbaud = 32\nlaunch_power_dbm = 0\n",
    );
    for _ in 0..spans {
        text.push_str("[[span]]\nlength_km = 80\n");
    }
    let link = fibra::io::parse_link(&text).unwrap();
    let plan = BudgetPlan::new(&link);
    let mut report = plan.run();
    let sweep = optimize_launch(
        &plan,
        LaunchSweepRange {
            min_dbm: -4.0,
            max_dbm: 4.0,
            step_db: 1.0,
        },
    );
    report.launch_sweep = Some(sweep.points);
    report.optimum_launch_power_dbm = Some(sweep.optimum_launch_power_dbm);
    report
}

fn pulse() -> PulseFigures {
    let grid = TimeGrid::from_window(2048, 400.0);
    let input = PulseShape::Gaussian {
        t0_ps: 10.0,
        chirp: 0.0,
    }
    .sample(&grid, Some(0.05));
    let fiber = [FiberSection {
        length_km: 40.0,
        alpha_db_per_km: 0.2,
        beta2_ps2_per_km: -21.7,
        beta3_ps3_per_km: 0.1,
        gamma_per_w_km: 1.3,
        amplifier_after: false,
    }];
    let mut plan = SsfmPlan::new(grid);
    let mut snapshots = Snapshots::evenly(40.0, 32);
    let out = propagate(
        &mut plan,
        &fiber,
        input.clone(),
        StepControl::Fixed { step_km: 0.5 },
        &mut |_| {},
        Some(&mut snapshots),
    );
    let (si, so) = (plan.spectrum_of(&input), plan.spectrum_of(&out.field));
    PulseFigures::from_run(&grid, &input, &si, &out.field, &so, Some(&snapshots))
}

/// A noisy QPSK constellation, NRZ-like eye traces, and the spectra of a three-tone comb without
/// and with a white noise floor.
fn signal_figures() -> (
    Vec<Complex>,
    Vec<Vec<f64>>,
    OpticalSpectrum,
    OpticalSpectrum,
) {
    let symbols: Vec<Complex> = (0..2000)
        .map(|i| {
            let q = Complex::new(
                if i % 2 == 0 { 1.0 } else { -1.0 },
                if i % 3 == 0 { 1.0 } else { -1.0 },
            );
            q * std::f64::consts::FRAC_1_SQRT_2
                + Complex::new(
                    0.05 * ((i * 37 % 11) as f64 - 5.0) / 5.0,
                    0.05 * ((i * 53 % 13) as f64 - 6.0) / 6.0,
                )
        })
        .collect();
    let eye: Vec<Vec<f64>> = (0..200)
        .map(|t| {
            let (from, to) = ((t % 2) as f64, ((t / 2) % 2) as f64);
            (0..33)
                .map(|j| {
                    from + (to - from) * (1.0 - (std::f64::consts::PI * j as f64 / 32.0).cos())
                        / 2.0
                })
                .collect()
        })
        .collect();
    let grid = TimeGrid {
        samples: 4096,
        dt_ps: 1.0,
    };
    let comb: Vec<Complex> = grid
        .times_ps()
        .iter()
        .map(|t| {
            [-50.0, 0.0, 50.0]
                .iter()
                .map(|f_ghz: &f64| {
                    Complex::from_polar(0.03, -2.0 * std::f64::consts::PI * f_ghz * 1e-3 * t)
                })
                .sum::<Complex>()
        })
        .collect();
    let launched = OpticalSpectrum::of(std::slice::from_ref(&comb), &grid, 2.5);
    let noisy: Vec<Complex> = comb
        .iter()
        .enumerate()
        .map(|(j, a)| a + Complex::new(1e-3 * ((j * 7919 % 101) as f64 - 50.0) / 50.0, 0.0))
        .collect();
    let received = OpticalSpectrum::of(&[noisy], &grid, 2.5);
    (symbols, eye, launched, received)
}

/// Decodes a PNG and checks size, coverage and colours.
fn check_png(path: &Path) {
    let image = image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgb8();
    assert_eq!(
        (image.width(), image.height()),
        (WIDTH, HEIGHT),
        "{}",
        path.display()
    );
    let pixels = image.pixels().count() as f64;
    let non_white = image.pixels().filter(|p| p.0 != [255, 255, 255]).count() as f64;
    assert!(
        non_white / pixels > 0.03,
        "{}: only {:.1} % drawn",
        path.display(),
        100.0 * non_white / pixels
    );
    let colours: HashSet<[u8; 3]> = image.pixels().map(|p| p.0).collect();
    assert!(
        colours.len() >= 6,
        "{}: {} colours",
        path.display(),
        colours.len()
    );
}

fn check_svg(path: &Path, texts: &[&str]) {
    let svg = std::fs::read_to_string(path).unwrap();
    assert!(
        svg.starts_with("<svg") || svg.contains("<svg"),
        "{}",
        path.display()
    );
    assert!(
        svg.contains(&format!("width=\"{WIDTH}\""))
            && svg.contains(&format!("height=\"{HEIGHT}\""))
    );
    for text in texts {
        assert!(
            svg.contains(text),
            "{}: missing text {text:?}",
            path.display()
        );
    }
}

type Draw<'a> = Box<dyn Fn(&Path) -> Result<(), PlotError> + 'a>;

#[test]
fn every_chart_renders_as_png_and_svg() {
    let report = budget(5);
    let second = budget(3);
    let segments = [
        RouteSegment {
            offset_km: 0.0,
            report: &report,
        },
        RouteSegment {
            offset_km: 400.0,
            report: &second,
        },
    ];
    let fig = pulse();
    let (symbols, eye, launched, received) = signal_figures();
    let charts: Vec<(&str, Draw, Vec<&str>)> = vec![
        (
            "power",
            Box::new(|p: &Path| power_chart(&segments, "test", p)),
            vec!["Distance along the route (km)", "Power (dBm)"],
        ),
        (
            "osnr",
            Box::new(|p: &Path| osnr_chart(&segments, "test", p)),
            vec!["Distance along the route (km)", "Centre channel (dB)"],
        ),
        (
            "cd",
            Box::new(|p: &Path| dispersion_chart(&segments, "test", p)),
            vec!["Accumulated chromatic dispersion (ps/nm)"],
        ),
        (
            "channels",
            Box::new(|p: &Path| channels_chart(&report, "test", p)),
            vec!["Channel frequency (THz)", "At the receiver (dB)"],
        ),
        (
            "sweep",
            Box::new(|p: &Path| launch_sweep_chart(&report, "test", p)),
            vec!["Launch power per channel (dBm)"],
        ),
        (
            "pulse",
            Box::new(|p: &Path| pulse_power_chart(&fig, "test", p, false)),
            vec!["Time T, retarded frame (ps)", "power |A|² (W)"],
        ),
        (
            "pulse-db",
            Box::new(|p: &Path| pulse_power_chart(&fig, "test", p, true)),
            vec!["Power (dBm)"],
        ),
        (
            "spectra",
            Box::new(|p: &Path| spectra_chart(&fig, "test", p)),
            vec!["Frequency offset from the carrier (GHz)"],
        ),
        (
            "evolution",
            Box::new(|p: &Path| evolution_map_chart(&fig, "test", p)),
            vec!["Time T (ps)", "Distance z (km)"],
        ),
        (
            "spectral",
            Box::new(|p: &Path| spectral_evolution_map_chart(&fig, "test", p)),
            vec!["Frequency offset (GHz)", "Distance z (km)"],
        ),
        (
            "constellation",
            Box::new(|p: &Path| constellation_chart(&symbols, "test", p)),
            vec!["In-phase (normalised)", "Quadrature (normalised)"],
        ),
        (
            "eye",
            Box::new(|p: &Path| eye_chart(&eye, "test", p)),
            vec!["Time (symbol periods from the symbol centre)"],
        ),
        (
            "optical-spectrum",
            Box::new(|p: &Path| {
                optical_spectrum_chart(
                    &[("launched", &launched), ("received", &received)],
                    193.1,
                    "test",
                    p,
                )
            }),
            vec!["Frequency offset from 193.1000 THz (GHz)", "Power (dBm per"],
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, draw, texts) in charts {
        let png = dir.path().join(format!("{name}.png"));
        draw(&png).unwrap_or_else(|e| panic!("{name}: {e}"));
        check_png(&png);
        let svg = dir.path().join(format!("{name}.svg"));
        draw(&svg).unwrap_or_else(|e| panic!("{name}: {e}"));
        check_svg(&svg, &texts);
        assert!(svg.exists());
    }
    // Only the two charts remain, no temporary files.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn empty_and_single_point_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let mut report = budget(1);
    // A single span is a single point on the OSNR chart: still a picture.
    let one = [RouteSegment {
        offset_km: 0.0,
        report: &report,
    }];
    let path = dir.path().join("one.png");
    osnr_chart(&one, "single span", &path).unwrap();
    check_png(&path);
    // No sweep: a clear error, no file.
    report.launch_sweep = None;
    let path = dir.path().join("sweep.png");
    assert!(matches!(
        launch_sweep_chart(&report, "x", &path),
        Err(PlotError::Empty(_))
    ));
    assert!(!path.exists());
    // No spans / no snapshots / no samples.
    report.spans.clear();
    let empty = [RouteSegment {
        offset_km: 0.0,
        report: &report,
    }];
    assert!(matches!(
        power_chart(&empty, "x", &dir.path().join("p.png")),
        Err(PlotError::Empty(_))
    ));
    assert!(matches!(
        power_chart(&[], "x", &dir.path().join("p.png")),
        Err(PlotError::Empty(_))
    ));
    let blank = PulseFigures::default();
    assert!(matches!(
        pulse_power_chart(&blank, "x", &dir.path().join("q.png"), false),
        Err(PlotError::Empty(_))
    ));
    assert!(matches!(
        evolution_map_chart(&blank, "x", &dir.path().join("e.png")),
        Err(PlotError::Empty(_))
    ));
    assert!(matches!(
        optical_spectrum_chart(&[], 193.1, "x", &dir.path().join("s.png")),
        Err(PlotError::Empty(_))
    ));
    assert!(matches!(
        constellation_chart(&[], "x", &dir.path().join("k.png")),
        Err(PlotError::Empty(_))
    ));
    // Unknown extension.
    let report = budget(2);
    assert!(matches!(
        channels_chart(&report, "x", &dir.path().join("c.jpg")),
        Err(PlotError::UnsupportedFormat(_))
    ));
}

#[test]
fn plot_flags_write_the_documented_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| {
        let out = fibra().args(args).output().unwrap();
        expect_exit(&out, 0);
    };
    let budget_dir = dir.path().join("budget");
    run(&[
        "budget",
        root.join("examples/links/single-span.toml")
            .to_str()
            .unwrap(),
        "--optimize-launch",
        "--plot",
        budget_dir.to_str().unwrap(),
        "--plot-format",
        "svg",
    ]);
    for name in ["power", "osnr", "cd", "channels", "launch-sweep"] {
        assert!(budget_dir.join(format!("{name}.svg")).exists(), "{name}");
    }
    let prop_dir = dir.path().join("prop");
    run(&[
        "propagate",
        "--quiet",
        root.join("examples/pulses/soliton.toml").to_str().unwrap(),
        "--plot",
        prop_dir.to_str().unwrap(),
    ]);
    for name in ["pulse-power", "spectra", "evolution", "spectral-evolution"] {
        check_png(&prop_dir.join(format!("{name}.png")));
    }
}

#[test]
fn the_network_map_draws_peru_with_every_node_named() {
    let dir = tempfile::tempdir().unwrap();
    let network = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/peru/trunk-only.toml");
    for name in ["map.png", "map.svg"] {
        let out = fibra()
            .arg("network")
            .arg(&network)
            .args([
                "--path",
                "Tumbes",
                "Tacna",
                "--cut",
                "Lima-Huancayo",
                "--quiet",
                "--map",
            ])
            .arg(dir.path().join(name))
            .output()
            .unwrap();
        expect_exit(&out, 0);
    }
    check_png(&dir.path().join("map.png"));
    check_svg(
        &dir.path().join("map.svg"),
        &[
            "Tumbes",
            "Lima",
            "Cusco",
            "Iquitos",
            "worst OSNR margin",
            "200 km",
        ],
    );
}

#[test]
fn a_map_with_an_unknown_extension_is_a_usage_error_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let network = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/peru/trunk-only.toml");
    let out = fibra()
        .arg("network")
        .arg(&network)
        .args(["--quiet", "--map"])
        .arg(dir.path().join("map.txt"))
        .output()
        .unwrap();
    let stderr = expect_exit(&out, 2);
    assert!(stderr.contains("unsupported chart format"), "{stderr}");
    assert!(!dir.path().join("map.txt").exists());
}
