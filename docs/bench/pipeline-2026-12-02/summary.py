#!/usr/bin/env python3
"""Medians per variant of jit-ab.sh logs: the aggregator's events/s first to last event (min..max), its steady
state, and each stage's process / main-thread / JIT-compiler CPU. Usage: summary.py LOG [LOG ...]"""
import collections
import re
import statistics
import sys

rates = collections.defaultdict(list)
steady = collections.defaultdict(list)
cpu = collections.defaultdict(lambda: collections.defaultdict(list))
variant = None
for name in sys.argv[1:]:
    for line in open(name):
        m = re.match(r"== round \d+ variant (\S+)", line)
        if m:
            variant = m.group(1)
            continue
        m = re.search(r"aggregator: [\d,]+ events in [\d.]+ s \(([\d,]+) events/s\)(; steady.*?: [\d,]+ events, ([\d,]+) events/s)?", line)
        if m:
            rates[variant].append(int(m.group(1).replace(",", "")) / 1e6)
            if m.group(3):
                steady[variant].append(int(m.group(3).replace(",", "")) / 1e6)
        m = re.search(r"\[(\S+)\] cpu: process ([\d.]+) s, main thread ([\d.]+) s, JIT compilers ([\d.]+) s", line)
        if m:
            cpu[variant][m.group(1)].append(tuple(float(m.group(k)) for k in (2, 3, 4)))
for v, r in rates.items():
    print("%-8s %d runs: %.2fM events/s median (%.2f..%.2f), steady %s" % (
        v, len(r), statistics.median(r), min(r), max(r),
        "%.2fM" % statistics.median(steady[v]) if steady[v] else "n/a"))
    for stage in ("p1", "p2", "aggregate", "sink"):
        c = cpu[v][stage]
        if c:
            print("    %-9s process %.2f s, main thread %.2f s, JIT %.2f s (medians)" % (
                stage, *(statistics.median(x[k] for x in c) for k in range(3))))
    runs = list(zip(*(cpu[v][s] for s in ("p1", "p2", "aggregate", "sink"))))
    if runs:
        total = [sum(x[0] for x in run) for run in runs]
        jit = [sum(x[2] for x in run) for run in runs]
        print("    all four JVMs: process %.1f s (%.1f..%.1f), JIT compilers %.1f s (medians)" % (
            statistics.median(total), min(total), max(total), statistics.median(jit)))
