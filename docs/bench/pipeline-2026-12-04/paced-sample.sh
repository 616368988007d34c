#!/bin/bash
# Paced latency of the dense job with the aggregator timing every event (LATENCY_SAMPLE=1) and one in 16 (the
# default), alternated: per producer RATES, ROUNDS rounds, aggregator idle yielding. Usage:
#   docs/bench/pipeline-2026-12-04/paced-sample.sh JSON_DIR ROUNDS LINES "RATES" > LOG
cd "$(dirname "$0")/../../.."
dir=$1; rounds=${2:-2}; lines=${3:-4000000}; rates=${4:-800000 1500000}
uptime
for round in $(seq 1 "$rounds"); do
  for rate in $rates; do
    for n in 1 16; do
      [ $(( round % 2 )) = 0 ] && n=$(( 17 - n )) # the order of the two flips each round
      echo "== round $round RATE=$rate LATENCY_SAMPLE=$n IDLE=yielding DATA=dense LINES=$lines"
      JSON_DIR=$dir DATA=dense RATE=$rate IDLE=yielding LATENCY_SAMPLE=$n LINES=$lines nice -n -10 bin/bench-pipeline 2>&1 \
        | grep -E "^machine|aggregator:|pipeline wall|producer [12]:|exited with [^0]"
    done
  done
done
uptime
