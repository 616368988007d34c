#!/bin/bash
# Herz beside Flink local on the quiet machine: every DATA x WINDOW, ROUNDS rounds, the order of the shapes the same
# each round; the lines generated once per shape (JSON_DIR) and reused. Usage:
#   docs/bench/pipeline-2026-12-02/flink.sh JSON_DIR ROUNDS LINES "dense sparse" "tumbling:1s sliding:10s,1s"
cd "$(dirname "$0")/../../.."
dir=$1; rounds=${2:-2}; lines=${3:-2000000}; datas=${4:-dense sparse}; windows=${5:-tumbling:1s sliding:10s,1s}
uptime
for round in $(seq 1 "$rounds"); do
  for data in $datas; do
    for window in $windows; do
      echo "== round $round DATA=$data WINDOW=$window LINES=$lines"
      FLINK=1 JSON_DIR=$dir DATA=$data WINDOW=$window LINES=$lines bin/bench-pipeline 2>&1 \
        | grep -E "^machine|aggregator:|aggregator |pipeline wall|producer [12]:|cpu:|exited|memory of|sink: |flink|Flink|windows identical|DIFFERENT|--- run"
    done
  done
done
uptime
