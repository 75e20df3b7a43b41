"""The GNPy example networks fibra is checked on, and the transceiver pairs of each: every ordered
pair of the small networks (up to 15 transceivers), a fixed spread of pairs of the CORONET ones
(the (11·i)-th transceiver of the sorted list with the (7·i + 3 + n/2)-th, so that short and long
paths are both there). Prints one
line per case, fields separated by "|": NAME, TOPOLOGY, EQPT, OPTIONS, then the pairs as
SOURCE:DESTINATION, for scripts/gnpy-crosscheck.sh.

    python scripts/gnpy_network_cases.py DIR
"""
import json
import sys
from pathlib import Path

NETWORKS = [
    # name, topology, equipment, other reference power (-po), pairs at the reference power and
    # pairs at the other power and in gain mode (None: every ordered pair)
    ("edfa", "edfa_example_network.json", "eqpt_config.json", 3.0, None, None),
    ("fused-roadm", "fused_roadm_example_network.json", "eqpt_config.json", 3.0, None, None),
    ("mesh", "meshTopologyExampleV2.json", "eqpt_config.json", 3.0, None, None),
    ("conus", "CORONET_CONUS_Topology.json", "eqpt_config.json", 3.0, 40, 12),
    ("global", "CORONET_Global_Topology.json", "eqpt_config.json", 3.0, 16, 6),
    ("sweden-v4", "Sweden_OpenROADMv4_example_network.json", "eqpt_config_openroadm_ver4.json", 1.0, None, 30),
    ("sweden-v5", "Sweden_OpenROADMv5_example_network.json", "eqpt_config_openroadm_ver5.json", 1.0, None, 30),
]


def pairs(topology, sample):
    doc = json.loads(topology.read_text())
    trx = sorted(e["uid"] for e in doc["elements"] if e["type"] == "Transceiver")
    if sample is None:
        return [(a, b) for a in trx for b in trx if a != b]
    out = []
    for i in range(sample):
        a = trx[(i * 11) % len(trx)]
        b = trx[(i * 7 + 3 + len(trx) // 2) % len(trx)]
        if a != b and (a, b) not in out:
            out.append((a, b))
    return out


def main(directory):
    d = Path(directory)
    for name, topology, eqpt, po, sample, other_sample in NETWORKS:
        for case, options, size in (("default", [], sample), ("po", ["--power", str(po)], other_sample),
                                    ("gain", ["--gain-mode"], other_sample)):
            p = pairs(d / topology, size)
            print("|".join([f"{name}-{case}", topology, eqpt, " ".join(options)] + [f"{a}:{b}" for a, b in p]))


if __name__ == "__main__":
    main(sys.argv[1])
