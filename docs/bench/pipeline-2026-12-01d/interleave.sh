#!/usr/bin/env bash
# Interleaved rounds of bin/bench-pipeline over stage-JVM variants (aot5, issue 16):
#   interleave.sh OUTDIR "sparse dense" "j17 j25 j25aot" ROUNDS
# Each (round, shape) holds /work/wt/bench.lock once, prints uptime inside it, and runs every variant in an order
# that rotates by one every round. Variants are the env settings in variant() below; WINDOW defaults to tumbling:1s.
set -euo pipefail
unset STAGE_JAVA HERZ_JAVA HERZ_CDS AOT
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
variant()
{
    case "$1" in
        j17) echo "" ;;                                               # today: java 17, herz.jsa
        j25) echo "STAGE_JAVA=$J25 AOT=0 HERZ_CDS=0" ;;               # JDK 25 plain: its default CDS only
        j25aot) echo "STAGE_JAVA=$J25" ;;                             # JDK 25 + bin/herz's AOT caches
        *) echo "${!1:?no variant $1 (set $1='ENV=... ...')}" ;;
    esac
}
if [ "${1:-}" = "--hold" ]; then
    out=$2; shape=$3; r=$4; shift 4
    variants=("$@"); n=${#variants[@]}
    for i in $(seq 0 $((n - 1))); do
        v=${variants[$(( (i + r - 1) % n ))]}
        log="$out/$v-$shape-r$r.log"
        { echo "uptime: $(uptime)"; echo "variant $v: $(variant "$v")"; } > "$log"
        # shellcheck disable=SC2046
        env DATA="$shape" WINDOW="${WINDOW:-tumbling:1s}" $(variant "$v") "$HERE/bin/bench-pipeline" >> "$log" 2>&1 || echo "FAILED rc=$?" >> "$log"
        grep -E "aggregator:|wall time|FAILED" "$log" | sed "s/^/$v $shape r$r: /" | cut -c1-200
    done
    exit 0
fi
out=$1; shapes=$2; variants=$3; rounds=$4
mkdir -p "$out"
for r in $(seq 1 "$rounds"); do
    for shape in $shapes; do
        # shellcheck disable=SC2086
        flock /work/wt/bench.lock "$0" --hold "$out" "$shape" "$r" $variants
    done
done
