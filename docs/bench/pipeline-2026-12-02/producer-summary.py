#!/usr/bin/env python3
"""Medians per variant of producer-ab.sh logs: lines/s, process, main-thread and JIT-compiler CPU. Usage: LOG..."""
import collections
import re
import statistics
import sys

rows = collections.defaultdict(list)
variant = None
rate = None
for name in sys.argv[1:]:
    for line in open(name):
        m = re.match(r"== round \d+ variant (\S+)", line)
        if m:
            variant = m.group(1)
        m = re.search(r"published [\d,]+ events in [\d.]+ s \(([\d,]+)/s\)", line)
        if m:
            rate = int(m.group(1).replace(",", "")) / 1e6
        m = re.search(r"cpu: process ([\d.]+) s, main thread ([\d.]+) s, JIT compilers ([\d.]+) s", line)
        if m:
            rows[variant].append((rate, *(float(m.group(k)) for k in (1, 2, 3))))
for v, r in rows.items():
    med = [statistics.median(x[k] for x in r) for k in range(4)]
    print("%-15s %d runs: %.2fM lines/s, process %.2f s, main thread %.2f s, JIT compilers %.2f s (medians; JIT %s)" % (
        v, len(r), *med, " ".join("%.2f" % x[3] for x in r)))
