#!/usr/bin/env bash
# Builds of Herz against each other, interleaved: each round runs the same paired commands with every jar, the
# order of the jars rotating per round; every run has Agrona's ManyToOneRingBuffer as its first peer, so each run's
# paired ratios to it are comparable across jars (a jar holds one Herz build; two cannot share a JVM).
#   [CASES="lat100k lat1m backoff busyspin"] docs/bench/paired-2026-12-02/ab.sh OUT_DIR ROUNDS LABEL=JAR [LABEL=JAR...]
#   docs/bench/paired-2026-12-02/summary.py OUT_DIR
set -euo pipefail
OUT=$1; ROUNDS=$2; shift 2
LABELS=(); JARS=()
for spec in "$@"; do LABELS+=("${spec%%=*}"); JARS+=("${spec#*=}"); done
mkdir -p "$OUT"
n=${#LABELS[@]}
for ((r = 0; r < ROUNDS; r++)); do
    for case in ${CASES:-lat100k lat1m backoff}; do
        case $case in
            lat100k) args=(--peers AGRONA,HERZ,HERZ_EXCLUSIVE --rate 100000 --cycles 20) ;;
            lat1m) args=(--peers AGRONA,HERZ,HERZ_EXCLUSIVE --rate 1000000 --cycles 20) ;;
            backoff) args=(--peers AGRONA,HERZ,HERZ_EXCLUSIVE,HERZ_BATCH --idle backoff --cycles 20) ;;
            busyspin) args=(--peers AGRONA,HERZ,HERZ_EXCLUSIVE --cycles 20) ;;
        esac
        for ((k = 0; k < n; k++)); do
            i=$(( (k + r) % n ))
            echo "$(date -u +%H:%M:%S) round $r $case ${LABELS[$i]} load $(cut -d' ' -f1 /proc/loadavg)" >&2
            java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -Dagrona.disable.bounds.checks=true \
                -cp "${JARS[$i]}" io.herz.bench.ring.PairedRingThroughput "${args[@]}" --verbose \
                > "$OUT/$case-${LABELS[$i]}-r$r.log" 2>&1
        done
    done
done
