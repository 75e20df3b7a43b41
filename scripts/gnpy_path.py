"""Runs GNPy 3.0.1 as `gnpy-transmission-example TOPOLOGY SRC DST -e EQPT` does (its own design and
propagation functions) and prints one JSON document with the destination transceiver's values per
channel at full precision: frequency, line-only GSNR / OSNR / SNR_NLI (GNPy's raw_* values, signal
bandwidth; OSNR also in 0.1 nm) and the GSNR with the transceiver terms GNPy prints.

    python scripts/gnpy_path.py TOPOLOGY.json EQPT.json SOURCE DESTINATION
"""
import json
import sys
from pathlib import Path

from gnpy.core import elements
from gnpy.tools.cli_examples import load_common_data
from gnpy.tools.worker_utils import designed_network, transmission_simulation


def main(topology, equipment_file, source_uid, destination_uid):
    equipment, network = load_common_data(Path(equipment_file), None, None, Path(topology), None, None)
    transceivers = {n.uid: n for n in network.nodes() if isinstance(n, elements.Transceiver)}
    source, destination = transceivers[source_uid], transceivers[destination_uid]
    network, req, ref_req = designed_network(equipment, network, source.uid, destination.uid,
                                             nodes_list=[destination.uid], loose_list=['STRICT'],
                                             args_power=0, initial_spectrum=None, no_insert_edfas=False)
    path, _, _, _ = transmission_simulation(equipment, network, req, ref_req)
    rx = path[-1]
    doc = {
        "gnpy": "3.0.1",
        "source": source.uid,
        "destination": destination.uid,
        "channels": [
            {
                "gsnr_db": float(g),
                "osnr_ase_db": float(o),
                "osnr_ase_01nm_db": float(o01),
                "snr_nli_db": float(n),
                "gsnr_incl_trx_db": float(gt),
            }
            for g, o, o01, n, gt in zip(rx.raw_snr, rx.raw_osnr_ase, rx.raw_osnr_ase_01nm, rx.raw_osnr_nli, rx.snr)
        ],
    }
    json.dump(doc, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main(*sys.argv[1:5])
