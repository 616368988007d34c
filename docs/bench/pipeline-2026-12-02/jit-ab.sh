#!/bin/bash
# JIT settings for the default short job (2 x LINES JSON lines, DATA), interleaved: every variant once per round, the
# order rotated by one each round; the lines generated once (JSON_DIR) and reused. Usage:
#   docs/bench/pipeline-2026-12-02/jit-ab.sh JSON_DIR ROUNDS DATA LINES [VARIANT ...]
# Variants: j17 (the default), j17-c1 (C1 only in every stage), j17-c1p (C1 only in the producers), j25 (JDK 25 with
# the AOT caches bin/herz trains), j25-c1p (that plus C1 only in the producers), j17-inl and j25-inl (C2's inlining
# cut, below), j17-inl2 (cut half as far), j17-isc and j17-fis (one of the two cuts), j17-fis50, j17-fis150, j17-fis200 (FreqInlineSize alone
# at 50, 150, 200). Since 2026-12-03 every stage gets -XX:FreqInlineSize=100 by default (io.herz.examples.StageJvm), so
# j17 and j25 have it; j17-325 and j25-325 give HotSpot's default (325) instead, the stage default before;
# j17-sink325 gives it to the sink only., j17-t4 (C2's thresholds raised).
cd "$(dirname "$0")/../../.."
dir=$1; rounds=${2:-3}; data=${3:-sparse}; lines=${4:-2000000}; shift 4 || true
variants=("${@:-j17 j17-c1 j17-c1p j25 j25-c1p}")
read -r -a variants <<< "${variants[*]}"
j25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
c1=-XX:TieredStopAtLevel=1
# C2 inlining cut to a third of its defaults (InlineSmallCode 2500, FreqInlineSize 325 on x86): smaller C2 units
inl="-XX:InlineSmallCode=800 -XX:FreqInlineSize=100"
# halfway: InlineSmallCode 1500, FreqInlineSize 200; and each of the two cuts alone
inl2="-XX:InlineSmallCode=1500 -XX:FreqInlineSize=200"
isc="-XX:InlineSmallCode=800"
fis="-XX:FreqInlineSize=100"
# C2 later: its invocation and back-edge thresholds three times the defaults (Tier4*: 5000, 15000, 40000)
t4="-XX:Tier4InvocationThreshold=15000 -XX:Tier4CompileThreshold=45000 -XX:Tier4BackEdgeThreshold=120000"
run()
{
    local v=$1
    local opts=()
    case "$v" in
        j17) ;;
        j17-c1) opts=(STAGE_JVM_OPTS="-Dagrona.disable.bounds.checks=true $c1") ;;
        j17-c1p) opts=(STAGE_JVM_OPTS_p1=$c1 STAGE_JVM_OPTS_p2=$c1) ;;
        j25) opts=(STAGE_JAVA=$j25) ;;
        j25-c1p) opts=(STAGE_JAVA=$j25 STAGE_JVM_OPTS_p1=$c1 STAGE_JVM_OPTS_p2=$c1) ;;
        j17-inl) opts=(STAGE_JVM_OPTS="-Dagrona.disable.bounds.checks=true $inl") ;;
        j17-inl2) opts=(STAGE_JVM_OPTS="-Dagrona.disable.bounds.checks=true $inl2") ;;
        j17-isc) opts=(STAGE_JVM_OPTS="-Dagrona.disable.bounds.checks=true $isc") ;;
        j17-fis) opts=(STAGE_JVM_OPTS="-Dagrona.disable.bounds.checks=true $fis") ;;
        j17-fis50) opts=(STAGE_JVM_OPTS="-Dagrona.disable.bounds.checks=true -XX:FreqInlineSize=50") ;;
        j17-fis150) opts=(STAGE_JVM_OPTS="-Dagrona.disable.bounds.checks=true -XX:FreqInlineSize=150") ;;
        j17-fis200) opts=(STAGE_JVM_OPTS="-Dagrona.disable.bounds.checks=true -XX:FreqInlineSize=200") ;;
        j17-325) opts=(STAGE_JVM_OPTS="-Dagrona.disable.bounds.checks=true -XX:FreqInlineSize=325") ;;
        j25-325) opts=(STAGE_JAVA=$j25 STAGE_JVM_OPTS="-Dagrona.disable.bounds.checks=true -XX:FreqInlineSize=325") ;;
        j17-sink325) opts=(STAGE_JVM_OPTS_sink="-XX:FreqInlineSize=325") ;;
        j17-t4) opts=(STAGE_JVM_OPTS="-Dagrona.disable.bounds.checks=true $t4") ;;
        j25-inl) opts=(STAGE_JAVA=$j25 STAGE_JVM_OPTS="-Dagrona.disable.bounds.checks=true $inl") ;;
        *) echo "jit-ab: variant unknown: $v" >&2; exit 2 ;;
    esac
    env "${opts[@]}" JSON_DIR="$dir" DATA="$data" LINES="$lines" bin/bench-pipeline 2>&1 \
        | grep -E "^machine|stage JVM flags|aggregator:|pipeline wall|producer [12]:|cpu:|exited with [^0]|memory of"
}
uptime
n=${#variants[@]}
for round in $(seq 1 "$rounds"); do
    for k in $(seq 0 $((n - 1))); do
        v=${variants[$(( (k + round - 1) % n ))]}
        echo "== round $round variant $v DATA=$data LINES=$lines"
        run "$v"
    done
done
uptime
