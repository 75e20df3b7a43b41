"""Runs GNPy 3.0.1 on a GNPy topology the way `gnpy-transmission-example TOPOLOGY SRC DST -e EQPT
[-po P]` does (its own load, auto-design, path and propagation functions) for a list of
transceiver pairs, and prints one JSON document per case (JSON Lines) with the designed path's
elements and the receiver's values per channel at full precision.

    python scripts/gnpy_network.py TOPOLOGY EQPT [--power P] [--gain-mode] SRC:DST [SRC:DST ...]

The network is loaded and designed once per case (GNPy designs the whole network whatever the
pair); every pair then propagates on a deep copy of the designed network, because GNPy's
propagation changes amplifier gains in place when they saturate. (Checked: the same numbers, to
the last bit, as a fresh load and design per pair.) A top-level "metadata" key that GNPy 3.0.1 itself
refuses (CORONET_CONUS) and a ROADM `params.loss` that its YANG validation refuses
(fused_roadm_example_network: GNPy's model has no ROADM loss key, so the value would be ignored)
are removed before loading.
"""
import argparse
import copy
import json
import sys
import tempfile
from pathlib import Path

from gnpy.core import elements
from gnpy.tools.cli_examples import load_common_data
from gnpy.tools.worker_utils import designed_network
from gnpy.topology.request import compute_constrained_path, propagate


def loadable(topology):
    doc = json.loads(Path(topology).read_text())
    changed = doc.pop("metadata", None) is not None
    for e in doc["elements"]:
        if e["type"] == "Roadm" and "loss" in e.get("params", {}):
            del e["params"]["loss"]
            changed = True
    if not changed:
        return Path(topology)
    tmp = Path(tempfile.mkdtemp()) / Path(topology).name
    tmp.write_text(json.dumps(doc))
    return tmp


def digits(values):
    """Floats to 12 significant digits (far below the 0.01 dB the checks need)."""
    return [float(f"{float(v):.12g}") for v in values]


def element_doc(e):
    d = {"uid": e.uid, "type": type(e).__name__}
    if isinstance(e, elements.Fiber):
        d.update(length_km=digits([e.params.length / 1e3])[0], loss_db=digits([e.loss])[0],
                 att_in_db=digits([e.params.att_in])[0])
    elif isinstance(e, elements.Edfa):
        d.update(type_variety=e.type_variety, gain_db=digits([e.effective_gain])[0],
                 delta_p_db=None if e.delta_p is None else digits([e.delta_p])[0],
                 out_voa_db=float(e.out_voa or 0))
    elif isinstance(e, elements.Fused):
        d.update(loss_db=float(e.params.loss))
    return d


def designed(topology, eqpt, power, gain_mode, source, destination):
    equipment, network = load_common_data(Path(eqpt), None, None, loadable(topology), None, None)
    if gain_mode:
        equipment["Span"]["default"].power_mode = False
    network, req, _ = designed_network(equipment, network, source, destination,
                                       nodes_list=[destination], loose_list=["STRICT"],
                                       args_power=power, initial_spectrum=None,
                                       no_insert_edfas=False)
    return equipment, network, req


def run(topology, eqpt, power, gain_mode, source, destination, design=None):
    if design is None:
        design = designed(topology, eqpt, power, gain_mode, source, destination)
    equipment, designed_net, template = design
    network = copy.deepcopy(designed_net)
    req = copy.deepcopy(template)
    req.source, req.destination = source, destination
    req.nodes_list, req.loose_list = [destination], ["STRICT"]
    path = compute_constrained_path(network, req)
    if not path:
        return {"gnpy": "3.0.1", "topology": Path(topology).name, "equipment": Path(eqpt).name,
                "source": source, "destination": destination, "power_dbm": power,
                "gain_mode": gain_mode, "unreachable": True}
    designed_elements = [element_doc(e) for e in path]
    propagate(path, req, equipment)
    rx = path[-1]
    return {
        "gnpy": "3.0.1",
        "topology": Path(topology).name,
        "equipment": Path(eqpt).name,
        "source": source,
        "destination": destination,
        "power_dbm": power,
        "gain_mode": gain_mode,
        "elements": designed_elements,
        # Per channel in frequency order, one list per value (12 significant digits).
        "channels": {
            "gsnr_db": digits(rx.raw_snr),
            "osnr_ase_01nm_db": digits(rx.raw_osnr_ase_01nm),
            "snr_nli_db": digits(rx.raw_osnr_nli),
            "gsnr_incl_trx_db": digits(rx.snr),
            "gsnr_01nm_incl_trx_db": digits(rx.snr_01nm),
        },
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("topology")
    parser.add_argument("eqpt")
    parser.add_argument("--power", type=float, default=None)
    parser.add_argument("--gain-mode", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="load and design again for every pair")
    parser.add_argument("pairs", nargs="+")
    args = parser.parse_args()
    design = None
    for pair in args.pairs:
        source, destination = pair.split(":", 1)
        if design is None or args.fresh:
            design = designed(args.topology, args.eqpt, args.power, args.gain_mode, source, destination)
        doc = run(args.topology, args.eqpt, args.power, args.gain_mode, source, destination, design)
        print(json.dumps(doc))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
