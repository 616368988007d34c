#!/bin/bash
# Flink local with its default JIT and with C1 only (FLINK_JAVA_OPTS=-XX:TieredStopAtLevel=1), alternated, so the
# short-job JIT setting that helps Herz's stages is tried on the peer too. Herz runs its default in every run.
#   docs/bench/pipeline-2026-12-02/flink-jit.sh JSON_DIR ROUNDS LINES "sparse dense" "tumbling:1s sliding:10s,1s"
cd "$(dirname "$0")/../../.."
dir=$1; rounds=${2:-2}; lines=${3:-2000000}; datas=${4:-sparse}; windows=${5:-tumbling:1s}
uptime
for round in $(seq 1 "$rounds"); do
  for data in $datas; do
    for window in $windows; do
      for jit in default c1; do
        opts=""; [ "$jit" = c1 ] && opts=-XX:TieredStopAtLevel=1
        echo "== round $round DATA=$data WINDOW=$window LINES=$lines flink-jit=$jit"
        FLINK=1 FLINK_JAVA_OPTS="$opts" JSON_DIR=$dir DATA=$data WINDOW=$window LINES=$lines bin/bench-pipeline 2>&1 \
          | grep -E "^machine|aggregator:|pipeline wall|flink 1|windows identical|DIFFERENT|--- run"
      done
    done
  done
done
uptime
