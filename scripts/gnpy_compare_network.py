"""Compares GNPy's numbers for the network cases (scripts/gnpy_network.py output) with the stored
ones and with `fibra gnpy path --json` on the same case. Exit 1 on any difference beyond the
tolerances.

    python scripts/gnpy_compare_network.py NAME GNPY.jsonl STORED.jsonl FIBRA EXAMPLES_DIR
"""
import json
import subprocess
import sys

STORED_TOLERANCE_DB = 1e-6  # GNPy is deterministic
FIBRA_TOLERANCE_DB = 0.01
KEYS = [("gsnr_db", "gsnr_db"), ("osnr_ase_01nm_db", "osnr_ase_01nm_db"),
        ("gsnr_01nm_incl_trx_db", "gsnr_01nm_incl_trx_db")]


def main(name, gnpy_file, stored_file, fibra, examples):
    gnpy = [json.loads(line) for line in open(gnpy_file)]
    stored = [json.loads(line) for line in open(stored_file)]
    failures = []
    if len(gnpy) != len(stored):
        failures.append(f"{len(gnpy)} cases from GNPy, {len(stored)} stored")
    worst = 0.0
    for g, s in zip(gnpy, stored):
        label = f"{g['source']} -> {g['destination']}"
        if g.get("unreachable") or s.get("unreachable"):
            if g.get("unreachable") != s.get("unreachable"):
                failures.append(f"{label}: reachability changed")
            continue
        for key, _ in KEYS:
            for i, (gv, sv) in enumerate(zip(g["channels"][key], s["channels"][key])):
                if abs(gv - sv) > STORED_TOLERANCE_DB:
                    failures.append(f"{label} {key} channel {i}: GNPy now {gv}, stored {sv}")
        args = [fibra, "gnpy", "path", f"{examples}/{g['topology']}", "--equipment",
                f"{examples}/{g['equipment']}", "--from", g["source"], "--to", g["destination"], "--json"]
        if g["power_dbm"] is not None:
            args += ["--power-dbm", str(g["power_dbm"])]
        if g["gain_mode"]:
            args.append("--gain-mode")
        run = subprocess.run(args, capture_output=True, text=True)
        if run.returncode != 0:
            failures.append(f"{label}: fibra failed: {run.stderr.strip()}")
            continue
        mine = json.loads(run.stdout)
        if [e["uid"] for e in mine["elements"]] != [e["uid"] for e in g["elements"]]:
            failures.append(f"{label}: the designed path differs")
        if len(mine["channels"]) != len(g["channels"]["gsnr_db"]):
            failures.append(f"{label}: {len(mine['channels'])} channels, GNPy {len(g['channels']['gsnr_db'])}")
        for key, fibra_key in KEYS:
            for mc, gv in zip(mine["channels"], g["channels"][key]):
                d = abs(mc[fibra_key] - gv)
                worst = max(worst, d)
                if d > FIBRA_TOLERANCE_DB:
                    failures.append(f"{label} {key} at {mc['frequency_thz']} THz: GNPy {gv:.4f}, fibra {mc[fibra_key]:.4f}")
    print(f"gnpy-crosscheck {name}: {len(gnpy)} paths, largest |GNPy - fibra| {worst:.2e} dB")
    for failure in failures[:20]:
        print(f"  {failure}", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main(*sys.argv[1:6])
