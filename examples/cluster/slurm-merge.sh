#!/usr/bin/env bash
# The companion of slurm-array.sh: merge every shard of OUTDIR into OUTDIR/merged.
#
#   sbatch --dependency=afterany:ARRAY_JOBID examples/cluster/slurm-merge.sh OUTDIR
#
# afterany, not afterok: the merge runs even when a task failed (afterok would never run again,
# even after a successful requeue), and it refuses missing or duplicated scenarios itself, naming
# them; after requeueing the failed tasks, submit it again (or run the fibra line by hand).
#
#SBATCH --job-name=fibra-merge
#SBATCH --time=00:30:00
#SBATCH --output=fibra-merge-%j.log
set -euo pipefail
OUT=${1:?usage: slurm-merge.sh OUTDIR}
exec "${FIBRA:-fibra}" batch merge "$OUT"/shard-* --out "$OUT/merged"
