#!/bin/bash
# Sustained sparse runs: 2 x 10M JSON lines (20M events), JDK 17 (the default) and JDK 25 with the AOT caches,
# interleaved, the order alternating each round; the lines are generated once (JSON_DIR) and reused.
# Usage: docs/bench/pipeline-2026-12-01f/sustained.sh JSON_DIR ROUNDS [DATA]
cd "$(dirname "$0")/../../.."
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
dir=$1; rounds=${2:-3}; data=${3:-sparse}
uptime
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then order="j17 j25aot"; else order="j25aot j17"; fi
  for v in $order; do
    echo "== round $round DATA=$data LINES=10000000 java=$v"
    if [ "$v" = j25aot ]; then
      STAGE_JAVA=$J25 JSON_DIR=$dir DATA=$data LINES=10000000 bin/bench-pipeline 2>&1
    else
      JSON_DIR=$dir DATA=$data LINES=10000000 bin/bench-pipeline 2>&1
    fi | grep -E "^machine|aggregator:|pipeline wall|producer [12]:|cpu:|exited|memory of|sink: "
  done
done
uptime
