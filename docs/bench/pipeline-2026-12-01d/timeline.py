#!/usr/bin/env python3
"""Warm-up from TIMELINE=100ms logs: main-thread CPU (ms) the aggregator needed for its first 0.5M/1M/2M/4M events,
and the JIT total at those points: python3 timeline.py LOG..."""
import re, sys
marks = [500_000, 1_000_000, 2_000_000, 4_000_000]
for f in sys.argv[1:]:
    events = cpu = 0
    out = {}
    for line in open(f):
        m = re.match(r"\[aggregate\] timeline: ([\d.]+) s events \+([\d,]+) .*?main thread cpu (\d+) ms .*?JIT ([\d.]+) s total", line)
        if not m:
            continue
        events += int(m.group(2).replace(",", "")); cpu += int(m.group(3))
        for k in marks:
            if k not in out and events >= k:
                out[k] = (cpu, float(m.group(1)), float(m.group(4)))
    print(f.split("/")[-1], " ".join("%.1fM: main cpu %d ms at %.1f s (JIT %.1f s)" % (k / 1e6, *out[k]) for k in marks if k in out))
