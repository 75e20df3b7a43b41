#!/usr/bin/env bash
# Run a fibra sweep as a Slurm job array: one shard per array task, then merge.
#
#   sbatch --array=1-16 examples/cluster/slurm-array.sh examples/sweeps/lima-huancayo-sweep.toml results
#   # when all tasks are done:
#   fibra batch merge results/shard-* --out results/merged
#
#SBATCH --job-name=fibra-sweep
#SBATCH --cpus-per-task=4
#SBATCH --time=01:00:00
#SBATCH --output=fibra-sweep-%A_%a.log
set -euo pipefail
SWEEP=${1:?usage: slurm-array.sh SWEEP.toml OUTDIR}
OUT=${2:?usage: slurm-array.sh SWEEP.toml OUTDIR}
SHARDS=${SLURM_ARRAY_TASK_COUNT:?run with sbatch --array=1-N}
SHARD=${SLURM_ARRAY_TASK_ID:?run with sbatch --array=1-N}
# --resume makes a re-queued (preempted) task continue where it stopped.
exec fibra batch "$SWEEP" --out "$OUT/shard-$SHARD" --shard "$SHARD/$SHARDS" \
  --jobs "${SLURM_CPUS_PER_TASK:-1}" --resume --quiet
