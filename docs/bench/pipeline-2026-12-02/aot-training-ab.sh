#!/bin/bash
# JDK 25 AOT caches trained on a short and on a long training pipeline (HERZ_AOT_TRAINING events per producer),
# interleaved on the default sparse job: both sets trained once into folders, then copied next to herz.jar before
# each run, the order rotated by one every round. Usage:
#   docs/bench/pipeline-2026-12-02/aot-training-ab.sh JSON_DIR ROUNDS "200000 2000000"
cd "$(dirname "$0")/../../.."
dir=$1; rounds=${2:-4}; sizes=${3:-200000 2000000}
j25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
target=ipc-examples/target
store=$(mktemp -d /tmp/aot-ab-XXXXXX)
for n in $sizes; do
    rm -f $target/herz.aot.jdk
    start=$(date +%s.%N)
    HERZ_JAVA=$j25 HERZ_AOT_TRAINING=$n bin/herz --version > /dev/null
    echo "trained $n events per producer in $(echo "$(date +%s.%N) - $start" | bc) s: $(ls -la $target/*.aot | awk '{ printf("%s %d KB; ", $NF, $5 / 1024) }')"
    mkdir -p "$store/$n" && cp -p $target/herz*.aot $target/herz.aot.jdk "$store/$n/"
done
uptime
read -r -a list <<< "$sizes"
for round in $(seq 1 "$rounds"); do
    for k in $(seq 0 $((${#list[@]} - 1))); do
        n=${list[$(( (k + round - 1) % ${#list[@]} ))]}
        cp -p "$store/$n"/* $target/
        echo "== round $round variant aot$n"
        STAGE_JAVA=$j25 JSON_DIR="$dir" DATA=sparse bin/bench-pipeline 2>&1 \
            | grep -E "^machine|start-up|aggregator:|pipeline wall|producer [12]:|cpu:|exited with [^0]|memory of"
    done
done
uptime
rm -rf "$store"
