#!/bin/bash
# Paced latency of the default job, dense data, the aggregator's idle strategies alternated: per producer RATES
# (e.g. "500000 800000"), ROUNDS rounds, IDLEs "yielding backoff"; the lines generated once (JSON_DIR). Usage:
#   docs/bench/pipeline-2026-12-03/paced.sh JSON_DIR ROUNDS LINES "RATES" "IDLES"
cd "$(dirname "$0")/../../.."
dir=$1; rounds=${2:-2}; lines=${3:-4000000}; rates=${4:-500000 800000}; idles=${5:-yielding backoff}
uptime
for round in $(seq 1 "$rounds"); do
  for rate in $rates; do
    for idle in $idles; do
      echo "== round $round RATE=$rate IDLE=$idle DATA=dense LINES=$lines"
      JSON_DIR=$dir DATA=dense RATE=$rate IDLE=$idle LINES=$lines bin/bench-pipeline 2>&1 \
        | grep -E "^machine|aggregator:|pipeline wall|producer [12]:|exited with [^0]"
    done
  done
done
uptime
