#!/bin/bash
# One JSON producer JVM and one `herz consume` JVM, nothing else: the producer's own cpu line (main thread, JIT
# compiler threads) for two builds (work trees, as tree-ab.sh), the order swapped every round. Usage:
#   docs/bench/pipeline-2026-12-02/producer-ab.sh LINES_FILE ROUNDS NAME_A=TREE_A NAME_B=TREE_B
file=$1; rounds=$2; a=$3; b=$4
uptime
for round in $(seq 1 "$rounds"); do
    order=("$a" "$b"); [ $((round % 2)) = 0 ] && order=("$b" "$a")
    for v in "${order[@]}"; do
        tree=${v#*=}; ring=/dev/shm/producer-ab-$$.seg; rm -f "$ring"
        echo "== round $round variant ${v%%=*} ($(git -C "$tree" log --oneline -1 | cut -c1-7)$(git -C "$tree" diff --quiet || echo '+changes'))"
        HERZ_JAVA_OPTS="-Xmx128m -XX:+UseSerialGC -Dagrona.disable.bounds.checks=true" "$tree/bin/herz" consume \
            --ring "$ring" --capacity 8m --producers 1 > /tmp/producer-ab-consume.log 2>&1 &
        consumer=$!
        HERZ_JAVA_OPTS="-Xmx128m -XX:+UseSerialGC -Dagrona.disable.bounds.checks=true" "$tree/bin/herz" produce \
            --ring "$ring" --producer-id 1 --json "$file" 2>&1 | grep -E "published|cpu:"
        wait $consumer || echo "consumer exited $?"
        rm -f "$ring"
    done
done
uptime
