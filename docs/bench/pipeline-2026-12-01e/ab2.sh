#!/bin/bash
# interleaved, rotating: producers one claim per event (batch 0) vs 4 KiB batch claims (4096), on JDK 17 and on JDK 25 with the AOT caches
cd /work/pipe7
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
variants=("j17 0" "j17 4096" "j25aot 0" "j25aot 4096")
uptime
for round in 1 2 3; do
  for k in 0 1 2 3; do
    v=(${variants[$(( (k + round) % 4 ))]})
    echo "== round $round DATA=$DATA java=${v[0]} PRODUCER_BATCH=${v[1]}"
    if [ "${v[0]}" = j25aot ]; then
      STAGE_JAVA=$J25 PRODUCER_BATCH=${v[1]} ./bench-pipeline-ab 2>&1 | grep -E "aggregator:|pipeline wall|producer [12]:" | head -6
    else
      PRODUCER_BATCH=${v[1]} ./bench-pipeline-ab 2>&1 | grep -E "aggregator:|pipeline wall|producer [12]:" | head -6
    fi
  done
done
uptime
