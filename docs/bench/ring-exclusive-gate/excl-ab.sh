#!/bin/bash
# interleaved A/B: before (main 812a378) vs after (exclusive gate), RingBenchmark.throughput, 2 threads on 2 cores
cd /work/jmh
uptime
for round in 1 2 3; do
  for jar in before-excl after-excl; do
    rm -f /dev/shm/herz-bench/*
    echo "== round $round $jar"
    java -jar $jar.jar 'RingBenchmark.throughput' -p peer=HERZ_EXCLUSIVE,AGRONA_ONE_TO_ONE,HERZ,AGRONA -f 1 -wi 3 -i 5 -w 1s -r 1s 2>&1 | grep -E "^RingBenchmark.throughput:(sent|failedClaims) "
  done
done
uptime
