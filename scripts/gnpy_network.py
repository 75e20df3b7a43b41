"""Runs GNPy 3.0.1 on a GNPy topology the way `gnpy-transmission-example TOPOLOGY SRC DST -e EQPT
[-po P]` does (its own load, auto-design, path and propagation functions) for a list of
transceiver pairs, and prints one JSON document per case (JSON Lines) with the designed path's
elements and the receiver's values per channel at full precision.

    python scripts/gnpy_network.py TOPOLOGY EQPT [--power P] [--gain-mode] SRC:DST [SRC:DST ...]

A fresh copy of the network is loaded and designed for every pair (GNPy's propagation changes
amplifier gains in place when they saturate). A top-level "metadata" key that GNPy 3.0.1 itself
refuses (CORONET_CONUS) and a ROADM `params.loss` that its YANG validation refuses
(fused_roadm_example_network: GNPy's model has no ROADM loss key, so the value would be ignored)
are removed before loading.
"""
import argparse
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


def element_doc(e):
    d = {"uid": e.uid, "type": type(e).__name__}
    if isinstance(e, elements.Fiber):
        d.update(length_km=e.params.length / 1e3, loss_db=float(e.loss), att_in_db=float(e.params.att_in))
    elif isinstance(e, elements.Edfa):
        d.update(type_variety=e.type_variety, gain_db=float(e.effective_gain),
                 delta_p_db=None if e.delta_p is None else float(e.delta_p),
                 out_voa_db=float(e.out_voa or 0))
    elif isinstance(e, elements.Fused):
        d.update(loss_db=float(e.params.loss))
    return d


def run(topology, eqpt, power, gain_mode, source, destination):
    equipment, network = load_common_data(Path(eqpt), None, None, loadable(topology), None, None)
    if gain_mode:
        equipment["Span"]["default"].power_mode = False
    network, req, ref_req = designed_network(equipment, network, source, destination,
                                             nodes_list=[destination], loose_list=["STRICT"],
                                             args_power=power, initial_spectrum=None,
                                             no_insert_edfas=False)
    path = compute_constrained_path(network, req)
    if not path:
        return {"gnpy": "3.0.1", "topology": Path(topology).name, "equipment": Path(eqpt).name,
                "source": source, "destination": destination, "power_dbm": power,
                "gain_mode": gain_mode, "unreachable": True}
    designed = [element_doc(e) for e in path]
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
        "elements": designed,
        "channels": [
            {"gsnr_db": float(g), "osnr_ase_01nm_db": float(o01), "snr_nli_db": float(n),
             "gsnr_incl_trx_db": float(gt), "gsnr_01nm_incl_trx_db": float(gt01),
             "osnr_ase_01nm_incl_trx_db": float(ot)}
            for g, o01, n, gt, gt01, ot in zip(rx.raw_snr, rx.raw_osnr_ase_01nm, rx.raw_osnr_nli, rx.snr,
                                               rx.snr_01nm, rx.osnr_ase_01nm)
        ],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("topology")
    parser.add_argument("eqpt")
    parser.add_argument("--power", type=float, default=None)
    parser.add_argument("--gain-mode", action="store_true")
    parser.add_argument("pairs", nargs="+")
    args = parser.parse_args()
    for pair in args.pairs:
        source, destination = pair.split(":", 1)
        doc = run(args.topology, args.eqpt, args.power, args.gain_mode, source, destination)
        print(json.dumps(doc))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
