#!/usr/bin/env bash
# Run a fibra sweep as a Slurm job array: one shard per array task (this script), then
# slurm-merge.sh as a companion job once every task has finished.
#
#   jid=$(sbatch --parsable --array=1-16 examples/cluster/slurm-array.sh SWEEP.toml OUTDIR)
#   sbatch --dependency=afterany:$jid examples/cluster/slurm-merge.sh OUTDIR
#
# Shards: without a count, the shard is the task's place in the array and the count is the
# array's size (SLURM_ARRAY_TASK_MIN..MAX, step 1): --array=1-16 and --array=0-15 both give
# shards 1/16 … 16/16. To run or re-run some shards only, give the count: task ids are then the
# shard numbers (1..N), e.g. `sbatch --array=2,7 slurm-array.sh SWEEP.toml OUTDIR 16`.
#
# A failed or preempted task: `scontrol requeue JOBID_TASK` (or the sbatch line above with
# `--array=TASK … 16`). The task continues with --resume: every scenario with a row stays, a torn
# last row is cut, a lock left by the killed process is taken over. The merge (afterany: it runs
# even if a task failed) refuses missing or duplicated scenarios and can be run again at any time.
#
# CPUs: one per task unless you ask for more with --cpus-per-task; fibra uses what Slurm gives.
# FIBRA=/path/to/fibra picks the binary (default: fibra on PATH).
#
#SBATCH --job-name=fibra-sweep
#SBATCH --time=01:00:00
#SBATCH --requeue
#SBATCH --output=fibra-sweep-%A_%a.log
set -euo pipefail
SWEEP=${1:?usage: slurm-array.sh SWEEP.toml OUTDIR [SHARD_COUNT]}
OUT=${2:?usage: slurm-array.sh SWEEP.toml OUTDIR [SHARD_COUNT]}
TASK=${SLURM_ARRAY_TASK_ID:?run as an array job: sbatch --array=1-N}
if [ -n "${3:-}" ]; then
  SHARDS=$3
  SHARD=$TASK
else
  if [ "${SLURM_ARRAY_TASK_STEP:-1}" != 1 ]; then
    echo "slurm-array.sh: an array with a step needs the shard count as third argument" >&2
    exit 2
  fi
  SHARDS=$((SLURM_ARRAY_TASK_MAX - SLURM_ARRAY_TASK_MIN + 1))
  SHARD=$((TASK - SLURM_ARRAY_TASK_MIN + 1))
fi
if [ "$SHARD" -lt 1 ] || [ "$SHARD" -gt "$SHARDS" ]; then
  echo "slurm-array.sh: task $TASK is not a shard of 1..$SHARDS (with a count, task ids are shard numbers)" >&2
  exit 2
fi
mkdir -p "$OUT"
exec "${FIBRA:-fibra}" batch "$SWEEP" --out "$OUT/shard-$SHARD" --shard "$SHARD/$SHARDS" \
  --jobs "${SLURM_CPUS_PER_TASK:-1}" --resume --quiet
