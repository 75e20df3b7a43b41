#!/usr/bin/env bash
# fibra against the real GNPy 3.0.1: every bundled link (examples/links/*.toml) is exported with
# `fibra gnpy export`, run through GNPy's own design and propagation (scripts/gnpy_path.py), and
# compared channel by channel with the numbers stored in reference/gnpy/export/ (GNPy must
# reproduce them) and with `fibra budget --json` (within 0.01 dB). Then GNPy's own example
# networks (examples/gnpy/, cases in scripts/gnpy_network_cases.py) are designed and propagated by
# GNPy (scripts/gnpy_network.py) and compared with reference/gnpy/networks/ and with
# `fibra gnpy path --json` (within 0.01 dB). `--regenerate` rewrites the stored numbers instead
# of comparing with them.
#
#   scripts/gnpy-crosscheck.sh [--regenerate] [path/to/fibra]
#
# Creates its own virtual environment (GNPY_VENV, default .venv-gnpy) with gnpy==3.0.1 from PyPI;
# an install failure is a failure of the check.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REGENERATE=0
if [ "${1:-}" = "--regenerate" ]; then REGENERATE=1; shift; fi
FIBRA=$(realpath "${1:-$ROOT/target/release/fibra}")
VENV=${GNPY_VENV:-$ROOT/.venv-gnpy}
[ -x "$FIBRA" ] || { echo "gnpy-crosscheck: no fibra binary at $FIBRA (cargo build --release)" >&2; exit 1; }
if ! "$VENV/bin/python" -c 'import gnpy, importlib.metadata as m; assert m.version("gnpy") == "3.0.1"' 2>/dev/null; then
  echo "gnpy-crosscheck: installing gnpy 3.0.1 into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check gnpy==3.0.1
fi
STORE="$ROOT/reference/gnpy/export"
mkdir -p "$STORE"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
status=0
for link in "$ROOT"/examples/links/*.toml; do
  name=$(basename "$link" .toml)
  "$FIBRA" gnpy export "$link" --out "$WORK/$name" > /dev/null
  "$VENV/bin/python" "$ROOT/scripts/gnpy_path.py" "$WORK/$name/topology.json" \
    "$WORK/$name/eqpt_config.json" trx_source trx_destination > "$WORK/$name.gnpy.json" 2> "$WORK/$name.log" \
    || { echo "gnpy-crosscheck $name: GNPy failed:" >&2; tail -5 "$WORK/$name.log" >&2; status=1; continue; }
  if [ "$REGENERATE" = 1 ]; then
    cp "$WORK/$name.gnpy.json" "$STORE/$name.json"
    echo "gnpy-crosscheck $name: stored $STORE/$name.json"
    continue
  fi
  "$FIBRA" budget "$link" --json > "$WORK/$name.fibra.json"
  "$VENV/bin/python" "$ROOT/scripts/gnpy_compare.py" "$name" "$WORK/$name.gnpy.json" \
    "$STORE/$name.json" "$WORK/$name.fibra.json" || status=1
done
NETWORKS="$ROOT/reference/gnpy/networks"
while IFS='|' read -r name topology eqpt options rest; do
  IFS='|' read -r -a pairs <<< "$rest"
  # shellcheck disable=SC2086 # the options are words
  "$VENV/bin/python" "$ROOT/scripts/gnpy_network.py" "$ROOT/examples/gnpy/$topology" \
    "$ROOT/examples/gnpy/$eqpt" $options "${pairs[@]}" > "$WORK/$name.jsonl" 2> "$WORK/$name.log" \
    || { echo "gnpy-crosscheck $name: GNPy failed:" >&2; tail -5 "$WORK/$name.log" >&2; status=1; continue; }
  if [ "$REGENERATE" = 1 ]; then
    cp "$WORK/$name.jsonl" "$NETWORKS/$name.jsonl"
    echo "gnpy-crosscheck $name: stored $NETWORKS/$name.jsonl"
    continue
  fi
  "$VENV/bin/python" "$ROOT/scripts/gnpy_compare_network.py" "$name" "$WORK/$name.jsonl" \
    "$NETWORKS/$name.jsonl" "$FIBRA" "$ROOT/examples/gnpy" || status=1
done < <(python3 "$ROOT/scripts/gnpy_network_cases.py" "$ROOT/examples/gnpy")
exit $status
