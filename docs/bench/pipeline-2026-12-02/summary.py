#!/usr/bin/env python3
"""Medians per variant of the logs of jit-ab.sh, aot-training-ab.sh and tree-ab.sh (the aggregator's events/s first
to last event (min..max), its steady state, each stage's process / main-thread / JIT-compiler CPU) and of
producer-ab.sh (one producer: lines/s and its CPU). Usage: summary.py LOG [LOG ...]"""
import collections
import re
import statistics
import sys

STAGES = ("p1", "p2", "aggregate", "sink")
rates = collections.defaultdict(list)
steady = collections.defaultdict(list)
produced = collections.defaultdict(list)
cpu = collections.defaultdict(lambda: collections.defaultdict(list))
variant = None
for name in sys.argv[1:]:
    for line in open(name):
        m = re.match(r"== round \d+ variant (\S+)", line)
        if m:
            variant = m.group(1)
            continue
        m = re.search(r"aggregator: [\d,]+ events in [\d.]+ s \(([\d,]+) events/s\)"
                      r"(; steady.*?: [\d,]+ events, ([\d,]+) events/s)?", line)
        if m:
            rates[variant].append(int(m.group(1).replace(",", "")) / 1e6)
            if m.group(3):
                steady[variant].append(int(m.group(3).replace(",", "")) / 1e6)
        m = re.match(r"producer \d+: published [\d,]+ events in [\d.]+ s \(([\d,]+)/s\)", line)
        if m:  # producer-ab.sh: the producer's own lines, without a stage prefix
            produced[variant].append(int(m.group(1).replace(",", "")) / 1e6)
        m = re.search(r"^(?:\[(\S+)\] )?cpu: process ([\d.]+) s, main thread ([\d.]+) s, JIT compilers ([\d.]+) s", line)
        if m:
            cpu[variant][m.group(1) or "producer"].append(tuple(float(m.group(k)) for k in (2, 3, 4)))


def cpu_line(label, c):
    print("    %-9s process %.2f s, main thread %.2f s, JIT %.2f s (medians; JIT %s)" % (
        label, *(statistics.median(x[k] for x in c) for k in range(3)), " ".join("%.2f" % x[2] for x in c)))


for v, r in rates.items():
    print("%-8s %d runs: %.2fM events/s median (%.2f..%.2f), steady %s" % (
        v, len(r), statistics.median(r), min(r), max(r),
        # a job shorter than the aggregator's warm-up has no steady state, or one of a few events in some runs
        "%.2fM (%d of %d runs)" % (statistics.median(steady[v]), len(steady[v]), len(r)) if steady[v] else "n/a"))
    for stage in STAGES:
        if cpu[v][stage]:
            cpu_line(stage, cpu[v][stage])
    runs = list(zip(*(cpu[v][s] for s in STAGES)))
    if runs:
        total = [sum(x[0] for x in run) for run in runs]
        jit = [sum(x[2] for x in run) for run in runs]
        print("    all four JVMs: process %.1f s (%.1f..%.1f), JIT compilers %.1f s (medians)" % (
            statistics.median(total), min(total), max(total), statistics.median(jit)))
for v, r in produced.items():
    print("%-15s %d runs: %.2fM lines/s median (%.2f..%.2f)" % (v, len(r), statistics.median(r), min(r), max(r)))
    cpu_line("producer", cpu[v]["producer"])
