#!/usr/bin/env bash
# OUT ROUNDS JAR PEERS IDLE label=flags...
set -uo pipefail
OUT=$1; ROUNDS=$2; JAR=$3; PEERS=$4; IDLE=$5; shift 5
LABELS=(); FLAGS=()
for spec in "$@"; do LABELS+=("${spec%%=*}"); FLAGS+=("${spec#*=}"); done
mkdir -p "$OUT"; n=${#LABELS[@]}
for ((r = 0; r < ROUNDS; r++)); do
  for ((k = 0; k < n; k++)); do
    i=$(( (k + r) % n ))
    echo "$(date -u +%H:%M:%S) round $r ${LABELS[$i]} load $(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/progress.log"
    nice -n -10 java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -Dagrona.disable.bounds.checks=true ${FLAGS[$i]} \
      -cp "$JAR" io.herz.bench.ring.PairedRingThroughput --peers "$PEERS" --idle "$IDLE" --cycles 20 --warmup-cycles 5 ${EXTRA:-} \
      > "$OUT/${LABELS[$i]}-r$r.log" 2>&1
  done
done
echo done >> "$OUT/progress.log"
