#!/usr/bin/env bash
# The cost of the shared producer's commit CAS (F7) and its slot stores (F4, F24), measured by switching them off
# in a throw-away build (f7.patch): one jar, JVM flags per label, order rotating per round.
set -uo pipefail
D=$(cd "$(dirname "$0")" && pwd); JAR=${JAR:-/work/f7.jar}
L=(base= "f7plain=-Dhack.f7plain=true" "nof4=-Dhack.nof4=true" "both=-Dhack.f7plain=true -Dhack.nof4=true")
for idle in busy-spin yielding backoff; do
  bash "$D/../paired-2026-12-03-intel/hackab.sh" "$D/p1-$idle" 3 "$JAR" AGRONA,HERZ $idle "${L[@]}"
done
EXTRA="--producers 2" bash "$D/../paired-2026-12-03-intel/hackab.sh" "$D/p2-backoff" 3 "$JAR" AGRONA,HERZ backoff "${L[@]}"
EXTRA="--producers 2" bash "$D/../paired-2026-12-03-intel/hackab.sh" "$D/p2-busy-spin" 3 "$JAR" AGRONA,HERZ busy-spin "${L[@]}"
echo all-done > "$D/done"
