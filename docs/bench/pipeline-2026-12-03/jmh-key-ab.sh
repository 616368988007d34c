#!/bin/bash
# main's benchmarks.jar against the key-words tree's, alternated
for round in 1 2 3 4; do
  for v in main key; do
    for b in "WindowStageBenchmark -p window=tumbling:10us -p outputBatchBytes=4096" "WindowAggregatorBenchmark -p keyCount=10000 -p window=tumbling:10ms"; do
      echo "== round $round $v $b"
      java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -jar /work/bench-$v.jar $b -f 1 -wi 4 -w 1 -i 5 -r 1 2>&1 | grep -E '^Benchmark|^Window'
    done
  done
done
