#!/usr/bin/env bash
# Issue 12's paired ring measurements on the 2026-12-02 evening machine (Intel Xeon, 2 vCPU at 2.0 GHz, one L3):
# every claim mode against Agrona's rings and Aeron IPC in alternation, flat out and paced. Logs beside this script.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
PEERS=AGRONA,HERZ,HERZ_EXCLUSIVE,HERZ_BATCH,HERZ_EXCLUSIVE_BATCH,AGRONA_ONE_TO_ONE
CYCLES=${CYCLES:-25}
run() { local name=$1; shift; echo "== $name: $*"; nice -n -10 "$ROOT/bin/bench-paired" "$@" --warmup-cycles 5 --verbose > "$HERE/$name.log" 2>&1; grep -A12 '^peer' "$HERE/$name.log"; }
for round in 1 2; do
  run "busy-spin-$round" --peers $PEERS --cycles $CYCLES --idle busy-spin
  run "backoff-$round" --peers $PEERS --cycles $CYCLES --idle backoff
  run "yielding-aeron-$round" --peers $PEERS,AERON_IPC,AERON_IPC_EXCLUSIVE --cycles $CYCLES --idle yielding
  run "two-producers-backoff-$round" --peers AGRONA,HERZ,HERZ_BATCH,AERON_IPC --producers 2 --cycles $CYCLES --idle backoff
  run "latency-100k-$round" --peers AGRONA,HERZ,HERZ_EXCLUSIVE,HERZ_BATCH,AGRONA_ONE_TO_ONE --rate 100000 --cycles $CYCLES --idle busy-spin
  run "latency-1m-$round" --peers AGRONA,HERZ,HERZ_EXCLUSIVE,HERZ_BATCH,AGRONA_ONE_TO_ONE --rate 1000000 --cycles $CYCLES --idle busy-spin
done
