#!/bin/bash
# The aggregator timing every event (LATENCY_SAMPLE=1, as before 2026-12-04) against one in 16 (the new default),
# interleaved, the order rotated each round; the lines generated once into JSON_DIR and reused. Usage:
#   docs/bench/pipeline-2026-12-04/sample-ab.sh JSON_DIR ROUNDS DATA LINES > LOG
cd "$(dirname "$0")/../../.."
dir=$1; rounds=${2:-4}; data=${3:-dense}; lines=${4:-5000000}
variants=(every 1in16)
for ((r = 0; r < rounds; r++)); do
  for k in 0 1; do
    v=${variants[$(( (k + r) % 2 ))]}
    [ "$v" = every ] && n=1 || n=16
    echo "== round $r variant $v $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
    JSON_DIR=$dir DATA=$data LINES=$lines RUNS=1 LATENCY_SAMPLE=$n nice -n -10 bin/bench-pipeline 2>&1
  done
done
