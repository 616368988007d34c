#!/bin/bash
# ResultsPathBenchmark, two benchmarks.jar builds alternated (before/after a change), ROUNDS rounds. Usage:
#   docs/bench/pipeline-2026-12-03/results-path-ab.sh ROUNDS NAME_A=JAR_A NAME_B=JAR_B
rounds=$1; shift
for round in $(seq 1 "$rounds"); do
  for v in "$@"; do
    echo "== round $round ${v%%=*}"
    java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -jar "${v#*=}" ResultsPathBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 2>&1 \
      | grep -E '^ResultsPathBenchmark'
  done
done
