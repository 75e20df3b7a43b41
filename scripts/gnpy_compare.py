"""Compares GNPy's per-channel numbers (scripts/gnpy_path.py output) with the stored ones and with
`fibra budget --json` of the same link. Exit 1 on any difference beyond the tolerances.

    python scripts/gnpy_compare.py NAME GNPY.json STORED.json FIBRA.json
"""
import json
import sys

# GNPy itself is deterministic: a rerun must give the stored numbers (to print rounding).
STORED_TOLERANCE_DB = 1e-6
# fibra against GNPy on its exported link, every channel (README, "Coming from GNPy").
FIBRA_TOLERANCE_DB = 0.01

PAIRS = [  # (GNPy key, fibra key)
    ("gsnr_incl_trx_db", "gsnr_db"),
    ("osnr_ase_01nm_db", "osnr_ase_db"),
    ("snr_nli_db", "snr_nli_db"),
]


def main(name, gnpy_file, stored_file, fibra_file):
    gnpy = json.load(open(gnpy_file))["channels"]
    stored = json.load(open(stored_file))["channels"]
    fibra = json.load(open(fibra_file))["channels"]
    failures = []
    if not (len(gnpy) == len(stored) == len(fibra)):
        failures.append(f"channel counts: GNPy {len(gnpy)}, stored {len(stored)}, fibra {len(fibra)}")
    worst = {key: 0.0 for key, _ in PAIRS}
    for i, (g, s, f) in enumerate(zip(gnpy, stored, fibra)):
        for key, fibra_key in PAIRS:
            if abs(g[key] - s[key]) > STORED_TOLERANCE_DB:
                failures.append(f"channel {i} {key}: GNPy now {g[key]}, stored {s[key]}")
            difference = abs(g[key] - f[fibra_key])
            worst[key] = max(worst[key], difference)
            if difference > FIBRA_TOLERANCE_DB:
                failures.append(f"channel {i} {key}: GNPy {g[key]:.4f}, fibra {f[fibra_key]:.4f}")
    summary = ", ".join(f"{key} {value:.4f} dB" for key, value in worst.items())
    print(f"gnpy-crosscheck {name}: {len(gnpy)} channels, largest |GNPy - fibra|: {summary}")
    for failure in failures[:20]:
        print(f"  {failure}", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main(*sys.argv[1:5])
