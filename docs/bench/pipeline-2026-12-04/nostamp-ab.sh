#!/bin/bash
out=/work/lat-ab; rounds=${1:-4}; data=${2:-dense}; lines=${3:-5000000}
for ((r = 0; r < rounds; r++)); do
  for k in 0 1; do
    i=$(( (k + r) % 2 ))
    if [ $i = 0 ]; then v=base; o=""; else v=nostamp; o="-Dhack.nostamp=true"; fi
    echo "== round $r variant $v $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)" >> $out/stamp-$data.log
    JSON_DIR=/work/json DATA=$data LINES=$lines RUNS=1 STAGE_JVM_OPTS_p1="$o" STAGE_JVM_OPTS_p2="$o" nice -n -10 /work/wt-lat/bin/bench-pipeline >> $out/stamp-$data.log 2>&1
  done
done
