#!/bin/bash
# Two builds of Herz against each other on the same job: two work trees (e.g. `git worktree add DIR REV`, built with
# `mvn -B -q package -DskipTests -Dherz.jcstress.skip=true`), each running its own bin/bench-pipeline over the same
# lines (JSON_DIR), the order swapped every round. Extra environment (DATA, LINES, WINDOW, STAGE_JAVA...) applies to
# both. Usage:
#   DATA=sparse docs/bench/pipeline-2026-12-02/tree-ab.sh JSON_DIR ROUNDS NAME_A=TREE_A NAME_B=TREE_B
dir=$1; rounds=$2; a=$3; b=$4
uptime
for round in $(seq 1 "$rounds"); do
    order=("$a" "$b"); [ $((round % 2)) = 0 ] && order=("$b" "$a")
    for v in "${order[@]}"; do
        echo "== round $round variant ${v%%=*} (${v#*=} at $(git -C "${v#*=}" log --oneline -1 | cut -c1-7)$(git -C "${v#*=}" diff --quiet || echo '+changes'))"
        (cd "${v#*=}" && JSON_DIR="$dir" bin/bench-pipeline 2>&1 \
            | grep -E "^machine|aggregator:|pipeline wall|producer [12]:|cpu:|exited with [^0]|memory of")
    done
done
uptime
