#!/usr/bin/env bash
# top frames (self) of jdk.ExecutionSample in a JFR file, and samples per thread
f=$1; n=${2:-15}
jfr print --events jdk.ExecutionSample "$f" > "${TMPDIR:-/tmp}/jfr-es.txt"
total=$(grep -c "jdk.ExecutionSample" "${TMPDIR:-/tmp}/jfr-es.txt")
echo "$f: $total samples"
echo "threads:"; grep 'sampledThread = "' "${TMPDIR:-/tmp}/jfr-es.txt" | sed 's/.*sampledThread = "\([^"]*\)".*/\1/' | sed 's/ ([0-9]*)$//; s/[0-9]\+/N/g' | sort | uniq -c | sort -rn | head -6
echo "top frames:"; grep -A1 "stackTrace = \[" "${TMPDIR:-/tmp}/jfr-es.txt" | grep -v "stackTrace\|^--" | sed 's/^ *//; s/line:.*//' | sort | uniq -c | sort -rn | head -"$n"
