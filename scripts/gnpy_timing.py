"""Times GNPy 3.0.1 on one path, in process (Python start-up and imports excluded): loading the
files, then auto-design + path + propagation (what `gnpy-transmission-example` does after
loading). Prints one JSON line.

    python scripts/gnpy_timing.py TOPOLOGY EQPT SOURCE DESTINATION
"""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from gnpy_network import loadable  # noqa: E402

from gnpy.tools.cli_examples import load_common_data  # noqa: E402
from gnpy.tools.worker_utils import designed_network  # noqa: E402
from gnpy.topology.request import compute_constrained_path, propagate  # noqa: E402


def main(topology, eqpt, source, destination):
    t0 = time.perf_counter()
    equipment, network = load_common_data(Path(eqpt), None, None, loadable(topology), None, None)
    t1 = time.perf_counter()
    network, req, _ = designed_network(equipment, network, source, destination,
                                       nodes_list=[destination], loose_list=["STRICT"],
                                       args_power=None, initial_spectrum=None, no_insert_edfas=False)
    path = compute_constrained_path(network, req)
    propagate(path, req, equipment)
    t2 = time.perf_counter()
    print(json.dumps({"topology": Path(topology).name, "source": source, "destination": destination,
                      "elements": len(path), "load_s": t1 - t0, "design_and_propagate_s": t2 - t1}))


if __name__ == "__main__":
    main(*sys.argv[1:5])
