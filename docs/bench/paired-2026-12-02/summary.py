#!/usr/bin/env python3
"""Summarise ab.sh's logs: per case and jar, each run's paired ratio of every peer to the first peer (AGRONA) as
PairedRingThroughput printed it (median over the run's cycles), then the median over runs.
Usage: summary.py AB_DIR"""
import glob
import os
import re
import statistics
import sys

runs = {}
for path in sorted(glob.glob(os.path.join(sys.argv[1], '*.log'))):
    case, version, _ = os.path.basename(path)[:-4].split('-')
    for line in open(path):
        # latency table: "... 1.06 (1.01..1.12)"; throughput table: "... 0.58  0.49..0.81  0.000  0.488"
        m = re.match(r'^([A-Z_]+)\s+.*?\s([0-9.]+) \(([0-9.]+)\.\.([0-9.]+)\)\s*$', line) or \
            re.match(r'^([A-Z_]+)\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+\s+([0-9.]+)\s+[0-9.]+\.\.[0-9.]+\s', line)
        if m and m.group(1) != 'AGRONA':
            runs.setdefault((case, m.group(1), version), []).append(float(m.group(2)))
for (case, peer, version), ratios in sorted(runs.items()):
    print(f"{case:8} {peer:16} {version}: median {statistics.median(ratios):.2f} runs " +
          " ".join(f"{r:.2f}" for r in ratios))
