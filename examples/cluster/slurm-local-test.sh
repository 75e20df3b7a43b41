#!/usr/bin/env bash
# A throwaway single-node Slurm cluster, for real: munged, slurmctld and slurmd started by hand
# (no systemd) with their own key, config, state and sockets under a temporary directory. Runs a
# sweep as a 16-task array with slurm-array.sh plus the slurm-merge.sh companion job, kills one
# task's fibra with kill -9 mid-run and requeues it, checks that the merged result equals the
# unsharded run byte for byte (rows sorted by scenario), and tears everything down by pid.
#
#   examples/cluster/slurm-local-test.sh [path/to/fibra]
#
# Needs root and Debian's slurm-wlm and munge (`apt-get install slurm-wlm munge`; .ci/run does it).
# The sweep is the bundled Lima–Huancayo sweep with a 500× finer launch-power step (112,017
# scenarios, 7,001 per shard), so that a task is still running when it is killed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
FIBRA=$(realpath "${1:-$ROOT/target/release/fibra}")
export FIBRA
for tool in munged slurmctld slurmd sbatch scontrol sinfo squeue; do
  command -v "$tool" >/dev/null || { echo "slurm-local-test: $tool not found (apt-get install slurm-wlm munge)" >&2; exit 1; }
done
[ -x "$FIBRA" ] || { echo "slurm-local-test: no fibra binary at $FIBRA (cargo build --release)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/fibra-slurm.XXXXXX)
chmod 0755 "$WORK"
PIDS=()
teardown() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  # Tasks still running under the dead slurmd.
  pkill -9 -f "$WORK/" 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    echo "--- slurm-local-test failed (exit $status); logs:" >&2
    tail -n 30 "$WORK"/log/*.log "$WORK"/out/*.log 2>/dev/null >&2 || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap teardown EXIT
# A command that fails under `set -e` says where, instead of ending the test without a word.
trap 'echo "slurm-local-test: line $LINENO failed: $BASH_COMMAND" >&2' ERR
say() { echo "slurm-local-test [$(date +%T)]: $*"; }

# --- munge: a fresh key (0400), its socket directory world-executable --------------------------
mkdir -p "$WORK/munge" "$WORK/log" "$WORK/state" "$WORK/spool" "$WORK/out"
chmod 0711 "$WORK/munge"
dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1024 count=1 status=none
chmod 0400 "$WORK/munge/munge.key"
SOCKET="$WORK/munge/munge.socket"
munged --force --key-file="$WORK/munge/munge.key" --socket="$SOCKET" \
  --pid-file="$WORK/munge/munged.pid" --seed-file="$WORK/munge/munged.seed" \
  --log-file="$WORK/log/munged.log"
for _ in $(seq 50); do [ -s "$WORK/munge/munged.pid" ] && break; sleep 0.1; done
PIDS+=("$(cat "$WORK/munge/munged.pid")")

# --- slurm: one node, this host, every CPU -----------------------------------------------------
NODE=$(hostname -s)
CPUS=$(nproc)
PORT=$((20000 + RANDOM % 20000))
cat > "$WORK/slurm.conf" <<CONF
ClusterName=fibra-test
SlurmctldHost=$NODE
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$SOCKET
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobRequeue=1
ReturnToService=2
MpiDefault=none
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool/slurmd-%n
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
MinJobAge=600
NodeName=$NODE CPUs=$CPUS State=UNKNOWN
PartitionName=test Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$WORK/slurm.conf"
slurmctld -D -i >"$WORK/log/slurmctld.out" 2>&1 &
PIDS+=("$!")
slurmd -D >"$WORK/log/slurmd.out" 2>&1 &
PIDS+=("$!")
for _ in $(seq 100); do
  state=$(sinfo -h -n "$NODE" -o %t 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.2
done
[ "$state" = idle ] || { echo "slurm-local-test: node $NODE is '$state', not idle" >&2; exit 1; }
say "Slurm up: node $NODE, $CPUS CPUs, port $PORT"

# --- the sweep: the bundled one, finer --------------------------------------------------------
SWEEP="$WORK/sweep.toml"
sed -e "s|^base = .*|base = \"$ROOT/examples/links/andes-lima-huancayo.toml\"|" \
    -e 's|step = 0.5 }|step = 0.001 }|' "$ROOT/examples/sweeps/lima-huancayo-sweep.toml" > "$SWEEP"
"$FIBRA" batch "$SWEEP" --out "$WORK/whole" --quiet > /dev/null
TOTAL=$(wc -l < "$WORK/whole/results.jsonl")
say "unsharded reference: $TOTAL scenarios"

# --- the array and its merge --------------------------------------------------------------------
cd "$WORK/out"
ARRAY=$(sbatch --parsable --array=1-16 "$HERE/slurm-array.sh" "$SWEEP" "$WORK/results")
MERGE=$(sbatch --parsable --dependency=afterany:"$ARRAY" "$HERE/slurm-merge.sh" "$WORK/results")
say "array job $ARRAY (16 tasks), merge job $MERGE"

# Kill one task's fibra mid-run (it has rows, it has not finished), then requeue that task. The
# task is stopped (SIGSTOP) before its rows are counted, so "not finished" is certain when it dies.
FEWEST=$((TOTAL / 16))
VICTIM=""
for _ in $(seq 1200); do
  for pid in $(pgrep -f "$FIBRA batch $SWEEP --out $WORK/results/shard-" || true); do
    # The task may end, or not have written its file yet, between pgrep and these reads.
    cmdline=$(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline") || continue
    shard=$(sed -n 's|.*--shard \([0-9]*\)/16.*|\1|p' <<< "$cmdline")
    [ -n "$shard" ] || continue
    kill -STOP "$pid" 2>/dev/null || continue
    rows=$(wc -l 2>/dev/null < "$WORK/results/shard-$shard/results.jsonl") || rows=0
    if [ "$rows" -gt 50 ] && [ "$rows" -lt "$FEWEST" ]; then
      kill -9 "$pid" && VICTIM=$shard && break 2
    fi
    kill -CONT "$pid" 2>/dev/null || true
  done
  sleep 0.05
done
[ -n "$VICTIM" ] || { echo "slurm-local-test: no task to kill mid-run" >&2; exit 1; }
KEPT=$(wc -l < "$WORK/results/shard-$VICTIM/results.jsonl")
say "killed task $VICTIM with kill -9 after $KEPT of its $FEWEST+ rows"
for _ in $(seq 100); do
  state=$(squeue -h -j "${ARRAY}_$VICTIM" -o %T 2>/dev/null || true)
  case "$state" in RUNNING|COMPLETING) sleep 0.1 ;; *) break ;; esac
done
scontrol requeue "${ARRAY}_$VICTIM"
# A requeued job is held back two minutes (for its epilog); there is none here: eligible now.
scontrol update jobid="${ARRAY}_$VICTIM" StartTime=now
say "requeued ${ARRAY}_$VICTIM (was ${state:-gone})"

# Wait for the merge job to leave the queue.
for _ in $(seq 1200); do
  [ -z "$(squeue -h -j "$ARRAY,$MERGE" 2>/dev/null)" ] && break
  sleep 0.25
done
[ -z "$(squeue -h -j "$ARRAY,$MERGE" 2>/dev/null)" ] || { echo "slurm-local-test: jobs still queued" >&2; squeue >&2; exit 1; }
[ -f "$WORK/results/merged/results.jsonl" ] || { echo "slurm-local-test: the merge job wrote nothing" >&2; exit 1; }

# --- exactly once, byte for byte ---------------------------------------------------------------
sort_rows() { python3 -c '
import sys, json
lines = open(sys.argv[1]).read().splitlines(keepends=True)
if sys.argv[2] == "csv":
    print(lines[0], end="")
    lines = sorted(lines[1:], key=lambda l: int(l.split(",", 1)[0]))
else:
    lines = sorted(lines, key=lambda l: json.loads(l)["scenario"])
print("".join(lines), end="")' "$1" "$2"; }
for f in jsonl csv; do
  if ! cmp -s <(sort_rows "$WORK/whole/results.$f" "$f") "$WORK/results/merged/results.$f"; then
    echo "slurm-local-test: merged results.$f differs from the unsharded run" >&2
    exit 1
  fi
done
cmp -s "$WORK/whole/manifest.json" "$WORK/results/merged/manifest.json" \
  || { echo "slurm-local-test: merged manifest differs" >&2; exit 1; }
grep -q "took over the lock" "$WORK/out/fibra-sweep-${ARRAY}_$VICTIM.log" \
  || { echo "slurm-local-test: the requeued task did not take over the dead run's lock" >&2; exit 1; }
say "merged $TOTAL scenarios from 16 shards (task $VICTIM killed and requeued): equal to the unsharded run byte for byte"
